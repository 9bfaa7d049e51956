"""Corrections through the web: the form a person sends to confirm, reject, edit or add a fact
(refused with 403 unless the app runs with --allow-edits, and without a valid CSRF token), the
log of every correction with who made it and when, and the facts exported with the corrections
applied."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Query, Request
from fastapi import Path as PathParam
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.exceptions import HTTPException

from flows.store.corrections import CorrectionError, record_correction
from flows.store.read import corrected_facts, correction_log
from flows.strings import correction_reason, text
from flows.web.render import change_text, fact_value
from flows.web.responses import (
    check_edit,
    csv_download,
    language_of,
    read_form,
    remember_reviewer,
    render,
)
from flows.web.routes.pages import DocumentId, document_row, engine_of
from schemas import tables as t
from schemas.corrections import editable_columns, required_columns

router = APIRouter()

Kind = Literal["references", "dates", "periods", "quantities", "awards", "findings"]
MAX_ID = 2**62


def _int(form: dict[str, str], name: str) -> int | None:
    """A whole number from the form, None if blank; a 400 if it is not one."""
    value = form.get(name, "").strip()
    if not value:
        return None
    if not value.isdigit() or len(value) > 18:
        raise HTTPException(400, f"{name} must be a whole number")
    return int(value)


@router.post("/documents/{document_id}/corrections")
def correct(
    request: Request,
    document_id: DocumentId,
    form: Annotated[dict[str, str], Depends(read_form)],
) -> Response:
    """Record one correction from the document page's forms, then go back to the fact.

    Fields: csrf, author, kind, action (confirm, reject, edit, add), fact_id (confirm, reject,
    edit), the value fields as `v_<column>` (edit, add), and for add the text of the fact
    (`find`) and the offset near which to look for it (`near`), or its `start` and `end`.
    """
    check_edit(request, form)
    engine = engine_of(request)
    doc = document_row(engine, document_id)
    kind, action = form.get("kind", ""), form.get("action", "")
    if kind not in t.CORRECTABLE_KINDS or action not in t.CORRECTION_ACTIONS:
        raise HTTPException(400, "unknown kind of fact or action")
    values = {k[2:]: v for k, v in form.items() if k.startswith("v_")}
    if action == "edit":
        # blank fields of an edit form keep the extracted value
        values = {k: v for k, v in values.items() if v.strip()}
    start, end = _int(form, "start"), _int(form, "end")
    if action == "add" and form.get("find", "").strip():
        start, end = _find(doc.text, form["find"].strip(), _int(form, "near") or 0)
    try:
        correction_id = record_correction(
            engine,
            document_id=document_id,
            kind=kind,
            action=action,
            author=form.get("author", ""),
            fact_id=_int(form, "fact_id"),
            start=start,
            end=end,
            values=values if action in ("edit", "add") else None,
            note=form.get("note"),
        )
    except CorrectionError as err:
        raise HTTPException(400, str(err)) from None
    fact_id = form.get("fact_id", "").strip()
    anchor = f"l-f-{kind}-{fact_id}" if fact_id and action != "add" else f"c-{correction_id}"
    response = RedirectResponse(f"/documents/{document_id}#{anchor}", status_code=303)
    remember_reviewer(response, " ".join(form.get("author", "").split()))
    return response


def _find(text: str, wanted: str, near: int) -> tuple[int, int]:
    """The occurrence of `wanted` in the text nearest to offset `near`; a 400 if there is none."""
    found: list[int] = []
    at = text.find(wanted)
    while at != -1 and len(found) < 10_000:
        found.append(at)
        at = text.find(wanted, at + 1)
    if not found:
        raise HTTPException(400, "that text is not in the document; copy it exactly")
    best = min(found, key=lambda i: (abs(i - near), i))
    return best, best + len(wanted)


@router.get("/documents/{document_id}/facts/{kind}/{fact_id}", response_class=HTMLResponse)
def fact_page(
    request: Request,
    document_id: DocumentId,
    kind: Kind,
    fact_id: Annotated[int, PathParam(ge=1, le=MAX_ID)],
) -> Response:
    """One fact: its text in its sentence, its provenance, its value as corrected, and (with
    edits allowed) the form to confirm, reject or edit it."""
    engine = engine_of(request)
    doc = document_row(engine, document_id, with_text=False)
    frame = corrected_facts(engine, kind, document_id, include_rejected=True, with_ids=True)
    frame = frame[frame["id"] == fact_id]
    if frame.empty:
        raise HTTPException(404, "there is no such fact in this document")
    row = frame.astype(object).where(frame.notna(), None).to_dict(orient="records")[0]
    return render(
        request,
        "fact.html",
        doc=doc,
        kind=kind,
        label=text(f"kind.{kind}", language_of(request)),
        row=row,
        summary=fact_value(kind, row),
        editable=editable_columns(kind),
        required=set(required_columns(kind)),
    )


@router.get("/corrections", response_class=HTMLResponse)
def corrections_page(request: Request) -> Response:
    """Every correction in the archive, oldest first, with who, when and what became of it."""
    log = correction_log(engine_of(request))
    rows = log.astype(object).where(log.notna(), None).to_dict(orient="records")
    lang = language_of(request)
    for row in rows:
        row["change"] = change_text(row.get("original_value"), row.get("value"))
        row["reason"] = correction_reason(row.get("reason"), lang)
    return render(request, "corrections.html", corrections=rows)


@router.get("/corrections.csv")
def corrections_csv(request: Request) -> Response:
    """The corrections log as CSV."""
    return csv_download(correction_log(engine_of(request)).to_csv(index=False), "corrections.csv")


@router.get("/facts/{kind}.csv")
def facts_csv(
    request: Request,
    kind: Kind,
    document: Annotated[str, Query(max_length=64, pattern=r"^[0-9a-f]*$")] = "",
) -> Response:
    """One kind of fact as CSV with the corrections applied and who reviewed each row."""
    frame = corrected_facts(engine_of(request), kind, document or None)
    return csv_download(frame.to_csv(index=False), f"{kind}.csv")
