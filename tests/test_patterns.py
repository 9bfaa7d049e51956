"""phrase_alternation must match exactly what the plain alternation, longest first, matches."""

from __future__ import annotations

import random
import re

import pytest

from extractors.text.normalize import _TONE_PAIRS, fold_tones
from extractors.text.patterns import phrase_alternation

SYLLABLES = ["kết", "nạp", "kiểm", "tra", "k", "tổ", "chức", "đảng", "viên", "đ", "chi", "bộ"]


def _plain(phrases: list[str], space: str | None) -> str:
    ordered = sorted(phrases, key=len, reverse=True)
    pieces = [re.escape(p) for p in ordered]
    if space is not None:
        pieces = [p.replace(r"\ ", space) for p in pieces]
    return "(?:" + "|".join(pieces) + ")"


@pytest.mark.parametrize("seed", range(40))
@pytest.mark.parametrize("space", [None, r"\s+"])
def test_same_matches_as_the_longest_first_alternation(seed: int, space: str | None) -> None:
    rng = random.Random(seed)
    phrases = list(
        {" ".join(rng.choices(SYLLABLES, k=rng.randint(1, 3))) for _ in range(rng.randint(1, 12))}
    )
    text = " ".join(rng.choices(SYLLABLES + [",", "5", "\n", "  "], k=200))
    for before, after in [("", ""), (r"(?<![^\W\d_])", r"(?![^\W\d_])"), (r"(?:^|\s)", r"\s*$")]:
        old = re.compile(f"{before}({_plain(phrases, space)}){after}", re.I)
        new = re.compile(f"{before}({phrase_alternation(phrases, space)}){after}", re.I)
        assert [m.span(1) for m in old.finditer(text)] == [m.span(1) for m in new.finditer(text)]


def test_prefers_the_longest_phrase_and_falls_back_to_a_shorter_one() -> None:
    pattern = re.compile(phrase_alternation(["kết", "kết nạp", "kết nạp lại"]) + r"(?!\w)")
    assert pattern.match("kết nạp lại").group() == "kết nạp lại"
    assert pattern.match("kết nạp lạix").group() == "kết nạp"
    assert pattern.match("kết nạpx").group() == "kết"


def test_fold_tones_moves_every_old_placement_and_nothing_else() -> None:
    for old, new in _TONE_PAIRS.items():
        assert fold_tones(f"h{old} b{old}, {old}") == f"h{new} b{new}, {new}"
        assert fold_tones(f"q{old}") == f"q{old}"  # "quý" keeps its place
        assert fold_tones(f"h{old}n") == f"h{old}n"  # not at the end of the syllable
