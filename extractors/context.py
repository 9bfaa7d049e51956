"""What every fact extractor reads: the normalised text and the structure around each offset."""

from __future__ import annotations

import bisect
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from extractors.text.normalize import Text
from schemas.models import Block, Header, Section, Sentence

Found = TypeVar("Found")


@dataclass(frozen=True)
class Structure:
    header: Header
    sections: list[Section]
    sentences: list[Sentence]
    # where the body ends: the "Nơi nhận" block or the signature, when found (else len(text))
    body_end: int
    # offsets of the header block (before the title), where the report's own number and date live
    header_end: int


@dataclass
class Context:
    text: Text
    blocks: tuple[Block, ...]
    structure: Structure
    _sentence_starts: list[int] = field(default_factory=list, repr=False)
    _section_starts: list[int] = field(default_factory=list, repr=False)
    _found: dict[Callable[[str], Any], Any] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        self._sentence_starts = [s.start for s in self.structure.sentences]
        self._section_starts = [s.start for s in self.structure.sections]

    @property
    def raw(self) -> str:
        return self.text.text

    def found_once(self, find: Callable[[str], Found]) -> Found:
        """`find(self.raw)`, computed once for this document: a kind of fact that must skip
        another kind's matches (quantities skip dates and identifiers) gets them from here."""
        if find not in self._found:
            self._found[find] = find(self.raw)
        return self._found[find]  # type: ignore[no-any-return]

    @property
    def folded(self) -> str:
        return self.text.folded

    def block_at(self, offset: int) -> int:
        return max(bisect.bisect_right(self.text.block_starts, offset) - 1, 0)

    def sentence_at(self, offset: int) -> int | None:
        i = bisect.bisect_right(self._sentence_starts, offset) - 1
        if i < 0:
            return None
        s = self.structure.sentences[i]
        return i if s.start <= offset < max(s.end, s.start + 1) else None

    def sentence_span(self, offset: int) -> tuple[int, int]:
        i = self.sentence_at(offset)
        if i is None:
            b = self.block_at(offset)
            start = self.text.block_starts[b]
            end = self.raw.find("\n", start)
            return start, end if end >= 0 else len(self.raw)
        s = self.structure.sentences[i]
        return s.start, s.end

    def section_at(self, offset: int) -> str | None:
        i = bisect.bisect_right(self._section_starts, offset) - 1
        while i >= 0:
            s = self.structure.sections[i]
            if s.start <= offset < s.end:
                return s.path
            i -= 1
        return None

    def provenance(self, start: int, end: int, rule: str) -> dict:
        """The provenance fields of a fact spanning [start, end)."""
        b = self.block_at(start)
        block = self.blocks[b] if b < len(self.blocks) else None
        prov = {
            "text": self.raw[start:end],
            "start": start,
            "end": end,
            "rule": rule,
            "section": self.section_at(start),
            "sentence": self.sentence_at(start),
            "block": b,
        }
        if block is not None and block.kind == "table_row":
            line_start = self.text.block_starts[b]
            prov["table"] = block.table
            prov["row"] = block.row
            prov["column"] = self.raw.count("\t", line_start, start)
        return prov
