"""Archive scale: two imports at once into one PostgreSQL database (two processes, overlapping
archives, opposite orders), and watching a folder, which imports files as they arrive."""

from __future__ import annotations

import os
import signal
import subprocess
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import psutil
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
from conftest import temporary_schema
from sqlalchemy import text

from flows.cli import main
from flows.ingest.launch import Launch
from flows.ingest.run import ImportSummary
from flows.ingest.watch import Watcher, watch
from flows.store.engine import engine_for


@pytest.fixture
def pg_schema() -> Iterator[str]:
    """A fresh schema on the test PostgreSQL server. In CI the server is part of the set-up: a
    missing URL fails the test there instead of skipping it."""
    url = os.environ.get("BAOCAO_TEST_PG_URL")
    if not url:
        if os.environ.get("CI") == "true":
            pytest.fail("BAOCAO_TEST_PG_URL is not set: CI must run the PostgreSQL tests")
        pytest.skip("BAOCAO_TEST_PG_URL is not set")
    with temporary_schema(url, "scale") as schema_url:
        yield schema_url


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
    engine = engine_for(pg_schema)
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
    engine = engine_for(url)
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


def _extraction_workers(pid: int) -> set[int]:
    """The pids of the extraction processes (spawned by multiprocessing) under process `pid`."""
    found = set()
    for proc in psutil.Process(pid).children(recursive=True):
        try:
            if any("spawn_main" in part for part in proc.cmdline()):
                found.add(proc.pid)
        except psutil.NoSuchProcess:
            pass
    return found


def _gone(pids: set[int]) -> bool:
    alive = [p for p in pids if psutil.pid_exists(p)]
    return all(psutil.Process(p).status() == psutil.STATUS_ZOMBIE for p in alive)


def test_a_watcher_keeps_one_pool_of_workers_for_all_its_imports(
    prefect_harness: None, tmp_path: Path
) -> None:
    inbox = tmp_path / "inbox"
    make_archive(inbox, 1, bad=False)
    url = f"sqlite:///{tmp_path / 'watch.db'}"
    workers_seen: list[set[int]] = []

    def imported(summary: ImportSummary) -> None:
        workers_seen.append(_extraction_workers(os.getpid()))
        if len(workers_seen) == 1:
            make_archive(inbox / "later", 1, bad=False, start=5)

    deadline = time.monotonic() + 120
    watch(
        inbox,
        url,
        interval=0.2,
        launch=Launch(prefect=True, workers=1),
        stop=lambda: len(workers_seen) >= 2 or time.monotonic() > deadline,
        on_import=imported,
    )
    assert len(workers_seen) == 2
    first, second = workers_seen
    assert len(first) == 1 and second == first  # the same worker process served both imports
    psutil.wait_procs([psutil.Process(p) for p in first if psutil.pid_exists(p)], timeout=30)
    assert _gone(first)  # and was shut down when the watch ended


def test_serve_reuses_its_workers_and_stops_cleanly_on_sigterm(tmp_path: Path) -> None:
    inbox = tmp_path / "inbox"
    make_archive(inbox, 1, bad=False)
    url = f"sqlite:///{tmp_path / 'serve.db'}"
    args = ["serve", "--watch", str(inbox), "--db", url, "--no-prefect", "--workers", "1"]
    child = subprocess.Popen(
        baocao_command(*args, "--interval", "0.2"),
        cwd=MAIN,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert child.stderr is not None
        workers_seen = []
        for later in (5, 6):
            line = child.stderr.readline()
            while line and not line.startswith("imported "):
                line = child.stderr.readline()
            assert "1 loaded" in line, line
            workers_seen.append(_extraction_workers(child.pid))
            if later == 5:
                make_archive(inbox / "later", 1, bad=False, start=later)
        child.send_signal(signal.SIGTERM)
        _, err = child.communicate(timeout=60)
    finally:
        if child.poll() is None:
            child.kill()
            child.communicate()
    assert child.returncode == 0, err
    assert "stopped by SIGTERM" in err and "Traceback" not in err
    first, second = workers_seen
    assert len(first) == 1 and second == first
    assert _gone(first)
