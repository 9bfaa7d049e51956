"""What the commands of `baocao` share: the --db, --format and --lang options, the consoles,
cutting long values, and opening an existing store. Tables are printed by flows/cli/tables.py;
what a command tells a person comes from flows/strings.py in the chosen language."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import click
from rich.console import Console

from flows.strings import LANGUAGE_ENV, LANGUAGES, cli_language, text

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

# --lang of every command that tells archivists something
lang_option = click.option(
    "--lang",
    type=click.Choice(list(LANGUAGES)),
    default=cli_language,
    show_default=f"${LANGUAGE_ENV}, else vi",
    help="Language of the messages: Vietnamese or English.",
)

stdout = Console(highlight=False)
stderr = Console(stderr=True, highlight=False, soft_wrap=True)


def cut(value: Any, width: int = 70) -> str:
    text = "" if value is None else " ".join(str(value).split())
    return text if len(text) <= width else text[: width - 1] + "…"


def open_store(db: str | None, lang: str = "vi") -> Engine:
    """The store at `db`, its schema brought up to date; a missing SQLite file is a usage error
    (a typo in --db must not create an empty database), told in `lang`."""
    # imported here: SQLAlchemy and the migrations are not needed for --help
    from flows.store.engine import MissingDatabaseError, open_existing

    try:
        return open_existing(db)
    except MissingDatabaseError as err:
        raise click.ClickException(text("cli.no_database", lang, path=err.path)) from err


def missing(value: Any) -> bool:
    # imported here: keeps `baocao --help` fast
    import pandas as pd

    return value is None or (pd.api.types.is_scalar(value) and bool(pd.isna(value)))
