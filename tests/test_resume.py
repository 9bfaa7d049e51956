"""Resuming an import that was killed: SIGKILL to the whole process tree of `baocao ingest` (the
importing process, its extraction workers, Prefect's server), mid-transaction or at arbitrary
moments, then the same import again, must end with every file imported exactly once: no
duplicate rows, no lost file, no half-loaded document, and a per-file record of each run."""

from __future__ import annotations

import time
from pathlib import Path

import psutil
import pytest
from archive_helpers import (
    contents,
    kill_tree,
    make_archive,
    ok_outcomes_by_file,
    run_baocao,
    start_baocao,
)
from sqlalchemy import func, select

from flows.store.engine import engine_for
from schemas import tables as t

REPORTS = 20
BATCH = 3


def _count(url: str, table: str, **where: str) -> int:
    engine = engine_for(url)
    try:
        tbl = t.metadata.tables[table]
        stmt = select(func.count()).select_from(tbl)
        for column, value in where.items():
            stmt = stmt.where(tbl.c[column] == value)
        with engine.connect() as conn:
            return int(conn.execute(stmt).scalar_one())
    finally:
        engine.dispose()


def _runs(url: str) -> list[tuple[str, str]]:
    engine = engine_for(url)
    try:
        with engine.connect() as conn:
            stmt = select(t.import_runs.c.id, t.import_runs.c.status).order_by(
                t.import_runs.c.started_at
            )
            return [tuple(r) for r in conn.execute(stmt)]  # type: ignore[misc]
    finally:
        engine.dispose()


def _check_imported_once(archive: Path, url: str, tmp_path: Path) -> None:
    """Every report stored once, as a clean import stores it, each loaded in exactly one run."""
    assert _count(url, "documents") == REPORTS
    assert sorted(ok_outcomes_by_file(url).values()) == [1] * REPORTS
    clean = f"sqlite:///{tmp_path / 'clean.db'}"
    run_baocao("ingest", str(archive), "--db", clean, "--no-prefect", "--workers", "0")
    assert contents(url) == contents(clean)


def _ingest_args(archive: Path, url: str, *extra: str) -> list[str]:
    return ["ingest", str(archive), "--db", url, "--batch-size", str(BATCH), *extra]


def test_import_killed_inside_a_transaction_resumes_and_imports_each_file_once(
    tmp_path: Path,
) -> None:
    archive = tmp_path / "archive"
    make_archive(archive, REPORTS)
    url = f"sqlite:///{tmp_path / 'resume.db'}"
    # batches of 3 files: the 8th document loaded is the 2nd of the 3rd batch
    child = start_baocao(_ingest_args(archive, url, "--no-prefect", "--workers", "1"), pause_at=8)
    try:
        assert child.stdout is not None
        assert child.stdout.readline().strip() == "MID-BATCH"
        # the batch in progress is invisible: only the two committed batches are there
        assert _count(url, "documents") == 6
    finally:
        kill_tree(child)
    assert _count(url, "documents") == 6
    [(killed, status)] = _runs(url)
    assert status == "running"  # it never finished
    assert _count(url, "file_outcomes", run_id=killed) == 6

    again = run_baocao(*_ingest_args(archive, url, "--no-prefect", "--workers", "1"))
    assert again.returncode == 1, again.stderr  # the two bad files
    assert f"{REPORTS + 2} files, {REPORTS - 6} loaded, 6 skipped, 2 failed" in again.stdout
    (_, _), (resumed, status) = _runs(url)
    assert status == "completed"
    assert _count(url, "file_outcomes", run_id=resumed) == REPORTS + 2
    _check_imported_once(archive, url, tmp_path)


@pytest.mark.slow
def test_import_with_prefect_and_workers_killed_repeatedly_then_finished(tmp_path: Path) -> None:
    archive = tmp_path / "archive"
    make_archive(archive, REPORTS)
    url = f"sqlite:///{tmp_path / 'resume.db'}"
    args = _ingest_args(archive, url, "--workers", "2")
    # Once inside a transaction (after Prefect, the pool and the first batches started), then at
    # moments that fall anywhere: while Prefect starts, while the pool warms up, mid-run.
    child = start_baocao(args, pause_at=5)
    try:
        assert child.stdout is not None
        assert child.stdout.readline().strip() == "MID-BATCH"
        workers = psutil.Process(child.pid).children(recursive=True)
        assert len(workers) >= 3  # the two extraction workers and Prefect's server, at least
    finally:
        kill_tree(child)
    assert _count(url, "documents") == 3
    assert not [p for p in workers if p.is_running() and p.status() != psutil.STATUS_ZOMBIE]
    for delay in (0.5, 6.0, 11.0):
        child = start_baocao(args)
        time.sleep(delay)
        kill_tree(child)
        # a batch commits whole, with its files' outcomes (its size in documents varies: a bad
        # file or a file already stored takes a place in it)
        assert _count(url, "documents") == _count(url, "file_outcomes", status="ok")
    finished = run_baocao(*args)
    assert finished.returncode == 1, finished.stderr
    assert "2 failed" in finished.stdout
    assert _runs(url)[-1][1] == "completed"
    _check_imported_once(archive, url, tmp_path)
