"""A small Python API for analysts: one object over one store, every answer a pandas DataFrame.

Example, in a notebook::

    >>> from flows.api import Archive
    >>> archive = Archive("sqlite:///baocao.db")          # or Archive() for $BAOCAO_DB
    >>> archive.documents()[["file_name", "issuer", "period_key"]]
    >>> archive.facts("awards", document="hoaan-duk-2022.docx")
    >>> table = archive.compare(issuer="Hòa An", metrics="party.*")
    >>> table[["metric", "period_key", "value", "change", "pct_change", "conflict"]]
    >>> archive.wide(table)                               # metric × period, as in a report
    >>> archive.metrics(issuer="Hòa An").provenance[0]    # where the first value was read
    >>> archive.findings()[["code", "message", "document"]]
    >>> archive.unmapped(issuer="Hòa An")                 # quantities no metric takes
    >>> archive.export(table, "hoaan.html")               # also .xlsx, .csv, .json

Metrics come from `schemas/vocab/metrics.json` unless `metrics_file` (or $BAOCAO_METRICS) names
another taxonomy; see that file's `about` for how to add one.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from pathlib import Path
from types import TracebackType

import pandas as pd

from extractors.metrics.taxonomy import Taxonomy, load_taxonomy
from flows.analysis import compare as comparison
from flows.analysis import metrics as metric_module
from flows.analysis.export import to_html, to_xlsx
from flows.store import KINDS
from flows.store.engine import create_schema, engine_for
from flows.store.organisation_edits import organisation_list
from flows.store.read import corrected_facts, facts_frame


class Archive:
    """The facts of a store, ready for analysis.

    `db` is a database URL or an SQLite file (default: $BAOCAO_DB, else ./baocao.db); the
    schema is created if missing, so an empty archive answers with empty frames.
    """

    def __init__(self, db: str | None = None, *, metrics_file: str | Path | None = None) -> None:
        self.engine = engine_for(db)
        create_schema(self.engine)
        self._metrics_file = metrics_file

    # context manager and clean-up -------------------------------------------------------------

    def close(self) -> None:
        """Release the database connections."""
        self.engine.dispose()

    def __enter__(self) -> Archive:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"Archive({self.engine.url.render_as_string(hide_password=True)!r})"

    # facts ------------------------------------------------------------------------------------

    @property
    def taxonomy(self) -> Taxonomy:
        """The metric taxonomy in use (reloaded when its file changes)."""
        return load_taxonomy(self._metrics_file)

    def documents(self) -> pd.DataFrame:
        """Every stored document without its text: issuer, identifier, period, ..."""
        return facts_frame(self.engine, "documents")

    def organisations(self, issuer: str | None = None) -> pd.DataFrame:
        """The issuing organisations (or those `issuer` names): id, name, parent line, place,
        documents, every spelling, the bodies merged into each (`baocao organisations list`)."""
        return organisation_list(self.engine, issuer)

    def facts(self, kind: str, document: str | None = None) -> pd.DataFrame:
        """All facts of one kind (quantities, awards, references, dates, periods, findings,
        sections, documents, outcomes, runs), optionally of one document (SHA-256, prefix of
        it, or file name), each with its provenance; people's corrections are applied, as in
        `baocao facts` and the web app (review_status, reviewed_by, reviewed_at say so)."""
        if kind not in KINDS:
            raise ValueError(f"unknown kind {kind!r}; choose one of {', '.join(KINDS)}")
        return corrected_facts(self.engine, kind, document)

    def findings(self, document: str | None = None) -> pd.DataFrame:
        """Consistency findings: code, message, document, section, sentence, start, end."""
        return comparison.findings_frame(self.engine, document)

    # metrics and comparison -------------------------------------------------------------------

    def metrics(
        self, issuer: str | None = None, metrics: str | Sequence[str] | None = None
    ) -> pd.DataFrame:
        """One value per metric, document and period, with its provenance (a dict per row)."""
        return metric_module.metric_values(self.engine, issuer, metrics, taxonomy=self.taxonomy)

    def unmapped(self, issuer: str | None = None) -> pd.DataFrame:
        """The quantities of the chosen documents that no metric takes."""
        return metric_module.unmapped_quantities(self.engine, issuer, taxonomy=self.taxonomy)

    def compare(
        self,
        issuer: str | None = None,
        metrics: str | Sequence[str] | None = None,
        start: str | date | None = None,
        end: str | date | None = None,
    ) -> pd.DataFrame:
        """Metric × period rows with change from the previous period of the same kind and
        conflicts flagged (see `flows.analysis.compare.compare`)."""
        return comparison.compare(self.engine, issuer, metrics, start, end, taxonomy=self.taxonomy)

    @staticmethod
    def wide(table: pd.DataFrame) -> pd.DataFrame:
        """A comparison pivoted to one row per metric and one column per period."""
        return comparison.wide(table)

    @staticmethod
    def export(table: pd.DataFrame, path: str | Path, lang: str = "vi") -> Path:
        """Write a comparison as .json, .csv, .xlsx or .html, chosen by the file's suffix; heads
        and words in `lang` (vi or en)."""

        target = Path(path)
        suffix = target.suffix.lower()
        if suffix == ".xlsx":
            to_xlsx(table, str(target), lang)
        elif suffix in (".html", ".htm"):
            target.write_text(to_html(table, lang=lang), encoding="utf-8")
        elif suffix == ".csv":
            target.write_text(comparison.to_csv(table, lang), encoding="utf-8")
        elif suffix == ".json":
            target.write_text(comparison.to_json(table), encoding="utf-8")
        else:
            raise ValueError(f"cannot tell the format of {target.name}: use .json, .csv, "
                             ".xlsx or .html")  # fmt: skip
        return target
