"""Score the held-out questions (bench/holdout/KB*.yaml): the advisor's accuracy on wordings it was never tuned on.

Usage: python bench/holdout.py [--kb grafana] [--file QUESTIONS.yaml] [--misses]. Prints, for each file of held-out
questions of the knowledge base (or the one file given), the share answered right, per expected outcome, and
optionally each miss. A benchmark: it prints figures and never fails.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from advisor.compile import load_compiled  # noqa: E402
from advisor.examples import outcome_of, scored_right  # noqa: E402
from advisor.paths import resolve_kb  # noqa: E402
from advisor.rules import ask  # noqa: E402


def _score(compiled: dict[str, Any], kb: str, path: Path, show_misses: bool) -> None:
    cases = yaml.safe_load(path.read_text(encoding="utf-8"))
    right: Counter[str] = Counter()
    total: Counter[str] = Counter()
    misses = []
    for case in cases:
        result = ask(compiled, case["question"], {})
        key = str(case["expected"])
        total[key] += 1
        if scored_right(result, case["expected"]):
            right[key] += 1
        else:
            misses.append((case["id"], key, outcome_of(result), case["question"]))
    count = sum(right.values())
    print(f"held-out questions of {kb} ({path.name}): {count}/{len(cases)} right ({100 * count / len(cases):.1f} %)")
    for key in sorted(total, key=lambda k: -total[k]):
        print(f"  {key:<40} {right[key]:>3}/{total[key]}")
    if show_misses:
        for miss in misses:
            print(f"  {miss[0]}: expected {miss[1]}; got {miss[2]}: {miss[3][:100]}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--kb", default="grafana", help="bundled knowledge base with a file in bench/holdout/ (default grafana)")
    parser.add_argument("--file", type=Path, default=None, help="another list of questions in the same format (default: every bench/holdout/KB*.yaml)")
    parser.add_argument("--misses", action="store_true", help="print each miss")
    args = parser.parse_args(argv)
    paths = [args.file] if args.file else sorted((ROOT / "bench" / "holdout").glob(f"{args.kb}*.yaml"))
    compiled = load_compiled(resolve_kb(args.kb))
    for path in paths:
        _score(compiled, args.kb, path, args.misses)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
