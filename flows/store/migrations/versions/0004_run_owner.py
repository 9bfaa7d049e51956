"""the process that owns an import run: host, pid and its start time

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-25 20:30:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | None = None
depends_on: str | None = None

_STATUS_BEFORE = "running, completed, failed"
_STATUS = (
    "running, completed, failed, interrupted (stopped by a signal; or its process found gone, "
    "finished_at then NULL)"
)


def upgrade() -> None:
    with op.batch_alter_table("import_runs") as batch_op:
        batch_op.add_column(
            sa.Column(
                "host",
                sa.String(length=255),
                nullable=True,
                comment=("the host name of the importing process"),
            )
        )
        batch_op.add_column(
            sa.Column(
                "pid",
                sa.Integer(),
                nullable=True,
                comment="the importing process's id on that host",
            )
        )
        batch_op.add_column(
            sa.Column(
                "process_started",
                sa.Float(),
                nullable=True,
                comment="the importing process's start time (seconds since the epoch): tells a "
                "reused pid apart",
            )
        )
        batch_op.alter_column(
            "status",
            existing_type=sa.String(length=16),
            existing_nullable=False,
            comment=_STATUS,
            existing_comment=_STATUS_BEFORE,
        )


def downgrade() -> None:
    with op.batch_alter_table("import_runs") as batch_op:
        batch_op.alter_column(
            "status",
            existing_type=sa.String(length=16),
            existing_nullable=False,
            comment=_STATUS_BEFORE,
            existing_comment=_STATUS,
        )
        batch_op.drop_column("process_started")
        batch_op.drop_column("pid")
        batch_op.drop_column("host")
