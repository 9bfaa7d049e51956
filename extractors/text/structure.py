"""Structure of a report: the header (issuer, own number, place and date, kind and title, reporting
period), the tree of numbered sections, the signature and "Nơi nhận" block, and sentences
(underthesea's sentence splitter, run paragraph by paragraph so offsets stay exact)."""

from __future__ import annotations

import re

from extractors.context import Structure
from extractors.facts.periods import reporting_period
from extractors.text.normalize import Text, fold_tones, normalise_string
from extractors.text.sentences import sent_tokenize
from schemas.models import Block, Header, Section, Sentence
from schemas.vocab import doc_type_names

# -- header ----------------------------------------------------------------------------------

_NATIONAL = re.compile(
    r"^(đảng cộng sản việt nam|cộng hòa xã hội chủ nghĩa việt nam|độc lập\s*-\s*tự do"
    r"|\*+$|-+$|_+$)",
    re.I,
)
# "Số 148-BC/ĐUK", "Số: 275 /QĐ- CĐSP" (spaces typed inside), "Số:   /HD-HĐTĐKT" (left blank)
_OWN_NUMBER = re.compile(
    r"^\s*Số\s*:?\s*(?P<id>\d+\s*[-/]\s*[0-9A-Za-zĐđ]+(?:\s*[-/–]\s*[0-9A-Za-zĐđ]+)*|/[^\s,;]*|\s*/)",
    re.I,
)
_PLACE_DATE = re.compile(
    r"(?P<place>[^\t,;\d]{2,40}),\s*ngày\s+(?P<d>\d{1,2})\s+tháng\s+(?P<m>\d{1,2})\s+năm\s+(?P<y>\d{4})",
    re.I,
)
_ORG_START = re.compile(
    r"^(đảng bộ|đảng ủy|đảng uỷ|chi bộ|tỉnh ủy|tỉnh uỷ|thành ủy|huyện ủy|quận ủy|thị ủy|ban |"
    r"ubnd|ủy ban|uỷ ban|hđnd|hội đồng|sở |bộ |cục |tổng cục|vụ |văn phòng|trường|phòng |"
    r"công an|bộ chỉ huy|mặt trận|liên đoàn|công đoàn|đoàn |hội |"
    r"viện |trung tâm|bệnh viện|tổng công ty|công ty|kho bạc|cơ quan|chính phủ|quốc hội|"
    r"thủ tướng|chủ tịch|cục thuế|ngân hàng|đài |báo )",
    re.I,
)
_SIGN_ROLE = re.compile(
    r"^(T/M|TM\.|K/T|KT\.|T/L|TL\.|T/U|TUQ\.|Q\.|CHỦ TỊCH|PHÓ CHỦ TỊCH|BÍ THƯ|PHÓ BÍ THƯ|"
    r"GIÁM ĐỐC|PHÓ GIÁM ĐỐC|HIỆU TRƯỞNG|TRƯỞNG BAN|CHÁNH VĂN PHÒNG|THỦ TRƯỞNG)\b"
)
_SIGN_ROLE_ANYWHERE = re.compile(_SIGN_ROLE.pattern.lstrip("^"))
_RECIPIENTS = re.compile(r"^\s*Nơi nhận\s*:?", re.I)
_CLOSING = re.compile(r"Trên đây là [^\n]*?\bcủa\s+(?P<who>[^\n.;]{4,120})", re.I)


def _lines_of(block: Block) -> list[list[str]]:
    """A block as columns of lines: table cells split on their own line breaks, paragraphs split on
    tabs or wide runs of spaces (a header typed with tabs)."""
    if block.kind == "table_row" and block.cells:
        cols = [cell.split("\n") for cell in block.cells]
    else:
        cols = [[p] for p in re.split(r"\t+| {3,}", block.text)]
    return [[normalise_string(line)[0].strip() for line in col if line.strip()] for col in cols]


def _doc_type_at(line: str) -> str | None:
    """The kind of document when ``line`` opens with it in capitals ("BÁO CÁO", "QUYẾT ĐỊNH")."""
    stripped = fold_tones(line.strip())
    for name in doc_type_names():
        n = fold_tones(name)
        if (
            stripped.upper().startswith(n.upper())
            and stripped[: len(n)] == stripped[: len(n)].upper()
        ):
            rest = stripped[len(n) :]
            if not rest or not rest[0].isalpha():
                return name
    return None


def _issuer_from_lines(lines: list[str]) -> tuple[str | None, str | None]:
    orgs: list[str] = []
    for line in lines:
        if _NATIONAL.search(line) or _OWN_NUMBER.match(line) or "ngày" in line.lower():
            continue
        if re.match(r"^(biểu mẫu|mẫu số|\(dự thảo\)|dự thảo)", line, re.I):
            continue
        if not re.search(r"[A-Za-zĐđÀ-ỹ]", line):
            continue
        if orgs and not _ORG_START.match(line):
            # a second line of the same name: "HỘI ĐỒNG THI ĐUA - KHEN THƯỞNG" / "TỈNH HƯNG YÊN"
            orgs[-1] = f"{orgs[-1]} {line}"
            continue
        orgs.append(line)
    if not orgs:
        return None, None
    return orgs[-1], (orgs[-2] if len(orgs) > 1 else None)


def _find_title(lines: list[str], limit: int) -> tuple[int | None, str | None]:
    for i, line in enumerate(lines[:limit]):
        if line.strip() and _doc_type_at(line) and len(line.strip()) < 200:
            return i, _doc_type_at(line)
    return None, None


def _title_text(lines: list[str], at: int, doc_type: str, blocks: tuple[Block, ...]) -> str:
    first = lines[at].strip()[len(doc_type) :].strip(" :-")
    first = re.sub(r"^\((tóm tắt|dự thảo)\)\s*", "", first, flags=re.I)
    parts = [first] if first else []
    i, blanks = at + 1, 0
    while i < len(lines) and len(parts) < 4:
        line = lines[i].strip()
        if blocks[i].kind == "table_row":
            break
        if not line:
            blanks += 1
            if parts or blanks > 2:
                break
            i += 1
            continue
        if (
            re.match(r"^[-_*=]{3,}$", line)
            or _SECTION.match(line)
            or re.match(r"^(căn cứ|thực hiện|kính gửi|theo)\b", line, re.I)
            or len(line) > 250
        ):
            break
        parts.append(line)
        i += 1
    return " ".join(parts).strip()


# -- sections --------------------------------------------------------------------------------

_SECTION = re.compile(
    r"^\s*(?P<label>(?P<roman>[IVX]{1,5})\.|(?P<upper>[A-HK-UWYZĐ])\.|(?P<num>\d{1,2}(?:\.\d{1,2}){0,3})[.)]|"
    r"(?P<lower>[a-zđ])\))(?=\s|$)\s*(?P<title>.*)$"
)
_ROMAN_OK = re.compile(r"^(X{0,2})(IX|IV|V?I{0,3})$")


def _label_kind(m: re.Match[str]) -> str:
    if m.group("roman") and _ROMAN_OK.match(m.group("roman")):
        return "R"
    if m.group("upper") or m.group("roman"):
        return "A"
    if m.group("num"):
        depth = m.group("num").count(".") + 1
        return f"N{depth}" + (")" if m.group("label").endswith(")") else "")
    return "a"


def find_sections(text: Text, blocks: tuple[Block, ...]) -> list[Section]:
    heads: list[tuple[int, str, str, str]] = []  # start, kind, label, title
    for b, block in enumerate(blocks):
        if block.kind != "paragraph":
            continue
        start = text.block_starts[b]
        end = text.text.find("\n", start)
        line = text.text[start:end]
        m = _SECTION.match(line)
        if not m or len(line) < 3:
            continue
        lead = len(line) - len(line.lstrip())
        title = re.split(r"[:.;]\s", m.group("title").strip(), maxsplit=1)[0][:160]
        heads.append((start + lead, _label_kind(m), m.group("label"), title))
    stack: list[tuple[str, str]] = []
    opened: list[tuple[int, int, str, str, str]] = []  # start, level, path, label, title
    for start, kind, label, title in heads:
        kinds = [k for k, _ in stack]
        if kind in kinds:
            del stack[kinds.index(kind) :]
        stack.append((kind, label))
        path = "/".join(lbl.rstrip(".)") for _, lbl in stack)
        opened.append((start, len(stack), path, label, title))
    sections = []
    for i, (start, level, path, label, title) in enumerate(opened):
        end = len(text.text)
        for later in opened[i + 1 :]:
            if later[1] <= level:
                end = later[0]
                break
        sections.append(
            Section(start=start, end=end, path=path, label=label, level=level, title=title)
        )
    return sections


# -- sentences -------------------------------------------------------------------------------


def find_sentences(text: Text, blocks: tuple[Block, ...]) -> list[Sentence]:
    out: list[Sentence] = []
    for b, block in enumerate(blocks):
        start = text.block_starts[b]
        end = text.text.find("\n", start)
        line = text.text[start:end]
        if not line.strip():
            continue
        pieces = [line] if block.kind == "table_row" else sent_tokenize(line)
        pos = 0
        for piece in pieces:
            piece = piece.strip()
            if not piece:
                continue
            at = line.find(piece, pos)
            if at < 0:  # the splitter changed the text: fall back to the rest of the line
                at, piece = pos, line[pos:].rstrip()
            out.append(
                Sentence(start=start + at, end=start + at + len(piece), index=len(out), block=b)
            )
            pos = at + len(piece)
            if pos >= len(line):
                break
    return out


# -- all of it -------------------------------------------------------------------------------


def build_structure(text: Text, blocks: tuple[Block, ...]) -> Structure:
    lines = text.text.split("\n")[: len(blocks)]
    limit = min(len(lines), 60)
    title_at, doc_type = _find_title(lines, limit)
    head_end = title_at
    if head_end is None:  # no title line: the header ends where the subject or the body begins
        head_end = next(
            (
                i
                for i, line in enumerate(lines[:8])
                if re.match(r"^\s*(V/v|Kính gửi|Căn cứ|I\.|1\.)", line)
            ),
            min(8, len(lines)),
        )
    head_blocks = blocks[:head_end]
    left: list[str] = []
    identifier = place = date = None
    for block in head_blocks:
        cols = _lines_of(block)
        if cols:
            left.extend(cols[0])
        for col in cols:
            for line in col:
                m = _OWN_NUMBER.search(line)
                if m and identifier is None and not re.match(r"^\s*/", m.group("id")):
                    identifier = re.sub(r"\s+", "", m.group("id")).rstrip(".")
                d = _PLACE_DATE.search(line)
                if d and date is None:
                    place = d.group("place").strip(" -")
                    date = (
                        f"{int(d.group('y')):04d}-{int(d.group('m')):02d}-{int(d.group('d')):02d}"
                    )
    if date is None:  # some decisions put place and date under the title
        for line in lines[:limit]:
            d = _PLACE_DATE.search(line)
            if d:
                place = d.group("place").strip(" -")
                date = f"{int(d.group('y')):04d}-{int(d.group('m')):02d}-{int(d.group('d')):02d}"
                break
    issuer, parent = _issuer_from_lines(left)
    if issuer is None:
        closing = _CLOSING.search(text.text)
        if closing:
            issuer = closing.group("who").strip()
    title = (
        _title_text(lines, title_at, doc_type, blocks)
        if title_at is not None and doc_type
        else None
    )
    if doc_type is None:  # a công văn has no kind in its header, only "V/v" and its subject
        for line in lines[:limit]:
            vv = re.match(r"^\s*(?:\S.*\t)?\s*V/v:?\s+(?P<subject>[^\t]{4,})", line)
            if vv:
                doc_type, title = "Công văn", vv.group("subject").strip()
                break
    year = int(date[:4]) if date else None
    period = reporting_period(title, year) if title else None

    # signature and recipients
    body_end = len(text.text)
    recipients: list[str] = []
    signer_role = None
    for b, block in enumerate(blocks):
        if title_at is not None and b <= title_at:
            continue
        # split a block into its lines only where the joined line shows a reason to
        joined = text.text[text.block_starts[b] : text.text.find("\n", text.block_starts[b])]
        wants_role = signer_role is None and b > len(blocks) // 3
        if not re.search(r"nơi nhận", joined, re.I) and not (
            wants_role and _SIGN_ROLE_ANYWHERE.search(joined)
        ):
            continue
        cols = _lines_of(block)
        flat = [line for col in cols for line in col]
        if any(_RECIPIENTS.match(line) for line in flat) and body_end == len(text.text):
            body_end = text.block_starts[b]
            for col in cols:
                if col and _RECIPIENTS.match(col[0]):
                    recipients.extend(x.strip(" -+,;.") for x in col[1:] if x.strip(" -+,;."))
        if signer_role is None and b > len(blocks) // 3:
            for line in flat:
                if _SIGN_ROLE.match(line) and len(line) < 80:
                    signer_role = line
                    break
    header = Header(
        issuer=issuer,
        parent_issuer=parent,
        identifier=identifier,
        place=place,
        date=date,
        doc_type=doc_type,
        title=title or None,
        period=period,
        signer_role=signer_role,
        recipients=tuple(recipients),
    )
    header_end = text.block_starts[title_at] if title_at is not None else 0
    return Structure(
        header=header,
        sections=find_sections(text, blocks),
        sentences=find_sentences(text, blocks),
        body_end=body_end,
        header_end=header_end,
    )
