"""Shared fixtures: a fresh database per test (SQLite, and PostgreSQL when BAOCAO_TEST_PG_URL is
set), hand-made Reports, a folder of good and bad files, and one Prefect test harness for the whole
session, started only when a test asks for it."""

from __future__ import annotations

import hashlib
import os
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, text

from schemas import models as m

SHARED = Path(__file__).resolve().parents[2] / "shared"
CORPUS = SHARED / "corpus"
REFERENCE_REPORT = CORPUS / "yenbai-duk-tdkt-2023-h1.txt"

PG_URL = os.environ.get("BAOCAO_TEST_PG_URL")


@pytest.fixture(
    params=[
        "sqlite",
        pytest.param(
            "postgresql",
            marks=pytest.mark.skipif(not PG_URL, reason="BAOCAO_TEST_PG_URL is not set"),
        ),
    ]
)
def fresh_db(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """The URL of an empty database: an SQLite file in tmp_path, or a fresh PostgreSQL schema."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'baocao.db'}"
        return
    assert PG_URL is not None
    with temporary_schema(PG_URL, "test") as url:
        yield url


@contextmanager
def temporary_schema(url: str, prefix: str) -> Iterator[str]:
    """A fresh schema on the PostgreSQL server at ``url``, dropped afterwards: the URL to use it."""
    from sqlalchemy import create_engine

    schema = f"{prefix}_{uuid.uuid4().hex[:12]}"
    admin = create_engine(url)
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    sep = "&" if "?" in url else "?"
    try:
        yield f"{url}{sep}options=-csearch_path%3D{schema}"
    finally:
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture
def engine(fresh_db: str) -> Iterator[Engine]:
    """An engine on the fresh database, with the schema created."""
    from flows.store.engine import create_schema, engine_for

    eng = engine_for(fresh_db)
    create_schema(eng)
    yield eng
    eng.dispose()


def build_report(
    name: str = "bao-cao.txt",
    *,
    content: str | None = None,
    rules_version: str = m.RULES_VERSION,
    quantities: int = 2,
    **overrides: Any,
) -> m.Report:
    """A small but complete Report, as `extract` would return it, made by hand."""
    text = content or (
        "BÁO CÁO sơ kết 6 tháng đầu năm 2023. Thực hiện Kế hoạch số 168-KH/ĐUK, ngày "
        "22/12/2022. Kết nạp 65 đảng viên mới. Tặng Giấy khen cho 03 tập thể."
    )
    sha = hashlib.sha256(text.encode()).hexdigest()
    half = m.PeriodValue(
        label="6 tháng đầu năm 2023",
        start="2023-01-01",
        end="2023-06-30",
        key="2023-H1",
        kind="half",
    )
    ref_at = text.find("Kế hoạch")
    date_at = text.find("22/12/2022")
    qty_at = text.find("65")
    award_at = text.find("Tặng")
    values: dict[str, Any] = {
        "source": f"/archive/{name}",
        "format": "txt",
        "sha256": sha,
        "size": len(text.encode()),
        "text": text,
        "header": m.Header(
            issuer="Đảng ủy Khối",
            identifier="148-BC/ĐUK",
            doc_type="Báo cáo",
            title="Sơ kết",
            date="2023-06-20",
            period=half,
        ),
        "sections": (
            m.Section(start=0, end=len(text), path="I", label="I.", level=1, title="Kết quả"),
        ),
        "sentences": (
            m.Sentence(start=0, end=ref_at - 1, index=0, block=0),
            m.Sentence(start=ref_at, end=qty_at - 9, index=1, block=0),
        ),
        "references": (
            m.CitedDocument(
                text=text[ref_at : date_at + 10],
                start=ref_at,
                end=date_at + 10,
                rule="ref.party",
                sentence=1,
                identifier="168-KH/ĐUK",
                number="168",
                symbol="KH/ĐUK",
                style="party",
                doc_type="Kế hoạch",
                date="2022-12-22",
            ),
        ),
        "dates": (
            m.DateMention(
                text="22/12/2022",
                start=date_at,
                end=date_at + 10,
                rule="date.dmy",
                sentence=1,
                value="2022-12-22",
            ),
        ),
        "periods": (
            m.PeriodMention(
                text="6 tháng đầu năm 2023",
                start=17,
                end=37,
                rule="period.half",
                sentence=0,
                period=half,
            ),
        ),
        "quantities": tuple(
            m.Quantity(
                text="65 đảng viên mới",
                start=qty_at,
                end=qty_at + 16,
                rule="qty.count",
                value=65 + i,
                unit="đảng viên mới",
                section="I",
            )
            for i in range(quantities)
        ),
        "awards": (
            m.AwardGrant(
                text=text[award_at:],
                start=award_at,
                end=len(text),
                rule="award.grant",
                title="Giấy khen",
                recipient_kind="tập thể",
                count=3,
            ),
        ),
        "findings": (
            m.Finding(
                text="65",
                start=qty_at,
                end=qty_at + 2,
                rule="check.sum",
                code="W101",
                message="parts do not add up",
            ),
        ),
        # the table facts, anchored on the last sentence (the text has no table of its own)
        "tables": (
            m.DocTable(
                index=0,
                kind="indicator",
                header_rows=0,
                rows=(("Kết nạp", "65"),),
                start=award_at,
                end=len(text),
            ),
        ),
        "indicators": (
            m.IndicatorRow(
                text=text[award_at:],
                start=award_at,
                end=len(text),
                rule="table.indicator",
                table=0,
                row=1,
                indicator="Kết nạp đảng viên",
                unit="Đảng viên",
                plan=140,
                achieved=65,
                previous=58,
                percent=46.4,
            ),
        ),
        "criteria": (
            m.CriterionRow(
                text=text[award_at:],
                start=award_at,
                end=len(text),
                rule="table.criteria",
                table=0,
                row=1,
                code="2.6",
                criterion="Kết nạp đảng viên mới",
                unit="Đảng viên",
                target=150,
                points=(("Tốt", 10.0), ("Khá", 8.0)),
            ),
        ),
        "rules_version": rules_version,
    }
    values.update(overrides)
    return m.Report(**values)


@pytest.fixture
def make_report() -> Callable[..., m.Report]:
    """`build_report` as a fixture: `make_report("a.txt", content="...")`."""
    return build_report


@pytest.fixture
def inbox(tmp_path: Path) -> Path:
    """A folder as archivists hand it over: the reference report, a zero-byte .docx and a junk
    .docx, beside things that must be left alone (a hidden file, an Office lock file, a link
    looping back to the folder)."""
    folder = tmp_path / "inbox"
    (folder / "sub").mkdir(parents=True)
    (folder / REFERENCE_REPORT.name).write_bytes(REFERENCE_REPORT.read_bytes())
    (folder / "empty.docx").write_bytes(b"")
    (folder / "sub" / "junk.docx").write_bytes(b"this is not a zip archive at all\n")
    (folder / ".hidden.txt").write_text("Có 12 chi bộ.")
    (folder / "~$lock.docx").write_bytes(b"\x00" * 162)
    (folder / "sub" / "loop").symlink_to(folder, target_is_directory=True)
    return folder


@pytest.fixture(autouse=True)
def cli_in_english(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """The commands' messages in English, which most tests read (Vietnamese is the default:
    tests/test_cli_messages.py checks it, and both languages); import logs in the test's own
    folder (an import into PostgreSQL would log under ./logs; tests/test_logs.py checks where)."""
    monkeypatch.setenv("BAOCAO_LANG", "en")
    monkeypatch.setenv("BAOCAO_LOG_DIR", str(tmp_path / "logs"))


@pytest.fixture(scope="session")
def prefect_harness() -> Iterator[None]:
    """One temporary Prefect API for the whole session (≈ 7 s to start), only if a test needs it."""
    # Offline, the temporary server's telemetry heartbeat logs an error on every run.
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    from prefect.testing.utilities import prefect_test_harness

    with prefect_test_harness():
        yield
