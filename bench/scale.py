"""Benchmark `advisor validate` on the bundled knowledge base grown to many concepts of the same
density (tests/kbtools.scaled_kb); prints figures, asserts nothing. Target: 10,000 concepts <= 5 s.

Usage: python3 bench/scale.py [--sizes 1000,10000] [--runs N]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "tests"))

from kbtools import scaled_kb  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="1000,10000")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        for n in (int(size) for size in args.sizes.split(",")):
            kb = scaled_kb(Path(folder) / f"kb-{n}", n)
            megabytes = sum(path.stat().st_size for path in kb.glob("*.yaml")) / 1e6
            best_wall, best_cpu = float("inf"), float("inf")
            for _ in range(args.runs):
                start = time.perf_counter()
                process = subprocess.Popen([sys.executable, "-m", "advisor", "validate", "--kb", str(kb)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                           env={**os.environ, "XDG_CACHE_HOME": str(Path(folder) / "cache")})
                _, status, usage = os.wait4(process.pid, 0)
                if status != 0:
                    raise SystemExit(f"advisor validate failed on {n} concepts")
                best_wall = min(best_wall, time.perf_counter() - start)
                best_cpu = min(best_cpu, usage.ru_utime + usage.ru_stime)
            print(f"advisor validate, {n:>6} concepts ({megabytes:.1f} MB of YAML): {best_wall:6.2f} s wall, {best_cpu:6.2f} s CPU (best of {args.runs})")


if __name__ == "__main__":
    main()
