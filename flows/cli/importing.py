"""The import commands of `baocao`: extract (no store), ingest, runs and serve (the watcher).
Each parses its options and calls an importable function; the modules that load underthesea,
Prefect or pandas are imported inside the command, so that `baocao --help` stays fast."""

from __future__ import annotations

import json
import os
import sys
import textwrap
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click
from rich.table import Table

from flows import DEFAULT_BATCH_SIZE
from flows.cli.options import DB_HELP, cut, missing, open_store, print_frame, stderr, stdout

if TYPE_CHECKING:
    from flows.ingest.run import ImportSummary
    from flows.store.load import BatchSummary


# ---------------------------------------------------------------------------------------------
# extract
# ---------------------------------------------------------------------------------------------


@click.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False))
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["jsonl", "table"]),
    default="jsonl",
    show_default=True,
    help="One JSON object per line, or readable tables.",
)
@click.option(
    "--ocr",
    type=click.Choice(["auto", "always", "never"]),
    default="auto",
    show_default=True,
    help="OCR for scans: pages without a text layer (auto), every page, or none.",
)
@click.pass_context
def extract(ctx: click.Context, files: tuple[str, ...], fmt: str, ocr: str) -> None:
    """Extract the facts of each FILE and print them; nothing is stored.

    jsonl prints exactly one line per file, in the order given; a file that cannot be read
    gets an error line ({"document": {"source": ..., "error": ...}}) and the others go on.
    Exits with 1 if any file failed.

    \b
    Example:
      baocao extract report.docx plan.pdf > facts.jsonl
      baocao extract report.docx --format table
    """
    # imported here: keeps `baocao --help` fast (the extractors load underthesea)
    from extractors.export import error_record, facts_record, jsonl_line
    from extractors.pipeline import extract as extract_file

    failed = False
    for path in files:
        try:
            record = facts_record(extract_file(path, ocr=ocr))
        except Exception as err:  # noqa: BLE001 - any failure is this file's error line
            record = error_record(path, err)
            stderr.print(f"failed: {record['document']['error']}", markup=False)
            failed = True
        if fmt == "jsonl":
            click.echo(jsonl_line(record))
        else:
            _print_record(record)
    ctx.exit(1 if failed else 0)


# What the table format shows of each kind: (kind, columns).
_RECORD_COLUMNS = (
    ("references", ("identifier", "doc_type", "date", "text")),
    ("dates", ("value", "text")),
    ("periods", ("key", "start", "end", "text")),
    ("quantities", ("value", "unit", "qualifier", "of_total", "refers_to", "text")),
    ("awards", ("title", "recipient_kind", "count", "text")),
    ("findings", ("code", "message", "text")),
)


def _print_record(record: dict[str, Any]) -> None:
    doc = record["document"]
    if "error" in doc:
        stdout.print(f"[bold red]{doc['source']}[/]: {doc['error']}")
        return
    head = Table.grid(padding=(0, 2))
    period = doc.get("period") or {}
    for name, value in (
        ("doc_type", doc.get("doc_type")),
        ("title", doc.get("title")),
        ("issuer", doc.get("issuer")),
        ("identifier", doc.get("identifier")),
        ("date", doc.get("date")),
        (
            "period",
            period.get("label") and f"{period['label']} ({period['start']} … {period['end']})",
        ),
        ("sha256", doc.get("sha256")),
    ):
        head.add_row(f"[bold]{name}[/]", cut(value, 100))
    stdout.rule(f"[bold]{doc['source']}")
    stdout.print(head)
    for kind, columns in _RECORD_COLUMNS:
        rows = record.get(kind) or []
        if not rows:
            continue
        table = Table(title=f"{kind} ({len(rows)})", title_justify="left", show_lines=False)
        for column in columns:
            table.add_column(column, overflow="fold")
        for row in rows:
            # a nested value (the period a figure refers to) shows as its key
            table.add_row(
                *(cut(v["key"] if isinstance(v := row.get(c), dict) else v) for c in columns)
            )
        stdout.print(table)


# ---------------------------------------------------------------------------------------------
# ingest
# ---------------------------------------------------------------------------------------------

verbose_option = click.option(
    "-v", "--verbose", is_flag=True, help="Also show the log lines (baocao's and Prefect's) here."
)


@contextmanager
def _progress_bar(waiting: str) -> Iterator[Any]:
    """A rich progress bar on stderr, and the callback that moves it."""
    # imported here: keeps `baocao --help` fast
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    bar = Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=stderr,
        transient=False,
    )
    task_id = bar.add_task(waiting, total=None)
    tally = {"ok": 0, "skipped": 0, "failed": 0}

    def advance(done: int, total: int, batch: BatchSummary | None) -> None:
        if batch:
            for key in tally:
                tally[key] += getattr(batch, key)
        description = "importing: {ok} ok, {skipped} skipped, {failed} failed".format(**tally)
        bar.update(task_id, completed=done, total=total, description=description)

    with bar:
        yield advance


@click.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True))
@click.option("--db", help=DB_HELP)
@click.option(
    "--batch-size",
    type=click.IntRange(min=1),
    default=DEFAULT_BATCH_SIZE,
    show_default=True,
    help="Files per task and per transaction.",
)
@click.option(
    "--reextract", is_flag=True, help="Extract and replace the facts of files already imported."
)
@click.option("--no-prefect", is_flag=True, help="Run without Prefect (no flow run, no artifact).")
@click.option(
    "--workers",
    type=click.IntRange(min=0),
    default=lambda: os.cpu_count() or 1,
    show_default="the number of CPUs",
    help="Extraction processes (0: extract in the importing process).",
)
@click.option(
    "--dask-address",
    metavar="tcp://HOST:PORT",
    help="Extract on this Dask cluster (its workers need baocao and the files; see README).",
)
@click.option(
    "--dask-workers",
    type=click.IntRange(min=1),
    help="Extract on a local Dask cluster of this many worker processes.",
)
@click.option(
    "--stats",
    type=click.Path(dir_okay=False, writable=True),
    help="Write the run's counts and timings to this JSON file (for benchmarks).",
)
@verbose_option
@click.pass_context
def ingest(
    ctx: click.Context,
    paths: tuple[str, ...],
    db: str | None,
    batch_size: int,
    reextract: bool,
    no_prefect: bool,
    workers: int,
    dask_address: str | None,
    dask_workers: int | None,
    stats: str | None,
    verbose: bool,
) -> None:
    """Import report files and folders (recursively) into the store.

    Files already imported under the current rules are skipped, so running the same import
    again adds nothing and an interrupted one resumes. A file that fails is recorded with its
    reason and the others go on; exits with 1 if any file failed. Files are extracted in
    --workers processes, or on a Dask cluster, and loaded one transaction per batch.
    SIGTERM or Ctrl-C stops it cleanly (the batch being loaded commits whole; the run is
    recorded as interrupted), exiting with 143 or 130. Log lines (baocao's and Prefect's) go
    to a file under logs/ beside the SQLite database (BAOCAO_LOG_DIR chooses another folder),
    and to the terminal with -v.

    \b
    Example:
      baocao ingest archive/2023 reports/bc-148.docx --db sqlite:///facts.db
      baocao ingest archive/ --workers 4 --batch-size 100
      baocao ingest archive/ --dask-address tcp://10.0.0.5:8786 --db postgresql://...
    """
    if no_prefect and (dask_address or dask_workers):
        raise click.UsageError(
            "--dask-address and --dask-workers run through Prefect: drop --no-prefect"
        )
    if dask_address and dask_workers:
        raise click.UsageError("give --dask-address or --dask-workers, not both")

    # imported here: keeps `baocao --help` fast (the import loads SQLAlchemy and the store)
    from flows.ingest.interrupt import ImportInterrupted, stop_on_signals
    from flows.ingest.launch import Launch, launch_import
    from flows.ingest.logs import new_log_path, prefect_settings, run_log

    log_file = new_log_path(db)
    if not no_prefect and "prefect" not in sys.modules:
        prefect_settings(log_file, verbose)
    launch = Launch(not no_prefect, workers, dask_address, dask_workers)
    began, began_wall = time.perf_counter(), time.time()
    try:
        with (
            run_log(log_file, verbose, stderr),
            stop_on_signals(),
            _progress_bar("finding files" if no_prefect else "starting Prefect") as progress,
        ):
            summary = launch_import(list(paths), db, batch_size, reextract, launch, progress)
    except ImportInterrupted as stop:
        stderr.print(stop.one_line(), markup=False)
        ctx.exit(stop.exit_code)
    except Exception as err:  # noqa: BLE001 - the store or Prefect failed, not one file
        hint = "" if no_prefect else " (to run without Prefect, add --no-prefect)"
        message = cut(f"the import stopped: {type(err).__name__}: {err}", 300)
        raise click.ClickException(message + hint) from err
    for line in summary.failures:
        stderr.print(f"failed: {line}", markup=False, soft_wrap=True)
    if summary.failed > len(summary.failures):
        stderr.print(
            f"... and {summary.failed - len(summary.failures)} more failures: "
            f"baocao runs --run {summary.run_id[:12]}",
            markup=False,
        )
    _print_summary(summary, time.perf_counter() - began, log_file)
    if stats:
        record = {k: v for k, v in summary.__dict__.items() if k not in ("batches", "failures")}
        record.update(
            batches=len(summary.batches),
            started=began_wall,
            call_seconds=round(time.perf_counter() - began, 3),
        )
        with open(stats, "w", encoding="utf-8") as fh:
            json.dump(record, fh, ensure_ascii=False, indent=1)
    ctx.exit(1 if summary.failed else 0)


def _print_summary(summary: ImportSummary, wall: float, log_file: Path | None = None) -> None:
    """The run's counts, and its time as the user waited for it (`wall`: Prefect's start-up
    included), with the import's own time beside it when they differ; lines of at most 100
    characters, the run id shortened (`baocao runs --run` takes a prefix)."""
    loaded = ", ".join(f"{count} {kind}" for kind, count in summary.facts.items())
    lines = [
        f"import run {summary.run_id[:12]}: {summary.files} files, {summary.ok} loaded, "
        f"{summary.skipped} skipped, {summary.failed} failed in {wall:.1f} s"
    ]
    if wall - summary.seconds >= 1:
        lines.append(f"  (the import itself {summary.seconds:.1f} s; the rest was start-up)")
    lines += textwrap.wrap(f"facts loaded: {loaded}", 100, subsequent_indent="  ")
    lines.append(f"database: {summary.database}")
    if log_file and log_file.exists():
        lines.append(f"log: {shown_path(log_file)}")
    click.echo("\n".join(lines))


def shown_path(path: Path) -> str:
    """`path` relative to the current folder when it is under it (shorter to read)."""
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path)


@click.command()
@click.option("--db", help=DB_HELP)
@click.option("--run", "run_id", metavar="ID-OR-PREFIX", help="Show every file outcome of one run.")
@click.option(
    "--limit",
    type=click.IntRange(min=1),
    default=20,
    show_default=True,
    help="How many of the latest runs to list.",
)
def runs(db: str | None, run_id: str | None, limit: int) -> None:
    """List import runs, newest first, with the files that failed in them.

    A run's status is running, completed, failed or interrupted (stopped by SIGTERM or Ctrl-C;
    or its process was found gone, killed or crashed, and its finish time is unknown). A run
    still running on another host says so: only its own host can tell if it is alive.

    \b
    Example:
      baocao runs --db sqlite:///facts.db
      baocao runs --run 9c1e --db sqlite:///facts.db
    """
    # imported here: keeps `baocao --help` fast (pandas and SQLAlchemy)
    from flows.store.read import facts_frame
    from flows.store.runs import interrupt_abandoned_runs, status_label, this_host

    engine = open_store(db)
    try:
        interrupt_abandoned_runs(engine)
        listed = facts_frame(engine, "runs").iloc[::-1]
        outcomes = facts_frame(engine, "outcomes")
    finally:
        engine.dispose()
    if run_id:
        listed = listed[listed["id"].str.startswith(run_id)]
        if listed.empty:
            raise click.BadParameter(f"no run starts with {run_id!r}", param_hint="--run")
    listed = listed.head(limit)
    if listed.empty:
        stderr.print("no import runs yet")
        return
    shown = outcomes[outcomes["run_id"].isin(listed["id"])]
    if not run_id:
        shown = shown[shown["status"] == "error"]
    here = this_host()
    listed = listed.assign(
        id=listed["id"].str[:12],
        status=[
            status_label(status, None if missing(host) else host, here)
            for status, host in zip(listed["status"], listed["host"], strict=True)
        ],
        started_at=listed["started_at"].astype(str).str[:19],
        finished_at=[
            ("unknown" if status == "interrupted" else "") if missing(at) else str(at)[:19]
            for status, at in zip(listed["status"], listed["finished_at"], strict=True)
        ],
        paths=listed["paths"].map(lambda p: ", ".join(json.loads(p))),
    )
    columns = {
        "id": "run",
        "started_at": "started (UTC)",
        "finished_at": "finished",
        "status": "status",
        "files_seen": "files",
        "files_ok": "ok",
        "files_skipped": "skipped",
        "files_failed": "failed",
        "paths": "paths",
    }
    print_frame(listed[list(columns)].rename(columns=columns), "import runs")
    if not shown.empty:
        shown = shown.assign(run_id=shown["run_id"].str[:12])
        print_frame(
            shown[["run_id", "status", "message"]].rename(columns={"run_id": "run"}),
            "file outcomes" if run_id else "failed files",
            width=300,
        )


# ---------------------------------------------------------------------------------------------
# serve
# ---------------------------------------------------------------------------------------------


@click.command()
@click.option(
    "--watch",
    "folder",
    required=True,
    type=click.Path(exists=True, file_okay=False),
    help="The folder to watch (recursively).",
)
@click.option(
    "--interval",
    type=click.FloatRange(min=0.1),
    default=10.0,
    show_default=True,
    help="Seconds between two looks at the folder.",
)
@click.option("--db", help=DB_HELP)
@click.option(
    "--batch-size",
    type=click.IntRange(min=1),
    default=DEFAULT_BATCH_SIZE,
    show_default=True,
    help="Files per task and per transaction.",
)
@click.option(
    "--workers",
    type=click.IntRange(min=0),
    default=lambda: os.cpu_count() or 1,
    show_default="the number of CPUs",
    help="Extraction processes per import (0: in the watching process).",
)
@click.option("--no-prefect", is_flag=True, help="Import without Prefect (no flow runs).")
@click.option("--once", is_flag=True, help="Import what is in the folder now, then exit.")
@verbose_option
def serve(
    folder: str,
    interval: float,
    db: str | None,
    batch_size: int,
    workers: int,
    no_prefect: bool,
    once: bool,
    verbose: bool,
) -> None:
    """Watch a folder and import new or changed files as they arrive, until interrupted.

    A file is imported once it has not changed for one interval (so a copy in progress is
    not read half-written); each import is a run of the ingest flow, shown by a Prefect
    server when PREFECT_API_URL points at one. Files already imported are skipped. The
    extraction processes start with the first import and serve the following ones. Ctrl-C or
    SIGTERM stops the watcher (an import in progress stops as `baocao ingest` does), exit 0.

    \b
    Example:
      baocao serve --watch /srv/inbox --interval 30 --db postgresql+psycopg://host/baocao
    """
    # imported here: keeps `baocao --help` fast (the import loads SQLAlchemy and the store)
    from flows.ingest.interrupt import ImportInterrupted, stop_on_signals
    from flows.ingest.launch import Launch
    from flows.ingest.logs import new_log_path, prefect_settings, run_log
    from flows.ingest.watch import watch

    log_file = new_log_path(db, "serve")
    if not no_prefect and "prefect" not in sys.modules:
        prefect_settings(log_file, verbose)

    def imported(summary: ImportSummary) -> None:
        stderr.print(
            f"imported {summary.files} files: {summary.ok} loaded, {summary.skipped} skipped, "
            f"{summary.failed} failed (run {summary.run_id[:12]})",
            markup=False,
        )
        for line in summary.failures:
            stderr.print(f"failed: {line}", markup=False, soft_wrap=True)

    stderr.print(f"watching {folder} every {interval:g} s; Ctrl-C or SIGTERM stops", markup=False)
    try:
        with run_log(log_file, verbose, stderr), stop_on_signals():
            watch(
                folder,
                db,
                interval,
                batch_size,
                Launch(not no_prefect, workers),
                once=once,
                on_import=imported,
            )
    except ImportInterrupted as stop:
        if stop.run_id:
            stderr.print(stop.one_line(), markup=False)
        stderr.print(f"stopped by {stop.signal_name}", markup=False)
    except KeyboardInterrupt:
        stderr.print("stopped", markup=False)
