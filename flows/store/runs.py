"""Import runs and the outcome of every file in them, and which process owns a run.

A run is opened by `start_run` and closed by `finish_run` with its counts taken from the recorded
outcomes (`FileOutcome`: ok, skipped or error, with a one-line message naming the file).
Which process owns an import run, and the runs whose process is gone.

Every run records the host, pid and start time of the process that imports it. A run still
marked "running" whose process has gone (killed with SIGKILL, the machine rebooted) would stay
so forever: when an import starts, and when `baocao runs` lists the runs, such a run on this host
is marked "interrupted", its finish time unknown (NULL). A pid alone is not proof of life, since
pids are reused: the process must also have started when the run's process did. Runs of other
hosts are left alone: nothing here can see their processes.
"""

from __future__ import annotations

import json
import os
import socket
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Literal

import psutil
from sqlalchemy import Engine, and_, func, insert, select, update
from sqlalchemy.exc import DBAPIError

from extractors.export import error_record
from extractors.rows import clean_row
from flows.store.engine import write_transaction
from schemas import tables as t
from schemas.errors import BaocaoError
from schemas.models import RULES_VERSION

# psutil reads a process's start time in clock ticks: two readings of one process agree to
# within a tick, and a new process on a reused pid started well apart from the old one.
_SAME_START = 1.0


@dataclass(frozen=True)
class RunOwner:
    """The process that imports a run."""

    host: str
    pid: int
    process_started: float

    def row(self) -> dict[str, object]:
        return {"host": self.host, "pid": self.pid, "process_started": self.process_started}


def this_host() -> str:
    return socket.gethostname()


def this_process() -> RunOwner:
    """The owner of runs started by this process."""
    pid = os.getpid()
    return RunOwner(this_host(), pid, psutil.Process(pid).create_time())


def is_alive(pid: int, process_started: float | None) -> bool:
    """Whether the process `pid` of this host is running and is the one that started at
    `process_started` (not another process that was given the same pid since)."""
    try:
        process = psutil.Process(pid)
        if process.status() == psutil.STATUS_ZOMBIE:
            return False
        started = process.create_time()
    except psutil.NoSuchProcess:
        return False
    except psutil.AccessDenied:
        return True  # it exists; without its start time, give it the benefit of the doubt
    return process_started is None or abs(started - process_started) < _SAME_START


def interrupt_abandoned_runs(engine: Engine) -> list[str]:
    """Mark "interrupted" (finish time unknown) the runs still "running" on this host whose
    process is gone; returns their ids."""
    r = t.import_runs
    with engine.connect() as conn:
        running = conn.execute(
            select(r.c.id, r.c.pid, r.c.process_started).where(
                and_(r.c.status == "running", r.c.host == this_host(), r.c.pid.is_not(None))
            )
        ).all()
    gone = [row.id for row in running if not is_alive(row.pid, row.process_started)]
    for run_id in gone:
        finish_run(engine, run_id, status="interrupted", finished=False)
    return gone


def status_label(status: str, host: str | None, here: str | None = None) -> str:
    """A run's status as `baocao runs` shows it: a running run of another host says so (this
    host cannot tell whether it is still alive)."""
    if status != "running":
        return status
    if host is None:
        return "running (host unknown)"
    if host != (here or this_host()):
        return f"running (on host {host})"
    return status


# ---------------------------------------------------------------------------------------------
# Outcomes
# ---------------------------------------------------------------------------------------------


OutcomeStatus = Literal["ok", "skipped", "error"]


@dataclass(frozen=True)
class FileOutcome:
    """What happened to one file in one run; `message` is one line and names the file."""

    path: str
    status: OutcomeStatus
    sha256: str | None = None
    error_code: str | None = None
    message: str | None = None
    facts: Mapping[str, int] = field(default_factory=dict)


def one_line(text: str, limit: int = 400) -> str:
    line = " ".join(text.split())
    return line if len(line) <= limit else line[: limit - 1] + "…"


def error_outcome(path: str, error: BaseException | Mapping[str, Any] | str) -> FileOutcome:
    """The `error` outcome of a file, from an exception, an error dict or a message."""
    if isinstance(error, Mapping):
        code = str(error.get("code") or "E000")
        message = str(error.get("message") or error.get("error") or "unknown error")
        sha256 = error.get("sha256")
    elif isinstance(error, BaocaoError):
        code, sha256 = error.code, error.sha256
        message = error.one_line() if error.path else f"{path}: {error.code} {error.message}"
    elif isinstance(error, DBAPIError):
        # str() of an SQLAlchemy error carries the statement and every parameter: too long.
        code, sha256 = "E000", None
        message = f"{path}: E000 the database refused this file's rows: {error.orig}"
    elif isinstance(error, BaseException):
        code, sha256 = "E000", None
        message = str(error_record(path, error)["document"]["error"])
    else:
        code, sha256, message = "E000", None, f"{path}: E000 {error}"
    if path not in message:
        message = f"{path}: {message}"
    return FileOutcome(
        path=path, status="error", sha256=sha256, error_code=code, message=one_line(message)
    )


def outcome_row(run_id: str, outcome: FileOutcome, at: datetime) -> dict[str, Any]:
    return clean_row(
        {
            "run_id": run_id,
            "path": outcome.path,
            "sha256": outcome.sha256,
            "status": outcome.status,
            "error_code": outcome.error_code,
            "message": outcome.message,
            "at": at,
        }
    )


def record_error(
    engine: Engine, run_id: str, path: str, error: BaseException | Mapping[str, Any] | str
) -> FileOutcome:
    """Record that `path` failed in this run; returns the outcome."""
    outcome = error_outcome(path, error)
    record_outcomes(engine, run_id, [outcome])
    return outcome


def record_outcomes(engine: Engine, run_id: str, outcomes: Sequence[FileOutcome]) -> None:
    """Record outcomes decided without loading anything (errors, skips), in one transaction."""
    if not outcomes:
        return
    now = datetime.now(UTC)
    with write_transaction(engine) as conn:
        conn.execute(insert(t.file_outcomes), [outcome_row(run_id, o, now) for o in outcomes])


# ---------------------------------------------------------------------------------------------
# Runs
# ---------------------------------------------------------------------------------------------


def start_run(engine: Engine, paths: Sequence[str], rules_version: str = RULES_VERSION) -> str:
    """Open an import run owned by this process (see flows.store.runs) and return its id."""
    run_id = uuid.uuid4().hex
    with write_transaction(engine) as conn:
        conn.execute(
            insert(t.import_runs),
            {
                "id": run_id,
                "started_at": datetime.now(UTC),
                "paths": json.dumps([str(p) for p in paths], ensure_ascii=False),
                "rules_version": rules_version,
                "status": "running",
                **this_process().row(),
            },
        )
    return run_id


def finish_run(
    engine: Engine,
    run_id: str,
    status: str = "completed",
    files_seen: int | None = None,
    *,
    finished: bool = True,
) -> dict[str, int]:
    """Close a run with its counts, taken from its recorded outcomes; returns them. With
    `finished` False its finish time is left unknown (a run whose process was found gone)."""
    with write_transaction(engine) as conn:
        stmt = (
            select(t.file_outcomes.c.status, func.count())
            .where(t.file_outcomes.c.run_id == run_id)
            .group_by(t.file_outcomes.c.status)
        )
        by_status = {row[0]: int(row[1]) for row in conn.execute(stmt)}
        counts = {
            "files_ok": by_status.get("ok", 0),
            "files_skipped": by_status.get("skipped", 0),
            "files_failed": by_status.get("error", 0),
        }
        counts["files_seen"] = files_seen if files_seen is not None else sum(by_status.values())
        conn.execute(
            update(t.import_runs)
            .where(t.import_runs.c.id == run_id)
            .values(finished_at=datetime.now(UTC) if finished else None, status=status, **counts)
        )
    return counts


def failed_under_these_rules(engine: Engine, sha256s: Sequence[str]) -> set[str]:
    """The files among `sha256s` (by content) that an earlier run under the current rules
    already failed to import: extracting them again gives the same error."""
    o, r = t.file_outcomes, t.import_runs
    found: set[str] = set()
    with engine.connect() as conn:
        for i in range(0, len(sha256s), 500):
            stmt = (
                select(o.c.sha256)
                .join(r, r.c.id == o.c.run_id)
                .where(
                    o.c.status == "error",
                    r.c.rules_version == RULES_VERSION,
                    o.c.sha256.in_(list(sha256s[i : i + 500])),
                )
                .distinct()
            )
            found.update(row.sha256 for row in conn.execute(stmt))
    return found
