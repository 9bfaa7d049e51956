"""`baocao web`: a local web app over the store (see flows/web/app.py). Importing this package is
cheap; FastAPI and uvicorn are imported when the app is made or served."""

from __future__ import annotations

import ipaddress
import sys
from typing import TYPE_CHECKING

from flows.strings import cli_language, text

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


def web_command(
    db: str | None, host: str, port: int, allow_edits: bool, lang: str | None = None
) -> int:
    """Serve the archive at http://HOST:PORT until interrupted, saying so in `lang` (default:
    $BAOCAO_LANG, else Vietnamese; the pages have their own switch); returns the exit code (1
    when the SQLite file does not exist or the port cannot be bound).

    Example: `baocao web --db sqlite:///facts.db --allow-edits` then open http://127.0.0.1:8000
    """
    # imported here: uvicorn and the store load only when the app is served
    import uvicorn

    # imported here: the store loads only when the app is served
    from flows.store.engine import MissingDatabaseError, open_existing

    lang = lang or cli_language()
    try:
        open_existing(db).dispose()
    except MissingDatabaseError as err:
        print(f"baocao web: {text('cli.no_database', lang, path=err.path)}", file=sys.stderr)
        return 1
    if not is_loopback(host):
        key = "cli.web_exposed_edits" if allow_edits else "cli.web_exposed"
        print(f"baocao web: {text(key, lang, host=host)}", file=sys.stderr)
    # imported here: the store loads only when the app is served
    from sqlalchemy.exc import SQLAlchemyError

    try:
        app = make_app(db, allow_edits, host)
    except SQLAlchemyError as err:
        reason = " ".join(str(getattr(err, "orig", None) or err).split())
        print(f"baocao web: {text('cli.web_no_db', lang, reason=reason)}", file=sys.stderr)
        return 1
    mode = text("mode.edits" if allow_edits else "mode.read_only", lang)
    shown = f"[{host}]" if ":" in host else host
    url = f"http://{shown}:{port}/"
    print(f"baocao web: {text('cli.web_serving', lang, url=url, mode=mode)}", file=sys.stderr)
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
        why = str(err) or text("cli.web_in_use", lang)
        where = f"{host}:{port}"
        print(
            f"baocao web: {text('cli.web_cannot', lang, where=where, reason=why)}",
            file=sys.stderr,
        )
        return 1
    finally:
        app.state.engine.dispose()
    return 0 if server.started else 1
