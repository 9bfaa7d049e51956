"""Every format an archive holds: PDF text layers and tables, scanned PDFs and images (OCR),
and the pre-Unicode TCVN3/VNI encodings in .txt and .docx.

Inputs are generated here: a .docx built with python-docx is printed to PDF by LibreOffice, the
PDF is rendered to images by pdftoppm and wrapped back into a PDF without a text layer.
OCR tests are marked slow. A missing system tool is a failure that says how to install it,
never a silent skip: CI runs scripts/install-system-deps.sh.
"""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import unicodedata
from pathlib import Path

import docx
import pytest
from PIL import Image
from pypdf import PdfReader, PdfWriter

from extractors.readers import SUPPORTED_SUFFIXES, ocr, read_source
from extractors.readers.docx import read_docx
from extractors.readers.legacy import convert, detect, encoding_of_font
from extractors.readers.pdf import read_pdf
from extractors.readers.txt import read_txt
from schemas.errors import (
    ConverterMissingError,
    CorruptFileError,
    EmptyFileError,
    EncryptedFileError,
)
from schemas.models import Source

INSTALL = "run scripts/install-system-deps.sh as root (CI installs it)"

PAGE1 = [
    "ỦY BAN NHÂN DÂN TỈNH YÊN BÁI",
    "KẾ HOẠCH",
    "Kế hoạch thực hiện công tác thi đua, khen thưởng năm 2024.",
    "I. MỤC ĐÍCH, YÊU CẦU",
]
TABLE = [("STT", "Hình thức", "Số lượng"), ("1", "Bằng khen", "12"), ("2", "Giấy khen", "30")]
AFTER_TABLE = "Đoạn sau bảng: tổ chức triển khai đồng bộ các phong trào thi đua."
PAGE2 = [
    "II. NỘI DUNG",
    "Đảng ủy Khối các cơ quan tỉnh chỉ đạo thực hiện nghiêm túc.",
    "Tiếp tục đổi mới công tác khen thưởng, bảo đảm chính xác, kịp thời.",
    # Wraps over three lines in the PDF; the continuation lines are joined back.
    "Biểu dương các tập thể và cá nhân có thành tích xuất sắc trong phong trào thi đua yêu"
    " nước, nhân rộng các mô hình mới, cách làm hay, gương người tốt việc tốt trong các cơ quan"
    " và đơn vị trực thuộc năm 2024.",
]
# LibreOffice drops TCVN3's "ư" (0xAD, a soft hyphen in Windows-1252) when it prints a PDF, so
# the legacy-font PDF avoids that letter.
LEGACY_LINES = (
    "Kế hoạch thực hiện công tác thi đua năm 2024 của Đảng ủy Khối",
    "Tiếp tục đổi mới công tác thi đua, bảo đảm chính xác, kịp thời",
)

# ------------------------------------------------------------------------------------------
# Helpers and generated inputs
# ------------------------------------------------------------------------------------------


def need(tool: str) -> str:
    """The tool's path; a failure (not a skip) naming the install script when it is missing."""
    found = shutil.which(tool)
    if found is None:
        pytest.fail(f"{tool} is not installed: {INSTALL}", pytrace=False)
    return found


def need_ocr() -> None:
    need("pdftoppm")
    need("tesseract")
    try:
        ocr.find_tesseract("vie")
    except ConverterMissingError as exc:
        pytest.fail(f"OCR is not available ({exc.message}): {INSTALL}", pytrace=False)


def texts(source: Source) -> list[str]:
    return [block.text for block in source.blocks]


def words(text: str) -> list[str]:
    return re.findall(r"\w+", unicodedata.normalize("NFC", text).lower())


def share_found(expected: str, got: str) -> float:
    """The share of ``expected``'s words that occur in ``got``."""
    want, have = words(expected), set(words(got))
    return sum(w in have for w in want) / len(want)


def _document() -> docx.Document:
    document = docx.Document()
    document.styles["Normal"].font.name = "DejaVu Sans"
    for line in PAGE1:
        document.add_paragraph(line)
    table = document.add_table(rows=len(TABLE), cols=3)
    table.style = "Table Grid"
    for i, row in enumerate(TABLE):
        for j, value in enumerate(row):
            table.cell(i, j).text = value
    document.add_paragraph(AFTER_TABLE)
    document.add_page_break()
    for line in PAGE2:
        document.add_paragraph(line)
    return document


def _legacy_document() -> docx.Document:
    document = docx.Document()
    for line in LEGACY_LINES:
        document.add_paragraph().add_run(tcvn3(line)).font.name = ".VnTime"
    return document


@pytest.fixture(scope="session")
def pdfs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """PDFs printed by LibreOffice (one start-up): "text" (2 pages, a table), "legacy"."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        pytest.fail(f"LibreOffice (soffice) is not installed: {INSTALL}", pytrace=False)
    work = tmp_path_factory.mktemp("pdfs")
    _document().save(work / "text.docx")
    _legacy_document().save(work / "legacy.docx")
    subprocess.run(
        [
            soffice,
            f"-env:UserInstallation={(work / 'profile').as_uri()}",
            "--headless",
            "--norestore",
            "--convert-to",
            "pdf",
            "--outdir",
            str(work),
            str(work / "text.docx"),
            str(work / "legacy.docx"),
        ],
        check=True,
        capture_output=True,
        timeout=180,
        cwd=work,
    )
    return {"text": work / "text.pdf", "legacy": work / "legacy.pdf"}


def render(pdf: Path, out: Path, dpi: int = 200) -> list[Path]:
    """Each page of ``pdf`` as a PNG."""
    subprocess.run(
        [need("pdftoppm"), "-r", str(dpi), "-png", str(pdf), str(out / "page")],
        check=True,
        capture_output=True,
        timeout=120,
    )
    return sorted(out.glob("page-*.png"))


@pytest.fixture(scope="session")
def scans(pdfs: dict[str, Path], tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The text PDF as images: "pdf" (no text layer), "png" (page 2), "mixed" (page 1 with
    its text layer, page 2 scanned)."""
    work = tmp_path_factory.mktemp("scans")
    pages = render(pdfs["text"], work)
    images = [Image.open(p).convert("RGB") for p in pages]
    images[0].save(work / "scan.pdf", save_all=True, append_images=images[1:], resolution=200)
    shutil.copy(pages[1], work / "page2.png")
    writer = PdfWriter()
    writer.add_page(PdfReader(pdfs["text"]).pages[0])
    writer.add_page(PdfReader(work / "scan.pdf").pages[1])
    writer.write(work / "mixed.pdf")
    return {"pdf": work / "scan.pdf", "png": work / "page2.png", "mixed": work / "mixed.pdf"}


# ------------------------------------------------------------------------------------------
# PDF: text layer, tables, errors
# ------------------------------------------------------------------------------------------


def test_pdf_text_layer_gives_vietnamese_lines_with_page_numbers(pdfs: dict[str, Path]) -> None:
    source = read_source(pdfs["text"])

    assert source.format == "pdf" and source.warnings == ()
    paragraphs = [(b.page, b.text) for b in source.blocks if b.kind == "paragraph"]
    assert paragraphs == [(1, line) for line in PAGE1] + [(1, AFTER_TABLE)] + [
        (2, line) for line in PAGE2
    ]


def test_pdf_table_rows_come_once_in_place(pdfs: dict[str, Path]) -> None:
    source = read_source(pdfs["text"])

    rows = [b for b in source.blocks if b.kind == "table_row"]
    assert [b.cells for b in rows] == TABLE
    assert [(b.table, b.row, b.page) for b in rows] == [(0, 0, 1), (0, 1, 1), (0, 2, 1)]
    assert rows[1].text == "1\tBằng khen\t12"
    # In document order, between the heading before the table and the paragraph after it.
    order = texts(source)
    assert order.index(PAGE1[-1]) < order.index(rows[0].text) < order.index(AFTER_TABLE)
    # The table's text is not repeated as paragraphs.
    assert not any("Bằng khen" in b.text for b in source.blocks if b.kind == "paragraph")


def test_pdf_text_in_a_tcvn3_font_is_converted(pdfs: dict[str, Path]) -> None:
    source = read_source(pdfs["legacy"])

    assert texts(source) == list(LEGACY_LINES)
    assert source.encoding == "tcvn3" and any("TCVN3" in w for w in source.warnings)


def test_pdf_with_a_user_password_is_encrypted(pdfs: dict[str, Path], tmp_path: Path) -> None:
    writer = PdfWriter(clone_from=pdfs["text"])
    writer.encrypt(user_password="bí mật", owner_password="owner", algorithm="AES-128")
    path = tmp_path / "locked.pdf"
    writer.write(path)

    with pytest.raises(EncryptedFileError) as info:
        read_source(path)

    assert info.value.code == "E004" and info.value.path == str(path)
    assert "password" in info.value.message and "\n" not in str(info.value)


def test_pdf_encrypted_with_an_empty_user_password_opens(
    pdfs: dict[str, Path], tmp_path: Path
) -> None:
    writer = PdfWriter(clone_from=pdfs["text"])
    writer.encrypt(user_password="", owner_password="owner", algorithm="AES-128")
    path = tmp_path / "no-copy.pdf"
    writer.write(path)

    source = read_source(path)

    assert PAGE1[2] in texts(source) and [b.cells for b in source.blocks if b.cells] == TABLE


@pytest.mark.parametrize("cut", [0.1, 0.5, 0.95])
def test_truncated_pdf_is_corrupt(pdfs: dict[str, Path], tmp_path: Path, cut: float) -> None:
    data = pdfs["text"].read_bytes()
    path = tmp_path / "truncated.pdf"
    path.write_bytes(data[: int(len(data) * cut)])

    with pytest.raises(CorruptFileError) as info:
        read_source(path)

    assert info.value.code == "E003" and info.value.stage == "read"
    assert info.value.sha256 is not None


@pytest.mark.parametrize("content", [b"%PDF-1.7", b"not a pdf at all" * 20, b"PK\x03\x04junk"])
def test_junk_named_pdf_is_corrupt(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "report.pdf"
    path.write_bytes(content)

    with pytest.raises(CorruptFileError):
        read_source(path)


def test_new_suffixes_are_supported() -> None:
    assert {".pdf", ".png", ".jpg", ".jpeg", ".tif", ".tiff"} <= SUPPORTED_SUFFIXES


def test_bad_ocr_mode_is_refused(pdfs: dict[str, Path]) -> None:
    with pytest.raises(ValueError, match="ocr"):
        read_source(pdfs["text"], ocr="sometimes")


# ------------------------------------------------------------------------------------------
# OCR
# ------------------------------------------------------------------------------------------


def test_ocr_never_skips_scanned_pages_with_a_warning(scans: dict[str, Path]) -> None:
    source = read_source(scans["mixed"], ocr="never")

    assert {b.page for b in source.blocks} == {1}
    assert PAGE1[2] in texts(source)
    assert any("page(s) 2" in w and "OCR is off" in w for w in source.warnings)
    with pytest.raises(EmptyFileError, match="OCR"):
        read_source(scans["pdf"], ocr="never")
    with pytest.raises(EmptyFileError):
        read_source(scans["png"], ocr="never")


def test_missing_tesseract_names_the_packages(
    scans: dict[str, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    real = shutil.which
    monkeypatch.setattr(
        ocr.shutil, "which", lambda tool: None if tool == "tesseract" else real(tool)
    )

    with pytest.raises(ConverterMissingError) as info:
        read_source(scans["pdf"])

    message = info.value.message
    assert "tesseract-ocr" in message and "tesseract-ocr-vie" in message
    assert "scripts/install-system-deps.sh" in message
    assert info.value.path == str(scans["pdf"])


def test_tesseract_tsv_gives_lines_and_confidences() -> None:
    header = "\t".join(
        [
            "level",
            "page_num",
            "block_num",
            "par_num",
            "line_num",
            "word_num",
            "left",
            "top",
            "width",
            "height",
            "conf",
            "text",
        ]
    )
    rows = [
        "1\t1\t0\t0\t0\t0\t0\t0\t100\t100\t-1\t",
        "5\t1\t1\t1\t1\t1\t0\t0\t10\t10\t90.5\tKế",
        "5\t1\t1\t1\t1\t2\t0\t0\t10\t10\t80.5\thoạch",
        "5\t1\t1\t1\t1\t3\t0\t0\t10\t10\t95\t ",
        "5\t1\t1\t1\t2\t1\t0\t0\t10\t10\t70\tnăm",
        "5\t2\t1\t1\t1\t1\t0\t0\t10\t10\t60\t2024",
    ]

    pages = ocr.parse_tsv("\n".join([header, *rows]))

    assert pages == {1: (["Kế hoạch", "năm"], [90.5, 80.5, 70.0]), 2: (["2024"], [60.0])}


def test_ocr_confidence_is_read_back_from_the_warnings() -> None:
    source = Source(
        path="x",
        format="pdf",
        sha256="0",
        size=0,
        blocks=(),
        warnings=(
            "page(s) 3 read with OCR",
            ocr.confidence_note(3, 87.24),
            ocr.confidence_note(12, 90.0),
        ),
    )

    assert ocr.ocr_confidence(source) == {3: 87.2, 12: 90.0}


@pytest.mark.slow
def test_scanned_pdf_is_read_with_ocr(scans: dict[str, Path]) -> None:
    need_ocr()
    calls: list[tuple[int, int]] = []

    source = read_pdf(
        scans["pdf"],
        scans["pdf"].read_bytes(),
        progress=lambda done, total: calls.append((done, total)),
    )

    assert calls[0] == (0, 2) and calls[-1] == (2, 2) and len(calls) == 3
    assert {b.page for b in source.blocks} == {1, 2}
    page1 = "\n".join(b.text for b in source.blocks if b.page == 1)
    page2 = "\n".join(b.text for b in source.blocks if b.page == 2)
    assert "Kế hoạch" in unicodedata.normalize("NFC", page1)
    expected1 = "\n".join([*PAGE1, *(" ".join(r) for r in TABLE), AFTER_TABLE])
    assert share_found(expected1, page1) >= 0.8, page1
    assert share_found("\n".join(PAGE2), page2) >= 0.8, page2
    confidence = ocr.ocr_confidence(source)
    assert set(confidence) == {1, 2} and all(50 < c <= 100 for c in confidence.values())
    assert any("OCR" in w and "1, 2" in w for w in source.warnings)


@pytest.mark.slow
def test_mixed_pdf_ocrs_only_the_scanned_page(scans: dict[str, Path]) -> None:
    need_ocr()

    source = read_source(scans["mixed"])

    assert PAGE1[2] in texts(source)  # page 1 from its text layer, verbatim
    assert [b.cells for b in source.blocks if b.kind == "table_row"] == TABLE
    assert set(ocr.ocr_confidence(source)) == {2}
    page2 = "\n".join(b.text for b in source.blocks if b.page == 2)
    assert share_found("\n".join(PAGE2), page2) >= 0.8, page2


@pytest.mark.slow
def test_ocr_always_reads_every_page_from_its_image(pdfs: dict[str, Path]) -> None:
    need_ocr()

    source = read_source(pdfs["text"], ocr="always")

    assert set(ocr.ocr_confidence(source)) == {1, 2}
    assert not any(b.kind == "table_row" for b in source.blocks)
    assert any(w.startswith("all pages read with OCR") for w in source.warnings)
    assert share_found("\n".join(PAGE2), "\n".join(texts(source))) >= 0.8


@pytest.mark.slow
def test_png_is_read_with_ocr(scans: dict[str, Path], tmp_path: Path) -> None:
    need_ocr()

    source = read_source(scans["png"])

    assert source.format == "png" and {b.page for b in source.blocks} == {1}
    assert share_found("\n".join(PAGE2), "\n".join(texts(source))) >= 0.8
    assert set(ocr.ocr_confidence(source)) == {1}
    # The same image as JPEG under a .jpeg name, and as a two-page TIFF.
    image = Image.open(scans["png"]).convert("RGB")
    image.save(tmp_path / "page.jpeg", quality=90)
    image.save(tmp_path / "pages.tif", save_all=True, append_images=[image], compression="tiff_lzw")
    jpeg = read_source(tmp_path / "page.jpeg")
    assert jpeg.format == "jpeg" and share_found("\n".join(PAGE2), "\n".join(texts(jpeg))) >= 0.8
    tiff = read_source(tmp_path / "pages.tif")
    assert tiff.format == "tiff" and {b.page for b in tiff.blocks} == {1, 2}


@pytest.mark.slow
def test_a_page_over_its_timeout_is_reported_not_fatal(scans: dict[str, Path]) -> None:
    need_ocr()

    (page,) = ocr.ocr_pdf_pages(scans["pdf"].read_bytes(), [2], timeout=0.01)

    assert page.page == 2 and page.lines == () and "took more than" in (page.error or "")
    blocks, notes = ocr.page_blocks([page])
    assert blocks == [] and notes == [f"page 2: OCR failed ({page.error}); its text is missing"]


@pytest.mark.slow
def test_damaged_image_is_corrupt(tmp_path: Path) -> None:
    need_ocr()
    path = tmp_path / "broken.png"
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 200)

    with pytest.raises(CorruptFileError) as info:
        read_source(path)

    assert info.value.path == str(path) and "\n" not in str(info.value)


# ------------------------------------------------------------------------------------------
# Legacy encodings: an independent reverse mapping for the tests
# ------------------------------------------------------------------------------------------

# TCVN3 as printed in conversion tables: each vowel's codes for no tone, grave, acute, hook,
# tilde, dot (for a, ă, â, e, ê, i, o, ô, ơ, u, ư, y); the letters as Latin-1 characters.
_TCVN3_ROWS = {
    "a": "aµ¸¶·¹",
    "ă": "¨»¾¼½Æ",
    "â": "©ÇÊÈÉË",
    "e": "eÌÐÎÏÑ",
    "ê": "ªÒÕÓÔÖ",
    "i": "i×ÝØÜÞ",
    "o": "oßãáâä",
    "ô": "«åèæçé",
    "ơ": "¬êíëìî",
    "u": "uïóñòô",
    "ư": "\xadõøö÷ù",
    "y": "yúýûüþ",
}
_TCVN3_CAPS = {"Ă": "¡", "Â": "¢", "Ê": "£", "Ô": "¤", "Ơ": "¥", "Ư": "¦", "Đ": "§", "đ": "®"}
_TONE_ORDER = ("", "\u0300", "\u0301", "\u0309", "\u0303", "\u0323")
# VNI: tone codes after the vowel; ă, â, ê, ô combine with the tone in one code.
_VNI_TONES = {"": "", "\u0300": "ø", "\u0301": "ù", "\u0309": "û", "\u0303": "õ", "\u0323": "ï"}
_VNI_HAT = {"â": "âàáåãä", "ê": "âàáåãä", "ô": "âàáåãä", "ă": "êèéúüë"}
_VNI_I = {"": "i", "\u0300": "ì", "\u0301": "í", "\u0309": "æ", "\u0303": "ó", "\u0323": "ò"}


def _split(ch: str) -> tuple[str, str]:
    """(letter without tone, tone mark) of a Vietnamese letter."""
    nfd = unicodedata.normalize("NFD", ch)
    tone = next((m for m in nfd if m in _TONE_ORDER[1:]), "")
    return unicodedata.normalize("NFC", nfd.replace(tone, "")) if tone else ch, tone


def tcvn3(text: str) -> str:
    """Encode lowercase-toned Vietnamese in TCVN3 (capitals only for the toneless seven)."""
    out = []
    for ch in unicodedata.normalize("NFC", text):
        base, tone = _split(ch)
        if ch in _TCVN3_CAPS:
            out.append(_TCVN3_CAPS[ch])
        elif base in _TCVN3_ROWS:
            out.append(_TCVN3_ROWS[base][_TONE_ORDER.index(tone)])
        else:
            out.append(ch)
    return "".join(out)


def vni(text: str) -> str:
    """Encode Vietnamese in VNI (capital letters take the capital codes)."""
    out = []
    for ch in unicodedata.normalize("NFC", text):
        upper = ch.isupper()
        base, tone = _split(ch.lower())
        if base == "đ":
            code = "ñ"
        elif base == "i":
            code = _VNI_I[tone]
        elif base == "y" and tone == "\u0323":
            code = "î"
        elif base in ("ơ", "ư"):
            code = {"ơ": "ô", "ư": "ö"}[base] + _VNI_TONES[tone]
        elif base in _VNI_HAT:
            plain = unicodedata.normalize("NFD", base)[0]
            code = plain + _VNI_HAT[base][_TONE_ORDER.index(tone)]
        elif base in "aeouy" and tone:
            code = base + _VNI_TONES[tone]
        else:
            code = ch.lower()
        out.append(code.upper() if upper else code)
    return "".join(out)


VIETNAMESE = (
    "Đảng ủy Khối các cơ quan tỉnh tổ chức tổng kết phong trào thi đua yêu nước năm 2023;\n"
    "khen thưởng 12 tập thể và 35 cá nhân có thành tích xuất sắc, người được Bằng khen\n"
    "của Thủ tướng Chính phủ: quyết định số 168-QĐ/ĐUK ngày 15/12/2023, đạt 98,5%.\n"
    "Nguyễn Thị Huyền, Trường Tiểu học Âu Cơ, huyện Yên Sơn; khuyến khích, giữ gìn."
)


def test_known_tcvn3_and_vni_spellings() -> None:
    assert convert("KÕ ho¹ch", "tcvn3") == "Kế hoạch"
    assert (
        convert("Céng hoµ x· héi chñ nghÜa ViÖt Nam", "tcvn3")
        == "Cộng hoà xã hội chủ nghĩa Việt Nam"
    )
    assert convert("§éc lËp - Tù do - H¹nh phóc", "tcvn3") == "Độc lập - Tự do - Hạnh phúc"
    assert convert("céng hoµ x· héi", "tcvn3", upper=True) == "CỘNG HOÀ XÃ HỘI"
    assert convert("Keá hoaïch", "vni") == "Kế hoạch"
    assert (
        convert("Coäng hoøa xaõ hoäi chuû nghóa Vieät Nam", "vni")
        == "Cộng hòa xã hội chủ nghĩa Việt Nam"
    )
    assert convert("Ñoäc laäp - Töï do - Haïnh phuùc", "vni") == "Độc lập - Tự do - Hạnh phúc"
    assert convert("NGÖÔØI VIEÄT", "vni") == "NGƯỜI VIỆT"


def test_the_encoders_agree_with_the_known_spellings() -> None:
    assert tcvn3("Kế hoạch") == "KÕ ho¹ch" and vni("Kế hoạch") == "Keá hoaïch"


@pytest.mark.parametrize("encoding", ["tcvn3", "vni"])
def test_every_vietnamese_letter_round_trips(encoding: str) -> None:
    letters = (
        "".join(unicodedata.normalize("NFC", v + t) for v in "aăâeêioôơuưy" for t in _TONE_ORDER)
        + "đĐĂÂÊÔƠƯ"
    )
    encode = tcvn3 if encoding == "tcvn3" else vni
    spaced = " ".join(letters)

    assert convert(encode(spaced), encoding) == spaced
    if encoding == "vni":
        assert convert(encode(spaced.upper()), encoding) == spaced.upper()


@pytest.mark.parametrize("encoding", ["tcvn3", "vni"])
def test_legacy_txt_is_detected_and_converted(tmp_path: Path, encoding: str) -> None:
    encode = tcvn3 if encoding == "tcvn3" else vni
    path = tmp_path / f"{encoding}.txt"
    path.write_bytes(encode(VIETNAMESE).replace("\n", "\r\n").encode("cp1252"))

    source = read_source(path)

    assert source.encoding == encoding
    assert "\n".join(texts(source)) == VIETNAMESE
    assert any(encoding.upper() in w for w in source.warnings)


def test_utf8_text_holding_tcvn3_characters_is_converted() -> None:
    source = read_txt("copied.txt", tcvn3(VIETNAMESE).encode("utf-8"))

    assert source.encoding == "tcvn3" and "\n".join(texts(source)) == VIETNAMESE


def test_unicode_and_windows_1258_text_are_left_alone() -> None:
    assert read_txt("u.txt", VIETNAMESE.encode("utf-8")).encoding == "utf-8"
    assert detect(VIETNAMESE) is None
    assert detect("Cà phê và bánh mì, mùa hè") is None
    assert detect("Un été très chaud à Paris, déjà là-bas, où l'on crée") is None
    # Windows-1258 writes ê, ơ ... precomposed and the tone as a combining mark.
    decomposed = "".join(b + t for b, t in map(_split, "Cà phê và bánh mì, mùa hè ở Hà Nội"))
    assert read_txt("w.txt", decomposed.encode("cp1258")).encoding == "cp1258"


def test_font_names() -> None:
    assert encoding_of_font(".VnTime") == ("tcvn3", False)
    assert encoding_of_font(".VnTimeH") == ("tcvn3", True)
    assert encoding_of_font(".VnArial NarrowH") == ("tcvn3", True)
    assert encoding_of_font("VNI-Times") == ("vni", False)
    assert encoding_of_font("VNI-Helve-Condense") == ("vni", False)
    assert encoding_of_font("Times New Roman") is None and encoding_of_font(None) is None


# ------------------------------------------------------------------------------------------
# Legacy fonts in .docx
# ------------------------------------------------------------------------------------------


def docx_bytes(document: docx.Document) -> bytes:
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def test_docx_run_in_vntime_next_to_a_unicode_run() -> None:
    document = docx.Document()
    paragraph = document.add_paragraph()
    paragraph.add_run(tcvn3("Kế hoạch thi đua")).font.name = ".VnTime"
    paragraph.add_run(" năm 2024 của Sở Giáo dục và Đào tạo")  # Unicode, default font
    document.add_paragraph().add_run(tcvn3("cộng hoà xã hội")).font.name = ".VnTimeH"
    document.add_paragraph().add_run(vni("Độc lập - Tự do - Hạnh phúc")).font.name = "VNI-Times"
    # A Unicode run left in a legacy font (converted with Unikey, font kept) stays as it is.
    document.add_paragraph().add_run("Người được khen thưởng").font.name = ".VnTime"

    source = read_docx("mixed.docx", docx_bytes(document))

    assert texts(source) == [
        "Kế hoạch thi đua năm 2024 của Sở Giáo dục và Đào tạo",
        "CỘNG HOÀ XÃ HỘI",
        "Độc lập - Tự do - Hạnh phúc",
        "Người được khen thưởng",
    ]
    assert source.encoding == "tcvn3+vni"
    assert any("TCVN3" in w and "VNI" in w for w in source.warnings)


def test_docx_legacy_font_from_the_style_and_a_direct_override() -> None:
    document = docx.Document()
    document.styles["Normal"].font.name = ".VnTime"
    document.add_paragraph(tcvn3("Đảng ủy Khối các cơ quan tỉnh"))
    paragraph = document.add_paragraph()
    paragraph.add_run(tcvn3("Tổng số: "))
    paragraph.add_run("mười hai").font.name = "Times New Roman"

    source = read_docx("styled.docx", docx_bytes(document))

    assert texts(source) == ["Đảng ủy Khối các cơ quan tỉnh", "Tổng số: mười hai"]
    assert source.encoding == "tcvn3"


def test_docx_without_legacy_fonts_is_unchanged() -> None:
    document = docx.Document()
    document.add_paragraph("Cà phê µ ¸ ¶").runs[0].font.name = "Arial"

    source = read_docx("plain.docx", docx_bytes(document))

    assert texts(source) == ["Cà phê µ ¸ ¶"] and source.encoding is None
