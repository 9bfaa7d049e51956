"""`baocao facts` in a terminal: a chosen set of columns as wide as the terminal, at most three
lines a row, integers as integers, ids shortened; --columns and --wide; csv unchanged."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pandas as pd
from rich.console import Console

from flows.cli.tables import MAX_LINES, cell_text, chosen_columns, readable_table, table_of
from flows.store.engine import create_schema, engine_for
from flows.store.load import load_reports
from flows.store.runs import start_run
from schemas.models import Report

ROOT = Path(__file__).resolve().parents[1]


def _rendered(table: object, width: int) -> list[str]:
    console = Console(width=width, record=True, force_terminal=False)
    with console.capture() as capture:
        console.print(table)
    return capture.get().split("\n")


def test_cells_print_integers_as_integers_and_short_ids() -> None:
    assert cell_text("value", 58.0) == "58"
    assert cell_text("value", 12.5) == "12.5"
    assert cell_text("document_id", "ab" * 32) == "ab" * 6
    assert cell_text("text", "Kết nạp\n 65   đảng viên") == "Kết nạp 65 đảng viên"
    assert cell_text("unit", pd.NA) == "" and cell_text("unit", None) == ""


def test_a_long_row_takes_at_most_three_lines_within_the_width() -> None:
    sentence = (
        "Trong 6 tháng đầu năm, Đảng bộ xã Tân Lập đã xem xét, kết nạp được 17 quần chúng ưu tú "
        "vào Đảng, nâng tổng số đảng viên toàn Đảng bộ lên 412 đồng chí, sinh hoạt tại 19 chi bộ"
    )
    frame = pd.DataFrame(
        {
            "document_id": ["f" * 64, "e" * 64],
            "file_name": ["bao-cao-so-ket-6-thang-dau-nam-2024-dang-bo-xa-tan-lap.docx"] * 2,
            "value": [17.0, 412.0],
            "unit": ["quần chúng ưu tú", "đảng viên"],
            "section": ["I/1", "I/1"],
            "text": [sentence, "412 đồng chí"],
            "review_status": [pd.NA, pd.NA],
        }
    )
    lines = _rendered(readable_table(frame, "quantities", 80), 80)
    assert max(len(line) for line in lines) <= 80
    first = next(i for i, line in enumerate(lines) if line.startswith("17 "))
    assert "17.0" not in "".join(lines)
    # the first row ends where the second begins (its value column holds 412)
    second = next(i for i, line in enumerate(lines) if line.startswith("412 "))
    assert second - first <= MAX_LINES
    assert "review_status" not in "".join(lines[:first])  # no row was reviewed


def test_columns_are_chosen_by_kind_or_by_name() -> None:
    available = ["document_id", "file_name", "value", "unit", "text", "review_status"]
    assert chosen_columns("quantities", available) == ["value", "unit", "file_name", "text"]
    assert chosen_columns("quantities", available, reviewed=True)[-1] == "review_status"
    assert chosen_columns("quantities", available, ["unit", "value"]) == ["unit", "value"]
    try:
        chosen_columns("quantities", available, ["verb_phrase"])
    except ValueError as err:
        assert "verb_phrase" in str(err)
    else:
        raise AssertionError("an unknown column must be refused")


def test_baocao_facts_fits_an_80_column_terminal(
    tmp_path: Path, make_report: Callable[..., Report]
) -> None:
    url = f"sqlite:///{tmp_path / 'facts.db'}"
    engine = engine_for(url)
    create_schema(engine)
    load_reports(engine, [make_report("bao-cao-so-ket.txt")], start_run(engine, ["x"]))
    engine.dispose()

    def facts(*args: str) -> str:
        done = subprocess.run(
            [sys.executable, "-c", "from flows.cli import main; main()", "facts", *args],
            cwd=ROOT,
            env={**os.environ, "COLUMNS": "80"},
            capture_output=True,
            text=True,
            check=True,
        )
        return done.stdout

    table = facts("quantities", "--db", url)
    assert max(len(line) for line in table.split("\n")) <= 80
    assert "65.0" not in table and "65" in table
    wide = facts("quantities", "--db", url, "--wide")
    assert "sentence_index" in wide
    only_units = facts("quantities", "--db", url, "--columns", "unit")
    assert "unit" in only_units and "file_name" not in only_units
    csv = facts("quantities", "--db", url, "--format", "csv")
    assert csv.split("\n")[0].startswith("document_id,file_name,value,unit")


def test_one_printer_keeps_ids_and_words_whole_when_they_fit() -> None:
    # as `baocao runs` prints its runs: a run id, two times, counts and a folder
    frame = pd.DataFrame(
        {
            "run_id": ["9c1e" + "0" * 28, "7b2d" + "1" * 28],
            "started_at": ["2026-11-30 08:15:02", "2026-12-01 14:40:51"],
            "finished_at": ["08:16:40", "unknown"],
            "status": ["completed", "interrupted"],
            "files_seen": [1204.0, 37.0],
            "paths": ["/srv/luu-tru/dang-uy-khoi/2019-2023", "/srv/luu-tru/moi"],
        }
    )
    heads = ["run", "started (UTC)", "finished", "status", "files", "paths"]
    lines = _rendered(table_of(frame, "import runs", 72, heads=heads), 72)
    text = "\n".join(lines)
    assert max(len(line) for line in lines) <= 72
    assert "9c1e00000000" in text and "7b2d11111111" in text  # 12 characters, never broken
    assert "2026-11-30" in text and "interrupted" in text and "1204" in text
    assert "1204.0" not in text and "import runs (2)" in lines[0]
