"""Cited documents: every other document named by its number and symbol (số, ký hiệu).

Grammars: Party `168-KH/ĐUK` (number-TYPE/ISSUER), State `95/KH-UBND` (number/TYPE-ISSUER), legal
normative `30/2020/NĐ-CP`, `06/2022/QH15` (with the year), công văn `526/SGDĐT-TĐKT` (no type).
Each mention keeps the kind of document the text names in full words before it (else the kind its
abbreviation stands for), the issue date after it, the issuing body after "của" and the subject
after "về". Identifiers are kept as cited, typos included; a blank number is no reference.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import TYPE_CHECKING

from extractors.facts.dates import to_iso
from extractors.text.keys import identifier_key
from extractors.text.normalize import fold_tones
from schemas.models import CitedDocument
from schemas.vocab import doc_type_abbreviations, doc_type_names

if TYPE_CHECKING:
    from extractors.context import Context

_L = r"[0-9A-Za-zĐđ]"
IDENTIFIER = re.compile(
    r"(?<![\w/.\-])(?P<num>\d{1,5})(?P<sep> ?- ?(?=[A-ZĐ])| ?/ ?(?=[0-9A-ZĐ]))"
    r"(?P<sym>" + _L + r"+(?: ?[-/–] ?" + _L + r"+)*)"
)


def identifiers_in(text: str) -> tuple[re.Match[str], ...]:
    """Every IDENTIFIER match of ``text``, left to right."""
    return tuple(IDENTIFIER.finditer(text))


_DATE_AFTER = re.compile(
    r"^\s*[,(]?\s*(?:(?:của|do)\s+[^,;()\d\n]{2,70}?\s*,?\s*)?(?:ban hành\s+)?"
    r"(?:(?:ngày|ngầy)\s*:?\s*)?"
    r"(?:(?P<d>[0-3]?\d)\s*(?P<sep>[/.\-])\s*(?P<m>[01]?\d)\s*(?P=sep)\s*(?P<y>(?:19|20)\d\d)"
    r"|(?P<d2>[0-3]?\d)\s+tháng\s+(?P<m2>[01]?\d)\s*,?\s+năm\s+(?P<y2>(?:19|20)\d\d))",
    re.I,
)
_ISSUER_AFTER = re.compile(
    r"^\s*[,(]?\s*(?:(?:ban hành\s+)?ngày\s*[^,;()]{6,24}?\s*,?\s*)?(?:của|do)\s+"
    r"(?P<who>[^,;()\n]{2,90}?)"
    r"(?=\s+(?:về|v/v|hướng dẫn|quy định|ban hành|thực hiện|đã|và)\b|[,;.()\n]|$)",
    re.I,
)
_SUBJECT_AFTER = re.compile(
    r"\b(?:về việc|về|v/v)\s+(?P<what>[^;\n]{3,220}?)(?=[;\n]|\.(?:\s|$)|$)", re.I
)
_YEAR_PART = re.compile(r"^(?:19|20)\d\d$")
_TYPED_OVER_SLASH = re.compile(r"^((?:19|20)\d\d)\d([A-ZĐ].*)$")


def _parts(num: str, sep: str, sym: str) -> tuple[str, str | None, int | None]:
    """Style, type abbreviation and year of an identifier."""
    segments = re.split(r"[-/–]", sym)
    if sep.strip() == "-" and "/" in sym:
        return "party", segments[0], None
    if _YEAR_PART.match(segments[0]) and len(segments) > 1:
        abbr = segments[1]
        return "legal", abbr, int(segments[0])
    if "-" in sym or "–" in sym:
        return "state", segments[0], None
    return "other", segments[0], None


def _abbreviation_type(abbr: str | None, style: str) -> str | None:
    if not abbr:
        return None
    table = doc_type_abbreviations()
    if abbr in table:
        return table[abbr]
    letters = re.sub(r"\d+$", "", abbr)
    if letters in table:
        return table[letters]
    if style in ("state", "other") and abbr.isupper():
        return "Công văn"  # a State công văn carries no type, only its issuer's symbol
    return None


# folded once per process: the vocabulary of kinds does not change while it runs
@lru_cache(maxsize=1)
def _folded_type_names() -> tuple[tuple[str, str], ...]:
    return tuple((name, fold_tones(name).lower()) for name in doc_type_names())


def _named_type(before: str) -> str | None:
    """The kind of document named in full words just before an identifier."""
    window = fold_tones(before[-90:]).lower()
    best: tuple[int, str] | None = None
    for name, key in _folded_type_names():
        at = window.rfind(key)
        if at < 0:
            continue
        between = window[at + len(key) :]
        if re.search(r"[;.\d]|\n", between) or len(between.split()) > 6:
            continue
        if best is None or at > best[0] or (at == best[0] and len(name) > len(best[1])):
            best = (at, name)
    return best[1] if best else None


def _valid(num: str, sep: str, sym: str) -> bool:
    if sep.strip() == "-" and "/" not in sym:
        return False  # a Party identifier always has its issuer after a slash
    if not re.search(r"[A-ZĐ]", sym):
        return False
    if re.fullmatch(r"[0-9]+", sym.replace("/", "").replace("-", "")):
        return False
    return True


_OPENING_DATE = re.compile(
    r"^\s*Ngày\s+(?P<d>[0-3]?\d)\s*(?P<sep>[/.\-])\s*(?P<m>[01]?\d)\s*(?P=sep)\s*(?P<y>(?:19|20)\d\d)\s*,"
    r"[^;]*?\b(?:ban hành|thông qua|ký|phê duyệt)\b",
    re.I,
)


def _date_opening_sentence(ctx: Context, start: int) -> str | None:
    """ "Ngày 15/6/2022, Quốc hội đã thông qua Luật ... số 06/2022/QH15": the sentence opens with
    the day the cited document was issued."""
    s_start, _ = ctx.sentence_span(start)
    m = _OPENING_DATE.match(ctx.raw[s_start:start])
    return to_iso(m.group("d"), m.group("m"), m.group("y")) if m else None


def find_cited_documents(ctx: Context) -> list[CitedDocument]:
    text = ctx.raw
    own = ctx.structure.header.identifier
    own_key = identifier_key(own) if own else None
    out: list[CitedDocument] = []
    for m in ctx.found_once(identifiers_in):
        num, sep, sym = m.group("num"), m.group("sep"), m.group("sym")
        sym = re.sub(r"\s", "", sym).rstrip("-/–")
        if not _valid(num, sep, sym):
            continue
        start, end = m.start(), m.end("sym")
        identifier = num + sep.strip() + sym
        if start < ctx.structure.header_end or (own_key and identifier_key(identifier) == own_key):
            continue  # the report's own number belongs to the document, not to its references
        style, abbr, year = _parts(num, sep, sym)
        line_start = text.rfind("\n", 0, start) + 1
        before = text[line_start:start]
        named = _named_type(before)
        doc_type = named or _abbreviation_type(abbr, style)
        after = text[end : end + 200]
        date = None
        d = _DATE_AFTER.match(after)
        if d:
            if d.group("d"):
                date = to_iso(d.group("d"), d.group("m"), d.group("y"))
            else:
                date = to_iso(d.group("d2"), d.group("m2"), d.group("y2"))
        if date is None:
            date = _date_opening_sentence(ctx, start)
        who = _ISSUER_AFTER.match(after)
        subject = _SUBJECT_AFTER.search(after[:120])
        span_start = start
        if named:  # the citation reads from its kind: "Kế hoạch số 168-KH/ĐUK, ngày 22/12/2022"
            at = fold_tones(before).lower().rfind(fold_tones(named).lower())
            span_start = line_start + at if at >= 0 else start
        span_end = end + (d.end() if d else 0)
        correction = None
        fixed = _TYPED_OVER_SLASH.match(sym)
        if fixed:  # "18/20202QĐ-UBND": a slash typed as a digit
            correction = f"{num}/{fixed.group(1)}/{fixed.group(2)}"
        out.append(
            CitedDocument(
                identifier=identifier,
                number=num,
                symbol=sym,
                year=year or (int(date[:4]) if date else None),
                style=style,  # type: ignore[arg-type]
                doc_type=doc_type,
                date=date,
                issuer=who.group("who").strip() if who else None,
                subject=subject.group("what").strip(' ,“”"') if subject else None,
                correction=correction,
                **ctx.provenance(span_start, span_end, f"reference.{style}"),
            )
        )
    return out


def distinct_citations(
    mentions: list[CitedDocument] | tuple[CitedDocument, ...],
) -> list[CitedDocument]:
    """One citation per identifier, as FACTS.md asks: the first mention, its missing kind or date
    taken from a later mention of the same identifier."""
    by_key: dict[str, CitedDocument] = {}
    for ref in mentions:
        key = identifier_key(ref.identifier)
        first = by_key.get(key)
        if first is None:
            by_key[key] = ref
            continue
        update = {}
        if first.date is None and ref.date is not None:
            update["date"] = ref.date
        if first.doc_type is None and ref.doc_type is not None:
            update["doc_type"] = ref.doc_type
        if update:
            by_key[key] = first.model_copy(update=update)
    return list(by_key.values())
