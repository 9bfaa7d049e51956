"""The stored facts as a person reads them in a terminal: for each kind a chosen set of columns
(the value first, then where it was found), integers as integers, ids shortened as git shortens
them, long text cut so that a row takes at most three lines, the whole table as wide as the
terminal. `--wide` shows every column, `--columns` the ones named."""

from __future__ import annotations

import textwrap
from collections.abc import Sequence
from typing import Any

from rich import box
from rich.table import Table

from flows.cli.options import missing

# What `baocao facts KIND` shows by default.
READABLE: dict[str, tuple[str, ...]] = {
    "documents": ("id", "file_name", "doc_type", "identifier", "date", "period_key", "issuer"),
    "references": ("identifier", "doc_type", "date", "file_name", "section", "text"),
    "dates": ("value", "file_name", "section", "text"),
    "periods": ("period_key", "file_name", "section", "text"),
    "quantities": ("value", "unit", "file_name", "section", "text"),
    "awards": ("title", "recipient_kind", "count", "file_name", "text"),
    "findings": ("code", "file_name", "section", "message"),
    "indicators": ("indicator", "unit", "plan", "achieved", "previous", "file_name"),
    "criteria": ("code", "criterion", "unit", "target", "file_name"),
    "table_cells": ("table_kind", "file_name", "table_index", "row_index", "text"),
    "sections": ("path", "title", "file_name"),
    "outcomes": ("run_id", "status", "error_code", "message"),
    "runs": ("id", "started_at", "status", "files_ok", "files_skipped", "files_failed", "paths"),
}
# Shown beside the chosen columns when at least one row was reviewed in `baocao web`.
REVIEW_COLUMNS = ("review_status", "reviewed_by")
# Columns holding SHA-256 or run ids: shortened to their first 12 characters.
ID_COLUMNS = frozenset({"id", "document_id", "run_id", "sha256"})
SHORT_ID = 12
MAX_LINES = 3
MIN_WIDTH = 6


def chosen_columns(
    kind: str, available: Sequence[str], columns: Sequence[str] = (), *, reviewed: bool = False
) -> list[str]:
    """The columns to show: `columns` when given (unknown names raise ValueError), else the
    kind's readable set, with the review columns when some row was reviewed."""
    if columns:
        unknown = [c for c in columns if c not in available]
        if unknown:
            raise ValueError(
                f"no column {', '.join(unknown)} in {kind}; choose from {', '.join(available)}"
            )
        return list(columns)
    chosen = [c for c in READABLE.get(kind, tuple(available)) if c in available]
    if reviewed:
        chosen += [c for c in REVIEW_COLUMNS if c in available]
    return chosen


def cell_text(column: str, value: Any) -> str:
    """A value as the table prints it: nothing for a missing value, an integer without `.0`, an
    id shortened, text on one line."""
    if missing(value):
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    text = " ".join(str(value).split())
    if column in ID_COLUMNS and len(text) > SHORT_ID:
        return text[:SHORT_ID]
    return text


def _fitted_widths(header: Sequence[str], rows: list[list[str]], total: int) -> list[int]:
    """Column widths that fit `total` characters (two of padding per column), taken from the
    widest columns first."""
    widths = [max([len(h), *(len(r[j]) for r in rows)]) for j, h in enumerate(header)]
    widths = [max(w, 1) for w in widths]
    room = total - 2 * len(widths)
    while sum(widths) > room:
        widest = max(range(len(widths)), key=widths.__getitem__)
        if widths[widest] <= MIN_WIDTH:
            break
        widths[widest] -= 1
    return widths


def readable_table(
    frame: Any, kind: str, width: int, columns: Sequence[str] = (), *, wide: bool = False
) -> Table:
    """The rich table of `frame` (rows of one kind) for a terminal `width` characters wide."""
    available = [str(c) for c in frame.columns]
    if wide:
        shown = available
    else:
        reviewed = "review_status" in available and bool(frame["review_status"].notna().any())
        shown = chosen_columns(kind, available, columns, reviewed=reviewed)
    rows = [
        [cell_text(c, v) for c, v in zip(shown, values, strict=True)]
        for values in frame[shown].itertuples(index=False)
    ]
    widths = _fitted_widths(shown, rows, width)
    table = Table(
        title=f"{kind} ({len(frame)})",
        title_justify="left",
        box=box.SIMPLE_HEAD,
        padding=(0, 1),
        pad_edge=False,
        collapse_padding=True,
    )
    for column, w in zip(shown, widths, strict=True):
        table.add_column(column, width=w, overflow="fold", no_wrap=False)
    for row in rows:
        table.add_row(*(_at_most_lines(text, w) for text, w in zip(row, widths, strict=True)))
    return table


def _at_most_lines(text: str, width: int) -> str:
    """`text` wrapped at `width`, its first MAX_LINES lines, with `…` where it was cut."""
    lines = textwrap.wrap(text, width) or [""]
    if len(lines) <= MAX_LINES:
        return "\n".join(lines)
    last = lines[MAX_LINES - 1]
    return "\n".join([*lines[: MAX_LINES - 1], last[: width - 1] + "…"])
