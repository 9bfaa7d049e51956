"""Full-text search over the documents' text, typed without Vietnamese accents or with them.

Each document's text is folded (NFC, lower case, tones and accents removed, đ read as d) into a
copy of the same length, kept in the `document_search` table; `refresh_index` brings it up to date
with the documents (new imports, re-extractions). SQLite searches it through an FTS5 table,
PostgreSQL through `to_tsvector('simple', folded)`; both then find the phrases in the folded text
in Python, whose offsets are the original text's, for the snippets. Every query is parameterised:
the words typed are data, never SQL or FTS syntax.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import Connection, Engine, bindparam, delete, func, insert, or_, select, text

from extractors.text.keys import fold_accents, identifier_key
from flows.store.engine import write_transaction
from schemas import tables as t

FOLD_VERSION = "1"
FTS_TABLE = "document_search_fts"
MAX_QUERY_LENGTH = 200
MAX_TERMS = 8
_WORD = re.compile(r"\w+")
_NON_WORD = re.compile(r"\W")


# ---------------------------------------------------------------------------------------------
# Folding
# ---------------------------------------------------------------------------------------------


def search_form(value: str) -> str:
    """The folded text as the index stores it: `fold` with every character that is not a word
    character made a space (`168-KH/ĐUK` gives `168 kh duk`), so that SQLite's and PostgreSQL's
    tokenizers split it into the same words as the query; still one character per character."""
    return _NON_WORD.sub(" ", fold_accents(value))


def query_terms(query: str) -> list[str]:
    """The phrases of a query, folded: terms are separated by commas or written in quotes, and
    the words of one term must follow each other. `ket nap, "dang vien"` gives
    `["ket nap", "dang vien"]`. Anything that is not a word character is only a separator."""
    query = query[:MAX_QUERY_LENGTH]
    parts = re.findall(r'"([^"]*)"|([^,"]+)', query)
    terms: list[str] = []
    for quoted, bare in parts:
        words = _WORD.findall(fold_accents(quoted or bare))
        if words:
            terms.append(" ".join(words))
    return terms[:MAX_TERMS]


def _phrase_pattern(term: str) -> re.Pattern[str]:
    words = [re.escape(w) for w in term.split()]
    return re.compile(r"(?<!\w)" + r"\W+".join(words) + r"(?!\w)")


# ---------------------------------------------------------------------------------------------
# The index
# ---------------------------------------------------------------------------------------------


def _stale_ids(conn: Connection) -> list[str]:
    d, s = t.documents, t.document_search
    stmt = (
        select(d.c.id)
        .outerjoin(s, s.c.document_id == d.c.id)
        .where(
            or_(
                s.c.document_id.is_(None),
                s.c.indexed_imported_at != d.c.imported_at,
                s.c.fold_version != FOLD_VERSION,
            )
        )
    )
    return [row.id for row in conn.execute(stmt)]


def refresh_index(engine: Engine, batch: int = 50) -> int:
    """Fold the text of every document imported or re-extracted since the last refresh (and drop
    what no longer has a document); returns how many documents were (re)indexed. Cheap when
    nothing changed: one query."""
    with engine.connect() as conn:
        stale = _stale_ids(conn)
        sqlite = conn.dialect.name == "sqlite"
        orphans = 0
        if sqlite:
            orphans = conn.exec_driver_sql(
                f"SELECT count(*) FROM {FTS_TABLE} WHERE document_id NOT IN "
                "(SELECT id FROM documents)"
            ).scalar_one()
    if not stale and not orphans:
        return 0
    d, s = t.documents, t.document_search
    for i in range(0, len(stale), batch):
        chunk = stale[i : i + batch]
        with write_transaction(engine) as conn:
            rows = conn.execute(
                select(d.c.id, d.c.text, d.c.identifier, d.c.date, d.c.imported_at).where(
                    d.c.id.in_(chunk)
                )
            ).all()
            conn.execute(delete(s).where(s.c.document_id.in_(chunk)))
            values = [_index_row(row) for row in rows]
            if values:
                conn.execute(insert(s), values)
            if sqlite:
                fts_delete = text(f"DELETE FROM {FTS_TABLE} WHERE document_id IN :ids")
                fts_delete = fts_delete.bindparams(bindparam("ids", expanding=True))
                conn.execute(fts_delete, {"ids": chunk})
                if values:
                    fts_insert = f"INSERT INTO {FTS_TABLE} (document_id, folded) VALUES (:id, :f)"
                    conn.execute(
                        text(fts_insert),
                        [{"id": v["document_id"], "f": v["folded"]} for v in values],
                    )
    if sqlite and orphans:
        with write_transaction(engine) as conn:
            conn.exec_driver_sql(
                f"DELETE FROM {FTS_TABLE} WHERE document_id NOT IN (SELECT id FROM documents)"
            )
    return len(stale)


def _index_row(row: Any) -> dict[str, Any]:
    return {
        "document_id": row.id,
        "folded": search_form(row.text),
        "identifier_key": identifier_key(row.identifier) if row.identifier else None,
        "year": row.date.year if isinstance(row.date, date) else None,
        "fold_version": FOLD_VERSION,
        "indexed_imported_at": row.imported_at,
    }


# ---------------------------------------------------------------------------------------------
# Searching
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SearchHit:
    """A document that holds every phrase of the query, with the first match in context."""

    document_id: str
    file_name: str
    title: str | None
    issuer: str | None
    doc_type: str | None
    identifier: str | None
    date: date | None
    period_key: str | None
    format: str
    matches: int
    start: int
    end: int
    before: str
    match: str
    after: str


def _fts_query(terms: Sequence[str]) -> str:
    # Each term is a quoted FTS5 phrase of word characters only (query_terms keeps nothing
    # else), so nothing typed can be read as FTS5 syntax (AND, NEAR, *, :, ^, quotes).
    return " AND ".join(f'"{term}"' for term in terms)


def search(
    engine: Engine,
    query: str,
    *,
    limit: int = 100,
    issuer: str | None = None,
    doc_type: str | None = None,
    period: str | None = None,
    fmt: str | None = None,
    organisation: int | None = None,
) -> list[SearchHit]:
    """The documents whose text holds every phrase of `query` (see `query_terms`), most matches
    first, each with a snippet of its first match; optionally only documents of one issuer (as
    read), organisation (`documents.organisation_id`), type, period key or format. `"ket nap"`
    finds `Kết nạp`. Refreshes the index first."""
    terms = query_terms(query)
    if not terms:
        return []
    refresh_index(engine)
    d, s = t.documents, t.document_search
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
        d.c.text,
        s.c.folded,
    ).join_from(s, d, s.c.document_id == d.c.id)
    for column, wanted in (
        (d.c.issuer, issuer),
        (d.c.doc_type, doc_type),
        (d.c.period_key, period),
        (d.c.format, fmt),
    ):
        if wanted:
            stmt = stmt.where(column == wanted)
    if organisation is not None:
        stmt = stmt.where(d.c.organisation_id == organisation)
    with engine.connect() as conn:
        if conn.dialect.name == "sqlite":
            matching = text(f"SELECT document_id FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH :q")
            ids = [r[0] for r in conn.execute(matching, {"q": _fts_query(terms)})]
            if not ids:
                return []
            stmt = stmt.where(d.c.id.in_(ids))
        else:
            words = " ".join(terms)
            vector = func.to_tsvector(text("'simple'"), s.c.folded)
            stmt = stmt.where(vector.op("@@")(func.plainto_tsquery(text("'simple'"), words)))
        hits = [hit for row in conn.execute(stmt) if (hit := _hit(row, terms)) is not None]
    hits.sort(key=lambda h: (-h.matches, h.file_name, h.document_id))
    return hits[:limit]


def _hit(row: Any, terms: Sequence[str], width: int = 80) -> SearchHit | None:
    """The hit of one candidate row, or None when a phrase is not in its folded text (the
    database matched words; the phrase, and its word order, is checked here)."""
    patterns = [_phrase_pattern(term) for term in terms]
    found = [list(p.finditer(row.folded)) for p in patterns]
    if not all(found):
        return None
    first = min((m for ms in found for m in ms), key=lambda m: m.start())
    start, end = first.start(), first.end()
    original = row.text
    return SearchHit(
        document_id=row.id,
        file_name=row.file_name,
        title=row.title,
        issuer=row.issuer,
        doc_type=row.doc_type,
        identifier=row.identifier,
        date=row.date,
        period_key=row.period_key,
        format=row.format,
        matches=sum(len(ms) for ms in found),
        start=start,
        end=end,
        before=re.sub(r"\s+", " ", original[max(0, start - width) : start]),
        match=original[start:end],
        after=re.sub(r"\s+", " ", original[end : end + width]),
    )
