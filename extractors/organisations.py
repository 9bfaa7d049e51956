"""Which organisation issued a document: the identity of an issuing body from its name and the
parent line above it in the header, and how bodies join and merge. Pure: the store keeps the
organisations (flows/store/organisations.py); this module only says which spellings are one body.

Two spellings of a name are one when their keys are equal: NFC, `Ð` read as `Đ`, old tone
placement folded (`Uỷ`/`Ủy`, `Hoà`/`Hòa`), lower case, punctuation and spacing ignored, and the
abbreviations of `schemas/vocab/organisation_abbreviations.tsv` written out (`UBND` is `Ủy ban
nhân dân`). A body is its name and its parent line: every province has an `ĐẢNG ỦY KHỐI CÁC CƠ
QUAN TỈNH`, told apart by `ĐẢNG BỘ TỈNH ...` above it. A body read without a parent line is its
name and place, and joins the one body of that name read with a parent line (`joins`).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache

from extractors.text.normalize import fold_tones
from schemas.vocab import organisation_abbreviations

_WORD = re.compile(r"[\w&]+(?:-[\w&]+)*")
# "Trên đây là báo cáo của cơ quan Đảng uỷ Khối ...": "cơ quan" (the office of) before a name
# written with capitals is not part of it
_OFFICE_OF = re.compile(r"^cơ quan\s+(?=[A-ZĐÀ-Ỹ])")
# the administrative level before a place's name: "Thành phố Huế" and "Huế" are one place
_PLACE_LEVEL = re.compile(r"^(?:tỉnh|thành phố|tp|huyện|quận|thị xã|xã|phường|thị trấn)\s+")


def _fold(text: str) -> str:
    """NFC, `Ð` as `Đ`, new tone placement, lower case."""
    text = unicodedata.normalize("NFC", text).replace("Ð", "Đ").replace("ð", "đ")
    return fold_tones(text).lower()


@lru_cache(maxsize=1)  # once per process: the vocabulary file does not change while it runs
def _abbreviations() -> dict[str, tuple[str, ...]]:
    """Folded abbreviation to the words it stands for, folded, without punctuation."""
    return {
        _fold(short): tuple(re.findall(r"\w+", _fold(full)))
        for short, full in organisation_abbreviations().items()
    }


def _words(token: str) -> list[str]:
    """The words of one token, its abbreviations written out: whole (`gd&đt`), then by its parts
    joined by `-` or `&` (`&` read as `và`)."""
    table = _abbreviations()
    if token in table:
        return list(table[token])
    if "-" in token:
        return [w for part in token.split("-") if part for w in _words(part)]
    if "&" in token:
        parts = [p for p in token.split("&") if p]
        out: list[str] = []
        for i, part in enumerate(parts):
            out += (["và"] if i else []) + _words(part)
        return out
    return [token]


@lru_cache(maxsize=4096)  # names repeat across an archive's documents
def name_key(name: str | None) -> str:
    """The key of a body's name (or parent line): `ĐẢNG UỶ KHỐI CÁC CƠ QUAN TỈNH` and `Đảng ủy
    Khối các cơ quan tỉnh` give one key, `UBND tỉnh X` and `Ủy ban nhân dân tỉnh X` another;
    "" for None or a name without letters."""
    if not name:
        return ""
    text = unicodedata.normalize("NFC", " ".join(name.split()))
    text = _OFFICE_OF.sub("", text)
    words = [w for token in _WORD.findall(_fold(text)) for w in _words(token)]
    return " ".join(w for w in words if w.replace("_", ""))


def place_key(place: str | None) -> str:
    """The key of a place: a name key without its administrative level (`Thành phố Huế`, `Huế`)."""
    return _PLACE_LEVEL.sub("", name_key(place))


@dataclass(frozen=True)
class Identity:
    """Who issued a document, as keys: its name, its parent line ("" when the header has none)
    and its place (""). `key` is what makes two documents one body's."""

    name_key: str
    parent_key: str = ""
    place_key: str = ""

    @property
    def key(self) -> str:
        if self.parent_key:
            return f"{self.name_key}|{self.parent_key}"
        return f"{self.name_key}|@{self.place_key}"


def identity_of(issuer: str | None, parent: str | None, place: str | None) -> Identity | None:
    """The identity of a body from its header (None when no issuer was read)."""
    name = name_key(issuer)
    if not name:
        return None
    parent_k = name_key(parent)
    if parent_k == name:
        parent_k = ""
    return Identity(name, parent_k, place_key(place))


def organisation_key(issuer: str | None, parent: str | None, place: str | None) -> str | None:
    """`identity_of(...).key`, None when no issuer was read."""
    found = identity_of(issuer, parent, place)
    return found.key if found else None


def joins(bodies: Iterable[Identity]) -> dict[str, str]:
    """Which bodies read without a parent line are one with another body: their key to its key.

    One without a parent line joins the one body of its name that has a parent line; of several,
    the one in its place. One without a place either joins the one body of its name there is
    (after those joins)."""
    bodies = sorted(set(bodies), key=lambda b: b.key)
    parented: dict[str, list[Identity]] = {}
    for b in bodies:
        if b.parent_key:
            parented.setdefault(b.name_key, []).append(b)
    joined: dict[str, str] = {}
    for b in bodies:
        if b.parent_key or not b.place_key:
            continue
        candidates = parented.get(b.name_key, [])
        if len(candidates) > 1:
            candidates = [c for c in candidates if c.place_key == b.place_key]
        if len(candidates) == 1:
            joined[b.key] = candidates[0].key
    for b in bodies:
        if b.parent_key or b.place_key:
            continue
        targets = {joined.get(o.key, o.key) for o in bodies if o.name_key == b.name_key} - {b.key}
        if len(targets) == 1:
            joined[b.key] = targets.pop()
    return joined


@dataclass(frozen=True)
class Edit:
    """A person's edit of the organisations, keyed by organisation keys (never by row ids, which
    change): `merge` key into `into`, `split` key off whatever it was joined or merged into,
    `rename` key to `name`."""

    action: str
    key: str
    into: str | None = None
    name: str | None = None


def roots(keys: Iterable[str], joined: Mapping[str, str], edits: Sequence[Edit]) -> dict[str, str]:
    """The organisation each key belongs to once the automatic joins and then people's merges
    and splits, in their order, are applied. A merge that would make a circle is ignored."""
    keys = set(keys)
    parent: dict[str, str] = {k: v for k, v in joined.items() if k in keys and v in keys}

    def root(key: str) -> str:
        seen = {key}
        while key in parent:
            key = parent[key]
            if key in seen:  # (cannot happen: merges that would close a circle are refused)
                break
            seen.add(key)
        return key

    for edit in edits:
        if edit.key not in keys:
            continue
        if edit.action == "split":
            parent.pop(edit.key, None)
        elif edit.action == "merge" and edit.into in keys:
            if root(edit.into) != edit.key:
                parent[edit.key] = edit.into
    return {k: root(k) for k in keys}


def display_names(
    found: Mapping[str, str], aliases: Mapping[str, Sequence[str]], edits: Sequence[Edit]
) -> dict[str, str]:
    """The name each organisation key shows: its last rename, else the first of its spellings
    (`aliases`, the preferred first) written in capitals (as a header writes it), else its first
    spelling. `found` is each key's root (`roots`); only roots are named."""
    renamed = {e.key: e.name for e in edits if e.action == "rename" and e.name}
    names: dict[str, str] = {}
    for key, root in found.items():
        if key != root:
            continue
        spellings = list(aliases.get(key, ()))
        capitals = [s for s in spellings if s == s.upper()]
        names[key] = renamed.get(key) or (capitals or spellings or [key.split("|")[0]])[0]
    return names
