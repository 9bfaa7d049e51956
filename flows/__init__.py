"""Everything with side effects: the store, the import flow, the command line, the web pages."""

# Files per extraction task and per loading transaction. A Prefect task run costs its temporary
# server tens of milliseconds of CPU: 50 reports (about 2.5 s of extraction) keep that overhead
# small, and memory stays flat (a few batches are in flight at a time).
DEFAULT_BATCH_SIZE = 50
