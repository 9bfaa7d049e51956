"""The store's engine: a URL to a SQLAlchemy engine (SQLite by default, PostgreSQL for shared use),
one write transaction, and the one place the schema is created (by the migrations). Loading lives
in flows/store/load.py, runs in flows/store/runs.py, reading in flows/store/read.py.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event

from flows.store.migrations import upgrade


class MissingDatabaseError(Exception):
    """The SQLite file a command was asked to read does not exist."""

    def __init__(self, path: str) -> None:
        super().__init__(
            f"no database at {path}; import files with `baocao ingest` first, or give --db"
        )
        self.path = path


def engine_for(url: str | None = None) -> Engine:
    """An engine for `url`, else the BAOCAO_DB environment variable, else `./baocao.db` (SQLite).

    A value without `://` is taken as the path of an SQLite file. SQLite runs in WAL mode (readers
    go on while an import writes) with foreign keys enforced.
    """
    url = url or os.environ.get("BAOCAO_DB") or "baocao.db"
    if "://" not in url:
        url = "sqlite:///" + str(Path(url).expanduser().resolve())
    engine = create_engine(url)
    if engine.dialect.name == "sqlite":
        _configure_sqlite(engine)
    return engine


def _configure_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Take transaction control away from the sqlite3 module, whose implicit BEGIN comes only
        # before the first write: our select-then-insert must run inside one transaction.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Connection) -> None:
        # Writers take the write lock up front, so two imports queue instead of deadlocking
        # on a lock upgrade; readers stay deferred and never block.
        writes = connection.get_execution_options().get("baocao_write", False)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if writes else "BEGIN")


@contextmanager
def write_transaction(engine: Engine) -> Iterator[Connection]:
    """One write transaction: committed on success, rolled back whole on any exception."""
    with engine.connect() as conn:
        conn.execution_options(baocao_write=True)
        with conn.begin():
            yield conn


def create_schema(engine: Engine) -> None:
    """Bring the database to the latest schema: create it, adopt one made before migrations, or
    apply the migrations it lacks (flows/migrations); a no-op costing one query when current."""
    upgrade(engine)


def open_existing(db: str | None) -> Engine:
    """The store at `db` for reading, its schema brought up to date (an empty store answers with
    nothing rather than an SQL error); a SQLite file that does not exist raises
    MissingDatabaseError (a typo in --db must not create an empty database)."""
    engine = engine_for(db)
    database = engine.url.database
    if engine.dialect.name == "sqlite" and database and not Path(database).exists():
        engine.dispose()
        raise MissingDatabaseError(database)
    create_schema(engine)
    return engine
