"""The store: an engine from a URL, the schema, and idempotent loading of extracted reports.

A document is keyed by the SHA-256 of its bytes. Loading a batch is one transaction: a document
already stored with the same rules version is skipped; one stored with other rules (or any, when
re-extracting) has its facts deleted and replaced. Every file's outcome is recorded beside its run.
Dialect-neutral SQLAlchemy Core: SQLite by default, PostgreSQL for shared use.
"""

from __future__ import annotations

import json
import os
import re
import unicodedata
import uuid
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
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
from schemas import tables as t
from schemas.models import RULES_VERSION, Fact, Report

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
def _writing(engine: Engine) -> Iterator[Connection]:
    """One write transaction: committed on success, rolled back whole on any exception."""
    with engine.connect() as conn:
        conn.execution_options(baocao_write=True)
        with conn.begin():
            yield conn


def create_schema(engine: Engine) -> None:
    """Create the tables and indexes that do not exist yet."""
    t.metadata.create_all(engine)


# ---------------------------------------------------------------------------------------------
# Rows from a Report
# ---------------------------------------------------------------------------------------------


def identifier_key(identifier: str) -> str:
    """The matching key of a cited identifier: `01- KL/TW` and `1-KL/TW` give `1-KL/TW`."""
    key = unicodedata.normalize("NFC", identifier).replace("Ð", "Đ").replace("ð", "đ")
    key = re.sub(r"[\u2010-\u2015]", "-", key)
    key = re.sub(r"\s+", "", key).upper()
    return re.sub(r"^0+(?=\d)", "", key)


def _iso(value: str | None) -> date | None:
    return None if value is None else date.fromisoformat(value)


def _clean(row: dict[str, Any]) -> dict[str, Any]:
    # PostgreSQL text cannot hold NUL; replacing it by one other character keeps every offset.
    return {k: v.replace("\x00", "\ufffd") if isinstance(v, str) else v for k, v in row.items()}


def _provenance(fact: Fact, report: Report) -> dict[str, Any]:
    sentence = None
    if fact.sentence is not None and 0 <= fact.sentence < len(report.sentences):
        span = report.sentences[fact.sentence]
        sentence = report.text[span.start : span.end]
    return {
        "text": fact.text,
        "start": fact.start,
        "end": fact.end,
        "rule": fact.rule,
        "section": fact.section,
        "sentence_index": fact.sentence,
        "sentence": sentence,
        "block": fact.block,
        "table_index": fact.table,
        "row_index": fact.row,
        "column_index": fact.column,
        "confidence": fact.confidence,
    }


def document_row(report: Report, imported_at: datetime) -> dict[str, Any]:
    """The `documents` row of a report."""
    h, period = report.header, report.header.period
    row = {
        **report.model_dump(include={"source", "format", "size", "text", "rules_version"}),
        **h.model_dump(include={"doc_type", "title", "issuer", "identifier", "place"}),
        "id": report.sha256,
        "file_name": Path(report.source).name,
        "date": _iso(h.date),
        "period_key": period.key if period else None,
        "period_start": _iso(period.start) if period else None,
        "period_end": _iso(period.end) if period else None,
        "period_label": period.label if period else None,
        "imported_at": imported_at,
    }
    return _clean(row)


_PROVENANCE_FIELDS: set[str] = set(Fact.model_fields)


def _fact_row(table: Table, fact: Fact, report: Report, **values: Any) -> dict[str, Any]:
    """A fact's own fields (as the model names them, `values` overriding) and its provenance,
    kept to the columns the table has."""
    row = {"document_id": report.sha256, **fact.model_dump(exclude=_PROVENANCE_FIELDS)}
    row.update(values, **_provenance(fact, report))
    return _clean({k: v for k, v in row.items() if k in table.c})


def fact_rows(report: Report) -> dict[str, list[dict[str, Any]]]:
    """The rows of every fact table for one report, keyed like `tables.FACT_TABLES`."""
    sections = [
        _clean({"document_id": report.sha256, **s.model_dump(include=set(t.sections.c.keys()))})
        for s in report.sections
    ]
    references = [
        _fact_row(
            t.cited_documents,
            r,
            report,
            date=_iso(r.date),
            identifier_key=identifier_key(r.identifier),
        )
        for r in report.references
    ]
    periods = [
        _fact_row(
            t.periods,
            p,
            report,
            period_key=p.period.key,
            label=p.period.label,
            period_start=_iso(p.period.start),
            period_end=_iso(p.period.end),
            kind=p.period.kind,
        )
        for p in report.periods
    ]
    return {
        "sections": sections,
        "references": references,
        "dates": [_fact_row(t.dates, d, report, value=_iso(d.value)) for d in report.dates],
        "periods": periods,
        "quantities": [_fact_row(t.quantities, q, report) for q in report.quantities],
        "awards": [_fact_row(t.awards, a, report) for a in report.awards],
        "findings": [_fact_row(t.findings, f, report) for f in report.findings],
    }


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
    reports: Sequence[Report],
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
    planned: list[FileOutcome | tuple[Report, dict[str, Any], dict[str, list]]] = []
    for report in reports:
        try:
            planned.append((report, document_row(report, now), fact_rows(report)))
        except (ValueError, TypeError) as err:
            message = _one_line(f"{report.source}: E000 a fact cannot be stored: {err}")
            planned.append(FileOutcome(report.source, "error", report.sha256, "E000", message))
    outcomes: list[FileOutcome] = []
    with _writing(engine) as conn:
        loaded: dict[str, str] = {}
        for item in planned:
            if isinstance(item, FileOutcome):
                outcomes.append(item)
            else:
                outcomes.append(_load_one(conn, *item, reextract=reextract, loaded=loaded))
        outcomes.extend(others)
        if outcomes:
            conn.execute(insert(t.file_outcomes), [_outcome_row(run_id, o, now) for o in outcomes])
    return outcomes


def _load_one(
    conn: Connection,
    report: Report,
    doc_row: dict[str, Any],
    rows: dict[str, list[dict[str, Any]]],
    *,
    reextract: bool,
    loaded: dict[str, str],
) -> FileOutcome:
    sha = report.sha256
    if sha in loaded:  # a copy of a file earlier in this batch
        return FileOutcome(
            report.source, "skipped", sha, message=f"{report.source}: same content as {loaded[sha]}"
        )
    loaded[sha] = report.source
    stored = conn.execute(
        select(t.documents.c.rules_version, t.documents.c.source).where(t.documents.c.id == sha)
    ).first()
    if stored is not None and stored.rules_version == report.rules_version and not reextract:
        return FileOutcome(
            report.source,
            "skipped",
            sha,
            message=f"{report.source}: already imported (rules "
            f"{stored.rules_version}) as {stored.source}",
        )
    if stored is None:
        conn.execute(insert(t.documents), doc_row)
        message = f"{report.source}: loaded"
    else:
        for table in t.FACT_TABLES.values():
            conn.execute(delete(table).where(table.c.document_id == sha))
        values = {k: v for k, v in doc_row.items() if k != "id"}
        conn.execute(update(t.documents).where(t.documents.c.id == sha).values(**values))
        message = f"{report.source}: replaced facts of rules {stored.rules_version}"
    for kind, table in t.FACT_TABLES.items():
        if rows[kind]:
            conn.execute(insert(table), rows[kind])
    return FileOutcome(
        report.source, "ok", sha, message=message, facts={kind: len(r) for kind, r in rows.items()}
    )


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
    with _writing(engine) as conn:
        conn.execute(insert(t.file_outcomes), [_outcome_row(run_id, o, now) for o in outcomes])


# ---------------------------------------------------------------------------------------------
# Runs
# ---------------------------------------------------------------------------------------------


def start_run(engine: Engine, paths: Sequence[str], rules_version: str = RULES_VERSION) -> str:
    """Open an import run and return its id."""
    run_id = uuid.uuid4().hex
    with _writing(engine) as conn:
        conn.execute(
            insert(t.import_runs),
            {
                "id": run_id,
                "started_at": datetime.now(UTC),
                "paths": json.dumps([str(p) for p in paths], ensure_ascii=False),
                "rules_version": rules_version,
                "status": "running",
            },
        )
    return run_id


def finish_run(
    engine: Engine, run_id: str, status: str = "completed", files_seen: int | None = None
) -> dict[str, int]:
    """Close a run with its counts, taken from its recorded outcomes; returns them."""
    with _writing(engine) as conn:
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
            .values(finished_at=datetime.now(UTC), status=status, **counts)
        )
    return counts
