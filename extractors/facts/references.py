"""Cited documents: every other document named by its number and symbol (số, ký hiệu).

One grammar reads the symbols of Nghị định 30/2020/NĐ-CP and Hướng dẫn 36-HD/VPTW: Party
`168-KH/ĐUK` (number-TYPE/ISSUER), State `95/KH-UBND`, `317/KH-CAT-PV01` (number/TYPE-ISSUER...),
legal normative `30/2020/NĐ-CP`, `06/2022/QH15` (with the year), công văn `526/SGDĐT-TĐKT` and
`415/BCĐ` (no type), each however the layout broke or spaced it ("45/KH-" + "UBND", "45/KH- UBND").
A number cited with its kind and year only ("Quyết định số 13/2013") is kept as cited, numbers
listed before one symbol ("số 215, 216/QĐ-UBND") each cite a document, and a list keeps the kind
its head names. Each mention keeps the kind the text names in full words before it (else the kind
its abbreviation stands for), the issue date after it, the issuing body after "của" and the subject
after "về", cut where the next listed citation or the clause starts. Identifiers are kept as cited,
typos included; a blank number is no reference.
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

# Upper-case Latin letters, Vietnamese ones included (Đ, Ư, Ơ, Â, ...): the letters of a symbol.
_UP = "".join(c for c in map(chr, [*range(0x41, 0x250), *range(0x1E00, 0x1F00)]) if c.isupper())
# One segment of a symbol (ký hiệu), between its slashes, hyphens and dots: an upper-case code
# with digits (`KH`, `ĐUK`, `PC08`, `QH15`, `VIII`, `SGD&ĐT`), a code with one small letter
# after two capitals or between two (`TTg`, `QĐi`, `CTr`, `QyĐ`), or a number (a legal text's
# year).
# A capitalised word ("Ban", "Về") is never a segment, so a symbol stops before the prose.
_SEG = (
    rf"(?:[{_UP}\d]*[{_UP}][{_UP}\d]*(?:&[{_UP}][{_UP}\d]*)*(?:(?<=[{_UP}][{_UP}])[a-z][{_UP}\d]*)?"
    rf"|[{_UP}][a-z][{_UP}][{_UP}\d]*|\d+)(?!\w)"
)
# Separators: a hyphen or slash typed with a stray space on one side ("12/KH- UBND"), broken at a
# line end ("6138/UBND-" + "KGVX"), or a dot between two codes ("19/KH-THHBA.LĐ"). A hyphen spaced
# on both sides ("12/KH - UBND") is read only right after the first segment, where the symbol is
# not yet complete; later it is a dash in the prose.
_HYPHEN = r"(?:[-–](?:[ \t]*\n[ \t]*|[ \t]?)|[ \t][-–])"
_SLASH = r"(?:/[ \t]*\n[ \t]*|[ \t]?/[ \t]?)"
_LOW = "".join(c for c in map(chr, [*range(0x61, 0x250), *range(0x1E00, 0x1F00)]) if c.islower())
_DOT = rf"\.(?=[{_UP}])"
# A number starts after a non-word character, or glued to "số" by a PDF's text layer ("số31-QĐ/TW").
# Numbers listed before it share its symbol ("số 1234, 1235/QĐ-UBND": `listed`).
IDENTIFIER = re.compile(
    r"(?=\d)(?:(?<![\w/.\-])|(?<=[Ss]ố))"  # (?=\d) first: a cheap test at every position
    r"(?:(?:(?<=ố )|(?<=ố: )|(?<=ố))"
    r"(?P<listed>\d{1,5}(?:[ \t]*,[ \t]*\d{1,5})*[ \t]*(?:,|,?[ \t]*và)[ \t]*(?=\d)))?"
    r"(?P<num>\d{1,5})"
    rf"(?P<sep>[ \t]?-(?:[ \t]*\n[ \t]*|[ \t]?)(?=[{_UP}])|{_SLASH}(?=[\d{_UP}]))"
    rf"(?P<sym>{_SEG}(?:[ \t][-–][ \t]{_SEG})?(?:(?:{_HYPHEN}|{_SLASH}|{_DOT}){_SEG})*)"
)


def identifiers_in(text: str) -> tuple[re.Match[str], ...]:
    """Every IDENTIFIER match of ``text``, left to right."""
    return tuple(IDENTIFIER.finditer(text))


# the issuer between a citation and its date may carry its abbreviation in brackets: "của Bộ
# Giáo dục và Đào tạo (GDĐT) ngày 05 tháng 02 năm 2026"
_DATE_AFTER = re.compile(
    r"^\s*[,(]?\s*(?:(?:của|do)\s+[^,;()\d]{2,70}?(?:\s*\([^(),;\d]{1,20}\)[^,;()\d]{0,40}?)?\s*,?\s*)?"
    r"(?:ban hành\s+)?"
    r"(?:(?:ngày|ngầy)\s*:?\s*)?"
    r"(?:(?P<d>[0-3]?\d)\s*(?P<sep>[/.\-])\s*(?P<m>[01]?\d)\s*(?P=sep)\s*(?P<y>(?:19|20)\d\d)"
    r"|(?P<d2>[0-3]?\d)\s+tháng\s+(?P<m2>[01]?\d)\s*(?:,?\s+năm\s+|/\s*)(?P<y2>(?:19|20)\d\d))",
    re.I,
)
# words that end an issuing body named after "của"/"do": the rest of the sentence starts
_AFTER_ISSUER = (
    "về|v/v|hướng dẫn|quy định|ban hành|thực hiện|đã|gắn với|sửa đổi|bổ sung|nhằm|để|trong|tại"
    "|theo|với|ngày"
)


# compiled once per process: it reads the vocabulary of kinds, which does not change while it runs
@lru_cache(maxsize=1)
def _issuer_after() -> re.Pattern[str]:
    """The issuing body after "của"/"do". It ends where the rest of the sentence starts, at a
    line break the layout did not make, or at "và" before a lower-case word or another kind of
    document ("Sở Giáo dục và Đào tạo" is one body, "Bộ Chính trị và Kết luận số ..." is not)."""
    kinds = "|".join(re.escape(name) for name in doc_type_names())
    return re.compile(
        r"^\s*[,(]?\s*(?:(?:ban hành\s+)?ngày\s*[^,;()]{6,24}?\s*,?\s*)?(?:của|do)\s+"
        rf"(?P<who>(?:[^,;()\n“”\"]|\n(?=[{_LOW}])){{2,90}}?)"
        rf"(?=\s+\d+\s*(?:[/-]|tháng|năm|ngày|quý)|\s*[“”\"]|\s+(?:{_AFTER_ISSUER}|và\s+(?:[{_LOW}]|(?:các\s+)?(?:{kinds})\b))\b"
        rf"|[,;.()]|\n(?![{_LOW}])|$)",
        re.I,
    )


_ABOUT = re.compile(
    r"[\s,]*(?:(?:của|do)\s+[^;\d.“”\"]{2,120}?)?"
    r"(?:[\s,]*|\.\s*(?=v/v))(?:đã\s+)?(?:ban hành\s+)?[“\"]?(?:về\s+việc|về|v/v)\s+",
    re.I,
)
# where a subject ends: a semicolon, a sentence end, a paragraph end (a line that ends without
# punctuation and goes on in lower case or with a number that is no list label is one sentence
# wrapped by the layout), a parenthesis
# it does not close or did not open, or a comma before a new clause (a capitalised subject, a
# linking phrase, or a few words and a tense marker: ", các chi bộ đã hoàn thành")
_SUBJECT_END = re.compile(
    rf";|\.(?=\s|$)|\n(?![ \t]*(?:[{_LOW}](?![.)])|\d+(?![\d.)])))|(?<=[.:!?])\n|\((?![^()]*\))|\)"
    rf"|,\s+(?=[{_UP}]|(?:đồng thời|trong đó|qua đó|theo đó|nhằm)\b"
    r"|(?:[^,;.\n]{0,40}?\s)?(?:đã|đang|sẽ)\s)"
)
_SUBJECT_MAX = 250
_YEAR_PART = re.compile(r"^(?:19|20)\d\d$")
_TYPED_OVER_SLASH = re.compile(r"^((?:19|20)\d\d)\d([A-ZĐ].*)$")
# the last hard boundary before a citation: where a window looking back for its kind stops
_HARD_BREAK = re.compile(
    r"[.;:!?]\s*\n|\n\s*\n|\t|\n(?=[ \t]*(?:[-+•*]|\d+[.)]|[IVX]+[.)]|[a-zđ]\)))"
)
# a State symbol whose line-end hyphen a PDF's text layer dropped ("186/KH" + "UBND ngày ..."):
# a type alone at the end of a line, the issuer's capitals opening the next
_BROKEN_ISSUER = re.compile(
    rf"[ \t]*\n[ \t]*(?P<code>[{_UP}][{_UP}\d]+(?:-[{_UP}][{_UP}\d]+)*)(?=[\s,;.)]|$)"
)
_AFTER_SO = re.compile(r"\bsố\s*:?\s*$", re.I)
# what lies between two citations of one list: "…; số 4975/UBND-KGVX", "…, 13/QĐ-UBND"
_LIST_JOIN = re.compile(
    r"[^.;\n]{0,100}?(?:[,;]|\bvà|\bhoặc)\s*(?:các\s+)?số\s*:?\s*|\s*[,;]?\s*(?:và\s+)?", re.I
)


def _parts(num: str, sep: str, sym: str) -> tuple[str, str | None, int | None]:
    """Style, type abbreviation and year of an identifier."""
    segments = re.split(r"[-/–.]", sym)
    if sep.strip() == "-" and "/" in sym:
        return "party", segments[0], None
    if _YEAR_PART.match(segments[0]):
        return "legal", segments[1] if len(segments) > 1 else None, int(segments[0])
    if "-" in sym or "–" in sym:
        return "state", segments[0], None
    return "other", segments[0], None


# folded once per process: the vocabulary of abbreviations does not change while it runs
@lru_cache(maxsize=1)
def _folded_abbreviations() -> dict[str, str]:
    """Abbreviations read without case and without the stroke of Đ ("QD", "Qđ" for "QĐ"), kept
    only where the reading is unambiguous."""
    seen: dict[str, set[str]] = {}
    for abbr, name in doc_type_abbreviations().items():
        if ":" not in abbr:
            seen.setdefault(abbr.upper().replace("Đ", "D"), set()).add(name)
    return {key: names.pop() for key, names in seen.items() if len(names) == 1}


def _abbreviation_type(abbr: str | None, style: str) -> str | None:
    """The kind a symbol's abbreviation stands for. Party and State symbols share most letters but
    not all (Party `TT` is a Thông tri, State `TT` a Thông tư): rows `party:TT` of the vocabulary
    read first for Party symbols."""
    if not abbr:
        return None
    table = doc_type_abbreviations()
    letters = re.sub(r"\d+$", "", abbr)
    for key in (f"{style}:{abbr}", f"{style}:{letters}", abbr, letters):
        if key in table:
            return table[key]
    folded = _folded_abbreviations().get(letters.upper().replace("Đ", "D"))
    if folded:
        return folded
    if style in ("state", "other") and abbr.isupper():
        return "Công văn"  # a State công văn carries no type, only its issuer's symbol
    return None


# folded once per process: the vocabulary of kinds does not change while it runs
@lru_cache(maxsize=1)
def _folded_type_names() -> tuple[tuple[str, str], ...]:
    return tuple((name, fold_tones(name).lower()) for name in doc_type_names())


def _named_type_at(before: str) -> tuple[int, str] | None:
    """Where in ``before`` the kind of document named in full words just before an identifier
    starts, and that kind."""
    window = fold_tones(before[-90:]).lower()
    offset = len(before) - len(window)
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
    return (best[0] + offset, best[1]) if best else None


def _named_type(before: str) -> str | None:
    """The kind of document named in full words just before an identifier."""
    found = _named_type_at(before)
    return found[1] if found else None


def _abbreviated_kind_at(before: str) -> tuple[int, str] | None:
    """Where a kind written as its abbreviation before the number starts, with or without "số"
    ("QĐ số 13/2013 của Thủ tướng", "NĐ 24/2010"), and that kind."""
    m = re.search(r"(?:^|[\s(])(?P<abbr>[^\W\d_]{2,6})\s+(?:số\s*:?\s*)?$", before)
    if not m:
        return None
    abbr = m.group("abbr")
    if not any(c.isupper() for c in abbr[1:]) or abbr not in doc_type_abbreviations():
        return None  # an ordinary word ("theo số"), not an abbreviation
    kind = _abbreviation_type(abbr, "other")
    return (m.start("abbr"), kind) if kind else None


def _abbreviated_kind(before: str) -> str | None:
    found = _abbreviated_kind_at(before)
    return found[1] if found else None


def _valid(num: str, sep: str, sym: str) -> bool:
    if sep.strip() == "-" and "/" not in sym:
        return False  # a Party identifier always has its issuer after a slash
    if not re.search(rf"[{_UP}]", sym):
        return False
    return True


def _year_only(sym: str, before: str) -> bool:
    """ "Quyết định số 13/2013", "Nghị định 24/2010": a number and year with no symbol, cited
    right after its kind (capitalised when "số" is left out: "kế hoạch 12/2021" is a month)."""
    if not _YEAR_PART.match(sym):
        return False
    so = _AFTER_SO.search(before)
    head = before[: so.start()].rstrip() if so else before.rstrip()
    named = _named_type_at(head)
    if named and len(head) - named[0] == len(named[1]):
        return bool(so) or head[named[0]].isupper()  # the kind stands right before the number
    return _abbreviated_kind(before) is not None


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


def _window_before(text: str, start: int) -> tuple[int, str]:
    """The text before a citation back to its last hard boundary (at most 120 characters), line
    breaks of the layout read as spaces: where its kind and "số" are looked for."""
    lo = max(0, start - 120)
    window = text[lo:start]
    cut = 0
    for m in _HARD_BREAK.finditer(window):
        cut = m.end()
    return lo + cut, window[cut:].replace("\n", " ")


def _closed(text: str, begin: int, end: re.Match[str], stop: int) -> bool:
    """Whether a subject's end falls outside the quotation marks and parentheses opened in it:
    a quoted name ("Phong trào “Đẩy mạnh ...; thực hành tiết kiệm”") is read whole, unless its
    closing mark never comes."""
    at = end.start()
    if text.count("“", begin, at) > text.count("”", begin, at) and "”" in text[at:stop]:
        return False
    if text.count('"', begin, at) % 2 and '"' in text[at:stop]:
        return False
    if end.group() == ")":
        return text.count("(", begin, at) <= text.count(")", begin, at)
    return True


def _subject(text: str, at: int, next_starts: list[int]) -> str | None:
    """The subject ("về ...", "V/v ...") that follows a citation at ``at``, cut before the next
    citation it is listed with, at the end of its clause, and never inside a word."""
    about = _ABOUT.match(text, at, min(len(text), at + 160))
    if not about:
        return None
    begin = about.end()
    stop = min(len(text), begin + _SUBJECT_MAX)
    for s in next_starts:
        if s >= stop:
            break
        if begin < s:
            joined = re.search(
                r"(?:[,;]|\bvà|\bhoặc|\bcùng)\s*(?:các\s+)?(?:số\s*:?\s*)?$", text[begin:s]
            )
            if joined:
                stop = begin + joined.start()
                break
    end = next(
        (e for e in _SUBJECT_END.finditer(text, begin, stop) if _closed(text, begin, e, stop)), None
    )
    if end:
        stop = end.start()
    elif stop - begin == _SUBJECT_MAX:
        stop = begin + max(text.rfind(" ", begin, stop) - begin, 0)
    what = re.sub(r"\s+", " ", text[begin:stop]).strip(' ,“”"')
    what = re.sub(r"\s+(?:và|hoặc|của)$", "", what)
    return what if len(what) >= 3 else None


def find_cited_documents(ctx: Context) -> list[CitedDocument]:
    text = ctx.raw
    own = ctx.structure.header.identifier
    own_key = identifier_key(own) if own else None
    out: list[CitedDocument] = []
    matches = ctx.found_once(identifiers_in)
    kind_starts: list[int] = []
    for m in matches:
        lo, before = _window_before(text, m.start())
        kind_at = _named_type_at(before)
        kind_starts.append(lo + kind_at[0] if kind_at else m.start())
    previous: tuple[int, str | None] | None = None  # where the last citation ended, its kind
    for i, m in enumerate(matches):
        num, sep, sym = m.group("num"), m.group("sep"), m.group("sym")
        sym = re.sub(r"\s", "", sym).rstrip("-/–")
        start, end = m.start(), m.end("sym")
        broken = _BROKEN_ISSUER.match(text, end) if sep.strip() == "/" else None
        if broken and sym in doc_type_abbreviations():  # "186/KH" + "UBND": the hyphen lost
            sym, end = f"{sym}-{broken.group('code')}", broken.end()
        lo, before = _window_before(text, start)
        year_only = not _valid(num, sep, sym)
        if year_only and not _year_only(sym, before):
            continue
        identifier = num + sep.strip() + sym
        if start < ctx.structure.header_end or (own_key and identifier_key(identifier) == own_key):
            continue  # the report's own number belongs to the document, not to its references
        style, abbr, year = _parts(num, sep, sym)
        named_at = _named_type_at(before)
        named = named_at[1] if named_at else None
        abbreviated_at = None if named_at else _abbreviated_kind_at(before)
        abbreviated = abbreviated_at[1] if abbreviated_at else None
        doc_type = named or abbreviated
        in_list = previous is not None and _LIST_JOIN.fullmatch(text, previous[0], start)
        if doc_type is None:
            doc_type = _abbreviation_type(abbr, style)
            if in_list and previous and doc_type in (None, "Công văn"):
                doc_type = previous[1]  # "Công văn số 4643/UBND-KGVX ...; số 4975/UBND-KGVX"
        after = text[end : end + 200]
        date = None
        d = _DATE_AFTER.match(after)
        if style == "other" and not (
            named or abbreviated or in_list or d or _AFTER_SO.search(before)
        ):
            continue  # "lớp 12/A2", "khu phố 5/KP": a number/CODE with nothing of a citation
        if d:
            if d.group("d"):
                date = to_iso(d.group("d"), d.group("m"), d.group("y"))
            else:
                date = to_iso(d.group("d2"), d.group("m2"), d.group("y2"))
        if date is None:
            date = _date_opening_sentence(ctx, start)
        who = _issuer_after().match(after)
        tail = end + (d.end() if d else 0)
        subject = _subject(text, tail, kind_starts[i + 1 :])
        kind_at = named_at or abbreviated_at
        span_start = lo + kind_at[0] if kind_at else start
        correction = None
        fixed = _TYPED_OVER_SLASH.match(sym)
        if fixed:  # "18/20202QĐ-UBND": a slash typed as a digit
            correction = f"{num}/{fixed.group(1)}/{fixed.group(2)}"
        fields = dict(
            number=num,
            symbol=sym,
            year=year or (int(date[:4]) if date else None),
            style=style,
            doc_type=doc_type,
            date=date,
            issuer=re.sub(r"\s+", " ", who.group("who")).strip() if who else None,
            subject=subject,
            correction=correction,
        )
        rule = "reference.number_year" if year_only else f"reference.{style}"
        listed = m.group("listed")
        if listed and _AFTER_SO.search(before):  # "số 1234, 1235/QĐ-UBND": one shared symbol
            for n in re.findall(r"\d{1,5}", listed):
                out.append(
                    CitedDocument(
                        identifier=n + sep.strip() + sym,
                        **{**fields, "number": n, "subject": None},  # type: ignore[arg-type]
                        **ctx.provenance(span_start, tail, f"{rule}.shared"),
                    )
                )
        out.append(
            CitedDocument(
                identifier=identifier,
                **fields,  # type: ignore[arg-type]
                **ctx.provenance(span_start, tail, rule),
            )
        )
        previous = (tail, doc_type)
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
