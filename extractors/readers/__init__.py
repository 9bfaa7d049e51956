"""Reading: one file on disk becomes a ``Source`` (identity plus ordered Blocks), or a BaocaoError.

Promises of ``read_source``:

* The reader is chosen from the suffix *and* the content's magic bytes: a real .docx (zip)
  named .doc is read as .docx; an encrypted Office package (an OLE compound file holding an
  ``EncryptionInfo`` stream) is reported as encrypted whatever its name; a Word 97-2003 file
  goes to ``extractors/readers/doc.py`` (``read_doc(path, data) -> Source``) when that module
  exists, else is refused with advice to convert it.
* ``Source.sha256`` and ``Source.size`` describe the exact bytes read; ``Source.path`` is the
  path as given.
* Every failure is a BaocaoError subclass whose message is one line saying what is wrong and
  what to do; ``path``, ``stage`` ("read") and, once the bytes are read, ``sha256`` are set.
  A file without any text (scanned images, whitespace only) raises EmptyFileError.
* A .pdf goes to ``extractors/readers/pdf.py`` when its bytes are a PDF (``%PDF-`` in the first
  KiB); .png/.jpg/.jpeg/.tif/.tiff go to ``extractors/readers/ocr.py`` when their magic bytes
  are a PNG, JPEG or TIFF (any of the three, whatever the image suffix). ``ocr`` ("auto", "always",
  "never") is handed to both; it changes nothing for the other formats.
"""

from __future__ import annotations

import hashlib
import importlib
import importlib.util
import stat
from collections.abc import Callable
from pathlib import Path
from types import ModuleType

from schemas.errors import (
    BaocaoError,
    CorruptFileError,
    EmptyFileError,
    EncryptedFileError,
    ResourceLimitError,
    UnreadableFileError,
    UnsupportedFormatError,
)
from schemas.models import Source

__all__ = ["MAX_FILE_BYTES", "OCR_MODES", "SUPPORTED_SUFFIXES", "read_source"]

STAGE = "read"
MAX_FILE_BYTES = 200 * 1024 * 1024
_DOC_MODULE = "extractors.readers.doc"

ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08")
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ENCRYPTION_STREAMS = ("EncryptionInfo".encode("utf-16-le"), "EncryptedPackage".encode("utf-16-le"))
_FOREIGN = (
    (b"%PDF-", "a PDF file"),
    (b"{\\rtf", "an RTF document"),
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"Rar!", "a RAR archive"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"II*\x00", "a TIFF image"),
    (b"MM\x00*", "a TIFF image"),
)
_PDF_SUFFIXES = frozenset({".pdf"})
_IMAGE_SUFFIXES = frozenset({".png", ".jpg", ".jpeg", ".tif", ".tiff"})
OCR_MODES = ("auto", "always", "never")


def _has_doc_reader() -> bool:
    try:
        return importlib.util.find_spec(_DOC_MODULE) is not None
    except (ImportError, ValueError):
        return False


SUPPORTED_SUFFIXES: frozenset[str] = frozenset(
    {".docx", ".txt"} | ({".doc"} if _has_doc_reader() else set()) | _PDF_SUFFIXES | _IMAGE_SUFFIXES
)
# .doc gets a helpful refusal when no Word 97 reader exists
_ROUTED_SUFFIXES = frozenset({".docx", ".txt", ".doc"}) | _PDF_SUFFIXES | _IMAGE_SUFFIXES


def _doc_module() -> ModuleType | None:
    """The optional Word 97 reader, imported lazily; None when nobody has written it yet."""
    try:
        return importlib.import_module(_DOC_MODULE)
    except ModuleNotFoundError as exc:
        if exc.name == _DOC_MODULE:
            return None
        raise


def sniff(data: bytes) -> str | None:
    """ "zip", "ole", a description of a known foreign format, or None (maybe text)."""
    if data.startswith(ZIP_MAGIC):
        return "zip"
    if data.startswith(OLE_MAGIC):
        return "ole"
    for magic, what in _FOREIGN:
        if data.startswith(magic):
            return what
    head = data[:512].lstrip().lower()
    if head.startswith((b"<html", b"<!doctype html")) or head.startswith(b"mime-version:"):
        return "a web page (HTML/MHT)"
    return None


def _describe(kind: str | None) -> str:
    return {"zip": "a zip archive", "ole": "an old-style Office (OLE) file"}.get(
        kind or "", kind or "something else"
    )


def _read_word97(path: Path, data: bytes, named: str) -> Source:
    module = _doc_module()
    if module is None:
        raise UnsupportedFormatError(
            f"is a Word 97-2003 document{named}, which this version cannot read;"
            " open it in Word or LibreOffice and save it as .docx"
        )
    read_doc: Callable[[Path, bytes], Source] = module.read_doc
    return read_doc(path, data)


def _read_scan(path: Path, suffix: str, data: bytes, kind: str | None, ocr: str) -> Source:
    """A .pdf or an image suffix: route by the bytes, or say what the file really is."""
    if suffix in _PDF_SUFFIXES:
        if b"%PDF-" in data[:1024]:
            # imported here: each reader's libraries load only for its format
            from extractors.readers.pdf import read_pdf

            return read_pdf(path, data, ocr)
        raise CorruptFileError(
            f"is named .pdf but is {_describe(kind) if kind else 'not a PDF (no PDF header)'};"
            " re-download the original or give it its real suffix"
        )
    # imported here: each reader's libraries load only for its format
    from extractors.readers.ocr import image_kind, read_image

    if image_kind(data) is not None:
        return read_image(path, data, ocr)
    raise CorruptFileError(
        f"is named {suffix} but is {_describe(kind) if kind else 'not a PNG, JPEG or TIFF image'};"
        " re-scan it or give it its real suffix"
    )


def _dispatch(path: Path, suffix: str, data: bytes, ocr: str = "auto") -> Source:
    kind = sniff(data)
    if suffix in _PDF_SUFFIXES or suffix in _IMAGE_SUFFIXES:
        return _read_scan(path, suffix, data, kind, ocr)
    if kind == "ole" and any(s in data for s in _ENCRYPTION_STREAMS):
        raise EncryptedFileError(
            "is a password-protected Office document; remove the password in Word"
            " (File > Info > Protect Document) and save it again"
        )
    if suffix == ".txt":
        if kind is not None:
            raise UnsupportedFormatError(
                f"is named .txt but is {_describe(kind)}; give it its real suffix"
            )
        # imported here: each reader's libraries load only for its format
        from extractors.readers.txt import read_txt

        return read_txt(path, data)
    if kind == "zip":
        # imported here: each reader's libraries load only for its format
        from extractors.readers.docx import read_docx

        source = read_docx(path, data)
        if suffix == ".doc":
            note = "named .doc but is a .docx (Office Open XML) package; read as .docx"
            source = source.model_copy(update={"warnings": (note, *source.warnings)})
        return source
    if kind == "ole":
        return _read_word97(path, data, " saved under a .docx name" if suffix == ".docx" else "")
    if suffix == ".doc" and kind is not None:
        raise UnsupportedFormatError(
            f"is named .doc but is {kind}; open it in Word and save it as .docx"
        )
    what = f"is {kind}" if kind else "holds unrecognised bytes, not a Word package"
    raise CorruptFileError(
        f"is named {suffix} but {what}; re-download the original or re-save it from Word as .docx"
    )


def _load(path: Path) -> bytes:
    try:
        info = path.stat()
        if stat.S_ISDIR(info.st_mode):
            raise UnreadableFileError("is a directory, not a file; pass the files inside it")
        if info.st_size > MAX_FILE_BYTES:
            raise ResourceLimitError(
                f"is {info.st_size:,} bytes, over the {MAX_FILE_BYTES:,}-byte limit;"
                " split the document or remove embedded media"
            )
        return path.read_bytes()
    except FileNotFoundError:
        raise UnreadableFileError("does not exist; check the path and file name") from None
    except PermissionError:
        raise UnreadableFileError(
            "cannot be opened (permission denied); fix its permissions"
        ) from None
    except IsADirectoryError:
        raise UnreadableFileError("is a directory, not a file; pass the files inside it") from None
    except OSError as exc:
        reason = " ".join((exc.strerror or type(exc).__name__).split())
        raise UnreadableFileError(
            f"cannot be read ({reason}); check the disk or copy it again"
        ) from None


def read_source(path: str | Path, *, ocr: str = "auto") -> Source:
    """Read one .docx/.txt/.pdf/image (or, with a doc reader installed, .doc) file.

    ``ocr`` decides OCR for PDFs and images: "auto" (pages without a text layer), "always"
    (every page) or "never" (scanned pages are skipped with a warning).
    """
    if ocr not in OCR_MODES:
        raise ValueError(f"ocr must be one of {OCR_MODES}, not {ocr!r}")
    p = Path(path)
    name = str(path)
    suffix = p.suffix.lower()
    digest: str | None = None
    try:
        if suffix not in _ROUTED_SUFFIXES:
            raise UnsupportedFormatError(
                f"has unsupported type '{suffix or '(no suffix)'}'; supported:"
                f" {', '.join(sorted(SUPPORTED_SUFFIXES))} - convert it to one of them first"
            )
        data = _load(p)
        digest = hashlib.sha256(data).hexdigest()  # an empty file has its hash too
        if not data:
            raise EmptyFileError("is empty (0 bytes); re-export or re-download it")
        source = _dispatch(p, suffix, data, ocr)
        if not any(block.text.strip() for block in source.blocks):
            hint = " with OCR off (ocr='never')" if ocr == "never" else ""
            raise EmptyFileError(
                f"contains no text (empty, or only images{hint} - a scan needs OCR)"
            )
    except BaocaoError as exc:
        exc.path = exc.path or name
        exc.stage = exc.stage or STAGE
        exc.sha256 = exc.sha256 or digest
        raise
    if (source.path, source.sha256, source.size) != (name, digest, len(data)):
        source = source.model_copy(update={"path": name, "sha256": digest, "size": len(data)})
    return source


def file_sha256(path: str) -> str | None:
    """The SHA-256 of a file's bytes, or None when it cannot be read (extraction will say why)."""
    try:
        with open(path, "rb") as fh:
            return hashlib.file_digest(fh, "sha256").hexdigest()
    except OSError:
        return None
