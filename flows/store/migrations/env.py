"""Alembic environment of the baocao store: the target is `schemas.tables.metadata` (with every
table that any module of `schemas` registers on it). baocao runs migrations itself, on a
connection it passes in `config.attributes["connection"]` and inside its own transaction (see
flows.store.migrations.upgrade); `alembic` on the command line works too, with `-x url=...`.

SQLite cannot alter most of a table in place: batch mode (copy, alter, rename) is on for it.
"""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection

from flows.store.engine import engine_for
from flows.store.migrations import full_metadata

config = context.config
target_metadata = full_metadata()


def _run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return

    engine = engine_for(context.get_x_argument(as_dictionary=True).get("url"))
    try:
        with engine.connect() as conn:
            _run(conn)
            conn.commit()
    finally:
        engine.dispose()


if context.is_offline_mode():
    raise SystemExit("baocao migrations run online only: give -x url=DATABASE_URL")
run_migrations_online()
