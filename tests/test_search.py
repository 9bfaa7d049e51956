"""Full-text search typed with or without accents, kept in step with imports and re-extractions,
and safe against anything typed; citations across the archive. Runs on SQLite (FTS5), and on
PostgreSQL (tsvector) when BAOCAO_TEST_PG_URL is set."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from sqlalchemy import Engine, delete, func, select

from extractors.text.keys import fold_accents as fold
from flows.store.citations import archived_targets, cited_by, citing_documents
from flows.store.engine import create_schema
from flows.store.load import load_reports
from flows.store.runs import start_run
from flows.store.search import query_terms, refresh_index, search, search_form
from schemas import models as m
from schemas import tables as t

MakeReport = Callable[..., m.Report]


@pytest.fixture
def engine(engine: Engine) -> Engine:
    create_schema(engine)
    return engine


def load(engine: Engine, *reports: m.Report, **kwargs: object) -> None:
    load_reports(engine, list(reports), start_run(engine, ["x"]), **kwargs)


def text_report(make_report: MakeReport, name: str, content: str, **header: object) -> m.Report:
    """A report holding only `content`, with no facts, and a header of its own."""
    return make_report(
        name,
        content=content,
        references=(),
        dates=(),
        periods=(),
        quantities=0,
        awards=(),
        findings=(),
        sections=(),
        sentences=(),
        header=m.Header(**header),
    )


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("Kết nạp ĐẢNG viên", "ket nap dang vien"),
        ("Uỷ ban, Ủy ban, hoà, hòa", "uy ban, uy ban, hoa, hoa"),
        ("Đảng ủy Khối", "dang uy khoi"),
        ("Kê\u0301t na\u0323p", "ket nap"),  # decomposed input (NFD) is composed first
        ("168-KH/ĐUK", "168-kh/duk"),
    ],
)
def test_fold_removes_tones_and_accents(text: str, folded: str) -> None:
    assert fold(text) == folded


def test_search_form_keeps_one_character_per_character() -> None:
    text = "Số 168-KH/ĐUK, ngày 22/12/2022: Kết nạp 65 đảng viên mới.\n\tİstanbul ﬁ ß"
    assert len(search_form(text)) == len(text)
    assert search_form("168-KH/ĐUK") == "168 kh duk"


@pytest.mark.parametrize(
    ("query", "terms"),
    [
        ("ket nap", ["ket nap"]),
        ("Kết nạp, đảng viên", ["ket nap", "dang vien"]),
        ('"khen thuong" ket nap', ["khen thuong", "ket nap"]),
        ("168-KH/ĐUK", ["168 kh duk"]),
        ("'; DROP TABLE documents; --", ["drop table documents"]),
        ('" NEAR( * ^ :', ["near"]),
        ("* ^ : ( ) -", []),
        ("", []),
    ],
)
def test_query_terms_are_folded_phrases_of_words(query: str, terms: list[str]) -> None:
    assert query_terms(query) == terms


def test_search_without_accents_finds_accented_text(
    engine: Engine, make_report: MakeReport
) -> None:
    report = make_report("bc.txt")
    other = text_report(make_report, "other.txt", "Nạp tiền điện thoại. Kết quả tốt.")
    load(engine, report, other)

    hits = search(engine, "ket nap")
    assert [h.file_name for h in hits] == ["bc.txt"]
    hit = hits[0]
    assert (hit.match, hit.start) == ("Kết nạp", report.text.index("Kết nạp"))
    assert hit.before.endswith("22/12/2022. ") and hit.after.startswith(" 65 đảng viên")
    assert [h.file_name for h in search(engine, "KẾT NẠP 65")] == ["bc.txt"]
    assert search(engine, "nap ket") == []  # the words of a phrase keep their order
    assert [h.file_name for h in search(engine, "ket, nap")] == ["bc.txt", "other.txt"]
    assert [h.file_name for h in search(engine, "168-KH/ĐUK")] == ["bc.txt"]


@pytest.mark.parametrize(
    "query",
    [
        "'; DROP TABLE documents; --",
        '" OR 1=1 --',
        "ket* NEAR(nap)",
        "%",
        "_",
        "\\",
        "'",
        'a"b',
        "NOT ket",
        "\x00",
        "ket nap " * 50,
    ],
)
def test_search_takes_what_is_typed_as_words_only(
    engine: Engine, make_report: MakeReport, query: str
) -> None:
    load(engine, make_report("bc.txt"))
    search(engine, query)  # no error whatever is typed
    with engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(t.documents)).scalar_one() == 1


def test_search_filters_by_header(engine: Engine, make_report: MakeReport) -> None:
    a = text_report(
        make_report, "a.txt", "Kết nạp đảng viên.", issuer="Đảng ủy Khối", doc_type="Báo cáo"
    )
    b = text_report(
        make_report, "b.txt", "Kết nạp đảng viên mới.", issuer="Tỉnh ủy", doc_type="Kế hoạch"
    )
    load(engine, a, b)
    assert [h.file_name for h in search(engine, "ket nap", issuer="Tỉnh ủy")] == ["b.txt"]
    assert [h.file_name for h in search(engine, "ket nap", doc_type="Báo cáo")] == ["a.txt"]
    assert search(engine, "ket nap", fmt="pdf") == []


def test_index_follows_reextraction_and_deletion(engine: Engine, make_report: MakeReport) -> None:
    report = text_report(make_report, "a.txt", "Kết nạp đảng viên.")
    load(engine, report)
    assert len(search(engine, "ket nap")) == 1
    # The same file read by newer rules gives another text.
    newer = report.model_copy(update={"text": "Khen thưởng tập thể.", "rules_version": "2027.1"})
    load(engine, newer)
    assert search(engine, "ket nap") == []
    assert len(search(engine, "khen thuong")) == 1
    assert refresh_index(engine) == 0  # nothing left to do
    with engine.begin() as conn:
        conn.execute(delete(t.documents))
    refresh_index(engine)
    assert search(engine, "khen thuong") == []


def _cited(text: str, identifier: str, date: str | None, year: int | None) -> m.CitedDocument:
    start = text.index(identifier)
    return m.CitedDocument(
        text=identifier,
        start=start,
        end=start + len(identifier),
        rule="ref.party",
        identifier=identifier,
        date=date,
        year=year,
        style="party",
    )


def test_citations_link_documents_by_identifier_and_year(
    engine: Engine, make_report: MakeReport
) -> None:
    cited = text_report(
        make_report, "bc-148.txt", "Báo cáo sơ kết.", identifier="148-BC/ĐUK", date="2023-06-20"
    )
    text = "Thực hiện Báo cáo số 148-BC/ĐUK ngày 20/6/2023, Báo cáo số 0148-BC/ĐUK năm 2021."
    second = text.index("0148")
    citing = text_report(make_report, "bc-150.txt", text, identifier="150-BC/ĐUK")
    old = m.CitedDocument(
        text="0148-BC/ĐUK",
        start=second,
        end=second + 11,
        rule="ref.party",
        identifier="0148-BC/ĐUK",
        year=2021,
        style="party",
    )
    citing = citing.model_copy(
        update={"references": (_cited(text, "148-BC/ĐUK", "2023-06-20", 2023), old)}
    )
    load(engine, cited, citing)

    assert [c["file_name"] for c in cited_by(engine, cited.sha256)] == ["bc-150.txt"]
    assert cited_by(engine, citing.sha256) == []
    targets = archived_targets(engine, citing.sha256)
    linked = [d["file_name"] for ds in targets.values() for d in ds]
    assert linked == ["bc-148.txt"]  # the 2021 report of the same number is another document
    mentions = citing_documents(engine, "148-bc/đuk")
    assert [(c["file_name"], c["year"]) for c in mentions] == [
        ("bc-150.txt", 2023),
        ("bc-150.txt", 2021),
    ]
    assert len(citing_documents(engine, "148-BC/ĐUK", 2023)) == 1
