"""Print the advisor's in-process query latency (p50, p99) and the cold start of `advisor ask --json`.

The cold start is shown as a ratio to a bare interpreter start (`python -c pass`), both measured
in this run. Targets: p50 <= 1 ms; cold start <= 5x a bare interpreter. Asserts nothing.

    python bench/advisor.py [--rounds N] [--starts N]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path


ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from advisor.compile import load_compiled  # noqa: E402

sys.path.insert(0, str(ROOT / "tests"))
from kbtools import evaluation_questions  # noqa: E402
from advisor.rules import ask  # noqa: E402


def _questions() -> list[str]:
    return evaluation_questions() or ["I want to monitor Redis", "grafana mongodb"]


def _percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]


def _start(command: list[str]) -> float:
    begin = time.perf_counter()
    subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    return time.perf_counter() - begin


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=50, help="passes over the questions (in-process)")
    parser.add_argument("--starts", type=int, default=15, help="process starts of each kind")
    options = parser.parse_args()

    compiled = load_compiled()  # also warms the cache beside the data
    questions = _questions()
    timings: list[float] = []
    for _ in range(options.rounds):
        for question in questions:
            begin = time.perf_counter()
            ask(compiled, question, {})
            timings.append((time.perf_counter() - begin) * 1000)
    print(f"in-process ask: {len(timings)} queries over {len(questions)} questions")
    print(f"  p50 {statistics.median(timings):.3f} ms   p99 {_percentile(timings, 0.99):.3f} ms   (targets: p50 <= 1 ms, p99 <= 2 ms)")

    bare_cmd = [sys.executable, "-c", "pass"]
    ask_cmd = [sys.executable, "-m", "advisor", "ask", "I want to monitor Redis on Grafana Cloud", "--json"]
    _start(ask_cmd)  # a first run may rebuild the cache; it is not counted
    bare: list[float] = []
    cold: list[float] = []
    for _ in range(options.starts):  # interleaved, so machine load affects both alike
        bare.append(_start(bare_cmd))
        cold.append(_start(ask_cmd))
    bare_ms = statistics.median(bare) * 1000
    cold_ms = statistics.median(cold) * 1000
    print(f"cold start: python -c pass {bare_ms:.1f} ms; advisor ask ... --json {cold_ms:.1f} ms (medians of {options.starts})")
    print(f"  ratio {cold_ms / bare_ms:.2f}x a bare interpreter   (target <= 4x)")


if __name__ == "__main__":
    main()
