"""Open metrics: every figure is comparable without a taxonomy entry.

A figure no taxonomy rule names still gets a metric of its own, keyed by what the document says
it counts:
- a table cell: the row's label (`Sản lượng điện thương phẩm`) and the unit of its row or column
  (`triệu kWh`);
- a number in running text: the counted noun phrase and what was done to it (`kết nạp` +
  `quần chúng ưu tú`), the verb the extractor found before the number.

The key is `open.<label>.<unit>` in ASCII (`open.san_luong_dien_thuong_pham.trieu_kwh`); the label
shown is the document's own wording. Keys are per wording: a label that shifts between reports is
joined into one series later, by `extractors.metrics.align`, within one organisation.

What is left out, because it is not a figure of the period: durations and ages (`93 năm`, `06
tháng`), issue numbers (`02 số`), and table rows with no words of their own.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from extractors.metrics.context import slug
from extractors.text.keys import match_key
from schemas.vocab import counted_nouns, unit_variants

# Units that measure time or name an edition, not a count of the period's work.
_NOT_COUNTED = frozenset({"số", "kỳ", "khóa", "lần thứ"})
# Item markers before a row label: `1.`, `1.2`, `a)`, `I.`, `-`, `+`, `*`, `Trong đó:`.
_MARKER = re.compile(
    r"^\s*(?:(?:[0-9]+(?:\.[0-9]+)*|[ivxlc]+|[a-zđ])\s*[.)/:-]\s*|[-+*•–—]\s*)+", re.IGNORECASE
)
_LEAD = re.compile(r"^(?:trong đó|bao gồm|gồm)\s*[:,-]?\s*", re.IGNORECASE)
_TRAIL = re.compile(r"[\s:;,.(*)]+$")

# What stands between a measured subject and its number: `doanh thu ước đạt`, `tỷ lệ hộ nghèo
# giảm còn`, `sản lượng lúa đạt khoảng` (folded words, stripped from the end, longest first).
_LINK_WORDS = (
    "với tổng số tiền", "với tổng trị giá", "với số tiền", "với trị giá", "tổng số tiền",
    "số tiền", "tổng trị giá", "trị giá", "ước tính đạt", "ước thực hiện", "ước đạt",
    "đạt được", "thực hiện", "ở mức", "xấp xỉ",
    "ước tính", "ước", "đạt", "là", "có", "được", "bằng", "khoảng", "gần", "trên", "hơn",
    "dưới", "còn", "lên", "xuống", "đến", "tới", "mức", "với", "chiếm", "tăng", "giảm",
)  # fmt: skip
# Time phrases inside a subject: `doanh thu 6 tháng đầu năm 2024`, `trong quý I`.
_TIME = re.compile(
    r"\b(?:trong|của|tính đến|lũy kế|luỹ kế)?\s*(?:\d+ tháng(?: đầu| cuối)?(?: năm)?|"
    r"quý [ivx\d]+|tháng \d+|năm \d{4}|cả năm|năm nay|năm trước|cùng kỳ|kỳ này|"
    r"tháng này|quý này)(?:\s*(?:/|năm)?\s*\d{4})?\b"
)
_LEADING = re.compile(
    r"^(?:(?:trong đó|riêng|còn|và|đồng thời|ngoài ra|tổng cộng|toàn tỉnh|các|những)\s+)+"
)
_COMPARISON = re.compile(r"^(?:so với|so|bằng|tương đương|gấp|cao|thấp|nhiều|ít|lớn|nhỏ)\b")
MAX_SUBJECT_WORDS = 10


def _measures() -> frozenset[str]:
    nouns = counted_nouns()
    return frozenset(nouns.measure | set(unit_variants()) | set(unit_variants().values()) | {"%"})


def _times() -> frozenset[str]:
    return frozenset(counted_nouns().time) | _NOT_COUNTED


def subject_of(before: str) -> tuple[str, str | None] | None:
    """The measured subject at the end of the clause before a number, and `tăng`/`giảm` when
    the number is a change rather than a level: `Doanh thu 6 tháng ước đạt` -> (`Doanh thu`,
    None); `Sản lượng lúa tăng` -> (`Sản lượng lúa`, `tăng`); `giảm còn` is a level. None
    when no words of a subject are left."""
    clause = re.split(r"[,;:()]", before)[-1]
    words = clause.split()
    folded = [match_key(w) for w in words]
    change = None
    tail = [w for w in folded if w not in ("khoảng", "gần", "hơn", "trên", "dưới")]
    if tail and tail[-1] in ("tăng", "giảm"):
        change = tail[-1]
    stripped = True
    while stripped and folded:
        stripped = False
        for link in _LINK_WORDS:
            parts = link.split()
            if folded[-len(parts) :] == parts:
                del folded[-len(parts) :], words[-len(parts) :]
                stripped = True
                break
    text = " ".join(words)
    low = match_key(text)
    cut = re.search(r"\bso (?:với\b|cùng kỳ)", low)
    if cut:  # `Doanh thu so với cùng kỳ tăng`: the subject is before the comparison
        text, low = text[: cut.start()], low[: cut.start()]
    # remove time phrases, keeping the original spelling of what is left
    for m in reversed(list(_TIME.finditer(low))):
        text, low = text[: m.start()] + text[m.end() :], low[: m.start()] + low[m.end() :]
    text = " ".join(text.split())
    lead = _LEADING.match(match_key(text))
    if lead:
        text = text[lead.end() :]
    words = text.split()[-MAX_SUBJECT_WORDS:]
    if len(words) < 2 or not all(re.search(r"[^\W\d_]", w) for w in words):
        return None
    if _COMPARISON.match(match_key(" ".join(words))):
        return None  # `so với cùng kỳ tăng 5%`: a comparison, not a subject
    return " ".join(words), change


@dataclass(frozen=True)
class OpenMetric:
    """An unnamed metric: its key, the label shown, and the folded label used to align it."""

    key: str
    label: str
    unit: str
    folded: str
    labelled: bool = True  # named by a label of its own (a row, a subject), not a verb


def clean_label(label: str) -> str:
    """A row label without its item marker, `Trong đó:` lead or trailing punctuation, as written."""
    text = " ".join(label.split())
    previous = None
    while text != previous:
        previous = text
        text = _MARKER.sub("", text)
        text = _LEAD.sub("", text)
        text = _TRAIL.sub("", text)
    return text


def _key(label: str, unit: str) -> str:
    parts = [slug(label) or "x"]
    unit_part = slug(unit)
    if unit_part:
        parts.append(unit_part)
    return "open." + ".".join(parts)


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


_PAREN_UNIT = re.compile(r"\s*\(([^()]{1,30})\)\s*[:.]?\s*$")


def _heading_as_unit(unit: str, heading: str) -> bool:
    """Whether the extractor took the column's head for the unit (a table with no unit column):
    `TH quý I/2025`, `Cùng kỳ 2024` are no units (a scale is: `1000 tấn`)."""
    folded = match_key(unit)
    return bool(folded) and (
        folded == match_key(heading) or bool(re.search(r"(?<!\d)(?:19|20)\d\d(?!\d)", folded))
    )


def table_metric(
    row_label: str, unit: str | None, heading: str = "", caption: str = "", parent: str = ""
) -> OpenMetric | None:
    """The open metric of a table cell from its row label and unit, or None for a row with no
    words (a number-only row) or one whose unit measures time. A unit written in the label
    (`Doanh thu (tỷ đồng)`) is the unit where the table has no unit column, and the table's
    caption (`ĐVT: tỷ đồng`) where the label has none; a column's head or number is never a
    unit. A sub-row whose label recurs in its table is named under its parent row
    (`Xi măng tiêu thụ: xi măng bao`)."""
    unit_text = " ".join((unit or "").split())
    if re.fullmatch(r"[\d\s().]*", unit_text) or _heading_as_unit(unit_text, heading):
        unit_text = ""  # a column's number (`(1)`, `5`) or head is no unit
    written = " ".join(row_label.split())
    paren = _PAREN_UNIT.search(written)
    if paren and re.search(r"[^\W\d_]|%", paren.group(1)):
        if not unit_text:
            unit_text = paren.group(1).strip()
        if match_key(paren.group(1)) == match_key(unit_text):
            written = written[: paren.start()]
    label = clean_label(written)
    if not re.search(r"[^\W\d_]", label):
        return None
    if not unit_text:
        unit_text = " ".join(caption.split())
    if parent and (head := clean_label(_PAREN_UNIT.sub("", " ".join(parent.split())))):
        label = f"{head}: {label}"
    if match_key(unit_text) in _times():
        return None
    return OpenMetric(_key(label, unit_text), _capital(label), unit_text, match_key(label))


def prose_metric(unit: str | None, verb: str | None, before: str = "") -> OpenMetric | None:
    """The open metric of a number in running text. A measure (`tỷ đồng`, `ha`, `%`) is named by
    the subject before it (`Doanh thu đạt 590,2 tỷ đồng` -> `Doanh thu`, a change marked:
    `Doanh thu (tăng)`); a counted noun by what was done to it (`kết nạp` + `quần chúng ưu
    tú`). None when it counts nothing, measures time, or a measure has no subject, or a counted
    noun has no verb (the taxonomy names such figures where it knows them)."""
    unit_text = " ".join((unit or "").split())
    folded_unit = match_key(unit_text)
    if not unit_text or folded_unit in _times():
        return None
    if folded_unit in _measures():
        found = subject_of(before)
        if found is None:
            return None
        subject, change = found
        label = f"{subject} ({change})" if change else subject
        folded = match_key(label.replace("(", " ").replace(")", " "))
        return OpenMetric(
            _key(folded, unit_text), _capital(label), unit_text, " ".join(folded.split())
        )
    verb_text = " ".join((verb or "").split())
    if not verb_text:
        return None  # `4.187 đảng viên`, `64 tổ chức cơ sở đảng`: counted, but as what?
    label = f"{verb_text}: {unit_text}"
    folded = match_key(f"{verb_text} {unit_text}".strip())
    return OpenMetric(_key(folded, ""), _capital(label), unit_text, folded, labelled=False)
