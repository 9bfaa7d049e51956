"""The review and analysis commands of `baocao` (show, compare, checks), kept apart from the import
commands in flows/cli.py. Each parses options and calls a plain function; heavy modules are
imported inside the command."""

from __future__ import annotations

import click

DB_HELP = "Database URL or SQLite file [default: $BAOCAO_DB, else ./baocao.db]."


@click.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False))
@click.option("--html", "html", type=click.Path(dir_okay=False), help="Write the highlighted view here.")
@click.option("--docbin", type=click.Path(dir_okay=False),
              help="Also save the documents as a spaCy DocBin corpus (.spacy).")
@click.pass_context
def show(ctx: click.Context, files: tuple[str, ...], html: str | None, docbin: str | None) -> None:
    """Render each FILE's text with every fact highlighted by kind (displaCy), its normalised
    value shown on hover, so a person can check the extraction at a glance.

    \b
    Example:
      baocao show samples/yenbai-duk-tdkt-2023-h1.docx --html review.html --docbin review.spacy
    """
    from flows.show import show as show_files

    ctx.exit(show_files(list(files), html, docbin))


def register(group: click.Group) -> None:
    """Add these commands to the `baocao` group."""
    group.add_command(show)
