"""What the commands of `baocao` share: the --db and --format options, the consoles, cutting
long values, printing a frame as a table, and opening an existing store."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import click
from rich.console import Console
from rich.table import Table

if TYPE_CHECKING:
    from sqlalchemy import Engine

DB_HELP = "Database URL or SQLite file [default: $BAOCAO_DB, else ./baocao.db]."
# --format of the commands that print rows
table_format = click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "csv", "json"]),
    default="table",
    show_default=True,
)

stdout = Console(highlight=False)
stderr = Console(stderr=True, highlight=False, soft_wrap=True)


def cut(value: Any, width: int = 70) -> str:
    text = "" if value is None else " ".join(str(value).split())
    return text if len(text) <= width else text[: width - 1] + "…"


def open_store(db: str | None) -> Engine:
    """The store at `db`, its schema brought up to date; a missing SQLite file is a usage error
    (a typo in --db must not create an empty database)."""
    # imported here: SQLAlchemy and the migrations are not needed for --help
    from flows.store.engine import MissingDatabaseError, open_existing

    try:
        return open_existing(db)
    except MissingDatabaseError as err:
        raise click.ClickException(str(err)) from err


def print_frame(frame: Any, title: str, width: int = 60) -> None:
    table = Table(title=f"{title} ({len(frame)})", title_justify="left")
    for column in frame.columns:
        table.add_column(str(column), overflow="fold")
    for row in frame.itertuples(index=False):
        table.add_row(*("" if missing(v) else cut(v, width) for v in row))
    stdout.print(table)


def missing(value: Any) -> bool:
    # imported here: keeps `baocao --help` fast
    import pandas as pd

    return value is None or (pd.api.types.is_scalar(value) and bool(pd.isna(value)))
