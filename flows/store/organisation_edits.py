"""People's edits of the organisations (rename, merge, split, undo), recorded like corrections
(who, when, a note) and keyed by the organisations' keys, which re-extraction gives again, never by
row ids; the list of organisations with their spellings; and which organisations a name typed by
a user means (`matching_organisations`: names, spellings, parent lines and places, case and
accents optional).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pandas as pd
from sqlalchemy import Connection, Engine, func, insert, select, update

from extractors.organisations import name_key
from extractors.text.keys import accent_key
from flows.store.engine import write_transaction
from flows.store.organisations import apply_edits
from flows.strings import text
from schemas import tables as t

MAX_AUTHOR = 100
MAX_NAME = 300


class OrganisationError(ValueError):
    """An edit of the organisations that cannot be made: no such organisation, an ambiguous name,
    a merge into itself, a missing author. `key` names its message in flows/strings.py (shown in
    Vietnamese or English); `str()` is the English one."""

    def __init__(self, key: str, **values: object) -> None:
        self.key, self.values = key, values
        super().__init__(text(key, "en", **values))

    def message(self, lang: str) -> str:
        return text(self.key, lang, **self.values)


def _haystacks(conn: Connection) -> dict[int, tuple[str, int]]:
    """Each body's searchable text (its name, spellings, parent lines, place, folded) and the
    organisation it belongs to."""
    o, a = t.organisations, t.organisation_aliases
    texts: dict[int, list[str]] = {}
    root: dict[int, int] = {}
    for row in conn.execute(
        select(o.c.id, o.c.name, o.c.parent, o.c.place, o.c.merged_into, o.c.key)
    ):
        texts[row.id] = [row.name, row.parent or "", row.place or "", row.key]
        root[row.id] = row.merged_into or row.id
    for alias in conn.execute(select(a.c.organisation_id, a.c.alias, a.c.alias_key)):
        texts[alias.organisation_id] += [alias.alias, alias.alias_key]
    return {
        body: (" | ".join(accent_key(x) for x in parts if x), root[body])
        for body, parts in texts.items()
    }


def matching_organisations(conn: Connection, query: str) -> set[int]:
    """The organisations (ids after merges) whose name, any spelling, parent line or place holds
    `query`, case and accents ignored and abbreviations written out: "Hòa An" finds the body
    under `ĐẢNG BỘ TỈNH HOÀ AN`, "ubnd tinh x" the one named `ỦY BAN NHÂN DÂN TỈNH X`."""
    wanted = {w for w in (accent_key(query), accent_key(name_key(query))) if w}
    if not wanted:
        return set()
    return {root for text, root in _haystacks(conn).values() if any(w in text for w in wanted)}


def _find(conn: Connection, ref: str, *, bodies: bool = False) -> Any:
    """The organisation a person names: its id, its key, or a name or spelling that means one
    organisation only. With `bodies`, a body merged into another may be named too (by id or key)."""
    o = t.organisations
    ref = " ".join(str(ref).split())
    columns = (o.c.id, o.c.key, o.c.name, o.c.merged_into)
    row = None
    if ref.isdigit():
        row = conn.execute(select(*columns).where(o.c.id == int(ref))).first()
    if row is None:
        row = conn.execute(select(*columns).where(o.c.key == ref)).first()
    if row is None:
        folded = accent_key(ref)
        exact = {
            root
            for text, root in _haystacks(conn).values()
            if folded in text.split(" | ") or accent_key(name_key(ref)) in text.split(" | ")
        }
        found = exact or matching_organisations(conn, ref)
        if len(found) > 1:
            raise OrganisationError("org.error.ambiguous", ref=ref, n=len(found))
        if found:
            row = conn.execute(select(*columns).where(o.c.id == found.pop())).first()
    if row is None:
        raise OrganisationError("org.error.unknown", ref=ref)
    if row.merged_into is not None and not bodies:
        row = conn.execute(select(*columns).where(o.c.id == row.merged_into)).first()
    return row


def _author(author: str) -> str:
    author = " ".join((author or "").split())
    if not author or len(author) > MAX_AUTHOR:
        raise OrganisationError("org.error.author", n=MAX_AUTHOR)
    return author


def _record(conn: Connection, **values: Any) -> int:
    values["created_at"] = datetime.now(UTC)
    result = conn.execute(insert(t.organisation_edits).values(**values))
    apply_edits(conn)
    key = result.inserted_primary_key
    assert key is not None
    return int(key[0])


def rename_organisation(
    engine: Engine, ref: str, name: str, *, author: str, note: str | None = None
) -> int:
    """Give an organisation the name people know it by; the id of the edit."""
    author = _author(author)
    name = " ".join((name or "").split())
    if not name or len(name) > MAX_NAME:
        raise OrganisationError("org.error.name", n=MAX_NAME)
    with write_transaction(engine) as conn:
        row = _find(conn, ref)
        return _record(
            conn, action="rename", organisation_key=row.key, name=name, note=note, author=author
        )


def merge_organisations(
    engine: Engine, ref: str, into: str, *, author: str, note: str | None = None
) -> int:
    """Make the organisation `ref` (and all merged into it) one with `into`; the edit's id."""
    author = _author(author)
    with write_transaction(engine) as conn:
        source, target = _find(conn, ref), _find(conn, into)
        if source.id == target.id:
            raise OrganisationError("org.error.same", ref=ref, into=into)
        return _record(
            conn,
            action="merge",
            organisation_key=source.key,
            into_key=target.key,
            note=note,
            author=author,
        )


def split_organisation(engine: Engine, ref: str, *, author: str, note: str | None = None) -> int:
    """Take a body (named by its id or key) out of the organisation it was joined or merged
    into, with the bodies merged into it; the edit's id."""
    author = _author(author)
    with write_transaction(engine) as conn:
        body = _find(conn, ref, bodies=True)
        if body.merged_into is None:
            raise OrganisationError("org.error.not_merged", ref=ref)
        return _record(conn, action="split", organisation_key=body.key, note=note, author=author)


def undo_edit(engine: Engine, edit_id: int, *, author: str) -> None:
    """Undo one edit (it stays in the log, marked undone, with who undid it and when)."""
    author = _author(author)
    e = t.organisation_edits
    with write_transaction(engine) as conn:
        found = conn.execute(
            select(e.c.id).where(e.c.id == edit_id, e.c.undone_at.is_(None))
        ).first()
        if found is None:
            raise OrganisationError("org.error.no_edit", id=edit_id)
        conn.execute(
            update(e).where(e.c.id == edit_id).values(undone_at=datetime.now(UTC), undone_by=author)
        )
        apply_edits(conn)


# ---------------------------------------------------------------------------------------------
# Reading
# ---------------------------------------------------------------------------------------------


def organisation_list(
    engine: Engine, query: str | None = None, *, empty: bool = False
) -> pd.DataFrame:
    """The organisations (merged ones inside the one they joined): id, name, parent line, place,
    number of documents, every spelling of the name, and the bodies merged into it. Those no
    document names any more (re-extraction read their headers otherwise) only with `empty`."""
    o, a, d = t.organisations, t.organisation_aliases, t.documents
    with engine.connect() as conn:
        wanted = matching_organisations(conn, query) if query else None
        bodies = list(conn.execute(select(o).order_by(o.c.name, o.c.id)))
        counts: dict[int, int] = dict(
            conn.execute(  # type: ignore[arg-type]
                select(d.c.organisation_id, func.count())
                .where(d.c.organisation_id.is_not(None))
                .group_by(d.c.organisation_id)
            ).all()
        )
        spellings: dict[int, list[str]] = {}
        for row in conn.execute(select(a.c.organisation_id, a.c.alias, a.c.kind).order_by(a.c.id)):
            if row.kind == "name":
                spellings.setdefault(row.organisation_id, []).append(row.alias)
    members: dict[int, list[Any]] = {}
    for body in bodies:
        members.setdefault(body.merged_into or body.id, []).append(body)
    rows = []
    for body in bodies:
        if body.merged_into is not None or (wanted is not None and body.id not in wanted):
            continue
        if not empty and not counts.get(body.id):
            continue
        names: list[str] = []
        for member in members[body.id]:
            names += [s for s in spellings.get(member.id, []) if s not in names]
        rows.append(
            {
                "id": body.id,
                "name": body.name,
                "parent": body.parent,
                "place": body.place,
                "documents": int(counts.get(body.id, 0)),
                "aliases": names,
                "merged": [m.id for m in members[body.id] if m.id != body.id],
                "key": body.key,
            }
        )
    columns = ["id", "name", "parent", "place", "documents", "aliases", "merged", "key"]
    return pd.DataFrame(rows, columns=columns)


def edit_log(engine: Engine) -> pd.DataFrame:
    """Every edit, newest first, undone ones included."""
    e = t.organisation_edits
    with engine.connect() as conn:
        return pd.read_sql(select(e).order_by(e.c.created_at.desc(), e.c.id.desc()), conn)
