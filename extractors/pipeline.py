"""`extract(path) -> Report`: read, normalise, structure and extract one file. Pure: no database,
no Prefect, no printing; the same bytes give the same report."""

from __future__ import annotations

from pathlib import Path

from extractors.context import Context
from extractors.facts import (
    awards,
    checks,
    dates,
    figure_periods,
    periods,
    quantities,
    references,
    table_kinds,
)
from extractors.readers import read_source
from extractors.text.normalize import normalise_blocks
from extractors.text.structure import build_structure
from schemas.errors import BaocaoError, EmptyFileError
from schemas.models import Report, Source


def extract(path: str | Path, ocr: str = "auto") -> Report:
    """Extract every fact from one file; raises a BaocaoError subclass when it cannot be read.

    ``ocr`` is auto (pages without a text layer), always or never.
    """

    source = read_source(path, ocr=ocr)
    try:
        return extract_source(source)
    except BaocaoError as err:
        err.path = err.path or str(path)
        err.sha256 = err.sha256 or source.sha256
        raise


def extract_source(source: Source) -> Report:
    text = normalise_blocks(source.blocks)
    if not text.text.strip():
        raise EmptyFileError(
            "the file holds no text (an empty document or a scan without OCR)",
            path=source.path,
            stage="normalise",
            sha256=source.sha256,
        )
    structure = build_structure(text, source.blocks)
    ctx = Context(text=text, blocks=source.blocks, structure=structure)
    refs = references.find_cited_documents(ctx)
    found_dates = dates.find_dates(ctx)
    found_periods = periods.find_periods(ctx)
    found_quantities = figure_periods.with_figure_periods(ctx, quantities.find_quantities(ctx))
    found_awards = awards.find_awards(ctx)
    tables, indicators, criteria = table_kinds.structured_tables(ctx)
    report = Report(
        source=source.path,
        format=source.format,
        sha256=source.sha256,
        size=source.size,
        text=text.text,
        header=structure.header,
        sections=tuple(structure.sections),
        sentences=tuple(structure.sentences),
        block_starts=text.block_starts,
        references=tuple(refs),
        dates=tuple(found_dates),
        periods=tuple(found_periods),
        quantities=tuple(found_quantities),
        awards=tuple(found_awards),
        tables=tuple(tables),
        indicators=tuple(indicators),
        criteria=tuple(criteria),
        warnings=source.warnings,
        encoding=source.encoding,
        blocks=source.blocks,
    )
    return report.model_copy(update={"findings": tuple(checks.find_inconsistencies(report))})
