"""The project's own site as a reader meets it, in headless Chromium: light and dark, desktop
(1280 px) and phone (390 px).

- axe-core (from the npm registry, `npm ci`) finds no violation in our own content on any page
  type; the few in Material's own chrome are listed by rule in `THEME_KNOWN`.
- No engine wording ("not known yet", rule ids, weights, ...) on any page for readers, nor in any
  answer the widget shows for the evaluation cases.
- Tables and diagrams fit: no cut-off table without a way to scroll, diagram labels of at least
  12 px on a desktop, tooltips that open on keyboard focus, a site title for Grafana users.
- Diagrams are legible on every page that draws one: edge labels clear of each other, of the
  nodes and of the other lines, each on its own line (measured in the rendered SVG).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any, Iterator

import pytest
import yaml

from conftest import serve_directory

pytestmark = pytest.mark.browser

REPO = Path(__file__).parent.parent
AXE = REPO / "node_modules" / "axe-core" / "axe.min.js"
EVAL = Path(__file__).parent / "eval"

#: One page of each type a reader meets (the developers' pages are checked by axe too).
READER_PAGES = {
    "home": "",
    "advisor": "advisor/",
    "advisor answer": "advisor/?ask=we+run+grafana+ourselves+and+want+an+integration+for+mysql",
    "advisor question": "advisor/?ask=I+want+a+plugin",
    "concepts": "concepts/",
    "concept": "concepts/integration/",
    "compare": "compare/",
    "faq": "faq/",
    "glossary": "glossary/",
}
DEVELOPER_PAGES = {
    "command line": "ask/",
    "rules": "advisor/rules/",
    "api reference": "reference/",
    "api module": "reference/advisor.answer_text/",
}
VIEWPORTS = {"desktop": (1280, 900), "phone": (390, 844)}
SCHEMES = ("light", "dark")

#: What the engine says to developers, never to readers.
ENGINE_PHRASES = (
    "no rule for it holds", "not known yet", "strongest rule", "(it is:", "anything but",
    "values listed first win", "score 0", "scores lower", "not decided yet",
)

#: Violations axe-core finds in Material for MkDocs' own chrome (header, navigation, search,
#: footer), not in our content: rule id -> why it is left.
THEME_KNOWN: dict[str, str] = {
    "aria-dialog-name": "Material's search panel (.md-search) has role=dialog and no accessible name",
    "color-contrast": "Material's footer line 'Made with Material for MkDocs' (.md-copyright), light scheme",
    "landmark-unique": "Material labels a navigation section's <nav> with the section's title, which the page's own link repeats",
}


@pytest.fixture(scope="module")
def project_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The project's own site (mkdocs.yml and docs/), built and served over loopback HTTP."""
    site = tmp_path_factory.mktemp("project-site")
    with serve_directory(site) as (url, _):
        result = subprocess.run(
            [sys.executable, "-m", "mkdocs", "build", "--strict", "--quiet", "-f", str(REPO / "mkdocs.yml"), "-d", str(site)],
            capture_output=True, text=True, timeout=600, env={**__import__("os").environ, "SITE_URL": url},
        )
        assert result.returncode == 0, result.stderr
        yield url


OPEN_SHADOW_ROOTS = """
const attach = Element.prototype.attachShadow;
Element.prototype.attachShadow = function (options) { return attach.call(this, Object.assign({}, options, { mode: "open" })); };
"""


def open_page(browser: Any, url: str, viewport: str, scheme: str, page: Any = None) -> Any:
    """Open `url` in a new page of that size and colour scheme (or in `page`, reused)."""
    if page is None:
        width, height = VIEWPORTS[viewport]
        context = browser.new_context(viewport={"width": width, "height": height}, color_scheme=scheme)
        # Material draws diagrams in a closed shadow root: opened here so that the test can measure them
        context.add_init_script(OPEN_SHADOW_ROOTS)
        page = context.new_page()
    response = page.goto(url)
    assert response is not None and response.ok, url
    page.wait_for_load_state("networkidle")
    if "advisor/" in url and "?" in url:
        page.wait_for_selector(".ca-result[data-status]")
    page.wait_for_timeout(150)  # diagrams and tables are drawn after load
    return page


def axe_violations(page: Any) -> list[dict[str, Any]]:
    page.add_script_tag(path=str(AXE))
    return page.evaluate("""async () => {
        const result = await axe.run(document, { resultTypes: ["violations"] });
        return result.violations.map(v => ({ id: v.id, impact: v.impact, help: v.help,
            nodes: v.nodes.map(n => ({ target: n.target.join(" "), ours: !!document.querySelector(n.target[0]) &&
                !!document.querySelector(n.target[0]).closest(".md-content") })) }));
    }""")


@pytest.mark.parametrize("scheme", SCHEMES)
@pytest.mark.parametrize("viewport", list(VIEWPORTS))
def test_axe_finds_no_violation_in_our_content(chromium_browser: Any, project_site: str, viewport: str, scheme: str) -> None:
    found: list[str] = []
    theme: set[str] = set()
    page = None
    for name, path in {**READER_PAGES, **DEVELOPER_PAGES}.items():
        page = open_page(chromium_browser, project_site + path, viewport, scheme, page)
        for violation in axe_violations(page):
            ours = [node["target"] for node in violation["nodes"] if node["ours"]]
            if ours:
                found.append(f"{name}: {violation['id']} ({violation['help']}): {ours[:3]}")
            if len(ours) < len(violation["nodes"]):
                theme.add(violation["id"])
    page.context.close()
    assert not found, "\n".join(found)
    assert theme <= set(THEME_KNOWN), f"new violations in the theme's chrome: {sorted(theme - set(THEME_KNOWN))}"


def test_no_engine_words_on_the_pages_for_readers(chromium_browser: Any, project_site: str) -> None:
    for name, path in READER_PAGES.items():
        page = open_page(chromium_browser, project_site + path, "desktop", "light")
        text = page.inner_text("article").lower()
        leaks = [phrase for phrase in ENGINE_PHRASES if phrase in text]
        assert not leaks, (name, leaks)
        page.context.close()


def test_no_engine_words_in_any_answer_the_widget_shows(chromium_browser: Any, project_site: str) -> None:
    cases = [case["question"] for case in yaml.safe_load((EVAL / "advisor-cases.yaml").read_text(encoding="utf-8"))]
    examples = EVAL.parent.parent / "data" / "grafana" / "examples.yaml"
    cases += [example["question"] for example in yaml.safe_load(examples.read_text(encoding="utf-8"))["examples"]]
    page = open_page(chromium_browser, project_site + "advisor/", "desktop", "light")
    page.wait_for_function("() => window.conceptAdvisor && window.conceptAdvisor.bundle !== null")
    shown = page.evaluate("""(cases) => cases.map(text => {
        const input = document.querySelector(".ca-input");
        input.value = text;
        document.querySelector(".ca-form").requestSubmit();
        const result = document.querySelector(".ca-result");
        result.querySelectorAll("details").forEach(d => { d.open = true; });
        return [text, result.getAttribute("data-status"), result.innerText];
    })""", cases)
    rules = page.evaluate("() => window.conceptAdvisor.bundle.rules.map(r => r.id)")
    assert len(shown) == len(cases) and all(status for _, status, _ in shown)
    for text, status, answer in shown:
        lowered = answer.lower()
        leaks = [phrase for phrase in ENGINE_PHRASES if phrase in lowered] + [rule for rule in rules if rule in answer]
        assert not leaks, (text, leaks, answer)
        assert "`" not in answer or answer.count("`") % 2 == 1, (text, answer)  # paired backticks are code, not shown
    page.context.close()


def test_the_site_speaks_to_grafana_users_and_the_menu_opens_the_widget(chromium_browser: Any, project_site: str) -> None:
    page = open_page(chromium_browser, project_site, "desktop", "light")
    assert "concept-advisor" not in page.title() and "Grafana" in page.title()
    assert "Grafana" in page.inner_text("article h1")
    page.get_by_role("link", name="Ask the advisor").first.click()
    page.wait_for_selector(".ca-input")
    # the developers' pages are under one section
    section = page.locator(".md-nav__item--section", has_text="For developers").first
    assert "API reference" in section.inner_text() and "Command line" in section.inner_text()
    page.context.close()


def test_tables_fit_or_scroll_with_a_cue_and_diagram_labels_are_readable(chromium_browser: Any, project_site: str) -> None:
    page = open_page(chromium_browser, project_site + "compare/", "desktop", "light")
    article = page.evaluate("() => document.querySelector('article').getBoundingClientRect().width")
    assert article > 1000  # the Compare page uses the whole width
    page.context.close()
    for viewport in VIEWPORTS:
        page = open_page(chromium_browser, project_site + "compare/", viewport, "light")
        tables = page.evaluate("""() => [...document.querySelectorAll('article table')].map(t => {
            const wrap = t.closest('.md-typeset__scrollwrap');
            return { wider: t.scrollWidth > (wrap || t.parentElement).clientWidth + 1,
                     scrolls: !!wrap && getComputedStyle(wrap).overflowX === 'auto',
                     cue: !!wrap && getComputedStyle(wrap).backgroundImage.includes('gradient') };
        })""")
        assert tables and all(not t["wider"] or (t["scrolls"] and t["cue"]) for t in tables), (viewport, tables)
        page.context.close()
    for path in ("concepts/", "concepts/integration/"):
        page = open_page(chromium_browser, project_site + path, "desktop", "light")
        page.wait_for_function("() => document.querySelector('article div.mermaid') && !document.querySelector('article pre.mermaid')", timeout=15000)
        page.wait_for_timeout(300)
        sizes = page.evaluate("""() => [...document.querySelectorAll('.mermaid')].flatMap(host => {
            const root = host.shadowRoot || host;
            const svg = root.querySelector('svg');
            if (!svg) return [];
            return [...svg.querySelectorAll('.nodeLabel, .edgeLabel')].filter(l => l.textContent.trim()).map(l => {
                const box = l.getBoundingClientRect();
                return parseFloat(getComputedStyle(l).fontSize) * (svg.getBoundingClientRect().width / (svg.viewBox.baseVal.width || svg.getBoundingClientRect().width));
            });
        })""")
        assert sizes and min(sizes) >= 12, (path, min(sizes) if sizes else None)
        page.context.close()


def test_a_term_tooltip_opens_on_keyboard_focus(chromium_browser: Any, project_site: str) -> None:
    page = open_page(chromium_browser, project_site + "faq/", "desktop", "light")
    term = page.locator("article abbr[title]").first
    assert term.get_attribute("tabindex") == "0"
    term.focus()
    page.wait_for_timeout(300)
    tooltip_visible = page.evaluate("""() => [...document.querySelectorAll('.md-tooltip, .md-tooltip2')].some(t =>
        getComputedStyle(t).opacity !== '0' && t.getBoundingClientRect().width > 0)""")
    assert tooltip_visible
    page.context.close()


def test_faq_answers_are_indexed_once(project_site: str) -> None:
    import json
    import urllib.request

    with urllib.request.urlopen(project_site + "search/search_index.json") as response:
        docs = json.load(response)["docs"]
    from advisor.load import load_knowledge_base, default_kb_path

    for entry in load_knowledge_base(default_kb_path()).faq:
        sentence = max(entry.answer.split(". "), key=len)[:60]
        holders = [doc["location"] for doc in docs if sentence in doc["text"]]
        assert len(holders) <= 1 and all(location.startswith("faq/") for location in holders), (entry.id, holders)
    concept_pages = [doc for doc in docs if doc["location"].startswith("concepts/") and not doc["location"].startswith("concepts/#")]
    assert concept_pages and all(doc.get("boost") == 3 for doc in concept_pages if doc["location"].count("/") >= 2 and doc["location"] != "concepts/")


@pytest.mark.parametrize("query, page", [("integration", "concepts/integration/"), ("panel plugin", "concepts/panel-plugin/"), ("app plugin", "concepts/app-plugin/")])
def test_search_ranks_a_concept_first_for_its_name_and_aliases(chromium_browser: Any, project_site: str, query: str, page: str) -> None:
    browser_page = open_page(chromium_browser, project_site, "desktop", "light")
    search = browser_page.locator("input.md-search__input")
    search.click()
    search.press_sequentially(query, delay=30)  # Material's search reacts to key presses
    browser_page.wait_for_selector(".md-search-result__item a", timeout=60000)
    first = browser_page.eval_on_selector(".md-search-result__item a", "a => a.href")
    assert first.split("#")[0].split("?")[0].endswith(page), first
    browser_page.context.close()


#: Measures the drawn diagrams of the page in the page's own (client) coordinates: the boxes of
#: the edge labels and of the nodes (getBoundingClientRect), and points every 2 px along each edge
#: (getPointAtLength, through the path's getScreenCTM). A box merely touched (1 px) does not count.
DIAGRAM_GEOMETRY = """() => {
  const inset = 1;
  const meets = (a, b) => Math.min(a.right, b.right) - Math.max(a.left, b.left) > inset
                       && Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top) > inset;
  const holds = (box, p, margin) => p.x > box.left - margin && p.x < box.right + margin && p.y > box.top - margin && p.y < box.bottom + margin;
  const text = el => el.textContent.trim().replace(/\\s+/g, " ");
  const found = { diagrams: 0, labels: 0, labelsOverlap: [], labelOnNode: [], lineThroughLabel: [], labelOffItsLine: [], smallText: [] };
  for (const host of document.querySelectorAll("article .mermaid")) {
    const svg = (host.shadowRoot || host).querySelector("svg");
    if (!svg) continue;
    found.diagrams += 1;
    const labels = [...svg.querySelectorAll(".edgeLabel .label[data-id]")].filter(l => text(l))
      .map(l => ({ id: l.getAttribute("data-id"), text: text(l), box: (l.querySelector("foreignObject") || l).getBoundingClientRect() }));
    const nodes = [...svg.querySelectorAll("g.node")].map(n => ({ text: text(n), box: n.getBoundingClientRect() }));
    found.labels += labels.length;
    labels.forEach((a, i) => labels.slice(i + 1).forEach(b => {
      if (meets(a.box, b.box)) found.labelsOverlap.push(`"${a.text}" / "${b.text}"`);
    }));
    labels.forEach(a => nodes.forEach(n => { if (meets(a.box, n.box)) found.labelOnNode.push(`"${a.text}" on ${n.text}`); }));
    for (const path of svg.querySelectorAll("path.flowchart-link")) {
      const id = path.getAttribute("data-id");
      const own = labels.find(l => l.id === id);
      const matrix = path.getScreenCTM();
      const length = path.getTotalLength();
      const crossed = new Set();
      let onOwn = !own;
      for (let at = 0; at <= length; at += 2) {
        const local = path.getPointAtLength(at);
        const point = new DOMPoint(local.x, local.y).matrixTransform(matrix);
        labels.forEach(l => { if (l !== own && holds(l.box, point, -inset)) crossed.add(l.text); });
        if (own && holds(own.box, point, 4)) onOwn = true;
      }
      crossed.forEach(t => found.lineThroughLabel.push(`${id} through "${t}"`));
      if (!onOwn) found.labelOffItsLine.push(`"${own.text}" (${id})`);
    }
    for (const span of svg.querySelectorAll(".nodeLabel, .edgeLabel")) {
      const object = span.closest("foreignObject");
      if (!text(span) || !object) continue;
      const size = parseFloat(getComputedStyle(span).fontSize) * object.getScreenCTM().a;
      if (size < 12) found.smallText.push(`"${text(span)}": ${size.toFixed(1)} px`);
    }
  }
  return found;
}"""


def diagram_pages() -> dict[str, int]:
    """Every page of the project's site that draws a diagram, with how many: the whole graph, the
    concepts' neighbourhoods and the rules' decision flow of both bundled knowledge bases."""
    from advisor.graph import build_graph
    from advisor.load import load_knowledge_base
    from advisor.render.diagram import decision_flow, graph_diagram, neighbourhood_diagram

    pages = {}
    for prefix, folder in (("", "grafana"), ("alerting/", "alerting")):
        kb = load_knowledge_base(REPO / "data" / folder)
        graph = build_graph(kb)
        if graph_diagram(graph):
            pages[f"{prefix}concepts/"] = 1
        pages.update({f"{prefix}concepts/{concept.id}/": 1 for concept in kb.concepts if neighbourhood_diagram(graph, concept.id)})
        if decision_flow(kb):
            pages[f"{prefix}advisor/rules/"] = 1
    return pages


def test_diagram_labels_are_clear_of_each_other_of_the_nodes_and_of_other_lines(chromium_browser: Any, project_site: str) -> None:
    """At 1280x900, on every page with a diagram: no two edge labels overlap, no edge label lies on
    a node, no line passes through another edge's label, each label sits on its own line, and all
    diagram text is at least 12 px as displayed."""
    problems: list[str] = []
    labels = 0
    page = None
    for path, count in diagram_pages().items():
        page = open_page(chromium_browser, project_site + path, "desktop", "light", page)
        page.wait_for_function("() => document.querySelector('article div.mermaid') && !document.querySelector('article pre.mermaid')", timeout=20000)
        page.wait_for_timeout(200)
        found = page.evaluate(DIAGRAM_GEOMETRY)
        assert found["diagrams"] == count, (path, found["diagrams"])
        labels += found["labels"]
        for kind in ("labelsOverlap", "labelOnNode", "lineThroughLabel", "labelOffItsLine", "smallText"):
            problems.extend(f"{path}: {kind}: {item}" for item in found[kind])
    assert page is not None
    page.context.close()
    assert labels > 200  # both knowledge bases' edge labels were measured
    assert not problems, f"{len(problems)} problems:\n" + "\n".join(problems)
