"""The compare page: pick an issuer and metrics, see a chart per metric and the metric × period
table of `flows.analysis.compare`, download them as CSV or XLSX (its own exports).
`flows.analysis.compare` is imported when the page is asked for; where it is not there the page says
so (501) and the rest of the app works."""

from __future__ import annotations

import importlib
import tempfile
from pathlib import Path
from typing import Annotated

import pandas as pd
from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response
from markupsafe import Markup
from sqlalchemy import select
from starlette.exceptions import HTTPException

from extractors.metrics.taxonomy import load_taxonomy
from flows.analysis.compare import compare, periods_of, to_csv, wide
from flows.analysis.export import chart_svg, to_xlsx
from flows.web.responses import csv_download, language_of, render
from flows.web.routes.pages import engine_of
from schemas import tables as t

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

    try:
        frame = compare(
            engine_of(request), issuer or None, metrics or None, start or None, end or None
        )
    except ValueError as err:  # a period or metric the comparison does not understand
        raise HTTPException(400, " ".join(str(err).split())[:300]) from None
    return frame


def charts(frame: pd.DataFrame) -> list[tuple[str, str, Markup]]:
    """One chart per metric, as the HTML export draws it: (key, label, inline SVG)."""
    if frame.empty:
        return []

    periods = periods_of(frame)
    drawn = []
    for index, (metric, group) in enumerate(frame.groupby("metric", sort=False)):
        cells = sorted(
            group.to_dict(orient="records"), key=lambda c: periods.index(c["period_key"])
        )
        svg = Markup(chart_svg(cells, periods, index))  # chart_svg escapes every text it draws
        drawn.append((str(metric), str(cells[0]["label"]), svg))
    return drawn


@router.get("/compare", response_class=HTMLResponse)
def compare_page(
    request: Request,
    issuer: Text = "",
    metric: Metrics = None,
    start: Text = "",
    end: Text = "",
) -> Response:
    """The form; with an issuer or metrics chosen, the chart and the table."""
    engine = engine_of(request)
    d = t.documents
    with engine.connect() as conn:
        issuers = [
            r[0]
            for r in conn.execute(
                select(d.c.issuer).where(d.c.issuer.is_not(None)).distinct().order_by(d.c.issuer)
            )
        ]
    drawn, table, asked = [], None, bool(issuer or metric or start or end)
    if asked:
        frame = _frame(request, issuer, metric, start, end)
        drawn = charts(frame)
        shown = wide(frame)
        table = {
            "columns": [str(c) for c in shown.columns],
            "rows": shown.astype(object).where(shown.notna(), None).values.tolist(),
        }
    return render(
        request,
        "compare.html",
        issuers=issuers,
        metrics=_metric_choices(),
        issuer=issuer,
        chosen=set(metric or []),
        start=start,
        end=end,
        charts=drawn,
        table=table,
        asked=asked,
        ready=available(),
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
