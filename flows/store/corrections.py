"""Corrections that people make to extracted facts, and the facts with those corrections applied.

A person confirms, rejects or edits a fact, or adds one the rules missed. A correction is stored
with who made it and when, keyed to the fact as it was seen (document, kind, span, text, value)
rather than to a fact row, because re-extraction replaces the rows. Each time facts are read, every
correction is anchored again in the document's current text (the same text at the same offset,
else the occurrence whose context agrees best, near the old offset) and applied; a correction
whose text is gone is reported as `orphaned`, never dropped. How a correction is matched and
applied is in `extractors.corrections`; this module stores corrections and reads facts through
them.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

import pandas as pd
from sqlalchemy import Engine, insert, or_, select

from extractors.corrections import (
    MAX_FIELD,
    REVIEW_COLUMNS,
    CorrectionError,
    Review,
    apply_corrections,
    coerce_values,
    comparable,
    missing,
    plain,
)
from flows.store.engine import write_transaction
from schemas import tables as t
from schemas.corrections import (
    DEFAULTS,
    required_columns,
    value_columns,
)

CONTEXT = 40  # characters of context kept on either side of a corrected span
MAX_AUTHOR = 100

# ---------------------------------------------------------------------------------------------
# Recording
# ---------------------------------------------------------------------------------------------


def record_correction(
    engine: Engine,
    *,
    document_id: str,
    kind: str,
    action: str,
    author: str,
    fact_id: int | None = None,
    start: int | None = None,
    end: int | None = None,
    values: Mapping[str, Any] | None = None,
    note: str | None = None,
) -> int:
    """Store one correction and return its id.

    confirm, reject and edit name the fact by its row id (`fact_id`); add names the span
    (`start`, `end`) of the document's text. edit and add take the corrected `values` (see
    `coerce_values`); add must give every required column of the kind.
    """
    if action not in t.CORRECTION_ACTIONS:
        raise CorrectionError(f"unknown action {action!r}")
    if kind not in t.CORRECTABLE_KINDS:
        raise CorrectionError(f"facts of kind {kind!r} cannot be corrected")
    columns = value_columns(kind)
    author = " ".join((author or "").split())
    if not author or len(author) > MAX_AUTHOR:
        raise CorrectionError(f"give your name (1 to {MAX_AUTHOR} characters)")
    given = coerce_values(kind, values or {})
    d, table = t.documents, t.FACT_TABLES[kind]
    with write_transaction(engine) as conn:
        doc = conn.execute(select(d.c.text, d.c.rules_version).where(d.c.id == document_id)).first()
        if doc is None:
            raise CorrectionError(f"no document {document_id}")
        if action == "add":
            if start is None or end is None or not 0 <= start < end <= len(doc.text):
                raise CorrectionError("an added fact needs a span inside the document's text")
            original_value, stored = None, dict(DEFAULTS.get(kind, {}))
        else:
            fact = conn.execute(
                select(table).where(table.c.id == fact_id, table.c.document_id == document_id)
            ).first()
            if fact is None:
                raise CorrectionError(f"no {kind} fact {fact_id} in document {document_id}")
            start, end = fact.start, fact.end
            stored = {c: plain(getattr(fact, c)) for c in columns}
            original_value = json.dumps(stored, ensure_ascii=False, sort_keys=True)
            # an edit keeps only what it changes, so that what the rules read anew stays
            given = {k: v for k, v in given.items() if comparable(v) != comparable(stored.get(k))}
        value = None
        if action in ("edit", "add"):
            if not given:
                raise CorrectionError("nothing was changed: confirm the fact instead")
            merged = {**stored, **given}
            lacking = [c for c in required_columns(kind) if missing(merged.get(c))]
            if lacking:
                raise CorrectionError(f"{kind} need a value for: {', '.join(lacking)}")
            kept = merged if action == "add" else given
            value = json.dumps(
                {k: plain(v) for k, v in kept.items() if k in columns},
                ensure_ascii=False,
                sort_keys=True,
            )
        row = {
            "document_id": document_id,
            "kind": kind,
            "action": action,
            "start": start,
            "end": end,
            "original_text": doc.text[start:end],
            "original_value": original_value,
            "value": value,
            "context_before": doc.text[max(0, start - CONTEXT) : start],
            "context_after": doc.text[end : end + CONTEXT],
            "rules_version": doc.rules_version,
            "note": (note or "").strip()[:MAX_FIELD] or None,
            "author": author,
            "created_at": datetime.now(UTC),
        }
        return int(
            conn.execute(insert(t.corrections).returning(t.corrections.c.id), row).scalar_one()
        )


# ---------------------------------------------------------------------------------------------
# Reading
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


def _document_filter(document: str) -> Any:
    """A document by its SHA-256 (or a prefix of it), or by its file name, as `facts_frame`."""
    d = t.documents
    return or_(d.c.id.startswith(document.lower(), autoescape=True), d.c.file_name == document)


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
        from flows.store.read import facts_frame

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
