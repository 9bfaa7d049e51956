"""The period a figure refers to, where the text says it is not the report's own: "kết quả bình
xét năm 2022 có 55 tổ chức", "cùng kỳ năm trước kết nạp 58 đảng viên", "lũy kế đến 30/9 đạt 1.250
tỷ đồng", "tính đến ngày 15/12/2023, toàn Đảng bộ có 4.187 đảng viên", "(năm 2022: 131 đồng chí)".

A grammar of the time adverbials of Vietnamese reports over the periods of
`extractors.facts.periods`: a period named outright, a period relative to the report's own
("cùng kỳ năm trước", "năm trước", "kỳ trước"), a span up to a day or a month ("lũy kế đến 30/9",
"từ đầu năm đến nay", "từ ngày A đến ngày B") and a point in time ("tính đến ngày 15/12/2023",
"đến hết năm 2023"). An adverbial governs the figures of its own clause (those after it; those
before it only when a preposition leads it: "trong năm 2022", "tính đến ..."), a clause that
holds an adverbial and no figure ("Năm 2022, ...") governs the clauses after it up to the next
';' (to the end of the sentence when it opens the sentence), and a parenthesis is a scope of its
own that inherits the one around it. Comparison bases ("so với cùng kỳ", "bằng 105% cùng kỳ"),
names ("Nghị quyết số 10 năm 2022", "Kế hoạch năm 2023") and the grounds of an act ("Trên cơ sở
kết quả đánh giá năm 2021, ...") govern nothing.

A figure gets the period when it differs from the report's reporting period: a point in time has
no start (`start` None, `end` and `key` its day); a point on the last day of the reporting
period is the report's own. Only figures of running text are read: table cells get their period
from their column head (extractors.metrics).
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass

from extractors.facts.dates import to_iso
from extractors.facts.periods import iter_periods
from schemas.models import PeriodValue


@dataclass(frozen=True)
class Referred:
    """The period a figure refers to: `start` None for a point in time (`end` is that day)."""

    key: str
    start: str | None
    end: str
    text: str


@dataclass(frozen=True)
class Adverbial:
    start: int  # offsets in the scope's text
    end: int
    referred: Referred | None  # None: a relative period with no reporting period to resolve it
    led: bool  # a preposition leads it ("trong năm 2022", "tính đến ...", "lũy kế ...")
    kind: str  # "period", "range" (giai đoạn, nhiệm kỳ), "relative", "until", "between"


W = r"(?<![^\W\d_])"  # a word starts here
E = r"(?![^\W\d_])"  # a word ends here
_YEAR = r"(?:19|20)\d\d"


def _date(n: str) -> str:
    """A day and month with an optional year ("30/9", "15/12/2023", "15 tháng 12 năm 2023"),
    its groups suffixed by ``n``."""
    return (
        rf"(?P<d{n}>[0-3]?\d)\s*(?:[/.\-]\s*(?P<m{n}>[01]?\d)|\s+tháng\s+(?P<w{n}>[01]?\d))"
        rf"(?:\s*(?:[/.\-]\s*|,?\s+năm\s+)(?P<y{n}>{_YEAR}))?(?!\d|[/.\-]\d)"
    )


_CUMULATIVE = r"(?:lũy\s+kế|cộng\s+dồn)"
_LEAD = rf"(?P<lead>{_CUMULATIVE}\s+(?:từ\s+đầu\s+năm\s+)?|từ\s+đầu\s+năm\s+|tính\s+)?"
_UNTIL = r"(?:đến|tới)\s+(?P<upto>(?:hết|cuối)\s+)?"
# "tính đến ngày 15/12/2023", "lũy kế đến 30/9", "đến hết ngày 31/3/2024", "từ đầu năm đến 30/6"
_UNTIL_DATE = re.compile(rf"{W}{_LEAD}{_UNTIL}(?P<day>ngày\s+)?{_date('')}", re.I)
# "lũy kế đến hết tháng 9", "tính đến cuối tháng 6/2023"
_UNTIL_MONTH = re.compile(
    rf"{W}{_LEAD}{_UNTIL}tháng\s+(?P<m>0?[1-9]|1[0-2])(?:\s*(?:/|-|năm)\s*(?P<y>{_YEAR}))?{E}"
    r"(?!\s*/\s*\d)",
    re.I,
)
# "từ ngày 01/01/2023 đến ngày 15/12/2023", "từ 01/10 - 31/12/2024"
_BETWEEN_DATES = re.compile(
    rf"{W}từ\s+(?:ngày\s+)?{_date('1')}\s*(?:đến|tới|-|–)\s*(?:hết\s+)?(?:ngày\s+)?{_date('2')}",
    re.I,
)
# "lũy kế từ đầu năm", "từ đầu năm đến nay": up to the end of the reporting period
_YEAR_TO_DATE = re.compile(
    rf"{W}(?:{_CUMULATIVE}\s+từ\s+đầu\s+năm(?:\s+(?:đến|tới)\s+nay)?|từ\s+đầu\s+năm\s+(?:đến|tới)\s+nay){E}",
    re.I,
)
# "cùng kỳ", "cùng kỳ năm trước", "cùng kỳ năm 2022"; "năm trước", "kỳ trước", "quý trước"
_SAME_TIME = re.compile(
    rf"{W}cùng\s+kỳ(?:\s+(?:năm\s+)?(?P<year>{_YEAR})|\s+năm\s+(?:trước|ngoái))?{E}", re.I
)
# ("những năm trước", "các năm trước đây": earlier years in general, no period)
_PREVIOUS = re.compile(
    rf"(?<!những )(?<!các )(?<!mấy )(?<!nhiều )"
    rf"{W}(?P<unit>năm\s+học|năm|kỳ|quý|tháng)\s+(?:trước|ngoái){E}(?!\s+(?:nữa|đó|đây))",
    re.I,
)
# what may follow a period named without its year: "6 tháng đầu năm trước", "quý I năm ngoái"
_LAST_YEAR_AFTER = re.compile(r"\s*(?:năm\s+)?(?:trước|ngoái)" + E, re.I)
_YEAR_RANGE_AFTER = re.compile(rf"\s*[-–]\s*{_YEAR}(?!\d)")
_UNTIL_BEFORE = re.compile(rf"{W}{_LEAD}{_UNTIL}$", re.I)
_BETWEEN_BEFORE = re.compile(r"(?:đến|tới|-|–)\s*(?:hết\s+)?$", re.I)
_FROM_BEFORE = re.compile(rf"{W}từ\s+$", re.I)
_CUMULATIVE_BEFORE = re.compile(rf"{W}{_CUMULATIVE}\s+$", re.I)


def _last_day(year: int, month: int) -> str:
    return f"{year:04d}-{month:02d}-{calendar.monthrange(year, month)[1]:02d}"


def span_key(start: str | None, end: str) -> str:
    """The canonical key of a span of days, as `extractors.facts.periods` keys periods (2023,
    2023-H1, 2024-Q3, 2023-05, 2024-9M, 2016-2017, 2021..2025); a point in time (no start) is
    its day (2023-12-15), any other span "start..end"."""
    if start is None:
        return end
    y1, m1, d1 = (int(p) for p in start.split("-"))
    y2, m2, _ = (int(p) for p in end.split("-"))
    if end != _last_day(y2, m2) or d1 != 1:
        return f"{start}..{end}"
    if y1 == y2:
        if m1 == 1 and m2 == 12:
            return str(y1)
        if (m1, m2) == (7, 12):
            return f"{y1}-H2"
        if m1 == m2:
            return f"{y1}-{m1:02d}"
        if m2 == m1 + 2 and m1 % 3 == 1:
            return f"{y1}-Q{m1 // 3 + 1}"
        if m1 == 1:
            return f"{y1}-H1" if m2 == 6 else f"{y1}-{m2}M"
    if (m1, m2) == (9, 8) and y2 == y1 + 1:
        return f"{y1}-{y2}"
    if (m1, m2) == (1, 12):
        return f"{y1}..{y2}"
    return f"{start}..{end}"


def _shift(period: PeriodValue, years: int) -> tuple[str, str, str]:
    """(start, end, key) of the same part of a year ``years`` later (earlier when negative)."""

    def day(iso: str) -> str:
        y, m, d = (int(p) for p in iso.split("-"))
        return f"{y + years:04d}-{m:02d}-{min(d, calendar.monthrange(y + years, m)[1]):02d}"

    key = re.sub(_YEAR, lambda m: str(int(m.group(0)) + years), period.key)
    return day(period.start), day(period.end), key


def _previous(period: PeriodValue) -> tuple[str, str, str] | None:
    """The period of the same length just before a year, half, quarter or month."""
    if period.kind in ("year", "school_year"):
        return _shift(period, -1)
    y, m = int(period.start[:4]), int(period.start[5:7])
    months = {"half": 6, "quarter": 3, "month": 1}.get(period.kind)
    if months is None:
        return None
    m -= months
    if m < 1:
        y, m = y - 1, m + 12
    start, end = f"{y:04d}-{m:02d}-01", _last_day(y, m + months - 1)
    return start, end, span_key(start, end)


class Grammar:
    """The adverbials of one scope of text, resolved against the reporting period."""

    def __init__(self, reporting: PeriodValue | None, year: int | None) -> None:
        self.reporting = reporting
        self.year = year

    def _day(self, m: re.Match[str], n: str = "") -> str | None:
        year = m.group(f"y{n}") or (str(self.year) if self.year else None)
        month = m.group(f"m{n}") or m.group(f"w{n}")
        return to_iso(m.group(f"d{n}"), month, year) if year else None

    def _up_to(self, m: re.Match[str], end: str, text: str) -> Referred:
        """A span from the start of the year to ``end`` after "lũy kế", "từ đầu năm"; else the
        point ``end``."""
        lead = (m.group("lead") or "").lower()
        if lead and not lead.startswith("tính"):
            start = f"{end[:4]}-01-01"
            return Referred(span_key(start, end), start, end, text)
        return Referred(end, None, end, text)

    def adverbials(self, text: str) -> list[Adverbial]:
        found: list[Adverbial] = []

        def add(m: re.Match[str], referred: Referred | None, kind: str, led: bool) -> None:
            found.append(Adverbial(m.start(), m.end(), referred, led, kind))

        for m in _BETWEEN_DATES.finditer(text):
            first, last = self._day(m, "1"), self._day(m, "2")
            if first and last and first <= last:
                add(m, Referred(span_key(first, last), first, last, m.group(0)), "between", True)
        for m in _UNTIL_DATE.finditer(text):
            end = self._day(m)
            clause_start = not text[: m.start()].strip(" -–+•*")
            if end and (m.group("lead") or m.group("day") or m.group("upto") or clause_start):
                add(m, self._up_to(m, end, m.group(0)), "until", True)
        for m in _UNTIL_MONTH.finditer(text):
            year = int(m.group("y")) if m.group("y") else self.year
            if year:
                add(
                    m, self._up_to(m, _last_day(year, int(m.group("m"))), m.group(0)), "until", True
                )
        for m in _YEAR_TO_DATE.finditer(text):
            r = self.reporting
            referred = None
            if r is not None and r.start[:4] == r.end[:4]:
                start = f"{r.start[:4]}-01-01"
                referred = Referred(span_key(start, r.end), start, r.end, m.group(0))
            add(m, referred, "until", True)
        for m in _SAME_TIME.finditer(text):
            r, referred = self.reporting, None
            if r is not None:
                years = int(m.group("year")) - int(r.start[:4]) if m.group("year") else -1
                start, end, key = _shift(r, years)
                referred = Referred(key, start, end, m.group(0))
            add(m, referred, "relative", False)
        for m in _PREVIOUS.finditer(text):
            add(m, self._previous(m), "relative", False)
        found.extend(self._named(text))
        return _leftmost_longest(found)

    def _previous(self, m: re.Match[str]) -> Referred | None:
        r, unit = self.reporting, " ".join(m.group("unit").lower().split())
        if unit == "năm" and self.year is not None:
            y = (int(r.start[:4]) if r is not None else self.year) - 1
            if r is not None and r.kind == "school_year":
                start, end, key = _shift(r, -1)
                return Referred(key, start, end, m.group(0))
            return Referred(str(y), f"{y}-01-01", f"{y}-12-31", m.group(0))
        wanted = {"năm học": "school_year", "quý": "quarter", "tháng": "month"}.get(unit)
        if r is None or (wanted is not None and r.kind != wanted):
            return None
        previous = _previous(r)
        if previous is None:
            return None
        return Referred(previous[2], previous[0], previous[1], m.group(0))

    def _named(self, text: str) -> list[Adverbial]:
        """Periods named outright, with what joins them: "từ năm 2020 đến năm 2022", "tính đến
        hết năm 2023", "lũy kế 9 tháng", "6 tháng đầu năm trước"."""
        out: list[Adverbial] = []
        previous_end = -1
        for s, e, found in iter_periods(text, self.year):
            # a period named without its year is the reporting year's (iter_periods would take
            # a year named up to 80 characters later: "6 tháng đầu năm, ... so với năm 2022")
            v = found if re.search(_YEAR, text[s:e]) else _own_year(text[s:e], self.year)
            if v is None or _YEAR_RANGE_AFTER.match(text, e):
                continue  # "năm 2022 - 2023": two years that iter_periods does not read
            start: str | None = v.start
            end, key = v.end, v.key
            kind, led = ("range" if v.kind == "range" else "period"), False
            later = _LAST_YEAR_AFTER.match(text, e)
            if later and not re.search(_YEAR, text[s:e]):
                start, end, key = _shift(v, -1)  # "6 tháng đầu năm trước"
                e = later.end()
            before = text[:s]
            between = _BETWEEN_BEFORE.search(before)
            until = _UNTIL_BEFORE.search(before)
            first = out[-1].referred if out and out[-1].kind == "period" else None
            opened = _FROM_BEFORE.search(text[: out[-1].start]) if first is not None else None
            if (
                between
                and opened
                and first is not None
                and first.start is not None
                and first.start <= end
                and not text[previous_end : between.start()].strip()
            ):
                # "từ năm 2020 đến năm 2022": one span
                out.pop()
                s, start, kind, led = opened.start(), first.start, "between", True
                key = span_key(start, end)
            elif until and (
                until.group("lead") or until.group("upto") or not before[: until.start()].strip()
            ):
                lead = (until.group("lead") or "").lower()
                if lead and not lead.startswith("tính"):
                    start = f"{end[:4]}-01-01"  # "lũy kế đến hết quý III"
                    key = span_key(start, end)
                else:
                    start, key = None, end  # "tính đến hết năm 2023": a point in time
                s, kind, led = until.start(), "until", True
            elif cumulative := _CUMULATIVE_BEFORE.search(before):
                s, led = cumulative.start(), True  # "lũy kế 9 tháng"
            previous_end = e
            out.append(Adverbial(s, e, Referred(key, start, end, text[s:e]), led, kind))
        return out


def _own_year(label: str, year: int | None) -> PeriodValue | None:
    """The period ``label`` names, read alone: its year is ``year``."""
    again = [v for _, _, v in iter_periods(label, year)]
    return again[0] if again else None


def _leftmost_longest(found: list[Adverbial]) -> list[Adverbial]:
    out: list[Adverbial] = []
    for a in sorted(found, key=lambda a: (a.start, -a.end)):
        if out and a.start < out[-1].end:
            continue
        out.append(a)
    return out
