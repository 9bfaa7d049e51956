"""SQLite's full-text table of the folded document text (made by the migrations, like every other
table, rather than on first use by the search module)

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-04 19:00:00
"""

from __future__ import annotations

from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | None = None
depends_on: str | None = None

# An FTS5 table: SQLAlchemy cannot describe it, so it is not on the metadata. IF NOT EXISTS: a
# database that the search module made it in already keeps it (and its rows).
_FTS = (
    "CREATE VIRTUAL TABLE IF NOT EXISTS document_search_fts USING fts5("
    "document_id UNINDEXED, folded, tokenize = 'unicode61 remove_diacritics 2')"
)


def upgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute(_FTS)


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute("DROP TABLE IF EXISTS document_search_fts")
