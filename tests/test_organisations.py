"""Organisations as entities: the keys that make spellings of one body one (on invented names
that are in no corpus file), the joins and merges, and in the store (SQLite and PostgreSQL): one
organisation per body across spellings and formats, bodies with one short name told apart by
their parent line, every spelling kept, nothing duplicated by a re-import, people's renames and
merges kept through re-extraction, and `--issuer` finding a body by its parent line."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import docx
import pytest
from click.testing import CliRunner
from fastapi.testclient import TestClient
from sqlalchemy import Engine, func, select

from extractors.organisations import Edit, Identity, identity_of, joins, name_key, roots
from extractors.pipeline import extract
from flows.analysis.metrics import select_documents
from flows.api import Archive
from flows.cli import main as cli
from flows.store.engine import create_schema, engine_for
from flows.store.load import load_reports
from flows.store.organisation_edits import (
    OrganisationError,
    merge_organisations,
    organisation_list,
    rename_organisation,
    split_organisation,
    undo_edit,
)
from flows.store.runs import start_run
from flows.web import make_app
from schemas import models as m
from schemas import tables as t

MakeReport = Callable[..., m.Report]

# An invented province and bodies: no corpus file names them.
PARENT = "ĐẢNG BỘ TỈNH VÂN KHÊ THUỶ"
OTHER_PARENT = "ĐẢNG BỘ TỈNH LŨNG ĐÀO"
BODY = "ĐẢNG UỶ KHỐI CÁC CƠ QUAN TỈNH"


# ---------------------------------------------------------------------------------------------
# Keys (pure)
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "spelling",
    [
        "ĐẢNG ỦY KHỐI CÁC CƠ QUAN TỈNH",  # the new tone placement
        "Đảng uỷ Khối các cơ quan tỉnh",  # in case
        "ÐẢNG  UỶ KHỐI CÁC CƠ QUAN TỈNH",  # Ð (U+00D0) for Đ, two spaces
        "ĐUK các cơ quan tỉnh",  # abbreviated
        "ĐẢNG ỦY KHỐI CÁC CƠ QUAN TỈNH.",  # punctuation
        "cơ quan Đảng ủy Khối các cơ quan tỉnh",  # "the office of" before the name, in a sentence
    ],
)
def test_spellings_of_one_body_have_one_key(spelling: str) -> None:
    assert name_key(spelling) == name_key(BODY) == "đảng ủy khối các cơ quan tỉnh"


@pytest.mark.parametrize(
    ("short", "full"),
    [
        ("UBND HUYỆN ĐÀO NGUYÊN", "Ủy ban nhân dân huyện Đào Nguyên"),
        ("HĐND xã Mộc Thạch", "HỘI ĐỒNG NHÂN DÂN XÃ MỘC THẠCH"),
        ("PHÒNG GD&ĐT ĐÀO NGUYÊN", "Phòng Giáo dục và Đào tạo Đào Nguyên"),
        ("Sở GD-ĐT tỉnh Lũng Đào", "SỞ GIÁO DỤC VÀ ĐÀO TẠO TỈNH LŨNG ĐÀO"),
        ("BTV Huyện đoàn Mộc Thạch", "Ban Thường vụ Huyện đoàn Mộc Thạch"),
        ("UB MTTQ TP. Lũng Đào", "Ủy ban Mặt trận Tổ quốc thành phố Lũng Đào"),
    ],
)
def test_abbreviations_are_written_out(short: str, full: str) -> None:
    assert name_key(short) == name_key(full)


def test_different_bodies_keep_different_keys() -> None:
    assert name_key("Đảng ủy Khối doanh nghiệp tỉnh") != name_key(BODY)
    # a body whose name is "Cơ quan ..." keeps it: only a lower-case "cơ quan" before a name is
    # "the office of"
    assert name_key("Cơ quan Ủy ban Kiểm tra").startswith("cơ quan")
    assert identity_of(None, PARENT, "Vân Khê") is None


def test_a_body_is_its_name_and_parent_line_else_its_name_and_place() -> None:
    under = identity_of(BODY, PARENT, "Vân Khê Thuỷ")
    other_tones = identity_of("Đảng ủy Khối các cơ quan tỉnh", "Đảng bộ tỉnh Vân Khê Thủy", None)
    alone = identity_of(BODY, None, "Thành phố Vân Khê")
    assert under is not None and other_tones is not None and alone is not None
    assert under.key == other_tones.key != identity_of(BODY, OTHER_PARENT, None).key  # type: ignore[union-attr]
    assert alone.key == "đảng ủy khối các cơ quan tỉnh|@vân khê"


def test_a_body_without_parent_line_joins_the_one_of_its_name() -> None:
    a = Identity("khối x", "tỉnh a", "a")
    b = Identity("khối x", "tỉnh b", "b")
    in_a = Identity("khối x", "", "a")
    nowhere = Identity("khối x", "", "")
    lonely = Identity("sở y", "", "")
    lonely_placed = Identity("sở y", "", "c")
    assert joins([a, in_a, nowhere]) == {in_a.key: a.key, nowhere.key: a.key}
    # two bodies of that name: the place tells, and without a place nothing is joined
    assert joins([a, b, in_a, nowhere]) == {in_a.key: a.key}
    assert joins([lonely, lonely_placed]) == {lonely.key: lonely_placed.key}


def test_merges_and_splits_apply_in_order_and_never_make_a_circle() -> None:
    keys = ["a", "b", "c"]
    merged = roots(keys, {}, [Edit("merge", "a", "b"), Edit("merge", "b", "c")])
    assert merged == {"a": "c", "b": "c", "c": "c"}
    circle = roots(keys, {}, [Edit("merge", "a", "b"), Edit("merge", "b", "a")])
    assert circle == {"a": "b", "b": "b", "c": "c"}
    split = roots(keys, {"a": "c"}, [Edit("split", "a")])
    assert split["a"] == "a"


# ---------------------------------------------------------------------------------------------
# In the store
# ---------------------------------------------------------------------------------------------


def _report(
    make_report: MakeReport,
    name: str,
    issuer: str | None,
    parent: str | None = None,
    place: str | None = None,
    **overrides: Any,
) -> m.Report:
    content = f"{name}: Kết nạp 12 đảng viên mới trong 6 tháng đầu năm 2023."
    header = m.Header(issuer=issuer, parent_issuer=parent, place=place, doc_type="Báo cáo")
    return make_report(name, content=content, header=header, **overrides)


def _organisation_of(engine: Engine) -> dict[str, int | None]:
    d = t.documents
    with engine.connect() as conn:
        return dict(conn.execute(select(d.c.file_name, d.c.organisation_id)).all())  # type: ignore[arg-type]


def _count(engine: Engine, table: Any) -> int:
    with engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(table)).scalar_one())


def _load(engine: Engine, reports: list[m.Report], **options: Any) -> None:
    load_reports(engine, reports, start_run(engine, ["x"]), **options)


def test_spellings_and_formats_of_one_body_are_one_organisation(
    engine: Engine, tmp_path: Path
) -> None:
    new_tones = BODY.replace("UỶ", "ỦY")
    header = f"{PARENT}\n{{body}}\n*\nSố 41-BC/ĐUK"
    motto = "ĐẢNG CỘNG SẢN VIỆT NAM\nVân Khê Thuỷ, ngày 20 tháng 6 năm 2023"
    body = "BÁO CÁO\nsơ kết 6 tháng đầu năm 2023\nKết nạp 12 đảng viên mới."
    text_file = tmp_path / "bc-41.txt"
    text_file.write_text(f"{header.format(body=new_tones)}\n{motto}\n{body}\n", encoding="utf-8")
    word = docx.Document()
    cells = word.add_table(rows=1, cols=2).rows[0].cells
    cells[0].text = header.format(body=BODY).replace(PARENT, "Đảng bộ tỉnh Vân Khê Thủy")
    cells[1].text = motto
    for line in body.replace("12", "15").split("\n"):
        word.add_paragraph(line)
    word_file = tmp_path / "bc-42.docx"
    word.save(str(word_file))

    reports = [extract(str(text_file)), extract(str(word_file))]
    assert [r.header.parent_issuer for r in reports] == [PARENT, "Đảng bộ tỉnh Vân Khê Thủy"]
    _load(engine, reports)
    found = _organisation_of(engine)
    assert found["bc-41.txt"] == found["bc-42.docx"] is not None
    frame = organisation_list(engine)
    assert len(frame) == 1
    assert set(frame.iloc[0]["aliases"]) == {BODY, new_tones}


def test_one_short_name_under_two_parents_is_two_organisations(
    engine: Engine, make_report: MakeReport
) -> None:
    _load(
        engine,
        [
            _report(make_report, "a.txt", BODY, PARENT, "Vân Khê Thuỷ"),
            _report(make_report, "b.txt", BODY.replace("UỶ", "ỦY"), OTHER_PARENT, "Lũng Đào"),
            # no parent line, its place names one of them
            _report(make_report, "c.txt", "Đảng ủy Khối các cơ quan tỉnh", None, "Lũng Đào"),
        ],
    )
    found = _organisation_of(engine)
    assert found["a.txt"] != found["b.txt"]
    assert found["c.txt"] == found["b.txt"]
    assert _count(engine, t.organisations) == 3  # the body read without a parent line, joined
    assert len(organisation_list(engine)) == 2
    with engine.connect() as conn:
        parents = conn.execute(
            select(t.organisation_aliases.c.alias).where(t.organisation_aliases.c.kind == "parent")
        )
        assert set(parents.scalars()) == {PARENT, OTHER_PARENT}


def test_an_organisation_shows_the_spelling_most_of_its_documents_use(
    engine: Engine, make_report: MakeReport
) -> None:
    new_tones = BODY.replace("UỶ", "ỦY")
    _load(engine, [_report(make_report, "a.txt", BODY, PARENT)])
    _load(
        engine,
        [
            _report(make_report, "b.txt", new_tones, PARENT),
            _report(make_report, "c.txt", new_tones, PARENT),
            _report(make_report, "d.txt", "cơ quan Đảng ủy Khối các cơ quan tỉnh", PARENT),
        ],
    )
    assert list(organisation_list(engine)["name"]) == [new_tones]


def test_a_document_without_parent_line_joins_the_one_body_of_its_name(
    engine: Engine, make_report: MakeReport
) -> None:
    # loaded first, then the body with its parent line arrives: the join does not depend on order
    _load(engine, [_report(make_report, "alone.txt", "SỞ KHẢO CỔ", None, None)])
    _load(engine, [_report(make_report, "under.txt", "Sở Khảo cổ", "UBND TỈNH LŨNG ĐÀO")])
    found = _organisation_of(engine)
    assert found["alone.txt"] == found["under.txt"]
    # a second body of that name: the one without parent line or place can no longer tell
    _load(engine, [_report(make_report, "other.txt", "SỞ KHẢO CỔ", "UBND TỈNH VÂN KHÊ THUỶ")])
    found = _organisation_of(engine)
    assert len({found["alone.txt"], found["under.txt"], found["other.txt"]}) == 3


def test_reimporting_and_reextracting_duplicate_nothing(
    engine: Engine, make_report: MakeReport
) -> None:
    reports = [
        _report(make_report, "a.txt", BODY, PARENT),
        _report(make_report, "b.txt", "Đảng ủy Khối các cơ quan tỉnh", "Đảng bộ tỉnh Vân Khê Thủy"),
    ]
    _load(engine, reports)
    counts = (_count(engine, t.organisations), _count(engine, t.organisation_aliases))
    before = _organisation_of(engine)
    _load(engine, reports)
    _load(engine, reports, reextract=True)
    newer = [r.model_copy(update={"rules_version": "2099.1"}) for r in reports]
    _load(engine, newer)
    assert (_count(engine, t.organisations), _count(engine, t.organisation_aliases)) == counts
    assert counts == (1, 4)  # two spellings of the name, two of the parent line
    assert _organisation_of(engine) == before


def test_renames_and_merges_survive_reextraction(engine: Engine, make_report: MakeReport) -> None:
    reports = [
        _report(make_report, "a.txt", BODY, PARENT),
        _report(make_report, "b.txt", "VĂN PHÒNG ĐẢNG ỦY KHỐI", PARENT),
        _report(make_report, "c.txt", "SỞ KHẢO CỔ", "UBND TỈNH LŨNG ĐÀO"),
    ]
    _load(engine, reports)
    first = _organisation_of(engine)
    rename_organisation(
        engine, str(first["a.txt"]), "Đảng ủy Khối Vân Khê Thủy", author="Lan", note="tên quen"
    )
    merge_organisations(engine, "văn phòng đảng ủy khối", str(first["a.txt"]), author="Lan")

    newer = [r.model_copy(update={"rules_version": "2099.1"}) for r in reports]
    _load(engine, newer)
    _load(engine, newer, reextract=True)
    found = _organisation_of(engine)
    assert found["a.txt"] == found["b.txt"] == first["a.txt"] != found["c.txt"]
    docs = select_documents(engine)
    names = dict(zip(docs["file_name"], docs["organisation"], strict=True))
    assert names["a.txt"] == names["b.txt"] == "Đảng ủy Khối Vân Khê Thủy"
    assert names["c.txt"] == "SỞ KHẢO CỔ"
    assert set(docs.columns) >= {"organisation_id", "organisation"}

    # a merge split off again, then the split undone
    split = split_organisation(engine, str(first["b.txt"]), author="Minh")
    assert len(set(_organisation_of(engine).values())) == 3
    undo_edit(engine, split, author="Minh")
    assert _organisation_of(engine)["b.txt"] == first["a.txt"]


def test_edits_that_cannot_be_made_say_why(engine: Engine, make_report: MakeReport) -> None:
    _load(
        engine,
        [
            _report(make_report, "a.txt", BODY, PARENT),
            _report(make_report, "b.txt", BODY, OTHER_PARENT),
        ],
    )
    with pytest.raises(OrganisationError, match="names 2 organisations"):
        rename_organisation(engine, "đảng ủy khối các cơ quan", "X", author="Lan")
    with pytest.raises(OrganisationError, match="No organisation"):
        merge_organisations(engine, "Sở Không Có", "1", author="Lan")
    with pytest.raises(OrganisationError, match="already one"):
        merge_organisations(engine, "lung dao", "lũng đào", author="Lan")
    with pytest.raises(OrganisationError) as err:
        rename_organisation(engine, "lung dao", "X", author=" ")
    assert err.value.message("vi").startswith("Hãy ghi tên")


def test_issuer_finds_documents_by_parent_line_without_accents(
    engine: Engine, make_report: MakeReport
) -> None:
    _load(
        engine,
        [
            _report(make_report, "a.txt", BODY, PARENT),
            _report(make_report, "b.txt", BODY, OTHER_PARENT),
            _report(make_report, "c.txt", "UBND HUYỆN ĐÀO NGUYÊN", None, "Đào Nguyên"),
        ],
    )
    for asked in ("Vân Khê Thủy", "van khe thuy", "VÂN KHÊ THUỶ"):
        assert list(select_documents(engine, asked)["file_name"]) == ["a.txt"], asked
    assert list(select_documents(engine, "ủy ban nhân dân huyện đào")["file_name"]) == ["c.txt"]
    assert list(select_documents(engine, "lung dao")["file_name"]) == ["b.txt"]
    assert select_documents(engine, "Mộc Thạch").empty


def test_the_organisations_command_lists_renames_and_merges(
    engine: Engine, make_report: MakeReport
) -> None:
    _load(
        engine,
        [
            _report(make_report, "a.txt", BODY, PARENT),
            _report(make_report, "b.txt", "ĐUK CÁC CƠ QUAN", PARENT),
        ],
    )
    db = engine.url.render_as_string(hide_password=False)
    runner = CliRunner()
    listed = runner.invoke(cli, ["organisations", "list", "--db", db, "--format", "json"])
    assert listed.exit_code == 0, listed.output
    assert '"documents": 1' in listed.output and "ĐẢNG BỘ TỈNH VÂN KHÊ THUỶ" in listed.output
    merged = runner.invoke(
        cli, ["organisations", "merge", "đảng ủy khối các cơ quan", "đảng ủy khối các cơ quan tỉnh",
              "--db", db, "--author", "Lan", "--lang", "vi"],
    )  # fmt: skip
    assert merged.exit_code == 0, merged.output
    assert "Đã gộp" in merged.output
    refused = runner.invoke(
        cli, ["organisations", "rename", "Mộc Thạch", "X", "--db", db, "--lang", "en"]
    )
    assert refused.exit_code == 1 and "No organisation “Mộc Thạch”" in refused.output
    edits = runner.invoke(cli, ["organisations", "edits", "--db", db, "--format", "csv"])
    assert "merge" in edits.output and "Lan" in edits.output
    assert len(set(_organisation_of(engine).values())) == 1


def test_the_organisations_page_shows_them_and_records_a_merge(
    fresh_db: str, make_report: MakeReport
) -> None:
    engine = engine_for(fresh_db)
    create_schema(engine)
    _load(
        engine,
        [
            _report(make_report, "a.txt", BODY, PARENT),
            _report(make_report, "b.txt", "VĂN PHÒNG ĐẢNG ỦY KHỐI", PARENT),
        ],
    )
    found = _organisation_of(engine)
    with TestClient(make_app(fresh_db, True), base_url="http://127.0.0.1") as web:
        page = web.get("/organisations").text
        assert "Cơ quan ban hành" in page and PARENT in page and "Gộp vào" in page
        assert "Issuing organisations" in web.get("/organisations?lang=en").text
        filtered = web.get("/organisations?q=cac co quan").text
        assert f'id="o-{found["a.txt"]}"' in filtered
        assert f'id="o-{found["b.txt"]}"' not in filtered
        archive = web.get("/?lang=vi").text  # the archive's filter lists organisations
        assert f'<option value="{found["a.txt"]}"' in archive
        assert f"{BODY} ({PARENT})" in archive
        token = re.search(r'name="csrf" value="([^"]+)"', page)
        assert token is not None
        form = {
            "csrf": token.group(1),
            "author": "Lan",
            "action": "merge",
            "organisation": str(found["b.txt"]),
            "into": str(found["a.txt"]),
        }
        done = web.post("/organisations/edits", data=form, follow_redirects=False)
        assert done.status_code == 303
        refused = web.post("/organisations/edits", data={**form, "author": ""})
        assert refused.status_code == 400 and "Hãy ghi tên" in refused.text
        listed = web.get(f"/?issuer={found['a.txt']}").text
        assert "a.txt" in listed and "b.txt" in listed
        web.app.state.engine.dispose()
    assert set(_organisation_of(engine).values()) == {found["a.txt"]}
    engine.dispose()


def test_a_body_no_document_names_any_more_leaves_the_list(
    engine: Engine, make_report: MakeReport
) -> None:
    first = _report(make_report, "a.txt", "SỞ KHẢO CỔ", "UBND TỈNH LŨNG ĐÀO")
    again = first.model_copy(
        update={"header": first.header.model_copy(update={"issuer": "BẢO TÀNG KHẢO CỔ"})}
    )
    _load(engine, [first])
    _load(engine, [again], reextract=True)
    assert list(organisation_list(engine)["name"]) == ["BẢO TÀNG KHẢO CỔ"]
    assert len(organisation_list(engine, empty=True)) == 2
    with Archive(engine.url.render_as_string(hide_password=False)) as archive:
        assert list(archive.organisations("lung dao")["documents"]) == [1]
