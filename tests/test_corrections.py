"""Corrections: recorded with who and when, applied over the stored facts, anchored again after a
re-extraction (the same text near the same offset), and reported as orphaned when their text is
gone. The store tests run on SQLite, and on PostgreSQL when BAOCAO_TEST_PG_URL is set."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import pandas as pd
import pytest
from sqlalchemy import Engine

from extractors.corrections import REVIEW_COLUMNS, anchor_span, apply_corrections
from flows.api import Archive
from flows.store.corrections import CorrectionError, record_correction
from flows.store.engine import create_schema
from flows.store.load import load_reports
from flows.store.read import corrected_facts, correction_log, facts_frame
from flows.store.runs import start_run
from schemas.models import Report

MakeReport = Callable[..., Report]


@pytest.fixture
def engine(engine: Engine) -> Engine:
    """The conftest engine, with the corrections table created too."""
    create_schema(engine)
    return engine


def load(engine: Engine, report: Report, **kwargs: Any) -> None:
    load_reports(engine, [report], start_run(engine, ["x"]), **kwargs)


def fact_id(engine: Engine, kind: str, text: str) -> int:
    frame = corrected_facts(engine, kind, with_ids=True)
    return int(frame.loc[frame["text"] == text, "id"].iloc[0])


def shifted(report: Report, prefix: str, rules_version: str = "2027.1.0") -> Report:
    """The report re-extracted by newer rules from a text that gained `prefix` in front: every
    offset moves, the document keeps its hash."""
    n = len(prefix)

    def move(facts: tuple[Any, ...]) -> tuple[Any, ...]:
        return tuple(f.model_copy(update={"start": f.start + n, "end": f.end + n}) for f in facts)

    fields = ("references", "dates", "periods", "quantities", "awards", "findings")
    return report.model_copy(
        update={
            "text": prefix + report.text,
            "sections": (),
            "sentences": (),
            "rules_version": rules_version,
            **{f: move(getattr(report, f)) for f in fields},
        }
    )


# ---------------------------------------------------------------------------------------------
# Anchoring (pure)
# ---------------------------------------------------------------------------------------------

TEXT = "Kết nạp 65 đảng viên mới. Có 12 chi bộ. Kết nạp 65 đảng viên mới trong năm."


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (TEXT, (8, 24)),  # unchanged
        ("Năm 2023: " + TEXT, (18, 34)),  # moved by a prefix
        (TEXT.replace("Có 12 chi bộ. ", ""), (8, 24)),  # text after it changed
    ],
)
def test_anchor_finds_the_same_text_near_the_same_offset(
    text: str, expected: tuple[int, int]
) -> None:
    assert anchor_span(text, "65 đảng viên mới", 8, 24, "Kết nạp ", ". Có 12 chi ") == expected


def test_anchor_prefers_the_occurrence_whose_context_agrees() -> None:
    # The second "65 đảng viên mới" was corrected; a prefix moved both occurrences.
    second = TEXT.rindex("65 đảng viên mới")
    before, after = TEXT[second - 20 : second], TEXT[second + 16 : second + 36]
    moved = "Tóm tắt. " + TEXT
    found = anchor_span(moved, "65 đảng viên mới", second, second + 16, before, after)
    assert found == (second + 9, second + 25)


def test_anchor_is_none_when_the_text_is_gone_or_far_without_context() -> None:
    assert anchor_span("Có 12 chi bộ.", "65 đảng viên", 8, 20, "Kết nạp ", " mới") is None
    far = "x" * 5000 + "65 đảng viên"
    assert anchor_span(far, "65 đảng viên", 8, 20, "Kết nạp ", " mới") is None


def test_apply_rejects_edits_and_adds() -> None:
    now = datetime(2026, 1, 1, tzinfo=UTC)
    facts = [
        {
            "id": 1,
            "document_id": "d",
            "text": "65 đảng viên",
            "start": 8,
            "end": 20,
            "value": 65.0,
            "unit": "đảng viên",
            "of_total": None,
        },
        {
            "id": 2,
            "document_id": "d",
            "text": "12 chi bộ",
            "start": 29,
            "end": 38,
            "value": 12.0,
            "unit": "chi bộ",
            "of_total": None,
        },
    ]
    base = {
        "document_id": "d",
        "created_at": now,
        "author": "Lan",
        "context_before": "",
        "context_after": "",
    }
    corrections = [
        {
            **base,
            "id": 1,
            "action": "reject",
            "start": 8,
            "end": 20,
            "original_text": "65 đảng viên",
            "original_value": '{"value": 65.0, "unit": "đảng viên"}',
            "value": None,
        },
        {
            **base,
            "id": 2,
            "action": "edit",
            "start": 29,
            "end": 38,
            "original_text": "12 chi bộ",
            "original_value": '{"value": 12.0, "unit": "chi bộ"}',
            "value": '{"value": 13}',
        },
        {
            **base,
            "id": 3,
            "action": "add",
            "start": 0,
            "end": 7,
            "original_text": "Kết nạp",
            "original_value": None,
            "value": '{"value": 1, "unit": "lần"}',
        },
    ]
    rows, reviews = apply_corrections("quantities", TEXT, facts, corrections)
    by_id = {r["id"]: r for r in rows}
    assert by_id[1]["review_status"] == "rejected"
    assert by_id[2]["value"] == 13 and by_id[2]["review_status"] == "edited"
    assert by_id[None]["unit"] == "lần" and by_id[None]["rule"] == "correction"
    assert [r.status for r in reviews] == ["applied", "applied", "applied"]


# ---------------------------------------------------------------------------------------------
# Through the store
# ---------------------------------------------------------------------------------------------


def test_corrected_facts_apply_every_action_and_say_who(
    engine: Engine, make_report: MakeReport
) -> None:
    report = make_report(quantities=1)
    load(engine, report)
    doc = report.sha256
    date_id = fact_id(engine, "dates", "22/12/2022")
    award_id = fact_id(engine, "awards", report.awards[0].text)
    qty_id = fact_id(engine, "quantities", "65 đảng viên mới")
    record_correction(
        engine, document_id=doc, kind="dates", action="reject", author="Lan", fact_id=date_id
    )
    record_correction(
        engine,
        document_id=doc,
        kind="quantities",
        action="edit",
        author=" Nguyễn  Văn An ",
        fact_id=qty_id,
        values={"value": "66"},
    )
    record_correction(
        engine, document_id=doc, kind="awards", action="confirm", author="Lan", fact_id=award_id
    )
    start = report.text.index("BÁO CÁO")
    record_correction(
        engine,
        document_id=doc,
        kind="quantities",
        action="add",
        author="Lan",
        start=start,
        end=start + 7,
        values={"value": 1, "unit": "báo cáo"},
    )

    dates = corrected_facts(engine, "dates")
    quantities = corrected_facts(engine, "quantities", doc[:12])
    awards = corrected_facts(engine, "awards")
    assert dates.empty
    assert len(corrected_facts(engine, "dates", include_rejected=True)) == 1
    assert list(quantities.columns) == [*facts_frame(engine, "quantities").columns, *REVIEW_COLUMNS]
    edited = quantities[quantities["review_status"] == "edited"].iloc[0]
    assert edited["value"] == 66 and edited["reviewed_by"] == "Nguyễn Văn An"
    added = quantities[quantities["review_status"] == "added"].iloc[0]
    assert (added["text"], added["unit"], added["rule"]) == ("BÁO CÁO", "báo cáo", "correction")
    assert awards["review_status"].tolist() == ["confirmed"]
    assert str(quantities["value"].dtype) == "Float64"
    log = correction_log(engine, doc)
    assert log["status"].tolist() == ["applied"] * 4
    assert log["author"].tolist() == ["Lan", "Nguyễn Văn An", "Lan", "Lan"]
    assert log["created_at"].notna().all()


def test_corrections_survive_reextraction_and_orphans_are_reported(
    engine: Engine, make_report: MakeReport
) -> None:
    report = make_report(quantities=1)
    load(engine, report)
    doc = report.sha256
    record_correction(
        engine,
        document_id=doc,
        kind="quantities",
        action="edit",
        author="Lan",
        fact_id=fact_id(engine, "quantities", "65 đảng viên mới"),
        values={"value": 64},
    )
    record_correction(
        engine,
        document_id=doc,
        kind="references",
        action="reject",
        author="Lan",
        fact_id=fact_id(engine, "references", report.references[0].text),
    )
    record_correction(
        engine,
        document_id=doc,
        kind="periods",
        action="confirm",
        author="Lan",
        fact_id=fact_id(engine, "periods", "6 tháng đầu năm 2023"),
    )

    # New rules, and a text that moved every offset and lost the period's words.
    newer = shifted(report, "ĐẢNG BỘ TỈNH YÊN BÁI\n")
    newer = newer.model_copy(
        update={"text": newer.text.replace("6 tháng đầu năm 2023", "x" * 20), "periods": ()}
    )
    load(engine, newer)

    quantities = corrected_facts(engine, "quantities")
    assert quantities["start"].tolist() == [report.quantities[0].start + 21]
    assert quantities["value"].tolist() == [64] and quantities["review_status"].tolist() == [
        "edited"
    ]
    assert corrected_facts(engine, "references").empty
    log = correction_log(engine)
    assert log.set_index("kind")["status"].to_dict() == {
        "quantities": "applied",
        "references": "applied",
        "periods": "orphaned",
    }
    assert log.loc[log["kind"] == "periods", "anchored_start"].isna().all()


def test_a_rejection_does_not_hold_when_the_rules_read_another_value(
    engine: Engine, make_report: MakeReport
) -> None:
    report = make_report(quantities=1)
    load(engine, report)
    record_correction(
        engine,
        document_id=report.sha256,
        kind="quantities",
        action="reject",
        author="Lan",
        fact_id=fact_id(engine, "quantities", "65 đảng viên mới"),
    )
    fixed = report.quantities[0].model_copy(update={"value": 165.0})
    load(engine, report.model_copy(update={"quantities": (fixed,), "rules_version": "2027.1.0"}))

    assert corrected_facts(engine, "quantities")["value"].tolist() == [165]
    assert correction_log(engine)["status"].tolist() == ["changed"]


def test_an_edit_keeps_what_the_new_rules_read_in_the_fields_it_left_alone(
    engine: Engine, make_report: MakeReport
) -> None:
    report = make_report(quantities=1)
    load(engine, report)
    qty = fact_id(engine, "quantities", "65 đảng viên mới")
    record_correction(
        engine,
        document_id=report.sha256,
        kind="quantities",
        action="edit",
        author="Lan",
        fact_id=qty,
        values={"value": "64", "unit": "đảng viên mới"},
    )
    better = report.quantities[0].model_copy(update={"unit": "đảng viên", "verb": "kết nạp"})
    load(engine, report.model_copy(update={"quantities": (better,), "rules_version": "2027.1"}))

    row = corrected_facts(engine, "quantities").iloc[0]
    assert (row["value"], row["unit"], row["verb"]) == (64, "đảng viên", "kết nạp")


def test_a_later_correction_supersedes_an_earlier_one(
    engine: Engine, make_report: MakeReport
) -> None:
    report = make_report(quantities=1)
    load(engine, report)
    qty = fact_id(engine, "quantities", "65 đảng viên mới")
    for value in ("60", "61"):
        record_correction(
            engine,
            document_id=report.sha256,
            kind="quantities",
            action="edit",
            author="Lan",
            fact_id=qty,
            values={"value": value},
        )
    assert corrected_facts(engine, "quantities")["value"].tolist() == [61]
    assert correction_log(engine)["status"].tolist() == ["superseded", "applied"]


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"fact_id": 999_999}, "no quantities fact"),
        ({"author": "  "}, "give your name"),
        ({"action": "drop"}, "unknown action"),
        ({"kind": "sections"}, "cannot be corrected"),
        ({"values": {"value": "sáu"}}, "not a valid value"),
        ({"values": {"value": "inf"}}, "not a valid value"),
        ({"values": {"colour": "red"}}, "no editable field"),
        ({"values": {"unit": ""}}, "need a value for: unit"),
        ({"values": {"value": "65", "unit": "đảng viên mới"}}, "nothing was changed"),
        ({"document_id": "0" * 64}, "no document"),
    ],
)
def test_bad_corrections_are_refused_with_a_reason(
    engine: Engine, make_report: MakeReport, changes: dict[str, Any], message: str
) -> None:
    report = make_report(quantities=1)
    load(engine, report)
    args: dict[str, Any] = {
        "document_id": report.sha256,
        "kind": "quantities",
        "action": "edit",
        "author": "Lan",
        "fact_id": fact_id(engine, "quantities", "65 đảng viên mới"),
        "values": {"value": 1},
    }
    with pytest.raises(CorrectionError, match=message):
        record_correction(engine, **{**args, **changes})
    assert correction_log(engine).empty


def test_an_added_fact_needs_a_span_inside_the_text(
    engine: Engine, make_report: MakeReport
) -> None:
    report = make_report()
    load(engine, report)
    with pytest.raises(CorrectionError, match="span inside"):
        record_correction(
            engine,
            document_id=report.sha256,
            kind="dates",
            action="add",
            author="Lan",
            start=5,
            end=10_000,
            values={"value": "2023-01-01"},
        )


def test_kinds_without_corrections_come_as_facts_frame_gives_them(
    engine: Engine, make_report: MakeReport
) -> None:
    load(engine, make_report())
    for kind in ("documents", "sections", "outcomes"):
        pd.testing.assert_frame_equal(corrected_facts(engine, kind), facts_frame(engine, kind))
    plain = corrected_facts(engine, "quantities")
    assert plain.drop(columns=list(REVIEW_COLUMNS)).equals(facts_frame(engine, "quantities"))
    assert plain["review_status"].isna().all()


def test_every_front_end_reads_the_corrected_facts(engine: Engine, make_report: MakeReport) -> None:
    # the pandas API answers as `baocao facts` and the web app do: one reader for all of them
    report = make_report()
    load(engine, report)
    rejected = fact_id(engine, "dates", "22/12/2022")
    record_correction(
        engine,
        document_id=report.sha256,
        kind="dates",
        action="reject",
        author="Lê Thị Hạnh",
        fact_id=rejected,
    )
    url = engine.url.render_as_string(hide_password=False)
    with Archive(url) as archive:
        shown = archive.facts("dates")
    assert "22/12/2022" in facts_frame(engine, "dates")["text"].tolist()
    assert "22/12/2022" not in shown["text"].tolist()
    assert shown.equals(corrected_facts(engine, "dates"))
