"""The `baocao` command line: one group, `main` (the console script's entry point), with the
import commands (flows/cli/importing.py), the review and analysis commands (flows/cli/review.py),
and the `metrics` (flows/cli/series.py) and `organisations` (flows/cli/organisations.py) groups.
Every command is a thin wrapper over an importable function."""

from __future__ import annotations

import click

from flows.cli import importing, organisations, review, series


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
def main() -> None:
    """Turn Vietnamese administrative and Party reports into queryable facts.

    \b
    Example:
      baocao ingest archive/ && baocao facts awards --format csv > awards.csv
    """


for command in (importing.extract, importing.ingest, importing.runs, importing.serve):
    main.add_command(command)
review.register(main)
main.add_command(series.metrics)
main.add_command(organisations.organisations)
