"""Golden cases: each folder under ``tests/cases/`` holds one input (``input.txt``, or
``input.docx`` where Word structure matters) beside ``expected.json``, the facts record that
extraction gives it today. The cases pin current behaviour as a safety net for refactoring: an
expected value may be imperfect, and changing one is a decision to review in the diff.

To regenerate every expected.json after a deliberate change of behaviour:

    BAOCAO_UPDATE_CASES=1 .venv/bin/pytest -q tests/test_cases.py

Each case then writes its expected.json and is skipped ("updated"); rerun without the variable.
``document.source`` is dropped from the record, and the file's path is written as its bare name in
an error message, so a case does not depend on where the repository lies.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

CASES = Path(__file__).resolve().parent / "cases"
EXPECTED = "expected.json"
UPDATE = os.environ.get("BAOCAO_UPDATE_CASES") == "1"


def case_dirs() -> list[Path]:
    return sorted(p for p in CASES.iterdir() if p.is_dir() and not p.name.startswith((".", "_")))


def input_files(case: Path) -> list[Path]:
    return sorted(p for p in case.glob("input.*") if p.is_file())


def extracted_record(path: Path) -> dict[str, Any]:
    """The facts record of one input, or its error record, free of the input's location."""
    from extractors.export import error_record, facts_record
    from extractors.pipeline import extract

    try:
        record = facts_record(extract(path))
    except Exception as err:
        record = error_record(str(path), err)
        if record["document"]["code"] == "E000":  # not a BaocaoError: a bug, not a case
            raise
        document = record["document"]
        document["error"] = document["error"].replace(str(path), path.name)
    record["document"].pop("source", None)
    return record


def dump(record: dict[str, Any]) -> str:
    return json.dumps(record, ensure_ascii=False, indent=1, sort_keys=False) + "\n"


def first_difference(expected: Any, actual: Any, where: str = "") -> str:
    """Where two JSON values first differ, as a path and both values."""
    if isinstance(expected, dict) and isinstance(actual, dict):
        for key in list(expected) + [k for k in actual if k not in expected]:
            if key not in actual:
                return f"{where}/{key}: expected {expected[key]!r}, missing now"
            if key not in expected:
                return f"{where}/{key}: not expected, now {actual[key]!r}"
            if expected[key] != actual[key]:
                return first_difference(expected[key], actual[key], f"{where}/{key}")
    elif isinstance(expected, list) and isinstance(actual, list):
        for i, (e, a) in enumerate(zip(expected, actual, strict=False)):
            if e != a:
                return first_difference(e, a, f"{where}/{i}")
        if len(expected) != len(actual):
            return f"{where}: expected {len(expected)} items, now {len(actual)}"
    return f"{where or '/'}: expected {expected!r}, now {actual!r}"


@pytest.mark.parametrize("case", case_dirs(), ids=lambda p: p.name)
def test_case_gives_expected_facts(case: Path) -> None:
    inputs = input_files(case)
    assert len(inputs) == 1, f"case {case.name}: needs exactly one input.*, has {inputs}"
    actual = extracted_record(inputs[0])
    expected_path = case / EXPECTED
    if UPDATE:
        expected_path.write_text(dump(actual), encoding="utf-8")
        pytest.skip("updated")
    if not expected_path.is_file():
        pytest.fail(f"case {case.name}: no {EXPECTED}; write it with BAOCAO_UPDATE_CASES=1")
    expected = json.loads(expected_path.read_text(encoding="utf-8"))
    if actual != expected:
        pytest.fail(
            f"case {case.name}: extraction differs from {EXPECTED} at "
            f"{first_difference(expected, actual)}\n"
            f"(regenerate with BAOCAO_UPDATE_CASES=1 if the change is intended)",
            pytrace=False,
        )


def test_every_case_has_one_input_and_expected_output() -> None:
    cases = case_dirs()
    assert cases, f"no case folders under {CASES}"
    incomplete = [
        case.name
        for case in cases
        if len(input_files(case)) != 1 or (not UPDATE and not (case / EXPECTED).is_file())
    ]
    assert not incomplete, f"case folders without one input.* and {EXPECTED}: {incomplete}"
