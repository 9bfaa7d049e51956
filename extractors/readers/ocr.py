"""OCR with Tesseract: scanned PDF pages and images become Blocks, one per recognised line.

Promises:

* ``ocr_pdf_pages(data, pages)`` renders each page with poppler's ``pdftoppm`` (300 dpi,
  grey, uncompressed PGM: PNG compression made rendering take 2.7 s a page instead of 0.15 s)
  and reads it with ``tesseract ... -l vie --psm 3 tsv``; pages run in parallel in a
  bounded thread pool (the work is in the subprocesses), each render and each recognition
  under its own timeout. A page that fails or times out comes back with ``error`` set, so one
  bad page does not sink the document. ``progress(done, total)`` is called as pages finish.
* ``read_image(path, data, ocr)`` OCRs a PNG, JPEG or TIFF (all pages of a multi-page TIFF).
* From Tesseract's TSV come the lines (words of one block/paragraph/line joined by spaces) and
  the words' confidences; the mean confidence of each page is recorded in ``Source.warnings``
  as "page 3: OCR mean confidence 87.2" and read back by ``ocr_confidence(source)``.
* Missing tools raise ConverterMissingError naming the Debian packages (tesseract-ocr,
  tesseract-ocr-vie, poppler-utils) and scripts/install-system-deps.sh.

Page segmentation mode 3 (automatic) is the default rather than 6 (one uniform block): on a
page with a bordered table, mode 6 dropped the cells of the table, and mode 3 keeps the two
columns of a report's header apart.
"""

from __future__ import annotations

import functools
import hashlib
import os
import re
import shutil
import subprocess
import tempfile
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from schemas.errors import BaocaoError, ConverterMissingError, CorruptFileError
from schemas.models import Block, Source

__all__ = [
    "DPI",
    "LANG",
    "PAGE_TIMEOUT",
    "PSM",
    "OcrPage",
    "Progress",
    "confidence_note",
    "find_pdftoppm",
    "find_tesseract",
    "image_kind",
    "ocr_confidence",
    "ocr_image",
    "ocr_pdf_pages",
    "page_blocks",
    "parse_tsv",
    "read_image",
]

Progress = Callable[[int, int], None]

DPI = 300
LANG = "vie"
PSM = 3
PAGE_TIMEOUT = 180.0  # seconds to recognise one page
RENDER_TIMEOUT = 60.0  # seconds to render one page
MAX_WORKERS = 4
SETUP = "run scripts/install-system-deps.sh as root"
_CONFIDENCE = re.compile(r"^page (\d+): OCR mean confidence (\d+(?:\.\d+)?)$")
_IMAGE_MAGIC = (
    (b"\x89PNG\r\n\x1a\n", "png"),
    (b"\xff\xd8\xff", "jpeg"),
    (b"II*\x00", "tiff"),
    (b"MM\x00*", "tiff"),
)


@dataclass(frozen=True)
class OcrPage:
    """What Tesseract made of one page: its lines, mean word confidence (0-100), time taken."""

    page: int
    lines: tuple[str, ...] = ()
    confidence: float | None = None
    seconds: float = 0.0
    error: str | None = None


# ------------------------------------------------------------------------------------------
# Tools
# ------------------------------------------------------------------------------------------


# asked of tesseract once per binary, not once per page
@functools.lru_cache(maxsize=8)
def _languages(tesseract: str) -> frozenset[str]:
    try:
        done = subprocess.run(
            [tesseract, "--list-langs"], capture_output=True, timeout=30, check=False
        )
    except (OSError, subprocess.SubprocessError):
        return frozenset()
    text = (done.stdout + done.stderr).decode("utf-8", "replace")
    return frozenset(line.strip() for line in text.splitlines()[1:] if line.strip())


def find_tesseract(lang: str = LANG) -> str:
    """The tesseract binary, checked to know ``lang``; else ConverterMissingError."""
    tesseract = shutil.which("tesseract")
    if tesseract is None:
        raise ConverterMissingError(
            "needs OCR, and tesseract is not installed (Debian packages tesseract-ocr and"
            f" tesseract-ocr-{lang}); {SETUP}"
        )
    if lang not in _languages(tesseract):
        raise ConverterMissingError(
            f"needs OCR in language '{lang}', which tesseract does not have (Debian package"
            f" tesseract-ocr-{lang}); {SETUP}"
        )
    return tesseract


def find_pdftoppm() -> str:
    """poppler's pdftoppm; else ConverterMissingError."""
    found = shutil.which("pdftoppm")
    if found is None:
        raise ConverterMissingError(
            "needs its pages rendered for OCR, and pdftoppm is not installed (Debian package"
            f" poppler-utils); {SETUP}"
        )
    return found


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env["OMP_THREAD_LIMIT"] = "1"  # one thread per tesseract: we run pages in parallel
    return env


def _run(cmd: list[str], timeout: float) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        cmd, stdin=subprocess.DEVNULL, capture_output=True, timeout=timeout, env=_env(), check=False
    )


def _stderr(done: subprocess.CompletedProcess[bytes]) -> str:
    return " ".join(done.stderr.decode("utf-8", "replace").split())[:200]


# ------------------------------------------------------------------------------------------
# Tesseract's TSV
# ------------------------------------------------------------------------------------------


def parse_tsv(tsv: str) -> dict[int, tuple[list[str], list[float]]]:
    """{page: (lines, word confidences)} from ``tesseract ... tsv`` output, in reading order."""
    pages: dict[int, tuple[dict[tuple[int, int, int], list[str]], list[float]]] = {}
    for row in tsv.splitlines()[1:]:
        cols = row.split("\t")
        if len(cols) < 12 or cols[0] != "5":  # level 5: a word
            continue
        word = cols[11].strip()
        if not word:
            continue
        try:
            page, block, par, line = (int(c) for c in cols[1:5])
            conf = float(cols[10])
        except ValueError:
            continue
        lines, confs = pages.setdefault(page, ({}, []))
        lines.setdefault((block, par, line), []).append(word)
        if conf >= 0:
            confs.append(conf)
    return {
        page: ([" ".join(words) for words in lines.values()], confs)
        for page, (lines, confs) in sorted(pages.items())
    }


def _mean(values: list[float]) -> float | None:
    return round(sum(values) / len(values), 1) if values else None


def _tesseract(
    tesseract: str, image: Path, lang: str, psm: int, timeout: float, dpi: int | None = None
) -> dict[int, tuple[list[str], list[float]]]:
    """Run tesseract on one image file; raise TimeoutExpired or RuntimeError (its stderr).

    ``dpi`` is for images that do not record their resolution (PGM): without it Tesseract
    guesses, and its layout analysis lost a bordered table that it found at the right dpi.
    """
    resolution = ["--dpi", str(dpi)] if dpi else []
    done = _run(
        [tesseract, str(image), "stdout", "-l", lang, "--psm", str(psm), *resolution, "tsv"],
        timeout,
    )
    if done.returncode != 0:
        raise RuntimeError(_stderr(done) or f"tesseract exit code {done.returncode}")
    return parse_tsv(done.stdout.decode("utf-8", "replace"))


# ------------------------------------------------------------------------------------------
# PDF pages
# ------------------------------------------------------------------------------------------


def _pdf_page(
    pdftoppm: str,
    tesseract: str,
    pdf: Path,
    page: int,
    dpi: int,
    lang: str,
    psm: int,
    timeout: float,
) -> OcrPage:
    started = time.perf_counter()
    stem = pdf.parent / f"page-{page}"
    image = stem.with_suffix(".pgm")  # -gray without a format option writes a PGM
    try:
        done = _run(
            [
                pdftoppm,
                "-r",
                str(dpi),
                "-f",
                str(page),
                "-l",
                str(page),
                "-gray",
                "-singlefile",
                str(pdf),
                str(stem),
            ],
            RENDER_TIMEOUT,
        )
        if done.returncode != 0 or not image.is_file():
            return OcrPage(page, error=f"could not be rendered ({_stderr(done) or 'pdftoppm'})")
        result = _tesseract(tesseract, image, lang, psm, timeout, dpi).get(1, ([], []))
    except subprocess.TimeoutExpired as exc:
        return OcrPage(
            page, seconds=time.perf_counter() - started, error=f"took more than {exc.timeout:g} s"
        )
    except RuntimeError as exc:
        return OcrPage(page, error=f"tesseract failed ({exc})")
    finally:
        image.unlink(missing_ok=True)
    lines, confs = result
    return OcrPage(page, tuple(lines), _mean(confs), time.perf_counter() - started)


def ocr_pdf_pages(
    data: bytes,
    pages: Sequence[int],
    *,
    dpi: int = DPI,
    lang: str = LANG,
    psm: int = PSM,
    timeout: float = PAGE_TIMEOUT,
    workers: int | None = None,
    progress: Progress | None = None,
) -> list[OcrPage]:
    """OCR the 1-based ``pages`` of the PDF in ``data``; results in page order."""
    if not pages:
        return []
    tesseract, pdftoppm = find_tesseract(lang), find_pdftoppm()
    total = len(pages)
    workers = max(1, min(workers or MAX_WORKERS, os.cpu_count() or 1, total))
    results: list[OcrPage] = []
    if progress:
        progress(0, total)
    with tempfile.TemporaryDirectory(prefix="baocao-ocr-") as tmp:
        pdf = Path(tmp) / "input.pdf"
        pdf.write_bytes(data)
        pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="baocao-ocr")
        try:
            futures = [
                pool.submit(_pdf_page, pdftoppm, tesseract, pdf, p, dpi, lang, psm, timeout)
                for p in pages
            ]
            for future in as_completed(futures):
                results.append(future.result())
                if progress:
                    progress(len(results), total)
        finally:
            pool.shutdown(wait=True, cancel_futures=True)
    return sorted(results, key=lambda r: r.page)


# ------------------------------------------------------------------------------------------
# Images
# ------------------------------------------------------------------------------------------


def image_kind(data: bytes) -> str | None:
    """ "png", "jpeg" or "tiff" from the magic bytes, else None."""
    return next((kind for magic, kind in _IMAGE_MAGIC if data.startswith(magic)), None)


def _tiff_pages(data: bytes) -> int:
    """The number of pages (IFDs) of a TIFF, at least 1; a cheap walk of the IFD chain."""
    order: Literal["little", "big"] = "little" if data[:2] == b"II" else "big"
    offset, count, seen = int.from_bytes(data[4:8], order), 0, set()
    while 8 <= offset < len(data) - 2 and offset not in seen and count < 10_000:
        seen.add(offset)
        count += 1
        entries = int.from_bytes(data[offset : offset + 2], order)
        at = offset + 2 + 12 * entries
        offset = int.from_bytes(data[at : at + 4], order) if at + 4 <= len(data) else 0
    return max(count, 1)


def ocr_image(
    data: bytes,
    kind: str,
    *,
    lang: str = LANG,
    psm: int = PSM,
    timeout: float = PAGE_TIMEOUT,
    progress: Progress | None = None,
) -> list[OcrPage]:
    """OCR an image (every page of a TIFF) in one tesseract run; pages numbered from 1."""
    tesseract = find_tesseract(lang)
    total = _tiff_pages(data) if kind == "tiff" else 1
    if progress:
        progress(0, total)
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="baocao-ocr-") as tmp:
        image = Path(tmp) / f"image.{kind}"
        image.write_bytes(data)
        try:
            pages = _tesseract(tesseract, image, lang, psm, timeout * total)
        except subprocess.TimeoutExpired:
            return [OcrPage(1, error=f"took more than {timeout * total:g} s")]
        except RuntimeError as exc:
            raise CorruptFileError(
                f"is a {kind.upper()} image tesseract cannot read ({exc}); re-scan or re-save it"
            ) from None
    seconds = (time.perf_counter() - started) / max(total, 1)
    if progress:
        progress(total, total)
    return [
        OcrPage(page, tuple(lines), _mean(confs), seconds) for page, (lines, confs) in pages.items()
    ]


def read_image(
    path: str | Path, data: bytes, ocr: str = "auto", *, progress: Progress | None = None
) -> Source:
    """Read a PNG/JPEG/TIFF scan held in ``data`` with OCR; ``path`` is only recorded.

    With ``ocr="never"`` nothing is read: the Source has no blocks and says why.
    """
    name = str(path)
    digest = hashlib.sha256(data).hexdigest()
    try:
        kind = image_kind(data)
        if kind is None:
            raise CorruptFileError(
                "is not a PNG, JPEG or TIFF image (unknown or damaged"
                " header); re-scan or re-save it"
            )
        if ocr == "never":
            return Source(
                path=name,
                format=kind,
                sha256=digest,
                size=len(data),
                blocks=(),
                warnings=("an image: its text needs OCR, which is off (ocr='never')",),
            )
        pages = ocr_image(data, kind, progress=progress)
    except BaocaoError as exc:
        exc.path, exc.stage, exc.sha256 = exc.path or name, exc.stage or "read", digest
        raise
    blocks, warnings = page_blocks(pages)
    return Source(
        path=name,
        format=kind,
        sha256=digest,
        size=len(data),
        blocks=tuple(blocks),
        warnings=(f"read with OCR (tesseract, language {LANG}); check the text", *warnings),
    )


# ------------------------------------------------------------------------------------------
# Blocks and confidences
# ------------------------------------------------------------------------------------------


def confidence_note(page: int, confidence: float) -> str:
    """The warning that records one page's mean OCR confidence."""
    return f"page {page}: OCR mean confidence {confidence:.1f}"


def page_blocks(pages: Sequence[OcrPage]) -> tuple[list[Block], list[str]]:
    """A paragraph Block per recognised line (``page`` set), and the pages' warnings."""
    blocks: list[Block] = []
    warnings: list[str] = []
    for result in pages:
        if result.error:
            warnings.append(f"page {result.page}: OCR failed ({result.error}); its text is missing")
            continue
        blocks.extend(Block(text=line, page=result.page) for line in result.lines)
        if result.confidence is not None:
            warnings.append(confidence_note(result.page, result.confidence))
    return blocks, warnings


def ocr_confidence(source: Source) -> dict[int, float]:
    """{page: mean word confidence 0-100} for the pages of ``source`` that were OCRed."""
    found: dict[int, float] = {}
    for note in source.warnings:
        match = _CONFIDENCE.match(note)
        if match:
            found[int(match.group(1))] = float(match.group(2))
    return found
