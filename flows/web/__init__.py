"""`baocao web`: a local web app over the store (see flows/web/app.py). Importing this package is
cheap; FastAPI and uvicorn are imported when the app is made or served."""

from __future__ import annotations

import ipaddress
import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from fastapi import FastAPI
    from sqlalchemy import Engine

LOOPBACK_NAMES = ("127.0.0.1", "localhost", "::1")


def is_loopback(host: str) -> bool:
    """Whether `host` is a loopback address or `localhost`."""
    if host.strip("[]").lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def prepare(engine: Engine) -> None:
    """Create the store's tables, the corrections table and the search index that do not exist
    yet, and bring the index up to date with the documents."""
    import schemas.corrections  # noqa: F401 - registers the corrections tables on the metadata
    from flows import store
    from flows.corrections import ensure_table
    from flows.search import refresh_index

    store.create_schema(engine)
    ensure_table(engine)
    refresh_index(engine)


def make_app(db: str | None, allow_edits: bool = False, host: str = "127.0.0.1") -> FastAPI:
    """The app over the store at `db`, with the Host names it answers to when bound to `host`
    (loopback: only loopback names, so a rebound DNS name cannot read the archive)."""
    from flows import store
    from flows.web.app import create_app

    engine = store.engine_for(db)
    prepare(engine)
    allowed = [*LOOPBACK_NAMES, host] if is_loopback(host) else None
    return create_app(engine, allow_edits=allow_edits, allowed_hosts=allowed)


def web_command(db: str | None, host: str, port: int, allow_edits: bool) -> int:
    """Serve the archive at http://HOST:PORT until interrupted; returns the exit code (1 when the
    SQLite file does not exist or the port cannot be bound).

    Example: `baocao web --db sqlite:///facts.db --allow-edits` then open http://127.0.0.1:8000
    """
    from pathlib import Path

    import uvicorn

    from flows import store

    engine = store.engine_for(db)
    database = engine.url.database
    if engine.dialect.name == "sqlite" and database and not Path(database).exists():
        print(
            f"baocao web: no database at {database}; import files with `baocao ingest` "
            "first, or give --db",
            file=sys.stderr,
        )
        engine.dispose()
        return 1
    engine.dispose()
    if not is_loopback(host):
        print(
            f"baocao web: serving on {host}, not loopback: anyone who can reach this machine "
            "can read the archive" + (" and change its facts" if allow_edits else ""),
            file=sys.stderr,
        )
    from sqlalchemy.exc import SQLAlchemyError

    try:
        app = make_app(db, allow_edits, host)
    except SQLAlchemyError as err:
        reason = " ".join(str(getattr(err, "orig", None) or err).split())
        print(f"baocao web: cannot open the database: {reason}", file=sys.stderr)
        return 1
    mode = "edits allowed" if allow_edits else "read-only"
    shown = f"[{host}]" if ":" in host else host
    print(f"baocao web: http://{shown}:{port}/ ({mode}); Ctrl+C to stop", file=sys.stderr)
    config = uvicorn.Config(
        app,
        host=host,
        port=port,
        log_level="error",
        server_header=False,
        proxy_headers=False,
        access_log=False,
    )
    server = uvicorn.Server(config)
    try:
        server.run()
    except (OSError, SystemExit) as err:  # uvicorn exits when the port is taken
        print(
            f"baocao web: cannot serve on {host}:{port}: {err or 'address in use'}", file=sys.stderr
        )
        return 1
    finally:
        app.state.engine.dispose()
    return 0 if server.started else 1
