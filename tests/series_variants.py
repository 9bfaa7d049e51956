"""Four invented report series of companies' Party committees, written by "other authors" than
the Hồng Phát sample (`scripts/make_series_samples.py`), to measure how many of their figures
`baocao compare` lines up as one metric per series (issue 13).

- Sông Lam (water supply): a yearly report for 2024 with two-row merged heads (`Năm 2024` over
  `KH`/`TH`, `So sánh (%)` over `TH/KH`/`TH/CK`), then the first quarter (units in the label,
  `(nghìn m3)`), the half-year (`1.000 m3` and `Tr.đ` in the ĐVT column, `Quý I`/`Quý II`/`Lũy kế
  6 tháng`) and nine months of 2025 (`Thực hiện 9 tháng năm 2024` as the previous column).
- Đá Bạc (cement): half-year 2024, year 2024, first quarter and half-year 2025; a production
  table with a ĐVT column and a financial table whose unit is in a caption (`Đơn vị tính: tỷ
  đồng`); negative profits written `(12,5)` and `-3,20`; abbreviated heads (`TH 6T/2024`, `SS
  CK`); labels that shift (`Clinker sản xuất` / `Sản lượng clinker` / `Sản lượng clinker sản
  xuất`).
- Hải Thịnh (seaport): half-year, nine months and year 2024, half-year 2025; no TT column and
  `Đơn vị` as the unit head, `Thực hiện quý III` beside `Lũy kế 9 tháng`, a `Thực hiện` group over
  two periods, `Số lượt tàu ra, vào cảng` / `Lượt tàu ra vào cảng` / `Lượt tàu`, members before
  cells (`248 đảng viên, sinh hoạt tại 14 chi bộ trực thuộc`).
- Than Bắc (coal): third quarter and year 2024, first quarter and half-year 2025; heads with a
  year alone (`Thực hiện 2023`), units `1.000 tấn` / `Nghìn tấn` / `1000 tấn` and `Tr.đồng` /
  `Triệu đồng` / `Tr.đ`, `kết nạp được 02 quần chúng ưu tú vào Đảng`.

`EXPECTED` holds, written by hand before any measurement, what a person lines up: for every
figure that appears in two or more reports of a series, its value in each period. Every name and
figure is invented.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from docx import Document


@dataclass
class Table:
    heads: list[list[str]]  # one or two rows of heads
    rows: list[list[str]]
    merges: list[tuple[int, int, int]] = field(default_factory=list)  # (head row, first, last)
    caption: str = ""


@dataclass
class Report:
    file: str
    number: str
    date: tuple[str, str, str]
    title: list[str]
    tables: list[Table]
    prose: list[str]


def _write(folder: Path, parent: str, body: str, place: str, report: Report) -> Path:
    doc = Document()
    header = doc.add_table(rows=4, cols=2)
    day, month, year = report.date
    left = [parent, body, "*", f"Số {report.number}"]
    right = ["ĐẢNG CỘNG SẢN VIỆT NAM", "", f"{place}, ngày {day} tháng {month} năm {year}", ""]
    for i, (a, b) in enumerate(zip(left, right, strict=True)):
        header.cell(i, 0).text = a
        header.cell(i, 1).text = b
    for line in report.title:
        doc.add_paragraph(line)
    doc.add_paragraph("I. KẾT QUẢ LÃNH ĐẠO THỰC HIỆN NHIỆM VỤ CHÍNH TRỊ")
    doc.add_paragraph("1. Sản xuất kinh doanh")
    doc.add_paragraph("Các chỉ tiêu chủ yếu đạt được như sau:")
    for table in report.tables:
        if table.caption:
            doc.add_paragraph(table.caption)
        grid = [*table.heads, *table.rows]
        out = doc.add_table(rows=len(grid), cols=len(grid[0]))
        out.style = "Table Grid"
        for i, cells in enumerate(grid):
            for j, value in enumerate(cells):
                out.cell(i, j).text = value
        for row, first, last in table.merges:
            out.cell(row, first).merge(out.cell(row, last)).text = table.heads[row][first]
        for j, head in enumerate(table.heads[0]):  # heads that span both head rows
            if len(table.heads) == 2 and not table.heads[1][j]:
                out.cell(0, j).merge(out.cell(1, j)).text = head
    doc.add_paragraph("2. Công tác xây dựng Đảng")
    for line in report.prose:
        doc.add_paragraph(line)
    doc.add_paragraph("II. PHƯƠNG HƯỚNG, NHIỆM VỤ THỜI GIAN TỚI")
    doc.add_paragraph("Tiếp tục lãnh đạo hoàn thành các chỉ tiêu kế hoạch năm.")
    doc.add_paragraph("T/M ĐẢNG ỦY")
    doc.add_paragraph("BÍ THƯ")
    path = folder / report.file
    doc.save(str(path))
    return path


# ---------------------------------------------------------------------------------------------
# Sông Lam: water supply
# ---------------------------------------------------------------------------------------------

SONG_LAM_PARENT = "ĐẢNG BỘ KHỐI DOANH NGHIỆP TỈNH NGHỆ BÌNH"
SONG_LAM = "ĐẢNG ỦY CÔNG TY CỔ PHẦN CẤP NƯỚC SÔNG LAM"

SONG_LAM_REPORTS = [
    Report(
        "songlam-2024.docx", "45-BC/ĐU", ("18", "12", "2024"),
        ["BÁO CÁO", "Tổng kết công tác lãnh đạo thực hiện nhiệm vụ chính trị năm 2024, "
         "phương hướng, nhiệm vụ năm 2025"],
        [Table(
            [["TT", "Chỉ tiêu", "ĐVT", "Năm 2023", "Năm 2024", "", "So sánh (%)", ""],
             ["", "", "", "TH", "KH", "TH", "TH/KH", "TH/CK"]],
            [["1", "Sản lượng nước sản xuất", "nghìn m3", "10.250", "10.800", "10.912", "101,0",
              "106,5"],
             ["2", "Sản lượng nước thương phẩm", "nghìn m3", "8.815", "9.300", "9.447", "101,6",
              "107,2"],
             ["3", "Tỷ lệ thất thoát nước", "%", "14,0", "13,9", "13,4", "", ""],
             ["4", "Tổng doanh thu", "triệu đồng", "98.420", "104.000", "106.535", "102,4",
              "108,2"],
             ["", "Trong đó: doanh thu tiền nước", "triệu đồng", "90.110", "95.000", "97.802",
              "102,9", "108,5"],
             ["5", "Lợi nhuận trước thuế", "triệu đồng", "6.215", "6.500", "6.930", "106,6",
              "111,5"],
             ["6", "Nộp ngân sách", "triệu đồng", "7.840", "8.000", "8.126", "101,6", "103,6"],
             ["7", "Số hộ đấu nối mới", "hộ", "2.150", "2.000", "2.318", "115,9", "107,8"]],
            merges=[(0, 4, 5), (0, 6, 7)],
        )],
        ["Đảng bộ có 11 chi bộ trực thuộc với 172 đảng viên.",
         "Trong năm đã kết nạp 06 đảng viên mới; xét chuyển đảng chính thức cho 05 đảng viên "
         "dự bị.",
         "Ủy ban Kiểm tra Đảng ủy đã kiểm tra 03 tổ chức đảng và 04 đảng viên; giám sát chuyên "
         "đề 05 chi bộ.",
         "Thi hành kỷ luật 01 đảng viên bằng hình thức khiển trách."],
    ),
    Report(
        "songlam-2025-q1.docx", "52-BC/ĐU", ("08", "4", "2025"),
        ["BÁO CÁO", "Kết quả thực hiện nhiệm vụ quý I, phương hướng nhiệm vụ quý II năm 2025"],
        [Table(
            [["STT", "Chỉ tiêu", "KH năm 2025", "TH quý I/2025",
              "TH cùng kỳ năm 2024", "% so KH năm", "% so CK"]],
            [["1", "Sản lượng nước sản xuất (nghìn m3)", "11.300", "2.605", "2.471", "23,1",
              "105,4"],
             ["2", "Nước thương phẩm (nghìn m3)", "9.800", "2.262", "2.130", "23,1", "106,2"],
             ["3", "Tỷ lệ thất thoát (%)", "13,2", "13,2", "13,8", "", ""],
             ["4", "Tổng doanh thu (triệu đồng)", "112.000", "25.840", "24.105", "23,1", "107,2"],
             ["5", "Lợi nhuận trước thuế (triệu đồng)", "7.000", "1.512", "1.398", "21,6",
              "108,2"],
             ["6", "Nộp ngân sách nhà nước (triệu đồng)", "8.500", "1.966", "1.890", "23,1",
              "104,0"],
             ["7", "Số hộ đấu nối mới (hộ)", "2.200", "512", "486", "23,3", "105,3"]],
        )],
        ["Trong quý, Đảng ủy kết nạp 01 đảng viên mới.",
         "Ủy ban Kiểm tra Đảng ủy giám sát 02 chi bộ.",
         "Đảng bộ hiện có 11 chi bộ trực thuộc với 173 đảng viên."],
    ),
    Report(
        "songlam-2025-h1.docx", "61-BC/ĐU", ("10", "7", "2025"),
        ["BÁO CÁO", "Sơ kết 6 tháng đầu năm, nhiệm vụ trọng tâm 6 tháng cuối năm 2025"],
        [Table(
            [["TT", "Chỉ tiêu", "ĐVT", "KH 2025", "Quý I", "Quý II", "Lũy kế 6 tháng",
              "CK 2024", "TH/KH (%)", "TH/CK (%)"]],
            [["1", "Nước sản xuất", "1.000 m3", "11.300", "2.605", "2.784", "5.389", "5.102",
              "47,7", "105,6"],
             ["2", "Sản lượng nước thương phẩm", "1.000 m3", "9.800", "2.262", "2.431", "4.693",
              "4.398", "47,9", "106,7"],
             ["3", "Tỷ lệ thất thoát nước", "%", "13,2", "13,2", "12,7", "12,9", "13,8", "", ""],
             ["4", "Tổng doanh thu", "Tr.đ", "112.000", "25.840", "27.655", "53.495", "50.212",
              "47,8", "106,5"],
             ["5", "Lợi nhuận trước thuế", "Tr.đ", "7.000", "1.512", "1.804", "3.316", "3.025",
              "47,4", "109,6"],
             ["6", "Nộp ngân sách", "Tr.đ", "8.500", "1.966", "2.120", "4.086", "3.911", "48,1",
              "104,5"],
             ["7", "Số hộ đấu nối mới", "hộ", "2.200", "512", "604", "1.116", "1.045", "50,7",
              "106,8"]],
        )],
        ["Trong 6 tháng đầu năm, Đảng ủy đã kết nạp 03 đảng viên mới, chuyển đảng chính thức "
         "cho 02 đồng chí.",
         "Ủy ban Kiểm tra Đảng ủy kiểm tra 02 tổ chức đảng, giám sát 03 chi bộ.",
         "Đảng bộ có 11 chi bộ trực thuộc với 175 đảng viên."],
    ),
    Report(
        "songlam-2025-9m.docx", "70-BC/ĐU", ("08", "10", "2025"),
        ["BÁO CÁO", "Kết quả thực hiện nhiệm vụ 9 tháng đầu năm 2025"],
        [Table(
            [["TT", "Chỉ tiêu", "ĐVT", "Kế hoạch năm 2025", "Thực hiện 9 tháng năm 2025",
              "Thực hiện 9 tháng năm 2024", "So với kế hoạch (%)", "So với cùng kỳ (%)"]],
            [["1", "Sản lượng nước sản xuất", "nghìn m3", "11.300", "8.196", "7.760", "72,5",
              "105,6"],
             ["2", "Sản lượng nước thương phẩm", "nghìn m3", "9.800", "7.141", "6.692", "72,9",
              "106,7"],
             ["3", "Tỷ lệ thất thoát nước", "%", "13,2", "12,9", "13,7", "", ""],
             ["4", "Tổng doanh thu", "triệu đồng", "112.000", "81.320", "76.540", "72,6",
              "106,2"],
             ["5", "Lợi nhuận trước thuế", "triệu đồng", "7.000", "5.104", "4.633", "72,9",
              "110,2"],
             ["6", "Nộp ngân sách", "triệu đồng", "8.500", "6.150", "5.902", "72,4", "104,2"],
             ["7", "Số hộ đấu nối mới", "hộ", "2.200", "1.702", "1.590", "77,4", "107,0"]],
        )],
        ["Trong 9 tháng, kết nạp 05 đảng viên mới, chuyển đảng chính thức cho 03 đảng viên.",
         "Đảng bộ hiện có 11 chi bộ trực thuộc với 177 đảng viên."],
    ),
]  # fmt: skip

# ---------------------------------------------------------------------------------------------
# Đá Bạc: cement
# ---------------------------------------------------------------------------------------------

DA_BAC_PARENT = "ĐẢNG BỘ KHỐI DOANH NGHIỆP TỈNH THANH LĨNH"
DA_BAC = "ĐẢNG ỦY CÔNG TY CỔ PHẦN XI MĂNG ĐÁ BẠC"

_FIN = "Đơn vị tính: tỷ đồng"
DA_BAC_REPORTS = [
    Report(
        "dabac-2024-h1.docx", "118-BC/ĐU", ("05", "7", "2024"),
        ["BÁO CÁO SƠ KẾT 6 THÁNG ĐẦU NĂM 2024", "công tác lãnh đạo sản xuất kinh doanh và xây "
         "dựng Đảng"],
        [Table(
            [["STT", "Chỉ tiêu", "ĐVT", "KH 2024", "TH 6T/2024", "TH 6T/2023", "TH/KH (%)",
              "TH/CK (%)"]],
            [["1", "Clinker sản xuất", "tấn", "1.200.000", "584.320", "561.200", "48,7", "104,1"],
             ["2", "Xi măng sản xuất", "tấn", "1.500.000", "702.450", "688.100", "46,8", "102,1"],
             ["3", "Xi măng tiêu thụ", "tấn", "1.500.000", "695.800", "679.300", "46,4",
              "102,4"]],
        ),
         Table(
            [["STT", "Chỉ tiêu", "KH năm 2024", "TH 6 tháng 2024", "Cùng kỳ 2023", "% KH",
              "% CK"]],
            [["1", "Doanh thu thuần", "1.450", "668,25", "655,10", "46,1", "102,0"],
             ["2", "Lợi nhuận trước thuế", "20", "(12,5)", "3,80", "", ""],
             ["3", "Nộp ngân sách", "95", "44,6", "41,2", "46,9", "108,3"]],
            caption=_FIN,
        )],
        ["Tính đến 30/6/2024, Đảng bộ có 18 chi bộ trực thuộc, 326 đảng viên.",
         "Trong 6 tháng, đã kết nạp được 04 quần chúng ưu tú vào Đảng; công nhận đảng viên "
         "chính thức cho 06 đồng chí.",
         "Ủy ban Kiểm tra Đảng ủy giám sát thường xuyên 04 chi bộ.",
         "Thi hành kỷ luật khiển trách 01 đảng viên."],
    ),
    Report(
        "dabac-2024.docx", "135-BC/ĐU", ("20", "12", "2024"),
        ["BÁO CÁO", "tổng kết công tác năm 2024, phương hướng, nhiệm vụ năm 2025"],
        [Table(
            [["TT", "Chỉ tiêu", "ĐVT", "Thực hiện năm 2023", "Năm 2024", "", "So sánh (%)",
              ""],
             ["", "", "", "", "Kế hoạch", "Ước thực hiện", "KH", "CK"]],
            [["1", "Sản lượng clinker", "tấn", "1.150.400", "1.200.000", "1.185.600", "98,8",
              "103,1"],
             ["2", "Sản lượng xi măng sản xuất", "tấn", "1.420.300", "1.500.000", "1.462.900",
              "97,5", "103,0"],
             ["3", "Sản lượng xi măng tiêu thụ", "tấn", "1.405.700", "1.500.000", "1.458.200",
              "97,2", "103,7"]],
            merges=[(0, 4, 5), (0, 6, 7)],
        ),
         Table(
            [["TT", "Chỉ tiêu", "Thực hiện năm 2023", "Kế hoạch năm 2024", "Ước TH năm 2024",
              "TH/KH", "TH/CK"]],
            [["1", "Doanh thu thuần", "1.398,40", "1.450", "1.421,75", "98,1", "101,7"],
             ["2", "Lợi nhuận trước thuế", "15,60", "20", "-3,20", "", ""],
             ["3", "Nộp ngân sách", "88,9", "95", "93,4", "98,3", "105,1"]],
            caption=_FIN,
        )],
        ["Đảng bộ hiện có 18 chi bộ trực thuộc với 331 đảng viên.",
         "Năm 2024 kết nạp 09 đảng viên mới, chuyển chính thức cho 10 đảng viên dự bị.",
         "Ủy ban Kiểm tra Đảng ủy kiểm tra 04 tổ chức đảng, giám sát 08 chi bộ.",
         "Thi hành kỷ luật 02 đảng viên."],
    ),
    Report(
        "dabac-2025-q1.docx", "150-BC/ĐU", ("10", "4", "2025"),
        ["BÁO CÁO", "kết quả công tác quý I năm 2025"],
        [Table(
            [["TT", "Chỉ tiêu", "ĐVT", "KH năm 2025", "TH quý I/2025", "TH quý I/2024",
              "SS KH (%)", "SS CK (%)"]],
            [["1", "Clinker sản xuất", "tấn", "1.250.000", "301.250", "287.400", "24,1",
              "104,8"],
             ["2", "Xi măng sản xuất", "tấn", "1.550.000", "365.800", "342.600", "23,6",
              "106,8"],
             ["3", "Xi măng tiêu thụ", "tấn", "1.550.000", "360.120", "338.900", "23,2",
              "106,3"],
             ["4", "Doanh thu thuần", "tỷ đồng", "1.500", "348,60", "322,15", "23,2", "108,2"],
             ["5", "Lợi nhuận trước thuế", "tỷ đồng", "18", "2,15", "(4,80)", "11,9", ""],
             ["6", "Nộp ngân sách", "tỷ đồng", "98", "22,3", "20,7", "22,8", "107,7"]],
        )],
        ["Trong quý, kết nạp 02 đảng viên mới.",
         "Đảng bộ có 18 chi bộ với 332 đảng viên."],
    ),
    Report(
        "dabac-2025-h1.docx", "166-BC/ĐU", ("07", "7", "2025"),
        ["BÁO CÁO SƠ KẾT 6 THÁNG ĐẦU NĂM 2025"],
        [Table(
            [["TT", "Chỉ tiêu", "ĐVT", "KH 2025", "Quý I/2025", "Quý II/2025", "6 tháng/2025",
              "Cùng kỳ 2024", "% KH"]],
            [["1", "Sản lượng clinker sản xuất", "tấn", "1.250.000", "301.250", "318.700",
              "619.950", "584.320", "49,6"],
             ["2", "Xi măng sản xuất", "tấn", "1.550.000", "365.800", "379.100", "744.900",
              "702.450", "48,1"],
             ["3", "Xi măng tiêu thụ", "tấn", "1.550.000", "360.120", "381.500", "741.620",
              "695.800", "47,8"],
             ["4", "Doanh thu thuần", "tỷ đồng", "1.500", "348,60", "366,40", "715,00",
              "668,25", "47,7"],
             ["5", "Lợi nhuận trước thuế", "tỷ đồng", "18", "2,15", "3,05", "5,20", "(12,50)",
              "28,9"],
             ["6", "Nộp ngân sách", "tỷ đồng", "98", "22,3", "24,1", "46,4", "44,6", "47,3"]],
        )],
        ["Tính đến 30/6/2025, Đảng bộ có 18 chi bộ trực thuộc, 335 đảng viên.",
         "Trong 6 tháng đầu năm, kết nạp 05 đảng viên mới; công nhận đảng viên chính thức cho "
         "04 đồng chí.",
         "Ủy ban Kiểm tra Đảng ủy giám sát 05 chi bộ."],
    ),
]  # fmt: skip

# ---------------------------------------------------------------------------------------------
# Hải Thịnh: a seaport
# ---------------------------------------------------------------------------------------------

HAI_THINH_PARENT = "ĐẢNG BỘ KHỐI DOANH NGHIỆP TỈNH QUẢNG HẢI"
HAI_THINH = "ĐẢNG ỦY CÔNG TY CỔ PHẦN CẢNG HẢI THỊNH"

HAI_THINH_REPORTS = [
    Report(
        "haithinh-2024-h1.docx", "21-BC/ĐU", ("05", "7", "2024"),
        ["BÁO CÁO", "Sơ kết 6 tháng đầu năm 2024, phương hướng nhiệm vụ 6 tháng cuối năm"],
        [Table(
            [["Chỉ tiêu", "Đơn vị", "TH 6 tháng 2023", "KH năm 2024", "TH 6 tháng 2024",
              "TH/CK (%)", "TH/KH (%)"]],
            [["Hàng hóa thông qua cảng", "nghìn tấn", "3.412,5", "7.200", "3.655,8", "107,1",
              "50,8"],
             ["Trong đó: hàng container", "TEU", "41.250", "90.000", "45.870", "111,2", "51,0"],
             ["Lượt tàu ra vào cảng", "lượt", "612", "1.300", "648", "105,9", "49,8"],
             ["Tổng doanh thu", "tỷ đồng", "285,40", "600", "301,75", "105,7", "50,3"],
             ["Lợi nhuận sau thuế", "tỷ đồng", "41,2", "85", "43,9", "106,6", "51,6"],
             ["Thu nhập bình quân", "triệu đồng/người/tháng", "14,2", "15", "15,1", "106,3",
              "100,7"]],
        )],
        ["Toàn Đảng bộ hiện có 248 đảng viên, sinh hoạt tại 14 chi bộ trực thuộc.",
         "Trong 6 tháng, Đảng ủy đã kết nạp 03 đảng viên mới.",
         "Ủy ban Kiểm tra Đảng ủy đã kiểm tra 02 cuộc, giám sát 03 cuộc."],
    ),
    Report(
        "haithinh-2024-9m.docx", "27-BC/ĐU", ("06", "10", "2024"),
        ["BÁO CÁO", "Kết quả lãnh đạo thực hiện nhiệm vụ 9 tháng năm 2024"],
        [Table(
            [["TT", "Nội dung", "ĐVT", "Kế hoạch năm", "Thực hiện quý III", "Lũy kế 9 tháng",
              "Cùng kỳ", "Tỷ lệ % so với KH"]],
            [["1", "Sản lượng hàng hóa thông qua", "nghìn tấn", "7.200", "1.902,3", "5.558,1",
              "5.180,4", "77,2"],
             ["2", "Hàng container", "TEU", "90.000", "23.610", "69.480", "62.310", "77,2"],
             ["3", "Số lượt tàu ra, vào cảng", "lượt", "1.300", "331", "979", "921", "75,3"],
             ["4", "Tổng doanh thu", "tỷ đồng", "600", "156,20", "457,95", "431,60", "76,3"],
             ["5", "Lợi nhuận sau thuế", "tỷ đồng", "85", "22,5", "66,4", "62,0", "78,1"]],
        )],
        ["Đến nay, Đảng bộ có 14 chi bộ trực thuộc với 251 đảng viên.",
         "Trong 9 tháng, kết nạp 05 đảng viên.",
         "UBKT Đảng ủy kiểm tra 03 cuộc, giám sát 04 cuộc."],
    ),
    Report(
        "haithinh-2024.docx", "35-BC/ĐU", ("22", "12", "2024"),
        ["BÁO CÁO TỔNG KẾT NĂM 2024"],
        [Table(
            [["TT", "Chỉ tiêu", "ĐVT", "Thực hiện năm 2023", "Năm 2024", "",
              "Tăng/giảm so với năm 2023 (%)"],
             ["", "", "", "", "Kế hoạch", "Ước thực hiện", ""]],
            [["1", "Hàng hóa thông qua cảng", "nghìn tấn", "6.950,2", "7.200", "7.480,6",
              "107,6"],
             ["", "- Trong đó: container", "TEU", "84.120", "90.000", "93.560", "111,2"],
             ["2", "Lượt tàu ra vào cảng", "lượt", "1.236", "1.300", "1.318", "106,6"],
             ["3", "Tổng doanh thu", "tỷ đồng", "578,30", "600", "615,40", "106,4"],
             ["4", "Lợi nhuận sau thuế", "tỷ đồng", "80,5", "85", "88,1", "109,4"],
             ["5", "Thu nhập bình quân", "triệu đồng/người/tháng", "14,5", "15", "15,4",
              "106,2"]],
            merges=[(0, 4, 5)],
        )],
        ["Toàn Đảng bộ có 14 chi bộ, 253 đảng viên.",
         "Năm 2024, kết nạp 08 đảng viên mới, công nhận đảng viên chính thức cho 06 đồng chí.",
         "Ủy ban Kiểm tra Đảng ủy kiểm tra 05 cuộc, giám sát 07 cuộc.",
         "Thi hành kỷ luật 01 đảng viên."],
    ),
    Report(
        "haithinh-2025-h1.docx", "43-BC/ĐU", ("04", "7", "2025"),
        ["BÁO CÁO", "Sơ kết công tác 6 tháng đầu năm 2025"],
        [Table(
            [["STT", "Chỉ tiêu", "Đơn vị tính", "Kế hoạch 2025", "Thực hiện", "",
              "So sánh (%)", ""],
             ["", "", "", "", "6 tháng 2025", "6 tháng 2024", "TH/KH", "TH/CK"]],
            [["1", "Hàng hóa thông qua", "1.000 tấn", "7.600", "3.901,4", "3.655,8", "51,3",
              "106,7"],
             ["2", "Hàng container", "TEU", "98.000", "49.950", "45.870", "51,0", "108,9"],
             ["3", "Lượt tàu", "lượt", "1.350", "671", "648", "49,7", "103,5"],
             ["4", "Doanh thu", "tỷ đồng", "640", "322,10", "301,75", "50,3", "106,7"],
             ["5", "Lợi nhuận sau thuế", "tỷ đồng", "90", "46,3", "43,9", "51,4", "105,5"],
             ["6", "Thu nhập bình quân", "tr.đ/người/tháng", "16", "15,9", "15,1", "99,4",
              "105,3"]],
            merges=[(0, 4, 5), (0, 6, 7)],
        )],
        ["Toàn Đảng bộ hiện có 257 đảng viên, sinh hoạt tại 14 chi bộ trực thuộc.",
         "Số đảng viên mới được kết nạp: 04 đồng chí.",
         "Ủy ban Kiểm tra Đảng ủy kiểm tra 02 cuộc, giám sát 04 cuộc."],
    ),
]  # fmt: skip

# ---------------------------------------------------------------------------------------------
# Than Bắc: a coal mine
# ---------------------------------------------------------------------------------------------

THAN_BAC_PARENT = "ĐẢNG BỘ TỔNG CÔNG TY KHOÁNG SẢN ĐÔNG BẮC"
THAN_BAC = "ĐẢNG ỦY CÔNG TY THAN BẮC SƠN"

THAN_BAC_REPORTS = [
    Report(
        "thanbac-2024-q3.docx", "198-BC/ĐU", ("07", "10", "2024"),
        ["BÁO CÁO", "Kết quả lãnh đạo thực hiện nhiệm vụ quý III năm 2024"],
        [Table(
            [["TT", "Chỉ tiêu", "ĐVT", "KH năm 2024", "TH Quý III/2024", "Lũy kế 9 tháng/2024",
              "% so KH năm"]],
            [["1", "Than nguyên khai sản xuất", "1.000 tấn", "2.400", "612,4", "1.795,3",
              "74,8"],
             ["2", "Than tiêu thụ", "1.000 tấn", "2.450", "630,1", "1.826,7", "74,6"],
             ["3", "Tổng doanh thu", "Tr.đồng", "3.150.000", "812.450", "2.356.900", "74,8"],
             ["4", "Lợi nhuận trước thuế", "Tr.đồng", "45.000", "9.870", "31.240", "69,4"]],
        )],
        ["Trong quý III, Đảng ủy kết nạp được 02 quần chúng ưu tú vào Đảng.",
         "Đảng bộ hiện có 22 chi bộ trực thuộc, 612 đảng viên (trong đó 58 đảng viên nữ)."],
    ),
    Report(
        "thanbac-2024.docx", "210-BC/ĐU", ("18", "12", "2024"),
        ["BÁO CÁO", "Tổng kết công tác xây dựng Đảng và lãnh đạo thực hiện nhiệm vụ sản xuất "
         "kinh doanh năm 2024"],
        [Table(
            [["TT", "Chỉ tiêu", "ĐVT", "Thực hiện 2023", "Kế hoạch 2024", "Thực hiện 2024",
              "TH 2024 so với TH 2023 (%)", "TH 2024 so với KH (%)"]],
            [["1", "Than nguyên khai", "1.000 tấn", "2.310,5", "2.400", "2.415,8", "104,6",
              "100,7"],
             ["2", "Than tiêu thụ", "1.000 tấn", "2.380,2", "2.450", "2.468,9", "103,7",
              "100,8"],
             ["3", "Tổng doanh thu", "Tr.đồng", "3.010.400", "3.150.000", "3.204.600", "106,5",
              "101,7"],
             ["4", "Lợi nhuận trước thuế", "Tr.đồng", "41.300", "45.000", "46.120", "111,7",
              "102,5"]],
        )],
        ["Năm 2024, toàn Đảng bộ kết nạp được 07 quần chúng ưu tú vào Đảng; đề nghị công "
         "nhận đảng viên chính thức cho 05 đồng chí.",
         "Đảng bộ có 22 chi bộ trực thuộc, 618 đảng viên."],
    ),
    Report(
        "thanbac-2025-q1.docx", "225-BC/ĐU", ("08", "4", "2025"),
        ["BÁO CÁO", "Kết quả thực hiện nhiệm vụ Quý I năm 2025"],
        [Table(
            [["STT", "Chỉ tiêu", "ĐVT", "KH năm 2025", "Thực hiện Quý I/2025", "Cùng kỳ 2024",
              "So sánh (%) KH", "So sánh (%) CK"]],
            [["1", "Than nguyên khai sản xuất", "Nghìn tấn", "2.500", "598,2", "575,6", "23,9",
              "103,9"],
             ["2", "Than tiêu thụ", "Nghìn tấn", "2.520", "610,4", "588,3", "24,2", "103,8"],
             ["3", "Tổng doanh thu", "Triệu đồng", "3.300.000", "795.300", "760.250", "24,1",
              "104,6"],
             ["4", "Lợi nhuận trước thuế", "Triệu đồng", "47.000", "10.850", "10.120", "23,1",
              "107,2"]],
        )],
        ["Trong Quý I, kết nạp 01 đảng viên.",
         "Tổng số đảng viên của Đảng bộ: 620 đồng chí, sinh hoạt tại 22 chi bộ."],
    ),
    Report(
        "thanbac-2025-h1.docx", "236-BC/ĐU", ("06", "7", "2025"),
        ["BÁO CÁO", "Sơ kết 6 tháng đầu năm 2025"],
        [Table(
            [["TT", "Chỉ tiêu", "ĐVT", "KH 2025", "TH Quý II/2025", "TH 6 tháng 2025",
              "TH 6 tháng 2024", "%KH", "%CK"]],
            [["1", "Than nguyên khai", "1000 tấn", "2.500", "640,5", "1.238,7", "1.182,9",
              "49,5", "104,7"],
             ["2", "Than tiêu thụ", "1000 tấn", "2.520", "655,2", "1.265,6", "1.196,6", "50,2",
              "105,8"],
             ["3", "Doanh thu", "Tr.đ", "3.300.000", "851.700", "1.647.000", "1.544.450",
              "49,9", "106,6"],
             ["4", "Lợi nhuận trước thuế", "Tr.đ", "47.000", "11.930", "22.780", "21.370",
              "48,5", "106,6"]],
        )],
        ["Sáu tháng đầu năm, Đảng ủy kết nạp 03 đảng viên mới.",
         "Toàn Đảng bộ có 22 chi bộ trực thuộc với 623 đảng viên."],
    ),
]  # fmt: skip

SERIES = {
    "songlam": (SONG_LAM_PARENT, SONG_LAM, "Nghệ Bình", SONG_LAM_REPORTS),
    "dabac": (DA_BAC_PARENT, DA_BAC, "Thanh Lĩnh", DA_BAC_REPORTS),
    "haithinh": (HAI_THINH_PARENT, HAI_THINH, "Quảng Hải", HAI_THINH_REPORTS),
    "thanbac": (THAN_BAC_PARENT, THAN_BAC, "Đông Bắc", THAN_BAC_REPORTS),
}

# What a person lines up, by hand: (words that find the row's label, folded) -> period -> value.
EXPECTED: dict[str, dict[tuple[str, ...], dict[str, float]]] = {
    "songlam": {
        ("nuoc san xuat",): {
            "2023": 10250, "2024": 10912, "2024-Q1": 2471, "2025-Q1": 2605, "2025-Q2": 2784,
            "2024-H1": 5102, "2025-H1": 5389, "2024-9M": 7760, "2025-9M": 8196},
        ("nuoc thuong pham",): {
            "2023": 8815, "2024": 9447, "2024-Q1": 2130, "2025-Q1": 2262, "2025-Q2": 2431,
            "2024-H1": 4398, "2025-H1": 4693, "2024-9M": 6692, "2025-9M": 7141},
        ("that thoat",): {
            "2023": 14.0, "2024": 13.4, "2024-Q1": 13.8, "2025-Q1": 13.2, "2025-Q2": 12.7,
            "2024-H1": 13.8, "2025-H1": 12.9, "2024-9M": 13.7, "2025-9M": 12.9},
        ("tong doanh thu",): {
            "2023": 98420, "2024": 106535, "2024-Q1": 24105, "2025-Q1": 25840, "2025-Q2": 27655,
            "2024-H1": 50212, "2025-H1": 53495, "2024-9M": 76540, "2025-9M": 81320},
        ("loi nhuan",): {
            "2023": 6215, "2024": 6930, "2024-Q1": 1398, "2025-Q1": 1512, "2025-Q2": 1804,
            "2024-H1": 3025, "2025-H1": 3316, "2024-9M": 4633, "2025-9M": 5104},
        ("ngan sach",): {
            "2023": 7840, "2024": 8126, "2024-Q1": 1890, "2025-Q1": 1966, "2025-Q2": 2120,
            "2024-H1": 3911, "2025-H1": 4086, "2024-9M": 5902, "2025-9M": 6150},
        ("dau noi",): {
            "2023": 2150, "2024": 2318, "2024-Q1": 486, "2025-Q1": 512, "2025-Q2": 604,
            "2024-H1": 1045, "2025-H1": 1116, "2024-9M": 1590, "2025-9M": 1702},
        ("dang vien moi", "ket nap"): {"2024": 6, "2025-Q1": 1, "2025-H1": 3, "2025-9M": 5},
        ("chinh thuc",): {"2024": 5, "2025-H1": 2, "2025-9M": 3},
        ("tong so dang vien", "dang vien hien co", "so dang vien"): {
            "2024": 172, "2025-Q1": 173, "2025-H1": 175, "2025-9M": 177},
        ("chi bo truc thuoc", "so chi bo"): {
            "2024": 11, "2025-Q1": 11, "2025-H1": 11, "2025-9M": 11},
        ("kiem tra", "to chuc dang"): {"2024": 3, "2025-H1": 2},
        ("giam sat",): {"2024": 5, "2025-Q1": 2, "2025-H1": 3},
    },
    "dabac": {
        ("clinker",): {
            "2023-H1": 561200, "2024-H1": 584320, "2023": 1150400, "2024": 1185600,
            "2024-Q1": 287400, "2025-Q1": 301250, "2025-Q2": 318700, "2025-H1": 619950},
        ("xi mang san xuat",): {
            "2023-H1": 688100, "2024-H1": 702450, "2023": 1420300, "2024": 1462900,
            "2024-Q1": 342600, "2025-Q1": 365800, "2025-Q2": 379100, "2025-H1": 744900},
        ("xi mang tieu thu",): {
            "2023-H1": 679300, "2024-H1": 695800, "2023": 1405700, "2024": 1458200,
            "2024-Q1": 338900, "2025-Q1": 360120, "2025-Q2": 381500, "2025-H1": 741620},
        ("doanh thu thuan",): {
            "2023-H1": 655.10, "2024-H1": 668.25, "2023": 1398.40, "2024": 1421.75,
            "2024-Q1": 322.15, "2025-Q1": 348.60, "2025-Q2": 366.40, "2025-H1": 715.00},
        ("loi nhuan",): {
            "2023-H1": 3.80, "2024-H1": -12.5, "2023": 15.60, "2024": -3.20, "2024-Q1": -4.80,
            "2025-Q1": 2.15, "2025-Q2": 3.05, "2025-H1": 5.20},
        ("ngan sach",): {
            "2023-H1": 41.2, "2024-H1": 44.6, "2023": 88.9, "2024": 93.4, "2024-Q1": 20.7,
            "2025-Q1": 22.3, "2025-Q2": 24.1, "2025-H1": 46.4},
        ("tong so dang vien", "dang vien hien co", "so dang vien"): {
            "2024-H1": 326, "2024": 331, "2025-Q1": 332, "2025-H1": 335},
        ("chi bo truc thuoc", "so chi bo"): {
            "2024-H1": 18, "2024": 18, "2025-Q1": 18, "2025-H1": 18},
        ("dang vien moi", "ket nap"): {"2024-H1": 4, "2024": 9, "2025-Q1": 2, "2025-H1": 5},
        ("chinh thuc",): {"2024-H1": 6, "2024": 10, "2025-H1": 4},
        ("giam sat",): {"2024-H1": 4, "2024": 8, "2025-H1": 5},
        ("ky luat",): {"2024-H1": 1, "2024": 2},
    },
    "haithinh": {
        ("hang hoa thong qua",): {
            "2023-H1": 3412.5, "2024-H1": 3655.8, "2024-Q3": 1902.3, "2024-9M": 5558.1,
            "2023-9M": 5180.4, "2023": 6950.2, "2024": 7480.6, "2025-H1": 3901.4},
        ("container",): {
            "2023-H1": 41250, "2024-H1": 45870, "2024-Q3": 23610, "2024-9M": 69480,
            "2023-9M": 62310, "2023": 84120, "2024": 93560, "2025-H1": 49950},
        ("luot tau",): {
            "2023-H1": 612, "2024-H1": 648, "2024-Q3": 331, "2024-9M": 979, "2023-9M": 921,
            "2023": 1236, "2024": 1318, "2025-H1": 671},
        ("doanh thu",): {
            "2023-H1": 285.40, "2024-H1": 301.75, "2024-Q3": 156.20, "2024-9M": 457.95,
            "2023-9M": 431.60, "2023": 578.30, "2024": 615.40, "2025-H1": 322.10},
        ("loi nhuan",): {
            "2023-H1": 41.2, "2024-H1": 43.9, "2024-Q3": 22.5, "2024-9M": 66.4, "2023-9M": 62.0,
            "2023": 80.5, "2024": 88.1, "2025-H1": 46.3},
        ("thu nhap",): {
            "2023-H1": 14.2, "2024-H1": 15.1, "2023": 14.5, "2024": 15.4, "2025-H1": 15.9},
        ("tong so dang vien", "dang vien hien co", "so dang vien"): {
            "2024-H1": 248, "2024-9M": 251, "2024": 253, "2025-H1": 257},
        ("chi bo truc thuoc", "so chi bo"): {
            "2024-H1": 14, "2024-9M": 14, "2024": 14, "2025-H1": 14},
        ("dang vien moi", "ket nap"): {"2024-H1": 3, "2024-9M": 5, "2024": 8, "2025-H1": 4},
        ("kiem tra",): {"2024-H1": 2, "2024-9M": 3, "2024": 5, "2025-H1": 2},
        ("giam sat",): {"2024-H1": 3, "2024-9M": 4, "2024": 7, "2025-H1": 4},
    },
    "thanbac": {
        ("than nguyen khai",): {
            "2024-Q3": 612.4, "2024-9M": 1795.3, "2023": 2310.5, "2024": 2415.8,
            "2024-Q1": 575.6, "2025-Q1": 598.2, "2025-Q2": 640.5, "2025-H1": 1238.7,
            "2024-H1": 1182.9},
        ("than tieu thu",): {
            "2024-Q3": 630.1, "2024-9M": 1826.7, "2023": 2380.2, "2024": 2468.9,
            "2024-Q1": 588.3, "2025-Q1": 610.4, "2025-Q2": 655.2, "2025-H1": 1265.6,
            "2024-H1": 1196.6},
        ("doanh thu",): {
            "2024-Q3": 812450, "2024-9M": 2356900, "2023": 3010400, "2024": 3204600,
            "2024-Q1": 760250, "2025-Q1": 795300, "2025-Q2": 851700, "2025-H1": 1647000,
            "2024-H1": 1544450},
        ("loi nhuan",): {
            "2024-Q3": 9870, "2024-9M": 31240, "2023": 41300, "2024": 46120, "2024-Q1": 10120,
            "2025-Q1": 10850, "2025-Q2": 11930, "2025-H1": 22780, "2024-H1": 21370},
        ("tong so dang vien", "dang vien hien co", "so dang vien"): {
            "2024-Q3": 612, "2024": 618, "2025-Q1": 620, "2025-H1": 623},
        ("chi bo truc thuoc", "so chi bo"): {
            "2024-Q3": 22, "2024": 22, "2025-Q1": 22, "2025-H1": 22},
        ("dang vien moi", "ket nap"): {"2024-Q3": 2, "2024": 7, "2025-Q1": 1, "2025-H1": 3},
    },
}  # fmt: skip


def write_series(name: str, folder: Path) -> list[Path]:
    """The reports of series `name` as .docx files in `folder` (made if missing)."""
    parent, body, place, reports = SERIES[name]
    folder.mkdir(parents=True, exist_ok=True)
    return [_write(folder, parent, body, place, r) for r in reports]


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFD", text.lower().replace("đ", "d"))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def measure(name: str, metrics: list[dict]) -> tuple[int, int, list[str]]:
    """Cells of series `name` that `compare`'s JSON metrics line up: a metric's cells count in
    the one row (found by its words) holding most of them right; a conflicting cell is wrong.
    Returns (right, expected, what was missed)."""
    right = total = 0
    missed: list[str] = []
    for words, values in EXPECTED[name].items():
        total += len(values)
        rows = [m for m in metrics if any(w in _fold(m["label"]) for w in words)]

        def hits(row: dict, values: dict[str, float] = values) -> set[str]:
            got = row["values"]
            return {p for p, v in values.items()
                    if isinstance(got.get(p), int | float) and abs(got[p] - v) < 1e-6}  # fmt: skip

        best = max(rows, key=lambda r: len(hits(r)), default=None)
        good = hits(best) if best else set()
        right += len(good)
        for period in sorted(set(values) - good):
            where = [(r["label"], r["values"].get(period)) for r in rows if period in r["values"]]
            missed.append(f"{words[0]} {period}={values[period]}: {where or 'absent'}")
    return right, total, missed
