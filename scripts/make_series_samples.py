"""Write the sample series of a fictional company's Party committee (Công ty Cổ phần Điện lực
Hồng Phát, Đảng bộ Khối Doanh nghiệp tỉnh Hòa An): a yearly report for 2023, then the first
quarter, the first half and the year 2024, as .docx files laid out like real ones (a borderless
two-column header, an indicator table with plan, result, same-period and ratio columns, Party
work in prose).

The labels of the indicator rows shift from report to report the way real ones do
(`Sản lượng điện thương phẩm` / `Điện thương phẩm`, `Doanh thu bán điện` / `Doanh thu tiền điện`),
and units are spelled two ways (`Triệu kWh` / `Tr.kWh`), so that `baocao compare` shows series
that no taxonomy entry names and that align themselves. Every name and figure is invented.

    python scripts/make_series_samples.py [FOLDER]   # default: samples/series-hong-phat
"""

from __future__ import annotations

import sys
from pathlib import Path

from docx import Document
from docx.document import Document as DocumentType
from docx.shared import Pt

DEFAULT_FOLDER = Path(__file__).resolve().parents[1] / "samples" / "series-hong-phat"
PARENT = "ĐẢNG BỘ KHỐI DOANH NGHIỆP TỈNH HÒA AN"
BODY = "ĐẢNG ỦY CÔNG TY CỔ PHẦN ĐIỆN LỰC HỒNG PHÁT"
HEAD = ["TT", "Chỉ tiêu", "ĐVT"]

# (file, number, date, title period, table heads after TT/Chỉ tiêu/ĐVT, rows, prose)
REPORTS: list[dict[str, object]] = [
    {
        "file": "hongphat-2023.docx",
        "number": "12-BC/ĐU",
        "date": ("15", "12", "2023"),
        "period": "năm 2023",
        "heads": [
            "Kế hoạch năm 2023",
            "Thực hiện năm 2023",
            "Thực hiện năm 2022",
            "So với KH (%)",
            "So với cùng kỳ (%)",
        ],
        "rows": [
            [
                "1",
                "Sản lượng điện thương phẩm",
                "Triệu kWh",
                "1.250",
                "1.268,4",
                "1.190,2",
                "101,5",
                "106,6",
            ],
            ["2", "Doanh thu bán điện", "Tỷ đồng", "2.300", "2.351,7", "2.150,3", "102,2", "109,4"],
            ["3", "Tỷ lệ tổn thất điện năng", "%", "4,5", "4,21", "4,60", "", ""],
            ["4", "Lợi nhuận trước thuế", "Tỷ đồng", "45", "48,2", "41,9", "107,1", "115,0"],
            [
                "5",
                "Số khách hàng sử dụng điện",
                "Khách hàng",
                "152.000",
                "153.482",
                "149.610",
                "101,0",
                "102,6",
            ],
        ],
        "prose": [
            "Trong năm, Đảng ủy Công ty đã kết nạp 07 đảng viên mới, công nhận chính thức cho "
            "05 đảng viên dự bị.",
            "Ủy ban Kiểm tra Đảng ủy tiến hành 04 cuộc kiểm tra và 03 cuộc giám sát chuyên đề.",
            "Công đoàn Công ty tổ chức 12 lớp huấn luyện an toàn điện cho 1.140 lượt người lao "
            "động.",
        ],
    },
    {
        "file": "hongphat-2024-q1.docx",
        "number": "20-BC/ĐU",
        "date": ("10", "4", "2024"),
        "period": "quý I năm 2024",
        "heads": [
            "Kế hoạch năm 2024",
            "Thực hiện quý I/2024",
            "Cùng kỳ năm 2023",
            "Tỷ lệ so với KH năm (%)",
            "So với cùng kỳ (%)",
        ],
        "rows": [
            ["1", "Điện thương phẩm", "Tr.kWh", "1.320", "318,6", "295,4", "24,1", "107,9"],
            ["2", "Doanh thu tiền điện", "Tỷ đồng", "2.450", "590,2", "548,0", "24,1", "107,7"],
            ["3", "Tổn thất điện năng", "%", "4,3", "4,52", "4,80", "", ""],
            ["4", "Lợi nhuận trước thuế", "Tỷ đồng", "48", "11,3", "10,1", "23,5", "111,9"],
        ],
        "prose": [
            "Trong quý, các chi bộ đã kết nạp 02 đảng viên mới.",
            "Ủy ban Kiểm tra Đảng ủy tổ chức 01 cuộc giám sát chuyên đề đối với Chi bộ Phòng "
            "Kinh doanh.",
            "Công đoàn Công ty tổ chức 03 lớp huấn luyện an toàn điện cho 286 lượt người lao động.",
        ],
    },
    {
        "file": "hongphat-2024-h1.docx",
        "number": "28-BC/ĐU",
        "date": ("08", "7", "2024"),
        "period": "6 tháng đầu năm 2024",
        "heads": [
            "Kế hoạch năm 2024",
            "Quý I/2024",
            "Quý II/2024",
            "6 tháng đầu năm 2024",
            "Cùng kỳ năm 2023",
            "So với KH năm (%)",
        ],
        "rows": [
            [
                "1",
                "Sản lượng điện thương phẩm",
                "Triệu kWh",
                "1.320",
                "318,6",
                "334,1",
                "652,7",
                "610,0",
                "49,4",
            ],
            [
                "2",
                "Doanh thu bán điện",
                "Tỷ đồng",
                "2.450",
                "590,2",
                "621,5",
                "1.211,7",
                "1.127,4",
                "49,5",
            ],
            ["3", "Tỷ lệ tổn thất điện năng", "%", "4,3", "4,52", "4,18", "4,35", "4,62", ""],
            ["4", "Lợi nhuận trước thuế", "Tỷ đồng", "48", "11,3", "12,9", "24,2", "21,0", "50,4"],
        ],
        "prose": [
            "Trong 6 tháng đầu năm, Đảng bộ kết nạp 04 đảng viên mới, công nhận chính thức cho "
            "03 đảng viên dự bị.",
            "Ủy ban Kiểm tra Đảng ủy tiến hành 02 cuộc kiểm tra và 02 cuộc giám sát chuyên đề.",
            "Công đoàn Công ty tổ chức 07 lớp huấn luyện an toàn điện cho 598 lượt người lao động.",
        ],
    },
    {
        "file": "hongphat-2024.docx",
        "number": "41-BC/ĐU",
        "date": ("16", "12", "2024"),
        "period": "năm 2024",
        "heads": [
            "Kế hoạch năm 2024",
            "Ước thực hiện năm 2024",
            "Thực hiện năm 2023",
            "So với KH (%)",
            "So với năm 2023 (%)",
        ],
        "rows": [
            ["1", "Điện thương phẩm", "Triệu kWh", "1.320", "1.342,5", "1.268,4", "101,7", "105,8"],
            ["2", "Doanh thu", "Tỷ đồng", "2.450", "2.496,0", "2.351,7", "101,9", "106,1"],
            ["3", "Tỷ lệ tổn thất điện năng", "%", "4,3", "4,05", "4,21", "", ""],
            ["4", "Lợi nhuận trước thuế", "Tỷ đồng", "48", "50,6", "48,2", "105,4", "105,0"],
            [
                "5",
                "Số khách hàng sử dụng điện",
                "Khách hàng",
                "156.000",
                "157.214",
                "153.482",
                "100,8",
                "102,4",
            ],
        ],
        "prose": [
            "Trong năm, Đảng ủy Công ty đã kết nạp 08 đảng viên mới, công nhận chính thức cho "
            "06 đảng viên dự bị.",
            "Ủy ban Kiểm tra Đảng ủy tiến hành 05 cuộc kiểm tra và 04 cuộc giám sát chuyên đề.",
            "Công đoàn Công ty tổ chức 13 lớp huấn luyện an toàn điện cho 1.205 lượt người lao "
            "động.",
        ],
    },
]


def _header(doc: DocumentType, number: str, date: tuple[str, str, str]) -> None:
    """The Party layout (Hướng dẫn 36-HD/VPTW): the committee under its parent on the left with
    `*` and the number; the Party's name and the place and date on the right."""
    table = doc.add_table(rows=4, cols=2)
    left = [PARENT, BODY, "*", f"Số {number}"]
    day, month, year = date
    right = ["ĐẢNG CỘNG SẢN VIỆT NAM", "", f"Hòa An, ngày {day} tháng {month} năm {year}", ""]
    for i, (a, b) in enumerate(zip(left, right, strict=True)):
        table.cell(i, 0).text = a
        table.cell(i, 1).text = b


def write_report(folder: Path, report: dict[str, object]) -> Path:
    """One report of the series as a .docx in `folder`."""
    doc = Document()
    doc.styles["Normal"].font.size = Pt(13)
    _header(doc, str(report["number"]), report["date"])  # type: ignore[arg-type]
    doc.add_paragraph("BÁO CÁO")
    doc.add_paragraph(
        f"Kết quả thực hiện nhiệm vụ sản xuất kinh doanh và công tác xây dựng Đảng "
        f"{report['period']}"
    )
    doc.add_paragraph("I. KẾT QUẢ THỰC HIỆN NHIỆM VỤ")
    doc.add_paragraph("1. Nhiệm vụ sản xuất kinh doanh")
    doc.add_paragraph("Kết quả thực hiện các chỉ tiêu chủ yếu như sau:")
    heads: list[str] = [*HEAD, *report["heads"]]  # type: ignore[misc]
    rows: list[list[str]] = report["rows"]  # type: ignore[assignment]
    table = doc.add_table(rows=1 + len(rows), cols=len(heads))
    for j, head in enumerate(heads):
        table.cell(0, j).text = head
    for i, row in enumerate(rows, start=1):
        for j, value in enumerate(row):
            table.cell(i, j).text = value
    doc.add_paragraph("2. Công tác xây dựng Đảng")
    for line in report["prose"]:  # type: ignore[attr-defined]
        doc.add_paragraph(line)
    doc.add_paragraph("II. NHIỆM VỤ TRỌNG TÂM KỲ TỚI")
    doc.add_paragraph("Phấn đấu kết nạp thêm 05 đảng viên mới; giảm tổn thất điện năng.")
    doc.add_paragraph("T/M ĐẢNG ỦY")
    doc.add_paragraph("BÍ THƯ")
    path = folder / str(report["file"])
    doc.save(str(path))
    return path


def write_series(folder: Path = DEFAULT_FOLDER) -> list[Path]:
    """The four reports of the series, written into `folder` (made if missing)."""
    folder.mkdir(parents=True, exist_ok=True)
    return [write_report(folder, report) for report in REPORTS]


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_FOLDER
    for written in write_series(target):
        print(written)
