"""Reporting periods: "6 tháng đầu năm 2023", "năm 2022", "quý I/2024", "9 tháng", "năm học
2016-2017", "tháng 6/2023", "giai đoạn 2021-2025", each with its first and last day and a canonical
key (2023-H1, 2022, 2024-Q1, 2023-9M, 2016-2017, 2023-06, 2021..2025)."""

from __future__ import annotations

import calendar
import re
from typing import TYPE_CHECKING

from schemas.models import PeriodMention, PeriodValue

if TYPE_CHECKING:
    from extractors.context import Context

RULE = "period"

_YEAR = r"(?P<year>(?:19|20)\d\d)"
_NUM_WORDS = {"một": 1, "hai": 2, "ba": 3, "bốn": 4, "sáu": 6, "chín": 9}
_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4, "1": 1, "2": 2, "3": 3, "4": 4}

# Ordered: the first pattern that matches at a position wins.
_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    (
        "school_year",
        re.compile(r"\bnăm học\s+(?P<y1>(?:19|20)\d\d)\s*[-–—]\s*(?P<y2>(?:19|20)\d\d)", re.I),
    ),
    (
        # "6 tháng", "9 tháng đầu năm 2024"; any other number of months only tied to its year
        # ("11 tháng năm 2024", "3 tháng cuối năm"): "trong 3 tháng" is a duration
        "months",
        re.compile(
            r"\b(?:(?P<n>0?6|0?9|sáu|chín)\s+tháng\b\s*(?P<part>đầu|cuối)?\s*(?:năm\s*)?(?:"
            + _YEAR
            + r")?|(?P<n2>0?[1-9]|1[01]|hai|ba|bốn)\s+tháng\s+(?:(?P<part2>đầu|cuối)\s+)?năm\b"
            r"\s*(?:" + _YEAR.replace("year", "year2") + r")?)",
            re.I,
        ),
    ),
    (
        "quarter",
        re.compile(r"\bquý\s+(?P<q>IV|I{1,3}|[1-4])(?:\s*(?:/|năm|-)\s*" + _YEAR + r")?", re.I),
    ),
    ("month", re.compile(r"\btháng\s+(?P<m>0?[1-9]|1[0-2])\s*(?:/|năm|-)\s*" + _YEAR, re.I)),
    (
        "range",
        re.compile(
            r"\b(?:giai đoạn|nhiệm kỳ|thời kỳ)\s+(?P<y1>(?:19|20)\d\d)\s*-\s*(?P<y2>(?:19|20)\d\d)",
            re.I,
        ),
    ),
    ("year", re.compile(r"\bnăm\s+" + _YEAR + r"\b", re.I)),
]
# Where a match of each pattern can start, in the lower-cased text. A case-insensitive pattern
# that opens with \b is tried at every character; trying it only where its first word stands
# finds the same matches at a fraction of the cost.
_FIRST = {
    "school_year": re.compile("năm"),
    "months": re.compile(r"\d|sáu|chín|hai|ba|bốn"),
    "quarter": re.compile("quý"),
    "month": re.compile("tháng"),
    "range": re.compile("giai|nhiệm|thời"),
    "year": re.compile("năm"),
}


def _matches(kind: str, pattern: re.Pattern[str], text: str, low: str | None):
    """`pattern.finditer(text)`, tried only at the starts `_FIRST` finds in ``low``."""
    if low is None:
        yield from pattern.finditer(text)
        return
    end = 0
    for candidate in _FIRST[kind].finditer(low):
        if candidate.start() < end:
            continue  # inside the last match: finditer goes on after it
        m = pattern.match(text, candidate.start())
        if m:
            yield m
            end = m.end()


def _last_day(year: int, month: int) -> str:
    return f"{year:04d}-{month:02d}-{calendar.monthrange(year, month)[1]:02d}"


def period_from_match(kind: str, m: re.Match[str], default_year: int | None) -> PeriodValue | None:
    label = " ".join(m.group(0).split())
    g = m.groupdict()
    if kind == "school_year":
        y1, y2 = int(g["y1"]), int(g["y2"])
        if y2 != y1 + 1:
            return None
        return PeriodValue(
            label=label,
            start=f"{y1}-09-01",
            end=f"{y2}-08-31",
            key=f"{y1}-{y2}",
            kind="school_year",
        )
    if kind == "range":
        y1, y2 = int(g["y1"]), int(g["y2"])
        if y2 <= y1:
            return None
        return PeriodValue(
            label=label, start=f"{y1}-01-01", end=f"{y2}-12-31", key=f"{y1}..{y2}", kind="range"
        )
    year = int(g["year"]) if g.get("year") else default_year
    if g.get("year2"):
        year = int(g["year2"])
    if year is None:
        return None
    if kind == "year":
        return PeriodValue(
            label=label, start=f"{year}-01-01", end=f"{year}-12-31", key=str(year), kind="year"
        )
    if kind == "months":
        n_raw = (g["n"] or g["n2"]).lower()
        n = _NUM_WORDS.get(n_raw) or int(n_raw)
        part = (g.get("part") or g.get("part2") or "đầu").lower()
        if n == 3 and part == "cuối":  # the last three months are the fourth quarter
            return PeriodValue(
                label=label,
                start=f"{year}-10-01",
                end=f"{year}-12-31",
                key=f"{year}-Q4",
                kind="quarter",
            )
        if n == 3:
            return PeriodValue(
                label=label,
                start=f"{year}-01-01",
                end=f"{year}-03-31",
                key=f"{year}-Q1",
                kind="quarter",
            )
        if n == 6 and part == "cuối":
            return PeriodValue(
                label=label,
                start=f"{year}-07-01",
                end=f"{year}-12-31",
                key=f"{year}-H2",
                kind="half",
            )
        if part == "cuối":
            return None
        if n == 6:
            return PeriodValue(
                label=label,
                start=f"{year}-01-01",
                end=f"{year}-06-30",
                key=f"{year}-H1",
                kind="half",
            )
        return PeriodValue(
            label=label,
            start=f"{year}-01-01",
            end=_last_day(year, n),
            key=f"{year}-{n}M",
            kind="months",
        )
    if kind == "quarter":
        q = _ROMAN[g["q"].lower()]
        first = 3 * (q - 1) + 1
        return PeriodValue(
            label=label,
            start=f"{year}-{first:02d}-01",
            end=_last_day(year, first + 2),
            key=f"{year}-Q{q}",
            kind="quarter",
        )
    if kind == "month":
        month = int(g["m"])
        return PeriodValue(
            label=label,
            start=f"{year}-{month:02d}-01",
            end=_last_day(year, month),
            key=f"{year}-{month:02d}",
            kind="month",
        )
    return None


# the year a period without its own shares with the periods named after it in one phrase:
# "quý I và phương hướng quý II/2025", "quý IV và cả năm 2024"
_PHRASE_YEAR = re.compile(
    r"[^.,;:\n]{0,60}?\b(?:quý\s+(?:IV|I{1,3}|[1-4])\s*(?:/|năm|-)|năm)\s*" + _YEAR, re.I
)


def iter_periods(text: str, default_year: int | None = None):
    """Yield (start, end, PeriodValue) for every period expression, left to right, no overlaps."""
    found: list[tuple[int, int, PeriodValue]] = []
    taken: list[tuple[int, int]] = []
    low = text.lower()
    folded: str | None = (
        low if len(low) == len(text) else None
    )  # a letter whose lower case is longer
    for kind, pattern in _PATTERNS:
        for m in _matches(kind, pattern, text, folded):
            if any(m.start() < e and s < m.end() for s, e in taken):
                continue
            if kind in ("month", "year") and re.search(
                r"ngày\s*\d{0,2}\s*(?:tháng\s*\d{0,2}\s*)?$",
                text[max(0, m.start() - 20) : m.start()],
            ):
                continue  # part of a full date "ngày 04 tháng 01 năm 2023"
            # "6 tháng đầu năm" with no year: the year may follow later in the same phrase;
            # "quý I và phương hướng quý II/2025": the year of the next period named
            year = default_year
            if kind == "months" and not (m.group("year") or m.group("year2")):
                later = re.search(r"(?:19|20)\d\d", text[m.end() : m.end() + 80])
                year = int(later.group(0)) if later else default_year
            elif kind == "quarter" and not m.group("year"):
                later = _PHRASE_YEAR.match(text, m.end())
                year = int(later.group("year")) if later else default_year
            value = period_from_match(kind, m, year)
            if value is None:
                continue
            end = m.end()
            while end > m.start() and text[end - 1].isspace():
                end -= 1
            found.append((m.start(), end, value))
            taken.append((m.start(), end))
    found.sort(key=lambda t: t[0])
    yield from found


# a month named without its year in a title ("Báo cáo tháng 8"): the year is the report's
_TITLE_MONTH = re.compile(r"\btháng\s+(?P<m>0?[1-9]|1[0-2])\b(?!\s*(?:/|-|năm)\s*\d)", re.I)
# a semester of a school year ("học kỳ I năm học 2015-2016") covers only part of that year; a
# PeriodValue has no kind for it yet, so it gives no reporting period rather than the whole year
_SEMESTER = re.compile(r"\bhọc kỳ\s+(?:I{1,2}|1|2)\s*[,\-–]?\s*$", re.I)
# two periods named together: "tháng 3 và quý I năm 2023", "tháng 3/2024, quý I/2024"
_TOGETHER = re.compile(r"^\s*(?:và|,|-|–)\s*(?:cả\s*)?$")


def _covers(wide: PeriodValue, narrow: PeriodValue) -> bool:
    return wide.start <= narrow.start and narrow.end <= wide.end and wide != narrow


def reporting_period(title: str, default_year: int | None) -> PeriodValue | None:
    """The span a document covers, from its title: the first period named there, or the wider
    of two named together ("tháng 3 và quý I năm 2023" is the quarter). A report that reviews
    one half and launches the next still covers the half it reviews. A congress term or a plan's
    stage ("nhiệm kỳ 2020-2025", "giai đoạn 2021-2025") is no reporting period."""
    found = [
        (s, e, v)
        for s, e, v in iter_periods(title, default_year)
        if v.kind != "range" and not _SEMESTER.search(title[max(0, s - 16) : s])
    ]
    if default_year is not None or found:
        year = default_year if default_year is not None else int(found[0][2].start[:4])
        for m in _TITLE_MONTH.finditer(title):
            if any(s <= m.start() < e for s, e, _ in found) or re.search(
                r"(?:ngày|\d)\s*\d{0,2}\s*$", title[max(0, m.start() - 12) : m.start()]
            ):
                continue  # inside a period already found, or the month of a full date
            later = _PHRASE_YEAR.match(title, m.end())  # "tháng 3 và quý I năm 2025"
            month = period_from_match("month", m, int(later.group("year")) if later else year)
            if month is not None:
                found.append((m.start(), m.end(), month))
        found.sort(key=lambda t: t[0])
    if not found:
        return None
    _, end, chosen = found[0]
    for start, next_end, value in found[1:]:
        if not _TOGETHER.match(title[end:start]) or not _covers(value, chosen):
            break
        end, chosen = next_end, value
    return chosen


def find_periods(ctx: Context) -> list[PeriodMention]:
    year = int(ctx.structure.header.date[:4]) if ctx.structure.header.date else None
    out = []
    for start, end, value in iter_periods(ctx.raw, year):
        out.append(PeriodMention(period=value, **ctx.provenance(start, end, RULE)))
    return out
