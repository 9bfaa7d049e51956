"""How a correction meets the facts of today: the typed values a person gives, what makes two
readings of a fact the same fact (its identity), where a corrected span is in a re-extracted text
(anchoring), and the facts of one document with its corrections applied. Pure functions, no
database: `flows.store.corrections` stores corrections and reads the facts through them.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import pandas as pd
from sqlalchemy import Date, Float, Integer

from extractors.text.keys import identifier_key
from schemas import tables as t
from schemas.corrections import IDENTITY, editable_columns

MAX_FIELD = 2000
REVIEW_COLUMNS = ("review_status", "reviewed_by", "reviewed_at", "correction_id")


class CorrectionError(ValueError):
    """A correction that cannot be recorded: unknown document, fact or kind, or a bad value."""


# ---------------------------------------------------------------------------------------------
# Values
# ---------------------------------------------------------------------------------------------


def missing(value: Any) -> bool:
    """None, pandas NA or NaN."""
    return value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value))


def plain(value: Any) -> Any:
    """A JSON-able Python value: NA as None, numpy scalars as Python ones, dates as ISO text."""
    if missing(value):
        return None
    if hasattr(value, "item"):
        value = value.item()
    if isinstance(value, date | datetime):
        return value.isoformat()
    return value


def comparable(value: Any) -> str | None:
    """A value as compared across re-extractions: 65.0 and 65 agree, a date and its ISO text too."""
    value = plain(value)
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return None if value is None else str(value)


def identity(kind: str, values: Mapping[str, Any]) -> tuple[str | None, ...]:
    """What a fact is, compared across re-extractions (see `schemas.corrections.IDENTITY`)."""
    return tuple(comparable(values.get(c)) for c in IDENTITY[kind])


def coerce_values(kind: str, raw: Mapping[str, Any]) -> dict[str, Any]:
    """Typed values for the editable columns given in `raw` (form strings or Python values):
    blank is NULL, numbers and ISO dates are parsed; raises CorrectionError naming the field."""
    if kind not in t.CORRECTABLE_KINDS:
        raise CorrectionError(f"facts of kind {kind!r} cannot be corrected")
    table = t.FACT_TABLES[kind]
    editable = set(editable_columns(kind))
    values: dict[str, Any] = {}
    for name, given in raw.items():
        if name not in editable:
            raise CorrectionError(f"{kind} have no editable field {name!r}")
        if isinstance(given, str):
            given = given.strip()
            if len(given) > MAX_FIELD:
                raise CorrectionError(f"{name}: longer than {MAX_FIELD} characters")
            if given == "":
                given = None
        try:
            values[name] = None if given is None else _typed(table.c[name].type, given)
        except (TypeError, ValueError) as err:
            raise CorrectionError(f"{name}: {given!r} is not a valid value ({err})") from None
    if kind == "references" and values.get("identifier"):
        values["identifier_key"] = identifier_key(values["identifier"])
    return values


def _typed(column_type: Any, value: Any) -> Any:
    if isinstance(column_type, Integer):
        number = float(value)
        if not number.is_integer():
            raise ValueError("a whole number is expected")
        return int(number)
    if isinstance(column_type, Float):
        if isinstance(value, str):
            value = value.replace(",", ".")  # a Vietnamese decimal comma
        number = float(value)
        if not math.isfinite(number):
            raise ValueError("a finite number is expected")
        return number
    if isinstance(column_type, Date):
        return value if isinstance(value, date) else date.fromisoformat(str(value))
    return str(value)


# ---------------------------------------------------------------------------------------------
# Finding a corrected span again
# ---------------------------------------------------------------------------------------------

NEAR = 2000  # characters: how far a span may have moved with no context to vouch for it
MIN_CONTEXT = 12  # characters of agreeing context that vouch for an occurrence anywhere


def _agreeing(a: str, b: str, from_end: bool) -> int:
    """How many characters `a` and `b` share at their ends (`from_end`) or their starts."""
    n = 0
    for x, y in zip(reversed(a) if from_end else a, reversed(b) if from_end else b, strict=False):
        if x != y:
            break
        n += 1
    return n


def anchor_span(
    text: str, original: str, start: int, end: int, before: str = "", after: str = ""
) -> tuple[int, int] | None:
    """Where a corrected span is in `text` now: at its old offset if the same characters are
    still there, else the occurrence of `original` whose context agrees best with the old one
    (ties: the nearest), if it is near the old offset or its context vouches for it; else None."""
    if not original:
        return None
    if text[start:end] == original:
        return start, end
    best: tuple[int, int, int] | None = None  # (-agreement, distance, at)
    at = text.find(original)
    while at != -1:
        agreement = _agreeing(text[max(0, at - len(before)) : at], before, True) + _agreeing(
            text[at + len(original) : at + len(original) + len(after)], after, False
        )
        candidate = (-agreement, abs(at - start), at)
        if best is None or candidate < best:
            best = candidate
        at = text.find(original, at + 1)
    if best is None or (-best[0] < MIN_CONTEXT and best[1] > NEAR):
        return None
    return best[2], best[2] + len(original)


# ---------------------------------------------------------------------------------------------
# Applying
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Review:
    """What became of one correction in the current facts."""

    correction_id: int
    status: str  # applied, changed, orphaned, superseded
    start: int | None
    end: int | None
    reason: str


def apply_corrections(
    kind: str, text: str, facts: Sequence[dict[str, Any]], corrections: Sequence[Mapping[str, Any]]
) -> tuple[list[dict[str, Any]], list[Review]]:
    """One document's facts of one kind with its corrections applied, and what became of each
    correction. Fact dicts keep their keys; they gain the REVIEW_COLUMNS, and rejected facts stay
    in the list with review_status "rejected" (callers drop them). Added facts have id None."""
    rows = [{**f, **dict.fromkeys(REVIEW_COLUMNS)} for f in facts]
    reviews: dict[int, Review] = {}
    decisive: dict[tuple[int, int, str], Mapping[str, Any]] = {}
    for c in sorted(corrections, key=lambda c: (c["created_at"], c["id"])):
        span = anchor_span(
            text,
            c["original_text"],
            c["start"],
            c["end"],
            c["context_before"] or "",
            c["context_after"] or "",
        )
        if span is None:
            reviews[c["id"]] = Review(
                c["id"], "orphaned", None, None, "its text is no longer in the document"
            )
            continue
        key = (*span, c["original_text"])
        if key in decisive:
            earlier = decisive[key]["id"]
            reviews[earlier] = Review(earlier, "superseded", *span, f"replaced by #{c['id']}")
        decisive[key] = c
    for (start, end, _), c in decisive.items():
        reviews[c["id"]] = _apply_one(kind, rows, c, start, end)
    return rows, [reviews[c["id"]] for c in corrections]


def _apply_one(
    kind: str, rows: list[dict[str, Any]], c: Mapping[str, Any], start: int, end: int
) -> Review:
    original = json.loads(c["original_value"]) if c["original_value"] else None
    value = json.loads(c["value"]) if c["value"] else {}
    wanted = identity(kind, original if original is not None else value)
    live = [r for r in rows if r["review_status"] != "rejected" and r["correction_id"] is None]
    at_span = [r for r in live if r["start"] == start and r["end"] == end]
    same = [r for r in at_span if identity(kind, r) == wanted] or [
        r for r in live if r["start"] < end and start < r["end"] and identity(kind, r) == wanted
    ]
    candidates = same or at_span
    fact = candidates[0] if candidates else None
    stamp = {"reviewed_by": c["author"], "reviewed_at": c["created_at"], "correction_id": c["id"]}
    action = c["action"]
    if action == "reject":
        if fact is not None and fact not in same:
            return Review(c["id"], "changed", start, end, "the rules now read another value")
        if fact is not None:
            fact.update(stamp, review_status="rejected")
        return Review(c["id"], "applied", start, end, "rejected")
    if action == "confirm" and fact is not None and fact not in same:
        return Review(c["id"], "changed", start, end, "the rules now read another value")
    if fact is not None:
        status = {"confirm": "confirmed", "edit": "edited", "add": "confirmed"}[action]
        if action == "edit":
            fact.update({k: _typed_like(fact.get(k), v) for k, v in value.items()})
        fact.update(stamp, review_status=status)
        return Review(c["id"], "applied", start, end, status)
    # No fact there any more (or never, for an added one): the person's value stands alone.
    added = dict.fromkeys(rows[0] if rows else ())
    added.update(original or {})
    added.update(value)
    added.update(
        stamp,
        id=None,
        document_id=c["document_id"],
        text=c["original_text"],
        start=start,
        end=end,
        rule="correction",
        confidence=1.0,
        review_status={"confirm": "confirmed", "edit": "edited", "add": "added"}[action],
    )
    rows.append(added)
    return Review(c["id"], "applied", start, end, "kept as a fact of its own")


def _typed_like(current: Any, value: Any) -> Any:
    """An edited value as the frame holds its column (ISO text stays text, dates stay dates)."""
    if isinstance(current, date) and isinstance(value, str):
        return date.fromisoformat(value)
    return value
