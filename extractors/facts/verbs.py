"""The verb that says what a figure counts: "kết nạp 65 đảng viên", "tổ chức 185 cuộc kiểm tra".

Read from a lexicon of report verbs (`schemas/vocab/report_verbs.tsv`) rather than from
underthesea's part-of-speech tagger: tagging the clause before every number cost most of the
extraction time, and on this genre the tagger reads numbers, "đảng phí" and "huy hiệu" as verbs.
The verb is the last lexicon verb of the clause (from the last ';' or ':' of the sentence) before
the number, as the lexicon spells it; noun phrases listed as `block` ("Bằng khen", "chi bộ")
hide the verb syllable they contain; the verb right after an earlier figure's unit is what that
figure did ("38/40 chi bộ xếp loại tốt, 25 lớp"), not what was done to the next one.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache

from extractors.text.normalize import fold_tones
from extractors.text.patterns import phrase_alternation
from schemas.vocab import report_verbs

_WINDOW = 200  # characters of the clause looked at, backwards from the number
_SPACE_ONLY = re.compile(r"\s*")
_PUNCTUATION = re.compile(r"[,;:.()]")


# compiled once per process: the verb lexicon does not change while it runs
@lru_cache(maxsize=1)
def _lexicon() -> tuple[re.Pattern[str], dict[str, str | None], re.Pattern[str]]:
    entries = report_verbs()  # {verb or noun phrase: "verb" | "block"}
    canonical = {
        fold_tones(k.lower()): (k if kind == "verb" else None) for k, kind in entries.items()
    }
    phrases = phrase_alternation(canonical, space=r"\s+")
    verbs = phrase_alternation((k for k, v in canonical.items() if v), space=r"\s+")
    return (
        re.compile(rf"(?<![^\W\d_]){phrases}(?![^\W\d_])"),
        canonical,
        re.compile(rf"(?<![^\W\d_]){verbs}\s*$"),
    )


def verb_before(
    folded: str, clause_start: int, start: int, hidden: Sequence[tuple[int, int]] = ()
) -> str | None:
    """The last report verb in ``folded[clause_start:start]`` (tone-folded text), or None.

    ``hidden`` are the spans of earlier figures' units (in order): a verb right after one
    belongs to that figure."""
    pattern, canonical, _ = _lexicon()
    lo = max(clause_start, start - _WINDOW)
    clause = folded[lo:start]
    cut = max(clause.rfind(";"), clause.rfind(":"))
    if cut >= 0:
        lo += cut + 1
        clause = clause[cut + 1 :]
    nearby = []
    for span in reversed(hidden):
        if span[1] < lo:
            break
        nearby.append(span)
    verb = None
    for m in pattern.finditer(clause.lower()):
        at = lo + m.start()
        # "38/40 chi bộ xếp loại tốt, 25 lớp": the verb right after a figure is what that
        # figure did, unless it leads straight to this one ("3 cuộc kiểm tra phát hiện 2 vụ")
        if any(_right_after(folded, e, at) for s, e in nearby) and not _leads_to(
            folded, lo + m.end(), start
        ):
            continue
        verb = canonical.get(" ".join(m.group().split())) or verb  # a `block` phrase only hides
    return verb


def _right_after(folded: str, end: int, at: int) -> bool:
    return end <= at and _SPACE_ONLY.fullmatch(folded, end, at) is not None


def _leads_to(folded: str, end: int, start: int) -> bool:
    between = folded[end:start]
    return len(between.split()) <= 2 and not _PUNCTUATION.search(between)


def ends_with_verb(folded_lower: str) -> bool:
    """True when the tone-folded, lower-cased text ends with a report verb ("tổ chức", "thu
    hút"): a number after it is what was done, not part of a name."""
    return _lexicon()[2].search(folded_lower) is not None
