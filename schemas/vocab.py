"""Controlled vocabularies kept as data files in schemas/vocab/ (tab-separated, `#` comments), so
users extend them without code. Loaded once per process."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

VOCAB_DIR = Path(__file__).with_name("vocab")


def _rows(name: str) -> list[list[str]]:
    rows = []
    for line in (VOCAB_DIR / name).read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        rows.append([c.strip() for c in line.split("\t")])
    return rows


@lru_cache(maxsize=1)  # read once per process: the vocabulary files do not change while it runs
def doc_type_abbreviations() -> dict[str, str]:
    """Symbol abbreviation (`KH`, `QĐi`) to the kind of document it stands for."""
    return {r[0]: r[1] for r in _rows("doc_types.tsv") if len(r) >= 2}


@lru_cache(maxsize=1)  # read once per process: the vocabulary files do not change while it runs
def doc_type_names() -> tuple[str, ...]:
    """Full names of document kinds, longest first (so `Chương trình hành động` wins)."""
    return tuple(sorted({r[0] for r in _rows("doc_type_names.tsv")}, key=len, reverse=True))


@lru_cache(maxsize=1)  # read once per process: the vocabulary files do not change while it runs
def report_verbs() -> dict[str, str]:
    """Report verbs and the noun phrases that hide one: {phrase: "verb" | "block"}."""
    return {
        r[0]: (r[1] if len(r) > 1 and r[1] == "block" else "verb")
        for r in _rows("report_verbs.tsv")
    }


COUNTED_KINDS = ("noun", "classifier", "measure", "modifier", "name", "time", "initials")


@dataclass(frozen=True)
class CountedNouns:
    """The words around a counted number (`vocab/counted_nouns.tsv`), lower-cased, by kind:
    counted nouns, classifiers (`cuộc`, `lượt`), measures (`ha`, `triệu đồng`), modifiers kept
    after a noun (`mới`), nouns that a following number names (`lớp 12`), units of time, and
    counted nouns written as their initials (`PAKN`, `TTHC`), kept as written."""

    noun: frozenset[str]
    classifier: frozenset[str]
    measure: frozenset[str]
    modifier: frozenset[str]
    name: frozenset[str]
    time: frozenset[str]
    initials: frozenset[str]


@lru_cache(maxsize=1)  # read once per process: the vocabulary files do not change while it runs
def counted_nouns() -> CountedNouns:
    by_kind: dict[str, set[str]] = {kind: set() for kind in COUNTED_KINDS}
    for r in _rows("counted_nouns.tsv"):
        if len(r) >= 2 and r[1] in by_kind:
            phrase = " ".join(r[0].split())
            by_kind[r[1]].add(phrase if r[1] == "initials" else phrase.lower())
    return CountedNouns(**{kind: frozenset(words) for kind, words in by_kind.items()})


@dataclass(frozen=True)
class AwardTitle:
    canonical: str
    category: str
    default_recipient: str | None
    variants: tuple[str, ...]


@lru_cache(maxsize=1)  # read once per process: the vocabulary files do not change while it runs
def award_titles() -> tuple[AwardTitle, ...]:
    out = []
    for r in _rows("award_titles.tsv"):
        r = r + [""] * (4 - len(r))
        variants = tuple(v for v in r[3].split("|") if v)
        out.append(AwardTitle(r[0], r[1], r[2] or None, (r[0],) + variants))
    return tuple(out)


@lru_cache(maxsize=1)  # read once per process: the vocabulary files do not change while it runs
def award_recipient_nouns() -> dict[str, str]:
    """Nouns naming who receives an award ("tập thể", "doanh nghiệp", "đồng chí", "doanh nhân"),
    each with its recipient kind: "tập thể" or "cá nhân"."""
    return {r[0]: r[1] for r in _rows("award_recipients.tsv") if len(r) >= 2}


@lru_cache(maxsize=1)  # read once per process: the vocabulary files do not change while it runs
def unit_variants() -> dict[str, str]:
    """Spellings of a unit of measure and their canonical spelling (`vocab/unit_variants.tsv`),
    keys lower-cased."""
    return {r[0].lower(): r[1] for r in _rows("unit_variants.tsv") if len(r) >= 2}


@lru_cache(maxsize=1)  # read once per process: the vocabulary files do not change while it runs
def organisation_abbreviations() -> dict[str, str]:
    """Abbreviations in the names of issuing bodies (`UBND`, `ĐUK`, `GD&ĐT`) and what each stands
    for (`vocab/organisation_abbreviations.tsv`), as written there."""
    return {r[0]: r[1] for r in _rows("organisation_abbreviations.tsv") if len(r) >= 2}
