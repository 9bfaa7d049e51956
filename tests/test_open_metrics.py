"""Open metrics and series that align themselves (issue 13): every figure is comparable without a
taxonomy entry, and within one organisation a series keeps together when its label shifts.

Labels and values here are invented; the series of `scripts/make_series_samples.py` (a fictional
power company) runs through a real import on SQLite and PostgreSQL."""

from __future__ import annotations

import re
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from extractors.metrics.align import Figure, align, canonical_unit, label_score
from extractors.metrics.open import clean_label, prose_metric, subject_of, table_metric
from flows.analysis import compare as cmp
from flows.ingest.run import run_import
from flows.store.engine import engine_for

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "scripts"))
from make_series_samples import write_series  # noqa: E402 - a script beside the tests

CORPUS_SERIES = Path(__file__).resolve().parents[2] / "shared" / "corpus"

# ---------------------------------------------------------------------------------------------
# An open metric from a row or a counted phrase
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("label", "expected"),
    [
        ("1.2. Sản lượng nước sạch (*):", "Sản lượng nước sạch"),
        ("a) Số hộ dùng nước", "Số hộ dùng nước"),
        ("- Trong đó: nữ", "nữ"),
        ("+ Doanh thu dịch vụ", "Doanh thu dịch vụ"),
        ("II. Chi phí vận hành", "Chi phí vận hành"),
    ],
)
def test_a_row_label_loses_its_item_marker_and_nothing_else(label: str, expected: str) -> None:
    assert clean_label(label) == expected


def test_a_table_row_is_a_metric_of_its_label_and_unit() -> None:
    metric = table_metric("3. Khối lượng rác thu gom", "Tấn")
    assert metric is not None
    assert metric.key == "open.khoi_luong_rac_thu_gom.tan"
    assert (metric.label, metric.unit) == ("Khối lượng rác thu gom", "Tấn")
    assert table_metric("12", "Tấn") is None  # a row with no words of its own
    unnumbered = table_metric("Số bể nước", "(4)")  # a column's number is no unit
    assert unnumbered is not None and unnumbered.key == "open.so_be_nuoc"


def test_a_counted_phrase_is_a_metric_of_what_was_done_to_it() -> None:
    metric = prose_metric("lượt hộ nghèo", "hỗ trợ")
    assert metric is not None
    assert metric.key == "open.ho_tro_luot_ho_ngheo"
    assert metric.label == "Hỗ trợ: lượt hộ nghèo"
    assert prose_metric("năm", "thành lập") is None  # 15 năm thành lập: an age, not a count
    assert prose_metric("%", None) is None  # a percentage of nothing said
    assert prose_metric(None, "tổ chức") is None
    assert prose_metric("hộ nghèo", None) is None  # counted, but no word says as what


# ---------------------------------------------------------------------------------------------
# Alignment
# ---------------------------------------------------------------------------------------------


def fig(metric: str, label: str, unit: str, doc: str, period: str, value: float,
        table: bool = True) -> Figure:  # fmt: skip
    return Figure(metric, label, label.lower(), canonical_unit(unit), doc, period, value,
                  table=table)  # fmt: skip


def test_labels_and_units_are_compared_after_folding() -> None:
    assert canonical_unit("Tr.đ") == canonical_unit("triệu đồng")
    assert canonical_unit("Tỉ đồng") == canonical_unit("TỶ ĐỒNG")
    assert label_score("khối lượng nước sạch", "nước sạch") == pytest.approx(0.8)
    assert label_score("doanh thu", "chi phí") == 0.0


def test_a_label_that_shifts_between_reports_stays_one_series() -> None:
    joined = align([
        fig("open.a", "Khối lượng nước sạch sản xuất", "m3", "r1", "2024-Q1", 1200),
        fig("open.a", "Khối lượng nước sạch sản xuất", "m3", "r3", "2024", 5100),
        fig("open.b", "Nước sạch sản xuất", "m3", "r2", "2024-H1", 2500),
    ])  # fmt: skip
    assert set(joined) == {"open.b"}
    assert joined["open.b"].into == "open.a"
    assert joined["open.b"].agreeing == ()


def test_agreeing_values_join_labels_that_share_few_words() -> None:
    # the half-year report repeats the first quarter's figure in its own column
    joined = align([
        fig("open.a", "Thu phí vệ sinh", "Tr.đ", "q1", "2025-Q1", 845.5),
        fig("open.b", "Phí vệ sinh môi trường thu được", "triệu đồng", "h1", "2025-Q1", 845.5),
        fig("open.b", "Phí vệ sinh môi trường thu được", "triệu đồng", "h1", "2025-H1", 1702),
    ])  # fmt: skip
    assert joined["open.a"].into == "open.b"
    assert joined["open.a"].agreeing == (("2025-Q1", 845.5),)


def test_figures_that_disagree_or_share_a_report_are_never_one_series() -> None:
    disagree = align([
        fig("open.a", "Số bể lọc", "bể", "r1", "2024", 12),
        fig("open.b", "Số bể lọc mới", "bể", "r2", "2024", 13),
    ])  # fmt: skip
    assert disagree == {}
    one_report = align([
        fig("open.a", "Doanh thu dịch vụ", "tỷ đồng", "r1", "2024", 7.5),
        fig("open.b", "Doanh thu dịch vụ khác", "tỷ đồng", "r1", "2024", 2.1),
        fig("open.b", "Doanh thu dịch vụ khác", "tỷ đồng", "r2", "2025", 2.4),
    ])  # fmt: skip
    assert one_report == {}


def test_a_label_inside_many_others_joins_none_of_them() -> None:
    joined = align([
        fig("open.a", "Hộ dân", "hộ", "r1", "2024", 310),
        fig("open.b", "Hộ dân được cấp nước", "hộ", "r2", "2025", 290),
        fig("open.c", "Hộ dân được thu gom rác", "hộ", "r3", "2025", 150),
    ])  # fmt: skip
    assert joined == {}


def test_a_pair_a_user_split_is_not_joined_again() -> None:
    figures = [
        fig("open.a", "Chiều dài đường ống", "km", "r1", "2024", 41.2),
        fig("open.b", "Đường ống", "km", "r2", "2025", 43.0),
    ]
    assert set(align(figures)) == {"open.a"}  # into the latest report's label
    assert align(figures, forbidden=[("đường ống", "chiều dài đường ống")]) == {}


def test_the_same_specific_phrase_under_another_verb_is_one_series() -> None:
    joined = align([
        fig("open.a", "tổ chức lớp tập huấn nghiệp vụ", "lớp tập huấn nghiệp vụ", "r1",
            "2024", 6, table=False),
        fig("open.b", "mở lớp tập huấn nghiệp vụ", "lớp tập huấn nghiệp vụ", "r2", "2025", 8,
            table=False),
        fig("open.c", "kết nạp đoàn viên", "đoàn viên", "r1", "2024", 30, table=False),
        fig("open.d", "kỷ luật đoàn viên", "đoàn viên", "r2", "2025", 2, table=False),
    ])  # fmt: skip
    assert set(joined) == {"open.a"}  # `đoàn viên` alone does not say what was counted


# ---------------------------------------------------------------------------------------------
# Through the store: the sample series of a company, on SQLite and PostgreSQL
# ---------------------------------------------------------------------------------------------

SERIES = {
    "Sản lượng điện thương phẩm": {
        "2022": 1190.2, "2023-Q1": 295.4, "2023-H1": 610, "2023": 1268.4, "2024-Q1": 318.6,
        "2024-Q2": 334.1, "2024-H1": 652.7, "2024": 1342.5,
    },
    "Doanh thu": {
        "2022": 2150.3, "2023-Q1": 548, "2023-H1": 1127.4, "2023": 2351.7, "2024-Q1": 590.2,
        "2024-Q2": 621.5, "2024-H1": 1211.7, "2024": 2496,
    },
    "Lợi nhuận trước thuế": {
        "2022": 41.9, "2023-Q1": 10.1, "2023-H1": 21, "2023": 48.2, "2024-Q1": 11.3,
        "2024-Q2": 12.9, "2024-H1": 24.2, "2024": 50.6,
    },
    "Tỷ lệ tổn thất điện năng": {
        "2022": 4.6, "2023-Q1": 4.8, "2023-H1": 4.62, "2023": 4.21, "2024-Q1": 4.52,
        "2024-Q2": 4.18, "2024-H1": 4.35, "2024": 4.05,
    },
    "Số khách hàng sử dụng điện": {"2022": 149610, "2023": 153482, "2024": 157214},
    "lớp huấn luyện an toàn": {"2023": 12, "2024-Q1": 3, "2024-H1": 7, "2024": 13},
    "lượt người lao động": {"2023": 1140, "2024-Q1": 286, "2024-H1": 598, "2024": 1205},
}  # fmt: skip


@pytest.fixture(scope="module")
def series_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("hongphat")
    write_series(folder)
    return folder


def test_every_figure_of_a_company_series_lines_up_without_a_taxonomy_entry(
    series_folder: Path, fresh_db: str
) -> None:
    summary = run_import([series_folder], db=fresh_db)
    assert summary.failed == 0, summary.failures
    engine = engine_for(fresh_db)
    try:
        frame = cmp.compare(engine)
    finally:
        engine.dispose()
    written = __import__("json").loads(cmp.to_json(frame))["metrics"]
    assert {m["organisation"] for m in written} == {"ĐẢNG ỦY CÔNG TY CỔ PHẦN ĐIỆN LỰC HỒNG PHÁT"}
    cells = lined_up = 0
    for label, values in SERIES.items():
        rows = [m for m in written if label.lower() in m["label"].lower()]
        assert len(rows) == 1, (label, [m["label"] for m in rows])
        for period, expected in values.items():
            cells += 1
            lined_up += rows[0]["values"].get(period) == pytest.approx(expected)
    assert lined_up == cells
    assert not frame["conflict"].any()
    # why a shifted label joined is in the provenance
    aligned = [s["aligned"] for sources in frame["sources"] for s in sources if s.get("aligned")]
    assert any(a["was"] == "Điện thương phẩm" for a in aligned)
    # labels that share too few words join because the half-year report repeats the quarter's
    revenue = [a for a in aligned if a["was"] == "Doanh thu tiền điện"]
    assert revenue and {"period": "2024-Q1", "value": 590.2} in revenue[0]["agreeing"]


def test_two_organisations_never_meet_in_one_cell(
    series_folder: Path, tmp_path: Path, fresh_db: str
) -> None:
    other = tmp_path / "other"
    other.mkdir()
    for path in series_folder.glob("*.docx"):
        if path.name == "hongphat-2023.docx":
            # the same report from another company: same figures' labels, other values
            from docx import Document

            doc = Document(str(path))
            for table in doc.tables:
                for row in table.rows:
                    for cell in row.cells:
                        cell.text = cell.text.replace("HỒNG PHÁT", "BÌNH MINH").replace(
                            "1.268,4", "980,0"
                        )
            doc.save(str(other / "binhminh-2023.docx"))
    summary = run_import([series_folder, other], db=fresh_db)
    assert summary.failed == 0, summary.failures
    engine = engine_for(fresh_db)
    try:
        frame = cmp.compare(engine)
    finally:
        engine.dispose()
    assert not frame["conflict"].any()
    power = frame[frame["label"].str.contains("điện thương phẩm") & (frame["period_key"] == "2023")]
    assert sorted(power["value"]) == [980.0, 1268.4]
    assert len(set(power["organisation"])) == 2


@contextmanager
def served(folders: list[Path], db: Path) -> Iterator[Any]:
    """The web app over `folders` imported into the SQLite file `db`, as a test client (its
    engine closed afterwards)."""
    from fastapi.testclient import TestClient

    from flows.web import make_app

    url = f"sqlite:///{db}"
    assert run_import(folders, db=url).failed == 0
    with TestClient(make_app(url, False), base_url="http://127.0.0.1") as client:
        yield client
    client.app.state.engine.dispose()


def test_the_compare_page_shows_changes_sources_and_filters_metrics(
    series_folder: Path, tmp_path: Path
) -> None:
    with served([series_folder], tmp_path / "web.db") as c:
        page = c.get("/compare", params={"q": "loi nhuan"})  # accents optional
        assert page.status_code == 200
        html = page.text
        assert "Lợi nhuận trước thuế" in html and "Doanh thu" not in html.split("<tbody>")[1]
        # 2024 against 2023: 50,6 - 48,2 = +2,4, +5,0%
        assert "+2,4 (+5,0%)" in html
        assert 'href="/documents/' in html and 'id="metric-filter"' in html
        english = c.get("/compare", params={"q": "loi nhuan", "lang": "en"})
        assert "Filter metrics" in english.text


def test_a_user_splits_a_wrong_series_and_it_stays_split(
    series_folder: Path, fresh_db: str
) -> None:
    from click.testing import CliRunner

    from flows.cli import main

    assert run_import([series_folder], db=fresh_db).failed == 0
    runner = CliRunner()

    def power_rows() -> list[str]:
        engine = engine_for(fresh_db)
        try:
            frame = cmp.compare(engine, metrics=["open.*"])
        finally:
            engine.dispose()
        return sorted(set(frame[frame["label"].str.contains("thương phẩm")]["metric"]))

    assert len(power_rows()) == 1
    args = ["--db", fresh_db]
    split = runner.invoke(main, ["metrics", "split", "điện thương phẩm", "SẢN LƯỢNG ĐIỆN THƯƠNG "
                                 "PHẨM", "--note", "two meters", *args])  # fmt: skip
    assert split.exit_code == 0, split.output
    assert len(power_rows()) == 2
    again = runner.invoke(main, ["metrics", "split", "Sản lượng điện thương phẩm",
                                 "Điện thương phẩm", *args])  # fmt: skip
    assert "already split" in again.output
    listed = runner.invoke(main, ["metrics", "splits", *args])
    assert "two meters" in listed.output
    # a re-import of the same files (nothing new) keeps the split
    assert run_import([series_folder], db=fresh_db).failed == 0
    assert len(power_rows()) == 2
    assert runner.invoke(main, ["metrics", "unsplit", "Điện thương phẩm",
                                "Sản lượng điện thương phẩm", *args]).exit_code == 0  # fmt: skip
    assert len(power_rows()) == 1
    same = runner.invoke(main, ["metrics", "split", "Doanh thu", "doanh  thu", *args])
    assert same.exit_code == 2 and "same" in same.output


def test_heads_over_merged_columns_say_which_period_or_ratio_a_column_holds(
    tmp_path: Path,
) -> None:
    from docx import Document

    doc = Document()
    for line in ("ĐẢNG ỦY CÔNG TY TNHH CẤP NƯỚC SUỐI MƠ", "Số 07-BC/ĐU", "BÁO CÁO",
                 "kết quả sản xuất kinh doanh 6 tháng đầu năm 2025", "I. KẾT QUẢ"):  # fmt: skip
        doc.add_paragraph(line)
    heads = [
        ["TT", "Chỉ tiêu", "ĐVT", "Năm 2024", "", "6 tháng đầu năm 2025", "", "So sánh (%)", ""],
        ["", "", "", "Kế hoạch", "Thực hiện", "Kế hoạch", "Thực hiện", "KH", "CK"],
    ]  # fmt: skip
    rows = [["1", "Nước sạch sản xuất", "m3", "900", "940", "480", "505", "105,2", "103,1"]]
    table = doc.add_table(rows=3, cols=9)
    for i, cells in enumerate([*heads, *rows]):
        for j, value in enumerate(cells):
            table.cell(i, j).text = value
    for first in (3, 5, 7):  # each group head spans its two columns
        table.cell(0, first).merge(table.cell(0, first + 1)).text = heads[0][first]
    doc.save(str(tmp_path / "suoimo.docx"))
    url = f"sqlite:///{tmp_path / 'suoimo.db'}"
    assert run_import([tmp_path / "suoimo.docx"], db=url).failed == 0
    engine = engine_for(url)
    try:
        frame = cmp.compare(engine)
    finally:
        engine.dispose()
    water = frame[frame["label"] == "Nước sạch sản xuất"]
    # achieved this half-year and last year's result; plans and ratios are not results
    assert dict(zip(water["period_key"], water["value"], strict=True)) == {
        "2024": 940.0,
        "2025-H1": 505.0,
    }


@pytest.mark.parametrize(
    ("before", "subject"),
    [
        ("Trong quý II, tổng doanh thu cảng ước đạt ", ("tổng doanh thu cảng", None)),
        ("Sản lượng chè búp 9 tháng đầu năm 2025 đạt khoảng ", ("Sản lượng chè búp", None)),
        ("Kim ngạch xuất khẩu so với cùng kỳ giảm ", ("Kim ngạch xuất khẩu", "giảm")),
        ("các hoạt động nhân đạo với tổng số tiền ", ("hoạt động nhân đạo", None)),
        ("Tỷ lệ hộ dùng nước sạch tăng lên ", ("Tỷ lệ hộ dùng nước sạch", None)),
        ("thấp hơn nhiều so với ", None),
        ("so với kế hoạch tăng ", None),
        ("đạt ", None),
    ],
)  # fmt: skip
def test_a_measured_figure_is_named_by_the_subject_before_it(
    before: str, subject: tuple[str, str | None] | None
) -> None:
    assert subject_of(before) == subject


def test_a_measure_in_running_text_is_a_metric_of_its_subject() -> None:
    level = prose_metric("tỷ đồng", "đạt", "Doanh thu vận tải hành khách đạt ")
    assert level is not None and level.key == "open.doanh_thu_van_tai_hanh_khach.ty_dong"
    change = prose_metric("%", "tăng", "Doanh thu vận tải hành khách tăng ")
    assert change is not None and change.label == "Doanh thu vận tải hành khách (tăng)"
    assert prose_metric("ha", None, "đạt ") is None  # no subject, no metric


def test_a_table_without_a_unit_column_takes_the_unit_from_the_label_not_the_head() -> None:
    metric = table_metric("2. Thu nhập bình quân (tr.đ/người/tháng)", "TH 6 tháng 2025",
                          "TH 6 tháng 2025")  # fmt: skip
    assert metric is not None
    assert (metric.label, metric.unit) == ("Thu nhập bình quân", "tr.đ/người/tháng")
    bare = table_metric("Số chuyến xe buýt", "Cùng kỳ 2024", "Cùng kỳ 2024")
    assert bare is not None and bare.unit == "" and bare.key == "open.so_chuyen_xe_buyt"


def test_a_committee_of_party_cells_counts_its_members_as_the_total(tmp_path: Path) -> None:
    from flows.analysis.metrics import metric_values

    header = ["ĐẢNG BỘ KHỐI DOANH NGHIỆP TỈNH BẮC SƠN", "ĐẢNG ỦY CÔNG TY CỔ PHẦN MAY SÔNG CẦU",
              "Số {n}-BC/ĐU", "Bắc Sơn, ngày 08 tháng 7 năm {y}", "", "BÁO CÁO",
              "kết quả công tác xây dựng Đảng 6 tháng đầu năm {y}", "",
              "I. KẾT QUẢ", "1. Công tác tổ chức"]  # fmt: skip
    bodies = {
        2024: "Đảng bộ Công ty có 9 chi bộ trực thuộc với 214 đảng viên.",
        2025: "Đảng ủy Công ty hiện có 221 đảng viên; trong 6 tháng kết nạp 05 đảng viên mới.",
    }
    for year, body in bodies.items():
        lines = [line.format(n=20 + year % 10, y=year) for line in header] + [body]
        (tmp_path / "in").mkdir(exist_ok=True)
        (tmp_path / "in" / f"may-{year}.txt").write_text("\n".join(lines) + "\n", "utf-8")
    url = f"sqlite:///{tmp_path / 'may.db'}"
    assert run_import([tmp_path / "in"], db=url).failed == 0
    engine = engine_for(url)
    try:
        frame = metric_values(engine, metrics=["party.total_members"])
    finally:
        engine.dispose()
    assert dict(zip(frame["period_key"], frame["value"], strict=True)) == {
        "2024-H1": 214.0,
        "2025-H1": 221.0,
    }


def test_a_same_period_column_repeats_the_period_of_the_results_beside_it(
    tmp_path: Path,
) -> None:
    from docx import Document

    doc = Document()
    for line in ("ĐẢNG ỦY CÔNG TY CỔ PHẦN XI MĂNG ĐÁ TRẮNG", "Số 19-BC/ĐU", "BÁO CÁO",
                 "kết quả sản xuất kinh doanh quý III năm 2025", "I. KẾT QUẢ"):  # fmt: skip
        doc.add_paragraph(line)
    rows = [
        ["TT", "Chỉ tiêu", "ĐVT", "Kế hoạch năm 2025", "Thực hiện 9 tháng 2025", "Cùng kỳ"],
        ["1", "Xi măng tiêu thụ", "tấn", "1.200.000", "905.300", "861.000"],
    ]
    table = doc.add_table(rows=2, cols=6)
    for i, cells in enumerate(rows):
        for j, value in enumerate(cells):
            table.cell(i, j).text = value
    (tmp_path / "in").mkdir()
    doc.save(str(tmp_path / "in" / "datrang-q3.docx"))
    url = f"sqlite:///{tmp_path / 'dt.db'}"
    assert run_import([tmp_path / "in"], db=url).failed == 0
    engine = engine_for(url)
    try:
        frame = cmp.compare(engine)
    finally:
        engine.dispose()
    cement = frame[frame["label"] == "Xi măng tiêu thụ"]
    # nine months this year, and the same nine months last year (not last year's third quarter)
    assert dict(zip(cement["period_key"], cement["value"], strict=True)) == {
        "2024-9M": 861000.0,
        "2025-9M": 905300.0,
    }


def test_one_round_value_in_common_needs_closer_labels() -> None:
    figures = [
        fig("open.a", "Tỷ lệ hộ có nhà tiêu hợp vệ sinh", "%", "r1", "2024", 50),
        fig("open.b", "Tỷ lệ trường đạt chuẩn quốc gia", "%", "r2", "2024", 50),
        fig("open.b", "Tỷ lệ trường đạt chuẩn quốc gia", "%", "r2", "2025", 55),
    ]
    assert align(figures) == {}


def test_the_compare_page_lists_organisations_and_compares_the_one_chosen(
    series_folder: Path, tmp_path: Path
) -> None:
    with served([series_folder, CORPUS_SERIES], tmp_path / "orgs.db") as c:
        form = c.get("/compare").text
        options = re.findall(r'<option value="(\d+)"[^>]*>([^<]+)</option>', form)
        power = [value for value, name in options if "HỒNG PHÁT" in name]
        assert len(power) == 1 and any("HOÀ AN" in name.upper() for _, name in options)
        page = c.get("/compare", params={"issuer": power[0]}).text
        table = page.split("<tbody>")[1]
        assert "Sản lượng điện thương phẩm" in table and "Số tin, bài" not in table


def test_a_figure_the_text_gives_for_another_period_is_shown_with_its_words(
    tmp_path: Path,
) -> None:
    lines = ["ĐẢNG ỦY CÔNG TY CỔ PHẦN VẬN TẢI THỦY NAM ĐÀ", "Số 11-BC/ĐU",
             "Nam Đà, ngày 05 tháng 7 năm 2025", "", "BÁO CÁO",
             "kết quả công tác xây dựng Đảng 6 tháng đầu năm 2025", "", "I. KẾT QUẢ",
             "Cùng kỳ năm trước, Đảng ủy kết nạp 02 đảng viên mới.",
             "Trong 6 tháng đầu năm 2025, Đảng ủy kết nạp 05 đảng viên mới.",
             "Tính đến ngày 20/6/2025, Đảng bộ có 131 đảng viên."]  # fmt: skip
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "namda.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
    url = f"sqlite:///{tmp_path / 'namda.db'}"
    assert run_import([tmp_path / "in"], db=url).failed == 0
    engine = engine_for(url)
    try:
        written = __import__("json").loads(cmp.to_json(cmp.compare(engine)))["metrics"]
    finally:
        engine.dispose()
    by_metric = {m["metric"]: m for m in written}
    # the period's own figure wins over last year's, which the text named first
    assert by_metric["party.new_members_admitted"]["values"] == {"2025-H1": 5}
    assert "refers_to" not in by_metric["party.new_members_admitted"]
    total = by_metric["party.total_members"]
    assert total["values"] == {"2025-H1": 131}
    assert total["refers_to"] == {"2025-H1": "Tính đến ngày 20/6/2025"}


def test_compare_in_a_narrow_terminal_shows_every_period_within_its_width(
    series_folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from click.testing import CliRunner

    from flows.cli import main

    url = f"sqlite:///{tmp_path / 'narrow.db'}"
    assert run_import([series_folder], db=url).failed == 0
    monkeypatch.setenv("COLUMNS", "80")
    from flows.cli import options

    monkeypatch.setattr(options.stdout, "_width", 80)
    result = CliRunner().invoke(main, ["compare", "--db", url])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert max(len(line) for line in lines) <= 80
    for period in SERIES["Doanh thu"]:
        assert any(period in line for line in lines), period


def test_the_page_s_only_script_is_the_one_its_policy_allows(
    series_folder: Path, tmp_path: Path
) -> None:
    import base64
    import hashlib

    with served([series_folder], tmp_path / "csp.db") as c:
        page = c.get("/compare", params={"issuer": "Hồng Phát"})
    scripts = re.findall(r"<script>(.*?)</script>", page.text, re.S)
    assert len(scripts) == 1
    digest = base64.b64encode(hashlib.sha256(scripts[0].encode()).digest()).decode()
    assert f"script-src 'sha256-{digest}'" in page.headers["content-security-policy"]


@pytest.mark.slow
def test_the_metric_filter_hides_rows_as_one_types_in_chromium(
    series_folder: Path, tmp_path: Path
) -> None:
    from playwright.sync_api import sync_playwright

    with served([series_folder], tmp_path / "typing.db") as c:
        page = c.get("/compare", params={"issuer": "Hồng Phát"})
    headers = {k: v for k, v in page.headers.items() if k in ("content-type",
               "content-security-policy")}  # fmt: skip
    args = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
            "--no-first-run", "--disable-component-update", "--disable-sync"]  # fmt: skip
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=args)
        try:
            tab = browser.new_page()
            blocked: list[str] = []
            tab.on("console", lambda m: blocked.append(m.text) if "Policy" in m.text else None)
            # the page as the app served it, its security policy included
            tab.route("http://baocao.test/compare", lambda route: route.fulfill(
                status=200, headers=headers, body=page.text))  # fmt: skip
            tab.goto("http://baocao.test/compare")
            rows = tab.locator("#compare-table tbody tr:not(.org):visible")
            everything = rows.count()
            tab.fill("#metric-filter", "loi nhuan")
            tab.wait_for_timeout(200)
            assert rows.count() == 1 and "Lợi nhuận trước thuế" in rows.first.inner_text()
            tab.fill("#metric-filter", "")
            tab.wait_for_timeout(200)
            assert rows.count() == everything > 5
            assert blocked == []
        finally:
            browser.close()
