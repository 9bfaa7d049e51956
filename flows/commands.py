"""The review and analysis commands of `baocao` (show, compare, checks), kept apart from the import
commands in flows/cli.py. Each parses options and calls a plain function; heavy modules are
imported inside the command."""

from __future__ import annotations

import click

DB_HELP = "Database URL or SQLite file [default: $BAOCAO_DB, else ./baocao.db]."
# --format of the commands that print rows (here and in flows/cli.py)
table_format = click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "csv", "json"]),
    default="table",
    show_default=True,
)


@click.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False))
@click.option(
    "--html", "html", type=click.Path(dir_okay=False), help="Write the highlighted view here."
)
@click.option(
    "--docbin",
    type=click.Path(dir_okay=False),
    help="Also save the documents as a spaCy DocBin corpus (.spacy).",
)
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


@click.command()
@click.option("--db", default=None, help=DB_HELP)
@click.option(
    "--issuer",
    default=None,
    help="Only documents of this issuer (case and accents ignored, a substring).",
)
@click.option(
    "--metric",
    "metrics",
    multiple=True,
    help="Metric key or glob (party.*); repeat for several [default: all].",
)
@click.option("--from", "start", default=None, help="First period, e.g. 2022-H1 or 2021.")
@click.option("--to", "end", default=None, help="Last period, e.g. 2024-H2.")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "csv", "xlsx", "json", "html"]),
    default="table",
    show_default=True,
)
@click.option(
    "--output",
    "-o",
    type=click.Path(dir_okay=False),
    default=None,
    help="Write to this file (needed for xlsx; html defaults to compare.html).",
)
@click.pass_context
def compare(
    ctx: click.Context,
    db: str | None,
    issuer: str | None,
    metrics: tuple[str, ...],
    start: str | None,
    end: str | None,
    fmt: str,
    output: str | None,
) -> None:
    """Metric × period: each metric's value in each reporting period, with the change from the
    previous period of the same kind (H1 to H1, year to year). A full-year report and the half
    inside it are both kept, never summed; when two documents disagree, both are shown and the
    conflict flagged.

    \b
    Example:
      baocao compare --issuer "Hòa An" --metric "party.*" --from 2022-H1 --format json
      baocao compare --issuer "Hòa An" --format xlsx --output hoaan.xlsx
    """
    from flows.compare import compare_command

    ctx.exit(compare_command(db, issuer, list(metrics) or None, start, end, fmt, output))


@click.command()
@click.option("--db", default=None, help=DB_HELP)
@click.option("--document", default=None, help="A document's hash, hash prefix or file name.")
@table_format
@click.pass_context
def checks(ctx: click.Context, db: str | None, document: str | None, fmt: str) -> None:
    """List the consistency findings: "trong đó" parts that do not sum to their total, a
    percentage its own figures contradict, one identifier cited for two subjects, a cited
    document dated after the report.

    \b
    Example:
      baocao checks --document hoaan-duk-2022.docx
    """
    from flows.compare import checks_command

    ctx.exit(checks_command(db, document, fmt))


@click.command()
@click.option("--db", default=None, help=DB_HELP)
@click.option(
    "--host",
    default="127.0.0.1",
    show_default=True,
    help="Address to listen on (loopback by default).",
)
@click.option("--port", type=click.IntRange(1, 65535), default=8000, show_default=True)
@click.option(
    "--allow-edits",
    is_flag=True,
    help="Let people confirm, reject, edit and add facts (read-only without it).",
)
@click.pass_context
def web(ctx: click.Context, db: str | None, host: str, port: int, allow_edits: bool) -> None:
    """Browse, search and correct the archive in a local web application: documents filtered by
    issuer, kind, period and outcome; accent-free full-text search; each document with its facts
    highlighted; which reports cite which; corrections that survive re-extraction; the
    comparison with its charts.

    \b
    Example:
      baocao web --db sqlite:///baocao.db --allow-edits
    """
    from flows.web import web_command

    ctx.exit(web_command(db, host, port, allow_edits))


def register(group: click.Group) -> None:
    """Add these commands to the `baocao` group."""
    for command in (show, compare, checks, web):
        group.add_command(command)
