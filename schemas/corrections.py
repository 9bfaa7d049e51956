"""What a correction may touch: which columns of each kind of fact hold its value, which say
what it *is* (its identity across re-extractions), and which a person may edit. The tables
themselves are declared with the others, in schemas/tables.py.

A correction is keyed to the fact as it was seen, not to a fact row (rows are replaced when a
document is re-extracted): the document, the kind of fact, the character span, the text matched
and the normalised value, with some characters of context on either side so that the correction
can be found again in a re-extracted text.
"""

from __future__ import annotations

from typing import Any

from schemas.tables import CORRECTABLE_KINDS, FACT_TABLES

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
