"""The Prefect face of an import: the flow `baocao-ingest` runs the import loop of
flows/ingest/run.py with one `extract-batch` task per batch (never per file), loads each batch in
the flow itself (a task run cost Prefect's server as much CPU as the loading), logs to the flow
run and publishes a table artifact of the run. `run_flow` starts it on a local pool of worker
processes or on a Dask cluster through prefect-dask.

On a Dask cluster each worker process is one extractor and the loading stays in this process.
Workers of an existing cluster need baocao installed, the files at the same paths, and a Prefect
API they can reach: set PREFECT_API_URL to a running Prefect server (the temporary server that
Prefect starts for a lone process listens on this machine only).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from prefect import flow, get_run_logger, task
from prefect.artifacts import create_table_artifact
from prefect.cache_policies import NO_CACHE
from prefect.client.schemas.objects import State
from prefect.states import Cancelled
from sqlalchemy import Engine

from extractors.rows import Extracted
from flows import DEFAULT_BATCH_SIZE
from flows.ingest.interrupt import ImportInterrupted
from flows.ingest.pool import ExtractedBatch, ExtractionPool, extract_timed
from flows.ingest.run import ImportSummary, Progress, run_import
from flows.store.load import BatchSummary, load_with_retries
from flows.store.runs import FileOutcome
from schemas.errors import BaocaoError
from schemas.tables import FACT_TABLES


def extract_batch_fn(paths: list[str], pool: ExtractionPool | None = None) -> ExtractedBatch:
    """Extract a batch of files: in the import's pool of worker processes when it has one, else
    here (on a Dask worker). Every failure is a coded error item; none stops the batch."""
    result = pool.extract(paths) if pool else extract_timed(paths)
    failed = sum(1 for r in result.items if isinstance(r, BaocaoError))
    get_run_logger().info("extracted %d files, %d failed", len(paths) - failed, failed)
    return result


extract_batch = task(name="extract-batch", cache_policy=NO_CACHE, persist_result=False)(
    extract_batch_fn
)


class ByPrefectTasks:
    """Extract each batch in an `extract-batch` task run on the flow's task runner (in `pool`,
    the import's worker processes, when it has them)."""

    def __init__(self, pool: ExtractionPool | None = None) -> None:
        self.pool = pool

    def submit(self, paths: list[str]) -> Any:
        return extract_batch.submit(paths, self.pool)

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
    pool: Any = None,
    progress: Any = None,
) -> ImportSummary | State:
    """Import report files and folders into the baocao store; errors are recorded, not raised.

    `pool`: an ExtractionPool the caller keeps (a watcher's, or one warmed while Prefect
    started); else `workers` > 0 extracts in that many local processes started for this run, and
    0 extracts in whatever process runs each task (on a Dask cluster, its workers). `progress` is
    called as `run_import` says. (Both are Python objects: the flow run records them by type only.)
    Stopped by SIGTERM or SIGINT, the flow run ends Cancelled, its state's data the
    ImportInterrupted that says how far it got.
    """
    own_pool = ExtractionPool(workers) if workers > 0 and pool is None else None
    pool = pool or own_pool
    stopped = False
    try:
        summary = run_import(
            paths,
            db,
            batch_size,
            progress=progress,
            reextract=reextract,
            workers=workers,
            dispatch=ByPrefectTasks(pool),
            load_batch=load_and_log,
            in_flight=in_flight,
            pool=pool,
        )
    except ImportInterrupted as stop:
        stopped = True
        return Cancelled(message=stop.one_line(), data=stop)
    finally:
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


def run_flow(
    paths: Sequence[str],
    db: str | None,
    batch_size: int,
    reextract: bool,
    *,
    workers: int,
    dask_address: str | None = None,
    dask_workers: int | None = None,
    pool: ExtractionPool | None = None,
    progress: Progress | None = None,
) -> ImportSummary:
    """Run the `baocao-ingest` flow: its extract tasks in `pool`, or in `workers` processes of its
    own, or on a Dask cluster (at `dask_address`, or a local one of `dask_workers` processes).
    A flow run that ends Cancelled, stopped by a signal, raises its ImportInterrupted."""
    flow_, in_flight = ingest, None
    if dask_address or dask_workers:
        flow_ = ingest.with_options(task_runner=dask_task_runner(dask_address, dask_workers))
        workers, pool = 0, None
        in_flight = 2 * (dask_workers or _cluster_size(dask_address) or 2)
    return flow_(  # type: ignore[return-value]
        paths=list(paths),
        db=db,
        batch_size=batch_size,
        reextract=reextract,
        workers=workers,
        in_flight=in_flight,
        pool=pool,
        progress=progress,
    )


def dask_task_runner(address: str | None = None, workers: int | None = None) -> Any:
    """A DaskTaskRunner on the cluster at `address`, or on a local cluster of `workers` worker
    processes of one thread each (underthesea is CPU-bound: threads would not help)."""
    # imported here: only runs on a Dask cluster need it
    from prefect_dask import DaskTaskRunner

    if address:
        return DaskTaskRunner(address=address)
    return DaskTaskRunner(
        cluster_class="distributed.LocalCluster",
        cluster_kwargs={
            "n_workers": workers or 2,
            "threads_per_worker": 1,
            "processes": True,
            "dashboard_address": None,
        },
    )


def _cluster_size(address: str | None) -> int | None:
    if not address:
        return None
    # imported here: only runs on a Dask cluster need it
    from distributed import Client

    with Client(address, timeout=30) as client:
        return len(client.scheduler_info().get("workers", {})) or None
