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
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Engine, insert, select

from extractors.corrections import (
    MAX_FIELD,
    CorrectionError,
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
