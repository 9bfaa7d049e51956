"""Archive scale: two imports at once into one PostgreSQL database (two processes, overlapping
archives, opposite orders), and watching a folder, which imports files as they arrive."""

from __future__ import annotations

import os
import subprocess
import threading
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from archive_helpers import (
    MAIN,
    baocao_command,
    contents,
    make_archive,
    ok_outcomes_by_file,
    run_baocao,
)
from click.testing import CliRunner
from sqlalchemy import create_engine, text

from flows import store
from flows.cli import main
from flows.launch import Launch
from flows.serve import Watcher, watch


@pytest.fixture
def pg_schema() -> Iterator[str]:
    """A fresh schema on the test PostgreSQL server. In CI the server is part of the set-up: a
    missing URL fails the test there instead of skipping it."""
    url = os.environ.get("BAOCAO_TEST_PG_URL")
    if not url:
        if os.environ.get("CI") == "true":
            pytest.fail("BAOCAO_TEST_PG_URL is not set: CI must run the PostgreSQL tests")
        pytest.skip("BAOCAO_TEST_PG_URL is not set")
    schema = f"scale_{uuid.uuid4().hex[:10]}"
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


def test_two_imports_at_once_into_postgresql_load_each_file_once(
    pg_schema: str, tmp_path: Path
) -> None:
    archive = tmp_path / "archive"
    reports = make_archive(archive, 40)
    # Both start on an empty database (both create the schema), and both load the same files:
    # one the whole archive, the other its two folders in the opposite order, one file a batch.
    common = ["--db", pg_schema, "--no-prefect", "--workers", "0"]
    first = baocao_command("ingest", str(archive), *common, "--batch-size", "3")
    second = baocao_command(
        "ingest", str(archive / "unit-1"), str(archive / "unit-0"), *common, "--batch-size", "1"
    )
    children = [
        subprocess.Popen(c, cwd=MAIN, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for c in (first, second)
    ]
    results = [child.communicate(timeout=240) for child in children]

    for child, (out, err) in zip(children, results, strict=True):
        assert child.returncode == 1, err  # the two bad files, nothing else
        assert "2 failed" in out and "deadlock" not in err.lower()
    assert sorted(ok_outcomes_by_file(pg_schema).values()) == [1] * len(reports)
    engine = store.engine_for(pg_schema)
    try:
        with engine.connect() as conn:
            runs = conn.execute(text("SELECT started_at, finished_at FROM import_runs")).all()
    finally:
        engine.dispose()
    assert max(r.started_at for r in runs) < min(r.finished_at for r in runs)  # at once
    clean = f"sqlite:///{tmp_path / 'clean.db'}"
    run_baocao("ingest", str(archive), "--db", clean, "--no-prefect", "--workers", "0")
    assert contents(pg_schema) == contents(clean)


def test_watcher_imports_a_file_once_it_has_stopped_changing() -> None:
    watcher = Watcher()
    assert watcher.ready({"a.docx": (10, 1)}) == []  # new: wait one interval
    assert watcher.ready({"a.docx": (20, 2)}) == []  # still being written
    assert watcher.ready({"a.docx": (20, 2)}) == ["a.docx"]
    watcher.done(["a.docx"], {"a.docx": (20, 2)})
    assert watcher.ready({"a.docx": (20, 2)}) == []
    assert watcher.ready({"a.docx": (30, 3)}) == []  # changed again
    assert watcher.ready({"a.docx": (30, 3)}) == ["a.docx"]


def test_a_file_dropped_into_a_watched_folder_is_imported(tmp_path: Path) -> None:
    inbox = tmp_path / "inbox"
    make_archive(inbox, 2, bad=False)
    url = f"sqlite:///{tmp_path / 'watch.db'}"
    imports: list[int] = []
    dropped = threading.Event()

    def drop_a_report() -> None:
        while not imports:  # the files already there are imported first
            time.sleep(0.05)
        make_archive(inbox / "later", 1, bad=False, start=7)
        dropped.set()

    def stop() -> bool:
        return (dropped.is_set() and len(imports) >= 2) or time.monotonic() > deadline

    deadline = time.monotonic() + 60
    threading.Thread(target=drop_a_report, daemon=True).start()
    watch(
        inbox,
        url,
        interval=0.2,
        launch=Launch(prefect=False, workers=0),
        stop=stop,
        on_import=lambda summary: imports.append(summary.ok),
    )

    assert imports == [2, 1]
    engine = store.engine_for(url)
    try:
        with engine.connect() as conn:
            names = conn.execute(text("SELECT file_name FROM documents")).scalars().all()
    finally:
        engine.dispose()
    assert sorted(names) == ["bc-0000.txt", "bc-0001.txt", "bc-0007.txt"]


def test_serve_once_imports_what_is_there(tmp_path: Path) -> None:
    inbox = tmp_path / "inbox"
    make_archive(inbox, 2)
    url = f"sqlite:///{tmp_path / 'once.db'}"
    args = ["serve", "--watch", str(inbox), "--db", url, "--no-prefect", "--workers", "0"]
    result = CliRunner().invoke(main, [*args, "--once"])
    assert result.exit_code == 0, result.output
    assert "imported 4 files: 2 loaded, 0 skipped, 2 failed" in result.stderr
