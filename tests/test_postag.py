"""The linear-time POS featurizer gives underthesea's tags exactly, and the report-verb lexicon."""

from __future__ import annotations

from pathlib import Path

import pytest
from underthesea import pos_tag as underthesea_pos_tag
from underthesea import sent_tokenize

from extractors.facts.verbs import verb_before
from extractors.readers import read_source
from extractors.text.normalize import fold_tones
from extractors.text.postag import pos_tag

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"
SAMPLES = Path(__file__).resolve().parents[1] / "samples"

EDGE_CASES = [
    "",
    " ",
    "Ủy ban  nhân dân",  # two spaces: an empty piece in underthesea's istitle
    "Kết nạp 05 đảng viên mới",
    "Kế hoạch số 168-KH/ĐUK, ngày 22/12/2022 của Đảng ủy Khối",
    "đạt 98,7% ; 74/74 chi, đảng bộ cơ sở",
    "A",
    "HỘI ĐỒNG THI ĐUA - KHEN THƯỞNG",
]


def _sentences() -> list[str]:
    paths = sorted(SAMPLES.glob("*.*"))
    if CORPUS.is_dir():
        paths += sorted(p for p in CORPUS.glob("*.*") if p.suffix in {".txt", ".docx"})
    out: list[str] = []
    for path in paths:
        for block in read_source(path).blocks:
            out.extend(sent_tokenize(block.text))
    return out


def test_tags_equal_underthesea_on_every_sentence() -> None:
    sentences = _sentences() + EDGE_CASES
    assert len(sentences) > 300
    different = [s for s in sentences if pos_tag(s) != list(underthesea_pos_tag(s))]
    assert different == []


@pytest.mark.parametrize(
    ("text", "verb"),
    [
        ("Trong kỳ đã kết nạp được 65", "kết nạp"),
        ("Uỷ ban kiểm tra đã tổ chức 12", "tổ chức"),  # last verb of the clause wins
        ("tổ chức hội nghị; đã tặng Bằng khen cho 20", "tặng"),  # "Bằng khen" hides "khen"
        ("Đảng bộ có 45", None),
        ("các chi bộ đã bầu bổ sung 3", "bầu bổ sung"),  # the longest entry
        ("đã KIỂM TRA 7", "kiểm tra"),
    ],
)
def test_verb_before_a_number(text: str, verb: str | None) -> None:
    folded = fold_tones(text)
    assert verb_before(folded, 0, len(text)) == verb
