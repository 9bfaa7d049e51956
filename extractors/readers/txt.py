"""The .txt reader: bytes in a proven encoding become one paragraph Block per line.

Promises: the encoding is established, never guessed blindly, in this order: a byte-order mark
(UTF-8, UTF-16 LE/BE, UTF-32 LE/BE); strict UTF-8; UTF-16 without a BOM when the NUL bytes
fall on every other position; Windows-1258 (the Vietnamese code page) only when the bytes
decode and the result reads as Vietnamese (Vietnamese letters present, no foreign letters, almost
no stray symbols); then the pre-Unicode font encodings TCVN3 and VNI (see ``legacy``), when
character statistics show the bytes are one of them. Anything else raises UnknownEncodingError.
``Source.encoding`` records the Python codec used, or "tcvn3"/"vni" (with a warning) for legacy
text, which is converted to Unicode. UTF-8 text that only holds a legacy text's characters
("KÕ ho¹ch", copied out of a .VnTime document) is converted too. Windows-1258 text keeps its
combining tone marks: NFC is a later stage's job.

C1 control characters in UTF-8 text (Windows-1252 punctuation decoded as Latin-1 before the file
was saved: U+0085 for "…") are text, not binary; normalisation maps them back. UTF-8 (with or
without a BOM) whose every character is a byte of UTF-8 Vietnamese that something read as
Windows-1252 or Latin-1 and saved again ("Viá»‡t Nam") is read back as the text those bytes were,
``Source.encoding`` "utf-8-mojibake" with a warning: only when the bytes are valid UTF-8 and the
result reads as Vietnamese where the input did not.

Lines split on CR, LF, CRLF, vertical tab and Unicode line/paragraph separators (never on
U+0085); a trailing newline does not make an extra block; lines with tabs stay paragraphs, text
as-is. A form feed starts a new page: when the file has any, ``Block.page`` numbers the pages
from 1.
"""

from __future__ import annotations

import hashlib
import re
import string
import unicodedata
from pathlib import Path

from extractors.readers import legacy
from schemas.errors import EmptyFileError, UnknownEncodingError
from schemas.models import Block, Source

_BOMS = (  # longest first: the UTF-32 LE BOM starts with the UTF-16 LE one
    (b"\xff\xfe\x00\x00", "utf-32-le"),
    (b"\x00\x00\xfe\xff", "utf-32-be"),
    (b"\xef\xbb\xbf", "utf-8-sig"),
    (b"\xff\xfe", "utf-16-le"),
    (b"\xfe\xff", "utf-16-be"),
)
_LINES = re.compile(r"\r\n|[\r\n\v\u2028\u2029]")
_SAMPLE = 200_000  # characters examined by the Vietnamese test

_TONES = "\u0300\u0301\u0303\u0309\u0323"  # grave, acute, tilde, hook above, dot below
_VOWELS = "aăâeêioôơuưy"
_VI_LETTERS = frozenset(
    unicodedata.normalize("NFC", vowel + tone)
    for vowel in _VOWELS + _VOWELS.upper()
    for tone in ("", *_TONES)
) | frozenset("đĐ")
_ASCII_LETTERS = frozenset(string.ascii_letters)
_PUNCT = frozenset(
    string.punctuation + string.digits + "\u2026\u2013\u2014\u2018\u2019\u201c"
    "\u201d\u2022\u00b0\u00ab\u00bb\u00a7\u00b7\u20ac\u2116"
)


def looks_vietnamese(text: str) -> bool:
    """True when ``text`` reads as Vietnamese: some Vietnamese letters or tone marks, hardly any
    letters foreign to Vietnamese (Ä, Æ, ß: the signature of mojibake) and few odd symbols."""
    letters = vi = foreign = odd = nonspace = 0
    for ch in text[:_SAMPLE]:
        if ch.isspace():
            continue
        nonspace += 1
        if ch in _ASCII_LETTERS:
            letters += 1
        elif ch in _VI_LETTERS:
            letters += 1
            vi += 1
        elif ch in _TONES:
            vi += 1
        elif ch.isalpha():
            letters += 1
            foreign += 1
        elif ch not in _PUNCT:
            odd += 1
    return (
        letters > 0
        and vi >= max(1, 0.02 * letters)
        and foreign <= 0.01 * letters
        and odd <= 0.02 * nonspace
    )


# Control characters that are no text: C0 other than whitespace, DEL, and the five C1 code points
# Windows-1252 leaves undefined. The other C1 characters are its punctuation decoded as Latin-1
# somewhere before the file was saved as UTF-8 (U+0085 for "…", U+0093 for "“"): text, which
# normalisation reads back as what was meant.
_NOT_TEXT = re.compile("[\x00-\x08\x0e-\x1f\x7f\x81\x8d\x8f\x90\x9d]")


def _binaryish(text: str) -> bool:
    """Control characters other than whitespace: the text is not text."""
    sample = text[:_SAMPLE]
    bad = len(_NOT_TEXT.findall(sample))
    return bad > max(2, 0.01 * len(sample))


def _utf16_without_bom(data: bytes) -> str | None:
    """ "utf-16-le"/"utf-16-be" when NULs sit on every other byte, as ASCII text does."""
    n = min(len(data), 8192) & ~1
    if n < 4 or len(data) % 2:
        return None
    pairs = n // 2
    even, odd = data[0:n:2].count(0), data[1:n:2].count(0)
    if odd > 0.3 * pairs and even < 0.05 * pairs:
        return "utf-16-le"
    if even > 0.3 * pairs and odd < 0.05 * pairs:
        return "utf-16-be"
    return None


def _strict(data: bytes, codec: str) -> str | None:
    try:
        return data.decode(codec)
    except UnicodeDecodeError:
        return None


def decode(data: bytes) -> tuple[str, str]:
    """(text, codec) for ``data``, or UnknownEncodingError."""
    for bom, codec in _BOMS:
        if data.startswith(bom):
            text = _strict(data[len(bom) :], codec)
            if text is None:
                raise UnknownEncodingError(
                    f"starts with a {codec.upper()} byte-order mark but is not valid {codec};"
                    " re-save the file as UTF-8"
                )
            if codec == "utf-8-sig":
                return _mojibake(text) or (text, codec)
            return text, codec
    if b"\x00" in data:
        codec16 = _utf16_without_bom(data)
        text = _strict(data, codec16) if codec16 else None
        if codec16 is None or text is None or _binaryish(text):
            raise UnknownEncodingError(
                "holds binary data (NUL bytes), not text in a known encoding;"
                " check that it is really a text file, or re-save it as UTF-8"
            )
        return text, codec16
    text = _strict(data, "utf-8")
    repaired = _mojibake(text) if text is not None else None
    if repaired is not None:  # before the test for binary: its C1 characters are UTF-8 bytes
        return repaired
    if text is not None and not _binaryish(text):
        return _legacy(text) or (text, "utf-8")
    if text is None:
        text = _strict(data, "cp1258")
        if text is not None and not _binaryish(text) and looks_vietnamese(text):
            return text, "cp1258"
        text = legacy.decode_8bit(data)
        if not _binaryish(text):
            found = _legacy(text)
            if found:
                return found
    raise UnknownEncodingError(
        "is neither UTF-8, UTF-16, Vietnamese Windows-1258 nor recognisable TCVN3/VNI text;"
        " convert it to UTF-8 (e.g. with Unikey) and retry"
    )


MOJIBAKE = "utf-8-mojibake"
# Windows-1252's characters for the bytes 0x80-0x9F, back to the Latin-1 characters of the same
# bytes, so that one encode to Latin-1 gives the bytes back whichever of the two read them.
_CP1252_AS_LATIN1 = str.maketrans(
    {
        bytes([b]).decode("cp1252"): chr(b)
        for b in range(0x80, 0xA0)
        if bytes([b]).decode("cp1252", "ignore")
    }
)
# a character that stands for no byte (found within a few letters of Unicode Vietnamese)
_NOT_A_BYTE = re.compile("[^\x00-\xff" + re.escape("".join(map(chr, _CP1252_AS_LATIN1))) + "]")


def _mojibake(text: str) -> tuple[str, str] | None:
    """(the text, MOJIBAKE) when ``text`` is UTF-8 bytes that something decoded as Windows-1252
    or Latin-1 and saved as UTF-8 again ("Viá»‡t Nam" for "Việt Nam"): every character stands
    for one byte, the bytes are valid UTF-8, and what they say is Vietnamese where ``text`` was
    not. Unicode Vietnamese fails at once: "ệ" stands for no byte."""
    if text.isascii() or _NOT_A_BYTE.search(text) is not None:
        return None
    try:
        repaired = text.translate(_CP1252_AS_LATIN1).encode("latin-1").decode("utf-8")
    except UnicodeError:
        return None
    if looks_vietnamese(repaired) and not looks_vietnamese(text):
        return repaired, MOJIBAKE
    return None


def _legacy(text: str) -> tuple[str, str] | None:
    """(Unicode text, "tcvn3"/"vni") when ``text``'s characters are a legacy encoding's bytes."""
    if not any("\u00a1" <= ch <= "\u00ff" for ch in text[:_SAMPLE]) or looks_vietnamese(text):
        return None
    encoding = legacy.detect(text[:_SAMPLE])
    return (legacy.convert_text(text, encoding), encoding) if encoding else None


LEGACY_NOTE = (
    "converted from the pre-Unicode {name} encoding to Unicode (detected from its"
    " characters); check the Vietnamese letters"
)
MOJIBAKE_NOTE = (
    'its characters were UTF-8 bytes read as Windows-1252 and saved again ("Viá»‡t" for'
    ' "Việt"); read back as the text those bytes were: check the letters'
)
LEGACY_NAMES = {"tcvn3": "TCVN3 (ABC, .VnTime fonts)", "vni": "VNI (VNI-Times fonts)"}


def read_txt(path: str | Path, data: bytes) -> Source:
    """Read a text file held in ``data``; ``path`` is only recorded."""
    text, codec = decode(data)
    if text.startswith("\ufeff"):
        text = text[1:]
    if not text.strip():
        raise EmptyFileError("holds no text, only whitespace; check that the export worked")
    paged = "\f" in text
    blocks: list[Block] = []
    for page, chunk in enumerate(text.split("\f"), 1):
        lines = _LINES.split(chunk)
        if lines[-1] == "":
            lines.pop()
        blocks.extend(Block(text=line, page=page if paged else None) for line in lines)
    warnings: tuple[str, ...] = ()
    if codec in LEGACY_NAMES:
        warnings = (LEGACY_NOTE.format(name=LEGACY_NAMES[codec]),)
    elif codec == MOJIBAKE:
        warnings = (MOJIBAKE_NOTE,)
    return Source(
        path=str(path),
        format="txt",
        sha256=hashlib.sha256(data).hexdigest(),
        size=len(data),
        blocks=tuple(blocks),
        encoding=codec,
        warnings=warnings,
    )
