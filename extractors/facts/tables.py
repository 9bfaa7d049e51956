"""Tables: award tables ("Hình thức khen thưởng | Tập thể | Cá nhân") and indicator tables
("Chỉ tiêu | ĐVT | Kế hoạch | Thực hiện | Tỷ lệ %") turned into quantities, one per counted cell,
with the row's unit-of-measure cell or the column head as unit. Row numbers, notes and scores are
not quantities. Every cell keeps its table, row and column."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from extractors.facts.headings import NOT_QUANTITIES, UNIT_HEADS, column_role
from extractors.text.keys import cell_number, match_key
from schemas.models import Quantity

if TYPE_CHECKING:
    from extractors.context import Context

_GENERIC_HEADS = ("số lượng", "tổng số", "kết quả", "thực hiện", "kết quả thực hiện", "số liệu")
_SCORE_CELL = re.compile(r"^\s*(tốt|khá|tb|trung bình|yếu|đạt|không đạt)\s*:", re.I)


@dataclass
class _Row:
    block: int
    start: int
    cells: list[tuple[int, str]]  # (offset of the cell in the text, its text)


def _rows_of(ctx: Context) -> list[list[_Row]]:
    tables: dict[int, list[_Row]] = {}
    for b, block in enumerate(ctx.blocks):
        if block.kind != "table_row" or block.table is None:
            continue
        start = ctx.text.block_starts[b]
        end = ctx.raw.find("\n", start)
        line = ctx.raw[start:end]
        cells, pos = [], start
        for part in line.split("\t"):
            cells.append((pos, part))
            pos += len(part) + 1
        tables.setdefault(block.table, []).append(_Row(b, start, cells))
    return list(tables.values())


def _number(text: str) -> tuple[float, bool] | None:
    """A cell's number and whether it is a percentage (its qualifier is read apart). A loss is
    negative: `-3,20`, or in accountants' brackets `(12,5)` (a decimal or thousands mark is
    needed there: `(5)` is a note's or a column's number)."""
    found = cell_number(text)
    if found is None and (m := _NEGATIVE.match(text)):
        found = cell_number(m.group("minus") or m.group("bracket"))
    elif found is not None:
        return found[0], found[2]
    return None if found is None else (-found[0], found[2])


_NEGATIVE = re.compile(
    r"^\s*(?:[-–−]\s*(?P<minus>\d[\d.,]*%?)|\(\s*(?P<bracket>\d{1,3}(?:[.,]\d+)+%?)\s*\))\s*$"
)


_RATIO = re.compile(r"\s*(?P<n>\d{1,3}(?:\.\d{3})*)\s*/\s*\d{1,3}(?:\.\d{3})*\s*")


def _ratio(text: str) -> tuple[float, bool] | None:
    """The first number of a ratio cell ("74/74", "617/8"): what was achieved, of a total."""
    m = _RATIO.fullmatch(text)
    return (float(m.group("n").replace(".", "")), False) if m else None


def _is_column_numbering(row: _Row) -> bool:
    """A row "1 | 2 | 3 ..." or "(1) | (2) ..." that only numbers the columns."""
    values = [re.sub(r"[()\s]|\(.*", "", t) for _, t in row.cells if t.strip()]
    digits = [v for v in values if v.isdigit()]
    if len(digits) < 3 or len(digits) < len(values) - 1:
        return False
    steps = [int(b) - int(a) == 1 for a, b in zip(digits, digits[1:], strict=False)]
    return sum(steps) >= 0.7 * len(steps)


def _is_data_row(row: _Row) -> bool:
    texts = [t.strip() for _, t in row.cells]
    numeric = sum(1 for t in texts[1:] if _number(t))
    labelled = any(t and not _number(t) and t not in ("-", "–") for t in texts)
    return numeric >= 1 and labelled


# A column headed "Tổng số văn bản đã phát hành" or "Số hồ sơ tiếp nhận" counts what follows
# "số": that noun phrase is the unit of its cells.
_COUNT_LEAD = re.compile(r"^\s*(?:tổng\s+số|số\s+lượng|số)\s+(?=\S)", re.I)


def _counted_in_heading(heading: str) -> str:
    """The unit a column's heading gives its cells: the heading less a leading "Tổng số",
    "Số lượng" or "Số" (a heading that is only those words is left as it is)."""
    rest = _COUNT_LEAD.sub("", heading, count=1)
    return rest if rest.strip() else heading


def _heading(headers: list[_Row], col: int, width: int) -> str:
    same = [r for r in headers if len(r.cells) == width]
    for rows in (same, headers):
        for r in reversed(rows):
            if col < len(r.cells) and r.cells[col][1].strip():
                return r.cells[col][1].strip()
    return ""


def _numbered(row: _Row, headers: list[_Row]) -> bool:
    """A row that opens with its number under a "TT" head is a row of data, even when no cell of
    it is a plain number ("1 | 100% đoàn viên được ... | 100%/85%"): no heading of the table."""
    if not headers or not row.cells or not re.fullmatch(r"\s*\d{1,3}\s*", row.cells[0][1]):
        return False
    return column_role(_heading(headers, 0, len(row.cells))) == "number"


def _names_a_body(cell: str) -> bool:
    """A cell that names a body ("UBND xã Tân Phú", "Phòng Tư pháp", "Văn phòng Sở") rather than
    a unit of measure ("người", "Tỷ đồng", "Lượt người"): a proper name after its first word,
    or more words than a unit takes."""
    words = cell.split()
    return len(words) > 3 or any(w[:1].isupper() for w in words[1:])


def _lists_bodies(rows: list[_Row], col: int, width: int) -> bool:
    """True when a column headed "Đơn vị" lists the bodies a table reports on, not units of
    measure: most of its cells in the data rows name a body."""
    cells = [
        r.cells[col][1].strip()
        for r in rows
        if len(r.cells) == width and r.cells[col][1].strip() and _is_data_row(r)
    ]
    return sum(_names_a_body(c) for c in cells) * 2 > len(cells)


def table_quantities(ctx: Context) -> list[Quantity]:
    out: list[Quantity] = []
    for rows in _rows_of(ctx):
        headers: list[_Row] = []
        seen_data = False
        for row in rows:
            if _is_column_numbering(row):
                continue
            if not seen_data and not _is_data_row(row) and not _numbered(row, headers):
                headers.append(row)
                continue
            numbered = _numbered(row, headers)
            seen_data = seen_data or numbered
            if not _is_data_row(row) and not numbered:
                continue
            seen_data = True
            width = len(row.cells)
            heads = [match_key(_heading(headers, j, width)) for j in range(width)]
            unit_col = next(
                (
                    j
                    for j, h in enumerate(heads)
                    if h in UNIT_HEADS or (h == "đơn vị" and not _lists_bodies(rows, j, width))
                ),
                None,
            )
            row_unit = row.cells[unit_col][1].strip() if unit_col is not None else ""
            roles = [column_role(h) for h in heads]
            for j, (offset, cell) in enumerate(row.cells):
                head = heads[j]
                if j == unit_col or roles[j] in NOT_QUANTITIES:
                    continue
                if j == 0 and not head and re.fullmatch(r"\s*\d{1,3}\s*", cell):
                    continue  # the row's number
                if _SCORE_CELL.match(cell):
                    continue
                parsed = _number(cell)
                if parsed is None and roles[j] in ("achieved", "previous"):
                    parsed = _ratio(cell)  # "45/50" achieved: 45, of 50
                if parsed is None:
                    continue
                value, pct = parsed
                if pct or head.startswith(("tỷ lệ", "tỉ lệ")) or head.endswith("%"):
                    unit = "%"
                elif row_unit and row_unit not in ("-", "–"):
                    unit = row_unit
                elif head and (head not in _GENERIC_HEADS or roles[j] == "achieved"):
                    # an indicator table with no unit column: the achieved column's head ("Kết
                    # quả", "Thực hiện") is the unit its figures have
                    unit = _counted_in_heading(_heading(headers, j, width))
                else:
                    continue
                lead = len(cell) - len(cell.lstrip())
                start = offset + lead
                end = offset + len(cell.rstrip())
                out.append(
                    Quantity(value=value, unit=unit, **ctx.provenance(start, end, "table.cell"))
                )
    return out
