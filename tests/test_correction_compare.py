"""A person's correction of a figure reaches the comparison, and survives a re-extraction."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from flows.analysis.compare import compare
from flows.ingest.run import run_import
from flows.store.corrections import record_correction
from flows.store.engine import engine_for
from schemas.tables import documents, quantities

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"


@pytest.mark.slow
def test_corrected_figure_shows_in_compare_after_reextraction(tmp_path: Path) -> None:
    if not CORPUS.is_dir():
        pytest.fail(f"the shared corpus is missing: {CORPUS}")
    report = CORPUS / "hoaan-duk-2022.docx"
    url = f"sqlite:///{tmp_path / 'c.db'}"
    run_import([str(report)], url)
    engine = engine_for(url)

    def admitted() -> float:
        frame = compare(engine, issuer="Hòa An", metrics=["party.new_members_admitted"])
        return float(frame.loc[frame["period_key"] == "2022", "value"].iloc[0])

    assert admitted() == 131
    with engine.connect() as conn:
        doc_id, fact_id = conn.execute(
            select(documents.c.id, quantities.c.id)
            .join(quantities, quantities.c.document_id == documents.c.id)
            .where(quantities.c.value == 131, quantities.c.rule != "table.cell")
        ).first()
    record_correction(
        engine,
        document_id=doc_id,
        kind="quantities",
        action="edit",
        author="Lưu trữ viên",
        fact_id=fact_id,
        values={"value": 133},
    )
    assert admitted() == 133
    run_import([str(report)], url, reextract=True)
    assert admitted() == 133
    engine.dispose()
