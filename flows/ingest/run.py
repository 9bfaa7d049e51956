"""The import loop: discover files as a stream, extract them in batches (in this process, in a
pool of worker processes, or wherever a `Dispatch` sends them), load each batch in one
transaction in this process, and record every file's outcome in the run.

`run_import` is a plain function: `baocao ingest --no-prefect` calls it with a progress bar, and
the Prefect flow (flows/ingest/prefect.py) calls it with its own dispatch (one extraction task
per batch) and loader. Memory stays flat whatever the archive's size: a bounded number of batches
is in flight, and reports are dropped once loaded. No Prefect is imported here.
"""

from __future__ import annotations

import dataclasses
import logging
import time
from collections import Counter, defaultdict, deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Engine
from sqlalchemy.exc import OperationalError, ProgrammingError

from extractors.readers import SUPPORTED_SUFFIXES, file_sha256
from extractors.rows import Extracted
from flows import DEFAULT_BATCH_SIZE
from flows.ingest import pool as batches
from flows.ingest.discover import count_found, iter_found
from flows.ingest.interrupt import ImportInterrupted, signals_deferred, stop_on_signals
from flows.ingest.pool import Dispatch, ExtractionPool, InPool, InProcess, batches_of, timed
from flows.store.engine import create_schema, engine_for
from flows.store.load import BatchSummary, load_with_retries, split_unchanged, stored_versions
from flows.store.runs import (
    failed_under_these_rules,
    finish_run,
    interrupt_abandoned_runs,
    start_run,
)
from schemas.models import RULES_VERSION, Report
from schemas.tables import FACT_TABLES

# baocao's log lines go to the run's log file (flows/ingest/logs.py), not to the terminal
log = logging.getLogger("baocao.ingest")

# The failure lines an ImportSummary keeps (the store keeps them all: `baocao runs --run ID`).
MAX_FAILURES_KEPT = 1000


def _extractor() -> Callable[[str], Report]:
    return batches.default_extractor()


def extract_files(paths: Sequence[str]) -> list[Extracted]:
    """Extract each file in this process; a file that fails becomes an error item, never a stop."""
    return batches.extract_with(_extractor(), paths)


# ---------------------------------------------------------------------------------------------
# A whole import
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ImportSummary:
    """A finished run: its id, the files by outcome, the facts loaded, the failures (the first
    MAX_FAILURES_KEPT lines; `failed` counts them all), each batch, and where the time went."""

    run_id: str
    database: str
    files: int
    ok: int
    skipped: int
    failed: int
    facts: dict[str, int]
    failures: list[str]
    batches: list[BatchSummary]
    seconds: float
    timings: dict[str, float] = dataclasses.field(default_factory=dict)


# progress(files_done, files_total, batch_just_done_or_None)
Progress = Callable[[int, int, BatchSummary | None], None]
LoadBatch = Callable[..., BatchSummary]


def run_import(
    paths: Sequence[str | Path],
    db: str | None = None,
    batch_size: int = DEFAULT_BATCH_SIZE,
    progress: Progress | None = None,
    reextract: bool = False,
    *,
    workers: int = 0,
    dispatch: Dispatch | None = None,
    load_batch: LoadBatch | None = None,
    in_flight: int | None = None,
    pool: ExtractionPool | None = None,
) -> ImportSummary:
    """Import everything under `paths` into the store at `db` and return the run's summary.

    Files already stored under the current rules are skipped without being read twice, so an
    interrupted import resumes where it stopped. `workers` > 0 extracts in that many processes
    (0: in this one), or in `pool`, a pool the caller keeps (and closes); `dispatch` and
    `load_batch` replace the extraction and the loading (the Prefect flow passes its task, and a
    loader that logs to the flow run). At
    most `in_flight` batches (default: twice the workers) are extracted ahead of the loading.

    SIGTERM or SIGINT stops it (see flows.ingest.interrupt): the batch being loaded commits whole,
    no other starts, the run is recorded as "interrupted" and ImportInterrupted is raised.
    """
    if batch_size < 1:
        raise ValueError("batch size must be at least 1")
    began = time.perf_counter()
    clock: defaultdict[str, float] = defaultdict(float)
    engine = engine_for(db)
    own_pool = ExtractionPool(workers) if workers > 0 and dispatch is None and not pool else None
    pool = pool or own_pool
    dispatch = dispatch or (InPool(pool) if pool else InProcess(extract_files))
    window = in_flight or max(2, 2 * (pool.workers if pool else workers))
    stopped = False
    try:
        with stop_on_signals():
            create_schema(engine)
            interrupt_abandoned_runs(engine)  # runs of this host whose process was killed
            run_id = start_run(engine, [str(p) for p in paths])
            log.info(
                "import run %s into %s: %s",
                run_id,
                engine.url.render_as_string(hide_password=True),
                ", ".join(str(p) for p in paths),
            )
            clock["bookkeeping"] += time.perf_counter() - began
            status, total, done, tally = "failed", 0, 0, _Tally()
            pending: deque[tuple[Any, list[Any], int]] = deque()

            def finish_oldest() -> None:
                nonlocal done
                handle, unchanged, count = pending.popleft()
                items: list[Extracted] = []
                if handle is not None:
                    waited_from = time.time()
                    extracted = dispatch.wait(handle)
                    waited_to = time.time()
                    # the part of this wait when the batch was being extracted (the rest is the
                    # orchestration around it: Prefect's task start and result, or nothing)
                    clock["extract_wait"] += max(
                        0.0,
                        min(waited_to, extracted.waited_to)
                        - max(waited_from, extracted.waited_from),
                    )
                    clock["extract_busy"] += extracted.seconds
                    for key, seconds in extracted.extras.items():  # rows, pickling, transfer
                        clock[key] += seconds
                    items = extracted.items
                with signals_deferred():  # a batch's transaction commits whole, or not at all
                    summary = (load_batch or load_and_log)(
                        engine, run_id, items, unchanged=unchanged, reextract=reextract
                    )
                    clock["load"] += summary.seconds
                    # Prefect's task states hold the batch in reference cycles, which only a full
                    # garbage collection frees: emptied here, memory stays flat whatever N is
                    items.clear()
                    tally.add(summary)
                    done += count
                    if progress:
                        progress(done, total, summary)

            try:
                mark = time.perf_counter()
                total = count_found(paths)
                if progress:
                    progress(0, total, None)
                clock["prepare"] += time.perf_counter() - mark
                for files, problems in timed(
                    batches_of(iter_found(paths), batch_size), clock, "prepare"
                ):
                    mark = time.perf_counter()
                    todo, unchanged = split_unchanged(engine, files, reextract)
                    clock["prepare"] += time.perf_counter() - mark
                    handle = dispatch.submit(todo) if todo else None
                    pending.append((handle, problems + unchanged, len(files) + len(problems)))
                    while len(pending) >= window:
                        finish_oldest()
                while pending:
                    finish_oldest()
                status = "completed"
            except ImportInterrupted as stop:
                stopped, status = True, "interrupted"
                stop.run_id, stop.files_done, stop.files_total = run_id, done, total
                raise
            finally:
                with signals_deferred():
                    mark = time.perf_counter()
                    finish_run(engine, run_id, status=status, files_seen=total)
                    log.info("import run %s %s: %d of %d files", run_id, status, done, total)
                    clock["bookkeeping"] += time.perf_counter() - mark
        wall = time.perf_counter() - began
        timings = {
            k: round(clock[k], 3)
            for k in (
                "bookkeeping",
                "prepare",
                "extract_wait",
                "load",
                "extract_busy",
                "rows_busy",
                "pickle_busy",
                "transfer",
            )
        }
        timings["wall"] = round(wall, 3)
        timings["other"] = round(
            wall - sum(clock[k] for k in ("bookkeeping", "prepare", "extract_wait", "load")), 3
        )
        return tally.summary(run_id, engine, round(wall, 3), timings)
    except ImportInterrupted:
        stopped = True
        raise
    finally:
        if own_pool:
            own_pool.close(terminate=stopped)  # a stop does not wait for the batches in flight
        engine.dispose()


def load_and_log(
    engine: Engine,
    run_id: str,
    items: list[Extracted],
    unchanged: Sequence[Any] = (),
    reextract: bool = False,
) -> BatchSummary:
    """Load a batch in one transaction (retried when the database was busy) and log how it went
    (the Prefect flow has its own, which logs to the flow run)."""
    summary = load_with_retries(engine, run_id, items, unchanged=unchanged, reextract=reextract)
    log.info("loaded %d, skipped %d, failed %d", summary.ok, summary.skipped, summary.failed)
    for line in summary.failures:
        log.info("failed: %s", line)
    return summary


class _Tally:
    """The running totals of an import (kept small: failure lines are capped)."""

    def __init__(self) -> None:
        self.batches: list[BatchSummary] = []
        self.facts: Counter[str] = Counter()
        self.failures: list[str] = []

    def add(self, summary: BatchSummary) -> None:
        self.facts.update(summary.facts)
        room = MAX_FAILURES_KEPT - len(self.failures)
        self.failures += summary.failures[:room]
        self.batches.append(dataclasses.replace(summary, failures=[]))

    def summary(
        self, run_id: str, engine: Engine, seconds: float, timings: dict[str, float]
    ) -> ImportSummary:
        return ImportSummary(
            run_id=run_id,
            database=engine.url.render_as_string(hide_password=True),
            files=sum(s.files for s in self.batches),
            ok=sum(s.ok for s in self.batches),
            skipped=sum(s.skipped for s in self.batches),
            failed=sum(s.failed for s in self.batches),
            facts={kind: self.facts.get(kind, 0) for kind in FACT_TABLES},
            failures=self.failures,
            batches=self.batches,
            seconds=seconds,
            timings=timings,
        )


def anything_to_extract(paths: Sequence[str | Path], db: str | None, chunk: int = 500) -> bool:
    """Whether importing `paths` into the store at `db` would extract a new file: one neither
    stored nor already failed under the current rules (or any, in a store without tables yet).
    Hashing the files is all it costs; it stops at the first new file, so a first import pays
    for one chunk."""
    engine = engine_for(db)
    try:
        # a file of a kind no reader takes fails at once, whichever way the import runs
        files = (
            item
            for item in iter_found(paths)
            if isinstance(item, str) and Path(item).suffix.lower() in SUPPORTED_SUFFIXES
        )
        while batch := [f for _, f in zip(range(chunk), files, strict=False)]:
            hashes = [file_sha256(path) for path in batch]  # each file read once
            if None in hashes:
                return True  # unreadable now: the import will say why
            known = [h for h in hashes if h is not None]
            stored = stored_versions(engine, known)
            new = [h for h in known if stored.get(h) != RULES_VERSION]
            if new and set(new) - failed_under_these_rules(engine, new):
                return True
        return False
    except (OperationalError, ProgrammingError):  # no tables yet: everything is new
        return True
    finally:
        engine.dispose()
