"""Pre-Unicode Vietnamese encodings: TCVN3 (ABC) and VNI, converted to Unicode.

Old archives hold text typed with 8-bit "font encodings": the bytes are Latin-1 positions
re-drawn by special fonts as Vietnamese letters. Read as Windows-1252 they look like
"KÕ ho¹ch" (TCVN3) or "Keá hoaïch" (VNI) for "Kế hoạch".

* TCVN3 (TCVN 5712:1993, table VN3, fonts ``.VnTime``, ``.VnArial`` ...): one byte per
  precomposed lowercase letter (0xA8-0xFE) plus the seven toneless capitals Ă Â Ê Ô Ơ Ư Đ
  (0xA1-0xA7). The "H" fonts (``.VnTimeH``, ``.VnArialH`` ...) draw the same codes, and the
  ASCII letters, as capitals.
* VNI (VNI for Windows, fonts ``VNI-Times``, ``VNI-Helve`` ...): a base letter followed by one
  code for its diacritics (circumflex/breve, possibly with a tone, or a tone alone); ơ ư đ and
  the toned i's and ỵ have single codes; capitals use the capital codes (0xC0-0xDE).

``convert(text, encoding, upper=False)`` takes "byte characters": a string whose characters
stand for bytes, as Word stores runs in such fonts (U+0000-U+00FF, the Windows-1252 letters for
0x80-0x9F, or U+F000-U+F0FF for symbol-charset fonts). ``detect(text)`` tells from character
statistics whether a font-less text is TCVN3, VNI or neither. ``encoding_of_font(name)`` and
``RunFonts`` find legacy fonts in a .docx (run properties, character and paragraph styles, the
document defaults).
"""

from __future__ import annotations

import re
import string
import unicodedata

from lxml import etree

__all__ = [
    "ENCODINGS",
    "RunFonts",
    "convert",
    "convert_text",
    "decode_8bit",
    "detect",
    "encoding_of_font",
    "is_byte_text",
    "syllable_score",
]

ENCODINGS = ("tcvn3", "vni")

# -- byte characters --------------------------------------------------------------------------

_CP1252_HIGH = {b: bytes([b]).decode("cp1252", "ignore") for b in range(0x80, 0xA0)}
_BYTE_OF: dict[str, int] = {chr(b): b for b in range(256)}
_BYTE_OF.update({ch: b for b, ch in _CP1252_HIGH.items() if ch})
_BYTE_OF.update({chr(0xF000 + b): b for b in range(0x20, 256)})


def decode_8bit(data: bytes) -> str:
    """Bytes as Windows-1252 characters (Latin-1 for the five bytes 1252 leaves undefined)."""
    return "".join(_CP1252_HIGH.get(b) or chr(b) for b in data)


def is_byte_text(text: str) -> bool:
    """True when every character of ``text`` can stand for one byte of a legacy encoding."""
    return all(ch in _BYTE_OF for ch in text)


# -- TCVN3 ------------------------------------------------------------------------------------

# Unicode letters in the order of TCVN3's codes: five tones (grave, acute, hook, tilde, dot)
# after each toneless vowel, as TCVN 5712:1993 arranges the VN3 table.
_TCVN3_CODES = bytes(
    [
        0xB5,
        0xB8,
        0xB6,
        0xB7,
        0xB9,
        0xA8,
        0xBB,
        0xBE,
        0xBC,
        0xBD,
        0xC6,
        0xA9,
        0xC7,
        0xCA,
        0xC8,
        0xC9,
        0xCB,
        0xAE,
        0xCC,
        0xD0,
        0xCE,
        0xCF,
        0xD1,
        0xAA,
        0xD2,
        0xD5,
        0xD3,
        0xD4,
        0xD6,
        0xD7,
        0xDD,
        0xD8,
        0xDC,
        0xDE,
        0xDF,
        0xE3,
        0xE1,
        0xE2,
        0xE4,
        0xAB,
        0xE5,
        0xE8,
        0xE6,
        0xE7,
        0xE9,
        0xAC,
        0xEA,
        0xED,
        0xEB,
        0xEC,
        0xEE,
        0xEF,
        0xF3,
        0xF1,
        0xF2,
        0xF4,
        0xAD,
        0xF5,
        0xF8,
        0xF6,
        0xF7,
        0xF9,
        0xFA,
        0xFD,
        0xFB,
        0xFC,
        0xFE,
        0xA1,
        0xA2,
        0xA7,
        0xA3,
        0xA4,
        0xA5,
        0xA6,
    ]
)
_TCVN3_LETTERS = "àáảãạăằắẳẵặâầấẩẫậđèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵĂÂĐÊÔƠƯ"
assert len(_TCVN3_CODES) == len(_TCVN3_LETTERS) == 74
TCVN3: dict[int, str] = dict(zip(_TCVN3_CODES, _TCVN3_LETTERS, strict=True))


def _tcvn3_table(upper: bool) -> dict[int, str]:
    table: dict[int, str] = {}
    for ch, b in _BYTE_OF.items():
        if b in TCVN3:
            table[ord(ch)] = TCVN3[b].upper() if upper else TCVN3[b]
    if upper:  # the H fonts draw ASCII lowercase as capitals too
        table.update({ord(c): c.upper() for c in "abcdefghijklmnopqrstuvwxyz"})
    return table


_TCVN3_TABLE = _tcvn3_table(False)
_TCVN3_UPPER_TABLE = _tcvn3_table(True)

# -- VNI --------------------------------------------------------------------------------------

_CIRC, _BREVE, _HORN = "\u0302", "\u0306", "\u031b"
_GRAVE, _ACUTE, _HOOK, _TILDE, _DOT = "\u0300", "\u0301", "\u0309", "\u0303", "\u0323"
_TONE_MARKS = frozenset((_GRAVE, _ACUTE, _HOOK, _TILDE, _DOT))
# Diacritic codes that follow a base letter, lowercase forms (capital forms are 0x20 lower).
_VNI_MARKS: dict[int, str] = {
    0xF8: _GRAVE,
    0xF9: _ACUTE,
    0xFB: _HOOK,
    0xF5: _TILDE,
    0xEF: _DOT,
    0xE2: _CIRC,
    0xE0: _CIRC + _GRAVE,
    0xE1: _CIRC + _ACUTE,
    0xE5: _CIRC + _HOOK,
    0xE3: _CIRC + _TILDE,
    0xE4: _CIRC + _DOT,
    0xEA: _BREVE,
    0xE8: _BREVE + _GRAVE,
    0xE9: _BREVE + _ACUTE,
    0xFA: _BREVE + _HOOK,
    0xFC: _BREVE + _TILDE,
    0xEB: _BREVE + _DOT,
}
# Letters with a code of their own.
_VNI_SINGLE: dict[int, str] = {
    0xF1: "đ",
    0xF4: "ơ",
    0xF6: "ư",
    0xEC: "ì",
    0xED: "í",
    0xE6: "ỉ",
    0xF3: "ĩ",
    0xF2: "ị",
    0xEE: "ỵ",
}
_VNI_BASES = {"\xf4": "o" + _HORN, "\xf6": "u" + _HORN}


def _vni_char(ch: str) -> tuple[int, bool] | None:
    """(lowercase byte, is capital) for a VNI byte character in 0xC0-0xFE, else None."""
    b = _BYTE_OF.get(ch)
    if b is None or b < 0xC0 or b == 0xD7 or b == 0xF7:
        return None
    return (b | 0x20, b < 0xE0)


def _allowed(base: str, mark: str) -> bool:
    """May ``mark`` (combining characters) sit on ``base`` (lowercase, NFD)?"""
    if _HORN in base:
        return mark in _TONE_MARKS  # ơ, ư take a tone only
    if _CIRC in mark:
        return base in ("a", "e", "o")
    if _BREVE in mark:
        return base == "a"
    return True


def _convert_vni(text: str) -> str:
    out: list[str] = []
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        low = ch.lower()
        code = _vni_char(ch)
        base: str | None = None
        capital = ch.isupper()
        if low in ("a", "e", "o", "u", "y"):
            base = low
        elif code is not None and code[0] in (0xF4, 0xF6):
            base, capital = _VNI_BASES[chr(code[0])], code[1]
        if base is not None and i + 1 < n:
            nxt = _vni_char(text[i + 1])
            mark = _VNI_MARKS.get(nxt[0]) if nxt else None
            if mark is not None and _allowed(base, mark):
                letter = unicodedata.normalize("NFC", base + mark)
                out.append(letter.upper() if capital else letter)
                i += 2
                continue
        if base is not None and _HORN in base:
            letter = unicodedata.normalize("NFC", base)
            out.append(letter.upper() if capital else letter)
        elif code is not None and code[0] in _VNI_SINGLE:
            single = _VNI_SINGLE[code[0]]
            out.append(single.upper() if code[1] else single)
        else:
            out.append(ch)
        i += 1
    return "".join(out)


# -- conversion -------------------------------------------------------------------------------

_CAPS_LINE = re.compile(r"[A-Za-z]")


def convert(text: str, encoding: str, upper: bool = False) -> str:
    """``text`` (byte characters in ``encoding``: "tcvn3" or "vni") as Unicode, NFC.

    ``upper`` is for TCVN3 "H" fonts, which draw every letter as a capital.
    """
    if encoding == "tcvn3":
        return text.translate(_TCVN3_UPPER_TABLE if upper else _TCVN3_TABLE)
    if encoding == "vni":
        result = _convert_vni(text)
        return result.upper() if upper else result
    raise ValueError(f"unknown legacy encoding {encoding!r}; expected one of {ENCODINGS}")


def _recase(line: str, converted: str) -> str:
    """A line typed in capitals (an H font, seen without its font) becomes all capitals."""
    letters = _CAPS_LINE.findall(line)
    if len(letters) >= 3 and all(c.isupper() for c in letters):
        return converted.upper()
    return converted


def convert_text(text: str, encoding: str) -> str:
    """Convert font-less text line by line, restoring capitals on all-capital lines."""
    return "\n".join(_recase(line, convert(line, encoding)) for line in text.split("\n"))


# -- detection by character statistics ------------------------------------------------------

_INITIALS = "ngh|ng|nh|ch|gh|gi|kh|ph|th|tr|qu|[bcdđghklmnpqrstvx]"
_NUCLEI = sorted(
    (
        "a ă â e ê i o ô ơ u ư y ai ao au âu ay ây eo êu ia iê iu oa oă oe oi ôi ơi oo ua uâ uê "
        "ui uô uơ ưa ưi ươ ưu uy yê iêu oai oay oao oeo uây uôi ươi ươu uya uyê uyu yêu"
    ).split(),
    key=len,
    reverse=True,
)
_SYLLABLE = re.compile(f"(?:{_INITIALS})?(?:{'|'.join(_NUCLEI)})(?:ch|ng|nh|[cmnpt])?")
_EDGE = string.punctuation + "\u2018\u2019\u201c\u201d\u2026\u2013\u2014\u00ab\u00bb"


def _valid_syllable(word: str) -> bool:
    """Does ``word`` have the shape of one Vietnamese syllable (at most one tone)?"""
    nfd = unicodedata.normalize("NFD", word.lower())
    if sum(1 for c in nfd if c in _TONE_MARKS) > 1:
        return False
    bare = unicodedata.normalize("NFC", "".join(c for c in nfd if c not in _TONE_MARKS))
    return _SYLLABLE.fullmatch(bare) is not None


def syllable_score(words: list[str]) -> float:
    """The share of ``words`` shaped like Vietnamese syllables (0 when there are none)."""
    return sum(map(_valid_syllable, words)) / len(words) if words else 0.0


def _tokens(text: str) -> list[str]:
    """Whitespace-separated tokens without punctuation at their ends."""
    return [t for t in (raw.strip(_EDGE) for raw in text.split()) if t]


def detect(text: str, min_words: int = 3) -> str | None:
    """ "tcvn3" or "vni" when ``text`` (byte characters) reads as that legacy encoding, else None.

    Only tokens holding a character at 0xA1 or above count (tokens with characters no byte can
    stand for are Unicode and are left out). A candidate conversion must turn at least 80% of
    them into well-formed Vietnamese syllables, clearly more than the text as it stands
    (Unicode or Windows-1258 Vietnamese scores high as is) and more than the other candidate.
    """
    words = [w for w in _tokens(text) if is_byte_text(w) and any(_BYTE_OF[c] >= 0xA1 for c in w)][
        :2000
    ]
    if len(words) < min_words:
        return None
    as_is = syllable_score(words)
    scores = {
        enc: syllable_score([t for w in words for t in _tokens(convert(w, enc))])
        for enc in ENCODINGS
    }
    best = max(scores, key=lambda enc: scores[enc])
    other = min(scores.values())
    if scores[best] >= 0.8 and scores[best] > as_is + 0.2 and scores[best] > other + 0.1:
        return best
    return None


# -- fonts ------------------------------------------------------------------------------------


def encoding_of_font(name: str | None) -> tuple[str, bool] | None:
    """(encoding, all capitals) for a legacy font name, else None.

    ``.VnTime``, ``.VnArial NarrowH`` (TCVN3; the trailing "H" marks the capital fonts),
    ``VNI-Times``, ``VNI-Helve`` (VNI).
    """
    if not name:
        return None
    clean = name.strip()
    low = clean.lower()
    if low.startswith("vni"):
        return ("vni", False)
    if low.startswith(".vn") or (low.startswith("vn") and len(low) > 2 and low[2].isalpha()):
        return ("tcvn3", clean.endswith("H"))
    return None


_MENTION = re.compile(rb'="\s*\.?vn')  # in lower-cased XML: a value naming a legacy font...


def _names_legacy_font(xml: bytes) -> bool:
    """True when an ``ascii`` or ``hansi`` font attribute of ``xml`` names a .Vn/VNI font (a
    literal scan: a case-insensitive regex over the whole document cost more than reading it)."""
    low = xml.lower()
    return any(
        low[max(0, m.start() - 5) : m.start()] in (b"ascii", b"hansi")
        for m in _MENTION.finditer(low)
    )


class RunFonts:
    """The font of a .docx run's non-ASCII characters (``w:hAnsi``, else ``w:ascii``),
    looked up in the run's properties, its character style, its paragraph style (and the
    ``basedOn`` chains) and the document defaults; theme fonts are never legacy fonts."""

    def __init__(
        self, styles: etree._Element | None, w: str, document: bytes | None = None
    ) -> None:
        """``document``: the main part's bytes; when neither it nor the styles name a legacy
        font, ``legacy`` answers None at once (the common case costs nothing)."""
        q = f"{{{w}}}"
        self.q = q
        self.used: dict[str, int] = {}  # encoding -> runs converted
        self._fonts: dict[str, tuple[str | None, str | None]] = {}
        self._based: dict[str, str] = {}
        self._inherited: dict[tuple[str | None, str | None], tuple[str | None, str | None]] = {}
        self.default_paragraph: str | None = None
        self.defaults: tuple[str | None, str | None] = (None, None)
        self.active = document is None or _names_legacy_font(document)
        if styles is None:
            return
        rpr = styles.find(f"{q}docDefaults/{q}rPrDefault/{q}rPr")
        self.defaults = self.fonts(rpr)
        for el in styles.iterchildren(f"{q}style"):
            sid = el.get(f"{q}styleId")
            if sid is None:
                continue
            self._fonts[sid] = self.fonts(el.find(f"{q}rPr"))
            based = el.find(f"{q}basedOn")
            if based is not None and based.get(f"{q}val"):
                self._based[sid] = based.get(f"{q}val") or ""
            if el.get(f"{q}type") == "paragraph" and el.get(f"{q}default") in ("1", "true", "on"):
                self.default_paragraph = sid
        self.active = (
            document is None
            or _names_legacy_font(document)
            or any(
                encoding_of_font(name)
                for pair in (self.defaults, *self._fonts.values())
                for name in pair
            )
        )

    def notice(self, xml: bytes) -> None:
        """Look runs up from now on when another part (the notes, a page header) names a legacy
        font that the main part and the styles do not."""
        if not self.active and _names_legacy_font(xml):
            self.active = True

    def fonts(self, rpr: etree._Element | None) -> tuple[str | None, str | None]:
        """(hAnsi, ascii) set by one ``w:rPr``; a theme font counts as the empty name."""
        if rpr is None:
            return (None, None)
        el = rpr.find(f"{self.q}rFonts")
        if el is None:
            return (None, None)
        q = self.q
        h_ansi = "" if el.get(f"{q}hAnsiTheme") else el.get(f"{q}hAnsi")
        ascii_ = "" if el.get(f"{q}asciiTheme") else el.get(f"{q}ascii")
        return (h_ansi, ascii_)

    def _style_chain(self, sid: str | None) -> list[tuple[str | None, str | None]]:
        out: list[tuple[str | None, str | None]] = []
        seen: set[str] = set()
        while sid and sid not in seen and len(seen) < 32:
            seen.add(sid)
            out.append(self._fonts.get(sid, (None, None)))
            sid = self._based.get(sid)
        return out

    def legacy(
        self, rpr: etree._Element | None, paragraph_style: str | None
    ) -> tuple[str, bool] | None:
        """(encoding, capitals) when the run's font is a legacy font, else None.

        Each attribute is inherited on its own: direct formatting, then the character style,
        the paragraph style (or the default one), then the document defaults.
        """
        if not self.active:
            return None
        run_style = None
        if rpr is not None:
            rs = rpr.find(f"{self.q}rStyle")
            run_style = rs.get(f"{self.q}val") if rs is not None else None
        key = (run_style, paragraph_style)
        if key not in self._inherited:
            chain = [
                *self._style_chain(run_style),
                *self._style_chain(paragraph_style or self.default_paragraph),
                self.defaults,
            ]
            self._inherited[key] = (
                next((f[0] for f in chain if f[0] is not None), None),
                next((f[1] for f in chain if f[1] is not None), None),
            )
        h_ansi, ascii_ = self._inherited[key]
        direct_h, direct_a = self.fonts(rpr)
        h_ansi = direct_h if direct_h is not None else h_ansi
        ascii_ = direct_a if direct_a is not None else ascii_
        return encoding_of_font(h_ansi if h_ansi is not None else ascii_)

    def convert(self, text: str, legacy: tuple[str, bool]) -> str:
        """Convert one run's text; text that is already Unicode (has letters no byte can
        stand for: someone converted it and kept the old font) is left as it is."""
        if not is_byte_text(text):
            return text
        self.used[legacy[0]] = self.used.get(legacy[0], 0) + 1
        return convert(text, legacy[0], legacy[1])
