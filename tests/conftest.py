"""Shared pytest fixtures."""

from __future__ import annotations

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))


def pytest_configure(config: object) -> None:
    """Give the test run (and the commands it starts) a cache folder of its own, so that tests
    neither read nor fill the user's cache of compiled knowledge bases."""
    import os
    import tempfile

    if "CONCEPT_ADVISOR_TEST_CACHE" not in os.environ:
        os.environ["CONCEPT_ADVISOR_TEST_CACHE"] = os.environ["XDG_CACHE_HOME"] = tempfile.mkdtemp(prefix="advisor-test-cache-")


# --- Browser tests: Debian's Chromium driven by Playwright, sites served over loopback HTTP ------
# Playwright never downloads a browser here: it launches /usr/bin/chromium. Tests marked
# `browser` fail (not skip) without it, since CI installs it.

import contextlib
import functools
import http.server
import subprocess
import threading
import textwrap
from dataclasses import dataclass, field
from typing import Any, Callable, Iterator

import pytest

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    """Serves a folder; records the paths asked for instead of logging them."""

    extensions_map = {**http.server.SimpleHTTPRequestHandler.extensions_map, ".js": "text/javascript", ".json": "application/json"}

    def log_message(self, format: str, *args: Any) -> None:
        self.server.requested.append(self.path)  # type: ignore[attr-defined]


@contextlib.contextmanager
def serve_directory(root: Path) -> Iterator[tuple[str, list[str]]]:
    """Serve `root` on 127.0.0.1 (a free port) in a thread; yield its base URL and the request log."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_QuietHandler, directory=str(root)))
    server.daemon_threads = True
    server.requested = []  # type: ignore[attr-defined]
    thread = threading.Thread(target=server.serve_forever, name="served-site", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/", server.requested  # type: ignore[attr-defined]
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


@dataclass
class ServedSite:
    """A site built with `mkdocs build` from a knowledge base, served over loopback HTTP."""

    kb: Path
    root: Path
    url: str
    requested: list[str] = field(default_factory=list)

    def page(self, path: str = "") -> str:
        """Return the absolute URL of a page, e.g. `advisor/`."""
        return self.url + path.lstrip("/")

    def pages(self) -> list[str]:
        """Return the site-relative URL of every HTML page built (`index.html` as its folder)."""
        urls = []
        for file in sorted(self.root.rglob("*.html")):
            relative = file.relative_to(self.root).as_posix()
            urls.append(relative[: -len("index.html")] if relative.endswith("index.html") else relative)
        return urls


def build_site(kb: Path, project: Path, site_url: str, *, instant: bool = True) -> Path:
    """Build a Material site whose pages the concept-advisor plugin generates from `kb`; return its folder.

    Runs the real `mkdocs build --strict` in a child process, as a user would.
    """
    docs = project / "docs"
    docs.mkdir(parents=True, exist_ok=True)
    (docs / "index.md").write_text("# Test site\n\nSee the [advisor](advisor/index.md).\n", encoding="utf-8")
    features = "[navigation.instant]" if instant else "[]"
    (project / "mkdocs.yml").write_text(
        textwrap.dedent(
            f"""\
            site_name: Advisor test site
            site_url: {site_url}
            docs_dir: docs
            site_dir: site
            theme:
              name: material
              font: false
              features: {features}
              palette:
                - scheme: default
                  toggle: {{icon: material/brightness-4, name: Dark}}
                - scheme: slate
                  toggle: {{icon: material/brightness-7, name: Light}}
            plugins:
              - search
              - concept-advisor:
                  kb: {json.dumps(str(kb))}
            """
        ),
        encoding="utf-8",
    )
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--quiet", "-f", str(project / "mkdocs.yml")],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=300,
    )
    if result.returncode != 0:
        raise AssertionError(f"mkdocs build failed for {kb} (exit {result.returncode}):\n{result.stdout}\n{result.stderr}")
    return project / "site"


@pytest.fixture(scope="session")
def chromium_browser() -> Iterator[Any]:
    """A headless Debian Chromium (session-wide), driven by Playwright."""
    if not CHROMIUM.exists():
        pytest.fail(
            f"{CHROMIUM} is missing: the browser tests need Debian's Chromium. "
            "Install it with `apt-get install -y chromium` (Playwright must not download a browser).",
            pytrace=False,
        )
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.fail("the browser tests need Playwright from PyPI: `pip install playwright` (never `playwright install`)", pytrace=False)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture(scope="session")
def site_factory(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Callable[..., ServedSite]]:
    """Build (once per knowledge base and options) and serve a site: `site_factory(kb_path, instant=True)`."""
    sites: dict[tuple[str, bool], ServedSite] = {}
    with contextlib.ExitStack() as stack:

        def make(kb: Path | str, *, instant: bool = True) -> ServedSite:
            key = (str(Path(kb).resolve()), instant)
            if key not in sites:
                project = tmp_path_factory.mktemp("site")
                (project / "site").mkdir()
                url, requested = stack.enter_context(serve_directory(project / "site"))
                root = build_site(Path(kb).resolve(), project, url, instant=instant)
                sites[key] = ServedSite(Path(kb), root, url, requested)
            return sites[key]

        yield make


@pytest.fixture(scope="session")
def served_site(site_factory: Callable[..., ServedSite]) -> ServedSite:
    """The site of the bundled knowledge base, with Material's instant navigation, served over HTTP."""
    from advisor.load import default_kb_path

    return site_factory(default_kb_path())


@dataclass
class PageWatch:
    """What a page reported: console errors, uncaught exceptions, dialogs and requests."""

    errors: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)


@pytest.fixture()
def watched_page(chromium_browser: Any) -> Iterator[tuple[Any, PageWatch]]:
    """A fresh browser page whose console errors, page errors, dialogs and requests are recorded."""
    context = chromium_browser.new_context()
    page = context.new_page()
    watch = PageWatch()
    page.on("console", lambda message: watch.errors.append(f"console: {message.text}") if message.type == "error" else None)
    page.on("pageerror", lambda error: watch.errors.append(f"page error: {error}"))
    page.on("request", lambda request: watch.requests.append(request.url))

    def on_dialog(dialog: Any) -> None:
        watch.dialogs.append(f"{dialog.type}: {dialog.message}")
        dialog.dismiss()

    page.on("dialog", on_dialog)
    try:
        yield page, watch
    finally:
        context.close()
