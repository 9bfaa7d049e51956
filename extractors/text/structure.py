"""Structure of a report: the header (issuer, own number, place and date, kind and title, reporting
period), the tree of numbered sections, the signature and "Nơi nhận" block, and sentences
(underthesea's sentence splitter, run paragraph by paragraph so offsets stay exact)."""

from __future__ import annotations

import re
from datetime import date

from extractors.context import Structure
from extractors.facts.periods import iter_periods, reporting_period
from extractors.text.keys import fold_accents
from extractors.text.normalize import Text, fold_tones, normalise_string
from extractors.text.sentences import sent_tokenize
from schemas.models import Block, Header, PeriodValue, Section, Sentence
from schemas.vocab import doc_type_names

# -- header ----------------------------------------------------------------------------------
# Both national layouts put the issuing body top left (its parent line above it) with its number
# under it, and the motto top right with place and date under it: State documents (Nghị định
# 30/2020/NĐ-CP, Phụ lục I) "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM / Độc lập - Tự do - Hạnh phúc",
# Party documents (Hướng dẫn 36-HD/VPTW) "ĐẢNG CỘNG SẢN VIỆT NAM", an asterisk under the body.
# A PDF, a converted .doc or a web copy often flattens the two columns onto one line or gives
# them line by line, so every header line is cut where the right column's text begins.

# The motto and the Party's name, matched on the accent-free line (old tone placement "HOÀ", an
# OCR or a font that lost the accents): the right column starts here.
_MOTTO = re.compile(
    r"cong\s+hoa\s+xa\s+hoi\s+chu\s+nghia\s+viet\s+nam"
    r"|doc\s+lap\s*[-–—]\s*tu\s+do\s*[-–—]\s*hanh\s+phuc"
    r"|dang\s+cong\s+san\s+viet\s+nam"
)
_RULE_LINE = re.compile(r"^[\s*_\-–—=.~]*$")  # "*", "-----", "_____" under a name or title
# "Số 148-BC/ĐUK", "Số: 275 /QĐ- CĐSP" (spaces typed inside), "Số:   /HD-HĐTĐKT" (left blank);
# "So:" where OCR or a font lost the accent. A short code of capitals after one space that ends
# its column ends the symbol too: "Số: 24/BC-THCS HV" is 24/BC-THCSHV, the space a typing slip.
_OWN_NUMBER = re.compile(
    r"^\s*S[ốo]\s*:?\s*(?P<id>\d+\s*[-/]\s*[^\W_]+(?:\s*[-/–]\s*[^\W_]+)*"
    r"(?-i: [A-ZĐ][A-ZĐ0-9]{0,4}(?=\t| {3,}|\s*$))?|/[^\s,;]*|\s*/)",
    re.I,
)
# the line of the number, whether or not the number is filled in ("Số:", "Số 12-", "Số: /BC")
_NUMBER_LINE = re.compile(r"^\s*S[ốo]\s*(?::|(?=\d)|(?=/)|$)", re.I)
# "Số:" or "Số: 355" alone: the rest of the number is on the next line or in the next run
_NUMBER_CUT = re.compile(r"^\s*S[ốo]\s*:?\s*\d*\s*$", re.I)
_PLACE_DATE = re.compile(
    r",\s*ngày\s+(?P<d>\d{1,2})(?:\s+tháng\s+(?P<m>\d{1,2})\s+năm\s+|\s*([/.\-])\s*(?P<m2>\d{1,2})"
    r"\s*\3\s*)(?P<y>\d{4})",
    re.I,
)
_SUBJECT = re.compile(r"^\s*V/v\s*:?\s+(?P<subject>\S.{3,})", re.I)
# "Thành phố Hồ Chí Minh, ngày 12 tháng 12 năm 2024" (48): longer is a sentence citing a document
_MAX_PLACE_DATE_LINE = 70
_PLACE_DAY = re.compile(r",\s*ngày\b", re.I)  # the place-and-date line, its day maybe left blank
# words a place name is written with before ", ngày": capitalised ("Hậu Giang", "TP. Hồ Chí
# Minh"), with the few lower-case words and dashes inside names ("Thành phố Huế", "Bà Rịa -
# Vũng Tàu")
_PLACE_INNER = frozenset(("-", "–", "phố", "thị", "xã", "trấn"))
_ORG_START = re.compile(
    r"^(đảng bộ|đảng ủy|đảng uỷ|chi bộ|chi đoàn|chi hội|liên chi|tỉnh ủy|tỉnh uỷ|thành ủy|"
    r"huyện ủy|quận ủy|thị ủy|ban |bch |"
    r"ubnd|ủy ban|uỷ ban|hđnd|hội đồng|sở |bộ |cục |tổng cục|vụ |văn phòng|trường|"
    r"phòng (?!,?\s*chống)|"
    r"công an|bộ chỉ huy|mặt trận|liên đoàn|công đoàn|đoàn |hội |liên đội|"
    r"tỉnh đoàn|thành đoàn|huyện đoàn|quận đoàn|thị đoàn|"
    r"viện |học viện|đại học|trung tâm|bệnh viện|tổng công ty|công ty|kho bạc|cơ quan|"
    r"chính phủ|quốc hội|thủ tướng|chủ tịch|cục thuế|chi cục|ngân hàng|đài |báo |"
    r"tòa án|toà án|thanh tra|kiểm toán|bảo hiểm|đồn |trạm |xí nghiệp|nhà máy|tập đoàn|"
    r"chi nhánh|hợp tác xã|liên minh|ubmttq|ubkt|lđlđ|cđcs|mttq|bql|ban quản lý)",
    re.I,
)
# a name made only of kinds of body, that the next line must finish: "CHI BỘ VĂN PHÒNG", "CÔNG
# ĐOÀN"; and a post alone, whose body the next line names ("THỦ TƯỚNG" / "CHÍNH PHỦ", "CHỦ
# TỊCH" / "NƯỚC": a post issues in its own name under Nghị định 30/2020, Phụ lục I)
_KIND_ONLY = re.compile(
    r"^(?:(?:ủy ban nhân dân|uỷ ban nhân dân|ubnd|hội đồng nhân dân|hđnd|chi bộ|chi đoàn|đảng ủy"
    r"|đảng uỷ|đảng bộ|văn phòng|công đoàn|đoàn thanh niên|đoàn|ban chấp hành|ban thường vụ|bch"
    r"|ban|phòng|trung tâm|cơ quan|liên đội|hội|thường trực|trường"
    r"|thủ tướng|phó thủ tướng|chủ tịch|phó chủ tịch|bộ trưởng|thứ trưởng|tổng giám đốc"
    r"|giám đốc|hiệu trưởng|viện trưởng|chánh án|tổng kiểm toán|thống đốc)\s*)+$",
    re.I,
)
# lines of a header that name no body: a form's label, a draft mark, a letter's subject, the
# marks of urgency and secrecy (Nghị định 30/2020, Phụ lục I: "KHẨN", "HỎA TỐC", "MẬT"), the
# stamp of a digital signature ("Ký bởi: ...", "Cơ quan: Tỉnh ...", "Thời gian ký: ...")
_NOT_A_BODY = re.compile(
    r"^(biểu mẫu|mẫu số|phụ lục|\(?\s*dự thảo|v/v\b|về việc\b|ký bởi\b|cơ quan\s*:|thời gian ký\b"
    r"|(?:thượng\s+)?khẩn\b|h[oỏ][ảa]\s+tốc\b|(?:tối\s+|tuyệt\s+)?mật\b)",
    re.I,
)
_SIGN_ROLE = re.compile(
    r"^(T/M|TM\.|K/T|KT\.|T/L|TL\.|T/U|TUQ\.|Q\.|CHỦ TỊCH|PHÓ CHỦ TỊCH|BÍ THƯ|PHÓ BÍ THƯ|"
    r"GIÁM ĐỐC|PHÓ GIÁM ĐỐC|HIỆU TRƯỞNG|TRƯỞNG BAN|CHÁNH VĂN PHÒNG|THỦ TRƯỞNG)\b"
)
_SIGN_ROLE_ANYWHERE = re.compile(_SIGN_ROLE.pattern.lstrip("^"))
_RECIPIENTS = re.compile(r"^\s*Nơi nhận\s*:?", re.I)
_CLOSING = re.compile(r"Trên đây là [^\n]*?\bcủa\s+(?P<who>[^\n.;]{4,120})", re.I)
# Lacking a header, a report names itself as the subject of what it did: "Liên đội trường Tiểu
# học Hòa Bình A đã tổ chức ...", "Phòng Giáo dục và Đào tạo huyện Tân Phú báo cáo ...". A bare
# "Cơ quan đã đề nghị ..." names no one: the name must hold a proper name (a capital after its
# first word).
_SELF_NAMED = re.compile(
    r"(?:^|[.;]\s*)(?P<who>"
    + _ORG_START.pattern.lstrip("^").replace("(", "(?:", 1)
    + r"[^,.;:()]{2,90}?)"
    r"\s+(?:đã|báo cáo|xây dựng|tổ chức)\s",
    re.I,
)
# words that open like a body's name and are not one: events, "Báo cáo", "Trường hợp", ...
_EVENT = re.compile(
    r"^(?:hội (?:nghị|thi|diễn|khỏe|khoẻ|thao|trại|giảng)|báo cáo|trường hợp|phòng,? chống"
    r"|ban hành|bộ phận|đoàn (?:kiểm tra|công tác|giám sát))\b",
    re.I,
)
# a body's name is written in words: not a file name or a code ("P_20171118_0752", "IMG 0231")
_WORDY = re.compile(r"^(?!.*_)(?=(?:.*?[^\W\d_]){3})(?!(?:.*?\d){6})")
_MAX_BODY_LINE = 120  # a body's name takes a line or two in the header; a paragraph is longer
_MAX_CASED_NAME = 70
_SENTENCE_SIGN = re.compile(r"[.;:!?…]\s*$|\d|\b(?:đã|được|đang|sẽ|cho|của|với|và các)\b", re.I)
_PLACE_LEVEL = re.compile(r"^(tỉnh|thành phố|huyện|quận|thị xã|xã|phường|thị trấn)\s+\S", re.I)


def _lines_of(block: Block) -> list[list[str]]:
    """A block as columns of lines: table cells split on their own line breaks, paragraphs split on
    tabs or wide runs of spaces (a header typed with tabs)."""
    if block.kind == "table_row" and block.cells:
        cols = [cell.split("\n") for cell in block.cells]
    else:
        # indentation is no column: "     TRƯỜNG THCS AN PHÚ    Độc lập - ..." opens on the left
        cols = [[p] for p in re.split(r"\t+| {3,}", block.text.strip())]
    return [[normalise_string(line)[0].strip() for line in col if line.strip()] for col in cols]


def _header_lines(block: Block) -> list[list[str]]:
    """A header block as columns of lines, with a number line kept whole: the runs of spaces in
    "Số:   01  - CT/HĐĐ" are typing, not a column gap."""
    if block.kind == "table_row" and block.cells:
        return _lines_of(block)
    text = normalise_string(block.text)[0]
    m = _OWN_NUMBER.match(text) or _NUMBER_CUT.match(text)
    if not m:
        return _lines_of(block)
    rest = [p.strip() for p in re.split(r"\t+| {3,}", text[m.end() :]) if p.strip()]
    return [[" ".join(text[: m.end()].split())]] + [[p] for p in rest]


def _is_capitals(line: str) -> bool:
    """Written in capitals, as the national layouts write a body's name."""
    letters = [c for c in line if c.isalpha()]
    return bool(letters) and sum(c.isupper() for c in letters) >= 0.8 * len(letters)


def _is_place_word(word: str) -> bool:
    if word in _PLACE_INNER or word in ("TP.", "Tp."):
        return True
    rest = word[1:].rstrip(".")
    return word[0].isupper() and word[0].isalpha() and (not rest or rest.islower())


def _place_before(text: str) -> tuple[str, str]:
    """``text`` (what stands before ", ngày") cut into what precedes the place and the place."""
    words = text.split()
    i = len(words)
    while i > 0 and _is_place_word(words[i - 1]):
        i -= 1
    while i < len(words) and words[i] in _PLACE_INNER:
        i += 1  # a place name starts with a capital
    return " ".join(words[:i]), " ".join(words[i:])


def _cut_columns(line: str) -> tuple[str, list[str]]:
    """A header line cut into its left-column text and the right-column pieces that follow it
    on the same line (the motto, "Độc lập - Tự do - Hạnh phúc", the place and date)."""
    m = _MOTTO.search(fold_accents(line))  # one character for one: its offsets are the line's
    if m:
        rest = line[m.end() :].strip()
        more: list[str] = []
        if rest:  # "Độc lập - Tự do - Hạnh phúc Số: 12/BC-UBND Tân Lập, ngày ..."
            rest_left, rest_right = _cut_columns(rest)
            more = ([rest_left] if rest_left else []) + rest_right
        return line[: m.start()].strip(), [line[m.start() : m.end()], *more]
    d = _PLACE_DAY.search(line)
    if d:
        left, place = _place_before(line[: d.start()])
        return left.strip(), [f"{place}{line[d.start() :]}".strip()]
    return line, []


def _pieces(cols: list[list[str]]) -> list[tuple[int, str]]:
    """Every header line of a block with its column: 0 left, 1 right. A flattened line gives its
    left part as column 0 and the rest as column 1; a number line cut after "Số:" takes the
    next line of its column (or the next column) as the rest of its number."""
    out: list[tuple[int, str]] = []
    for c, col in enumerate(cols):
        for line in col:
            left, right = _cut_columns(line)
            if left:
                out.append((min(c, 1), left))
            out.extend((1, piece) for piece in right)
    return out


def _number_of(line: str) -> str | None:
    m = _OWN_NUMBER.match(line)
    if m and not re.match(r"^\s*/", m.group("id")):
        return re.sub(r"\s+", "", m.group("id")).rstrip(".")
    return None


def _date_of(line: str) -> tuple[str | None, str | None]:
    """Place and ISO date of a place-and-date line; the date None when its day is left blank."""
    d = _PLACE_DAY.search(line)
    if not d:
        return None, None
    _, place = _place_before(line[: d.start()])
    full = _PLACE_DATE.search(line, d.start())
    if full is None or full.start() != d.start():
        return place or None, None
    month = full.group("m") or full.group("m2")
    y, mo, dd = int(full.group("y")), int(month), int(full.group("d"))
    if not (1 <= mo <= 12 and 1 <= dd <= 31):
        return place or None, None
    return place or None, f"{y:04d}-{mo:02d}-{dd:02d}"


def _named_in_case(line: str, continues: bool) -> bool:
    """A body's name as a web copy may type it, not in capitals: "Ủy ban nhân dân" over "xã An
    Phú", short and with no sign of a sentence."""
    if len(line) > _MAX_CASED_NAME or _SENTENCE_SIGN.search(line):
        return False
    return bool(_ORG_START.match(line) or (continues and _PLACE_LEVEL.match(line)))


def _self_named(lines: list[str]) -> str | None:
    for line in lines:
        for m in _SELF_NAMED.finditer(line):
            who = m.group("who").strip()
            if _EVENT.match(who) or _SENTENCE_SIGN.search(who):
                continue  # "Hội nghị Ban Chấp hành ... lần thứ 12 được tổ chức"
            if any(w[:1].isupper() for w in who.split()[1:]):
                return who
    return None


def _read_header(blocks: tuple[Block, ...], titled: bool) -> dict[str, str | None]:
    """Issuer (the lowest body of the left block) and its parent, own number, place and date from
    the blocks before the title (``titled``: a title line ends them, so they are a header)."""
    pieces: list[tuple[int, str]] = []
    for block in blocks:
        pieces.extend(_pieces(_header_lines(block)))
    found: dict[str, str | None] = dict.fromkeys(
        ("issuer", "parent", "identifier", "place", "date", "subject")
    )
    orgs: list[str] = []
    number_seen = False
    for i, (col, line) in enumerate(pieces):
        if _NUMBER_LINE.match(line):
            number_seen = True
            if found["identifier"] is None:
                joined = line
                if _NUMBER_CUT.match(line) and i + 1 < len(pieces):
                    joined = f"{line} {pieces[i + 1][1]}"  # "Số: 355" / "/BC-HĐXTH"
                found["identifier"] = _number_of(joined)
            continue
        if _PLACE_DAY.search(line):
            if found["date"] is None and len(" ".join(line.split())) <= _MAX_PLACE_DATE_LINE:
                place, date = _date_of(line)
                found["place"] = found["place"] or place
                found["date"] = date
            continue
        subject = _SUBJECT.match(line)
        if subject and col == 0 and found["subject"] is None:
            found["subject"] = subject.group("subject").strip()  # a công văn's "V/v ..."
            continue
        if col != 0 or number_seen or _MOTTO.match(fold_accents(line)) or _RULE_LINE.match(line):
            continue
        if _NOT_A_BODY.match(line) or len(line) > _MAX_BODY_LINE or not _WORDY.match(line):
            continue
        if not _is_capitals(line) and not (titled and _named_in_case(line, bool(orgs))):
            continue
        if orgs and (not _ORG_START.match(line) or _KIND_ONLY.match(orgs[-1])):
            # a second line of the same name: "HỘI ĐỒNG THI ĐUA - KHEN THƯỞNG" / "TỈNH HƯNG YÊN",
            # "CHI BỘ VĂN PHÒNG" / "SỞ TƯ PHÁP" (a body named by its kind only is not finished)
            orgs[-1] = f"{orgs[-1]} {line}"
            continue
        orgs.append(line)
    if orgs:
        found["issuer"], found["parent"] = orgs[-1], (orgs[-2] if len(orgs) > 1 else None)
    return found


# "PHẦN I: BÁO CÁO" (one part of a combined document), "DỰ THẢO BÁO CÁO", "(Dự thảo) BÁO CÁO" (a
# draft says so before its kind)
_PART_LABEL = re.compile(
    r"^\s*(?:PHẦN\s+(?:[IVX]+|\d+|THỨ\s+\w+)\s*[:.\-–]|\(?\s*DỰ\s+THẢO\s*\)?\s*[:.\-–]?)\s*",
    re.I,
)
_SPACED = re.compile(r"^\s*(?:\S {1,3}){2,}\S\s*$")


def _doc_type_at(line: str) -> str | None:
    """The kind of document when ``line`` opens with it in capitals ("BÁO CÁO", "QUYẾT ĐỊNH")."""
    stripped = fold_tones(_PART_LABEL.sub("", line).strip())
    if _SPACED.match(stripped) and stripped == stripped.upper():
        squeezed = stripped.replace(" ", "")
        for name in doc_type_names():
            if squeezed == fold_tones(name).upper().replace(" ", ""):
                return name
        return None
    for name in doc_type_names():
        n = fold_tones(name)
        if (
            stripped.upper().startswith(n.upper())
            and stripped[: len(n)] == stripped[: len(n)].upper()
        ):
            rest = stripped[len(n) :]
            if not rest or not rest[0].isalpha():
                return name
    if stripped.isupper() and len(stripped) <= 30:  # the kind alone, its accents lost ("BAO CAO")
        bare = " ".join(fold_accents(stripped).split())
        return next((n for n in doc_type_names() if fold_accents(n) == bare), None)
    return None


# a title typed in ordinary case, as a web page gives it: the kind alone on its line ("Báo
# cáo"), or the page's first line opening with it ("Báo cáo sơ kết học kỳ I năm học ..."), not
# a sentence ("Báo cáo số 12/BC-UBND ngày ...", "Báo cáo kết quả như sau:")
_CASED_TITLE_END = re.compile(r"[.:;]\s*$|^\s*số\b|^\s*$", re.I)


def _cased_doc_type(line: str, first: bool) -> str | None:
    text = " ".join(line.split())
    for name in doc_type_names():
        if fold_tones(text[: len(name)]).lower() != fold_tones(name).lower():
            continue
        rest = text[len(name) :]
        if not rest and text[:1].isupper():
            return name
        if first and text[:1].isupper() and rest[:1] == " " and not _CASED_TITLE_END.search(rest):
            return name
        return None
    return None


def _find_title(lines: list[str], limit: int) -> tuple[int | None, str | None]:
    for i, line in enumerate(lines[:limit]):
        if line.strip() and _doc_type_at(line) and len(line.strip()) < 200:
            return i, _doc_type_at(line)
    first = next((i for i, line in enumerate(lines[:limit]) if line.strip()), None)
    for i, line in enumerate(lines[:limit]):
        if line.strip() and len(line.strip()) < 200:
            kind = _cased_doc_type(line, i == first)
            if kind:
                return i, kind
    return None, None


# how the body's first sentence opens, under a title given without a blank line or rule after it
# (a PDF): "Căn cứ ...", "Ngày 12/11/2024, ...", "Năm 2024, ...", "Trong quý I, ..."
_BODY_OPENING = re.compile(
    r"^(?:(?:căn cứ|thực hiện|kính gửi|theo|sau khi|hôm nay|vào hồi|nhằm)\b|ngày\s+\d"
    r"|năm(?:\s+học)?\s+\d{4}(?:\s*[-–]\s*\d{4})?\s*,|trong\s+(?:năm|tháng|quý|\d)|qua\s+\d)",
    re.I,
)


_MAX_TITLE_LINE = 400  # a PDF joins a long title's wrapped lines into one paragraph


def _title_text(lines: list[str], at: int, doc_type: str, blocks: tuple[Block, ...]) -> str:
    head = _PART_LABEL.sub("", lines[at]).strip()
    first = "" if _SPACED.match(head) else head[len(doc_type) :].strip(" :-")
    first = re.sub(r"^\((tóm tắt|dự thảo)\)\s*", "", first, flags=re.I)
    if first and not head[: len(doc_type)].isupper():
        return first  # a web page's title typed in ordinary case is that one line
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
            or _BODY_OPENING.match(line)
            or len(line) > _MAX_TITLE_LINE
        ):
            break
        parts.append(line)
        if line.endswith("."):
            break  # a title ends without a full stop: this was a sentence
        i += 1
    return " ".join(parts).strip()


# A report whose title names no period names it where its body opens: "Năm 2024, Ủy ban ...",
# "Trong 6 tháng đầu năm 2024, ..." or in its first part's heading ("I. KẾT QUẢ THỰC HIỆN NHIỆM
# VỤ QUÝ I/2024"); the part that launches the next period ("PHƯƠNG HƯỚNG, NHIỆM VỤ NĂM 2025")
# is not what it covers.
_OPENING_LINES = 40
_OPENS_WITH = re.compile(r"^\s*(?:trong|qua|tính đến hết)?\s*", re.I)
_NEXT_PERIOD = re.compile(r"^\s*(?:phương hướng|nhiệm vụ|kế hoạch|dự kiến|mục tiêu)", re.I)


# A span of days stated where the body opens: "tình hình áp dụng từ ngày 15/10/2020 đến
# 31/12/2020" (a notice or a report on a campaign names its span so, not by a calendar period).
_DAY = r"(\d{1,2})\s*[/.\-]\s*(\d{1,2})\s*[/.\-]\s*((?:19|20)\d\d)"
_DAY_SPAN = re.compile(
    rf"\btừ\s+(?:ngày\s+)?{_DAY}\s*(?:đến|tới|-|–)\s*(?:hết\s+)?(?:ngày\s+)?{_DAY}", re.I
)


# Kinds of document whose span of days is the work they set out, not a period they report on.
_SETS_OUT_WORK = frozenset(
    {"Kế hoạch", "Quyết định", "Chương trình", "Hướng dẫn", "Chỉ thị", "Nghị quyết", "Đề án"}
)


def _day_span(lines: list[str]) -> PeriodValue | None:
    """The first span of days named in `lines`, its end after its start; None when none."""
    for line in lines:
        m = _DAY_SPAN.search(line)
        if not m:
            continue
        d1, m1, y1, d2, m2, y2 = (int(g) for g in m.groups())
        try:
            start, end = date(y1, m1, d1), date(y2, m2, d2)
        except ValueError:
            continue
        if start < end:
            first, last = start.isoformat(), end.isoformat()
            return PeriodValue(
                label=m.group(0), start=first, end=last, key=f"{first}..{last}", kind="range"
            )
    return None


def _opening_period(lines: list[str], year: int | None) -> PeriodValue | None:
    for line in lines:
        text = line.strip()
        head = _SECTION.match(text)
        if head:
            if not _NEXT_PERIOD.match(head.group("title")):
                period = reporting_period(head.group("title")[:160], year)
                if period is not None:
                    return period
            continue
        lead = _OPENS_WITH.match(text)
        at = lead.end() if lead else 0
        for start, end, value in iter_periods(text[:100], year):
            if start == at and value.kind != "range" and text[end : end + 2].strip()[:1] in ",:":
                return value
            break
    return None


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


# The longest sentence read as one (the corpora's longest is about 720 characters): a paragraph
# with no sentence end, such as a flattened table or a web page run into one line, is cut at its
# last clause break before this length, so that no fact carries a page as its sentence and the
# look back for a fact's verb stays short.
_MAX_SENTENCE = 1200


def _bounded(piece: str) -> list[str]:
    """``piece`` as it is, or cut into runs of at most _MAX_SENTENCE characters, each ending at
    a semicolon, a comma or else a space where it can."""
    out = []
    while len(piece) > _MAX_SENTENCE:
        window = piece[:_MAX_SENTENCE]
        clause = max(window.rfind("; "), window.rfind(", "))
        cut = clause + 2 if clause > 0 else (window.rfind(" ") + 1 or _MAX_SENTENCE)
        out.append(piece[:cut])
        piece = piece[cut:]
    return [*out, piece]


def find_sentences(text: Text, blocks: tuple[Block, ...]) -> list[Sentence]:
    out: list[Sentence] = []
    for b, block in enumerate(blocks):
        start = text.block_starts[b]
        end = text.text.find("\n", start)
        line = text.text[start:end]
        if not line.strip():
            continue
        pieces = [line] if block.kind == "table_row" else sent_tokenize(line)
        pieces = [part for piece in pieces for part in _bounded(piece)]
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
    head = _read_header(blocks[:head_end], titled=title_at is not None)
    identifier, place, date = head["identifier"], head["place"], head["date"]
    if date is None:  # some decisions put place and date under the title
        for line in lines[:limit]:
            if len(" ".join(line.split())) > _MAX_PLACE_DATE_LINE or not _PLACE_DATE.search(line):
                continue  # a sentence citing a document "..., ngày 22/12/2022 của ..."
            found_place, found_date = _date_of(line)
            if found_date and found_place:
                place, date = found_place, found_date
                break
    issuer, parent = head["issuer"], head["parent"]
    if issuer is None:
        closing = _CLOSING.search(text.text)
        if closing:
            issuer = closing.group("who").strip()
    if issuer is None:
        issuer = _self_named(lines[: head_end + _OPENING_LINES])
    title = (
        _title_text(lines, title_at, doc_type, blocks)
        if title_at is not None and doc_type
        else None
    )
    if doc_type is None and head["subject"]:
        doc_type, title = "Công văn", head["subject"]
    if doc_type is None:  # a công văn has no kind in its header, only "V/v" and its subject
        for line in lines[:limit]:
            vv = re.match(r"^\s*(?:\S.*\t)?\s*V/v:?\s+(?P<subject>[^\t]{4,})", line)
            if vv:
                doc_type, title = "Công văn", vv.group("subject").strip()
                break
    year = int(date[:4]) if date else None
    period = reporting_period(title, year) if title else None
    if period is None:
        body_start = title_at + 1 if title_at is not None else head_end
        opening = lines[body_start : body_start + _OPENING_LINES]
        period = _opening_period(opening, year)
        if period is None and doc_type not in _SETS_OUT_WORK:
            period = _day_span(opening)

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
