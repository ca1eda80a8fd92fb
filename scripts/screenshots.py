"""Screenshots of every page type of a built site, light and dark, at 1280 and 390 px, for a person to look at.

Usage: python scripts/screenshots.py SITE_DIR OUT_DIR   (build first: mkdocs build -d SITE_DIR)
Drives Debian's Chromium with Playwright; serves SITE_DIR on 127.0.0.1. Writes OUT_DIR/NAME-WIDTH-SCHEME.png,
each the top of the page (at most 2,400 px tall).
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from conftest import CHROMIUM, CHROMIUM_ARGS, serve_directory  # noqa: E402
from test_site_readers import DEVELOPER_PAGES, READER_PAGES, SCHEMES, VIEWPORTS  # noqa: E402

MAX_HEIGHT = 2400


def main(site: Path, out: Path) -> int:
    from playwright.sync_api import sync_playwright

    out.mkdir(parents=True, exist_ok=True)
    with serve_directory(site) as (url, _), sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        for name, path in {**READER_PAGES, **DEVELOPER_PAGES}.items():
            for viewport, (width, height) in VIEWPORTS.items():
                for scheme in SCHEMES:
                    context = browser.new_context(viewport={"width": width, "height": height}, color_scheme=scheme)
                    page = context.new_page()
                    page.goto(url + path)
                    page.wait_for_load_state("networkidle")
                    page.wait_for_timeout(400)
                    full = page.evaluate("document.documentElement.scrollHeight")
                    file = out / f"{name.replace(' ', '-')}-{width}-{scheme}.png"
                    page.screenshot(path=str(file), full_page=True, clip={"x": 0, "y": 0, "width": width, "height": min(full, MAX_HEIGHT)})
                    context.close()
                    print(file)
        browser.close()
    return 0


if __name__ == "__main__":
    if len(sys.argv) != 3:
        print(__doc__, file=sys.stderr)
        raise SystemExit(2)
    raise SystemExit(main(Path(sys.argv[1]), Path(sys.argv[2])))
