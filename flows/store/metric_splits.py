"""Users' splits of a wrong series: two metric labels that compare must never join again
(`extractors.metrics.align`). Kept by their folded labels, not by metric keys or row ids, so a
split survives re-extraction and applies to every organisation's series with those labels."""

from __future__ import annotations

import getpass
from datetime import UTC, datetime

from sqlalchemy import Engine, delete, insert, select

from extractors.metrics.align import label_key
from flows.store.engine import write_transaction
from schemas import tables as t


class SplitError(ValueError):
    """A split that cannot be recorded as asked (the message says why)."""


def _keys(label_a: str, label_b: str) -> tuple[str, str]:
    a, b = label_key(label_a), label_key(label_b)
    if not a or not b:
        raise SplitError("both labels need words")
    if a == b:
        raise SplitError(f"the two labels are the same once folded: {a!r}")
    return (a, b) if a < b else (b, a)


def add_split(
    engine: Engine, label_a: str, label_b: str, *, author: str | None = None,
    note: str | None = None,
) -> bool:  # fmt: skip
    """Record that `label_a` and `label_b` are two metrics; False if already recorded."""
    key_a, key_b = _keys(label_a, label_b)
    s = t.metric_splits
    with write_transaction(engine) as conn:
        found = conn.execute(select(s.c.id).where(s.c.key_a == key_a, s.c.key_b == key_b)).first()
        if found:
            return False
        conn.execute(
            insert(s).values(
                label_a=label_a.strip(), label_b=label_b.strip(), key_a=key_a, key_b=key_b,
                author=author or getpass.getuser(), note=note,
                created_at=datetime.now(UTC),
            )
        )  # fmt: skip
    return True


def remove_split(engine: Engine, label_a: str, label_b: str) -> bool:
    """Let alignment join the two labels again; False if no such split was recorded."""
    key_a, key_b = _keys(label_a, label_b)
    s = t.metric_splits
    with write_transaction(engine) as conn:
        gone = conn.execute(delete(s).where(s.c.key_a == key_a, s.c.key_b == key_b))
    return bool(gone.rowcount)


def split_pairs(engine: Engine) -> list[tuple[str, str]]:
    """The folded label pairs users split apart."""
    s = t.metric_splits
    with engine.connect() as conn:
        return [(r.key_a, r.key_b) for r in conn.execute(select(s.c.key_a, s.c.key_b))]


def splits(engine: Engine) -> list[dict[str, object]]:
    """Every recorded split, newest first, as the user wrote it."""
    s = t.metric_splits
    with engine.connect() as conn:
        rows = conn.execute(select(s).order_by(s.c.created_at.desc(), s.c.id.desc()))
        return [dict(r._mapping) for r in rows]
