"""Loading extracted batches into the store, in the importing process: one transaction per batch,
with the outcome of every file, and the check that skips files already stored unread.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

from sqlalchemy import Engine
from sqlalchemy.exc import OperationalError, SQLAlchemyError

from flows import store
from flows.batches import Extracted
from flows.discovery import file_sha256
from schemas.models import RULES_VERSION


@dataclass(frozen=True)
class BatchSummary:
    """How one batch went: counts by outcome, facts loaded by kind, each failure's line, and the
    seconds spent loading it."""

    files: int
    ok: int
    skipped: int
    failed: int
    facts: dict[str, int] = field(default_factory=dict)
    failures: list[str] = field(default_factory=list)
    seconds: float = 0.0

    @classmethod
    def of(cls, outcomes: Sequence[store.FileOutcome], seconds: float = 0.0) -> BatchSummary:
        status = Counter(o.status for o in outcomes)
        facts: Counter[str] = Counter()
        for o in outcomes:
            facts.update(o.facts)
        return cls(
            files=len(outcomes),
            ok=status["ok"],
            skipped=status["skipped"],
            failed=status["error"],
            facts=dict(facts),
            failures=[o.message or o.path for o in outcomes if o.status == "error"],
            seconds=seconds,
        )


def load_extracted(
    engine: Engine,
    run_id: str,
    items: Sequence[Extracted],
    *,
    unchanged: Sequence[store.FileOutcome] = (),
    reextract: bool = False,
) -> BatchSummary:
    """Load one batch in one transaction, with its errors and the files skipped unread.

    If the database refuses one file's rows (a constraint, a value it cannot hold), the batch
    is loaded again file by file so that only that file fails. Lost connections and locks are
    raised: the whole batch is then safe to retry.
    """
    began = time.perf_counter()
    reports = [i for i in items if not isinstance(i, dict)]
    others = [store.error_outcome(i["path"], i) for i in items if isinstance(i, dict)]
    others += unchanged
    try:
        outcomes = store.load_reports(engine, reports, run_id, reextract=reextract, others=others)
    except SQLAlchemyError as err:
        if isinstance(err, OperationalError) or not reports:
            raise
        outcomes = []
        for report in reports:
            try:
                outcomes += store.load_reports(engine, [report], run_id, reextract=reextract)
            except SQLAlchemyError as one_err:
                if isinstance(one_err, OperationalError):
                    raise
                outcomes.append(store.record_error(engine, run_id, report.source, one_err))
        store.record_outcomes(engine, run_id, others)
        outcomes += others
    return BatchSummary.of(outcomes, time.perf_counter() - began)


def load_with_retries(
    engine: Engine,
    run_id: str,
    items: Sequence[Extracted],
    *,
    unchanged: Sequence[store.FileOutcome] = (),
    reextract: bool = False,
    retries: int = 2,
    delay: float = 2.0,
) -> BatchSummary:
    """`load_extracted`, tried again after `delay` seconds when the database was locked or the
    connection lost (OperationalError): the batch's transaction was then rolled back whole, so
    loading it again loses and duplicates nothing. Any other error is not retried."""
    for attempt in range(retries + 1):
        try:
            return load_extracted(engine, run_id, items, unchanged=unchanged, reextract=reextract)
        except OperationalError:
            if attempt == retries:
                raise
            time.sleep(delay)
    raise AssertionError("unreachable")  # pragma: no cover


def split_unchanged(
    engine: Engine, paths: Sequence[str], reextract: bool
) -> tuple[list[str], list[store.FileOutcome]]:
    """Split a batch into files to extract and files already stored under these rules."""
    if reextract:
        return list(paths), []
    hashes = {path: file_sha256(path) for path in paths}
    stored = store.stored_versions(engine, [h for h in hashes.values() if h])
    todo: list[str] = []
    skipped: list[store.FileOutcome] = []
    for path, sha in hashes.items():
        if sha and stored.get(sha) == RULES_VERSION:
            message = f"{path}: already imported (rules {RULES_VERSION})"
            skipped.append(store.FileOutcome(path, "skipped", sha, message=message))
        else:
            todo.append(path)
    return todo, skipped
