"""Exports of a comparison (`flows.analysis.compare.compare`): an XLSX workbook (sheet `table`,
metric × period; sheet `provenance`, one row per document's value) and one self-contained HTML page
(inline SVG charts drawn here, one per metric, the table under each, every value opening its
provenance; no scripts, fonts or images fetched from anywhere)."""

from __future__ import annotations

import html
import math
from datetime import datetime
from typing import Any

import pandas as pd

from extractors.metrics.context import period_series
from flows.analysis.compare import number, periods_of, wide
from flows.strings import export_columns, text

# Colours by period series (colour-blind safe, Okabe-Ito); other series cycle through the rest.
_SERIES_COLOURS = {"year": "#0072B2", "H1": "#E69F00", "H2": "#009E73", "9M": "#CC79A7"}
_MORE_COLOURS = ["#56B4E9", "#D55E00", "#F0E442", "#999999"]
_SERIES_NAMES = {"year": "năm", "H1": "6 tháng đầu năm", "H2": "6 tháng cuối năm", "9M": "9 tháng"}


def _shown(value: Any) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    if isinstance(value, float):
        return f"{number(value):,}".replace(",", " ")
    return str(value)


# ---------------------------------------------------------------------------------------------
# XLSX
# ---------------------------------------------------------------------------------------------


def aligned_note(aligned: dict | None) -> str | None:
    """Why a figure was filed under another label's series, in words (`was` -> `label`)."""
    if not aligned:
        return None
    agreeing = ", ".join(f"{a['period']}: {_shown(float(a['value']))}" for a in aligned["agreeing"])
    note = f"{aligned['was']} → {aligned['label']} ({aligned['label_score']:.2f}"
    return note + (f"; {agreeing})" if agreeing else ")")


def provenance_rows(frame: pd.DataFrame, lang: str = "vi") -> pd.DataFrame:
    """One row per document's value of each metric and period, with where it was read (heads in
    `lang`, the label before the metric's key)."""
    rows = []
    for cell in frame.to_dict(orient="records"):
        for src in cell["sources"]:
            rows.append({
                "organisation": cell["organisation"],
                "label": cell["label"], "metric": cell["metric"], "period": cell["period_key"],
                "cell_value": number(cell["value"]), "conflict": bool(cell["conflict"]),
                "document_value": number(src["value"]), "document": src.get("document"),
                "source": src.get("source"), "section": src.get("section"),
                "sentence": src.get("sentence"), "text": src.get("text"),
                "column": src.get("column"), "role": src.get("role"), "rule": src.get("rule"),
                "fact_rule": src.get("fact_rule"), "start": src.get("start"),
                "end": src.get("end"), "change": cell["change"], "pct_change": cell["pct_change"],
                "compared_with": cell["compared_with"],
                "refers_to": (src.get("refers_to") or {}).get("text"),
                "aligned": aligned_note(src.get("aligned")),
            })  # fmt: skip
    out = pd.DataFrame(rows)
    out.columns = export_columns(list(out.columns), lang)
    return out


def to_xlsx(frame: pd.DataFrame, path: str, lang: str = "vi") -> None:
    """Write the workbook: a table sheet (metric × period, conflicts highlighted) and a
    provenance sheet, named and headed in `lang` (vi or en)."""
    # imported here: only XLSX exports need it
    from openpyxl import Workbook
    from openpyxl.comments import Comment
    from openpyxl.styles import Font, PatternFill

    book = Workbook()
    sheet = book.active
    sheet.title = text("export.sheet_table", lang)
    table = wide(frame)
    heads = ["organisation", "label", "metric", "unit"]
    periods = [str(c) for c in table.columns if c not in heads]
    table = table[[*heads, *periods]] if not table.empty else table
    sheet.append([*export_columns(heads, lang), *periods])
    conflicts = {
        (c["organisation"], c["metric"], c["period_key"]): c
        for c in frame.to_dict(orient="records")
        if c["conflict"]
    }
    warn = PatternFill("solid", fgColor="FFF2CC")
    for r, row in enumerate(table.itertuples(index=False), start=2):
        values = [None if isinstance(v, float) and math.isnan(v) else v for v in row]
        sheet.append(values)
        for c, period in enumerate(table.columns, start=1):
            cell = conflicts.get((row[0], row[2], period))
            if cell:
                target = sheet.cell(row=r, column=c)
                target.fill = warn
                note = "; ".join(f"{number(s['value'])} ({s['document']})" for s in cell["sources"])
                target.comment = Comment(text("export.disagree", lang, note=note), "baocao")
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "E2"
    sheet.column_dimensions["A"].width = 36
    sheet.column_dimensions["B"].width = 44
    sheet.column_dimensions["C"].width = 50
    prov = book.create_sheet(text("export.sheet_provenance", lang))
    rows = provenance_rows(frame, lang)
    prov.append(list(rows.columns))
    for row in rows.itertuples(index=False):
        prov.append([None if isinstance(v, float) and math.isnan(v) else v for v in row])
    for cell in prov[1]:
        cell.font = Font(bold=True)
    prov.freeze_panes = "A2"
    widths = (30, 40, 50, 10, 10, 9, 10, 32, 40, 12, 80)
    for letter, width in zip("ABCDEFGHIJK", widths, strict=True):
        prov.column_dimensions[letter].width = width
    book.save(path)


# ---------------------------------------------------------------------------------------------
# HTML
# ---------------------------------------------------------------------------------------------

_CSS = """
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans",sans-serif;margin:2rem auto;
max-width:960px;padding:0 1rem;color:#1a1a1a;line-height:1.45}
h1{font-size:1.5rem;margin-bottom:.2rem}h2{font-size:1.15rem;margin:0}
.meta,.key{color:#555;font-size:.9rem;margin:.2rem 0 .6rem}
nav ol{columns:2;font-size:.9rem}section.metric{border-top:1px solid #ddd;padding:1.2rem 0}
table{border-collapse:collapse;width:100%;font-size:.92rem}
th,td{border-bottom:1px solid #eee;padding:.3rem .5rem;text-align:left;vertical-align:top}
td.num{text-align:right;font-variant-numeric:tabular-nums}
details summary{cursor:pointer;font-weight:600}details[open]{background:#f7f9fc}
details ul{margin:.3rem 0 .3rem 1rem;padding:0;font-weight:400}
blockquote{margin:.2rem 0;padding:.2rem .5rem;border-left:3px solid #0072B2;background:#fff}
h2.org{font-size:1.3rem;margin-top:1.6rem}nav li.org{font-weight:600;list-style:none}
mark{background:#ffe58a}.conflict summary{color:#b00020}.up{color:#00734d}.down{color:#b00020}
svg{display:block;max-width:100%;height:auto}svg text{font-family:inherit;font-size:11px}
"""


def _colour(series: str, order: list[str]) -> str:
    if series in _SERIES_COLOURS:
        return _SERIES_COLOURS[series]
    others = [s for s in order if s not in _SERIES_COLOURS]
    return _MORE_COLOURS[others.index(series) % len(_MORE_COLOURS)] if series in others else "#999"


def _nice_ceiling(value: float) -> float:
    if value <= 0:
        return 1.0
    power = 10 ** math.floor(math.log10(value))
    for step in (1, 2, 2.5, 5, 10):
        if value <= step * power:
            return step * power
    return 10 * power


def _anchor(metric_index: int, period: str) -> str:
    return f"p-{metric_index}-{period}"


def chart_svg(cells: list[dict[str, Any]], periods: list[str], metric_index: int) -> str:
    """A bar per period (coloured by series) joined by a dashed line within each series; the
    values of conflicting documents are drawn as red dots beside the preferred bar."""
    width, height, left, right, top, bottom = 720, 250, 60, 16, 28, 40
    plot_w, plot_h = width - left - right, height - top - bottom
    by_period = {c["period_key"]: c for c in cells}
    highest = max(max(c["values"]) for c in cells)
    ceiling = _nice_ceiling(highest * 1.08 if highest > 0 else 1.0)
    band = plot_w / max(len(periods), 1)
    series_order = list(dict.fromkeys(period_series(p) for p in periods))

    def y(value: float) -> float:
        return top + plot_h - plot_h * max(value, 0) / ceiling

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" role="img" '
        f'aria-label="{html.escape(cells[0]["label"])}">'
    ]
    for k in range(5):  # grid and y axis labels
        value = ceiling * k / 4
        gy = y(value)
        parts.append(f'<line x1="{left}" x2="{width - right}" y1="{gy:.1f}" y2="{gy:.1f}" '
                     'stroke="#e5e5e5"/>')  # fmt: skip
        parts.append(f'<text x="{left - 6}" y="{gy + 4:.1f}" text-anchor="end" fill="#555">'
                     f"{html.escape(_shown(float(value)))}</text>")  # fmt: skip
    lines: dict[str, list[str]] = {}
    for i, period in enumerate(periods):
        cx = left + band * (i + 0.5)
        parts.append(f'<text x="{cx:.1f}" y="{height - bottom + 16}" text-anchor="middle">'
                     f"{html.escape(period)}</text>")  # fmt: skip
        cell = by_period.get(period)
        if not cell:
            continue
        series = period_series(period)
        colour = _colour(series, series_order)
        bar_w = min(48.0, band * 0.6)
        top_y = y(cell["value"])
        tip = f"{period}: {_shown(cell['value'])} {cell['unit']} — {', '.join(cell['documents'])}"
        parts.append(
            f'<a href="#{_anchor(metric_index, period)}"><title>{html.escape(tip)}</title>'
            f'<rect x="{cx - bar_w / 2:.1f}" y="{top_y:.1f}" width="{bar_w:.1f}" '
            f'height="{top + plot_h - top_y:.1f}" fill="{colour}" rx="2"/></a>'
        )
        label = _shown(cell["value"]) + (" ⚠" if cell["conflict"] else "")
        parts.append(f'<text x="{cx:.1f}" y="{top_y - 5:.1f}" text-anchor="middle" '
                     f'fill="#1a1a1a">{html.escape(label)}</text>')  # fmt: skip
        for other in cell["values"][1:]:
            dot = f"<title>{html.escape(_shown(other))}</title>"
            parts.append(f'<circle cx="{cx + bar_w / 2 + 6:.1f}" cy="{y(other):.1f}" r="4" '
                         f'fill="#b00020">{dot}</circle>')  # fmt: skip
        lines.setdefault(series, []).append(f"{cx:.1f},{top_y:.1f}")
    for series, points in lines.items():
        if len(points) > 1:
            parts.append(f'<polyline points="{" ".join(points)}" fill="none" '
                         f'stroke="{_colour(series, series_order)}" stroke-width="2" '
                         'stroke-dasharray="5 4"/>')  # fmt: skip
    for k, series in enumerate(series_order):  # legend
        lx = left + 8 + 150 * k
        parts.append(f'<rect x="{lx}" y="6" width="12" height="12" '
                     f'fill="{_colour(series, series_order)}"/>')  # fmt: skip
        parts.append(f'<text x="{lx + 16}" y="16">'
                     f"{html.escape(_SERIES_NAMES.get(series, series))}</text>")  # fmt: skip
    parts.append(f'<line x1="{left}" x2="{width - right}" y1="{top + plot_h}" '
                 f'y2="{top + plot_h}" stroke="#333"/>')  # fmt: skip
    parts.append("</svg>")
    return "".join(parts)


def _highlighted(sentence: str | None, text: str | None) -> str:
    shown = (sentence or "").replace("\t", " | ")
    if not shown:
        return html.escape(text or "")
    if text and text in shown:
        at = shown.index(text)
        return (html.escape(shown[:at]) + "<mark>" + html.escape(text) + "</mark>"
                + html.escape(shown[at + len(text):]))  # fmt: skip
    return html.escape(shown)


def _source_item(src: dict[str, Any]) -> str:
    where = [f"<b>{html.escape(str(src.get('document')))}</b>"]
    if src.get("section"):
        where.append(f"mục {html.escape(str(src['section']))}")
    if src.get("column"):
        where.append(f"cột “{html.escape(str(src['column']))}”")
    if src.get("role") == "previous":
        where.append(f"cột kỳ trước của báo cáo {html.escape(str(src.get('document_period')))}")
    where.append(f"quy tắc {html.escape(str(src.get('rule')))}")
    return (
        f'<li title="{html.escape(str(src.get("source")))}">{_shown(src["value"])} — '
        + " · ".join(where)
        + f"<blockquote>{_highlighted(src.get('sentence'), src.get('text'))}</blockquote></li>"
    )


def _value_cell(cell: dict[str, Any], anchor: str) -> str:
    summary = " ≠ ".join(_shown(v) for v in cell["values"]) + (" ⚠" if cell["conflict"] else "")
    items = "".join(_source_item(s) for s in cell["sources"])
    css = ' class="conflict"' if cell["conflict"] else ""
    return (f'<details id="{anchor}"{css}><summary>{html.escape(summary)}</summary>'
            f"<ul>{items}</ul></details>")  # fmt: skip


def _change_cells(cell: dict[str, Any]) -> str:
    change, pct = cell["change"], cell["pct_change"]
    if change is None or (isinstance(change, float) and math.isnan(change)):
        return '<td class="num"></td><td class="num"></td><td></td>'
    css = "up" if change > 0 else "down" if change < 0 else ""
    sign = "+" if change > 0 else ""
    pct_text = "" if pct is None or math.isnan(pct) else f"{sign}{pct:.1f}%"
    return (f'<td class="num {css}">{sign}{html.escape(_shown(float(change)))}</td>'
            f'<td class="num {css}">{pct_text}</td>'
            f"<td>{html.escape(str(cell['compared_with']))}</td>")  # fmt: skip


def to_html(frame: pd.DataFrame, title: str = "baocao", lang: str = "vi") -> str:
    """One HTML page, no external resources: per metric a chart, then its table of values (its
    words in `lang`, vi or en)."""
    periods = periods_of(frame) if not frame.empty else []
    sections, nav = [], []
    heads = "".join(
        f"<th>{html.escape(h)}</th>" for h in text("export.html_heads", lang).split(";")
    )
    organisation = None
    groups = frame.groupby(["organisation_id", "metric"], sort=False)
    for index, ((_, metric), group) in enumerate(groups):
        cells = sorted(
            group.to_dict(orient="records"), key=lambda c: periods.index(c["period_key"])
        )
        first = cells[0]
        if first["organisation"] != organisation:
            organisation = first["organisation"]
            nav.append(f'<li class="org">{html.escape(str(organisation))}</li>')
            sections.append(f'<h2 class="org">{html.escape(str(organisation))}</h2>')
        nav.append(f'<li><a href="#m-{index}">{html.escape(first["label"])}</a></li>')
        rows = "".join(
            f"<tr><td>{html.escape(c['period_key'])}</td>"
            f"<td>{html.escape(text('period.' + c['period_kind'], lang))}</td>"
            f'<td class="num">{_value_cell(c, _anchor(index, c["period_key"]))}</td>'
            f"{_change_cells(c)}</tr>"
            for c in cells
        )
        sections.append(
            f'<section class="metric" id="m-{index}"><h2>{html.escape(first["label"])}</h2>'
            f'<p class="key"><code>{html.escape(metric)}</code> · {html.escape(first["unit"])}</p>'
            f"{chart_svg(cells, periods, index)}"
            f"<table><thead><tr>{heads}</tr></thead>"
            f"<tbody>{rows}</tbody></table></section>"
        )
    conflicts = int(frame["conflict"].sum()) if not frame.empty else 0
    meta = text(
        "export.html_meta",
        lang,
        metrics=len(groups),
        periods=", ".join(periods),
        conflicts=conflicts,
        at=f"{datetime.now():%Y-%m-%d %H:%M}",
    )
    return (
        f'<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{html.escape(title)}</title><style>{_CSS}</style></head><body>"
        f'<header><h1>{html.escape(title)}</h1><p class="meta">{html.escape(meta)}</p>'
        f"<nav><ol>{''.join(nav)}</ol></nav></header>"
        f"<main>{''.join(sections)}</main></body></html>\n"
    )
