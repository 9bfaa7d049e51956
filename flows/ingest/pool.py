"""Extracting batches of files, in this process or in a pool of worker processes.

underthesea and the regular expressions are CPU-bound, so threads do not help: a pool of
processes does the extraction, each worker importing the extractors and loading underthesea's
tagger once (its initializer), and returns each batch's results in one message. This module
imports no Prefect: a worker costs the extractors' memory and nothing more.
"""

from __future__ import annotations

import functools
import gc
import multiprocessing
import os
import pickle
import signal
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import CancelledError, Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from typing import Any, Protocol

from extractors.rows import Extracted, prepare
from schemas.errors import BaocaoError
from schemas.models import Report

Extractor = Callable[[str], Report]


def default_extractor() -> Extractor:
    """`extractors.pipeline.extract` with the OCR mode of $BAOCAO_OCR (auto, always or never;
    default auto), imported when needed (the extractors load underthesea)."""
    # imported here: the extractors load underthesea (a worker's job, not the importing process's)
    from extractors.pipeline import extract

    ocr = os.environ.get("BAOCAO_OCR", "auto")
    return extract if ocr == "auto" else functools.partial(extract, ocr=ocr)


def extract_with(extract: Extractor, paths: Sequence[str]) -> list[Extracted]:
    """Extract each file; a file that fails becomes an error item naming it, never a stop."""
    results: list[Extracted] = []
    for path in paths:
        try:
            results.append(extract(path))
        except Exception as err:  # noqa: BLE001 - any failure is this file's outcome
            results.append(error_item(path, err))
    return results


def error_item(path: str, error: BaseException | str, sha256: str | None = None) -> BaocaoError:
    """The coded error of a file that could not be extracted (E000 for anything unforeseen),
    naming the file; it travels as it is to the store, which records it."""
    if isinstance(error, BaocaoError):
        error.path = error.path or path
        error.sha256 = error.sha256 or sha256
        return error
    if isinstance(error, BaseException):
        error = f"unexpected {type(error).__name__}: {error}"
    return BaocaoError(error, path=path, stage="extract", sha256=sha256)


def _prepared(item: Extracted) -> Extracted:
    if not isinstance(item, Report):
        return item
    try:
        return prepare(item)
    except (ValueError, TypeError) as err:
        return error_item(item.source, f"a fact cannot be stored: {err}", item.sha256)


@dataclass
class ExtractedBatch:
    """One batch's results and how long it took: `seconds` is the extraction itself (in whatever
    process ran it); `waited_from`/`waited_to` (wall-clock) span the wait of whoever asked for
    it, pool messaging included, so that the time around it can be told apart.

    `extras` splits the time further: `rows_busy`, the part of `seconds` spent building rows;
    `pickle_busy`, the worker's time pickling the items to send them; `transfer`, the CPU time
    the importing process spent unpickling them (in the pool's result thread, beside loading).
    """

    items: list[Extracted]
    seconds: float = 0.0
    pid: int = 0
    waited_from: float = 0.0
    waited_to: float = 0.0
    extras: dict[str, float] = field(default_factory=dict)

    def __getstate__(self) -> dict[str, Any]:
        # the items go as one payload of their own, so that both ends can time it
        began = time.perf_counter()
        payload = pickle.dumps(self.items, protocol=pickle.HIGHEST_PROTOCOL)
        extras = {**self.extras, "pickle_busy": time.perf_counter() - began}
        return {**self.__dict__, "items": payload, "extras": extras}

    def __setstate__(self, state: dict[str, Any]) -> None:
        began = time.thread_time()
        items = pickle.loads(state["items"])
        extras = {**state["extras"], "transfer": time.thread_time() - began}
        self.__dict__.update(state, items=items, extras=extras)


def extract_timed(paths: Sequence[str], extract: Extractor | None = None) -> ExtractedBatch:
    """Extract a batch and build its rows (see `rows.prepare`), timing it."""
    began, wall = time.perf_counter(), time.time()
    extracted = extract_with(extract or default_extractor(), paths)
    mark = time.perf_counter()
    items = [_prepared(item) for item in extracted]
    done = time.perf_counter()
    batch = ExtractedBatch(items, done - began, os.getpid(), wall, time.time())
    batch.extras["rows_busy"] = done - mark
    return batch


def warm_worker() -> None:
    """Pool initializer: import the extractors and run the tagger once, so that the first batch
    of every worker does not pay for loading the model (half a second). Ctrl-C reaches the
    whole process group: the importing process stops the workers itself (flows.ingest.interrupt)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    default_extractor()
    # imported here: underthesea's tagger takes half a second to load
    from extractors.text.postag import pos_tag

    pos_tag("Kết nạp 05 đảng viên mới")
    fewer_collections()


def fewer_collections() -> None:
    """Tune the garbage collector for a process that extracts report after report.

    Extraction makes and drops millions of small objects, nearly all freed by reference counting
    alone; at Python's default thresholds the collector still ran about four times per report,
    and every full collection walked each long-lived object (models, caches, modules): 2.8 ms a
    report, 5% of a worker's time. The objects alive once the worker is warm are frozen out of
    collection, and a collection waits for 20,000 new containers instead of 700 (measured: a few
    collections per 200 reports, 0.1 ms a report; memory unchanged)."""
    gc.collect()
    gc.freeze()
    gc.set_threshold(20_000, 20, 20)


class ExtractionPool:
    """A pool of `workers` extraction processes (spawned: the parent may run Prefect's threads,
    which a fork would copy mid-flight). Use as a context manager.

    A worker that dies (a crash in a C extension on one file) breaks the whole pool: the batch is
    then redone file by file in a fresh pool, and the file that kills its worker again becomes
    an error item, not the end of the import.
    """

    def __init__(self, workers: int) -> None:
        if workers < 1:
            raise ValueError("an extraction pool needs at least one worker")
        self.workers = workers
        self._executor: ProcessPoolExecutor | None = None
        self._recovering = threading.Lock()
        self._closed = False

    def __enter__(self) -> ExtractionPool:
        self._start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _start(self) -> ProcessPoolExecutor:
        if self._closed:
            raise RuntimeError("the extraction pool is closed")
        if self._executor is None:
            self._executor = ProcessPoolExecutor(
                max_workers=self.workers,
                mp_context=multiprocessing.get_context("spawn"),
                initializer=warm_worker,
            )
        return self._executor

    def warm(self) -> None:
        """Start every worker now, so that they load underthesea while the caller does something
        else (Prefect starting its server)."""
        executor = self._start()
        for _ in range(self.workers):
            executor.submit(os.getpid)  # a worker is spawned for each task no idle one takes

    def close(self, *, terminate: bool = False) -> None:
        """Shut the workers down, after their batches in progress, or at once (`terminate`: an
        import that was stopped does not wait for batches it will not load)."""
        self._closed = True
        if self._executor is not None:
            if terminate:
                for process in list(getattr(self._executor, "_processes", {}).values()):
                    process.terminate()
            self._executor.shutdown(wait=True, cancel_futures=True)
            self._executor = None

    def submit(self, paths: Sequence[str]) -> Future[ExtractedBatch]:
        """Start extracting a batch; the future's result is its ExtractedBatch."""
        return self._start().submit(extract_timed, list(paths))

    def extract(
        self, paths: Sequence[str], future: Future[ExtractedBatch] | None = None
    ) -> ExtractedBatch:
        """The batch's results (waiting for `future`, or submitting the batch now)."""
        waited_from = time.time()
        try:
            batch = (future or self.submit(paths)).result()
        except (BrokenProcessPool, CancelledError):  # cancelled: another batch's recovery
            if self._closed:  # stopped by its import: the batch will not be loaded
                items: list[Extracted] = [
                    error_item(p, "not extracted: the import was stopped") for p in paths
                ]
                return ExtractedBatch(items, 0.0, 0, waited_from, time.time())
            with self._recovering:
                batch = self._one_by_one(paths)
        batch.waited_from, batch.waited_to = waited_from, time.time()
        return batch

    def _one_by_one(self, paths: Sequence[str]) -> ExtractedBatch:
        items: list[Extracted] = []
        began = time.perf_counter()
        for path in paths:
            try:
                items += self._fresh_submit([path]).result().items
            except BrokenProcessPool:
                items.append(
                    error_item(path, "the extractor crashed on this file (its worker process died)")
                )
                self._restart()
        return ExtractedBatch(items, time.perf_counter() - began, 0)

    def _fresh_submit(self, paths: list[str]) -> Future[ExtractedBatch]:
        try:
            return self._start().submit(extract_timed, paths)
        except BrokenProcessPool:
            self._restart()
            return self._start().submit(extract_timed, paths)

    def _restart(self) -> None:
        if self._executor is not None:
            self._executor.shutdown(wait=False, cancel_futures=True)
            self._executor = None


class Dispatch(Protocol):
    """Where batches are extracted: `submit` starts one, `wait` returns its results."""

    def submit(self, paths: list[str]) -> Any: ...

    def wait(self, handle: Any) -> ExtractedBatch: ...


class InProcess:
    """Extract in this process with `extract`, when waited for."""

    def __init__(self, extract: Callable[[Sequence[str]], list[Extracted]]) -> None:
        self.extract = extract

    def submit(self, paths: list[str]) -> Any:
        return paths

    def wait(self, handle: Any) -> ExtractedBatch:
        began, wall = time.perf_counter(), time.time()
        items = self.extract(handle)
        return ExtractedBatch(items, time.perf_counter() - began, 0, wall, time.time())


class InPool:
    """Extract in a pool of worker processes."""

    def __init__(self, pool: ExtractionPool) -> None:
        self.pool = pool

    def submit(self, paths: list[str]) -> Any:
        return paths, self.pool.submit(paths)

    def wait(self, handle: Any) -> ExtractedBatch:
        paths, future = handle
        return self.pool.extract(paths, future)


def batches_of(found: Iterable[Any], size: int) -> Iterator[tuple[list[str], list[Any]]]:
    """(files, problems) in groups of `size` files, problems travelling with the next batch."""
    files: list[str] = []
    problems: list[Any] = []
    for item in found:
        if isinstance(item, str):
            files.append(item)
            if len(files) == size:
                yield files, problems
                files, problems = [], []
        else:
            problems.append(item)
    if files or problems:
        yield files, problems


def timed(items: Iterator[Any], clock: dict[str, float], key: str) -> Iterator[Any]:
    """`items`, adding the time spent producing each to clock[key] (discovery)."""
    while True:
        mark = time.perf_counter()
        item = next(items, None)
        clock[key] += time.perf_counter() - mark
        if item is None:
            return
        yield item
