"""The vocabulary of awards as the fact modules read it: the titles of the Luật Thi đua, khen
thưởng 2022 and Nghị định 98/2023/NĐ-CP with their spellings (schemas/vocab/award_titles.tsv) as
one pattern, the nouns that name recipients (award_recipients.tsv), and the conferring body
written with a title ("Bằng khen của Chủ tịch UBND tỉnh")."""

from __future__ import annotations

import re
from functools import lru_cache

from extractors.text.normalize import fold_tones
from extractors.text.patterns import phrase_alternation
from schemas.models import RecipientKind
from schemas.vocab import AwardTitle, award_recipient_nouns, award_titles

# the conferring body written after the title: "Bằng khen của Chủ tịch UBND tỉnh cho ..."
_TITLE_AUTHORITY = re.compile(
    r"^\s*[”\"’']?\s*(?:của|do)\s+(?P<who>[^\d,;:()“”\"]{2,80}?)"
    r"(?=\s*(?:$|[,;:().]|\bcho\b|\bđối với\b|\btặng\b|\bnăm\b|\bvề\b|\bvì\b|\bđã\b|\bđợt\b|\d))"
)


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
