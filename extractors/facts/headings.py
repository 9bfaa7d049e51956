"""The roles of table columns, read from their headings: one vocabulary for the award, indicator
and criteria tables (table_kinds) and for the quantities read from table cells (tables)."""

from __future__ import annotations

import re
from functools import lru_cache

from extractors.text.keys import match_key

# A unit-of-measure column ("ĐVT"); in a table of quantities, a column headed "Đơn vị" holds the
# unit of the row's figures too.
UNIT_HEADS = ("đvt", "đơn vị tính", "dvt")

# Roles whose columns hold no quantity of the row: its number, a code, scores and points of a
# scoring table, notes, the decision a row rests on.
NOT_QUANTITIES = frozenset({"number", "code", "points", "score", "note", "basis"})


# a heading is asked for on every row of its table, and the same headings recur across reports
@lru_cache(maxsize=4096)
def column_role(head: str) -> str | None:
    """What a table column holds, from its heading (any spelling: it is keyed first):
    number (the row's number), code, unit (of measure), criterion, label, points, score,
    previous (the same period before), percent, plan, achieved, recipients, note, basis (the
    decision a row rests on); None for a heading that says none of these."""
    h = match_key(head)
    if not h:
        return None
    # (a PDF's text layer may split a narrow heading: "ST T", "S TT")
    if (
        h in ("tt", "stt", "số tt", "sstt", "số thứ tự")
        or h.endswith(" tt")
        or (h.replace(" ", "") in ("tt", "stt", "sstt"))
    ):
        return "number"
    if h in ("mã", "mã số", "ký hiệu"):
        return "code"
    if h in UNIT_HEADS:
        return "unit"
    if "tiêu chí" in h:
        return "criterion"
    if h.startswith(
        ("chỉ tiêu", "nội dung", "hình thức", "danh hiệu", "tên chỉ tiêu")
    ) and not re.search(r"\d{4}", h):
        return "label"
    if "điểm chuẩn" in h or h in ("điểm", "thang điểm", "điểm tối đa"):
        return "points"
    if "điểm" in h:
        return "score"
    if "cùng kỳ" in h or "năm trước" in h:
        return "previous"
    if h.startswith(("tỷ lệ", "tỉ lệ")) or "so với" in h or h.endswith("%"):
        return "percent"
    if h.startswith(("kế hoạch", "mục tiêu")) or h == "chỉ tiêu":
        return "plan"
    if h.startswith(("thực hiện", "kết quả", "ước thực hiện", "đạt")) or re.search(r"\d{4}", h):
        return "achieved"
    if h in ("tập thể", "cá nhân"):
        return "recipients"
    if h.startswith("ghi chú") or h.startswith("cấp quyết định"):
        return "note"
    if h.startswith("căn cứ"):
        return "basis"
    return None
