"""A knowledge base whose every text carries `<script>`, `<img onerror>`, `javascript:` links, quotes
and `|` builds a site on which no script of it runs, on any page, in the widget too.

The payloads (tests/fixtures/hostile) all set `window.__caPwned` or open an alert: the test visits
every page of the site built with `mkdocs build --strict` and requires neither to ever happen.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pytest

from advisor import rules
from advisor.answer_text import plain, segments
from advisor.bundle import export_bundle

pytestmark = pytest.mark.browser

HOSTILE = Path(__file__).parent / "fixtures" / "hostile"
SCRIPT = '<script>window.__caPwned="script"</script>'
IMG = '<img src=x onerror="window.__caPwned=`img`;alert(1)">'

# Records every write to the flag, even one undone later, before any script of the page runs.
TRAP = """
(() => {
  const hits = [];
  Object.defineProperty(window, '__caPwnedHits', { value: hits });
  Object.defineProperty(window, '__caPwned', { configurable: false, get: () => undefined, set: (value) => hits.push(String(value)) });
})();
"""

SUSPICIOUS = """() => {
  const found = [];
  for (const element of document.querySelectorAll('*')) {
    for (const attribute of element.getAttributeNames()) {
      if (/^on/i.test(attribute)) found.push(element.tagName + ' ' + attribute + '=' + element.getAttribute(attribute));
    }
    for (const name of ['href', 'src', 'action', 'formaction', 'xlink:href']) {
      const value = (element.getAttribute(name) || '').replace(/[\\s\\u0000-\\u001f]/g, '').toLowerCase();
      if (value.startsWith('javascript:') || value.startsWith('data:text/html')) found.push(element.tagName + ' ' + name + '=' + value);
    }
  }
  for (const element of document.querySelectorAll('iframe, object, embed')) found.push(element.outerHTML.slice(0, 80));
  for (const script of document.querySelectorAll('script')) {
    if ((script.textContent || '').includes('__caPwned')) found.push('script: ' + script.textContent.slice(0, 80));
  }
  return found;
}"""


@pytest.fixture(scope="module")
def hostile_site(site_factory: Any) -> Any:
    return site_factory(HOSTILE)


@pytest.fixture()
def trapped_page(watched_page: Any) -> Any:
    page, watch = watched_page
    page.add_init_script(TRAP)
    return page, watch


def assert_nothing_ran(page: Any, watch: Any, where: str) -> None:
    hits = page.evaluate("window.__caPwnedHits")
    assert hits == [], f"{where}: a payload ran and set the flag: {hits}"
    assert watch.dialogs == [], f"{where}: a payload opened a dialog: {watch.dialogs}"
    found = page.evaluate(SUSPICIOUS)
    assert found == [], f"{where}: executable markup from the data reached the page: {found}"


def test_the_fixture_is_hostile_everywhere() -> None:
    texts = "".join(path.read_text(encoding="utf-8") for path in HOSTILE.glob("*.yaml"))
    for payload in (SCRIPT, IMG, "javascript:", "<svg onload", "<iframe", "|", '"', "</textarea>", "<!--"):
        assert payload in texts, payload


def test_no_page_of_the_site_runs_the_data_as_script(hostile_site: Any, trapped_page: Any) -> None:
    page, watch = trapped_page
    pages = hostile_site.pages()
    assert "advisor/" in pages and any(url.startswith("concepts/") for url in pages) and "faq/" in pages
    for url in pages:
        page.goto(hostile_site.page(url))
        page.wait_for_load_state("networkidle")
        page.wait_for_timeout(100)  # diagrams and tables are drawn after load
        assert_nothing_ran(page, watch, url)
    # the payloads are shown, as text, on the concept pages
    page.goto(hostile_site.page("concepts/tea/"))
    assert "onerror" in page.text_content("article")
    assert not [error for error in watch.errors if error.startswith("page error")], watch.errors


def test_the_widget_shows_hostile_text_as_text(hostile_site: Any, trapped_page: Any) -> None:
    page, watch = trapped_page
    bundle = export_bundle(HOSTILE)
    asked = {
        "answer": ("I am knackered", {}),
        "question": ("", {}),
        "faq": ("tea or coffee, what's the difference", {}),
        "out-of-scope": ("a recipe to bake", {}),
    }
    for status, (text, facts) in asked.items():
        expected = rules.ask(bundle, text, facts)
        assert expected["status"] == status, (text, expected["status"])
        page.goto(hostile_site.page("advisor/") + "?" + urlencode([("ask", text), *facts.items()]), wait_until="domcontentloaded")
        page.wait_for_selector(f".ca-result[data-status='{status}']")
        shown = page.text_content(".ca-result")
        assert "<script>" in shown or "<img src=x onerror=" in shown, shown
        assert_nothing_ran(page, watch, f"advisor ({status})")
        # the answer's own text is in the page, character for character (inline code without its backticks)
        for needle in (expected["message"], *((expected["recommendation"] or {}).get("next_steps", []))):
            assert needle in shown or plain(segments(needle)) in shown
        if status == "question":
            labels = page.eval_on_selector_all(".ca-option", "els => els.map(e => e.textContent)")
            assert labels == [expected["question"]["labels"][option] for option in expected["question"]["options"]]
            page.click(".ca-option")
            assert_nothing_ran(page, watch, "advisor (after a follow-up)")
    # a hostile question in a shared link is text too
    page.goto(hostile_site.page("advisor/") + "?" + urlencode([("ask", SCRIPT + IMG)]), wait_until="domcontentloaded")
    page.wait_for_selector(".ca-result[data-status]")
    assert page.input_value(".ca-input") == SCRIPT + IMG
    assert_nothing_ran(page, watch, "advisor (hostile link)")
    assert not watch.errors, watch.errors
