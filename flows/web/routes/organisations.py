"""The organisations page: every issuing organisation with its spellings, parent line, place and
documents, the log of people's edits, and (with edits allowed) the forms to rename, merge, split
and undo; the edits are recorded through flows/store/organisation_edits.py."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.exceptions import HTTPException

from flows.store.organisation_edits import (
    OrganisationError,
    edit_log,
    merge_organisations,
    organisation_list,
    rename_organisation,
    split_organisation,
    undo_edit,
)
from flows.web.responses import check_edit, language_of, read_form, remember_reviewer, render
from flows.web.routes.pages import Text, engine_of

router = APIRouter()


@router.get("/organisations", response_class=HTMLResponse)
def organisations_page(request: Request, q: Text = "") -> Response:
    """The organisations (those whose names, spellings, parent line or place hold `q`), and the
    edits made to them."""
    engine = engine_of(request)
    frame = organisation_list(engine, q.strip() or None)
    log = edit_log(engine)
    return render(
        request,
        "organisations.html",
        q=q,
        organisations=frame.to_dict(orient="records"),
        choices=organisation_list(engine)[["id", "name", "parent"]].to_dict(orient="records"),
        edits=log.astype(object).where(log.notna(), None).to_dict(orient="records"),
    )


@router.post("/organisations/edits")
def edit_organisations(
    request: Request, form: Annotated[dict[str, str], Depends(read_form)]
) -> Response:
    """Record one edit from the page's forms, then show the page again.

    Fields: csrf, author, note, action (rename, merge, split, undo), organisation (its number),
    and `name` (rename), `into` (merge, a number) or `edit` (undo, the edit's number)."""
    check_edit(request, form)
    engine = engine_of(request)
    action: Literal["rename", "merge", "split", "undo"] | str = form.get("action", "")
    author, note = form.get("author", ""), form.get("note") or None
    ref = form.get("organisation", "").strip()
    try:
        if action == "rename":
            rename_organisation(engine, ref, form.get("name", ""), author=author, note=note)
        elif action == "merge":
            merge_organisations(engine, ref, form.get("into", ""), author=author, note=note)
        elif action == "split":
            split_organisation(engine, ref, author=author, note=note)
        elif action == "undo":
            edit = form.get("edit", "").strip()
            if not edit.isdigit() or len(edit) > 18:
                raise HTTPException(400, "edit must be a whole number")
            undo_edit(engine, int(edit), author=author)
        else:
            raise HTTPException(400, "unknown action")
    except OrganisationError as err:
        raise HTTPException(400, err.message(language_of(request))) from None
    response = RedirectResponse("/organisations", status_code=303)
    remember_reviewer(response, " ".join(author.split()))
    return response
