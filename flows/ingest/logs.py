"""Where the log lines of an import go: to the run's log file, not across the progress bar.

An import (`baocao ingest`, `baocao serve`) writes baocao's own lines (logger `baocao`) and
Prefect's (its flow and task runs, its temporary server, Dask workers) to one file, `logs/` beside
the SQLite database (in the current folder for a server database; `BAOCAO_LOG_DIR` chooses
another folder), named for the command and the time it started. `-v` also shows them on the
terminal. Flow and task run lines also go to the Prefect API, so a Prefect server's UI shows them.

Prefect is set up through its own settings, and only those the user has not set: a user's
logging.yml or PREFECT_LOGGING_* variables win, and so does a user's choice of telemetry.
"""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from rich.console import Console
from rich.logging import RichHandler
from sqlalchemy.engine import make_url

LOG_DIR_ENV = "BAOCAO_LOG_DIR"
PREFECT_LOGGING_YML = Path(__file__).with_name("prefect_logging.yml")
# Prefect reads its logging configuration from the first of these variables that is set, else
# from $PREFECT_HOME/logging.yml when that file exists
_USER_LOGGING = ("PREFECT_LOGGING_CONFIG_PATH", "PREFECT_LOGGING_SETTINGS_PATH")
FORMAT = "%(asctime)s | %(levelname)-7s | %(process)d | %(name)s - %(message)s"


def log_folder(db: str | None) -> Path:
    """The folder of import logs for the store at `db` (a URL or an SQLite file; None: BAOCAO_DB,
    else ./baocao.db, as flows/store/engine.py reads it)."""
    chosen = os.environ.get(LOG_DIR_ENV)
    if chosen:
        return Path(chosen).expanduser()
    url = db or os.environ.get("BAOCAO_DB") or "baocao.db"
    if "://" not in url:
        return Path(url).expanduser().resolve().parent / "logs"
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite" and parsed.database not in (None, "", ":memory:"):
        return Path(parsed.database).expanduser().resolve().parent / "logs"
    return Path.cwd() / "logs"


def new_log_path(db: str | None, command: str = "ingest") -> Path:
    """A file that no other import uses: `logs/ingest-20261204-210512.log`."""
    folder = log_folder(db)
    folder.mkdir(parents=True, exist_ok=True)
    stamp = time.strftime("%Y%m%d-%H%M%S")
    path, n = folder / f"{command}-{stamp}.log", 1
    while path.exists():
        n += 1
        path = folder / f"{command}-{stamp}-{n}.log"
    return path


def user_configured_prefect_logging() -> bool:
    """Whether the user gave Prefect a logging configuration of their own."""
    if any(os.environ.get(name) for name in _USER_LOGGING):
        return True
    home = Path(os.environ.get("PREFECT_HOME") or "~/.prefect").expanduser()
    return (home / "logging.yml").exists()


def prefect_settings(log_file: Path, verbose: bool = False) -> dict[str, str]:
    """Set, in this process's environment (which Prefect's temporary server and Dask workers
    inherit), the Prefect settings an import needs and the user has not set; before Prefect is
    imported. Returns the variables it set."""
    wanted = {
        # the temporary server's telemetry is not ours to send (offline it logs an error with a
        # traceback, and on a busy SQLite file "database is locked")
        "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
        # Prefect gives its temporary server 20 s to start: on a busy two-core machine (extraction
        # workers warming up beside it) that was seen to run out, failing the whole import
        "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS": "120",
    }
    if not user_configured_prefect_logging():
        wanted["PREFECT_LOGGING_CONFIG_PATH"] = str(PREFECT_LOGGING_YML)
        wanted["PREFECT_LOGGING_HANDLERS_RUN_LOG_FILENAME"] = str(log_file)
        if verbose:
            wanted["PREFECT_LOGGING_ROOT_HANDLERS"] = "run_log,console"
    set_now = {k: v for k, v in wanted.items() if k not in os.environ}
    os.environ.update(set_now)
    return set_now


class RunLogHandler(logging.FileHandler):
    """The import's log file (a class of its own, so that it can be found and removed)."""


@contextmanager
def run_log(
    log_file: Path, verbose: bool = False, console: Console | None = None
) -> Iterator[Path]:
    """Send the log lines of this process to `log_file` (created at the first line), and to the
    terminal when `verbose` (through `console`, so that they print above a progress bar), for the
    time of the block. baocao's own loggers log from INFO up, the others as they are set."""
    root = logging.getLogger()
    handlers: list[logging.Handler] = [RunLogHandler(log_file, encoding="utf-8", delay=True)]
    handlers[0].setFormatter(logging.Formatter(FORMAT))
    if verbose:
        handlers.append(RichHandler(console=console, show_path=False, markup=False))
    ours = logging.getLogger("baocao")
    level = ours.level
    ours.setLevel(logging.INFO)
    for handler in handlers:
        root.addHandler(handler)
    try:
        yield log_file
    finally:
        for handler in handlers:
            root.removeHandler(handler)
            handler.close()
        ours.setLevel(level)
