"""Reports as spaCy Docs: review pages drawn by displaCy and DocBin corpora.

spaCy is the container here, not a model (see DESIGN.md): a ``Doc`` is built from our own tokens
(no pyvi, nothing downloaded) so that ``doc.text == report.text``, every fact becomes a ``Span`` in
the span group ``"facts"`` labelled with its kind, and the normalised value of each fact travels
in ``doc.user_data`` (which ``DocBin(store_user_data=True)`` keeps).

* ``report_doc`` builds that Doc; ``Span._.fact_value`` / ``Span._.fact`` read a span's value and
  provenance back (keyed by the span's ``id_``, because spaCy keys span extension values by
  offsets only and two facts may share the same characters).
* ``render_html`` draws one self-contained page with displaCy's span renderer, a legend, the
  document header above each document and each fact's value as a hover ``title``.
* ``save_docbin`` writes the Docs in the format ``spacy train`` / ``spacy evaluate`` read.
* ``show`` is the body of ``baocao show FILE... --html OUT.html [--docbin OUT.spacy]``.
"""

from __future__ import annotations

import bisect
import re
import sys
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from functools import lru_cache
from html import escape
from pathlib import Path
from typing import TYPE_CHECKING, Any

from flows.strings import cli_language, failure_line, text
from schemas.errors import BaocaoError
from schemas.models import Fact, Report

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc, Span

SPANS_KEY = "facts"
USER_DATA_KEY = "baocao"

# Kinds in the order the legend lists them, with their colour and a reader's description.
KINDS: dict[str, tuple[str, str]] = {
    "REFERENCE": ("#7aecec", "cited document"),
    "DATE": ("#bfe1d9", "date"),
    "PERIOD": ("#feca74", "reporting period"),
    "QUANTITY": ("#c5b4f7", "count or measure"),
    "AWARD": ("#ffeb80", "award granted"),
    "FINDING": ("#ff8197", "consistency finding"),
}
COLORS = {kind: color for kind, (color, _) in KINDS.items()}

# One token: a run of word characters, or any other single non-space character.
_TOKEN = re.compile(r"\w+|[^\w\s]")

# Private-use characters that mark, in displaCy's output, where our hover titles go; where a
# drawn token is glued to the next (no space between: "33 cán bộ" and its ","); and where the
# space after a highlighted token goes.
_TOKEN_MARK, _LABEL_MARK, _GLUE, _SPACE = "\ue000", "\ue001", "\ue002", "\ue003"
_MARKS = (_TOKEN_MARK, _LABEL_MARK, _GLUE, _SPACE)


# ---------------------------------------------------------------------------------------------
# Normalised values
# ---------------------------------------------------------------------------------------------


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else repr(value)


def _joined(*parts: Any) -> str:
    return " · ".join(str(p) for p in parts if p not in (None, ""))


def _values(report: Report) -> Iterator[tuple[str, Sequence[Fact], list[str]]]:
    """Each kind of fact with the report's facts of that kind and their normalised values."""
    yield (
        "REFERENCE",
        report.references,
        [_joined(r.identifier, r.doc_type, r.date or r.year, r.issuer) for r in report.references],
    )
    yield "DATE", report.dates, [d.value for d in report.dates]
    yield (
        "PERIOD",
        report.periods,
        [f"{p.period.key} ({p.period.start} – {p.period.end})" for p in report.periods],
    )
    yield (
        "QUANTITY",
        report.quantities,
        [
            (
                _number(q.value)
                + (f"/{_number(q.of_total)}" if q.of_total is not None else "")
                + f" {q.unit}"
            ).strip()
            for q in report.quantities
        ],
    )
    yield (
        "AWARD",
        report.awards,
        [_joined(a.title, a.recipient_kind, a.count, a.authority) for a in report.awards],
    )
    yield "FINDING", report.findings, [f"{f.code}: {f.message}" for f in report.findings]


def _kinds_of(report: Report) -> Iterator[tuple[str, int, Fact, str]]:
    """Every fact of the report as (kind label, index among the report's facts of that kind,
    fact, normalised value)."""
    for kind, facts, values in _values(report):
        for index, (fact, value) in enumerate(zip(facts, values, strict=True)):
            yield kind, index, fact, value


# ---------------------------------------------------------------------------------------------
# Report -> Doc
# ---------------------------------------------------------------------------------------------


# made once per process: a blank spaCy pipeline takes a second
@lru_cache(maxsize=1)
def _blank_vi() -> Language:
    """A blank Vietnamese pipeline that never asks for pyvi (only its vocab is used)."""
    # imported here: spaCy takes a second to load, only `show` needs it
    import spacy

    return spacy.blank("vi", config={"nlp": {"tokenizer": {"use_pyvi": False}}})


def register_extensions() -> None:
    """Register ``Span._.fact`` (value and provenance) and ``Span._.fact_value`` (force=True)."""
    # imported here: spaCy takes a second to load, only `show` needs it
    from spacy.tokens import Span

    Span.set_extension("fact", getter=_fact_info, force=True)
    Span.set_extension(
        "fact_value", getter=lambda span: (_fact_info(span) or {}).get("value"), force=True
    )


def _fact_info(span: Span) -> dict[str, Any] | None:
    """The stored value and provenance of a fact span (None for spans we did not make)."""
    facts = span.doc.user_data.get(USER_DATA_KEY, {}).get("facts", {})
    return facts.get(span.id_) if span.id_ else None


def words_and_spaces(text: str) -> tuple[list[str], list[bool]]:
    """Our tokenisation: word-character runs and single punctuation marks; one space after a
    token is its trailing space, any other whitespace becomes a whitespace token of its own (as
    spaCy's tokenizer does), so that ``Doc(vocab, words, spaces).text == text``."""
    words: list[str] = []
    spaces: list[bool] = []
    at = 0
    for m in _TOKEN.finditer(text):
        gap = text[at : m.start()]
        if gap:
            if words and not spaces[-1] and gap[0] == " ":
                spaces[-1] = True
                gap = gap[1:]
            if gap:
                words.append(gap)
                spaces.append(False)
        words.append(m.group())
        spaces.append(False)
        at = m.end()
    tail = text[at:]
    if tail:
        if words and tail[0] == " ":
            spaces[-1] = True
            tail = tail[1:]
        if tail:
            words.append(tail)
            spaces.append(False)
    return words, spaces


def _char_span(doc: Doc, text: str, start: int, end: int, label: str) -> Span:
    """The span of tokens covering [start, end) of ``text`` (the Doc's text, passed in because
    ``Doc.text`` is rebuilt on each access), whitespace at either end left out; a fact whose
    characters are all blank is pinned to the token it touches."""
    start, end = max(0, min(start, len(text))), max(0, min(end, len(text)))
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    span = doc.char_span(start, end, label=label, alignment_mode="expand") if end > start else None
    if span is None or len(span) == 0:
        # imported here: spaCy takes a second to load, only `show` needs it
        from spacy.tokens import Span

        starts = [t.idx for t in doc]
        i = max(0, min(bisect.bisect_right(starts, start) - 1, len(doc) - 1))
        span = Span(doc, i, i + 1, label=label)
    return span


def report_doc(report: Report, nlp: Language | None = None) -> Doc:
    """The report as a Doc over ``report.text`` with its facts in ``doc.spans["facts"]``.

    Span labels are the kinds (REFERENCE, DATE, PERIOD, QUANTITY, AWARD, FINDING); spans are in
    text order; each span's ``id_`` ("quantity-3": the report's ``quantities[3]``) keys its entry
    in ``doc.user_data["baocao"]["facts"]``: the normalised value
    ("168-KH/ĐUK · Kế hoạch · 2022-12-22"), the fact's own text and offsets, rule and section.
    ``doc.user_data["title"]`` holds the document title (displaCy shows it), and
    ``doc.user_data["baocao"]`` also keeps the source, hash and header.
    """
    # imported here: spaCy takes a second to load, only `show` needs it
    from spacy.tokens import Doc

    register_extensions()
    vocab = (nlp or _blank_vi()).vocab
    words, spaces = words_and_spaces(report.text)
    doc = Doc(vocab, words=words, spaces=spaces)
    if doc.text != report.text:
        raise AssertionError(f"{report.source}: the Doc's text differs from the report's text")
    order = list(KINDS)
    found = sorted(
        _kinds_of(report), key=lambda k: (k[2].start, -k[2].end, order.index(k[0]), k[1])
    )
    spans: list[Span] = []
    facts: dict[str, dict[str, Any]] = {}
    for kind, index, fact, value in found:
        span = _char_span(doc, report.text, fact.start, fact.end, kind)
        span.id_ = f"{kind.lower()}-{index}"  # "quantity-3" is report.quantities[3]
        spans.append(span)
        facts[span.id_] = {
            "kind": kind,
            "index": index,
            "value": value,
            "text": fact.text,
            "start": fact.start,
            "end": fact.end,
            "rule": fact.rule,
            "section": fact.section,
        }
    doc.spans[SPANS_KEY] = spans
    header = report.header.model_dump(mode="json")
    doc.user_data["title"] = report.header.title or Path(report.source).name
    doc.user_data[USER_DATA_KEY] = {
        "source": report.source,
        "sha256": report.sha256,
        "format": report.format,
        "header": header,
        "facts": facts,
    }
    return doc


# ---------------------------------------------------------------------------------------------
# HTML
# ---------------------------------------------------------------------------------------------

_STYLE_TOKEN = (
    "font-weight: bold; display: inline-block; position: relative; height: {total_height}px;"
)
_STYLE_BAR = (
    "background: {bg}; top: {top_offset}px; height: 4px; left: -1px; "
    "width: calc(100% + 2px); position: absolute;"
)
_STYLE_LABEL = (
    "background: {bg}; z-index: 10; color: #000; top: -0.5em; padding: 2px 3px; "
    "position: absolute; font-size: 0.6em; font-weight: bold; line-height: 1; "
    "border-radius: 3px; cursor: help"
)
# displaCy's span templates without inner line breaks (the text keeps its own, see _CSS), with a
# title marker on each highlighted token and on each label.
TEMPLATES = {
    "span": f'<span class="fact-token" title="{_TOKEN_MARK}" style="{_STYLE_TOKEN}">'
    "{text}{span_slices}{span_starts}</span>" + _SPACE,  # the space displaCy's own template
    # gets from its line breaks (none after a token glued to the next: see _glued)
    "slice": f'<span style="{_STYLE_BAR}"></span>',
    "start": f'<span style="{_STYLE_BAR} border-top-left-radius: 3px; '
    f'border-bottom-left-radius: 3px;"><span class="fact-label" title="{_LABEL_MARK}" '
    f'style="{_STYLE_LABEL}">{{label}}{{kb_link}}</span></span>',
}
_CSS = """
.spans { white-space: pre-line; }
.baocao-legend, .baocao-header { font-size: 14px; margin: 0 0 1.5rem 0; }
.baocao-legend span.chip { display: inline-block; padding: 2px 8px; margin: 0 6px 4px 0;
  border-radius: 3px; font-weight: bold; font-size: 12px; }
.baocao-header h2 { margin: 0 0 0.5rem 0; font-size: 20px; }
.baocao-header table { border-collapse: collapse; }
.baocao-header th { text-align: left; padding: 1px 12px 1px 0; color: #555; font-weight: normal; }
.baocao-header td { padding: 1px 0; }
"""


def _display_tokens(doc: Doc, cuts: Sequence[int] = ()) -> tuple[list[str], list[int]]:
    """What displaCy draws: the whitespace-separated words of the text (so "168-KH/ĐUK," is not
    shown as "168 - KH / ĐUK ,"), cut where a fact starts or ends inside one (so that "bộ," of
    "33 cán bộ," is drawn "bộ" highlighted and "," not, glued together), with a token of line
    breaks wherever the text breaks a line. Returns the tokens and the character offset where
    each starts; a token glued to the next ends with the _GLUE mark."""
    tokens: list[str] = []
    starts: list[int] = []
    inside = sorted(set(cuts))
    for m in re.finditer(r"\S+|\s*\n\s*", doc.text):
        piece = m.group()
        if piece.isspace():
            piece = "\n" * min(piece.count("\n"), 2)
        for mark in _MARKS:
            piece = piece.replace(mark, "\ufffd")
        if piece.isspace():
            tokens.append(piece)
            starts.append(m.start())
            continue
        lo, hi = bisect.bisect_right(inside, m.start()), bisect.bisect_left(inside, m.end())
        bounds = [m.start(), *inside[lo:hi], m.end()]
        for a, b in zip(bounds, bounds[1:], strict=False):
            part = piece[a - m.start() : b - m.start()]
            tokens.append(part if b == m.end() else part + _GLUE)
            starts.append(a)
    return tokens, starts


def _glued(page: str) -> str:
    """displaCy's page with the _GLUE and _SPACE marks resolved: a space after each drawn token
    but those glued to the next. A plain glued token is drawn "bộ<G> "; a highlighted one
    "<span ...>bộ<G><span ...>...</span></span><S>": its _SPACE is the next one."""
    out: list[str] = []
    at, pending = 0, False
    for m in re.finditer(f"{_GLUE} ?|{_SPACE}", page):
        out.append(page[at : m.start()])
        if m.group() == _SPACE:
            out.append("" if pending else " ")
            pending = False
        elif m.group() == _GLUE:
            pending = True
        at = m.end()
    out.append(page[at:])
    return "".join(out)


def _hover(info: dict[str, Any]) -> str:
    where = _joined(info.get("rule"), f"§ {info['section']}" if info.get("section") else None)
    return f"{info['kind']}: {info['value']}" + (f"\n{where}" if where else "")


def _parsed(doc: Doc, index: int) -> tuple[dict[str, Any], list[str]]:
    """displaCy's manual input for one Doc, and the hover titles in the order in which its
    renderer will emit our markers (mirroring SpanRenderer: spans sorted by start, longer first,
    then label; a highlighted non-blank token gets one token marker, then one label marker per
    span starting there)."""
    cuts = [c for span in doc.spans[SPANS_KEY] for c in (span.start_char, span.end_char)]
    tokens, starts = _display_tokens(doc, cuts)
    facts = doc.user_data.get(USER_DATA_KEY, {}).get("facts", {})
    spans = []
    for span in doc.spans[SPANS_KEY]:
        first = max(bisect.bisect_right(starts, span.start_char) - 1, 0)
        last = max(bisect.bisect_left(starts, span.end_char) - 1, first)
        info = facts.get(span.id_) or {"kind": span.label_, "value": span.text}
        spans.append(
            {
                "start_token": first,
                "end_token": last + 1,
                "label": span.label_,
                "hover": _hover(info),
            }
        )
    spans.sort(key=lambda s: (s["start_token"], -(s["end_token"] - s["start_token"]), s["label"]))
    titles: list[str] = []
    for i, token in enumerate(tokens):
        covering = [s for s in spans if s["start_token"] <= i < s["end_token"]]
        if covering and token.strip():
            titles.append("\n".join(s["hover"] for s in covering))
            titles.extend(s["hover"] for s in covering if s["start_token"] == i)
    parsed = {
        "text": doc.text,
        "tokens": tokens,
        "title": f"@@baocao-header-{index}@@",
        "spans": [{k: v for k, v in s.items() if k != "hover"} for s in spans],
        "settings": {"lang": "vi", "direction": "ltr"},
    }
    return parsed, titles


def _header_html(doc: Doc) -> str:
    data = doc.user_data.get(USER_DATA_KEY, {})
    h = data.get("header", {})
    period = h.get("period") or {}
    parent = h.get("parent_issuer")
    rows = [
        ("Issuer", _joined(h.get("issuer"), f"({parent})" if parent else None)),
        ("Identifier", h.get("identifier")),
        ("Date", _joined(h.get("date"), h.get("place"))),
        ("Period", _joined(period.get("key"), period.get("label"))),
        ("Type", h.get("doc_type")),
        ("Source", data.get("source")),
    ]
    counts = Counter(s.label_ for s in doc.spans[SPANS_KEY])
    facts = ", ".join(f"{counts[k]} {k}" for k in KINDS if counts[k])
    rows.append(("Facts", facts or "none"))
    body = "".join(
        f"<tr><th>{escape(name)}</th><td>{escape(str(value or '–'))}</td></tr>"
        for name, value in rows
    )
    title = escape(h.get("title") or Path(str(data.get("source", ""))).name or "(untitled)")
    return f'<div class="baocao-header"><h2>{title}</h2><table>{body}</table></div>'


def _legend_html() -> str:
    chips = "".join(
        f'<span class="chip" style="background: {color}" title="{escape(desc)}">{kind}</span>'
        for kind, (color, desc) in KINDS.items()
    )
    return (
        f'<div class="baocao-legend">{chips}<br>Hover over a highlighted word or a label to '
        "see the fact's normalised value, rule and section.</div>"
    )


def _substitute(pattern: str, text: str, page: str) -> tuple[str, int]:
    """``re.subn`` with ``text`` taken literally (a header may hold backslashes)."""
    return re.subn(pattern, lambda _m: text, page)


def render_html(reports: Iterable[Report] | Iterable[Doc]) -> str:
    """One self-contained HTML page (no external resources) showing each report with its facts
    highlighted by displaCy's span renderer, a legend, and each document's header on top."""
    # imported here: spaCy takes a second to load, only `show` needs it
    from spacy import displacy
    from spacy.tokens import Doc

    docs = [r if isinstance(r, Doc) else report_doc(r) for r in reports]
    parsed, titles = [], []
    for i, doc in enumerate(docs):
        p, t = _parsed(doc, i)
        parsed.append(p)
        titles.extend(t)
    page = displacy.render(
        parsed,
        style="span",
        manual=True,
        page=True,
        jupyter=False,
        options={"spans_key": SPANS_KEY, "colors": COLORS, "template": TEMPLATES},
    )
    # hover titles, in emission order
    pending = iter(titles)
    used = 0

    def fill(_: re.Match[str]) -> str:
        nonlocal used
        used += 1
        return escape(next(pending), quote=True).replace("\n", "&#10;")

    page = re.sub(f"[{_TOKEN_MARK}{_LABEL_MARK}]", fill, _glued(page))
    if used != len(titles):
        raise AssertionError(f"displaCy emitted {used} hover markers, expected {len(titles)}")
    # document headers in place of displaCy's <h2> titles
    for i, doc in enumerate(docs):
        marker, header = f"@@baocao-header-{i}@@", _header_html(doc)
        page, n = _substitute(rf"<h2[^>]*>\s*{marker}\s*</h2>", header, page)
        if not n:
            page = page.replace(marker, header)
    head = f'<meta charset="utf-8">\n<title>baocao: facts</title>\n<style>{_CSS}</style>'
    page = page.replace("<title>displaCy</title>", head, 1)
    return re.sub(r"(<body[^>]*>)", lambda m: m.group(1) + _legend_html(), page, count=1)


# ---------------------------------------------------------------------------------------------
# DocBin and the command
# ---------------------------------------------------------------------------------------------


def save_docbin(reports: Iterable[Report] | Iterable[Doc], path: str | Path) -> int:
    """Write the reports' Docs (span group "facts", user data included) as a DocBin file, the
    format ``spacy train`` and ``spacy evaluate`` read; returns how many Docs were written."""
    # imported here: spaCy takes a second to load, only `show` needs it
    from spacy.tokens import Doc, DocBin

    bin_ = DocBin(store_user_data=True)
    for r in reports:
        bin_.add(r if isinstance(r, Doc) else report_doc(r))
    bin_.to_disk(path)
    return len(bin_)


def load_docbin(path: str | Path, nlp: Language | None = None) -> list[Doc]:
    """The Docs of a DocBin written by ``save_docbin``, with the span extensions registered."""
    # imported here: spaCy takes a second to load, only `show` needs it
    from spacy.tokens import DocBin

    register_extensions()
    vocab = (nlp or _blank_vi()).vocab
    return list(DocBin().from_disk(path).get_docs(vocab))


def show(
    paths: Sequence[str], html: str | None, docbin: str | None, lang: str | None = None
) -> int:
    """Extract each file and write the review page and/or the DocBin; one stderr line per file
    that fails (the others go on), told in ``lang``. Exit code: 0 all well, 1 a file failed or
    nothing could be written, 2 neither ``html`` nor ``docbin`` was asked for."""
    # imported here: the extractors load underthesea (a worker's job, not the importing process's)
    from extractors.pipeline import extract

    lang = lang or cli_language()
    if not html and not docbin:
        print("baocao show: give --html OUT.html and/or --docbin OUT.spacy", file=sys.stderr)
        return 2
    docs: list[Doc] = []
    failed = False
    for path in paths:
        try:
            docs.append(report_doc(extract(path)))
        except BaocaoError as err:
            err.path = err.path or str(path)
            print(failure_line(err.one_line(), lang), file=sys.stderr)
            failed = True
        except Exception as err:  # noqa: BLE001 - a bug on one file must not stop the others
            detail = f"{path}: {type(err).__name__}: {' '.join(str(err).split())}"
            print(failure_line(detail, lang), file=sys.stderr)
            failed = True
    if not docs:
        print(f"baocao show: {text('cli.nothing_written', lang)}", file=sys.stderr)
        return 1
    try:
        if html:
            Path(html).write_text(render_html(docs), encoding="utf-8")
        if docbin:
            save_docbin(docs, docbin)
    except OSError as err:
        print(f"baocao show: {text('cli.cannot_write', lang, error=err)}", file=sys.stderr)
        return 1
    return 1 if failed else 0
