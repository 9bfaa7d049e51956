"""Archive-scale benchmark: prints figures, asserts nothing.

For each N: generates (or reuses) an archive of N synthetic reports (benchmarks/corpus.py), then
measures in one run
  1. the floor: reading the same files with python-docx and nothing else, in as many processes;
  2. `baocao ingest` end to end into SQLite, then the same import again (nothing new: the
     wall time of an import that finds every file already stored);
  3. `baocao ingest` end to end into PostgreSQL (--pg URL, else $BAOCAO_BENCH_PG_URL or
     $BAOCAO_TEST_PG_URL; skipped with a message when there is none; a fresh schema, dropped);
and prints documents/s, facts/s, peak resident memory of the whole process tree (sampled with
psutil; the largest single process from getrusage(RUSAGE_CHILDREN)), the ratio to the floor, and
where the time went, Prefect's overhead being the time outside extraction and loading.

    python benchmarks/run.py --n 10000 --workers 2
    python benchmarks/run.py --n 500,2000 --workers 2 --pg postgresql+psycopg://...
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

import psutil

from flows import DEFAULT_BATCH_SIZE

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
MB = 1024 * 1024


# ---------------------------------------------------------------------------------------------
# The floor: python-docx only (run in a child process: `run.py --floor ARCHIVE`)
# ---------------------------------------------------------------------------------------------


def _read_docx(paths: list[str]) -> tuple[int, int, int]:
    from docx import Document

    ok = failed = chars = 0
    for path in paths:
        try:
            document = Document(path)
            texts = [p.text for p in document.paragraphs]
            texts += [c.text for t in document.tables for r in t.rows for c in r.cells]
            chars += sum(map(len, texts))
            ok += 1
        except Exception:  # noqa: BLE001 - bad files are part of the archive
            failed += 1
    return ok, failed, chars


def floor(archive: str, workers: int, batch_size: int) -> dict[str, Any]:
    """Read every file of the archive with python-docx in `workers` processes."""
    import multiprocessing

    sys.path.insert(0, str(HERE))
    from corpus import archive_files

    files = list(archive_files(Path(archive)))
    began = time.perf_counter()
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(workers, mp_context=context) as pool:
        chunks = [files[i : i + batch_size] for i in range(0, len(files), batch_size)]
        results = list(pool.map(_read_docx, chunks))
    return {
        "files": len(files),
        "ok": sum(r[0] for r in results),
        "failed": sum(r[1] for r in results),
        "chars": sum(r[2] for r in results),
        "seconds": time.perf_counter() - began,
    }


# ---------------------------------------------------------------------------------------------
# Measuring a child process tree
# ---------------------------------------------------------------------------------------------


def measured(command: list[str], env: dict[str, str] | None = None) -> dict[str, Any]:
    """Run `command`, sampling the resident memory of its whole process tree every 0.2 s."""
    began = time.perf_counter()
    child = subprocess.Popen(
        command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    peak = 0
    done = threading.Event()

    def sample() -> None:
        nonlocal peak
        root = psutil.Process(child.pid)
        while not done.is_set():
            total = 0
            try:
                for proc in [root, *root.children(recursive=True)]:
                    try:
                        total += proc.memory_info().rss
                    except psutil.Error:
                        pass
            except psutil.Error:
                break
            peak = max(peak, total)
            done.wait(0.2)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    stdout, stderr = child.communicate()
    done.set()
    sampler.join()
    return {
        "returncode": child.returncode,
        "seconds": time.perf_counter() - began,
        "peak_tree_mb": peak / MB,
        "max_single_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024,
        "stdout": stdout,
        "stderr": stderr,
    }


def ingest(
    archive: Path, url: str, workers: int, batch_size: int, extra: list[str]
) -> dict[str, Any]:
    """`baocao ingest` in a child process, with its --stats."""
    with tempfile.NamedTemporaryFile(suffix=".json", delete=False) as fh:
        stats_path = fh.name
    command = [
        sys.executable,
        "-c",
        "from flows.cli import main; main()",
        "ingest",
        str(archive),
        "--db",
        url,
        "--workers",
        str(workers),
        "--batch-size",
        str(batch_size),
        "--stats",
        stats_path,
        *extra,
    ]
    result = measured(command)
    try:
        result["stats"] = json.loads(Path(stats_path).read_text())
    except (OSError, ValueError):
        sys.exit(f"baocao ingest failed ({result['returncode']}):\n{result['stderr'][-3000:]}")
    finally:
        Path(stats_path).unlink(missing_ok=True)
    return result


# ---------------------------------------------------------------------------------------------
# Printing
# ---------------------------------------------------------------------------------------------


def report_ingest(name: str, run: dict[str, Any], floor_rate: float) -> None:
    stats, wall = run["stats"], run["seconds"]
    timings = stats["timings"]
    facts = sum(stats["facts"].values())
    rate = stats["files"] / wall
    inside = timings["wall"]
    startup = wall - inside  # process start, imports, Prefect API and flow run, teardown
    ours = sum(timings[k] for k in ("bookkeeping", "prepare", "extract_wait", "load"))
    overhead = startup + timings["other"]
    print(
        f"\n{name}: {stats['files']} files ({stats['ok']} loaded, {stats['skipped']} skipped, "
        f"{stats['failed']} failed) in {wall:.1f} s"
    )
    print(
        f"  {rate:.2f} documents/s, {facts / wall:.0f} facts/s ({facts} facts); "
        f"{rate / floor_rate:.0%} of the floor's rate"
    )
    print(
        f"  peak memory: process tree {run['peak_tree_mb']:.0f} MB, largest single process "
        f"{run['max_single_mb']:.0f} MB"
    )
    print(
        f"  time: start-up and teardown {startup:.1f} s | discovery and hash check "
        f"{timings['prepare']:.1f} s | waiting for extraction {timings['extract_wait']:.1f} s"
        f" | loading {timings['load']:.1f} s | run records {timings['bookkeeping']:.1f} s | "
        f"orchestration (Prefect tasks) {timings['other']:.1f} s"
    )
    print(
        f"  outside extraction and loading: {overhead:.1f} s = {overhead / wall:.1%} of wall "
        f"(in the flow: {timings['other'] / inside:.1%}); extraction and loading: "
        f"{ours:.1f} s"
    )
    busy = timings["extract_busy"]
    per_file = 1000 / max(stats["files"], 1)
    loading = 1000 * timings["load"] / max(stats["ok"], 1)
    print(
        f"  extraction: {busy:.0f} s of worker time, {busy * per_file:.0f} ms per document per"
        f" worker (building rows included); loading {loading:.1f} ms per document loaded (in the"
        " importing process)"
    )
    print(
        "  after extraction, per document: building rows"
        f" {timings.get('rows_busy', 0) * per_file:.1f} ms and pickling them"
        f" {timings.get('pickle_busy', 0) * per_file:.1f} ms (in the workers), unpickling them"
        f" {timings.get('transfer', 0) * per_file:.1f} ms of CPU (in the importing process)"
    )


def archive_summary(archive: Path) -> str:
    sys.path.insert(0, str(HERE))
    from corpus import archive_files

    sizes = [os.path.getsize(p) for p in archive_files(archive)]
    bad = sum(1 for s in sizes if s == 0)
    good = sorted(s for s in sizes if s > 0)
    return (
        f"{len(sizes)} files, {sum(sizes) / MB:.1f} MB; sizes (bad files included) min "
        f"{good[0] / 1024:.1f} KB, median {statistics.median(good) / 1024:.1f} KB, max "
        f"{good[-1] / 1024:.1f} KB; {bad} empty files among the bad ones"
    )


def pg_schema_url(base: str) -> tuple[str, Any]:
    """A fresh schema on the PostgreSQL server at `base`: its URL and a function dropping it."""
    from sqlalchemy import create_engine, text

    schema = f"bench_{uuid.uuid4().hex[:10]}"
    admin = create_engine(base)
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))

    def drop() -> None:
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()

    sep = "&" if "?" in base else "?"
    return f"{base}{sep}options=-csearch_path%3D{schema}", drop


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", default="2000", help="reports per archive; several: 500,2000")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--batch-size", type=int, default=DEFAULT_BATCH_SIZE)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--archives",
        type=Path,
        default=Path(tempfile.gettempdir()) / "baocao-bench",
        help="where archives are generated and kept",
    )
    parser.add_argument("--pg", help="PostgreSQL URL (a fresh schema is made and dropped)")
    parser.add_argument("--no-sqlite", action="store_true", help="skip the SQLite import")
    parser.add_argument(
        "--plain",
        action="store_true",
        help="also import into SQLite with --no-prefect, for comparison",
    )
    parser.add_argument("--floor", help=argparse.SUPPRESS)  # child mode: read ARCHIVE only
    args = parser.parse_args()
    if args.floor:
        print(json.dumps(floor(args.floor, args.workers, args.batch_size)))
        return
    sys.path.insert(0, str(HERE))
    from corpus import generate

    pg = args.pg or os.environ.get("BAOCAO_BENCH_PG_URL") or os.environ.get("BAOCAO_TEST_PG_URL")
    print(
        f"baocao benchmark: {os.cpu_count()} CPUs, {psutil.virtual_memory().total / MB / 1024:.0f}"
        f" GB; workers {args.workers}, batch size {args.batch_size}, seed {args.seed}"
    )
    for n in [int(x) for x in args.n.split(",")]:
        archive = args.archives / f"n{n}-s{args.seed}"
        began = time.perf_counter()
        manifest = generate(archive, n, args.seed, workers=args.workers)
        print(
            f"\n=== N = {n}: archive {archive} ({time.perf_counter() - began:.0f} s to "
            f"generate or find): {archive_summary(archive)}"
        )
        run = measured(
            [
                sys.executable,
                str(HERE / "run.py"),
                "--floor",
                str(archive),
                "--workers",
                str(args.workers),
                "--batch-size",
                str(args.batch_size),
            ]
        )
        found = json.loads(run["stdout"].strip().splitlines()[-1])
        floor_rate = found["files"] / run["seconds"]
        print(
            f"\nfloor (python-docx read only, {args.workers} processes): {found['files']} files "
            f"({found['failed']} unreadable) in {run['seconds']:.1f} s: {floor_rate:.1f} "
            f"documents/s; peak memory {run['peak_tree_mb']:.0f} MB; "
            f"{found['chars'] / found['files']:.0f} characters per file"
        )
        with tempfile.TemporaryDirectory() as tmp:
            if not args.no_sqlite:
                url = f"sqlite:///{tmp}/bench.db"
                report_ingest(
                    "baocao ingest -> SQLite",
                    ingest(archive, url, args.workers, args.batch_size, []),
                    floor_rate,
                )
                again = ingest(archive, url, args.workers, args.batch_size, [])
                print(
                    f"the same import again (nothing new, through the Prefect launch path): "
                    f"{again['seconds']:.1f} s wall, {again['stats']['skipped']} skipped, "
                    f"{again['stats']['failed']} failed again"
                )
            if args.plain:
                url = f"sqlite:///{tmp}/plain.db"
                report_ingest(
                    "baocao ingest --no-prefect -> SQLite",
                    ingest(archive, url, args.workers, args.batch_size, ["--no-prefect"]),
                    floor_rate,
                )
        if not pg:
            print("\nPostgreSQL: skipped (give --pg URL or set BAOCAO_BENCH_PG_URL)")
            continue
        url, drop = pg_schema_url(pg)
        try:
            report_ingest(
                "baocao ingest -> PostgreSQL",
                ingest(archive, url, args.workers, args.batch_size, []),
                floor_rate,
            )
        finally:
            drop()
        del manifest


if __name__ == "__main__":
    main()
