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

# Units that measure time or name an edition, not a count of the period's work.
_NOT_COUNTED = frozenset(
    {"năm", "tháng", "ngày", "tuần", "giờ", "phút", "giây", "quý", "kỳ", "số", "lần thứ", "khóa"}
)
# Item markers before a row label: `1.`, `1.2`, `a)`, `I.`, `-`, `+`, `*`, `Trong đó:`.
_MARKER = re.compile(
    r"^\s*(?:(?:[0-9]+(?:\.[0-9]+)*|[ivxlc]+|[a-zđ])\s*[.)/:-]\s*|[-+*•–—]\s*)+", re.IGNORECASE
)
_LEAD = re.compile(r"^(?:trong đó|bao gồm|gồm)\s*[:,-]?\s*", re.IGNORECASE)
_TRAIL = re.compile(r"[\s:;,.(*)]+$")


@dataclass(frozen=True)
class OpenMetric:
    """An unnamed metric: its key, the label shown, and the folded label used to align it."""

    key: str
    label: str
    unit: str
    folded: str


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


def table_metric(row_label: str, unit: str | None) -> OpenMetric | None:
    """The open metric of a table cell from its row label and unit, or None for a row with no
    words (a number-only row) or one whose unit measures time."""
    label = clean_label(row_label)
    if not re.search(r"[^\W\d_]", label):
        return None
    unit_text = " ".join((unit or "").split())
    if re.fullmatch(r"[\d\s().]*", unit_text):
        unit_text = ""  # a column's number (`(1)`, `5`) is no unit
    if match_key(unit_text) in _NOT_COUNTED:
        return None
    return OpenMetric(_key(label, unit_text), _capital(label), unit_text, match_key(label))


def prose_metric(unit: str | None, verb: str | None) -> OpenMetric | None:
    """The open metric of a number in running text: what it counts and what was done to it.
    None when it counts nothing (no unit) or measures time."""
    unit_text = " ".join((unit or "").split())
    if not unit_text or match_key(unit_text) in _NOT_COUNTED:
        return None
    verb_text = " ".join((verb or "").split())
    if not verb_text and not re.search(r"[^\W\d_]", unit_text):
        return None  # `95%` with nothing said of it
    label = f"{verb_text}: {unit_text}" if verb_text else unit_text
    folded = match_key(f"{verb_text} {unit_text}".strip())
    return OpenMetric(_key(folded, ""), _capital(label), unit_text, folded)
