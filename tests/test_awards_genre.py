"""Award statements in every common construction of the genre, on sentences written as an official
would write them (committees, numbers and names invented; none is taken from a corpus file)."""

from __future__ import annotations

import hashlib

import pytest
from extract_helpers import report_of, table_awards

from extractors.facts.awards import recipient_kind
from extractors.pipeline import extract_source
from schemas.models import Block, Source
from schemas.vocab import award_titles


def awards(*lines: str) -> list[tuple[str, str | None, int | None]]:
    r = report_of(
        "BÁO CÁO", "Tổng kết công tác thi đua, khen thưởng năm 2024", "I. KẾT QUẢ", *lines
    )
    return [(a.title, a.recipient_kind, a.count) for a in r.awards]


def authorities(*lines: str) -> list[str | None]:
    r = report_of("BÁO CÁO", "Tổng kết công tác năm 2024", "I. KẾT QUẢ", *lines)
    return [a.authority for a in r.awards]


# -- the count after the title -----------------------------------------------------------------


def test_title_then_year_then_count_of_collectives():
    assert awards(
        "Chủ tịch UBND tỉnh đã công nhận danh hiệu Tập thể lao động xuất sắc năm 2024 cho 17 "
        "tập thể thuộc Sở Tài chính."
    ) == [("Tập thể lao động xuất sắc", "tập thể", 17)]


def test_decision_article_grants_to_businesses_and_business_people():
    assert awards(
        "Điều 1. Tặng Bằng khen của Chủ tịch Ủy ban nhân dân tỉnh cho 08 doanh nghiệp và 05 "
        "doanh nhân đã có thành tích xuất sắc trong sản xuất, kinh doanh năm 2024."
    ) == [("Bằng khen", "tập thể", 8), ("Bằng khen", "cá nhân", 5)]


def test_count_with_the_number_in_words():
    assert awards("Điều 1. Tặng Giấy khen cho 01 (một) tập thể thuộc Phòng Tư pháp huyện.") == [
        ("Giấy khen", "tập thể", 1)
    ]


def test_orders_keep_their_class_and_each_takes_its_own_recipients():
    assert awards(
        "Chủ tịch nước tặng thưởng Huân chương Lao động hạng Nhì cho 02 tập thể và Huân chương "
        "Lao động hạng Ba cho 05 cá nhân của ngành Giao thông vận tải."
    ) == [
        ("Huân chương Lao động hạng Nhì", "tập thể", 2),
        ("Huân chương Lao động hạng Ba", "cá nhân", 5),
    ]


def test_trade_union_recipients():
    assert awards(
        "Ban Chấp hành Công đoàn ngành tặng Giấy khen cho 21 công đoàn cơ sở và 64 công đoàn viên."
    ) == [("Giấy khen", "tập thể", 21), ("Giấy khen", "cá nhân", 64)]


def test_abbreviated_titles_and_the_verb_carried_over():
    assert awards(
        "Kết quả, Thủ trưởng cơ quan đã quyết định khen thưởng, trong đó: danh hiệu LĐTT cho 42 "
        "đồng chí, CSTĐCS cho 07 đồng chí."
    ) == [("Lao động tiên tiến", "cá nhân", 42), ("Chiến sĩ thi đua cơ sở", "cá nhân", 7)]


def test_party_badge_by_age_is_the_party_badge():
    assert awards("Ban Thường vụ Thành ủy trao Huy hiệu 40 năm tuổi Đảng cho 12 đồng chí.") == [
        ("Huy hiệu Đảng", "cá nhân", 12)
    ]


def test_posthumous_state_honour_title():
    assert awards("Chủ tịch nước truy tặng danh hiệu Bà mẹ Việt Nam anh hùng cho 03 mẹ.") == [
        ("Bà mẹ Việt Nam anh hùng", "cá nhân", 3)
    ]


# -- a label and its count ---------------------------------------------------------------------


def test_labels_with_counts_after_a_lead_in_of_results():
    assert awards(
        "Kết quả khen thưởng năm 2024 như sau: Bằng khen của Chủ tịch UBND tỉnh: 04 tập thể, 09 "
        "cá nhân; Giấy khen của Giám đốc Sở: 11 tập thể, 26 cá nhân."
    ) == [
        ("Bằng khen", "tập thể", 4),
        ("Bằng khen", "cá nhân", 9),
        ("Giấy khen", "tập thể", 11),
        ("Giấy khen", "cá nhân", 26),
    ]


def test_list_items_under_a_lead_in_line():
    assert awards(
        "Trong năm, Giám đốc Sở đã khen thưởng như sau:",
        "- Danh hiệu “Chiến sĩ thi đua cơ sở”: 14 cá nhân;",
        "- Giấy khen: 09 tập thể, 33 cá nhân.",
    ) == [
        ("Chiến sĩ thi đua cơ sở", "cá nhân", 14),
        ("Giấy khen", "tập thể", 9),
        ("Giấy khen", "cá nhân", 33),
    ]


def test_list_items_under_a_lead_in_of_proposals_are_no_grants():
    assert (
        awards(
            "Hội đồng Thi đua - Khen thưởng huyện thống nhất đề nghị cấp trên khen thưởng:",
            "- Bằng khen của Thủ tướng Chính phủ: 01 tập thể;",
            "- Cờ thi đua của UBND tỉnh: 02 tập thể.",
        )
        == []
    )


def test_a_label_with_no_lead_in_is_no_grant():
    assert awards("- Danh hiệu “Lao động tiên tiến”: 312 cá nhân;") == []


# -- the recipients as subject -----------------------------------------------------------------


def test_counted_subjects_that_reach_a_title():
    assert awards(
        "Năm 2024, toàn ngành có 215 cá nhân đạt danh hiệu “Lao động tiên tiến” và 31 cá nhân "
        "đạt danh hiệu “Chiến sĩ thi đua cơ sở”."
    ) == [("Lao động tiên tiến", "cá nhân", 215), ("Chiến sĩ thi đua cơ sở", "cá nhân", 31)]


def test_counted_subjects_with_a_passive_grant():
    assert awards(
        "12 tập thể và 27 cá nhân có thành tích xuất sắc được Chủ tịch UBND huyện tặng Giấy khen."
    ) == [("Giấy khen", "tập thể", 12), ("Giấy khen", "cá nhân", 27)]


def test_recognised_subjects_after_the_verb():
    assert awards("UBND tỉnh công nhận 45 cá nhân đạt danh hiệu Chiến sỹ thi đua cấp tỉnh.") == [
        ("Chiến sĩ thi đua cấp tỉnh", "cá nhân", 45)
    ]


def test_counted_badges_whose_recipients_go_without_saying():
    assert awards(
        "Nhân dịp 3/2, Ban Thường vụ Huyện ủy đã trao 47 Huy hiệu Đảng cho đảng viên."
    ) == [("Huy hiệu Đảng", "cá nhân", 47)]


def test_a_business_honoured_with_an_order_has_no_count():
    assert awards(
        "Công ty Cổ phần Thủy sản Long Phú vinh dự được Chủ tịch nước tặng thưởng Huân chương "
        "Lao động hạng Ba."
    ) == [("Huân chương Lao động hạng Ba", "tập thể", None)]


def test_a_school_that_receives_a_flag():
    assert awards("Năm học 2023-2024, Nhà trường nhận Cờ thi đua của Bộ Giáo dục và Đào tạo.") == [
        ("Cờ thi đua", "tập thể", None)
    ]


def test_a_person_named_before_an_apposition():
    assert awards(
        "Bà Nguyễn Thị Hoa, Chủ tịch Hội Phụ nữ xã Tân Phú, được Thủ tướng Chính phủ tặng "
        "Bằng khen."
    ) == [("Bằng khen", "cá nhân", None)]


# -- recipients named without a count ----------------------------------------------------------


def test_decision_to_one_named_body():
    assert awards(
        "Điều 1. Tặng Cờ thi đua của Chính phủ cho Trường Trung học phổ thông Nguyễn Huệ, huyện "
        "Đông Sơn."
    ) == [("Cờ thi đua", "tập thể", None)]


def test_collectives_and_individuals_without_counts():
    assert awards(
        "Chủ tịch UBND tỉnh đã tặng Bằng khen cho các tập thể, cá nhân có thành tích xuất sắc "
        "trong phòng, chống thiên tai."
    ) == [("Bằng khen", "tập thể", None), ("Bằng khen", "cá nhân", None)]


def test_subject_line_and_article_one_are_one_grant():
    r = report_of(
        "QUYẾT ĐỊNH",
        "V/v tặng Giấy khen cho 01 tập thể",
        "CHỦ TỊCH UBND HUYỆN TÂN PHƯỚC",
        "QUYẾT ĐỊNH:",
        "Điều 1. Tặng Giấy khen cho Trạm Y tế xã Phú Mỹ đã có thành tích xuất sắc năm 2024.",
    )
    assert [(a.title, a.recipient_kind, a.count) for a in r.awards] == [("Giấy khen", "tập thể", 1)]


# -- the conferring body -----------------------------------------------------------------------


def test_conferring_body_is_the_authority_not_part_of_the_title():
    assert authorities(
        "Điều 1. Tặng Cờ thi đua của Chính phủ cho Trường Tiểu học Hòa Bình.",
        "Năm 2024, Nhà trường nhận Bằng khen của Bộ Giáo dục và Đào tạo.",
        "Chủ tịch UBND tỉnh đã tặng Giấy khen cho 05 cá nhân.",
    ) == ["Chính phủ", "Bộ Giáo dục và Đào tạo", "Chủ tịch UBND tỉnh"]


# -- no grant ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "sentence",
    [
        "Hội đồng Thi đua - Khen thưởng huyện đã đề nghị Chủ tịch UBND tỉnh tặng Bằng khen cho 06 "
        "tập thể và 14 cá nhân.",
        "Giấy khen của Hiệu trưởng để tặng cho cá nhân đạt một trong các tiêu chuẩn sau:",
        "Phấn đấu có 85% cán bộ đạt danh hiệu Lao động tiên tiến, 15% đạt danh hiệu Chiến sĩ thi "
        "đua cơ sở.",
        "Năm 2024 không có cá nhân nào đạt danh hiệu Chiến sĩ thi đua cấp tỉnh.",
        "Mỗi cụm thi đua được suy tôn tối đa 01 tập thể để đề nghị tặng Cờ thi đua.",
        "Danh hiệu “Tập thể lao động xuất sắc” được xét tặng cho tập thể đạt các tiêu chuẩn sau:",
        "Quyết định tặng Bằng khen cho 02 cá nhân vi phạm quy định đã bị thu hồi.",
        "Cuối năm, UBND huyện tặng Giấy khen cho các tập thể, cá nhân có thành tích tiêu biểu.",
        "Cá nhân được tặng Bằng khen của Chủ tịch UBND tỉnh phải có 02 năm liên tục hoàn thành "
        "xuất sắc nhiệm vụ.",
    ],
)
def test_proposals_plans_criteria_and_negations_are_no_grants(sentence):
    assert awards(sentence) == []


@pytest.mark.parametrize(
    "sentence,count",
    [
        (
            "Theo đề nghị của Giám đốc Sở Nội vụ, Chủ tịch UBND tỉnh đã tặng Bằng khen cho 03 "
            "tập thể.",
            3,
        ),
        ("Thực hiện đúng quy trình, Chủ tịch UBND tỉnh đã tặng Bằng khen cho 05 tập thể.", 5),
    ],
)
def test_words_that_only_look_like_a_proposal(sentence, count):
    assert awards(sentence) == [("Bằng khen", "tập thể", count)]


# -- award tables ------------------------------------------------------------------------------


def test_award_table_of_results_gives_one_grant_per_count_cell():
    rows = [
        ("TT", "Hình thức khen thưởng", "Tập thể", "Cá nhân"),
        ("1", "Bằng khen của Chủ tịch UBND tỉnh", "06", "15"),
        ("2", "Danh hiệu “Chiến sĩ thi đua cơ sở”", "-", "08"),
        ("3", "Cờ thi đua của UBND tỉnh", "02", "17"),
    ]
    blocks = tuple(
        Block(text=t) for t in ("BÁO CÁO", "Tổng kết công tác năm 2024", "Kết quả khen thưởng")
    ) + tuple(
        Block(text="\t".join(row), kind="table_row", table=0, row=i, cells=row)
        for i, row in enumerate(rows)
    )
    data = "\n".join(b.text for b in blocks).encode()
    source = Source(
        path="t.docx",
        format="docx",
        sha256=hashlib.sha256(data).hexdigest(),
        size=len(data),
        blocks=blocks,
    )
    assert [
        (a.title, a.recipient_kind, a.count, a.rule) for a in extract_source(source).awards
    ] == [
        ("Bằng khen", "tập thể", 6, "award.table"),
        ("Bằng khen", "cá nhân", 15, "award.table"),
        ("Chiến sĩ thi đua cơ sở", "cá nhân", 8, "award.table"),
        ("Cờ thi đua", "tập thể", 2, "award.table"),
    ]


# -- the vocabulary ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "written,canonical",
    [
        ("Chiến sỹ thi đua cấp cơ sở", "Chiến sĩ thi đua cơ sở"),
        ("CSTĐCS", "Chiến sĩ thi đua cơ sở"),
        ("LĐTT", "Lao động tiên tiến"),
        ("TTLĐXS", "Tập thể lao động xuất sắc"),
        ("Chiến sĩ thi đua bộ, ban, ngành, tỉnh", "Chiến sĩ thi đua cấp tỉnh"),
        ("Cờ thi đua của Chính phủ", "Cờ thi đua"),
        ("Bằng khen của Thủ tướng Chính phủ", "Bằng khen"),
        ("Huân chương Lao động hạng III", "Huân chương Lao động hạng Ba"),
        ("Huân chương Dũng cảm", "Huân chương Dũng cảm"),
        ("Huy chương Chiến sĩ vẻ vang hạng Nhì", "Huy chương Chiến sĩ vẻ vang hạng Nhì"),
        ("Huy hiệu 75 năm tuổi Đảng", "Huy hiệu Đảng"),
        ("Kỉ niệm chương", "Kỷ niệm chương"),
        ("Gia đình văn hoá", "Gia đình văn hóa"),
        ("Nghệ nhân ưu tú", "Nghệ nhân ưu tú"),
    ],
)
def test_title_vocabulary_reads_the_spellings_of_the_genre(written, canonical):
    names = {v.lower(): t.canonical for t in award_titles() for v in t.variants}
    assert names[written.lower()] == canonical


@pytest.mark.parametrize(
    "noun,kind",
    [
        ("doanh nghiệp nhỏ và vừa", "tập thể"),
        ("doanh nhân", "cá nhân"),
        ("hội viên", "cá nhân"),
        ("hộ gia đình", "tập thể"),
        ("công đoàn viên", "cá nhân"),
        ("công đoàn cơ sở", "tập thể"),
        ("nhà trường", "tập thể"),
        ("năm liền", None),
    ],
)
def test_recipient_nouns_are_read_by_whole_words(noun, kind):
    assert recipient_kind(noun) == kind


def test_recipients_counted_by_times_given():
    assert awards("Có 12 lượt tập thể và 30 lượt cá nhân được khen thưởng Giấy khen.") == [
        ("Giấy khen", "tập thể", 12),
        ("Giấy khen", "cá nhân", 30),
    ]


def test_a_review_of_nominations_that_ends_in_titles_is_a_grant():
    assert awards("Qua bình xét, đã có 38 cá nhân đạt danh hiệu Lao động tiên tiến.") == [
        ("Lao động tiên tiến", "cá nhân", 38)
    ]


def test_the_reporting_body_named_by_a_common_noun_with_its_authority():
    assert awards("Năm 2023, đơn vị được UBND tỉnh tặng Cờ thi đua.") == [
        ("Cờ thi đua", "tập thể", None)
    ]


def test_counts_in_brackets_after_determined_recipients():
    assert awards(
        "Hiệu trưởng đã tặng Giấy khen cho các tập thể, cá nhân (06 tập thể, 21 cá nhân) có thành "
        "tích trong năm học."
    ) == [("Giấy khen", "tập thể", 6), ("Giấy khen", "cá nhân", 21)]


@pytest.mark.parametrize(
    "sentence",
    [
        "Đơn vị được tặng Cờ thi đua phải dẫn đầu khối thi đua.",
        "Nhà trường được tặng Cờ thi đua khi đạt các tiêu chí sau.",
    ],
)
def test_a_common_noun_without_authority_is_a_rule_not_a_grant(sentence):
    assert awards(sentence) == []


def test_the_verb_after_the_title_in_a_passive_statement():
    assert awards(
        "Bằng khen của Chủ tịch UBND tỉnh đã được trao cho 05 tập thể và 11 cá nhân."
    ) == [
        ("Bằng khen", "tập thể", 5),
        ("Bằng khen", "cá nhân", 11),
    ]


def test_a_ratio_counts_its_first_number():
    assert awards("Năm 2024, toàn xã có 1.250/1.380 hộ đạt danh hiệu Gia đình văn hóa.") == [
        ("Gia đình văn hóa", "tập thể", 1250)
    ]


def test_recipients_then_the_form_of_commendation():
    assert awards(
        "Trong năm, Ủy ban đã khen thưởng 12 tập thể, 25 cá nhân bằng hình thức Giấy khen."
    ) == [("Giấy khen", "tập thể", 12), ("Giấy khen", "cá nhân", 25)]


def test_a_proposal_governs_the_clauses_that_share_its_subject():
    assert (
        awards(
            "Đề nghị UBND tỉnh tặng Bằng khen cho 03 tập thể, 05 cá nhân; tặng Giấy khen cho 10 "
            "tập thể."
        )
        == []
    )


def test_decision_granting_to_the_persons_listed_below():
    assert awards("Điều 1. Tặng danh hiệu Chiến sĩ thi đua cơ sở cho các cá nhân có tên sau:") == [
        ("Chiến sĩ thi đua cơ sở", "cá nhân", None)
    ]


def test_a_statement_wrapped_over_the_lines_of_a_pdf():
    assert awards(
        "Ghi nhận những kết quả đạt được trong năm học 2023 - 2024, Trường Trung học cơ sở",
        "Lê Lợi vinh dự được Chủ tịch Ủy ban nhân dân tỉnh tặng Bằng khen; Chủ tịch UBND huyện",
        "tặng Giấy khen cho 04 tập thể và 17 cá nhân có thành tích xuất sắc trong phong trào thi",
        "đua “Dạy tốt - học tốt”.",
    ) == [("Bằng khen", "tập thể", None), ("Giấy khen", "tập thể", 4), ("Giấy khen", "cá nhân", 17)]


def test_a_title_broken_across_two_lines():
    assert awards(
        "Năm 2024, Ban Thường vụ Huyện ủy đã trao tặng Huy hiệu Đảng cho 38 đồng chí và tặng Giấy",
        "khen cho 09 tổ chức cơ sở đảng hoàn thành xuất sắc nhiệm vụ tiêu biểu.",
    ) == [("Huy hiệu Đảng", "cá nhân", 38), ("Giấy khen", "tập thể", 9)]


def test_short_lines_and_list_items_are_not_joined():
    assert (
        awards(
            "Công tác khen thưởng",
            "Bằng khen: 05 tập thể",
        )
        == []
    )


@pytest.mark.parametrize(
    "lines",
    [
        # a decision's article naming its recipients after a colon, on the same line or the next
        ["Điều 1. Tặng thưởng Bằng khen của Thủ tướng Chính phủ cho: Nhân dân và cán bộ xã Tân Mỹ"],
        [
            "Điều 1 Tặng thưởng bằng khen của Thủ tướng Chính phủ cho:",
            "Nhân dân và cán bộ huyện Đồng Xuân, tỉnh Phú Yên, đã có thành tích xuất sắc",
        ],
        [
            "Điều 1. Tặng Bằng khen của Chủ tịch Ủy ban nhân dân tỉnh cho:",
            "Công ty Cổ phần Mía đường An Khê",
        ],
    ],
)
def test_a_decision_names_its_collective_recipient_after_a_colon(lines: list[str]) -> None:
    grants = [(a.title, a.recipient_kind, a.count) for a in report_of(*lines).awards]
    assert grants == [("Bằng khen", "tập thể", None)]


# -- more constructions: badges by age, shared subjects, the reporting body, review results ----


def test_badges_of_two_ages_each_with_recipients_are_two_grants():
    assert awards(
        "Nhân dịp 3/2, Đảng ủy xã trao Huy hiệu 40 năm tuổi Đảng cho 14 đảng viên, Huy hiệu "
        "60 năm tuổi Đảng cho 3 đảng viên."
    ) == [("Huy hiệu Đảng", "cá nhân", 14), ("Huy hiệu Đảng", "cá nhân", 3)]


def test_the_breakdown_of_a_badge_total_by_age_stays_out():
    assert awards(
        "Trong năm đã trao 56 Huy hiệu Đảng (gồm: 2 Huy hiệu 70 năm, 54 Huy hiệu 30 năm tuổi Đảng)."
    ) == [("Huy hiệu Đảng", "cá nhân", 56)]


@pytest.mark.parametrize(
    "sentence, expected",
    [
        (
            "Hội Nông dân xã được Trung ương Hội tặng Bằng khen năm 2022 và Cờ thi đua năm 2024.",
            [("Bằng khen", "tập thể", None), ("Cờ thi đua", "tập thể", None)],
        ),
        (
            "Nhà trường được tặng Bằng khen của UBND tỉnh và Giấy khen của Sở Giáo dục và Đào tạo.",
            [("Bằng khen", "tập thể", None), ("Giấy khen", "tập thể", None)],
        ),
    ],
)
def test_two_titles_joined_share_their_named_subject(sentence, expected):
    assert awards(sentence) == expected


def test_a_report_names_its_own_body_with_a_common_noun():
    assert awards("Năm học 2023-2024, trường đạt danh hiệu Tập thể lao động xuất sắc.") == [
        ("Tập thể lao động xuất sắc", "tập thể", None)
    ]


def test_a_plan_s_target_for_its_own_body_is_no_grant():
    r = report_of(
        "KẾ HOẠCH",
        "Phát động thi đua năm học 2024-2025",
        "II. CHỈ TIÊU",
        "- Trường đạt danh hiệu Tập thể lao động xuất sắc.",
    )
    assert r.awards == ()


def test_a_bullet_labelled_with_the_kind_of_recipient():
    assert awards(
        "Kết quả thi đua năm 2024 của đơn vị:",
        "- Tập thể: đạt danh hiệu Tập thể lao động tiên tiến.",
        "- Cá nhân: 12 đồng chí đạt Lao động tiên tiến, 02 đồng chí đạt Chiến sĩ thi đua cơ sở.",
    ) == [
        ("Tập thể lao động tiên tiến", "tập thể", None),
        ("Lao động tiên tiến", "cá nhân", 12),
        ("Chiến sĩ thi đua cơ sở", "cá nhân", 2),
    ]


def test_labels_with_counts_after_the_results_of_a_review():
    assert awards(
        "Kết quả bình xét thi đua năm 2024: Lao động tiên tiến: 187 cá nhân; Chiến sĩ thi đua "
        "cơ sở: 21 cá nhân; Tập thể lao động xuất sắc: 04 tập thể."
    ) == [
        ("Lao động tiên tiến", "cá nhân", 187),
        ("Chiến sĩ thi đua cơ sở", "cá nhân", 21),
        ("Tập thể lao động xuất sắc", "tập thể", 4),
    ]


@pytest.mark.parametrize(
    "sentence, expected",
    [
        (
            "Chủ tịch UBND huyện đã công nhận danh hiệu “Lao động tiên tiến” cho 156 cá nhân và "
            "danh hiệu “Tập thể lao động tiên tiến” cho 23 tập thể.",
            [("Lao động tiên tiến", "cá nhân", 156), ("Tập thể lao động tiên tiến", "tập thể", 23)],
        ),
        (
            "Giám đốc Sở Y tế quyết định tặng danh hiệu Chiến sĩ thi đua cơ sở đối với 19 công "
            "chức, viên chức.",
            [("Chiến sĩ thi đua cơ sở", "cá nhân", 19)],
        ),
        (
            "Ban Thường vụ Huyện đoàn tặng Giấy khen cho 15 cơ sở Đoàn và 42 đoàn viên.",
            [("Giấy khen", "tập thể", 15), ("Giấy khen", "cá nhân", 42)],
        ),
        (
            "Có 38 đồng chí đạt danh hiệu Chiến sĩ thi đua cơ sở, 4 đồng chí đạt Chiến sĩ thi đua "
            "cấp tỉnh.",
            [
                ("Chiến sĩ thi đua cơ sở", "cá nhân", 38),
                ("Chiến sĩ thi đua cấp tỉnh", "cá nhân", 4),
            ],
        ),
        (
            "Chủ tịch nước tặng thưởng Huân chương Bảo vệ Tổ quốc hạng Ba cho 01 tập thể và 02 cá "
            "nhân.",
            [
                ("Huân chương Bảo vệ Tổ quốc hạng Ba", "tập thể", 1),
                ("Huân chương Bảo vệ Tổ quốc hạng Ba", "cá nhân", 2),
            ],
        ),
        (
            "UBND tỉnh tặng Bằng khen cho 14 doanh nghiệp, 06 hợp tác xã và 09 doanh nhân.",
            [
                ("Bằng khen", "tập thể", 14),
                ("Bằng khen", "tập thể", 6),
                ("Bằng khen", "cá nhân", 9),
            ],
        ),
        (
            "Điều 1. Công nhận danh hiệu Lao động tiên tiến năm học 2023-2024 cho 47 cán bộ, giáo "
            "viên, nhân viên (có danh sách kèm theo).",
            [("Lao động tiên tiến", "cá nhân", 47)],
        ),
        (
            "Kết quả: 28/30 đồng chí đạt danh hiệu Lao động tiên tiến; 04 đồng chí đạt danh hiệu "
            "Chiến sĩ thi đua cơ sở.",
            [("Lao động tiên tiến", "cá nhân", 28), ("Chiến sĩ thi đua cơ sở", "cá nhân", 4)],
        ),
        (
            "Được Giám đốc Công an tỉnh tặng Giấy khen: 04 tập thể, 17 cá nhân.",
            [("Giấy khen", "tập thể", 4), ("Giấy khen", "cá nhân", 17)],
        ),
    ],
)
def test_constructions_of_the_genre(sentence, expected):
    assert awards(sentence) == expected


def test_an_award_table_with_one_count_column_takes_the_recipients_of_each_title():
    assert table_awards(
        "Kết quả bình xét danh hiệu thi đua năm 2024:",
        ("TT", "Danh hiệu thi đua", "Số lượng"),
        ("1", "Tập thể lao động tiên tiến", "07"),
        ("2", "Chiến sĩ thi đua cơ sở", "12"),
        ("3", "Bằng khen của UBND tỉnh", "05"),  # to whom, the table does not say
    ) == [("Tập thể lao động tiên tiến", "tập thể", 7), ("Chiến sĩ thi đua cơ sở", "cá nhân", 12)]


def test_an_award_table_with_a_column_of_recipients():
    assert table_awards(
        "Kết quả khen thưởng năm 2024:",
        ("TT", "Hình thức", "Đối tượng", "Số lượng"),
        ("1", "Giấy khen của Giám đốc Sở", "Tập thể", "4"),
        ("2", "Giấy khen của Giám đốc Sở", "Cá nhân", "13"),
    ) == [("Giấy khen", "tập thể", 4), ("Giấy khen", "cá nhân", 13)]


def test_a_table_of_proposals_with_one_count_column_grants_nothing():
    assert (
        table_awards(
            "Danh sách đề nghị khen thưởng năm 2024:",
            ("TT", "Danh hiệu thi đua", "Số lượng"),
            ("1", "Chiến sĩ thi đua cơ sở", "9"),
        )
        == []
    )


@pytest.mark.parametrize(
    "sentence, expected",
    [
        # recipients written as initials
        (
            "Năm học 2024-2025 có 52/58 CB, GV, NV đạt danh hiệu Lao động tiên tiến.",
            [("Lao động tiên tiến", "cá nhân", 52)],
        ),
        (
            "Đảng ủy xã tặng Giấy khen cho 4 TCCSĐ và 13 đảng viên.",
            [("Giấy khen", "tập thể", 4), ("Giấy khen", "cá nhân", 13)],
        ),
        (
            "UBND huyện tặng Giấy khen cho 9 DN và 2 HTX.",
            [("Giấy khen", "tập thể", 9), ("Giấy khen", "tập thể", 2)],
        ),
        # a small count written in words
        (
            "Điều 1. Tặng Bằng khen của Chủ tịch UBND tỉnh cho hai tập thể và ba cá nhân.",
            [("Bằng khen", "tập thể", 2), ("Bằng khen", "cá nhân", 3)],
        ),
        # recipients named without a count, at the end of the sentence
        (
            "Cuối năm 2024, UBND huyện đã tặng Giấy khen cho các tập thể, cá nhân.",
            [("Giấy khen", "tập thể", None), ("Giấy khen", "cá nhân", None)],
        ),
    ],
)
def test_recipients_as_initials_in_words_and_without_a_count(sentence, expected):
    assert awards(sentence) == expected


def test_a_word_that_ends_like_a_number_is_no_count():
    # "triển khai" ends with "hai": no two collectives
    assert awards("Đã tặng Bằng khen cho đơn vị triển khai tập thể lớp học điện tử.") == []


@pytest.mark.parametrize(
    "targets",
    [
        (
            "II. PHƯƠNG HƯỚNG, NHIỆM VỤ NĂM HỌC 2025-2026",
            "- Trường đạt danh hiệu Tập thể lao động xuất sắc.",
        ),
        ("Chỉ tiêu năm học tới:", "- Trường đạt danh hiệu Tập thể lao động xuất sắc."),
    ],
)
def test_a_report_s_targets_for_its_own_body_are_no_grant(targets):
    r = report_of(
        "BÁO CÁO",
        "Tổng kết năm học 2024-2025",
        "I. KẾT QUẢ",
        "Năm học 2024-2025, trường đạt danh hiệu Tập thể lao động xuất sắc.",
        *targets,
    )
    assert [(a.title, a.count, a.start < r.text.index(targets[0])) for a in r.awards] == [
        ("Tập thể lao động xuất sắc", None, True)
    ]


def test_labels_with_counts_after_the_results_of_emulation_but_not_after_a_registration():
    assert awards(
        "Kết quả thi đua năm 2024: Chiến sĩ thi đua cơ sở: 6 đ/c; Lao động tiên tiến: 38 đ/c."
    ) == [("Chiến sĩ thi đua cơ sở", "cá nhân", 6), ("Lao động tiên tiến", "cá nhân", 38)]
    assert awards("Kết quả đăng ký thi đua năm 2025: Lao động tiên tiến: 38 đ/c.") == []
