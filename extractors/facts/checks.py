"""Consistency findings: what a careful reader of a report would circle in red.

- C001 a "trong đó" breakdown whose parts do not sum to the total before it;
- C002 a percentage that does not match its own numerator and denominator
  ("4.300 ... trên tổng số 4.675 ..., đạt tỷ lệ trên 92%": 91.98%, not above 92%);
- C003 one identifier cited for two different subjects;
- C004 a cited document dated after the report's own date.
Findings are facts with provenance; the figures stay as written.
"""

from __future__ import annotations

import re
from collections import defaultdict

from extractors.text.keys import identifier_key, match_key
from schemas.models import Finding, Quantity, Report

_PERSONS = {
    "đồng chí",
    "đảng viên",
    "người",
    "cá nhân",
    "trường hợp",
    "quần chúng",
    "hội viên",
    "đoàn viên",
    "cán bộ",
    "học viên",
    "lượt người",
}


_DURATIONS = {"năm", "tháng", "ngày", "tuần", "giờ", "phút", "tuổi", "lần"}


# What each finding says, in Vietnamese (the messages people read) and in English.
MESSAGES: dict[str, tuple[str, str]] = {
    "C001": (
        "các phần sau “{after}” cộng lại được {parts} {unit}, tổng số ghi {total}",
        "the parts after “{after}” sum to {parts} {unit}, the total says {total}",
    ),
    "C002": (
        "{ratio} là {actual}%, văn bản ghi {claim}%",
        "{ratio} is {actual}%, the text says {claim}%",
    ),
    "C003": (
        "{identifier} được trích dẫn với hai trích yếu khác nhau: “{first}” và “{second}”",
        "{identifier} is cited for two different subjects: “{first}” and “{second}”",
    ),
    "C004": (
        "{identifier} ghi ngày {date}, sau ngày của chính báo cáo ({own})",
        "{identifier} is dated {date}, after the report's own date {own}",
    ),
}


def finding_message(code: str, lang: str = "vi", **values: object) -> str:
    """The message of a finding `code` in `lang` (vi or en), with its values put in."""
    vi, en = MESSAGES[code]
    return (en if lang == "en" else vi).format(**values)


def _unit_class(unit: str) -> str:
    """Units that count the same things: persons in any of their names, else the unit itself."""
    key = match_key(unit).split(",")[0].strip()
    for person in _PERSONS:
        if key.startswith(person):
            return "persons"
    if key.split(" ")[0] in _DURATIONS:
        return ""
    return key


def _by_sentence(report: Report) -> dict[int, list[Quantity]]:
    groups: dict[int, list[Quantity]] = defaultdict(list)
    for q in report.quantities:
        if q.sentence is not None and q.rule != "table.cell":
            groups[q.sentence].append(q)
    return groups


def _fact(report: Report, code: str, message: str, start: int, end: int, q: Quantity | None):
    return Finding(
        code=code,
        message=message,
        text=report.text[start:end],
        start=start,
        end=end,
        rule=f"check.{code}",
        section=q.section if q else None,
        sentence=q.sentence if q else None,
        block=q.block if q else None,
    )


def breakdown_findings(report: Report, lang: str = "vi") -> list[Finding]:
    out = []
    for index, quantities in _by_sentence(report).items():
        sentence = report.sentences[index]
        text = report.text[sentence.start : sentence.end]
        m = re.search(r"\btrong đó\b|\bgồm\s*:", text, re.I)
        if not m:
            continue
        cut = sentence.start + m.start()
        totals = [q for q in quantities if q.end <= cut and q.unit != "%"]
        exhaustive = m.group(0).lower().startswith("gồm")
        parts = [q for q in quantities if q.start >= cut and q.unit != "%"]
        by_class: dict[str, list[Quantity]] = defaultdict(list)
        total_classes = [c for c in dict.fromkeys(_unit_class(t.unit) for t in totals) if c]
        for q in parts:
            cls = _unit_class(q.unit)
            # a part may name its kind after the total's unit: "40 cuộc kiểm tra thường xuyên"
            # is one of "125 cuộc kiểm tra"
            cls = next((k for k in total_classes if cls == k or cls.startswith(k + " ")), cls)
            by_class[cls].append(q)
        for cls, found in by_class.items():
            matching = [t for t in totals if _unit_class(t.unit) == cls]
            if not cls or len(found) < 2 or not matching:
                continue
            total = matching[-1]
            # the breakdown ends where a clause with another verb begins ("...; giám sát 47 cuộc")
            items: list[Quantity] = []
            previous_end = cut
            for q in found:
                gap = report.text[previous_end : q.start]
                clause = gap.rsplit(";", 1)[-1].strip().lower()
                # (a one-syllable "verb" opening a clause is usually a noun the tagger misread)
                if (
                    items
                    and ";" in gap
                    and q.verb
                    and " " in q.verb
                    and q.verb != total.verb
                    and clause.startswith(q.verb)
                ):
                    break
                items.append(q)
                previous_end = q.end
            parts_sum = sum(q.value for q in items)
            # "trong đó" may name only some of the parts; more than the whole is always wrong
            if len(items) >= 2 and (
                parts_sum > total.value + 1e-6 or (exhaustive and parts_sum < total.value - 1e-6)
            ):
                out.append(
                    _fact(
                        report,
                        "C001",
                        finding_message(
                            "C001",
                            lang,
                            after=m.group(0),
                            parts=f"{parts_sum:g}",
                            unit=total.unit,
                            total=f"{total.value:g}",
                        ),
                        total.start,
                        items[-1].end,
                        total,
                    )
                )
    return out


def percentage_findings(report: Report, lang: str = "vi") -> list[Finding]:
    out = []
    for quantities in _by_sentence(report).values():
        percents = [q for q in quantities if q.unit == "%"]
        counts = [q for q in quantities if q.unit != "%"]
        for p in percents:
            before = [q for q in counts if q.end <= p.start]
            if len(before) < 2:
                continue
            num, den = before[-2], before[-1]
            between = report.text[num.end : den.start]
            if not re.search(r"tổng số|trên tổng|trong tổng|/", between, re.I):
                continue
            if not den.value or num.value > den.value:
                continue
            actual = 100.0 * num.value / den.value
            claim = p.value
            qualifier = p.qualifier or ""
            if qualifier in ("trên", "hơn"):
                wrong = actual <= claim
            elif qualifier in ("dưới",):
                wrong = actual >= claim
            elif qualifier in ("gần", "khoảng", "xấp xỉ"):
                wrong = abs(actual - claim) > 2
            else:
                wrong = abs(actual - claim) > 0.5 + (0.05 if claim != int(claim) else 0)
            if wrong:
                out.append(
                    _fact(
                        report,
                        "C002",
                        finding_message(
                            "C002",
                            lang,
                            ratio=f"{num.value:g}/{den.value:g}",
                            actual=f"{actual:.2f}",
                            claim=f"{(qualifier + ' ') if qualifier else ''}{claim:g}",
                        ),
                        num.start,
                        p.end,
                        p,
                    )
                )
    return out


def _overlap(a: str, b: str) -> float:
    """Share of words two subjects have in common: paraphrases of one subject share most."""
    wa, wb = set(match_key(a).split()[:8]), set(match_key(b).split()[:8])
    return len(wa & wb) / max(1, min(len(wa), len(wb)))


def identifier_findings(report: Report, lang: str = "vi") -> list[Finding]:
    out = []
    mentions = defaultdict(list)
    for ref in report.references:
        mentions[identifier_key(ref.identifier)].append(ref)
    for refs in mentions.values():
        described = [ref for ref in refs if ref.subject]
        pair = next(
            (
                (a, b)
                for i, a in enumerate(described)
                for b in described[i + 1 :]
                if _overlap(a.subject or "", b.subject or "") < 0.6
            ),
            None,
        )
        if pair:
            first, second = pair
            out.append(
                Finding(
                    code="C003",
                    message=finding_message(
                        "C003",
                        lang,
                        identifier=first.identifier,
                        first=first.subject,
                        second=second.subject,
                    ),
                    text=second.text,
                    start=second.start,
                    end=second.end,
                    rule="check.C003",
                    section=second.section,
                    sentence=second.sentence,
                    block=second.block,
                )
            )
    return out


def date_findings(report: Report, lang: str = "vi") -> list[Finding]:
    """Cited documents dated after the report itself. Other later dates are usually plans or
    anniversaries ("kỷ niệm ... 25/9/2023", "có hiệu lực từ ngày 01/01/2024") and stay unflagged."""
    own = report.header.date
    if not own:
        return []
    return [
        Finding(
            code="C004",
            message=finding_message("C004", lang, identifier=r.identifier, date=r.date, own=own),
            text=r.text,
            start=r.start,
            end=r.end,
            rule="check.C004",
            section=r.section,
            sentence=r.sentence,
            block=r.block,
        )
        for r in report.references
        if r.date and r.date > own
    ]


def find_inconsistencies(report: Report, lang: str = "vi") -> list[Finding]:
    """Every consistency finding of a report, its message in `lang` (vi, the default, or en)."""
    findings = (
        breakdown_findings(report, lang)
        + percentage_findings(report, lang)
        + identifier_findings(report, lang)
        + date_findings(report, lang)
    )
    return sorted(findings, key=lambda f: (f.start, f.code))
