"""organisations as entities: the issuing bodies, their spellings and people's edits of them; each
document's parent line and organisation (documents already stored get theirs here)

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-04 21:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | None = None
depends_on: str | None = None

_KEY = "the issuing body's identity (extractors.organisations.Identity.key)"


def _tables() -> None:
    op.create_table(
        "organisations",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column(
            "key",
            sa.Text(),
            nullable=False,
            comment="name key and parent line's key, or name key and place's key "
            "(extractors.organisations.Identity.key)",
        ),
        sa.Column(
            "name",
            sa.Text(),
            nullable=False,
            comment="the name shown: a person's rename, or as read",
        ),
        sa.Column(
            "parent",
            sa.Text(),
            nullable=True,
            comment="the parent line above the name, as first read",
        ),
        sa.Column(
            "place", sa.Text(), nullable=True, comment="the place of its documents, as first read"
        ),
        sa.Column("name_key", sa.Text(), nullable=False),
        sa.Column("parent_key", sa.Text(), nullable=False),
        sa.Column("place_key", sa.Text(), nullable=False),
        sa.Column(
            "merged_into",
            sa.Integer(),
            nullable=True,
            comment="the organisation this one is one with (joined or merged); NULL: itself",
        ),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["merged_into"],
            ["organisations.id"],
            name=op.f("fk_organisations_merged_into_organisations"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_organisations")),
        sa.UniqueConstraint("key", name=op.f("uq_organisations_key")),
    )
    op.create_index(op.f("ix_organisations_name_key"), "organisations", ["name_key"])
    op.create_table(
        "organisation_aliases",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column(
            "kind",
            sa.String(length=8),
            nullable=False,
            comment="name or parent (the line above it)",
        ),
        sa.Column("alias", sa.Text(), nullable=False, comment="the spelling as read"),
        sa.Column(
            "alias_key", sa.Text(), nullable=False, comment="its key (organisations.name_key)"
        ),
        sa.CheckConstraint("kind IN ('name', 'parent')", name=op.f("ck_organisation_aliases_kind")),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisations.id"],
            name=op.f("fk_organisation_aliases_organisation_id_organisations"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_organisation_aliases")),
        sa.UniqueConstraint(
            "organisation_id",
            "kind",
            "alias",
            name=op.f("uq_organisation_aliases_organisation_id_kind_alias"),
        ),
    )
    op.create_index(
        op.f("ix_organisation_aliases_organisation_id"),
        "organisation_aliases",
        ["organisation_id"],
    )
    op.create_index(
        op.f("ix_organisation_aliases_alias_key"), "organisation_aliases", ["alias_key"]
    )
    op.create_table(
        "organisation_edits",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("action", sa.String(length=8), nullable=False, comment="rename, merge or split"),
        sa.Column(
            "organisation_key",
            sa.Text(),
            nullable=False,
            comment="organisations.key of the one renamed, merged or split off",
        ),
        sa.Column(
            "into_key",
            sa.Text(),
            nullable=True,
            comment="merge: organisations.key of the one it joins",
        ),
        sa.Column("name", sa.Text(), nullable=True, comment="rename: the new name"),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("author", sa.Text(), nullable=False, comment="who made the edit"),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column(
            "undone_at",
            sa.DateTime(timezone=True),
            nullable=True,
            comment="when the edit was undone, if it was",
        ),
        sa.Column("undone_by", sa.Text(), nullable=True),
        sa.CheckConstraint(
            "action IN ('rename', 'merge', 'split')", name=op.f("ck_organisation_edits_action")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_organisation_edits")),
    )
    op.create_index(
        op.f("ix_organisation_edits_organisation_key"), "organisation_edits", ["organisation_key"]
    )


def _document_columns() -> None:
    op.add_column(
        "documents",
        sa.Column(
            "parent_issuer",
            sa.Text(),
            nullable=True,
            comment="the line above the issuer in the header",
        ),
    )
    op.add_column(
        "documents", sa.Column("organisation_key", sa.Text(), nullable=True, comment=_KEY)
    )
    op.add_column(
        "documents",
        sa.Column(
            "organisation_id",
            sa.Integer(),
            nullable=True,
            comment="organisations.id, people's merges applied",
        ),
    )
    op.create_index(op.f("ix_documents_organisation_key"), "documents", ["organisation_key"])
    op.create_index(op.f("ix_documents_organisation_id"), "documents", ["organisation_id"])


def _backfill() -> None:
    """Documents stored before: their organisations from the issuer and place kept (the parent
    line was not stored; re-extracting reads it, `baocao ingest --reextract`)."""
    # imported here: the keys and the loader's assignment are the code's, used once for old rows
    from extractors.organisations import organisation_key
    from flows.store.organisations import assign_organisations

    conn = op.get_bind()
    documents = sa.table(
        "documents",
        sa.column("id"),
        sa.column("issuer"),
        sa.column("place"),
        sa.column("organisation_key"),
    )
    rows = conn.execute(
        sa.select(documents.c.id, documents.c.issuer, documents.c.place).where(
            documents.c.issuer.is_not(None)
        )
    ).all()
    keys = [
        {"doc": row.id, "key": key}
        for row in rows
        if (key := organisation_key(row.issuer, None, row.place)) is not None
    ]
    if keys:
        conn.execute(
            documents.update()
            .where(documents.c.id == sa.bindparam("doc"))
            .values(organisation_key=sa.bindparam("key")),
            keys,
        )
        assign_organisations(conn)


def upgrade() -> None:
    _tables()
    _document_columns()
    _backfill()


def downgrade() -> None:
    with op.batch_alter_table("documents") as batch_op:
        batch_op.drop_index(batch_op.f("ix_documents_organisation_id"))
        batch_op.drop_index(batch_op.f("ix_documents_organisation_key"))
        batch_op.drop_column("organisation_id")
        batch_op.drop_column("organisation_key")
        batch_op.drop_column("parent_issuer")
    op.drop_table("organisation_edits")
    op.drop_table("organisation_aliases")
    op.drop_table("organisations")
