"""Comparison across reporting periods: metric values arranged metric × period, with the change
from the previous period of the same kind, conflicts between documents flagged, and exports to
JSON, CSV, XLSX and a self-contained HTML page (`flows.analysis.export`).

Periods are keyed as the store keys them (`2022-H1`, `2022`, `2023-Q1`) and ordered by start date,
then length. A year and the half-year inside it are different periods: both are kept, never
summed. Change is computed between consecutive periods of the same series only: an H1 with the
previous H1, a year with the previous year, a Q3 with the previous Q3.

When documents give different values for one metric and period, the cell keeps them all: `value`
is the preferred one (a document reporting on its own period before a later report's
previous-period column, then the newer document), `values` lists every distinct value in that
order and `conflict` is true. `to_json` writes such a cell as a list of numbers, a plain number
otherwise.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import Any

import pandas as pd
from sqlalchemy import Engine

from extractors.metrics.context import period_series
from extractors.metrics.taxonomy import Taxonomy, load_taxonomy
from flows.analysis.metrics import metric_values
from flows.store.read import facts_frame
from flows.strings import export_columns, text

COLUMNS = [
    "organisation", "organisation_id", "metric", "label", "unit", "period_key", "period_start",
    "period_end", "period_kind",
    "value", "conflict", "values", "documents", "change", "pct_change", "compared_with",
    "refers_to", "sources",
]  # fmt: skip
FORMATS = ("table", "json", "csv", "xlsx", "html")


def period_bound(text: str | date | None, *, end: bool = False) -> date | None:
    """A date from `2022`, `2022-06`, `2022-06-30`, `2022-H1` or `2022-Q3`: the first day of
    that span, or its last day when `end`."""
    if text is None or isinstance(text, date):
        return text
    text = text.strip()
    m = re.fullmatch(r"(\d{4})(?:-(H[12]|Q[1-4]|\d{1,2})(?:-(\d{1,2}))?)?", text, re.I)
    if not m:
        raise ValueError(f"cannot read {text!r} as a date or period (2022, 2022-H1, 2022-06-30)")
    year, part, day = int(m.group(1)), (m.group(2) or "").upper(), m.group(3)
    if day:
        return date(year, int(part), int(day))
    if not part:
        first, last = 1, 12
    elif part.startswith("H"):
        first = 1 if part == "H1" else 7
        last = first + 5
    elif part.startswith("Q"):
        first = 3 * (int(part[1]) - 1) + 1
        last = first + 2
    else:
        first = last = int(part)
    if not end:
        return date(year, first, 1)
    following = date(year + 1, 1, 1) if last == 12 else date(year, last + 1, 1)
    return date.fromordinal(following.toordinal() - 1)


def _day(value: Any) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value)[:10])


def _preference(row: pd.Series) -> tuple[int, tuple[int, ...], str]:
    """A document on its own period first, then the newer document, then by file name."""
    p = row["provenance"]
    own = 0 if p.get("role") == "achieved" else 1
    return (own, _negated(str(p.get("document_date") or "")), str(p["document"]))


def _cell(group: pd.DataFrame) -> dict[str, Any]:
    rows = sorted((row for _, row in group.iterrows()), key=_preference)
    distinct: list[float] = []
    for row in rows:
        if not any(math.isclose(row["value"], v, rel_tol=1e-9, abs_tol=1e-9) for v in distinct):
            distinct.append(float(row["value"]))
    first = rows[0]
    return {
        "organisation": first["organisation"],
        "organisation_id": first["organisation_id"],
        "metric": first["metric"],
        "label": first["label"],
        "unit": first["unit"],
        "period_key": first["period_key"],
        "period_start": _day(first["period_start"]),
        "period_end": _day(first["period_end"]),
        "period_kind": first["period_kind"],
        "value": distinct[0],
        "conflict": len(distinct) > 1,
        "values": distinct,
        "documents": list(dict.fromkeys(r["provenance"]["document"] for r in rows)),
        # the words that give the kept figure another period than the report's
        "refers_to": (first["provenance"].get("refers_to") or {}).get("text"),
        "sources": [
            {"value": float(r["value"]), "document_id": r["document_id"], **r["provenance"]}
            for r in rows
        ],
    }


def _negated(iso: str) -> tuple[int, ...]:
    """A key that sorts ISO dates newest first (and missing dates last)."""
    return tuple(-ord(c) for c in iso) if iso else (1,)


def _with_changes(frame: pd.DataFrame) -> pd.DataFrame:
    frame = frame.copy()
    frame["change"] = float("nan")
    frame["pct_change"] = float("nan")
    frame["compared_with"] = None
    for _, group in frame.groupby(["organisation_id", "metric"], sort=False):
        seen: dict[str, tuple[date, float, str]] = {}
        for index, row in group.sort_values(["period_start", "period_end"]).iterrows():
            series = period_series(row["period_key"])
            earlier = seen.get(series)
            if earlier and earlier[0] < row["period_start"]:
                change = round(row["value"] - earlier[1], 6)
                frame.at[index, "change"] = change
                if earlier[1]:
                    frame.at[index, "pct_change"] = round(100.0 * change / earlier[1], 2)
                frame.at[index, "compared_with"] = earlier[2]
            seen[series] = (row["period_start"], row["value"], row["period_key"])
    return frame


def compare(
    engine: Engine,
    issuer: str | None = None,
    metrics: str | Sequence[str] | None = None,
    start: str | date | None = None,
    end: str | date | None = None,
    *,
    taxonomy: Taxonomy | str | Path | None = None,
) -> pd.DataFrame:
    """One row per organisation, metric and period: organisations by name, metrics in taxonomy
    order then open metrics (`open.*`, named by their own label), periods by start then length.
    Values of different organisations never meet in one cell: a conflict is only ever between
    documents of one organisation.

    Columns: organisation, organisation_id, metric, label, unit, period_key, period_start,
    period_end, period_kind, value, conflict, values (every distinct value, preferred first),
    documents, change and pct_change (from `compared_with`, the previous period of the same
    series), sources (the provenance of each document's value). `issuer` matches the
    organisation's names, aliases and parent lines, ignoring case and diacritics; `metrics`
    takes keys or globs (`open.*` for the metrics no taxonomy entry names); `start`/`end` keep
    periods inside those bounds.
    """
    tax = taxonomy if isinstance(taxonomy, Taxonomy) else load_taxonomy(taxonomy)
    values = metric_values(engine, issuer, metrics, taxonomy=tax)
    if values.empty:
        return pd.DataFrame(columns=COLUMNS)
    low, high = period_bound(start), period_bound(end, end=True)
    starts = values["period_start"].map(_day)
    ends = values["period_end"].map(_day)
    keep = pd.Series(True, index=values.index)
    if low:
        keep &= starts >= low
    if high:
        keep &= ends <= high
    values = values[keep]
    if values.empty:
        return pd.DataFrame(columns=COLUMNS)
    groups = values.groupby(["organisation_id", "metric", "period_key"], sort=False)
    frame = pd.DataFrame([_cell(g) for _, g in groups])
    order = {m.key: i for i, m in enumerate(tax.metrics)}
    frame["_order"] = frame["metric"].map(lambda k: order.get(k, len(order)))
    frame = frame.sort_values(
        ["organisation", "organisation_id", "_order", "metric", "period_start", "period_end"]
    )
    frame = _with_changes(frame.drop(columns="_order").reset_index(drop=True))
    return frame[COLUMNS]


def periods_of(frame: pd.DataFrame) -> list[str]:
    """The period keys of a comparison, by start date, then length."""
    spans = frame[["period_key", "period_start", "period_end"]].drop_duplicates("period_key")
    return list(spans.sort_values(["period_start", "period_end"])["period_key"])


def number(value: float) -> int | float:
    """12.0 as 12; other values as they are."""
    return int(value) if float(value).is_integer() else float(value)


def note(value: object) -> str | None:
    """A cell's words (its `refers_to`) or None, whatever pandas made of a missing one."""
    return value if isinstance(value, str) and value.strip() else None


def format_number(value: float | None) -> str:
    """A number as Vietnamese reports write it: `1.268,4`, `12`, `-2,4` (empty when missing)."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    return f"{number(value):,}".replace(",", " ").replace(".", ",").replace(" ", ".")


def to_json(frame: pd.DataFrame) -> str:
    """`{"metrics": [{"organisation", "metric", "label", "unit", "values": {period: value}}]}`,
    one entry per organisation and metric; a value is a number, or the list of the documents'
    numbers (preferred first) where they disagree. Where the text gives a figure another period
    than its report's, `refers_to` maps the period to those words (`tính đến ngày 15/6/2023`)."""
    out = []
    order = {k: i for i, k in enumerate(periods_of(frame))} if not frame.empty else {}
    for (_, metric), group in frame.groupby(["organisation_id", "metric"], sort=False):
        cells = sorted(group.to_dict(orient="records"), key=lambda r: order[r["period_key"]])
        notes = {c["period_key"]: c["refers_to"] for c in cells if note(c.get("refers_to"))}
        out.append({
            "organisation": cells[0]["organisation"],
            "metric": metric,
            "label": cells[0]["label"],
            "unit": cells[0]["unit"],
            "values": {
                c["period_key"]: [number(v) for v in c["values"]] if c["conflict"]
                else number(c["value"])
                for c in cells
            },
            **({"refers_to": notes} if notes else {}),
        })  # fmt: skip
    return json.dumps({"metrics": out}, ensure_ascii=False, indent=1)


def to_csv(frame: pd.DataFrame, lang: str = "vi") -> str:
    """One line per metric and period; conflicting values and documents joined by ` | `. Heads
    in Vietnamese, the label before the metric's key (`lang="en"`: the columns' own names, in
    the frame's order)."""
    flat = frame.drop(columns=["sources", "organisation_id"]).copy()
    flat["values"] = flat["values"].map(lambda vs: " | ".join(str(number(v)) for v in vs))
    flat["documents"] = flat["documents"].map(" | ".join)
    flat["value"] = flat["value"].map(number)
    if lang == "vi":
        first = ["organisation", "label", "metric"]
        columns = [*first, *(c for c in flat.columns if c not in first)]
        flat = flat[columns]
        flat["period_kind"] = flat["period_kind"].map(lambda k: text(f"period.{k}", lang))
        flat.columns = export_columns(columns, lang)
    return flat.to_csv(index=False)


def wide(frame: pd.DataFrame) -> pd.DataFrame:
    """Metric × period: a number per cell, or `a | b` text where documents disagree."""
    if frame.empty:
        return pd.DataFrame()
    cells = frame.assign(
        shown=[
            " | ".join(str(number(v)) for v in vs) if c else number(v0)
            for vs, c, v0 in zip(frame["values"], frame["conflict"], frame["value"], strict=True)
        ]
    )
    index = ["organisation", "organisation_id", "metric", "label", "unit"]
    table = cells.pivot(index=index, columns="period_key", values="shown")
    order = list(dict.fromkeys(zip(frame["organisation_id"], frame["metric"], strict=True)))
    table = table.reindex(columns=periods_of(frame))
    table = table.reset_index().set_index(["organisation_id", "metric"]).loc[order].reset_index()
    return table[[*index, *(c for c in table.columns if c not in index)]].drop(
        columns="organisation_id"
    )


def findings_frame(engine: Engine, document: str | None = None) -> pd.DataFrame:
    """The consistency findings: code, message, document, section, sentence (and offsets)."""

    found = facts_frame(engine, "findings", document)
    found = found.rename(columns={"file_name": "document"})
    return found[["code", "message", "document", "section", "sentence", "start", "end"]]
