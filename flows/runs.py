"""Which process owns an import run, and the runs whose process is gone.

Every run records the host, pid and start time of the process that imports it. A run still
marked "running" whose process has gone (killed with SIGKILL, the machine rebooted) would stay
so forever: when an import starts, and when `baocao runs` lists the runs, such a run on this host
is marked "interrupted", its finish time unknown (NULL). A pid alone is not proof of life, since
pids are reused: the process must also have started when the run's process did. Runs of other
hosts are left alone: nothing here can see their processes.
"""

from __future__ import annotations

import os
import socket
from dataclasses import dataclass

import psutil
from sqlalchemy import Engine, and_, select

from schemas import tables as t

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
    from flows import store

    r = t.import_runs
    with engine.connect() as conn:
        running = conn.execute(
            select(r.c.id, r.c.pid, r.c.process_started).where(
                and_(r.c.status == "running", r.c.host == this_host(), r.c.pid.is_not(None))
            )
        ).all()
    gone = [row.id for row in running if not is_alive(row.pid, row.process_started)]
    for run_id in gone:
        store.finish_run(engine, run_id, status="interrupted", finished=False)
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
