"""A stored document as a `Report` again, built from its row, its sections and its facts with the
corrections applied, so that `flows.analysis.show.render_html` draws the same displaCy review page
that `baocao show` draws from a file, without reading the file again."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from pydantic import ValidationError
from sqlalchemy import Engine, select

from flows.store.read import corrected_facts
from schemas import models as m
from schemas import tables as t

# Report field, fact model and the model fields that differ from the table's column names.
_MODELS: dict[str, tuple[str, type[m.Fact]]] = {
    "references": ("references", m.CitedDocument),
    "dates": ("dates", m.DateMention),
    "periods": ("periods", m.PeriodMention),
    "quantities": ("quantities", m.Quantity),
    "awards": ("awards", m.AwardGrant),
    "findings": ("findings", m.Finding),
}
_RENAMED = {
    "sentence_index": "sentence",
    "table_index": "table",
    "row_index": "row",
    "column_index": "column",
}


def _iso(value: Any) -> str | None:
    if value is None:
        return None
    return value.isoformat() if hasattr(value, "isoformat") else str(value)


def period_kind(key: str) -> str:
    """The kind of a canonical period key: 2023 year, 2023-H1 half, 2024-Q1 quarter, 2023-9M
    months, 2023-05 month, 2016-2017 school year, anything else a range."""
    for pattern, kind in (
        (r"\d{4}", "year"),
        (r"\d{4}-H[12]", "half"),
        (r"\d{4}-Q[1-4]", "quarter"),
        (r"\d{4}-\d{1,2}M", "months"),
        (r"\d{4}-\d{2}", "month"),
        (r"\d{4}-\d{4}", "school_year"),
    ):
        if re.fullmatch(pattern, key):
            return kind
    return "range"


def _fact(kind: str, row: Mapping[str, Any]) -> m.Fact | None:
    """The model of one fact row (None for a row that the model does not accept, such as an
    edited value outside the model's vocabulary: the page still lists it)."""
    model = _MODELS[kind][1]
    # the table's `sentence` is the sentence's text; the model's is its index (sentence_index)
    values = {_RENAMED.get(k, k): v for k, v in row.items() if v is not None and k != "sentence"}
    if kind == "periods":
        values["period"] = {
            "label": row.get("label") or row.get("text"),
            "start": _iso(row.get("period_start")),
            "end": _iso(row.get("period_end")),
            "key": row.get("period_key"),
            "kind": row.get("kind")
            if row.get("kind")
            in ("year", "half", "quarter", "months", "month", "school_year", "range")
            else period_kind(str(row.get("period_key"))),
        }
    for name in ("date", "value"):
        if name in values and kind in ("references", "dates"):
            values[name] = _iso(values[name])
    for name in ("refers_to_start", "refers_to_end"):
        if name in values:  # (PostgreSQL gives dates, the model keeps ISO text)
            values[name] = _iso(values[name])
    fields = set(model.model_fields)
    try:
        return model(**{k: v for k, v in values.items() if k in fields})
    except ValidationError:
        return None


def stored_report(engine: Engine, document_id: str) -> m.Report | None:
    """The document as a Report over its stored text, with its corrected facts; None if there
    is no such document."""
    d, s = t.documents, t.sections
    with engine.connect() as conn:
        doc = conn.execute(select(d).where(d.c.id == document_id)).first()
        if doc is None:
            return None
        sections = [
            m.Section(
                **{k: getattr(r, k) for k in ("start", "end", "path", "label", "level", "title")}
            )
            for r in conn.execute(
                select(s).where(s.c.document_id == document_id).order_by(s.c.start, s.c.id)
            )
        ]
    period = None
    if doc.period_key and doc.period_start and doc.period_end:
        period = m.PeriodValue.model_validate(
            {
                "label": doc.period_label or doc.period_key,
                "start": _iso(doc.period_start),
                "end": _iso(doc.period_end),
                "key": doc.period_key,
                "kind": period_kind(doc.period_key),
            }
        )
    header = m.Header(
        issuer=doc.issuer,
        parent_issuer=doc.parent_issuer,
        identifier=doc.identifier,
        place=doc.place,
        date=_iso(doc.date),
        doc_type=doc.doc_type,
        title=doc.title,
        period=period,
    )
    facts: dict[str, tuple[m.Fact, ...]] = {}
    for kind, (field, _) in _MODELS.items():
        frame = corrected_facts(engine, kind, document_id)
        rows = frame.astype(object).where(frame.notna(), None).to_dict(orient="records")
        facts[field] = tuple(f for r in rows if (f := _fact(kind, r)) is not None)
    return m.Report.model_validate(
        {
            "source": doc.source,
            "format": doc.format,
            "sha256": doc.id,
            "size": doc.size,
            "text": doc.text,
            "header": header,
            "sections": tuple(sections),
            "rules_version": doc.rules_version,
            **facts,
        }
    )
