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
    """Bring the store's schema up to date (the corrections and search tables are in it) and the
    search index up to date with the documents."""
    # imported here: SQLAlchemy and the store are not needed to import this package
    from flows.store.engine import create_schema
    from flows.store.search import refresh_index

    create_schema(engine)
    refresh_index(engine)


def make_app(db: str | None, allow_edits: bool = False, host: str = "127.0.0.1") -> FastAPI:
    """The app over the store at `db`, with the Host names it answers to when bound to `host`
    (loopback: only loopback names, so a rebound DNS name cannot read the archive)."""
    # imported here: FastAPI and the store load only when an app is made
    from flows.store.engine import engine_for
    from flows.web.app import create_app

    engine = engine_for(db)
    prepare(engine)
    allowed = [*LOOPBACK_NAMES, host] if is_loopback(host) else None
    return create_app(engine, allow_edits=allow_edits, allowed_hosts=allowed)


def web_command(db: str | None, host: str, port: int, allow_edits: bool) -> int:
    """Serve the archive at http://HOST:PORT until interrupted; returns the exit code (1 when the
    SQLite file does not exist or the port cannot be bound).

    Example: `baocao web --db sqlite:///facts.db --allow-edits` then open http://127.0.0.1:8000
    """
    # imported here: uvicorn and the store load only when the app is served
    import uvicorn

    # imported here: the store loads only when the app is served
    from flows.store.engine import MissingDatabaseError, open_existing

    try:
        open_existing(db).dispose()
    except MissingDatabaseError as err:
        print(f"baocao web: {err}", file=sys.stderr)
        return 1
    if not is_loopback(host):
        print(
            f"baocao web: serving on {host}, not loopback: anyone who can reach this machine "
            "can read the archive" + (" and change its facts" if allow_edits else ""),
            file=sys.stderr,
        )
    # imported here: the store loads only when the app is served
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
