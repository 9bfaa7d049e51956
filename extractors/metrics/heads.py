"""The heads of an indicator table as a reader flattens them: a row of merged heads (`Năm 2024`
over `KH` and `TH`, `So sánh (%)` over `TH/KH` and `TH/CK`) comes with fewer cells than the table
has columns, and which columns each stands over is inferred from the row of heads below it; a
caption line above the table (`ĐVT: tỷ đồng`) gives the unit of every row that has none.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from extractors.text.keys import match_key
from extractors.text.normalize import fold_tones


def spread(cells: list[str], width: int, below: list[str] | None = None) -> list[str] | None:
    """A header row with merged cells (fewer cells than the table is wide) laid over the grid:
    the cells before the first merged one keep their columns (TT, Chỉ tiêu, ĐVT) and the rest
    share the remaining columns. With the full row of heads below, the spans that fit it best
    (`_fit`); without it, evenly (`Năm 2023` over two, `Năm 2024` over two). None when no
    spans are known: then which column a head stands over is not known."""
    lead = 0
    while lead < len(cells) and not re.search(r"\d", cells[lead]) and lead < width:
        lead += 1
    rest, columns = len(cells) - lead, width - lead
    if rest <= 0 or rest > columns:
        return None
    if below is not None and len(below) == width and rest > 1 and columns <= 14:
        spans = max(_compositions(columns, rest), key=lambda s: _fit(cells[lead:], s, below[lead:]))
    elif columns % rest:
        return None
    else:
        spans = (columns // rest,) * rest
    return cells[:lead] + [c for c, n in zip(cells[lead:], spans, strict=True) for _ in range(n)]


def _compositions(total: int, parts: int) -> Iterator[tuple[int, ...]]:
    """Every way of writing `total` as `parts` positive spans, in order."""
    if parts == 1:
        yield (total,)
        return
    for first in range(1, total - parts + 2):
        for tail in _compositions(total - first, parts - 1):
            yield (first, *tail)


# heads of comparison columns (`So sánh (%)`, `TH/KH`, `% CK`) and of a plan or a result
_RATIO_GROUP = re.compile(r"so sánh|tỷ lệ|%|\bss\b")
_RATIO_HEAD = re.compile(r"/|%|^(?:kh|ck|so (?:với )?(?:kh|ck|cùng kỳ|kế hoạch).*)$")
_PLAN_HEAD = re.compile(r"^(?:kh|kế hoạch)\b")
_RESULT_HEAD = re.compile(r"^(?:th|thực hiện|ước)\b")


def _fit(upper: list[str], spans: tuple[int, ...], lower: list[str]) -> float:
    """How well merged heads over these spans fit the heads below them: a head repeated below
    (merged down over two rows) stands over that one column; a comparison head stands over
    ratio heads and only a comparison head does; a plan comes before its result. Even spans
    break ties."""
    score, at = 0.0, 0
    for text, span in zip(upper, spans, strict=True):
        head = match_key(text)
        under = [match_key(c) for c in lower[at : at + span]]
        at += span
        if head in under:
            score += 3 if span == 1 else -5
        ratio_group = bool(_RATIO_GROUP.search(head))
        for h in under:
            if h != head and _RATIO_HEAD.search(h):
                score += 1 if ratio_group else -2
            elif ratio_group and h != head:
                score -= 2
        results = [i for i, h in enumerate(under) if _RESULT_HEAD.search(h)]
        plans = [i for i, h in enumerate(under) if _PLAN_HEAD.search(h)]
        if results and plans and min(results) < max(plans):
            score -= 1
    return score - 0.1 * (max(spans) - min(spans))


_CAPTION = re.compile(
    r"(?:(?:^|[(\s])(?:đvt|đơn vị tính)|(?:^|\()đơn vị)\s*[:\-]\s*"
    r"(?P<unit>(?:1[.\s]?000(?:[.\s]?000)?\s*)?[^\d\s():;,][^():;,]{0,29}?)\s*\)?\s*\.?$"
)


def caption_unit(line: str) -> str:
    """The unit a caption line gives a whole table, as written: `ĐVT: triệu đồng`, `(Đơn vị
    tính: tỷ đồng)`, `Biểu 1 ... Đơn vị: tấn`; "" for any other line."""
    m = _CAPTION.search(fold_tones(line).lower().strip())
    if not m:
        return ""
    start, end = m.span("unit")
    offset = len(line) - len(line.lstrip())
    return line[offset + start : offset + end].strip()
