"""The values that cross baocao's stages: a read Source, the normalised Text, the structured
Report and its Facts. Everything here is frozen and serialisable; nothing here imports the rest
of baocao.

Offsets (``start``/``end``) always index ``Report.text``, the normalised text of the whole document.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

RULES_VERSION = "2026.12.3"


class Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


# ---------------------------------------------------------------------------------------------
# Reading: a file becomes a Source, an ordered list of blocks
# ---------------------------------------------------------------------------------------------

BlockKind = Literal["paragraph", "table_row"]


class Block(Frozen):
    """One paragraph or one table row, in the order the document shows them.

    ``text`` is what a reader of the page sees, with a restored list label in front
    (``label``) when Word numbered the paragraph automatically. A table row's ``text`` is its
    cells joined by tabs; ``cells`` keeps them apart (merged cells appear once).
    """

    kind: BlockKind = "paragraph"
    text: str
    label: str | None = None
    style: str | None = None
    table: int | None = None
    row: int | None = None
    cells: tuple[str, ...] | None = None
    page: int | None = None
    bold: bool = False
    centered: bool = False


class Source(Frozen):
    """What a reader made of one file: its identity and its blocks."""

    path: str
    format: str
    sha256: str
    size: int
    blocks: tuple[Block, ...]
    encoding: str | None = None
    warnings: tuple[str, ...] = ()


# ---------------------------------------------------------------------------------------------
# Structure
# ---------------------------------------------------------------------------------------------


class Span(Frozen):
    start: int
    end: int


class Sentence(Span):
    index: int
    block: int
    section: str | None = None


class Section(Span):
    """A numbered heading and the text it governs (``start`` at the heading, ``end`` at the next
    heading of the same or a higher level)."""

    path: str  # "II.3.1.2" style: the labels from the root down, joined by "/"
    label: str  # as written: "II.", "3.1.2.", "a)"
    level: int
    title: str


class PeriodValue(Frozen):
    """A span of time with its canonical key: 2023-H1, 2022, 2024-Q1, 2023-9M, or 2016-2017 for a
    school year."""

    label: str
    start: str
    end: str
    key: str
    kind: Literal["year", "half", "quarter", "months", "month", "school_year", "range"]


class Header(Frozen):
    issuer: str | None = None
    parent_issuer: str | None = None
    identifier: str | None = None
    place: str | None = None
    date: str | None = None
    doc_type: str | None = None
    title: str | None = None
    period: PeriodValue | None = None
    signer_role: str | None = None
    signer: str | None = None
    recipients: tuple[str, ...] = ()


# ---------------------------------------------------------------------------------------------
# Facts
# ---------------------------------------------------------------------------------------------


class Fact(Frozen):
    """Provenance shared by every fact: where it is and which rule found it."""

    text: str
    start: int
    end: int
    rule: str
    section: str | None = None
    sentence: int | None = None
    block: int | None = None
    table: int | None = None
    row: int | None = None
    column: int | None = None
    confidence: float = 1.0


class CitedDocument(Fact):
    identifier: str
    number: str | None = None
    symbol: str | None = None
    year: int | None = None
    style: Literal["party", "state", "legal", "other"] = "other"
    doc_type: str | None = None
    date: str | None = None
    issuer: str | None = None
    subject: str | None = None
    correction: str | None = None


class DateMention(Fact):
    value: str


class PeriodMention(Fact):
    period: PeriodValue


class Quantity(Fact):
    """A figure with what it counts. ``refers_to_*`` is the period the text says the figure
    belongs to when it is not the document's own ("cùng kỳ năm trước kết nạp 58 đảng viên":
    the same part of the year before; "tính đến ngày 15/12/2023": a point in time, with no
    start and its day as key and end); all None for a figure of the reporting period."""

    value: float
    unit: str
    qualifier: str | None = None
    of_total: float | None = None
    verb: str | None = None
    refers_to_key: str | None = None
    refers_to_start: str | None = None
    refers_to_end: str | None = None
    refers_to_text: str | None = None


class AwardGrant(Fact):
    title: str
    category: Literal["danh_hieu", "hinh_thuc", "huy_hieu"] = "hinh_thuc"
    recipient_kind: RecipientKind | None = None
    count: int | None = None
    authority: str | None = None


TableKind = Literal["award", "indicator", "criteria", "layout", "data"]
RecipientKind = Literal["tập thể", "cá nhân"]


class DocTable(Frozen):
    """A table as the document shows it: rows of cells (merged cells resolved by the reader), the
    number of heading rows, and what kind of table it is."""

    index: int
    kind: TableKind
    header_rows: int
    rows: tuple[tuple[str, ...], ...]
    start: int
    end: int
    caption: str | None = None


class IndicatorRow(Fact):
    """One row of an indicator table:
    "Chỉ tiêu | ĐVT | Kế hoạch | Thực hiện | Cùng kỳ | Tỷ lệ %"."""

    indicator: str
    unit: str | None = None
    plan: float | None = None
    achieved: float | None = None
    previous: float | None = None
    percent: float | None = None


class CriterionRow(Fact):
    """One row of a scoring-criteria table: code, criterion, unit, target and points per tier
    (("Tốt", 30), ("Khá", 24), ...) or a single points value."""

    code: str | None = None
    criterion: str
    unit: str | None = None
    target: float | None = None
    points: tuple[tuple[str, float], ...] = ()


class Finding(Fact):
    """A consistency problem found in the document (a sum that does not add up, ...)."""

    code: str
    message: str


class Report(Frozen):
    """One document after extraction: its text, header, structure and facts."""

    source: str
    format: str
    sha256: str
    size: int
    text: str
    header: Header
    sections: tuple[Section, ...] = ()
    sentences: tuple[Sentence, ...] = ()
    block_starts: tuple[int, ...] = ()
    references: tuple[CitedDocument, ...] = ()
    dates: tuple[DateMention, ...] = ()
    periods: tuple[PeriodMention, ...] = ()
    quantities: tuple[Quantity, ...] = ()
    awards: tuple[AwardGrant, ...] = ()
    findings: tuple[Finding, ...] = ()
    tables: tuple[DocTable, ...] = ()
    indicators: tuple[IndicatorRow, ...] = ()
    criteria: tuple[CriterionRow, ...] = ()
    warnings: tuple[str, ...] = ()
    rules_version: str = RULES_VERSION
    encoding: str | None = None
    blocks: tuple[Block, ...] = Field(default=(), repr=False)
