"""The document's own header, read by the national layouts: State documents (Nghị định
30/2020/NĐ-CP, Phụ lục I) and Party documents (Hướng dẫn 36-HD/VPTW, 2018), whole or with their
two columns flattened onto one line or given line by line as a PDF, a converted .doc or a web
copy gives them. Every header here is invented (bodies, numbers, places), written as an office
would write it."""

from __future__ import annotations

import io

import pytest
from extract_helpers import report_of

from extractors.facts.periods import reporting_period
from extractors.pipeline import extract_source
from extractors.readers.pdf import _blank_at, _stamped, read_pdf
from schemas.models import Block, Header, Source


def header_of(*lines: str) -> Header:
    return report_of(*lines).header


BODY = ("Năm 2024, đơn vị đã hoàn thành 12 chỉ tiêu.", "Nơi nhận:", "- Lưu: VT.")


# -- the issuer and the motto ----------------------------------------------------------------


def test_state_columns_flattened_onto_one_line_keep_the_motto_out_of_the_issuer():
    h = header_of(
        "ỦY BAN NHÂN DÂN CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "XÃ TÂN LẬP Độc lập - Tự do - Hạnh phúc",
        "Số:      /BC-UBND Tân Lập, ngày    tháng 6 năm 2025",
        "BÁO CÁO",
        "Kết quả thực hiện nhiệm vụ 6 tháng đầu năm 2025",
        *BODY,
    )
    assert (h.issuer, h.identifier, h.place, h.date) == (
        "ỦY BAN NHÂN DÂN XÃ TÂN LẬP",
        None,
        "Tân Lập",
        None,
    )
    assert (h.doc_type, h.period.key if h.period else None) == ("Báo cáo", "2025-H1")


def test_motto_with_old_tone_placement_is_cut_off_the_issuer():
    h = header_of(
        "UỶ BAN NHÂN DÂN HUYỆN ĐÔNG HOÀ CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "PHÒNG NỘI VỤ Độc lập - Tự do - Hạnh phúc",
        "Số: 31/TTr-PNV Đông Hoà, ngày 09 tháng 10 năm 2024",
        "TỜ TRÌNH",
        "Về việc đề nghị tặng Giấy khen",
        *BODY,
    )
    assert (h.issuer, h.parent_issuer) == ("PHÒNG NỘI VỤ", "UỶ BAN NHÂN DÂN HUYỆN ĐÔNG HOÀ")
    assert (h.identifier, h.place, h.date, h.doc_type) == (
        "31/TTr-PNV",
        "Đông Hoà",
        "2024-10-09",
        "Tờ trình",
    )


def test_header_that_lost_its_accents_is_cut_the_same_way():
    # OCR, or a font without Vietnamese letters
    h = header_of(
        "UY BAN NHAN DAN CONG HOA XA HOI CHU NGHIA VIET NAM",
        "XA TAN LAP Doc lap - Tu do - Hanh phuc",
        "So: 12/BC-UBND",
        "BAO CAO",
        "Ket qua cong tac",
        *BODY,
    )
    assert (h.issuer, h.identifier, h.doc_type) == (
        "UY BAN NHAN DAN XA TAN LAP",
        "12/BC-UBND",
        "Báo cáo",
    )


def test_party_header_flattened_keeps_committee_parent_and_number():
    h = header_of(
        "ĐẢNG BỘ HUYỆN KIM SƠN ĐẢNG CỘNG SẢN VIỆT NAM",
        "ĐẢNG ỦY XÃ KIM ĐÔNG",
        "*",
        "Số 41-BC/ĐU Kim Đông, ngày 05 tháng 12 năm 2024",
        "BÁO CÁO",
        "tổng kết công tác xây dựng Đảng năm 2024",
        *BODY,
    )
    assert (h.issuer, h.parent_issuer) == ("ĐẢNG ỦY XÃ KIM ĐÔNG", "ĐẢNG BỘ HUYỆN KIM SƠN")
    assert (h.identifier, h.place, h.date) == ("41-BC/ĐU", "Kim Đông", "2024-12-05")
    assert h.period is not None and h.period.key == "2024"


def test_a_body_named_by_its_kind_only_is_finished_by_the_next_line():
    h = header_of(
        "ĐẢNG BỘ KHỐI CÁC CƠ QUAN TỈNH",
        "CHI BỘ VĂN PHÒNG",
        "SỞ TƯ PHÁP",
        "*",
        "Số 05-BC/CB",
        "BÁO CÁO",
        "kết quả công tác năm 2025",
        *BODY,
    )
    assert (h.issuer, h.parent_issuer) == (
        "CHI BỘ VĂN PHÒNG SỞ TƯ PHÁP",
        "ĐẢNG BỘ KHỐI CÁC CƠ QUAN TỈNH",
    )


def test_columns_given_line_by_line_as_a_pdf_gives_them():
    # the left block first, then the motto, the place and date, and the number last
    h = header_of(
        "SỞ Y TẾ TỈNH BÌNH LONG",
        "BỆNH VIỆN ĐA KHOA",
        "KHU VỰC PHÚ AN",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "Bình Long, ngày 03 tháng 4 năm 2025",
        "Số: 112/BC-BVĐK",
        "BÁO CÁO",
        "Kết quả công tác quý I/2025",
        *BODY,
    )
    assert (h.issuer, h.parent_issuer) == (
        "BỆNH VIỆN ĐA KHOA KHU VỰC PHÚ AN",
        "SỞ Y TẾ TỈNH BÌNH LONG",
    )
    assert (h.identifier, h.date, h.period.key if h.period else None) == (
        "112/BC-BVĐK",
        "2025-04-03",
        "2025-Q1",
    )


def test_columns_interleaved_by_height_keep_the_issuer_whole():
    # pdfplumber's lines: each line of the left block beside the right column's line
    h = header_of(
        "SỞ Y TẾ TỈNH BÌNH LONG CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "BỆNH VIỆN ĐA KHOA Độc lập - Tự do - Hạnh phúc",
        "Bình Long, ngày 03 tháng 4 năm 2025",
        "KHU VỰC PHÚ AN",
        "Số: 112/BC-BVĐK",
        "BÁO CÁO",
        "Kết quả công tác quý I/2025",
        *BODY,
    )
    assert h.issuer == "BỆNH VIỆN ĐA KHOA KHU VỰC PHÚ AN"
    assert (h.identifier, h.place, h.date) == ("112/BC-BVĐK", "Bình Long", "2025-04-03")


def test_whole_header_on_one_line_as_a_web_page_copies_it():
    h = header_of(
        "SỞ NỘI VỤ CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM Độc lập - Tự do - Hạnh phúc "
        "Số: 12/BC-SNV Bình Sơn, ngày 01/02/2024",
        "BÁO CÁO",
        "Kết quả công tác năm 2023",
        *BODY,
    )
    assert (h.issuer, h.identifier, h.place, h.date) == (
        "SỞ NỘI VỤ",
        "12/BC-SNV",
        "Bình Sơn",
        "2024-02-01",
    )


def test_issuer_never_takes_the_number_line_left_blank():
    h = header_of(
        "HỘI ĐỒNG THI ĐUA - KHEN THƯỞNG",
        "HUYỆN VĨNH THẠNH",
        "Số:",
        "KẾ HOẠCH",
        "Tổ chức phong trào thi đua năm 2025",
        *BODY,
    )
    assert (h.issuer, h.identifier) == ("HỘI ĐỒNG THI ĐUA - KHEN THƯỞNG HUYỆN VĨNH THẠNH", None)


def test_issuer_never_takes_the_title_when_the_header_has_no_number():
    h = header_of("TRƯỜNG TIỂU HỌC AN BÌNH", "", "KẾ HOẠCH", "Tổ chức Hội khỏe Phù Đổng", *BODY)
    assert (h.issuer, h.doc_type) == ("TRƯỜNG TIỂU HỌC AN BÌNH", "Kế hoạch")


def test_a_congress_document_is_a_van_kien():
    h = header_of(
        "HỘI LIÊN HIỆP PHỤ NỮ TỈNH HÀ TRUNG",
        "HỘI LIÊN HIỆP PHỤ NỮ HUYỆN AN LÃO",
        "***",
        "VĂN KIỆN",
        "Đại hội đại biểu Phụ nữ huyện An Lão lần thứ V, nhiệm kỳ 2026 - 2031",
        *BODY,
    )
    assert (h.doc_type, h.issuer) == ("Văn kiện", "HỘI LIÊN HIỆP PHỤ NỮ HUYỆN AN LÃO")


@pytest.mark.parametrize(
    "first",
    [
        "Năm 2024, Trung tâm đã đề nghị UBND huyện tặng Giấy khen cho 05 cá nhân.",
        "Cơ quan đã đề nghị Ủy ban nhân dân huyện tặng Cờ thi đua cho 01 tập thể.",
    ],
)
def test_a_file_without_a_header_has_no_issuer(first):
    h = header_of(first, "Các đơn vị đã hoàn thành 12 chỉ tiêu.", "1. Kết quả", "Nội dung.")
    assert h.issuer is None


def test_a_title_without_a_header_has_no_issuer_from_the_body():
    h = header_of("BÁO CÁO", "Kết quả năm 2024", "Cơ quan đã tặng Giấy khen cho 09 cá nhân.")
    assert (h.issuer, h.doc_type) == (None, "Báo cáo")


def test_a_file_without_a_header_names_itself_where_its_text_opens():
    h = header_of(
        "Chào mừng ngày Nhà giáo Việt Nam",
        "Thực hiện kế hoạch của nhà trường.Chi đoàn trường THCS Phước Hòa đã tổ chức hội thi.",
        "1. Kết quả",
    )
    assert h.issuer == "Chi đoàn trường THCS Phước Hòa"


@pytest.mark.parametrize(
    "first",
    [
        "Hội nghị Ban Chấp hành Đảng bộ xã lần thứ 9 được tổ chức vào ngày 05/3/2024.",
        "Phòng đã tổ chức 03 lớp tập huấn.",  # no name after the kind of body
    ],
)
def test_an_event_or_a_bare_body_is_no_self_named_issuer(first):
    assert header_of(first, "1. Kết quả", "Nội dung.").issuer is None


def test_a_body_typed_in_ordinary_case_before_the_title():
    h = header_of(
        "Ủy ban nhân dân",
        "xã Tân Hòa",
        "Số: 61/BC-UBND",
        "BÁO CÁO",
        "Kết quả thực hiện quý II/2025",
        *BODY,
    )
    assert (h.issuer, h.identifier) == ("Ủy ban nhân dân xã Tân Hòa", "61/BC-UBND")


# -- the number ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "lines,expected",
    [
        (("Số:    07  - BC/LĐ",), "07-BC/LĐ"),  # typed with runs of spaces: no column gap
        (("Số:", "27/KH-UBND"), "27/KH-UBND"),  # on its own line
        (("Số: 27", "/KH-UBND"), "27/KH-UBND"),  # cut after the number
        (("Số 12-TB/TƯ Hà Nội, ngày 03 tháng 02 năm 2025",), "12-TB/TƯ"),  # Vietnamese letters
        (("Số: 85 /TB-SGDĐT\tThành phố Huế, ngày 02 tháng 3 năm 2025",), "85/TB-SGDĐT"),
    ],
)
def test_own_number_in_any_piece(lines, expected):
    h = header_of("SỞ GIÁO DỤC VÀ ĐÀO TẠO", *lines, "THÔNG BÁO", "Kết quả tuyển sinh", *BODY)
    assert h.identifier == expected


def test_place_with_lower_case_words_is_kept_whole():
    h = header_of(
        "SỞ GIÁO DỤC VÀ ĐÀO TẠO",
        "Số: 85/TB-SGDĐT Thành phố Huế, ngày 02 tháng 3 năm 2025",
        "THÔNG BÁO",
        "Kết quả tuyển sinh",
        *BODY,
    )
    assert (h.issuer, h.place, h.date) == ("SỞ GIÁO DỤC VÀ ĐÀO TẠO", "Thành phố Huế", "2025-03-02")


def test_a_citation_opening_the_body_gives_no_header_date():
    h = header_of(
        "Thực hiện Kế hoạch số 31-KH/ĐU, ngày 14/01/2025 của Đảng ủy xã Tân Lập về công tác "
        "phát triển đảng viên, Chi bộ đã xây dựng chương trình hành động.",
        "Trong quý I, Chi bộ đã kết nạp 02 đảng viên.",
    )
    assert (h.date, h.place) == (None, None)


# -- the kind --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "line,kind",
    [
        ("B Á O  C Á O", "Báo cáo"),
        ("Q U Y Ế T  Đ Ị N H", "Quyết định"),
        ("PHẦN II: KẾ HOẠCH", "Kế hoạch"),
        ("BIÊN BẢN", "Biên bản"),
        ("TỜ TRÌNH", "Tờ trình"),
        ("BAO CAO", "Báo cáo"),
        ("QUY HOẠCH", "Quy hoạch"),  # kinds of Hướng dẫn 36-HD/VPTW and Nghị định 30/2020/NĐ-CP
        ("THÔNG CÁO", "Thông cáo"),
        ("LỜI KÊU GỌI", "Lời kêu gọi"),  # its accents lost by OCR or a font without Vietnamese
    ],
)
def test_title_line_names_the_kind(line, kind):
    h = header_of("ỦY BAN NHÂN DÂN XÃ PHÚ LỘC", "Số: 14/UBND", line, "Về công tác năm 2025", *BODY)
    assert h.doc_type == kind


def test_cong_van_subject_under_the_number_in_a_header_table():
    cells = (
        "UBND HUYỆN TÂN PHÚ\nPHÒNG GIÁO DỤC VÀ ĐÀO TẠO\n________\nSố: 123/PGDĐT-TH\n"
        "V/v triển khai hội thi giáo viên dạy giỏi",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n______\n"
        "Tân Phú, ngày 3 tháng 4 năm 2024",
    )
    blocks = (
        Block(kind="table_row", text="\t".join(cells), cells=cells, table=0, row=0),
        Block(text="Kính gửi: Hiệu trưởng các trường tiểu học"),
        Block(text="Nội dung."),
    )
    source = Source(path="cv.docx", format="docx", sha256="0" * 64, size=1, blocks=blocks)
    h = extract_source(source).header
    assert (h.doc_type, h.title) == ("Công văn", "triển khai hội thi giáo viên dạy giỏi")
    assert (h.issuer, h.parent_issuer) == ("PHÒNG GIÁO DỤC VÀ ĐÀO TẠO", "UBND HUYỆN TÂN PHÚ")
    assert (h.identifier, h.date) == ("123/PGDĐT-TH", "2024-04-03")


def test_title_stops_where_the_body_opens_without_a_blank_line():
    h = header_of(
        "ỦY BAN NHÂN DÂN HUYỆN TÂN PHÚ",
        "Số: 77/TB-UBND",
        "THÔNG BÁO",
        "Kết luận của Chủ tịch UBND huyện tại cuộc họp",
        "về công tác phòng, chống thiên tai",
        "Ngày 04/9/2025, tại trụ sở UBND huyện, Chủ tịch UBND huyện chủ trì cuộc họp.",
        *BODY,
    )
    assert (
        h.title
        == "Kết luận của Chủ tịch UBND huyện tại cuộc họp về công tác phòng, chống thiên tai"
    )


def test_part_label_and_letter_spacing_stay_out_of_the_title():
    h = header_of(
        "LIÊN ĐỘI TRƯỜNG TIỂU HỌC AN HÒA", "PHẦN I: BÁO CÁO", "Kết quả năm học 2020 - 2021"
    )
    assert (h.doc_type, h.title) == ("Báo cáo", "Kết quả năm học 2020 - 2021")
    h = header_of("TRƯỜNG TIỂU HỌC AN HÒA", "B Á O  C Á O", "Kết quả năm học 2020 - 2021")
    assert (h.doc_type, h.title) == ("Báo cáo", "Kết quả năm học 2020 - 2021")


# -- the period ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "title,year,key",
    [
        ("Tình hình kinh tế - xã hội tháng 8/2025", None, "2025-08"),
        ("Tình hình kinh tế - xã hội tháng 8 năm 2025", None, "2025-08"),
        ("Kết quả công tác tháng 8", 2025, "2025-08"),
        ("Tình hình tháng 3 và quý I năm 2023", None, "2023-Q1"),
        ("Kết quả tháng 6/2024, 6 tháng đầu năm 2024", None, "2024-H1"),
        ("Kết quả công tác Đội năm học 2019 – 2020", None, "2019-2020"),
        # a period without its year shares the year of the period named after it
        ("Kết quả công tác quý I và phương hướng nhiệm vụ quý II/2026", 2025, "2026-Q1"),
        ("Tình hình tháng 7 và 7 tháng đầu năm 2026", 2025, "2026-7M"),
        ("Tình hình quý IV và cả năm 2025", None, "2025"),  # the wider of the two
        # any number of months tied to its year, the last three being the fourth quarter
        ("Tình hình thực hiện nhiệm vụ 11 tháng năm 2025", None, "2025-11M"),
        ("Kết quả 4 tháng đầu năm", 2026, "2026-4M"),
        ("Kết quả công tác 3 tháng cuối năm 2025", None, "2025-Q4"),
    ],
)
def test_reporting_period_of_a_title(title, year, key):
    period = reporting_period(title, year)
    assert period is not None and period.key == key


@pytest.mark.parametrize(
    "title",
    [
        "Hoạt động chào mừng ngày 20 tháng 11",  # a day of the year, not a month reported on
        "Sơ kết học kỳ I năm học 2015-2016",  # a semester is not its whole school year
        "Đại hội nhiệm kỳ 2025 - 2030",
        "Tổ chức ôn tập trong 3 tháng hè",  # a duration, not months of a year
    ],
)
def test_titles_without_a_reporting_period(title):
    assert reporting_period(title, 2025) is None


def test_period_from_where_the_body_opens_when_the_title_names_none():
    h = header_of(
        "ỦY BAN NHÂN DÂN XÃ PHÚ LỘC",
        "Số: 52/BC-UBND",
        "BÁO CÁO",
        "Công tác cải cách hành chính",
        "Trong 6 tháng đầu năm 2025, Ủy ban nhân dân xã đã tiếp nhận 1.204 hồ sơ.",
        *BODY,
    )
    assert h.period is not None and h.period.key == "2025-H1"


def test_period_from_the_first_part_heading_not_from_the_next_tasks():
    h = header_of(
        "ỦY BAN NHÂN DÂN XÃ PHÚ LỘC",
        "Số: 53/BC-UBND",
        "BÁO CÁO",
        "Công tác dân vận chính quyền",
        "I. PHƯƠNG HƯỚNG, NHIỆM VỤ NĂM 2026",
        "II. KẾT QUẢ THỰC HIỆN QUÝ III/2025",
        "Nội dung.",
    )
    assert h.period is not None and h.period.key == "2025-Q3"


# -- stamps a signing system draws into a PDF's blanks ---------------------------------------


def chars(*words: tuple[str, float]) -> list[dict[str, float | str]]:
    """Characters of one PDF line: each word from its x, 6 points a letter."""
    out: list[dict[str, float | str]] = []
    for word, x in words:
        for i, ch in enumerate(word):
            out.append(
                {"text": ch, "x0": x + 6 * i, "x1": x + 6 * i + 5, "top": 100, "bottom": 112}
            )
    return out


def test_blank_nearest_the_stamp_is_where_it_goes():
    line = chars(("Số:", 100), ("/BC-UBND", 160))
    assert _blank_at(line, 118) == 3  # just after "Số:", before the slash


def test_stamped_number_and_day_go_into_their_lines():
    blocks = [
        Block(text="Số:          /BC-UBND", page=1),
        Block(text="Phú Lộc, ngày       tháng 5 năm 2025", page=1),
    ]
    lines = [
        {"top": 100, "bottom": 112, "chars": chars(("Số:", 100), ("/BC-UBND", 160))},
        {
            "top": 130,
            "bottom": 142,
            "chars": chars(("Phú", 300), ("Lộc,", 324), ("ngày", 354), ("tháng", 420)),
        },
    ]
    stamps = [((120.0, 96.0, 150.0, 116.0), "27"), ((384.0, 126.0, 410.0, 146.0), "14")]
    out = _stamped(blocks, stamps, lines + [{"top": 300, "bottom": 312, "chars": []}])
    assert [b.text for b in out] == ["Số: 27 /BC-UBND", "Phú Lộc, ngày 14 tháng 5 năm 2025"]


def test_stamp_on_no_line_follows_the_page():
    blocks = [Block(text="BÁO CÁO", page=2)]
    lines = [{"top": 300, "bottom": 312, "chars": chars(("BÁO", 250), ("CÁO", 280))}]
    out = _stamped(blocks, [((400.0, 10.0, 560.0, 50.0), "TRUNG TÂM\n01.02.2025")], lines)
    assert [b.text for b in out] == ["BÁO CÁO", "TRUNG TÂM", "01.02.2025"]
    assert out[-1].page == 2


def signed_pdf() -> bytes:
    """A one-page PDF whose number is left blank on the page ("So:   /BC-UBND", a standard font
    holds no Vietnamese) and drawn by a signature widget, as a signing system stamps it."""
    from pypdf import PdfWriter
    from pypdf.generic import (
        ArrayObject,
        DecodedStreamObject,
        DictionaryObject,
        FloatObject,
        NameObject,
        TextStringObject,
    )

    writer = PdfWriter()
    page = writer.add_blank_page(width=595, height=842)
    font = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Font"),
            NameObject("/Subtype"): NameObject("/Type1"),
            NameObject("/BaseFont"): NameObject("/Helvetica"),
        }
    )
    resources = DictionaryObject(
        {NameObject("/Font"): DictionaryObject({NameObject("/F1"): writer._add_object(font)})}
    )
    page[NameObject("/Resources")] = resources
    content = DecodedStreamObject()
    content.set_data(
        b"BT /F1 12 Tf 100 700 Td (So:) Tj 60 0 Td (/BC-UBND) Tj ET"
        b" BT /F1 12 Tf 100 600 Td (Ket qua cong tac nam 2025) Tj ET"
    )
    page[NameObject("/Contents")] = writer._add_object(content)
    stamp = DecodedStreamObject()
    stamp.set_data(b"BT /F1 12 Tf 2 4 Td (27) Tj ET")
    stamp.update(
        {
            NameObject("/Type"): NameObject("/XObject"),
            NameObject("/Subtype"): NameObject("/Form"),
            NameObject("/BBox"): ArrayObject([FloatObject(v) for v in (0, 0, 30, 20)]),
            NameObject("/Resources"): resources,
        }
    )
    widget = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Annot"),
            NameObject("/Subtype"): NameObject("/Widget"),
            NameObject("/FT"): NameObject("/Sig"),
            NameObject("/T"): TextStringObject("Signature1"),
            NameObject("/Rect"): ArrayObject([FloatObject(v) for v in (122, 694, 152, 714)]),
            NameObject("/AP"): DictionaryObject({NameObject("/N"): writer._add_object(stamp)}),
        }
    )
    page[NameObject("/Annots")] = ArrayObject([writer._add_object(widget)])
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def test_pdf_number_stamped_by_a_signature_widget_is_read_in_its_line():
    source = read_pdf("signed.pdf", signed_pdf(), ocr="never")
    assert [" ".join(b.text.split()) for b in source.blocks] == [
        "So: 27 /BC-UBND",
        "Ket qua cong tac nam 2025",
    ]


def test_a_span_of_days_where_the_body_opens_is_the_period_of_a_report_but_not_of_a_plan():
    body = (
        "Thực hiện chỉ đạo của Ủy ban nhân dân huyện, Phòng Văn hóa tổng hợp kết quả kiểm tra "
        "các cơ sở kinh doanh dịch vụ từ ngày 01/8/2024 đến ngày 30/9/2024 như sau:"
    )
    header = ["ỦY BAN NHÂN DÂN HUYỆN TÂN HÒA", "PHÒNG VĂN HÓA VÀ THÔNG TIN", "Số: 41/BC-VHTT"]
    report = report_of(*header, "BÁO CÁO", "Kết quả kiểm tra cơ sở kinh doanh dịch vụ", body)
    period = report.header.period
    assert period is not None and (period.start, period.end) == ("2024-08-01", "2024-09-30")
    assert period.kind == "range"
    plan = report_of(*header, "KẾ HOẠCH", "Kiểm tra cơ sở kinh doanh dịch vụ", body)
    assert plan.header.period is None


# -- posts, indentation, codes split by a space ------------------------------------------------


def test_a_post_alone_on_its_line_is_finished_by_the_body_under_it():
    h = header_of(
        "CHỦ TỊCH",
        "ỦY BAN NHÂN DÂN TỈNH BẮC SƠN",
        "Số: 1520/QĐ-CT",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "Hà Nội, ngày 12 tháng 9 năm 2024",
        "QUYẾT ĐỊNH",
        "Về việc tặng Bằng khen",
        *BODY,
    )
    assert (h.issuer, h.parent_issuer, h.identifier) == (
        "CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH BẮC SƠN",
        None,
        "1520/QĐ-CT",
    )


def test_an_indented_left_column_of_a_web_copy_is_still_the_left_column():
    h = header_of(
        "PHÒNG GD&ĐT YÊN ĐỊNH            CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "     TRƯỜNG TIỂU HỌC ĐỊNH LONG         Độc lập - Tự do - Hạnh phúc",
        "   Số:17/ KH -TH ĐL                  Định Long, ngày 04 tháng 9 năm 2023",
        "KẾ HOẠCH",
        "Tổ chức ngày hội đọc sách",
        *BODY,
    )
    assert (h.issuer, h.parent_issuer) == ("TRƯỜNG TIỂU HỌC ĐỊNH LONG", "PHÒNG GD&ĐT YÊN ĐỊNH")
    # the school's code typed with a space ("TH ĐL") ends the symbol at the column gap
    assert (h.identifier, h.place, h.date) == ("17/KH-THĐL", "Định Long", "2023-09-04")


@pytest.mark.parametrize(
    "line, expected",
    [
        ("Số: 45/BC-SYT CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "45/BC-SYT"),
        ("Số: 45/BC-SYT Tân An, ngày 02 tháng 3 năm 2025", "45/BC-SYT"),
        ("Số: 45/BC-SYT PC", "45/BC-SYTPC"),
    ],
)
def test_a_code_after_a_space_joins_the_symbol_only_when_it_ends_the_column(line, expected):
    h = header_of("SỞ Y TẾ", line, "BÁO CÁO", "Kết quả năm 2024", *BODY)
    assert h.identifier == expected


def test_a_file_name_left_under_a_web_post_is_no_issuer():
    h = header_of(
        "Chào mừng ngày Quốc tế Thiếu nhi 1/6",
        "IMG_20240601_081530",
        "Liên đội trường Tiểu học Tân Hòa đã tổ chức ngày hội cho 450 đội viên.",
    )
    assert h.issuer == "Liên đội trường Tiểu học Tân Hòa"


@pytest.mark.parametrize(
    "left, issuer, parent",
    [
        (
            ("TỈNH ĐOÀN BẮC SƠN", "BCH ĐOÀN HUYỆN TÂN LẠC", "***"),
            "BCH ĐOÀN HUYỆN TÂN LẠC",
            "TỈNH ĐOÀN BẮC SƠN",
        ),
        (
            ("UBND HUYỆN ĐÔNG HẢI", "BAN CHỈ ĐẠO", "PHÒNG, CHỐNG THAM NHŨNG"),
            "BAN CHỈ ĐẠO PHÒNG, CHỐNG THAM NHŨNG",
            "UBND HUYỆN ĐÔNG HẢI",
        ),
        (
            ("SỞ GIÁO DỤC VÀ ĐÀO TẠO", "TRƯỜNG", "ĐẠI HỌC SƯ PHẠM AN BÌNH"),
            "TRƯỜNG ĐẠI HỌC SƯ PHẠM AN BÌNH",
            "SỞ GIÁO DỤC VÀ ĐÀO TẠO",
        ),
    ],
)
def test_bodies_of_the_youth_union_and_names_wrapped_after_their_kind(left, issuer, parent):
    h = header_of(*left, "Số: 45-BC/HĐTN", "BÁO CÁO", "Kết quả công tác năm 2024", *BODY)
    assert (h.issuer, h.parent_issuer) == (issuer, parent)


@pytest.mark.parametrize(
    "lines, kind, title",
    [
        (
            ("UBND XÃ TÂN HƯNG", "Số: 31/BC-UBND", "DỰ THẢO BÁO CÁO", "Kết quả năm 2025"),
            "Báo cáo",
            "Kết quả năm 2025",
        ),
        (
            ("UBND XÃ TÂN HƯNG", "Số: 31/BC-UBND", "Báo cáo", "Kết quả năm 2025"),
            "Báo cáo",
            "Kết quả năm 2025",
        ),
        # a web page's first line, typed in ordinary case, is its title and that line only
        (
            (
                "Kế hoạch tổ chức Hội khỏe Phù Đổng cấp trường năm 2026",
                "Căn cứ Hướng dẫn của Phòng GD&ĐT ...",
            ),
            "Kế hoạch",
            "tổ chức Hội khỏe Phù Đổng cấp trường năm 2026",
        ),
        # a sentence that opens with a kind is no title
        (("Báo cáo số 15/BC-UBND ngày 02/3/2026 đã nêu rõ.", "Năm 2026, xã đã ..."), None, None),
        (("Báo cáo kết quả như sau:", "Năm 2026, xã đã ..."), None, None),
    ],
)
def test_title_lines_of_drafts_and_of_web_copies(lines, kind, title):
    h = header_of(*lines)
    assert (h.doc_type, h.title) == (kind, title)


def test_a_grassroots_trade_union_under_its_parent():
    h = header_of(
        "CÔNG ĐOÀN GIÁO DỤC HUYỆN TÂN HƯNG",
        "CĐCS TRƯỜNG TIỂU HỌC TÂN HƯNG",
        "Số: 05/BC-CĐCS",
        "BÁO CÁO",
        "Hoạt động công đoàn năm học 2024 – 2025",
        *BODY,
    )
    assert (h.issuer, h.parent_issuer) == (
        "CĐCS TRƯỜNG TIỂU HỌC TÂN HƯNG",
        "CÔNG ĐOÀN GIÁO DỤC HUYỆN TÂN HƯNG",
    )


@pytest.mark.parametrize("mark", ["KHẨN", "HỎA TỐC", "          THƯỢNG KHẨN", "MẬT"])
def test_marks_of_urgency_and_secrecy_name_no_body(mark):
    h = header_of("UBND HUYỆN AN LÃO", "PHÒNG NỘI VỤ", mark, "BÁO CÁO", "Kết quả quý I/2026", *BODY)
    assert (h.issuer, h.parent_issuer) == ("PHÒNG NỘI VỤ", "UBND HUYỆN AN LÃO")
