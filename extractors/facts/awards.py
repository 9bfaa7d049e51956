"""Awards: grants of an emulation title (danh hiệu thi đua) or a form of commendation (hình thức
khen thưởng) that the report states as done, from the controlled vocabulary in
schemas/vocab/award_titles.tsv, with the kind and number of recipients and the awarding authority.

"tặng Bằng khen cho 05 tập thể và 09 cá nhân" is two grants; "04 tập thể đạt danh hiệu “Tập thể
lao động tiên tiến”" counts before the title; "Đảng bộ Khối được ... tặng Bằng khen" names one
body and writes no count. Proposals ("đề nghị", "đề xuất", "trình") and criteria ("được xét tặng",
"tiêu chuẩn") are not grants.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from extractors.text.normalize import fold_tones
from extractors.text.patterns import phrase_alternation
from schemas.models import AwardGrant, RecipientKind
from schemas.vocab import AwardTitle, award_titles

if TYPE_CHECKING:
    from extractors.context import Context

_COUNT = r"(?P<n>\d{1,3}(?:\.\d{3})*|\d+)"
_COLLECTIVE = (
    "tập thể",
    "tổ chức cơ sở đảng",
    "tổ chức đảng",
    "tổ chức",
    "đơn vị",
    "chi bộ",
    "đảng bộ",
    "cơ quan",
    "phòng",
    "ban",
    "khoa",
    "trường",
    "doanh nghiệp",
    "hộ gia đình",
    "cụm",
    "khối",
    "địa phương",
    "xã",
    "huyện",
    "hợp tác xã",
    "công đoàn",
    "chi đoàn",
    "đoàn thể",
    "lớp",
    "tổ",
)
_INDIVIDUAL = (
    "cá nhân",
    "đồng chí",
    "đảng viên",
    "cán bộ",
    "công chức",
    "viên chức",
    "người",
    "giáo viên",
    "giảng viên",
    "học sinh",
    "sinh viên",
    "hội viên",
    "đoàn viên",
    "chiến sĩ",
    "chiến sỹ",
    "công nhân",
    "người lao động",
    "nhân viên",
    "bà mẹ",
    "hssv",
    "cbccvc",
    "ông",
    "bà",
)
_GRANT = re.compile(
    r"\b(tặng|trao tặng|trao|công nhận|đạt danh hiệu|đạt|khen thưởng|tặng thưởng|"
    r"truy tặng|phong tặng|quyết định|được nhận|nhận)\b",
    re.I,
)
_PROPOSAL = re.compile(r"\b(đề nghị|đề xuất|trình|kiến nghị|dự kiến|phấn đấu|đăng ký)\b", re.I)
_CRITERIA = re.compile(
    r"\b(xét tặng|được xét|tiêu chuẩn|điều kiện|tối đa|không quá|tỷ lệ|"
    r"căn cứ|đủ điều kiện|quy định)\b",
    re.I,
)
_AUTHORITY = re.compile(
    r"(?:^|[,;]\s*|\b(?:được|đã)\s+)(?P<who>(?:Ban Thường vụ|Ban Chấp hành|Thủ tướng|Chủ tịch|"
    r"Bộ trưởng|Thủ trưởng|Giám đốc|Hiệu trưởng|Ủy ban|UBND|Tỉnh ủy|Đảng ủy|Hội đồng|Ban)"
    r"[^,;.]{0,60}?)\s+(?:đã\s+)?(?:quyết định\s+)?(?:tặng|trao|công nhận|khen thưởng)\b"
)


# built once per process: the title vocabulary does not change while it runs
@lru_cache(maxsize=1)
def _title_pattern() -> tuple[re.Pattern[str], dict[str, AwardTitle]]:
    by_variant: dict[str, AwardTitle] = {}
    for title in award_titles():
        for variant in title.variants:
            by_variant[fold_tones(variant).lower()] = title
    pattern = re.compile(
        r"(?<![\wÀ-ỹ])("
        + phrase_alternation(by_variant)
        + r")(?![\wÀ-ỹ])(?:\s+(?:hạng\s+(?:nhất|nhì|ba)))?"
    )  # matched against lower-cased text: no re.I, which made it three times slower
    return pattern, by_variant


def recipient_kind(noun: str) -> RecipientKind | None:
    low = fold_tones(noun.lower()).strip()
    individual, collective = _folded_recipient_words()
    if low.startswith(individual):
        return "cá nhân"
    if low.startswith(collective):
        return "tập thể"
    return None


# folded once per process: fixed word lists
@lru_cache(maxsize=1)
def _folded_recipient_words() -> tuple[tuple[str, ...], tuple[str, ...]]:
    return tuple(map(fold_tones, _INDIVIDUAL)), tuple(map(fold_tones, _COLLECTIVE))


_NOT_NOUN = r"(?!(?:và|cho|của|thuộc|đạt|được|có|đã|với|trong|tại|là)\b)"
_RECIPIENT = re.compile(
    _COUNT
    + r"\s+(?P<noun>"
    + _NOT_NOUN
    + r"[^\W\d_][^\s,;.()]*(?:\s+"
    + _NOT_NOUN
    + r"[^\W\d_][^\s,;.()]*){0,3})"
)


def _recipients(segment: str) -> list[tuple[int, int, int, RecipientKind]]:
    """(start, end, count, kind) for each "NN noun" in ``segment`` whose noun names recipients."""
    out: list[tuple[int, int, int, RecipientKind]] = []
    for m in _RECIPIENT.finditer(segment):
        kind = recipient_kind(m.group("noun"))
        if kind:
            out.append((m.start(), m.end(), int(m.group("n").replace(".", "")), kind))
    return out


def find_awards(ctx: Context) -> list[AwardGrant]:
    pattern, by_variant = _title_pattern()
    text, folded = ctx.raw, ctx.folded
    out: list[AwardGrant] = []
    lowered = folded.lower()
    for b, block in enumerate(ctx.blocks):
        if block.kind == "table_row":
            continue  # counts read from statistics tables are left to extractors.facts.tables
        line_start = ctx.text.block_starts[b]
        line_end = text.find("\n", line_start)
        mentions = list(pattern.finditer(lowered, line_start, line_end))
        for i, m in enumerate(mentions):
            title = by_variant[m.group(1).lower()]
            if (
                title.canonical == "Huy hiệu Đảng"
                and re.search(r"\d+\s+năm\s+tuổi", text[m.start() : m.end() + 20])
                and any(
                    a.title == "Huy hiệu Đảng" and a.sentence == ctx.sentence_at(m.start())
                    for a in out
                )
            ):
                continue  # the breakdown by badge age of a total just given
            clause_start = (
                max(
                    text.rfind(";", line_start, m.start()),
                    text.rfind(":", line_start, m.start()),
                    _sentence_start(ctx, m.start()) - 1,
                )
                + 1
            )
            clause_end_candidates = [p for p in (text.find(";", m.end(), line_end),) if p >= 0]
            clause_end = min(clause_end_candidates + [line_end, _sentence_end(ctx, m.start())])
            next_title = mentions[i + 1].start() if i + 1 < len(mentions) else clause_end
            before = text[clause_start : m.start()]
            if _PROPOSAL.search(before) and not re.search(
                r"\b(đề nghị|đề xuất|trình)\b[^;]*?\bđược\b", before, re.I
            ):
                continue
            granted = _GRANT.search(before + text[m.end() : m.end() + 12])
            if not granted and re.fullmatch(
                r"\s*(?:và\s+)?(?:danh hiệu\s*)?[“\"]?\s*", before, re.I
            ):
                # "...công nhận danh hiệu “A” đối với 28 đồng chí; danh hiệu “B” đối với 06 đồng
                # chí": the verb of the previous clause carries over
                granted = _GRANT.search(text[_sentence_start(ctx, m.start()) : clause_start])
            if _CRITERIA.search(before) or not granted:
                continue
            after = text[m.end() : min(next_title, clause_end)]
            recipients = _recipients_after(after)
            if not recipients:
                # "04 tập thể đạt danh hiệu ...": the count stands before the title
                pre = _recipients(before)
                if pre and re.search(r"\bđạt\b", before[pre[-1][1] :]):
                    recipients = [pre[-1][2:]]
            authority = _AUTHORITY.search(before.strip())
            common: dict[str, Any] = {
                "title": title.canonical,
                "category": title.category,
                "authority": authority.group("who").strip() if authority else None,
            }
            end = m.end()
            if recipients:
                for count, kind in recipients:
                    out.append(
                        AwardGrant(
                            recipient_kind=kind,
                            count=count,
                            **common,
                            **ctx.provenance(clause_start, clause_end, "award.grant"),
                        )
                    )
                continue
            # "Đảng bộ Khối vinh dự được Ban Thường vụ Tỉnh ủy tặng Bằng khen": one named body
            subject = re.split(r"[,;:]", before)[-1].strip()
            named = recipient_kind(subject) if re.search(r"\bđược\b", subject) else None
            if named is None:
                continue  # a title merely named, as in a regulation on criteria
            out.append(
                AwardGrant(
                    recipient_kind=named,
                    count=None,
                    **common,  # type: ignore[arg-type]
                    **ctx.provenance(m.start(), end, "award.named"),
                )
            )
    return out


def _recipients_after(after: str) -> list[tuple[int, RecipientKind]]:
    """Recipients after a title: the first led by "cho"/"đối với", the next joined by "và"/","."""
    first = re.search(r"\b(?:cho|đối với|tặng|với)\s+(?:các\s+)?" + _COUNT, after, re.I)
    if not first:
        return []
    found = _recipients(after[first.start("n") :])
    out: list[tuple[int, RecipientKind]] = []
    last_end = 0
    for start, end, count, kind in found:
        gap = after[first.start("n") :][last_end:start]
        if out and not re.search(r"(\bvà\b|,|\bcùng\b)", gap):
            break
        if out and len(gap) > 120:
            break
        out.append((count, kind))
        last_end = end
    return out


def _sentence_start(ctx: Context, offset: int) -> int:
    return ctx.sentence_span(offset)[0]


def _sentence_end(ctx: Context, offset: int) -> int:
    return ctx.sentence_span(offset)[1]
