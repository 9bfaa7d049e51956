"""The period a figure refers to (issue 13, part 4): the grammar of time adverbials on invented
sentences (no corpus file holds them), what governs a figure and what does not (comparison
bases, other clauses, names with years, the grounds of an act), relative periods resolved
against the reporting period, and the store keeping it all on SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

import pytest
from alembic import command
from alembic.script import ScriptDirectory
from extract_helpers import report_from_blocks
from sqlalchemy import Engine, select, text

from extractors.export import facts_record
from extractors.facts.time_adverbials import span_key
from flows.analysis.metrics import metric_values
from flows.store import migrations
from flows.store.engine import create_schema, engine_for
from flows.store.load import load_reports
from flows.store.read import corrected_facts, facts_frame
from flows.store.reports import stored_report
from flows.store.runs import start_run
from schemas import models as m
from schemas import tables as t

MakeReport = Callable[..., m.Report]


def report(title: str, *lines: str) -> m.Report:
    """A report titled ``title`` (its reporting period read from it), one block per line."""
    blocks = [m.Block(text="BÁO CÁO"), m.Block(text=title), *(m.Block(text=x) for x in lines)]
    return report_from_blocks(*blocks)


def referred(title: str, line: str) -> dict[float, tuple[str | None, str | None, str | None]]:
    """value -> (key, start, end) of each figure of ``line``."""
    return {
        q.value: (q.refers_to_key, q.refers_to_start, q.refers_to_end)
        for q in report(title, line).quantities
    }


H1_2023 = "Sơ kết công tác 6 tháng đầu năm 2023"
YEAR_2024 = "Báo cáo kết quả sản xuất kinh doanh năm 2024"
OWN = (None, None, None)


# -- periods named outright, and the clause they govern ------------------------------------------


@pytest.mark.parametrize(
    "line, expected",
    [
        (
            "Kết quả bình xét năm 2022 có 47 chi bộ hoàn thành tốt nhiệm vụ.",
            {47: ("2022", "2022-01-01", "2022-12-31")},
        ),
        (
            "Số hội viên được khen là 140 người (năm 2022: 126 người).",
            {140: OWN, 126: ("2022", "2022-01-01", "2022-12-31")},
        ),
        (
            "Năm 2021, toàn Đảng bộ kết nạp 93 đảng viên; năm 2022 kết nạp 88 đảng viên.",
            {93: ("2021", "2021-01-01", "2021-12-31"), 88: ("2022", "2022-01-01", "2022-12-31")},
        ),
        (
            "Trong quý I/2023 tiếp nhận 312 đơn thư, trong quý II tiếp nhận 287 đơn thư.",
            {
                312: ("2023-Q1", "2023-01-01", "2023-03-31"),
                287: ("2023-Q2", "2023-04-01", "2023-06-30"),
            },
        ),
        (
            "Hội đồng tiếp nhận 19 sáng kiến trong quý I/2023 và 23 sáng kiến trong quý II.",
            {
                19: ("2023-Q1", "2023-01-01", "2023-03-31"),
                23: ("2023-Q2", "2023-04-01", "2023-06-30"),
            },
        ),
        (
            "Kết quả đánh giá, phân loại năm 2022, có 41 tổ chức đảng hoàn thành tốt nhiệm vụ, "
            "2 tổ chức không hoàn thành nhiệm vụ.",
            {41: ("2022", "2022-01-01", "2022-12-31"), 2: ("2022", "2022-01-01", "2022-12-31")},
        ),
        (
            "Trong nhiệm kỳ 2020-2025, Đảng bộ phường kết nạp 412 đảng viên.",
            {412: ("2020..2025", "2020-01-01", "2025-12-31")},
        ),
        (
            "Năm học 2021-2022, nhà trường có 1.350 học sinh.",
            {1350: ("2021-2022", "2021-09-01", "2022-08-31")},
        ),
        # the reporting period itself, named: no period of its own
        ("Trong 6 tháng đầu năm 2023, Đảng bộ kết nạp 36 đảng viên.", {36: OWN}),
    ],
)
def test_a_named_period_governs_the_figures_of_its_clause(line, expected):
    assert referred(H1_2023, line) == expected


@pytest.mark.parametrize(
    "line",
    [
        # comparison bases
        "Số đảng viên mới tăng 9% so với cùng kỳ năm trước.",
        "Số đảng viên mới bằng 109% cùng kỳ.",
        "Doanh thu đạt 318 tỷ đồng, đạt 104% kế hoạch năm 2023.",
        "So với năm 2022, số cuộc kiểm tra tăng 14 cuộc.",
        "Tổng số hội viên 2.914 người, tăng 37 người so với thời điểm cuối năm 2022.",
        "Tỷ lệ đoàn viên tham gia sinh hoạt đạt 97,2%, cao hơn cùng kỳ năm trước.",
        # names with years
        "Thực hiện Nghị quyết số 10 năm 2022, các chi bộ tổ chức 27 cuộc sinh hoạt chuyên đề.",
        "Kế hoạch năm 2023 giao tuyển dụng 44 lao động.",
        "Hội thi “Tuổi trẻ sáng tạo năm 2022” thu hút 318 thí sinh.",
        "Giải bóng chuyền Công nhân viên chức năm 2022 có 16 đội tham dự.",
        "Đại hội Công đoàn cơ sở lần thứ IV, nhiệm kỳ 2023-2028 bầu 9 ủy viên.",
        "Thực hiện Kế hoạch số 41-KH/HU ngày 02/3/2023 của Huyện ủy về công tác dân vận năm "
        "2023, Đảng ủy chỉ đạo 17 chi bộ xây dựng mô hình.",
        # the grounds of an act done in the reporting period
        "Trên cơ sở kết quả đánh giá, xếp loại năm 2022, Ban Thường vụ tặng Giấy khen cho 11 "
        "chi bộ.",
        # a period named in another clause
        "Toàn Đảng bộ kết nạp 71 đảng viên, cùng kỳ năm trước kết nạp 64 đảng viên.",
        "Phát động phong trào thi đua năm 2022 với chủ đề “Đoàn kết, sáng tạo”; 58 chi bộ ký "
        "giao ước thi đua.",
        # earlier years in general, and now
        "So với những năm trước, số đảng viên mới năm nay tăng 12 đồng chí.",
        "Những năm trước mỗi năm kết nạp khoảng 60 đảng viên.",
        "Đến nay, toàn Đảng bộ có 3.961 đảng viên.",
        # a period after the figure, not led by a preposition
        "Ban Thường vụ tặng Giấy khen cho 23 đảng viên hoàn thành xuất sắc nhiệm vụ năm 2022.",
    ],
)
def test_what_does_not_govern_a_figure(line):
    first = report(H1_2023, line).quantities[0]
    assert first.refers_to_key is None and first.refers_to_text is None


def test_only_the_clause_of_the_period_moves():
    found = referred(H1_2023, "Toàn Đảng bộ kết nạp 71 đảng viên, cùng kỳ năm trước kết nạp 64.")
    assert found[71] == OWN


# -- relative periods, spans and points in time ----------------------------------------------------


@pytest.mark.parametrize(
    "title, line, value, expected",
    [
        (
            H1_2023,
            "Cùng kỳ năm trước kết nạp 64 đảng viên.",
            64,
            ("2022-H1", "2022-01-01", "2022-06-30"),
        ),
        (H1_2023, "Cùng kỳ năm 2021 là 59 đảng viên.", 59, ("2021-H1", "2021-01-01", "2021-06-30")),
        (
            H1_2023,
            "Trong kỳ kết nạp 71 đảng viên (cùng kỳ: 64 đảng viên).",
            64,
            ("2022-H1", "2022-01-01", "2022-06-30"),
        ),
        (
            YEAR_2024,
            "Năm trước công ty tuyển dụng 37 lao động.",
            37,
            ("2023", "2023-01-01", "2023-12-31"),
        ),
        (
            YEAR_2024,
            "Sản lượng điện thương phẩm lũy kế đến 30/9 đạt 1.184 triệu kWh.",
            1184,
            ("2024-9M", "2024-01-01", "2024-09-30"),
        ),
        (
            YEAR_2024,
            "Doanh thu luỹ kế từ đầu năm đến ngày 15/10/2024 đạt 1.472 tỷ đồng.",
            1472,
            ("2024-01-01..2024-10-15", "2024-01-01", "2024-10-15"),
        ),
        (
            YEAR_2024,
            "Tính đến ngày 15/12/2023, toàn Đảng bộ có 4.213 đảng viên.",
            4213,
            ("2023-12-15", None, "2023-12-15"),
        ),
        (
            YEAR_2024,
            "Từ năm 2020 đến năm 2023 đã trồng 5.320 cây xanh.",
            5320,
            ("2020..2023", "2020-01-01", "2023-12-31"),
        ),
        (
            YEAR_2024,
            "Từ ngày 01/01/2024 đến ngày 31/3/2024 đã tiếp nhận 226 hồ sơ.",
            226,
            ("2024-Q1", "2024-01-01", "2024-03-31"),
        ),
        (
            "Báo cáo công tác tháng 5/2023",
            "Tháng trước tiếp nhận 131 hồ sơ.",
            131,
            ("2023-04", "2023-04-01", "2023-04-30"),
        ),
        (
            "Báo cáo công tác tháng 5/2023",
            "Lũy kế từ đầu năm tiếp nhận 689 hồ sơ.",
            689,
            ("2023-5M", "2023-01-01", "2023-05-31"),
        ),
        (
            "Báo cáo công tác tháng 5/2023",
            "Quý I năm trước tiếp nhận 402 hồ sơ.",
            402,
            ("2022-Q1", "2022-01-01", "2022-03-31"),
        ),
    ],
)
def test_relative_periods_resolve_against_the_reporting_period(title, line, value, expected):
    assert referred(title, line)[value] == expected


def test_a_topic_clause_governs_the_rest_of_the_sentence():
    found = referred(
        H1_2023,
        "Tính đến ngày 15/6/2023, toàn Đảng bộ có 58 tổ chức cơ sở đảng, trong đó 31 đảng bộ "
        "cơ sở, với 3.922 đảng viên.",
    )
    assert set(found.values()) == {("2023-06-15", None, "2023-06-15")}


def test_a_point_on_the_last_day_of_the_reporting_period_is_its_own():
    found = referred(H1_2023, "Đến ngày 30/6/2023, toàn Đảng bộ có 3.954 đảng viên.")
    assert found[3954] == OWN


def test_a_relative_period_without_a_reporting_period_is_left_unresolved():
    found = referred("Văn bản trao đổi", "Cùng kỳ năm trước kết nạp 64 đảng viên.")
    assert found[64] == OWN


def test_a_period_named_without_its_year_takes_the_reporting_year_not_a_later_one():
    # iter_periods alone would give "6 tháng đầu năm" the year 2022 named further on
    found = referred(
        "Báo cáo tổng kết năm 2023",
        "Tổ chức 6 tháng đầu năm 12 hội nghị, tăng 2 hội nghị so với cùng kỳ năm 2022.",
    )
    assert found == {12: ("2023-H1", "2023-01-01", "2023-06-30"), 2: OWN}


def test_table_cells_keep_the_period_of_their_column():
    blocks = [
        m.Block(text="BÁO CÁO"),
        m.Block(text=YEAR_2024),
        m.Block(
            kind="table_row",
            text="Chỉ tiêu\tNăm 2023\tNăm 2024",
            table=0,
            row=0,
            cells=("Chỉ tiêu", "Năm 2023", "Năm 2024"),
        ),
        m.Block(
            kind="table_row",
            text="Doanh thu (tỷ đồng)\t1.210\t1.472",
            table=0,
            row=1,
            cells=("Doanh thu (tỷ đồng)", "1.210", "1.472"),
        ),
    ]
    cells = [q for q in report_from_blocks(*blocks).quantities if q.table is not None]
    assert cells and all(q.refers_to_key is None for q in cells)


@pytest.mark.parametrize(
    "start, end, key",
    [
        ("2023-01-01", "2023-12-31", "2023"),
        ("2023-01-01", "2023-06-30", "2023-H1"),
        ("2023-07-01", "2023-12-31", "2023-H2"),
        ("2024-07-01", "2024-09-30", "2024-Q3"),
        ("2024-01-01", "2024-09-30", "2024-9M"),
        ("2024-02-01", "2024-02-29", "2024-02"),
        ("2016-09-01", "2017-08-31", "2016-2017"),
        ("2021-01-01", "2025-12-31", "2021..2025"),
        ("2024-01-01", "2024-10-15", "2024-01-01..2024-10-15"),
        (None, "2023-12-15", "2023-12-15"),
    ],
)
def test_span_keys_follow_the_period_keys(start, end, key):
    assert span_key(start, end) == key


def test_extract_prints_the_period_a_figure_refers_to():
    record = facts_record(report(H1_2023, "Cùng kỳ năm trước kết nạp 64 đảng viên."))
    (quantity,) = record["quantities"]
    assert quantity["value"] == 64
    assert quantity["refers_to"] == {
        "key": "2022-H1",
        "start": "2022-01-01",
        "end": "2022-06-30",
        "text": "Cùng kỳ năm trước",
    }


# -- the store -------------------------------------------------------------------------------------


def _with_periods(make_report: MakeReport) -> m.Report:
    base = make_report("refers.txt")
    first, second = base.quantities
    return base.model_copy(
        update={
            "quantities": (
                first.model_copy(
                    update={
                        "refers_to_key": "2022-H1",
                        "refers_to_start": "2022-01-01",
                        "refers_to_end": "2022-06-30",
                        "refers_to_text": "cùng kỳ năm trước",
                    }
                ),
                second.model_copy(
                    update={
                        "refers_to_key": "2023-12-15",
                        "refers_to_end": "2023-12-15",
                        "refers_to_text": "tính đến ngày 15/12/2023",
                    }
                ),
            )
        }
    )


def test_the_store_keeps_the_period_a_figure_refers_to(
    engine: Engine, make_report: MakeReport
) -> None:
    original = _with_periods(make_report)
    load_reports(engine, [original, make_report("plain.txt", content="Kết nạp 12 đảng viên.")],
                 start_run(engine, ["x"]))  # fmt: skip
    frame = facts_frame(engine, "quantities").sort_values(["file_name", "start"])
    got = [
        (
            r.refers_to_key,
            None if r.refers_to_start is None else str(r.refers_to_start)[:10],
            None if r.refers_to_end is None else str(r.refers_to_end)[:10],
            r.refers_to_text,
        )
        for r in frame.astype(object).where(frame.notna(), None).itertuples()
    ]
    assert got[-2:] == [
        ("2022-H1", "2022-01-01", "2022-06-30", "cùng kỳ năm trước"),
        ("2023-12-15", None, "2023-12-15", "tính đến ngày 15/12/2023"),
    ]
    assert all(row == (None, None, None, None) for row in got[:-2])
    rebuilt = stored_report(engine, original.sha256)
    assert rebuilt is not None
    assert [
        (q.refers_to_key, q.refers_to_start, q.refers_to_end, q.refers_to_text)
        for q in rebuilt.quantities
    ] == [
        (q.refers_to_key, q.refers_to_start, q.refers_to_end, q.refers_to_text)
        for q in original.quantities
    ]
    assert len(corrected_facts(engine, "quantities", original.sha256)) == 2


def _before_0007() -> str:
    script = ScriptDirectory.from_config(migrations.alembic_config())
    revision = script.get_revision("0007")
    assert revision is not None and isinstance(revision.down_revision, str)
    return revision.down_revision


def test_quantities_stored_before_0007_keep_their_rows_and_no_period(fresh_db: str) -> None:
    engine = engine_for(fresh_db)
    try:
        with engine.begin() as conn:
            command.upgrade(migrations.alembic_config(conn), _before_0007())
        document = "old.txt".ljust(64, "0")
        with (
            engine.begin() as conn
        ):  # a document and a fact as the revisions before 0007 store them
            conn.execute(
                text(
                    "INSERT INTO documents (id, source, file_name, format, size, text, "
                    "rules_version, imported_at) VALUES (:id, '/a/old.txt', 'old.txt', 'txt', 1, "
                    "'x', 'old', :at)"
                ),
                {"id": document, "at": datetime.now(UTC)},
            )
            conn.execute(
                text(
                    'INSERT INTO quantities (document_id, value, unit, text, start, "end", rule, '
                    "confidence) VALUES (:doc, 64, 'đảng viên', '64', 0, 2, 'old', 1)"
                ),
                {"doc": document},
            )
        create_schema(engine)
        q = t.quantities
        with engine.connect() as conn:
            row = conn.execute(
                select(q.c.value, q.c.refers_to_key, q.c.refers_to_start, q.c.refers_to_end)
            ).one()
        assert tuple(row) == (64, None, None, None)
    finally:
        engine.dispose()


def test_metric_provenance_carries_the_period_a_figure_refers_to(engine: Engine) -> None:
    extracted = report(
        H1_2023,
        "Trong 6 tháng đầu năm 2023, các chi bộ tổ chức 27 cuộc kiểm tra.",
        "Cùng kỳ năm trước kết nạp 64 đảng viên mới.",
    )
    load_reports(engine, [extracted], start_run(engine, ["x"]))
    frame = metric_values(engine, align_series=False)
    by_value = {row.value: row.provenance for row in frame.itertuples()}
    assert by_value[64]["refers_to"] == {"key": "2022-H1", "text": "Cùng kỳ năm trước"}
    assert "refers_to" not in by_value[27]
