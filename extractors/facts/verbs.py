"""The verb that says what a figure counts: "kết nạp 65 đảng viên", "tổ chức 185 cuộc kiểm tra".

Read from a lexicon of report verbs (`schemas/vocab/report_verbs.tsv`) rather than from
underthesea's part-of-speech tagger: tagging the clause before every number cost most of the
extraction time, and on this genre the tagger reads numbers, "đảng phí" and "huy hiệu" as verbs.
The verb is the last lexicon verb of the clause (from the last ';' or ':' of the sentence) before
the number, as the lexicon spells it; noun phrases listed as `block` ("Bằng khen", "chi bộ")
hide the verb syllable they contain.
"""

from __future__ import annotations

import re
from functools import lru_cache

from extractors.text.normalize import fold_tones
from extractors.text.patterns import phrase_alternation
from schemas.vocab import report_verbs

_WINDOW = 200  # characters of the clause looked at, backwards from the number


# compiled once per process: the verb lexicon does not change while it runs
@lru_cache(maxsize=1)
def _lexicon() -> tuple[re.Pattern[str], dict[str, str | None]]:
    entries = report_verbs()  # {verb or noun phrase: "verb" | "block"}
    canonical = {
        fold_tones(k.lower()): (k if kind == "verb" else None) for k, kind in entries.items()
    }
    phrases = phrase_alternation(canonical, space=r"\s+")
    return re.compile(rf"(?<![^\W\d_]){phrases}(?![^\W\d_])"), canonical


def verb_before(folded: str, clause_start: int, start: int) -> str | None:
    """The last report verb in ``folded[clause_start:start]`` (tone-folded text), or None."""
    pattern, canonical = _lexicon()
    clause = folded[max(clause_start, start - _WINDOW) : start]
    cut = max(clause.rfind(";"), clause.rfind(":"))
    if cut >= 0:
        clause = clause[cut + 1 :]
    verb = None
    for m in pattern.finditer(clause.lower()):
        verb = canonical.get(" ".join(m.group().split())) or verb  # a `block` phrase only hides
    return verb
