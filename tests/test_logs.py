"""Where an import's log lines go (flows/ingest/logs.py): a file under logs/ beside the database,
the terminal only with -v, and Prefect set up only where the user set nothing; an import through
Prefect prints no traceback, no ERROR and each failed file once."""

from __future__ import annotations

import logging
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from flows.cli import main
from flows.ingest import logs

MAIN = Path(__file__).resolve().parents[1]
BAD_FILES = ("empty.docx", "junk.docx")


def test_logs_go_beside_the_sqlite_file_or_into_the_current_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(logs.LOG_DIR_ENV, raising=False)
    monkeypatch.delenv("BAOCAO_DB", raising=False)
    monkeypatch.chdir(tmp_path)
    assert logs.log_folder(f"sqlite:///{tmp_path}/a/kho.db") == tmp_path / "a" / "logs"
    assert logs.log_folder("b/kho.db") == tmp_path / "b" / "logs"
    assert logs.log_folder(None) == tmp_path / "logs"  # ./baocao.db
    assert logs.log_folder("postgresql+psycopg://u@db.example/kho") == tmp_path / "logs"
    monkeypatch.setenv(logs.LOG_DIR_ENV, str(tmp_path / "nhat-ky"))
    assert logs.log_folder("b/kho.db") == tmp_path / "nhat-ky"
    first = logs.new_log_path("b/kho.db")
    first.write_text("")
    second = logs.new_log_path("b/kho.db")
    assert first.parent == second.parent == tmp_path / "nhat-ky" and first != second


def test_prefect_settings_fill_only_what_the_user_left_unset(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in list(os.environ):
        if name.startswith("PREFECT_"):
            monkeypatch.delenv(name)
    monkeypatch.setenv("PREFECT_HOME", str(tmp_path / "prefect-home"))
    log_file = tmp_path / "logs" / "ingest.log"

    set_now = logs.prefect_settings(log_file, verbose=True)
    assert set_now["PREFECT_SERVER_ANALYTICS_ENABLED"] == "false"
    assert set_now["PREFECT_LOGGING_CONFIG_PATH"] == str(logs.PREFECT_LOGGING_YML)
    assert set_now["PREFECT_LOGGING_HANDLERS_RUN_LOG_FILENAME"] == str(log_file)
    assert set_now["PREFECT_LOGGING_ROOT_HANDLERS"] == "run_log,console"
    assert all(os.environ[k] == v for k, v in set_now.items())

    for name in set_now:
        monkeypatch.delenv(name)
    # the user's own choices: telemetry on, and a logging.yml in PREFECT_HOME
    monkeypatch.setenv("PREFECT_SERVER_ANALYTICS_ENABLED", "true")
    (tmp_path / "prefect-home").mkdir()
    (tmp_path / "prefect-home" / "logging.yml").write_text("version: 1\n")
    set_now = logs.prefect_settings(log_file)
    assert os.environ["PREFECT_SERVER_ANALYTICS_ENABLED"] == "true"
    assert not any(name.startswith("PREFECT_LOGGING_") for name in set_now)


def test_the_log_file_holds_baocaos_lines_and_v_shows_them(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    log_file = tmp_path / "logs" / "x.log"
    log_file.parent.mkdir()
    root = logging.getLogger()
    before = list(root.handlers)
    with logs.run_log(log_file):
        logging.getLogger("baocao.ingest").info("nạp lô 1")
    with logs.run_log(log_file, verbose=True) as path:
        logging.getLogger("baocao.ingest").info("nạp lô 2")
    assert path == log_file
    assert root.handlers == before  # nothing left behind
    written = log_file.read_text(encoding="utf-8")
    assert "baocao.ingest - nạp lô 1" in written and "baocao.ingest - nạp lô 2" in written


def test_a_plain_import_logs_to_its_file_and_v_shows_it_on_the_terminal(
    inbox: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(logs.LOG_DIR_ENV)  # beside the database, as a user gets it
    (tmp_path / "kho").mkdir()
    url = f"sqlite:///{tmp_path / 'kho' / 'kho.db'}"
    quiet = CliRunner().invoke(main, ["ingest", str(inbox), "--db", url, "--no-prefect"])
    assert quiet.exit_code == 1, quiet.output
    [named] = [ln for ln in quiet.stdout.splitlines() if ln.startswith("log: ")]
    log_file = Path(named.removeprefix("log: "))
    log_file = log_file if log_file.is_absolute() else Path.cwd() / log_file
    assert log_file.parent == tmp_path / "kho" / "logs"
    written = log_file.read_text(encoding="utf-8")
    assert "baocao.ingest - loaded 1, skipped 0, failed 2" in written
    assert all(written.count(name) == 1 for name in BAD_FILES)
    assert "baocao.ingest" not in quiet.stderr and "loaded 1" not in quiet.stderr
    # each failed file once on the terminal
    assert all(quiet.stderr.count(name) == 1 for name in BAD_FILES)

    (inbox / "moi.txt").write_text("Chi bộ thôn Nà Lừa kết nạp 05 đảng viên mới.", "utf-8")
    loud = CliRunner().invoke(main, ["ingest", str(inbox), "--db", url, "--no-prefect", "-v"])
    assert loud.exit_code == 1, loud.output
    assert "loaded 1, skipped 1, failed 2" in loud.stderr


def _visible(text: str) -> list[str]:
    """The lines a terminal shows (a progress bar redraws itself with carriage returns)."""
    return [part for line in text.splitlines() for part in line.split("\r") if part.strip()]


@pytest.mark.slow
def test_an_import_through_prefect_is_quiet_and_logs_to_its_file(
    inbox: Path, tmp_path: Path
) -> None:
    """`baocao ingest` as a user runs it (its own process, Prefect's temporary server): no
    traceback, no ERROR, each failed file once, lines of at most 100 characters; Prefect's lines,
    its server's included, in the log file."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PREFECT_", "BAOCAO_"))}
    env["PREFECT_SERVER_LOGGING_LEVEL"] = "INFO"  # so that its server has lines to write
    env["PYTHONPATH"] = os.pathsep.join([str(MAIN), env.get("PYTHONPATH", "")]).rstrip(os.pathsep)
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "from flows.cli import main; main()",
            "ingest",
            "inbox",
            "--db",
            "kho.db",
        ],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=env,
        timeout=300,
        check=False,
    )
    shown = _visible(result.stdout) + _visible(result.stderr)
    assert result.returncode == 1, result.stdout + result.stderr
    assert not [line for line in shown if "Traceback" in line or "ERROR" in line], shown
    assert max(len(line) for line in shown) <= 100, shown
    for name in BAD_FILES:
        assert sum(name in line for line in shown) == 1, (name, shown)
    assert any("1 đã nhập" in line for line in shown)  # Vietnamese by default
    [named] = [line for line in shown if line.startswith("nhật ký: ")]
    log_file = tmp_path / named.removeprefix("nhật ký: ")
    assert log_file.parent == tmp_path / "logs"
    written = log_file.read_text(encoding="utf-8")
    assert "baocao-ingest" in written and "prefect.flow_runs - loaded 1" in written
    pids = {m.group(1) for m in re.finditer(r"^\S+ \S+ \| \w+ +\| (\d+) \| ", written, re.M)}
    assert len(pids) >= 2, written  # the importing process and Prefect's server
    assert "prefect.server" not in result.stderr
