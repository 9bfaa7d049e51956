"""Quantities: every figure that counts or measures something, with what it counts.

Numbers are found by rule (Vietnamese notation: `4.775` is 4775, `98,7` is 98.7, `04` is 4; `74/74`
is 74 of 74; `3,300 lượt` groups thousands the English way; `(-717 ha)` keeps its sign). The unit
is the counted noun phrase after the number: a counted noun or a classifier with what it
classifies, from the lexicon `schemas/vocab/counted_nouns.tsv` ("cuộc kiểm tra", "hộ gia đình"),
then the nouns and adjectives that follow it, with underthesea's part-of-speech tagger asked only
past the lexicon (a verb ends the phrase: "230 hộ gia đình hiến đất" counts "hộ gia đình"). A
label before a colon gives the unit of a bare number ("Tổng số hồ sơ tiếp nhận: 1.234"). The verb
that says what was done ("kết nạp") is the last report verb (extractors.facts.verbs) before the
number in its clause. Years, dates, identifiers, section numbers, ordinals, clock times, footnote
marks and numbers that name something ("Đề án 06", "lớp 12", "Ban Chỉ đạo 35") are not
quantities. Number cells of tables are handled by extractors.facts.tables; prose in table cells
is read here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

from extractors.facts.dates import dates_in
from extractors.facts.periods import iter_periods
from extractors.facts.references import identifiers_in
from extractors.facts.tables import table_quantities
from extractors.facts.verbs import ends_with_verb, verb_before
from extractors.text.keys import cell_number, parse_number
from extractors.text.normalize import fold_tones
from extractors.text.patterns import phrase_alternation
from extractors.text.spans import Coverage
from schemas.models import Quantity
from schemas.vocab import counted_nouns

if TYPE_CHECKING:
    from extractors.context import Context

# A sign counts only glued to the number after a space or a bracket ("(-717 ha)", "tăng +146"),
# never after another figure ("2020 -2025"). `100%/85%` is two results: a number may follow "%/".
NUMBER = re.compile(
    r"(?:(?<=[ \t(\[])(?<![\d%] )(?P<sign>[-+−–])(?=\d)|(?<=%/)|(?<![\w.,;/\-+−–)”\"]))"
    r"(?P<int>\d{1,3}(?:,\d{3}){2,}|\d{1,3}(?:\.\d{3})+|\d+)(?:,(?P<dec>\d+))?"
    r"(?:/(?P<total>\d{1,3}(?:\.\d{3})+|\d+)(?![\w/]))?"
    r"(?:(?P<pct>\s?%)(?:\d{1,2}(?=\s+[^\W\d_]))?|(?P<glued>đ|ha|km2?|m[23]?|kg)(?!\w))?"
    r"(?:(?<=%)(?=/\d)|(?![\w/]|[.,]\d))"
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
    "bình quân",
)
_QUALIFIER_RE = re.compile(
    r"(?:^|[\s(])(?P<q>" + phrase_alternation(_QUALIFIERS) + r")\s*:?\s*$",
    re.I,
)
# words that introduce a count without qualifying it ("có 16 câu lạc bộ", "tổng số 58 đồng chí")
_INTRODUCERS = ("có", "gồm", "tổng số", "tổng cộng", "số lượng", "trong đó", "còn", "được", "là")
_INTRODUCER_RE = re.compile(r"(?:^|[\s(])" + phrase_alternation(_INTRODUCERS) + r"\s*:?\s*$")
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
_NUMBER_WORDS = {
    "một",
    "hai",
    "ba",
    "bốn",
    "tư",
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
    "linh",
    "lẻ",
    "không",
}
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
    "bổ",
    "xóa",
    "xoá",
    "kết",
    "chuyển",
}
# tags that end a counted noun phrase past its head (underthesea's tag set: E preposition,
# C/CC conjunction, CH punctuation, M numeral, P pronoun, L determiner, T particle, X unknown,
# V verb, R adverb)
_ENDS_PHRASE = {"E", "C", "CC", "CH", "M", "P", "L", "T", "X", "V", "R", "Vy", "I"}
_MAX_UNIT_WORDS = 5
_BEFORE = 60  # characters before a number read for its qualifier and for a name it ends
_SPACES = re.compile(r"\s+")
# a number written again in words after it: "01 (một)", "05 (năm)"
_WORD_FORM = re.compile(r"\s*\(\s*(?P<words>[^\W\d_]+(?:\s+[^\W\d_]+){0,5})\s*\)")
# the word form before it: "một (01) chi bộ"
_WORD_FORM_BEFORE = re.compile(r"(?P<word>[^\W\d_]+)\s*\(\s*$")
_OPEN_QUOTE = "“\"'‘"
_CLOSE_QUOTE = re.compile(r"[”\"'’]")
# a label that names what a bare number after its colon counts: "Tổng số hồ sơ tiếp nhận: 1.234",
# "- Số phiếu đồng ý: 45/50", "Tổng số phòng, đơn vị đã áp dụng: 02" ("sô" where a scan's OCR
# dropped the tone)
_LABEL_BEFORE = re.compile(
    r"(?:^|[\s(;,.\-–+*•])(?:tổng\s+)?(?:số\s+lượng|s[ốô])\s+(?P<noun>[^\W\d_][^:;()\d]{0,60}?)"
    r"\s*:\s*$"
)
_FOLLOWED_BY_DIGIT = re.compile(r"\s*\d")
_ROMAN = re.compile(r"[IVXLCDM]+")
_NUMBERED = re.compile(r"(?<![^\W\d_])(?P<noun>[^\W\d_]+)\s+số\s*$")
# a number glued to the end of a word or after a closing mark, as a PDF renders a footnote
# reference ("Hồ Chí Minh4.", "sinh viên”12 trong"), or alone after a sentence's end
_FOOTNOTE_REFERENCE = re.compile(
    r"(?<=[^\W\d_]|[”\"’).,;])(?P<n>\d{1,2})(?=[\s.,;:)]|$)|(?<=[.;”\"] )(?P<alone>\d{1,2})$",
    re.M,
)


@dataclass(frozen=True)
class _Lexicon:
    heads: re.Pattern[str]  # a counted noun, classifier, measure or time word at a position
    head_kind: dict[str, str]  # a matched head (tone-folded, single spaces) -> its kind
    names_before: re.Pattern[str]  # a noun that the number after it names, ending the text
    modifiers: frozenset[str]
    initials: frozenset[str]  # counted nouns as initials, tone-folded, case kept ("PAKN")


# compiled once per process: the lexicon does not change while it runs
@lru_cache(maxsize=1)
def _lexicon() -> _Lexicon:
    vocab = counted_nouns()
    head_kind: dict[str, str] = {}
    for kind in ("initials", "time", "classifier", "measure", "noun"):  # later kinds win a phrase
        for phrase in getattr(vocab, kind):
            head_kind[fold_tones(phrase).lower()] = kind
    heads = phrase_alternation(head_kind, space=r"\s+")
    names = phrase_alternation({fold_tones(p) for p in vocab.name}, space=r"\s+")
    return _Lexicon(
        heads=re.compile(rf"{heads}(?![^\W\d_])"),
        head_kind=head_kind,
        names_before=re.compile(rf"(?<![^\W\d_]){names}\s*$"),
        modifiers=frozenset(fold_tones(p) for p in vocab.modifier),
        initials=frozenset(fold_tones(p) for p in vocab.initials),
    )


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


@dataclass(frozen=True)
class _Unit:
    start: int  # offsets in the text the unit was looked for in
    end: int
    kind: str  # noun, classifier, measure, time, title (a quoted name) or tagged (no lexicon head)


def _is_stop(word: str) -> bool:
    return word in _STOP or word.split(" ")[0] in _STOP


def _window_end(raw: str, pos: int) -> int:
    cut = _BOUNDARY.search(raw, pos)
    return cut.start() if cut else len(raw)


def _token_spans(
    raw: str, low: str, pos: int, end: int, words: int
) -> tuple[str, list[tuple[int, int, str]]]:
    """The first ``words`` words of ``raw[pos:end]`` as one string (what is tokenised and
    tagged), and the words underthesea segments it into, with their offsets."""
    window = " ".join(raw[pos:end].split()[:words])
    spans, at = [], pos
    for token in _tokens(window):
        found = low.find(fold_tones(token.lower()), at, end)
        if found < 0:
            break  # the tokenizer respelled a word beyond the fold: stop where it is still sure
        spans.append((found, found + len(token), token))
        at = found + len(token)
    return window, spans


def _extend(raw: str, low: str, start: int, end: int, after_classifier: bool = False) -> int:
    """The end of the noun phrase whose head is ``raw[start:end]``: the nouns and adjectives
    after it ("đảng viên mới", "hộ gia đình"), up to a verb, a function word or a name."""
    stop = _window_end(raw, end)
    rest = low[end:stop].split()
    if not rest or (_is_stop(rest[0]) and not after_classifier):
        return end
    lex = _lexicon()
    words_in_head = len(low[start:end].split())
    window, spans = _token_spans(raw, low, start, stop, words_in_head + _MAX_UNIT_WORDS + 3)
    tags: tuple[str, ...] | None = None
    first_after = True
    split_verb = False
    for i, (s, e, token) in enumerate(spans):
        if e <= end:
            continue
        if s < end:
            # the tokenizer reads the head into a longer word: kept when it is a noun ("cây xanh")
            if tags is None:
                tags = _tags(window)
            if _noun_tag(tags[i], low[s:e]) not in ("N", "A"):
                break
            end = e
            continue
        low_token = low[s:e]
        complement = after_classifier and first_after
        if not token[:1].isalpha():
            break
        if _is_stop(low_token):
            if not complement or low_token in _STOP:
                break
            # what a classifier counts may open with "ra" ("buổi ra quân"), not with "đối với"
            if tags is None:
                tags = _tags(window)
            if tags[i] not in ("V", "N"):
                break
        if len(low[start:s].split()) >= max(_MAX_UNIT_WORDS, words_in_head + 1):
            break
        if complement:
            # what a classifier counts, verb or noun, name or not: "cuộc kiểm tra", "lượt Đoàn viên"
            if low_token in _NUMBER_WORDS:
                break
            end, first_after = e, False
            split_verb = " " not in token  # "lượt dự thi": underthesea splits "dự thi"
            continue
        if split_verb and " " not in token and tags is None:
            tags = _tags(window)
        if split_verb and tags is not None and tags[i - 1] == "V" and tags[i] == "V":
            end, split_verb = e, False
            continue
        split_verb = False
        first_after = False
        if raw[s : s + 1].isupper() and not raw[start : start + 1].isupper():
            break  # a proper name starts: "đảng viên Đảng bộ Khối"
        if low_token in lex.modifiers:
            end = e
            continue
        if tags is None:
            tags = _tags(window)
        tag = _noun_tag(tags[i] if i < len(tags) else "X", low_token)
        if tag in _ENDS_PHRASE:
            break
        end = e
    return end


def _noun_tag(tag: str, low_token: str) -> str:
    """The tagger reads some nouns as numerals ("điểm cầu": cầu/M, "cây xanh", "vắc xin")."""
    words = low_token.split()
    if tag == "M" and all(w.isalpha() and w not in _NUMBER_WORDS for w in words):
        return "N"
    return tag


def _rate(raw: str, low: str, end: int) -> int:
    """A rate's second unit: "lượt người/ngày", "đồng/tháng"."""
    if end < len(raw) and raw[end] == "/":
        m = _lexicon().heads.match(low, end + 1)
        if m:
            return m.end()
    return end


def _unit_at(raw: str, low: str, pos: int, lexicon_only: bool = False) -> _Unit | None:
    """The counted noun phrase that starts ``raw`` at ``pos`` (right after a number).
    ``low`` is the same text tone-folded and lower-cased (same offsets)."""
    while pos < len(raw) and raw[pos] in " \t":
        pos += 1
    form = _WORD_FORM.match(raw, pos)
    if form and all(w in _NUMBER_WORDS for w in form.group("words").lower().split()):
        pos = form.end()  # "01 (một) chi bộ": the number again in words
        while pos < len(raw) and raw[pos] in " \t":
            pos += 1
    if pos >= len(raw):
        return None
    if raw[pos] in _OPEN_QUOTE and not lexicon_only:
        # "tuyên dương 06 “Nhà giáo trẻ tiêu biểu”": those who bear the title are counted
        close = _CLOSE_QUOTE.search(raw, pos + 1)
        stop = min(close.start() if close else len(raw), _window_end(raw, pos + 1))
        words = raw[pos + 1 : stop].split()
        if words and words[0][:1].isalpha():
            end = pos + 1 + len(raw[pos + 1 : stop].rstrip())
            return _Unit(pos + 1, end, "title")
        return None
    lex = _lexicon()
    m = lex.heads.match(low, pos)
    if m:
        kind = lex.head_kind.get(_SPACES.sub(" ", m.group()), "noun")
        end = m.end()
        if kind == "initials":  # "49 PAKN" counts, as a noun; "15 cc" is not "CC"
            if fold_tones(_SPACES.sub(" ", raw[pos:end])) not in lex.initials:
                return None if lexicon_only else _tagged_unit(raw, low, pos)
            kind = "noun"
        if kind == "classifier":
            after = raw[end:].split(maxsplit=1)
            if after and _ROMAN.fullmatch(after[0].rstrip(",;.:")):
                return None  # "Hội nghị Trung ương 6 khóa XII": a rank, not a count
            noun = lex.heads.match(low, end + 1) if low[end : end + 1] == " " else None
            if noun and lex.head_kind.get(_SPACES.sub(" ", noun.group())) == "noun":
                end = _extend(raw, low, pos, noun.end())
            else:
                end = _extend(raw, low, pos, end, after_classifier=True)
        elif kind == "noun":
            end = _extend(raw, low, pos, end)
        return _Unit(pos, _rate(raw, low, end), kind)
    if lexicon_only:
        return None
    return _tagged_unit(raw, low, pos)


def _tagged_unit(raw: str, low: str, pos: int) -> _Unit | None:
    """A unit the lexicon does not know, read with the tagger: a noun must begin it."""
    if not raw[pos].isalpha():
        return None
    stop = _window_end(raw, pos)
    words = low[pos:stop].split()
    if not words or words[0] in _VERB_STARTS or _is_stop(words[0]):
        return None
    window, spans = _token_spans(raw, low, pos, stop, _MAX_UNIT_WORDS + 3)
    if not spans:
        return None
    # a phrase that opens with a verb or an adjective counts nothing: "2 xây dựng kế hoạch",
    # "Sinh viên 5 tốt" (a verb of one syllable stays: the tagger calls many nouns verbs)
    tags = _tags(window)
    if tags and (tags[0] == "A" or (tags[0] in ("V", "R") and " " in spans[0][2])):
        return None
    return _Unit(pos, _extend(raw, low, pos, spans[0][1]), "tagged")


def _names_number(raw_before: str, low_before: str) -> bool:
    """True when the number ends a name that stands before it ("Ban Chỉ đạo 35", "Trường THPT
    Cao Lãnh 2", "“Sinh viên 5 tốt”") rather than counting what follows it: a capitalised word
    among the two before it, or in a quotation it is part of. Not after a verb or a qualifier,
    nor after the one or two capitalised words that open a clause ("Tuyên dương 06")."""
    words = raw_before.split()
    run: list[str] = []
    opened = "clause" if len(raw_before) < _BEFORE else "unknown"
    for word in reversed(words):
        if word[-1] in ",;:.()!?" or any(c.isdigit() for c in word):
            opened = "clause"
            break
        if word[0] in "([":
            run.append(word[1:])
            opened = "clause"
            break
        if word[0] in _OPEN_QUOTE:
            run.append(word.lstrip(_OPEN_QUOTE))
            opened = "quote"
            break
        if _is_stop(fold_tones(word.lower())):
            opened = "word"
            break
        run.append(word)
    if opened == "quote" and any(w[:1].isupper() for w in run):
        return True  # a quoted title: "“Sinh viên 5 tốt”"
    if not any(w[:1].isupper() for w in run[:2]):
        return False
    if (
        _QUALIFIER_RE.search(low_before)
        or _INTRODUCER_RE.search(low_before)
        or ends_with_verb(low_before)
    ):
        return False
    return not (opened == "clause" and len(run) <= 2)


def _numbered(low_before: str) -> bool:
    """True after "số" that numbers the noun before it ("mẫu số 05", "Kế hoạch số 12"), not
    after "tổng số 58" nor "mỗi số 650 cuốn" (each issue)."""
    m = _NUMBERED.search(low_before)
    return bool(m and m.group("noun") not in _STOP and m.group("noun") != "tổng")


def _introduced(low_before: str) -> bool:
    """True when a qualifier, a verb or a function word leads to the number ("với 2000")."""
    words = low_before.split()
    return bool(
        words
        and (
            _is_stop(words[-1])
            or _QUALIFIER_RE.search(low_before)
            or _INTRODUCER_RE.search(low_before)
            or ends_with_verb(low_before)
        )
    )


def _footnote_marks(text: str) -> frozenset[str]:
    """The footnote numbers a PDF's text glues to the words they annotate ("Minh4.", "”12")."""
    return frozenset(m.group("n") or m.group("alone") for m in _FOOTNOTE_REFERENCE.finditer(text))


def _is_footnote(ctx: Context, m: re.Match[str], seg_start: int) -> bool:
    """A footnote's own number at the start of its line: "12 Tọa đàm ghi nhận 24 tham luận"."""
    raw = ctx.raw
    if ctx.raw[seg_start : m.start()].strip() or m.group("int").startswith("0"):
        return False
    if m.group("dec") or m.group("total") or m.group("pct") or m.group("sign"):
        return False
    after = raw[m.end() : m.end() + 2]
    if len(after) < 2 or after[0] != " " or not (after[1].isupper() or after[1].isdigit()):
        return False
    return m.group("int") in ctx.found_once(_footnote_marks)


_HAS_LETTER = re.compile(r"[A-Za-zĐđ]")
_HAS_DIGIT = re.compile(r"\d")
# a scoring cell ("Tốt: 10 điểm; Khá: 8 điểm", "05 điểm"): scores in tables are no quantities
_SCORES = re.compile(r"^\s*(?:tốt|khá|tb|trung bình|yếu|đạt|không đạt)\s*:|\d\s*điểm\b", re.I)


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


def _segments(ctx: Context) -> list[tuple[int, int, int]]:
    """(block, start, end) of the text read for numbers: every paragraph, and in tables every
    cell that holds prose rather than a number alone (a PDF often lays paragraphs out as a
    table; number cells are extractors.facts.tables' business)."""
    text = ctx.raw
    out = []
    for b, block in enumerate(ctx.blocks):
        start = ctx.text.block_starts[b]
        end = text.find("\n", start)
        end = len(text) if end < 0 else end
        if block.kind != "table_row":
            out.append((b, start, end))
            continue
        pos = start
        for cell in text[start:end].split("\t"):
            if cell_number(cell) is None and _HAS_DIGIT.search(cell) and not _SCORES.search(cell):
                out.append((b, pos, pos + len(cell)))
            pos += len(cell) + 1
    return out


def _value(m: re.Match[str], unit: _Unit | None, measured: bool) -> float:
    integer, dec = m.group("int"), m.group("dec")
    if "," in integer:
        value = float(integer.replace(",", ""))  # "1,234,567": thousands grouped the English way
    elif (
        dec
        and len(dec) == 3
        and "." not in integer
        and not measured
        and unit is not None
        and unit.kind in ("noun", "classifier", "title")
    ):
        value = float(integer + dec)  # "3,300 lượt sinh viên": whole things, thousands grouped
    else:
        value = parse_number(integer, dec)
    return -value if m.group("sign") in ("-", "−", "–") else value


def find_quantities(ctx: Context) -> list[Quantity]:
    text = ctx.raw
    excluded = _excluded_spans(ctx)
    lex = _lexicon()
    out: list[Quantity] = []
    hidden: list[tuple[int, int]] = []  # units found so far: their words are not verbs
    segments = _segments(ctx)
    for b, seg_start, seg_end in segments:
        if seg_start < ctx.structure.header_end:
            continue  # the header above the title: body, number, place and date count nothing
        lowered: str | None = None  # the segment tone-folded and lower-cased, once needed
        raw_seg = ""
        for m in NUMBER.finditer(text, seg_start, seg_end):
            start, end = m.start(), m.end()
            if excluded.covers(m.start("int")):
                continue
            year = (
                not m.group("dec")
                and not m.group("pct")
                and not m.group("total")
                and m.group("int").isdigit()
                and 1900 <= int(m.group("int")) <= 2100
            )
            if lowered is None:
                raw_seg = text[seg_start:seg_end]
                lowered = ctx.folded[seg_start:seg_end].lower()
                if len(lowered) != seg_end - seg_start:  # a letter lower() lengthens
                    lowered = ctx.folded[seg_start:seg_end]
            at, to = start - seg_start, end - seg_start
            raw_before = raw_seg[max(0, at - _BEFORE) : at]
            low_before = lowered[max(0, at - _BEFORE) : at]
            if not m.group("pct") and (
                lex.names_before.search(low_before) or _numbered(low_before)
            ):
                continue  # "lớp 12", "lần thứ 3", "khoản 2", "mẫu số 05"
            if _is_footnote(ctx, m, seg_start):
                continue
            unit: _Unit | None = None
            unit_text = ""
            span_start, span_end = start, end
            if m.group("pct"):
                unit_text = "%"
            elif m.group("glued"):
                unit_text = m.group("glued")
                unit = _Unit(to - len(unit_text), to, "measure")
            else:
                pos = to
                if raw_seg[to : to + 1] == ")" and _word_form_before(raw_before):
                    pos = to + 1  # "một (01) chi bộ"
                unit = _unit_at(raw_seg, lowered, pos)
                if unit is None and not raw_seg[to:].strip():
                    unit = _unit_on_next_line(ctx, b, raw_seg[:at])
                    if unit is not None:
                        unit_text = text[unit.start : unit.end]
                        span_end = unit.end
                        hidden.append((unit.start, unit.end))
                if unit is None:
                    labelled = _label_unit(ctx, b, seg_start, at)
                    if labelled is not None:  # offsets are the label's, not after the number
                        span_start, label_end = labelled
                        unit_text = text[span_start:label_end].replace("\n", " ")
                if unit is not None and not unit_text:
                    unit_text = raw_seg[unit.start : unit.end]
                    span_end = seg_start + unit.end
                    hidden.append((seg_start + unit.start, span_end))
                    if (
                        unit.kind == "time"
                        and unit_text.lower() in ("giờ", "h")
                        and (_FOLLOWED_BY_DIGIT.match(raw_seg, unit.end))
                    ):
                        continue  # a clock time: "14 giờ 30"
                if not unit_text:
                    continue
            if (
                unit_text != "%"
                and (
                    unit is None
                    or unit.kind in ("tagged", "title", "time")
                    or unit_text[:1].isupper()
                )
                and _names_number(raw_before, low_before)
            ):
                continue  # "Ban Chỉ đạo 35 Đảng ủy Khối", "Trường THPT Cao Lãnh 2"
            if year and not (
                unit is not None and unit.kind in ("noun", "classifier") and _introduced(low_before)
            ):
                continue  # a year ("với 2000 cán bộ" counts)
            measured = unit is not None and unit.kind == "measure"
            total = parse_number(m.group("total")) if m.group("total") else None
            q = _QUALIFIER_RE.search(low_before)
            out.append(
                Quantity(
                    value=_value(m, unit, measured),
                    unit=unit_text,
                    qualifier=q.group("q").lower() if q else None,
                    of_total=total,
                    verb=verb_before(
                        ctx.folded,
                        ctx.sentence_span(start)[0],
                        start,
                        # a share measures what the figure before it did ("1.046 lượt cán bộ
                        # tham dự, đạt 96,5%")
                        hidden=hidden if unit_text != "%" else (),
                    ),
                    **ctx.provenance(
                        span_start,
                        max(span_end, end),
                        "quantity.ratio"
                        if total
                        else "quantity.percent"
                        if unit_text == "%"
                        else "quantity.count",
                    ),
                )
            )

    return out + table_quantities(ctx)


def _label_unit(ctx: Context, b: int, seg_start: int, at: int) -> tuple[int, int] | None:
    """Where the unit a label gives the bare number after its colon lies ("Tổng số hồ sơ tiếp
    nhận: 1.234"), in offsets of the text. The label may begin on the line before, where a PDF
    wrapped it ("Số PAKN được tiếp" / "nhận: 49")."""
    start, end = seg_start, seg_start + at
    if (
        b > 0
        and seg_start == ctx.text.block_starts[b]
        and _one_cell(ctx, b)
        and _one_cell(ctx, b - 1)
    ):
        previous = ctx.text.block_starts[b - 1]
        if not ctx.raw[previous : seg_start - 1].rstrip().endswith((".", ";", ":", "!", "?")):
            start = previous
    raw = ctx.raw[start:end].replace("\n", " ")  # same length: offsets carry over
    low = ctx.folded[start:end].lower().replace("\n", " ")
    if len(low) != len(raw):
        return None
    label = _LABEL_BEFORE.search(low)
    if label is None:
        return None
    unit = _unit_at(raw, low, label.start("noun"), lexicon_only=True)
    return (start + unit.start, start + unit.end) if unit is not None else None


def _word_form_before(raw_before: str) -> bool:
    m = _WORD_FORM_BEFORE.search(raw_before)
    return bool(m and m.group("word").lower() in _NUMBER_WORDS)


def _unit_on_next_line(ctx: Context, b: int, before: str) -> _Unit | None:
    """A PDF breaks lines inside a sentence: "thực hiện 02\\nChương trình MTQG". A number that
    ends a line of text after a word or a label's colon ("gồm có: 47" / "PAKN qua ...") takes a
    counted noun that begins the next line; a number alone on its line or after a bracket is a
    page or a footnote number, and a line that opens with a verb ("Tổ chức ...") starts a
    sentence of its own."""
    before = before.rstrip()
    if not before or not (before[-1].isalpha() or before[-1] == ":") or b + 1 >= len(ctx.blocks):
        return None
    if not (_one_cell(ctx, b) and _one_cell(ctx, b + 1)):
        return None
    start = ctx.text.block_starts[b + 1]
    end = ctx.raw.find("\n", start)
    end = len(ctx.raw) if end < 0 else end
    low = ctx.folded[start:end].lower()
    if len(low) != end - start:
        return None
    unit = _unit_at(ctx.raw[start:end], low, 0, lexicon_only=True)
    if unit is None or unit.start != 0 or ends_with_verb(low[: unit.end]):
        return None
    return _Unit(start + unit.start, start + unit.end, unit.kind)


def _one_cell(ctx: Context, b: int) -> bool:
    """A paragraph, or a table row of one cell (a PDF's paragraph laid out as a table)."""
    block = ctx.blocks[b]
    if block.kind != "table_row":
        return True
    start = ctx.text.block_starts[b]
    end = ctx.raw.find("\n", start)
    return "\t" not in ctx.raw[start : end if end >= 0 else len(ctx.raw)]
