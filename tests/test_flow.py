"""Importing end to end: file discovery, per-file failures as data, resumable and idempotent runs,
the Prefect flow under one session-wide test harness, and the `baocao` CLI (ingest and extract)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import Engine

from flows.cli import main
from flows.ingest import prefect as prefect_module
from flows.ingest import run as ingest_module
from flows.ingest.discover import discover_files
from flows.ingest.run import extract_files, run_import
from flows.store import load as store
from flows.store.engine import create_schema, engine_for
from flows.store.read import facts_frame, row_counts
from flows.store.runs import start_run
from schemas.models import Report

BAD_FILES = ("empty.docx", "junk.docx")
MAIN = Path(__file__).resolve().parents[1]


def _names(paths: list[str]) -> list[str]:
    return [Path(p).name for p in paths]


def _stored(url: str) -> dict[str, int]:
    engine = engine_for(url)
    try:
        counts = row_counts(engine)
    finally:
        engine.dispose()
    return {k: v for k, v in counts.items() if k not in ("import_runs", "file_outcomes")}


# ---------------------------------------------------------------------------------------------
# Discovery
# ---------------------------------------------------------------------------------------------


def test_discovery_skips_hidden_and_lock_files_and_ends_link_loops(inbox: Path) -> None:
    found = discover_files([inbox])
    assert _names(found.files) == ["empty.docx", "yenbai-duk-tdkt-2023-h1.txt", "junk.docx"]
    assert found.problems == []


def test_discovery_lists_a_file_once_whatever_the_paths_given(inbox: Path) -> None:
    report = inbox / "yenbai-duk-tdkt-2023-h1.txt"
    found = discover_files([report, inbox, inbox / "sub" / "loop"])
    assert _names(found.files).count(report.name) == 1
    assert found.files[0] == str(report)


def test_unreadable_folder_becomes_a_problem_not_a_crash(
    inbox: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_scandir = os.scandir
    locked = str(inbox / "sub")

    def scandir(path):  # type: ignore[no-untyped-def]
        if os.fspath(path) == locked:  # root ignores chmod, so refuse the folder here
            raise PermissionError(13, "Permission denied", locked)
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", scandir)
    found = discover_files([inbox])

    assert _names(found.files) == ["empty.docx", "yenbai-duk-tdkt-2023-h1.txt"]
    [problem] = found.problems
    assert problem.message == f"{locked}: E006 folder cannot be read (Permission denied)"


def test_named_pipe_and_broken_link_are_reported_without_reading(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "pipe.txt")  # opening it would block forever
    (tmp_path / "gone.docx").symlink_to(tmp_path / "nowhere.docx")
    found = discover_files([tmp_path])

    assert found.files == []
    assert sorted(_names([p.path for p in found.problems])) == ["gone.docx", "pipe.txt"]
    assert all(p.status == "error" and p.error_code == "E006" for p in found.problems)


# ---------------------------------------------------------------------------------------------
# Extracting and loading without Prefect
# ---------------------------------------------------------------------------------------------


def test_every_failing_file_becomes_an_error_item_and_the_batch_goes_on(
    inbox: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    boom = inbox / "boom.txt"
    boom.write_text("x")
    real = ingest_module._extractor()

    def extract(path: str):  # type: ignore[no-untyped-def]
        if path.endswith("boom.txt"):
            raise RuntimeError("regex\nexploded")
        return real(path)

    paths = [str(inbox / n) for n in ("empty.docx", "boom.txt", "yenbai-duk-tdkt-2023-h1.txt")]
    monkeypatch.setattr(ingest_module, "_extractor", lambda: extract)
    items = extract_files(paths)

    # errors travel as the coded exception, naming the file, until the store records them
    assert [type(i).__name__ for i in items] == ["EmptyFileError", "BaocaoError", "Report"]
    assert items[0].code == "E001" and items[0].one_line().startswith(paths[0])
    assert items[1].code == "E000"
    assert items[1].one_line() == f"{paths[1]}: E000 unexpected RuntimeError: regex exploded"


def test_import_without_prefect_records_outcomes_and_repeats_as_a_no_op(
    inbox: Path, fresh_db: str
) -> None:
    first = run_import([str(inbox)], fresh_db, batch_size=2)
    after_first = _stored(fresh_db)
    second = run_import([str(inbox)], fresh_db, batch_size=2)

    assert (first.files, first.ok, first.skipped, first.failed) == (3, 1, 0, 2)
    assert (second.ok, second.skipped, second.failed) == (0, 1, 2)
    assert _stored(fresh_db) == after_first
    assert after_first["documents"] == 1 and after_first["quantities"] > 0
    assert sorted(Path(line.split(":")[0]).name for line in first.failures) == sorted(BAD_FILES)


def test_rerun_reads_only_files_not_yet_stored(
    inbox: Path, fresh_db: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    run_import([str(inbox)], fresh_db)
    real, extracted = ingest_module._extractor(), []

    def counting(path: str):  # type: ignore[no-untyped-def]
        extracted.append(Path(path).name)
        return real(path)

    monkeypatch.setattr(ingest_module, "_extractor", lambda: counting)
    run_import([str(inbox)], fresh_db)
    assert sorted(extracted) == sorted(BAD_FILES)
    run_import([str(inbox)], fresh_db, reextract=True)
    assert "yenbai-duk-tdkt-2023-h1.txt" in extracted


def test_rows_the_database_refuses_fail_only_their_file(
    fresh_db: str, make_report: Callable[..., Report], monkeypatch: pytest.MonkeyPatch
) -> None:
    engine: Engine = engine_for(fresh_db)
    create_schema(engine)
    good, bad = make_report("good.txt"), make_report("bad.txt", content="Có 12 chi bộ.")
    real_rows = store.fact_rows

    def rows(report):  # type: ignore[no-untyped-def]
        out = real_rows(report)
        if report is bad:
            out["quantities"][0]["unit"] = None  # NOT NULL: the database refuses it
        return out

    monkeypatch.setattr(store, "fact_rows", rows)
    run = start_run(engine, ["x"])
    summary = store.load_extracted(engine, run, [good, bad])

    assert (summary.ok, summary.failed) == (1, 1)
    assert summary.failures[0].startswith("/archive/bad.txt: E000 the database refused")
    assert facts_frame(engine, "documents")["file_name"].tolist() == ["good.txt"]
    engine.dispose()


# ---------------------------------------------------------------------------------------------
# Prefect and the CLI, end to end
# ---------------------------------------------------------------------------------------------


@pytest.mark.slow
def test_prefect_flow_imports_a_folder_and_publishes_a_summary(
    prefect_harness: None, inbox: Path, fresh_db: str
) -> None:
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import ArtifactFilter, ArtifactFilterFlowRunId

    state = prefect_module.ingest(paths=[str(inbox)], db=fresh_db, batch_size=2, return_state=True)
    summary = state.result()
    counts = _stored(fresh_db)
    again = prefect_module.ingest(paths=[str(inbox)], db=fresh_db, batch_size=2)

    assert (summary.files, summary.ok, summary.skipped, summary.failed) == (3, 1, 0, 2)
    assert len(summary.batches) == 2  # one task per batch of two files, not one per file
    assert (again.ok, again.skipped, again.failed) == (0, 1, 2)
    assert _stored(fresh_db) == counts
    # (prefect.artifacts.Artifact.get leaves its client's socket open: read through a client)
    run_filter = ArtifactFilterFlowRunId(any_=[state.state_details.flow_run_id])
    with get_client(sync_client=True) as client:
        [artifact] = client.read_artifacts(artifact_filter=ArtifactFilter(flow_run_id=run_filter))
    assert artifact.key == "baocao-import" and artifact.type == "table"
    rows = json.loads(artifact.data) if isinstance(artifact.data, str) else artifact.data
    total = rows[-1]
    assert total["batch"] == "total" and (total["files"], total["failed"]) == (3, 2)


@pytest.mark.slow
def test_cli_ingest_reports_bad_files_and_loads_good_ones(
    prefect_harness: None, inbox: Path, tmp_path: Path
) -> None:
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    result = CliRunner().invoke(main, ["ingest", str(inbox), "--db", url, "--batch-size", "2"])

    assert result.exit_code == 1, result.output
    failed = [line for line in result.stderr.splitlines() if line.startswith("failed: ")]
    assert sorted(Path(line.split(": ")[1]).name for line in failed) == sorted(BAD_FILES)
    assert "Traceback" not in result.output
    assert "3 files, 1 loaded, 0 skipped, 2 failed" in result.stdout
    assert max(len(line) for line in result.stdout.splitlines()) <= 100  # read in a terminal
    counts = _stored(url)
    assert counts["documents"] == 1 and counts["cited_documents"] > 0 and counts["quantities"] > 0

    again = CliRunner().invoke(main, ["ingest", str(inbox), "--db", url])
    assert again.exit_code == 1
    assert "3 files, 0 loaded, 1 skipped, 2 failed" in again.stdout
    assert _stored(url) == counts


def test_cli_ingest_without_prefect_gives_the_same_result(inbox: Path, tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'plain.db'}"
    result = CliRunner().invoke(main, ["ingest", str(inbox), "--db", url, "--no-prefect"])

    assert result.exit_code == 1
    assert len([ln for ln in result.stderr.splitlines() if ln.startswith("failed: ")]) == 2
    assert _stored(url)["documents"] == 1
    facts = CliRunner().invoke(main, ["facts", "references", "--db", url, "--format", "json"])
    assert facts.exit_code == 0 and len(json.loads(facts.stdout)) == _stored(url)["cited_documents"]
    runs = CliRunner().invoke(main, ["runs", "--db", url])
    assert runs.exit_code == 0 and "junk.docx: E003" in runs.stdout


def test_cli_ingest_with_bad_options_is_a_usage_error(inbox: Path) -> None:
    result = CliRunner().invoke(main, ["ingest", str(inbox), "--batch-size", "0"])
    assert result.exit_code == 2 and "Invalid value for '--batch-size'" in result.stderr


def _baocao(*args: str) -> subprocess.CompletedProcess[str]:
    code = "import sys; from flows.cli import main; main()"
    return subprocess.run(
        [sys.executable, "-c", code, *args],
        capture_output=True,
        text=True,
        cwd=MAIN,
        timeout=120,
        check=False,
    )


def test_cli_extract_prints_one_json_line_per_file_in_order(inbox: Path) -> None:
    names = ["yenbai-duk-tdkt-2023-h1.txt", "empty.docx", "sub/junk.docx"]
    result = _baocao("extract", "--format", "jsonl", *(str(inbox / n) for n in names))

    assert result.returncode == 1
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [line["document"]["source"] for line in lines] == [str(inbox / n) for n in names]
    assert lines[0]["document"]["period"]["key"] == "2023-H1" and lines[0]["quantities"]
    assert [line["document"].get("code") for line in lines[1:]] == ["E001", "E003"]
    assert all(str(inbox) in line["document"]["error"] for line in lines[1:])
    assert len(result.stderr.splitlines()) == 2 and "Traceback" not in result.stderr


def test_cli_extract_never_imports_prefect(inbox: Path) -> None:
    report = inbox / "yenbai-duk-tdkt-2023-h1.txt"
    code = (
        "import sys; from click.testing import CliRunner; from flows.cli import main; "
        f"result = CliRunner().invoke(main, ['extract', {str(report)!r}]); "
        "assert result.exit_code == 0, result.output; "
        "print(sorted(m for m in ('prefect', 'pandas', 'sqlalchemy') if m in sys.modules))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        cwd=MAIN,
        timeout=60,
        check=True,
    )
    assert result.stdout.strip() == "[]"


def test_loading_is_retried_only_when_the_database_was_busy(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from sqlalchemy.exc import IntegrityError, OperationalError

    from flows.store import load as loading

    calls: list[int] = []
    failures: list[Exception] = []

    def load(*_args: object, **_kwargs: object) -> loading.BatchSummary:
        calls.append(1)
        if failures:
            raise failures.pop(0)
        return loading.BatchSummary(files=1, ok=1, skipped=0, failed=0)

    monkeypatch.setattr(loading, "load_extracted", load)
    locked = OperationalError("INSERT", {}, Exception("database is locked"))
    failures[:] = [locked, locked]
    assert loading.load_with_retries(None, "run", [], delay=0).ok == 1  # type: ignore[arg-type]
    assert len(calls) == 3
    calls.clear()
    failures[:] = [locked, locked, locked]
    with pytest.raises(OperationalError):
        loading.load_with_retries(None, "run", [], delay=0)  # type: ignore[arg-type]
    assert len(calls) == 3
    calls.clear()
    failures[:] = [IntegrityError("INSERT", {}, Exception("constraint"))]
    with pytest.raises(IntegrityError):
        loading.load_with_retries(None, "run", [], delay=0)  # type: ignore[arg-type]
    assert len(calls) == 1


def test_a_prefect_import_starts_one_pool_before_the_flow(
    prefect_harness: None, inbox: Path, fresh_db: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from flows.ingest import launch
    from flows.ingest import pool as batches

    made: list[int] = []

    class Counted(batches.ExtractionPool):
        def __init__(self, workers: int) -> None:
            made.append(workers)
            super().__init__(workers)

    for module in (launch, batches, ingest_module, prefect_module):
        monkeypatch.setattr(module, "ExtractionPool", Counted)
    summary = launch.launch_import([str(inbox)], fresh_db, 2, launch=launch.Launch(True, 1))

    assert (summary.ok, summary.failed) == (1, 2)
    assert made == [1]  # warmed while Prefect starts, and the flow's tasks use it


def test_an_unchanged_folder_is_imported_again_without_starting_prefect(
    inbox: Path, fresh_db: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from flows.ingest import launch
    from flows.ingest import prefect as flow_module
    from flows.ingest.run import anything_to_extract

    assert anything_to_extract([str(inbox)], fresh_db)  # a store without tables: all is new
    first = launch.launch_import([str(inbox)], fresh_db, 2, launch=launch.Launch(False, 0))
    assert (first.ok, first.failed) == (1, 2)
    # the good file is stored and the two bad ones failed under these rules: nothing new
    assert not anything_to_extract([str(inbox)], fresh_db)

    def no_flow(*args: object, **kwargs: object) -> None:
        raise AssertionError("Prefect must not start for an import with nothing new")

    monkeypatch.setattr(flow_module, "run_flow", no_flow)
    again = launch.launch_import([str(inbox)], fresh_db, 2, launch=launch.Launch(True, 0))
    assert (again.ok, again.skipped, again.failed) == (0, 1, 2)

    (inbox / "new.txt").write_text("Chi bộ thôn Đông kết nạp 03 đảng viên mới.", encoding="utf-8")
    assert anything_to_extract([str(inbox)], fresh_db)
