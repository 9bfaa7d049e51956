"""The extraction must not fall below the agreed floors on the hand-made gold (FACTS.md): the dev
corpus, and the real reports of other bodies and provinces (corpus-real, gold-real), whose floors
sit just under what the rules reach today (issue 12's targets are higher)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

SHARED = Path(__file__).resolve().parents[2] / "shared"
# issue 12's targets, for the dev gold and the real reports alike, in every format
FLOORS = {"references": 0.97, "dates": 0.97, "quantities": 0.93, "awards": 0.93, "document": 0.95}
# reached on corpus-real after the generalisation of issue 12: references 1.000, dates 0.991,
# quantities 0.990, awards 1.000 (three gold awards), document 0.980
REAL_FLOORS = {
    "references": 0.97,
    "dates": 0.97,
    "quantities": 0.97,
    "awards": 0.93,
    "document": 0.95,
}


def _score(
    formats: str | None,
    gold: str = "gold-dev",
    corpus: str = "corpus",
    floors: dict[str, float] = FLOORS,
) -> subprocess.CompletedProcess[str]:
    baocao = Path(sys.executable).with_name("baocao")
    cmd = [
        sys.executable,
        str(SHARED / "eval" / "score.py"),
        "--gold",
        str(SHARED / "eval" / gold),
        "--corpus",
        str(SHARED / corpus),
        "--cmd",
        f"{baocao} extract --format jsonl",
    ]
    if formats:
        cmd += ["--formats", formats]
    cmd += [f"--min={kind}={floor}" for kind, floor in floors.items()]
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


@pytest.mark.slow
@pytest.mark.parametrize("formats", [None, "pdf", "docx", "doc", "txt"])
def test_real_reports_of_other_bodies_stay_above_their_floors(formats):
    if not (SHARED / "eval" / "gold-real").is_dir():
        pytest.fail(f"the shared real-report gold is missing: {SHARED / 'eval' / 'gold-real'}")
    run = _score(formats, "gold-real", "corpus-real", REAL_FLOORS)
    last = run.stdout.strip().splitlines()[-1] if run.stdout.strip() else run.stderr[-2000:]
    assert run.returncode == 0, f"real-report scores below the floors: {last}\n{run.stderr[-2000:]}"
    assert last.startswith("F1 "), last
