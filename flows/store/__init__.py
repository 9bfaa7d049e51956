"""The store: normalised tables over SQLAlchemy Core (SQLite by default, PostgreSQL for shared
use). `engine` makes engines and creates the schema (through `migrations`, the only place it is
created), `load` writes extracted batches, `runs` records import runs and file outcomes, `read`
reads facts back with people's corrections applied, `corrections` records those corrections,
`search` keeps the full-text index.

This module stays light (the CLI reads `KINDS` for its --help without loading SQLAlchemy)."""

# What `read.facts_frame` can read back, in the order `baocao facts` lists them.
KINDS: tuple[str, ...] = (
    "documents",
    "references",
    "dates",
    "periods",
    "quantities",
    "awards",
    "findings",
    "indicators",
    "criteria",
    "table_cells",
    "sections",
    "outcomes",
    "runs",
)
