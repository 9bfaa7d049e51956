"""Read the store back as pandas DataFrames: one frame per kind of fact, each row carrying its
document's file name beside the fact and its provenance.

`corrected_facts` is what every front end shows (the CLI's `facts`, the pandas API, the web app,
comparison): the stored facts with people's corrections applied and the review columns beside
them. `facts_frame` is the rows as extracted. `correction_log` tells what became of each
correction after re-extraction."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pandas as pd
from sqlalchemy import ColumnElement, Engine, Select, Table, func, or_, select

from extractors.corrections import REVIEW_COLUMNS, Review, apply_corrections
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


# ---------------------------------------------------------------------------------------------
# With people's corrections
# ---------------------------------------------------------------------------------------------


def _fact_frame(
    engine: Engine, kind: str, document: str | None, only: Sequence[str] | None = None
) -> pd.DataFrame:
    """The facts of one kind as `facts_frame` gives them, with the row id in front (`only`:
    of these documents only)."""
    table, d = t.FACT_TABLES[kind], t.documents
    columns = [c for c in table.c if c.name not in ("id", "document_id")]
    stmt = (
        select(table.c.id, table.c.document_id, d.c.file_name, *columns)
        .join_from(table, d, table.c.document_id == d.c.id)
        .order_by(d.c.file_name, table.c.document_id, table.c.start, table.c.id)
    )
    if document:
        stmt = stmt.where(_document_filter(document))
    if only is not None:
        stmt = stmt.where(table.c.document_id.in_(list(only)))
    with engine.connect() as conn:
        return pd.read_sql(stmt, conn, dtype_backend="numpy_nullable")


def _corrections(
    engine: Engine, kind: str, document: str | None
) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """The corrections of one kind, oldest first, and the documents they concern by id."""
    c, d = t.corrections, t.documents
    stmt = (
        select(c, d.c.file_name)
        .join_from(c, d, c.c.document_id == d.c.id)
        .where(c.c.kind == kind)
        .order_by(c.c.created_at, c.c.id)
    )
    if document:
        stmt = stmt.where(_document_filter(document))
    with engine.connect() as conn:
        corrections = [dict(row._mapping) for row in conn.execute(stmt)]
        ids = sorted({c["document_id"] for c in corrections})
        texts = select(d.c.id, d.c.file_name, d.c.text).where(d.c.id.in_(ids))
        documents = {row.id: row for row in conn.execute(texts)} if ids else {}
    return corrections, documents


def _reviewed(
    engine: Engine, kind: str, document: str | None, *, corrected_only: bool = False
) -> tuple[pd.DataFrame, list[dict[str, Any]], list[Review]]:
    """The facts of a kind with ids and corrections applied (rejected ones included), the
    corrections of that kind, and what became of each (`corrected_only`: only the facts of
    documents that have corrections)."""
    corrections, documents = _corrections(engine, kind, document)
    frame = _fact_frame(engine, kind, document, list(documents) if corrected_only else None)
    if not corrections:
        return _review_types(frame.assign(**dict.fromkeys(REVIEW_COLUMNS, pd.NA))), [], []
    records = frame.astype(object).where(frame.notna(), None).to_dict(orient="records")
    by_document: dict[str, list[dict[str, Any]]] = {}
    for record in records:
        by_document.setdefault(record["document_id"], []).append(record)
    rows: list[dict[str, Any]] = []
    reviews: dict[int, Review] = {}
    for document_id in sorted(set(by_document) | set(documents)):
        facts = by_document.get(document_id, [])
        if document_id not in documents:
            rows.extend({**f, **dict.fromkeys(REVIEW_COLUMNS)} for f in facts)
            continue
        doc = documents[document_id]
        mine = [c for c in corrections if c["document_id"] == document_id]
        applied, done = apply_corrections(kind, doc.text, facts, mine)
        rows.extend({**row, "file_name": doc.file_name} for row in applied)
        reviews.update((r.correction_id, r) for r in done)
    out = pd.DataFrame(rows, columns=[*frame.columns, *REVIEW_COLUMNS])
    out = out.sort_values(
        ["file_name", "document_id", "start", "id"],
        na_position="last",
        kind="stable",
        ignore_index=True,
    )
    for column, dtype in frame.dtypes.items():
        try:
            out[column] = out[column].astype(dtype)
        except (TypeError, ValueError):
            pass  # a value of a type the column did not hold: keep it as given
    return _review_types(out), corrections, [reviews[c["id"]] for c in corrections]


def _review_types(frame: pd.DataFrame) -> pd.DataFrame:
    """The review columns with the same types whether or not a row was reviewed."""
    return frame.astype(
        {"review_status": "string", "reviewed_by": "string", "correction_id": "Int64"}
    )


def corrected_facts(
    engine: Engine,
    kind: str,
    document: str | None = None,
    *,
    include_rejected: bool = False,
    with_ids: bool = False,
) -> pd.DataFrame:
    """The rows `facts_frame(engine, kind, document)` gives, with every correction applied:
    edited values replace the extracted ones, rejected facts are left out (unless
    `include_rejected`), added facts appear with rule "correction". Four columns say who
    reviewed each row and when: review_status (confirmed, edited, added, rejected or empty),
    reviewed_by, reviewed_at, correction_id. Kinds that cannot be corrected (documents,
    sections, outcomes, runs) come as `facts_frame` gives them."""
    if kind not in t.CORRECTABLE_KINDS:
        return facts_frame(engine, kind, document)
    frame, _, _ = _reviewed(engine, kind, document)
    if not include_rejected:
        frame = frame[frame["review_status"].fillna("") != "rejected"].reset_index(drop=True)
    return frame if with_ids else frame.drop(columns=["id"])


def correction_log(engine: Engine, document: str | None = None) -> pd.DataFrame:
    """Every correction (of one document, or all), oldest first, with who made it and when, and
    what became of it in the current facts: status applied, changed (the rules now read another
    value, so a confirmation or rejection no longer holds), orphaned (its text is gone) or
    superseded (a later correction of the same fact), and where it is anchored now."""
    records: list[dict[str, Any]] = []
    for kind in t.CORRECTABLE_KINDS:
        _, corrections, reviews = _reviewed(engine, kind, document, corrected_only=True)
        for c, review in zip(corrections, reviews, strict=True):
            records.append(
                {
                    **c,
                    "status": review.status,
                    "anchored_start": review.start,
                    "anchored_end": review.end,
                    "reason": review.reason,
                }
            )
    columns = [
        *(col.name for col in t.corrections.c),
        "file_name",
        "status",
        "anchored_start",
        "anchored_end",
        "reason",
    ]
    log = pd.DataFrame(records, columns=columns)
    log = log.sort_values(["created_at", "id"], kind="stable", ignore_index=True)
    for column in ("anchored_start", "anchored_end", "start", "end", "id"):
        log[column] = log[column].astype("Int64")
    return log
