"""Organisations in the store: every document points to the body that issued it (found or made
when it is loaded, in the same transaction), with every spelling seen as an alias; the automatic
joins and people's renames, merges and splits (flows/store/organisation_edits.py) are applied
again whenever a new body appears or an edit is made.

Which spellings are one body is decided in extractors/organisations.py; this module writes it
down. `documents.organisation_key` is the body as read (its identity), `documents.organisation_id`
the organisation it belongs to once joins and merges are applied; `organisations.merged_into`
says the same for each body.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, and_, func, select, update
from sqlalchemy.dialects import postgresql, sqlite

from extractors.organisations import (
    Edit,
    Identity,
    display_names,
    identity_of,
    joins,
    name_key,
    roots,
)
from schemas import tables as t

_CHUNK = 500


def _insert_ignoring_duplicates(conn: Connection, table: Any, rows: list[dict[str, Any]]) -> None:
    """Insert rows, leaving out those a unique constraint already holds (another import may have
    added the same body or spelling since this transaction looked)."""
    if not rows:
        return
    dialect = postgresql if conn.dialect.name == "postgresql" else sqlite
    conn.execute(dialect.insert(table).on_conflict_do_nothing(), rows)


def assign_organisations(conn: Connection, document_ids: Sequence[str] | None = None) -> int:
    """Give these documents (every document, when None) their organisations: make the bodies and
    the spellings not seen before, apply joins and edits again if a body is new, and point each
    document to its organisation. Returns the number of bodies made."""
    d = t.documents
    stmt = select(d.c.id, d.c.issuer, d.c.parent_issuer, d.c.place, d.c.organisation_key)
    docs: list[Any] = []
    if document_ids is None:
        docs = list(conn.execute(stmt.where(d.c.organisation_key.is_not(None))))
    else:
        for i in range(0, len(document_ids), _CHUNK):
            chunk = list(document_ids[i : i + _CHUNK])
            docs += conn.execute(stmt.where(d.c.id.in_(chunk), d.c.organisation_key.is_not(None)))
    if not docs:
        return 0
    made = _make_bodies(conn, docs)
    ids = _ids_of(conn, {doc.organisation_key for doc in docs})
    spelled = _add_aliases(conn, docs, ids)
    if made or spelled:
        apply_edits(conn)
    _point_documents(conn, [doc.id for doc in docs])
    return made


def _make_bodies(conn: Connection, docs: Sequence[Any]) -> int:
    """Insert the bodies these documents name that are not stored yet; how many were made."""
    first: dict[str, tuple[Any, Identity]] = {}
    for doc in docs:
        found = identity_of(doc.issuer, doc.parent_issuer, doc.place)
        if found is not None and doc.organisation_key not in first:
            first[doc.organisation_key] = (doc, found)
    stored = set(_ids_of(conn, first))
    now = datetime.now(UTC)
    rows = [
        {
            "key": key,
            "name": doc.issuer,
            "parent": doc.parent_issuer if found.parent_key else None,
            "place": doc.place,
            "name_key": found.name_key,
            "parent_key": found.parent_key,
            "place_key": found.place_key,
            "created_at": now,
        }
        for key, (doc, found) in sorted(first.items())
        if key not in stored
    ]
    _insert_ignoring_duplicates(conn, t.organisations, rows)
    return len(set(_ids_of(conn, first)) - stored)


def _ids_of(conn: Connection, keys: Iterable[str]) -> dict[str, int]:
    o = t.organisations
    keys = sorted(keys)
    found: dict[str, int] = {}
    for i in range(0, len(keys), _CHUNK):
        stmt = select(o.c.key, o.c.id).where(o.c.key.in_(keys[i : i + _CHUNK]))
        found.update({row.key: row.id for row in conn.execute(stmt)})
    return found


def _add_aliases(conn: Connection, docs: Sequence[Any], ids: dict[str, int]) -> int:
    """Keep every spelling of each body's name and parent line; how many were new."""
    wanted: set[tuple[int, str, str]] = set()
    for doc in docs:
        body = ids.get(doc.organisation_key)
        if body is None:
            continue
        wanted.add((body, "name", doc.issuer))
        if doc.parent_issuer and name_key(doc.parent_issuer) != name_key(doc.issuer):
            wanted.add((body, "parent", doc.parent_issuer))
    a = t.organisation_aliases
    have: set[tuple[int, str, str]] = set()
    bodies = sorted({w[0] for w in wanted})
    for i in range(0, len(bodies), _CHUNK):
        stmt = select(a.c.organisation_id, a.c.kind, a.c.alias).where(
            a.c.organisation_id.in_(bodies[i : i + _CHUNK])
        )
        have.update(tuple(row) for row in conn.execute(stmt))
    rows = [
        {"organisation_id": body, "kind": kind, "alias": alias, "alias_key": name_key(alias)}
        for body, kind, alias in sorted(wanted - have)
    ]
    _insert_ignoring_duplicates(conn, a, rows)
    return len(rows)


def _point_documents(conn: Connection, document_ids: Sequence[str]) -> None:
    """Set each document's organisation_id from its body (merges applied)."""
    d, o = t.documents, t.organisations
    target = (
        select(func.coalesce(o.c.merged_into, o.c.id))
        .where(o.c.key == d.c.organisation_key)
        .scalar_subquery()
    )
    for i in range(0, len(document_ids), _CHUNK):
        chunk = list(document_ids[i : i + _CHUNK])
        conn.execute(update(d).where(d.c.id.in_(chunk)).values(organisation_id=target))


def active_edits(conn: Connection) -> list[Edit]:
    """People's edits not undone, oldest first."""
    e = t.organisation_edits
    stmt = (
        select(e.c.action, e.c.organisation_key, e.c.into_key, e.c.name)
        .where(e.c.undone_at.is_(None))
        .order_by(e.c.created_at, e.c.id)
    )
    return [Edit(r.action, r.organisation_key, r.into_key, r.name) for r in conn.execute(stmt)]


def apply_edits(conn: Connection) -> None:
    """Work out again which organisation each body belongs to and what each is called (the
    automatic joins, then people's edits in order), and write what changed, documents included."""
    o, a = t.organisations, t.organisation_aliases
    bodies = list(
        conn.execute(
            select(
                o.c.id, o.c.key, o.c.name, o.c.name_key, o.c.parent_key, o.c.place_key,
                o.c.merged_into,
            ).order_by(o.c.id)  # one order of row locks in every transaction: no deadlock
        )
    )  # fmt: skip
    if not bodies:
        return
    by_key = {b.key: b for b in bodies}
    joined = joins(Identity(b.name_key, b.parent_key, b.place_key) for b in bodies)
    edits = active_edits(conn)
    found = roots(by_key, joined, edits)
    spellings: dict[str, list[str]] = {}
    key_of = {b.id: b.key for b in bodies}
    stmt = select(a.c.organisation_id, a.c.alias).where(a.c.kind == "name").order_by(a.c.id)
    for row in conn.execute(stmt):
        spellings.setdefault(key_of[row.organisation_id], []).append(row.alias)
    # the spelling most of a body's documents use comes first (then the first seen)
    d = t.documents
    used = {
        (row.organisation_key, row.issuer): row.n
        for row in conn.execute(
            select(d.c.organisation_key, d.c.issuer, func.count().label("n"))
            .where(d.c.organisation_key.is_not(None))
            .group_by(d.c.organisation_key, d.c.issuer)
        )
    }
    for key, names_of in spellings.items():
        names_of.sort(key=lambda name: -used.get((key, name), 0))  # noqa: B023 - used at once
    names = display_names(found, spellings, edits)
    moved: list[str] = []
    for body in bodies:
        root = found[body.key]
        merged_into = None if root == body.key else by_key[root].id
        name = names.get(body.key, body.name)
        if merged_into != body.merged_into or name != body.name:
            conn.execute(
                update(o).where(o.c.id == body.id).values(merged_into=merged_into, name=name)
            )
        if merged_into != body.merged_into:
            moved.append(body.key)
    for key in moved:
        target = by_key[found[key]].id
        stale = d.c.organisation_id.is_(None) | (d.c.organisation_id != target)
        conn.execute(
            update(d).where(and_(d.c.organisation_key == key, stale)).values(organisation_id=target)
        )
