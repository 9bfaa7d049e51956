"""Every Word table is stored as cells, and indicator tables as rows of their own."""

from __future__ import annotations

from pathlib import Path

import pytest

from flows.ingest.run import run_import
from flows.store.engine import engine_for
from flows.store.read import facts_frame

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"


@pytest.mark.slow
def test_indicator_rows_and_cells_are_stored_with_their_place(tmp_path: Path) -> None:
    report = CORPUS / "hoaan-duk-2023-h1.docx"
    if not report.exists():
        pytest.fail(f"the shared corpus is missing: {report}")
    url = f"sqlite:///{tmp_path / 't.db'}"
    run_import([str(report)], url)
    engine = engine_for(url)
    indicators = facts_frame(engine, "indicators")
    cells = facts_frame(engine, "table_cells")
    engine.dispose()
    row = indicators[indicators["indicator"] == "Kết nạp đảng viên mới"].iloc[0]
    assert (row["unit"], row["plan"], row["achieved"], row["previous"], row["percent"]) == (
        "Đảng viên",
        140,
        64,
        58,
        45.7,
    )
    merged = cells[(cells["table_index"] == 2) & (cells["header"])]
    assert "Cùng kỳ năm 2022" in set(merged["text"])
    achieved = cells[
        (cells["table_index"] == 2) & (cells["row_index"] == 2) & (cells["column_index"] == 4)
    ]
    assert achieved["text"].tolist() == ["64"]
