"""What every page of the web application shares: the templates, rendering a page, the short
HTML error page, reading a form within limits, and the CSRF token and reviewer cookies of edit
forms. The app (flows/web/app.py) and the routes (flows/web/routes/) import it; it imports
neither."""

from __future__ import annotations

import base64
import functools
import hashlib
import hmac
import secrets
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, quote, unquote

from fastapi import Request
from fastapi.responses import HTMLResponse, Response
from fastapi.templating import Jinja2Templates
from starlette.exceptions import HTTPException

from flows.strings import LANGUAGE_COOKIE, LANGUAGES, language, text

TEMPLATES = Path(__file__).parent / "templates"
MAX_URL = 4096  # bytes of path and query string
MAX_BODY = 64 * 1024  # bytes of a form
MAX_FIELDS = 64
CSRF_COOKIE = "baocao_csrf"
REVIEWER_COOKIE = "baocao_reviewer"
# The one script the pages run: the compare page's metric filter, which hides the rows whose
# folded label, key and organisation do not hold what is typed (accents optional). Inline, and
# allowed by its hash alone: no other script runs.
FILTER_SCRIPT = """
(function () {
  var box = document.getElementById("metric-filter");
  if (!box) { return; }
  var fold = function (s) {
    return s.normalize("NFD").replace(/[\\u0300-\\u036f]/g, "").replace(/[đĐ]/g, "d").toLowerCase();
  };
  box.addEventListener("input", function () {
    var want = fold(box.value.trim());
    document.querySelectorAll("#compare-table tbody tr:not(.org)").forEach(function (tr) {
      tr.hidden = want !== "" && tr.dataset.search.indexOf(want) < 0;
    });
  });
})();
"""
_SCRIPT_HASH = base64.b64encode(hashlib.sha256(FILTER_SCRIPT.encode()).digest()).decode()
SECURITY_HEADERS = {
    "content-security-policy": "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' "
    f"data:; script-src 'sha256-{_SCRIPT_HASH}'; form-action 'self'; frame-ancestors 'none'; "
    "base-uri 'none'",
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

_templates = Jinja2Templates(directory=str(TEMPLATES))
_templates.env.autoescape = True


def error_page(status: int, detail: str) -> HTMLResponse:
    """A short HTML page for an error, rendered without the request (nothing of it echoed)."""
    body = _templates.env.get_template("error.html").render(
        status=status, reason=REASONS.get(status, "Error"), detail=detail
    )
    return HTMLResponse(body, status_code=status)


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


def language_of(request: Request) -> str:
    """The page's language: `?lang=` when given, else the one remembered, else Vietnamese."""
    return language(request.query_params.get("lang"), request.cookies.get(LANGUAGE_COOKIE))


def render(request: Request, name: str, status: int = 200, **context: Any) -> Response:
    """A page from the templates, with the app's settings, a CSRF token and the page's language
    (`t`, the strings of flows/strings.py in it) in its context."""
    token = csrf_token(request)
    lang = language_of(request)
    context.update(
        request=request,
        allow_edits=request.app.state.allow_edits,
        csrf=token,
        reviewer=reviewer(request),
        compare_ready=request.app.state.compare_ready,
        lang=lang,
        languages=LANGUAGES,
        t=functools.partial(text, lang=lang),
    )
    response = _templates.TemplateResponse(request, name, context, status_code=status)
    if request.app.state.allow_edits and request.cookies.get(CSRF_COOKIE) != token:
        remember_csrf(response, token)
    if request.query_params.get("lang") == lang and request.cookies.get(LANGUAGE_COOKIE) != lang:
        response.set_cookie(LANGUAGE_COOKIE, lang, samesite="strict", httponly=True)
    return response


# ---------------------------------------------------------------------------------------------
# The app
# ---------------------------------------------------------------------------------------------


def csv_download(text: str, name: str) -> Response:
    """A CSV file to download, with a byte-order mark: Excel on Windows reads a CSV without one
    in the machine's code page and garbles the Vietnamese."""
    return Response(
        "\ufeff" + text,
        media_type="text/csv; charset=utf-8",
        headers={"content-disposition": f'attachment; filename="{name}"'},
    )
