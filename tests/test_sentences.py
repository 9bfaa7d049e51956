"""extractors.text.sentences.sent_tokenize must split exactly as underthesea.sent_tokenize does."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from underthesea import sent_tokenize as underthesea_split

from extractors.readers import read_source
from extractors.text.sentences import sent_tokenize

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpus"
PIECES = [
    "Kết nạp 05 đảng viên",
    ".",
    "...",
    "....",
    "?!",
    "!",
    " ",
    "\t",
    "\n",
    "1.500.000",
    "15.12.2025",
    "TP.",
    "Th.S",
    "e.g.",
    "a.",
    "Đảng ủy",
    "đồng chí",
    "v.v.",
    "…",
    "2.",
    "Ông A. Nguyễn",
]


def _lines() -> list[str]:
    lines: list[str] = []
    for folder in (ROOT / "samples", CORPUS):
        for path in sorted(folder.glob("*.*")) if folder.is_dir() else []:
            try:
                source = read_source(path)
            except Exception:  # noqa: BLE001 - unreadable inputs are other tests' business
                continue
            lines += [block.text for block in source.blocks]
    return lines


def test_same_sentences_as_underthesea_on_every_line_of_the_corpus() -> None:
    lines = _lines()
    assert len(lines) > 300
    for line in lines:
        assert sent_tokenize(line) == underthesea_split(line), line


@pytest.mark.parametrize("seed", range(300))
def test_same_sentences_as_underthesea_on_generated_text(seed: int) -> None:
    rng = random.Random(seed)
    text = "".join(
        rng.choice(PIECES) + rng.choice(["", " ", "  "]) for _ in range(rng.randint(0, 30))
    )
    assert sent_tokenize(text) == underthesea_split(text), repr(text)


@pytest.mark.parametrize("text", ["", "   ", "Một câu", "A. B", "Hết...", "x... Y", "1.5. Mục"])
def test_edge_cases(text: str) -> None:
    assert sent_tokenize(text) == underthesea_split(text)
