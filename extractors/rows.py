"""Rows from a Report: the `documents` row and the rows of every fact table, each fact with its
provenance (span, rule, section, sentence, table cell). Pure: no database; a row that the column
types cannot hold fails when it is built, so only its file fails.

`prepare` builds them as tuples in the column order of `COLUMNS`, in the worker that extracted
the report: cheap to build, to pickle and to insert (the importing process only adds the time of
import). `document_row` and `fact_rows` give the same rows as dicts, for reading.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from operator import attrgetter
from pathlib import Path
from typing import Any

from sqlalchemy import Table

from extractors.organisations import organisation_key
from extractors.text.keys import identifier_key
from schemas import tables as t
from schemas.errors import BaocaoError
from schemas.models import Fact, Report

Row = tuple[Any, ...]


def _iso(value: str | None) -> str | None:
    """A date column's value: the ISO date, checked (ValueError if it is no date). Kept as text,
    which both databases store as SQLAlchemy would store the date (SQLite: this very text)."""
    return None if value is None else date.fromisoformat(value).isoformat()


def _clean_text(value: Any) -> Any:
    # PostgreSQL text cannot hold NUL; replacing it by one other character keeps every offset.
    return value.replace("\x00", "\ufffd") if isinstance(value, str) else value


def clean_row(row: dict[str, Any]) -> dict[str, Any]:
    return {k: _clean_text(v) for k, v in row.items()}


# ---------------------------------------------------------------------------------------------
# The documents row
# ---------------------------------------------------------------------------------------------

# The columns of a prepared documents row, `id` first (all but `imported_at`, which the loader
# appends).
DOCUMENT_COLUMNS: tuple[str, ...] = (
    "id",
    *(c for c in t.documents.c.keys() if c not in ("id", "imported_at")),
)


def document_row(report: Report, imported_at: datetime) -> dict[str, Any]:
    """The `documents` row of a report."""
    h, period = report.header, report.header.period
    row = {
        "id": report.sha256,
        "source": report.source,
        "file_name": Path(report.source).name,
        "format": report.format,
        "size": report.size,
        "doc_type": h.doc_type,
        "title": h.title,
        "issuer": h.issuer,
        "identifier": h.identifier,
        "place": h.place,
        "parent_issuer": h.parent_issuer,
        "organisation_key": organisation_key(h.issuer, h.parent_issuer, h.place),
        "organisation_id": None,  # the loader finds or makes the organisation
        "date": _iso(h.date),
        "period_key": period.key if period else None,
        "period_start": _iso(period.start) if period else None,
        "period_end": _iso(period.end) if period else None,
        "period_label": period.label if period else None,
        "text": report.text,
        "rules_version": report.rules_version,
        "imported_at": imported_at,
    }
    return clean_row(row)


# ---------------------------------------------------------------------------------------------
# Fact rows: one spec per table, the tuple's order being COLUMNS[kind]
# ---------------------------------------------------------------------------------------------

# Provenance columns whose fact attribute has another name.
_ATTRIBUTE_OF = {
    "sentence_index": "sentence",
    "table_index": "table",
    "row_index": "row",
    "column_index": "column",
}


@dataclass(frozen=True)
class _FactSpec:
    """How one fact table's rows are made: `document_id`, the columns read straight off the fact
    (`attributes`), the text of its sentence, then the `computed` columns."""

    attributes: tuple[str, ...]
    computed: tuple[str, ...] = ()
    compute: Callable[[Any], Row] | None = None

    @property
    def columns(self) -> tuple[str, ...]:
        return ("document_id", *self.attributes, "sentence", *self.computed)


def _spec(
    table: Table,
    computed: tuple[str, ...] = (),
    compute: Callable[[Any], Row] | None = None,
) -> _FactSpec:
    skip = {"id", "document_id", "sentence", *computed}
    return _FactSpec(tuple(c for c in table.c.keys() if c not in skip), computed, compute)


def _period_values(p: Any) -> Row:
    v = p.period
    return (v.key, v.label, _iso(v.start), _iso(v.end), v.kind)


_FACTS: dict[str, _FactSpec] = {
    "references": _spec(
        t.cited_documents,
        ("date", "identifier_key"),
        lambda r: (_iso(r.date), identifier_key(r.identifier)),
    ),
    "indicators": _spec(t.indicators),
    "criteria": _spec(
        t.criteria,
        ("points",),
        lambda c: (json.dumps([list(p) for p in c.points], ensure_ascii=False),),
    ),
    "dates": _spec(t.dates, ("value",), lambda d: (_iso(d.value),)),
    "periods": _spec(
        t.periods, ("period_key", "label", "period_start", "period_end", "kind"), _period_values
    ),
    "quantities": _spec(
        t.quantities,
        ("refers_to_start", "refers_to_end"),
        lambda q: (_iso(q.refers_to_start), _iso(q.refers_to_end)),
    ),
    "awards": _spec(t.awards),
    "findings": _spec(t.findings),
}

_SECTION_COLUMNS = tuple(c for c in t.sections.c.keys() if c not in ("id", "document_id"))

# The columns of each fact table's rows, in the order of the tuples `prepare` builds.
COLUMNS: dict[str, tuple[str, ...]] = {
    "sections": ("document_id", *_SECTION_COLUMNS),
    **{kind: spec.columns for kind, spec in _FACTS.items()},
    "table_cells": (
        "document_id",
        "table_kind",
        "header",
        "text",
        "start",
        "end",
        "rule",
        "table_index",
        "row_index",
        "column_index",
        "confidence",
    ),
}


_GETTERS = {
    kind: attrgetter(*(_ATTRIBUTE_OF.get(a, a) for a in spec.attributes))
    for kind, spec in _FACTS.items()
}
_SECTION = attrgetter(*_SECTION_COLUMNS)


def _fact_tuples(kind: str, facts: Sequence[Fact], sha: str, sentences: Sequence[str]) -> list[Row]:
    get, compute = _GETTERS[kind], _FACTS[kind].compute
    count = len(sentences)
    rows: list[Row] = []
    for fact in facts:
        i = fact.sentence
        sentence = sentences[i] if i is not None and 0 <= i < count else None
        row = (sha, *get(fact), sentence)
        rows.append(row + compute(fact) if compute else row)
    return rows


def _table_cell_tuples(report: Report) -> list[Row]:
    """Every cell of every table, with its span in the text; a table's rows are its lines there
    and its cells are tab-separated (extractors.text.normalize joins them so)."""
    out: list[Row] = []
    sha, text = report.sha256, report.text
    for table in report.tables:
        pos = table.start
        for r, line in enumerate(text[table.start : table.end].split("\n")):
            cell_start = pos
            header = r < table.header_rows
            for c, cell in enumerate(line.split("\t")):
                end = cell_start + len(cell)
                out.append(
                    (sha, table.kind, header, cell, cell_start, end, "table.cell-text")
                    + (table.index, r, c, 1.0)
                )
                cell_start = end + 1
            pos += len(line) + 1
    return out


def fact_tuples(report: Report) -> dict[str, list[Row]]:
    """The rows of every fact table for one report, keyed like `tables.FACT_TABLES`, each a
    tuple in the order of `COLUMNS[kind]`. Raises ValueError when a date is no date."""
    sha, text = report.sha256, report.text
    # One string per sentence, shared by its facts: pickled once per batch, not once per fact.
    sentences = [text[s.start : s.end] for s in report.sentences]
    rows: dict[str, list[Row]] = {
        "sections": [(sha, *_SECTION(s)) for s in report.sections],
        "references": _fact_tuples("references", report.references, sha, sentences),
        "indicators": _fact_tuples("indicators", report.indicators, sha, sentences),
        "criteria": _fact_tuples("criteria", report.criteria, sha, sentences),
        "table_cells": _table_cell_tuples(report),
        "dates": _fact_tuples("dates", report.dates, sha, sentences),
        "periods": _fact_tuples("periods", report.periods, sha, sentences),
        "quantities": _fact_tuples("quantities", report.quantities, sha, sentences),
        "awards": _fact_tuples("awards", report.awards, sha, sentences),
        "findings": _fact_tuples("findings", report.findings, sha, sentences),
    }
    # Every text of a fact is the document's text, a piece of it, or made from pieces of it and
    # from the vocabularies: if the text holds no NUL, neither does any row (and checking each
    # value would cost as much as building the rows).
    if "\x00" in text:
        rows = {kind: [tuple(map(_clean_text, row)) for row in rs] for kind, rs in rows.items()}
    return rows


def fact_rows(report: Report) -> dict[str, list[dict[str, Any]]]:
    """The rows of every fact table for one report as dicts, keyed like `tables.FACT_TABLES`."""
    return {
        kind: [dict(zip(COLUMNS[kind], row, strict=True)) for row in rows]
        for kind, rows in fact_tuples(report).items()
    }


def table_cell_rows(report: Report) -> list[dict[str, Any]]:
    """Every cell of every table as a dict (see `fact_tuples`)."""
    columns = COLUMNS["table_cells"]
    return [dict(zip(columns, row, strict=True)) for row in _table_cell_tuples(report)]


# ---------------------------------------------------------------------------------------------
# A prepared report: what a worker sends to the importing process
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PreparedReport:
    """A report reduced to its rows, built where it was extracted (in a worker process): smaller
    to send than the Report and nothing left to compute in the loading process but the time of
    import. `document` follows DOCUMENT_COLUMNS, each of `facts` COLUMNS[kind]."""

    source: str
    sha256: str
    rules_version: str
    document: Row
    facts: dict[str, list[Row]]


# What extracting one file gives: its report (with its rows built, or not yet), or the coded
# error that says why it could not be extracted (path and, once read, sha256 set).
Extracted = Report | PreparedReport | BaocaoError


def prepare(report: Report) -> PreparedReport:
    """The rows of `report`; raises ValueError or TypeError when a fact cannot be stored."""
    document = document_row(report, datetime.now(UTC))
    return PreparedReport(
        report.source,
        report.sha256,
        report.rules_version,
        tuple(document[c] for c in DOCUMENT_COLUMNS),
        fact_tuples(report),
    )


def prepared_from_rows(
    report: Report, document: dict[str, Any], facts: dict[str, list[dict[str, Any]]]
) -> PreparedReport:
    """A PreparedReport from rows given as dicts (`document_row`, `fact_rows`); a column a row
    lacks is NULL."""
    return PreparedReport(
        report.source,
        report.sha256,
        report.rules_version,
        tuple(document.get(c) for c in DOCUMENT_COLUMNS),
        {
            kind: [tuple(row.get(c) for c in COLUMNS[kind]) for row in facts.get(kind, [])]
            for kind in t.FACT_TABLES
        },
    )
