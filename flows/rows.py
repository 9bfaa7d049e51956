"""Rows from a Report: the `documents` row and the rows of every fact table, each fact with its
provenance (span, rule, section, sentence, table cell), in plain dicts ready to insert. Pure: no
database; a row that the column types cannot hold fails when it is built, so only its file fails.
"""

from __future__ import annotations

import json

import re
import unicodedata
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Table

from schemas import tables as t
from schemas.models import Fact, Report


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


def table_cell_rows(report: Report) -> list[dict[str, Any]]:
    """Every cell of every table, with its span in the text; a table's rows are its lines there
    and its cells are tab-separated (extractors.normalize joins them so)."""
    out: list[dict[str, Any]] = []
    for table in report.tables:
        pos = table.start
        for r, line in enumerate(report.text[table.start : table.end].split("\n")):
            cell_start = pos
            for c, cell in enumerate(line.split("\t")):
                out.append(
                    {
                        "document_id": report.sha256,
                        "table_kind": table.kind,
                        "header": r < table.header_rows,
                        "text": cell,
                        "start": cell_start,
                        "end": cell_start + len(cell),
                        "rule": "table.cell-text",
                        "table_index": table.index,
                        "row_index": r,
                        "column_index": c,
                        "confidence": 1.0,
                    }
                )
                cell_start += len(cell) + 1
            pos += len(line) + 1
    return out


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
        "indicators": [_fact_row(t.indicators, i, report) for i in report.indicators],
        "criteria": [
            _fact_row(
                t.criteria,
                c,
                report,
                points=json.dumps([list(p) for p in c.points], ensure_ascii=False),
            )
            for c in report.criteria
        ],
        "table_cells": table_cell_rows(report),
        "dates": [_fact_row(t.dates, d, report, value=_iso(d.value)) for d in report.dates],
        "periods": periods,
        "quantities": [_fact_row(t.quantities, q, report) for q in report.quantities],
        "awards": [_fact_row(t.awards, a, report) for a in report.awards],
        "findings": [_fact_row(t.findings, f, report) for f in report.findings],
    }


@dataclass(frozen=True)
class PreparedReport:
    """A report reduced to its rows, built where it was extracted (in a worker process): smaller
    to send than the Report and nothing left to compute in the loading process but the time of
    import, which `document_row` leaves out here and the loader sets."""

    source: str
    sha256: str
    rules_version: str
    document: dict[str, Any]
    facts: dict[str, list[dict[str, Any]]]


def prepare(report: Report) -> PreparedReport:
    """The rows of `report`; raises ValueError or TypeError when a fact cannot be stored."""
    document = document_row(report, datetime.now(UTC))
    del document["imported_at"]
    return PreparedReport(
        report.source, report.sha256, report.rules_version, document, fact_rows(report)
    )
