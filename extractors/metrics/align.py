"""Series that align themselves: within one organisation, the open metrics of consecutive reports
that are one indicator under shifting labels (`Sản lượng điện thương phẩm` / `Điện thương phẩm`)
become one metric.

Evidence, strongest first:
- agreement of values: one report's figure for a period equals another report's figure for the
  same period (typically a later report's previous-period column, `Thực hiện năm 2023`, `Cùng kỳ`,
  repeating the earlier report's result), with the same unit and labels that share words;
- the labels alone: for table rows, the same unit, one label inside the other or most words
  shared; for numbers in running text, the same specific counted phrase (three words or more:
  `lớp huấn luyện an toàn`) under another verb. Either way the two are never in one report, and
  each is the other's best such partner with no tie (`đảng viên` sits inside a dozen labels and
  joins none of them).

Two metrics are never joined when they disagree: different values for one period, or both present
in one report with different figures (one report lists them as two things). Users split a wrong
merge: a forbidden pair of folded labels is never joined again.

Pure: figures in, a mapping out. `flows.analysis.metrics` applies it to stored facts.
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from extractors.text.keys import match_key
from schemas.vocab import unit_variants

MIN_LABEL_SCORE = 0.75  # labels alone: containment of half the words, or 3 in 4 words shared
MIN_SHARED_WITH_VALUES = 0.25  # agreeing values still need some words in common
MIN_WITH_ROUND_VALUE = 0.5  # ... more of them when the one value they share is a round number
SPECIFIC_UNIT_WORDS = 3  # a counted phrase this long names what it counts (`lượt người lao động`)
SMALL_VALUE = 10  # agreement on a count below this is weak: it needs closer labels
COMMON_WORD, COMMON_VALUE = 200, 40  # index keys shared by more nodes pair none of them


@dataclass(frozen=True)
class Figure:
    """One value of one metric in one document, as compare sees it."""

    metric: str
    label: str  # as shown
    folded: str  # folded label, words separated by spaces
    unit: str  # folded unit
    document: str
    period: str
    value: float
    open: bool = True
    table: bool = False  # named by a label (a row's, a subject's), else by verb + counted noun


@dataclass(frozen=True)
class Joined:
    """Why a metric was joined into another: shown in provenance."""

    into: str  # the metric key it now files under
    label: str  # the label shown for the joined series
    was: str  # its own label
    label_score: float
    agreeing: tuple[tuple[str, float], ...]  # (period, value) pairs both reported

    def as_dict(self) -> dict[str, Any]:
        return {
            "was": self.was,
            "label": self.label,
            "label_score": round(self.label_score, 2),
            "agreeing": [{"period": p, "value": v} for p, v in self.agreeing],
        }


@dataclass
class _Node:
    key: str
    label: str
    folded: str
    unit: str
    open: bool
    table: bool
    # document -> {(period, value)}
    documents: dict[str, set[tuple[str, float]]] = field(default_factory=dict)
    latest: str = ""

    def periods(self) -> dict[str, set[float]]:
        return _periods(self.documents)


def _periods(documents: dict[str, set[tuple[str, float]]]) -> dict[str, set[float]]:
    """Every value a series gives each period, over all its documents."""
    out: dict[str, set[float]] = defaultdict(set)
    for pairs in documents.values():
        for period, value in pairs:
            out[period].add(value)
    return out


def label_key(label: str) -> str:
    """A label reduced to its folded words (`Kiểm tra: cuộc giám sát` -> `kiểm tra cuộc giám
    sát`), the form in which users' splits are kept and compared."""
    return " ".join(re.findall(r"[^\W_]+", match_key(label)))


# words before what a row counts that do not change what it counts: `Số lượt tàu` is `Lượt
# tàu`, `Sản lượng hàng hóa thông qua` is `Hàng hóa thông qua` (a bare `tổng` is left: `Tổng
# doanh thu` may be a total over rows named `Doanh thu ...`)
_GENERIC_LEAD = re.compile(r"^(?:tổng số|số lượng|sản lượng|số)\s+(?=\S)")


def core_words(folded: str) -> list[str]:
    """A folded label's words without punctuation or a generic leading word (`số`, `tổng số`,
    `số lượng`, `sản lượng`): `số lượt tàu ra, vào cảng` -> `lượt tàu ra vào cảng`."""
    words = " ".join(re.findall(r"[^\W_]+", folded))
    return _GENERIC_LEAD.sub("", words).split()


def label_score(a: str, b: str) -> float:
    """How alike two folded labels are, as written or by their core words (`core_words`),
    whichever is closer: 1 when the words are the same; 0.6 + 0.4 x (shorter / longer) when the
    shorter's words stand in order inside the longer, else the share of words in common
    (Jaccard)."""
    return max(_word_score(a.split(), b.split()), _word_score(core_words(a), core_words(b)))


def _word_score(wa: list[str], wb: list[str]) -> float:
    if not wa or not wb:
        return 0.0
    if wa == wb:
        return 1.0
    short, long_ = (wa, wb) if len(wa) <= len(wb) else (wb, wa)
    n = len(short)
    if any(long_[i : i + n] == short for i in range(len(long_) - n + 1)):
        return 0.6 + 0.4 * n / len(long_)
    sa, sb = set(wa), set(wb)
    return len(sa & sb) / len(sa | sb)


def _same(a: float, b: float) -> bool:
    return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-9)


def _compatible(a: _Node | _Group, b: _Node | _Group) -> tuple[bool, list[tuple[str, float]]]:
    """Whether two series can be one, and the (period, value) pairs on which they agree."""
    for doc in a.documents.keys() & b.documents.keys():
        if a.documents[doc] != b.documents[doc]:
            return False, []
    pa, pb = a.periods(), b.periods()
    agreeing: list[tuple[str, float]] = []
    for period in pa.keys() & pb.keys():
        va, vb = pa[period], pb[period]
        if len(va) != 1 or len(vb) != 1:
            return False, []
        x, y = next(iter(va)), next(iter(vb))
        if not _same(x, y):
            return False, []
        agreeing.append((period, x))
    return True, sorted(agreeing)


@dataclass
class _Group:
    members: list[_Node]
    documents: dict[str, set[tuple[str, float]]]

    def periods(self) -> dict[str, set[float]]:
        return _periods(self.documents)


def _nodes(figures: Iterable[Figure]) -> list[_Node]:
    nodes: dict[str, _Node] = {}
    for f in figures:
        node = nodes.get(f.metric)
        if node is None:
            node = nodes[f.metric] = _Node(f.metric, f.label, f.folded, f.unit, f.open, f.table)
        node.documents.setdefault(f.document, set()).add((f.period, f.value))
        if f.period >= node.latest:
            node.latest, node.label = f.period, f.label
    return list(nodes.values())


def canonical_unit(unit: str | None) -> str:
    """A unit folded to one spelling: `Tr.kWh` and `triệu kWh` are one unit; units are
    compared only after this."""
    folded = match_key(unit)
    variants = unit_variants()
    if folded in variants:
        return variants[folded]
    if "/" in folded:  # a rate: each part on its own (`tr.đ/người/tháng`)
        parts = [canonical_unit(part) for part in folded.split("/")]
        if all(parts):
            return "/".join(parts)
    # a scale before a base unit: `1.000 m3`, `ngàn m3`, `nghìn m³` are one unit
    m = _SCALED.match(folded)
    if m:
        base = m.group(2).strip()
        scale = _SCALES[m.group(1).replace(" ", "")]
        return f"{scale} {variants.get(base, base)}"
    return folded


# the scale words and numbers before a unit, and what each is called
_SCALES = {
    "1000": "nghìn", "1.000": "nghìn", "ngàn": "nghìn", "nghìn": "nghìn", "ng.": "nghìn",
    "1.000.000": "triệu", "1000000": "triệu", "triệu": "triệu", "tr.": "triệu", "tr": "triệu",
    "tỷ": "tỷ", "tỉ": "tỷ",
}  # fmt: skip
_SCALED = re.compile(
    r"^(1\s?000|1\.000(?:\.000)?|1000000|ngàn|nghìn|ng\.|triệu|tr\.|tr(?=\s)|tỷ|tỉ)(?![\d.,])\s*(\S.*)$"
)


def same_unit(a: str, b: str) -> bool:
    """Equal folded units, or one the other with words after it (`đảng viên` / `đảng viên mới`)."""
    return a == b or (bool(a) and bool(b) and (a.startswith(b + " ") or b.startswith(a + " ")))


def _evidence(a: _Node, b: _Node) -> tuple[float, float, list[tuple[str, float]]] | None:
    """(strength, label score, agreeing values) of joining a and b, or None. Labels alone join
    only table rows: a counted noun phrase alone does not say which figure of a report it is."""
    if not (a.open and b.open and same_unit(a.unit, b.unit)):
        return None
    ok, agreeing = _compatible(a, b)
    if not ok:
        return None
    score = label_score(a.folded, b.folded)
    if agreeing:
        needed = MIN_SHARED_WITH_VALUES
        if len(agreeing) == 1:
            value = abs(float(agreeing[0][1]))
            if value < SMALL_VALUE:
                needed = MIN_LABEL_SCORE
            elif value.is_integer() and value % 10 == 0 and value < 1000:
                needed = MIN_WITH_ROUND_VALUE  # 50, 100, 200 agree by chance more often
        if score >= needed:
            return 2.0 + score + 0.1 * len(agreeing), score, agreeing
        return None
    if a.documents.keys() & b.documents.keys() or a.unit != b.unit:
        return None
    if a.table and b.table and score >= MIN_LABEL_SCORE:
        return score, score, []
    if not a.table and not b.table and len(a.unit.split()) >= SPECIFIC_UNIT_WORDS:
        # the same specific noun phrase counted under another verb: `tổ chức 03 lớp huấn
        # luyện an toàn` / `mở 07 lớp huấn luyện an toàn`
        return MIN_LABEL_SCORE, MIN_LABEL_SCORE, []
    return None


def _mutual_best(
    pair: tuple[float, float, list[tuple[str, float]], _Node, _Node],
    label_only: dict[str, list[tuple[float, str]]],
) -> bool:
    """A label-only pair is kept when it is each side's best label-only pair, with no tie.
    Labels with the same core words are one label: a tie between two of them is none, and a
    node's twin (its own label under another spelling of the unit) competes with no other."""
    _, score, _, a, b = pair
    for node, other in ((a, b), (b, a)):
        own, wanted = " ".join(core_words(node.folded)), " ".join(core_words(other.folded))
        scores = [s for s in label_only[node.key] if wanted == own or s[1] != own]
        best = {core for s, core in scores if s == scores[0][0]}
        if scores[0][0] != score or best != {wanted}:
            return False
    return True


def _containers(nodes: list[_Node]) -> dict[str, int]:
    """For each node, how many other labels of its unit hold its label's words in order: a label
    inside two or more (`Hộ dân` in `Hộ dân được cấp nước` and `Hộ dân được thu gom rác`) does
    not say which of them it is."""
    postings: dict[tuple[str, str], set[int]] = defaultdict(set)
    cores = [" ".join(core_words(node.folded)) for node in nodes]
    for i, node in enumerate(nodes):
        for word in cores[i].split():
            postings[(node.unit, word)].add(i)
    out: dict[str, int] = {}
    for i, a in enumerate(nodes):
        words = cores[i].split()
        if not words:
            out[a.key] = 0
            continue
        holding = set.intersection(*(postings[(a.unit, w)] for w in words))
        padded = f" {cores[i]} "
        # labels with the same core words are one label here (`Lượt tàu ra vào cảng`, `Số
        # lượt tàu ra, vào cảng`)
        out[a.key] = len({
            cores[j] for j in holding if cores[j] != cores[i] and padded in f" {cores[j]} "
        })  # fmt: skip
    return out


def _candidate_pairs(nodes: list[_Node]) -> set[tuple[int, int]]:
    """Pairs of nodes that share a word of their labels or a (period, value): the only pairs
    with any evidence, found without comparing every node with every other."""
    index: dict[tuple[object, ...], list[int]] = defaultdict(list)
    for i, node in enumerate(nodes):
        keys: set[tuple[object, ...]] = {("w", w) for w in node.folded.split()}
        keys |= {("v", p, v) for pairs in node.documents.values() for p, v in pairs}
        for key in keys:
            index[key].append(i)
    out: set[tuple[int, int]] = set()
    for key, members in index.items():
        # a word in hundreds of labels (`số`), a value in dozens of series (1 in 2023) is no
        # evidence, and pairing all of them would cost the square of their number
        if 1 < len(members) <= (COMMON_WORD if key[0] == "w" else COMMON_VALUE):
            for x, i in enumerate(members):
                for j in members[x + 1 :]:
                    out.add((i, j))
    return out


def align(
    figures: Iterable[Figure], forbidden: Iterable[tuple[str, str]] = ()
) -> dict[str, Joined]:
    """The metrics joined into another, by key. `figures` are one organisation's; `forbidden`
    pairs of labels (as shown or folded) that a user split apart are never joined, directly or
    through a third."""
    nodes = _nodes(figures)
    banned = {frozenset((label_key(a), label_key(b))) for a, b in forbidden}
    keys = {n.key: {label_key(n.folded), label_key(n.label)} for n in nodes} if banned else {}

    def split(x: _Node, y: _Node) -> bool:
        return bool(banned) and any(
            frozenset((p, q)) in banned for p in keys[x.key] for q in keys[y.key]
        )

    open_nodes = sorted((n for n in nodes if n.open), key=lambda n: n.key)
    pairs: list[tuple[float, float, list[tuple[str, float]], _Node, _Node]] = []
    label_only: dict[str, list[tuple[float, str]]] = defaultdict(list)
    for i, j in sorted(_candidate_pairs(open_nodes)):
        a, b = open_nodes[i], open_nodes[j]
        if split(a, b):
            continue
        found = _evidence(a, b)
        if found is not None:
            pairs.append((*found, a, b))
            if not found[2]:
                label_only[a.key].append((found[1], " ".join(core_words(b.folded))))
                label_only[b.key].append((found[1], " ".join(core_words(a.folded))))
    for scores in label_only.values():
        scores.sort(key=lambda s: -s[0])
    inside = _containers(open_nodes)
    kept = [
        p for p in pairs
        if p[2] or (_mutual_best(p, label_only) and inside[p[3].key] < 2 and inside[p[4].key] < 2)
    ]  # fmt: skip
    kept.sort(key=lambda p: (-p[0], p[3].key, p[4].key))

    groups: dict[str, _Group] = {
        n.key: _Group([n], {d: set(v) for d, v in n.documents.items()}) for n in nodes
    }
    how: dict[str, tuple[float, list[tuple[str, float]]]] = {}
    for _, score, agreeing, a, b in kept:
        ga, gb = groups[a.key], groups[b.key]
        if ga is gb:
            continue
        if any(split(x, y) for x in ga.members for y in gb.members):
            continue
        ok, _ = _compatible(ga, gb)
        if not ok:
            continue
        merged = _Group(ga.members + gb.members, {d: set(v) for d, v in ga.documents.items()})
        for doc, values in gb.documents.items():
            merged.documents.setdefault(doc, set()).update(values)
        for member in merged.members:
            groups[member.key] = merged
        how[a.key] = how[b.key] = (score, agreeing)

    joined: dict[str, Joined] = {}
    seen: set[int] = set()
    for group in groups.values():
        if id(group) in seen or len(group.members) < 2:
            continue
        seen.add(id(group))
        head = max(group.members, key=lambda n: (len(n.documents), n.latest, n.key))
        for member in group.members:
            if member is head:
                continue
            score, agreeing = how.get(member.key, (label_score(member.folded, head.folded), []))
            joined[member.key] = Joined(
                into=head.key,
                label=head.label,
                was=member.label,
                label_score=score,
                agreeing=tuple(agreeing),
            )
    return joined
