"""Word 97-2003 (.doc) reading: LibreOffice conversion, the antiword fallback, and refusals.

Tests that run LibreOffice are marked slow (about 1 s each). A missing tool is a failure that
says how to install it, never a silent skip: CI runs scripts/install-system-deps.sh.
"""

from __future__ import annotations

import hashlib
import random
import shutil
import tempfile
from pathlib import Path

import pytest

from extractors.readers import doc, read_source
from extractors.readers.docx import read_docx
from schemas.errors import (
    ConverterMissingError,
    CorruptFileError,
    EncryptedFileError,
    ResourceLimitError,
    UnsupportedFormatError,
)

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"
QD275 = "ls-cdsp-qd275-tieu-chuan-thi-dua-2016-2017.doc"
BANG_KHEN = "qb-ubnd-du-thao-qd-tang-bang-khen-2022.doc"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def need(tool: str) -> None:
    """Fail (not skip) when a system tool is missing."""
    if shutil.which(tool) is None:
        pytest.fail(
            f"{tool} is not installed: run scripts/install-system-deps.sh as root (CI installs it)",
            pytrace=False,
        )


def corpus_file(name: str) -> Path:
    path = CORPUS / name
    if not path.is_file():
        pytest.skip(f"shared corpus not available ({path})")
    return path


def text_of(source) -> str:
    return "\n".join(block.text for block in source.blocks)


@pytest.fixture
def private_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Point tempfile at an empty folder so a test can check nothing is left behind."""
    folder = tmp_path / "tmp"
    folder.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    return folder


def word_stream_offset(data: bytes) -> int:
    """Byte offset of the WordDocument stream (a regular-sized stream) in a compound file."""
    cfb = doc._Cfb(data)
    start, size = cfb.streams["WordDocument"]
    assert size >= cfb.mini_cutoff
    return (start + 1) * cfb.size


# ------------------------------------------------------------------------------------------
# LibreOffice route
# ------------------------------------------------------------------------------------------


@pytest.mark.slow
def test_soffice_reads_quyet_dinh_275(private_tmp: Path) -> None:
    need("soffice")
    path = corpus_file(QD275)
    data = path.read_bytes()
    source = doc.read_doc(path, data, converter="soffice")
    text = text_of(source)
    assert "QUYẾT ĐỊNH" in text
    assert "275/QĐ-CĐSP" in text
    assert source.path == str(path)
    assert source.format == "doc"
    assert source.sha256 == hashlib.sha256(data).hexdigest()
    assert source.size == len(data) == path.stat().st_size
    assert any("LibreOffice" in w and "converted" in w for w in source.warnings)
    # The letterhead table survives as a table row with its two cells.
    first = source.blocks[0]
    assert first.kind == "table_row" and first.cells is not None and len(first.cells) == 2
    assert list(private_tmp.iterdir()) == []


@pytest.mark.slow
def test_soffice_reads_bang_khen_draft() -> None:
    need("soffice")
    path = corpus_file(BANG_KHEN)
    source = doc.read_doc(path, path.read_bytes())
    assert "Bằng khen" in text_of(source)
    assert source.format == "doc"
    assert source.warnings[0].startswith("converted from Word 97-2003")


@pytest.mark.slow
def test_read_source_dispatches_doc_to_this_reader() -> None:
    need("soffice")
    path = corpus_file(QD275)
    source = read_source(path)
    assert source.format == "doc"
    assert source.path == str(path)
    assert source.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()
    assert "275/QĐ-CĐSP" in text_of(source)


@pytest.mark.slow
def test_convert_batch_converts_many_in_one_call(tmp_path: Path, private_tmp: Path) -> None:
    need("soffice")
    first, second = corpus_file(QD275), corpus_file(BANG_KHEN)
    clash = tmp_path / "other" / QD275  # same name in another folder
    clash.parent.mkdir()
    shutil.copyfile(first, clash)
    junk = tmp_path / "junk.doc"
    junk.write_bytes(OLE_MAGIC + b"not really a compound file" * 40)
    out = tmp_path / "out"
    result = doc.convert_batch([first, second, clash, junk], out)
    assert set(result) == {first, second, clash}
    assert len(set(result.values())) == 3
    for original, converted in result.items():
        assert converted.parent == out and converted.suffix == ".docx"
        source = read_docx(converted, converted.read_bytes())
        assert text_of(source).strip(), original
    assert "Bằng khen" in text_of(read_docx(result[second], result[second].read_bytes()))
    assert list(private_tmp.iterdir()) == []


@pytest.mark.slow
def test_soffice_timeout_kills_and_cleans_up(
    monkeypatch: pytest.MonkeyPatch, private_tmp: Path
) -> None:
    need("soffice")
    path = corpus_file(QD275)
    monkeypatch.setattr(doc, "SOFFICE_TIMEOUT", 0.05)
    with pytest.raises(ResourceLimitError) as caught:
        doc.read_doc(path, path.read_bytes(), converter="soffice")
    assert caught.value.path == str(path)
    assert list(private_tmp.iterdir()) == []


@pytest.mark.slow
def test_garbled_word_stream_is_corrupt_not_empty() -> None:
    need("soffice")
    need("antiword")
    data = bytearray(corpus_file(QD275).read_bytes())
    cfb = doc._Cfb(bytes(data))
    start, _ = cfb.streams["WordDocument"]
    # Keep the File Information Block's head, scramble the rest of the stream. With this seed
    # LibreOffice opens it as an empty page; antiword then tells that it is damaged.
    noise = random.Random(0)
    for i, sector in enumerate(cfb._chain(start)):
        at = (sector + 1) * cfb.size
        lo = at + (0x20 if i == 0 else 0)
        data[lo : at + cfb.size] = noise.randbytes(at + cfb.size - lo)
    with pytest.raises(CorruptFileError) as caught:
        doc.read_doc("/archive/garbled.doc", bytes(data))
    assert "garbled.doc" in caught.value.one_line()


# ------------------------------------------------------------------------------------------
# antiword route
# ------------------------------------------------------------------------------------------


def test_antiword_fallback_keeps_vietnamese(
    monkeypatch: pytest.MonkeyPatch, private_tmp: Path
) -> None:
    need("antiword")
    monkeypatch.setattr(doc, "find_soffice", lambda: None)  # as on a machine without it
    path = corpus_file(QD275)
    data = path.read_bytes()
    source = doc.read_doc(path, data)
    text = text_of(source)
    for phrase in (
        "QUYẾT ĐỊNH",
        "275/QĐ-CĐSP",
        "Lạng Sơn",
        "Độc lập – Tự do – Hạnh phúc",
        "HIỆU TRƯỞNG TRƯỜNG CAO ĐẲNG SƯ PHẠM LẠNG SƠN",
    ):
        assert phrase in text
    assert source.format == "doc" and source.path == str(path)
    assert source.sha256 == hashlib.sha256(data).hexdigest() and source.size == len(data)
    assert any("antiword" in w and "numbering" in w for w in source.warnings)
    rows = [b for b in source.blocks if b.kind == "table_row"]
    assert rows[0].cells == ("SỞ GDĐT LẠNG SƠN", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM")
    assert rows[0].table == 0 and rows[0].row == 0 and rows[0].text == "\t".join(rows[0].cells)
    assert list(private_tmp.iterdir()) == []


def test_antiword_converter_parameter() -> None:
    need("antiword")
    path = corpus_file(BANG_KHEN)
    source = doc.read_doc(path, path.read_bytes(), converter="antiword")
    assert "Bằng khen" in text_of(source)
    assert "QUYẾT ĐỊNH" in text_of(source)
    assert all(block.kind == "paragraph" for block in source.blocks)


def test_antiword_blocks_tables_and_blank_lines() -> None:
    output = (
        "\n|SỞ GDĐT   |CỘNG HÒA  |\n   |          |          |\n|Số: 1/QĐ  |Hà Nội    |\n\n\n"
        "QUYẾT ĐỊNH\n\tĐiều 1. Tặng Bằng khen\n\n|a|b|c|\n\n\n"
    )
    blocks = doc.antiword_blocks(output)
    assert [(b.kind, b.text, b.table, b.row) for b in blocks] == [
        ("table_row", "SỞ GDĐT\tCỘNG HÒA", 0, 0),
        ("table_row", "Số: 1/QĐ\tHà Nội", 0, 1),
        ("paragraph", "", None, None),
        ("paragraph", "QUYẾT ĐỊNH", None, None),
        ("paragraph", "Điều 1. Tặng Bằng khen", None, None),
        ("paragraph", "", None, None),
        ("table_row", "a\tb\tc", 1, 0),
    ]
    assert blocks[-1].cells == ("a", "b", "c")


# ------------------------------------------------------------------------------------------
# Refusals: missing tools, junk, encrypted, not Word
# ------------------------------------------------------------------------------------------


def test_no_converter_names_the_packages(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(doc, "find_soffice", lambda: None)
    monkeypatch.setattr(doc, "find_antiword", lambda: None)
    path = corpus_file(QD275)
    with pytest.raises(ConverterMissingError) as caught:
        doc.read_doc(path, path.read_bytes())
    line = caught.value.one_line()
    assert "libreoffice-writer-nogui" in line and "antiword" in line
    assert "install-system-deps.sh" in line and QD275 in line and "\n" not in line
    assert caught.value.code == "E008" and caught.value.stage == "read"
    with pytest.raises(ConverterMissingError, match="libreoffice-writer-nogui"):
        doc.read_doc(path, path.read_bytes(), converter="soffice")
    with pytest.raises(ConverterMissingError, match="antiword"):
        doc.read_doc(path, path.read_bytes(), converter="antiword")
    with pytest.raises(ConverterMissingError, match="libreoffice-writer-nogui"):
        doc.convert_batch([path], "/nonexistent/out")


@pytest.mark.parametrize(
    "content",
    [
        b"this is plain text pretending to be a Word file\n" * 20,
        OLE_MAGIC + bytes(range(256)) * 16,
        OLE_MAGIC + b"\x00" * 100,
    ],
    ids=["text", "ole-garbage", "ole-truncated"],
)
def test_junk_named_doc_is_refused_in_one_line(tmp_path: Path, content: bytes) -> None:
    junk = tmp_path / "bao-cao-hong.doc"
    junk.write_bytes(content)
    with pytest.raises((CorruptFileError, UnsupportedFormatError)) as caught:
        read_source(junk)
    line = caught.value.one_line()
    assert str(junk) in line and "\n" not in line
    assert caught.value.stage == "read"
    if content.startswith(OLE_MAGIC):  # the direct call names the file as well
        with pytest.raises(CorruptFileError) as direct:
            doc.read_doc(junk, content)
        assert direct.value.one_line().startswith(f"{junk}: E003 ")


def test_truncated_doc_is_corrupt(tmp_path: Path) -> None:
    data = corpus_file(QD275).read_bytes()
    with pytest.raises(CorruptFileError, match="damaged"):
        doc.read_doc(tmp_path / "half.doc", data[: len(data) // 2])


def test_encryption_flag_is_reported_before_any_tool_runs(monkeypatch: pytest.MonkeyPatch) -> None:
    data = bytearray(corpus_file(BANG_KHEN).read_bytes())
    data[word_stream_offset(bytes(data)) + 0x0B] |= 0x01  # FIB fEncrypted
    monkeypatch.setattr(doc, "_run", lambda *a, **k: pytest.fail("no tool should run"))
    with pytest.raises(EncryptedFileError) as caught:
        doc.read_doc("/archive/mat-khau.doc", bytes(data))
    assert caught.value.one_line().startswith("/archive/mat-khau.doc: E004 ")
    assert caught.value.sha256 == hashlib.sha256(bytes(data)).hexdigest()


def test_other_office_file_named_doc_is_unsupported() -> None:
    data = bytearray(corpus_file(BANG_KHEN).read_bytes())
    name = "WordDocument".encode("utf-16-le")
    at = data.index(name)  # the directory entry's name field
    data[at : at + 64] = "Workbook".encode("utf-16-le").ljust(64, b"\0")
    data[at + 0x40 : at + 0x42] = (len("Workbook") * 2 + 2).to_bytes(2, "little")
    with pytest.raises(UnsupportedFormatError, match="Excel"):
        doc.read_doc("/archive/bang-tinh.doc", bytes(data))
