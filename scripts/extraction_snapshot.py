"""Snapshot of `baocao extract --format jsonl` over the dev corpus and generated reports, to show
that a change of code leaves the extraction output byte-identical.

    python scripts/extraction_snapshot.py --out /tmp/before.jsonl        # on the old commit
    python scripts/extraction_snapshot.py --out /tmp/after.jsonl --against /tmp/before.jsonl

The generated reports come from the benchmark's generator (`benchmarks/corpus.py`, seed 1):
the same bytes on every machine. Exit status 1 when `--against` differs (the first differing
file is named).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))


def corpus_files(corpus: Path) -> list[Path]:
    """The readable reports of a corpus folder, sorted (notes and gold files left out)."""
    suffixes = {".txt", ".docx", ".doc", ".pdf"}
    return sorted(
        p for p in corpus.iterdir() if p.suffix.lower() in suffixes and p.name != "SOURCES.md"
    )


def extract_lines(files: list[Path], baocao: str, cwd: Path) -> list[str]:
    """The jsonl lines of `baocao extract` over `files`, one per file, in order."""
    done = subprocess.run(
        [baocao, "extract", "--format", "jsonl", *map(str, files)],
        capture_output=True,
        text=True,
        cwd=cwd,
        check=False,
    )
    lines = done.stdout.split("\n")
    return [line for line in lines if line]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", required=True, help="where to write the snapshot (jsonl)")
    parser.add_argument("--against", help="an earlier snapshot to compare with")
    parser.add_argument("--generated", type=int, default=200, help="generated reports (seed 1)")
    parser.add_argument(
        "--corpus", action="append", help="corpus folders (default: ../shared/corpus)"
    )
    parser.add_argument("--baocao", default=str(ROOT / ".venv" / "bin" / "baocao"))
    args = parser.parse_args()

    from corpus import archive_files, generate  # benchmarks/corpus.py

    corpora = [Path(c) for c in (args.corpus or [str(ROOT.parent / "shared" / "corpus")])]
    with tempfile.TemporaryDirectory() as tmp:
        files: list[Path] = [f for c in corpora for f in corpus_files(c)]
        if args.generated:
            generate(Path(tmp), args.generated, seed=1)
            files += sorted(Path(p) for p in archive_files(Path(tmp)))
        lines = extract_lines(files, args.baocao, ROOT)
    # sources of generated files name the temporary folder: keep the name under it only
    snapshot = [line.replace(tmp, "<generated>") for line in lines]
    Path(args.out).write_text("\n".join(snapshot) + "\n", encoding="utf-8")
    print(f"{len(files)} files, {len(snapshot)} lines -> {args.out}")
    if not args.against:
        return 0
    before = Path(args.against).read_text(encoding="utf-8").split("\n")
    after = Path(args.out).read_text(encoding="utf-8").split("\n")
    if before == after:
        print("identical")
        return 0
    for old, new in zip(before, after, strict=False):
        if old != new:
            source = json.loads(old or new or "{}").get("document", {}).get("source")
            print(f"differs first at {source}")
            break
    else:
        print(f"differs in length: {len(before)} lines before, {len(after)} after")
    return 1


if __name__ == "__main__":
    sys.exit(main())
