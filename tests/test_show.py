"""flows.analysis.show: reports as spaCy Docs (our tokens, facts as the span group "facts"), the
displaCy review page with hover values, the DocBin corpus, and the `show` command body."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from spacy.tokens import Doc, DocBin

from flows.analysis import show as sh
from schemas import models as m

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"
REFERENCE = CORPUS / "yenbai-duk-tdkt-2023-h1.txt"
SAMPLES = Path(__file__).resolve().parents[1] / "samples"
KIND_OF = {
    "references": "REFERENCE",
    "dates": "DATE",
    "periods": "PERIOD",
    "quantities": "QUANTITY",
    "awards": "AWARD",
    "findings": "FINDING",
}


def expected_counts(report: m.Report) -> Counter[str]:
    return Counter(
        {
            kind: len(getattr(report, field))
            for field, kind in KIND_OF.items()
            if getattr(report, field)
        }
    )


def span_counts(doc: Doc) -> Counter[str]:
    return Counter(span.label_ for span in doc.spans["facts"])


def spans_of(doc: Doc) -> list[tuple[str, int, int, str, str | None]]:
    return [(s.label_, s.start_char, s.end_char, s.id_, s._.fact_value) for s in doc.spans["facts"]]


TEXT = (
    "BÁO CÁO sơ kết 6 tháng đầu năm 2023. Thực hiện Kế hoạch số 168-KH/ĐUK, ngày "
    "22/12/2022. Kết nạp 65 đảng viên mới. Tặng Giấy khen cho 03 tập thể."
)


def make(text: str = TEXT, **facts: Any) -> m.Report:
    """A hand-made Report over ``text`` with the given facts (none unless given)."""
    return m.Report(
        source="/archive/bao-cao.txt",
        format="txt",
        sha256="0" * 64,
        size=len(text.encode()),
        text=text,
        header=m.Header(
            issuer="Đảng ủy Khối",
            identifier="148-BC/ĐUK",
            doc_type="Báo cáo",
            title="Sơ kết",
            date="2023-06-20",
            period=HALF,
        ),
        **facts,
    )


def at(text: str, part: str) -> dict[str, Any]:
    """Provenance of the first occurrence of ``part`` in ``text``."""
    start = text.index(part)
    return {"text": part, "start": start, "end": start + len(part)}


HALF = m.PeriodValue(
    label="6 tháng đầu năm 2023", start="2023-01-01", end="2023-06-30", key="2023-H1", kind="half"
)


@pytest.fixture
def report() -> m.Report:
    """One fact of each kind, two quantities on the same characters, a finding overlapping a
    quantity, an award starting with a blank."""
    t = TEXT
    award = at(t, " Tặng Giấy khen cho 03 tập thể")
    return make(
        references=(
            m.CitedDocument(
                **at(t, "Kế hoạch số 168-KH/ĐUK, ngày 22/12/2022"),
                rule="ref.party",
                identifier="168-KH/ĐUK",
                style="party",
                doc_type="Kế hoạch",
                date="2022-12-22",
            ),
        ),
        dates=(m.DateMention(**at(t, "22/12/2022"), rule="date.dmy", value="2022-12-22"),),
        periods=(
            m.PeriodMention(**at(t, "6 tháng đầu năm 2023"), rule="period.half", period=HALF),
        ),
        quantities=tuple(
            m.Quantity(
                **at(t, "65 đảng viên mới"),
                rule="qty.count",
                value=v,
                unit="đảng viên mới",
                section="I",
            )
            for v in (65, 66)
        ),
        awards=(
            m.AwardGrant(
                **award, rule="award.grant", title="Giấy khen", recipient_kind="tập thể", count=3
            ),
        ),
        findings=(
            m.Finding(**at(t, "65"), rule="check.sum", code="W101", message="parts do not add up"),
        ),
    )


@pytest.fixture(scope="module")
def reference() -> m.Report:
    if not REFERENCE.exists():
        pytest.skip(f"the reference report is not at {REFERENCE}")
    from extractors.pipeline import extract

    return extract(REFERENCE)


# -- tokens and Doc --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Kế hoạch số 168-KH/ĐUK, ngày 22/12/2022.",
        " BÁO CÁO\n\nSơ kết  6 tháng\t\tđầu năm;\n",
        "\tKhá: 8\n\t\n\n\tTB:   6  ",
        "a",
        "",
        "“Tập thể lao động tiên tiến” (49/49 CĐCS) — 74,5%   \r\n  x",
    ],
)
def test_our_tokens_rebuild_the_text_exactly(text: str) -> None:
    words, spaces = sh.words_and_spaces(text)
    assert Doc(sh._blank_vi().vocab, words=words, spaces=spaces).text == text
    assert all(w.strip() == w or not w.strip() for w in words)  # a token is a word or blank


def test_doc_text_is_the_report_text_and_every_fact_is_a_span(report: m.Report) -> None:
    doc = sh.report_doc(report)
    assert doc.text == report.text
    assert doc.lang_ == "vi"
    assert span_counts(doc) == expected_counts(report)
    for span in doc.spans["facts"]:
        assert span.text == span._.fact["text"].strip()  # the hand-made facts sit on tokens
        kind, index = span.id_.rsplit("-", 1)  # "quantity-1" is report.quantities[1]
        fact = getattr(report, _field(span.label_))[int(index)]
        assert kind == span.label_.lower() and span._.fact["index"] == int(index)
        assert (span.start_char, span.end_char) == (
            fact.start + len(fact.text) - len(fact.text.lstrip()),
            fact.end - len(fact.text) + len(fact.text.rstrip()),
        )
    assert [s.start_char for s in doc.spans["facts"]] == sorted(
        s.start_char for s in doc.spans["facts"]
    )


def _field(kind: str) -> str:
    return next(field for field, k in KIND_OF.items() if k == kind)


def test_each_span_carries_its_normalised_value(report: m.Report) -> None:
    doc = sh.report_doc(report)
    values = Counter((s.label_, s._.fact_value) for s in doc.spans["facts"])
    assert values == Counter(
        {
            ("REFERENCE", "168-KH/ĐUK · Kế hoạch · 2022-12-22"): 1,
            ("DATE", "2022-12-22"): 1,
            ("PERIOD", "2023-H1 (2023-01-01 – 2023-06-30)"): 1,
            # two quantities on the same characters keep their own values
            ("QUANTITY", "65 đảng viên mới"): 1,
            ("QUANTITY", "66 đảng viên mới"): 1,
            ("AWARD", "Giấy khen · tập thể · 3"): 1,
            ("FINDING", "W101: parts do not add up"): 1,
        }
    )
    ref = next(s for s in doc.spans["facts"] if s.label_ == "REFERENCE")
    assert ref._.fact["rule"] == "ref.party"
    assert doc.user_data["title"] == "Sơ kết"
    assert doc.user_data["baocao"]["header"]["identifier"] == "148-BC/ĐUK"


def test_a_fact_off_token_boundaries_or_on_blanks_still_becomes_a_span() -> None:
    text = "Kết nạp 65 đảng viên mới.\n\nHết."
    at = text.find("65")
    facts = {
        # ends in the middle of a word: expanded to the whole token
        "quantities": (
            m.Quantity(
                text="65 đảng vi", start=at, end=at + 10, rule="q", value=65, unit="đảng viên"
            ),
        ),
        # only blank characters, and an empty range: pinned to the token there
        "findings": (
            m.Finding(
                text="\n\n",
                start=text.find("\n"),
                end=text.find("\n") + 2,
                rule="check",
                code="X1",
                message="blank",
            ),
            m.Finding(text="", start=0, end=0, rule="check", code="X2", message="empty"),
        ),
    }
    report = make(text, **facts)
    doc = sh.report_doc(report)
    assert span_counts(doc) == Counter({"QUANTITY": 1, "FINDING": 2})
    qty = next(s for s in doc.spans["facts"] if s.label_ == "QUANTITY")
    assert qty.text == "65 đảng viên"
    assert all(len(s) >= 1 for s in doc.spans["facts"])


# -- HTML ------------------------------------------------------------------------------------


def test_page_shows_labels_values_on_hover_header_and_legend(report: m.Report) -> None:
    page = sh.render_html([report])
    assert page.lstrip().startswith("<!DOCTYPE html>")
    assert '<meta charset="utf-8">' in page
    for kind in sh.KINDS:
        assert re.search(rf">\s*{kind}\s*<", page), kind  # legend chip and span labels
        assert sh.COLORS[kind] in page
    assert 'title="REFERENCE: 168-KH/ĐUK · Kế hoạch · 2022-12-22' in page
    assert 'title="QUANTITY: 65 đảng viên mới' in page
    assert "AWARD: Giấy khen · tập thể · 3" in page
    # header of the document on top of it
    for value in ("Đảng ủy Khối", "148-BC/ĐUK", "2023-06-20", "2023-H1", "Báo cáo", "Sơ kết"):
        assert value in page
    assert page.index("148-BC/ĐUK") < page.index('class="spans"')
    assert "@@baocao-header" not in page and "\ue000" not in page and "\ue001" not in page


def test_page_is_self_contained_and_escapes_the_text() -> None:
    text = 'Kết nạp 65 đảng viên <script>alert(1)</script> & "x".'
    report = make(
        text,
        quantities=(
            m.Quantity(
                **at(text, "65 đảng viên"), rule="q", value=65, unit='đảng viên <b>"mới"</b>'
            ),
        ),
    )
    page = sh.render_html([report, report])
    assert "<script" not in page
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", page)
    assert "<link" not in page and "@import" not in page
    assert 'title="QUANTITY: 65 đảng viên &lt;b&gt;&quot;mới&quot;&lt;/b&gt;' in page
    assert page.count("<figure") == 2


def _drawn(page: str) -> str:
    """The text a reader sees in the page's span view: tags and labels dropped."""
    body = page[page.index('class="spans"') :]
    body = re.sub(r'<span class="fact-label"[^>]*>[^<]*</span>', "", body)
    return " ".join(re.sub(r"<[^>]+>", "", body).split())


def test_a_highlight_stops_where_its_fact_stops_before_punctuation() -> None:
    text = "Chi bộ bồi dưỡng 33 cán bộ, kết nạp 4 đảng viên (ở thôn Nà Lừa); xong."
    report = make(
        text,
        quantities=(
            m.Quantity(**at(text, "33 cán bộ"), rule="q", value=33, unit="cán bộ"),
            m.Quantity(**at(text, "4 đảng viên"), rule="q", value=4, unit="đảng viên"),
        ),
    )
    page = sh.render_html([report])
    highlighted = re.findall(r'<span class="fact-token"[^>]*>([^<]*)<', page)
    assert highlighted == ["33", "cán", "bộ", "4", "đảng", "viên"]
    # the punctuation after a fact is drawn, glued to it, outside the highlight
    assert "33 cán bộ, kết nạp 4 đảng viên (ở thôn Nà Lừa); xong." in _drawn(page)
    assert not any(mark in page for mark in ("\ue002", "\ue003"))


# -- DocBin ----------------------------------------------------------------------------------


def test_docbin_round_trips_spans_and_values(report: m.Report, tmp_path: Path) -> None:
    path = tmp_path / "facts.spacy"
    assert sh.save_docbin([report], path) == 1
    before = sh.report_doc(report)
    vocab = sh._blank_vi().vocab
    (after,) = list(DocBin().from_disk(path).get_docs(vocab))
    assert after.text == report.text
    assert spans_of(after) == spans_of(before)
    assert after.user_data["baocao"]["sha256"] == report.sha256
    (loaded,) = sh.load_docbin(path)
    assert spans_of(loaded) == spans_of(before)


# -- the command -----------------------------------------------------------------------------


def test_show_writes_outputs_and_reports_failures_per_file(
    report: m.Report, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    good = tmp_path / "bao-cao.txt"
    good.write_text(report.text, encoding="utf-8")
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    html, docbin = tmp_path / "out.html", tmp_path / "out.spacy"
    assert sh.show([str(empty), str(good)], str(html), str(docbin)) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "empty.txt" in err[0] and "E001" in err[0]
    assert "QUANTITY" in html.read_text(encoding="utf-8")
    assert len(sh.load_docbin(docbin)) == 1

    assert sh.show([str(good)], str(html), None) == 0
    assert sh.show([str(good)], None, None) == 2
    assert sh.show([str(empty)], str(tmp_path / "none.html"), None) == 1
    assert not (tmp_path / "none.html").exists()


# -- the reference report --------------------------------------------------------------------


def test_reference_report_as_doc_page_and_docbin(reference: m.Report, tmp_path: Path) -> None:
    doc = sh.report_doc(reference)
    assert doc.text == reference.text
    assert span_counts(doc) == expected_counts(reference)
    assert {"REFERENCE", "DATE", "PERIOD", "QUANTITY", "AWARD"} <= set(span_counts(doc))
    for span in doc.spans["facts"]:  # each span covers its fact, at most widened to whole tokens
        fact = span._.fact
        core = fact["text"].strip()
        assert core[:1] == span.text[:1] and span.start_char <= fact["start"] + len(fact["text"])
    page = sh.render_html([doc])
    for kind in span_counts(doc):
        assert re.search(rf">\s*{kind}\s*<", page), kind
    assert "REFERENCE: 168-KH/ĐUK · Kế hoạch · 2022-12-22" in page
    path = tmp_path / "reference.spacy"
    sh.save_docbin([doc], path)
    (after,) = sh.load_docbin(path)
    assert spans_of(after) == spans_of(doc)


def test_sample_docx_shows_its_header(tmp_path: Path) -> None:
    sample = SAMPLES / "yenbai-duk-tdkt-2023-h1.docx"
    if not sample.exists():
        pytest.skip("samples/yenbai-duk-tdkt-2023-h1.docx has not been generated")
    html = tmp_path / "sample.html"
    assert sh.show([str(sample)], str(html), None) == 0
    page = html.read_text(encoding="utf-8")
    for value in (
        "148-BC/ĐUK",
        "2023-06-20",
        "ĐẢNG ỦY KHỐI CƠ QUAN VÀ DOANH NGHIỆP TỈNH",
        "2023-H1",
    ):
        assert value in page
