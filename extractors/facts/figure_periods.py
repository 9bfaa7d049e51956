"""Which period each figure of running text refers to, where the text says it is not the report's
own (the grammar of time adverbials is `extractors.facts.time_adverbials`).

The scope of a figure is its sentence within its line (in a table, its cell). There:
- an adverbial governs the figures of its own clause (between `,` `:` `;`) that follow it, and
  those before it when a preposition leads it ("kết nạp 58 đảng viên trong năm 2022");
- a clause with an adverbial and no figure is a topic ("Năm 2022, ...", "Tính đến ngày
  15/12/2023, ..."): it governs the clauses after it up to the next `;`, or to the end of the
  scope when no figure stands before it; a later topic takes over;
- a parenthesis is a scope of its own ("(năm 2022: 131 đồng chí)"): what it does not say, the
  clause around it does;
- comparison bases ("tăng 5% so với cùng kỳ", "bằng 105% cùng kỳ"), names ("Nghị quyết số 10
  năm 2022", "Kế hoạch năm 2023", a quoted title), the grounds of an act ("Trên cơ sở kết quả
  đánh giá năm 2021, ...") and a congress term or a plan's stage not led by "trong" govern
  nothing.
A figure keeps no period when it is the report's own (same key, same span, or a point in time on
the last day of the reporting period).
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

from extractors.facts import time_adverbials as ta
from extractors.text.patterns import phrase_alternation
from schemas.models import PeriodValue, Quantity
from schemas.vocab import doc_type_names

if TYPE_CHECKING:
    from extractors.context import Context

_DIGIT = re.compile(r"[-+−–]?\d")
_SEMICOLON = ";"
# words before an adverbial that lead it: it may govern a figure before it in its clause
_LEADS = re.compile(rf"{ta.W}(?:trong|vào|suốt|qua|riêng|tính\s+riêng)\s+$", re.I)
# an adverbial after one of these is what a figure is compared with, not the figure's period
_COMPARED = re.compile(
    rf"{ta.W}(?:so\s+với|so|hơn|bằng|gấp|như|tương\s+đương|kém|vượt)(?:\s+|$)", re.I
)
# right after a percentage, a plan or "cùng kỳ" is what the percentage is of: "đạt 105% kế hoạch
# năm 2023", "bằng 105% cùng kỳ"
_OF_PLAN = re.compile(
    r"^\s*(?:so\s+với\s+|so\s+)?(?:(?:kế\s+hoạch|chỉ\s+tiêu|mục\s+tiêu|kh)\s+)?$", re.I
)
# the grounds or the purpose of an act: "Trên cơ sở kết quả đánh giá năm 2021, ... tặng Giấy khen"
_GROUNDS = re.compile(
    rf"{ta.W}(?:trên\s+cơ\s+sở|căn\s+cứ|dựa\s+(?:trên|vào)|ghi\s+nhận|để|nhằm|chuẩn\s+bị|"
    rf"phục\s+vụ|chào\s+mừng|kỷ\s+niệm|hướng\s+(?:tới|đến)|tiến\s+tới|nhân\s+dịp){ta.E}",
    re.I,
)
_BOUNDARY = re.compile(r"(?<!\d),|,(?!\d)|[:;\n\t]")
_WORD = re.compile(r"[^\s,;:()\[\]\"“”]+")


# compiled once per process: the vocabulary does not change while it runs
@lru_cache(maxsize=1)
def _document_kind_before() -> re.Pattern[str]:
    """A kind of document ending the text (then "số N"): what follows it names the document."""
    kinds = phrase_alternation({k.lower() for k in doc_type_names()}, space=r"\s+")
    return re.compile(rf"{ta.W}{kinds}(?:\s+số\s+\S+)?\s*$", re.I)


# compiled once per process: the vocabulary does not change while it runs
@lru_cache(maxsize=1)
def _cited_kind() -> re.Pattern[str]:
    """A kind of document named as a citation is (capitalised): "Kế hoạch", "Nghị quyết"."""
    kinds = phrase_alternation(set(doc_type_names()), space=r"\s+")
    return re.compile(rf"{ta.W}{kinds}{ta.E}")


_RESULTS = re.compile(r"[\W\d_]*kết\s+quả(?![^\W\d_])", re.I)
_TOPIC_TAIL = 2  # words a topic clause may hold after its adverbial ("vừa qua")
_NAME_WORDS = 5  # words before an adverbial read for a capital that makes it part of a name
# a conjunction between a figure and an adverbial after it: the adverbial opens what follows
_JOINED = re.compile(rf"{ta.W}(?:và|còn|nhưng|đồng thời|trong đó){ta.E}", re.I)


@dataclass(frozen=True)
class _Figure:
    start: int  # the figure's span in the scope's text
    end: int
    percent: bool


@dataclass
class _Region:
    """The whole scope, or the inside of one pair of brackets."""

    start: int
    end: int
    parent: int | None  # the region around it (None for the scope)


class _Scope:
    """One sentence (or table cell) with its figures and adverbials, and which governs which."""

    def __init__(self, raw: str, folded: str, figures: list[_Figure], grammar: ta.Grammar):
        self.raw, self.text = raw, folded
        self.regions = _regions(folded)
        adverbials = grammar.adverbials(folded)
        inside = [(a.start, a.end) for a in adverbials]
        # a figure inside an adverbial ("lũy kế 9 tháng") is part of it, not a figure
        self.figures = [f for f in figures if not any(s <= f.start < e for s, e in inside)]
        self.region_of_figure = [self._region_at(f.start) for f in self.figures]
        self.boundaries: dict[int, list[tuple[int, str]]] = {
            i: [] for i in range(len(self.regions))
        }
        quoted = _quoted(folded)
        for m in _BOUNDARY.finditer(folded):
            if any(s < m.start() < e for s, e in quoted):
                continue  # "chủ đề “Đoàn kết, kỷ cương, ...”": a comma inside a title
            self.boundaries[self._region_at(m.start())].append((m.start(), m.group(0)))
        self.adverbials: dict[int, list[ta.Adverbial]] = {i: [] for i in range(len(self.regions))}
        for a in adverbials:
            region = self._region_at(a.start)
            if self._governs(a, region):
                self.adverbials[region].append(a)
        self.topics = {i: self._topics(i) for i in range(len(self.regions))}

    # --- where things are ---------------------------------------------------------------------

    def _region_at(self, pos: int) -> int:
        best = 0
        for i, r in enumerate(self.regions):
            if r.start <= pos < r.end and r.start >= self.regions[best].start:
                best = i
        return best

    def _clause(self, region: int, pos: int) -> tuple[int, int]:
        """The clause of ``region`` around ``pos``: from after a boundary to the next one."""
        r = self.regions[region]
        start, end = r.start, r.end
        for b, _ in self.boundaries[region]:
            if b < pos:
                start = b + 1
            else:
                end = b
                break
        return start, end

    def _figures_in(self, region: int, start: int, end: int) -> list[_Figure]:
        return [
            f
            for f, r in zip(self.figures, self.region_of_figure, strict=True)
            if r == region and start <= f.start < end
        ]

    # --- which adverbials govern ----------------------------------------------------------------

    def _governs(self, a: ta.Adverbial, region: int) -> bool:
        """False for a comparison base, a name, the grounds of an act, an unled stage."""
        text = self.text
        clause_start, _ = self._clause(region, a.start)
        earlier = self._figures_in(region, clause_start, a.start)
        stretch_start = max([clause_start] + [f.end for f in earlier if f.end <= a.start])
        stretch = text[stretch_start : a.start]
        if _COMPARED.search(stretch):
            return False
        if earlier and earlier[-1].percent and _OF_PLAN.match(stretch):
            return False  # "bằng 105% cùng kỳ", "đạt 105% kế hoạch năm 2023"
        led = a.led or bool(_LEADS.search(text[: a.start]))
        if a.kind == "range" and not led:
            # "Đại hội ..., nhiệm kỳ 2020-2025", "Chương trình ... giai đoạn 2021-2025"
            return False
        if not led and self._names(a, clause_start, stretch_start):
            return False
        part_start = max(
            [self.regions[region].start]
            + [b + 1 for b, c in self.boundaries[region] if c == _SEMICOLON and b < a.start]
            + [f.end for f in self._figures_in(region, 0, a.start) if f.end <= a.start]
        )
        return not _GROUNDS.search(text[part_start : a.start])

    def _names(self, a: ta.Adverbial, clause_start: int, stretch_start: int) -> bool:
        """True when the adverbial ends a name: a kind of document, a capitalised word, a
        number or an open quotation before it."""
        before = self.text[stretch_start : a.start]
        if _document_kind_before().search(before):
            return True
        if _cited_kind().search(self.text, clause_start, a.start):
            return True  # the subject of a cited document: "Kế hoạch số 88-KH/HU ... năm 2023"
        if before.rstrip().endswith(("”", '"')):
            return True  # a quoted title's year: "cuộc thi “...” năm 2022"
        if _in_quotes(self.raw[: a.start]):
            return True  # "Ngày hội hướng nghiệp năm 2023"
        words = list(_WORD.finditer(self.raw, stretch_start, a.start))
        if words and any(c.isdigit() for c in words[-1].group(0)):
            return True  # "Nghị quyết số 10 năm 2022"
        first = next(_WORD.finditer(self.raw, clause_start, a.start + 1), None)
        for w in words[-_NAME_WORDS:]:
            if w.group(0)[:1].isupper() and (first is None or w.start() != first.start()):
                return True  # "Đại hội Đảng bộ năm 2022", "vụ Chiêm xuân năm 2023"
        return False

    def _topics(self, region: int) -> list[tuple[int, int, ta.Adverbial]]:
        """(end of the topic clause, how far it reaches, its adverbial) for each topic."""
        r = self.regions[region]
        out = []
        marks = self.boundaries[region] + [(r.end, "")]
        start = r.start
        for b, mark in marks:
            clause = [a for a in self.adverbials[region] if start <= a.start < b]
            if (
                clause
                and mark in (",", ":")
                and not self._figures_in(region, start, b)
                # the adverbial ends its clause ("Năm 2022,", "Riêng năm 2022 vừa qua,"), not
                # a clause that goes on about something else; or the part opens with the results
                # it qualifies ("Kết quả đánh giá, xếp loại năm 2022 đã được ... quyết định: ...")
                and (
                    len(_WORD.findall(self.text, clause[-1].end, b)) <= _TOPIC_TAIL
                    or self._results_topic(region, clause[-1].start)
                )
            ):
                reach = r.end
                if self._figures_in(region, r.start, start):
                    reach = next((p for p, c in marks if p > b and c == _SEMICOLON), r.end)
                out.append((b, reach, clause[-1]))
            start = b + 1
        return out

    def _results_topic(self, region: int, pos: int) -> bool:
        """True when the part of the sentence before ``pos`` opens with "Kết quả" and holds no
        figure."""
        start = max(
            [self.regions[region].start]
            + [b + 1 for b, c in self.boundaries[region] if c == _SEMICOLON and b < pos]
        )
        return bool(_RESULTS.match(self.text, start)) and not self._figures_in(region, start, pos)

    def governing(self, figure: _Figure) -> ta.Adverbial | None:
        """The adverbial that gives ``figure`` its period, if any."""
        if figure not in self.figures:
            return None
        region, pos, end = self._region_at(figure.start), figure.start, figure.end
        while True:
            found = self._in_region(region, pos, end)
            parent = self.regions[region].parent
            if found is not None or parent is None:
                return found
            # what the parenthesis does not say, the clause around it does
            pos = end = self.regions[region].start - 1
            region = parent

    def _in_region(self, region: int, pos: int, end: int) -> ta.Adverbial | None:
        clause_start, clause_end = self._clause(region, pos)
        own = [a for a in self.adverbials[region] if clause_start <= a.start < clause_end]
        # led and right after the figure: "kết nạp 15 đảng viên trong quý I và 20 đảng viên
        # trong quý II" (not past another figure or a conjunction: "58 đảng viên và trong quý I")
        after = next((a for a in own if a.start >= end), None)
        if (
            after is not None
            and (after.led or _LEADS.search(self.text[clause_start : after.start]))
            and not self._figures_in(region, end, after.start)
            and not _JOINED.search(self.text[end : after.start])
        ):
            return after
        before = [a for a in own if a.end <= pos]
        if before:
            return before[-1]
        topic = None
        for topic_end, reach, adverbial in self.topics[region]:
            if topic_end <= clause_start and pos < reach:
                topic = adverbial
        return topic


def _regions(text: str) -> list[_Region]:
    regions = [_Region(0, len(text), None)]
    stack: list[tuple[int, int]] = []  # (open offset, the region it opens in)
    current = 0
    for i, c in enumerate(text):
        if c in "([":
            stack.append((i, current))
            regions.append(_Region(i + 1, len(text), current))
            current = len(regions) - 1
        elif c in ")]" and stack:
            _, outer = stack.pop()
            regions[current].end = i
            current = outer
    if stack:  # an unclosed bracket: read as if it were not there
        return [_Region(0, len(text), None)]
    return regions


def _quoted(text: str) -> list[tuple[int, int]]:
    """The spans between a pair of quotation marks (“...” or "...")."""
    return [(m.start(), m.end()) for m in re.finditer(r"“[^“”]*”|\"[^\"]*\"", text)]


def _in_quotes(before: str) -> bool:
    """True when a quotation opened in ``before`` is not closed there."""
    return before.count("“") > before.count("”") or before.count('"') % 2 == 1


def _scope_of(ctx: Context, q: Quantity) -> tuple[int, int]:
    """The sentence of a figure within its line; in a table, its cell."""
    raw = ctx.raw
    line_start = raw.rfind("\n", 0, q.start) + 1
    line_end = raw.find("\n", q.start)
    line_end = len(raw) if line_end < 0 else line_end
    if q.table is not None:
        cell_start = raw.rfind("\t", line_start, q.start) + 1 or line_start
        cell_end = raw.find("\t", q.start, line_end)
        return max(cell_start, line_start), line_end if cell_end < 0 else cell_end
    start, end = ctx.sentence_span(q.start)
    return max(start, line_start), min(max(end, q.end), line_end)


def _reporting_year(reporting: PeriodValue | None, date: str | None) -> int | None:
    """The year a period named without one belongs to: the reporting period's, when it lies
    in one year, else the year of the document's date."""
    if reporting is not None and reporting.start[:4] == reporting.end[:4]:
        return int(reporting.start[:4])
    if date:
        return int(date[:4])
    return int(reporting.end[:4]) if reporting is not None else None


def own_period(referred: ta.Referred, reporting: PeriodValue | None) -> bool:
    """True when ``referred`` is the reporting period itself, or a point on its last day."""
    if reporting is None:
        return False
    if referred.start is None:
        return referred.end == reporting.end
    return referred.key == reporting.key or (referred.start, referred.end) == (
        reporting.start,
        reporting.end,
    )


def with_figure_periods(ctx: Context, quantities: list[Quantity]) -> list[Quantity]:
    """``quantities`` with the period each figure of running text refers to, where the text
    names one other than the report's own (`Quantity.refers_to_*`)."""
    header = ctx.structure.header
    grammar = ta.Grammar(header.period, _reporting_year(header.period, header.date))
    prose = sorted((q for q in quantities if q.rule.startswith("quantity.")), key=lambda q: q.start)
    starts = [q.start for q in prose]
    scopes: dict[tuple[int, int], tuple[_Scope, dict[int, _Figure]]] = {}
    out = []
    for q in quantities:
        if not q.rule.startswith("quantity.") or not _KEYWORDS.search(
            ctx.folded, *_scope_of(ctx, q)
        ):
            out.append(q)
            continue
        bounds = _scope_of(ctx, q)
        if bounds not in scopes:
            s, e = bounds
            figures = {
                other.start: _figure(ctx, other, s)
                for other in prose[bisect.bisect_left(starts, s) : bisect.bisect_left(starts, e)]
            }
            scope = _Scope(ctx.raw[s:e], ctx.folded[s:e], list(figures.values()), grammar)
            scopes[bounds] = (scope, figures)
        scope, figures = scopes[bounds]
        adverbial = scope.governing(figures[q.start])
        referred = adverbial.referred if adverbial is not None else None
        if referred is None or own_period(referred, header.period):
            out.append(q)
            continue
        out.append(
            q.model_copy(
                update={
                    "refers_to_key": referred.key,
                    "refers_to_start": referred.start,
                    "refers_to_end": referred.end,
                    "refers_to_text": " ".join(referred.text.split()),
                }
            )
        )
    return out


# a scope without any of these words names no period: it is not read further
_KEYWORDS = re.compile(r"năm|quý|tháng|kỳ|kế|đến|tới|giai|nhiệm|\d/\d", re.I)


def _figure(ctx: Context, q: Quantity, offset: int) -> _Figure:
    """A figure's span in its scope, from its number (a label before a colon is not part of it)."""
    number = _DIGIT.search(q.text)
    start = q.start + (number.start() if number else 0)
    return _Figure(start - offset, q.end - offset, q.unit == "%")
