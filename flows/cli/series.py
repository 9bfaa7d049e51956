"""`baocao metrics`: the series compare builds, and the splits users make of a wrong one."""

from __future__ import annotations

import sys

import click

from flows.cli.options import DB_HELP, open_store, stdout


@click.group()
def metrics() -> None:
    """Series that compare aligned by itself, and the splits of wrong ones.

    \b
    Example:
      baocao metrics split "Doanh thu" "Doanh thu dịch vụ" --note "two indicators"
    """


@metrics.command("split")
@click.argument("label_a")
@click.argument("label_b")
@click.option("--note", default=None, help="Why the two are different metrics.")
@click.option("--db", default=None, help=DB_HELP)
def split(label_a: str, label_b: str, note: str | None, db: str | None) -> None:
    """Never join LABEL_A and LABEL_B into one series again (labels as compare shows them;
    case and accents as you like)."""
    # imported here: the store is not needed for --help
    from flows.store.metric_splits import SplitError, add_split

    engine = open_store(db)
    try:
        added = add_split(engine, label_a, label_b, note=note)
    except SplitError as err:
        raise click.UsageError(str(err)) from err
    finally:
        engine.dispose()
    stdout.print("split recorded" if added else "already split", highlight=False)


@metrics.command("unsplit")
@click.argument("label_a")
@click.argument("label_b")
@click.option("--db", default=None, help=DB_HELP)
def unsplit(label_a: str, label_b: str, db: str | None) -> None:
    """Let compare join LABEL_A and LABEL_B again when the evidence says so."""
    # imported here: the store is not needed for --help
    from flows.store.metric_splits import SplitError, remove_split

    engine = open_store(db)
    try:
        removed = remove_split(engine, label_a, label_b)
    except SplitError as err:
        raise click.UsageError(str(err)) from err
    finally:
        engine.dispose()
    if not removed:
        print("no such split", file=sys.stderr)
        sys.exit(1)
    stdout.print("split removed", highlight=False)


@metrics.command("splits")
@click.option("--db", default=None, help=DB_HELP)
def list_splits(db: str | None) -> None:
    """The splits users recorded, newest first."""
    # imported here: the store is not needed for --help
    from flows.store.metric_splits import splits

    engine = open_store(db)
    try:
        rows = splits(engine)
    finally:
        engine.dispose()
    for row in rows:
        note = f"  ({row['note']})" if row["note"] else ""
        stdout.print(
            f"{row['label_a']}  ≠  {row['label_b']}  · {row['author']} "
            f"{row['created_at']:%Y-%m-%d}{note}",
            highlight=False,
        )
