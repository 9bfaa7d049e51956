"""Applying the taxonomy's rules to one stored document: every quantity, award and award-table cell
that a metric rule recognises becomes a Candidate with its period, value and provenance. Table
cells first get a column role (achieved, previous, plan, ratio, ambiguous) from their column head;
award statements and award-table rows are matched by title, recipient kind and granting body, and
those no listed metric takes become generic `awards.<slug>.<kind>` metrics. The choice between
several candidates (precedence) is `flows.analysis.metrics`' business.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

import pandas as pd

from extractors.metrics import context as mc
from extractors.metrics import open as om
from extractors.metrics.taxonomy import Rule, Taxonomy
from extractors.text.keys import match_key


def period_of(doc: Mapping[str, Any]) -> mc.Period | None:
    """The reporting period of a `documents` row, if the store knows it."""
    if pd.isna(doc["period_key"]) or pd.isna(doc["period_start"]) or pd.isna(doc["period_end"]):
        return None
    return mc.Period(str(doc["period_key"]), _day(doc["period_start"]), _day(doc["period_end"]))


def _day(value: Any) -> date:
    """A date from what the driver returns (SQLite gives ISO text, PostgreSQL dates)."""
    return value if isinstance(value, date) else date.fromisoformat(str(value)[:10])


@dataclass(frozen=True)
class Candidate:
    """One fact that one rule of one metric recognised."""

    metric: str
    period: mc.Period
    value: float
    unit: str
    # (statement 0, table 1, open 2, each + OTHER_PERIOD_RANK for another period's figure;
    # rule index; start offset)
    rank: tuple[int, int, int]
    provenance: dict[str, Any]

    @property
    def named(self) -> bool:
        """Whether the taxonomy names the metric (not an open metric of the figure's own label)."""
        return not self.metric.startswith(OPEN_PREFIX)


OPEN_PREFIX = "open."
OTHER_PERIOD_RANK = 10  # added to the rank of a figure the text gives for another period
OPEN_ROLES = frozenset({"achieved", "previous"})


def _open_candidate(
    metric: om.OpenMetric | None,
    period: mc.Period,
    value: float,
    start: int,
    provenance: dict[str, Any],
    later: int = 0,
) -> Iterator[Candidate]:
    if metric is None:
        return
    yield Candidate(
        metric.key, period, value, metric.unit, (2 + later, 0, start),
        {
            **provenance, "rule": "open", "label": metric.label, "folded_label": metric.folded,
            "labelled": metric.labelled,
        },
    )  # fmt: skip


def _matches(rule: Rule, fields: Mapping[str, str], taxonomy: Taxonomy) -> bool:
    for name, pattern in rule.match.items():
        if not pattern.search(fields.get(name, "")):
            return False
    exclusions = list(rule.exclude.items())
    if rule.use_defaults and rule.source == "prose":
        exclusions += list(taxonomy.default_exclude.items())
    return not any(p.search(fields.get(name, "")) for name, p in exclusions)


def _excluded(taxonomy: Taxonomy, fields: Mapping[str, str]) -> bool:
    """A number the taxonomy's default exclusions set aside (targets, proposals, asides)."""
    return any(p.search(fields.get(name, "")) for name, p in taxonomy.default_exclude.items())


def _in_plan_section(taxonomy: Taxonomy, sections: str) -> bool:
    return bool(taxonomy.plan_sections and sections and taxonomy.plan_sections.search(sections))


# heads of columns that hold figures, not ratios, even under a comparison's head
_COUNT_HEAD = re.compile(r"thực hiện|số lượng|giá trị|số tiền|\bth\b")


def _column_role(
    taxonomy: Taxonomy, cell: mc.TableCell, period: mc.Period
) -> tuple[str, mc.Period | None]:
    """achieved, previous (with the earlier period it reports), plan, ratio or ambiguous."""
    heading = cell.heading
    head = match_key(heading)
    group = match_key(cell.group)
    same = [
        j
        for j, h in enumerate(cell.headings)
        if match_key(h) == head and (match_key(cell.groups[j]) if cell.groups else "") == group
    ]
    if len(same) > 1:
        return "ambiguous", None
    cols = taxonomy.columns
    own_period = mc.period_in(heading, period.start.year)
    if "ratio" in cols and (
        cols["ratio"].search(head)
        # under `So sánh (%)`, `KH` and `CK` are ratios, not a plan or last year's figure
        or (cols["ratio"].search(group) and not own_period and not _COUNT_HEAD.search(head))
    ):
        return "ratio", None
    if "plan" in cols and (cols["plan"].search(head) or cols["plan"].search(group)):
        return "plan", None
    # the column's own head names the period; else the head over it (`Năm 2023` / `Thực hiện`)
    named = own_period or mc.period_in(cell.group, period.start.year)
    if "previous" in cols and cols["previous"].search(head):
        year = (
            int(m.group(0)) if (m := re.search(r"(?:19|20)\d\d", head)) else period.start.year - 1
        )
        base = _compared_period(taxonomy, cell, period)
        return "previous", mc.shift_years(base, year - base.start.year)
    if named and named.key != period.key:
        if named.end < period.end:
            return "previous", named
        if named.end == period.end:
            # the same end, another span: a quarter in a half-year report, the year-to-date
            # total ("Lũy kế 9 tháng") in a third-quarter report; each files under its own
            return "achieved", named
        return "plan", None  # a later period in a results table is a target
    return "achieved", period


def _compared_period(taxonomy: Taxonomy, cell: mc.TableCell, period: mc.Period) -> mc.Period:
    """The period a `Cùng kỳ` column repeats for last year: the one period the table's result
    columns name when they all name the same (`Thực hiện 9 tháng 2024` beside it in a
    third-quarter report), else the report's own."""
    cols = taxonomy.columns
    named = set()
    for j, heading in enumerate(cell.headings):
        head = match_key(heading)
        if j == cell.column_index or not head:
            continue
        if any(k in cols and cols[k].search(head) for k in ("ratio", "plan", "previous")):
            continue
        found = mc.period_in(heading, period.start.year)
        if found and found.end <= period.end and found.end.year == period.end.year:
            named.add(found)
    return next(iter(named)) if len(named) == 1 else period


def _skipped(taxonomy: Taxonomy, doc: Mapping[str, Any]) -> bool:
    """Plans, guidance, regulations and drafts: their figures are targets, not results."""
    if taxonomy.skip_documents is None:
        return False
    kind = match_key(None if pd.isna(doc["doc_type"]) else doc["doc_type"])
    title = match_key(None if pd.isna(doc["title"]) else doc["title"])
    return bool(taxonomy.skip_documents.search(f"{kind}: {title}"))


def _award_kind(taxonomy: Taxonomy, heading: str) -> str | None:
    head = match_key(heading)
    return next((k for k, p in taxonomy.award_columns.items() if p.search(head)), None)


@dataclass(frozen=True)
class _Award:
    title: str
    kind: str | None
    authority: str | None
    count: float
    text: str
    rank: int  # 0 for a statement in the text, 1 for a table cell
    start: int
    provenance: dict[str, Any]


def _award_candidates(
    taxonomy: Taxonomy, award: _Award, period: mc.Period, sections: str
) -> Iterator[Candidate]:
    fields = {
        "title": match_key(award.title),
        "recipient_kind": award.kind or "",
        "authority": match_key(award.authority),
        "text": match_key(award.text),
        "section": sections,
    }
    explicit = False
    for metric in taxonomy.metrics:
        for i, rule in enumerate(metric.rules):
            if rule.source == "award" and _matches(rule, fields, taxonomy):
                explicit = True
                yield Candidate(
                    metric.key, period, award.count * rule.scale, metric.unit,
                    (award.rank, i, award.start), {**award.provenance, "rule": rule.name},
                )  # fmt: skip
                break
    if explicit or award.kind is None:
        return
    # a generic metric: awards.<title>[_<authority>].<collective|individual>
    part = mc.slug(award.title)
    if fields["title"] in taxonomy.slug_with_authority and award.authority:
        part += "_" + mc.slug(award.authority, taxonomy.abbreviations)
    kind = "collective" if award.kind == "tập thể" else "individual"
    yield Candidate(
        f"awards.{part}.{kind}", period, award.count, award.kind, (award.rank, 99, award.start),
        {**award.provenance, "rule": "award.generic", "label": _generic_label(award)},
    )  # fmt: skip


def _generic_label(award: _Award) -> str:
    label = award.title
    if award.authority:
        label += f" của {award.authority[0].upper()}{award.authority[1:]}"
    return f"{label} - {award.kind}"


def _provenance(doc: Mapping[str, Any], fact: Any, role: str, fact_rule: str) -> dict[str, Any]:
    def plain(value: Any) -> Any:
        return None if value is None or (not isinstance(value, str) and pd.isna(value)) else value

    return {
        "document": doc["file_name"],
        "source": doc["source"],
        "section": plain(fact.section),
        "sentence": plain(fact.sentence),
        "text": plain(fact.text),
        "start": int(fact.start),
        "end": int(fact.end),
        "fact_rule": fact_rule,
        "role": role,
        "document_period": plain(doc["period_key"]),
        "document_date": None if plain(doc["date"]) is None else str(doc["date"])[:10],
        "table": None if pd.isna(fact.table_index) else int(fact.table_index),
    }


def _refers_to(fact: Any) -> dict[str, str] | None:
    """The period a figure of running text refers to, when the text names one other than the
    document's own (extractors.facts.figure_periods): its key and the words that name it."""
    key = getattr(fact, "refers_to_key", None)
    if key is None or pd.isna(key):
        return None
    words = getattr(fact, "refers_to_text", None)
    return {"key": str(key), "text": "" if words is None or pd.isna(words) else str(words)}


def document_candidates(
    taxonomy: Taxonomy,
    doc: Mapping[str, Any],
    text: mc.DocumentText,
    quantities: pd.DataFrame,
    awards: pd.DataFrame,
) -> Iterator[Candidate]:
    """The candidates of one document: `doc` is its `documents` row, `text` its text and
    sections, `quantities` and `awards` its stored facts."""
    period = period_of(doc)
    if period is None or _skipped(taxonomy, doc):
        return
    for q in quantities.itertuples(index=False):
        sections = text.sections(None if pd.isna(q.section) else q.section)
        if pd.isna(q.table_index):
            if _in_plan_section(taxonomy, sections):
                continue
            fields = {
                "unit": match_key(q.unit),
                "verb": match_key(None if pd.isna(q.verb) else q.verb),
                "qualifier": match_key(None if pd.isna(q.qualifier) else q.qualifier),
                "section": sections,
                **text.prose_fields(int(q.start), int(q.end), q.sentence),
            }
            prov = _provenance(doc, q, "achieved", q.rule)
            # a figure the text gives for another period ("cùng kỳ năm trước kết nạp 58") stays
            # in the report's cell, shown with its words, behind a figure of the period itself
            later = 0
            if (refers_to := _refers_to(q)) is not None:
                prov["refers_to"] = refers_to
                later = OTHER_PERIOD_RANK
            named = False
            for metric in taxonomy.metrics:
                for i, rule in enumerate(metric.rules):
                    if rule.source == "prose" and _matches(rule, fields, taxonomy):
                        named = True
                        yield Candidate(
                            metric.key, period, float(q.value) * rule.scale, metric.unit,
                            (later, i, int(q.start)), {**prov, "rule": rule.name},
                        )  # fmt: skip
                        break
            if not named and not _excluded(taxonomy, fields):
                verb = None if pd.isna(q.verb) else str(q.verb)
                found = om.prose_metric(q.unit, verb, fields["before_text"])
                yield from _open_candidate(found, period, float(q.value), int(q.start), prov, later)
            continue
        cell = text.table_cell(int(q.start), int(q.row_index), int(q.column_index))
        if cell is None:
            continue
        role, cell_period = _column_role(taxonomy, cell, period)
        if cell_period is None:
            continue
        prov = _provenance(doc, q, role, q.rule)
        prov["sentence"] = cell.row
        prov["column"] = cell.heading
        kind = _award_kind(taxonomy, cell.heading)
        title = mc.award_title_in(cell.label) if kind else None
        if kind and title:
            authority = mc.authority_in_label(cell.label, title)
            if authority is None and "authority" in taxonomy.columns:
                authority = cell.cell_under(taxonomy.columns["authority"])
            award = _Award(title, kind, authority, float(q.value), cell.row, 1, int(q.start), prov)
            yield from _award_candidates(taxonomy, award, cell_period, sections)
            continue
        fields = {
            "unit": match_key(q.unit),
            "label": match_key(cell.label),
            "row": mc.fold_row(cell.row),
            "column": match_key(cell.heading),
            "section": sections,
        }
        named = False
        for metric in taxonomy.metrics:
            for i, rule in enumerate(metric.rules):
                if (
                    rule.source == "table"
                    and role in rule.roles
                    and _matches(rule, fields, taxonomy)
                ):
                    named = True
                    yield Candidate(
                        metric.key, cell_period, float(q.value) * rule.scale, metric.unit,
                        (1, i, int(q.start)), {**prov, "rule": rule.name},
                    )  # fmt: skip
                    break
        if not named and role in OPEN_ROLES and mc.is_number_cell(cell):
            unit = None if pd.isna(q.unit) else str(q.unit)
            found = om.table_metric(cell.label, unit, cell.heading, cell.caption_unit, cell.parent)
            yield from _open_candidate(found, cell_period, float(q.value), int(q.start), prov)
    for a in awards.itertuples(index=False):
        if pd.isna(a.count):
            continue
        sections = text.sections(None if pd.isna(a.section) else a.section)
        if _in_plan_section(taxonomy, sections):
            continue
        authority = None if pd.isna(a.authority) else str(a.authority)
        if authority is None:
            before = text.text_before(int(a.start), int(a.end), match_key(a.title))
            authority = mc.granting_body(before)
        kind = None if pd.isna(a.recipient_kind) else str(a.recipient_kind)
        prov = _provenance(doc, a, "achieved", a.rule)
        award = _Award(str(a.title), kind, authority, float(a.count), str(a.text), 0,
                       int(a.start), prov)  # fmt: skip
        yield from _award_candidates(taxonomy, award, period, sections)
