"""The store: schema, idempotent loading by content hash, replacement on new rules, all-or-nothing
batches, and the DataFrames read back. Runs on SQLite, and on PostgreSQL when BAOCAO_TEST_PG_URL
is set."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest
from sqlalchemy import Engine, select
from sqlalchemy.dialects import postgresql
from sqlalchemy.schema import CreateIndex, CreateTable

from extractors.rows import COLUMNS, prepare
from extractors.text.keys import identifier_key
from flows.store import load as store
from flows.store.engine import create_schema, engine_for, write_transaction
from flows.store.load import insert_rows, load_reports, stored_versions
from flows.store.read import KINDS, facts_frame, row_counts
from flows.store.runs import finish_run, record_error, start_run
from schemas import tables as t
from schemas.errors import CorruptFileError
from schemas.models import Report

MakeReport = Callable[..., Report]
FACT_KINDS = list(t.FACT_TABLES)


def _fact_counts(engine: Engine) -> dict[str, int]:
    counts = row_counts(engine)
    # (organisations outlive their documents: people's edits are keyed to them)
    kept = ("import_runs", "file_outcomes", "organisations", "organisation_aliases")
    return {name: n for name, n in counts.items() if name not in kept}


def test_loading_twice_changes_nothing(engine: Engine, make_report: MakeReport) -> None:
    reports = [make_report("a.txt"), make_report("b.txt", content="Báo cáo khác: 12 chi bộ.")]
    first = load_reports(engine, reports, start_run(engine, ["x"]))
    before = _fact_counts(engine)
    second = load_reports(engine, reports, start_run(engine, ["x"]))

    assert [o.status for o in first] == ["ok", "ok"]
    assert [o.status for o in second] == ["skipped", "skipped"]
    assert _fact_counts(engine) == before
    assert before["documents"] == 2 and before["quantities"] == 4


def test_copy_of_a_file_in_the_same_batch_is_skipped(
    engine: Engine, make_report: MakeReport
) -> None:
    original = make_report("a.txt")
    copy = original.model_copy(update={"source": "/elsewhere/a-copy.txt"})
    outcomes = load_reports(engine, [original, copy], start_run(engine, ["x"]))

    assert [o.status for o in outcomes] == ["ok", "skipped"]
    assert "same content as /archive/a.txt" in (outcomes[1].message or "")
    assert row_counts(engine)["documents"] == 1


def test_new_rules_version_replaces_facts_without_duplicates(
    engine: Engine, make_report: MakeReport
) -> None:
    run = start_run(engine, ["x"])
    load_reports(engine, [make_report(rules_version="2026.11.1", quantities=3)], run)
    newer = make_report(rules_version="2026.12.0", quantities=1)
    [outcome] = load_reports(engine, [newer], run)

    assert outcome.status == "ok" and "replaced facts of rules 2026.11.1" in (outcome.message or "")
    assert row_counts(engine)["quantities"] == 1
    docs = facts_frame(engine, "documents")
    assert docs["rules_version"].tolist() == ["2026.12.0"]
    for kind in FACT_KINDS:
        assert len(facts_frame(engine, kind)) == len(store.fact_rows(newer)[kind])


def test_reextract_replaces_facts_of_the_same_rules_version(
    engine: Engine, make_report: MakeReport
) -> None:
    run = start_run(engine, ["x"])
    load_reports(engine, [make_report(quantities=3)], run)
    [outcome] = load_reports(engine, [make_report(quantities=2)], run, reextract=True)

    assert outcome.status == "ok"
    assert row_counts(engine)["quantities"] == 2


def test_batch_failing_mid_load_rolls_back_whole(
    engine: Engine, make_report: MakeReport, monkeypatch: pytest.MonkeyPatch
) -> None:
    good, doomed = make_report("good.txt"), make_report("doomed.txt", content="Có 3 chi bộ.")
    real_insert_rows = insert_rows

    def fail_on_quantities(conn, table, *args):  # type: ignore[no-untyped-def]
        if table is t.quantities:  # after the documents and the facts of other kinds
            raise RuntimeError("disk full")
        return real_insert_rows(conn, table, *args)

    monkeypatch.setattr(store, "insert_rows", fail_on_quantities)
    run = start_run(engine, ["x"])
    with pytest.raises(RuntimeError, match="disk full"):
        load_reports(engine, [good, doomed], run)

    counts = row_counts(engine)
    assert counts["documents"] == 0 and counts["quantities"] == 0
    assert counts["file_outcomes"] == 0


def test_fact_the_database_cannot_hold_fails_only_its_file(
    engine: Engine, make_report: MakeReport
) -> None:
    good = make_report("good.txt")
    bad = make_report("bad.txt", content="Ngày 31/02/2023.")
    bad = bad.model_copy(
        update={"dates": (bad.dates[0].model_copy(update={"value": "2023-02-31"}),)}
    )
    outcomes = load_reports(engine, [good, bad], start_run(engine, ["x"]))

    assert [o.status for o in outcomes] == ["ok", "error"]
    assert outcomes[1].message and outcomes[1].message.startswith("/archive/bad.txt: E000")
    assert row_counts(engine)["documents"] == 1


def test_errors_are_recorded_with_code_and_file(engine: Engine) -> None:
    run = start_run(engine, ["in"])
    err = CorruptFileError("the file is not a valid .docx", path="in/junk.docx", stage="read")
    record_error(engine, run, "in/junk.docx", err)
    record_error(engine, run, "in/odd.docx", KeyError("word/document.xml"))
    counts = finish_run(engine, run)

    frame = facts_frame(engine, "outcomes")
    assert frame["error_code"].tolist() == ["E003", "E000"]
    assert frame["message"].tolist() == [
        "in/junk.docx: E003 the file is not a valid .docx",
        "in/odd.docx: E000 unexpected KeyError: 'word/document.xml'",
    ]
    assert counts == {"files_ok": 0, "files_skipped": 0, "files_failed": 2, "files_seen": 2}
    runs = facts_frame(engine, "runs")
    assert runs.loc[0, "status"] == "completed" and runs.loc[0, "files_failed"] == 2


def test_stored_versions_tells_which_documents_are_current(
    engine: Engine, make_report: MakeReport
) -> None:
    report = make_report()
    load_reports(engine, [report], start_run(engine, ["x"]))
    assert stored_versions(engine, [report.sha256, "0" * 64]) == {
        report.sha256: report.rules_version
    }


@pytest.mark.parametrize("kind", KINDS)
def test_every_kind_reads_back_as_a_dataframe(
    engine: Engine, make_report: MakeReport, kind: str
) -> None:
    run = start_run(engine, ["x"])
    load_reports(engine, [make_report()], run)
    finish_run(engine, run)

    frame = facts_frame(engine, kind)
    assert isinstance(frame, pd.DataFrame) and len(frame) >= 1


def test_facts_keep_provenance_and_normalised_keys(engine: Engine, make_report: MakeReport) -> None:
    report = make_report()
    ref = report.references[0].model_copy(update={"identifier": "01- KL/TW"})
    load_reports(
        engine, [report.model_copy(update={"references": (ref,)})], start_run(engine, ["x"])
    )

    refs = facts_frame(engine, "references")
    assert refs.loc[0, "identifier_key"] == "1-KL/TW"
    assert refs.loc[0, "file_name"] == "bao-cao.txt"
    assert str(refs.loc[0, "date"]) == "2022-12-22"
    quantities = facts_frame(engine, "quantities")
    assert quantities["section"].tolist() == ["I", "I"]
    awards = facts_frame(engine, "awards")
    assert awards.loc[0, "count"] == 3 and awards.loc[0, "recipient_kind"] == "tập thể"
    dates = facts_frame(engine, "dates")
    assert dates.loc[0, "sentence"] == "Kế hoạch số 168-KH/ĐUK, ngày 22/12/2022."
    assert dates.loc[0, "sentence_index"] == 1 and dates.loc[0, "rule"] == "date.dmy"


def test_document_filter_takes_a_hash_prefix_or_a_file_name(
    engine: Engine, make_report: MakeReport
) -> None:
    a, b = make_report("a.txt"), make_report("b.txt", content="Có 12 chi bộ.")
    load_reports(engine, [a, b], start_run(engine, ["x"]))

    assert facts_frame(engine, "quantities", a.sha256[:8])["document_id"].unique().tolist() == [
        a.sha256
    ]
    assert facts_frame(engine, "documents", "b.txt")["id"].tolist() == [b.sha256]
    assert facts_frame(engine, "dates", "nothing-like-this").empty


def test_sqlite_store_runs_in_wal_mode_with_foreign_keys(tmp_path: Path) -> None:
    engine = engine_for(str(tmp_path / "plain-path.db"))
    with engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    engine.dispose()


def test_default_database_is_baocao_db_in_the_working_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("BAOCAO_DB", raising=False)
    monkeypatch.chdir(tmp_path)
    engine = engine_for(None)
    assert engine.url.database == str(tmp_path / "baocao.db")
    engine.dispose()
    monkeypatch.setenv("BAOCAO_DB", "sqlite:///" + str(tmp_path / "env.db"))
    assert engine_for(None).url.database == str(tmp_path / "env.db")


def test_schema_compiles_for_postgresql() -> None:
    dialect = postgresql.dialect()
    for table in t.metadata.sorted_tables:
        assert "CREATE TABLE" in str(CreateTable(table).compile(dialect=dialect))
        for index in table.indexes:
            assert str(CreateIndex(index).compile(dialect=dialect)).startswith("CREATE INDEX")


def test_identifier_key_ignores_spaces_case_and_leading_zeros() -> None:
    assert identifier_key("01- KL/TW") == "1-KL/TW"
    assert identifier_key("95/kh-ubnd") == "95/KH-UBND"
    assert identifier_key("30/2020/NÐ-CP") == "30/2020/NĐ-CP"  # Icelandic eth for Đ


def test_identifier_key_folds_every_dash_space_and_tone_placement() -> None:
    # one key for the store, the export and the checks: the forms a typist or a converter makes
    assert identifier_key("12 \u2013 KH/ĐUK") == identifier_key("12-KH/ĐUK") == "12-KH/ĐUK"
    assert identifier_key("7\u2011CV/HU") == "7-CV/HU"
    assert identifier_key("05/HD\tUBND") == "5/HDUBND"
    assert identifier_key("3/QĐ-UBND xã Hoà Bình") == identifier_key("3/QĐ-UBND xã Hòa Bình")


def test_deleting_a_document_cascades_to_its_facts(engine: Engine, make_report: MakeReport) -> None:
    report = make_report()
    load_reports(engine, [report], start_run(engine, ["x"]))
    with engine.begin() as conn:
        conn.execute(t.documents.delete().where(t.documents.c.id == report.sha256))
    assert all(n == 0 for name, n in _fact_counts(engine).items())


def test_readers_see_committed_data_while_a_writer_holds_the_lock(
    fresh_db: str, make_report: MakeReport
) -> None:
    writer = engine_for(fresh_db)
    create_schema(writer)
    load_reports(writer, [make_report()], start_run(writer, ["x"]))
    reader = engine_for(fresh_db)
    with write_transaction(writer) as conn:
        conn.execute(t.documents.update().values(title="changing"))
        with reader.connect() as other:
            titles = other.execute(select(t.documents.c.title)).scalars().all()
    assert titles == ["Sơ kết"]
    writer.dispose()
    reader.dispose()


@pytest.mark.parametrize("prepared", [False, True], ids=["report", "prepared"])
def test_nul_in_the_text_is_stored_as_a_replacement_character_in_every_row(
    engine: Engine, make_report: MakeReport, prepared: bool
) -> None:
    # PostgreSQL refuses NUL in text; table cells used to keep it, and the whole file failed
    report = make_report(content=make_report().text.replace("Giấy khen", "Giấy\x00khen"))
    item = prepare(report) if prepared else report
    [outcome] = load_reports(engine, [item], start_run(engine, ["x"]))

    assert outcome.status == "ok"
    cells = facts_frame(engine, "table_cells")["text"].tolist()
    assert any("Giấy\ufffdkhen" in cell for cell in cells)
    assert "Giấy\ufffdkhen" in facts_frame(engine, "awards").loc[0, "text"]


def test_rows_give_every_column_of_every_fact_table_a_value() -> None:
    # table cells have no section or sentence: those stay NULL
    no_sentence = {"section", "sentence", "sentence_index", "block"}
    for kind, table in t.FACT_TABLES.items():
        expected = set(table.c.keys()) - {"id"} - (no_sentence if kind == "table_cells" else set())
        assert set(COLUMNS[kind]) == expected, kind
        assert len(COLUMNS[kind]) == len(expected), kind
