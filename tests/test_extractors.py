"""Each extractor on sentences, including every quirk of the reference report."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from extract_helpers import report_of

from extractors.facts.periods import iter_periods, reporting_period
from extractors.pipeline import extract_source
from extractors.text.normalize import fold_tones, normalise_blocks, normalise_string
from schemas.models import Block, Report, Source


def body(sentence: str) -> Report:
    return report_of("BÁO CÁO", "Sơ kết công tác năm 2023", "I. KẾT QUẢ", sentence)


# -- normalisation ---------------------------------------------------------------------------


def test_nfc_and_eth_are_normalised_with_offsets_kept():
    raw = "Ðảng bộ " + "\u0110a\u0309ng"  # "Ð" (U+00D0) and a decomposed "ả"
    text, where = normalise_string(raw)
    assert text == "Đảng bộ Đảng"
    assert len(where) == len(text) and where[-1] == len(raw) - 1


def test_stray_space_in_party_identifier_is_closed():
    text, _ = normalise_string("Kết luận số 01- KL/TW, ngày 18/5/2021")
    assert "01-KL/TW" in text


def test_zero_width_and_nonbreaking_spaces():
    text, _ = normalise_string("65\u00a0đảng\u200b viên")
    assert text == "65 đảng viên"


@pytest.mark.parametrize(
    "old,new",
    [
        ("Uỷ ban", "Ủy ban"),
        ("Hoà An", "Hòa An"),
        ("HOÀ", "HÒA"),
        ("thuỷ", "thủy"),
        ("quý I", "quý I"),
    ],
)
def test_tone_folding_keeps_length(old, new):
    assert fold_tones(old) == new
    assert len(fold_tones(old)) == len(old)


def test_offset_map_leads_back_to_the_block():
    text = normalise_blocks([Block(text="a"), Block(text="Ðb")])
    assert text.text == "a\nĐb\n"
    assert text.source_position(2) == (1, 0)


def test_every_character_leads_back_to_its_source_character():
    raws = [
        "plain ascii",
        "Đảng bộ đã kết nạp",  # NFC, unchanged: no per-character map is kept
        "Ðảng " + "\u0110a\u0309ng" + "\u200b!",  # Ð, decomposed ả, a dropped zero-width space
        "Kết luận số 01- KL/TW\u00a0và “x”",
        "",
        "dòng\nhai",
    ]
    text = normalise_blocks([Block(text=r) for r in raws])
    assert set(text.changed) == {2, 3}
    for b, raw in enumerate(raws):
        line, where = normalise_string(raw.replace("\n", " "))
        start = text.block_starts[b]
        assert text.text[start : start + len(line)] == line
        for k in range(len(line)):
            assert text.source_position(start + k) == (b, where[k])
        assert text.source_position(start + len(line)) == (b, len(raw))  # its newline


# -- references ------------------------------------------------------------------------------


def test_party_identifier_with_type_date_issuer_subject():
    r = body(
        "Ban hành Kế hoạch số 168-KH/ĐUK, ngày 22/12/2022 của Ban Thường vụ về thực hiện "
        "nhiệm vụ chính trị năm 2023."
    )
    (ref,) = r.references
    assert (ref.identifier, ref.doc_type, ref.date, ref.style) == (
        "168-KH/ĐUK",
        "Kế hoạch",
        "2022-12-22",
        "party",
    )
    assert ref.issuer == "Ban Thường vụ"
    assert ref.subject and ref.subject.startswith("thực hiện nhiệm vụ")
    assert r.text[ref.start : ref.end].startswith("Kế hoạch số 168-KH/ĐUK")


def test_state_identifier_and_legal_identifier_keep_year():
    r = body("Thực hiện Kế hoạch số 95/KH-UBND, ngày 06/4/2023 và Nghị định số 30/2020/NĐ-CP.")
    by_id = {x.identifier: x for x in r.references}
    assert by_id["95/KH-UBND"].style == "state" and by_id["95/KH-UBND"].date == "2023-04-06"
    assert by_id["30/2020/NĐ-CP"].year == 2020 and by_id["30/2020/NĐ-CP"].doc_type == "Nghị định"


def test_stray_space_identifier_is_one_reference():
    r = body(
        "thực hiện Kết luận số 01- KL/TW, ngày 18/5/2021 của Bộ Chính trị về tiếp tục "
        "thực hiện Chỉ thị 05- CT/TW của Bộ Chính trị"
    )
    assert [(x.identifier, x.doc_type) for x in r.references] == [
        ("01-KL/TW", "Kết luận"),
        ("05-CT/TW", "Chỉ thị"),
    ]


def test_longest_type_name_wins():
    r = body("thực hiện Chương trình hành động số 135-CTr/TU, ngày 18/11/2022 của Tỉnh ủy")
    assert r.references[0].doc_type == "Chương trình hành động"


def test_type_from_abbreviation_when_text_names_none():
    r = body("theo 1365-CV/TU và 08-QĐi/TW")
    assert [x.doc_type for x in r.references] == ["Công văn", "Quy định"]


def test_mistyped_identifier_is_kept_as_cited_with_correction():
    r = body("Căn cứ Quyết định số 18/20202QĐ-UBND ngày 20/7/2020 của UBND tỉnh Hưng Yên")
    (ref,) = r.references
    assert ref.identifier == "18/20202QĐ-UBND" and ref.correction == "18/2020/QĐ-UBND"
    assert ref.date == "2020-07-20"


def test_blank_number_is_no_reference_and_ratio_is_no_identifier():
    r = body("tại Tờ trình số  /TTr-SNV ngày   /10/2022; 74/74 chi, đảng bộ")
    assert r.references == ()


def test_date_opening_the_sentence_dates_the_cited_law():
    r = body("Ngày 15/6/2022, Quốc hội đã thông qua Luật Thi đua, khen thưởng số 06/2022/QH15.")
    assert (r.references[0].doc_type, r.references[0].date) == ("Luật", "2022-06-15")


def test_own_number_in_header_is_not_a_reference():
    r = report_of(
        "ĐẢNG ỦY KHỐI\tĐẢNG CỘNG SẢN VIỆT NAM",
        "Số 148-BC/ĐUK\tHòa An, ngày 08 tháng 7 năm 2022",
        "BÁO CÁO",
        "sơ kết 6 tháng đầu năm 2022",
        "Kèm theo Báo cáo số 148-BC/ĐUK và Kế hoạch số 86-KH/ĐUK",
    )
    assert r.header.identifier == "148-BC/ĐUK"
    assert [x.identifier for x in r.references] == ["86-KH/ĐUK"]


# -- dates and periods -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "text,expected",
    [
        ("ngày 22/12/2022", ["2022-12-22"]),
        ("ngày 02-3-2023", ["2023-03-02"]),
        ("ngày 04 tháng 01 năm 2023", ["2023-01-04"]),
        ("(25/9/1958 - 25/9/2023)", ["1958-09-25", "2023-09-25"]),
        ("ngày 3/2 và 19/5", []),
        ("trước ngày 05/01 hàng năm", []),
        ("ngày 31/02/2023", []),
        ("tháng 6/2023, năm 2023", []),
    ],
)
def test_dates(text, expected):
    assert [d.value for d in body(text).dates] == expected


@pytest.mark.parametrize(
    "title,key,start,end",
    [
        (
            "Sơ kết 6 tháng đầu năm; Phát động nhiệm vụ 6 tháng cuối năm 2023",
            "2023-H1",
            "2023-01-01",
            "2023-06-30",
        ),
        ("tổng kết năm 2022 và phương hướng năm 2023", "2022", "2022-01-01", "2022-12-31"),
        ("báo cáo quý I/2024", "2024-Q1", "2024-01-01", "2024-03-31"),
        ("kết quả 9 tháng đầu năm 2023", "2023-9M", "2023-01-01", "2023-09-30"),
        ("tiêu chuẩn thi đua năm học 2016-2017", "2016-2017", "2016-09-01", "2017-08-31"),
        ("kết quả 06 tháng đầu năm 2023", "2023-H1", "2023-01-01", "2023-06-30"),
    ],
)
def test_reporting_period(title, key, start, end):
    period = reporting_period(title, None)
    assert period is not None
    assert (period.key, period.start, period.end) == (key, start, end)


def test_nine_months_without_year_takes_the_report_year():
    assert reporting_period("báo cáo 9 tháng", 2023).key == "2023-9M"


def test_date_is_not_a_month_period():
    assert [v.key for _, _, v in iter_periods("ngày 04 tháng 01 năm 2023")] == []


# -- quantities ------------------------------------------------------------------------------


def quantities(sentence: str) -> list[tuple[float, str]]:
    return [(q.value, q.unit) for q in body(sentence).quantities]


def test_vietnamese_number_notation():
    assert quantities("với 4.775 đảng viên, trên 98,7% đảng viên và 04 tổ đảng") == [
        (4775, "đảng viên"),
        (98.7, "%"),
        (4, "tổ đảng"),
    ]


def test_ratio_gives_numerator_of_total():
    r = body("Hiện 74/74 chi, đảng bộ cơ sở đã triển khai thực hiện")
    (q,) = r.quantities
    assert (q.value, q.of_total, q.unit) == (74, 74, "chi, đảng bộ cơ sở")  # as FACTS.md reads it


def test_qualifier_and_verb_are_kept():
    r = body("Quyết định kết nạp 65 đảng viên mới của 35 đơn vị; đã đăng tải hơn 500 tin bài")
    first, second, third = r.quantities
    assert (first.value, first.unit, first.verb) == (65, "đảng viên mới", "kết nạp")
    assert (third.value, third.qualifier) == (500, "hơn")
    assert second.unit == "đơn vị"


@pytest.mark.parametrize(
    "sentence",
    [
        "nhiệm kỳ 2020 - 2025",
        "Đại hội Công đoàn lần thứ VII, lần 3",
        "Ban Chỉ đạo 35 Đảng ủy Khối duy trì hoạt động",
        "Kế hoạch số 168-KH/ĐUK, ngày 22/12/2022",
        "bộ tiêu chí chấm điểm (Tiểu chuẩn 2) năm 2023",
        "ngày thành lập Đảng 3/2 và ngày sinh Chủ tịch Hồ Chí Minh 19/5, đợt 2/9 và 7/11 trao cho",
    ],
)
def test_not_quantities(sentence):
    assert quantities(sentence) == []


def test_multiplier_words_stay_in_the_unit():
    assert quantities("với tổng trị giá 356,5 triệu đồng") == [(356.5, "triệu đồng")]


def test_percentage_with_qualifier():
    r = body("đạt tỷ lệ trên 92%.")
    assert [(q.value, q.unit, q.qualifier) for q in r.quantities] == [(92, "%", "trên")]


# -- awards ----------------------------------------------------------------------------------


def awards(sentence: str) -> list[tuple[str, str | None, int | None]]:
    return [(a.title, a.recipient_kind, a.count) for a in body(sentence).awards]


def test_award_titles_and_recipients_from_the_reference_report():
    assert awards(
        "Thủ trưởng Cơ quan Đảng ủy Khối đã công nhận danh hiệu “Tập thể Lao động tiên tiến” "
        "đối với 06 tập thể; Công nhận danh hiệu “Lao động tiên tiến” đối với 28 đồng chí; danh "
        "hiệu “Chiến sỹ thi đua cấp cơ sở” đối với 06 đồng chí. Đề nghị và được UBND tỉnh quyết "
        "định công nhận danh hiệu “Tập thể lao động Xuất sắc” đối với 01 tập thể và tặng Bằng khen "
        "cho 01 tập thể; tặng bằng khen cho 03 đồng chí."
    ) == [
        ("Tập thể lao động tiên tiến", "tập thể", 6),
        ("Lao động tiên tiến", "cá nhân", 28),
        ("Chiến sĩ thi đua cơ sở", "cá nhân", 6),
        ("Tập thể lao động xuất sắc", "tập thể", 1),
        ("Bằng khen", "tập thể", 1),
        ("Bằng khen", "cá nhân", 3),
    ]


def test_one_title_for_two_kinds_of_recipient():
    assert awards("Ban Thường vụ Tỉnh ủy đã tặng Bằng khen cho 05 tập thể và 09 cá nhân") == [
        ("Bằng khen", "tập thể", 5),
        ("Bằng khen", "cá nhân", 9),
    ]


def test_count_before_title():
    assert awards(
        "Tại cơ quan, 04 tập thể đạt danh hiệu “Tập thể lao động tiên tiến” và 05 đồng "
        "chí đạt danh hiệu “Chiến sỹ thi đua cơ sở”."
    ) == [("Tập thể lao động tiên tiến", "tập thể", 4), ("Chiến sĩ thi đua cơ sở", "cá nhân", 5)]


def test_named_body_has_no_count():
    assert awards("Đảng bộ Khối vinh dự được Ban Thường vụ Tỉnh ủy tặng Bằng khen; đồng thời") == [
        ("Bằng khen", "tập thể", None)
    ]


def test_party_badges_are_awards_and_their_breakdown_is_not_repeated():
    assert awards(
        "đã trao tặng Huy hiệu Đảng cho 86 đồng chí, trong đó: Huy hiệu 55 năm tuổi Đảng "
        "02 đồng chí"
    ) == [("Huy hiệu Đảng", "cá nhân", 86)]


@pytest.mark.parametrize(
    "sentence",
    [
        "đã lập hồ sơ đề nghị Chủ tịch UBND tỉnh tặng Bằng khen cho 02 tập thể và 06 cá nhân",
        "Mỗi một khối thi đua đề nghị xét tặng: 02 Cờ và 01 Bằng khen.",
        "Danh hiệu “Lao động tiên tiến” được xét tặng cho cá nhân đạt các tiêu chuẩn sau",
    ],
)
def test_proposals_quotas_and_criteria_are_no_awards(sentence):
    assert awards(sentence) == []


# -- structure and checks --------------------------------------------------------------------


def test_header_issuer_date_title_and_period():
    r = report_of(
        "ĐẢNG BỘ TỈNH HÒA AN\tĐẢNG CỘNG SẢN VIỆT NAM",
        "ĐẢNG UỶ KHỐI CÁC CƠ QUAN TỈNH",
        "*",
        "Số 189-BC/ĐUK\tHoà An, ngày 16 tháng 12 năm 2022",
        "",
        "BÁO CÁO",
        "tổng kết công tác năm 2022",
        "và phương hướng, nhiệm vụ năm 2023",
        "-----",
        "I. ĐẶC ĐIỂM TÌNH HÌNH",
        "1. Thuận lợi",
        "Nội dung.",
        "II. KẾT QUẢ",
    )
    h = r.header
    assert h.issuer == "ĐẢNG UỶ KHỐI CÁC CƠ QUAN TỈNH" and h.parent_issuer == "ĐẢNG BỘ TỈNH HÒA AN"
    assert (h.identifier, h.date, h.place, h.doc_type) == (
        "189-BC/ĐUK",
        "2022-12-16",
        "Hoà An",
        "Báo cáo",
    )
    assert h.period is not None and h.period.key == "2022"
    assert [s.path for s in r.sections] == ["I", "I/1", "II"]


def test_issuer_from_the_closing_sentence_when_there_is_no_header():
    r = report_of(
        "BÁO CÁO",
        "Sơ kết 6 tháng đầu năm 2023",
        "Nội dung.",
        "Trên đây là báo cáo sơ kết của cơ quan Đảng uỷ Khối cơ quan tỉnh.",
    )
    assert r.header.issuer == "cơ quan Đảng uỷ Khối cơ quan tỉnh"


def test_findings_percentage_breakdown_and_identifier():
    r = body(
        "Hiện 74/74 chi đã triển khai, với 4.300 đảng viên sử dụng nền tảng trên tổng số "
        "4.675 tài khoản đã được tạo lập, đạt tỷ lệ trên 92%."
    )
    assert [f.code for f in r.findings] == ["C002"]
    r = body(
        "Toàn Đảng bộ kết nạp được 131 đảng viên mới, trong đó: khối A 29 đồng chí; khối B 79 "
        "đồng chí; khối C 25 đồng chí."
    )
    assert [f.code for f in r.findings] == ["C001"]
    r = body(
        "Kế hoạch số 195-KH/ĐUK, ngày 09/5/2023 về hưởng ứng phong trào thi đua xây dựng hạ "
        "tầng; Kế hoạch số 195-KH/ĐUK, ngày 09/5/2023 về tổ chức kỷ niệm 65 năm Ngày Bác Hồ."
    )
    assert [f.code for f in r.findings] == ["C003"]


def test_breakdown_that_sums_is_not_flagged():
    r = body(
        "kiểm tra 104 cuộc đối với 63 tổ chức đảng, trong đó: Ban Thường vụ kiểm tra 05 cuộc, "
        "Ủy ban Kiểm tra kiểm tra 99 cuộc; giám sát 47 cuộc đối với 31 tổ chức đảng."
    )
    assert r.findings == ()


# -- tables ----------------------------------------------------------------------------------


def table_report(rows: list[list[str]]) -> Report:
    blocks = [Block(text="BÁO CÁO"), Block(text="kết quả năm 2023")]
    blocks += [
        Block(kind="table_row", text="\t".join(r), cells=tuple(r), table=0, row=i)
        for i, r in enumerate(rows)
    ]
    data = "\n".join(b.text for b in blocks).encode()
    return extract_source(
        Source(
            path="t.docx",
            format="docx",
            size=len(data),
            blocks=tuple(blocks),
            sha256=hashlib.sha256(data).hexdigest(),
        )
    )


def test_indicator_table_rows_and_quantities():
    r = table_report(
        [
            [
                "TT",
                "Chỉ tiêu",
                "ĐVT",
                "Kế hoạch năm 2023",
                "Kết quả thực hiện",
                "Kết quả thực hiện",
                "Tỷ lệ % so với KH năm",
            ],
            [
                "TT",
                "Chỉ tiêu",
                "ĐVT",
                "Kế hoạch năm 2023",
                "06 tháng đầu năm 2023",
                "Cùng kỳ năm 2022",
                "Tỷ lệ % so với KH năm",
            ],
            ["1", "Kết nạp đảng viên mới", "Đảng viên", "140", "64", "58", "45,7"],
        ]
    )
    (table,) = r.tables
    assert (table.kind, table.header_rows) == ("indicator", 2)
    (row,) = r.indicators
    assert (row.indicator, row.unit, row.plan, row.achieved, row.previous, row.percent) == (
        "Kết nạp đảng viên mới",
        "Đảng viên",
        140,
        64,
        58,
        45.7,
    )
    assert (row.table, row.row) == (0, 2)
    cells = {(q.column, q.value, q.unit) for q in r.quantities}
    assert (4, 64, "Đảng viên") in cells and (5, 58, "Đảng viên") in cells
    assert not any(q.column == 0 for q in r.quantities)  # row numbers are not quantities


def test_award_table_counts_take_the_column_head():
    r = table_report(
        [
            ["TT", "Hình thức khen thưởng", "Số lượng", "Số lượng"],
            ["TT", "Hình thức khen thưởng", "Tập thể", "Cá nhân"],
            ["1", "Bằng khen của Ban Thường vụ Tỉnh ủy", "03", "05"],
            ["", "Tổng cộng", "24", "78"],
        ]
    )
    assert r.tables[0].kind == "award"
    assert [(q.value, q.unit) for q in r.quantities] == [
        (3, "Tập thể"),
        (5, "Cá nhân"),
        (24, "Tập thể"),
        (78, "Cá nhân"),
    ]


def test_criteria_table_points_per_tier():
    r = table_report(
        [
            ["Mã", "Tiêu chí", "ĐVT", "Chỉ tiêu", "Điểm chuẩn"],
            [
                "2.3",
                "Tỷ lệ tổ chức cơ sở Đảng hoàn thành nhiệm vụ",
                "%",
                "100",
                "Tốt: 30\nKhá: 24\nTB: 18\nYếu: 0",
            ],
            ["", "Kết nạp đảng viên mới", "Đảng viên", "150", "10"],
        ]
    )
    assert r.tables[0].kind == "criteria"
    first, second = r.criteria
    assert (first.code, first.unit, first.target) == ("2.3", "%", 100)
    assert first.points == (("Tốt", 30), ("Khá", 24), ("Tb", 18), ("Yếu", 0))
    assert second.points == (("Tối đa", 10),)


@pytest.mark.parametrize(
    "line,expected",
    [
        ("Số: 275 /QĐ- CĐSP", "275/QĐ-CĐSP"),
        ("Số 148-BC/ĐUK", "148-BC/ĐUK"),
        ("Số:    /HD – HĐTĐKT", None),
        ("Số: 06/2022/QH15", "06/2022/QH15"),
    ],
)
def test_own_number_in_the_header(line, expected):
    r = report_of("ỦY BAN NHÂN DÂN TỈNH", line, "BÁO CÁO", "kết quả năm 2023", "Nội dung.")
    assert r.header.identifier == expected


def test_identifier_typed_with_spaces():
    r = body("theo Quyết định số 123 /QĐ- UBND ngày 12/9/2016 của Ủy ban")
    assert [(x.identifier, x.date) for x in r.references] == [("123/QĐ-UBND", "2016-09-12")]


def test_cong_van_is_known_by_its_subject_line():
    r = report_of(
        "UBND TỈNH X\tCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "SỞ NỘI VỤ\tĐộc lập - Tự do - Hạnh phúc",
        "Số: 526/SNV-TĐKT\tX, ngày 04 tháng 4 năm 2016",
        "V/v hướng dẫn công tác thi đua năm 2016",
        "Kính gửi: các đơn vị",
    )
    assert (r.header.doc_type, r.header.title) == (
        "Công văn",
        "hướng dẫn công tác thi đua năm 2016",
    )
    assert r.header.issuer == "SỞ NỘI VỤ" and r.header.identifier == "526/SNV-TĐKT"


def test_a_draft_mark_is_not_the_title():
    r = report_of("ỦY BAN NHÂN DÂN TỈNH", "DỰ THẢO", "QUYẾT ĐỊNH", "Về việc tặng Bằng khen")
    assert (r.header.doc_type, r.header.title) == ("Quyết định", "Về việc tặng Bằng khen")


def test_coverage_merges_overlapping_and_touching_spans():
    from extractors.text.spans import Coverage

    covered = Coverage([(10, 20), (5, 12), (20, 25), (40, 40), (30, 35)])
    assert [o for o in range(0, 45) if covered.covers(o)] == [*range(5, 25), *range(30, 35)]


def test_finding_messages_are_vietnamese_with_english_available() -> None:
    from extractors.facts.checks import MESSAGES, find_inconsistencies, finding_message
    from extractors.pipeline import extract

    case = Path(__file__).resolve().parent / "cases" / "finding-percentage-mismatch" / "input.txt"
    report = extract(case)
    [vi] = [f for f in report.findings if f.code == "C002"]
    [en] = [f for f in find_inconsistencies(report, lang="en") if f.code == "C002"]
    assert " là " in vi.message and "văn bản ghi" in vi.message
    assert " is " in en.message and "the text says" in en.message
    assert (vi.start, vi.end) == (en.start, en.end)
    assert set(MESSAGES) == {"C001", "C002", "C003", "C004"}
    assert finding_message("C004", "en", identifier="5-KH/ĐU", date="2024-02-01", own="2024-01-20")


def test_a_count_column_gives_its_cells_the_noun_it_counts():
    # "Tổng số X ..." / "Số X ..." heads count X; a PDF may split "STT" into "ST T"
    r = table_report(
        [
            ["ST T", "Cơ quan", "Tổng số hồ sơ tiếp nhận", "Số hồ sơ giải quyết đúng hạn"],
            ["1", "Phòng Tư pháp", "214", "209"],
            ["2", "Phòng Tài nguyên và Môi trường", "1.032", "987"],
        ]
    )
    found = [(q.value, q.unit) for q in r.quantities]
    assert (214, "hồ sơ tiếp nhận") in found and (987, "hồ sơ giải quyết đúng hạn") in found
    assert not [q for q in r.quantities if q.value in (1, 2)]  # row numbers
