"""Import files into the store: discover them as a stream, extract them in batches (in a pool of
worker processes, or on a Dask cluster), load each batch in one transaction in this process, and
record every file's outcome in the run.

The work is done by plain functions (`run_import` and the ones it calls) that the CLI calls
directly with a progress bar; the Prefect flow `ingest` runs the same loop with one extraction
task per batch (never per file), loads in the flow itself, and publishes a table artifact of the
run. Memory stays flat whatever the
archive's size: a bounded number of batches is in flight, and reports are dropped once loaded.
"""

from __future__ import annotations

import dataclasses
import time
from collections import Counter, defaultdict, deque
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from prefect import flow, get_run_logger, task
from prefect.artifacts import create_table_artifact
from prefect.cache_policies import NO_CACHE
from prefect.client.schemas.objects import State
from prefect.states import Cancelled
from sqlalchemy import Engine

from flows import DEFAULT_BATCH_SIZE
from flows.ingest import pool as batches
from flows.ingest.discover import (  # noqa: F401 (re-exported: they used to live here)
    LOCK_PREFIXES,
    SYSTEM_FILES,
    Discovery,
    count_found,
    discover_files,
    iter_found,
)
from flows.ingest.interrupt import ImportInterrupted, signals_deferred, stop_on_signals
from flows.ingest.pool import (  # noqa: F401 (ErrorItem: re-exported)
    Dispatch,
    Extracted,
    ExtractedBatch,
    ExtractionPool,
    InPool,
    InProcess,
    batches_of,
    timed,
)
from flows.store.engine import create_schema, engine_for
from flows.store.load import (  # noqa: F401 (load_extracted: re-exported)
    BatchSummary,
    load_extracted,
    load_with_retries,
    split_unchanged,
)
from flows.store.runs import FileOutcome, finish_run, interrupt_abandoned_runs, start_run
from schemas.errors import BaocaoError
from schemas.models import Report
from schemas.tables import FACT_TABLES

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

    SIGTERM or SIGINT stops it (see flows.ingest.interrupt): the batch being loaded commits whole, no
    other starts, the run is recorded as "interrupted" and ImportInterrupted is raised.
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
                    summary = (load_batch or load_with_retries)(
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


# ---------------------------------------------------------------------------------------------
# Prefect: one task per batch
# ---------------------------------------------------------------------------------------------

_progress: ContextVar[Progress | None] = ContextVar("baocao_ingest_progress", default=None)


@contextmanager
def reporting_progress(callback: Progress) -> Iterator[None]:
    """Let the flow report progress to `callback` (a flow's parameters must be JSON)."""
    token = _progress.set(callback)
    try:
        yield
    finally:
        _progress.reset(token)


def extract_batch_fn(paths: list[str]) -> ExtractedBatch:
    """Extract a batch of files: in the import's process pool when this process has one, else
    here (on a Dask worker). Every failure is an error item; none stops the batch."""
    pool = batches.active_pool()
    result = pool.extract(paths) if pool else batches.extract_timed(paths)
    failed = sum(1 for r in result.items if isinstance(r, BaocaoError))
    get_run_logger().info("extracted %d files, %d failed", len(paths) - failed, failed)
    return result


extract_batch = task(name="extract-batch", cache_policy=NO_CACHE, persist_result=False)(
    extract_batch_fn
)


class ByPrefectTasks:
    """Extract each batch in an `extract-batch` task run on the flow's task runner."""

    def submit(self, paths: list[str]) -> Any:
        return extract_batch.submit(paths)

    def wait(self, handle: Any) -> ExtractedBatch:
        return handle.result()


def load_and_log(
    engine: Engine,
    run_id: str,
    items: list[Extracted],
    unchanged: Sequence[FileOutcome] = (),
    reextract: bool = False,
) -> BatchSummary:
    """Load a batch in one transaction (retried when the database was busy or gone) and log how
    it went to the flow run. A plain call, not a task: a task run cost the temporary Prefect
    server about as much CPU as loading the batch itself."""
    summary = load_with_retries(engine, run_id, items, unchanged=unchanged, reextract=reextract)
    logger = get_run_logger()
    logger.info("loaded %d, skipped %d, failed %d", summary.ok, summary.skipped, summary.failed)
    for line in summary.failures:
        logger.info("failed: %s", line)
    return summary


def ingest_fn(
    paths: list[str],
    db: str | None = None,
    batch_size: int = DEFAULT_BATCH_SIZE,
    reextract: bool = False,
    workers: int = 0,
    in_flight: int | None = None,
) -> ImportSummary | State:
    """Import report files and folders into the baocao store; errors are recorded, not raised.

    `workers` > 0 extracts in that many local processes (in the pool of this process's watcher,
    when it has one: see flows.ingest.watch); with 0, each task extracts in the process that runs it
    (on a Dask cluster, its workers: see flows.cluster). Stopped by SIGTERM or SIGINT, the flow
    run ends Cancelled, its state's data the ImportInterrupted that says how far it got.
    """
    kept = batches.active_pool()
    own_pool = ExtractionPool(workers) if workers > 0 and kept is None else None
    batches.set_active_pool(kept or own_pool)
    stopped = False
    try:
        summary = run_import(
            paths,
            db,
            batch_size,
            progress=_progress.get(),
            reextract=reextract,
            workers=workers,
            dispatch=ByPrefectTasks(),
            load_batch=load_and_log,
            in_flight=in_flight,
        )
    except ImportInterrupted as stop:
        stopped = True
        return Cancelled(message=stop.one_line(), data=stop)
    finally:
        batches.set_active_pool(kept)
        if own_pool:
            own_pool.close(terminate=stopped)
    create_table_artifact(
        key="baocao-import",
        table=_artifact_rows(summary),
        description=f"Import run `{summary.run_id}` into {summary.database}: "
        f"{summary.files} files, {summary.ok} loaded, {summary.skipped} skipped, {summary.failed} "
        "failed.",
    )
    return summary


# The flow and its tasks keep their functions under module-level names of their own: Dask pickles
# them (with the flow run's context) by reference, never by value with this module's globals.
ingest = flow(name="baocao-ingest")(ingest_fn)


def _artifact_rows(summary: ImportSummary, most: int = 100) -> list[dict[str, Any]]:
    """One row per batch (batches grouped so that there are at most `most` rows), and a total."""

    def row(name: str, group: Sequence[BatchSummary | ImportSummary]) -> dict[str, Any]:
        counts = {
            k: sum(getattr(s, k) for s in group) for k in ("files", "ok", "skipped", "failed")
        }
        facts = {k: sum(s.facts.get(k, 0) for s in group) for k in FACT_TABLES}
        return {"batch": name, **counts, **facts}

    step = max(1, -(-len(summary.batches) // most))
    rows = [
        row(
            str(i + 1) if step == 1 else f"{i + 1}-{min(i + step, len(summary.batches))}",
            summary.batches[i : i + step],
        )
        for i in range(0, len(summary.batches), step)
    ]
    return [*rows, row("total", [summary])]
