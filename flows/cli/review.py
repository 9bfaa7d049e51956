"""The review and analysis commands of `baocao`: facts, show, compare, checks and web. Each parses
options and calls a plain function (`compare_command` and `checks_command` are importable and
return the exit code); pandas, spaCy and the web app are imported inside the commands, so that
`baocao --help` stays fast."""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import click
from rich.console import Console

from flows.cli.options import DB_HELP, lang_option, open_store, stderr, stdout, table_format
from flows.cli.tables import print_table, readable_table
from flows.store import KINDS
from flows.strings import cli_language, text

LABEL_WIDTH, UNIT_WIDTH, PERIOD_WIDTH = 24, 9, 11  # columns of a comparison in a terminal
WIDE = 10_000  # characters: a --wide table is never folded to the terminal


@click.command()
@click.argument("kind", type=click.Choice(KINDS))
@click.option(
    "--document",
    metavar="ID-OR-PREFIX",
    help="Only this document: its SHA-256, a prefix of it, or its file name.",
)
@click.option("--db", help=DB_HELP)
@table_format
@click.option(
    "--columns",
    metavar="NAME,NAME...",
    default="",
    help="The table's columns, by name (csv and json always have every column).",
)
@click.option("--wide", is_flag=True, help="Every column in the table, not a chosen few.")
@lang_option
def facts(
    kind: str, document: str | None, db: str | None, fmt: str, columns: str, wide: bool, lang: str
) -> None:
    """Print the stored facts of one KIND, with where each was found; corrections people made
    in `baocao web` are applied (review_status, reviewed_by and reviewed_at say so). The table
    shows the value and where it was found, as wide as the terminal; csv and json give every
    column.

    \b
    Example:
      baocao facts quantities --document 3f2a9c
      baocao facts awards --columns title,count,file_name
      baocao facts quantities --format csv > quantities.csv
    """
    if kind == "runs" and document:
        raise click.BadParameter("runs cannot be filtered by document", param_hint="--document")
    # imported here: keeps `baocao --help` fast (pandas and SQLAlchemy)
    from flows.store.read import corrected_facts

    engine = open_store(db, lang)
    try:
        frame = corrected_facts(engine, kind, document)
    finally:
        engine.dispose()
    if fmt == "csv":
        click.echo(frame.to_csv(index=False), nl=False)
    elif fmt == "json":
        records = frame.astype(object).where(frame.notna(), None).to_dict(orient="records")
        click.echo(json.dumps(records, ensure_ascii=False, default=str, indent=1))
    elif frame.empty:
        key = "cli.no_facts_document" if document else "cli.no_facts"
        stderr.print(text(key, lang, kind=kind, document=document), markup=False)
    else:
        wanted = [c.strip() for c in columns.split(",") if c.strip()]
        try:
            # --wide: as wide as the columns need, whatever the terminal
            table = readable_table(frame, kind, WIDE if wide else stdout.width, wanted, wide=wide)
        except ValueError as err:
            raise click.BadParameter(str(err), param_hint="--columns") from err
        (Console(width=WIDE, highlight=False) if wide else stdout).print(table)


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
@lang_option
@click.pass_context
def show(
    ctx: click.Context, files: tuple[str, ...], html: str | None, docbin: str | None, lang: str
) -> None:
    """Render each FILE's text with every fact highlighted by kind (displaCy), its normalised
    value shown on hover, so a person can check the extraction at a glance.

    \b
    Example:
      baocao show samples/yenbai-duk-tdkt-2023-h1.docx --html review.html --docbin review.spacy
    """
    # imported here: keeps `baocao --help` fast (spaCy and the extractors)
    from flows.analysis.show import show as show_files

    ctx.exit(show_files(list(files), html, docbin, lang))


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
@click.option(
    "--lang",
    type=click.Choice(["vi", "en"]),
    default=cli_language,
    show_default="$BAOCAO_LANG, else vi",
    help="Language of the messages, and of the heads and words of csv, xlsx and html.",
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
    lang: str,
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
    ctx.exit(compare_command(db, issuer, list(metrics) or None, start, end, fmt, output, lang))


@click.command()
@click.option("--db", default=None, help=DB_HELP)
@click.option("--document", default=None, help="A document's hash, hash prefix or file name.")
@table_format
@lang_option
@click.pass_context
def checks(ctx: click.Context, db: str | None, document: str | None, fmt: str, lang: str) -> None:
    """List the consistency findings: "trong đó" parts that do not sum to their total, a
    percentage its own figures contradict, one identifier cited for two subjects, a cited
    document dated after the report.

    \b
    Example:
      baocao checks --document hoaan-duk-2022.docx
    """
    ctx.exit(checks_command(db, document, fmt, lang))


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
@lang_option
@click.pass_context
def web(
    ctx: click.Context, db: str | None, host: str, port: int, allow_edits: bool, lang: str
) -> None:
    """Browse, search and correct the archive in a local web application: documents filtered by
    issuer, kind, period and outcome; accent-free full-text search; each document with its facts
    highlighted; which reports cite which; corrections that survive re-extraction; the
    comparison with its charts.

    \b
    Example:
      baocao web --db sqlite:///baocao.db --allow-edits
    """
    # imported here: keeps `baocao --help` fast (FastAPI)
    from flows.web import web_command

    ctx.exit(web_command(db, host, port, allow_edits, lang))


def _write(text: str, output: str | None) -> None:
    if output in (None, "", "-"):
        sys.stdout.write(text if text.endswith("\n") else text + "\n")
    else:
        Path(output).write_text(text, encoding="utf-8")


def compare_command(
    db: str | None,
    issuer: str | None,
    metrics: str | Sequence[str] | None,
    start: str | None,
    end: str | None,
    fmt: str,
    output: str | None,
    lang: str | None = None,
) -> int:
    """Print or write the comparison, its heads and words in `lang` (vi or en; JSON has none);
    0 when done, 1 when nothing could be compared, 2 on a bad option.
    Example: `baocao compare --issuer "Hòa An" --format html --output hoaan.html`."""
    # imported here: pandas and the comparison are not needed for --help
    from flows.analysis.compare import FORMATS, compare, period_bound, to_csv, to_json
    from flows.analysis.export import to_html, to_xlsx

    lang = lang or cli_language()
    if fmt not in FORMATS:
        print(f"error: --format must be one of {', '.join(FORMATS)}", file=sys.stderr)
        return 2
    if fmt == "xlsx" and output in (None, "", "-"):
        print("error: --format xlsx needs --output FILE.xlsx", file=sys.stderr)
        return 2
    try:
        period_bound(start)
        period_bound(end, end=True)
    except ValueError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    try:
        engine = open_store(db, lang)
    except click.ClickException as err:
        print(f"error: {err.message}", file=sys.stderr)
        return 1
    try:
        frame = compare(engine, issuer, metrics, start, end)
    finally:
        engine.dispose()
    if frame.empty:
        who = text("cli.for_issuer", lang, issuer=issuer) if issuer else ""
        print(text("cli.no_metric_values", lang, who=who), file=sys.stderr)
        return 1
    if fmt == "json":
        _write(to_json(frame), output)
    elif fmt == "csv":
        _write(to_csv(frame, lang), output)
    elif fmt == "html":
        _write(to_html(frame, title=f"baocao: {issuer}" if issuer else "baocao", lang=lang), output)
    elif fmt == "xlsx":
        to_xlsx(frame, str(output), lang)
    else:
        print_comparison(frame, lang)
    if output not in (None, "", "-"):
        print(text("cli.wrote", lang, path=output), file=sys.stderr)
    return 0


def print_comparison(frame: Any, lang: str = "vi") -> None:
    """The comparison for a terminal: per organisation, a row per metric (its label, unit and a
    value per period, numbers written as the reports write them, `a | b` where documents
    disagree), open metrics after the named ones; periods that do not fit the terminal's width
    go to a further table under the first."""
    # imported here: pandas and rich tables are not needed for --help
    from rich import box
    from rich.table import Table

    # imported here: the comparison module loads pandas
    from flows.analysis.compare import format_number, note, periods_of

    periods = periods_of(frame)
    per_table = max(1, (stdout.width - LABEL_WIDTH - UNIT_WIDTH - 6) // PERIOD_WIDTH)
    for organisation, block in frame.groupby("organisation", sort=False):
        present = set(block["period_key"])
        columns = [p for p in periods if p in present]
        metrics = [
            ({c["period_key"]: c for c in g.to_dict(orient="records")}, g.iloc[0])
            for _, g in block.groupby("metric", sort=False)
        ]
        for first in range(0, len(columns), per_table):
            chunk = columns[first : first + per_table]
            title = str(organisation) if first == 0 else ""
            table = Table(title=title, title_justify="left", box=box.SIMPLE_HEAD)
            table.add_column(text("export.label", lang), overflow="fold", width=LABEL_WIDTH)
            table.add_column(text("export.unit", lang), overflow="fold", width=UNIT_WIDTH)
            for period in chunk:
                table.add_column(period, justify="right", no_wrap=True)
            notes: list[str] = []
            for cells, head in metrics:
                row = [str(head["label"]), str(head["unit"] or "")]
                for period in chunk:
                    cell = cells.get(period)
                    shown_values = (
                        []
                        if cell is None
                        else (cell["values"] if cell["conflict"] else [cell["value"]])
                    )
                    shown = " | ".join(format_number(v) for v in shown_values)
                    if cell is not None and note(cell.get("refers_to")):
                        notes.append(f"{len(notes) + 1}) {head['label']}, {period}: "
                                     f"{cell['refers_to']}")  # fmt: skip
                        shown += f" ({len(notes)})"
                    row.append(shown)
                table.add_row(*row)
            stdout.print(table)
            for line in notes:  # figures the text gives for another period, with its words
                stdout.print("  " + line, highlight=False)


def checks_command(db: str | None, document: str | None, fmt: str, lang: str | None = None) -> int:
    """List the consistency findings (a breakdown that does not add up, a percentage the figures
    contradict, ...). Example: `baocao checks --document hoaan-duk-2022.docx --format csv`."""
    # imported here: pandas is not needed for --help
    from flows.analysis.compare import findings_frame

    lang = lang or cli_language()
    if fmt not in ("table", "csv", "json"):
        print("error: --format must be one of table, csv, json", file=sys.stderr)
        return 2
    try:
        engine = open_store(db, lang)
    except click.ClickException as err:
        print(f"error: {err.message}", file=sys.stderr)
        return 1
    try:
        found = findings_frame(engine, document)
    finally:
        engine.dispose()
    if fmt == "csv":
        _write(found.to_csv(index=False), None)
    elif fmt == "json":
        records = found.astype(object).where(found.notna(), None).to_dict(orient="records")
        _write(json.dumps(records, ensure_ascii=False, indent=1, default=str), None)
    elif found.empty:
        key = "cli.no_findings_document" if document else "cli.no_findings"
        print(text(key, lang, document=document), file=sys.stderr)
    else:
        print_table(found.drop(columns=["start", "end"]), "findings")
    return 0


def register(group: click.Group) -> None:
    """Add these commands to the `baocao` group."""
    for command in (facts, show, compare, checks, web):
        group.add_command(command)
