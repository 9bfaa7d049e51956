"""Full calendar dates: "22/12/2022", "02-3-2023", "18.11.2024", "ngày 04 tháng 01 năm 2023",
"ngày mồng 2 tháng 9 năm 1945", "ngày 25 tháng 7/2020", and a year in two digits where a "ngày"
says the figures are a date ("ngày 5/3/25", "đến ngày 12/12/24"). Both ends of a range
("27/7/1947-27/7/2023") are dates. A day and month without their own year ("3/2", "trước ngày
05/01 hàng năm") is no date; months and years alone are periods (extractors.facts.periods)."""

from __future__ import annotations

import datetime as dt
import re
from typing import TYPE_CHECKING

from extractors.text.spans import Coverage
from schemas.models import DateMention

if TYPE_CHECKING:
    from extractors.context import Context

_DAY = r"(?P<d>[0-3]?\d)"
_MONTH = r"(?P<m>[01]?\d)"
_YEAR = r"(?P<y>(?:1[89]|20)\d\d)"
# a date glued to its "ngày" by a PDF's text layer ("ngày12/3/2024") is one; a date may follow a
# dash only as the second end of a range ("1947-27/07/2023") or of a span of
# days ("12-15/3/2024"); after any other dash it is part of a number or a symbol
# each pattern opens with a lookahead on its first character: a cheap test at every position
_NUMERIC = re.compile(
    r"(?=\d)(?:(?<![\w/.])|(?<=[Nn]gày))(?:(?<=(?:1[89]|20)\d\d-)|(?<=\b\d-)|(?<=\b\d\d-)|(?<!-))"
    + _DAY
    + r"(?P<sep>[/.\-])"
    + _MONTH
    + r"(?P=sep)"
    + _YEAR
    + r"(?![\w/]|\.\d|-(?![ \t]*[0-3]?\d(?P<sep2>[/.\-])[01]?\d(?P=sep2)(?:1[89]|20)\d\d))"
)
# "ngày 22 / 12 / 2022": a numeric date typed (or read by OCR) with spaces, known by its "ngày"
_SPACED = re.compile(
    r"(?=[nN])(?<!\w)ngày[ \t]+"
    + _DAY
    + r"[ \t]*(?P<sep>[/.\-])[ \t]*"
    + _MONTH
    + r"[ \t]*(?P=sep)[ \t]*"
    + _YEAR
    + r"(?![\w/\-])",
    re.I,
)
# a PDF's text layer may lose the spaces around the numbers ("ngày15tháng3năm2025") or draw the
# digits of a place-date line apart ("ngày 1 5 tháng 0 3 năm 2 0 2 5"): the words still frame it
_WORDS = re.compile(
    r"(?=[nNmM])\b(?:ngày|mồng|mùng)\s*(?:(?:mồng|mùng)\s+)?"
    + r"(?P<d>[0-3] ?\d|\d)"
    + r"\s*,?\s*tháng\s*"
    + r"(?P<m>[01] ?\d|\d)"
    + r"\s*,?\s*năm\s*"
    + r"(?P<y>(?:1 ?[89]|2 ?0) ?\d ?\d)"
    + r"(?!\d)",
    re.I,
)
# "ngày 25 tháng 7/2020" and "ngày 25/7 năm 2020", the two forms mixed
_MIXED = re.compile(
    r"(?=[nN])\bngày\s+(?:(?:mồng|mùng)\s+)?"
    + _DAY
    + r"(?:\s+tháng\s+"
    + _MONTH
    + r"\s*/\s*|\s*/\s*"
    + _MONTH.replace("?P<m>", "?P<m2>")
    + r"\s*,?\s+năm\s+)"
    + _YEAR
    + r"\b",
    re.I,
)


# "ngày 5/3/25": a two-digit year, read only after "ngày" (bare, "12/12/24" may be a ratio or a
# count); the century is the one a report of today means (00-49: 20xx, 50-99: 19xx)
_SHORT_YEAR = re.compile(
    r"(?=[nN])(?<!\w)ngày[ \t]*(?:(?:mồng|mùng)[ \t]+)?"
    + _DAY
    + r"(?P<sep>[/.\-])"
    + _MONTH
    + r"(?P=sep)(?P<yy>\d\d)(?![\w/]|[.\-]\d)",
    re.I,
)


def to_iso(day: str, month: str, year: str) -> str | None:
    try:
        return dt.date(int(year), int(month), int(day)).isoformat()
    except ValueError:
        return None


def _month(m: re.Match[str]) -> str:
    """The month of a match: the mixed rule names it `m` or `m2` by its form."""
    found = m.groupdict()
    return found.get("m") or found["m2"]


def _year(m: re.Match[str]) -> str:
    """The year of a match in four digits: a two-digit year gets its century."""
    found = m.groupdict()
    if found.get("yy"):
        return ("20" if int(found["yy"]) < 50 else "19") + found["yy"]
    return found["y"].replace(" ", "")


def dates_in(text: str) -> tuple[tuple[int, int, str, str], ...]:
    """(start, end, iso, rule) of every full date in ``text``, left to right."""
    found: list[tuple[int, int, str, str]] = []
    for rule, pattern, first in (
        ("date.words", _WORDS, 0),
        ("date.mixed", _MIXED, 0),
        ("date.numeric", _NUMERIC, 0),
        ("date.numeric", _SPACED, "d"),  # underlined from its day, as the plain numeric date
        ("date.short_year", _SHORT_YEAR, "d"),
    ):
        covered = Coverage((s, e) for s, e, _, _ in found)  # a rule's own matches never overlap
        for m in pattern.finditer(text):
            start = m.start(first)
            if covered.covers(start):
                continue  # inside a date found by an earlier rule
            iso = to_iso(m.group("d").replace(" ", ""), _month(m).replace(" ", ""), _year(m))
            if iso:
                found.append((start, m.end(), iso, rule))
    found.sort()
    return tuple(found)


def find_dates(ctx: Context) -> list[DateMention]:
    out = []
    for start, end, iso, rule in ctx.found_once(dates_in):
        # the span of a word date starts at its day number, as a reader would underline it
        out.append(DateMention(value=iso, **ctx.provenance(start, end, rule)))
    return out


def distinct_dates(mentions: list[DateMention] | tuple[DateMention, ...]) -> list[DateMention]:
    """One date per calendar day, as FACTS.md asks of the export: the first mention of each."""
    seen: set[str] = set()
    out = []
    for d in mentions:
        if d.value not in seen:
            seen.add(d.value)
            out.append(d)
    return out
