"""The reading pages: the archive (filters, full-text search, failed imports), a document (its text
with the facts highlighted, the facts beside it, who cites it, its corrections), the original file,
the displaCy review page, and the citations of one identifier. Nothing here writes to the store
except the search index kept up to date."""

from __future__ import annotations

import hashlib
import mimetypes
from pathlib import Path
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Request
from fastapi import Path as PathParam
from fastapi.responses import FileResponse, HTMLResponse, Response
from sqlalchemy import Engine, func, select
from starlette.exceptions import HTTPException

from extractors.text.keys import identifier_key
from flows import strings
from flows.analysis.show import render_html
from flows.store import citations
from flows.store.read import corrected_facts, correction_log
from flows.store.reports import stored_report
from flows.store.search import MAX_QUERY_LENGTH, refresh_index, search
from flows.web.render import (
    COLORS,
    LABELS,
    Highlight,
    change_text,
    fact_value,
    highlighted_text,
)
from flows.web.responses import MAX_URL, language_of, render
from schemas import tables as t
from schemas.corrections import editable_columns, required_columns

router = APIRouter()

DocumentId = Annotated[str, PathParam(pattern=r"^[0-9a-f]{64}$", max_length=64)]
Text = Annotated[str, Query(max_length=200)]
PAGE_SIZE = 100


def engine_of(request: Request) -> Engine:
    engine: Engine = request.app.state.engine
    return engine


def document_row(engine: Engine, document_id: str, *, with_text: bool = True) -> Any:
    """The document's row, or a 404."""
    d = t.documents
    columns = [c for c in d.c if with_text or c.name != "text"]
    with engine.connect() as conn:
        row = conn.execute(select(*columns).where(d.c.id == document_id)).first()
    if row is None:
        raise HTTPException(404, "there is no such document in the archive")
    return row


# ---------------------------------------------------------------------------------------------
# The archive
# ---------------------------------------------------------------------------------------------


def organisation_choices(engine: Engine) -> list[tuple[str, str]]:
    """The organisations that documents point to, by number, named with their parent line."""
    d, o = t.documents, t.organisations
    with engine.connect() as conn:
        bodies = select(o.c.id, o.c.name, o.c.parent).where(
            o.c.id.in_(select(d.c.organisation_id).where(d.c.organisation_id.is_not(None)))
        )
        return [
            (str(r.id), f"{r.name} ({r.parent})" if r.parent else r.name)
            for r in conn.execute(bodies.order_by(o.c.name, o.c.id))
        ]


def _choices(engine: Engine) -> dict[str, list[tuple[str, str]]]:
    """The values of each filter of the archive and their labels: the organisations (by number,
    named with their parent line) and the distinct kinds, periods and formats."""
    d = t.documents
    found: dict[str, list[tuple[str, str]]] = {"issuer": organisation_choices(engine)}
    with engine.connect() as conn:
        for name, column in (
            ("doc_type", d.c.doc_type),
            ("period", d.c.period_key),
            ("format", d.c.format),
        ):
            stmt = select(column).where(column.is_not(None)).distinct().order_by(column)
            found[name] = [(r[0], r[0]) for r in conn.execute(stmt)]
    return found


def failed_files(engine: Engine) -> list[Any]:
    """Files whose latest outcome is an error, with the reason, newest first."""
    o = t.file_outcomes
    latest = select(func.max(o.c.id)).group_by(o.c.path).scalar_subquery()
    stmt = (
        select(o.c.path, o.c.error_code, o.c.message, o.c.at, o.c.run_id)
        .where(o.c.id.in_(latest), o.c.status == "error")
        .order_by(o.c.at.desc(), o.c.path)
    )
    with engine.connect() as conn:
        return list(conn.execute(stmt))


@router.get("/", response_class=HTMLResponse)
def archive(
    request: Request,
    # a longer query is cut to the search's limit with a notice, not refused (the URL's own
    # limit, MAX_URL, still holds)
    q: Annotated[str, Query(max_length=MAX_URL)] = "",
    issuer: Text = "",
    doc_type: Text = "",
    period: Text = "",
    format: Annotated[str, Query(max_length=16)] = "",  # noqa: A002 - the URL's name
    outcome: Literal["", "ok", "error"] = "",
    page: Annotated[int, Query(ge=1, le=100_000)] = 1,
) -> Response:
    """Documents filtered by issuer, type, period and format, or searched by their text; or the
    files that failed to import, with their reasons."""
    engine = engine_of(request)
    filters = {"issuer": issuer, "doc_type": doc_type, "period": period, "format": format}
    failures = failed_files(engine)
    hits, documents, total = [], [], 0
    shortened = len(q) > MAX_QUERY_LENGTH
    q = q[:MAX_QUERY_LENGTH]
    if outcome != "error" and q.strip():
        hits = search(
            engine,
            q,
            limit=PAGE_SIZE,
            organisation=int(issuer) if issuer.isdigit() else None,
            issuer=issuer if issuer and not issuer.isdigit() else None,
            doc_type=doc_type or None,
            period=period or None,
            fmt=format or None,
        )
    elif outcome != "error":
        d = t.documents
        stmt = select(
            d.c.id,
            d.c.file_name,
            d.c.title,
            d.c.issuer,
            d.c.doc_type,
            d.c.identifier,
            d.c.date,
            d.c.period_key,
            d.c.format,
            d.c.rules_version,
        )
        if issuer.isdigit():  # an organisation, by its number (merged ones included)
            stmt = stmt.where(d.c.organisation_id == int(issuer))
        elif issuer:  # an issuer as read (links made before organisations)
            stmt = stmt.where(d.c.issuer == issuer)
        for column, wanted in (
            (d.c.doc_type, doc_type),
            (d.c.period_key, period),
            (d.c.format, format),
        ):
            if wanted:
                stmt = stmt.where(column == wanted)
        with engine.connect() as conn:
            total = conn.execute(select(func.count()).select_from(stmt.subquery())).scalar_one()
            documents = list(
                conn.execute(
                    stmt.order_by(d.c.date.desc(), d.c.file_name, d.c.id)
                    .limit(PAGE_SIZE)
                    .offset((page - 1) * PAGE_SIZE)
                )
            )
    return render(
        request,
        "archive.html",
        q=q,
        shortened=shortened,
        max_query=MAX_QUERY_LENGTH,
        filters=filters,
        outcome=outcome,
        choices=_choices(engine),
        hits=hits,
        documents=documents,
        total=total,
        page=page,
        pages=max(1, -(-total // PAGE_SIZE)),
        failures=failures,
    )


# ---------------------------------------------------------------------------------------------
# A document
# ---------------------------------------------------------------------------------------------


def _facts_of(engine: Engine, document_id: str) -> dict[str, list[dict[str, Any]]]:
    """Each kind's facts of the document, corrections applied, rejected ones included."""
    facts: dict[str, list[dict[str, Any]]] = {}
    for kind in t.CORRECTABLE_KINDS:
        frame = corrected_facts(engine, kind, document_id, include_rejected=True, with_ids=True)
        rows = frame.astype(object).where(frame.notna(), None).to_dict(orient="records")
        for row in rows:
            row["anchor"] = (
                f"f-{kind}-{row['id']}"
                if row["id"] is not None
                else f"f-{kind}-c{row['correction_id']}"
            )
            row["summary"] = fact_value(kind, row)
        facts[kind] = rows
    return facts


def source_file(row: Any) -> Path | None:
    """The original file of a document if it is still where it was imported from (the stored
    path, relative ones from the working directory), a regular file; never a path from the
    request."""
    path = Path(row.source)
    try:
        return path if path.is_file() else None
    except OSError:
        return None


@router.get("/documents/{document_id}", response_class=HTMLResponse)
def document(request: Request, document_id: DocumentId) -> Response:
    """The document's header, its text with every fact highlighted and anchored, its facts
    beside it (each linked to its span), its consistency findings, who cites it and what it
    cites in the archive, and its corrections."""
    engine = engine_of(request)
    doc = document_row(engine, document_id)
    facts = _facts_of(engine, document_id)
    labels = strings.labels("kind", LABELS, language_of(request))
    highlights = [
        Highlight(
            row["anchor"],
            kind,
            row["start"],
            row["end"],
            f"{labels[kind]}: {row['summary']}",
            row["review_status"],
        )
        for kind, rows in facts.items()
        for row in rows
        if row["review_status"] != "rejected"
    ]
    log = correction_log(engine, document_id)
    log_rows = log.astype(object).where(log.notna(), None).to_dict(orient="records")
    for row in log_rows:
        row["change"] = change_text(row.get("original_value"), row.get("value"))
        row["reason"] = strings.correction_reason(row.get("reason"), language_of(request))

    return render(
        request,
        "document.html",
        doc=doc,
        facts=facts,
        labels=labels,
        colors=COLORS,
        text_html=highlighted_text(doc.text, highlights),
        targets=citations.archived_targets(engine, document_id),
        cited_by=citations.cited_by(engine, document_id),
        corrections=log_rows,
        has_source=source_file(doc) is not None,
        editable={k: editable_columns(k) for k in t.CORRECTABLE_KINDS},
        required={k: set(required_columns(k)) for k in t.CORRECTABLE_KINDS},
    )


@router.get("/documents/{document_id}/original")
def original(request: Request, document_id: DocumentId) -> Response:
    """The file the document was imported from, looked up by the document's id, served only if
    it is still there with the same content (its SHA-256 is the id)."""
    row = document_row(engine_of(request), document_id, with_text=False)
    path = source_file(row)
    if path is None:
        raise HTTPException(410, "the original file is no longer where it was imported from")
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    if digest.hexdigest() != document_id:
        raise HTTPException(410, "the file at the imported path has changed since the import")
    media = mimetypes.guess_type(row.file_name)[0] or "application/octet-stream"
    return FileResponse(
        path, media_type=media, filename=row.file_name, content_disposition_type="attachment"
    )


@router.get("/documents/{document_id}/displacy", response_class=HTMLResponse)
def displacy_view(request: Request, document_id: DocumentId) -> Response:
    """The displaCy review page of `baocao show`, drawn from the stored text and the corrected
    facts."""

    report = stored_report(engine_of(request), document_id)
    if report is None:
        raise HTTPException(404, "there is no such document in the archive")
    return HTMLResponse(render_html([report]))


# ---------------------------------------------------------------------------------------------
# Citations
# ---------------------------------------------------------------------------------------------


@router.get("/cites", response_class=HTMLResponse)
def cites(
    request: Request,
    identifier: Text = "",
    year: Annotated[int | None, Query(ge=1900, le=2200)] = None,
) -> Response:
    """Which documents of the archive cite an identifier (`168-KH/ĐUK`), and whether the cited
    document itself is in the archive."""
    engine = engine_of(request)
    rows: list[dict[str, Any]] = []
    archived: list[Any] = []
    if identifier.strip():
        refresh_index(engine)
        rows = citations.citing_documents(engine, identifier.strip(), year)
        s, d = t.document_search, t.documents
        stmt = (
            select(d.c.id, d.c.file_name, d.c.title, d.c.date)
            .join_from(s, d, s.c.document_id == d.c.id)
            .where(s.c.identifier_key == identifier_key(identifier.strip()))
        )
        if year is not None:
            stmt = stmt.where(s.c.year == year)
        with engine.connect() as conn:
            archived = list(conn.execute(stmt.order_by(d.c.file_name)))
    documents: dict[str, dict[str, Any]] = {}
    for row in rows:
        entry = documents.setdefault(row["document_id"], {**row, "mentions": []})
        entry["mentions"].append(row)
    return render(
        request,
        "cites.html",
        most_cited=[] if identifier.strip() else citations.most_cited(engine),
        identifier=identifier,
        year=year,
        documents=list(documents.values()),
        mentions=len(rows),
        archived=archived,
    )
