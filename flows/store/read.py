"""Read the store back as pandas DataFrames: one frame per kind of fact, each row carrying its
document's file name beside the fact and its provenance."""

from __future__ import annotations

import pandas as pd
from sqlalchemy import ColumnElement, Engine, Select, Table, func, or_, select

from flows.store import KINDS
from schemas import tables as t


def _document_filter(document: str) -> ColumnElement[bool]:
    """A document by its SHA-256 (or a prefix of it), or by its file name."""
    return or_(
        t.documents.c.id.startswith(document.lower(), autoescape=True),
        t.documents.c.file_name == document,
    )


def _fact_statement(table: Table, document: str | None) -> Select:
    columns = [c for c in table.c if c.name != "id"]
    stmt = (
        select(*columns[:1], t.documents.c.file_name, *columns[1:])
        .join_from(table, t.documents, table.c.document_id == t.documents.c.id)
        .order_by(t.documents.c.file_name, table.c.document_id, table.c.start, table.c.id)
    )
    return stmt.where(_document_filter(document)) if document else stmt


def _statement(kind: str, document: str | None, include_text: bool) -> Select:
    if kind in t.FACT_TABLES:
        return _fact_statement(t.FACT_TABLES[kind], document)
    if kind == "documents":
        columns = [c for c in t.documents.c if include_text or c.name != "text"]
        stmt = select(*columns).order_by(t.documents.c.file_name, t.documents.c.id)
        return stmt.where(_document_filter(document)) if document else stmt
    if kind == "outcomes":
        o = t.file_outcomes
        stmt = select(
            o.c.run_id, o.c.at, o.c.path, o.c.status, o.c.error_code, o.c.message, o.c.sha256
        ).order_by(o.c.at, o.c.id)
        if document:
            stmt = stmt.where(
                or_(
                    o.c.sha256.startswith(document.lower(), autoescape=True),
                    o.c.path == document,
                    o.c.path.endswith("/" + document, autoescape=True),
                )
            )
        return stmt
    if kind == "runs":
        if document:
            raise ValueError("the list of runs cannot be filtered by document")
        return select(*t.import_runs.c).order_by(t.import_runs.c.started_at)
    raise ValueError(f"unknown kind {kind!r}; choose one of {', '.join(KINDS)}")


def facts_frame(
    engine: Engine, kind: str, document: str | None = None, *, include_text: bool = False
) -> pd.DataFrame:
    """All rows of one kind, optionally for one document (SHA-256, prefix, or file name).

    Kinds: documents, references, dates, periods, quantities, awards, findings, sections,
    outcomes, runs. Documents come without their full text unless `include_text`.
    Integer columns stay integers even where some rows are NULL (pandas nullable types).
    """
    stmt = _statement(kind, document, include_text)
    with engine.connect() as conn:
        return pd.read_sql(stmt, conn, dtype_backend="numpy_nullable")


def row_counts(engine: Engine) -> dict[str, int]:
    """The number of rows in every table of the store, by table name."""
    with engine.connect() as conn:
        return {
            table.name: int(conn.execute(select(func.count()).select_from(table)).scalar_one())
            for table in t.metadata.sorted_tables
        }
