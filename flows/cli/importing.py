"""The import commands of `baocao`: extract (no store), ingest, runs and serve (the watcher).
Each parses its options and calls an importable function; the modules that load underthesea,
Prefect or pandas are imported inside the command, so that `baocao --help` stays fast."""

from __future__ import annotations

import json
import os
import re
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
from flows.cli.options import DB_HELP, cut, lang_option, missing, open_store, stderr, stdout
from flows.cli.tables import print_table
from flows.strings import STRINGS, failure_line, text

if TYPE_CHECKING:
    from flows.ingest.interrupt import ImportInterrupted
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
@lang_option
@click.pass_context
def extract(ctx: click.Context, files: tuple[str, ...], fmt: str, ocr: str, lang: str) -> None:
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
            failed = True
        if fmt == "jsonl":
            click.echo(jsonl_line(record))
            if "error" in record["document"]:  # once, one line per file, beside the JSON
                stderr.print(failure_line(record["document"]["error"], lang), markup=False)
        else:
            _print_record(record, lang)
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


def _print_record(record: dict[str, Any], lang: str) -> None:
    doc = record["document"]
    if "error" in doc:
        stdout.print(
            failure_text(doc["error"], lang), markup=False, style="bold red", soft_wrap=True
        )
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
def _progress_bar(waiting: str, lang: str) -> Iterator[Any]:
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
        description = text("cli.importing", lang, **tally)
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
@lang_option
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
    lang: str,
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
            _progress_bar(
                text("cli.finding_files" if no_prefect else "cli.starting_prefect", lang), lang
            ) as progress,
        ):
            summary = launch_import(list(paths), db, batch_size, reextract, launch, progress)
    except ImportInterrupted as stop:
        stderr.print(interrupted_line(stop, lang), markup=False)
        ctx.exit(stop.exit_code)
    except Exception as err:  # noqa: BLE001 - the store or Prefect failed, not one file
        reason = cut(f"{type(err).__name__}: {err}", 300)
        hint = "" if no_prefect else text("cli.no_prefect_hint", lang, log=shown_path(log_file))
        raise click.ClickException(text("cli.stopped", lang, reason=reason) + hint) from err
    print_failures(summary, lang)
    _print_summary(summary, time.perf_counter() - began, lang, log_file)
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


def print_failures(summary: ImportSummary, lang: str) -> None:
    """Each failed file once, on stderr, the code's meaning in `lang` before the reader's detail,
    in lines of at most 100 characters (a path is never broken), then how to see the rest."""
    for line in summary.failures:
        stderr.print(failure_text(line, lang), markup=False, soft_wrap=True)
    if summary.failed > len(summary.failures):
        more, run = summary.failed - len(summary.failures), summary.run_id[:12]
        stderr.print(text("cli.more_failures", lang, n=more, run=run), markup=False)


def failure_text(line: str, lang: str) -> str:
    """A file's failure for a person (flows/strings.py:failure_line) in lines of at most 100
    characters, a path never broken."""
    whole = failure_line(line, lang)
    # the prefix and the path stay on the first line, however long the path: a reader (or a
    # grep for "failed: ") finds the file on the line that says it failed
    cut = re.search(r": (?=E\d{3}\b)", whole)
    head, rest = (whole[: cut.end()], whole[cut.end() :]) if cut else ("", whole)
    wrapped = textwrap.wrap(
        rest,
        100,
        initial_indent=head,
        subsequent_indent="  ",
        break_long_words=False,
        break_on_hyphens=False,
    )
    if head and wrapped and not wrapped[0].startswith(head.rstrip()):
        wrapped.insert(0, head.rstrip())
    return "\n".join(wrapped)


def interrupted_line(stop: ImportInterrupted, lang: str) -> str:
    """How far an interrupted import got, and what to do next."""
    if stop.run_id is None:
        return text("cli.interrupted_early", lang, signal=stop.signal_name)
    return text(
        "cli.interrupted",
        lang,
        run=stop.run_id[:12],
        signal=stop.signal_name,
        done=stop.files_done,
        total=stop.files_total,
    )


def _print_summary(
    summary: ImportSummary, wall: float, lang: str = "vi", log_file: Path | None = None
) -> None:
    """The run's counts, and its time as the user waited for it (`wall`: Prefect's start-up
    included), with the import's own time beside it when they differ; lines of at most 100
    characters, the run id shortened (`baocao runs --run` takes a prefix); where the log is."""
    loaded = ", ".join(f"{count} {kind}" for kind, count in summary.facts.items())
    counts = {k: getattr(summary, k) for k in ("files", "ok", "skipped", "failed")}
    head = text("cli.summary", lang, run=summary.run_id[:12], seconds=wall, **counts)
    lines = textwrap.wrap(head, 100, subsequent_indent="  ")
    if wall - summary.seconds >= 1:
        lines.append(text("cli.start_up", lang, seconds=summary.seconds))
    lines += textwrap.wrap(
        text("cli.facts_loaded", lang, facts=loaded), 100, subsequent_indent="  "
    )
    lines.append(text("cli.database", lang, db=summary.database))
    if log_file and log_file.exists():
        lines.append(text("cli.log", lang, path=shown_path(log_file)))
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
@lang_option
def runs(db: str | None, run_id: str | None, limit: int, lang: str) -> None:
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

    engine = open_store(db, lang)
    try:
        interrupt_abandoned_runs(engine)
        listed = facts_frame(engine, "runs").iloc[::-1]
        outcomes = facts_frame(engine, "outcomes")
    finally:
        engine.dispose()
    if run_id:
        listed = listed[listed["id"].str.startswith(run_id)]
        if listed.empty:
            raise click.BadParameter(text("cli.no_run", lang, run=run_id), param_hint="--run")
    listed = listed.head(limit)
    if listed.empty:
        stderr.print(text("cli.no_runs", lang))
        return
    shown = outcomes[outcomes["run_id"].isin(listed["id"])]
    if not run_id:
        shown = shown[shown["status"] == "error"]
    here = this_host()
    started = listed["started_at"].astype(str).str[:19]
    listed = listed.assign(
        id=listed["id"].str[:12],
        status=[
            _said(status_label(status, None if missing(host) else host, here), lang)
            for status, host in zip(listed["status"], listed["host"], strict=True)
        ],
        started_at=started,
        finished_at=[
            _finished(status, None if missing(at) else str(at)[:19], began, lang)
            for status, at, began in zip(
                listed["status"], listed["finished_at"], started, strict=True
            )
        ],
        paths=listed["paths"].map(lambda p: ", ".join(json.loads(p))),
    )
    columns = [
        "id",
        "started_at",
        "finished_at",
        "status",
        "files_seen",
        "files_ok",
        "files_skipped",
        "files_failed",
        "paths",
    ]
    heads = text("cli.runs_heads", lang).split(";")
    print_table(listed[columns], text("cli.runs_title", lang), heads=heads)
    if not shown.empty:
        shown = shown.assign(status=[_said(status, lang) for status in shown["status"]])
        print_table(
            shown[["run_id", "status", "message"]],
            text("cli.file_outcomes" if run_id else "cli.failed_files", lang),
            heads=text("cli.outcome_heads", lang).split(";"),
            max_lines=6,  # a file's reason is read whole
        )


def _said(status: str, lang: str) -> str:
    """A run's or a file's status in `lang` (one with a host in it stays as it is)."""
    key = f"status.{status}"
    return text(key, lang) if key in STRINGS else status


def _finished(status: str, at: str | None, started: str, lang: str) -> str:
    """When a run finished: its time alone when it is the day it started; "unknown" for an
    interrupted run whose process was found gone."""
    if at is None:
        return text("status.unknown", lang) if status == "interrupted" else ""
    return at[11:] if at[:10] == started[:10] else at


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
@lang_option
def serve(
    folder: str,
    interval: float,
    db: str | None,
    batch_size: int,
    workers: int,
    no_prefect: bool,
    once: bool,
    verbose: bool,
    lang: str,
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
        counts = {k: getattr(summary, k) for k in ("files", "ok", "skipped", "failed")}
        stderr.print(text("cli.imported", lang, run=summary.run_id[:12], **counts), markup=False)
        print_failures(summary, lang)

    watching = text(
        "cli.watching", lang, folder=folder, interval=interval, log=shown_path(log_file)
    )
    stderr.print(watching, markup=False)
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
            stderr.print(interrupted_line(stop, lang), markup=False)
        stderr.print(text("cli.stopped_by", lang, signal=stop.signal_name), markup=False)
    except KeyboardInterrupt:
        stderr.print(text("cli.stopped_plain", lang), markup=False)
