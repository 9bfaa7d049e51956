"""Loading extracted batches into the store, in the importing process: one transaction per batch,
with the outcome of every file, and the check that skips files already stored unread.

A document is keyed by the SHA-256 of its bytes. Loading a batch is one transaction: a document
already stored with the same rules version is skipped; one stored with other rules (or any, when
re-extracting) has its facts deleted and replaced, and each document written is given its
organisation (flows/store/organisations.py). Every file's outcome is recorded beside its run.
Dialect-neutral SQLAlchemy Core: SQLite by default, PostgreSQL for shared use (COPY there).
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, Engine, Table, delete, insert, select
from sqlalchemy.exc import DBAPIError, OperationalError, SQLAlchemyError

from extractors.readers import file_sha256
from extractors.rows import (
    COLUMNS,
    DOCUMENT_COLUMNS,
    Extracted,
    PreparedReport,
    document_row,
    fact_rows,
    prepared_from_rows,
)
from flows.store.engine import write_transaction
from flows.store.organisations import assign_organisations
from flows.store.runs import (
    FileOutcome,
    error_outcome,
    one_line,
    outcome_row,
    record_error,
    record_outcomes,
)
from schemas import tables as t
from schemas.errors import BaocaoError
from schemas.models import RULES_VERSION, Report


@dataclass(frozen=True)
class BatchSummary:
    """How one batch went: counts by outcome, facts loaded by kind, each failure's line, and the
    seconds spent loading it."""

    files: int
    ok: int
    skipped: int
    failed: int
    facts: dict[str, int] = field(default_factory=dict)
    failures: list[str] = field(default_factory=list)
    seconds: float = 0.0

    @classmethod
    def of(cls, outcomes: Sequence[FileOutcome], seconds: float = 0.0) -> BatchSummary:
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
            seconds=seconds,
        )


def load_extracted(
    engine: Engine,
    run_id: str,
    items: Sequence[Extracted],
    *,
    unchanged: Sequence[FileOutcome] = (),
    reextract: bool = False,
) -> BatchSummary:
    """Load one batch in one transaction, with its errors and the files skipped unread.

    If the database refuses one file's rows (a constraint, a value it cannot hold), the batch
    is loaded again file by file so that only that file fails. Lost connections and locks are
    raised: the whole batch is then safe to retry.
    """
    began = time.perf_counter()
    reports = [i for i in items if not isinstance(i, BaocaoError)]
    others = [error_outcome(i.path or "?", i) for i in items if isinstance(i, BaocaoError)]
    others += unchanged
    try:
        outcomes = load_reports(engine, reports, run_id, reextract=reextract, others=others)
    except SQLAlchemyError as err:
        if isinstance(err, OperationalError) or not reports:
            raise
        outcomes = []
        for report in reports:
            try:
                outcomes += load_reports(engine, [report], run_id, reextract=reextract)
            except SQLAlchemyError as one_err:
                if isinstance(one_err, OperationalError):
                    raise
                outcomes.append(record_error(engine, run_id, report.source, one_err))
        record_outcomes(engine, run_id, others)
        outcomes += others
    return BatchSummary.of(outcomes, time.perf_counter() - began)


def load_with_retries(
    engine: Engine,
    run_id: str,
    items: Sequence[Extracted],
    *,
    unchanged: Sequence[FileOutcome] = (),
    reextract: bool = False,
    retries: int = 2,
    delay: float = 2.0,
) -> BatchSummary:
    """`load_extracted`, tried again after `delay` seconds when the database was locked or the
    connection lost (OperationalError): the batch's transaction was then rolled back whole, so
    loading it again loses and duplicates nothing. Any other error is not retried."""
    for attempt in range(retries + 1):
        try:
            return load_extracted(engine, run_id, items, unchanged=unchanged, reextract=reextract)
        except OperationalError:
            if attempt == retries:
                raise
            time.sleep(delay)
    raise AssertionError("unreachable")  # pragma: no cover


def split_unchanged(
    engine: Engine, paths: Sequence[str], reextract: bool
) -> tuple[list[str], list[FileOutcome]]:
    """Split a batch into files to extract and files already stored under these rules."""
    if reextract:
        return list(paths), []
    hashes = {path: file_sha256(path) for path in paths}
    stored = stored_versions(engine, [h for h in hashes.values() if h])
    todo: list[str] = []
    skipped: list[FileOutcome] = []
    for path, sha in hashes.items():
        if sha and stored.get(sha) == RULES_VERSION:
            message = f"{path}: already imported (rules {RULES_VERSION})"
            skipped.append(FileOutcome(path, "skipped", sha, message=message))
        else:
            todo.append(path)
    return todo, skipped


# ---------------------------------------------------------------------------------------------
# One transaction
# ---------------------------------------------------------------------------------------------


def load_reports(
    engine: Engine,
    reports: Sequence[Report | PreparedReport],
    run_id: str,
    *,
    reextract: bool = False,
    others: Sequence[FileOutcome] = (),
) -> list[FileOutcome]:
    """Load a batch of reports in ONE transaction and record every file's outcome.

    Idempotent by content hash: a document stored with the same rules version is skipped
    (unless `reextract`); otherwise its facts are deleted and replaced. `others` are outcomes
    decided before loading (files that failed, files skipped unread) to record in the same
    transaction. If anything fails, nothing of the batch is kept.
    """
    now = datetime.now(UTC)
    # Rows are built before the transaction: a fact that the column types cannot hold (a date
    # that is no date) fails its own file, not the batch.
    planned: list[FileOutcome | PreparedReport] = []
    for report in reports:
        if isinstance(report, PreparedReport):  # rows built by the worker that extracted it
            planned.append(report)
            continue
        try:
            planned.append(prepared_from_rows(report, document_row(report, now), fact_rows(report)))
        except (ValueError, TypeError) as err:
            message = one_line(f"{report.source}: E000 a fact cannot be stored: {err}")
            planned.append(FileOutcome(report.source, "error", report.sha256, "E000", message))
    # Rows are locked in the order of their keys, in every transaction: two imports writing the
    # same documents at once then wait for each other instead of deadlocking. (Outcomes keep
    # the order of the files.)
    order = sorted(range(len(planned)), key=lambda i: _key_of(planned[i]))
    outcomes: list[FileOutcome | None] = [None] * len(planned)
    with write_transaction(engine) as conn:
        keys = [_key_of(planned[i]) for i in order if not isinstance(planned[i], FileOutcome)]
        stored = _stored_for_update(conn, keys)
        writes = _Writes()
        loaded: dict[str, str] = {}
        for i in order:
            item = planned[i]
            if isinstance(item, FileOutcome):
                outcomes[i] = item
            else:
                outcomes[i] = _load_one(
                    item,
                    stored.get(item.sha256),
                    reextract=reextract,
                    loaded=loaded,
                    writes=writes,
                )
        meanwhile = writes.apply(conn, now)
        done = [_skipped_meanwhile(o) if _lost(o, meanwhile) else o for o in outcomes if o]
        done += others
        if done:
            conn.execute(insert(t.file_outcomes), [outcome_row(run_id, o, now) for o in done])
    return done


def _key_of(item: FileOutcome | PreparedReport) -> str:
    return item.sha256 or ""


def _lost(outcome: FileOutcome, meanwhile: set[str]) -> bool:
    """Whether this document was to be loaded but another import inserted it first."""
    return outcome.status == "ok" and outcome.sha256 in meanwhile


def _skipped_meanwhile(outcome: FileOutcome) -> FileOutcome:
    message = f"{outcome.path}: imported meanwhile by another run"
    return FileOutcome(outcome.path, "skipped", outcome.sha256, message=message)


def _stored_for_update(conn: Connection, keys: Sequence[str]) -> dict[str, Any]:
    """The stored rules version and source of these documents, locked. FOR UPDATE (PostgreSQL;
    SQLite's write lock covers it), in key order: a document being replaced by another import is
    read after that import commits, never replaced twice with both sets of facts kept."""
    found: dict[str, Any] = {}
    for i in range(0, len(keys), 500):
        stmt = (
            select(t.documents.c.id, t.documents.c.rules_version, t.documents.c.source)
            .where(t.documents.c.id.in_(keys[i : i + 500]))
            .order_by(t.documents.c.id)
            .with_for_update()
        )
        found.update({row.id: row for row in conn.execute(stmt)})
    return found


def _load_one(
    rows: PreparedReport,
    stored: Any,
    *,
    reextract: bool,
    loaded: dict[str, str],
    writes: _Writes,
) -> FileOutcome:
    """Decide what becomes of one document (`stored`: its row as locked, or None) and add its
    rows to `writes`, which the caller applies in the same transaction."""
    sha, source = rows.sha256, rows.source
    if sha in loaded:  # a copy of a file earlier in this batch
        return FileOutcome(
            source, "skipped", sha, message=f"{source}: same content as {loaded[sha]}"
        )
    loaded[sha] = source
    if stored is not None and stored.rules_version == rows.rules_version and not reextract:
        return FileOutcome(
            source,
            "skipped",
            sha,
            message=f"{source}: already imported (rules {stored.rules_version}) as {stored.source}",
        )
    if stored is None:
        writes.new.append(rows)
        message = f"{source}: loaded"
    else:
        writes.replaced.append(rows)
        message = f"{source}: replaced facts of rules {stored.rules_version}"
    facts = {kind: len(r) for kind, r in rows.facts.items()}
    return FileOutcome(source, "ok", sha, message=message, facts=facts)


@dataclass
class _Writes:
    """A batch's documents to insert and to replace, written together: a few statements per
    batch, not per document (per document, the statements' overhead costs more than the rows)."""

    new: list[PreparedReport] = field(default_factory=list)
    replaced: list[PreparedReport] = field(default_factory=list)

    def apply(self, conn: Connection, imported_at: datetime) -> set[str]:
        """Write everything; returns the keys of the new documents that another import inserted
        since this transaction looked (PostgreSQL waits for it to commit), left to it."""
        stamp = _bind(conn, t.documents.c.imported_at, imported_at)
        meanwhile = _insert_documents(conn, [(*r.document, stamp) for r in self.new])
        if self.replaced:
            ids = [r.sha256 for r in self.replaced]
            for table in t.FACT_TABLES.values():
                conn.execute(delete(table).where(table.c.document_id.in_(ids)))
            columns = [*DOCUMENT_COLUMNS[1:], "imported_at"]
            assign = ", ".join(f"{_quote(conn, c)} = {_mark(conn)}" for c in columns)
            conn.exec_driver_sql(
                f"UPDATE {_quote(conn, 'documents')} SET {assign} WHERE id = {_mark(conn)}",
                [(*r.document[1:], stamp, r.sha256) for r in self.replaced],
            )
        written = [r for r in self.new if r.sha256 not in meanwhile] + self.replaced
        for kind, table in t.FACT_TABLES.items():
            rows = [row for r in written for row in r.facts[kind]]
            if rows:  # (a table of a kind no document has may not exist yet in an old schema)
                insert_rows(conn, table, COLUMNS[kind], rows)
        assign_organisations(conn, [r.sha256 for r in written])
        return meanwhile


def _insert_documents(conn: Connection, rows: list[tuple[Any, ...]]) -> set[str]:
    """Insert new document rows; the keys of those another import inserted meanwhile."""
    if not rows:
        return set()
    columns = (*DOCUMENT_COLUMNS, "imported_at")
    if conn.dialect.name != "postgresql":
        # SQLite: the write lock was held since the rows were looked for
        insert_rows(conn, t.documents, columns, rows)
        return set()
    names = ", ".join(_quote(conn, c) for c in columns)
    values = "(" + ", ".join(["%s"] * len(columns)) + ")"
    inserted: set[str] = set()
    for i in range(0, len(rows), 1000):  # (at most 65,535 parameters a statement)
        chunk = rows[i : i + 1000]
        sql = (
            f"INSERT INTO documents ({names}) VALUES {', '.join([values] * len(chunk))} "
            "ON CONFLICT (id) DO NOTHING RETURNING id"
        )
        params = tuple(v for row in chunk for v in row)
        inserted.update(conn.exec_driver_sql(sql, params).scalars())
    return {row[0] for row in rows} - inserted


def insert_rows(
    conn: Connection, table: Table, columns: Sequence[str], rows: Sequence[tuple[Any, ...]]
) -> None:
    """Insert rows given as tuples in the order of `columns`, in one statement through the
    driver: SQLAlchemy compiles nothing and converts nothing per row, so the values must be what
    the driver takes (rows.py builds them so: dates as ISO text)."""
    if conn.dialect.name == "postgresql":
        _copy_rows(conn, table, columns, rows)
        return
    names = ", ".join(_quote(conn, c) for c in columns)
    marks = ", ".join([_mark(conn)] * len(columns))
    conn.exec_driver_sql(f"INSERT INTO {_quote(conn, table.name)} ({names}) VALUES ({marks})", rows)


def _copy_rows(
    conn: Connection, table: Table, columns: Sequence[str], rows: Sequence[tuple[Any, ...]]
) -> None:
    names = ", ".join(_quote(conn, c) for c in columns)
    sql = f"COPY {_quote(conn, table.name)} ({names}) FROM STDIN"
    dbapi = conn.connection.driver_connection
    assert dbapi is not None
    try:
        with dbapi.cursor() as cursor, cursor.copy(sql) as copy:
            for row in rows:
                copy.write_row(row)
    except conn.dialect.loaded_dbapi.Error as err:
        # as SQLAlchemy would raise it: IntegrityError, OperationalError, ...
        raise DBAPIError.instance(sql, None, err, conn.dialect.loaded_dbapi.Error) from err


def _quote(conn: Connection, name: str) -> str:
    return conn.dialect.identifier_preparer.quote(name)


def _mark(conn: Connection) -> str:
    return "?" if conn.dialect.paramstyle == "qmark" else "%s"


def _bind(conn: Connection, column: Any, value: Any) -> Any:
    """`value` as SQLAlchemy would bind it to `column` (SQLite keeps a datetime as text)."""
    process = column.type.dialect_impl(conn.dialect).bind_processor(conn.dialect)
    return process(value) if process else value


def stored_versions(engine: Engine, sha256s: Sequence[str]) -> dict[str, str]:
    """The rules version of each of these documents that is already stored."""
    found: dict[str, str] = {}
    with engine.connect() as conn:
        for i in range(0, len(sha256s), 500):
            chunk = list(sha256s[i : i + 500])
            stmt = select(t.documents.c.id, t.documents.c.rules_version).where(
                t.documents.c.id.in_(chunk)
            )
            found.update({row.id: row.rules_version for row in conn.execute(stmt)})
    return found
