"""underthesea's part-of-speech tagger, with its features computed in linear time.

`underthesea.pos_tag` tokenises with `word_tokenize`, turns every token into 22 feature strings
and asks its CRF model (`CRFTagger`, Rust) for the tags. The features are built in Python by
`tagged_feature.template2features`, which re-parses the template with a regular expression and
copies every column of the sentence for each token and each template: quadratic in the length
of the sentence, and 90% of the tagger's time on our reports.

`pos_tag` here tokenises with the same `word_tokenize`, builds the very same feature strings
(same templates, same BOS/EOS rules, same `istitle`) in one pass, and tags with the same model
file through the same `CRFTagger`. The output is identical to underthesea's; `tests/test_postag.py`
checks that on every sentence of the corpus.
"""

from __future__ import annotations

from functools import lru_cache

# underthesea's template (pipeline/pos_tag/model_crf.py), in its order: word features of the
# tokens at -2..2, lower-cased and title-case flags, word uni- and bigrams, then the "pos" column,
# which at prediction time holds "X" for every token
_LOWER = (-2, -1, 0, 1, 2)
_TITLE = (0, -1, 1)
_WORD = (-2, -1, 0, 1, 2)
_BIGRAM = ((-2, -1), (-1, 0), (0, 1), (1, 2))
_POS = (-3, -2, -1)
_POS_BIGRAM = ((-3, -2), (-2, -1))


def _istitle(word: str) -> str:
    """underthesea's `text_istitle`, as the string its features hold."""
    if not word:
        return "False"
    pieces = word.split(" ")
    if any(not piece for piece in pieces):
        return "False"  # underthesea's s[0] on an empty piece raises, and it answers False
    return "True" if all(piece[0].istitle() for piece in pieces) else "False"


def features(tokens: list[str]) -> list[list[str]]:
    """The feature strings underthesea's CRF POS model expects for ``tokens``."""
    n = len(tokens)
    lower = [t.lower() for t in tokens]
    title = [_istitle(t) for t in tokens]
    rows: list[list[str]] = []
    for i in range(n):
        row: list[str] = []
        for k in _LOWER:
            j = i + k
            row.append(f"T[{k}].lower=" + ("BOS" if j < 0 else "EOS" if j >= n else lower[j]))
        for k in _TITLE:
            j = i + k
            row.append(f"T[{k}].istitle=" + ("BOS" if j < 0 else "EOS" if j >= n else title[j]))
        for k in _WORD:
            j = i + k
            row.append(f"T[{k}]=" + ("BOS" if j < 0 else "EOS" if j >= n else tokens[j]))
        for a, b in _BIGRAM:
            row.append(f"T[{a},{b}]=" + _span(tokens, i, a, b))
        for k in _POS:
            j = i + k
            row.append(f"T[{k}][1]=" + ("BOS" if j < 0 else "EOS" if j >= n else "X"))
        for a, b in _POS_BIGRAM:
            row.append(f"T[{a},{b}][1]=" + _span(["X"] * n, i, a, b))
        rows.append(row)
    return rows


def _span(column: list[str], i: int, a: int, b: int) -> str:
    n = len(column)
    if i + a < 0:
        return "BOS"
    if i + a >= n or i + b >= n:
        return "EOS"
    return " ".join(column[i + a : i + b + 1])


# loaded once per process: underthesea's CRF model takes half a second
@lru_cache(maxsize=1)
def _model():  # noqa: ANN202 - underthesea_core.CRFTagger has no stubs
    # imported here: underthesea takes half a second to load, only when needed
    from underthesea.pipeline.pos_tag.model_crf import CRFPOSTagPredictor

    return CRFPOSTagPredictor.Instance().model


def pos_tag(text: str) -> list[tuple[str, str]]:
    """Tokens of ``text`` with their POS tags, exactly as `underthesea.pos_tag(text)`."""
    # imported here: underthesea takes half a second to load, only when needed
    from underthesea import word_tokenize

    tokens = word_tokenize(text)
    if not tokens:
        return []
    return list(zip(tokens, tag_tokens(tokens), strict=True))


def tag_tokens(tokens: list[str]) -> list[str]:
    """The POS tags of tokens `word_tokenize` made (the second half of `pos_tag`)."""
    return list(_model().tag(features(tokens))) if tokens else []
