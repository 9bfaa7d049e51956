"""Award tables of results ("Hình thức khen thưởng | Tập thể | Cá nhân"): one grant per count cell
of a row that names a title, unless the text states the same grant; a table with one count
column ("Danh hiệu thi đua | Số lượng") takes the kind of recipients from a "Đối tượng" column or
from the title itself."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from extractors.facts.award_titles import (
    recipient_kind,
    title_authority,
    title_pattern,
    titles_by_head,
)
from extractors.text.keys import cell_number, match_key
from extractors.text.normalize import fold_tones
from schemas.models import AwardGrant, RecipientKind
from schemas.vocab import AwardTitle

if TYPE_CHECKING:
    from extractors.context import Context

_AUTHORITY_HEAD = re.compile(
    r"^(?:cấp quyết định|cơ quan quyết định|cấp khen|thẩm quyền|cơ quan khen)"
)
# a count column of an award table ("Số lượng", "Tổng số", "Kết quả"), whose heading or lead-in
# names awards
_COUNT_HEAD = re.compile(r"^(?:số lượng|tổng số|số|kết quả)(?: khen thưởng| được khen thưởng)?$")
_AWARDED = re.compile(r"\b(?:khen thưởng|danh hiệu|thi đua)\b")
_TABLE_PROPOSAL = re.compile(r"\b(?:đề nghị|đề xuất|dự kiến|chỉ tiêu|đăng ký|kế hoạch|trình)\b")


# the head of a count column that names its recipients: "Tập thể", "Số cá nhân", "Tập thể (đơn vị)"
_KIND_HEAD = re.compile(r"^(?:số(?: lượng)?\s+)?(tập thể|cá nhân)(?:\s*\([^()]*\))?$")


def _title_in(folded: str, cell: str) -> tuple[AwardTitle, tuple[int, int]] | None:
    """The title a row's label cell names, from the vocabulary or by its head ("Huy hiệu Tuổi trẻ
    sáng tạo"), with its span in the cell."""
    pattern, by_variant = title_pattern()
    m = pattern.search(folded)
    if m:
        return by_variant[m.group(1)], (m.start(1), m.end())
    headed = titles_by_head(folded, cell, 0, len(folded))
    return (headed[0][2], headed[0][:2]) if headed else None


def table_awards(ctx: Context, stated: list[AwardGrant]) -> list[AwardGrant]:
    """Award tables of results ("Hình thức khen thưởng | Tập thể | Cá nhân"): one grant per count
    cell of a row that names a title, unless the text states the same grant. Tables of proposals
    or quotas (a heading or lead-in with "đề nghị", "chỉ tiêu", ...) are skipped, and so are
    statistics tables whose columns are not plainly "Tập thể" and "Cá nhân"."""
    pattern, _ = title_pattern()
    said = {(a.title, a.recipient_kind, a.count) for a in stated}
    tables: dict[int, list[int]] = {}
    for b, block in enumerate(ctx.blocks):
        if block.kind == "table_row" and block.table is not None:
            tables.setdefault(block.table, []).append(b)
    out: list[AwardGrant] = []
    for members in tables.values():
        # each count column with the kind of its recipients; None: the kind of each row, from
        # its "Đối tượng" cell or the title's own recipients ("Tập thể lao động xuất sắc")
        kinds: dict[int, RecipientKind | None] = {}
        authority_col: int | None = None
        subject_col: int | None = None
        heading_text = ""
        first = ctx.text.block_starts[members[0]]
        lead_in = match_key(ctx.raw[max(0, first - 300) : first]).split("\n")[-1]
        count_col: int | None = None  # a "Số lượng" head, used when no row below splits it
        for b in members:
            start = ctx.text.block_starts[b]
            cells = ctx.raw[start : ctx.raw.find("\n", start)].split("\t")
            # the cells of a row keep their lengths when folded and lowered: offsets carry over
            folded = [fold_tones(c).lower() for c in cells]
            if not kinds:
                keys = [match_key(c) for c in cells]
                titled = any(map(pattern.search, folded))  # a row of data, not of heads
                found: dict[int, RecipientKind | None] = {
                    j: head.group(1)  # type: ignore[misc]
                    for j, head in enumerate(map(_KIND_HEAD.match, keys))
                    if head and not titled
                }
                if not found and count_col is not None and titled:
                    found = {count_col: None}  # "Danh hiệu thi đua | Số lượng": one count column
                if not found:
                    heading_text += " " + " ".join(keys)
                    if _AWARDED.search(heading_text + " " + lead_in):
                        heads = [j for j, k in enumerate(keys) if _COUNT_HEAD.match(k)]
                        count_col = heads[0] if heads else count_col
                        subject = [j for j, k in enumerate(keys) if k.startswith("đối tượng")]
                        subject_col = subject[0] if subject else subject_col
                    continue
                kinds = found
                authority_col = next(
                    (j for j, k in enumerate(keys) if _AUTHORITY_HEAD.match(k)), None
                )
                if _TABLE_PROPOSAL.search(heading_text + " " + " ".join(keys) + " " + lead_in):
                    break
                if count_col is None or count_col not in kinds:
                    continue  # the row of "Tập thể | Cá nhân" heads
            keys = folded
            label = next(
                (j for j, c in enumerate(keys) if j not in kinds and _title_in(c, cells[j])), None
            )
            if label is None:
                continue
            title, m = _title_in(keys[label], cells[label])  # type: ignore[misc]
            for j, column_kind in kinds.items():
                kind: RecipientKind | None = column_kind or (
                    recipient_kind(cells[subject_col])
                    if subject_col is not None and subject_col < len(cells)
                    else title.default_recipient  # type: ignore[assignment]
                )
                if kind is None:
                    continue  # "Bằng khen | 15": to whom the table does not say
                if title.default_recipient not in (None, kind):
                    continue  # "Cờ thi đua" goes to collectives only: a count beside it is no grant
                number = cell_number(cells[j]) if j < len(cells) else None
                if not number or number[2] or number[0] <= 0 or number[0] != int(number[0]):
                    continue
                count = int(number[0])
                if (title.canonical, kind, count) in said:
                    continue
                offset = start + sum(len(c) + 1 for c in cells[:j])
                authority = (
                    cells[authority_col].strip()
                    if authority_col is not None and authority_col < len(cells)
                    else None
                ) or title_authority(
                    cells[label][m[0] : m[1]], title.canonical, cells[label][m[1] :]
                )
                out.append(
                    AwardGrant(
                        title=title.canonical,
                        category=title.category,  # type: ignore[arg-type]
                        recipient_kind=kind,
                        count=count,
                        authority=authority,
                        **ctx.provenance(offset, offset + len(cells[j]), "award.table"),
                    )
                )
    return out
