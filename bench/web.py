"""Print the browser advisor's figures: download size and the time from Enter to a rendered answer.

    python bench/web.py [--kb PATH] [--runs N]

Sizes: the bundle, script and style sheet the site serves, raw and gzipped (level 9), with the
target for the bundle plus script (50 KB gzipped). Time: in headless Chromium (Debian's
`/usr/bin/chromium`, driven by Playwright; no browser is downloaded) on a page holding only the
widget, served over loopback HTTP: for each shared evaluation question (cycled to N runs) the
text is typed and Enter pressed; the time runs from the key event's timestamp to the end of the
widget's rendering, with style and layout forced (target 16 ms, one frame). The engine alone
(`window.conceptAdvisor.ask`) is timed as well. Figures only: this never fails on a target.
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import gzip
import http.server
import statistics
import sys
import tempfile
import threading
from pathlib import Path
from typing import Any, Iterator

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from advisor.bundle import ASSET_DIR, site_assets  # noqa: E402
from advisor.load import default_kb_path  # noqa: E402

EVAL_CASES = Path(__file__).resolve().parent.parent / "tests" / "eval" / "advisor-cases.yaml"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run", "--disable-sync"]
SIZE_TARGET = 50 * 1024
TIME_TARGET_MS = 16.0

PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Advisor bench</title>
<link rel="stylesheet" href="{asset}/advisor.css"></head>
<body><main><h1>Ask the advisor</h1>
<div id="concept-advisor" data-bundle="{asset}/bundle.json"></div></main>
<script src="{asset}/engine.js"></script>
<script src="{asset}/widget.js"></script></body></html>
"""

# On Enter: a capture listener on window runs before the widget's handler, a bubbling one after
# it, then style and layout are forced. `event.timeStamp` is when the browser created the key
# event, so the second figure also holds the input queue of (headless) Chromium.
PROBE = """() => {
  window.__benchTimes = [];
  let start = 0;
  window.addEventListener('keydown', (event) => { if (event.key === 'Enter') start = performance.now(); }, true);
  window.addEventListener('keydown', (event) => {
    if (event.key !== 'Enter') return;
    document.querySelector('.ca-result').getBoundingClientRect();
    const end = performance.now();
    window.__benchTimes.push([end - start, end - event.timeStamp]);
  });
}"""


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@contextlib.contextmanager
def serve(root: Path) -> Iterator[str]:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(root)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


def gzipped(data: bytes) -> int:
    return len(gzip.compress(data, compresslevel=9, mtime=0))


def questions() -> list[str]:
    import yaml

    if not EVAL_CASES.is_file():
        return ["grafana mongodb", "I want to monitor my database", "what is the difference between a data source and a plugin"]
    return [case["question"] for case in yaml.safe_load(EVAL_CASES.read_text(encoding="utf-8"))]


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--kb", type=Path, default=None, help="knowledge base folder (default: the bundled one)")
    parser.add_argument("--runs", type=int, default=200, help="questions typed and answered (default 200)")
    args = parser.parse_args(argv)
    kb = args.kb or default_kb_path()

    assets = site_assets(kb)
    print(f"knowledge base: {kb}")
    print(f"{'file':<14}{'raw':>10}{'gzipped':>10}")
    sizes = {}
    for path, data in assets.items():
        name = path.rsplit("/", 1)[1]
        sizes[name] = gzipped(data)
        print(f"{name:<14}{len(data):>10,}{sizes[name]:>10,}")
    shipped = sizes["bundle.json"] + sizes["engine.js"] + sizes["widget.js"]
    verdict = "within" if shipped <= SIZE_TARGET else "OVER"
    print(f"bundle + script gzipped: {shipped / 1024:.1f} KB ({verdict} the {SIZE_TARGET // 1024} KB target); with the style sheet: {(shipped + sizes['advisor.css']) / 1024:.1f} KB")

    if not Path(CHROMIUM).exists():
        print(f"no {CHROMIUM}: install Debian's package (`apt-get install -y chromium`) to time the browser")
        return 0
    from playwright.sync_api import sync_playwright

    texts = questions()
    with tempfile.TemporaryDirectory() as folder, serve(Path(folder)) as url:
        for path, data in assets.items():
            target = Path(folder) / path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
        (Path(folder) / "index.html").write_text(PAGE.format(asset=ASSET_DIR), encoding="utf-8")
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            page = browser.new_page()
            page.goto(url)
            page.wait_for_function("() => window.conceptAdvisor.bundle !== null")
            load_ms = page.evaluate("performance.getEntriesByType('resource').filter(e => e.name.endsWith('bundle.json'))[0].duration")
            engine = page.evaluate(
                """(texts) => {
                  const times = [];
                  for (const text of texts) window.conceptAdvisor.ask(text, {});  // warm up the JIT
                  for (let round = 0; round < 5; round++) {
                    for (const text of texts) {
                      const start = performance.now();
                      window.conceptAdvisor.ask(text, {});
                      times.push(performance.now() - start);
                    }
                  }
                  return times;
                }""",
                texts,
            )
            page.evaluate(PROBE)
            box = page.locator(".ca-input")
            for run in range(args.runs):
                box.fill(texts[run % len(texts)] + ("" if run < len(texts) else f" {run}"))
                box.press("Enter")
            measured = page.evaluate("window.__benchTimes")
            browser.close()
    print(f"bundle fetch and parse on loopback: {load_ms:.1f} ms")
    print(f"engine alone (conceptAdvisor.ask, {len(engine)} calls): median {statistics.median(engine):.2f} ms, p95 {percentile(engine, 0.95):.2f} ms, max {max(engine):.2f} ms")
    times = [handler for handler, _ in measured]
    queued = [total for _, total in measured]
    verdict = "within" if percentile(times, 0.95) <= TIME_TARGET_MS else "OVER"
    print(
        f"Enter to rendered answer ({len(times)} runs, handler start to laid out): median {statistics.median(times):.2f} ms, "
        f"p95 {percentile(times, 0.95):.2f} ms, max {max(times):.2f} ms ({verdict} the {TIME_TARGET_MS:.0f} ms target at p95)"
    )
    print(
        f"  from the key event's creation (adds Chromium's input queue): median {statistics.median(queued):.2f} ms, "
        f"p95 {percentile(queued, 0.95):.2f} ms, max {max(queued):.2f} ms"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
