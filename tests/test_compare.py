"""Comparison across periods: the metric taxonomy on crafted reports, periods kept apart, conflicts,
exports (XLSX opened with openpyxl, HTML rendered by headless Chromium) and the Hòa An series of the
shared corpus against its hand-made comparison."""

from __future__ import annotations

import json
import math
import shutil
import subprocess
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import Engine

from extractors.metrics.context import granting_body, period_series
from extractors.metrics.taxonomy import TaxonomyError, load_taxonomy, parse_taxonomy
from extractors.text.keys import accent_key
from flows.analysis import compare as cmp
from flows.analysis.export import to_html, to_xlsx
from flows.analysis.metrics import metric_values, select_documents, unmapped_quantities
from flows.api import Archive
from flows.cli.review import checks_command, compare_command
from flows.ingest.run import run_import
from flows.store.engine import engine_for

SHARED = Path(__file__).resolve().parents[2] / "shared"
CORPUS = SHARED / "corpus"
GOLD_SERIES = SHARED / "eval" / "gold-dev" / "series-hoaan.compare.json"


# ---------------------------------------------------------------------------------------------
# Crafted reports
# ---------------------------------------------------------------------------------------------


def write_report(folder: Path, name: str, period: str, date: str, body: list[str],
                 province: str = "BẮC SƠN") -> Path:  # fmt: skip
    """A plain-text report with a Party header; `period` as its title names it."""
    day, month, year = date.split("/")
    lines = [
        f"ĐẢNG BỘ TỈNH {province}",
        "ĐẢNG ỦY KHỐI DOANH NGHIỆP",
        f"Số {abs(hash(name)) % 900 + 10}-BC/ĐUK",
        f"{province.title()}, ngày {day} tháng {month} năm {year}",
        "",
        "BÁO CÁO",
        f"kết quả công tác xây dựng Đảng {period}",
        "",
        "I. KẾT QUẢ THỰC HIỆN NHIỆM VỤ",
        "1. Công tác tổ chức",
        *body,
    ]
    path = folder / name
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def write_docx(path: Path, paragraphs: list[str], tables: list[list[list[str]]]) -> Path:
    """A .docx whose paragraphs come first, then its tables, each after a caption."""
    from docx import Document

    doc = Document()
    for line in paragraphs:
        doc.add_paragraph(line)
    for rows in tables:
        doc.add_paragraph("Kết quả được tổng hợp như sau:")
        table = doc.add_table(rows=len(rows), cols=len(rows[0]))
        for i, row in enumerate(rows):
            for j, text in enumerate(row):
                table.cell(i, j).text = text
    doc.save(str(path))
    return path


def imported(folder: Path) -> Engine:
    """Import `folder` without Prefect into a fresh SQLite file beside it and open it."""
    url = f"sqlite:///{folder.parent / (folder.name + '.db')}"
    summary = run_import([folder], db=url)
    assert summary.failed == 0, summary.failures
    return engine_for(url)


@pytest.fixture(scope="module")
def crafted(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Engine]:
    """Four reports of one committee: 2022-H1, 2022, 2023-H1 (with tables), 2023."""
    folder = tmp_path_factory.mktemp("crafted")
    write_report(folder, "bs-2022-h1.txt", "6 tháng đầu năm 2022", "05/7/2022", [
        "Trong 6 tháng, các chi, đảng bộ cơ sở đã xem xét, kết nạp được 71 quần chúng ưu tú "
        "vào Đảng. Đảng ủy Khối tổ chức 03 hội nghị chuyên đề.",
        "Hội Cựu chiến binh Khối kết nạp 12 hội viên mới.",
        "II. PHƯƠNG HƯỚNG, NHIỆM VỤ 6 THÁNG CUỐI NĂM 2022",
        "Phấn đấu kết nạp thêm 90 đảng viên mới.",
    ])  # fmt: skip
    write_report(folder, "bs-2022.txt", "năm 2022", "15/12/2022", [
        "Số đảng viên mới được kết nạp: 131 đồng chí.",
        "Đảng bộ Khối có 40 tổ chức cơ sở đảng với 1.250 đảng viên.",
    ])  # fmt: skip
    write_docx(folder / "bs-2023-h1.docx", [
        "ĐẢNG BỘ TỈNH BẮC SƠN", "ĐẢNG ỦY KHỐI DOANH NGHIỆP", "Số 40-BC/ĐUK",
        "Bắc Sơn, ngày 10 tháng 7 năm 2023", "BÁO CÁO",
        "kết quả công tác xây dựng Đảng 6 tháng đầu năm 2023",
        "I. KẾT QUẢ THỰC HIỆN NHIỆM VỤ", "1. Công tác tổ chức",
        "Toàn Đảng bộ kết nạp 65 đảng viên mới, đạt 46,4% kế hoạch năm.",
    ], [
        [["TT", "Chỉ tiêu", "ĐVT", "Kế hoạch năm 2023", "06 tháng đầu năm 2023",
          "Cùng kỳ năm 2022", "Tỷ lệ % so với KH năm"],
         ["1", "Kết nạp đảng viên mới", "Đảng viên", "140", "64", "58", "45,7"],
         ["2", "Số cuộc giám sát", "Cuộc", "90", "47", "41", "52,2"]],
        [["TT", "Hình thức khen thưởng", "Tập thể", "Cá nhân"],
         ["1", "Giấy khen của Ban Thường vụ Đảng ủy Khối", "16", "41"],
         ["2", "Danh hiệu “Lao động tiên tiến”", "-", "25"],
         ["", "Tổng cộng", "16", "66"]],
    ])  # fmt: skip
    write_report(folder, "bs-2023.txt", "năm 2023", "14/12/2023", [
        "Toàn Đảng bộ kết nạp được 150 đảng viên mới.",
    ])  # fmt: skip
    engine = imported(folder)
    yield engine
    engine.dispose()


def values_of(engine: Engine, metric: str, **kwargs: object) -> dict[str, list[float]]:
    frame = metric_values(engine, metrics=[metric], **kwargs)  # type: ignore[arg-type]
    out: dict[str, list[float]] = {}
    for row in frame.itertuples():
        out.setdefault(row.period_key, []).append(row.value)
    return out


# ---------------------------------------------------------------------------------------------
# The taxonomy and the mapping
# ---------------------------------------------------------------------------------------------


def test_taxonomy_holds_every_metric_of_the_gold_series_with_its_label() -> None:
    taxonomy = load_taxonomy()
    for gold in json.loads(GOLD_SERIES.read_text(encoding="utf-8")):
        metric = taxonomy.metric(gold["metric"])
        assert metric is not None, gold["metric"]
        assert metric.label_vi == gold["label_vi"]
        assert metric.label_en and metric.rules


def test_three_ways_of_writing_admissions_map_to_one_metric(crafted: Engine) -> None:
    found = values_of(crafted, "party.new_members_admitted")
    # "đã xem xét, kết nạp được 71 quần chúng ưu tú vào Đảng", "Số đảng viên mới được kết nạp:
    # 131 đồng chí", "kết nạp 65 đảng viên mới" (prose beats the table's 64); the plan "phấn đấu
    # kết nạp thêm 90" and the veterans' "12 hội viên mới" are not admissions
    assert found["2022"] == [131]
    assert found["2023-H1"] == [65]
    assert found["2023"] == [150]
    assert sorted(found["2022-H1"]) == [58, 71]  # its own report, and the 2023-H1 table's column


def test_indicator_table_achieved_and_previous_columns_count_plans_do_not(crafted: Engine) -> None:
    frame = metric_values(crafted, metrics="inspection.supervisions")
    by_period = {r.period_key: r for r in frame.itertuples()}
    assert by_period["2023-H1"].value == 47
    assert by_period["2023-H1"].provenance["role"] == "achieved"
    assert by_period["2023-H1"].provenance["column"] == "06 tháng đầu năm 2023"
    assert by_period["2022-H1"].value == 41  # "Cùng kỳ năm 2022" belongs to the previous H1
    assert by_period["2022-H1"].provenance["role"] == "previous"
    assert 90 not in set(frame["value"]) and 52.2 not in set(frame["value"])


def test_award_table_cells_become_award_metrics_by_title_and_recipient(crafted: Engine) -> None:
    frame = metric_values(crafted, metrics="awards.*")
    got = {(r.metric, r.period_key): r.value for r in frame.itertuples()}
    assert got[("awards.giay_khen_btv_duk.collective", "2023-H1")] == 16
    assert got[("awards.giay_khen_btv_duk.individual", "2023-H1")] == 41
    assert got[("awards.lao_dong_tien_tien.individual", "2023-H1")] == 25
    assert got[("awards.total.collective", "2023-H1")] == 16
    assert got[("awards.total.individual", "2023-H1")] == 66


def test_quantities_no_metric_takes_stay_queryable(crafted: Engine) -> None:
    left = unmapped_quantities(crafted)
    # the unit is the whole counted phrase ("hội nghị chuyên đề"), as FACTS.md asks
    assert ((left["value"] == 3) & left["unit"].str.startswith("hội nghị")).any()
    assert not ((left["value"] == 131) & (left["file_name"] == "bs-2022.txt")).any()


def test_generic_award_metric_reads_the_granting_body() -> None:
    assert granting_body("Chủ tịch Uỷ ban nhân dân tỉnh tặng ") == "Chủ tịch Uỷ ban nhân dân tỉnh"
    assert granting_body("đồng thời Ban Thường vụ Tỉnh ủy tặng ") == "Ban Thường vụ Tỉnh ủy"
    assert granting_body("Tại cơ quan, 04 tập thể đạt danh hiệu “") is None


def test_metrics_file_named_by_the_environment_replaces_the_default(
    crafted: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    custom = {"metrics": [{
        "key": "office.conferences", "label_vi": "Số hội nghị", "label_en": "Conferences",
        "unit": "hội nghị",
        "rules": [{"name": "conferences", "source": "prose", "match": {"unit": "^hội nghị"}}],
    }]}  # fmt: skip
    path = tmp_path / "metrics.json"
    path.write_text(json.dumps(custom, ensure_ascii=False), encoding="utf-8")
    monkeypatch.setenv("BAOCAO_METRICS", str(path))
    frame = metric_values(crafted)
    generic = {m for m in frame["metric"] if m.startswith(("awards.", "open."))}
    assert set(frame["metric"]) - generic == {"office.conferences"}
    assert frame.loc[frame["metric"] == "office.conferences", "value"].tolist() == [3]
    # what the file no longer names is still compared, under its own label
    assert "open.ket_nap_dang_vien_moi.dang_vien" in generic


def test_a_bad_pattern_is_reported_with_its_metric_and_rule() -> None:
    bad = {
        "metrics": [
            {
                "key": "x.y",
                "label_vi": "x",
                "label_en": "x",
                "unit": "x",
                "rules": [{"name": "r", "source": "prose", "match": {"unit": "(("}}],
            }
        ]
    }
    with pytest.raises(TaxonomyError, match=r"metric x\.y, rule #0\.match\.unit"):
        parse_taxonomy(bad)
    unknown = {
        "metrics": [
            {
                "key": "x.y",
                "label_vi": "x",
                "label_en": "x",
                "unit": "x",
                "rules": [{"name": "r", "source": "table", "match": {"verb": "a"}}],
            }
        ]
    }
    with pytest.raises(TaxonomyError, match="unknown field"):
        parse_taxonomy(unknown)


# ---------------------------------------------------------------------------------------------
# Periods, changes and conflicts
# ---------------------------------------------------------------------------------------------


def test_year_and_half_year_are_kept_apart_and_changes_stay_within_a_kind(
    crafted: Engine,
) -> None:
    frame = cmp.compare(crafted, metrics="party.new_members_admitted")
    rows = {r.period_key: r for r in frame.itertuples()}
    assert list(frame["period_key"]) == ["2022-H1", "2022", "2023-H1", "2023"]
    assert rows["2022"].value == 131  # the half-year inside it is not added
    assert math.isnan(rows["2022"].change) and rows["2022"].compared_with is None
    assert rows["2023-H1"].compared_with == "2022-H1"
    assert rows["2023"].compared_with == "2022"
    assert rows["2023"].change == 19 and rows["2023"].pct_change == pytest.approx(14.5, abs=0.01)


def test_documents_that_disagree_are_both_shown_and_flagged(crafted: Engine) -> None:
    frame = cmp.compare(crafted, metrics="party.new_members_admitted")
    cell = frame[frame["period_key"] == "2022-H1"].iloc[0]
    assert bool(cell["conflict"])
    assert cell["value"] == 71  # the report on its own half-year before a later report's column
    assert cell["values"] == [71, 58]
    assert cell["documents"] == ["bs-2022-h1.txt", "bs-2023-h1.docx"]
    written = json.loads(cmp.to_json(frame))["metrics"][0]["values"]
    assert written["2022-H1"] == [71, 58] and written["2022"] == 131
    assert "71 | 58" in cmp.to_csv(frame)


def test_start_and_end_keep_the_periods_inside_them(crafted: Engine) -> None:
    frame = cmp.compare(crafted, metrics="party.*", start="2022-07", end="2023")
    assert set(frame["period_key"]) == {"2023-H1", "2023"}  # 2022 starts before July 2022
    assert cmp.period_bound("2022-H1", end=True) == date(2022, 6, 30)
    assert cmp.period_bound("2024-Q1") == date(2024, 1, 1)
    assert cmp.period_bound("2023-02", end=True) == date(2023, 2, 28)
    assert period_series("2023-H1") == "H1" and period_series("2022") == "year"


def test_issuer_filter_ignores_case_and_tone_marks(tmp_path: Path) -> None:
    folder = tmp_path / "reports"
    folder.mkdir()
    write_report(folder, "ha.txt", "năm 2022", "15/12/2022", ["Tổ chức 02 hội nghị."],
                 province="HOÀ AN")  # fmt: skip
    engine = imported(folder)
    try:
        for asked in ("Hòa An", "hoà an", "HOA AN", "doanh nghiệp"):
            assert list(select_documents(engine, asked)["file_name"]) == ["ha.txt"], asked
        assert select_documents(engine, "Bắc Sơn").empty
    finally:
        engine.dispose()
    assert accent_key("ĐẢNG BỘ TỈNH HOÀ AN") == "dang bo tinh hoa an"


# ---------------------------------------------------------------------------------------------
# Exports and commands
# ---------------------------------------------------------------------------------------------


def test_xlsx_has_a_table_sheet_and_a_provenance_sheet(crafted: Engine, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    frame = cmp.compare(crafted)
    path = tmp_path / "compare.xlsx"
    to_xlsx(frame, str(path))  # in Vietnamese: the label before the metric's key
    book = load_workbook(path)
    assert book.sheetnames == ["Bảng", "Nguồn"]
    header = [c.value for c in book["Bảng"][1]]
    assert header == [
        "Cơ quan/đơn vị",
        "Chỉ tiêu",
        "Mã chỉ tiêu",
        "Đơn vị tính",
        "2022-H1",
        "2022",
        "2023-H1",
        "2023",
    ]
    rows = {r[2]: r for r in book["Bảng"].iter_rows(min_row=2, values_only=True)}
    assert rows["party.new_members_admitted"][0] == "ĐẢNG ỦY KHỐI DOANH NGHIỆP"
    assert rows["party.new_members_admitted"][4:] == ("71 | 58", 131, 65, 150)
    assert book["Bảng"]["E2"].comment is not None  # the conflict says who disagrees
    assert "không khớp" in book["Bảng"]["E2"].comment.text
    prov_header = [c.value for c in book["Nguồn"][1]]
    assert {"Văn bản", "Mục", "Câu", "Quy tắc chỉ tiêu"} <= set(prov_header)
    assert book["Nguồn"].max_row - 1 == sum(len(s) for s in frame["sources"])

    english = tmp_path / "compare-en.xlsx"
    to_xlsx(frame, str(english), "en")
    book = load_workbook(english)
    assert book.sheetnames == ["table", "provenance"]
    assert [c.value for c in book["table"][1]][:4] == ["organisation", "label", "metric", "unit"]
    assert {"document", "section", "sentence", "rule"} <= {c.value for c in book["provenance"][1]}


def test_csv_heads_are_vietnamese_with_the_label_first_and_english_on_request(
    crafted: Engine,
) -> None:
    frame = cmp.compare(crafted)
    vi = cmp.to_csv(frame).split("\n")
    assert vi[0].startswith("Cơ quan/đơn vị,Chỉ tiêu,Mã chỉ tiêu,Đơn vị tính,Kỳ,")
    assert any(",6 tháng," in line for line in vi[1:])  # the kind of period, in words
    en = cmp.to_csv(frame, "en").split("\n")
    assert en[0].startswith("organisation,metric,label,unit,period_key,")
    assert len(vi) == len(en)


def chromium_dom(page: Path, profile: Path) -> str:
    """The DOM headless Chromium builds from `page` (the Debian package `chromium`)."""
    binary = shutil.which("chromium") or shutil.which("chromium-browser")
    if binary is None:
        pytest.fail("Chromium is missing: install the Debian package `chromium` "
                    "(apt-get install chromium) to render the HTML export")  # fmt: skip
    result = subprocess.run(
        [binary, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run",
         f"--user-data-dir={profile}", "--dump-dom", page.as_uri()],
        capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr[-2000:]
    return result.stdout


def test_html_is_one_self_contained_page_that_chromium_renders(
    crafted: Engine, tmp_path: Path
) -> None:
    from html.parser import HTMLParser

    frame = cmp.compare(crafted)
    page = tmp_path / "compare.html"
    page.write_text(to_html(frame, "Bắc Sơn"), encoding="utf-8")
    dom = chromium_dom(page, tmp_path / "chromium-profile")

    class Collect(HTMLParser):
        def __init__(self) -> None:
            super().__init__()
            self.tags: list[tuple[str, dict[str, str | None]]] = []

        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            self.tags.append((tag, dict(attrs)))

    parsed = Collect()
    parsed.feed(dom)
    tags = parsed.tags
    metrics = frame["metric"].nunique()
    assert sum(1 for tag, _ in tags if tag == "svg") == metrics
    assert sum(1 for tag, _ in tags if tag == "table") == metrics
    assert sum(1 for tag, _ in tags if tag == "details") == len(frame)
    assert not [t for t, a in tags if t in ("script", "img", "link", "iframe")]
    links = [a.get("href") or "" for t, a in tags if t == "a"]
    assert links and all(href.startswith("#") for href in links)  # bars link to provenance
    ids = {a.get("id") for _, a in tags}
    assert all(href[1:] in ids for href in links)
    assert "bs-2023-h1.docx" in dom and "Cùng kỳ năm 2022" in dom and "71 ≠ 58" in dom


def test_compare_command_writes_each_format_and_says_what_went_wrong(
    crafted: Engine, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = crafted.url.render_as_string(hide_password=False)
    assert compare_command(db, "bắc sơn", "party.*", None, None, "json", None) == 0
    printed = json.loads(capsys.readouterr().out)
    assert printed["metrics"][0]["metric"] == "party.new_members_admitted"
    for fmt in ("csv", "html", "xlsx"):
        target = tmp_path / f"out.{fmt}"
        assert compare_command(db, None, None, None, None, fmt, str(target)) == 0
        assert target.stat().st_size > 0
    assert compare_command(db, None, None, None, None, "xlsx", None) == 2
    assert compare_command(db, None, None, "last year", None, "json", None) == 2
    assert compare_command(db, "Nowhere", None, None, None, "json", None) == 1
    missing = f"sqlite:///{tmp_path / 'none.db'}"
    assert compare_command(missing, None, None, None, None, "json", None) == 1
    assert "no database" in capsys.readouterr().err


def test_archive_answers_in_dataframes(crafted: Engine, tmp_path: Path) -> None:
    with Archive(crafted.url.render_as_string(hide_password=False)) as archive:
        assert len(archive.documents()) == 4
        assert not archive.facts("quantities", document="bs-2022.txt").empty
        table = archive.compare(issuer="Bắc Sơn", metrics=["party.*"])
        assert list(archive.wide(table).columns[4:]) == ["2022-H1", "2022", "2023-H1", "2023"]
        assert set(archive.metrics(metrics="awards.total.*")["metric"]) == {
            "awards.total.collective", "awards.total.individual"
        }  # fmt: skip
        assert archive.export(table, tmp_path / "t.json").exists()
        with pytest.raises(ValueError, match="unknown kind"):
            archive.facts("nothing")


# ---------------------------------------------------------------------------------------------
# The shared corpus
# ---------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def corpus_db(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    folder = tmp_path_factory.mktemp("corpus")
    url = f"sqlite:///{folder / 'corpus.db'}"
    summary = run_import([CORPUS], db=url)
    assert summary.failed == 0, summary.failures
    yield url


def test_hoa_an_series_reproduces_the_hand_made_comparison(corpus_db: str) -> None:
    engine = engine_for(corpus_db)
    try:
        written = json.loads(cmp.to_json(cmp.compare(engine, issuer="Hòa An")))
    finally:
        engine.dispose()
    got = {m["metric"]: m for m in written["metrics"]}
    cells, misses = 0, []
    for gold in json.loads(GOLD_SERIES.read_text(encoding="utf-8")):
        mine = got.get(gold["metric"], {"label": None, "values": {}})
        assert mine["label"] in (None, gold["label_vi"])
        for period, expected in gold["values"].items():
            cells += 1
            if mine["values"].get(period) != expected:
                misses.append(f"{gold['metric']} {period}: {mine['values'].get(period)} "
                              f"instead of {expected}")  # fmt: skip
    agreement = 1 - len(misses) / cells
    assert agreement >= 0.9, f"{agreement:.1%} of {cells} cells agree; misses:\n" + "\n".join(
        misses
    )


def test_checks_list_the_claims_the_figures_contradict(
    corpus_db: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert checks_command(corpus_db, None, "json") == 0
    findings = json.loads(capsys.readouterr().out)
    claims = [f for f in findings if f["code"] == "C002"
              and f["document"] == "yenbai-duk-tdkt-2023-h1.txt"]  # fmt: skip
    assert any("92%" in f["message"] for f in claims), findings
    sums = [f for f in findings if f["code"] == "C001" and f["document"] == "hoaan-duk-2022.docx"]
    assert any("133" in f["message"] and "131" in f["message"] for f in sums), findings
    assert all(f["section"] and f["sentence"] for f in claims + sums)
    assert checks_command(corpus_db, "hoaan-duk-2022.docx", "csv") == 0
    assert "C001" in capsys.readouterr().out
