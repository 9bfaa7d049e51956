"""The store: an engine from a URL, the schema, and idempotent loading of extracted reports.

A document is keyed by the SHA-256 of its bytes. Loading a batch is one transaction: a document
already stored with the same rules version is skipped; one stored with other rules (or any, when
re-extracting) has its facts deleted and replaced. Every file's outcome is recorded beside its run.
Dialect-neutral SQLAlchemy Core: SQLite by default, PostgreSQL for shared use.
"""

from __future__ import annotations

import json
import os
import uuid
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal

from sqlalchemy import (
    Connection,
    Engine,
    Table,
    create_engine,
    delete,
    event,
    func,
    insert,
    select,
    update,
)
from sqlalchemy.exc import DBAPIError

from extractors.errors import BaocaoError
from extractors.export import error_record
from flows.rows import (  # noqa: F401 (identifier_key: re-exported)
    COLUMNS,
    DOCUMENT_COLUMNS,
    PreparedReport,
    _clean,
    document_row,
    fact_rows,
    identifier_key,
    prepared_from_rows,
)
from schemas import tables as t
from schemas.models import RULES_VERSION, Report

OutcomeStatus = Literal["ok", "skipped", "error"]


@dataclass(frozen=True)
class FileOutcome:
    """What happened to one file in one run; `message` is one line and names the file."""

    path: str
    status: OutcomeStatus
    sha256: str | None = None
    error_code: str | None = None
    message: str | None = None
    facts: Mapping[str, int] = field(default_factory=dict)


# ---------------------------------------------------------------------------------------------
# Engine and schema
# ---------------------------------------------------------------------------------------------


def engine_for(url: str | None = None) -> Engine:
    """An engine for `url`, else the BAOCAO_DB environment variable, else `./baocao.db` (SQLite).

    A value without `://` is taken as the path of an SQLite file. SQLite runs in WAL mode (readers
    go on while an import writes) with foreign keys enforced.
    """
    url = url or os.environ.get("BAOCAO_DB") or "baocao.db"
    if "://" not in url:
        url = "sqlite:///" + str(Path(url).expanduser().resolve())
    engine = create_engine(url)
    if engine.dialect.name == "sqlite":
        _configure_sqlite(engine)
    return engine


def _configure_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Take transaction control away from the sqlite3 module, whose implicit BEGIN comes only
        # before the first write: our select-then-insert must run inside one transaction.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Connection) -> None:
        # Writers take the write lock up front, so two imports queue instead of deadlocking
        # on a lock upgrade; readers stay deferred and never block.
        writes = connection.get_execution_options().get("baocao_write", False)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if writes else "BEGIN")


@contextmanager
def write_transaction(engine: Engine) -> Iterator[Connection]:
    """One write transaction: committed on success, rolled back whole on any exception."""
    with engine.connect() as conn:
        conn.execution_options(baocao_write=True)
        with conn.begin():
            yield conn


def create_schema(engine: Engine) -> None:
    """Bring the database to the latest schema: create it, adopt one made before migrations, or
    apply the migrations it lacks (flows/migrations); a no-op costing one query when current."""
    from flows.migrations import upgrade

    upgrade(engine)


# ---------------------------------------------------------------------------------------------
# Loading
# ---------------------------------------------------------------------------------------------


def _one_line(text: str, limit: int = 400) -> str:
    line = " ".join(text.split())
    return line if len(line) <= limit else line[: limit - 1] + "…"


def error_outcome(path: str, error: BaseException | Mapping[str, Any] | str) -> FileOutcome:
    """The `error` outcome of a file, from an exception, an error dict or a message."""
    if isinstance(error, Mapping):
        code = str(error.get("code") or "E000")
        message = str(error.get("message") or error.get("error") or "unknown error")
        sha256 = error.get("sha256")
    elif isinstance(error, BaocaoError):
        code, sha256 = error.code, error.sha256
        message = error.one_line() if error.path else f"{path}: {error.code} {error.message}"
    elif isinstance(error, DBAPIError):
        # str() of an SQLAlchemy error carries the statement and every parameter: too long.
        code, sha256 = "E000", None
        message = f"{path}: E000 the database refused this file's rows: {error.orig}"
    elif isinstance(error, BaseException):
        code, sha256 = "E000", None
        message = str(error_record(path, error)["document"]["error"])
    else:
        code, sha256, message = "E000", None, f"{path}: E000 {error}"
    if path not in message:
        message = f"{path}: {message}"
    return FileOutcome(
        path=path, status="error", sha256=sha256, error_code=code, message=_one_line(message)
    )


def _outcome_row(run_id: str, outcome: FileOutcome, at: datetime) -> dict[str, Any]:
    return _clean(
        {
            "run_id": run_id,
            "path": outcome.path,
            "sha256": outcome.sha256,
            "status": outcome.status,
            "error_code": outcome.error_code,
            "message": outcome.message,
            "at": at,
        }
    )


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
            message = _one_line(f"{report.source}: E000 a fact cannot be stored: {err}")
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
            conn.execute(insert(t.file_outcomes), [_outcome_row(run_id, o, now) for o in done])
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


def record_error(
    engine: Engine, run_id: str, path: str, error: BaseException | Mapping[str, Any] | str
) -> FileOutcome:
    """Record that `path` failed in this run; returns the outcome."""
    outcome = error_outcome(path, error)
    record_outcomes(engine, run_id, [outcome])
    return outcome


def record_outcomes(engine: Engine, run_id: str, outcomes: Sequence[FileOutcome]) -> None:
    """Record outcomes decided without loading anything (errors, skips), in one transaction."""
    if not outcomes:
        return
    now = datetime.now(UTC)
    with write_transaction(engine) as conn:
        conn.execute(insert(t.file_outcomes), [_outcome_row(run_id, o, now) for o in outcomes])


# ---------------------------------------------------------------------------------------------
# Runs
# ---------------------------------------------------------------------------------------------


def start_run(engine: Engine, paths: Sequence[str], rules_version: str = RULES_VERSION) -> str:
    """Open an import run owned by this process (see flows.runs) and return its id."""
    from flows.runs import this_process

    run_id = uuid.uuid4().hex
    with write_transaction(engine) as conn:
        conn.execute(
            insert(t.import_runs),
            {
                "id": run_id,
                "started_at": datetime.now(UTC),
                "paths": json.dumps([str(p) for p in paths], ensure_ascii=False),
                "rules_version": rules_version,
                "status": "running",
                **this_process().row(),
            },
        )
    return run_id


def finish_run(
    engine: Engine,
    run_id: str,
    status: str = "completed",
    files_seen: int | None = None,
    *,
    finished: bool = True,
) -> dict[str, int]:
    """Close a run with its counts, taken from its recorded outcomes; returns them. With
    `finished` False its finish time is left unknown (a run whose process was found gone)."""
    with write_transaction(engine) as conn:
        stmt = (
            select(t.file_outcomes.c.status, func.count())
            .where(t.file_outcomes.c.run_id == run_id)
            .group_by(t.file_outcomes.c.status)
        )
        by_status = {row[0]: int(row[1]) for row in conn.execute(stmt)}
        counts = {
            "files_ok": by_status.get("ok", 0),
            "files_skipped": by_status.get("skipped", 0),
            "files_failed": by_status.get("error", 0),
        }
        counts["files_seen"] = files_seen if files_seen is not None else sum(by_status.values())
        conn.execute(
            update(t.import_runs)
            .where(t.import_runs.c.id == run_id)
            .values(finished_at=datetime.now(UTC) if finished else None, status=status, **counts)
        )
    return counts
