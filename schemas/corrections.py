"""The tables that people's review adds beside the extracted facts: the corrections they make (who,
when, what), and the folded text that full-text search runs over. Both live on the same MetaData as
`schemas.tables`, so `create_schema` creates them once this module is imported.

Also here: which columns of each kind of fact hold its value, which say what it *is* (its
identity across re-extractions), and which a person may edit.

A correction is keyed to the fact as it was seen, not to a fact row (rows are replaced when a
document is re-extracted): the document, the kind of fact, the character span, the text matched
and the normalised value, with some characters of context on either side so that the correction
can be found again in a re-extracted text.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import (
    CheckConstraint,
    Column,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
    text,
)
from sqlalchemy.dialects import postgresql

from schemas.tables import FACT_TABLES, SHA256, metadata

CORRECTION_ACTIONS = ("confirm", "reject", "edit", "add")

# The kinds of fact a person can correct, named as in `tables.FACT_TABLES`.
CORRECTABLE_KINDS = ("references", "dates", "periods", "quantities", "awards", "findings")

# Columns every fact table has that say where a fact was found rather than what it is.
PROVENANCE = frozenset(
    {
        "text",
        "start",
        "end",
        "rule",
        "section",
        "sentence_index",
        "sentence",
        "block",
        "table_index",
        "row_index",
        "column_index",
        "confidence",
    }
)
# The columns that say what a fact *is*: a rejection or confirmation made against one value does
# not carry over to a fact that the new rules read differently.
IDENTITY: dict[str, tuple[str, ...]] = {
    "references": ("identifier_key", "year", "date"),
    "dates": ("value",),
    "periods": ("period_key",),
    "quantities": ("value", "unit", "of_total"),
    "awards": ("title", "recipient_kind", "count"),
    "findings": ("code",),
}
DEFAULTS: dict[str, dict[str, Any]] = {
    "references": {"style": "other"},
    "awards": {"category": "hinh_thuc"},
}


def value_columns(kind: str) -> list[str]:
    """The columns of a kind of fact that hold its value (not its provenance)."""
    if kind not in CORRECTABLE_KINDS:
        raise ValueError(f"facts of kind {kind!r} cannot be corrected")
    table = FACT_TABLES[kind]
    return [c.name for c in table.c if c.name not in PROVENANCE | {"id", "document_id"}]


def editable_columns(kind: str) -> list[str]:
    """The value columns a person edits (`identifier_key` follows from `identifier`)."""
    return [c for c in value_columns(kind) if c != "identifier_key"]


def required_columns(kind: str) -> list[str]:
    """The editable columns a fact of this kind cannot be without."""
    table = FACT_TABLES[kind]
    return [c for c in editable_columns(kind) if not table.c[c].nullable]


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
# made by flows/store/search.py, which SQLAlchemy cannot describe), made by migration 0002 and by
# `create_all` alike. The configuration is text, not a literal column: SQLAlchemy finds an
# expression index's table from its first column, and a literal column has none. (PostgreSQL's
# own to_tsvector: the generic `func` one cannot be compiled once that dialect is loaded.)
Index(
    "ix_document_search_tsv",
    postgresql.to_tsvector(text("'simple'"), document_search.c.folded),
    postgresql_using="gin",
).ddl_if(dialect="postgresql")
