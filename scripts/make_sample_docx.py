"""Build samples/yenbai-duk-tdkt-2023-h1.docx from samples/yenbai-duk-tdkt-2023-h1.txt.

The .txt is the text of a published Party report (Đảng ủy Khối cơ quan và doanh nghiệp tỉnh Yên
Bái, first-half 2023 emulation and commendation report) as a text extractor flattened it: no
header, section numbers as plain text, the "Nơi nhận" lines, then a scoring-criteria table whose
cells were written one per line ("\\t" + cell, rows separated by a blank line, the Tốt/Khá/TB/Yếu
tiers of a criterion as extra rows), then a summary.

This script lays that text out the way such a report looks in Word, so that the .docx reader has
a realistic sample:

* a borderless two-column header table (issuer, asterisk and number on the left; "ĐẢNG CỘNG SẢN
  VIỆT NAM" and place and date on the right). The .txt has no header: THESE HEADER VALUES ARE A
  PLAUSIBLE RECONSTRUCTION (number 148-BC/ĐUK, dated 20 June 2023), not copied from the
  original, and so is the signer's role in the signature block (no name is given);
* the title lines bold and centred; the body paragraphs with their section labels ("I.", "1.",
  "3.1.2.") typed as plain text, not Word auto-numbering;
* "Nơi nhận" and the signature as a borderless two-column table;
* the scoring criteria as a real Word table, one row per criterion (a criterion's tier rows are
  folded into its "Điểm chuẩn" cell, one paragraph per tier). The flattened text has no header
  row: the column names are ours, chosen from the cells' contents;
* the summary ("BÁO CÁO (Tóm tắt)") as paragraphs.

The output is byte-for-byte reproducible (fixed document properties and zip timestamps).

Usage: .venv/bin/python scripts/make_sample_docx.py [--src TXT] [--out DOCX]
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import re
import zipfile
from pathlib import Path

import docx
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt
from docx.table import Table, _Cell

ROOT = Path(__file__).resolve().parents[1]
SRC = ROOT / "samples" / "yenbai-duk-tdkt-2023-h1.txt"
OUT = ROOT / "samples" / "yenbai-duk-tdkt-2023-h1.docx"

# Reconstructed header and signature (see the module docstring): plausible, not from the source.
HEADER_LEFT = ["ĐẢNG BỘ TỈNH YÊN BÁI", "ĐẢNG ỦY KHỐI CƠ QUAN VÀ DOANH NGHIỆP TỈNH", "*"]
NUMBER = "Số 148-BC/ĐUK"
HEADER_RIGHT = "ĐẢNG CỘNG SẢN VIỆT NAM"
PLACE_DATE = "Yên Bái, ngày 20 tháng 6 năm 2023"
SIGNATURE = ["T/M BAN THƯỜNG VỤ", "PHÓ BÍ THƯ"]
FIXED_TIME = dt.datetime(2023, 6, 20, 8, 0, 0)

# Columns of the criteria table, in the order of the flattened cells (ours: see the docstring).
CRITERIA_COLUMNS = [
    "Mã",
    "Tiêu chí",
    "ĐVT",
    "Chỉ tiêu",
    "Kết quả thực hiện",
    "Điểm chuẩn",
    "Điểm cộng/trừ",
    "Điểm tự chấm",
]
TIER_COLUMN = 5
_TIER = re.compile(r"^(Tốt|Khá|TB|Yếu)\s*:\s*(\d+)$")
_HEADING = re.compile(r"^(?:[IVX]+\.|\d+(?:\.\d+)*\.)\s")


# ---------------------------------------------------------------------------------------------
# Reading the flattened text
# ---------------------------------------------------------------------------------------------


def split_parts(text: str) -> dict[str, list[str]]:
    """The .txt cut into title lines, body lines, "Nơi nhận" lines, table lines, summary lines."""
    lines = text.split("\n")
    at_recipients = next(i for i, line in enumerate(lines) if line.strip().startswith("Nơi nhận"))
    at_table = next(i for i in range(at_recipients + 1, len(lines)) if "\t" in lines[i])
    at_summary = next(i for i in range(at_table, len(lines)) if re.fullmatch(r"-{5,}", lines[i]))
    at_body = next(i for i, line in enumerate(lines) if re.match(r"^I\.\s", line))
    return {
        "title": [x.strip() for x in lines[:at_body] if x.strip()],
        "body": [x for x in lines[at_body:at_recipients] if x.strip()],
        "recipients": [x.strip() for x in lines[at_recipients:at_table] if x.strip()],
        "table": lines[at_table:at_summary],
        "summary": [x for x in lines[at_summary:] if x.strip()],
    }


def flattened_rows(lines: list[str]) -> list[list[str]]:
    """The flattened table as rows of cells: a row is a run of "\\t"-prefixed lines ended by a
    blank line. The first row of the .txt is cut short (the criteria before it are missing from
    the source), so short rows are padded on the left."""
    rows: list[list[str]] = []
    current: list[str] = []
    for line in lines + [""]:
        if line.strip("\t ") == "" and "\t" not in line:
            if current:
                rows.append(current)
            current = []
            continue
        current.append(line.split("\t", 1)[1].strip() if "\t" in line else line.strip())
    width = len(CRITERIA_COLUMNS)
    for row in rows:
        if len(row) > width:
            raise ValueError(f"a flattened row has {len(row)} cells, expected at most {width}")
        row[:0] = [""] * (width - len(row))
    return rows


def criteria_rows(flat: list[list[str]]) -> list[list[list[str]]]:
    """One row per criterion, each cell a list of paragraphs: a flattened row holding only a tier
    ("Khá: 16") continues the criterion above it, in the tier column."""
    out: list[list[list[str]]] = []
    for row in flat:
        filled = [j for j, cell in enumerate(row) if cell]
        is_tier = filled == [TIER_COLUMN] and _TIER.match(row[TIER_COLUMN])
        if is_tier and out and out[-1][TIER_COLUMN] and _TIER.match(out[-1][TIER_COLUMN][-1]):
            out[-1][TIER_COLUMN].append(row[TIER_COLUMN])
            continue
        out.append([[cell] if cell else [] for cell in row])
    return out


# ---------------------------------------------------------------------------------------------
# Writing Word
# ---------------------------------------------------------------------------------------------


def _widths(table: Table, widths: list[Cm]) -> None:
    """Fix column widths in the grid (what LibreOffice reads) and in each cell (what Word reads)."""
    table.autofit = False
    for column, width in zip(table.columns, widths, strict=True):
        column.width = width
    for row in table.rows:
        for cell, width in zip(row.cells, widths, strict=True):
            cell.width = width


def _borderless(table: Table) -> None:
    """Remove every border of a table (headers and signature blocks are laid out this way)."""
    tbl_pr = table._tbl.tblPr
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        el = OxmlElement(f"w:{edge}")
        el.set(qn("w:val"), "nil")
        borders.append(el)
    tbl_pr.append(borders)


def _write(
    cell_or_doc: _Cell | docx.document.Document,
    text: str,
    *,
    bold: bool = False,
    italic: bool = False,
    underline: bool = False,
    center: bool = False,
    size: float | None = None,
    first: bool = False,
) -> None:
    """Add one paragraph (or fill a cell's first, empty paragraph when ``first``)."""
    if first and isinstance(cell_or_doc, _Cell):
        para = cell_or_doc.paragraphs[0]
    else:
        para = cell_or_doc.add_paragraph()
    run = para.add_run(text)
    run.bold, run.italic, run.underline = bold or None, italic or None, underline or None
    if size:
        run.font.size = Pt(size)
    if center:
        para.alignment = WD_ALIGN_PARAGRAPH.CENTER
    para.paragraph_format.space_after = Pt(0)


def _header(document: docx.document.Document) -> None:
    table = document.add_table(rows=2, cols=2)
    _borderless(table)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    left, right = table.cell(0, 0), table.cell(0, 1)
    _write(left, HEADER_LEFT[0], center=True, size=13, first=True)
    _write(left, HEADER_LEFT[1], bold=True, center=True, size=13)
    _write(left, HEADER_LEFT[2], center=True, size=13)
    _write(right, HEADER_RIGHT, bold=True, underline=True, center=True, size=14, first=True)
    _write(table.cell(1, 0), NUMBER, center=True, size=13, first=True)
    _write(table.cell(1, 1), PLACE_DATE, italic=True, center=True, size=13, first=True)
    _widths(table, [Cm(7.5), Cm(8.5)])


def _body(document: docx.document.Document, lines: list[str]) -> None:
    for line in lines:
        para = document.add_paragraph()
        run = para.add_run(line.rstrip())
        if re.match(r"^[IVX]+\.\s", line) or (_HEADING.match(line) and len(line) < 100):
            run.bold = True
        fmt = para.paragraph_format
        fmt.first_line_indent, fmt.space_after = Cm(1), Pt(6)
        para.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY


def _recipients_and_signature(document: docx.document.Document, lines: list[str]) -> None:
    table = document.add_table(rows=1, cols=2)
    _borderless(table)
    left, right = table.cell(0, 0), table.cell(0, 1)
    _write(left, lines[0], bold=True, italic=True, size=12, first=True)
    for line in lines[1:]:
        _write(left, line, size=11)
    _write(right, SIGNATURE[0], bold=True, center=True, size=14, first=True)
    for line in SIGNATURE[1:]:
        _write(right, line, bold=True, center=True, size=14)
    _widths(table, [Cm(8), Cm(8)])


def _criteria(document: docx.document.Document, rows: list[list[list[str]]]) -> None:
    table = document.add_table(rows=1, cols=len(CRITERIA_COLUMNS))
    table.style = "Table Grid"
    for j, name in enumerate(CRITERIA_COLUMNS):
        _write(table.cell(0, j), name, bold=True, center=True, size=10, first=True)
    for row in rows:
        cells = table.add_row().cells
        for j, paragraphs in enumerate(row):
            for k, text in enumerate(paragraphs):
                _write(cells[j], text, size=10, center=j != 1, first=k == 0)
    _widths(table, [Cm(x) for x in (1.2, 5.0, 1.5, 1.4, 1.6, 2.2, 1.6, 1.5)])


def _summary(document: docx.document.Document, lines: list[str]) -> None:
    for line in lines:
        if re.fullmatch(r"-{5,}", line.strip()):
            _write(document, line.strip(), center=True)
        elif line.strip().startswith("BÁO CÁO"):
            _write(document, line.strip(), bold=True, center=True)
        else:
            para = document.add_paragraph(line.rstrip())
            fmt = para.paragraph_format
            fmt.first_line_indent, fmt.space_after = Cm(1), Pt(6)
            para.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY


def build(text: str) -> docx.document.Document:
    """The Word document for the flattened report ``text``."""
    parts = split_parts(text)
    document = docx.Document()
    normal = document.styles["Normal"]
    normal.font.name, normal.font.size = "Times New Roman", Pt(14)
    normal.element.rPr.rFonts.set(qn("w:eastAsia"), "Times New Roman")
    section = document.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.left_margin, section.right_margin = Cm(3), Cm(2)
    section.top_margin, section.bottom_margin = Cm(2), Cm(2)
    props = document.core_properties
    props.title = " ".join(parts["title"][1:])
    props.author = props.last_modified_by = "baocao samples (reconstructed layout)"
    props.created = props.modified = FIXED_TIME
    props.revision = 1

    _header(document)
    _write(document, parts["title"][0], bold=True, center=True, size=15)
    document.paragraphs[-1].paragraph_format.space_before = Pt(18)
    for line in parts["title"][1:]:
        _write(document, line, bold=True, center=True)
    document.paragraphs[-1].paragraph_format.space_after = Pt(12)
    _body(document, parts["body"])
    _recipients_and_signature(document, parts["recipients"])
    _write(document, "")
    _criteria(document, criteria_rows(flattened_rows(parts["table"])))
    _summary(document, parts["summary"])
    return document


def reproducible_bytes(document: docx.document.Document) -> bytes:
    """The saved package with every zip entry dated FIXED_TIME, so the same input gives the same
    bytes (and the same SHA-256, which keys documents in the store)."""
    raw = io.BytesIO()
    document.save(raw)
    out = io.BytesIO()
    with zipfile.ZipFile(raw) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=FIXED_TIME.timetuple()[:6])
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o644 << 16
            dst.writestr(fixed, src.read(info.filename))
    return out.getvalue()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--src", type=Path, default=SRC, help="the flattened .txt report")
    parser.add_argument("--out", type=Path, default=OUT, help="the .docx to write")
    args = parser.parse_args()
    data = reproducible_bytes(build(args.src.read_text(encoding="utf-8")))
    args.out.write_bytes(data)
    print(f"wrote {args.out} ({len(data):,} bytes)")


if __name__ == "__main__":
    main()
