"""Every table `baocao` prints, as a person reads it in a terminal: integers as integers, ids
shortened as git shortens them, long text cut so that a row takes at most three lines, the whole
table as wide as the terminal. `baocao facts` shows a chosen set of columns for each kind (the
value first, then where it was found); `--wide` shows every column, `--columns` the ones named.
`runs`, `checks` and `compare` print their frames through the same `print_table`."""

from __future__ import annotations

import textwrap
from collections.abc import Sequence
from typing import Any

from rich import box
from rich.console import Console
from rich.table import Table

from flows.cli.options import missing, stdout

# What `baocao facts KIND` shows by default.
READABLE: dict[str, tuple[str, ...]] = {
    # (a document's kind is in its identifier: 148-BC/ĐUK is a báo cáo; --wide shows doc_type)
    "documents": ("id", "file_name", "identifier", "date", "period_key", "issuer"),
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
LONG_WORD = 12  # a word longer than this may be broken to fit the terminal


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


def _fitted_widths(
    header: Sequence[str], rows: list[list[str]], total: int, keep: Sequence[int]
) -> list[int]:
    """Column widths that fit `total` characters (two between columns), taken from the widest
    columns first: first down to each column's longest word (up to LONG_WORD), so that words
    are not broken, then down to MIN_WIDTH; never below `keep` (a short id stays whole)."""
    widths = [max([len(h), *(len(r[j]) for r in rows)]) for j, h in enumerate(header)]
    widths = [max(w, 1) for w in widths]
    words = [
        max(len(word) for cell in [h, *(r[j] for r in rows)] for word in [*cell.split(), ""])
        for j, h in enumerate(header)
    ]
    room = total - 2 * (len(widths) - 1)
    for least in (
        [max(MIN_WIDTH, min(w, LONG_WORD), k) for w, k in zip(words, keep, strict=True)],
        [max(MIN_WIDTH, k) for k in keep],
    ):
        while sum(widths) > room:
            shrinkable = [j for j, w in enumerate(widths) if w > least[j]]
            if not shrinkable:
                break
            widths[max(shrinkable, key=widths.__getitem__)] -= 1
    return widths


def table_of(
    frame: Any,
    title: str,
    width: int,
    columns: Sequence[str] | None = None,
    *,
    heads: Sequence[str] | None = None,
    max_lines: int = MAX_LINES,
) -> Table:
    """The rich table of `frame`'s `columns` (default: all) for a terminal `width` characters
    wide, titled `title (rows)`, headed by `heads` (default: the column names)."""
    shown = [str(c) for c in frame.columns] if columns is None else list(columns)
    rows = [
        [cell_text(c, v) for c, v in zip(shown, values, strict=True)]
        for values in frame[shown].itertuples(index=False)
    ]
    keep = [SHORT_ID if c in ID_COLUMNS else 0 for c in shown]
    labels = list(heads) if heads is not None else shown
    widths = _fitted_widths(labels, rows, width, keep)
    table = Table(
        title=f"{title} ({len(frame)})",
        title_justify="left",
        box=box.SIMPLE_HEAD,
        padding=(0, 1),
        pad_edge=False,
        collapse_padding=True,
        show_edge=False,
    )
    for label, w in zip(labels, widths, strict=True):
        table.add_column(label, width=w, overflow="fold", no_wrap=False)
    for row in rows:
        table.add_row(
            *(_at_most_lines(text, w, max_lines) for text, w in zip(row, widths, strict=True))
        )
    return table


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
    return table_of(frame, kind, width, shown)


def print_table(
    frame: Any,
    title: str,
    *,
    heads: Sequence[str] | None = None,
    max_lines: int = MAX_LINES,
    console: Console | None = None,
) -> None:
    """Print every column of `frame` as a table as wide as the terminal (`console`'s)."""
    console = console or stdout
    console.print(table_of(frame, title, console.width, heads=heads, max_lines=max_lines))


def _at_most_lines(text: str, width: int, max_lines: int = MAX_LINES) -> str:
    """`text` wrapped at `width`, its first `max_lines` lines, with `…` where it was cut."""
    lines = textwrap.wrap(text, width, break_on_hyphens=False) or [""]
    if len(lines) <= max_lines:
        return "\n".join(lines)
    last = lines[max_lines - 1]
    return "\n".join([*lines[: max_lines - 1], last[: width - 1] + "…"])
