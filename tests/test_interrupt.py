"""Stopping an import with a signal (SIGTERM from a service manager, SIGINT from Ctrl-C), with
Prefect and without: the batch being loaded when the signal comes commits whole, no other batch
is loaded, the extraction workers stop, the run is recorded as interrupted, one line says so,
the exit code is the shell's for that signal; the same import again finishes the rest once."""

from __future__ import annotations

import signal
from pathlib import Path

import psutil
import pytest
from archive_helpers import kill_tree, make_archive, ok_outcomes_by_file, run_baocao, start_baocao
from sqlalchemy import func, select

from flows.store.engine import engine_for
from schemas import tables as t

REPORTS = 20
BATCH = 3


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
@pytest.mark.parametrize("prefect", [True, False], ids=["prefect", "no-prefect"])
def test_a_signal_stops_the_import_after_the_batch_being_loaded(
    tmp_path: Path, prefect: bool, signum: signal.Signals
) -> None:
    archive = tmp_path / "archive"
    make_archive(archive, REPORTS)
    url = f"sqlite:///{tmp_path / 'stop.db'}"
    args = ["ingest", str(archive), "--db", url, "--batch-size", str(BATCH), "--workers", "1"]
    args += [] if prefect else ["--no-prefect"]
    # the 8th document loaded is the 2nd of the 3rd batch: the loading pauses there for 3 s,
    # inside the batch's transaction, and the signal comes meanwhile
    child = start_baocao(args, pause_at=8, pause_seconds=3)
    try:
        assert child.stdout is not None
        assert child.stdout.readline().strip() == "MID-BATCH"
        workers = psutil.Process(child.pid).children(recursive=True)
        assert workers  # the extraction worker at least
        child.send_signal(signum)  # to the importing process only, as `kill PID` does
        out, err = child.communicate(timeout=60)
    finally:
        if child.poll() is None:
            kill_tree(child)
    assert child.returncode == 128 + signum, err
    [line] = [line for line in err.splitlines() if line.startswith("import run ")]
    assert f"interrupted by {signum.name} after 9 of {REPORTS + 2} files" in line
    assert "Traceback" not in out
    psutil.wait_procs(workers, timeout=30)
    assert not [p for p in workers if p.is_running() and p.status() != psutil.STATUS_ZOMBIE]

    engine = engine_for(url)
    try:
        with engine.connect() as conn:
            [run] = conn.execute(select(t.import_runs)).all()
            loaded = conn.execute(select(func.count()).select_from(t.documents)).scalar_one()
        # the third batch was committed whole, and no batch after it
        assert (run.status, run.files_ok, loaded) == ("interrupted", 9, 9)
        assert run.finished_at is not None
    finally:
        engine.dispose()

    again = run_baocao(*args)
    assert again.returncode == 1, again.stderr  # the two bad files
    assert f"{REPORTS + 2} files, {REPORTS - 9} loaded, 9 skipped, 2 failed" in again.stdout
    assert sorted(ok_outcomes_by_file(url).values()) == [1] * REPORTS
