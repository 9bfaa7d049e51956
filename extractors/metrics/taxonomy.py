"""The metric taxonomy: `schemas/vocab/metrics.json` (or the file named by BAOCAO_METRICS), read
into frozen values with every pattern compiled. The file's `about` list explains the rule
fields, the column roles and the precedence between several matches; this module only loads and
checks it, and says which rule, field or pattern is wrong when it is."""

from __future__ import annotations

import json
import os
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

from extractors.text.normalize import fold_tones
from schemas.vocab import VOCAB_DIR

DEFAULT_PATH = VOCAB_DIR / "metrics.json"
ENV_VAR = "BAOCAO_METRICS"

Source = Literal["prose", "table", "award"]
FIELDS: dict[str, frozenset[str]] = {
    "prose": frozenset(
        {"unit", "verb", "qualifier", "before", "prefix", "after", "sentence", "section"}
    ),
    "table": frozenset({"unit", "label", "row", "column", "section"}),
    "award": frozenset({"title", "recipient_kind", "authority", "text", "section"}),
}
ROLES = frozenset({"achieved", "previous"})


class TaxonomyError(ValueError):
    """The metrics file cannot be used as it is; the message names the metric and rule."""


def compile_pattern(pattern: str, where: str) -> re.Pattern[str]:
    """A rule pattern, folded like the text it is searched in (NFC, modern tone placement)."""
    try:
        return re.compile(fold_tones(unicodedata.normalize("NFC", pattern)), re.IGNORECASE)
    except re.error as error:
        raise TaxonomyError(f"{where}: bad regular expression {pattern!r}: {error}") from error


@dataclass(frozen=True)
class Rule:
    """One way to recognise a metric among stored facts."""

    name: str
    source: Source
    match: Mapping[str, re.Pattern[str]]
    exclude: Mapping[str, re.Pattern[str]]
    roles: frozenset[str] = ROLES
    scale: float = 1.0
    use_defaults: bool = True


@dataclass(frozen=True)
class Metric:
    """A quantity followed across periods, with the rules that find it."""

    key: str
    label_vi: str
    label_en: str
    unit: str
    rules: tuple[Rule, ...]


@dataclass(frozen=True)
class Taxonomy:
    """The metrics and the settings shared by their rules."""

    path: str
    metrics: tuple[Metric, ...]
    default_exclude: Mapping[str, re.Pattern[str]]
    plan_sections: re.Pattern[str] | None
    skip_documents: re.Pattern[str] | None
    columns: Mapping[str, re.Pattern[str]]  # ratio, plan, previous, authority
    award_columns: Mapping[str, re.Pattern[str]]  # recipient kind -> column head
    total_rows: re.Pattern[str]
    slug_with_authority: frozenset[str]
    abbreviations: tuple[tuple[str, str], ...]

    def metric(self, key: str) -> Metric | None:
        return next((m for m in self.metrics if m.key == key), None)


def _patterns(raw: Any, fields: frozenset[str], where: str) -> dict[str, re.Pattern[str]]:
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        raise TaxonomyError(f"{where}: expected an object of field: pattern")
    unknown = set(raw) - fields
    if unknown:
        raise TaxonomyError(
            f"{where}: unknown field(s) {', '.join(sorted(unknown))}; "
            f"use {', '.join(sorted(fields))}"
        )
    return {k: compile_pattern(str(v), f"{where}.{k}") for k, v in raw.items()}


def _rule(raw: dict[str, Any], where: str) -> Rule:
    source = raw.get("source")
    if source not in FIELDS:
        raise TaxonomyError(f"{where}: source must be prose, table or award, not {source!r}")
    name = raw.get("name")
    if not name:
        raise TaxonomyError(f"{where}: every rule needs a name")
    roles = frozenset(raw.get("roles", sorted(ROLES)))
    if not roles <= ROLES:
        raise TaxonomyError(f"{where}: roles must be among {', '.join(sorted(ROLES))}")
    match = _patterns(raw.get("match"), FIELDS[source], f"{where}.match")
    if not match:
        raise TaxonomyError(f"{where}: a rule must match at least one field")
    return Rule(
        name=str(name),
        source=source,
        match=match,
        exclude=_patterns(raw.get("exclude"), FIELDS[source], f"{where}.exclude"),
        roles=roles,
        scale=float(raw.get("scale", 1.0)),
        use_defaults=bool(raw.get("use_defaults", True)),
    )


def _metric(raw: dict[str, Any], index: int) -> Metric:
    key = raw.get("key")
    if not key or not re.fullmatch(r"[a-z0-9_]+(\.[a-z0-9_]+)+", str(key)):
        raise TaxonomyError(f"metric #{index}: key {key!r} must look like 'area.name'")
    missing = [f for f in ("label_vi", "label_en", "unit", "rules") if f not in raw]
    if missing:
        raise TaxonomyError(f"metric {key}: missing {', '.join(missing)}")
    rules = tuple(_rule(r, f"metric {key}, rule #{i}") for i, r in enumerate(raw["rules"]))
    names = [r.name for r in rules]
    if len(set(names)) != len(names):
        raise TaxonomyError(f"metric {key}: rule names must be unique")
    return Metric(str(key), raw["label_vi"], raw["label_en"], raw["unit"], rules)


def parse_taxonomy(data: Mapping[str, Any], path: str = "<memory>") -> Taxonomy:
    """A taxonomy from the parsed JSON document."""
    metrics = tuple(_metric(m, i) for i, m in enumerate(data.get("metrics", [])))
    keys = [m.key for m in metrics]
    if len(set(keys)) != len(keys):
        doubled = sorted({k for k in keys if keys.count(k) > 1})
        raise TaxonomyError(f"{path}: metric keys must be unique: {', '.join(doubled)}")
    defaults = data.get("defaults", {})
    columns = {
        k: compile_pattern(v, f"defaults.table_columns.{k}")
        for k, v in defaults.get("table_columns", {}).items()
    }
    award_columns = {
        k: compile_pattern(v, f"defaults.award_table_columns.{k}")
        for k, v in defaults.get("award_table_columns", {}).items()
    }
    plan = defaults.get("plan_sections")
    skip = defaults.get("skip_documents")
    slugs = data.get("award_slugs", {})
    abbreviations = sorted(
        ((fold_tones(k.lower()), v) for k, v in slugs.get("abbreviations", {}).items()),
        key=lambda kv: len(kv[0]),
        reverse=True,
    )
    return Taxonomy(
        path=path,
        metrics=metrics,
        default_exclude=_patterns(defaults.get("exclude"), FIELDS["prose"], "defaults.exclude"),
        plan_sections=compile_pattern(plan, "defaults.plan_sections") if plan else None,
        skip_documents=compile_pattern(skip, "defaults.skip_documents") if skip else None,
        columns=columns,
        award_columns=award_columns,
        total_rows=compile_pattern(defaults.get("total_rows", r"^$"), "defaults.total_rows"),
        slug_with_authority=frozenset(
            fold_tones(t.lower()) for t in slugs.get("with_authority", [])
        ),
        abbreviations=tuple(abbreviations),
    )


# keyed by path and modification time: a changed taxonomy file is read again
@lru_cache(maxsize=8)
def _load(path: str, mtime: float) -> Taxonomy:
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as error:
        raise TaxonomyError(f"cannot read the metrics file {path}: {error}") from error
    return parse_taxonomy(data, path)


def load_taxonomy(path: str | Path | None = None) -> Taxonomy:
    """The taxonomy at `path`, else at $BAOCAO_METRICS, else the one shipped in schemas/vocab."""
    chosen = Path(path or os.environ.get(ENV_VAR) or DEFAULT_PATH).expanduser()
    try:
        mtime = chosen.stat().st_mtime
    except OSError as error:
        raise TaxonomyError(f"no metrics file at {chosen}: {error}") from error
    return _load(str(chosen.resolve()), mtime)
