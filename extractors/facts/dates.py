"""Full calendar dates: "22/12/2022", "02-3-2023", "ngày 04 tháng 01 năm 2023". A day and month
without their own year ("3/2", "trước ngày 05/01 hàng năm") is no date; months and years alone are
periods (extractors.facts.periods)."""

from __future__ import annotations

import datetime as dt
import re
from typing import TYPE_CHECKING

from extractors.text.spans import Coverage
from schemas.models import DateMention

if TYPE_CHECKING:
    from extractors.context import Context

_NUMERIC = re.compile(
    r"(?<![\w/.\-])(?P<d>[0-3]?\d)(?P<sep>[/.\-])(?P<m>[01]?\d)(?P=sep)(?P<y>(?:1[89]|20)\d\d)(?![\w/\-]|\.\d)"
)
_WORDS = re.compile(
    r"\bngày\s+(?P<d>[0-3]?\d)\s+tháng\s+(?P<m>[01]?\d)\s*,?\s+năm\s+(?P<y>(?:1[89]|20)\d\d)\b",
    re.I,
)
# "ngày 25 tháng 7/2020", a mix of the two
_MIXED = re.compile(
    r"\bngày\s+(?P<d>[0-3]?\d)\s+tháng\s+(?P<m>[01]?\d)\s*/\s*(?P<y>(?:1[89]|20)\d\d)\b", re.I
)


def to_iso(day: str, month: str, year: str) -> str | None:
    try:
        return dt.date(int(year), int(month), int(day)).isoformat()
    except ValueError:
        return None


def dates_in(text: str) -> tuple[tuple[int, int, str, str], ...]:
    """(start, end, iso, rule) of every full date in ``text``, left to right."""
    found: list[tuple[int, int, str, str]] = []
    for rule, pattern in (
        ("date.words", _WORDS),
        ("date.mixed", _MIXED),
        ("date.numeric", _NUMERIC),
    ):
        covered = Coverage((s, e) for s, e, _, _ in found)  # a rule's own matches never overlap
        for m in pattern.finditer(text):
            if covered.covers(m.start()):
                continue  # inside a date found by an earlier rule
            iso = to_iso(m.group("d"), m.group("m"), m.group("y"))
            if iso:
                found.append((m.start(), m.end(), iso, rule))
    found.sort()
    return tuple(found)


def find_dates(ctx: Context) -> list[DateMention]:
    out = []
    for start, end, iso, rule in ctx.found_once(dates_in):
        # the span of a word date starts at its day number, as a reader would underline it
        out.append(DateMention(value=iso, **ctx.provenance(start, end, rule)))
    return out
