"""Import files into the store: discover them, extract them in batches, load each batch in one
transaction, and record every file's outcome in the run.

The work is done by plain functions (`discover_files`, `extract_files`, `load_extracted`,
`run_import`) that the CLI calls directly with a progress bar; the Prefect flow `ingest` runs the
same functions as one task per batch (never per file) and publishes a table artifact of the run.
"""

from __future__ import annotations

import hashlib
import os
import stat
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from prefect import flow, get_run_logger, task
from prefect.artifacts import create_table_artifact
from prefect.cache_policies import NO_CACHE
from prefect.utilities.annotations import quote
from sqlalchemy import Engine
from sqlalchemy.exc import OperationalError, SQLAlchemyError

from flows import store
from schemas.models import RULES_VERSION, Report

# Office writes `~$name.docx` beside an open file, LibreOffice `.~lock.name#`; Windows and macOS
# leave thumbnails and folder settings. None of them is a report.
LOCK_PREFIXES = ("~$", ".~lock.")
SYSTEM_FILES = frozenset({"thumbs.db", "desktop.ini", ".ds_store"})

ErrorItem = dict[str, Any]  # {"path", "code", "message", "sha256"}: a file that failed to extract
Extracted = Report | ErrorItem


# ---------------------------------------------------------------------------------------------
# Discovery
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Discovery:
    """The files to import, in a stable order, and the paths that could not be looked into."""

    files: list[str]
    problems: list[store.FileOutcome]


def _ignored(name: str) -> bool:
    return name.startswith(".") or name.startswith(LOCK_PREFIXES) or name.lower() in SYSTEM_FILES


def discover_files(paths: Iterable[str | Path]) -> Discovery:
    """Files named, and files found recursively in folders named, each real file once.

    In folders, hidden entries, Office lock files and system files are skipped. Symbolic links
    are followed, but every folder is entered once by its real path, so links that loop end.
    Unreadable folders, broken links and things that are not regular files (a named pipe would
    block a reader forever) become problems, recorded as errors of the run.
    """
    files: list[str] = []
    problems: list[store.FileOutcome] = []
    seen_files: set[str] = set()
    seen_dirs: set[str] = set()

    def problem(path: str, why: str) -> None:
        problems.append(store.FileOutcome(path, "error", None, "E006", f"{path}: E006 {why}"))

    def add_file(path: str) -> None:
        try:
            info = os.stat(path)
        except OSError as err:
            problem(path, f"cannot be read ({err.strerror or err})")
            return
        if not stat.S_ISREG(info.st_mode):
            problem(path, "is not a regular file (a pipe, device or socket); skipped")
            return
        real = os.path.realpath(path)
        if real not in seen_files:
            seen_files.add(real)
            files.append(path)

    def walk_error(err: OSError) -> None:
        problem(str(err.filename), f"folder cannot be read ({err.strerror or err})")

    for given in map(str, paths):
        if not os.path.isdir(given):
            add_file(given)
            continue
        for folder, dirnames, filenames in os.walk(given, onerror=walk_error, followlinks=True):
            real = os.path.realpath(folder)
            if real in seen_dirs:
                dirnames[:] = []
                continue
            seen_dirs.add(real)
            dirnames[:] = sorted(
                d
                for d in dirnames
                if not _ignored(d) and os.path.realpath(os.path.join(folder, d)) not in seen_dirs
            )
            for name in sorted(filenames):
                if not _ignored(name):
                    add_file(os.path.join(folder, name))
    return Discovery(files, problems)


def file_sha256(path: str) -> str | None:
    """The SHA-256 of a file's bytes, or None when it cannot be read (extraction will say why)."""
    try:
        with open(path, "rb") as fh:
            return hashlib.file_digest(fh, "sha256").hexdigest()
    except OSError:
        return None


# ---------------------------------------------------------------------------------------------
# Extracting and loading one batch
# ---------------------------------------------------------------------------------------------


def _extractor() -> Callable[[str], Report]:
    from extractors.pipeline import extract  # imported when needed: extractors load underthesea

    return extract


def extract_files(paths: Sequence[str]) -> list[Extracted]:
    """Extract each file; a file that fails becomes an error item naming it, never a stop."""
    extract = _extractor()
    results: list[Extracted] = []
    for path in paths:
        try:
            results.append(extract(path))
        except Exception as err:  # noqa: BLE001 - any failure is this file's outcome
            failed = store.error_outcome(path, err)
            results.append(
                {
                    "path": path,
                    "code": failed.error_code,
                    "message": failed.message,
                    "sha256": failed.sha256,
                }
            )
    return results


@dataclass(frozen=True)
class BatchSummary:
    """How one batch went: counts by outcome, facts loaded by kind, and each failure's line."""

    files: int
    ok: int
    skipped: int
    failed: int
    facts: dict[str, int] = field(default_factory=dict)
    failures: list[str] = field(default_factory=list)

    @classmethod
    def of(cls, outcomes: Sequence[store.FileOutcome]) -> BatchSummary:
        status = Counter(o.status for o in outcomes)
        facts: Counter[str] = Counter()
        for o in outcomes:
            facts.update(o.facts)
        return cls(
            files=len(outcomes),
            ok=status["ok"],
            skipped=status["skipped"],
            failed=status["error"],
            facts=dict(facts),
            failures=[o.message or o.path for o in outcomes if o.status == "error"],
        )


def load_extracted(
    engine: Engine,
    run_id: str,
    items: Sequence[Extracted],
    *,
    unchanged: Sequence[store.FileOutcome] = (),
    reextract: bool = False,
) -> BatchSummary:
    """Load one batch in one transaction, with its errors and the files skipped unread.

    If the database refuses one file's rows (a constraint, a value it cannot hold), the batch
    is loaded again file by file so that only that file fails. Lost connections and locks are
    raised: the whole batch is then safe to retry.
    """
    reports = [i for i in items if isinstance(i, Report)]
    others = [store.error_outcome(i["path"], i) for i in items if not isinstance(i, Report)]
    others += unchanged
    try:
        outcomes = store.load_reports(engine, reports, run_id, reextract=reextract, others=others)
    except SQLAlchemyError as err:
        if isinstance(err, OperationalError) or not reports:
            raise
        outcomes = []
        for report in reports:
            try:
                outcomes += store.load_reports(engine, [report], run_id, reextract=reextract)
            except SQLAlchemyError as one_err:
                if isinstance(one_err, OperationalError):
                    raise
                outcomes.append(store.record_error(engine, run_id, report.source, one_err))
        store.record_outcomes(engine, run_id, others)
        outcomes += others
    return BatchSummary.of(outcomes)


def _unchanged(
    engine: Engine, paths: Sequence[str], reextract: bool
) -> tuple[list[str], list[store.FileOutcome]]:
    """Split a batch into files to extract and files already stored under these rules."""
    if reextract:
        return list(paths), []
    hashes = {path: file_sha256(path) for path in paths}
    stored = store.stored_versions(engine, [h for h in hashes.values() if h])
    todo: list[str] = []
    skipped: list[store.FileOutcome] = []
    for path, sha in hashes.items():
        if sha and stored.get(sha) == RULES_VERSION:
            message = f"{path}: already imported (rules {RULES_VERSION})"
            skipped.append(store.FileOutcome(path, "skipped", sha, message=message))
        else:
            todo.append(path)
    return todo, skipped


# ---------------------------------------------------------------------------------------------
# A whole import
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ImportSummary:
    """A finished run: its id, the files by outcome, the facts loaded, and the failures."""

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


# progress(files_done, files_total, batch_just_done_or_None)
Progress = Callable[[int, int, BatchSummary | None], None]
ExtractBatch = Callable[[list[str]], list[Extracted]]
LoadBatch = Callable[..., BatchSummary]


def run_import(
    paths: Sequence[str | Path],
    db: str | None = None,
    batch_size: int = 20,
    progress: Progress | None = None,
    reextract: bool = False,
    *,
    extract_batch: ExtractBatch | None = None,
    load_batch: LoadBatch | None = None,
) -> ImportSummary:
    """Import everything under `paths` into the store at `db` and return the run's summary.

    Files already stored under the current rules are skipped without being read twice, so an
    interrupted import resumes where it stopped. `extract_batch`/`load_batch` default to the
    plain functions; the Prefect flow passes its tasks.
    """
    if batch_size < 1:
        raise ValueError("batch size must be at least 1")
    began = time.perf_counter()
    engine = store.engine_for(db)
    try:
        store.create_schema(engine)
        run_id = store.start_run(engine, [str(p) for p in paths])
        status, total, summaries = "failed", 0, []
        try:
            found = discover_files(paths)
            total = len(found.files) + len(found.problems)
            if progress:
                progress(0, total, None)
            if found.problems:
                store.record_outcomes(engine, run_id, found.problems)
                summaries.append(BatchSummary.of(found.problems))
            done = len(found.problems)
            for batch in (found.files[i : i + batch_size] for i in range(0, total, batch_size)):
                todo, unchanged = _unchanged(engine, batch, reextract)
                items = (extract_batch or extract_files)(todo) if todo else []
                if load_batch:
                    summary = load_batch(
                        db, run_id, quote(items), unchanged=unchanged, reextract=reextract
                    )
                else:
                    summary = load_extracted(
                        engine, run_id, items, unchanged=unchanged, reextract=reextract
                    )
                summaries.append(summary)
                done += len(batch)
                if progress:
                    progress(done, total, summary)
            status = "completed"
        finally:
            store.finish_run(engine, run_id, status=status, files_seen=total)
        facts: Counter[str] = Counter()
        for s in summaries:
            facts.update(s.facts)
        return ImportSummary(
            run_id=run_id,
            database=engine.url.render_as_string(hide_password=True),
            files=total,
            ok=sum(s.ok for s in summaries),
            skipped=sum(s.skipped for s in summaries),
            failed=sum(s.failed for s in summaries),
            facts={kind: facts.get(kind, 0) for kind in store.t.FACT_TABLES},
            failures=[line for s in summaries for line in s.failures],
            batches=summaries,
            seconds=round(time.perf_counter() - began, 3),
        )
    finally:
        engine.dispose()


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


def _database_busy(_task: Any, _task_run: Any, state: Any) -> bool:
    """Retry a load only when the database was locked or the connection lost."""
    try:
        state.result()
    except OperationalError:
        return True
    except Exception:  # noqa: BLE001 - anything else is not worth retrying
        pass
    return False


@task(name="extract-batch", cache_policy=NO_CACHE, persist_result=False)
def extract_batch(paths: list[str]) -> list[Extracted]:
    """Extract a batch of files; every failure is an error item, none stops the batch."""
    results = extract_files(paths)
    failed = sum(1 for r in results if not isinstance(r, Report))
    get_run_logger().info("extracted %d files, %d failed", len(paths) - failed, failed)
    return results


@task(
    name="load-batch",
    cache_policy=NO_CACHE,
    persist_result=False,
    retries=2,
    retry_delay_seconds=2,
    retry_condition_fn=_database_busy,
)
def load_batch(
    db: str | None,
    run_id: str,
    items: list[Extracted],
    unchanged: Sequence[store.FileOutcome] = (),
    reextract: bool = False,
) -> BatchSummary:
    """Load a batch in one transaction; retried only when the database was busy or gone."""
    engine = _engine(db)
    summary = load_extracted(engine, run_id, items, unchanged=unchanged, reextract=reextract)
    logger = get_run_logger()
    logger.info("loaded %d, skipped %d, failed %d", summary.ok, summary.skipped, summary.failed)
    for line in summary.failures:
        logger.info("failed: %s", line)
    return summary


_engines: dict[str | None, Engine] = {}


def _engine(db: str | None) -> Engine:
    """One engine per database for the tasks of this process (a pool per batch would leak)."""
    if db not in _engines:
        _engines[db] = store.engine_for(db)
    return _engines[db]


@flow(name="baocao-ingest")
def ingest(
    paths: list[str], db: str | None = None, batch_size: int = 20, reextract: bool = False
) -> ImportSummary:
    """Import report files and folders into the baocao store; errors are recorded, not raised."""
    try:
        summary = run_import(
            paths,
            db,
            batch_size,
            progress=_progress.get(),
            reextract=reextract,
            extract_batch=extract_batch,
            load_batch=load_batch,
        )
    finally:
        while _engines:
            _engines.popitem()[1].dispose()
    create_table_artifact(
        key="baocao-import",
        table=_artifact_rows(summary),
        description=f"Import run `{summary.run_id}` into {summary.database}: "
        f"{summary.files} files, {summary.ok} loaded, {summary.skipped} skipped, {summary.failed} "
        "failed.",
    )
    return summary


def _artifact_rows(summary: ImportSummary) -> list[dict[str, Any]]:
    def row(name: str, s: BatchSummary | ImportSummary) -> dict[str, Any]:
        counts = {k: getattr(s, k) for k in ("files", "ok", "skipped", "failed")}
        return {"batch": name, **counts, **{k: s.facts.get(k, 0) for k in store.t.FACT_TABLES}}

    rows = [row(str(i + 1), b) for i, b in enumerate(summary.batches)]
    return [*rows, row("total", summary)]
