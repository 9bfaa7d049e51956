"""Launching an import the way the user asked: plain functions (no Prefect), the Prefect flow
with a local pool of extraction processes, or the Prefect flow with its extract tasks on a Dask
cluster through prefect-dask (an existing one by address, or a local one started for the run).

On a Dask cluster each worker process is one extractor and the loading stays in this process.
Workers of an existing cluster need baocao installed, the files at the same paths, and a Prefect
API they can reach: set PREFECT_API_URL to a running Prefect server (the temporary server that
Prefect starts for a lone process listens on this machine only).
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from flows import DEFAULT_BATCH_SIZE
from flows.ingest.pool import ExtractionPool
from flows.ingest.run import ImportSummary, Progress


@dataclass(frozen=True)
class Launch:
    """How to run an import: `workers` local extraction processes (0: in this process), or a
    Dask cluster at `dask_address`, or a local one of `dask_workers` processes; `prefect` False
    runs the plain functions (no flow run, no artifact, no Dask)."""

    prefect: bool = True
    workers: int = os.cpu_count() or 1
    dask_address: str | None = None
    dask_workers: int | None = None

    @property
    def on_dask(self) -> bool:
        return bool(self.dask_address or self.dask_workers)


def quiet_prefect() -> None:
    """Keep Prefect's own log lines off the terminal and its temporary server from phoning home
    (offline it logs an error every run); only before Prefect is imported, never overriding."""
    os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")


def launch_import(
    paths: Sequence[str],
    db: str | None = None,
    batch_size: int = DEFAULT_BATCH_SIZE,
    reextract: bool = False,
    launch: Launch = Launch(),  # noqa: B008 - frozen, so a safe default
    progress: Progress | None = None,
    pool: ExtractionPool | None = None,
) -> ImportSummary:
    """Import `paths` into the store at `db` as `launch` says, and return the run's summary.

    `pool`: extraction processes that outlive this import (a watcher's), used instead of a
    pool of its own (not on Dask)."""
    if launch.on_dask and not launch.prefect:
        raise ValueError("a Dask cluster is used through Prefect: drop --no-prefect")
    if not launch.prefect:
        from flows.ingest.run import run_import

        return run_import(
            list(paths),
            db,
            batch_size,
            progress=progress,
            reextract=reextract,
            workers=launch.workers,
            pool=pool,
        )
    from flows.ingest import pool as batches

    if pool is None and batches.active_pool() is None and not launch.on_dask and launch.workers:
        # the workers start (and load underthesea) while Prefect starts its server
        own = ExtractionPool(launch.workers)
        own.warm()
        stopped = True
        try:
            summary = launch_import(paths, db, batch_size, reextract, launch, progress, own)
            stopped = False
            return summary
        finally:
            own.close(terminate=stopped)  # a stopped import does not wait for batches in flight
    if pool is not None and not launch.on_dask:
        previous = batches.active_pool()
        batches.set_active_pool(pool)  # the flow's extract tasks use it (see ingest_fn)
        try:
            return launch_import(paths, db, batch_size, reextract, launch, progress)
        finally:
            batches.set_active_pool(previous)
    from flows.ingest.run import ingest, reporting_progress

    flow, workers, in_flight = ingest, launch.workers, None
    if launch.on_dask:
        runner = dask_task_runner(launch.dask_address, launch.dask_workers)
        flow, workers = ingest.with_options(task_runner=runner), 0
        in_flight = 2 * (launch.dask_workers or _cluster_size(launch.dask_address) or 2)
    with reporting_progress(progress or (lambda *_: None)):
        # (a flow run that ends Cancelled, stopped by a signal, raises its ImportInterrupted)
        return flow(  # type: ignore[return-value]
            paths=list(paths),
            db=db,
            batch_size=batch_size,
            reextract=reextract,
            workers=workers,
            in_flight=in_flight,
        )


def dask_task_runner(address: str | None = None, workers: int | None = None) -> Any:
    """A DaskTaskRunner on the cluster at `address`, or on a local cluster of `workers` worker
    processes of one thread each (underthesea is CPU-bound: threads would not help)."""
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
    from distributed import Client

    with Client(address, timeout=30) as client:
        return len(client.scheduler_info().get("workers", {})) or None
