"""The vocabulary of awards as the fact modules read it: the titles of the Luật Thi đua, khen
thưởng 2022 and Nghị định 98/2023/NĐ-CP with their spellings (schemas/vocab/award_titles.tsv) as
one pattern, the nouns that name recipients (award_recipients.tsv), and the conferring body
written with a title ("Bằng khen của Chủ tịch UBND tỉnh")."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import NamedTuple

from extractors.text.normalize import fold_tones
from extractors.text.patterns import phrase_alternation
from schemas.models import RecipientKind
from schemas.vocab import AwardTitle, award_recipient_nouns, award_titles

# the conferring body written after the title: "Bằng khen của Chủ tịch UBND tỉnh cho ..."
_TITLE_AUTHORITY = re.compile(
    r"^\s*[”\"’']?\s*(?:của|do)\s+(?P<who>[^\d,;:()“”\"]{2,80}?)"
    r"(?=\s*(?:$|[,;:().]|\bcho\b|\bđối với\b|\btặng\b|\bnăm\b|\bvề\b|\bvì\b|\bđã\b|\bđợt\b|\d))"
)


# Titles outside the vocabulary, known by their head: a badge of an organisation ("Huy hiệu Tuổi
# trẻ sáng tạo", "Huy hiệu “Vì sự nghiệp giai cấp nông dân Việt Nam”") and a quoted emulation title
# ("danh hiệu “Cháu ngoan Bác Hồ”"). The name runs to its closing quote, or over the words up to
# the first that leads recipients, a body, a year or a clause. Matched against lower-cased text.
_NAME_STOP = (
    r"(?:cho|của|do|đối với|năm|đợt|và|tặng|được|đã|tại|trong|về|với|khi|nhằm|để|theo|từ|gồm|cấp"
    r"|là|đạt|nhân dịp|có)"
)
_HEAD = re.compile(
    r"(?<![\wÀ-ỹ])(?:(?P<badge>huy hiệu)\s+(?!(?:\d|đảng\b))"
    r"(?P<name>[“\"][^”\"\n]{3,90}[”\"]|(?:(?!" + _NAME_STOP + r"\b)[^\W\d_][\wÀ-ỹ]*\s*){1,8})"
    r"|(?P<title>danh hiệu)\s+(?P<quoted>[“\"][^”\"\n]{3,90}[”\"]))"
)


def titles_by_head(
    lowered: str, text: str, start: int, end: int
) -> list[tuple[int, int, AwardTitle]]:
    """(start, end, title) of each title in lowered[start:end] that the vocabulary does not hold,
    named by its head: the title as written, its quotes dropped ("Huy hiệu Tuổi trẻ sáng tạo")."""
    pattern, by_variant = title_pattern()
    out: list[tuple[int, int, AwardTitle]] = []
    for m in _HEAD.finditer(lowered, start, end):
        group = "name" if m.group("badge") else "quoted"
        name_start, name_end = m.span(group)
        name_end = name_start + len(text[name_start:name_end].rstrip())
        name = text[name_start:name_end].strip('“”"').strip()
        if not name or pattern.fullmatch(fold_tones(name).lower()):
            continue  # a title of the vocabulary, found by the vocabulary's own pattern
        canonical = f"Huy hiệu {name}" if m.group("badge") else name
        category = "hinh_thuc" if m.group("badge") else "danh_hieu"
        out.append((m.start(), name_end, AwardTitle(canonical, category, None, ())))
    return out


# a small count written in words, as a decision may write one: "hai", "mười một", "hai mươi lăm".
# "năm" (five) counts only where a list or a lead puts a count ("cho hai tập thể và năm cá nhân"):
# elsewhere it is the year ("hằng năm cá nhân ...", "trong năm tập thể ...")
_UNITS = {"một": 1, "hai": 2, "ba": 3, "bốn": 4, "tư": 4, "năm": 5, "lăm": 5, "sáu": 6}
_UNITS |= {"bảy": 7, "tám": 8, "chín": 9, "mốt": 1}
_DIGIT = r"(?:một|hai|ba|bốn|sáu|bảy|tám|chín)"
_FIVE = r"(?:(?<=cho )|(?<=và )|(?<=, )|(?<=: )|(?<=gồm )|(?<=với )|(?<=tặng ))năm"
COUNT_WORDS = (
    r"(?<![^\W\d_])(?:(?:" + _DIGIT + r"|năm)\s+mươi(?:\s+(?:mốt|tư|lăm|" + _DIGIT + r"))?"
    r"|mười(?:\s+(?:lăm|năm|" + _DIGIT + r"))?|" + _DIGIT + "|" + _FIVE + r")(?=\s)"
)


def count_in_words(written: str) -> int | None:
    """The number a count in words writes ("mười một": 11, "hai mươi lăm": 25); None for figures."""
    words = written.lower().split()
    if not words or any(w not in _UNITS and w not in ("mười", "mươi") for w in words):
        return None
    if words[0] == "mười":
        return 10 + (_UNITS[words[1]] if len(words) > 1 else 0)
    if len(words) >= 2 and words[1] == "mươi":
        return 10 * _UNITS[words[0]] + (_UNITS[words[2]] if len(words) > 2 else 0)
    return _UNITS[words[0]]


# built once per process: the title vocabulary does not change while it runs
@lru_cache(maxsize=1)
def title_pattern() -> tuple[re.Pattern[str], dict[str, AwardTitle]]:
    by_variant: dict[str, AwardTitle] = {}
    for title in award_titles():
        for variant in title.variants:
            by_variant[fold_tones(variant).lower()] = title
    pattern = re.compile(
        r"(?<![\wÀ-ỹ])("
        + phrase_alternation(by_variant)
        + r")(?![\wÀ-ỹ])(?:\s+(?:hạng\s+(?:nhất|nhì|ba)))?"
    )  # matched against lower-cased text: no re.I, which made it three times slower
    return pattern, by_variant


# folded once per process: a fixed vocabulary
@lru_cache(maxsize=1)
def _recipient_nouns() -> tuple[dict[str, RecipientKind], int]:
    nouns = {fold_tones(k).lower(): v for k, v in award_recipient_nouns().items()}
    return nouns, max(len(k.split()) for k in nouns)  # type: ignore[return-value]


def recipient_kind(noun: str) -> RecipientKind | None:
    """The kind of recipient a noun phrase names, from its first words ("doanh nghiệp nhỏ" is a
    collective, "doanh nhân" an individual); None for a phrase that names no recipient."""
    nouns, longest = _recipient_nouns()
    words = fold_tones(noun.lower()).rstrip(" .,;:!?…").split()
    if words[:1] == ["lượt"]:
        words = words[1:]  # "30 lượt cá nhân": the recipients, counted by the times they were given
    for k in range(min(longest, len(words)), 0, -1):
        kind = nouns.get(" ".join(words[:k]))
        if kind:
            return kind
    return None


def title_authority(matched: str, canonical: str, after: str) -> str | None:
    """The conferring body written with the title: inside a variant ("Cờ thi đua của Chính phủ",
    "Bằng khen Thủ tướng Chính phủ") or after it ("Bằng khen của Chủ tịch UBND tỉnh cho ...")."""
    rest = (
        matched[len(canonical) :]
        if fold_tones(matched[: len(canonical)]).lower() == fold_tones(canonical).lower()
        else ""
    )
    rest = re.sub(r"^\s*(?:của|do)\s+", "", rest).strip()
    if rest and not re.match(r"(?:cấp|hạng|xuất sắc|\d)", rest, re.I):
        return rest
    m = _TITLE_AUTHORITY.match(after)
    return " ".join(m.group("who").split()) if m else None


# "02 huy chương đồng": a medal won in a contest or a sports event, no award of the Law
_MEDAL = re.compile(r"\s+(?:vàng|bạc|đồng)\b")


class Mention(NamedTuple):
    """A title in the text: from the vocabulary, or named by its head (titles_by_head)."""

    start_at: int
    end_at: int
    title: AwardTitle

    def start(self) -> int:
        return self.start_at

    def end(self) -> int:
        return self.end_at


def title_mentions(lowered: str, text: str, start: int, end: int) -> list[Mention]:
    """The titles of the vocabulary in lowered[start:end], and those outside it that a head
    names ("Huy hiệu Tuổi trẻ sáng tạo") where no title of the vocabulary is."""
    pattern, by_variant = title_pattern()
    found = [
        Mention(m.start(), m.end(), by_variant[m.group(1).lower()])
        for m in pattern.finditer(lowered, start, end)
        if not _MEDAL.match(lowered, m.end())
    ]
    for s, e, title in titles_by_head(lowered, text, start, end):
        if not any(m.start_at < e and s < m.end_at for m in found):
            found.append(Mention(s, e, title))
    return sorted(found, key=lambda m: m.start_at)
