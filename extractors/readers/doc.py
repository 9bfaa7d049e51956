"""The Word 97-2003 (.doc) reader: a binary Word document becomes a ``Source``.

Promises of ``read_doc(path, data)``:

* Primary route: LibreOffice (``soffice --headless``) converts the bytes to .docx and the
  project's .docx reader reads the result, so paragraphs, restored list labels, tables and
  emphasis come out exactly as for a native .docx. Each soffice call runs with its own
  throw-away profile (``-env:UserInstallation``), HOME and TMPDIR inside one temporary
  directory, so parallel workers never collide and nothing is left behind, even on timeout
  (the whole process group is killed).
* Fallback when soffice is absent (or cannot load the file): ``antiword``; each output line is
  a paragraph block, ``|``-separated lines become ``table_row`` blocks, and a warning says that
  list numbering and table structure may be lost.
* The returned Source keeps the original path, ``format="doc"`` and the sha256/size of the
  original .doc bytes; a warning records how it was converted.
* Before any tool runs, the OLE container is walked in pure Python (``check_word97``): a
  damaged or truncated container -> CorruptFileError; the FIB's fEncrypted flag (or a tool
  saying so) -> EncryptedFileError; an OLE file that is not Word (Excel, PowerPoint) ->
  UnsupportedFormatError. Neither tool installed -> ConverterMissingError naming the packages.
  Errors carry the path, the sha256 and the stage "read".

``convert_batch(paths, outdir)`` converts many files in one soffice start-up (about 1 s saved
per file; ~0.13 s per file instead of ~1.1 s).
"""

from __future__ import annotations

import hashlib
import os
import shutil
import signal
import struct
import subprocess
import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import Literal

from extractors.readers.docx import read_docx
from schemas.errors import (
    BaocaoError,
    ConverterMissingError,
    CorruptFileError,
    EncryptedFileError,
    ResourceLimitError,
    UnsupportedFormatError,
)
from schemas.models import Block, Source

__all__ = [
    "SOFFICE_TIMEOUT",
    "antiword_blocks",
    "check_word97",
    "convert_batch",
    "find_antiword",
    "find_soffice",
    "read_doc",
]

STAGE = "read"
SOFFICE_TIMEOUT = 120.0  # seconds for one document; a batch gets more (see convert_batch)
SOFFICE_PER_EXTRA_FILE = 30.0
ANTIWORD_TIMEOUT = 60.0
DOCX_FILTER = "docx:MS Word 2007 XML"
RESAVE = "re-download the original or re-save it from Word as .docx"
SETUP = "run scripts/install-system-deps.sh as root"
MISSING = {  # what to install, per requested converter
    "soffice": "LibreOffice (soffice; Debian package libreoffice-writer-nogui)",
    "antiword": "antiword (Debian package antiword)",
    "auto": "LibreOffice (Debian package libreoffice-writer-nogui) or antiword",
}
SOFFICE_NOTE = "converted from Word 97-2003 (.doc) to .docx with LibreOffice before reading"
LOSSY = "automatic list numbering and table structure may be lost"
ANTIWORD_NOTE = f"read with antiword (LibreOffice not available): {LOSSY}"
FALLBACK_NOTE = f"LibreOffice could not open it; read with antiword: {LOSSY}"

Converter = Literal["auto", "soffice", "antiword"]

# FIB magic numbers (wIdent) of Word 97 and later, and of Word 6/95.
_WORD_IDENTS = (0xA5EC, 0xA5DC)
_OTHER_OLE = (
    ("Workbook", "an Excel workbook"),
    ("Book", "an Excel workbook"),
    ("PowerPoint Document", "a PowerPoint presentation"),
    ("VisioDocument", "a Visio drawing"),
)


def find_soffice() -> str | None:
    """The LibreOffice launcher on PATH, or None."""
    return shutil.which("soffice") or shutil.which("libreoffice")


def find_antiword() -> str | None:
    """The antiword binary on PATH, or None."""
    return shutil.which("antiword")


# ------------------------------------------------------------------------------------------
# The OLE compound file (CFB) container: just enough to find the WordDocument stream's head
# ------------------------------------------------------------------------------------------

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_END = 0xFFFFFFFE  # ENDOFCHAIN
_MAX_SECT = 0xFFFFFFFA  # sector numbers at or above this are markers, not sectors


def _damaged(what: str) -> CorruptFileError:
    return CorruptFileError(f"is a damaged Word 97-2003 file ({what}); {RESAVE}")


class _Cfb:
    """A read-only view of a compound file: sector size, FAT and the root storage's streams."""

    def __init__(self, data: bytes) -> None:
        if len(data) < 512 or not data.startswith(OLE_MAGIC):
            raise CorruptFileError(
                f"is named .doc but is not a Word 97-2003 document (no OLE header); {RESAVE}"
            )
        self.data = data
        shift, mini_shift = struct.unpack_from("<HH", data, 0x1E)
        if data[0x1C:0x1E] != b"\xfe\xff" or shift not in (9, 12) or mini_shift != 6:
            raise _damaged("bad compound-file header")
        self.size = 1 << shift
        # Sectors after the header; a short last sector is tolerated (and zero-padded).
        self.count = max(0, -(-(len(data) - self.size) // self.size))
        n_fat, first_dir = struct.unpack_from("<II", data, 0x2C)
        self.mini_cutoff, _, _, next_difat, n_difat = struct.unpack_from("<5I", data, 0x38)
        fat_sectors = [s for s in struct.unpack_from("<109I", data, 0x4C) if s < _MAX_SECT]
        per = self.size // 4
        for _ in range(min(n_difat, self.count)):  # DIFAT sectors: more FAT sector numbers
            if next_difat >= _MAX_SECT:
                break
            more = struct.unpack_from(f"<{per}I", self._sector(next_difat))
            fat_sectors += [s for s in more[:-1] if s < _MAX_SECT]
            next_difat = more[-1]
        if not fat_sectors or len(fat_sectors) > self.count:
            raise _damaged("no sector allocation table")
        self.fat: list[int] = []
        for sector in fat_sectors[: n_fat or len(fat_sectors)]:
            self.fat += struct.unpack_from(f"<{per}I", self._sector(sector))
        raw = b"".join(self._sector(s) for s in self._chain(first_dir))
        # (name, type, left, right, child, start, size) for each 128-byte directory entry
        entries = []
        for off in range(0, len(raw) - 127, 128):
            name_len, kind = struct.unpack_from("<HB", raw, off + 0x40)
            left, right, child = struct.unpack_from("<3I", raw, off + 0x44)
            start, size = struct.unpack_from("<II", raw, off + 0x74)
            name = raw[off : off + max(0, min(name_len, 64) - 2)].decode("utf-16-le", "replace")
            entries.append((name, kind, left, right, child, start, size))
        if not entries or entries[0][1] != 5:
            raise _damaged("no root storage")
        self.root = entries[0]
        # Streams of the root storage only: walk the root's child tree by its siblings, so a
        # Word file embedded in another document is not mistaken for the document itself.
        self.streams: dict[str, tuple[int, int]] = {}
        todo, seen = [self.root[4]], set()
        while todo:
            i = todo.pop()
            if i >= len(entries) or i in seen:
                continue
            seen.add(i)
            name, kind, left, right, _, start, size = entries[i]
            todo += [left, right]
            if kind == 2:
                self.streams[name] = (start, size)

    def _sector(self, n: int) -> bytes:
        if n >= self.count:
            raise _damaged(f"sector {n} lies beyond the end of the file")
        at = (n + 1) * self.size
        return self.data[at : at + self.size].ljust(self.size, b"\0")

    def _chain(self, start: int) -> list[int]:
        chain: list[int] = []
        while start != _END:
            if start >= len(self.fat) or len(chain) > self.count:
                raise _damaged("broken sector chain")
            chain.append(start)
            start = self.fat[start]
        return chain

    def head(self, name: str, length: int = 64) -> bytes:
        """The first ``length`` (at most 64) bytes of root-level stream ``name``."""
        start, size = self.streams[name]
        want = min(length, size, 64)
        if size >= self.mini_cutoff:
            return self._sector(start)[:want] if start < _MAX_SECT else b""
        # A small stream lives in the mini stream (64-byte sectors) carried by the root entry.
        chain = self._chain(self.root[5])
        index, within = divmod(start * 64, self.size)
        if index >= len(chain):
            raise _damaged("mini stream too short")
        return self._sector(chain[index])[within : within + want]


def word_stream_head(data: bytes) -> tuple[bytes | None, set[str]]:
    """The head of the WordDocument stream (None if there is none) and the root's streams."""
    try:
        cfb = _Cfb(data)
    except struct.error:
        raise _damaged("truncated compound-file structures") from None
    streams = set(cfb.streams)
    return (cfb.head("WordDocument") if "WordDocument" in streams else None), streams


# ------------------------------------------------------------------------------------------
# Checking the bytes before any tool sees them
# ------------------------------------------------------------------------------------------


def check_word97(data: bytes) -> None:
    """Raise if ``data`` is not a readable Word 97-2003 document (damaged, encrypted, other)."""
    head, streams = word_stream_head(data)  # raises CorruptFileError on a broken container
    if head is None:
        if {"EncryptionInfo", "EncryptedPackage"} <= streams:
            raise EncryptedFileError(
                "is a password-protected Office document; remove the password in Word"
                " (File > Info > Protect Document) and save it again"
            )
        for stream, what in _OTHER_OLE:
            if stream in streams:
                raise UnsupportedFormatError(
                    f"is {what}, not a Word document; give it its real suffix"
                )
        raise _damaged("an OLE compound file without a WordDocument stream")
    if len(head) < 12 or int.from_bytes(head[0:2], "little") not in _WORD_IDENTS:
        raise _damaged("bad File Information Block")
    if head[0x0B] & 0x01:  # FIB fEncrypted (bit 8 of the flags word at 0x0A)
        raise EncryptedFileError(
            "is a password-protected Word document; open it in Word, remove the password"
            " (File > Info > Protect Document) and save it as .docx"
        )


# ------------------------------------------------------------------------------------------
# Running the external tools
# ------------------------------------------------------------------------------------------


def _tool_env(home: Path) -> dict[str, str]:
    """Environment for a tool run: private HOME and TMPDIR, a UTF-8 locale."""
    env = dict(os.environ)
    env.update({"HOME": str(home), "TMPDIR": str(home), "LC_ALL": "C.UTF-8", "LANG": "C.UTF-8"})
    env.pop("LANGUAGE", None)
    return env


def _run(cmd: list[str], home: Path, timeout: float, what: str) -> tuple[int, bytes, bytes]:
    """Run ``cmd`` in its own session: (exit code, stdout, stderr); on timeout kill its group."""
    proc = subprocess.Popen(
        cmd,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        cwd=home,
        env=_tool_env(home),
        start_new_session=True,
    )
    try:
        out, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        _kill_group(proc)  # soffice.bin is a grandchild: kill the whole group, then reap
        proc.communicate()
        raise ResourceLimitError(
            f"{what} took more than {timeout:g} s; the file may be huge or damaged - re-save it"
            " from Word as .docx"
        ) from None
    except BaseException:
        _kill_group(proc)
        proc.communicate()
        raise
    return proc.returncode, out, err


def _kill_group(proc: subprocess.Popen[bytes]) -> None:
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass


def _soffice_convert(soffice: str, work: Path, inputs: list[Path], timeout: float) -> Path:
    """Convert ``inputs`` (inside ``work``) to .docx in ``work/out``; return that folder."""
    out = work / "out"
    out.mkdir(exist_ok=True)
    profile = work / "profile"
    cmd = [
        soffice,
        f"-env:UserInstallation={profile.as_uri()}",
        "--headless",
        "--norestore",
        "--nologo",
        "--nodefault",
        "--nolockcheck",
        "--convert-to",
        DOCX_FILTER,
        "--outdir",
        str(out),
        *(str(p) for p in inputs),
    ]
    _run(cmd, work, timeout, "LibreOffice's conversion to .docx")
    return out


def convert_batch(
    paths: Iterable[str | Path], outdir: str | Path, *, timeout: float | None = None
) -> dict[Path, Path]:
    """Convert many .doc files to .docx with one soffice start-up.

    Returns ``{original path: converted .docx in outdir}``; files that are unreadable, damaged,
    encrypted or not Word are left out (``read_doc`` says why). The caller owns ``outdir``;
    all else is temporary. Raises ConverterMissingError without soffice, ResourceLimitError
    past ``timeout`` (default 120 s plus 30 s per further file).
    """
    sources = [Path(p) for p in paths]
    if not sources:
        return {}
    soffice = find_soffice()
    if soffice is None:
        raise ConverterMissingError(f"{MISSING['soffice']} is not installed; {SETUP}", stage=STAGE)
    target = Path(outdir)
    target.mkdir(parents=True, exist_ok=True)
    limit = timeout or SOFFICE_TIMEOUT + SOFFICE_PER_EXTRA_FILE * (len(sources) - 1)
    result: dict[Path, Path] = {}
    with tempfile.TemporaryDirectory(prefix="baocao-doc-") as tmp:
        work = Path(tmp)
        staged = work / "in"
        staged.mkdir()
        # Numbered copies: no name clashes between folders, no odd characters on the
        # command line, and any lock files LibreOffice writes stay in our folder.
        inputs: list[Path] = []
        for i, src in enumerate(sources):
            try:
                data = src.read_bytes()
                check_word97(data)  # LibreOffice would import junk as plain text
            except (OSError, BaocaoError):
                continue
            copy = staged / f"{i:05d}.doc"
            copy.write_bytes(data)
            inputs.append(copy)
        if not inputs:
            return {}
        out = _soffice_convert(soffice, work, inputs, limit)
        used: set[str] = {p.name for p in target.iterdir()}
        for i, src in enumerate(sources):
            produced = out / f"{i:05d}.docx"
            if not produced.is_file() or produced.stat().st_size == 0:
                continue
            name, n = f"{src.stem}.docx", 1
            while name in used:
                name, n = f"{src.stem}-{n}.docx", n + 1
            used.add(name)
            result[src] = Path(shutil.move(produced, target / name))
    return result


def _via_soffice(soffice: str, path: str, data: bytes) -> Source:
    with tempfile.TemporaryDirectory(prefix="baocao-doc-") as tmp:
        work = Path(tmp)
        doc = work / "document.doc"
        doc.write_bytes(data)
        out = _soffice_convert(soffice, work, [doc], SOFFICE_TIMEOUT)
        produced = out / "document.docx"
        converted = produced.read_bytes() if produced.is_file() else b""
    if not converted:
        raise CorruptFileError(f"could not be opened by LibreOffice (damaged?); {RESAVE}")
    source = read_docx(path, converted)
    return source.model_copy(update={"warnings": (SOFFICE_NOTE, *source.warnings)})


def _via_antiword(antiword: str, path: str, data: bytes, note: str = ANTIWORD_NOTE) -> Source:
    with tempfile.TemporaryDirectory(prefix="baocao-doc-") as tmp:
        work = Path(tmp)
        doc = work / "document.doc"
        doc.write_bytes(data)
        code, stdout, stderr = _run(
            [antiword, "-m", "UTF-8.txt", "-w", "0", str(doc)], work, ANTIWORD_TIMEOUT, "antiword"
        )
    err = " ".join(stderr.decode("utf-8", "replace").replace(str(doc), "the file").split())
    if "encrypted" in err.lower():
        raise EncryptedFileError(
            "is a password-protected Word document; open it in Word, remove the password"
            " and save it as .docx"
        )
    text = stdout.decode("utf-8", "replace")
    if "too small to handle" in err:  # antiword's words for a document without text
        text = ""
    elif code != 0 or not text.strip():
        reason = f" (antiword: {err[:200]})" if err else ""
        raise CorruptFileError(f"could not be read as a Word 97-2003 document{reason}; {RESAVE}")
    return Source(
        path=path, format="doc", sha256="", size=0, blocks=antiword_blocks(text), warnings=(note,)
    )


def antiword_blocks(text: str) -> tuple[Block, ...]:
    """Blocks from antiword's plain-text output (``-w 0``: one paragraph per line).

    Lines framed by ``|`` are table rows; consecutive ones form one table. antiword prints each
    paragraph of a cell on its own line, so a "row" here is a line of the rendering and rows
    whose cells are all empty are dropped. Runs of blank lines become one empty paragraph.
    """
    blocks: list[Block] = []
    table = -1
    row = 0
    in_table = False
    for raw in text.replace("\r\n", "\n").replace("\f", "\n").split("\n"):
        line = raw.strip(" \t")
        if len(line) >= 2 and line.startswith("|") and line.endswith("|"):
            if not in_table:
                table, row, in_table = table + 1, 0, True
            cells = tuple(cell.strip(" \t") for cell in line[1:-1].split("|"))
            if any(cells):
                blocks.append(
                    Block(
                        kind="table_row", text="\t".join(cells), table=table, row=row, cells=cells
                    )
                )
                row += 1
            continue
        in_table = False
        if not line and (not blocks or not blocks[-1].text):
            continue  # one empty paragraph stands for a run of blank lines
        blocks.append(Block(text=line))
    while blocks and not blocks[-1].text:
        blocks.pop()
    return tuple(blocks)


# ------------------------------------------------------------------------------------------
# The reader
# ------------------------------------------------------------------------------------------


def read_doc(path: str | Path, data: bytes, *, converter: Converter = "auto") -> Source:
    """Read a Word 97-2003 document held in ``data``; ``path`` is only recorded.

    ``converter`` picks the tool: "auto" (LibreOffice, else antiword), "soffice" or "antiword".
    """
    name = str(path)
    digest = hashlib.sha256(data).hexdigest()
    try:
        check_word97(data)
        soffice = find_soffice() if converter in ("auto", "soffice") else None
        antiword = find_antiword() if converter in ("auto", "antiword") else None
        if soffice is None and antiword is None:
            raise ConverterMissingError(
                f"is a Word 97-2003 document, and reading it needs {MISSING[converter]}, which is"
                f" not installed; {SETUP}, or save the file as .docx"
            )
        if soffice is None:
            assert antiword is not None
            source = _via_antiword(antiword, name, data)
        else:
            try:
                source = _via_soffice(soffice, name, data)
            except CorruptFileError:
                if antiword is None:
                    raise
                # LibreOffice could not load it; antiword sometimes can, else it says why.
                source = _via_antiword(antiword, name, data, FALLBACK_NOTE)
            if antiword is not None and not any(b.text.strip() for b in source.blocks):
                # LibreOffice opens a garbled text stream as an empty page: let antiword
                # tell an empty document (returns no text) from a damaged one (raises).
                _via_antiword(antiword, name, data)
    except BaocaoError as exc:
        exc.path = exc.path or name
        exc.stage = exc.stage or STAGE
        exc.sha256 = exc.sha256 or digest
        raise
    return source.model_copy(
        update={"path": name, "format": "doc", "sha256": digest, "size": len(data)}
    )
