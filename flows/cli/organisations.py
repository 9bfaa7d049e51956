"""`baocao organisations`: list the issuing organisations with their spellings, rename them, merge
two into one, split a merge and undo an edit. Thin commands over flows/store/organisation_edits.py;
messages in Vietnamese (`--lang en` for English)."""

from __future__ import annotations

import getpass
import json

import click

from flows.cli.options import DB_HELP, lang_option, open_store, stderr, stdout, table_format
from flows.cli.tables import print_table
from flows.strings import text

_lang = lang_option  # Vietnamese unless --lang en or BAOCAO_LANG=en
_author = click.option(
    "--author",
    default=lambda: getpass.getuser(),
    show_default="your login name",
    help="Who makes the edit (kept in the log).",
)
_note = click.option("--note", help="Why (kept in the log).")


@click.group()
def organisations() -> None:
    """The issuing organisations: every document belongs to one, whatever the spelling of its
    issuer (capitals, tone placement, abbreviations); bodies with the same name under different
    parents stay apart. Renames and merges are recorded and survive re-extraction.

    \b
    Example:
      baocao organisations list --issuer "Hòa An"
      baocao organisations merge 7 3 --note "one committee, two spellings"
    """


def _run(db: str | None, lang: str, action: object, done: str) -> None:
    # imported here: keeps `baocao --help` fast (SQLAlchemy, pandas)
    from flows.store.organisation_edits import OrganisationError

    engine = open_store(db)
    try:
        edit_id = action(engine)  # type: ignore[operator]
    except OrganisationError as err:
        raise click.ClickException(err.message(lang)) from err
    finally:
        engine.dispose()
    stderr.print(text(done, lang, id=edit_id))


@organisations.command("list")
@click.option(
    "--issuer", metavar="NAME", help="Only those whose name, spelling or parent holds it."
)
@click.option("--db", help=DB_HELP)
@table_format
def list_command(issuer: str | None, db: str | None, fmt: str) -> None:
    """Print the organisations: number, name, parent line, place, documents, spellings.

    \b
    Example:
      baocao organisations list
      baocao organisations list --issuer "ubnd tinh" --format json
    """
    # imported here: keeps `baocao --help` fast (SQLAlchemy, pandas)
    from flows.store.organisation_edits import organisation_list

    engine = open_store(db)
    try:
        frame = organisation_list(engine, issuer)
    finally:
        engine.dispose()
    if fmt == "json":
        stdout.out(json.dumps(frame.to_dict(orient="records"), ensure_ascii=False, indent=2))
        return
    flat = frame.assign(
        aliases=frame["aliases"].map(" | ".join),
        merged=frame["merged"].map(lambda ids: ", ".join(map(str, ids))),
    )
    if fmt == "csv":
        click.echo(flat.to_csv(index=False), nl=False)
    else:
        print_table(flat.drop(columns=["key"]), "organisations")


@organisations.command()
@click.argument("organisation")
@click.argument("name")
@_author
@_note
@click.option("--db", help=DB_HELP)
@_lang
def rename(
    organisation: str, name: str, author: str, note: str | None, db: str | None, lang: str
) -> None:
    """Give ORGANISATION (its number, or a name that means one) the NAME people know it by.

    \b
    Example:
      baocao organisations rename 3 "Đảng ủy Khối các cơ quan tỉnh Hòa An"
    """
    # imported here: keeps `baocao --help` fast (SQLAlchemy, pandas)
    from flows.store.organisation_edits import rename_organisation

    def action(engine: object) -> int:
        return rename_organisation(engine, organisation, name, author=author, note=note)  # type: ignore[arg-type]

    _run(db, lang, action, "org.renamed")


@organisations.command()
@click.argument("organisation")
@click.argument("into")
@_author
@_note
@click.option("--db", help=DB_HELP)
@_lang
def merge(
    organisation: str, into: str, author: str, note: str | None, db: str | None, lang: str
) -> None:
    """Make ORGANISATION one with INTO (each: its number, or a name that means one).

    \b
    Example:
      baocao organisations merge 7 3 --note "the same committee"
    """
    # imported here: keeps `baocao --help` fast (SQLAlchemy, pandas)
    from flows.store.organisation_edits import merge_organisations

    def action(engine: object) -> int:
        return merge_organisations(engine, organisation, into, author=author, note=note)  # type: ignore[arg-type]

    _run(db, lang, action, "org.merged_done")


@organisations.command()
@click.argument("organisation")
@_author
@_note
@click.option("--db", help=DB_HELP)
@_lang
def split(organisation: str, author: str, note: str | None, db: str | None, lang: str) -> None:
    """Take ORGANISATION (its number or key) out of the one it was merged or joined into.

    \b
    Example:
      baocao organisations split 7 --note "another province's committee"
    """
    # imported here: keeps `baocao --help` fast (SQLAlchemy, pandas)
    from flows.store.organisation_edits import split_organisation

    def action(engine: object) -> int:
        return split_organisation(engine, organisation, author=author, note=note)  # type: ignore[arg-type]

    _run(db, lang, action, "org.split_done")


@organisations.command()
@click.argument("edit_id", type=int)
@_author
@click.option("--db", help=DB_HELP)
@_lang
def undo(edit_id: int, author: str, db: str | None, lang: str) -> None:
    """Undo the edit EDIT_ID (see `baocao organisations edits`); the log keeps it, marked undone.

    \b
    Example:
      baocao organisations undo 4
    """
    # imported here: keeps `baocao --help` fast (SQLAlchemy, pandas)
    from flows.store.organisation_edits import undo_edit

    def action(engine: object) -> int:
        undo_edit(engine, edit_id, author=author)  # type: ignore[arg-type]
        return edit_id

    _run(db, lang, action, "org.undone")


@organisations.command()
@click.option("--db", help=DB_HELP)
@table_format
def edits(db: str | None, fmt: str) -> None:
    """Print every edit of the organisations, newest first: who, when, what, undone or not.

    \b
    Example:
      baocao organisations edits --format csv > organisation-edits.csv
    """
    # imported here: keeps `baocao --help` fast (SQLAlchemy, pandas)
    from flows.store.organisation_edits import edit_log

    engine = open_store(db)
    try:
        frame = edit_log(engine)
    finally:
        engine.dispose()
    if fmt == "json":
        stdout.out(frame.to_json(orient="records", date_format="iso", force_ascii=False))
    elif fmt == "csv":
        click.echo(frame.to_csv(index=False), nl=False)
    else:
        print_table(frame, "organisation edits")
