"""Cited documents and dates on sentences written as officials write them, none taken from a
corpus file: the symbol grammar of Nghị định 30/2020/NĐ-CP (State) and Hướng dẫn 36-HD/VPTW
(Party), citations broken by the layout, lists, subjects and every form of a full date."""

from __future__ import annotations

import pytest
from extract_helpers import report_from_blocks

from extractors.export import facts_record
from extractors.facts.dates import distinct_dates
from schemas.models import Block, Report


def body(*paragraphs: str) -> Report:
    """A report of these paragraphs; a line break inside one makes two blocks, as a PDF's lines."""
    lines = [line for p in paragraphs for line in p.split("\n")]
    heading = ("BÁO CÁO", "Kết quả công tác quý I năm 2024", "I. KẾT QUẢ")
    return report_from_blocks(*(Block(text=line) for line in (*heading, *lines)))


def cited(*paragraphs: str) -> list[tuple[str, str | None, str | None]]:
    """(identifier, kind, date) of each distinct citation, as the export gives them."""
    refs = facts_record(body(*paragraphs))["references"]
    return [(r["identifier"], r["doc_type"], r["date"]) for r in refs]


# -- the symbol grammar ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "sentence,identifier,kind",
    [
        # Party: number-TYPE/ISSUER, issuer codes with Vietnamese capitals
        ("thực hiện Chỉ thị số 17-CT/TƯ của Ban Bí thư", "17-CT/TƯ", "Chỉ thị"),
        ("theo Quy định số 132-QĐi/TW về kiểm điểm", "132-QĐi/TW", "Quy định"),
        ("triển khai 214-CV/HU đến các chi bộ", "214-CV/HU", "Công văn"),
        # State: number/TYPE-ISSUER, issuer codes of several parts
        ("theo Kế hoạch số 317/KH-CAT-PV01 của Công an tỉnh", "317/KH-CAT-PV01", "Kế hoạch"),
        ("thực hiện Chỉ thị số 08/CT-TTg của Thủ tướng", "08/CT-TTg", "Chỉ thị"),
        ("theo Quyết định số 52/QĐ-BCĐ của Ban Chỉ đạo huyện", "52/QĐ-BCĐ", "Quyết định"),
        ("theo 2210/SNN-TTBVTV của Sở", "2210/SNN-TTBVTV", "Công văn"),
        ("theo Kế hoạch số 07/KH-THPT.ĐTN của Đoàn trường", "07/KH-THPT.ĐTN", "Kế hoạch"),
        # legal normative: number/YEAR/TYPE-ISSUER, laws with the Assembly's term
        ("căn cứ Nghị quyết số 27/2024/NQ-HĐND của HĐND tỉnh", "27/2024/NQ-HĐND", "Nghị quyết"),
        ("căn cứ Luật Đất đai số 31/2024/QH15", "31/2024/QH15", "Luật"),
    ],
)
def test_symbol_grammar(sentence, identifier, kind):
    assert cited(sentence) == [(identifier, kind, None)]


@pytest.mark.parametrize(
    "sentence",
    [
        "theo Kế hoạch số 45/KH- UBND ngày 02/02/2024 của UBND huyện",  # OCR space after
        "theo Kế hoạch số 45/KH -UBND ngày 02/02/2024 của UBND huyện",  # before
        "theo Kế hoạch số 45/KH - UBND ngày 02/02/2024 của UBND huyện",  # on both sides
        "theo Kế hoạch số 45/KH-\nUBND ngày 02/02/2024 của UBND huyện",  # a line end
        "theo Kế hoạch số 45/\nKH-UBND ngày 02/02/2024 của UBND huyện",
    ],
)
def test_symbol_broken_by_a_space_or_a_line_end_is_one_identifier(sentence):
    assert cited(sentence) == [("45/KH-UBND", "Kế hoạch", "2024-02-02")]


def test_prose_after_a_dash_is_no_part_of_the_symbol():
    assert cited("Kế hoạch số 45/KH-UBND - Ban Chỉ đạo huyện theo dõi") == [
        ("45/KH-UBND", "Kế hoạch", None)
    ]
    assert cited("Quyết định số 61/QĐ-UBND.Trong quý, đã triển khai") == [
        ("61/QĐ-UBND", "Quyết định", None)
    ]


@pytest.mark.parametrize(
    "sentence,kind",
    [
        ("theo 05-HĐ/BTGHU", "Hướng dẫn"),  # a Party guidance typed with Đ
        ("theo 05-HD/BTGHU", "Hướng dẫn"),
        ("theo 03-TT/TW", "Thông tri"),  # Party TT is a Thông tri ...
        ("theo 03/2023/TT-BTC", "Thông tư"),  # ... State TT a Thông tư
        ("theo 45/QD-UBND", "Quyết định"),  # Đ typed without its stroke
        ("theo 19/CTR-UBND", "Chương trình"),
    ],
)
def test_kind_from_the_abbreviation_and_its_letter_variants(sentence, kind):
    assert cited(sentence)[0][1] == kind


# -- numbers without a symbol, lists ---------------------------------------------------------


def test_number_with_its_year_only_is_a_reference_kept_as_cited():
    assert cited("chi trả theo Nghị định số 24/2010 của Chính phủ") == [
        ("24/2010", "Nghị định", None)
    ]
    assert cited("hỗ trợ theo NĐ số\n24/2010 của Chính phủ") == [("24/2010", "Nghị định", None)]


@pytest.mark.parametrize(
    "sentence",
    [
        "giảm 24/2010 so với cùng kỳ",  # no kind, no "số"
        "số 24/2010 hộ",  # "số" without a kind
        "Kế hoạch tháng 10/2024 của Chi bộ",  # a month
    ],
)
def test_a_bare_ratio_or_month_is_no_reference(sentence):
    assert cited(sentence) == []


def test_numbers_sharing_one_symbol_are_each_a_reference():
    assert cited("các Quyết định số 215, 216 và 217/QĐ-UBND ngày 03/4/2024 của UBND huyện") == [
        ("215/QĐ-UBND", "Quyết định", "2024-04-03"),
        ("216/QĐ-UBND", "Quyết định", "2024-04-03"),
        ("217/QĐ-UBND", "Quyết định", "2024-04-03"),
    ]


def test_a_list_keeps_the_kind_its_head_names():
    assert cited(
        "Văn bản số 1102/SNV-CCVC ngày 02/5/2024; số 1230/SNV-CCVC ngày 16/5/2024 và "
        "số 1307/SNV-CCVC ngày 24/5/2024 của Sở Nội vụ"
    ) == [
        ("1102/SNV-CCVC", "Văn bản", "2024-05-02"),
        ("1230/SNV-CCVC", "Văn bản", "2024-05-16"),
        ("1307/SNV-CCVC", "Văn bản", "2024-05-24"),
    ]
    # a symbol with its own kind keeps it
    assert cited("Quyết định số 18/QĐ-UBND, số 22/KH-UBND") == [
        ("18/QĐ-UBND", "Quyết định", None),
        ("22/KH-UBND", "Kế hoạch", None),
    ]


# -- subjects, issuers -----------------------------------------------------------------------


def subjects(*paragraphs: str) -> dict[str, str | None]:
    return {r.identifier: r.subject for r in body(*paragraphs).references}


def test_subject_stops_before_the_next_citation_of_the_list():
    found = subjects(
        "Thực hiện Kế hoạch số 21-KH/HU ngày 05/3/2024 của Ban Thường vụ Huyện ủy về công tác "
        "dân vận năm 2024 và Chỉ thị số 09-CT/HU của Ban Thường vụ Huyện ủy về tăng cường "
        "công tác tiếp công dân, các chi bộ đã quán triệt đến đảng viên."
    )
    assert found == {
        "21-KH/HU": "công tác dân vận năm 2024",
        "09-CT/HU": "tăng cường công tác tiếp công dân",
    }


def test_subject_keeps_the_document_it_is_about():
    found = subjects(
        "Kế hoạch số 33-KH/HU ngày 11/01/2024 về thực hiện Nghị quyết số 12-NQ/TU của Tỉnh ủy "
        "về phát triển du lịch cộng đồng; các xã đã xây dựng kế hoạch."
    )
    assert found["33-KH/HU"] == (
        "thực hiện Nghị quyết số 12-NQ/TU của Tỉnh ủy về phát triển du lịch cộng đồng"
    )


def test_long_subject_is_cut_between_words():
    topic = " ".join(["đẩy mạnh chuyển đổi số trong cơ quan nhà nước"] * 8)
    (subject,) = subjects(f"Kế hoạch số 40/KH-UBND về {topic}").values()
    assert subject is not None and topic.startswith(subject) and len(subject) <= 250
    assert topic[len(subject)] == " "


def test_subject_wrapped_by_the_page_layout_reads_on():
    found = subjects(
        "Chỉ thị số 02/CT-UBND ngày 10/01/2024 Về\nviệc tăng cường quản lý đất đai trên địa bàn"
    )
    assert found["02/CT-UBND"] == "tăng cường quản lý đất đai trên địa bàn"


def test_second_mention_takes_no_subject_of_the_next_citation():
    r = body(
        "Thực hiện Kế hoạch số 21-KH/HU ngày 05/3/2024 về công tác dân vận năm 2024.",
        "Chi bộ đã quán triệt Kế hoạch số 21-KH/HU, Hướng dẫn số 04-HD/BDVHU về xây dựng "
        "mô hình dân vận khéo.",
    )
    assert [x.subject for x in r.references if x.identifier == "21-KH/HU"] == [
        "công tác dân vận năm 2024",
        None,
    ]
    assert [f.code for f in r.findings if f.code == "C003"] == []


def test_issuer_keeps_a_body_named_with_va_and_stops_at_the_next_citation():
    r = body(
        "theo Kế hoạch số 620/KH-SGDĐT của Sở Giáo dục và Đào tạo về thi học sinh giỏi; "
        "Kết luận số 08-KL/HU của Ban Thường vụ Huyện ủy và Chỉ thị số 04-CT/HU"
    )
    issuers = {x.identifier: x.issuer for x in r.references}
    assert issuers["620/KH-SGDĐT"] == "Sở Giáo dục và Đào tạo"
    assert issuers["08-KL/HU"] == "Ban Thường vụ Huyện ủy"


# -- dates -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text,expected",
    [
        ("kỷ niệm 80 năm (22/12/1944-22/12/2024)", ["1944-12-22", "2024-12-22"]),
        ("ngày mồng 3 tháng 2 năm 1930", ["1930-02-03"]),
        ("ngày 15/6 năm 2024", ["2024-06-15"]),
        ("ngày 15 tháng 6/2024", ["2024-06-15"]),
        ("ngày 05 / 3 / 2024", ["2024-03-05"]),
        ("ngày  05  tháng  03  năm  2024", ["2024-03-05"]),
        ("ký số lúc 18.11.2024 07:25:14", ["2024-11-18"]),
        ("diễn ra từ 12-15/3/2024", ["2024-03-15"]),
        ("các ngày 3/2 và 19/5/2024", ["2024-05-19"]),
        ("trước ngày 05/3 hằng năm", []),
        ("mã hồ sơ 12-3-2024-01", []),
    ],
)
def test_full_dates(text, expected):
    assert [d.value for d in body(text).dates] == expected


def test_dates_in_a_table_row():
    rows = [
        ("TT", "Nội dung", "Thời gian"),
        ("1", "Hội nghị sơ kết", "12/01/2024"),
        ("2", "Tổng kết năm", "ngày 20 tháng 12 năm 2024"),
    ]
    blocks = [Block(text="KẾ HOẠCH"), Block(text="Tổ chức các hội nghị năm 2024")]
    blocks += [
        Block(kind="table_row", text="\t".join(r), cells=r, table=0, row=i)
        for i, r in enumerate(rows)
    ]
    assert [d.value for d in report_from_blocks(*blocks).dates] == ["2024-01-12", "2024-12-20"]


def test_number_glued_to_so_and_an_ampersand_in_the_issuer_code():
    assert cited("theo Quy định của Bộ Chính trị số31-QĐ/TW, ngày 01/10/1997") == [
        ("31-QĐ/TW", "Quy định", "1997-10-01")
    ]
    assert cited("Công văn số 1285/SGD&ĐT-TCCB của Sở") == [("1285/SGD&ĐT-TCCB", "Công văn", None)]


def test_kind_right_before_a_number_and_year_without_so():
    assert cited("hỗ trợ theo Nghị định 24/2010 của Chính phủ") == [("24/2010", "Nghị định", None)]
    assert cited("triển khai kế hoạch 12/2021 của đơn vị") == []  # a month, not a document


@pytest.mark.parametrize(
    "text,expected",
    [
        ("họp vào ngày12/3/2024 tại hội trường", ["2024-03-12"]),  # glued by a PDF text layer
        ("ngày 12, tháng 3, năm 2024", ["2024-03-12"]),
        ("trong ngày 12/3/2024-ABC", []),
    ],
)
def test_dates_typed_loosely(text, expected):
    assert [d.value for d in body(text).dates] == expected


@pytest.mark.parametrize(
    "sentence",
    [
        "lớp 12/A2 đạt giải Nhì",
        "tại khu phố 5/KP và tổ 10/HTX",
        "xếp hạng 1/QG trong cụm",
    ],
)
def test_a_number_over_a_code_with_nothing_of_a_citation_is_no_reference(sentence):
    assert cited(sentence) == []


def test_a_number_over_an_issuer_code_is_cited_with_so_or_a_date():
    assert cited("theo văn bản số 415/BCĐ của Ban Chỉ đạo") == [("415/BCĐ", "Văn bản", None)]
    assert cited("thực hiện 415/BCĐ ngày 04/6/2024") == [("415/BCĐ", "Công văn", "2024-06-04")]


def test_a_quoted_name_in_the_subject_is_read_whole():
    found = subjects(
        "Kế hoạch số 51-KH/ĐUK ngày 02/6/2024 về hưởng ứng Cuộc vận động “Tiết kiệm điện; "
        "vì cộng đồng”, giai đoạn 2024 - 2026; các chi bộ đã đăng ký."
    )
    assert found["51-KH/ĐUK"] == (
        "hưởng ứng Cuộc vận động “Tiết kiệm điện; vì cộng đồng”, giai đoạn 2024 - 2026"
    )


def test_a_date_mentioned_twice_is_one_distinct_date():
    r = body("Hội nghị ngày 12/3/2024 đã thống nhất; ngày 12 tháng 3 năm 2024 gửi báo cáo.")
    assert [d.value for d in r.dates] == ["2024-03-12", "2024-03-12"]  # both mentions kept
    (first,) = distinct_dates(r.dates)
    assert (first.value, first.text) == ("2024-03-12", "12/3/2024")


def test_each_citation_of_a_list_with_its_own_number_and_symbol():
    assert cited(
        "các Quyết định số 112/QĐ-UBND, số 113/QĐ-UBND và số 114/QĐ-UBND ngày 09/01/2024 "
        "của UBND huyện về công nhận danh hiệu"
    ) == [
        ("112/QĐ-UBND", "Quyết định", None),
        ("113/QĐ-UBND", "Quyết định", None),
        ("114/QĐ-UBND", "Quyết định", "2024-01-09"),
    ]


def test_a_line_end_hyphen_dropped_by_the_text_layer():
    assert cited("theo Kế hoạch số 186/KH\nUBND ngày 17/9/2024 của UBND tỉnh") == [
        ("186/KH-UBND", "Kế hoạch", "2024-09-17")
    ]
    # a type alone before a paragraph that opens with a capitalised word stays as cited
    assert cited("theo Kế hoạch số 186/KH\nUbnd huyện") == [("186/KH", "Kế hoạch", None)]


def test_subject_ends_with_its_paragraph_before_a_list_label():
    found = subjects("Thực hiện Kế hoạch số 09/KH-UBND về công tác phòng cháy\na) Tuyên truyền")
    assert found["09/KH-UBND"] == "công tác phòng cháy"


def test_date_after_an_issuer_wrapped_by_the_layout():
    assert cited("thực hiện Kế hoạch số 71/KH-UBND của Ủy ban nhân dân\ntỉnh ngày 04/3/2024") == [
        ("71/KH-UBND", "Kế hoạch", "2024-03-04")
    ]


def test_date_after_an_issuer_with_its_abbreviation_in_brackets():
    assert cited(
        "Căn cứ Hướng dẫn số 318/HD-SNV của Sở Nội vụ (SNV) ngày 14 tháng 3 năm 2026 về tổng kết "
        "thi đua, Công văn số 77/UBND-VX của Ủy ban nhân dân (UBND) huyện, ngày 02/4/2026."
    ) == [("318/HD-SNV", "Hướng dẫn", "2026-03-14"), ("77/UBND-VX", "Công văn", "2026-04-02")]


@pytest.mark.parametrize(
    "text,expected",
    [
        ("Ngày 5/3/25, Sở Nội vụ tổ chức hội nghị sơ kết", ["2025-03-05"]),
        ("hoàn thành trước ngày 12/12/24", ["2024-12-12"]),
        ("từ ngày 02/01/25 đến ngày 15.01.25", ["2025-01-02", "2025-01-15"]),
        ("ngày 30/6/98 của Ban Thường vụ", ["1998-06-30"]),
        # without its "ngày", a short year is no date: a ratio, a count, a code
        ("đạt 12/12/24 chỉ tiêu", []),
        ("ngày 5/3/25/QĐ", []),
    ],
)
def test_a_two_digit_year_after_ngay(text, expected):
    assert [d.value for d in body(text).dates] == expected


@pytest.mark.parametrize(
    "text,expected",
    [
        # a PDF's place-date line: spaces lost around the numbers, or the digits drawn apart
        ("Cần Thơ, ngày17tháng4năm2025", ["2025-04-17"]),
        ("Cần Thơ, ngày 17tháng 4năm 2025", ["2025-04-17"]),
        ("Cần Thơ, ngày 1 7 tháng 0 4 năm 2 0 2 5", ["2025-04-17"]),
        ("Cần Thơ, ngày 17 tháng 4 năm\n2025", ["2025-04-17"]),
        # a year that runs on into more digits is none
        ("ngày 17 tháng 4 năm 20251", []),
    ],
)
def test_a_place_date_line_drawn_apart(text, expected):
    assert [d.value for d in body(text).dates] == expected
