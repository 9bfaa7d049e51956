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
from readers_fixtures import make_docx, p, table, tc

from extractors.export import jsonl_line
from extractors.pipeline import extract_source
from extractors.readers import read_source
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
