"""The readers: .docx and .txt files become Sources, bad files become one-line BaocaoErrors."""

from __future__ import annotations

import hashlib
import random
import sys
import time
import types
import unicodedata
import zipfile
from pathlib import Path

import docx
import pytest
from docx.enum.text import WD_ALIGN_PARAGRAPH
from readers_fixtures import (
    BILLION_LAUGHS,
    abstract,
    declared_size_bomb,
    document_xml,
    level,
    make_docx,
    num,
    numbered,
    ole_file,
    p,
    ratio_bomb,
    rewrite_zip,
    table,
    tc,
    template_bytes,
)

from extractors.readers import SUPPORTED_SUFFIXES, read_source
from schemas.errors import (
    BaocaoError,
    CorruptFileError,
    EmptyFileError,
    EncryptedFileError,
    ResourceLimitError,
    UnknownEncodingError,
    UnreadableFileError,
    UnsupportedFormatError,
)
from schemas.models import Block, Source

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"
VI = (
    "Báo cáo kết quả công tác thi đua, khen thưởng năm 2023 của Đảng ủy Khối: "
    "tập thể được tặng Bằng khen; việc học tập được đẩy mạnh."
)


def texts(source: Source) -> list[str]:
    return [b.text for b in source.blocks]


def body(tmp_path: Path, xml: str, **kwargs) -> Source:
    return read_source(make_docx(tmp_path / "doc.docx", xml, **kwargs))


# ------------------------------------------------------------------------------------------
# .docx: order, tables, merged cells
# ------------------------------------------------------------------------------------------


def test_borderless_header_table_and_paragraphs_keep_document_order(tmp_path: Path) -> None:
    document = docx.Document()
    document.add_paragraph("Trước bảng")
    header = document.add_table(rows=1, cols=2)  # no table style: no borders
    left, right = header.rows[0].cells
    left.paragraphs[0].text = "ĐẢNG BỘ TỈNH HÒA AN"
    left.add_paragraph("ĐẢNG ỦY KHỐI CÁC CƠ QUAN TỈNH")
    right.paragraphs[0].text = "ĐẢNG CỘNG SẢN VIỆT NAM"
    right.add_paragraph("")
    right.add_paragraph("Hòa An, ngày 08 tháng 7 năm 2022")
    title = document.add_paragraph()
    title.add_run("BÁO CÁO").bold = True
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    document.add_paragraph("Nội dung báo cáo.")
    path = tmp_path / "header.docx"
    document.save(str(path))

    source = read_source(path)

    assert source.format == "docx"
    assert [b.kind for b in source.blocks] == ["paragraph", "table_row", "paragraph", "paragraph"]
    row = source.blocks[1]
    assert row.table == 0 and row.row == 0
    assert row.cells == (
        "ĐẢNG BỘ TỈNH HÒA AN\nĐẢNG ỦY KHỐI CÁC CƠ QUAN TỈNH",
        "ĐẢNG CỘNG SẢN VIỆT NAM\nHòa An, ngày 08 tháng 7 năm 2022",
    )
    assert row.text == "\t".join(row.cells)
    assert texts(source)[2:] == ["BÁO CÁO", "Nội dung báo cáo."]
    assert source.blocks[2].bold and source.blocks[2].centered
    assert not source.blocks[3].bold and not source.blocks[3].centered


def test_merged_cells_appear_once_and_vertical_merges_repeat_the_text_above(
    tmp_path: Path,
) -> None:
    restart, cont = '<w:vMerge w:val="restart"/>', "<w:vMerge/>"
    xml = table(
        tc(p("TT"), restart)
        + tc(p("Hình thức"), restart)
        + tc(p("Số lượng"), '<w:gridSpan w:val="2"/>'),
        tc(p(), cont) + tc(p(), cont) + tc(p("Tập thể")) + tc(p("Cá nhân")),
        tc(p("1")) + tc(p("Bằng khen"), restart) + tc(p("03")) + tc(p("05")),
        tc(p("2")) + tc(p(), '<w:vMerge w:val="continue"/>') + tc(p("01")) + tc(p("02")),
    ) + p("Sau bảng")

    source = body(tmp_path, xml)

    rows = [b for b in source.blocks if b.kind == "table_row"]
    assert [r.cells for r in rows] == [
        ("TT", "Hình thức", "Số lượng"),
        ("TT", "Hình thức", "Tập thể", "Cá nhân"),
        ("1", "Bằng khen", "03", "05"),
        ("2", "Bằng khen", "01", "02"),
    ]
    assert [(r.table, r.row) for r in rows] == [(0, 0), (0, 1), (0, 2), (0, 3)]
    assert all(r.text.split("\t") == list(r.cells) for r in rows)
    assert source.blocks[-1].text == "Sau bảng"


def test_nested_table_is_flattened_into_its_cell(tmp_path: Path) -> None:
    inner = table(tc(p("- Như trên;")) + tc(p("01 bản")), tc(p("- Lưu: VT.")) + tc(p()))
    xml = table(tc(p("Nơi nhận:") + inner + p()) + tc(p("CHỦ TỊCH")))

    (row,) = body(tmp_path, xml).blocks

    assert row.cells == ("Nơi nhận:\n- Như trên; | 01 bản\n- Lưu: VT.", "CHỦ TỊCH")


def test_tables_are_numbered_in_document_order(tmp_path: Path) -> None:
    xml = table(tc(p("a"))) + p("giữa") + table(tc(p("b")), tc(p("c")))

    source = body(tmp_path, xml)

    assert [(b.table, b.row, b.text) for b in source.blocks] == [
        (0, 0, "a"),
        (None, None, "giữa"),
        (1, 0, "b"),
        (1, 1, "c"),
    ]


# ------------------------------------------------------------------------------------------
# .docx: what counts as a paragraph's text
# ------------------------------------------------------------------------------------------


def test_content_controls_are_read_at_block_and_run_level(tmp_path: Path) -> None:
    xml = (
        "<w:sdt><w:sdtPr/><w:sdtContent>" + p("Khối nội dung") + "</w:sdtContent></w:sdt>"
        '<w:p><w:r><w:t xml:space="preserve">Ngày </w:t></w:r><w:sdt><w:sdtPr/><w:sdtContent>'
        "<w:r><w:t>08/7/2022</w:t></w:r></w:sdtContent></w:sdt></w:p>"
    )

    assert texts(body(tmp_path, xml)) == ["Khối nội dung", "Ngày 08/7/2022"]


def test_tracked_insertion_is_kept_and_deletion_dropped(tmp_path: Path) -> None:
    xml = (
        '<w:p><w:r><w:t xml:space="preserve">Kết nạp </w:t></w:r>'
        '<w:del w:id="1" w:author="A"><w:r><w:delText>15</w:delText></w:r></w:del>'
        '<w:ins w:id="2" w:author="A"><w:r><w:t>18</w:t></w:r></w:ins>'
        '<w:r><w:t xml:space="preserve"> đảng viên</w:t></w:r></w:p>'
    )

    assert texts(body(tmp_path, xml)) == ["Kết nạp 18 đảng viên"]


def test_hyperlink_smart_tag_and_field_results_are_kept(tmp_path: Path) -> None:
    xml = (
        '<w:p><w:r><w:t xml:space="preserve">Xem </w:t></w:r>'
        '<w:hyperlink r:id="rId99"><w:r><w:t>Cổng thông tin</w:t></w:r></w:hyperlink>'
        '<w:r><w:t xml:space="preserve"> tại </w:t></w:r>'
        '<w:smartTag w:uri="urn:x" w:element="place"><w:r><w:t>Hà Nội</w:t></w:r></w:smartTag>'
        '<w:r><w:t xml:space="preserve">, </w:t></w:r>'
        '<w:r><w:fldChar w:fldCharType="begin"/></w:r>'
        '<w:r><w:instrText xml:space="preserve"> REF _Ref1 \\h </w:instrText></w:r>'
        '<w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>mục II</w:t></w:r>'
        '<w:r><w:fldChar w:fldCharType="end"/></w:r>'
        '<w:r><w:t xml:space="preserve">, trang </w:t></w:r>'
        '<w:fldSimple w:instr=" PAGE "><w:r><w:t>5</w:t></w:r></w:fldSimple></w:p>'
    )

    assert texts(body(tmp_path, xml)) == ["Xem Cổng thông tin tại Hà Nội, mục II, trang 5"]


def test_text_box_is_read_once_right_after_its_anchor(tmp_path: Path) -> None:
    def box(text: str) -> str:
        return f"<w:txbxContent>{p(text)}</w:txbxContent>"

    xml = (
        '<w:p><w:r><w:t xml:space="preserve">Neo</w:t></w:r><w:r><mc:AlternateContent>'
        '<mc:Choice Requires="wps"><w:drawing><wp:anchor><a:graphic><a:graphicData uri="x">'
        f"<wps:wsp><wps:txbx>{box('Trong hộp')}</wps:txbx></wps:wsp>"
        "</a:graphicData></a:graphic></wp:anchor></w:drawing></mc:Choice>"
        f"<mc:Fallback><w:pict><v:shape><v:textbox>{box('Trong hộp')}</v:textbox></v:shape>"
        "</w:pict></mc:Fallback></mc:AlternateContent></w:r>"
        '<w:r><w:t xml:space="preserve"> tiếp</w:t></w:r></w:p>'
        f"<w:p><w:r><w:pict><v:shape><v:textbox>{box('Hộp VML')}</v:textbox></v:shape>"
        "</w:pict></w:r></w:p>" + p("Sau")
    )

    assert texts(body(tmp_path, xml)) == ["Neo tiếp", "Trong hộp", "", "Hộp VML", "Sau"]


def test_tabs_breaks_hyphens_and_symbols_are_rendered(tmp_path: Path) -> None:
    xml = (
        "<w:p><w:r><w:t>A</w:t><w:tab/><w:t>B</w:t><w:br/><w:t>C</w:t><w:noBreakHyphen/>"
        '<w:t>D</w:t><w:softHyphen/><w:sym w:font="Symbol" w:char="F0B7"/><w:t>E</w:t>'
        '<w:br w:type="page"/></w:r></w:p>'
        "<w:p><w:r><w:t>ẩn</w:t></w:r><w:r><w:rPr><w:vanish/></w:rPr><w:t>kín</w:t></w:r></w:p>"
    )

    assert texts(body(tmp_path, xml)) == ["A\tB\nC-D•E", "ẩn"]


def test_empty_paragraphs_are_kept(tmp_path: Path) -> None:
    assert texts(body(tmp_path, p("a") + p() + p("b"))) == ["a", "", "b"]


def test_page_headers_and_footers_follow_the_body_marked_as_such(tmp_path: Path) -> None:
    document = docx.Document()
    document.sections[0].header.paragraphs[0].text = "ĐẦU TRANG"
    document.sections[0].footer.paragraphs[0].text = "CHÂN TRANG"
    document.add_paragraph("Nội dung")
    path = tmp_path / "hf.docx"
    document.save(str(path))

    source = read_source(path)

    assert texts(source) == ["Nội dung", "ĐẦU TRANG", "CHÂN TRANG"]
    assert [b.style for b in source.blocks[1:]] == ["page header", "page footer"]


def test_bold_centered_and_style_name_come_from_runs_and_styles(tmp_path: Path) -> None:
    xml = (
        p("Tiêu đề", '<w:pStyle w:val="Title"/>')
        + p("Mục lớn", '<w:pStyle w:val="Heading1"/><w:jc w:val="center"/>')
        + '<w:p><w:r><w:rPr><w:b/></w:rPr><w:t xml:space="preserve">Đậm </w:t></w:r>'
        '<w:r><w:t xml:space="preserve"> </w:t></w:r>'
        "<w:r><w:rPr><w:b/></w:rPr><w:t>cả câu</w:t></w:r></w:p>"
        + '<w:p><w:r><w:rPr><w:b/></w:rPr><w:t xml:space="preserve">Đậm </w:t></w:r>'
        "<w:r><w:t>một nửa</w:t></w:r></w:p>"
        + p("Không đậm", '<w:pStyle w:val="Heading1"/>', '<w:b w:val="0"/>')
    )

    blocks = body(tmp_path, xml).blocks

    assert [(b.style, b.bold, b.centered) for b in blocks] == [
        ("Title", False, False),
        ("Heading 1", True, True),
        ("Normal", True, False),
        ("Normal", False, False),
        ("Heading 1", False, False),
    ]


# ------------------------------------------------------------------------------------------
# .docx: automatic numbering
# ------------------------------------------------------------------------------------------

NUMBERING = (
    abstract(
        0, level(0, "upperRoman", "%1."), level(1, "decimal", "%2."), level(2, "lowerLetter", "%3)")
    )
    + abstract(
        1,
        level(0, "decimal", "%1."),
        level(1, "decimal", "%1.%2."),
        level(2, "decimal", "%1.%2.%3."),
    )
    + abstract(2, level(0, "bullet", "\uf0b7"), level(1, "bullet", "-"))
    + abstract(3, level(0, "decimal", "Điều %1.", pstyle="Dieu"))
    + num(1, 0)
    + num(2, 1, '<w:lvlOverride w:ilvl="0"><w:startOverride w:val="3"/></w:lvlOverride>')
    + num(3, 2)
    + num(4, 3)
    + num(5, 0)  # a second instance of abstract 0: Word continues its counters
)
DIEU_STYLE = (
    '<w:style w:type="paragraph" w:styleId="Dieu"><w:name w:val="Điều"/>'
    '<w:basedOn w:val="Normal"/><w:pPr><w:numPr><w:numId w:val="4"/></w:numPr></w:pPr>'
    "<w:rPr><w:b/></w:rPr></w:style>"
)


def test_auto_numbering_renders_roman_decimal_and_letter_labels(tmp_path: Path) -> None:
    xml = "".join(
        [
            numbered("KẾT QUẢ", 1, 0),
            numbered("Công tác chính trị", 1, 1),
            numbered("Học tập", 1, 2),
            numbered("Tuyên truyền", 1, 2),
            numbered("Công tác tổ chức", 1, 1),
            numbered("Phát triển đảng viên", 1, 2),
            numbered("NHIỆM VỤ", 5, 0),
            numbered("Nhiệm vụ chung", 1, 1),
        ]
    )

    source = body(tmp_path, xml, numbering=NUMBERING)

    assert [b.label for b in source.blocks] == ["I.", "1.", "a)", "b)", "2.", "a)", "II.", "1."]
    assert texts(source)[:3] == ["I. KẾT QUẢ", "1. Công tác chính trị", "a) Học tập"]


def test_auto_numbering_renders_multilevel_labels_with_start_override(tmp_path: Path) -> None:
    xml = "".join(
        numbered(t, 2, lvl)
        for t, lvl in [("A", 0), ("B", 1), ("C", 2), ("D", 2), ("E", 1), ("F", 2)]
    )

    source = body(tmp_path, xml, numbering=NUMBERING)

    assert texts(source) == ["3. A", "3.1. B", "3.1.1. C", "3.1.2. D", "3.2. E", "3.2.1. F"]


def test_bullets_get_a_dash_prefix(tmp_path: Path) -> None:
    source = body(tmp_path, numbered("chấm", 3, 0) + numbered("gạch", 3, 1), numbering=NUMBERING)

    assert [(b.label, b.text) for b in source.blocks] == [("•", "- chấm"), ("-", "- gạch")]


def test_numbering_inherited_from_the_paragraph_style(tmp_path: Path) -> None:
    dieu = '<w:pStyle w:val="Dieu"/>'
    xml = (
        p("Phạm vi điều chỉnh", dieu)
        + p("Đối tượng áp dụng", dieu)
        + p("Không số", dieu + '<w:numPr><w:numId w:val="0"/></w:numPr>')
    )

    source = body(tmp_path, xml, numbering=NUMBERING, extra_styles=DIEU_STYLE)

    assert texts(source) == ["Điều 1. Phạm vi điều chỉnh", "Điều 2. Đối tượng áp dụng", "Không số"]
    assert [b.style for b in source.blocks] == ["Điều"] * 3
    assert all(b.bold for b in source.blocks)


def test_heading_styles_linked_to_list_levels_are_numbered(tmp_path: Path) -> None:
    numbering = abstract(
        0,
        level(0, "upperRoman", "%1.", pstyle="Heading1"),
        level(1, "decimal", "%2.", pstyle="Heading2"),
    ) + num(7, 0)
    linked = '<w:pPr><w:numPr><w:numId w:val="7"/></w:numPr></w:pPr></w:style>'
    styles = (
        '<w:style w:type="paragraph" w:styleId="Heading1"><w:name w:val="heading 1"/>'
        + linked
        + '<w:style w:type="paragraph" w:styleId="Heading2"><w:name w:val="heading 2"/>'
        + linked
    )
    h1, h2 = '<w:pStyle w:val="Heading1"/>', '<w:pStyle w:val="Heading2"/>'
    xml = p("A", h1) + p("B", h2) + p("C", h2) + p("D", h1) + p("E", h2) + p("F", h2)

    source = body(tmp_path, xml, numbering=numbering, extra_styles=styles)

    assert texts(source) == ["I. A", "1. B", "2. C", "II. D", "1. E", "2. F"]
    assert [b.style for b in source.blocks] == ["Heading 1", "Heading 2", "Heading 2"] * 2


def test_numbered_paragraphs_inside_table_cells_get_labels(tmp_path: Path) -> None:
    xml = table(*(tc(numbered("", 1, 1)) + tc(p(name)) for name in ("Bằng khen", "Giấy khen")))

    source = body(tmp_path, xml, numbering=NUMBERING)

    assert [b.cells for b in source.blocks] == [("1.", "Bằng khen"), ("2.", "Giấy khen")]


# ------------------------------------------------------------------------------------------
# .txt
# ------------------------------------------------------------------------------------------


def cp1258_bytes(text: str) -> bytes:
    """Windows-1258 spelling: precomposed base letters (â, ơ, ư...) plus combining tone marks."""
    tones = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}
    out = []
    for ch in unicodedata.normalize("NFC", text):
        parts = unicodedata.normalize("NFD", ch)
        base = unicodedata.normalize("NFC", "".join(c for c in parts if c not in tones))
        out.append(base + "".join(c for c in parts if c in tones))
    return "".join(out).encode("cp1258")


TXT = VI + "\nDòng hai\n"


@pytest.mark.parametrize(
    ("raw", "encoding"),
    [
        pytest.param(TXT.encode("utf-8"), "utf-8", id="utf-8"),
        pytest.param(b"\xef\xbb\xbf" + TXT.encode("utf-8"), "utf-8-sig", id="utf-8-bom"),
        pytest.param(b"\xff\xfe" + TXT.encode("utf-16-le"), "utf-16-le", id="utf-16-le-bom"),
        pytest.param(b"\xfe\xff" + TXT.encode("utf-16-be"), "utf-16-be", id="utf-16-be-bom"),
        pytest.param(TXT.encode("utf-16-le"), "utf-16-le", id="utf-16-le-no-bom"),
        pytest.param(TXT.encode("utf-16-be"), "utf-16-be", id="utf-16-be-no-bom"),
        pytest.param(cp1258_bytes(TXT), "cp1258", id="windows-1258"),
    ],
)
def test_txt_encoding_is_detected(tmp_path: Path, raw: bytes, encoding: str) -> None:
    path = tmp_path / "report.txt"
    path.write_bytes(raw)

    source = read_source(path)

    assert source.encoding == encoding
    assert source.format == "txt"
    assert [unicodedata.normalize("NFC", t) for t in texts(source)] == [VI, "Dòng hai"]


def test_windows_1258_text_keeps_its_combining_tone_marks(tmp_path: Path) -> None:
    path = tmp_path / "cp.txt"
    path.write_bytes(cp1258_bytes("Đảng ủy được tặng Bằng khen"))

    (block,) = read_source(path).blocks

    assert "\u0323" in block.text and "\u0309" in block.text  # NFC is a later stage's job
    assert unicodedata.normalize("NFC", block.text) == "Đảng ủy được tặng Bằng khen"


def test_txt_lines_become_paragraphs_and_tabs_stay(tmp_path: Path) -> None:
    path = tmp_path / "lines.txt"
    path.write_bytes("Dòng 1\r\nCột A\tCột B\r\n\r\nDòng 3\n\fTrang hai\n".encode())

    source = read_source(path)

    assert texts(source) == ["Dòng 1", "Cột A\tCột B", "", "Dòng 3", "Trang hai"]
    assert all(b.kind == "paragraph" for b in source.blocks)
    assert [b.page for b in source.blocks] == [1, 1, 1, 1, 2]


@pytest.mark.parametrize(
    "raw",
    [
        pytest.param(random.Random(0).randbytes(4096), id="random-binary"),
        pytest.param("Größe der Übungsräume für Schüler".encode("cp1252"), id="german-cp1252"),
        pytest.param(VI.encode("utf-8")[:-3] + b"\xff\xfe\x81", id="broken-utf-8"),
    ],
)
def test_txt_in_an_unknown_encoding_is_refused(tmp_path: Path, raw: bytes) -> None:
    path = tmp_path / "mystery.txt"
    path.write_bytes(raw)

    with pytest.raises(UnknownEncodingError) as info:
        read_source(path)

    assert_one_line(info.value, path, "E005")


# ------------------------------------------------------------------------------------------
# Dispatch and bad files
# ------------------------------------------------------------------------------------------


def assert_one_line(error: BaocaoError, path: Path, code: str) -> None:
    assert error.code == code
    assert path.name in str(error)
    assert "\n" not in str(error) and "\n" not in error.message
    assert error.path == str(path) and error.stage == "read"


def _zip_without_document(path: Path) -> None:
    path.write_bytes(rewrite_zip(template_bytes(), {}, drop=("word/document.xml",)))


def _bad_xml(path: Path) -> None:
    path.write_bytes(rewrite_zip(template_bytes(), {"word/document.xml": b"<w:document><w:bo"}))


BAD_FILES = [
    ("empty.docx", lambda p: p.write_bytes(b""), EmptyFileError),
    ("empty.txt", lambda p: p.write_bytes(b""), EmptyFileError),
    ("blank.txt", lambda p: p.write_bytes(b"\xef\xbb\xbf \r\n\t\n"), EmptyFileError),
    ("no-text.docx", lambda p: make_docx(p, p_empty()), EmptyFileError),
    ("junk.docx", lambda p: p.write_bytes(b"this is not a word file" * 10), CorruptFileError),
    ("truncated.docx", lambda p: p.write_bytes(template_bytes()[:3000]), CorruptFileError),
    ("no-document.docx", _zip_without_document, CorruptFileError),
    ("bad-xml.docx", _bad_xml, CorruptFileError),
    ("rtf.docx", lambda p: p.write_bytes(b"{\\rtf1\\ansi hello}"), CorruptFileError),
    ("encrypted.docx", lambda p: p.write_bytes(ole_file()), EncryptedFileError),
    ("encrypted.doc", lambda p: p.write_bytes(ole_file()), EncryptedFileError),
    ("rtf.doc", lambda p: p.write_bytes(b"{\\rtf1\\ansi hello}"), UnsupportedFormatError),
    ("zip.txt", lambda p: p.write_bytes(template_bytes()), UnsupportedFormatError),
    ("report.pdf", lambda p: p.write_bytes(b"%PDF-1.7"), CorruptFileError),
    ("README", lambda p: p.write_bytes(b"hello"), UnsupportedFormatError),
    (
        "declared-bomb.docx",
        lambda p: p.write_bytes(declared_size_bomb(300 << 20)),
        ResourceLimitError,
    ),
    ("ratio-bomb.docx", lambda p: p.write_bytes(ratio_bomb(24 << 20)), ResourceLimitError),
    (
        "laughs.docx",
        lambda p: p.write_bytes(
            rewrite_zip(template_bytes(), {"word/document.xml": BILLION_LAUGHS})
        ),
        ResourceLimitError,
    ),
    ("missing.docx", lambda p: None, UnreadableFileError),
    ("folder.docx", lambda p: p.mkdir(), UnreadableFileError),
]


def p_empty() -> str:
    return p() + p()


@pytest.mark.parametrize(
    ("name", "build", "error"), BAD_FILES, ids=[name for name, _, _ in BAD_FILES]
)
def test_bad_file_raises_a_one_line_error(tmp_path: Path, name: str, build, error) -> None:
    path = tmp_path / name
    build(path)
    started = time.perf_counter()

    with pytest.raises(error) as info:
        read_source(path)

    assert type(info.value) is error
    assert_one_line(info.value, path, error.code)
    assert time.perf_counter() - started < 2.0


def test_permission_denied_is_unreadable(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "locked.docx"
    path.write_bytes(b"x")

    def deny(self: Path) -> bytes:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(Path, "read_bytes", deny)
    with pytest.raises(UnreadableFileError) as info:
        read_source(path)

    assert_one_line(info.value, path, "E006")
    assert "permission" in info.value.message


def test_error_carries_the_sha256_of_the_bytes_read(tmp_path: Path) -> None:
    path = tmp_path / "junk.docx"
    path.write_bytes(b"junk")

    with pytest.raises(CorruptFileError) as info:
        read_source(path)

    assert info.value.sha256 == hashlib.sha256(b"junk").hexdigest()


def test_source_records_sha256_size_and_path(tmp_path: Path) -> None:
    path = make_docx(tmp_path / "a.docx", p("xin chào"))
    raw = path.read_bytes()

    source = read_source(str(path))

    assert (source.path, source.size) == (str(path), len(raw))
    assert source.sha256 == hashlib.sha256(raw).hexdigest()
    assert isinstance(source.blocks[0], Block)


def test_docx_content_named_doc_is_read_as_docx(tmp_path: Path) -> None:
    path = make_docx(tmp_path / "really.doc", p("Nội dung"))

    source = read_source(path)

    assert source.format == "docx" and texts(source) == ["Nội dung"]
    assert any(".docx" in w for w in source.warnings)


def test_doc_goes_to_the_word97_reader_when_one_exists(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls = []

    def read_doc(path: Path, data: bytes) -> Source:
        calls.append(path)
        return Source(path="?", format="doc", sha256="?", size=0, blocks=(Block(text="cũ"),))

    fake = types.ModuleType("extractors.readers.doc")
    fake.read_doc = read_doc  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "extractors.readers.doc", fake)
    path = tmp_path / "old.doc"
    path.write_bytes(ole_file(("WordDocument",)))

    source = read_source(path)

    assert calls == [path] and texts(source) == ["cũ"]
    assert (source.path, source.size, len(source.sha256)) == (str(path), path.stat().st_size, 64)


def test_doc_is_refused_with_advice_while_no_word97_reader_exists(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "extractors.readers.doc", None)  # import fails
    path = tmp_path / "old.doc"
    path.write_bytes(ole_file(("WordDocument",)))

    with pytest.raises(UnsupportedFormatError) as info:
        read_source(path)

    assert_one_line(info.value, path, "E002")
    assert ".docx" in info.value.message


def test_supported_suffixes_name_the_readers() -> None:
    assert {".docx", ".txt"} <= SUPPORTED_SUFFIXES


def test_zip_entries_are_checked_before_inflating(tmp_path: Path) -> None:
    path = tmp_path / "bomb.docx"
    path.write_bytes(declared_size_bomb(300 << 20))
    with zipfile.ZipFile(path) as z:  # the fixture really declares a huge entry
        assert z.getinfo("word/document.xml").file_size == 300 << 20

    with pytest.raises(ResourceLimitError, match="zip bomb"):
        read_source(path)


def test_entity_declarations_are_refused_before_parsing(tmp_path: Path) -> None:
    path = tmp_path / "laughs.docx"
    path.write_bytes(rewrite_zip(template_bytes(), {"word/document.xml": BILLION_LAUGHS}))

    with pytest.raises(ResourceLimitError, match="DOCTYPE"):
        read_source(path)


def test_utf16_document_xml_with_a_dtd_is_refused_after_parsing(tmp_path: Path) -> None:
    xml = document_xml(p("x")).decode().replace('encoding="UTF-8"', 'encoding="UTF-16"')
    xml = xml.replace("?>\n", '?>\n<!DOCTYPE w:document [<!ENTITY a "b">]>\n', 1)
    path = tmp_path / "dtd16.docx"
    path.write_bytes(rewrite_zip(template_bytes(), {"word/document.xml": xml.encode("utf-16")}))

    with pytest.raises(ResourceLimitError):
        read_source(path)


# ------------------------------------------------------------------------------------------
# The real corpus
# ------------------------------------------------------------------------------------------


def corpus_files() -> list[Path]:
    return sorted(CORPUS.glob("*.docx")) if CORPUS.is_dir() else []


@pytest.mark.parametrize("path", corpus_files() or [None], ids=lambda p: p.name if p else "none")
def test_corpus_docx_files_are_read(path: Path | None) -> None:
    if path is None:
        pytest.skip(f"corpus not found at {CORPUS}")

    source = read_source(path)

    assert source.format == "docx" and len(source.blocks) > 10
    assert any(b.kind == "table_row" for b in source.blocks)


def test_corpus_report_header_and_award_table() -> None:
    path = CORPUS / "hoaan-duk-2022-h1.docx"
    if not path.exists():
        pytest.skip(f"corpus file not found: {path}")

    source = read_source(path)

    head = unicodedata.normalize("NFC", " ".join(b.text for b in source.blocks[:3]))
    assert "ĐẢNG ỦY KHỐI" in head
    assert any(
        b.kind == "table_row" and any("Bằng khen" in c for c in b.cells or ())
        for b in source.blocks
    )
