"""Watching a folder: import files as they arrive or change, until stopped.

A polling watcher, not a Prefect deployment. `flow.serve(interval=...)` schedules runs through a
Prefect server, which must be running beside it (a schedule is a server-side object; Prefect's
temporary per-process server is not meant to live for days), and every scheduled run would walk
the whole folder anyway. Here one process polls the folder (a cheap listing with sizes and
modification times), and imports only the files that are new or changed, through the same import
as `baocao ingest` (the Prefect flow by default, so each import is a flow run that a Prefect
server shows when PREFECT_API_URL points at one). A file is imported once it has stayed the same
size and age for one interval, so a file still being copied is not read half-written. Restarting
the watcher is safe: files already stored are recognised by their content and skipped.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from pathlib import Path

from flows import DEFAULT_BATCH_SIZE
from flows.ingest.discover import iter_found
from flows.ingest.launch import Launch, launch_import
from flows.ingest.pool import ExtractionPool
from flows.ingest.run import ImportSummary

Signature = tuple[int, int]  # (size, mtime in ns)


def snapshot(folder: str | Path) -> dict[str, Signature]:
    """Every file `baocao ingest` would import from `folder`, with its size and mtime."""
    found: dict[str, Signature] = {}
    for path in iter_found([folder]):
        if isinstance(path, str):
            try:
                info = os.stat(path)
            except OSError:
                continue  # gone since it was listed
            found[path] = (info.st_size, info.st_mtime_ns)
    return found


class Watcher:
    """The state of a watch: what was imported (by signature) and what is settling."""

    def __init__(self) -> None:
        self.imported: dict[str, Signature] = {}
        self.settling: dict[str, Signature] = {}

    def ready(self, current: dict[str, Signature]) -> list[str]:
        """The files to import now: new or changed, and unchanged since the previous poll."""
        changed = {p: s for p, s in current.items() if self.imported.get(p) != s}
        ready = sorted(p for p, s in changed.items() if self.settling.get(p) == s)
        self.settling = {p: s for p, s in changed.items() if p not in ready}
        return ready

    def done(self, paths: list[str], current: dict[str, Signature]) -> None:
        for path in paths:
            self.imported[path] = current[path]


def watch(
    folder: str | Path,
    db: str | None = None,
    interval: float = 10.0,
    batch_size: int = DEFAULT_BATCH_SIZE,
    launch: Launch = Launch(),  # noqa: B008 - frozen, so a safe default
    *,
    once: bool = False,
    stop: Callable[[], bool] = lambda: False,
    on_import: Callable[[ImportSummary], None] | None = None,
) -> None:
    """Poll `folder` every `interval` seconds and import what arrived, until `stop()` is true
    (or after the first import of what is there, when `once`).

    The extraction processes are started at the first import and kept for the next ones (each
    would cost a couple of seconds to start and warm), then shut down when the watch ends."""
    watcher = Watcher()
    pool = ExtractionPool(launch.workers) if launch.workers > 0 and not launch.on_dask else None
    stopped = True
    try:
        while not stop():
            current = snapshot(folder)
            ready = list(current) if once else watcher.ready(current)
            if ready:
                summary = launch_import(ready, db, batch_size, launch=launch, pool=pool)
                watcher.done(ready, current)
                if on_import:
                    on_import(summary)
            if once:
                break
            deadline = time.monotonic() + interval
            while time.monotonic() < deadline and not stop():
                time.sleep(min(0.2, interval))
        stopped = False
    finally:
        if pool:
            pool.close(terminate=stopped)  # stopped by a signal or an error: no waiting
