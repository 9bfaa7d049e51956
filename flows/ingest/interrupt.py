"""Stopping an import cleanly when it is asked to (SIGTERM from a service manager or `kill`,
SIGINT from Ctrl-C): no more batches are started, the batch being loaded is committed whole
(a signal arriving during its transaction waits for the commit), the extraction workers are
stopped, and the run is recorded as "interrupted". Running the same import again finishes it.

While `stop_on_signals` is active, SIGTERM and SIGINT raise `ImportInterrupted` in the main
thread, at once outside `signals_deferred` blocks and at their end inside them. It derives from
BaseException so that no per-file `except Exception` mistakes it for a file's failure.
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType

STOP_SIGNALS = (signal.SIGTERM, signal.SIGINT)


class ImportInterrupted(BaseException):
    """The import was stopped by a signal; `run_id` and the counts say how far it got."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum
        self.run_id: str | None = None
        self.files_done = 0
        self.files_total = 0

    def __reduce__(self) -> tuple[object, ...]:
        return (_rebuilt, (self.signum, self.run_id, self.files_done, self.files_total))

    @property
    def signal_name(self) -> str:
        return signal.Signals(self.signum).name

    @property
    def exit_code(self) -> int:
        """The shell's code for a process ended by this signal: 143 for SIGTERM, 130 for SIGINT."""
        return 128 + self.signum

    def one_line(self) -> str:
        if self.run_id is None:
            return f"import interrupted by {self.signal_name} before it started"
        return (
            f"import run {self.run_id[:12]} interrupted by {self.signal_name} after "
            f"{self.files_done} of {self.files_total} files; run the same command again to "
            "import the rest"
        )

    def __str__(self) -> str:
        return self.one_line()


def _rebuilt(signum: int, run_id: str | None, done: int, total: int) -> ImportInterrupted:
    stop = ImportInterrupted(signum)
    stop.run_id, stop.files_done, stop.files_total = run_id, done, total
    return stop


class _State:
    installed = 0  # nesting depth of stop_on_signals
    deferring = 0  # nesting depth of signals_deferred
    received: int | None = None  # the signal received, if any


def _on_signal(signum: int, _frame: FrameType | None) -> None:
    _State.received = signum
    if not _State.deferring:
        _raise_received()


def _raise_received() -> None:
    """Raise ImportInterrupted for the signal received (once: unwinding then goes undisturbed,
    and only another signal raises again)."""
    signum, _State.received = _State.received, None
    if signum is not None:
        raise ImportInterrupted(signum)


@contextmanager
def stop_on_signals() -> Iterator[None]:
    """Within this block SIGTERM and SIGINT raise ImportInterrupted (in the main thread only:
    elsewhere this does nothing). Nested blocks take the handlers back from whoever replaced
    them in between (Prefect's flow engine installs its own SIGTERM handler)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = {s: signal.signal(s, _on_signal) for s in STOP_SIGNALS}
    _State.installed += 1
    try:
        yield
    finally:
        _State.installed -= 1
        for s, handler in previous.items():
            signal.signal(s, handler)
        if not _State.installed:
            _State.received = None


@contextmanager
def signals_deferred() -> Iterator[None]:
    """A stop signal arriving within this block is acted on at its end (so that a transaction
    inside commits whole); one that arrived before raises at once."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    if not _State.deferring:
        _raise_received()
    _State.deferring += 1
    try:
        yield
    finally:
        _State.deferring -= 1
        if not _State.deferring:
            _raise_received()
