"""Which offsets a set of character spans covers, answered by bisection."""

from __future__ import annotations

import bisect
from collections.abc import Iterable


class Coverage:
    """The union of half-open spans ``[start, end)``: overlapping or touching spans are merged,
    so that the span starting last at or before an offset is the only one that can cover it."""

    def __init__(self, spans: Iterable[tuple[int, int]]) -> None:
        merged: list[tuple[int, int]] = []
        for start, end in sorted(spans):
            if merged and start <= merged[-1][1]:
                merged[-1] = (merged[-1][0], max(merged[-1][1], end))
            else:
                merged.append((start, end))
        self._spans = merged
        self._starts = [start for start, _ in merged]

    def covers(self, offset: int) -> bool:
        i = bisect.bisect_right(self._starts, offset) - 1
        return i >= 0 and offset < self._spans[i][1]
