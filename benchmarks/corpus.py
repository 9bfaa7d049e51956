"""A synthetic archive of Vietnamese Party and State reports, written with python-docx, for the
benchmark: every file different, structured the way real ones are (a borderless two-column header
table, numbered sections, some of them Word auto-numbering, paragraphs of facts built from
templates with random counts, plan numbers, dates and award sentences, an award table and an
indicator table), 5-80 KB each, plus a few percent of bad files (zero bytes, junk named .docx, a
truncated zip).

Reproducible: file `i` of seed `s` is the same bytes on every machine (fixed zip timestamps and
document properties), so an archive is generated once and reused (a hidden manifest says which).
"""

from __future__ import annotations

import io
import json
import os
import random
import zipfile
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from xml.sax.saxutils import escape

import docx
from corpus_words import (  # benchmarks/ is on sys.path
    AWARDS,
    COUNTED,
    OBJECTS,
    PARTY_ISSUERS,
    PERIODS,
    PLAN_TYPES,
    PROVINCES,
    STATE_ISSUERS,
    SUBJECTS,
    TAILS,
    TITLES,
    TOPICS,
    VERBS,
)
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import qn
from lxml import etree

GENERATOR_VERSION = "3"
MANIFEST = ".baocao-bench.json"
W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
W = "{" + W_NS + "}"
FIXED_TIME = (2024, 1, 15, 8, 0, 0)
BAD_SHARE = 0.03


def _date(rng: random.Random, year: int) -> tuple[int, int, int]:
    return rng.randint(1, 28), rng.randint(1, 12), year


def _fact_sentence(rng: random.Random, year: int, issuer: str, body: str) -> str:
    """One sentence that states facts: counts, ratios, percentages, cited documents, dates."""
    n, m = rng.randint(2, 400), rng.randint(1, 60)
    d, mo, y = _date(rng, rng.choice([year, year - 1]))
    kind, abbr = rng.choice(PLAN_TYPES)
    choice = rng.randrange(10)
    if choice == 0:
        return (
            f"Thực hiện {kind} số {rng.randint(1, 450)}-{abbr}/{issuer}, ngày {d}/{mo}/{y} của "
            f"{body} về {rng.choice(OBJECTS)}, đã tổ chức {m:02d} {rng.choice(COUNTED)} với "
            f"{n} {rng.choice(COUNTED)} tham gia."
        )
    if choice == 1:
        return (
            f"Kết nạp {m} đảng viên mới, đạt {rng.randint(80, 130)},{rng.randint(0, 9)}% kế "
            f"hoạch; có {m}/{m + rng.randint(0, 9)} chi bộ hoàn thành tốt nhiệm vụ."
        )
    if choice == 2:
        return (
            f"Căn cứ Nghị định số {rng.randint(10, 120)}/{y}/NĐ-CP ngày {d} tháng {mo} năm {y} "
            f"của Chính phủ, {rng.choice(SUBJECTS).lower()} đã rà soát {n} "
            f"{rng.choice(COUNTED)}."
        )
    if choice == 3:
        return (
            f"{rng.choice(SUBJECTS)} {rng.choice(VERBS)} {rng.choice(OBJECTS)}, tổ chức {m} "
            f"{rng.choice(COUNTED)} cho {n} {rng.choice(COUNTED)}."
        )
    if choice == 4:
        return (
            f"Ban hành Công văn số {rng.randint(100, 999)}/{rng.choice(['SNV', 'SGDĐT'])}-TĐKT "
            f"ngày {d}/{mo}/{y} hướng dẫn {rng.choice(OBJECTS)}."
        )
    if choice == 5:
        return (
            f"Tặng {rng.choice(AWARDS)} cho {m:02d} tập thể và {rng.randint(2, 40):02d} cá nhân "
            f"có thành tích xuất sắc trong {rng.choice(OBJECTS)}."
        )
    if choice == 6:
        return (
            f"Có {m:02d} tập thể đạt danh hiệu “{rng.choice(TITLES[:2])}”, {n} cá nhân đạt "
            f"danh hiệu “{rng.choice(TITLES[2:])}”."
        )
    if choice == 7:
        return (
            f"Thu đảng phí được {rng.randint(100, 9999):,} triệu đồng".replace(",", ".")
            + f", tăng {rng.randint(1, 30)},{rng.randint(1, 9)}% so với cùng kỳ năm {year - 1}."
        )
    if choice == 8:
        return (
            f"Đề nghị {body} tặng {rng.choice(AWARDS)} cho {m} tập thể, {rng.randint(1, 30)} "
            f"cá nhân."
        )
    return (
        f"Kiểm tra {m} tổ chức đảng và {rng.randint(1, 40)} đảng viên khi có dấu hiệu vi "
        f"phạm; thi hành kỷ luật {rng.randint(0, 9)} đảng viên."
    )


def _filler(rng: random.Random) -> str:
    return f"{rng.choice(SUBJECTS)} {rng.choice(VERBS)} {rng.choice(OBJECTS)}, {rng.choice(TAILS)}."


def _paragraph(rng: random.Random, year: int, issuer: str, body: str, short: bool) -> str:
    sentences = [
        _fact_sentence(rng, year, issuer, body) if rng.random() < 0.55 else _filler(rng)
        for _ in range(rng.randint(1, 2) if short else rng.randint(2, 6))
    ]
    return " ".join(sentences)


def _borderless(table: docx.table.Table) -> None:
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        el = OxmlElement(f"w:{edge}")
        el.set(qn("w:val"), "nil")
        borders.append(el)
    table._tbl.tblPr.append(borders)


def _header(document: docx.document.Document, rng: random.Random, year: int) -> tuple[str, str]:
    province = rng.choice(PROVINCES)
    party = rng.random() < 0.7
    name, abbr, body = rng.choice(PARTY_ISSUERS if party else STATE_ISSUERS)
    name = name.replace("{P}", province.upper())
    d, mo, _ = _date(rng, year)
    number = rng.randint(1, 500)
    table = document.add_table(rows=2, cols=2)
    _borderless(table)
    left, right = table.cell(0, 0), table.cell(0, 1)
    if party:
        left.paragraphs[0].add_run(f"ĐẢNG BỘ TỈNH {province.upper()}")
        left.add_paragraph().add_run(name).bold = True
        left.add_paragraph("*")
        right.paragraphs[0].add_run("ĐẢNG CỘNG SẢN VIỆT NAM").bold = True
        table.cell(1, 0).paragraphs[0].add_run(f"Số {number}-BC/{abbr}")
    else:
        left.paragraphs[0].add_run(name).bold = True
        right.paragraphs[0].add_run("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM").bold = True
        right.add_paragraph().add_run("Độc lập - Tự do - Hạnh phúc").bold = True
        table.cell(1, 0).paragraphs[0].add_run(f"Số: {number}/BC-{abbr}")
    table.cell(1, 1).paragraphs[0].add_run(f"{province}, ngày {d:02d} tháng {mo:02d} năm {year}")
    table.cell(1, 1).paragraphs[0].runs[0].italic = True
    return abbr, body


def _table(document: docx.document.Document, rows: list[list[str]]) -> None:
    table = document.add_table(rows=len(rows), cols=len(rows[0]))
    table.style = "Table Grid"
    for i, row in enumerate(rows):
        for j, value in enumerate(row):
            table.cell(i, j).paragraphs[0].add_run(value).bold = i == 0 or None


def _award_rows(rng: random.Random) -> list[list[str]]:
    rows = [["STT", "Hình thức khen thưởng", "Tập thể", "Cá nhân"]]
    total_t = total_c = 0
    for k, award in enumerate(rng.sample(AWARDS + TITLES, rng.randint(3, 6)), start=1):
        t, c = rng.randint(0, 25), rng.randint(0, 90)
        total_t, total_c = total_t + t, total_c + c
        rows.append([str(k), award, f"{t:02d}", f"{c:02d}"])
    rows.append(["", "Tổng cộng", str(total_t), str(total_c)])
    return rows


def _indicator_rows(rng: random.Random) -> list[list[str]]:
    rows = [["STT", "Chỉ tiêu", "ĐVT", "Kế hoạch", "Thực hiện", "Tỷ lệ (%)"]]
    units = {
        "Kết nạp đảng viên mới": "đảng viên",
        "Mở lớp bồi dưỡng lý luận": "lớp",
        "Kiểm tra tổ chức đảng": "tổ chức",
        "Giám sát chuyên đề": "cuộc",
        "Tin, bài tuyên truyền": "bài",
        "Thu đảng phí": "triệu đồng",
    }
    for k, (name, unit) in enumerate(rng.sample(sorted(units.items()), rng.randint(3, 6)), 1):
        plan = rng.randint(5, 900)
        done = max(0, plan + rng.randint(-plan // 3, plan // 3))
        pct = f"{100 * done / plan:.1f}".replace(".", ",")
        rows.append([str(k), name, unit, str(plan), str(done), pct])
    return rows


_P_OPEN = (
    f'<w:p xmlns:w="{W_NS}" w:rsidR="{{rsid}}" w:rsidRDefault="{{rsid}}" w:rsidP="{{rsid}}">'
    '<w:pPr><w:spacing w:before="60" w:after="60" w:line="288" w:lineRule="auto"/>'
    '<w:ind w:firstLine="567"/><w:jc w:val="both"/></w:pPr>'
)
_RUN = (
    '<w:r w:rsidRPr="{rsid}"><w:rPr><w:rFonts w:ascii="Times New Roman" '
    'w:hAnsi="Times New Roman" w:cs="Times New Roman"/><w:sz w:val="28"/><w:szCs w:val="28"/>'
    '<w:lang w:val="vi-VN"/></w:rPr><w:t xml:space="preserve">{text}</w:t></w:r>'
)
_PROOF = '<w:proofErr w:type="spellStart"/>'


def _add_paragraph(
    document: docx.document.Document, rng: random.Random, text: str, rsids: list[str]
) -> int:
    """A body paragraph as Word writes it: justified, first line indented, the text cut into
    runs of a few words (editing sessions, spell-check marks: Word's English proofing flags most
    Vietnamese words), each run with its revision id and fonts. Built as XML: python-docx's
    add_run is ten times slower."""
    words = text.split(" ")
    parts, i = [_P_OPEN.format(rsid=rng.choice(rsids))], 0
    while i < len(words):
        k = rng.randint(2, 7)
        if rng.random() < 0.3:
            parts.append(_PROOF)
        chunk = " ".join(words[i : i + k]) + (" " if i + k < len(words) else "")
        parts.append(_RUN.format(rsid=rng.choice(rsids), text=escape(chunk)))
        i += k
    parts.append("</w:p>")
    document.element.body.sectPr.addprevious(parse_xml("".join(parts)))
    return len(text)


ROMAN = ["I", "II", "III", "IV", "V", "VI"]
SECTION_TITLES = [
    "KẾT QUẢ ĐẠT ĐƯỢC",
    "ĐẶC ĐIỂM TÌNH HÌNH",
    "HẠN CHẾ, NGUYÊN NHÂN",
    "PHƯƠNG HƯỚNG, NHIỆM VỤ",
    "ĐỀ XUẤT, KIẾN NGHỊ",
    "ĐÁNH GIÁ CHUNG",
]


def build_report(index: int, seed: int) -> bytes:
    """The bytes of report `index`: a .docx of about 5-80 KB."""
    rng = random.Random(seed * 1_000_003 + index)
    year = rng.randint(2016, 2025)
    # log-uniform text length: many short reports, a few very long ones (5-80 KB files)
    target_chars = int(2 ** rng.uniform(10.5, 16.9))
    rsids = [f"{rng.getrandbits(32):08X}" for _ in range(rng.randint(5, 40))]
    document = docx.Document()
    abbr, body = _header(document, rng, year)
    title = document.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    title.add_run("BÁO CÁO").bold = True
    period = rng.choice(PERIODS).format(y=year)
    document.add_paragraph(
        f"{rng.choice(['Sơ kết', 'Tổng kết', 'Kết quả'])} công tác {rng.choice(TOPICS)} {period}"
    ).alignment = WD_ALIGN_PARAGRAPH.CENTER
    auto_numbered = rng.random() < 0.3  # Word list numbering: the label is not in the text
    written, tables_left = 0, {"awards": rng.random() < 0.6, "indicators": rng.random() < 0.5}
    short = target_chars < 6000
    sections = rng.randint(2, 3) if short else rng.randint(3, len(ROMAN))
    for s in range(sections):
        heading = SECTION_TITLES[s]
        if auto_numbered:
            document.add_paragraph(heading, style="List Number")
        else:
            document.add_paragraph().add_run(f"{ROMAN[s]}. {heading}").bold = True
        share = (target_chars - written) // (sections - s)  # this section's part of the rest
        section_end, sub = written + share, 1
        while written < section_end or sub == 1:
            document.add_paragraph(f"{sub}. {rng.choice(TOPICS).capitalize()}")
            for _ in range(1 if short else rng.randint(1, 4)):
                text = _paragraph(rng, year, abbr, body, short)
                written += _add_paragraph(document, rng, text, rsids)
            sub += 1
        if tables_left["awards"] and s >= 1:
            _table(document, _award_rows(rng))
            tables_left["awards"] = False
        elif tables_left["indicators"] and s >= 1:
            _table(document, _indicator_rows(rng))
            tables_left["indicators"] = False
    signature = document.add_table(rows=1, cols=2)
    _borderless(signature)
    signature.cell(0, 0).paragraphs[0].add_run("Nơi nhận:").bold = True
    signature.cell(0, 0).add_paragraph("- Như trên,\n- Lưu VT.")
    signature.cell(0, 1).paragraphs[0].add_run("T/M BAN THƯỜNG VỤ\nBÍ THƯ").bold = True
    return _package(document)


def _package(document: docx.document.Document) -> bytes:
    """Saved bytes, trimmed the way Word saves a small file: python-docx's template carries every
    built-in style twice (styles.xml and stylesWithEffects.xml, 800 KB of XML) and a thumbnail;
    keep the styles the body uses, and fixed zip dates so the bytes are reproducible."""
    props = document.core_properties
    props.author = props.last_modified_by = "baocao benchmark"
    raw = io.BytesIO()
    document.save(raw)
    out = io.BytesIO()
    # (LibreOffice writes no theme, web settings or thumbnail either)
    drop = {
        "word/stylesWithEffects.xml",
        "docProps/thumbnail.jpeg",
        "word/theme/theme1.xml",
        "word/webSettings.xml",
    }
    with zipfile.ZipFile(raw) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        body = src.read("word/document.xml")
        for info in src.infolist():
            if info.filename in drop or info.filename.startswith("customXml/"):
                continue
            data = src.read(info.filename)
            if info.filename == "word/styles.xml":
                data = _used_styles(data, body)
            elif info.filename.endswith(".rels") or info.filename == "[Content_Types].xml":
                data = _without_parts(data, drop)
            entry = zipfile.ZipInfo(info.filename, date_time=FIXED_TIME)
            entry.compress_type = zipfile.ZIP_DEFLATED
            dst.writestr(entry, data)
    return out.getvalue()


def _used_styles(styles_xml: bytes, body_xml: bytes) -> bytes:
    root = etree.fromstring(styles_xml)
    body = etree.fromstring(body_xml)
    wanted = {
        el.get(W + "val") for tag in ("pStyle", "rStyle", "tblStyle") for el in body.iter(W + tag)
    }
    by_id = {s.get(W + "styleId"): s for s in root.iter(W + "style")}
    wanted |= {i for i, s in by_id.items() if s.get(W + "default") in ("1", "true")}
    todo = list(wanted)
    while todo:  # keep what the wanted styles are based on or linked to
        style = by_id.get(todo.pop())
        for tag in ("basedOn", "link", "next"):
            for el in style.iter(W + tag) if style is not None else ():
                if el.get(W + "val") not in wanted:
                    wanted.add(el.get(W + "val"))
                    todo.append(el.get(W + "val"))
    for style_id, style in by_id.items():
        if style_id not in wanted:
            root.remove(style)
    latent = root.find(W + "latentStyles")
    if latent is not None:
        root.remove(latent)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _without_parts(xml: bytes, parts: set[str]) -> bytes:
    root = etree.fromstring(xml)
    for el in list(root):
        target = el.get("Target") or el.get("PartName") or ""
        if (
            any(target.lstrip("/").endswith(p.split("/", 1)[-1]) for p in parts)
            or "customXml" in target
        ):
            root.remove(el)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def bad_file(index: int, seed: int) -> bytes:
    """A file named .docx that no reader can open: empty, junk, or a zip cut short."""
    kind = index % 3
    if kind == 0:
        return b""
    if kind == 1:
        rng = random.Random(seed + index)
        return bytes(rng.getrandbits(8) for _ in range(rng.randint(200, 4000)))
    good = build_report(index, seed)
    return good[: len(good) // 2]


def file_path(root: Path, index: int) -> Path:
    """Where file `index` lives: a folder per year-like group and unit, 200 files a folder."""
    group = index // 200
    return root / f"{2016 + group % 10}" / f"don-vi-{group:03d}" / f"bc-{index:06d}.docx"


def _write(args: tuple[str, int, int, int]) -> int:
    root, seed, start, stop = args
    written = 0
    for i in range(start, stop):
        rng = random.Random(seed * 7 + i)
        data = bad_file(i, seed) if rng.random() < BAD_SHARE else build_report(i, seed)
        path = file_path(Path(root), i)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        written += len(data)
    return written


def generate(root: Path, n: int, seed: int = 1, workers: int = 2) -> dict[str, int]:
    """Write N files under `root` (reusing them if a manifest says they are there) and return the
    manifest: {"n", "seed", "bytes", "version"}."""
    manifest_path = root / MANIFEST
    if manifest_path.exists():
        manifest = json.loads(manifest_path.read_text())
        if (manifest["n"], manifest["seed"], manifest["version"]) == (n, seed, GENERATOR_VERSION):
            return manifest
    root.mkdir(parents=True, exist_ok=True)
    chunks = [(str(root), seed, i, min(n, i + 100)) for i in range(0, n, 100)]
    with ProcessPoolExecutor(max_workers=workers) as pool:
        total = sum(pool.map(_write, chunks))
    manifest = {"n": n, "seed": seed, "bytes": total, "version": GENERATOR_VERSION}
    manifest_path.write_text(json.dumps(manifest))
    return manifest


def archive_files(root: Path) -> Iterator[str]:
    """The archive's files in a stable order."""
    for folder, dirnames, filenames in os.walk(root):
        dirnames.sort()
        for name in sorted(filenames):
            if not name.startswith("."):
                yield os.path.join(folder, name)
