"""Citations across the archive: which archived documents a document cites, which documents cite
it, and every citation of one identifier. A cited identifier matches an archived document when
their identifier keys agree, and their years and dates where both sides know them (numbers restart
each year or term, so the key alone is not enough)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Engine, and_, func, or_, select

from extractors.text.keys import identifier_key
from flows.store.search import refresh_index
from schemas import tables as t


def citing_documents(
    engine: Engine, identifier: str, year: int | None = None
) -> list[dict[str, Any]]:
    """Every citation of `identifier` in the archive (matched by identifier key, and by year when
    `year` is given), one row per citing fact with its document, in file-name order."""
    c, d = t.cited_documents, t.documents
    stmt = (
        select(
            d.c.id.label("document_id"),
            d.c.file_name,
            d.c.title,
            d.c.issuer,
            d.c.date,
            c.c.id.label("fact_id"),
            c.c.identifier,
            c.c.year,
            c.c.date.label("cited_date"),
            c.c.doc_type,
            c.c.subject,
            c.c.text,
            c.c.start,
            c.c.end,
        )
        .join_from(c, d, c.c.document_id == d.c.id)
        .where(c.c.identifier_key == identifier_key(identifier))
        .order_by(d.c.file_name, d.c.id, c.c.start)
    )
    if year is not None:
        stmt = stmt.where(or_(c.c.year == year, c.c.year.is_(None)))
    with engine.connect() as conn:
        return [dict(row._mapping) for row in conn.execute(stmt)]


def archived_targets(engine: Engine, document_id: str) -> dict[int, list[dict[str, Any]]]:
    """For each reference fact of a document (by fact row id), the archived documents it cites:
    the same identifier key, and the same year and date where both sides know them."""
    refresh_index(engine)
    c, d, s = t.cited_documents, t.documents, t.document_search
    stmt = (
        select(c.c.id.label("fact_id"), d.c.id, d.c.file_name, d.c.title, d.c.identifier, d.c.date)
        .join_from(c, s, s.c.identifier_key == c.c.identifier_key)
        .join(d, d.c.id == s.c.document_id)
        .where(
            c.c.document_id == document_id,
            d.c.id != document_id,
            or_(c.c.year.is_(None), s.c.year.is_(None), c.c.year == s.c.year),
            or_(c.c.date.is_(None), d.c.date.is_(None), c.c.date == d.c.date),
        )
        .order_by(c.c.id, d.c.file_name)
    )
    targets: dict[int, list[dict[str, Any]]] = {}
    with engine.connect() as conn:
        for row in conn.execute(stmt):
            targets.setdefault(row.fact_id, []).append(dict(row._mapping))
    return targets


def cited_by(engine: Engine, document_id: str) -> list[dict[str, Any]]:
    """The documents of the archive that cite this one (its identifier key, and its year and date
    where the citation gives them), one row per citing document."""
    refresh_index(engine)
    c, d, s = t.cited_documents, t.documents, t.document_search
    target = (
        select(s.c.identifier_key, s.c.year, d.c.date)
        .join_from(s, d, d.c.id == s.c.document_id)
        .where(s.c.document_id == document_id)
    )
    with engine.connect() as conn:
        me = conn.execute(target).first()
        if me is None or not me.identifier_key:
            return []
        conditions = [c.c.identifier_key == me.identifier_key, c.c.document_id != document_id]
        if me.year is not None:
            conditions.append(or_(c.c.year.is_(None), c.c.year == me.year))
        if me.date is not None:
            conditions.append(or_(c.c.date.is_(None), c.c.date == me.date))
        stmt = (
            select(
                d.c.id,
                d.c.file_name,
                d.c.title,
                d.c.issuer,
                d.c.date,
                func.count().label("citations"),
                func.min(c.c.id).label("first_fact"),
            )
            .join_from(c, d, c.c.document_id == d.c.id)
            .where(and_(*conditions))
            .group_by(d.c.id, d.c.file_name, d.c.title, d.c.issuer, d.c.date)
            .order_by(d.c.file_name)
        )
        return [dict(row._mapping) for row in conn.execute(stmt)]


def most_cited(engine: Engine, limit: int = 50) -> list[dict[str, Any]]:
    """The identifiers cited by the most documents of the archive (then by mentions), each with
    one of its spellings, the kind of document it names, and how many documents and mentions."""
    c = t.cited_documents
    documents = func.count(func.distinct(c.c.document_id))
    stmt = (
        select(
            c.c.identifier_key,
            func.min(c.c.identifier).label("identifier"),
            func.max(c.c.doc_type).label("doc_type"),
            documents.label("documents"),
            func.count().label("mentions"),
        )
        .group_by(c.c.identifier_key)
        .order_by(documents.desc(), func.count().desc(), c.c.identifier_key)
        .limit(limit)
    )
    with engine.connect() as conn:
        return [dict(row._mapping) for row in conn.execute(stmt)]
