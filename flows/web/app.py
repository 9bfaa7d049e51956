"""The web application: server-rendered pages over the store, read-only unless edits are allowed.

`create_app` builds a FastAPI app around one engine. Safety is set here, once for every page:
requests with a hostile host, an oversized URL or body get a 4xx before any route runs; every
error, expected or not, is a short HTML page (no traceback, debug off); every response carries a
content security policy that allows no script and no resource from elsewhere; edit forms carry a
CSRF token bound to a cookie and signed with a per-process secret.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import secrets
from collections.abc import Sequence
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, quote, unquote

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, Response
from fastapi.templating import Jinja2Templates
from sqlalchemy import Engine
from starlette.exceptions import HTTPException
from starlette.middleware.trustedhost import TrustedHostMiddleware
from starlette.types import ASGIApp, Receive, Scope, Send

log = logging.getLogger("baocao.web")

TEMPLATES = Path(__file__).parent / "templates"
LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "::1")
MAX_URL = 4096  # bytes of path and query string
MAX_BODY = 64 * 1024  # bytes of a form
MAX_FIELDS = 64
CSRF_COOKIE = "baocao_csrf"
REVIEWER_COOKIE = "baocao_reviewer"
SECURITY_HEADERS = {
    "content-security-policy": "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' "
    "data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
    "x-content-type-options": "nosniff",
    "x-frame-options": "DENY",
    "referrer-policy": "no-referrer",
    "cross-origin-opener-policy": "same-origin",
    "cross-origin-resource-policy": "same-origin",
}
REASONS = {
    400: "Bad request",
    403: "Forbidden",
    404: "Not found",
    405: "Method not allowed",
    410: "Gone",
    413: "Request too large",
    414: "Address too long",
    415: "Unsupported media type",
    422: "Unprocessable request",
    500: "Internal error",
    501: "Not available",
}


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

_templates = Jinja2Templates(directory=str(TEMPLATES))
_templates.env.autoescape = True


def error_page(status: int, detail: str) -> HTMLResponse:
    """A short HTML page for an error, rendered without the request (nothing of it echoed)."""
    body = _templates.env.get_template("error.html").render(
        status=status, reason=REASONS.get(status, "Error"), detail=detail
    )
    return HTMLResponse(body, status_code=status)


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


# ---------------------------------------------------------------------------------------------
# Forms, CSRF and the reviewer's name
# ---------------------------------------------------------------------------------------------


async def read_form(request: Request) -> dict[str, str]:
    """The fields of an urlencoded form (the last value of a repeated field), at most MAX_BODY
    bytes and MAX_FIELDS fields; anything else is a 4xx."""
    kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if kind != "application/x-www-form-urlencoded":
        raise HTTPException(415, "send the form as application/x-www-form-urlencoded")
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > MAX_BODY:
            raise HTTPException(413, "the form is too large")
    try:
        pairs = parse_qsl(
            body.decode("utf-8"),
            keep_blank_values=True,
            strict_parsing=False,
            max_num_fields=MAX_FIELDS,
            errors="strict",
        )
    except (UnicodeDecodeError, ValueError):
        raise HTTPException(400, "the form cannot be read") from None
    if any("\x00" in k or "\x00" in v for k, v in pairs):
        raise HTTPException(400, "the form holds a NUL character")
    return dict(pairs)


def _sign(secret: bytes, nonce: str) -> str:
    return hmac.new(secret, nonce.encode(), hashlib.sha256).hexdigest()[:32]


def csrf_token(request: Request) -> str:
    """The request's CSRF token: its cookie's if validly signed, else a new one (the page that
    shows a form sets it as the cookie with `remember_csrf`)."""
    secret: bytes = request.app.state.secret
    cookie = request.cookies.get(CSRF_COOKIE, "")
    nonce, _, mac = cookie.partition(".")
    if nonce and hmac.compare_digest(mac, _sign(secret, nonce)):
        return cookie
    nonce = secrets.token_urlsafe(16)
    return f"{nonce}.{_sign(secret, nonce)}"


def remember_csrf(response: Response, token: str) -> None:
    response.set_cookie(CSRF_COOKIE, token, httponly=True, samesite="strict", path="/")


def check_edit(request: Request, form: dict[str, str]) -> None:
    """Refuse an edit unless edits are allowed, it comes from our own pages (Origin) and its
    form token matches its signed cookie."""
    if not request.app.state.allow_edits:
        raise HTTPException(
            403, "this archive is read-only; start `baocao web --allow-edits` to record corrections"
        )
    origin = request.headers.get("origin")
    if origin and origin != "null" and origin.split("://", 1)[-1] != request.headers.get("host"):
        raise HTTPException(403, "the form was sent from another site")
    cookie = request.cookies.get(CSRF_COOKIE, "")
    given = form.get("csrf", "")
    if not cookie or not hmac.compare_digest(given, cookie) or csrf_token(request) != cookie:
        raise HTTPException(403, "the form has expired; reload the page and try again")


def reviewer(request: Request) -> str:
    """The name remembered from the reviewer's last correction."""
    return unquote(request.cookies.get(REVIEWER_COOKIE, ""))[:100]


def remember_reviewer(response: Response, name: str) -> None:
    response.set_cookie(
        REVIEWER_COOKIE, quote(name[:100]), samesite="strict", path="/", max_age=365 * 24 * 3600
    )


def render(request: Request, name: str, status: int = 200, **context: Any) -> Response:
    """A page from the templates, with the app's settings and a CSRF token in its context."""
    token = csrf_token(request)
    context.update(
        request=request,
        allow_edits=request.app.state.allow_edits,
        csrf=token,
        reviewer=reviewer(request),
        compare_ready=request.app.state.compare_ready,
    )
    response = _templates.TemplateResponse(request, name, context, status_code=status)
    if request.app.state.allow_edits and request.cookies.get(CSRF_COOKIE) != token:
        remember_csrf(response, token)
    return response


# ---------------------------------------------------------------------------------------------
# The app
# ---------------------------------------------------------------------------------------------


def create_app(
    engine: Engine, *, allow_edits: bool = False, allowed_hosts: Sequence[str] | None = None
) -> FastAPI:
    """The web app over `engine`. `allowed_hosts` are the Host names accepted (None accepts any;
    `baocao web` passes the loopback names when bound to loopback, against DNS rebinding)."""
    from flows.web.routes import compare_page, edits, pages

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
    if allowed_hosts is not None:
        app.add_middleware(TrustedHostMiddleware, allowed_hosts=list(allowed_hosts))
    app.add_middleware(Guard)
    return app
