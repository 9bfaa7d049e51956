"""The extraction must not fall below the agreed floors on the hand-made dev gold (FACTS.md)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

SHARED = Path(__file__).resolve().parents[2] / "shared"
FLOORS = {"references": 0.95, "dates": 0.95, "quantities": 0.85, "awards": 0.90, "document": 0.90}


def _score(formats: str | None) -> subprocess.CompletedProcess[str]:
    baocao = Path(sys.executable).with_name("baocao")
    cmd = [
        sys.executable,
        str(SHARED / "eval" / "score.py"),
        "--gold",
        str(SHARED / "eval" / "gold-dev"),
        "--corpus",
        str(SHARED / "corpus"),
        "--cmd",
        f"{baocao} extract --format jsonl",
    ]
    if formats:
        cmd += ["--formats", formats]
    cmd += [f"--min={kind}={floor}" for kind, floor in FLOORS.items()]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=600)


@pytest.mark.slow
@pytest.mark.parametrize("formats", ["txt,docx", None], ids=["txt-docx", "all-formats"])
def test_dev_scores_stay_above_the_floors(formats):
    if not (SHARED / "eval" / "score.py").exists():
        pytest.fail(f"the shared eval folder is missing: {SHARED}")
    run = _score(formats)
    last = run.stdout.strip().splitlines()[-1] if run.stdout.strip() else run.stderr[-2000:]
    assert run.returncode == 0, f"dev scores below the floors: {last}\n{run.stderr[-2000:]}"
    assert last.startswith("F1 "), last
