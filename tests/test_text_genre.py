"""Characters from the wrong code page, and the text of a .docx outside its body.

C1 control characters (Windows-1252/1258 bytes decoded as Latin-1) are read back as what the code
page meant, one character for one, and never split a line of `baocao extract`. Footnotes,
endnotes and page headers and footers are part of a document's text, placed after the body so
that the body's offsets do not move. Every input here is invented.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from readers_fixtures import make_docx, make_docx_with_parts, p, part_xml, table, tc

from extractors.export import facts_record, jsonl_line
from extractors.pipeline import extract, extract_source
from extractors.readers import read_source
from extractors.readers.docx import ENDNOTE, FOOTNOTE, OUTSIDE_BODY, PAGE_FOOTER, PAGE_HEADER
from extractors.text.normalize import normalise_blocks, normalise_string
from flows.cli import main as cli
from schemas.errors import UnknownEncodingError
from schemas.models import Block, Source

# -- C1 control characters -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "meant"),
    [
        ("Tiếp tục triển khai\x85", "Tiếp tục triển khai…"),  # 0x85: the Windows ellipsis
        ("danh hiệu \x93Chiến sĩ thi đua\x94", "danh hiệu “Chiến sĩ thi đua”"),
        ("năm học 2019\x962020", "năm học 2019-2020"),  # en dash, then made plain
        ("Phần A \x97 tổng quan", "Phần A - tổng quan"),  # em dash
        ("\x91Tuổi trẻ\x92", "'Tuổi trẻ'"),  # single quotes, then made plain
        ("\x84Hồng\x94 và \x95 gạch đầu dòng \x80 \x99", "“Hồng” và • gạch đầu dòng € ™"),
    ],
)
def test_c1_characters_read_as_what_windows_1252_meant_one_for_one(raw: str, meant: str) -> None:
    text, where = normalise_string(raw)

    assert text == meant
    assert where == list(range(len(raw)))  # one character for one: offsets need no map


def test_c1_bytes_that_no_code_page_defines_are_dropped_and_the_map_steps_over_them() -> None:
    text, where = normalise_string("Sở\x81 Nội\x9d vụ")

    assert text == "Sở Nội vụ"
    assert [(text[k], where[k]) for k in (2, 3, 6)] == [(" ", 3), ("N", 4), (" ", 8)]


def test_each_character_after_a_c1_character_leads_back_to_its_source() -> None:
    raws = ["Kế hoạch\x85 số 21-KH/ĐU", "ngày \x9312/4/2022\x94\x81, Ðảng ủy"]
    text = normalise_blocks([Block(text=r) for r in raws])

    for b, raw in enumerate(raws):
        line, where = normalise_string(raw)
        start = text.block_starts[b]
        assert text.text[start : start + len(line)] == line
        for k, ch in enumerate(line):
            assert text.source_position(start + k) == (b, where[k])
            assert ch == raw[where[k]] or raw[where[k]] in "\x85\x93\x94Ð"


def test_line_separators_inside_a_block_become_spaces_so_a_block_stays_one_line() -> None:
    raws = ["Dòng một\u2028dòng hai", "ô\vthứ\fba\x1cbốn\u2029năm", "hết\x85"]
    text = normalise_blocks([Block(text=r) for r in raws])

    assert text.text.splitlines() == ["Dòng một dòng hai", "ô thứ ba bốn năm", "hết…"]
    assert text.changed.keys() == {2}  # a space for a separator needs no map


def test_unicode_line_separators_in_a_single_line_are_spaces_too() -> None:
    assert normalise_string("CỘNG HÒA\u2028Độc lập\u2029") == ("CỘNG HÒA Độc lập ", list(range(17)))


def test_facts_are_found_in_text_whose_punctuation_came_from_the_wrong_code_page() -> None:
    lines = (
        "BÁO CÁO",
        "Kết quả công tác năm 2021",
        "I. KẾT QUẢ",
        "Thực hiện Kế hoạch số 07-KH/ĐU ngày 14/02/2021\x85 Đảng ủy tặng danh hiệu"
        " \x93Lao động tiên tiến\x94 cho 23 cá nhân \x96 đạt 100%.",
    )
    data = "\n".join(lines).encode()
    report = extract_source(
        Source(
            path="c1.txt",
            format="txt",
            sha256=hashlib.sha256(data).hexdigest(),
            size=len(data),
            blocks=tuple(Block(text=line) for line in lines),
        )
    )

    assert [r.identifier for r in report.references] == ["07-KH/ĐU"]
    assert [d.value for d in report.dates] == ["2021-02-14"]
    assert ("Lao động tiên tiến", "cá nhân", 23) in {
        (a.title, a.recipient_kind, a.count) for a in report.awards
    }
    assert "\x85" not in report.text and "…" in report.text


def test_utf8_text_full_of_c1_punctuation_is_read_not_refused_as_binary(tmp_path: Path) -> None:
    line = "Tiếp tục\x85 thực hiện \x93ba công khai\x94 \x96 năm 2020\x85"
    path = tmp_path / "c1.txt"
    path.write_bytes("\n".join([line] * 20).encode())

    source = read_source(path)

    assert source.encoding == "utf-8"
    assert [b.text for b in source.blocks] == [line] * 20  # the reader keeps them; see normalise


def test_utf8_text_full_of_undefined_c1_bytes_is_still_refused(tmp_path: Path) -> None:
    path = tmp_path / "junk.txt"
    path.write_bytes(("Tiếp tục\x81\x8d\x90 " * 20).encode())

    with pytest.raises(UnknownEncodingError):
        read_source(path)


def mojibake(text: str, codec: str) -> str:
    """UTF-8 bytes of ``text`` as a program reading them with ``codec`` shows them."""
    return "".join(bytes([b]).decode(codec, "ignore") or chr(b) for b in text.encode("utf-8"))


MOJIBAKE_TEXT = (
    "Đảng ủy Khối tặng Giấy khen cho 15 tập thể; kết nạp được 38 đảng viên mới,"
    " vượt chỉ tiêu đề ra; phối hợp tổ chức Hội nghị ở các chi bộ trực thuộc."
)


@pytest.mark.parametrize("codec", ["cp1252", "latin-1"])
@pytest.mark.parametrize("bom", [b"", b"\xef\xbb\xbf"], ids=["no-bom", "bom"])
def test_utf8_read_as_windows_1252_and_saved_again_is_read_back(
    tmp_path: Path, codec: str, bom: bytes
) -> None:
    garbled = mojibake(MOJIBAKE_TEXT, codec)
    assert garbled.startswith("Ä") and "»" in garbled  # "Äáº£ng á»§y": what the file holds
    path = tmp_path / "moji.txt"
    path.write_bytes(bom + f"{garbled}\n{garbled}\n".encode())

    source = read_source(path)

    assert [b.text for b in source.blocks] == [MOJIBAKE_TEXT, MOJIBAKE_TEXT]
    assert source.encoding == "utf-8-mojibake"
    assert any("Windows-1252" in w for w in source.warnings)


def test_foreign_text_that_happens_to_be_mojibake_is_left_as_it_is(tmp_path: Path) -> None:
    path = tmp_path / "de.txt"
    path.write_bytes(mojibake("Größe der Übungsräume für Schüler", "cp1252").encode())

    source = read_source(path)

    assert source.encoding != "utf-8-mojibake"


# -- one line of JSON per file ----------------------------------------------------------------


def test_jsonl_line_escapes_what_splitlines_breaks_on_and_keeps_letters() -> None:
    record = {"document": {"title": "Kế hoạch\x85\u2028số 5\u2029\x1c\v\f"}, "n": [1]}

    line = jsonl_line(record)

    assert line.splitlines() == [line]
    assert "\\u0085" in line and "\\u2028" in line and "\\u2029" in line
    assert "Kế hoạch" in line
    assert json.loads(line) == record


def test_extract_prints_one_line_per_file_over_text_full_of_line_separators(
    tmp_path: Path,
) -> None:
    txt = tmp_path / "c1.txt"
    txt.write_bytes(
        "BÁO CÁO\nSơ kết năm 2022\x85\nI. KẾT QUẢ\n"
        "Kết nạp 12 đảng viên mới\x85 \x93đạt\x94 120%\x85\x85\n".encode()
    )
    cell = "Tổng\x85 số\u2028 12\u2029 người"
    docx_path = make_docx(
        tmp_path / "c1.docx",
        p("BÁO CÁO") + p("Sơ kết năm 2022\x85\u2028\u2029") + table(tc(p(cell)) + tc(p("x\x85"))),
    )
    missing = tmp_path / "thiếu\u2028tệp\x85.txt"

    result = CliRunner().invoke(
        cli, ["extract", "--format", "jsonl", str(txt), str(docx_path), str(missing)]
    )

    lines = result.stdout.splitlines()
    assert len(lines) == 3, result.stdout
    records = [json.loads(line) for line in lines]
    assert [r["document"]["source"] for r in records] == [str(txt), str(docx_path), str(missing)]
    assert "error" in records[2]["document"]
    assert "\\u2028" in lines[2] and "\\u0085" in lines[2]  # the path, escaped


# -- the text of a .docx outside its body -----------------------------------------------------

R = 'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'


def run(text: str, rpr: str = "") -> str:
    return f'<w:r><w:rPr>{rpr}</w:rPr><w:t xml:space="preserve">{text}</w:t></w:r>'


def cite(kind: str, nid: int) -> str:
    """A body run citing footnote or endnote ``nid``."""
    return (
        '<w:r><w:rPr><w:vertAlign w:val="superscript"/></w:rPr>'
        f'<w:{kind}Reference w:id="{nid}"/></w:r>'
    )


def note(kind: str, nid: int, *paragraphs: str, note_type: str | None = None) -> str:
    """A note whose first paragraph opens with the note's own mark, as Word writes it."""
    attr = f' w:type="{note_type}"' if note_type else ""
    mark = f"<w:r><w:{kind}Ref/></w:r>"
    body = "".join(
        f"<w:p>{mark if i == 0 else ''}{run(' ' + text if i == 0 else text)}</w:p>"
        for i, text in enumerate(paragraphs)
    )
    return f'<w:{kind} w:id="{nid}"{attr}>{body}</w:{kind}>'


SEPARATORS = (
    '<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote>'
    '<w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:r><w:t>---</w:t></w:r></w:p>'
    "</w:footnote>"
)
BODY = (
    p("BÁO CÁO")
    + p("Kết quả công tác năm 2021")
    + p("I. KẾT QUẢ")
    + f"<w:p>{run('Ngày 03/5/2021 tổng kết')}{cite('footnote', 2)}{run(' và tặng 04 Giấy khen')}"
    + f"{cite('endnote', 1)}{run('; kết nạp 9 đảng viên mới')}{cite('footnote', 1)}</w:p>"
)
FOOTNOTES = part_xml(
    "footnotes",
    SEPARATORS
    + note("footnote", 1, "Theo Kế hoạch số 15-KH/ĐU ngày 02/3/2021.")
    + note(
        "footnote", 2, "Hướng dẫn số 33-HD/BTCTW ngày 19/12/2019;", "dòng thứ hai của chú thích."
    )
    + note("footnote", 3, "Chú thích không được dẫn: Word không in nó."),
)
ENDNOTES = part_xml("endnotes", note("endnote", 1, "Quyết định số 120/QĐ-UBND ngày 08/01/2021."))
NOTE_PARTS = [
    ("rIdT1", "footnotes", "footnotes.xml", FOOTNOTES),
    ("rIdT2", "endnotes", "endnotes.xml", ENDNOTES),
]


def outside(source: Source) -> list[tuple[str | None, str]]:
    return [(b.style, b.text) for b in source.blocks if b.style in OUTSIDE_BODY]


def test_footnotes_then_endnotes_follow_the_body_in_the_order_the_body_cites_them(
    tmp_path: Path,
) -> None:
    source = read_source(make_docx_with_parts(tmp_path / "notes.docx", BODY, NOTE_PARTS))

    assert outside(source) == [
        (FOOTNOTE, " Hướng dẫn số 33-HD/BTCTW ngày 19/12/2019;"),
        (FOOTNOTE, "dòng thứ hai của chú thích."),
        (FOOTNOTE, " Theo Kế hoạch số 15-KH/ĐU ngày 02/3/2021."),
        (ENDNOTE, " Quyết định số 120/QĐ-UBND ngày 08/01/2021."),
    ]
    assert source.blocks[-4:] == tuple(b for b in source.blocks if b.style in OUTSIDE_BODY)


def test_notes_add_facts_without_moving_the_offsets_of_the_body_facts(tmp_path: Path) -> None:
    plain = extract(make_docx(tmp_path / "plain.docx", BODY))
    noted = extract(make_docx_with_parts(tmp_path / "noted.docx", BODY, NOTE_PARTS))

    assert {r.identifier for r in noted.references} == {"15-KH/ĐU", "33-HD/BTCTW", "120/QĐ-UBND"}
    assert {d.value for d in noted.dates} == {
        "2021-05-03",
        "2021-03-02",
        "2019-12-19",
        "2021-01-08",
    }
    assert noted.text.startswith(plain.text)
    body_facts = [(f.value, f.start, f.end) for f in plain.dates] + [
        (q.value, q.start, q.end) for q in plain.quantities
    ]
    assert body_facts and set(body_facts) <= {
        (f.value, f.start, f.end) for f in [*noted.dates, *noted.quantities]
    }


def test_a_hidden_run_in_a_footnote_stays_hidden(tmp_path: Path) -> None:
    hidden = part_xml(
        "footnotes",
        '<w:footnote w:id="1"><w:p>'
        + run("Nguồn: ")
        + run("ghi chú nội bộ ", "<w:vanish/>")
        + run("Cục Thống kê.")
        + "</w:p></w:footnote>",
    )
    body = f"<w:p>{run('Số liệu')}{cite('footnote', 1)}</w:p>"

    source = read_source(
        make_docx_with_parts(tmp_path / "h.docx", body, [("rIdT1", "footnotes", "f.xml", hidden)])
    )

    assert outside(source) == [(FOOTNOTE, "Nguồn: Cục Thống kê.")]


def test_a_footnote_in_a_legacy_font_is_converted_when_only_it_names_the_font(
    tmp_path: Path,
) -> None:
    vn = '<w:rFonts w:ascii=".VnTime" w:hAnsi=".VnTime"/>'
    legacy = part_xml(
        "footnotes",
        f'<w:footnote w:id="1"><w:p>{run("KÕ ho¹ch sè 15-KH/§U", vn)}</w:p></w:footnote>',
    )
    body = f"<w:p>{run('Thực hiện kế hoạch')}{cite('footnote', 1)}</w:p>"

    source = read_source(
        make_docx_with_parts(tmp_path / "v.docx", body, [("rIdT1", "footnotes", "f.xml", legacy)])
    )

    assert outside(source) == [(FOOTNOTE, "Kế hoạch số 15-KH/ĐU")]
    assert source.encoding == "tcvn3"


def test_a_damaged_notes_part_is_left_out_with_a_warning_and_the_body_read(
    tmp_path: Path,
) -> None:
    broken = b'<?xml version="1.0"?><w:footnotes><w:footnote'
    body = f"<w:p>{run('Nội dung chính')}{cite('footnote', 1)}</w:p>"

    source = read_source(
        make_docx_with_parts(tmp_path / "d.docx", body, [("rIdT1", "footnotes", "f.xml", broken)])
    )

    assert [b.text for b in source.blocks] == ["Nội dung chính"]
    assert any("f.xml" in w and "left out" in w for w in source.warnings)


def page_field(instruction: str, shown: str) -> str:
    """A complex field as Word writes a page number: begin, instruction, separate, result, end."""
    return (
        '<w:r><w:fldChar w:fldCharType="begin"/></w:r>'
        f'<w:r><w:instrText xml:space="preserve"> {instruction} </w:instrText></w:r>'
        '<w:r><w:fldChar w:fldCharType="separate"/></w:r>'
        f"{run(shown)}"
        '<w:r><w:fldChar w:fldCharType="end"/></w:r>'
    )


def header_refs(*refs: tuple[str, str, str]) -> str:
    return "".join(
        f'<w:{kind}Reference {R} w:type="{kind_type}" r:id="{rid}"/>'
        for kind, kind_type, rid in refs
    )


def test_each_distinct_page_header_and_footer_is_read_once_without_page_numbers(
    tmp_path: Path,
) -> None:
    number = page_field("PAGE   \\* MERGEFORMAT", "7")
    total = '<w:fldSimple w:instr=" NUMPAGES ">' + run("12") + "</w:fldSimple>"
    header = part_xml(
        "hdr",
        p("ĐẢNG BỘ KHỐI DOANH NGHIỆP")
        + p()
        + "<w:p>"
        + run("Trang ")
        + number
        + run(" / ")
        + total
        + "</w:p>",
    )
    same_header = header  # another part, the same text: the first page's copy of the header
    footer = part_xml(
        "ftr",
        f"<w:p>{page_field('PAGE', '3')}</w:p>"
        + table(tc(p("Báo cáo số 18-BC/ĐU")) + tc(p("ngày 30/6/2021"))),
    )
    only_number = part_xml(
        "ftr", f"<w:p><w:fldSimple w:instr='PAGE'>{run('2')}</w:fldSimple></w:p>"
    )
    parts = [
        ("rIdH1", "header", "header1.xml", header),
        ("rIdH2", "header", "header2.xml", same_header),
        ("rIdF1", "footer", "footer1.xml", footer),
        ("rIdF2", "footer", "footer2.xml", only_number),
    ]
    first_section = (
        "<w:p><w:pPr><w:sectPr>"
        + header_refs(("header", "default", "rIdH1"), ("footer", "first", "rIdF2"))
        + "</w:sectPr></w:pPr></w:p>"
    )
    body = p("Phần một") + first_section + p("Phần hai")
    sect = header_refs(
        ("header", "default", "rIdH2"), ("footer", "default", "rIdF1"), ("header", "even", "rIdH1")
    )

    source = read_source(make_docx_with_parts(tmp_path / "hf.docx", body, parts, sect))

    assert [b.text for b in source.blocks[:3]] == ["Phần một", "", "Phần hai"]
    assert outside(source) == [
        (PAGE_HEADER, "ĐẢNG BỘ KHỐI DOANH NGHIỆP"),
        (PAGE_HEADER, "Trang  / "),
        (PAGE_FOOTER, "Báo cáo số 18-BC/ĐU\tngày 30/6/2021"),
    ]
    assert source.blocks[-1].kind == "table_row"


def test_a_page_number_field_in_the_body_is_still_read(tmp_path: Path) -> None:
    body = f"<w:p>{run('xem trang ')}{page_field('PAGE', '5')}</w:p>"

    assert [b.text for b in read_source(make_docx(tmp_path / "b.docx", body)).blocks] == [
        "xem trang 5"
    ]


def test_a_text_box_in_a_page_header_is_read(tmp_path: Path) -> None:
    box = (
        "<w:p><w:r><w:pict><v:shape><v:textbox><w:txbxContent>"
        + p("Mật")
        + "</w:txbxContent></v:textbox></v:shape></w:pict></w:r></w:p>"
    )
    parts = [("rIdH1", "header", "header1.xml", part_xml("hdr", box))]
    sect = header_refs(("header", "default", "rIdH1"))

    source = read_source(make_docx_with_parts(tmp_path / "tb.docx", p("Nội dung"), parts, sect))

    assert outside(source) == [(PAGE_HEADER, "Mật")]


def test_a_page_number_in_a_legacy_font_is_neither_shown_nor_counted_as_converted(
    tmp_path: Path,
) -> None:
    vn = '<w:rFonts w:ascii=".VnTime" w:hAnsi=".VnTime"/>'
    shown = run("Trang ", vn)
    number = page_field("PAGE", "16").replace("<w:rPr></w:rPr>", f"<w:rPr>{vn}</w:rPr>")
    footer = part_xml("ftr", f"<w:p>{shown}{number}</w:p>")
    parts = [("rIdF1", "footer", "footer1.xml", footer)]
    sect = header_refs(("footer", "default", "rIdF1"))

    source = read_source(make_docx_with_parts(tmp_path / "vn.docx", p("Nội dung"), parts, sect))

    assert outside(source) == [(PAGE_FOOTER, "Trang ")]
    assert any("converted 1 TCVN3 run(s)" in w for w in source.warnings)


# -- a paragraph with no sentence end ----------------------------------------------------------


def test_a_paragraph_with_no_sentence_end_is_cut_into_bounded_sentences():
    # a flattened table or a web page run into one line: its facts must not each carry the page
    row = "Xã Tân An có 14 hộ nghèo, 9 hộ cận nghèo; "
    text = "BÁO CÁO\nKết quả rà soát năm 2024\n" + row * 200 + "\n"
    data = text.encode()
    blocks = tuple(Block(text=line) for line in text.split("\n")[:-1])
    source = Source(
        path="case.txt",
        format="txt",
        sha256=hashlib.sha256(data).hexdigest(),
        size=len(data),
        blocks=blocks,
    )
    report = extract_source(source)
    assert len(report.quantities) == 400
    assert max(s.end - s.start for s in report.sentences) <= 1200
    line = json.loads(jsonl_line(facts_record(report)))
    assert all(len(q["sentence"]) <= 1200 for q in line["quantities"])
    # each cut falls after a clause: no sentence opens inside a clause
    starts = [report.text[s.start : s.start + 6] for s in report.sentences[2:]]
    assert set(starts) == {"Xã Tân"}


# -- a PDF page's printed number ---------------------------------------------------------------


def test_a_pdf_page_s_printed_number_is_no_text():
    from extractors.readers.pdf import _without_folio  # a reader's helper, tested on its own

    page = [
        Block(text="- 3 -", page=3),
        Block(text="nhận: 52, trong đó đã giải quyết: 40.", page=3),
        Block(text="Năm 2026 có 3", page=3),
        Block(text="3", page=3),
    ]
    assert [b.text for b in _without_folio(3, page)] == [
        "nhận: 52, trong đó đã giải quyết: 40.",
        "Năm 2026 có 3",
    ]
    # a number that is not the page's own, or a first page, stays
    assert len(_without_folio(3, [Block(text="17", page=3), *page[1:3]])) == 3
    assert len(_without_folio(1, [Block(text="1", page=1), *page[1:3]])) == 3
