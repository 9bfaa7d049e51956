"""Award tables of results ("Hình thức khen thưởng | Tập thể | Cá nhân"): one grant per count cell
of a row that names a title, unless the text states the same grant."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from extractors.facts.award_titles import title_authority, title_pattern
from extractors.text.keys import cell_number, match_key
from extractors.text.normalize import fold_tones
from schemas.models import AwardGrant, RecipientKind

if TYPE_CHECKING:
    from extractors.context import Context

_AUTHORITY_HEAD = re.compile(
    r"^(?:cấp quyết định|cơ quan quyết định|cấp khen|thẩm quyền|cơ quan khen)"
)
_TABLE_PROPOSAL = re.compile(r"\b(?:đề nghị|đề xuất|dự kiến|chỉ tiêu|đăng ký|kế hoạch|trình)\b")


def table_awards(ctx: Context, stated: list[AwardGrant]) -> list[AwardGrant]:
    """Award tables of results ("Hình thức khen thưởng | Tập thể | Cá nhân"): one grant per count
    cell of a row that names a title, unless the text states the same grant. Tables of proposals
    or quotas (a heading or lead-in with "đề nghị", "chỉ tiêu", ...) are skipped, and so are
    statistics tables whose columns are not plainly "Tập thể" and "Cá nhân"."""
    pattern, by_variant = title_pattern()
    said = {(a.title, a.recipient_kind, a.count) for a in stated}
    tables: dict[int, list[int]] = {}
    for b, block in enumerate(ctx.blocks):
        if block.kind == "table_row" and block.table is not None:
            tables.setdefault(block.table, []).append(b)
    out: list[AwardGrant] = []
    for members in tables.values():
        kinds: dict[int, RecipientKind] = {}
        authority_col: int | None = None
        heading_text = ""
        for b in members:
            start = ctx.text.block_starts[b]
            cells = ctx.raw[start : ctx.raw.find("\n", start)].split("\t")
            if not kinds:
                keys = [match_key(c) for c in cells]
                heading_text += " " + " ".join(keys)
                found = {j: k for j, k in enumerate(keys) if k in ("tập thể", "cá nhân")}
                if found:
                    kinds = found  # type: ignore[assignment]
                    authority_col = next(
                        (j for j, k in enumerate(keys) if _AUTHORITY_HEAD.match(k)), None
                    )
                    first = ctx.text.block_starts[members[0]]
                    lead_in = match_key(ctx.raw[max(0, first - 300) : first])
                    if _TABLE_PROPOSAL.search(heading_text + " " + lead_in.split("\n")[-1]):
                        break
                continue
            # the cells of a row keep their lengths when folded and lowered: offsets carry over
            keys = [fold_tones(c).lower() for c in cells]
            label = next(
                (j for j, c in enumerate(keys) if j not in kinds and pattern.search(c)), None
            )
            if label is None:
                continue
            m = pattern.search(keys[label])
            assert m is not None
            title = by_variant[m.group(1)]
            for j, kind in kinds.items():
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
                    cells[label][m.start(1) : m.end()], title.canonical, cells[label][m.end() :]
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
