"""The facts export of FACTS.md: one JSON-ready dict per document, the scored keys first and the
provenance beside them; ``jsonl_line`` writes one as a single line."""

from __future__ import annotations

import json
import re
from typing import Any

from extractors.facts.dates import distinct_dates
from extractors.facts.references import distinct_citations
from extractors.text.keys import identifier_key
from schemas.errors import BaocaoError
from schemas.models import Fact, Quantity, Report

# What str.splitlines (and so many a reader of JSON lines) breaks a line on, besides the C0
# controls that json.dumps escapes itself: with ensure_ascii=False it writes these raw.
_LINE_SEPARATORS = re.compile("[\u0085\u2028\u2029]")
_ESCAPED = str.maketrans({"\u0085": "\\u0085", "\u2028": "\\u2028", "\u2029": "\\u2029"})


def jsonl_line(record: dict[str, Any]) -> str:
    """``record`` as one line of JSON that stays one line under any line splitter: letters as
    themselves (not ``\\u`` escapes), U+0085, U+2028 and U+2029 escaped."""
    line = json.dumps(record, ensure_ascii=False)
    if _LINE_SEPARATORS.search(line) is not None:
        line = line.translate(_ESCAPED)
    return line


def _provenance(fact: Fact, report: Report) -> dict[str, Any]:
    out: dict[str, Any] = {
        "section": fact.section,
        "start": fact.start,
        "end": fact.end,
        "rule": fact.rule,
    }
    if fact.sentence is not None and 0 <= fact.sentence < len(report.sentences):
        s = report.sentences[fact.sentence]
        out["sentence"] = report.text[s.start : s.end]
    if fact.table is not None:
        out.update(table=fact.table, row=fact.row, column=fact.column)
    if fact.confidence != 1.0:
        out["confidence"] = fact.confidence
    return out


def facts_record(report: Report) -> dict[str, Any]:
    """The FACTS.md object for one extracted report."""
    h = report.header
    mentions: dict[str, int] = {}
    for ref in report.references:
        key = identifier_key(ref.identifier)
        mentions[key] = mentions.get(key, 0) + 1
    period = None
    if h.period:
        period = {
            "label": h.period.label,
            "start": h.period.start,
            "end": h.period.end,
            "key": h.period.key,
        }
    document: dict[str, Any] = {
        "source": report.source,
        "sha256": report.sha256,
        "format": report.format,
        "doc_type": h.doc_type,
        "title": h.title,
        "issuer": h.issuer,
        "identifier": h.identifier,
        "place": h.place,
        "date": h.date,
        "period": period,
        "signer_role": h.signer_role,
        "rules_version": report.rules_version,
    }
    if report.warnings:
        document["warnings"] = list(report.warnings)
    return {
        "document": document,
        "references": [
            {
                "identifier": r.identifier,
                "doc_type": r.doc_type,
                "date": r.date,
                "issuer": r.issuer,
                "subject": r.subject,
                "style": r.style,
                "year": r.year,
                "correction": r.correction,
                "text": r.text,
                "mentions": mentions.get(identifier_key(r.identifier), 1),
                **_provenance(r, report),
            }
            for r in distinct_citations(report.references)
        ],
        # each calendar date once (FACTS.md), at its first mention, with how often it is named
        "dates": [
            {
                "value": d.value,
                "text": d.text,
                "mentions": sum(1 for other in report.dates if other.value == d.value),
                **_provenance(d, report),
            }
            for d in distinct_dates(report.dates)
        ],
        "periods": [
            {
                "key": p.period.key,
                "start": p.period.start,
                "end": p.period.end,
                "text": p.text,
                **_provenance(p, report),
            }
            for p in report.periods
        ],
        "quantities": [
            {
                "value": _number(q.value),
                "unit": q.unit,
                "qualifier": q.qualifier,
                "of_total": _number(q.of_total),
                "verb": q.verb,
                "refers_to": _refers_to(q),
                "text": q.text,
                **_provenance(q, report),
            }
            for q in report.quantities
        ],
        "awards": [
            {
                "title": a.title,
                "category": a.category,
                "recipient_kind": a.recipient_kind,
                "count": a.count,
                "authority": a.authority,
                "text": a.text,
                **_provenance(a, report),
            }
            for a in report.awards
        ],
        "tables": [
            {
                "index": t.index,
                "kind": t.kind,
                "header_rows": t.header_rows,
                "rows": [list(r) for r in t.rows],
            }
            for t in report.tables
        ],
        "indicators": [
            {
                "indicator": i.indicator,
                "unit": i.unit,
                "plan": _number(i.plan),
                "achieved": _number(i.achieved),
                "previous": _number(i.previous),
                "percent": _number(i.percent),
                **_provenance(i, report),
            }
            for i in report.indicators
        ],
        "criteria": [
            {
                "code": c.code,
                "criterion": c.criterion,
                "unit": c.unit,
                "target": _number(c.target),
                "points": [[tier, _number(p)] for tier, p in c.points],
                **_provenance(c, report),
            }
            for c in report.criteria
        ],
        "findings": [
            {"code": f.code, "message": f.message, "text": f.text, **_provenance(f, report)}
            for f in report.findings
        ],
    }


def _refers_to(q: Quantity) -> dict[str, Any] | None:
    """The period the text says a figure belongs to, when not the report's own (FACTS.md)."""
    if q.refers_to_key is None:
        return None
    return {
        "key": q.refers_to_key,
        "start": q.refers_to_start,
        "end": q.refers_to_end,
        "text": q.refers_to_text,
    }


def error_record(source: str, error: BaseException) -> dict[str, Any]:
    """The line FACTS.md asks for when a file cannot be read."""
    if isinstance(error, BaocaoError):
        message = error.one_line()
        code = error.code
    else:
        message = " ".join(f"{source}: E000 unexpected {type(error).__name__}: {error}".split())
        code = "E000"
    return {"document": {"source": source, "error": message, "code": code}}


def _number(value: float | None) -> float | int | None:
    if value is None:
        return None
    return int(value) if float(value).is_integer() else value
