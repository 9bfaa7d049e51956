"""Award statements the first genre tests left out, on sentences written as an official would
write them (bodies, numbers and names invented; none is taken from a corpus file): the awards
counted before the title, small counts in words, titles outside the vocabulary known by their
head, a named body with counted recipients, award tables with other heads, contest medals."""

from __future__ import annotations

import pytest
from extract_helpers import report_of, table_awards

from extractors.facts.award_titles import count_in_words


def awards(*lines: str) -> list[tuple[str, str | None, int | None]]:
    r = report_of(
        "BÁO CÁO", "Tổng kết công tác thi đua, khen thưởng năm 2024", "I. KẾT QUẢ", *lines
    )
    return [(a.title, a.recipient_kind, a.count) for a in r.awards]


# -- the awards counted before the title ------------------------------------------------------


@pytest.mark.parametrize(
    "sentence, expected",
    [
        # the count of awards goes to the recipients named without a count
        (
            "Năm 2024, Chủ tịch UBND huyện đã tặng 06 Bằng khen cho các tập thể có thành tích "
            "xuất sắc trong phong trào xây dựng nông thôn mới.",
            [("Bằng khen", "tập thể", 6)],
        ),
        (
            "Hội đồng Thi đua – Khen thưởng huyện đã tặng 08 Giấy khen cho các cá nhân tiêu biểu.",
            [("Giấy khen", "cá nhân", 8)],
        ),
        # one named body as the subject
        (
            "Phòng Giáo dục và Đào tạo huyện được tặng 03 Bằng khen của Bộ trưởng Bộ Giáo dục và "
            "Đào tạo.",
            [("Bằng khen", "tập thể", 3)],
        ),
        ("Năm qua, đơn vị được tặng 01 Cờ thi đua của Bộ Công an.", [("Cờ thi đua", "tập thể", 1)]),
        # a title whose recipients go without saying
        (
            "Đã trao tặng 35 Kỷ niệm chương cho các đồng chí nguyên là lãnh đạo Sở.",
            [("Kỷ niệm chương", "cá nhân", 35)],
        ),
        # no kind of recipient written: the count, and no kind
        (
            "Trong năm, ngành đã nhận được 07 Bằng khen của Chủ tịch UBND tỉnh và 15 Giấy khen của "
            "Giám đốc Sở.",
            [("Bằng khen", None, 7), ("Giấy khen", None, 15)],
        ),
        (
            "Sở Nội vụ đã tặng 12 Giấy khen cho các tập thể, cá nhân có thành tích xuất sắc.",
            [("Giấy khen", None, 12)],
        ),
        # counted recipients win over the count of awards
        ("Trong năm 2024 đã tặng 2 Bằng khen cho 2 tập thể.", [("Bằng khen", "tập thể", 2)]),
    ],
)
def test_awards_counted_before_their_title(sentence, expected):
    assert awards(sentence) == expected


@pytest.mark.parametrize(
    "sentence",
    [
        # a year, a document number or an article before the title is no count of awards
        "Giám đốc Sở đã trình 2024 Bằng khen.",
        "Mỗi cá nhân đạt danh hiệu được tặng 01 Giấy khen và phần thưởng.",
        "Phấn đấu năm 2025 có 05 Bằng khen của Chủ tịch UBND tỉnh.",
    ],
)
def test_a_number_before_a_title_that_counts_no_grant(sentence):
    assert [count for _, _, count in awards(sentence)] in ([], [None])


# -- small counts in words ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "sentence, expected",
    [
        (
            "Chủ tịch UBND xã tặng Giấy khen cho hai tập thể và năm cá nhân có thành tích trong "
            "công tác phòng, chống thiên tai.",
            [("Giấy khen", "tập thể", 2), ("Giấy khen", "cá nhân", 5)],
        ),
        (
            "Giám đốc Sở tặng Giấy khen cho bốn tập thể và mười một cá nhân.",
            [("Giấy khen", "tập thể", 4), ("Giấy khen", "cá nhân", 11)],
        ),
        (
            "Hiệu trưởng nhà trường tặng Giấy khen cho ba mươi hai học sinh đạt thành tích cao.",
            [("Giấy khen", "cá nhân", 32)],
        ),
    ],
)
def test_small_counts_written_in_words(sentence, expected):
    assert awards(sentence) == expected


def test_the_year_in_words_is_no_count():
    # "hằng năm cá nhân": every year, not five individuals; and a rule, not a grant
    assert (
        awards("Hằng năm cá nhân đạt danh hiệu Lao động tiên tiến được xét tặng Giấy khen.") == []
    )


@pytest.mark.parametrize(
    "written, value",
    [("hai", 2), ("mười", 10), ("mười một", 11), ("mười lăm", 15), ("hai mươi", 20)]
    + [("ba mươi mốt", 31), ("bốn mươi tư", 44), ("năm mươi lăm", 55), ("05", None)],
)
def test_counts_in_words_read_as_numbers(written, value):
    assert count_in_words(written) == value


# -- titles outside the vocabulary, known by their head ------------------------------------------


@pytest.mark.parametrize(
    "sentence, expected",
    [
        (
            "Ban Thường vụ Tỉnh đoàn tặng Huy hiệu Tuổi trẻ sáng tạo cho 12 đoàn viên có sáng kiến "
            "xuất sắc.",
            [("Huy hiệu Tuổi trẻ sáng tạo", "cá nhân", 12)],
        ),
        (
            "Ban Chấp hành Hội Nông dân tỉnh tặng Huy hiệu “Vì sự nghiệp giai cấp nông dân Việt "
            "Nam” cho 25 hội viên.",
            [("Huy hiệu Vì sự nghiệp giai cấp nông dân Việt Nam", "cá nhân", 25)],
        ),
        (
            "Ban Chấp hành Đoàn trường tặng danh hiệu “Sinh viên 5 tốt” cho 48 sinh viên.",
            [("Sinh viên 5 tốt", "cá nhân", 48)],
        ),
        # a medal of a ministry keeps the title of the Law, its name aside
        (
            "Trung ương Hội Liên hiệp Phụ nữ Việt Nam tặng Kỷ niệm chương “Vì sự nghiệp phát triển "
            "của phụ nữ Việt Nam” cho 11 cá nhân.",
            [("Kỷ niệm chương", "cá nhân", 11)],
        ),
        # a title of the vocabulary in quotes stays the vocabulary's
        (
            "Điều 1. Tặng danh hiệu “Lao động tiên tiến” cho 31 cá nhân thuộc Trường Tiểu học An "
            "Phú.",
            [("Lao động tiên tiến", "cá nhân", 31)],
        ),
        # the Party badge stays the Party badge
        (
            "Ban Thường vụ Huyện ủy đã trao Huy hiệu 30 năm tuổi Đảng cho 14 đảng viên.",
            [("Huy hiệu Đảng", "cá nhân", 14)],
        ),
    ],
)
def test_titles_outside_the_vocabulary_known_by_their_head(sentence, expected):
    assert awards(sentence) == expected


def test_medals_won_in_a_contest_are_no_award():
    assert (
        awards(
            "Đội tuyển của trường đạt 01 Huy chương vàng, 02 Huy chương bạc và 03 Huy chương đồng "
            "tại Hội khỏe Phù Đổng."
        )
        == []
    )
    assert awards("Chủ tịch nước tặng Huy chương Chiến sĩ vẻ vang hạng Ba cho 04 đồng chí.") == [
        ("Huy chương Chiến sĩ vẻ vang hạng Ba", "cá nhân", 4)
    ]


# -- recipients -------------------------------------------------------------------------------


def test_a_named_body_then_counted_recipients():
    assert awards(
        "Nhân dịp kỷ niệm 80 năm Ngày thành lập, Chủ tịch UBND tỉnh đã tặng Bằng khen cho Sở Xây "
        "dựng và 02 cá nhân."
    ) == [("Bằng khen", "tập thể", None), ("Bằng khen", "cá nhân", 2)]


# -- award tables ------------------------------------------------------------------------------


def test_an_award_table_whose_heads_count_collectives_and_individuals():
    assert table_awards(
        "Kết quả khen thưởng năm 2024:",
        ("STT", "Nội dung", "Số tập thể", "Số cá nhân (người)"),
        ("1", "Huy hiệu Tuổi trẻ sáng tạo", "", "04"),
        ("2", "Kỷ niệm chương Vì sự nghiệp giáo dục", "", "07"),
        ("3", "Giấy khen của Hiệu trưởng", "05", "16"),
    ) == [
        ("Huy hiệu Tuổi trẻ sáng tạo", "cá nhân", 4),
        ("Kỷ niệm chương", "cá nhân", 7),
        ("Giấy khen", "tập thể", 5),
        ("Giấy khen", "cá nhân", 16),
    ]


def test_a_breakdown_by_a_conferring_body_written_in_lower_case():
    assert awards(
        "Công tác khen thưởng: đã khen thưởng 24 tập thể và 57 cá nhân, trong đó Bằng khen của "
        "UBND tỉnh 06 tập thể, 11 cá nhân."
    ) == [("Bằng khen", "tập thể", 6), ("Bằng khen", "cá nhân", 11)]


def test_a_decision_lists_its_counted_recipients_under_cho():
    assert awards(
        "Điều 1. Tặng Bằng khen của Chủ tịch Ủy ban nhân dân tỉnh cho:",
        "- 02 tập thể;",
        "- 05 cá nhân.",
        "Điều 2. Chánh Văn phòng chịu trách nhiệm thi hành Quyết định này.",
    ) == [("Bằng khen", "tập thể", 2), ("Bằng khen", "cá nhân", 5)]


def test_labels_with_bare_counts_take_the_kind_the_lead_in_counts():
    assert awards(
        "Kết quả đã có 17 cá nhân được khen thưởng, trong đó: Bằng khen 02, Giấy khen 15."
    ) == [("Bằng khen", "cá nhân", 2), ("Giấy khen", "cá nhân", 15)]


def test_a_police_unit_named_as_the_subject_of_two_grants():
    assert awards(
        "Công an huyện được Bộ Công an tặng Cờ thi đua năm 2024 và được Chủ tịch nước tặng thưởng "
        "Huân chương Chiến công hạng Ba."
    ) == [("Cờ thi đua", "tập thể", None), ("Huân chương Chiến công hạng Ba", "tập thể", None)]


@pytest.mark.parametrize(
    "sentence, expected",
    [
        # the count of awards, then its breakdown by kind after "trong đó"
        (
            "Năm 2024, Sở đã tặng 09 Giấy khen, trong đó 04 tập thể và 05 cá nhân.",
            [("Giấy khen", "tập thể", 4), ("Giấy khen", "cá nhân", 5)],
        ),
        # a named body whose name opens with common nouns, then counted recipients
        (
            "UBND xã tặng Giấy khen cho tập thể thôn Đông và 05 hộ gia đình.",
            [("Giấy khen", "tập thể", None), ("Giấy khen", "tập thể", 5)],
        ),
        (
            "Chủ tịch UBND tỉnh tặng Bằng khen cho Ủy ban Mặt trận Tổ quốc huyện và 03 cá nhân.",
            [("Bằng khen", "tập thể", None), ("Bằng khen", "cá nhân", 3)],
        ),
    ],
)
def test_breakdowns_and_named_bodies_before_counted_recipients(sentence, expected):
    assert awards(sentence) == expected
