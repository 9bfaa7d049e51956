"""The relational schema of the store: one row per document, one table per kind of fact, and the
records of import runs. SQLAlchemy Core only, dialect-neutral (SQLite and PostgreSQL).

A document is keyed by the SHA-256 of its bytes. Every fact row points at its document and keeps
its provenance: the text matched, its character span in the document's normalised text, the rule
that found it, the section and sentence it sits in, and for table cells the table/row/column.
"""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Column,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.dialects import postgresql

# Stable constraint and index names, so migrations (Alembic) can refer to them on every dialect.
metadata = MetaData(
    naming_convention={
        "ix": "ix_%(table_name)s_%(column_0_N_name)s",
        "uq": "uq_%(table_name)s_%(column_0_N_name)s",
        "ck": "ck_%(table_name)s_%(constraint_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)

SHA256 = String(64)

documents = Table(
    "documents",
    metadata,
    Column("id", SHA256, primary_key=True, comment="SHA-256 hex of the file's bytes"),
    Column("source", Text, nullable=False, comment="path as given when first imported"),
    Column("file_name", Text, nullable=False),
    Column("format", String(16), nullable=False),
    Column("size", Integer, nullable=False),
    Column("doc_type", Text),
    Column("title", Text),
    Column("issuer", Text),
    Column("identifier", Text),
    Column("place", Text),
    Column("parent_issuer", Text, comment="the line above the issuer in the header"),
    Column(
        "organisation_key",
        Text,
        comment="the issuing body's identity (extractors.organisations.Identity.key)",
    ),
    # not a foreign key: SQLite adds a column with one only by rebuilding the table
    Column("organisation_id", Integer, comment="organisations.id, people's merges applied"),
    Column("date", Date),
    Column("period_key", String(32)),
    Column("period_start", Date),
    Column("period_end", Date),
    Column("period_label", Text),
    Column("text", Text, nullable=False, comment="normalised text; every offset points into it"),
    Column("rules_version", String(32), nullable=False),
    Column("imported_at", DateTime(timezone=True), nullable=False),
    Index(None, "period_key"),
    Index(None, "doc_type"),
    Index(None, "issuer"),
    Index(None, "identifier"),
    Index(None, "date"),
    Index(None, "organisation_key"),
    Index(None, "organisation_id"),
)


def _document_id() -> Column:
    return Column(
        "document_id",
        SHA256,
        ForeignKey("documents.id", ondelete="CASCADE"),
        nullable=False,
        index=True,
    )


def _provenance() -> list[Column]:
    """Where a fact was found; the same columns on every fact table."""
    return [
        Column("text", Text, nullable=False, comment="the characters matched"),
        Column("start", Integer, nullable=False, comment="offset into documents.text"),
        Column("end", Integer, nullable=False),
        Column("rule", String(64), nullable=False),
        Column("section", Text, comment="section path, e.g. II/3/a)"),
        Column("sentence_index", Integer),
        Column("sentence", Text, comment="the whole sentence the fact sits in"),
        Column("block", Integer),
        Column("table_index", Integer),
        Column("row_index", Integer),
        Column("column_index", Integer),
        Column("confidence", Float, nullable=False, default=1.0),
    ]


def _fact_table(name: str, *columns: Column | Index | CheckConstraint) -> Table:
    return Table(
        name,
        metadata,
        Column("id", Integer, primary_key=True, autoincrement=True),
        _document_id(),
        *columns,
        *_provenance(),
    )


sections = Table(
    "sections",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    _document_id(),
    Column("path", Text, nullable=False),
    Column("label", Text, nullable=False),
    Column("level", Integer, nullable=False),
    Column("title", Text, nullable=False),
    Column("start", Integer, nullable=False),
    Column("end", Integer, nullable=False),
)

cited_documents = _fact_table(
    "cited_documents",
    Column("identifier", Text, nullable=False, comment="number and symbol as cited"),
    Column(
        "identifier_key",
        Text,
        nullable=False,
        comment="identifier uppercased, spaces removed, leading zeros stripped",
    ),
    Column("number", String(32)),
    Column("symbol", Text),
    Column("year", Integer),
    Column("style", String(16), nullable=False),
    Column("doc_type", Text),
    Column("date", Date),
    Column("issuer", Text),
    Column("subject", Text),
    Column("correction", Text),
    Index(None, "identifier_key"),
    Index(None, "doc_type"),
)

dates = _fact_table(
    "dates",
    Column("value", Date, nullable=False),
    Index(None, "value"),
)

periods = _fact_table(
    "periods",
    Column("period_key", String(32), nullable=False),
    Column("period_start", Date, nullable=False),
    Column("period_end", Date, nullable=False),
    Column("label", Text, nullable=False),
    Column("kind", String(16), nullable=False),
    Index(None, "period_key"),
)

_REFERS_TO = (
    "the period the text says the figure belongs to when it is not the document's own "
    "(2022-H1, 2024-9M, or a day 2023-12-15 for a point in time); NULL for the document's period"
)

quantities = _fact_table(
    "quantities",
    Column("value", Float, nullable=False),
    Column("unit", Text, nullable=False),
    Column("qualifier", Text),
    Column("of_total", Float),
    Column("verb", Text),
    Column("refers_to_key", String(32), comment=_REFERS_TO),
    Column("refers_to_start", Date, comment="its first day; NULL for a point in time"),
    Column("refers_to_end", Date, comment="its last day, or the day of a point in time"),
    Column("refers_to_text", Text, comment="the words that name it: 'cùng kỳ năm trước'"),
    Index(None, "unit"),
)

awards = _fact_table(
    "awards",
    Column("title", Text, nullable=False),
    Column("category", String(16), nullable=False),
    Column("recipient_kind", String(16)),
    Column("count", Integer),
    Column("authority", Text),
    Index(None, "title"),
    Index(None, "recipient_kind"),
)

findings = _fact_table(
    "findings",
    Column("code", String(32), nullable=False),
    Column("message", Text, nullable=False),
    Index(None, "code"),
)

# Tables as rows: one row per indicator-table row, per criteria-table row, per cell of every table.
indicators = _fact_table(
    "indicators",
    Column("indicator", Text, nullable=False, comment="the row's Chỉ tiêu"),
    Column("unit", Text, comment="its ĐVT cell"),
    Column("plan", Float, comment="Kế hoạch / chỉ tiêu"),
    Column("achieved", Float, comment="Thực hiện / kết quả of the report's period"),
    Column("previous", Float, comment="Cùng kỳ: the same period a year before"),
    Column("percent", Float, comment="Tỷ lệ %: achieved against plan"),
    Index(None, "indicator"),
)

criteria = _fact_table(
    "criteria",
    Column("code", String(32)),
    Column("criterion", Text, nullable=False),
    Column("unit", Text),
    Column("target", Float),
    Column(
        "points", Text, nullable=False, comment='JSON list of [tier, points], e.g. [["Tốt", 30]]'
    ),
)

table_cells = _fact_table(
    "table_cells",
    Column("table_kind", String(16), nullable=False, comment="award, indicator, criteria, ..."),
    Column("header", Boolean, nullable=False, comment="the cell is in a heading row"),
)

import_runs = Table(
    "import_runs",
    metadata,
    Column("id", String(32), primary_key=True, comment="uuid4 hex"),
    Column("started_at", DateTime(timezone=True), nullable=False),
    Column("finished_at", DateTime(timezone=True)),
    Column("paths", Text, nullable=False, comment="JSON list of the paths given"),
    Column("rules_version", String(32), nullable=False),
    Column("files_seen", Integer, nullable=False, default=0),
    Column("files_ok", Integer, nullable=False, default=0),
    Column("files_failed", Integer, nullable=False, default=0),
    Column("files_skipped", Integer, nullable=False, default=0),
    Column(
        "status",
        String(16),
        nullable=False,
        comment="running, completed, failed, interrupted (stopped by a signal; or its process "
        "found gone, finished_at then NULL)",
    ),
    Column("host", String(255), comment="the host name of the importing process"),
    Column("pid", Integer, comment="the importing process's id on that host"),
    Column(
        "process_started",
        Float,
        comment="the importing process's start time (seconds since the epoch): tells a reused "
        "pid apart",
    ),
    Index(None, "started_at"),
)

OUTCOME_STATUSES = ("ok", "skipped", "error")

file_outcomes = Table(
    "file_outcomes",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column(
        "run_id",
        String(32),
        ForeignKey("import_runs.id", ondelete="CASCADE"),
        nullable=False,
        index=True,
    ),
    Column("path", Text, nullable=False),
    Column("sha256", SHA256, nullable=True, index=True),
    Column("status", String(8), nullable=False, index=True),
    Column("error_code", String(8)),
    Column("message", Text),
    Column("at", DateTime(timezone=True), nullable=False),
    CheckConstraint(
        "status IN (" + ", ".join(f"'{s}'" for s in OUTCOME_STATUSES) + ")", name="status"
    ),
)

# Tables holding one document's extracted content, deleted and reloaded together on re-extraction.
FACT_TABLES: dict[str, Table] = {
    "sections": sections,
    "references": cited_documents,
    "dates": dates,
    "periods": periods,
    "quantities": quantities,
    "awards": awards,
    "findings": findings,
    "indicators": indicators,
    "criteria": criteria,
    "table_cells": table_cells,
}

# ---------------------------------------------------------------------------------------------
# People's review: corrections (who, when, what) and the folded text full-text search runs over
# ---------------------------------------------------------------------------------------------

CORRECTION_ACTIONS = ("confirm", "reject", "edit", "add")

# The kinds of fact a person can correct, named as in `tables.FACT_TABLES`.
CORRECTABLE_KINDS = ("references", "dates", "periods", "quantities", "awards", "findings")

corrections = Table(
    "corrections",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column(
        "document_id",
        SHA256,
        ForeignKey("documents.id", ondelete="CASCADE"),
        nullable=False,
        index=True,
    ),
    Column("kind", String(16), nullable=False, comment="a key of tables.FACT_TABLES"),
    Column("action", String(8), nullable=False, comment="confirm, reject, edit or add"),
    Column("start", Integer, nullable=False, comment="span in documents.text when corrected"),
    Column("end", Integer, nullable=False),
    Column("original_text", Text, nullable=False, comment="the characters of the span"),
    Column(
        "original_value",
        Text,
        comment="JSON of the fact's value columns as extracted (NULL for an added fact)",
    ),
    Column("value", Text, comment="JSON of the corrected value columns (edit and add)"),
    Column("context_before", Text, nullable=False, default="", comment="text before the span"),
    Column("context_after", Text, nullable=False, default="", comment="text after the span"),
    Column("rules_version", String(32), nullable=False, comment="rules of the corrected facts"),
    Column("note", Text),
    Column("author", Text, nullable=False, comment="who made the correction"),
    Column("created_at", DateTime(timezone=True), nullable=False),
    CheckConstraint(
        "action IN (" + ", ".join(f"'{a}'" for a in CORRECTION_ACTIONS) + ")", name="action"
    ),
    CheckConstraint(
        "kind IN (" + ", ".join(f"'{k}'" for k in CORRECTABLE_KINDS) + ")", name="kind"
    ),
    Index(None, "kind"),
)

document_search = Table(
    "document_search",
    metadata,
    Column(
        "document_id",
        SHA256,
        ForeignKey("documents.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    Column(
        "folded",
        Text,
        nullable=False,
        comment="documents.text folded for search: lower case, no tones or accents, đ as d, "
        "punctuation as spaces; one character for each character of the text",
    ),
    Column("identifier_key", Text, comment="the key of documents.identifier, for citations"),
    Column("year", Integer, comment="the year of documents.date"),
    Column("fold_version", String(16), nullable=False),
    Column(
        "indexed_imported_at",
        DateTime(timezone=True),
        nullable=False,
        comment="documents.imported_at when folded: a newer import makes the row stale",
    ),
    Index(None, "identifier_key"),
)

# PostgreSQL searches the folded text through this expression index (SQLite uses an FTS5 table
# made by migration 0005, which SQLAlchemy cannot describe), made by migration 0002 and by
# `create_all` alike. The configuration is text, not a literal column: SQLAlchemy finds an
# expression index's table from its first column, and a literal column has none. (PostgreSQL's
# own to_tsvector: the generic `func` one cannot be compiled once that dialect is loaded.)
Index(
    "ix_document_search_tsv",
    postgresql.to_tsvector(text("'simple'"), document_search.c.folded),
    postgresql_using="gin",
).ddl_if(dialect="postgresql")

# ---------------------------------------------------------------------------------------------
# People's decisions about series: two labels that alignment must never join again
# ---------------------------------------------------------------------------------------------

metric_splits = Table(
    "metric_splits",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("label_a", Text, nullable=False, comment="a label as the user gave it"),
    Column("label_b", Text, nullable=False),
    Column(
        "key_a", Text, nullable=False, comment="label_a folded (extractors.metrics.align.label_key)"
    ),
    Column("key_b", Text, nullable=False, comment="label_b folded; key_a < key_b"),
    Column("author", Text, nullable=False),
    Column("note", Text),
    Column("created_at", DateTime(timezone=True), nullable=False),
    UniqueConstraint("key_a", "key_b"),
    comment="pairs of metric labels a user split apart: compare never joins them into one series",
)


# ---------------------------------------------------------------------------------------------
# Organisations: the issuing bodies, every spelling seen, and people's renames and merges
# ---------------------------------------------------------------------------------------------

organisations = Table(
    "organisations",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column(
        "key",
        Text,
        nullable=False,
        unique=True,
        comment="name key and parent line's key, or name key and place's key "
        "(extractors.organisations.Identity.key)",
    ),
    Column("name", Text, nullable=False, comment="the name shown: a person's rename, or as read"),
    Column("parent", Text, comment="the parent line above the name, as first read"),
    Column("place", Text, comment="the place of its documents, as first read"),
    Column("name_key", Text, nullable=False),
    Column("parent_key", Text, nullable=False, default=""),
    Column("place_key", Text, nullable=False, default=""),
    Column(
        "merged_into",
        Integer,
        ForeignKey("organisations.id", ondelete="SET NULL"),
        comment="the organisation this one is one with (joined or merged); NULL: itself",
    ),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Index(None, "name_key"),
)

ORGANISATION_ALIAS_KINDS = ("name", "parent")

organisation_aliases = Table(
    "organisation_aliases",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column(
        "organisation_id",
        Integer,
        ForeignKey("organisations.id", ondelete="CASCADE"),
        nullable=False,
        index=True,
    ),
    Column("kind", String(8), nullable=False, comment="name or parent (the line above it)"),
    Column("alias", Text, nullable=False, comment="the spelling as read"),
    Column("alias_key", Text, nullable=False, comment="its key (organisations.name_key)"),
    UniqueConstraint("organisation_id", "kind", "alias"),
    CheckConstraint(
        "kind IN (" + ", ".join(f"'{k}'" for k in ORGANISATION_ALIAS_KINDS) + ")", name="kind"
    ),
    Index(None, "alias_key"),
)

ORGANISATION_EDIT_ACTIONS = ("rename", "merge", "split")

organisation_edits = Table(
    "organisation_edits",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("action", String(8), nullable=False, comment="rename, merge or split"),
    Column(
        "organisation_key",
        Text,
        nullable=False,
        comment="organisations.key of the one renamed, merged or split off",
    ),
    Column("into_key", Text, comment="merge: organisations.key of the one it joins"),
    Column("name", Text, comment="rename: the new name"),
    Column("note", Text),
    Column("author", Text, nullable=False, comment="who made the edit"),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("undone_at", DateTime(timezone=True), comment="when the edit was undone, if it was"),
    Column("undone_by", Text),
    CheckConstraint(
        "action IN (" + ", ".join(f"'{a}'" for a in ORGANISATION_EDIT_ACTIONS) + ")",
        name="action",
    ),
    Index(None, "organisation_key"),
)
