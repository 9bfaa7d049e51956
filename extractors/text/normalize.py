"""Normalisation that keeps offsets.

A Source's blocks become one text: NFC, `Ð` read as `Đ`, C1 control characters read back as the
Windows-1252/1258 characters they were (`U+0085` as `…`), zero-width characters dropped, exotic
spaces, dashes and quotes made plain, line and paragraph separators made spaces, the stray space
of `01- KL/TW` closed. Every character of the
result remembers the block and the character of the source it came from, so a fact found in the
normalised text points back into the file. `fold_tones` gives a same-length copy of a text for
matching, where old tone placement (`hoà`, `Uỷ`) reads as new (`hòa`, `Ủy`).
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache

from schemas.models import Block

_DROP = {"\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad"}
# (U+2028 and U+2029, line and paragraph separators, here too: a line of a header cell read by
# normalise_string is one line)
_SPACES = {"\u00a0", "\u2002", "\u2003", "\u2007", "\u2009", "\u200a", "\u202f", "\u3000"}
_SPACES |= {"\u2028", "\u2029"}
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
# C1 control characters (U+0080-U+009F) are Windows-1252/1258 bytes that something decoded as
# Latin-1: U+0085 was "…", U+0093/U+0094 curly quotes, U+0096/U+0097 dashes. Each becomes the
# character the code page meant, one for one (and is then made plain like any other: "–" -> "-");
# the five bytes that neither code page defines (0x81, 0x8D, 0x8F, 0x90, 0x9D) mean nothing and
# are dropped. (Windows-1258 defines a subset of Windows-1252's characters here, the same ones.)
_C1 = {chr(b): bytes([b]).decode("cp1252", "ignore") for b in range(0x80, 0xA0)}
_SPECIAL = re.compile(
    "["
    + re.escape(
        "".join(_DROP | _SPACES | _DASHES | _LONG_DASHES | set(_QUOTES) | {"\u00d0", "\u00f0"})
    )
    + "\u2018\u2019\u0080-\u009f]"
)
# Line breaks inside a block (a cell's lines, a text's stray vertical tab or U+2028) become spaces,
# one for one: a block is one line of the text. These are what str.splitlines breaks on, except
# U+0085, which is a Windows-1252 "…" (see _C1).
_BREAKS = re.compile("[\n\r\v\f\x1c-\x1e\u2028\u2029]")
_BREAKS_TO_SPACE = str.maketrans(dict.fromkeys("\n\r\v\f\x1c\x1d\x1e\u2028\u2029", " "))
# combining marks (Vietnamese tones arrive decomposed from some exports)
_COMBINING = re.compile("[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]")

# "01- KL/TW": a Party identifier whose hyphen is followed by a stray space before its symbol.
_STRAY_SPACE = re.compile(r"(?<=\d)-[ \t]+(?=[A-ZĐ][A-Za-zĐđ]{0,7}/)")


@dataclass(frozen=True)
class Text:
    """The normalised text of a document and the way back to its source.

    Character ``i`` of ``text`` came from ``source_position(i) == (block, char)``. Blocks are
    joined by a newline, which maps to ``(block, len(block.text))`` of the block it ends. Only
    blocks that normalisation changed keep a per-character map (``changed``); in the others,
    character k of the line is character k of the block.
    """

    text: str
    folded: str
    block_starts: tuple[int, ...]
    block_lengths: tuple[int, ...]  # len(block.text) in the source
    changed: dict[int, tuple[int, ...]] = field(default_factory=dict)

    def source_position(self, offset: int) -> tuple[int, int]:
        if not self.block_starts:
            return (0, 0)
        offset = min(max(offset, 0), len(self.text) - 1)
        b = bisect.bisect_right(self.block_starts, offset) - 1
        k = offset - self.block_starts[b]
        where = self.changed.get(b)
        if where is None:
            return (b, min(k, self.block_lengths[b]))
        return (b, where[k] if k < len(where) else self.block_lengths[b])


def normalise_string(raw: str) -> tuple[str, list[int]]:
    """Normalise one string; returns the result and, for each of its characters, the index of the
    raw character it came from."""
    text, where = _normalise(raw)
    return text, list(range(len(text))) if where is None else where


def _normalise(raw: str) -> tuple[str, list[int] | None]:
    """`normalise_string`, with None for the map when the text is the raw string unchanged."""
    if raw.isascii() or (
        unicodedata.is_normalized("NFC", raw)
        and _SPECIAL.search(raw) is None
        and _COMBINING.search(raw) is None
    ):
        text, where = raw, None  # nothing to change (most text): the common, fast path
    else:
        text, where = _normalise_clusters(raw)
    # close the stray space in "01- KL/TW" (kept out of every span's characters, not lost: the
    # origin map still leads to the raw characters around it)
    if "- " in text or "-\t" in text:
        cut = {k for m in _STRAY_SPACE.finditer(text) for k in range(m.start() + 1, m.end())}
        if cut:
            where = list(range(len(text))) if where is None else where
            text = "".join(c for k, c in enumerate(text) if k not in cut)
            where = [w for k, w in enumerate(where) if k not in cut]
    return text, where


def _normalise_clusters(raw: str) -> tuple[str, list[int]]:
    out: list[str] = []
    where: list[int] = []
    i, n = 0, len(raw)
    while i < n:
        j = i + 1
        # a cluster: a base character and the combining marks after it
        while j < n and unicodedata.combining(raw[j]):
            j += 1
        cluster = raw[i:j]
        if cluster[0] in _C1:
            meant = _C1[cluster[0]]
            if not meant:
                i = j
                continue
            cluster = meant + cluster[1:]
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
    return "".join(out), where


def normalise_blocks(blocks: tuple[Block, ...] | list[Block]) -> Text:
    """Join the blocks into one normalised text, one block per line."""
    parts: list[str] = []
    changed: dict[int, tuple[int, ...]] = {}
    starts: list[int] = []
    pos = 0
    for b, block in enumerate(blocks):
        raw = block.text
        if _BREAKS.search(raw) is not None:
            raw = raw.translate(_BREAKS_TO_SPACE)
        text, where = _normalise(raw)
        if where is not None:
            changed[b] = tuple(where)
        starts.append(pos)
        parts.append(text)
        parts.append("\n")
        pos += len(text) + 1
    joined = "".join(parts)
    lengths = tuple(len(block.text) for block in blocks)
    return Text(joined, fold_tones(joined), tuple(starts), lengths, changed)


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
# Every pair is a plain o/u and a toned vowel: one character class each, not an alternation of
# 45 pairs tried at every position (a pair the class admits but the table lacks stays as it is).
assert all(len(k) == 2 and k[0] in "oOuU" for k in _TONE_PAIRS)
_TONE_RE = re.compile(
    r"(?<![qQ])([oOuU][" + "".join(sorted({k[1] for k in _TONE_PAIRS})) + r"])(?![^\W\d_])"
)


def _fold_pair(m: re.Match[str]) -> str:
    pair = m.group(1)
    return _TONE_PAIRS.get(pair, pair)


def fold_tones(text: str) -> str:
    """Same text, same length, with old tone placement moved to the new place."""
    if len(text) <= 64:
        return _fold_short(text)  # words and phrases, asked for again and again
    return _TONE_RE.sub(_fold_pair, text)


# words and short phrases are folded again and again (a speed-up measured in commit a6f7373)
@lru_cache(maxsize=8192)
def _fold_short(text: str) -> str:
    return _TONE_RE.sub(_fold_pair, text)
