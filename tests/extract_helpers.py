"""Reports made from a few lines of text, through the real pipeline (no file): what the extractor
tests and the genre tests of each kind of fact start from."""

from __future__ import annotations

import hashlib

from extractors.pipeline import extract_source
from schemas.models import Block, Report, Source


def report_from_blocks(*blocks: Block) -> Report:
    """The report `extract_source` makes of these blocks (a .txt source named case.txt)."""
    data = "\n".join(b.text for b in blocks).encode()
    source = Source(
        path="case.txt",
        format="txt",
        sha256=hashlib.sha256(data).hexdigest(),
        size=len(data),
        blocks=tuple(blocks),
    )
    return extract_source(source)


def report_of(*lines: str) -> Report:
    """The report of a text given line by line, one block per line."""
    return report_from_blocks(*(Block(text=line) for line in lines))


def table_awards(lead: str, *rows: tuple[str, ...]) -> list[tuple[str, str | None, int | None]]:
    """(title, recipient kind, count) of the awards a report reads from one table of `rows`,
    after a title and the line `lead` that introduces the table."""
    report = report_from_blocks(
        Block(text="BÁO CÁO"),
        Block(text="Tổng kết công tác thi đua, khen thưởng năm 2024"),
        Block(text=lead),
        *(
            Block(text="\t".join(row), kind="table_row", table=0, row=i, cells=row)
            for i, row in enumerate(rows)
        ),
    )
    return [(a.title, a.recipient_kind, a.count) for a in report.awards]
