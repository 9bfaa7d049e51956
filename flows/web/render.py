"""HTML pieces the templates cannot draw alone: a document's text with its facts highlighted and
anchored, and one line summing up each fact's value. Every piece of
text is escaped here; the result is markup the templates insert as is."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from html import escape
from typing import Any

from markupsafe import Markup

from flows.analysis.show import KINDS

# Our kinds of fact (table names) and the labels and colours flows/analysis/show.py gives them.
LABELS = {
    "references": "REFERENCE",
    "dates": "DATE",
    "periods": "PERIOD",
    "quantities": "QUANTITY",
    "awards": "AWARD",
    "findings": "FINDING",
}
COLORS = {kind: KINDS[label][0] for kind, label in LABELS.items()}


def _present(value: Any) -> bool:
    if value is None:
        return False
    try:
        return not bool(value != value) and str(value) not in ("<NA>", "NaT")  # NaN, NA
    except (TypeError, ValueError):
        return str(value) not in ("<NA>", "NaT")


def _number(value: Any) -> str:
    number = float(value)
    return str(int(number)) if number.is_integer() else f"{number:g}"


def fact_value(kind: str, row: Mapping[str, Any]) -> str:
    """One line saying what a fact is, as `baocao show` writes it: `168-KH/ĐUK · Kế hoạch ·
    2022-12-22`, `65 đảng viên mới`, `2023-H1 (2023-01-01 – 2023-06-30)`."""

    def joined(*names: str) -> str:
        return " · ".join(str(row[n]) for n in names if _present(row.get(n)))

    if kind == "references":
        when = "date" if _present(row.get("date")) else "year"
        return joined("identifier", "doc_type", when, "issuer")
    if kind == "dates":
        return str(row.get("value"))
    if kind == "periods":
        return f"{row.get('period_key')} ({row.get('period_start')} – {row.get('period_end')})"
    if kind == "quantities":
        value = _number(row["value"]) if _present(row.get("value")) else "?"
        total = f"/{_number(row['of_total'])}" if _present(row.get("of_total")) else ""
        return f"{value}{total} {row.get('unit') or ''}".strip()
    if kind == "awards":
        return joined("title", "recipient_kind", "count", "authority")
    if kind == "findings":
        return f"{row.get('code')}: {row.get('message')}"
    return str(row.get("text", ""))


@dataclass(frozen=True)
class Highlight:
    """One fact to draw over the text: its anchor, kind, span, hover text and review status."""

    anchor: str
    kind: str
    start: int
    end: int
    title: str
    status: str | None = None


def highlighted_text(text: str, highlights: Sequence[Highlight]) -> Markup:
    """The text, escaped, with every fact's characters marked in its kind's colour (facts that
    overlap stack coloured underlines), an empty anchor element `id=<anchor>` where each fact
    starts, and each marked piece linking to the first fact covering it in the facts list
    (`#l-<anchor>`). Whitespace is kept for `white-space: pre-wrap`."""
    size = len(text)
    spans = sorted(
        (h for h in highlights if 0 <= h.start < h.end <= size),
        key=lambda h: (h.start, -h.end, h.anchor),
    )
    starts: dict[int, list[Highlight]] = {}
    for h in spans:
        starts.setdefault(h.start, []).append(h)
    cuts = sorted({0, size, *(h.start for h in spans), *(h.end for h in spans)})
    out: list[str] = []
    active: list[Highlight] = []  # the spans covering the piece from one cut to the next
    for a, b in zip(cuts, cuts[1:], strict=False):
        active = [h for h in active if h.end > a] + starts.get(a, [])
        out.extend(
            f'<span class="anchor" id="{escape(h.anchor)}"></span>' for h in starts.get(a, ())
        )
        piece = escape(text[a:b])
        covering = list(active)
        if not covering:
            out.append(piece)
            continue
        covering.sort(key=lambda h: (h.end - h.start, h.anchor))  # the innermost first
        first = covering[0]
        bars = ", ".join(
            f"inset 0 -{3 * (i + 1)}px 0 {COLORS.get(h.kind, '#ddd')}"
            for i, h in enumerate(covering[1:])
        )
        style = f"background: {COLORS.get(first.kind, '#ddd')}" + (
            f"; box-shadow: {bars}" if bars else ""
        )
        status = " ".join(sorted({f"rv-{h.status}" for h in covering if h.status}))
        title = escape("\n".join(h.title for h in covering), quote=True)
        out.append(
            f'<a class="hl {status}" href="#l-{escape(first.anchor)}" style="{style}" '
            f'title="{title}">{piece}</a>'
        )
    return Markup("".join(out))


def _shown(value: object) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return "∅" if value is None or value == "" else str(value)


def change_text(original: str | None, corrected: str | None) -> str:
    """What a correction changed, for people: `value: 130 → 131; unit: người → đảng viên` (the
    columns it set, old → new; an added fact shows its values alone)."""
    before = json.loads(original) if original else {}
    after = json.loads(corrected) if corrected else {}
    parts = []
    for column, new in after.items():
        old = before.get(column)
        if column in before and old == new:
            continue
        shown = _shown(new)
        parts.append(
            f"{column}: {_shown(old)} → {shown}" if column in before else f"{column}: {shown}"
        )
    return "; ".join(parts)
