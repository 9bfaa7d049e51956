"""Regular expressions for long lists of phrases.

An alternation of a hundred phrases ("kết nạp|kết luận|khen thưởng|...") makes Python's regex
engine try every phrase at every position of the text. The same phrases factored by their
common prefixes ("k(?:ết (?:nạp|luận)|hen thưởng)") let it follow one branch per character:
three times faster on a report, same matches.
"""

from __future__ import annotations

import re
from collections.abc import Iterable


def phrase_alternation(phrases: Iterable[str], space: str | None = None) -> str:
    """A non-capturing group matching any of `phrases`, preferring the longest at a position
    (as an alternation sorted longest first would: optional tails are greedy, and a shorter
    phrase is still tried when what follows the group fails after the longer one). A space in a
    phrase matches `space` when given (e.g. r"\\s+"), else one space."""
    trie: dict[str, dict] = {}
    for phrase in phrases:
        node = trie
        for ch in phrase:
            node = node.setdefault(ch, {})
        node[""] = {}  # a phrase ends here

    def piece(ch: str) -> str:
        return space if ch == " " and space is not None else re.escape(ch)

    def branch(node: dict[str, dict]) -> str:
        alternatives = [piece(ch) + branch(child) for ch, child in sorted(node.items()) if ch]
        if not alternatives:
            return ""
        body = alternatives[0] if len(alternatives) == 1 else f"(?:{'|'.join(alternatives)})"
        if "" in node:  # a phrase may also end before this branch
            return f"(?:{body})?" if len(alternatives) == 1 else f"{body}?"
        return body

    return f"(?:{branch(trie)})"
