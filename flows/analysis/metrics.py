"""Metric values: the stored quantities and awards the taxonomy's rules recognise, one value per
metric, document and period, each with its provenance.

The taxonomy (`extractors.metrics.taxonomy`, data in `schemas/vocab/metrics.json`) says how a metric
is found and `extractors.metrics.rules` applies it to each document; this module chooses the
documents, reads their facts and keeps one value per (metric, document, period) by the precedence
the taxonomy documents: prose and award statements beat table cells, then the earlier rule wins,
then the first mention in the text. A table's previous-period column ("Cùng kỳ năm 2022") gives a
value for that earlier period, with provenance role `previous`. Facts no metric takes stay in the
store (`unmapped_quantities`).
"""

from __future__ import annotations

import fnmatch
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

import pandas as pd
from sqlalchemy import Engine, func, select

from extractors.metrics import context as mc
from extractors.metrics.align import Figure, align, canonical_unit
from extractors.metrics.rules import (
    OPEN_PREFIX,
    OTHER_PERIOD_RANK,
    Candidate,
    document_candidates,
)
from extractors.metrics.taxonomy import Metric, Taxonomy, load_taxonomy
from extractors.text.keys import accent_key, match_key
from flows.store.metric_splits import split_pairs
from flows.store.read import corrected_facts
from schemas import tables as t

COLUMNS = [
    "metric", "label", "organisation_id", "organisation", "document_id", "issuer", "period_key",
    "period_start", "period_end",
    "period_kind", "value", "unit", "provenance",
]  # fmt: skip
HEADER_CHARS = 500


# ---------------------------------------------------------------------------------------------
# Documents
# ---------------------------------------------------------------------------------------------


def select_documents(engine: Engine, issuer: str | None = None) -> pd.DataFrame:
    """The stored documents, or those of the organisations `issuer` names, each with its
    organisation (`organisation_id`, and `organisation`: its name after people's renames and
    merges).

    The match ignores case and diacritics, writes abbreviations out and is a substring match over
    each organisation's names, every spelling seen, parent lines and place: "Hòa An" finds the
    documents of "ĐẢNG ỦY KHỐI CÁC CƠ QUAN TỈNH" under "ĐẢNG BỘ TỈNH HOÀ AN". A document without
    an organisation (no issuer was read) matches on its place and the first 500 characters of
    its text instead.
    """
    # imported here: only this function of the module reads organisations (kept apart from the
    # rest of the module, which is edited alongside)
    from flows.store.organisation_edits import matching_organisations

    d, o = t.documents, t.organisations
    stmt = (
        select(
            d.c.id, d.c.source, d.c.file_name, d.c.doc_type, d.c.title, d.c.issuer, d.c.place,
            d.c.date, d.c.identifier,
            d.c.period_key, d.c.period_start, d.c.period_end, d.c.period_label,
            func.substr(d.c.text, 1, HEADER_CHARS).label("header"),
            d.c.organisation_id, o.c.name.label("organisation"),
        )
        .join_from(d, o, o.c.id == d.c.organisation_id, isouter=True)
        .order_by(d.c.period_start, d.c.date, d.c.file_name)
    )  # fmt: skip
    with engine.connect() as conn:
        docs = pd.read_sql(stmt, conn, dtype_backend="numpy_nullable")
        wanted_bodies = matching_organisations(conn, issuer) if issuer else set()
    if issuer:
        wanted = accent_key(issuer)
        haystack = (
            docs[["issuer", "place", "header"]]
            .astype(object)
            .map(lambda v: accent_key(v) if isinstance(v, str) else "")
            .agg(" | ".join, axis=1)
        )
        by_body = docs["organisation_id"].isin(list(wanted_bodies)).fillna(False)
        unattached = docs["organisation_id"].isna() & haystack.str.contains(wanted, regex=False)
        docs = docs[by_body.astype(bool) | unattached.astype(bool)]
    # plain objects: a caller may stand something else in for a missing organisation
    docs["organisation_id"] = docs["organisation_id"].astype(object)
    return docs.reset_index(drop=True)


def _document_text(engine: Engine, document_id: str) -> mc.DocumentText:
    with engine.connect() as conn:
        text = conn.execute(select(t.documents.c.text).where(t.documents.c.id == document_id))
        body = text.scalar_one()
        rows = conn.execute(
            select(t.sections.c.path, t.sections.c.title).where(
                t.sections.c.document_id == document_id
            )
        ).all()
    return mc.DocumentText(body, {path: title for path, title in rows})


# ---------------------------------------------------------------------------------------------
# Public surface
# ---------------------------------------------------------------------------------------------


def _selected(key: str, metrics: Sequence[str] | None) -> bool:
    return not metrics or any(fnmatch.fnmatchcase(key, pattern) for pattern in metrics)


def metric_keys(metrics: str | Iterable[str] | None) -> list[str] | None:
    """Metric keys or glob patterns from a list or a comma-separated string (`party.*,awards.*`)."""
    if metrics is None:
        return None
    items = metrics.split(",") if isinstance(metrics, str) else list(metrics)
    cleaned = [m.strip() for m in items if m and m.strip()]
    return cleaned or None


def _facts_by_document(
    engine: Engine, kind: str, ids: set[str]
) -> tuple[dict[str, pd.DataFrame], pd.DataFrame]:
    """The facts of one kind grouped by document, and an empty frame with the same columns."""
    frame = corrected_facts(engine, kind)  # people's corrections win over the rules
    chosen = frame[frame["document_id"].isin(ids)]
    groups = {doc_id: group for doc_id, group in chosen.groupby("document_id", sort=False)}
    return groups, frame.iloc[0:0]


def _candidates(
    engine: Engine, docs: pd.DataFrame, taxonomy: Taxonomy
) -> Iterator[tuple[Mapping[str, Any], Candidate]]:
    ids = set(docs["id"])
    quantities, no_quantities = _facts_by_document(engine, "quantities", ids)
    awards, no_awards = _facts_by_document(engine, "awards", ids)
    for doc in docs.to_dict(orient="records"):
        q = quantities.get(doc["id"], no_quantities)
        a = awards.get(doc["id"], no_awards)
        text = _document_text(engine, doc["id"])
        for candidate in document_candidates(taxonomy, doc, text, q, a):
            yield doc, candidate


def metric_values(
    engine: Engine,
    issuer: str | None = None,
    metrics: str | Sequence[str] | None = None,
    *,
    taxonomy: Taxonomy | str | Path | None = None,
    open_metrics: bool = True,
    align_series: bool = True,
) -> pd.DataFrame:
    """One row per organisation, metric, document and period: the value the precedence keeps.

    `metrics` are keys or glob patterns (`party.*`, `open.*`); `taxonomy` a loaded Taxonomy or
    the path of a metrics file (default: $BAOCAO_METRICS, else schemas/vocab/metrics.json).
    Figures no taxonomy metric names become open metrics (`open.<label>.<unit>`, see
    `extractors.metrics.open`) unless `open_metrics` is False; an open metric that one document
    gives two different values for one period is left out (the label does not say which is
    meant). Within one organisation, open metrics that are one series under shifting labels are
    joined (`extractors.metrics.align`) unless `align_series` is False or a user split them.

    The provenance column holds a dict: document, source, section, sentence, text, start, end,
    rule (the metric rule, `open` for open metrics), fact_rule (the extractor's rule), role
    (achieved or previous), document_period, column (table cells), alternatives (the values the
    precedence set aside) and, for a joined series, `aligned` (its own label, the label it now
    shows, the label score and the values both reported).
    """
    tax = taxonomy if isinstance(taxonomy, Taxonomy) else load_taxonomy(taxonomy)
    wanted = metric_keys(metrics)
    if wanted and not any(p.startswith(("open", "*", "?", "[")) for p in wanted):
        open_metrics = False  # no pattern asks for them: do not build them
    docs = _with_organisations(select_documents(engine, issuer))
    best: dict[tuple[str, str, str], tuple[Mapping[str, Any], Candidate, list[Candidate]]] = {}
    for doc, c in _candidates(engine, docs, tax):
        if not c.named and not open_metrics:
            continue
        key = (c.metric, doc["id"], c.period.key)
        if key not in best:
            best[key] = (doc, c, [])
            continue
        _, kept, others = best[key]
        if c.rank < kept.rank:
            best[key] = (doc, c, [*others, kept])
        else:
            others.append(c)
    rows = []
    for doc, c, others in best.values():
        alternatives = sorted({o.value for o in others} - {c.value})
        # one document, one period, two figures of the period itself under one open label
        rivals = {o.value for o in others if (o.rank[0] >= OTHER_PERIOD_RANK) == (
            c.rank[0] >= OTHER_PERIOD_RANK
        )} - {c.value}  # fmt: skip
        if not c.named and rivals:
            continue
        rows.append({
            "metric": c.metric,
            "label": _label(tax.metric(c.metric), c),
            "organisation_id": doc["organisation_id"],
            "organisation": doc["organisation"],
            "document_id": doc["id"],
            "issuer": doc["issuer"],
            "period_key": c.period.key,
            "period_start": c.period.start,
            "period_end": c.period.end,
            "period_kind": c.period.kind,
            "value": c.value,
            "unit": c.unit,
            "provenance": {**c.provenance, "alternatives": alternatives},
        })  # fmt: skip
    frame = pd.DataFrame(rows, columns=COLUMNS)
    if align_series and not frame.empty:
        frame = _aligned(frame, split_pairs(engine))
    if wanted:
        frame = frame[[_selected(k, wanted) for k in frame["metric"]]]
    order = {m.key: i for i, m in enumerate(tax.metrics)}
    frame = frame.assign(_order=frame["metric"].map(lambda k: order.get(k, len(order))))
    frame = frame.sort_values(
        ["organisation", "_order", "metric", "period_start", "period_end", "document_id"]
    )
    # a metric keeps one label and unit per organisation, however each document spelled them:
    # the latest report's
    for column in ("label", "unit"):
        frame[column] = frame.groupby(["organisation_id", "metric"], sort=False)[column].transform(
            "last"
        )
    return frame.drop(columns="_order").reset_index(drop=True)


def _with_organisations(docs: pd.DataFrame) -> pd.DataFrame:
    """The documents with `organisation_id` and `organisation` (display name); where the store
    has no organisation for a document, its issuer and place stand for one."""
    docs = docs.copy()
    if "organisation_id" not in docs.columns:
        docs["organisation_id"] = pd.NA
        docs["organisation"] = pd.NA
    for index, doc in docs.iterrows():
        if pd.isna(doc["organisation_id"]):
            name = next((v for v in (doc["issuer"], doc["place"]) if not pd.isna(v)), "")
            key = re.sub(r"^co quan ", "", accent_key(str(name)))  # `cơ quan Đảng ủy Khối`
            docs.at[index, "organisation_id"] = "name:" + key
            docs.at[index, "organisation"] = str(name)
    # one name per organisation: the first document's
    docs["organisation"] = docs.groupby("organisation_id")["organisation"].transform("first")
    return docs


def _figures(frame: pd.DataFrame) -> list[Figure]:
    return [
        Figure(
            metric=row.metric,
            label=str(row.provenance.get("label") or row.label),
            folded=str(row.provenance.get("folded_label") or match_key(row.label)),
            unit=canonical_unit(row.unit),
            document=row.document_id,
            period=row.period_key,
            value=float(row.value),
            open=row.metric.startswith(OPEN_PREFIX),
            table=bool(row.provenance.get("labelled", row.provenance.get("table") is not None)),
        )
        for row in frame.itertuples(index=False)
    ]


def _aligned(frame: pd.DataFrame, forbidden: list[tuple[str, str]]) -> pd.DataFrame:
    """Open metrics joined into one series within each organisation (provenance says why)."""
    frame = frame.copy()
    for _, group in frame.groupby("organisation_id", sort=False):
        joined = align(_figures(group), forbidden)
        if not joined:
            continue
        for index in group.index[group["metric"].isin(joined.keys())]:
            join = joined[frame.at[index, "metric"]]
            frame.at[index, "metric"] = join.into
            frame.at[index, "label"] = join.label
            frame.at[index, "provenance"] = {
                **frame.at[index, "provenance"],
                "aligned": join.as_dict(),
            }
    # a joined series may now hold two figures of one document and period: keep the first
    return frame.drop_duplicates(["organisation_id", "metric", "document_id", "period_key"])


def _label(metric: Metric | None, c: Candidate) -> str:
    """The taxonomy's label, or the one a derived award metric made for itself."""
    if metric is not None:
        return metric.label_vi
    return str(c.provenance.get("label") or c.metric)


def unmapped_quantities(
    engine: Engine, issuer: str | None = None, *, taxonomy: Taxonomy | str | Path | None = None
) -> pd.DataFrame:
    """The stored quantities of the chosen documents that no taxonomy metric names (they are
    still compared, as open metrics)."""
    tax = taxonomy if isinstance(taxonomy, Taxonomy) else load_taxonomy(taxonomy)
    docs = select_documents(engine, issuer)
    taken = {
        (doc["id"], c.provenance["start"]) for doc, c in _candidates(engine, docs, tax) if c.named
    }
    frame = corrected_facts(engine, "quantities")
    frame = frame[frame["document_id"].isin(set(docs["id"]))]
    mask = [
        (d, int(s)) not in taken for d, s in zip(frame["document_id"], frame["start"], strict=True)
    ]
    return frame[mask].reset_index(drop=True)
