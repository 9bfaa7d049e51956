"""An archive as archivists have them: the corpus in every format beside every kind of bad file.
Each file gets exactly one outcome, every readable file its facts, and no bad file stops the rest
or prints a traceback."""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from pypdf import PdfWriter
from readers_fixtures import (
    BILLION_LAUGHS,
    declared_size_bomb,
    ole_file,
    rewrite_zip,
    template_bytes,
)
from sqlalchemy import func, select

from flows.ingest.discover import discover_files
from flows.ingest.run import run_import
from flows.store.engine import engine_for
from schemas.tables import documents, file_outcomes, quantities

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"


def _encrypted_pdf() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    writer.encrypt(user_password="mật khẩu", owner_password="chủ")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


BAD_FILES: dict[str, tuple[bytes, str]] = {
    "zero.docx": (b"", "E001"),
    "junk.docx": (b"\x89binary junk, not a zip\x00" * 40, "E003"),
    "truncated.docx": (template_bytes()[:2000], "E003"),
    "encrypted.docx": (ole_file(), "E004"),
    "encrypted.pdf": (_encrypted_pdf(), "E004"),
    "zip-bomb.docx": (declared_size_bomb(3_000_000_000), "E007"),
    "entity-bomb.docx": (
        rewrite_zip(template_bytes(), {"word/document.xml": BILLION_LAUGHS}),
        "E007",
    ),
    "no-document-xml.docx": (
        rewrite_zip(template_bytes(), {}, drop=("word/document.xml",)),
        "E003",
    ),
    "unknown-encoding.txt": (bytes(range(128, 256)) * 20, "E005"),
    "spreadsheet.xlsx": (b"PK\x03\x04" + b"\0" * 100, "E002"),
}


@pytest.fixture
def archive(tmp_path: Path) -> Path:
    if not CORPUS.is_dir():
        pytest.fail(f"the shared corpus is missing: {CORPUS}")
    folder = tmp_path / "archive"
    (folder / "2022" / "nested").mkdir(parents=True)
    for source in sorted(CORPUS.iterdir()):
        shutil.copy(source, folder / "2022" / source.name)
    for name, (data, _) in BAD_FILES.items():
        (folder / "2022" / "nested" / name).write_bytes(data)
    (folder / "2022" / "nested" / "loop").symlink_to(folder, target_is_directory=True)
    return folder


@pytest.mark.slow
def test_archive_with_bad_files_gets_one_outcome_per_file(archive: Path, tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'archive.db'}"
    summary = run_import([str(archive)], url, batch_size=4)
    engine = engine_for(url)
    with engine.connect() as conn:
        outcomes = conn.execute(
            select(
                file_outcomes.c.path,
                file_outcomes.c.status,
                file_outcomes.c.error_code,
                file_outcomes.c.message,
            )
        ).all()
        loaded = conn.execute(select(documents.c.file_name)).scalars().all()
        per_document = dict(
            conn.execute(
                select(documents.c.file_name, func.count(quantities.c.id))
                .join(quantities, quantities.c.document_id == documents.c.id, isouter=True)
                .group_by(documents.c.file_name)
            ).all()
        )
    engine.dispose()
    by_name = {Path(path).name: (status, code, message) for path, status, code, message in outcomes}
    readable = sorted(p.name for p in CORPUS.iterdir())
    assert len(outcomes) == len(readable) + len(BAD_FILES), outcomes
    assert sorted(loaded) == readable
    for name in readable:
        assert by_name[name][0] == "ok", by_name[name]
        assert per_document[name] > 0, f"{name} has no facts"
    for name, (_, code) in BAD_FILES.items():
        status, got, message = by_name[name]
        assert (status, got) == ("error", code), (name, message)
        assert name in message and "\n" not in message and "Traceback" not in message
    assert summary.failed == len(BAD_FILES)


@pytest.mark.slow
def test_cli_prints_one_line_per_bad_file_and_no_traceback(archive: Path, tmp_path: Path) -> None:
    run = subprocess.run(
        [
            str(Path(sys.executable).with_name("baocao")),
            "ingest",
            str(archive),
            "--no-prefect",
            "--db",
            f"sqlite:///{tmp_path / 'cli.db'}",
        ],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert run.returncode == 1
    assert "Traceback" not in run.stderr
    failed = [line for line in run.stderr.splitlines() if line.startswith("failed: ")]
    assert sorted(Path(line.split(": ")[1]).name for line in failed) == sorted(BAD_FILES)


def test_discovery_of_ten_thousand_nested_entries_with_link_loops(tmp_path: Path) -> None:
    root = tmp_path / "deep"
    folder = root
    made = 0
    for depth in range(100):
        folder = folder / f"d{depth:03d}"
        folder.mkdir(parents=True)
        for i in range(99):
            (folder / f"r{i:02d}.txt").touch()
        made += 100
        if depth % 10 == 0:
            (folder / "up").symlink_to(root, target_is_directory=True)
    assert made == 10_000
    found = discover_files([str(root)])
    assert len(found.files) == 9_900
    assert len(set(found.files)) == len(found.files)


def test_a_file_that_vanishes_before_it_is_read_is_an_outcome(tmp_path: Path) -> None:
    gone = tmp_path / "gone.docx"
    kept = tmp_path / "kept.txt"
    kept.write_text("BÁO CÁO\nkết quả năm 2023\nĐã kết nạp 12 đảng viên mới.\n", encoding="utf-8")
    gone.write_bytes(template_bytes())
    found = discover_files([str(tmp_path)])
    os.remove(gone)
    url = f"sqlite:///{tmp_path / 'v.db'}"
    summary = run_import(found.files, url)
    assert (summary.ok, summary.failed) == (1, 1)
    engine = engine_for(url)
    with engine.connect() as conn:
        codes = dict(conn.execute(select(file_outcomes.c.path, file_outcomes.c.error_code)).all())
    engine.dispose()
    assert codes[str(gone)] == "E006"
