"""The web application: server-rendered pages over the store, read-only unless edits are allowed.

`create_app` builds a FastAPI app around one engine. Safety is set here, once for every page:
requests with a hostile host, an oversized URL or body get a 4xx before any route runs; every
error, expected or not, is a short HTML page (no traceback, debug off); every response carries a
content security policy that allows no script and no resource from elsewhere; edit forms carry a
CSRF token bound to a cookie and signed with a per-process secret.
"""

from __future__ import annotations

import logging
import secrets
from collections.abc import Sequence
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import Response
from sqlalchemy import Engine
from starlette.exceptions import HTTPException
from starlette.middleware.trustedhost import TrustedHostMiddleware
from starlette.types import ASGIApp, Receive, Scope, Send

from flows.web.responses import MAX_BODY, MAX_URL, REASONS, SECURITY_HEADERS, error_page
from flows.web.routes import compare_page, edits, organisations, pages

log = logging.getLogger("baocao.web")


class Guard:
    """Pure ASGI middleware: refuses oversized URLs and bodies and NUL characters, answers HEAD
    as GET without a body, and adds the security headers."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        url = (scope.get("raw_path") or b"") + b"?" + (scope.get("query_string") or b"")
        length = dict(scope.get("headers") or []).get(b"content-length", b"0")
        status = None
        if len(url) > MAX_URL:
            status = 414
        elif b"\x00" in url or b"%00" in url.lower():
            status = 400  # no text of ours holds NUL, and PostgreSQL refuses it
        elif not length.isdigit() or int(length) > MAX_BODY:
            status = 413 if length.isdigit() else 400

        head = scope.get("method") == "HEAD"
        if head:  # answered as GET without its body
            scope = {**scope, "method": "GET"}

        async def send_with_headers(message: Any) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers") or [])
                present = {k.lower() for k, _ in headers}
                headers += [
                    (k.encode(), v.encode())
                    for k, v in SECURITY_HEADERS.items()
                    if k.encode() not in present
                ]
                message = {**message, "headers": headers}
            elif head and message["type"] == "http.response.body":
                message = {**message, "body": b""}
            await send(message)

        if status is not None:
            response = error_page(status, REASONS[status])
            await response(scope, receive, send_with_headers)
            return
        await self.app(scope, receive, send_with_headers)


# ---------------------------------------------------------------------------------------------
# Errors
# ---------------------------------------------------------------------------------------------


async def _http_error(_request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    detail = exc.detail if isinstance(exc.detail, str) else REASONS.get(exc.status_code, "")
    response = error_page(exc.status_code, detail)
    if exc.headers:
        response.headers.update(exc.headers)
    return response


async def _invalid_request(_request: Request, exc: Exception) -> Response:
    assert isinstance(exc, RequestValidationError)
    names = sorted({str(e.get("loc", ("", "?"))[-1]) for e in exc.errors()})
    return error_page(400, "invalid or missing parameter: " + ", ".join(names))


async def _unexpected(request: Request, exc: Exception) -> Response:
    log.error("error on %s %s", request.method, request.url.path, exc_info=exc)
    return error_page(500, "Something went wrong on our side; the error has been logged.")


def create_app(
    engine: Engine, *, allow_edits: bool = False, allowed_hosts: Sequence[str] | None = None
) -> FastAPI:
    """The web app over `engine`. `allowed_hosts` are the Host names accepted (None accepts any;
    `baocao web` passes the loopback names when bound to loopback, against DNS rebinding)."""
    app = FastAPI(debug=False, docs_url=None, redoc_url=None, openapi_url=None, title="baocao")
    app.state.engine = engine
    app.state.allow_edits = allow_edits
    app.state.secret = secrets.token_bytes(32)
    app.state.compare_ready = compare_page.available()
    app.add_exception_handler(HTTPException, _http_error)
    app.add_exception_handler(RequestValidationError, _invalid_request)
    app.add_exception_handler(Exception, _unexpected)
    app.include_router(pages.router)
    app.include_router(edits.router)
    app.include_router(compare_page.router)
    app.include_router(organisations.router)
    if allowed_hosts is not None:
        app.add_middleware(TrustedHostMiddleware, allowed_hosts=list(allowed_hosts))
    app.add_middleware(Guard)
    return app
