"""The keys that make two spellings one: the matching key of a cited identifier, the key of a
phrase, the accent-free forms that search and issuer filters compare, and the reader of numbers
in Vietnamese notation. Each is defined here once; extraction, the store, search, comparison and
the web app all call these.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from extractors.text.normalize import fold_tones, normalise_string

_DASH = re.compile(r"[\u2010-\u2015\u2212\ufe63\uff0d]")
_SPACE = re.compile(r"\s+")
_LEADING_ZEROS = re.compile(r"^0+(?=\d)")


def identifier_key(identifier: str) -> str:
    """The matching key of a document identifier (số, ký hiệu): NFC, `Ð` read as `Đ`, old tone
    placement folded, every dash a hyphen, no spaces, upper case, no leading zeros of the number.
    `01- KL/TW`, `1-KL/TW` and `1 – KL/TW` all give `1-KL/TW`."""
    key = unicodedata.normalize("NFC", identifier).replace("Ð", "Đ").replace("ð", "đ")
    key = _SPACE.sub("", _DASH.sub("-", fold_tones(key))).upper()
    return _LEADING_ZEROS.sub("", key)


def match_key(text: str | None) -> str:
    """A key for comparing phrases: NFC, `Đ`, tones folded, lower case, single spaces ("" for
    None or "")."""
    if not text:
        return ""
    normal, _ = normalise_string(text)
    return _SPACE.sub(" ", fold_tones(normal).lower()).strip()


# one entry per distinct character: the NFD walk is the cost of folding a whole text
@lru_cache(maxsize=8192)
def _fold_char(char: str) -> str:
    # one character to one character: `Ế` to `e`, `Đ` (and `Ð`, its look-alike) to `d`; a
    # character whose folding would not be one character (`İ`) is only lower-cased if that
    # keeps it one character
    if char in "ĐđÐð":
        return "d"
    base = "".join(c for c in unicodedata.normalize("NFD", char) if not unicodedata.combining(c))
    base = base.lower()
    if len(base) == 1:
        return base
    lower = char.lower()
    return lower if len(lower) == 1 else char


def fold_accents(text: str) -> str:
    """The accent-free form of a text, one character for each character of its NFC form (so an
    offset found in it is an offset in that text): `fold_accents("Kết nạp ĐẢNG")` is
    `"ket nap dang"`."""
    return "".join(map(_fold_char, unicodedata.normalize("NFC", text)))


def accent_key(text: str | None) -> str:
    """Lower case without any diacritics, single spaces: `Hòa`, `HOÀ` and `Hoa` all give `hoa`
    (names typed by a user against names in headers)."""
    return _SPACE.sub(" ", fold_accents(text or "")).strip()


# ---------------------------------------------------------------------------------------------
# Numbers
# ---------------------------------------------------------------------------------------------

# A number alone in a table cell: an optional qualifier, the number ("4.775", "45,7", "0.65"),
# an optional per cent sign.
CELL_NUMBER = re.compile(
    r"^\s*(?P<q>[<>≥≤~]|trên|dưới|hơn)?\s*(?P<int>\d{1,3}(?:\.\d{3})+|\d+)(?:[,.](?P<dec>\d{1,2}))?"
    r"\s*(?P<pct>%)?\s*$",
    re.I,
)


def parse_number(integer: str, decimal: str | None = None) -> float:
    """A number in Vietnamese notation from its parts: dots group thousands (`4.775`), a comma
    marks the decimals (`45,7` is given as `45` and `7`)."""
    value = float(integer.replace(".", ""))
    if decimal:
        value += float("0." + decimal)
    return value


def cell_number(text: str) -> tuple[float, str | None, bool] | None:
    """The number a table cell holds, with its qualifier (`trên`, `<`, ...) and whether it is a
    percentage; None for text, dashes and blanks. `0.65` written the English way is read as a
    decimal, `7.100` as seven thousand one hundred."""
    m = CELL_NUMBER.match(text)
    if not m:
        return None
    return parse_number(m.group("int"), m.group("dec")), m.group("q"), bool(m.group("pct"))
