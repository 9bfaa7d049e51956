"""The compare page: pick an issuer and metrics, see a chart per metric and the metric × period
table of `flows.analysis.compare`, download them as CSV or XLSX (its own exports).
`flows.analysis.compare` is imported when the page is asked for; where it is not there the page says
so (501) and the rest of the app works."""

from __future__ import annotations

import importlib
import math
import tempfile
from pathlib import Path
from typing import Annotated, Any

import pandas as pd
from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response
from markupsafe import Markup
from starlette.exceptions import HTTPException

from extractors.metrics.taxonomy import load_taxonomy
from extractors.text.keys import accent_key
from flows.analysis.compare import compare, format_number, note, periods_of, to_csv
from flows.analysis.export import aligned_note, chart_svg, to_xlsx
from flows.web.responses import FILTER_SCRIPT, csv_download, language_of, render
from flows.web.routes.pages import engine_of, organisation_choices

router = APIRouter()

Text = Annotated[str, Query(max_length=200)]
Metrics = Annotated[list[str] | None, Query()]
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def available() -> bool:
    """Whether flows/analysis/compare.py is there and has `compare`."""
    try:
        return hasattr(importlib.import_module("flows.analysis.compare"), "compare")
    except ImportError:
        return False


def _metric_choices() -> list[tuple[str, str]]:
    try:
        return [(m.key, m.label_vi) for m in load_taxonomy().metrics]
    except Exception:  # noqa: BLE001 - a broken metrics file must not break the page
        return []


def _frame(
    request: Request, issuer: str, metrics: list[str] | None, start: str, end: str
) -> pd.DataFrame:
    metrics = metrics or []
    if not available():
        raise HTTPException(
            501, "comparison is not available yet: flows/analysis/compare.py is missing"
        )
    if len(metrics) > 50 or any(len(m) > 100 for m in metrics):
        raise HTTPException(400, "too many metrics, or a metric name too long")

    # an organisation chosen from the list comes by its number; typed text matches names,
    # spellings and parent lines
    chosen = int(issuer) if issuer.isdigit() else None
    try:
        frame = compare(
            engine_of(request),
            None if chosen is not None else issuer or None,
            metrics or None,
            start or None,
            end or None,
        )
    except ValueError as err:  # a period or metric the comparison does not understand
        raise HTTPException(400, " ".join(str(err).split())[:300]) from None
    if chosen is not None and not frame.empty:
        frame = frame[frame["organisation_id"] == chosen].reset_index(drop=True)
    return frame


def charts(frame: pd.DataFrame) -> list[tuple[str, str, Markup]]:
    """One chart per organisation and metric, as the HTML export draws it: (key, label, SVG)."""
    if frame.empty:
        return []

    periods = periods_of(frame)
    drawn = []
    groups = frame.groupby(["organisation_id", "metric"], sort=False)
    for index, ((_, metric), group) in enumerate(groups):
        cells = sorted(
            group.to_dict(orient="records"), key=lambda c: periods.index(c["period_key"])
        )
        svg = Markup(chart_svg(cells, periods, index))  # chart_svg escapes every text it draws
        drawn.append((str(metric), str(cells[0]["label"]), svg))
    return drawn


def table_rows(frame: pd.DataFrame) -> tuple[list[str], list[dict[str, Any]]]:
    """The periods, and one row per organisation and metric with, for each period, the value,
    its change and percent change from the previous period of the same series, whether the
    documents disagree, and the documents it was read from."""
    if frame.empty:
        return [], []
    periods = periods_of(frame)
    rows = []
    for (_, metric), group in frame.groupby(["organisation_id", "metric"], sort=False):
        first = group.iloc[0]
        cells = {}
        for cell in group.to_dict(orient="records"):
            change, pct = cell["change"], cell["pct_change"]
            moved = change is not None and not math.isnan(change)
            sign = "+" if moved and change > 0 else ""
            shown = cell["values"] if cell["conflict"] else [cell["value"]]
            cells[cell["period_key"]] = {
                "value": " | ".join(format_number(v) for v in shown),
                "conflict": bool(cell["conflict"]),
                "change": sign + format_number(change) if moved else "",
                "pct": f"{sign}{pct:.1f}%".replace(".", ",")
                if pct is not None and not math.isnan(pct)
                else "",
                "direction": ("up" if change > 0 else "down" if change < 0 else "")
                if moved
                else "",
                "compared_with": cell["compared_with"] or "",
                "refers_to": note(cell.get("refers_to")) or "",
                "sources": [
                    {
                        "document_id": src.get("document_id"),
                        "document": src.get("document"),
                        "value": format_number(src["value"]),
                        "text": src.get("text") or "",
                        "aligned": aligned_note(src.get("aligned")),
                    }
                    for src in cell["sources"]
                ],
            }
        rows.append({
            "organisation": first["organisation"],
            "metric": metric,
            "label": first["label"],
            "unit": first["unit"],
            "cells": cells,
            "search": accent_key(f"{first['label']} {metric} {first['organisation']}"),
        })  # fmt: skip
    return periods, rows


@router.get("/compare", response_class=HTMLResponse)
def compare_page(
    request: Request,
    issuer: Text = "",
    metric: Metrics = None,
    start: Text = "",
    end: Text = "",
    q: Text = "",
) -> Response:
    """The form; with an issuer or metrics chosen, the charts and the table of values with their
    changes and sources. `q` keeps the metrics whose label, key or organisation holds it
    (accents optional); the page also filters as one types."""
    engine = engine_of(request)
    issuers = organisation_choices(engine)
    drawn: list[tuple[str, str, Markup]] = []
    periods: list[str] = []
    rows: list[dict[str, Any]] = []
    asked = bool(issuer or metric or start or end or q)
    if asked:
        frame = _frame(request, issuer, metric, start, end)
        if q.strip() and not frame.empty:
            wanted = accent_key(q)
            haystack = (frame["label"] + " " + frame["metric"] + " " + frame["organisation"]).map(
                accent_key
            )
            frame = frame[haystack.str.contains(wanted, regex=False)].reset_index(drop=True)
        drawn = charts(frame)
        periods, rows = table_rows(frame)
    return render(
        request,
        "compare.html",
        issuers=issuers,
        metrics=_metric_choices(),
        issuer=issuer,
        chosen=set(metric or []),
        start=start,
        end=end,
        q=q,
        charts=drawn,
        periods=periods,
        rows=rows,
        asked=asked,
        ready=available(),
        filter_script=Markup(FILTER_SCRIPT),
    )


@router.get("/compare.csv")
def compare_csv(
    request: Request,
    issuer: Text = "",
    metric: Metrics = None,
    start: Text = "",
    end: Text = "",
) -> Response:
    """The comparison as CSV: one line per metric and period (`flows.analysis.compare.to_csv`)."""

    frame = _frame(request, issuer, metric, start, end)
    return csv_download(to_csv(frame, language_of(request)), "compare.csv")


@router.get("/compare.xlsx")
def compare_xlsx(
    request: Request,
    issuer: Text = "",
    metric: Metrics = None,
    start: Text = "",
    end: Text = "",
) -> Response:
    """The comparison as an Excel workbook (`flows.analysis.export.to_xlsx`: the metric × period
    table and the provenance of every value)."""

    frame = _frame(request, issuer, metric, start, end)
    with tempfile.TemporaryDirectory(prefix="baocao-") as folder:
        path = Path(folder) / "compare.xlsx"
        to_xlsx(frame, str(path), language_of(request))
        content = path.read_bytes()
    return Response(
        content,
        media_type=XLSX,
        headers={"content-disposition": 'attachment; filename="compare.xlsx"'},
    )
