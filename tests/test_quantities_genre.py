"""Quantities as the genre writes them: counted noun phrases, classifiers, numbers that name
something, labels, votes, signs and notations. Every sentence is invented (no corpus file holds
it), written as a secretary of a Party or State body would write it."""

from __future__ import annotations

import pytest
from extract_helpers import report_from_blocks

from schemas.models import Block, Quantity, Report
from schemas.vocab import counted_nouns


def report_of(*blocks: Block) -> Report:
    """A report whose title comes before `blocks` (a header-less body would be read as one)."""
    return report_from_blocks(
        Block(text="BÁO CÁO"), Block(text="Kết quả công tác năm 2024"), *blocks
    )


def found(*lines: str) -> list[Quantity]:
    return list(report_of(*(Block(text=line) for line in lines)).quantities)


def pairs(*lines: str) -> list[tuple[float, str]]:
    return [(q.value, q.unit) for q in found(*lines)]


# -- the unit is the whole counted noun phrase -------------------------------------------------


@pytest.mark.parametrize(
    "sentence, expected",
    [
        (
            "Ủy ban Kiểm tra Đảng ủy xã Phước Lộc đã tiến hành 17 cuộc kiểm tra đối với 9 chi bộ.",
            [(17, "cuộc kiểm tra"), (9, "chi bộ")],
        ),
        ("Bộ phận một cửa đã tiếp nhận 1.482 thủ tục hành chính.", [(1482, "thủ tục hành chính")]),
        ("Công đoàn cơ sở thăm hỏi 63 người lao động.", [(63, "người lao động")]),
        ("Chi bộ giới thiệu 4 đ/c đi học lớp cảm tình Đảng.", [(4, "đ/c")]),
        ("Hội Nông dân xã tiếp nhận 35 hồ sơ vay vốn.", [(35, "hồ sơ")]),
        ("Tuyên dương 12 tập thể và 41 cá nhân.", [(12, "tập thể"), (41, "cá nhân")]),
    ],
)
def test_unit_is_the_whole_counted_noun_phrase(sentence, expected):
    assert pairs(sentence) == expected


def test_a_classifier_takes_what_it_counts():
    assert pairs("Đoàn xã mở 3 lớp tập huấn kỹ năng cho 260 lượt đoàn viên.") == [
        (3, "lớp tập huấn kỹ năng"),
        (260, "lượt đoàn viên"),
    ]


def test_a_classifier_takes_a_verb_split_in_two():
    # underthesea segments "dự thi" as two words
    assert pairs("Cuộc thi trực tuyến có 2.716 lượt dự thi.") == [(2716, "lượt dự thi")]


def test_a_classifier_takes_a_capitalised_noun():
    assert pairs("Đã tổ chức cho 310 lượt Hội viên tham quan.")[0] == (310, "lượt Hội viên")


@pytest.mark.parametrize(
    "sentence, expected",
    [
        ("Ban vận động đã vận động 412 hộ gia đình hiến đất làm đường.", (412, "hộ gia đình")),
        ("Có 27/31 chi bộ xếp loại hoàn thành tốt nhiệm vụ.", (27, "chi bộ")),
        ("Trường có 54 sinh viên hiến máu tình nguyện.", (54, "sinh viên")),
    ],
)
def test_a_following_verb_is_not_part_of_the_unit(sentence, expected):
    assert pairs(sentence)[0] == expected


def test_the_unit_keeps_modifiers_the_tagger_calls_verbs():
    assert pairs("Đảng bộ kết nạp 19 đảng viên mới, chuyển 7 đảng viên dự bị.") == [
        (19, "đảng viên mới"),
        (7, "đảng viên dự bị"),
    ]


def test_a_phrase_that_opens_with_a_verb_counts_nothing():
    assert pairs("Trường Tiểu học Hòa Thạnh 3 xây dựng kế hoạch ôn tập.") == []


def test_a_coordinated_lexicon_unit_is_one_unit():
    assert pairs("Có 58/58 chi, đảng bộ cơ sở tổ chức hội nghị.")[0] == (58, "chi, đảng bộ cơ sở")


def test_the_lexicon_is_data():
    vocab = counted_nouns()
    assert "cuộc" in vocab.classifier and "hộ gia đình" in vocab.noun and "ha" in vocab.measure
    assert "lớp" in vocab.name  # "lớp 12": a number after it names the class


# -- numbers that name something, and clock times ----------------------------------------------


@pytest.mark.parametrize(
    "sentence",
    [
        "Tiếp tục triển khai Đề án 06 của Chính phủ về dữ liệu dân cư.",
        "Thực hiện Chương trình 135 giai đoạn III trên địa bàn.",
        "Các trường trong Cụm 4 năm học 2024 - 2025 đã họp.",
        "Học sinh lớp 9 tham gia ôn tập.",
        "Thường trực Ban Chỉ đạo 138 Huyện ủy đã họp.",
        "Chào mừng Ngày Quốc tế Phụ nữ 8/3 và Ngày Gia đình Việt Nam.",
        "Hội nghị Trung ương 8 khóa XIII đã ban hành nghị quyết.",
        "Phong trào “Thanh niên 3 sẵn sàng” được hưởng ứng.",
        "Hội nghị khai mạc lúc 8 giờ 30 phút ngày 15/3/2025.",
        "Thời gian: 14 giờ 00, tại hội trường.",
    ],
)
def test_numbers_that_name_or_tell_the_time_are_not_counts(sentence):
    assert pairs(sentence) == []


def test_a_clause_that_opens_with_a_capitalised_verb_still_counts():
    assert pairs("Biểu dương 23 gương điển hình tiên tiến.") == [(23, "gương điển hình tiên tiến")]


def test_a_breakdown_by_body_counts_after_the_body_name():
    assert pairs("Trong đó: Ban Thường vụ Huyện ủy 06 cuộc; Ủy ban Kiểm tra Huyện ủy 11 cuộc.") == [
        (6, "cuộc"),
        (11, "cuộc"),
    ]


def test_those_bearing_a_quoted_title_are_counted():
    assert pairs("Tuyên dương 08 “Công dân tiêu biểu” cấp huyện.") == [(8, "Công dân tiêu biểu")]


def test_a_year_is_not_a_count_but_a_count_of_that_size_is():
    assert pairs("Trong các năm 2021, 2022 và năm 2023 đơn vị đều hoàn thành.") == []
    assert pairs("Hội thao thu hút 2015 đoàn viên tham gia.") == [(2015, "đoàn viên")]


# -- labels, votes, word forms -----------------------------------------------------------------


def test_a_label_before_a_colon_gives_the_unit_of_a_bare_number():
    assert pairs("Tổng số hồ sơ tiếp nhận: 2.469.") == [(2469, "hồ sơ")]
    (q,) = found("- Số phiếu tán thành: 37/39.")
    assert (q.value, q.of_total, q.unit) == (37, 39, "phiếu tán thành")


def test_a_vote_sentence_gives_its_counts():
    assert pairs("Có 39/39 đại biểu đồng ý, đạt tỷ lệ 100%.") == [(39, "đại biểu"), (100, "%")]


def test_a_number_with_its_word_form_is_one_quantity():
    assert pairs("Thành lập mới 01 (một) chi bộ trực thuộc.") == [(1, "chi bộ trực thuộc")]
    assert pairs("Giải thể một (01) tổ đảng.") == [(1, "tổ đảng")]


# -- notation ----------------------------------------------------------------------------------


def test_a_sign_is_kept():
    assert pairs("Diện tích gieo trồng giảm (-215 ha) so với cùng kỳ.") == [(-215, "ha")]
    assert pairs("Số hộ nghèo tăng +38 hộ.") == [(38, "hộ")]


def test_a_dash_after_a_figure_is_no_sign():
    assert pairs("Giai đoạn 2021 -2025 đã kết nạp 310 đảng viên.") == [(310, "đảng viên")]


@pytest.mark.parametrize(
    "sentence, expected",
    [
        ("Ngày hội thu hút hơn 4,250 lượt sinh viên.", (4250, "lượt sinh viên")),
        ("Diện tích rừng trồng mới đạt 2,125 ha.", (2.125, "ha")),
        ("Quỹ đã chi 1,250,000 đồng cho mỗi suất.", (1250000, "đồng")),
        ("Trị giá 25.000.000đ.", (25000000, "đ")),
    ],
)
def test_commas_and_glued_money(sentence, expected):
    assert pairs(sentence) == [expected]


def test_two_results_in_one_phrase_are_two_quantities():
    assert pairs("Tỷ lệ đạt 98%/91%.") == [(98, "%"), (91, "%")]


# -- qualifiers and verbs ----------------------------------------------------------------------


def test_the_qualifier_holds_qualifiers_only():
    qualifiers = [q.qualifier for q in found("Đảng bộ có 46 đảng viên, gồm 12 đảng viên nữ.")]
    assert qualifiers == [None, None]
    assert [q.qualifier for q in found("Đã có gần 300 lượt người tham gia.")] == ["gần"]


def test_a_verb_after_a_figure_is_that_figure_s():
    first, second = found("Có 38/40 chi bộ xếp loại tốt, 12 tổ đảng chưa hoàn thành.")
    assert second.verb != "xếp loại"
    (q,) = found("Đảng ủy kết nạp 27 đảng viên.")
    assert q.verb == "kết nạp"


# -- PDF layout --------------------------------------------------------------------------------


def test_a_pdf_footnote_number_is_no_count():
    units = pairs(
        "Hưởng ứng “Tháng Thanh niên”7 đoàn trường đã ra quân.",
        "7 Tổ chức 12 buổi ra quân làm sạch môi trường.",
    )
    assert units == [(12, "buổi ra quân")]


def test_a_unit_broken_onto_the_next_line_is_read_there():
    assert pairs("Ban Thường vụ chỉ đạo thực hiện 04", "chương trình trọng tâm của tỉnh.") == [
        (4, "chương trình trọng tâm")
    ]
    assert pairs("hoàn thành nhiệm vụ năm.", "3", "Căn cứ kết quả trên") == []


def test_prose_in_a_table_cell_is_read():
    row = Block(
        kind="table_row",
        text="1\tTổ chức 14 buổi sinh hoạt chuyên đề cho đoàn viên\t14",
        table=0,
        row=1,
        cells=("1", "Tổ chức 14 buổi sinh hoạt chuyên đề cho đoàn viên", "14"),
    )
    head = Block(
        kind="table_row",
        text="TT\tNội dung\tKết quả",
        table=0,
        row=0,
        cells=("TT", "Nội dung", "Kết quả"),
    )
    quantities = report_of(head, row).quantities
    assert (14, "buổi sinh hoạt chuyên đề") in [(q.value, q.unit) for q in quantities]


def test_so_after_a_noun_numbers_it():
    assert pairs("Kèm theo Biểu mẫu số 03 TỔNG HỢP KẾT QUẢ.") == []
    assert pairs("Phát hành 04 số Bản tin Thi đua, mỗi số 720 cuốn.") == [(4, "số"), (720, "cuốn")]


def test_a_classifier_does_not_count_a_preposition():
    assert pairs("Đã kiểm tra 61 cuộc đối với 18 chi bộ.") == [(61, "cuộc"), (18, "chi bộ")]


def test_a_scoring_cell_is_no_quantity():
    cells = ("2.1", "Tổ chức hội nghị sơ kết đúng thời hạn", "Tốt: 10 điểm; Khá: 8 điểm")
    row = Block(kind="table_row", text="\t".join(cells), table=0, row=1, cells=cells)
    head_cells = ("Mã", "Tiêu chí", "Điểm chuẩn")
    head = Block(kind="table_row", text="\t".join(head_cells), table=0, row=0, cells=head_cells)
    assert [q for q in report_of(head, row).quantities if q.unit.startswith("điểm")] == []


def test_a_vote_table_row_in_prose():
    assert pairs("- Đồng ý: 41 phiếu, đạt 97,62%; không đồng ý: 01 phiếu.") == [
        (41, "phiếu"),
        (97.62, "%"),
        (1, "phiếu"),
    ]


def test_nouns_the_tagger_reads_as_numerals_stay_in_the_unit():
    assert pairs("Trạm y tế đã tiêm 3,250 liều vắc xin; xã trồng 12.000 cây xanh.") == [
        (3250, "liều vắc xin"),
        (12000, "cây xanh"),
    ]


# -- counted nouns written as initials, labels wrapped by a PDF, "Đơn vị" columns -------------


@pytest.mark.parametrize(
    "sentence, expected",
    [
        (
            "Trong quý, UBND xã đã tiếp nhận 17 PAKN của người dân và công khai 06 TTHC mới.",
            [(17, "PAKN"), (6, "TTHC mới")],
        ),
        ("Đề án sắp xếp 05 ĐVHC cấp xã thành 02 ĐVHC.", [(5, "ĐVHC"), (2, "ĐVHC")]),
        ("Kết nạp 31 ĐVTN vào Đảng; 212 HS đạt giải cấp huyện.", [(31, "ĐVTN"), (212, "HS")]),
        ("Số PAKN đã giải quyết: 15; số TTHC được rà soát: 24.", [(15, "PAKN"), (24, "TTHC")]),
    ],
)
def test_counted_nouns_written_as_initials(sentence, expected):
    assert pairs(sentence) == expected


def test_initials_are_data():
    assert {"PAKN", "TTHC", "ĐVHC"} <= counted_nouns().initials


def test_a_label_wrapped_onto_the_next_line_still_gives_the_unit():
    assert pairs(
        "Tình hình tiếp nhận phản ánh, kiến nghị của huyện Tân An: Số PAKN được tiếp",
        "nhận: 52, trong đó, kỳ trước chuyển sang: 12; Số PAKN đã xử",
        "lý: 40; đang xử lý: 12; gồm có: 45",
        "PAKN qua Hệ thống của Chính phủ.",
    ) == [(52, "PAKN"), (40, "PAKN"), (45, "PAKN")]


def test_a_label_of_coordinated_bodies():
    assert pairs("1. Tổng số phòng, ban đã triển khai phần mềm: 07") == [(7, "phòng, ban")]


def _table(*rows: tuple[str, ...]) -> list[tuple[float, str]]:
    blocks = [
        Block(kind="table_row", text="\t".join(r), table=0, row=i, cells=r)
        for i, r in enumerate(rows)
    ]
    return [(q.value, q.unit) for q in report_of(*blocks).quantities]


def test_a_column_headed_don_vi_that_lists_bodies_is_no_unit():
    assert _table(
        ("STT", "Đơn vị", "Số hồ sơ tiếp nhận", "Số hồ sơ đúng hạn"),
        ("1", "UBND xã Phú Lâm", "124", "120"),
        ("2", "Phòng Tư pháp", "15", "15"),
    ) == [
        (124, "hồ sơ tiếp nhận"),
        (120, "hồ sơ đúng hạn"),
        (15, "hồ sơ tiếp nhận"),
        (15, "hồ sơ đúng hạn"),
    ]


def test_a_column_headed_don_vi_that_holds_units_gives_the_row_its_unit():
    assert _table(
        ("STT", "Chỉ tiêu", "Đơn vị", "Thực hiện"),
        ("1", "Dân số trung bình", "người", "98.400"),
        ("2", "Diện tích gieo trồng lúa", "ha", "2.150"),
        ("3", "Thu ngân sách", "Tỷ đồng", "76,5"),
    ) == [(98400, "người"), (2150, "ha"), (76.5, "Tỷ đồng")]


def test_a_vote_table_counts_votes_and_shares():
    assert _table(
        ("TT", "Họ và tên", "Số phiếu đồng ý", "Tỷ lệ %"),
        ("1", "Lê Văn Khải", "38", "92,7"),
    ) == [(38, "phiếu đồng ý"), (92.7, "%")]


def test_an_indicator_table_with_no_unit_column_and_rows_of_prose():
    # the first row holds no plain number ("100%/90%"): it is a row of data, not a heading, and
    # the achieved column's generic head is the unit of its figures; "45/50" is 45 of 50
    assert _table(
        ("TT", "Nội dung", "Chỉ tiêu", "Kết quả"),
        ("1", "Đoàn viên được học tập nghị quyết", "100%", "100%/90%"),
        ("2", "Kết nạp đoàn viên mới", "300", "342"),
        ("3", "Giới thiệu đoàn viên ưu tú cho Đảng", "50 đoàn viên", "45/50"),
    ) == [
        (100, "%"),  # the cells with more than one figure are read as prose, first
        (90, "%"),
        (50, "đoàn viên"),
        (100, "%"),  # then the number cells, row by row
        (300, "Chỉ tiêu"),
        (342, "Kết quả"),
        (45, "Kết quả"),
    ]


def test_the_header_above_the_title_counts_nothing():
    # a scan's OCR spoils the day of the place-and-date line: no "5 tháng" is counted from it
    r = report_from_blocks(
        Block(text="ỦY BAN NHÂN DÂN XÃ AN PHÚ"),
        Block(text="Số: 15/BC-UBND An Phú, ngày @5 tháng 0I năm 2026"),
        Block(text="BÁO CÁO"),
        Block(text="Kết quả công tác tháng 01/2026"),
        Block(text="Trong tháng, xã đã tiếp nhận 12 hồ sơ."),
    )
    assert [(q.value, q.unit) for q in r.quantities] == [(12, "hồ sơ")]


@pytest.mark.parametrize(
    "sentence, expected",
    [
        (
            "Năm 2025, huyện cấp 418 giấy chứng nhận quyền sử dụng đất lần đầu.",
            [(418, "giấy chứng nhận quyền sử dụng đất")],
        ),
        (
            "Sửa chữa 9 phòng học và xây mới 2 phòng học bộ môn.",
            [(9, "phòng học"), (2, "phòng học bộ môn")],
        ),
        ("Cấp 2.140 thẻ bảo hiểm y tế cho người cao tuổi.", [(2140, "thẻ bảo hiểm y tế")]),
        ("Toàn xã có 3.870 thuê bao internet cố định.", [(3870, "thuê bao internet cố định")]),
    ],
)
def test_compound_counted_nouns_of_socio_economic_reports(sentence, expected):
    assert pairs(sentence)[: len(expected)] == expected
