"""Quantities: every figure that counts or measures something, with what it counts.

Numbers are found by rule (Vietnamese notation: `4.775` is 4775, `98,7` is 98.7, `04` is 4; `74/74`
is 74 of 74); the unit is the noun phrase after the number, cut at words that do not belong to it
with the help of underthesea's part-of-speech tagger (verbs end it); the verb that says what was
done ("kết nạp") is the last report verb (extractors.facts.verbs) before the number in its clause.
Years, dates, identifiers, section numbers, ordinals and numbers inside names are not
quantities. Table cells are handled by extractors.facts.tables.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import TYPE_CHECKING

from extractors.facts.dates import dates_in
from extractors.facts.periods import iter_periods
from extractors.facts.references import identifiers_in
from extractors.facts.tables import table_quantities
from extractors.facts.verbs import verb_before
from extractors.text.keys import parse_number
from extractors.text.normalize import fold_tones
from extractors.text.patterns import phrase_alternation
from extractors.text.spans import Coverage
from schemas.models import Quantity

if TYPE_CHECKING:
    from extractors.context import Context

NUMBER = re.compile(
    r"(?<![\w.,/\-])(?P<int>\d{1,3}(?:\.\d{3})+|\d+)(?:,(?P<dec>\d+))?"
    r"(?:/(?P<total>\d{1,3}(?:\.\d{3})+|\d+)(?![\w/]))?"
    r"(?P<pct>\s?%)?(?![\w/]|[.,]\d)"
)
_BOUNDARY = re.compile(r"[,;:()\[\]\n\t.!?\"“”+=<>]|\s-\s|\s–\s")
_QUALIFIERS = (
    "ít nhất",
    "tối thiểu",
    "tối đa",
    "không quá",
    "không dưới",
    "gần",
    "hơn",
    "trên",
    "khoảng",
    "đạt",
    "dưới",
    "tới",
    "từ",
    "chỉ",
    "gần như",
    "xấp xỉ",
    "trung bình",
    "tổng số",
    "tổng cộng",
    "gồm",
    "có",
)
_QUALIFIER_RE = re.compile(
    r"(?:^|\s)(?P<q>" + phrase_alternation(_QUALIFIERS) + r")\s*:?\s*$",
    re.I,
)
# Words that never begin or continue a counted noun phrase.
_STOP = {
    "của",
    "và",
    "với",
    "trong",
    "đối",
    "cho",
    "tại",
    "ở",
    "theo",
    "về",
    "trên",
    "từ",
    "đến",
    "để",
    "gồm",
    "thuộc",
    "so",
    "bằng",
    "là",
    "do",
    "được",
    "đã",
    "đang",
    "sẽ",
    "có",
    "không",
    "các",
    "những",
    "mỗi",
    "này",
    "đó",
    "như",
    "khi",
    "nhưng",
    "hoặc",
    "hay",
    "mà",
    "thì",
    "vào",
    "ra",
    "lên",
    "qua",
    "tới",
    "nên",
    "vì",
    "nếu",
    "cùng",
    "cũng",
    "còn",
    "rất",
    "đều",
    "chỉ",
    "trở",
    "đạt",
    "tăng",
    "giảm",
    "chiếm",
    "hoàn",
    "năm",
    "tháng",
    "ngày",
    "lần",
    "thứ",
    "và/hoặc",
    "sau",
    "trước",
    "bị",
    "hết",
    "vượt",
    "tính",
    "riêng",
    "nhằm",
    "nay",
    "hiện",
    "khóa",
    "khoá",
    "hàng",
    "đầu",
    "cuối",
    "giữa",
}
# Nouns the tagger sometimes calls verbs or numbers, which do head a counted phrase.
_NOUN_HEADS = {
    "triệu",
    "tỷ",
    "nghìn",
    "ngàn",
    "lượt",
    "cuộc",
    "lớp",
    "hội nghị",
    "đợt",
    "buổi",
    "phiên",
    "tin",
    "bài",
    "ảnh",
    "số",
    "cuốn",
    "phiếu",
    "đơn",
    "công trình",
    "ủy viên",
    "uỷ viên",
    "chủ nhiệm",
    "quần chúng",
    "đảng viên",
    "hội viên",
    "đoàn viên",
    "học viên",
    "tập thể",
    "cá nhân",
    "đồng chí",
    "trường hợp",
    "đại hội",
    "hội thảo",
    "hội thi",
    "bằng khen",
    "giấy khen",
    "huân chương",
    "huy chương",
    "huy hiệu",
}
_NUMBER_WORDS = {
    "một",
    "hai",
    "ba",
    "bốn",
    "năm",
    "sáu",
    "bảy",
    "tám",
    "chín",
    "mười",
    "trăm",
    "nghìn",
    "ngàn",
    "vạn",
    "triệu",
    "tỷ",
    "tỉ",
    "mươi",
    "lăm",
    "mốt",
    "rưỡi",
}
_ALLOWED_AFTER_NOUN = {"mới", "chính thức", "dự bị", "ưu tú", "trực thuộc", "cơ sở", "tiêu biểu"}
# One-syllable verbs that may follow a number that counts nothing ("đợt 2/9 và 7/11 trao cho").
_VERB_STARTS = {
    "trao",
    "tặng",
    "mở",
    "làm",
    "xét",
    "đi",
    "giao",
    "ký",
    "họp",
    "nộp",
    "gửi",
    "nhận",
    "thu",
    "chi",
    "bổ",
    "xóa",
    "xoá",
    "kết",
    "tổ",
    "chuyển",
} - {"chi", "tổ"}
_TIME_UNITS = {"năm", "tháng", "ngày", "giờ", "tuần", "tiết", "buổi", "phút", "tuổi", "lần"}
_ORDINALS = (
    "lần thứ ngày tháng khóa khoá kỳ đợt tập quyển Điều khoản điểm mục chương phần bảng biểu "
    "mẫu phụ_lục tiêu_chuẩn tiểu_chuẩn"
)
_ORDINAL_BEFORE = re.compile(
    rf"(?:\b{phrase_alternation(w.replace('_', ' ') for w in _ORDINALS.split())}\s*)$", re.I
)
_MAX_UNIT_WORDS = 5


# the same few words after a number recur across reports: each distinct window is segmented
# once (underthesea's segmentation is the largest cost of a window; see commit a2a2b98)
@lru_cache(maxsize=4096)
def _tokens(text: str) -> tuple[str, ...]:
    from underthesea import word_tokenize  # half a second to import, only when needed

    return tuple(word_tokenize(text))


# measured as `_tokens`: tagging each distinct window once
@lru_cache(maxsize=4096)
def _tags(text: str) -> tuple[str, ...]:
    """The POS tags of `_tokens(text)`: together, `underthesea.pos_tag(text)`."""
    # imported here: underthesea's tagger takes half a second to load
    from extractors.text.postag import tag_tokens

    return tuple(tag_tokens(list(_tokens(text))))


def _unit_after(rest: str) -> str | None:
    """The counted noun phrase at the start of ``rest`` (the text right after a number)."""
    cut = _BOUNDARY.search(rest)
    window = rest[: cut.start()] if cut else rest
    window = window.strip()
    if not window or not window[0].isalpha():
        return None
    words = window.split()
    if words[0].lower() in _VERB_STARTS:
        return None
    two = " ".join(words[:2]).lower()
    if (
        fold_tones(words[0].lower()) in _STOP
        and words[0].lower() not in _NOUN_HEADS
        and two not in _NOUN_HEADS
    ):
        if words[0].lower() in _TIME_UNITS:
            return words[0]
        return None
    window = " ".join(words[: _MAX_UNIT_WORDS + 3])
    kept: list[str] = []
    # the tags are asked for only when a token past the first one needs them: most phrases end
    # at a stop word or after one token, and tagging costs a third of the tokenising
    tags: tuple[str, ...] | None = None
    for i, token in enumerate(_tokens(window)):
        low = token.lower()
        first = low.split()[0]
        if kept and (first in _STOP or low in _STOP):
            break
        if not kept:
            kept.append(token)
            continue
        if tags is None:
            tags = _tags(window)
        tag = tags[i]
        # the tagger calls many nouns verbs ("tổ chức đảng": đảng/V): a one-syllable token is kept;
        # a verb of two syllables or more ("sử dụng", "kiểm tra") ends the phrase
        multi = " " in token
        if tag == "M" and not multi and token.isalpha() and low not in _NUMBER_WORDS:
            tag = "N"  # the tagger reads some nouns as numerals ("điểm cầu": cầu/M)
        if tag in ("E", "C", "CH", "M", "P", "L", "T", "X") or (tag in ("V", "R") and multi):
            if low not in _NOUN_HEADS and low not in _ALLOWED_AFTER_NOUN:
                break
        if token[:1].isupper() and not kept[-1][:1].isupper():
            break  # a proper name starts: "đảng viên Đảng bộ Khối"
        kept.append(token)
        if len(" ".join(kept).split()) >= _MAX_UNIT_WORDS:
            break
    unit = " ".join(kept).strip()
    return unit or None


def _after_name(text: str, line_start: int, start: int) -> bool:
    """True when the number ends a name: "Ban Chỉ đạo 35", not "02 Cờ và 01 Bằng khen"."""
    before = text[line_start:start]
    words = before.split()[-2:]
    if not words or re.search(r"[,;:.(]\s*$", before) or words[-1].lower() in _STOP:
        return False
    return any(w[:1].isupper() for w in words)


_HAS_LETTER = re.compile(r"[A-Za-zĐđ]")


def _excluded_spans(ctx: Context) -> Coverage:
    spans = [(s, e) for s, e, _, _ in ctx.found_once(dates_in)]
    spans += [
        (m.start(), m.end())
        for m in ctx.found_once(identifiers_in)
        if _HAS_LETTER.search(m.group("sym"))
    ]
    spans += [
        (s, e) for s, e, v in iter_periods(ctx.raw) if v.kind != "months" or "năm" in ctx.raw[s:e]
    ]
    spans += [(s.start, s.start + len(s.label)) for s in ctx.structure.sections]
    return Coverage(spans)


def find_quantities(ctx: Context) -> list[Quantity]:
    text = ctx.raw
    excluded = _excluded_spans(ctx)
    out: list[Quantity] = []
    for b, block in enumerate(ctx.blocks):
        if block.kind == "table_row":
            continue
        line_start = ctx.text.block_starts[b]
        line_end = text.find("\n", line_start)
        lowered: str | None = None  # the line's folded text lower-cased, once it is needed
        for m in NUMBER.finditer(text, line_start, line_end):
            start, end = m.start(), m.end()
            if excluded.covers(start):
                continue
            before = text[max(line_start, start - 30) : start]
            if _ORDINAL_BEFORE.search(before):
                continue
            value = parse_number(m.group("int"), m.group("dec"))
            if (
                not m.group("dec")
                and not m.group("pct")
                and "." not in m.group("int")
                and 1900 <= value <= 2100
                and not m.group("total")
            ):
                continue  # a year
            total = parse_number(m.group("total")) if m.group("total") else None
            if m.group("pct"):
                unit = "%"
                span_end = end
            else:
                found_unit = _unit_after(text[end:line_end])
                if found_unit is None:
                    continue
                unit = found_unit
                # underthesea respells tone marks in its tokens ("uỷ" comes back "ủy"): find the
                # unit in the tone-folded copy (same offsets) and keep the raw spelling
                if lowered is None:
                    lowered = ctx.folded[line_start:line_end].lower()
                    if len(lowered) != line_end - line_start:  # a letter lower() lengthens
                        lowered = ""
                if lowered:
                    at = lowered.find(fold_tones(unit).lower(), end - line_start)
                    at = at - (end - line_start) if at >= 0 else -1
                else:
                    at = ctx.folded[end:line_end].lower().find(fold_tones(unit).lower())
                if at < 0:
                    continue
                unit = text[end + at : end + at + len(unit)]
                span_end = end + at + len(unit)
                if unit[:1].isupper() and _after_name(text, line_start, start):
                    continue  # "Ban Chỉ đạo 35 Đảng ủy Khối": a number inside a name
            q = _QUALIFIER_RE.search(before)
            out.append(
                Quantity(
                    value=value,
                    unit=unit,
                    qualifier=q.group("q").lower() if q else None,
                    of_total=total,
                    verb=verb_before(ctx.folded, ctx.sentence_span(start)[0], start),
                    **ctx.provenance(
                        start,
                        span_end,
                        "quantity.ratio"
                        if total
                        else "quantity.percent"
                        if unit == "%"
                        else "quantity.count",
                    ),
                )
            )

    return out + table_quantities(ctx)
