"""Schema migrations (Alembic) for the store, applied by baocao itself whenever it opens a
database: `upgrade(engine)` brings any database, new, created before migrations existed, or at
an older revision, to the latest revision.

It is fast when there is nothing to do (one query of `alembic_version`; the revision files are
read once per process), and safe when two imports start at once: on PostgreSQL an advisory lock,
on SQLite the write lock (BEGIN IMMEDIATE), is held while the revision is checked and changed, in
one transaction (both run DDL transactionally), so one process migrates and the other waits and
finds the work done.

A database made before migrations existed (tables, no `alembic_version`) has the released
schema, which revision 0001 reproduces: it is stamped at 0001 and upgraded from there.
An empty database is built by the revisions too (0.1 s), not by `create_all`: one path means one
schema. (`create_all` gives the same tables and indexes, the PostgreSQL full-text expression
index included: tests/test_migrations.py checks it.)
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import MetaData, inspect, text

from schemas import tables

if TYPE_CHECKING:
    from alembic.config import Config
    from sqlalchemy import Connection, Engine

HERE = Path(__file__).resolve().parent
# Indexes that the revisions make but that autogenerate cannot compare with the metadata
# (expressions): tests/test_migrations.py leaves them out of its comparison.
EXPRESSION_INDEXES = frozenset({"ix_document_search_tsv"})
# The schema that databases made before migrations have (schemas/tables.py as released).
RELEASED_REVISION = "0001"
# pg_advisory_xact_lock key: "baocao" in ASCII, so that other applications' keys do not collide.
_PG_LOCK_KEY = 0x62616F63616F


def full_metadata() -> MetaData:
    """The metadata the revisions build: every table is declared in schemas/tables.py."""
    return tables.metadata


def alembic_config(connection: Connection | None = None) -> Config:
    """An Alembic configuration for these migrations, on `connection` when given."""
    # imported here: Alembic loads only when the schema must change
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(HERE))
    config.attributes["connection"] = connection
    return config


@cache  # the revision files are read once per process (see the module docstring)
def head_revision() -> str | None:
    """The latest revision, read from the revision files without importing Alembic."""
    revisions: dict[str, str | None] = {}
    for path in (HERE / "versions").glob("*.py"):
        source = path.read_text(encoding="utf-8")
        rev = re.search(r"^revision\s*(?::[^=]*)?=\s*['\"]([^'\"]+)['\"]", source, re.M)
        down = re.search(
            r"^down_revision\s*(?::[^=]*)?=\s*(?:['\"]([^'\"]+)['\"]|None)", source, re.M
        )
        if rev:
            revisions[rev.group(1)] = down.group(1) if down else None
    parents = {d for d in revisions.values() if d}
    heads = [r for r in revisions if r not in parents]
    if len(heads) > 1:
        raise RuntimeError(
            f"the migrations have {len(heads)} heads ({', '.join(heads)}): "
            "merge them with `alembic merge`"
        )
    return heads[0] if heads else None


def _current(conn: Connection) -> str | None:
    if not inspect(conn).has_table("alembic_version"):
        return None
    return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()


def upgrade(engine: Engine) -> None:
    """Bring the database at `engine` to the head revision (see the module docstring)."""
    head = head_revision()
    with engine.connect() as conn:
        # a read first, without any lock: the common case is a database already at head
        with conn.begin():
            if _current(conn) == head:
                return
        conn.execution_options(baocao_write=True)  # SQLite: BEGIN IMMEDIATE
        with conn.begin():
            if conn.dialect.name == "postgresql":
                conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _PG_LOCK_KEY})
            current = _current(conn)
            if current == head:
                return  # another process migrated while this one waited
            # imported here: Alembic loads only when the schema must change
            from alembic import command

            ours = set(full_metadata().tables)
            if current is None and ours & set(inspect(conn).get_table_names()):
                # made before migrations existed, by the released schema that revision 0001 is
                # a copy of: adopt it at 0001, then apply what came after
                command.stamp(alembic_config(conn), RELEASED_REVISION)
            command.upgrade(alembic_config(conn), "head")
