"""Schema migrations (flows/migrations): every table on the metadata is migrated, a database at
any earlier revision (or made before migrations existed) upgrades to the head with its rows kept,
a new database is built by the revisions, and the check on start is cheap."""

from __future__ import annotations

import time
import warnings
from datetime import UTC, datetime

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, func, inspect, select, text

from flows.store import migrations
from flows.store.engine import create_schema, engine_for
from flows.store.runs import interrupt_abandoned_runs, status_label
from schemas import tables as t


def _revisions() -> list[tuple[str, str | None]]:
    """(revision, the revision before it) for every revision, oldest first."""
    script = ScriptDirectory.from_config(migrations.alembic_config())
    return [(r.revision, r.down_revision) for r in reversed(list(script.walk_revisions()))]  # type: ignore[misc]


def _migrate(engine: Engine, revision: str) -> None:
    with engine.begin() as conn:
        command.upgrade(migrations.alembic_config(conn), revision)


def _differences(engine: Engine) -> list[object]:
    """What separates the database from the metadata (tables made outside it, such as an FTS5
    index of flows/store/search.py, are not the metadata's business)."""
    metadata = migrations.full_metadata()

    def ours(
        obj: object, name: str | None, type_: str, reflected: bool, compare_to: object
    ) -> bool:
        if type_ == "index" and name in migrations.EXPRESSION_INDEXES:
            return False
        return not (type_ == "table" and reflected and name not in metadata.tables)

    with engine.connect() as conn, warnings.catch_warnings():
        # SQLite cannot reflect an expression index: Alembic says so before `ours` leaves it out
        warnings.filterwarnings("ignore", "autogenerate skipping .* expression-based index")
        context = MigrationContext.configure(
            conn, opts={"include_object": ours, "compare_type": True}
        )
        return compare_metadata(context, metadata)


def _revision_of(engine: Engine) -> str | None:
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def test_the_head_revision_is_read_right() -> None:
    script = ScriptDirectory.from_config(migrations.alembic_config())
    assert migrations.head_revision() == script.get_current_head()


def test_the_revisions_cover_every_table_on_the_metadata(engine: Engine) -> None:
    built = engine_for(str(engine.url.render_as_string(hide_password=False)))
    try:
        with built.begin() as conn:  # start again from nothing, by the revisions alone
            for table in reversed(migrations.full_metadata().sorted_tables):
                conn.execute(text(f'DROP TABLE IF EXISTS "{table.name}"'))
            conn.execute(text("DROP TABLE IF EXISTS alembic_version"))
        _migrate(built, "head")
        assert set(migrations.full_metadata().tables) <= set(inspect(built).get_table_names())
        assert _differences(built) == []
    finally:
        built.dispose()


def _indexes(engine: Engine) -> dict[str, str]:
    """The database's indexes (not those of its keys and constraints), by name, with their
    definition on PostgreSQL (the schema's name taken out)."""
    with engine.connect() as conn:
        if engine.dialect.name == "postgresql":
            rows = conn.execute(
                text(
                    "SELECT indexname, replace(indexdef, current_schema() || '.', '') "
                    "FROM pg_indexes WHERE schemaname = current_schema()"
                )
            )
        else:
            rows = conn.execute(
                text("SELECT name, '' FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL")
            )
        return {name: definition for name, definition in rows if name.startswith("ix_")}


def _declared_indexes(dialect: str) -> set[str]:
    """The indexes that the metadata declares for this dialect."""
    return {
        str(index.name)
        for table in migrations.full_metadata().tables.values()
        for index in table.indexes
        if index._ddl_if is None or index._ddl_if.dialect in (None, dialect)
    }


def test_a_new_database_is_created_at_the_head_revision(engine: Engine) -> None:
    assert _revision_of(engine) == migrations.head_revision()
    assert _differences(engine) == []
    assert set(_indexes(engine)) == _declared_indexes(engine.dialect.name)


def test_create_all_makes_the_indexes_the_revisions_make(fresh_db: str) -> None:
    # the PostgreSQL full-text index is an expression: declared on the metadata too, so that a
    # database made by `create_all` (a tool, a test) is searched as fast as a migrated one
    engine = engine_for(fresh_db)
    try:
        migrations.full_metadata().create_all(engine)
        made = _indexes(engine)
        assert set(made) == _declared_indexes(engine.dialect.name)
        if engine.dialect.name == "postgresql":
            assert (
                "USING gin (to_tsvector('simple'::regconfig, folded))"
                in (made["ix_document_search_tsv"])
            )
            # and the very same definitions as the revisions give
            with engine.begin() as conn:
                for table in reversed(migrations.full_metadata().sorted_tables):
                    conn.execute(text(f'DROP TABLE "{table.name}"'))
            create_schema(engine)
            assert _indexes(engine) == made
        else:
            assert "ix_document_search_tsv" not in made
    finally:
        engine.dispose()


def _old_run(engine: Engine, status: str = "running") -> str:
    """A run as every revision since 0001 records it (today's start_run writes newer columns)."""
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO import_runs (id, started_at, paths, rules_version, files_seen, "
                "files_ok, files_failed, files_skipped, status) "
                "VALUES ('old', :at, '[\"x\"]', 'old', 0, 0, 0, 0, :status)"
            ),
            {"at": datetime.now(UTC), "status": status},
        )
    return "old"


def old_document(
    engine: Engine, name: str, *, issuer: str | None = None, place: str | None = None
) -> None:
    """A document row as every revision since 0001 stores it (today's loader writes newer
    columns, such as the parent line and the organisation of revision 0006)."""
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO documents (id, source, file_name, format, size, issuer, place, text, "
                "rules_version, imported_at) VALUES (:id, :source, :name, 'txt', 1, :issuer, "
                ":place, 'x', 'old', :at)"
            ),
            {
                "id": name.ljust(64, "0")[:64],
                "source": f"/archive/{name}",
                "name": name,
                "issuer": issuer,
                "place": place,
                "at": datetime.now(UTC),
            },
        )


@pytest.mark.parametrize("step", range(len(_revisions())), ids=lambda i: _revisions()[i][0])
def test_a_database_at_the_previous_revision_upgrades_and_keeps_its_rows(
    step: int, fresh_db: str
) -> None:
    revision, previous = _revisions()[step]
    engine = engine_for(fresh_db)
    try:
        if previous:
            _migrate(engine, previous)
            _old_run(engine)
            old_document(engine, "kept.txt", issuer="Đảng ủy Khối")
        create_schema(engine)  # what every baocao command does first
        assert _revision_of(engine) == migrations.head_revision()
        assert _differences(engine) == []
        if previous:
            with engine.connect() as conn:
                assert conn.execute(select(t.documents.c.file_name)).scalars().all() == ["kept.txt"]
    finally:
        engine.dispose()


def test_a_database_made_before_migrations_is_adopted(fresh_db: str) -> None:
    engine = engine_for(fresh_db)
    try:
        # the released schema, as `create_all` made it, with no record of a revision
        _migrate(engine, migrations.RELEASED_REVISION)
        with engine.begin() as conn:
            conn.execute(text("DROP TABLE alembic_version"))
        _old_run(engine)
        old_document(engine, "old.txt")
        with engine.begin() as conn:  # a fact of it, as revision 0001 stores one
            conn.execute(
                text(
                    'INSERT INTO quantities (document_id, value, unit, text, start, "end", rule, '
                    "confidence) VALUES (:doc, 65, 'đảng viên', '65', 0, 2, 'old', 1)"
                ),
                {"doc": "old.txt".ljust(64, "0")},
            )

        create_schema(engine)
        assert _revision_of(engine) == migrations.head_revision()
        assert _differences(engine) == []
        with engine.connect() as conn:
            assert conn.execute(select(func.count()).select_from(t.quantities)).scalar() == 1
    finally:
        engine.dispose()


def test_checking_a_current_database_is_cheap(engine: Engine) -> None:
    create_schema(engine)
    began = time.perf_counter()
    for _ in range(5):
        create_schema(engine)
    assert (time.perf_counter() - began) / 5 < 0.25


def test_runs_recorded_before_their_owner_was_keep_an_unknown_host(fresh_db: str) -> None:
    # 0004 added the process that owns a run: a run still "running" in an older database has
    # none, and is never taken for one of this host whose process is gone
    engine = engine_for(fresh_db)
    try:
        _migrate(engine, "0003")
        _old_run(engine, status="running")
        create_schema(engine)
        assert interrupt_abandoned_runs(engine) == []
        with engine.connect() as conn:
            row = conn.execute(select(t.import_runs).where(t.import_runs.c.id == "old")).one()
        assert (row.status, row.host, row.pid, row.process_started) == ("running", None, None, None)
        assert status_label(row.status, row.host) == "running (host unknown)"
    finally:
        engine.dispose()
