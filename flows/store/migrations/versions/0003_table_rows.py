"""tables as rows: indicators, criteria, table cells

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-25 19:30:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | None = None
depends_on: str | None = None


def _provenance() -> list[sa.Column]:
    return [
        sa.Column("text", sa.Text(), nullable=False, comment="the characters matched"),
        sa.Column("start", sa.Integer(), nullable=False, comment="offset into documents.text"),
        sa.Column("end", sa.Integer(), nullable=False),
        sa.Column("rule", sa.String(length=64), nullable=False),
        sa.Column("section", sa.Text(), nullable=True, comment="section path, e.g. II/3/a)"),
        sa.Column("sentence_index", sa.Integer(), nullable=True),
        sa.Column(
            "sentence", sa.Text(), nullable=True, comment="the whole sentence the fact sits in"
        ),
        sa.Column("block", sa.Integer(), nullable=True),
        sa.Column("table_index", sa.Integer(), nullable=True),
        sa.Column("row_index", sa.Integer(), nullable=True),
        sa.Column("column_index", sa.Integer(), nullable=True),
        sa.Column("confidence", sa.Float(), nullable=False),
    ]


def _create(name: str, *columns: sa.Column) -> None:
    if sa.inspect(op.get_bind()).has_table(name):
        return  # made by an older create_all; nothing to do
    op.create_table(
        name,
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("document_id", sa.String(length=64), nullable=False),
        *columns,
        *_provenance(),
        sa.ForeignKeyConstraint(
            ["document_id"],
            ["documents.id"],
            name=op.f(f"fk_{name}_document_id_documents"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f(f"pk_{name}")),
    )
    with op.batch_alter_table(name) as batch_op:
        batch_op.create_index(batch_op.f(f"ix_{name}_document_id"), ["document_id"], unique=False)


def upgrade() -> None:
    _create(
        "indicators",
        sa.Column("indicator", sa.Text(), nullable=False, comment="the row's Chỉ tiêu"),
        sa.Column("unit", sa.Text(), nullable=True, comment="its ĐVT cell"),
        sa.Column("plan", sa.Float(), nullable=True, comment="Kế hoạch / chỉ tiêu"),
        sa.Column(
            "achieved",
            sa.Float(),
            nullable=True,
            comment="Thực hiện / kết quả of the report's period",
        ),
        sa.Column(
            "previous", sa.Float(), nullable=True, comment="Cùng kỳ: the same period a year before"
        ),
        sa.Column("percent", sa.Float(), nullable=True, comment="Tỷ lệ %: achieved against plan"),
    )
    with op.batch_alter_table("indicators") as batch_op:
        batch_op.create_index(batch_op.f("ix_indicators_indicator"), ["indicator"], unique=False)
    _create(
        "criteria",
        sa.Column("code", sa.String(length=32), nullable=True),
        sa.Column("criterion", sa.Text(), nullable=False),
        sa.Column("unit", sa.Text(), nullable=True),
        sa.Column("target", sa.Float(), nullable=True),
        sa.Column(
            "points",
            sa.Text(),
            nullable=False,
            comment='JSON list of [tier, points], e.g. [["Tốt", 30]]',
        ),
    )
    _create(
        "table_cells",
        sa.Column(
            "table_kind",
            sa.String(length=16),
            nullable=False,
            comment="award, indicator, criteria, ...",
        ),
        sa.Column("header", sa.Boolean(), nullable=False, comment="the cell is in a heading row"),
    )


def downgrade() -> None:
    for name in ("table_cells", "criteria", "indicators"):
        op.drop_table(name)
