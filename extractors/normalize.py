"""Normalisation that keeps offsets.

A Source's blocks become one text: NFC, `Ð` read as `Đ`, zero-width characters dropped, exotic
spaces, dashes and quotes made plain, the stray space of `01- KL/TW` closed. Every character of the
result remembers the block and the character of the source it came from, so a fact found in the
normalised text points back into the file. `fold_tones` gives a same-length copy of a text for
matching, where old tone placement (`hoà`, `Uỷ`) reads as new (`hòa`, `Ủy`).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from schemas.models import Block

_DROP = {"\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad"}
_SPACES = {"\u00a0", "\u2002", "\u2003", "\u2007", "\u2009", "\u200a", "\u202f", "\u3000"}
_DASHES = {"\u2010", "\u2011", "\u2012", "\u2212", "\ufe63", "\uff0d"}
_LONG_DASHES = {"\u2013", "\u2014", "\u2015"}
_QUOTES = {
    "\u201e": "\u201c",
    "\u201f": "\u201c",
    "\u2033": "\u201d",
    "\u00ab": "\u201c",
    "\u00bb": "\u201d",
}
_LETTERS = {"\u00d0": "Đ", "\u00f0": "đ", "\u0110": "Đ", "\u0111": "đ"}

# "01- KL/TW": a Party identifier whose hyphen is followed by a stray space before its symbol.
_STRAY_SPACE = re.compile(r"(?<=\d)-[ \t]+(?=[A-ZĐ][A-Za-zĐđ]{0,7}/)")


@dataclass(frozen=True)
class Text:
    """The normalised text of a document and the way back to its source.

    ``origin[i]`` is ``(block, char)``: where character ``i`` of ``text`` came from. Blocks are
    joined by a newline, which maps to ``(block, len(block.text))`` of the block before it.
    """

    text: str
    folded: str
    origin: tuple[tuple[int, int], ...]
    block_starts: tuple[int, ...]

    def source_position(self, offset: int) -> tuple[int, int]:
        if not self.origin:
            return (0, 0)
        return self.origin[min(max(offset, 0), len(self.origin) - 1)]


def normalise_string(raw: str) -> tuple[str, list[int]]:
    """Normalise one string; returns the result and, for each of its characters, the index of the
    raw character it came from."""
    out: list[str] = []
    where: list[int] = []
    i, n = 0, len(raw)
    while i < n:
        j = i + 1
        # a cluster: a base character and the combining marks after it
        while j < n and unicodedata.combining(raw[j]):
            j += 1
        cluster = raw[i:j]
        if cluster in _DROP:
            i = j
            continue
        first = cluster[0]
        if first in _SPACES:
            piece = " "
        elif first in _DASHES:
            piece = "-"
        elif first in _LONG_DASHES:
            piece = "-"
        elif first in _QUOTES:
            piece = _QUOTES[first]
        elif first == "\u2019" or first == "\u2018":
            piece = "'"
        else:
            if first in _LETTERS:
                cluster = _LETTERS[first] + cluster[1:]
            piece = unicodedata.normalize("NFC", cluster)
        for ch in piece:
            out.append(ch)
            where.append(i)
        i = j
    text = "".join(out)
    # close the stray space in "01- KL/TW" (kept out of every span's characters, not lost: the
    # origin map still leads to the raw characters around it)
    if "- " in text or "-\t" in text:
        keep = [True] * len(text)
        for m in _STRAY_SPACE.finditer(text):
            for k in range(m.start() + 1, m.end()):
                keep[k] = False
        if not all(keep):
            text = "".join(c for c, k in zip(text, keep, strict=True) if k)
            where = [w for w, k in zip(where, keep, strict=True) if k]
    return text, where


def normalise_blocks(blocks: tuple[Block, ...] | list[Block]) -> Text:
    """Join the blocks into one normalised text, one block per line."""
    parts: list[str] = []
    origin: list[tuple[int, int]] = []
    starts: list[int] = []
    pos = 0
    for b, block in enumerate(blocks):
        text, where = normalise_string(block.text.replace("\n", " ").replace("\r", " "))
        starts.append(pos)
        parts.append(text)
        origin.extend((b, w) for w in where)
        pos += len(text)
        parts.append("\n")
        origin.append((b, len(block.text)))
        pos += 1
    joined = "".join(parts)
    return Text(joined, fold_tones(joined), tuple(origin), tuple(starts))


# Old-style tone placement on the glide vowel ("hoà", "uỷ") against the new style on the main
# vowel ("hòa", "ủy"), when the pair ends the syllable ("quý" keeps its place).
_TONE_PAIRS = {
    "oà": "òa",
    "oá": "óa",
    "oả": "ỏa",
    "oã": "õa",
    "oạ": "ọa",
    "oè": "òe",
    "oé": "óe",
    "oẻ": "ỏe",
    "oẽ": "õe",
    "oẹ": "ọe",
    "uỳ": "ùy",
    "uý": "úy",
    "uỷ": "ủy",
    "uỹ": "ũy",
    "uỵ": "ụy",
}
_TONE_PAIRS.update({k.upper(): v.upper() for k, v in list(_TONE_PAIRS.items())})
_TONE_PAIRS.update(
    {k[0].upper() + k[1]: v[0].upper() + v[1] for k, v in list(_TONE_PAIRS.items()) if k.islower()}
)
_TONE_RE = re.compile(
    r"(?<![qQ])(" + "|".join(sorted(_TONE_PAIRS, key=len, reverse=True)) + r")(?![^\W\d_])"
)


def fold_tones(text: str) -> str:
    """Same text, same length, with old tone placement moved to the new place."""
    return _TONE_RE.sub(lambda m: _TONE_PAIRS.get(m.group(1), m.group(1)), text)


def match_key(text: str) -> str:
    """A key for comparing phrases: NFC, Đ, tones folded, lower case, single spaces."""
    t, _ = normalise_string(text)
    return re.sub(r"\s+", " ", fold_tones(t).lower()).strip()
