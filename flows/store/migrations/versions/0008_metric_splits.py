"""metric_splits: pairs of metric labels a user split apart, which alignment never joins again

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-04 22:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    op.create_table(
        "metric_splits",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("label_a", sa.Text(), nullable=False, comment="a label as the user gave it"),
        sa.Column("label_b", sa.Text(), nullable=False),
        sa.Column(
            "key_a",
            sa.Text(),
            nullable=False,
            comment="label_a folded (extractors.metrics.align.label_key)",
        ),
        sa.Column("key_b", sa.Text(), nullable=False, comment="label_b folded; key_a < key_b"),
        sa.Column("author", sa.Text(), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_metric_splits")),
        sa.UniqueConstraint("key_a", "key_b", name=op.f("uq_metric_splits_key_a_key_b")),
        comment=(
            "pairs of metric labels a user split apart: compare never joins them into one series"
        ),
    )


def downgrade() -> None:
    op.drop_table("metric_splits")
