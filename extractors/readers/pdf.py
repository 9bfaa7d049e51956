"""The PDF reader: a PDF's text layer (pypdf), its tables (pdfplumber) and, for scanned pages,
OCR (see ``ocr``) become Blocks with ``page`` set (1-based).

Promises of ``read_pdf(path, data, ocr="auto")``:

* Each page's text layer is read with pypdf; every non-blank line becomes a paragraph Block,
  except that a line starting with a lowercase letter after a line that does not end with
  ``. : ; ! ?`` (and is not in capitals) is that line's wrapped continuation and is joined to
  it with a space.
* Pages that draw lines or rectangles (a cheap look at the content stream) are opened with
  pdfplumber; when it finds tables there, each row becomes a ``table_row`` Block (``table``
  numbered through the document from 0, ``row`` from 0, merged cells once), the rest of the
  page's text comes from pdfplumber outside the tables' boxes (no duplicated table text), and
  paragraphs and rows are ordered by their height on the page.
* Text that a page's widget annotations draw (a signing system stamps the number and the day of
  a State document into the blanks left for them, "Số:    /BC-UBND", as signature fields) is
  put into the line it is drawn on, at the blank nearest its left edge; a stamp drawn on no
  line of text (a gazette's seal) becomes paragraphs after the page's text.
* A page with fewer than ``MIN_TEXT_CHARS`` non-blank characters in its text layer is a scan:
  with ``ocr="auto"`` it is OCRed, with ``ocr="never"`` it is skipped with a warning; with
  ``ocr="always"`` every page is OCRed and the text layer is ignored.
* Text in a pre-Unicode font (TCVN3 .VnTime, VNI), recognised by its characters, is
  converted to Unicode (``Source.encoding`` "tcvn3"/"vni", with a warning).
* An encrypted PDF opens if its user password is empty (many are "protected" only against
  printing or copying); otherwise EncryptedFileError. A damaged or truncated PDF raises
  CorruptFileError. Errors carry path, sha256 and the stage "read".
"""

from __future__ import annotations

import hashlib
import io
import re
from pathlib import Path
from typing import Any

from extractors.readers import legacy
from extractors.readers.ocr import LANG, Progress, ocr_pdf_pages, page_blocks
from extractors.readers.txt import LEGACY_NAMES, looks_vietnamese
from schemas.errors import (
    BaocaoError,
    ConverterMissingError,
    CorruptFileError,
    EncryptedFileError,
)
from schemas.models import Block, Source

__all__ = ["MIN_TEXT_CHARS", "OCR_MODES", "read_pdf"]

OCR_MODES = ("auto", "always", "never")
MIN_TEXT_CHARS = 20  # fewer non-blank characters than this: the page is a scan
MIN_RULES = 4  # line/rectangle operators on a page before pdfplumber looks for tables
RESAVE = "re-download the original or re-export it from its source application"
_RULES = re.compile(rb"[\d.]\s+(?:re|l)(?=\s)")


def _corrupt(what: str) -> CorruptFileError:
    return CorruptFileError(f"is a damaged PDF ({what}); {RESAVE}")


def _reason(exc: Exception) -> str:
    return " ".join(f"{type(exc).__name__}: {exc}".split())[:160]


def _open(data: bytes) -> Any:
    """A pypdf reader on ``data``, decrypted with the empty password when needed."""
    # imported here: only PDF files need it
    from pypdf import PdfReader
    from pypdf.errors import DependencyError

    if b"%PDF-" not in data[:1024]:
        raise CorruptFileError(f"is named .pdf but has no PDF header; {RESAVE}")
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not reader.decrypt(""):
            raise EncryptedFileError(
                "is a password-protected PDF; open it with its password and save or print"
                " an unprotected copy"
            )
        if len(reader.pages) == 0:
            raise _corrupt("no pages")
    except BaocaoError:
        raise
    except DependencyError as exc:
        raise ConverterMissingError(
            f"is an encrypted PDF whose decryption needs the Python package cryptography"
            f" ({_reason(exc)}); install it into the environment"
        ) from None
    except Exception as exc:  # pypdf raises many kinds of errors on damaged files
        raise _corrupt(_reason(exc)) from None
    return reader


def _ruled(page: Any) -> bool:
    """Does the page draw enough lines or rectangles to hold a table?"""
    try:
        contents = page.get_contents()
        raw = contents.get_data() if contents is not None else b""
    except Exception:  # a broken content stream: let pdfplumber have a look
        return True
    return len(_RULES.findall(raw)) >= MIN_RULES


def _join_wrapped(blocks: list[Block]) -> list[Block]:
    """Join a line to the paragraph line before it when it can only be that line's wrapped
    continuation: it starts with a lowercase letter and the line before does not end a
    sentence or announce a list (``. : ; ! ?``) and is not a heading in capitals ("BÁO CÁO"
    above its "tổng kết ..." subject stays apart). Table rows are never joined."""
    out: list[Block] = []
    for block in blocks:
        prev = out[-1] if out else None
        if (
            prev is not None
            and prev.kind == block.kind == "paragraph"
            and block.text[:1].islower()
            and prev.text[-1:] not in ".:;!?"
            and prev.text != prev.text.upper()
        ):
            out[-1] = prev.model_copy(update={"text": f"{prev.text} {block.text}"})
        else:
            out.append(block)
    return out


def _lines(text: str, page: int) -> list[Block]:
    return _join_wrapped(
        [Block(text=line.strip(), page=page) for line in text.splitlines() if line.strip()]
    )


def _cell(value: str | None) -> str:
    """A cell's text on one line: in a PDF a cell's line breaks are mostly wrapping."""
    return " ".join((value or "").split())


_STAMP_CONTEXT = 12  # characters either side of a blank that find its line in the page's text
_COLUMN_GAP = 15.0  # points: a wider gap between two characters of a line separates columns


def _stamps(page: Any) -> list[tuple[tuple[float, float, float, float], str]]:
    """The text each widget annotation of ``page`` draws, with its box (x0, top, x1, bottom)
    measured from the top of the page as pdfplumber measures it."""
    out: list[tuple[tuple[float, float, float, float], str]] = []
    try:
        annots = page.get("/Annots") or []
        height = float(page.mediabox.top)
        for ref in annots:
            annot = ref.get_object()
            if annot.get("/Subtype") != "/Widget" or "/AP" not in annot:
                continue
            normal = annot["/AP"].get("/N")
            normal = normal.get_object() if normal is not None else None
            if normal is None or not hasattr(normal, "get_data"):
                continue  # no appearance, or one per state (a check box)
            text = "\n".join(
                " ".join(x.split()) for x in page.extract_xform_text(normal).split("\n")
            )
            if not text.strip():
                continue
            x0, y0, x1, y1 = (float(v) for v in annot["/Rect"])
            box = (min(x0, x1), height - max(y0, y1), max(x0, x1), height - min(y0, y1))
            out.append((box, text.strip()))
    except Exception:  # a damaged annotation: the page's own text is still read
        return []
    return out


def _blank_at(chars: list[dict[str, Any]], x: float) -> int:
    """Where in a line's characters the blank nearest ``x`` lies (an index to insert at)."""
    best, best_distance = 0, max(0.0, x - chars[0]["x0"])  # before the line's first character
    for k in range(1, len(chars) + 1):
        left = chars[k - 1]["x1"]
        right = chars[k]["x0"] if k < len(chars) else float("inf")
        if right - left <= 1.0:
            continue  # two letters of one word
        distance = 0.0 if left <= x <= right else min(abs(x - left), abs(x - right))
        if distance < best_distance:
            best, best_distance = k, distance
    return best


def _context(chars: list[dict[str, Any]], k: int) -> tuple[str, str]:
    """The characters of the same column just before and just after index ``k``."""
    i = k
    while i > 0 and k - i < _STAMP_CONTEXT:
        if i < k and chars[i]["x0"] - chars[i - 1]["x1"] > _COLUMN_GAP:
            break
        i -= 1
    j = k
    while j < len(chars) and j - k < _STAMP_CONTEXT:
        if j > k and chars[j]["x0"] - chars[j - 1]["x1"] > _COLUMN_GAP:
            break
        j += 1
    squeeze = lambda cs: "".join(c["text"] for c in cs if not c["text"].isspace())  # noqa: E731
    return squeeze(chars[i:k]), squeeze(chars[k:j])


def _insert(text: str, before: str, after: str, stamp: str) -> str | None:
    """``text`` with ``stamp`` put between ``before`` and ``after`` (spaces ignored), or None."""
    where = [i for i, ch in enumerate(text) if not ch.isspace()]
    squeezed = "".join(text[i] for i in where)
    at = squeezed.find(before + after) if before or after else -1
    if at < 0:
        return None
    cut = where[at + len(before) - 1] + 1 if before else where[at]
    return f"{text[:cut].rstrip()} {stamp} {text[cut:].lstrip()}".strip()


def _stamped(blocks: list[Block], stamps: list[Any], lines: list[dict[str, Any]]) -> list[Block]:
    """``blocks`` of one page with each stamp put into its line, or after them."""
    out = list(blocks)
    loose: list[str] = []
    for (x0, top, _x1, bottom), stamp in stamps:
        overlaps = [
            (min(bottom, line["bottom"]) - max(top, line["top"]), n) for n, line in enumerate(lines)
        ]
        overlap, n = max(overlaps, default=(0.0, -1))
        chars = [c for c in lines[n]["chars"] if not c["text"].isspace()] if overlap > 0 else []
        placed = False
        if chars:
            before, after = _context(chars, _blank_at(chars, x0))
            one_line = " ".join(stamp.split())
            for b, block in enumerate(out):
                if block.kind == "table_row" and block.cells:
                    cells = [_insert(c, before, after, one_line) for c in block.cells]
                    if any(c is not None for c in cells):
                        new = tuple(
                            c if c is not None else o
                            for c, o in zip(cells, block.cells, strict=True)
                        )
                        out[b] = block.model_copy(update={"cells": new, "text": "\t".join(new)})
                        placed = True
                        break
                    continue
                text = _insert(block.text, before, after, one_line)
                if text is not None:
                    out[b], placed = block.model_copy(update={"text": text}), True
                    break
        if not placed:
            loose.extend(x for x in stamp.split("\n") if x.strip())
    page = blocks[0].page if blocks else None
    return out + [Block(text=x, page=page) for x in loose]


class _Tables:
    """pdfplumber opened lazily, once, for the pages that may hold tables."""

    def __init__(self, data: bytes) -> None:
        self.data = data
        self.pdf: Any = None
        self.count = 0  # tables found so far: the next table's number

    def close(self) -> None:
        if self.pdf is not None:
            self.pdf.close()

    def _plumber(self, number: int) -> Any:
        if self.pdf is None:
            # imported here: only PDF files need it
            import pdfplumber

            self.pdf = pdfplumber.open(io.BytesIO(self.data), password="")
        return self.pdf.pages[number - 1]

    def lines(self, number: int) -> list[dict[str, Any]]:
        """pdfplumber's text lines of page ``number``, characters and positions included."""
        return list(self._plumber(number).extract_text_lines())

    def page(self, number: int) -> list[Block] | None:
        """Blocks of page ``number`` when pdfplumber finds tables on it, else None."""
        page = self._plumber(number)
        tables = page.find_tables()
        if not tables:
            return None
        placed: list[tuple[float, Block]] = []
        for table in tables:
            index, self.count = self.count, self.count + 1
            row_number = 0
            for row, cells_raw in zip(table.rows, table.extract(), strict=False):
                cells = tuple(_cell(c) for c in cells_raw if c is not None)
                if not any(cells):
                    continue
                placed.append(
                    (
                        row.bbox[1],
                        Block(
                            kind="table_row",
                            text="\t".join(cells),
                            table=index,
                            row=row_number,
                            cells=cells,
                            page=number,
                        ),
                    )
                )
                row_number += 1
        boxes = [table.bbox for table in tables]

        def outside(obj: dict[str, Any]) -> bool:
            # A character belongs to a table when its centre lies in the table's box (a line
            # just touching the box, as the one after a table often does, stays outside).
            if obj.get("object_type") != "char":
                return True
            cx, cy = (obj["x0"] + obj["x1"]) / 2, (obj["top"] + obj["bottom"]) / 2
            return not any(x0 <= cx <= x1 and top <= cy <= bottom for x0, top, x1, bottom in boxes)

        for line in page.filter(outside).extract_text_lines():
            if line["text"].strip():
                placed.append((line["top"], Block(text=line["text"].strip(), page=number)))
        placed.sort(key=lambda item: item[0])  # stable: rows keep their order
        return _join_wrapped([block for _, block in placed])


def _convert_legacy(blocks: list[Block]) -> tuple[list[Block], str | None]:
    """Blocks with legacy-font text converted, and the encoding(s) found (None: none).

    Only lines made wholly of byte characters are candidates (a line with Unicode letters is
    Unicode). The document's candidate lines must read as TCVN3 or VNI as a whole; then each
    line is converted with the encoding its own words point to, else the document's.
    """
    candidates = [b.text for b in blocks if legacy.is_byte_text(b.text)]
    sample = "\n".join(candidates)[:200_000]
    if not sample or looks_vietnamese(sample):
        return blocks, None
    default = legacy.detect(sample)
    if default is None:
        return blocks, None
    used: set[str] = set()

    def fix(text: str) -> str:
        if not legacy.is_byte_text(text):
            return text
        encoding = legacy.detect(text, min_words=2) or default
        converted = legacy.convert_text(text, encoding)
        if converted != text:
            used.add(encoding)
        return converted

    out = [
        b.model_copy(
            update={"text": fix(b.text), "cells": tuple(map(fix, b.cells)) if b.cells else b.cells}
        )
        for b in blocks
    ]
    return out, "+".join(sorted(used)) or None


# a page's printed number on a line of its own ("2", "- 2 -", "Trang 2"): it is no text of the
# report, and it cuts a paragraph that runs on from the page before
_FOLIO = re.compile(r"^\s*(?:trang\s+)?[-–(]?\s*(?P<n>\d{1,3})\s*[-–)]?\s*$", re.I)


def _without_folio(page: int, blocks: list[Block]) -> list[Block]:
    """The blocks of a page less its printed page number, first or last on the page (the
    number may lag the PDF's page by one where the cover goes unnumbered)."""
    out = list(blocks)
    for at in (0, -1):
        if not out or out[at].kind != "paragraph":
            continue
        m = _FOLIO.match(out[at].text)
        if m and int(m.group("n")) in (page, page - 1) and page > 1:
            del out[at]
    return out


def _pages(
    reader: Any, data: bytes, ocr: str, warnings: list[str]
) -> tuple[dict[int, list[Block]], list[int]]:
    """{page: blocks} from the text layer, and the pages that need OCR."""
    by_page: dict[int, list[Block]] = {}
    scans: list[int] = []
    unreadable = 0
    tables = _Tables(data)
    try:
        for number, page in enumerate(reader.pages, 1):
            if ocr == "always":
                scans.append(number)
                continue
            try:
                text = page.extract_text() or ""
            except Exception as exc:  # one damaged page: note it and try OCR
                unreadable += 1
                warnings.append(f"page {number}: text layer unreadable ({_reason(exc)})")
                text = ""
            if sum(1 for ch in text if not ch.isspace()) < MIN_TEXT_CHARS:
                scans.append(number)
                by_page[number] = _lines(text, number)  # kept only if OCR is off
                continue
            blocks = None
            if _ruled(page):
                try:
                    blocks = tables.page(number)
                except Exception as exc:
                    warnings.append(f"page {number}: tables not read ({_reason(exc)})")
            by_page[number] = blocks if blocks is not None else _lines(text, number)
            stamps = _stamps(page)
            if stamps and by_page[number]:
                try:
                    by_page[number] = _stamped(by_page[number], stamps, tables.lines(number))
                except Exception as exc:
                    warnings.append(f"page {number}: stamped text not placed ({_reason(exc)})")
    finally:
        tables.close()
    if unreadable == len(reader.pages):
        raise _corrupt("no page's content could be read")
    return by_page, scans


def read_pdf(
    path: str | Path, data: bytes, ocr: str = "auto", *, progress: Progress | None = None
) -> Source:
    """Read a PDF held in ``data``; ``path`` is only recorded.

    ``ocr``: "auto" (scanned pages only), "always" (every page) or "never".
    ``progress(done, total)`` follows the OCR of the pages that need it.
    """
    if ocr not in OCR_MODES:
        raise ValueError(f"ocr must be one of {OCR_MODES}, not {ocr!r}")
    name = str(path)
    digest = hashlib.sha256(data).hexdigest()
    warnings: list[str] = []
    try:
        reader = _open(data)
        by_page, scans = _pages(reader, data, ocr, warnings)
        if ocr != "never":
            for p in scans:
                by_page.pop(p, None)
        layer, encoding = _convert_legacy([b for p in sorted(by_page) for b in by_page[p]])
        blocks_by_page: dict[int, list[Block]] = {}
        for block in layer:
            blocks_by_page.setdefault(block.page or 0, []).append(block)
        if scans and ocr == "never":
            listed = ", ".join(map(str, scans))
            warnings.append(
                f"page(s) {listed} have no text layer (scanned?) and were not read:"
                " OCR is off (ocr='never')"
            )
        elif scans:
            done = ocr_pdf_pages(data, scans, progress=progress)
            ocr_blocks, notes = page_blocks(done)
            for block in ocr_blocks:
                blocks_by_page.setdefault(block.page or 0, []).append(block)
            what = "all pages" if ocr == "always" else f"page(s) {', '.join(map(str, scans))}"
            warnings.append(f"{what} read with OCR (tesseract, language {LANG}); check the text")
            warnings.extend(notes)
        blocks = [b for p in sorted(blocks_by_page) for b in _without_folio(p, blocks_by_page[p])]
    except BaocaoError as exc:
        exc.path, exc.stage, exc.sha256 = exc.path or name, exc.stage or "read", digest
        raise
    if encoding:
        names = " and ".join(LEGACY_NAMES[e] for e in encoding.split("+"))
        warnings.append(
            f"text in the pre-Unicode {names} encoding was converted to Unicode"
            " (detected from its characters); check the letters"
        )
    return Source(
        path=name,
        format="pdf",
        sha256=digest,
        size=len(data),
        blocks=tuple(blocks),
        encoding=encoding,
        warnings=tuple(dict.fromkeys(warnings)),
    )
