"""Every table of a report as rows and cells, recognised by kind: award tables ("Hình thức khen
thưởng | Tập thể | Cá nhân"), indicator tables ("Chỉ tiêu | ĐVT | Kế hoạch | Thực hiện | Cùng kỳ |
Tỷ lệ %") and scoring-criteria tables ("Mã | Tiêu chí | ĐVT | Chỉ tiêu | Điểm chuẩn" with points per
tier "Tốt/Khá/TB/Yếu"). Indicator and criteria rows become normalised rows of their own, with the
provenance of the row."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from extractors.facts.headings import column_role
from extractors.text.keys import cell_number, match_key
from schemas.models import CriterionRow, DocTable, IndicatorRow, TableKind

if TYPE_CHECKING:
    from extractors.context import Context

_TIER = re.compile(
    r"(?P<tier>tốt|khá|tb|trung bình|yếu|kém|đạt|không đạt)\s*:\s*(?P<n>\d+(?:[,.]\d+)?)", re.I
)


def _plain_number(text: str) -> float | None:
    """A cell's number in Vietnamese notation ("4.775", "45,7"); None for text, dashes, blanks
    and qualified numbers ("trên 5")."""
    found = cell_number(text)
    return found[0] if found and not found[1] else None


def _roles(header_rows: list[tuple[str, ...]], width: int) -> list[str | None]:
    """The role of each column, from the heading rows of the same width (the reader repeats a
    merged heading's text into the cells it covers), most specific (lowest) heading first."""
    same = [r for r in header_rows if len(r) == width] or header_rows
    roles: list[str | None] = []
    for j in range(width):
        role = None
        for row in reversed(same):
            if j < len(row) and row[j].strip():
                role = column_role(row[j])
                if role:
                    break
        roles.append(role)
    if "criterion" in roles:  # beside a "Tiêu chí" column, "Chỉ tiêu" is the target
        roles = ["plan" if r == "label" else r for r in roles]
    return roles


def _table_kind(roles: list[str | None], header_text: str) -> TableKind:
    head = match_key(header_text)
    if "criterion" in roles or ("points" in roles and "điểm" in head):
        return "criteria"
    if "recipients" in roles or "khen thưởng" in head:
        return "award"
    if "unit" in roles and ({"plan", "achieved", "previous"} & set(roles)):
        return "indicator"
    return "data"


def structured_tables(
    ctx: Context,
) -> tuple[list[DocTable], list[IndicatorRow], list[CriterionRow]]:
    groups: dict[int, list[int]] = {}
    for b, block in enumerate(ctx.blocks):
        if block.kind == "table_row" and block.table is not None:
            groups.setdefault(block.table, []).append(b)
    tables, indicators, criteria = [], [], []
    for index, members in groups.items():
        rows = [
            tuple(
                ctx.raw[
                    ctx.text.block_starts[b] : ctx.raw.find("\n", ctx.text.block_starts[b])
                ].split("\t")
            )
            for b in members
        ]
        cells = [ctx.blocks[b].cells or rows[i] for i, b in enumerate(members)]
        header_rows = 0
        for row in rows:
            if any(_plain_number(c) is not None for c in row[1:]) and any(
                c.strip() and _plain_number(c) is None for c in row
            ):
                break
            header_rows += 1
        start = ctx.text.block_starts[members[0]]
        end = ctx.raw.find("\n", ctx.text.block_starts[members[-1]])
        if header_rows == len(rows):
            kind: TableKind = (
                "layout" if len(rows) <= 3 and max(len(r) for r in rows) <= 3 else "data"
            )
            tables.append(
                DocTable(
                    index=index,
                    kind=kind,
                    header_rows=header_rows,
                    rows=tuple(tuple(c) for c in cells),
                    start=start,
                    end=end,
                )
            )
            continue
        heads = rows[:header_rows]
        kind = _table_kind(
            _roles(heads, len(rows[header_rows])), " ".join(" ".join(r) for r in heads)
        )
        tables.append(
            DocTable(
                index=index,
                kind=kind,
                header_rows=header_rows,
                rows=tuple(tuple(c) for c in cells),
                start=start,
                end=end,
            )
        )
        for i in range(header_rows, len(rows)):
            row, b = rows[i], members[i]
            roles = _roles(heads, len(row))
            line_start = ctx.text.block_starts[b]
            prov = ctx.provenance(line_start, line_start + len("\t".join(row)), f"table.{kind}")

            def pick(role: str, row: tuple[str, ...] = row, roles: list[str | None] = roles) -> str:
                return next((row[j].strip() for j, r in enumerate(roles) if r == role), "")

            def number(role: str) -> float | None:
                return _plain_number(pick(role))

            label = pick("label") or pick("criterion")
            if kind == "indicator" and label:
                indicators.append(
                    IndicatorRow(
                        indicator=label,
                        unit=pick("unit") or None,
                        plan=number("plan"),
                        achieved=number("achieved"),
                        previous=number("previous"),
                        percent=number("percent"),
                        **prov,
                    )
                )
            elif kind == "criteria" and label:
                block_cells = ctx.blocks[b].cells
                raw_points = (
                    block_cells[roles.index("points")]
                    if "points" in roles and block_cells and len(block_cells) == len(roles)
                    else pick("points")
                )
                tiers = tuple(
                    (m.group("tier").capitalize(), float(m.group("n").replace(",", ".")))
                    for m in _TIER.finditer(raw_points)
                )
                single = number("points")
                points = tiers or ((("Tối đa", single),) if single is not None else ())
                criteria.append(
                    CriterionRow(
                        code=pick("code") or None,
                        criterion=label,
                        unit=pick("unit") or None,
                        target=_plain_number(pick("plan")) if "plan" in roles else None,
                        points=points,
                        **prov,
                    )
                )
    return tables, indicators, criteria
