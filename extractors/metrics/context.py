"""What the metric rules see of a stored fact: the clause around a number in running text, the row,
column head and column role of a table cell, the granting body of an award, the titles of the
sections a fact sits in, and the periods a value belongs to. Everything is read back from the store
(the document's normalised text and the facts' offsets); nothing here writes.

Text given to rules is folded with `extractors.text.normalize.match_key` (NFC, lower case, modern
tone placement, single spaces), so `Hoà`/`Hòa` and `Uỷ`/`Ủy` read the same.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from extractors.facts.periods import iter_periods
from extractors.metrics.heads import caption_unit, spread
from extractors.text.keys import accent_key, match_key
from extractors.text.normalize import fold_tones
from schemas.vocab import award_titles

# A clause ends at these; commas do not end one ("đã xem xét, kết nạp 64 ...").
_CLAUSE_BREAK = re.compile(r"[;()\n]")
_CLAUSE_END = re.compile(r"[;()\n]|\.(?!\d)")
_CELL_NUMBER = re.compile(
    r"^\s*[<>≥≤~]?\s*[-–−]?\s*\d{1,3}(?:\.\d{3})*(?:,\d+)?\s*%?\s*$"
    r"|^\s*[-–−]?\s*\d+(?:[.,]\d+)?\s*%?\s*$|^\s*\(\s*\d{1,3}(?:[.,]\d+)+\s*\)\s*$"
)
_LETTER = re.compile(r"[^\W\d_]")
MAX_ROWS_BELOW = 200  # rows of a table read below a cell, looking for a sub-row's namesake


def fold_row(row: str | None) -> str:
    """A table row folded cell by cell, cells still separated by tabs."""
    return "\t".join(match_key(cell) for cell in (row or "").split("\t"))


# ---------------------------------------------------------------------------------------------
# Periods
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Period:
    """A reporting period as the store keys it: `2023-H1`, `2022`, `2024-Q1`, `2023-9M`, ..."""

    key: str
    start: date
    end: date

    @property
    def kind(self) -> str:
        return period_kind(self.key)

    @property
    def series(self) -> str:
        """What a period is compared with: the same part of another year (H1 with H1)."""
        return period_series(self.key)


def period_kind(key: str) -> str:
    """year, half, quarter, months, month, school_year or range, from a canonical period key."""
    if re.fullmatch(r"\d{4}", key):
        return "year"
    if re.fullmatch(r"\d{4}-H[12]", key):
        return "half"
    if re.fullmatch(r"\d{4}-Q[1-4]", key):
        return "quarter"
    if re.fullmatch(r"\d{4}-\d{1,2}M", key):
        return "months"
    if re.fullmatch(r"\d{4}-\d{2}", key):
        return "month"
    if re.fullmatch(r"\d{4}-\d{4}", key):
        return "school_year"
    return "range"


def period_series(key: str) -> str:
    """The key without its year: `H1`, `Q3`, `9M`, `06`, `year`, `school_year`, or the key."""
    kind = period_kind(key)
    if kind == "year":
        return "year"
    if kind == "school_year":
        return "school_year"
    if kind in ("half", "quarter", "months", "month"):
        return key[5:]
    return key


def shift_years(period: Period, years: int) -> Period:
    """The same part of another year: 2023-H1 shifted by -1 is 2022-H1."""

    def move(d: date) -> date:
        try:
            return d.replace(year=d.year + years)
        except ValueError:  # 29 February
            return d.replace(year=d.year + years, day=28)

    key = re.sub(r"\d{4}", lambda m: str(int(m.group(0)) + years), period.key)
    return Period(key, move(period.start), move(period.end))


_MONTHS_SHORT = re.compile(r"(?<![\w/.,])(\d{1,2})\s?[Tt](?=\s*/?\s*(?:19|20)\d\d\b)")


def period_in(text: str, default_year: int | None) -> Period | None:
    """The first period a heading such as `06 tháng đầu năm 2023` or `Năm 2021` names; in a
    table head a year alone other than `default_year` (`Thực hiện 2023`) names that year."""
    # `6T/2024`, `9T2023`: months abbreviated in a table head
    text = _MONTHS_SHORT.sub(r"\1 tháng ", text)
    for _, _, value in iter_periods(text, default_year):
        if value.kind == "range":
            continue
        return Period(value.key, date.fromisoformat(value.start), date.fromisoformat(value.end))
    year = _BARE_YEAR.search(text)
    # `Nhiệm kỳ 2020 - 2025` is no one year; the report's own year alone (`TH 2024` in a
    # half-year report) says no more than the report's period does
    if year and not _YEARS.search(text) and int(year.group(1)) != default_year:
        y = int(year.group(1))
        return Period(str(y), date(y, 1, 1), date(y, 12, 31))
    return None


# a year alone, not part of a date, a number or a range (`2023-2025`, `15/6/2023`, `2.023`)
_YEARS = re.compile(r"(?:19|20)\d\d\s*[-–]\s*(?:19|20)?\d\d")
_BARE_YEAR = re.compile(r"(?<![\d/.,\-–])((?:19|20)\d\d)(?![\d/.,\-–])")


# ---------------------------------------------------------------------------------------------
# Tables
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class TableCell:
    """A count cell with the row and column it sits in."""

    cells: tuple[str, ...]
    column_index: int
    headings: tuple[str, ...]  # one per column of the row, as written
    groups: tuple[str, ...] = ()  # the head above each column's own, where one spans several
    caption_unit: str = ""  # the unit a line above the table gives (`ĐVT: tỷ đồng`), or ""
    # the label of the row a sub-row (`- Xuất khẩu`) sits under, where the table has two
    # sub-rows of that label (under `Sản lượng sản xuất` and under `Sản lượng tiêu thụ`), or ""
    parent: str = ""

    @property
    def group(self) -> str:
        """The head over this column's own (`Năm 2023` over `Thực hiện`), or ""."""
        return self.groups[self.column_index] if self.column_index < len(self.groups) else ""

    @property
    def row(self) -> str:
        return "\t".join(self.cells)

    @property
    def heading(self) -> str:
        return self.headings[self.column_index] if self.column_index < len(self.headings) else ""

    @property
    def label(self) -> str:
        """The row's name: its first cell with letters in it that is not a number."""
        return _row_label(self.cells)

    def cell_under(self, heading: re.Pattern[str]) -> str | None:
        """The row's cell under the first column whose head matches `heading`."""
        for j, head in enumerate(self.headings):
            if j < len(self.cells) and heading.search(match_key(head)) and self.cells[j].strip():
                return self.cells[j].strip()
        return None


def _row_label(cells: list[str] | tuple[str, ...]) -> str:
    for cell in cells:
        if _LETTER.search(cell) and not _CELL_NUMBER.match(cell):
            return cell.strip()
    return ""


# a sub-row's label: `- Xuất khẩu`, `+ Trong nước`, `Trong đó: ...`, `a) ...`
_SUB_ROW = re.compile(r"^\s*(?:[-+*•–—]|trong đó|bao gồm|gồm|[a-zđ]\s*\))", re.IGNORECASE)


def _parent(rows: list[list[str]], cells: list[str], below: list[list[str]]) -> str:
    """The label of the main row above a sub-row whose label recurs in its table, or ""."""
    label = _row_label(cells)
    if not label or not _SUB_ROW.match(label):
        return ""
    first_data = next((i for i, r in enumerate(rows) if _is_data_row(r)), len(rows))
    table = [r for r in [*rows[first_data:], cells, *below] if _is_data_row(r)]
    folded = match_key(label)
    if sum(1 for r in table if match_key(_row_label(r)) == folded) < 2:
        return ""
    for r in reversed(rows[first_data:]):
        above = _row_label(r)
        if above and not _SUB_ROW.match(above):
            return above
    return ""


def is_number_cell(cell: TableCell) -> bool:
    """Whether the cell holds a figure and nothing else (not a number inside a row's label,
    such as `Than sản xuất (1000 tấn)`)."""
    text = cell.cells[cell.column_index] if cell.column_index < len(cell.cells) else ""
    return bool(_CELL_NUMBER.match(text))


def _is_data_row(cells: list[str]) -> bool:
    numeric = sum(1 for c in cells[1:] if c.strip() and _CELL_NUMBER.match(c))
    labelled = any(_LETTER.search(c) and not _CELL_NUMBER.match(c) for c in cells)
    return numeric >= 1 and labelled


def _is_column_numbering(cells: list[str]) -> bool:
    values = [re.sub(r"[()\s]", "", c) for c in cells if c.strip()]
    return len(values) >= 3 and all(v.isdigit() for v in values)


def _heading(headers: list[list[str]], col: int, width: int) -> str:
    same = [r for r in headers if len(r) == width]
    for rows in (same, headers):
        for cells in reversed(rows):
            if col < len(cells) and cells[col].strip():
                return cells[col].strip()
    return ""


def _group(headers: list[list[str]], col: int, width: int, own: str) -> str:
    """The nearest head above a column's own head that is not the same text: from a row as wide
    as the table, or from a narrower row of merged cells spread over the grid."""
    for i in range(len(headers) - 1, -1, -1):
        cells = headers[i]
        below = next((r for r in headers[i + 1 :] if len(r) == width), None)
        laid = cells if len(cells) == width else spread(cells, width, below)
        if laid is None or col >= len(laid):
            continue
        text = laid[col].strip()
        if text and text != own:
            return text
    return ""


# ---------------------------------------------------------------------------------------------
# One document's text
# ---------------------------------------------------------------------------------------------


@dataclass
class DocumentText:
    """A stored document's normalised text, read for the context of its facts."""

    text: str
    section_titles: dict[str, str] = field(default_factory=dict)

    def _line(self, offset: int) -> tuple[int, int]:
        start = self.text.rfind("\n", 0, offset) + 1
        end = self.text.find("\n", offset)
        return start, len(self.text) if end < 0 else end

    def _sentence_span(self, start: int, end: int, sentence: str | None) -> tuple[int, int]:
        if isinstance(sentence, str) and sentence:
            found = self.text.rfind(sentence, max(0, end - len(sentence)), start + len(sentence))
            if found >= 0:
                return found, found + len(sentence)
        return self._line(start)

    def sections(self, path: str | None) -> str:
        """The titles of a section and its parents, outermost first, joined by ` / `."""
        if not path:
            return ""
        parts = path.split("/")
        titles = [self.section_titles.get("/".join(parts[: i + 1]), "") for i in range(len(parts))]
        return " / ".join(match_key(t) for t in titles if t)

    def prose_fields(self, start: int, end: int, sentence: str | None) -> dict[str, str]:
        """before, prefix, after and sentence of a number found in running text (folded)."""
        s_start, s_end = self._sentence_span(start, end, sentence)
        prefix = self.text[s_start:start]
        breaks = list(_CLAUSE_BREAK.finditer(prefix))
        before = prefix[breaks[-1].end() :] if breaks else prefix
        rest = self.text[end:s_end]
        stop = _CLAUSE_END.search(rest)
        after = rest[: stop.start()] if stop else rest
        # keep a trailing space so that patterns may end in "\s*$" or "và\s*$" alike
        return {
            "before_text": before,  # as written, for the label of an open metric
            "before": match_key(before) + " ",
            "prefix": match_key(prefix) + " ",
            "after": " " + match_key(after),
            "sentence": match_key(self.text[s_start:s_end]),
        }

    def text_before(self, start: int, end: int, phrase: str) -> str:
        """The clause before `phrase` (folded) found within [start, end), or before `start`."""
        window = fold_tones(self.text[start:end]).lower()
        at = window.find(phrase)
        cut = start + (at if at >= 0 else 0)
        s_start, _ = self._line(cut)
        head = self.text[s_start:cut]
        breaks = list(re.finditer(r"[;:()\n]|\.(?!\d)", head))
        return head[breaks[-1].end() :] if breaks else head

    def table_cell(self, start: int, row_index: int, column_index: int) -> TableCell | None:
        """The cell at `start` with its row, and the column heads read from the rows above."""
        line_start, line_end = self._line(start)
        cells = self.text[line_start:line_end].split("\t")
        rows: list[list[str]] = []
        cursor = line_start
        for _ in range(max(row_index, 0)):
            if cursor <= 0:
                break
            above_start, above_end = self._line(cursor - 1)
            above = self.text[above_start:above_end]
            if "\t" not in above:
                break
            rows.insert(0, above.split("\t"))
            cursor = above_start
        headers = []
        for r in rows:
            if _is_data_row(r):
                break
            if not _is_column_numbering(r):
                headers.append(r)
        width = len(cells)
        headings = tuple(_heading(headers, j, width) for j in range(width))
        groups = tuple(_group(headers, j, width, headings[j]) for j in range(width))
        caption = ""
        if cursor > 0 and len(rows) == max(row_index, 0):  # the line just above the table
            above_start, above_end = self._line(cursor - 1)
            caption = caption_unit(self.text[above_start:above_end])
        for r in headers:  # or a row of the table's own that holds the caption alone
            filled = {c.strip() for c in r if c.strip()}
            if not caption and len(filled) == 1:
                caption = caption_unit(filled.pop())
        below: list[list[str]] = []
        cursor = line_end
        sub_row = bool(_SUB_ROW.match(_row_label(cells)))  # only a sub-row reads rows below
        while sub_row and cursor < len(self.text) - 1 and len(below) < MAX_ROWS_BELOW:
            next_start, next_end = self._line(cursor + 1)
            line = self.text[next_start:next_end]
            if "\t" not in line:
                break
            below.append(line.split("\t"))
            cursor = next_end
        parent = _parent(rows, cells, below)
        return TableCell(tuple(cells), column_index, headings, groups, caption, parent)


# ---------------------------------------------------------------------------------------------
# Awards
# ---------------------------------------------------------------------------------------------

_GRANT_VERB = re.compile(
    r"(?P<who>[^,;:.]+?)\s+(?:đã\s+)?(?:ra\s+)?(?:quyết định\s+)?"
    r"(?:trao tặng|tặng thưởng|tặng|trao|khen thưởng|công nhận)\s*(?:danh hiệu\s*)?[“\"]?\s*$"
)
_CONNECTORS = re.compile(r"^(?:đồng thời|ngoài ra|bên cạnh đó|và|đã|được|cùng với đó)\s+")


def granting_body(before: str) -> str | None:
    """The body named before a grant verb, as written: `Chủ tịch UBND tỉnh tặng` gives
    `Chủ tịch UBND tỉnh`."""
    low = fold_tones(before).lower()  # same length as `before`, so offsets carry over
    m = _GRANT_VERB.search(low + " ")
    if not m:
        return None
    start, end = m.span("who")
    while True:
        lead = _CONNECTORS.match(low[start:end].lstrip())
        if not lead:
            break
        start += len(low[start:end]) - len(low[start:end].lstrip()) + lead.end()
    who = " ".join(before[start:end].split())
    return who or None


def _title_variants() -> list[tuple[str, str]]:
    pairs = [(match_key(v), t.canonical) for t in award_titles() for v in t.variants]
    return sorted(pairs, key=lambda p: len(p[0]), reverse=True)


_TITLES: list[tuple[str, str]] = []


def award_title_in(label: str) -> str | None:
    """The canonical award title a table row names (the longest variant found in it)."""
    if not _TITLES:
        _TITLES.extend(_title_variants())
    folded = match_key(label)
    for variant, canonical in _TITLES:
        if re.search(r"(?<![^\W\d_])" + re.escape(variant) + r"(?![^\W\d_])", folded):
            return canonical
    return None


def authority_in_label(label: str, title: str) -> str | None:
    """`Bằng khen của Chủ tịch UBND tỉnh` gives `Chủ tịch UBND tỉnh`."""
    m = re.search(r"\b(?:của|do)\s+(.+)$", label, re.IGNORECASE)
    if m and match_key(title) not in match_key(m.group(1)):
        return m.group(1).strip(' ”"')
    return None


def slug(text: str, abbreviations: tuple[tuple[str, str], ...] = ()) -> str:
    """An ASCII key part: abbreviations applied to the folded text, accents removed, `_` joins."""
    folded = match_key(text)
    for long, short in abbreviations:
        folded = re.sub(r"(?<![^\W\d_])" + re.escape(long) + r"(?![^\W\d_])", short, folded)
    return re.sub(r"[^a-z0-9]+", "_", accent_key(folded)).strip("_")
