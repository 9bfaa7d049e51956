"""Helpers for the archive-scale tests (resume, concurrency, Dask, watching): a small archive of
distinct, quickly extracted reports with a few bad files, the `baocao` command in a child
process, and a database's contents without the values that differ between two imports (ids,
timestamps, run ids), to compare imports made in different ways."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

from sqlalchemy import select

MAIN = Path(__file__).resolve().parents[1]

_TEMPLATE = (
    "BÁO CÁO\nKết quả công tác xây dựng Đảng 6 tháng đầu năm {year}\n"
    "I. KẾT QUẢ\n"
    "Thực hiện Kế hoạch số {plan}-KH/ĐUK, ngày 22/12/{prev} của Ban Thường vụ Đảng ủy Khối, "
    "đã kết nạp {members} đảng viên mới, tổ chức {meetings} hội nghị với {people} lượt cán bộ "
    "tham gia. Tặng Giấy khen cho {teams:02d} tập thể và {persons:02d} cá nhân.\n"
    "II. PHƯƠNG HƯỚNG\nCó {done}/{all} chi bộ hoàn thành tốt nhiệm vụ, đạt {pct},5%.\n"
)


def report_text(i: int) -> str:
    """A short report, different for every `i`."""
    return _TEMPLATE.format(
        year=2015 + i % 10,
        prev=2014 + i % 10,
        plan=100 + i,
        members=5 + i,
        meetings=2 + i % 7,
        people=40 + 3 * i,
        teams=1 + i % 9,
        persons=2 + i % 11,
        done=10 + i % 5,
        all=15,
        pct=60 + i % 40,
    )


def make_archive(folder: Path, reports: int, *, bad: bool = True, start: int = 0) -> list[Path]:
    """`reports` .txt reports in two sub-folders (and an empty and a junk .docx when `bad`);
    returns the reports' paths."""
    paths = []
    for i in range(start, start + reports):
        path = folder / f"unit-{i % 2}" / f"bc-{i:04d}.txt"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(report_text(i), encoding="utf-8")
        paths.append(path)
    if bad:
        (folder / "unit-0" / "empty.docx").write_bytes(b"")
        (folder / "unit-1" / "junk.docx").write_bytes(b"not a zip at all\n")
    return paths


def baocao_command(*args: str) -> list[str]:
    """The argv that runs `baocao ARGS` with this interpreter."""
    return [sys.executable, "-c", "from flows.cli import main; main()", *args]


def run_baocao(*args: str, timeout: float = 300) -> subprocess.CompletedProcess[str]:
    """Run `baocao ARGS` to the end in a child process."""
    return subprocess.run(
        baocao_command(*args),
        capture_output=True,
        text=True,
        cwd=MAIN,
        timeout=timeout,
        check=False,
    )


def start_baocao(
    args: list[str], pause_at: int | None = None, pause_seconds: float = 600
) -> subprocess.Popen[str]:
    """`baocao ARGS` in a new process group; with `pause_at`, the importing process pauses for
    `pause_seconds` (for good, by default) inside the transaction of a batch, after loading its
    `pause_at`-th document, having said so on stdout ("MID-BATCH")."""
    code = "import sys\nfrom flows.cli import main\n"
    if pause_at is not None:
        code += textwrap.dedent(f"""
            import time
            from flows.store import load as store
            # the function that takes each document of a batch inside its transaction
            name = "_load_one" if hasattr(store, "_load_one") else "_plan_one"
            real, loaded = getattr(store, name), []
            def paused(*args, **kwargs):
                outcome = real(*args, **kwargs)
                loaded.append(outcome)
                if len(loaded) == {pause_at}:
                    print("MID-BATCH", flush=True)
                    time.sleep({pause_seconds})
                return outcome
            setattr(store, name, paused)
        """)
    code += "sys.argv = ['baocao', *sys.argv[1:]]\nmain()\n"
    return subprocess.Popen(
        [sys.executable, "-c", code, *args],
        cwd=MAIN,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,  # its own process group: killpg reaches every child
    )


def kill_tree(child: subprocess.Popen[str]) -> None:
    """SIGKILL the child's process group, and any descendant that left it."""
    import psutil

    try:
        tree = psutil.Process(child.pid).children(recursive=True)
    except psutil.NoSuchProcess:
        tree = []
    os.killpg(child.pid, signal.SIGKILL)
    for proc in tree:
        try:
            proc.kill()
        except psutil.NoSuchProcess:
            pass
    child.communicate(timeout=30)
    psutil.wait_procs(tree, timeout=30)


# Columns that differ between two imports of the same files.
VOLATILE = {"id", "imported_at", "run_id", "at", "started_at", "finished_at"}


def contents(url: str) -> dict[str, list[tuple[Any, ...]]]:
    """Every document and fact row of the store at `url`, without ids and timestamps, sorted:
    two imports of the same files compare equal whichever way they ran."""
    from flows.store.engine import engine_for
    from schemas import tables as t

    engine = engine_for(url)
    try:
        out = {}
        with engine.connect() as conn:
            for table in [t.documents, *t.FACT_TABLES.values()]:
                columns = [
                    c
                    for c in table.c
                    if c.name not in VOLATILE or (table is t.documents and c.name == "id")
                ]
                rows = conn.execute(select(*columns)).all()
                out[table.name] = sorted((tuple(r) for r in rows), key=repr)
        return out
    finally:
        engine.dispose()


def ok_outcomes_by_file(url: str) -> dict[str, int]:
    """How many times each document (by SHA-256) was recorded as loaded, over all runs."""
    from sqlalchemy import func

    from flows.store.engine import engine_for
    from schemas import tables as t

    engine = engine_for(url)
    try:
        with engine.connect() as conn:
            stmt = (
                select(t.file_outcomes.c.sha256, func.count())
                .where(t.file_outcomes.c.status == "ok")
                .group_by(t.file_outcomes.c.sha256)
            )
            return {sha: int(n) for sha, n in conn.execute(stmt)}
    finally:
        engine.dispose()
