"""The generated site in headless Chromium: Mermaid is fetched only by pages that draw a diagram,
from the site itself (never a CDN), also after Material's instant navigation."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

pytestmark = pytest.mark.browser

MINI = Path(__file__).parent / "fixtures" / "mini"
DRAWN = "() => document.querySelector('article div.mermaid') && !document.querySelector('article pre.mermaid')"


def mermaid_requests(watch: Any) -> list[str]:
    return [url for url in watch.requests if url.endswith("/mermaid.min.js")]


def test_a_page_without_a_diagram_does_not_fetch_mermaid(site_factory: Any, watched_page: Any) -> None:
    site = site_factory(MINI)
    page, watch = watched_page
    for path in ("", "faq/", "glossary/"):
        page.goto(site.page(path))
        page.wait_for_load_state("networkidle")
    assert mermaid_requests(watch) == []
    page.goto(site.page("concepts/tea/"))
    page.wait_for_function(DRAWN)
    assert len(mermaid_requests(watch)) == 1
    assert not watch.errors, watch.errors


def test_diagrams_are_drawn_after_instant_navigation_without_a_cdn(site_factory: Any, watched_page: Any) -> None:
    site = site_factory(MINI)
    page, watch = watched_page
    page.goto(site.page(""))
    page.wait_for_function("() => typeof window.document$ !== 'undefined'")
    page.evaluate("window.__sameDocument = true")  # survives only if navigation stays in this document
    # From the home page to the advisor (no diagram: Mermaid not fetched yet), to a concept (its
    # neighbourhood), back, and forward again.
    page.click("article a[href$='advisor/']")
    page.wait_for_url("**/advisor/")
    page.wait_for_selector("#concept-advisor[data-mounted] .ca-form")
    assert not mermaid_requests(watch)
    page.click("article a[href$='concepts/tea/']")
    page.wait_for_url("**/concepts/tea/")
    page.wait_for_function(DRAWN)
    page.go_back()
    page.wait_for_url("**/advisor/")
    page.wait_for_selector("#concept-advisor[data-mounted] .ca-form")
    page.go_forward()
    page.wait_for_url("**/concepts/tea/")
    page.wait_for_function(DRAWN)
    assert page.evaluate("window.__sameDocument === true"), "Material's instant navigation was not used"
    assert len(mermaid_requests(watch)) == 1, mermaid_requests(watch)
    # the diagrams are laid out by the vendored ELK layout, fetched once beside Mermaid
    assert len([url for url in watch.requests if url.endswith("/mermaid-layout-elk.esm.min.mjs")]) == 1
    outside = [url for url in watch.requests if not url.startswith(site.url)]
    assert outside == [], outside
    assert not watch.errors, watch.errors
