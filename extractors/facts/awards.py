"""Awards: grants of an emulation title (danh hiệu thi đua) or a form of commendation (hình thức
khen thưởng) that the report states as done, from the controlled vocabulary in
schemas/vocab/award_titles.tsv, with the kind and number of recipients and the awarding authority.

One grammar reads every construction of the genre around a title T:
- recipients after T, led by "cho"/"đối với"/"tặng", by a colon or by nothing: "tặng Bằng khen cho
  05 tập thể và 09 cá nhân", "Bằng khen của Chủ tịch UBND tỉnh: 05 tập thể", "Huy hiệu 30 năm tuổi
  Đảng 02 đồng chí"; a named body or a determiner without a count ("cho Công ty ...", "cho các tập
  thể, cá nhân") gives a grant without a count;
- recipients before T, as the subject: "04 tập thể đạt danh hiệu T", "12 cá nhân được Chủ tịch
  UBND tỉnh tặng T", "Nhà trường nhận T", "Đảng bộ Khối được ... tặng T"; "trao 120 T" for a title
  whose recipients go without saying (Huy hiệu Đảng).
A grant needs a verb of granting in its clause, or in the lead-in ("..., trong đó:") of a list of
labelled counts. Proposals ("đề nghị", "đề xuất", "trình"), plans, criteria ("được xét tặng",
"tiêu chuẩn", "tối đa") and negations are not grants.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from extractors.facts.award_tables import table_awards
from extractors.facts.award_titles import (
    COUNT_WORDS,
    count_in_words,
    recipient_kind,
    title_authority,
    title_mentions,
)
from extractors.text.normalize import fold_tones
from schemas.models import AwardGrant, RecipientKind
from schemas.vocab import AwardTitle

if TYPE_CHECKING:
    from extractors.context import Context

# "05", "1.250", "01 (một)" (the number in words that a decision adds in brackets), and a small
# count in words ("hai", "mười một")
_COUNT = (
    r"(?P<n>\d{1,3}(?:\.\d{3})+|\d+|" + COUNT_WORDS + r")"
    r"(?:\s*\((?:[^\W\d_]+\s?){1,4}\))?"
)


def _count(written: str) -> int:
    """The number of a count, in figures ("1.250") or in words ("hai", "mười một")."""
    in_words = count_in_words(written)
    return in_words if in_words is not None else int(written.replace(".", ""))


_GRANT = re.compile(
    r"\b(tặng|trao tặng|trao|công nhận|đạt danh hiệu|đạt|khen thưởng|tặng thưởng|truy tặng|"
    r"phong tặng|quyết định|nhận|đón nhận|vinh danh|biểu dương|khen"
    r"|kết quả (?:bình xét|bình bầu|thi đua))\b",
    re.I,
)
# "đề nghị" as a verb; "theo/xét/trên cơ sở đề nghị của ..." names whose proposal a grant answers.
# "trình" as a verb, not in "quy trình", "chương trình", "trình độ", "trình bày".
_PROPOSAL = re.compile(
    r"(?<!theo )(?<!xét )(?<!sở )\bđề nghị\b(?!\s+của)|\bđề xuất\b|\bkiến nghị\b|\bdự kiến\b|"
    r"\bphấn đấu\b|\bđăng ký\b|\bhiệp y\b|\bsẽ\b|\bchỉ tiêu\b|\bsuy tôn\b|"
    r"(?<!quy )(?<!chương )(?<!công )(?<!lộ )(?<!tiến )(?<!giáo )\btrình\b"
    r"(?!\s+(?:bày|độ|diễn|chiếu|tự))",
    re.I,
)
_CRITERIA = re.compile(
    r"\b(xét tặng|được xét|xét công nhận|(?:được|để) bình (?:xét|bầu)|tiêu chuẩn|điều kiện|"
    r"tối đa|tối thiểu|không quá|ít nhất|trở lên|tỷ lệ|tỉ lệ|căn cứ|quy định tại|để tặng|để xét|"
    r"phải đạt|phải|được tính|liên tục đạt|năm liền đạt|lần đạt)\b",
    re.I,
)
_NEGATED = re.compile(
    r"\b(?:không|chưa|chẳng)\s+(?:được\s+|có\s+)?(?:\w+\s+){0,2}?"
    r"(?:tặng|trao|công nhận|khen|đạt|nhận)\b|\b(?:thu hồi|hủy bỏ|huỷ bỏ|tước)\b",
    re.I,
)
_REVOKED = re.compile(r"\b(?:thu hồi|hủy bỏ|huỷ bỏ|bị tước)\b", re.I)
_AUTHORITY = re.compile(
    r"(?:^|[,;]\s*|\b(?:được|đã)\s+)(?P<who>(?:Ban Thường vụ|Ban Chấp hành|Thủ tướng|Chủ tịch|"
    r"Bộ trưởng|Thủ trưởng|Giám đốc|Hiệu trưởng|Ủy ban|Uỷ ban|UBND|Tỉnh ủy|Huyện ủy|Thành ủy|"
    r"Đảng ủy|Hội đồng|Ban|Bộ|Sở|Tổng Liên đoàn|Liên đoàn|Trung ương)"
    r"[^,;.]{0,60}?)\s+(?:đã\s+)?(?:quyết định\s+)?(?:truy\s+|phong\s+)?"
    r"(?:tặng|trao|công nhận|khen thưởng|khen)\b"
)
# between a title and a count that follows it with no "cho": a label and its colon, dash or
# bracket ("Bằng khen của Chủ tịch UBND tỉnh: 05 tập thể"), or only closing quotes, the
# conferring body and the year ("Huy hiệu 30 năm tuổi Đảng 02 đồng chí", "Bằng khen UBND tỉnh 05")
_YEAR = r"(?:\s*(?:năm(?:\s+học)?|đợt)\s+\d{1,4}(?:\s*[-–/]\s*\d{2,4})?)?"
# words that end the conferring body written after a title ("của UBND tỉnh 06 tập thể")
_NOT_BODY = r"(?:cho|vì|về|đã|được|có|và|với|trong|tại|là|năm|đợt|gồm|đối|tặng|khen|đạt|nhận)"
_LABEL_GAP = re.compile(
    r"^\s*[”\"’']?(?:[^\d,;:()“”\"]{0,80}?" + _YEAR + r"\s*[:\-–(]\s*|"
    r"(?:\s*(?:của|do)?\s*(?:[A-ZĐÀ-Ỹ][^\s\d,;:()]*\s*){1,8})?" + _YEAR + r"\s*|"
    r"\s*(?:của|do)\s+(?:(?!" + _NOT_BODY + r"\b)[^\s\d,;:()“”\"]+\s+){1,10}" + _YEAR + r"\s*)$"
)
_BULLET = re.compile(r"^\s*(?:[-+•*–]|[a-zđ]\)|\d{1,2}[.)])\s*", re.I)
_LIST_JOIN = re.compile(r"^\s*(?:,|và|cùng|;)?\s*(?:và\s+)?$", re.I)


_NOT_NOUN = (
    r"(?!(?:và|cho|của|thuộc|đạt|được|có|đã|với|trong|tại|là|năm|lần|đợt|bằng|gồm|theo|về|vì)\b)"
)
_WORD = r"[^\W\d_][^\s,;.()“”\"]*"
# "74/74 hộ": the count is the first number; a number inside another ("1.380" of "1.250/1.380")
# is none
_RECIPIENT = re.compile(
    r"(?<![\d/.,])"
    + _COUNT
    + r"(?:\s*/\s*\d[\d.]*)?\s+(?P<noun>"
    + _NOT_NOUN
    + _WORD
    + r"(?:\s+"
    + _NOT_NOUN
    + _WORD
    + r"){0,3})"
)


def _recipients(segment: str) -> list[tuple[int, int, int, RecipientKind]]:
    """(start, end, count, kind) for each "NN noun" in ``segment`` whose noun names recipients."""
    out: list[tuple[int, int, int, RecipientKind]] = []
    for m in _RECIPIENT.finditer(segment):
        kind = recipient_kind(m.group("noun"))
        if kind:
            out.append((m.start(), m.end(), _count(m.group("n")), kind))
    return out


def _joined(
    found: list[tuple[int, int, int, RecipientKind]], text: str
) -> list[tuple[int, int, int, RecipientKind]]:
    """The first recipients of ``found`` and those joined to them by "và" or a comma."""
    out = found[:1]
    for item in found[1:]:
        gap = text[out[-1][1] : item[0]]
        # joined by "và", a comma, or the ";" that ends an item of a list ("- 02 tập thể; - ...")
        if not re.search(r"(\bvà\b|,|\bcùng\b|;\s*[-+•*–])", gap) or len(gap) > 120:
            break
        out.append(item)
    return out


# "cho 05 tập thể", and "cho các tập thể, cá nhân (05 tập thể, 12 cá nhân)"
_LEAD = re.compile(
    r"\b(?:cho|đối với)\s*:\s*(?:[-+•*–]\s*)?(?=\d)|\btrong đó\s*:?\s*(?=\d)|"
    r"\b(?:cho|đối với|tặng|với|gồm|là)\s+(?:cho\s+)?(?:các\s+)?"
    r"(?=\d|(?:một|hai|ba|bốn|năm|sáu|bảy|tám|chín|mười)\s)|"
    r"\b(?:cho|đối với)\s+(?:các|những)\s+[^\d;()]{1,60}\(\s*(?=\d)",
    re.I,
)
# a list item that opens with a count: "- 02 tập thể;"
_COUNTED_ITEM = re.compile(r"[ \t]*(?:[-+•*–]|[a-zđ]\)|\d{1,2}[.)])[ \t]*\d")
_LEADS_NEXT_LINE = re.compile(r"\b(?:cho|đối với)\s*:$", re.I)
_DETERMINED = re.compile(
    r"\b(?:cho|đối với)\s*:?\s+(?P<det>các|những|nhiều|toàn thể|một số)?\s*"
    r"(?P<np>[^\W\d_][^;:()\d]{0,80})",
    re.I,
)


_NAMED_THEN_COUNTED = re.compile(
    r"^[^\d;:()]{0,60}?\b(?:cho|đối với)\s+(?P<np>[^\W\d_][^\d;:()]{1,80}?)"
    r"\s*(?:,|\bvà\b)\s*$"
)


def _recipients_after(after: str, settled: bool) -> list[tuple[int | None, RecipientKind]]:
    """Recipients after a title: counted ones led by "cho"/"đối với", or by a colon or nothing
    after the title's own tail; else a named body or "các tập thể, cá nhân" with no count."""
    lead = _LEAD.search(after)
    found = _recipients(after)
    named_first = _NAMED_THEN_COUNTED.match(after[: found[0][0]]) if found and not lead else None
    first_kind = (
        recipient_kind(named_first.group("np"))
        if named_first and any(w[0].isupper() for w in named_first.group("np").split()[:4])
        else None
    )
    if first_kind:
        # "cho Sở Xây dựng và 02 cá nhân": a named body, then counted recipients
        return [(None, first_kind)] + [(c, k) for _, _, c, k in _joined(found, after)]
    if lead:
        found = [r for r in found if r[0] >= lead.end()]
    elif found and not _LABEL_GAP.match(after[: found[0][0]]):
        found = []
    if found:
        return [(count, kind) for _, _, count, kind in _joined(found, after)]
    named = _DETERMINED.search(after)
    if not named or _recipients(after):
        return []
    np = named.group("np")
    if named.group("det"):
        if not settled:
            return []  # "Cuối năm, tặng Giấy khen cho các tập thể ...": a plan's promise
        # "cho các tập thể, cá nhân có thành tích": each kind named, no count
        kinds: list[RecipientKind] = []
        for part in re.split(r"\s*(?:,|\bvà\b)\s*", np)[:3]:
            kind = recipient_kind(part)
            if kind is None:
                break
            if kind not in kinds:
                kinds.append(kind)
        return [(None, kind) for kind in kinds]
    kind = recipient_kind(np)
    # a named body ("cho Văn phòng Hội ...", "cho ông Nguyễn Văn A"), not "cho cá nhân đạt ..."
    words = np.split()
    if kind and len(words) > 1 and (np[0].isupper() or any(w[0].isupper() for w in words[1:3])):
        return [(None, kind)]
    return []


_SUBJECT_VERB = re.compile(
    r"\s(?:[^\d;:]{0,80}?\s)?(?:(?:đã|đều|cũng|vinh dự|rất vinh dự|tiếp tục)\s+)*"
    r"(?:được\b|đạt\b|nhận\b|đón nhận\b)[^\d;:]{0,80}$",
    re.I,
)
_NAMED_SUBJECT = re.compile(
    r"^(?P<head>.*?)\s*(?<!\w)(?:(?:đã|đều|cũng|vinh dự|rất vinh dự|tiếp tục)\s+)*"
    r"(?:được\b|nhận\b|đón nhận\b|đạt\b)[^\d;:]{0,80}$",
    re.I,
)
_GENERIC = frozenset(
    fold_tones(w)
    for w in (
        "cá nhân",
        "tập thể",
        "tổ chức",
        "hộ gia đình",
        "gia đình",
        "người",
        "doanh nghiệp",
        "cơ quan",
        "đơn vị",
        "hộ",
        "đảng viên",
        "cán bộ",
        "công chức",
        "viên chức",
        "nhà trường",
        "trường",
        "chi bộ",
        "đảng bộ",
        "liên đội",
        "sở",
        "phòng",
        "xã",
        "huyện",
        "công ty",
    )
)
# generic subjects by which a report names its own body ("Nhà trường đạt ...", "Đơn vị được
# tặng ..."); "cá nhân", "tập thể" or "hộ" stay anyone
_SELF = frozenset(
    fold_tones(w)
    for w in (
        "nhà trường",
        "trường",
        "đơn vị",
        "cơ quan",
        "chi bộ",
        "đảng bộ",
        "liên đội",
        "sở",
        "phòng",
        "xã",
        "huyện",
        "công ty",
    )
)
_COUNT_ONLY = re.compile(
    r"\b(?:trao tặng|tặng thưởng|tặng|trao|nhận|đón nhận)\s+" + _COUNT + r"\s*$", re.I
)
_CONNECTIVE = re.compile(
    r"^(?:(?:đồng thời|ngoài ra|bên cạnh đó|trong đó|riêng|và|cùng với đó|năm \d{4}|"
    r"trong năm|tháng \d{1,2}(?:/\d{4})?)\s*,?\s*)+",
    re.I,
)


def _recipients_before(
    before: str, title: AwardTitle, after: str = "", reported: bool = False
) -> list[tuple[int | None, RecipientKind]]:
    """Recipients as the subject of a title: counted ("12 cá nhân được ... tặng"), counted awards
    of a title whose recipients go without saying ("trao 120 Huy hiệu Đảng"), or one named body
    ("Nhà trường nhận", "Đảng bộ Khối vinh dự được ... tặng"). In a document that reports what
    was done (``reported``), a generic body is the reporting body ("Trường đạt danh hiệu ...",
    "Nhà trường được tặng ..."); elsewhere it may be anyone, as a regulation says."""
    found = _recipients(before)
    if found:
        tail = before[found[-1][1] :]
        if _SUBJECT_VERB.match(" " + tail.lstrip()) or re.fullmatch(
            r"\s*(?:bằng|với)\s+(?:hình thức\s+)?", tail, re.I
        ):
            group = [found[-1]]
            for item in reversed(found[:-1]):
                if not _LIST_JOIN.match(before[item[1] : group[0][0]]):
                    break
                group.insert(0, item)
            return [(count, kind) for _, _, count, kind in group]
    count_only = _COUNT_ONLY.search(before)
    if count_only and title.default_recipient:
        return [(_count(count_only.group("n")), title.default_recipient)]  # type: ignore[list-item]
    if found:
        return []
    parts = [p.strip() for p in re.split(r"[,;:]", before)]
    subject = _NAMED_SUBJECT.match(_CONNECTIVE.sub("", _BULLET.sub("", parts[-1])))
    if not subject:
        return []
    head = subject.group("head").strip()
    if not head and len(parts) > 1:
        # "Bà Nguyễn Thị H, Chủ tịch Hội Phụ nữ xã, được ... tặng": the subject, before its
        # apposition
        head = _CONNECTIVE.sub("", parts[-3] if len(parts) > 2 else parts[-2])
    kind = recipient_kind(head) if head else None
    if kind is None:
        return []
    if fold_tones(head.lower()) in _GENERIC:
        # "đơn vị được UBND tỉnh tặng": the reporting body itself; but "Cá nhân được tặng Bằng
        # khen phải ..." is anyone, as a regulation says: a generic subject needs its authority
        by_whom = re.search(
            r"\bđược\s+(?!(?:trao |truy |phong )?(?:tặng|công nhận|khen))\S|"
            r"(?<!được )\b(?:nhận|đón nhận)\b",
            subject.group(0),
        )
        if (not by_whom and not (reported and fold_tones(head.lower()) in _SELF)) or re.search(
            r"\b(?:phải|nếu|khi|tiêu chuẩn|tiêu chí|điều kiện)\b", after, re.I
        ):
            return []
    elif not head[0].isupper():
        return []  # a named body starts with a capital: "Công ty ...", "Nhà trường", "Bà ..."
    return [(None, kind)]


_LIST_START = re.compile(
    r"\s*(?:[-+•*–]|[a-zđ]\)|\d{1,2}[.)]\s|[IVX]+[.)]|Điều\s+\d|Phần\s|Chương\s)", re.I
)


def _paragraphs(ctx: Context) -> list[tuple[int, int, int]]:
    """(first block, start, end) of each run of blocks that one paragraph wraps: a long line
    that ends with no stop and a next line that opens no list item continue each other (the
    lines of a PDF's text layer). Table rows stand apart."""
    out: list[tuple[int, int, int]] = []
    previous = ""
    for b, block in enumerate(ctx.blocks):
        if block.kind == "table_row":
            previous = ""
            continue  # counts read from statistics tables are left to extractors.facts.tables
        start = ctx.text.block_starts[b]
        end = ctx.raw.find("\n", start)
        end = len(ctx.raw) if end < 0 else end
        line = ctx.raw[start:end]
        tail = previous.rstrip()
        if (
            out
            and len(tail) >= 45
            and not tail.endswith((".", "!", "?", ";", ":"))
            and line.strip()
            and not _LIST_START.match(line)
        ):
            out[-1] = (out[-1][0], out[-1][1], end)
        else:
            out.append((b, start, end))
        previous = line
    return out


def _sentence_in(text: str, start: int, end: int, at: int, after: int) -> tuple[int, int]:
    """The sentence around [at, after) within a wrapped paragraph [start, end)."""
    stops = [m.end() for m in re.finditer(r"[.!?]\s", text[start:at])]
    stop = re.search(r"[.!?](?=\s|$)", text[after:end])
    return start + (stops[-1] if stops else 0), after + stop.end() if stop else end


def _lead_in(ctx: Context, block: int) -> str:
    """The lead-in of a list item: the nearest block above that is no list item ("Kết quả khen
    thưởng năm 2023 như sau:"), when the item's own block has no verb."""
    for b in range(block - 1, max(block - 12, -1), -1):
        if ctx.blocks[b].kind == "table_row":
            return ""
        start = ctx.text.block_starts[b]
        end = ctx.raw.find("\n", start)
        line = ctx.raw[start : end if end >= 0 else len(ctx.raw)]
        if not _BULLET.match(line):
            return line if line.rstrip().endswith(":") else ""
    return ""


_VERB_FIRST = re.compile(
    r"\s*(?:và\s+|đồng thời\s+)?(?:trao tặng|tặng thưởng|tặng|trao|công nhận|khen thưởng)\b", re.I
)


def _governing_proposal(prefix: str) -> bool:
    """A proposal earlier in the sentence whose subject a verb-first clause shares."""
    proposal = _PROPOSAL.search(prefix)
    if proposal is None:
        return False
    return not re.search(r"\bđược\b", prefix[proposal.end() :], re.I)


def _is_grant(before: str, context: str) -> bool:
    """A clause states a grant: a granting verb, no proposal that governs it ("đề nghị ... tặng",
    but "đề nghị và được ... tặng" is granted), no criteria, no negation."""
    proposal = _PROPOSAL.search(before)
    if proposal and not re.search(r"\bđược\b", before[proposal.end() :], re.I):
        return False
    if _CRITERIA.search(before) or _NEGATED.search(before):
        return False
    return bool(_GRANT.search(context))


# Kinds of document that report what was done (a web post has no kind): there, "Nhà trường đạt
# danh hiệu ..." is the reporting body's own title; in a plan or a regulation it is a target or
# a rule.
_REPORTING_KINDS = frozenset({None, "Báo cáo", "Biên bản", "Thông báo", "Văn kiện", "Tổng hợp"})
# a bullet's label that names the recipients of what follows: "- Tập thể: đạt danh hiệu ..."
_KIND_LABEL = re.compile(r"^\s*(?:[-+•*–]\s*)?(?P<kind>tập thể|cá nhân)\s*:\s*$", re.I)
# between two titles that share one subject: "Bằng khen năm 2023 và Cờ thi đua năm 2024",
# "Bằng khen của UBND tỉnh và Giấy khen của Sở ..."
_SHARED = re.compile(
    r"^(?:\s*(?:của|do)\s+[^\d,;:.()]{2,60}?)?(?:\s*(?:năm(?:\s+học)?|đợt)\s+[\d\s\-–/]+)?"
    r"\s*(?:,|\bvà\b|\bcùng\b)\s*(?:danh hiệu\s*)?[“\"]?\s*$",
    re.I,
)


# the part of a report that sets out the next period's work: "PHƯƠNG HƯỚNG, NHIỆM VỤ NĂM 2025",
# "Chỉ tiêu:", "Giải pháp", "Đề xuất, kiến nghị": "Trường đạt danh hiệu ..." there is a target
_TARGETS = re.compile(
    r"^\s*(?:[-+•*]\s*)?(?:phương hướng|nhiệm vụ|kế hoạch|mục tiêu|chỉ tiêu|giải pháp|đề xuất"
    r"|kiến nghị|dự kiến)",
    re.I,
)


def _sets_targets(ctx: Context, block: int, at: int) -> bool:
    """True inside a section, or under a lead-in line, that sets out work to come."""
    if any(s.start <= at < s.end and _TARGETS.match(s.title) for s in ctx.structure.sections):
        return True
    return bool(_TARGETS.match(_lead_in(ctx, block)))


# "tặng 06 Bằng khen", "được tặng 03 danh hiệu “...”": a count of the awards themselves, right
# before the title (not a year, an article or a document number)
_AWARDS_COUNTED = re.compile(
    r"(?<![\w/.,])(?<!năm )(?<!tháng )(?<!đợt )(?<!lần )(?<!số )(?<!ngày )(?<!điều )"
    r"(?!(?:19|20)\d\d\b)" + _COUNT + r"\s+(?:danh hiệu\s*)?[“\"]?\s*$",
    re.I,
)


def _counted_awards(
    n: int, recipients: list[tuple[int | None, RecipientKind]], settled: bool
) -> list[tuple[int | None, RecipientKind | None]]:
    """The recipients of "N <title>", where N counts the awards: N goes to recipients named with no
    count ("tặng 06 Bằng khen cho các tập thể", "Phòng Y tế được tặng 03 Bằng khen"); with no
    kind named, or two, the grant has N and no kind ("đã tặng 24 Bằng khen, 36 Giấy khen")."""
    if any(count is not None for count, _ in recipients):
        return recipients  # type: ignore[return-value]
    kinds = {kind for _, kind in recipients}
    if len(kinds) == 1:
        return [(n, recipients[0][1])]
    return [(n, None)] if settled or recipients else []


# a title followed by a bare count, as a label: "Bằng khen 02, Giấy khen 15", "Giấy khen: 15."
_BARE_COUNT = re.compile(r"^\s*[:\-–]?\s*(?!(?:19|20)\d\d\b)(?P<n>\d{1,4})\s*(?:[,;.]|\s+và\b|$)")


def find_awards(ctx: Context) -> list[AwardGrant]:
    text = ctx.raw
    out: list[AwardGrant] = []
    reported = ctx.structure.header.doc_type in _REPORTING_KINDS
    aged_badges: list[tuple[int, bool]] = []  # Huy hiệu Đảng granted: (its end, by badge age)
    # line breaks read as spaces (same length, so offsets carry over): a PDF's lines wrap a
    # sentence, and even a title ("Bằng\nkhen"), across blocks
    lowered = ctx.folded.lower().replace("\n", " ")
    text = text.replace("\n", " ")
    for b, line_start, line_end in _paragraphs(ctx):
        wrapped = ctx.raw.find("\n", line_start, line_end) >= 0
        mentions = title_mentions(lowered, text, line_start, line_end)
        granted_at: int | None = None  # where the last title granted in this block ends
        shared: list[tuple[int | None, RecipientKind]] = []  # its recipients, when uncounted
        label_kind: tuple[int, RecipientKind] | None = None  # of the last label with a bare count
        for i, m in enumerate(mentions):
            title = m.title
            aged = title.canonical == "Huy hiệu Đảng" and bool(
                re.search(r"\d+\s+năm\s+tuổi", text[m.start() : m.end() + 20])
            )
            if aged and any(
                not by_age
                and (
                    ctx.sentence_at(end) == ctx.sentence_at(m.start()) or 0 < m.start() - end < 600
                )
                for end, by_age in aged_badges
            ):
                continue  # the breakdown by badge age of a total just given
            sentence_start, sentence_end = (
                _sentence_in(text, line_start, line_end, m.start(), m.end())
                if wrapped
                else ctx.sentence_span(m.start())
            )
            clause_start = (
                max(
                    text.rfind(";", line_start, m.start()),
                    text.rfind(":", line_start, m.start()),
                    sentence_start - 1,
                    line_start - 1,
                )
                + 1
            )
            semicolon = text.find(";", m.end(), line_end)
            clause_end = min(
                [p for p in (semicolon,) if p >= 0] + [line_end, max(sentence_end, m.end())]
            )
            next_title = mentions[i + 1].start() if i + 1 < len(mentions) else clause_end
            before = text[clause_start : m.start()]
            after = text[m.end() : min(next_title, clause_end)]
            if clause_end >= line_end - 1 and _LEADS_NEXT_LINE.search(after.rstrip()):
                # "Điều 1. Tặng Bằng khen ... cho:" names its recipients on the next line
                next_end = text.find("\n", line_end + 1)
                next_end = len(text) if next_end < 0 else next_end
                while _COUNTED_ITEM.match(text, line_end + 1) and _COUNTED_ITEM.match(
                    text, next_end + 1
                ):
                    # "cho:" / "- 02 tập thể;" / "- 05 cá nhân.": the items of one list
                    following = text.find("\n", next_end + 1)
                    next_end = len(text) if following < 0 else following
                if i + 1 < len(mentions):
                    next_end = min(next_end, mentions[i + 1].start())
                after = text[m.end() : next_end]
            # a verb after the title, up to its recipients: "Bằng khen ... đã được trao cho"
            reach = re.search(r"\b(?:cho|đối với)\b|\d", after)
            context = before + after[: min(reach.end() if reach else 12, 80)]
            if not _GRANT.search(context) and re.fullmatch(
                r"\s*(?:[-+•*–]\s*)?(?:và\s+)?(?:danh hiệu\s*|hình thức\s*)?[“\"]?\s*", before, re.I
            ):
                # "...công nhận danh hiệu “A” đối với 28 đồng chí; danh hiệu “B” đối với 06 đồng
                # chí", "trong đó: Bằng khen: 05 tập thể": the verb of the lead-in carries over
                lead = text[max(sentence_start, line_start) : clause_start]
                if not _GRANT.search(lead) and _BULLET.match(text[line_start : m.start()] or "x"):
                    lead = _lead_in(ctx, b)
                # the nearest clause of the lead-in that grants is the one that governs
                granting = [c for c in re.split(r"[;:]", lead) if _GRANT.search(c)]
                if granting:
                    before, context = granting[-1] + before, granting[-1] + context
            if (
                not _GRANT.search(context)
                and granted_at is not None
                and (
                    granted_at >= sentence_start
                    and not _PROPOSAL.search(text[granted_at : m.start()])
                )
            ):
                # "danh hiệu LĐTT cho 42 đồng chí, CSTĐCS cho 07 đồng chí": the verb of the
                # title before carries over
                context = text[sentence_start:granted_at]
            if not _is_grant(before, context) or _REVOKED.search(after):
                continue
            if _VERB_FIRST.match(before) and _governing_proposal(
                text[max(sentence_start, line_start) : clause_start]
            ):
                continue  # "Đề nghị UBND tỉnh tặng ... cho 03 tập thể; tặng Giấy khen cho ..."
            # a grant said to be done ("đã", "được") or decided ("Điều 1.", "V/v")
            settled = bool(
                re.search(r"\b(?:đã|được|vừa)\b", before, re.I)
                or re.match(r"\s*(?:Điều\s+\d|V/v|Về việc)", text[line_start : m.start()])
            )
            as_reported = reported and not _sets_targets(ctx, b, m.start())
            recipients = _recipients_after(after, settled)
            bare = _BARE_COUNT.match(after)
            if bare and not recipients:
                # "..., trong đó: Bằng khen 02, Giấy khen 15": the count of a label, and the kind
                # of the recipients the lead-in counts
                kinds = {kind for _, kind in _recipients_before(before, title, after, as_reported)}
                if not kinds and label_kind and label_kind[0] >= sentence_start:
                    kinds = {label_kind[1]}  # "Bằng khen 02, Giấy khen 15": the same lead-in
                kind: RecipientKind | None = (
                    kinds.pop() if len(kinds) == 1 else title.default_recipient  # type: ignore[assignment]
                )
                recipients = [(_count(bare.group("n")), kind)]  # type: ignore[list-item]
                label_kind = (m.end(), kind) if kind else label_kind
            if not recipients:
                recipients = _recipients_before(before, title, after, as_reported)
            if not recipients and shared and granted_at is not None:
                # "được ... tặng Bằng khen năm 2023 và Cờ thi đua năm 2024": one subject
                if granted_at >= clause_start and _SHARED.match(text[granted_at : m.start()]):
                    recipients = shared
            counted = _AWARDS_COUNTED.search(before)
            if counted and not re.search(r"\bmỗi\b", before, re.I):
                # a grant may now have no kind of recipient: AwardGrant allows it
                recipients = _counted_awards(  # type: ignore[assignment]
                    _count(counted.group("n")),
                    recipients
                    or _recipients_before(before[: counted.start()], title, after, as_reported),
                    settled or as_reported,
                )
            if not recipients:
                label = _KIND_LABEL.match(text[line_start:clause_start])
                if label and _GRANT.search(context):
                    recipients = [(None, recipient_kind(label.group("kind")))]  # type: ignore[list-item]
            if not recipients:
                continue  # a title merely named, as in a regulation on criteria
            authority = _AUTHORITY.search(before.strip())
            common: dict[str, Any] = {
                "title": title.canonical,
                "category": title.category,
                "authority": authority.group("who").strip()
                if authority
                else title_authority(
                    text[m.start() : m.end()], title.canonical, text[m.end() : clause_end]
                ),
            }
            rule = "award.grant" if recipients[0][0] is not None else "award.named"
            granted_at = m.end()
            shared = recipients if all(count is None for count, _ in recipients) else []
            if title.canonical == "Huy hiệu Đảng":
                aged_badges.append((m.end(), aged))
            for count, kind in recipients:
                out.append(
                    AwardGrant(
                        recipient_kind=kind,
                        count=count,
                        **common,
                        **ctx.provenance(clause_start, clause_end, rule),
                    )
                )
    return _one_per_decision(out, ctx.raw) + table_awards(ctx, out)


def _one_per_decision(found: list[AwardGrant], text: str) -> list[AwardGrant]:
    """A decision's subject line ("V/v tặng Bằng khen cho 01 tập thể") and its Điều 1 state one
    grant: the second statement of the same title and recipient kind is dropped, keeping a count."""

    def line_of(award: AwardGrant) -> str:
        return text[text.rfind("\n", 0, award.start) + 1 : award.start + 12]

    subject = [a for a in found if re.match(r"\s*(?:V/v|Về việc)\b", line_of(a), re.I)]
    if not subject:
        return found
    out: list[AwardGrant] = []
    for a in found:
        twin = next(
            (
                s
                for s in subject
                if s is not a and s.title == a.title and s.recipient_kind == a.recipient_kind
            ),
            None,
        )
        if (
            twin is not None
            and re.match(r"\s*Điều\s+1\b", line_of(a))
            and (a.count is None or a.count == twin.count)
        ):
            continue
        out.append(a)
    return out
