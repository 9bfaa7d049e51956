"""the period a figure refers to: four columns of quantities (key, first and last day, the words
that name it), NULL where the figure is the document's own period

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-04 22:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | None = None
depends_on: str | None = None

_KEY = (
    "the period the text says the figure belongs to when it is not the document's own "
    "(2022-H1, 2024-9M, or a day 2023-12-15 for a point in time); NULL for the document's period"
)


def upgrade() -> None:
    # rows stored before keep NULL (the document's own period) until they are extracted again:
    # the rules version changed with this revision, so the next import re-extracts them
    with op.batch_alter_table("quantities") as batch_op:
        batch_op.add_column(sa.Column("refers_to_key", sa.String(length=32), comment=_KEY))
        batch_op.add_column(
            sa.Column(
                "refers_to_start", sa.Date(), comment="its first day; NULL for a point in time"
            )
        )
        batch_op.add_column(
            sa.Column(
                "refers_to_end", sa.Date(), comment="its last day, or the day of a point in time"
            )
        )
        batch_op.add_column(
            sa.Column(
                "refers_to_text", sa.Text(), comment="the words that name it: 'cùng kỳ năm trước'"
            )
        )


def downgrade() -> None:
    with op.batch_alter_table("quantities") as batch_op:
        batch_op.drop_column("refers_to_text")
        batch_op.drop_column("refers_to_end")
        batch_op.drop_column("refers_to_start")
        batch_op.drop_column("refers_to_key")
