"""The process that owns an import run: a run whose process was killed (SIGKILL, a crash, a
reboot) is marked "interrupted" when the next import starts or `baocao runs` lists the runs,
never one whose process lives, nor one of another host; a reused pid is not proof of life."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import psutil
from archive_helpers import MAIN, kill_tree, make_archive, start_baocao
from sqlalchemy import Engine, select, update

from flows.store.engine import engine_for
from flows.store.runs import interrupt_abandoned_runs, is_alive, start_run, status_label, this_host
from schemas import tables as t


def _run(engine: Engine, run_id: str) -> Any:
    with engine.connect() as conn:
        return conn.execute(select(t.import_runs).where(t.import_runs.c.id == run_id)).one()


def _owned_by(engine: Engine, run_id: str, **owner: object) -> None:
    with engine.begin() as conn:
        conn.execute(update(t.import_runs).where(t.import_runs.c.id == run_id).values(**owner))


def _gone_pid() -> int:
    """The pid of a process that has exited."""
    child = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        check=True,
        capture_output=True,
        text=True,
    )
    return int(child.stdout)


def baocao_runs(url: str) -> subprocess.CompletedProcess[str]:
    """`baocao runs` in a child process, on a wide terminal (a narrow one folds the columns)."""
    return subprocess.run(
        [sys.executable, "-c", "from flows.cli import main; main()", "runs", "--db", url],
        cwd=MAIN,
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "COLUMNS": "250"},
        check=False,
    )


def test_a_run_records_the_process_that_imports_it(engine: Engine) -> None:
    run = _run(engine, start_run(engine, ["x"]))
    assert (run.host, run.pid) == (this_host(), os.getpid())
    assert abs(run.process_started - psutil.Process().create_time()) < 0.5


def test_a_run_whose_process_is_gone_is_interrupted_with_no_finish_time(engine: Engine) -> None:
    gone, alive = start_run(engine, ["a"]), start_run(engine, ["b"])
    _owned_by(engine, gone, pid=_gone_pid())
    assert interrupt_abandoned_runs(engine) == [gone]
    assert (_run(engine, gone).status, _run(engine, gone).finished_at) == ("interrupted", None)
    assert _run(engine, alive).status == "running"  # this very process
    assert interrupt_abandoned_runs(engine) == []


def test_a_reused_pid_is_not_the_process_that_started_the_run(engine: Engine) -> None:
    # the pid lives (it is ours) but this process started long after the run's did
    run = start_run(engine, ["a"])
    started = psutil.Process().create_time() - 3600
    _owned_by(engine, run, process_started=started)
    assert not is_alive(os.getpid(), started)
    assert interrupt_abandoned_runs(engine) == [run]


def test_a_run_of_another_host_is_left_alone_and_says_where_it_runs(engine: Engine) -> None:
    run = start_run(engine, ["a"])
    _owned_by(engine, run, host="archive-02", pid=_gone_pid())
    assert interrupt_abandoned_runs(engine) == []
    assert _run(engine, run).status == "running"
    assert status_label("running", "archive-02") == "running (on host archive-02)"
    assert status_label("running", this_host()) == "running"
    assert status_label("completed", "archive-02") == "completed"


def test_an_import_killed_with_sigkill_is_listed_as_interrupted(
    fresh_db: str, tmp_path: Path
) -> None:
    archive = tmp_path / "archive"
    make_archive(archive, 8, bad=False)
    args = ["ingest", str(archive), "--db", fresh_db, "--batch-size", "3"]
    child = start_baocao([*args, "--no-prefect", "--workers", "1"], pause_at=5)
    try:
        assert child.stdout is not None
        assert child.stdout.readline().strip() == "MID-BATCH"
    finally:
        kill_tree(child)
    engine = engine_for(fresh_db)
    try:
        with engine.connect() as conn:
            [killed] = conn.execute(select(t.import_runs)).all()
        assert (killed.status, killed.pid) == ("running", child.pid)  # as the kill left it

        listed = baocao_runs(fresh_db)
        assert listed.returncode == 0, listed.stderr
        [line] = [line for line in listed.stdout.splitlines() if killed.id[:12] in line]
        assert "interrupted" in line and "unknown" in line, listed.stdout
        done = _run(engine, killed.id)
        assert (done.status, done.finished_at, done.files_ok) == ("interrupted", None, 3)
    finally:
        engine.dispose()
