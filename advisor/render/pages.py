"""The generated pages as Markdown: one per concept, the concept index, comparisons, FAQ, glossary and the advisor page.

Each page is a pure function of the graph. What several pages need (names, FAQ entries by
concept, kinds by concept, products by concept...) is computed once in a
[`SiteIndex`][advisor.render.pages.SiteIndex], so rendering every page costs time linear in the
size of the knowledge base. Every text of the data is escaped where it lands.

Each page is a folder's `index.md` (`concepts/ID/index.md`, `faq/index.md`...), so its address
is `concepts/ID/` whatever the site's URL style. Links between pages are relative links to
those Markdown files, which MkDocs checks and turns into URLs, and which other static-site tools
understand too.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import networkx as nx

from advisor.compare import compare, default_columns, named_table
from advisor.graph import knowledge_base, relations_in, relations_out
from advisor import facts
from advisor.model import Concept, Faq, KnowledgeBase, Product, Scenario, Source
from advisor.render.diagram import (
    condition_words,
    decision_flow,
    fact_name,
    graph_diagram,
    neighbourhood_diagram,
    rules_by_concept,
)
from advisor.render.escape import html_text, link_url, markdown_text, table_cell
from advisor.render.table import to_markdown

#: Where the generated pages live, relative to the docs folder: part of the site's contract.
CONCEPTS_DIR = "concepts"
CONCEPTS_INDEX = f"{CONCEPTS_DIR}/index.md"
COMPARE_PAGE = "compare/index.md"
FAQ_PAGE = "faq/index.md"
ADVISOR_PAGE = "advisor/index.md"
GLOSSARY_PAGE = "glossary/index.md"
#: The developers' page with every rule of the advisor (weights, conditions, ids).
RULES_PAGE = "advisor/rules/index.md"

#: The id of the element the browser advisor mounts itself on.
WIDGET_ID = "concept-advisor"

#: The browser bundle's path relative to the site root (as `advisor.bundle.site_assets` writes it).
BUNDLE_PATH = "assets/concept-advisor/bundle.json"


def concept_page(concept_id: str) -> str:
    """Return the path of a concept's page, relative to the docs folder.

    >>> concept_page("tea")
    'concepts/tea/index.md'
    """
    return f"{CONCEPTS_DIR}/{concept_id}/index.md"


def relative(source_page: str, target: str) -> str:
    """Return the relative link from one page to another (both relative to the docs folder).

    >>> relative("concepts/tea/index.md", "faq/index.md")
    '../../faq/index.md'
    """
    # Pure string work (posixpath.relpath would consult the current folder on every call).
    start = source_page.split("/")[:-1]
    parts = target.split("/")
    common = 0
    while common < min(len(start), len(parts) - 1) and start[common] == parts[common]:
        common += 1
    return "/".join([".."] * (len(start) - common) + parts[common:])


@dataclass
class SiteIndex:
    """What the pages look up, computed once from the graph (each list in data order)."""

    graph: nx.MultiDiGraph
    kb: KnowledgeBase
    concepts: dict[str, Concept]
    scopes: dict[str, str]
    children: dict[str, list[str]] = field(default_factory=dict)
    faq: dict[str, list[Faq]] = field(default_factory=dict)
    products: dict[str, list[Product]] = field(default_factory=dict)
    scenarios: dict[str, list[Scenario]] = field(default_factory=dict)
    escaped_names: dict[str, str] = field(default_factory=dict)

    @classmethod
    def of(cls, graph: nx.MultiDiGraph) -> "SiteIndex":
        """Index a graph: one pass over each collection of its knowledge base."""
        kb = knowledge_base(graph)
        index = cls(graph, kb, {c.id: c for c in kb.concepts}, {s.id: s.name for s in kb.scopes})
        for concept in kb.concepts:
            if concept.kind_of:
                index.children.setdefault(concept.kind_of, []).append(concept.id)
        for entry in kb.faq:
            for concept_id in dict.fromkeys(entry.concepts):
                index.faq.setdefault(concept_id, []).append(entry)
        for product in kb.products:
            for concept_id in dict.fromkeys(product.concepts):
                index.products.setdefault(concept_id, []).append(product)
        for scenario in kb.scenarios:
            for concept_id in dict.fromkeys(step.concept for step in scenario.steps):
                index.scenarios.setdefault(concept_id, []).append(scenario)
        return index

    def name(self, concept_id: str) -> str:
        """Return a concept's name (its id when unknown)."""
        concept = self.concepts.get(concept_id)
        return concept.name if concept else concept_id

    def parents(self, concept_id: str) -> list[str]:
        """Return the ids of the kinds a concept belongs to, nearest first."""
        chain: list[str] = []
        node = self.concepts[concept_id].kind_of
        while node and node not in chain and node in self.concepts:
            chain.append(node)
            node = self.concepts[node].kind_of
        return chain

    def link(self, concept_id: str, source_page: str) -> str:
        """Return a Markdown link to a concept's page, from the page `source_page`."""
        name = self.escaped_names.get(concept_id)
        if name is None:
            name = self.escaped_names[concept_id] = markdown_text(self.name(concept_id))
        return f"[{name}]({relative(source_page, concept_page(concept_id))})"


def _bullets(items: list[str]) -> list[str]:
    return [f"- {item}" for item in items] + [""]


def _mermaid(diagram: str) -> list[str]:
    return ["```mermaid", *diagram.rstrip("\n").split("\n"), "```", ""]


def _code(text: str) -> str:
    return f"`{text}`" if "`" not in text and text.strip() == text and text else markdown_text(text)


def _heading(level: int, text: str, anchor: str | None = None) -> str:
    suffix = f" {{ #{anchor} }}" if anchor else ""
    return "#" * level + " " + markdown_text(text) + suffix


def _source_line(source: Source) -> str:
    url = link_url(source.url) if source.url else None
    text = f"[{markdown_text(source.title)}]({url})" if url else markdown_text(source.title)
    return text + (f" — {markdown_text(source.note)}" if source.note else "")


def page_sources(kb: KnowledgeBase, files: list[str], entries: list[Source] | tuple[Source, ...] = ()) -> list[str]:
    """The closing section of a page: when the facts it shows were last reviewed (the oldest
    `last_reviewed` of the data `files` it draws on) and their sources, the entries' own first."""
    dates = sorted(kb.last_reviewed[name] for name in files if name in kb.last_reviewed)
    seen: set[tuple[str, str | None]] = set()
    lines = []
    for source in [*entries, *(source for name in files for source in kb.sources.get(name, ()))]:
        if (source.title, source.url) not in seen:
            seen.add((source.title, source.url))
            lines.append(_source_line(source))
    if not dates and not lines:
        return []
    out = [_heading(2, "Sources", "page-sources"), ""]
    if dates:
        out.extend([f"Facts on this page were last reviewed on {dates[0]}.", ""])
    return out + (_bullets(lines) if lines else [])


def _plugin_table(index: SiteIndex, products: list[Product]) -> tuple[list[str], list[Source]]:
    """A table of the products' plugins (how each ships, the oldest host version it runs on, its status and
    the plans it requires) and the sources of what the table says beyond the file's own."""
    plugins = {plugin.id: plugin for plugin in index.kb.plugins}
    rows = []
    sources: list[Source] = []
    for product in products:
        plugin = plugins.get(str(product.attributes.get("plugin_id", "")))
        if plugin is None:
            continue
        version = f"{facts.version_text(plugin.min_version)} or later" if plugin.min_version else "—"
        needs = str(product.attributes.get("needs", "")) or "—"
        wording = index.kb.wording
        cells = [product.name, f"`{plugin.id}`", wording.shipped_label(plugin.shipped), version, facts.status_label(plugin, plugins, wording), needs]
        rows.append("| " + " | ".join(cell if cell.startswith("`") else table_cell(cell) for cell in cells) + " |")
        sources.extend(product.sources)
        if not plugin.active:
            sources.extend(plugin.sources)
    if not rows:
        return [], []
    header = f"| Product | Plugin | How you get it | {table_cell(index.kb.wording.version_label)} | Status | Needs |"
    return [_heading(2, "Plugins"), "", header, "|---|---|---|---|---|---|", *rows, ""], sources


def scope_badge(index: SiteIndex, concept_id: str) -> str:
    """Return "NAME only" for a concept that applies to one scope of several ("Grafana Cloud only"), else ""."""
    concept = index.concepts.get(concept_id)
    if concept is None or len(index.scopes) < 2 or len(concept.applies_to) != 1:
        return ""
    return f"{index.scopes.get(concept.applies_to[0], concept.applies_to[0])} only"


def _badge_html(text: str) -> str:
    # inline HTML in a paragraph: Markdown still reads the text inside, so it is escaped for Markdown
    return f' <span class="ca-badge">{markdown_text(text)}</span>' if text else ""


def render_concept_page(index: SiteIndex, concept_id: str) -> str:
    """Return the page of one concept: kind, where it applies, purpose, what it includes, when
    to use it, examples, relations, FAQ entries about it and a diagram of its neighbourhood."""
    concept = index.concepts[concept_id]
    graph = index.graph
    here = concept_page(concept_id)
    # Search ranks a concept's own page first for its name and aliases (Material's search boost).
    out = ["---", "search:", "  boost: 3", "---", "", _heading(1, concept.name), ""]
    badge = scope_badge(index, concept_id)
    if badge:
        out.extend([_badge_html(badge).strip(), ""])
    out.extend([markdown_text(concept.summary), ""])

    facts = []
    parents = index.parents(concept_id)
    if parents:
        facts.append("**Kind of:** " + " › ".join(index.link(parent, here) for parent in parents))
    else:
        facts.append("**Kind:** " + ("a supporting concept" if concept.role == "context" else "a top-level concept"))
    kinds = index.children.get(concept_id, [])
    if kinds:
        facts.append("**Kinds of it:** " + ", ".join(index.link(child, here) for child in kinds))
    if concept.applies_to:
        # the label is the knowledge base's name for the column (comparisons.yaml), if it has one
        label = next((column.name for column in index.kb.columns if column.id == "applies_to"), "Where it applies")
        facts.append(f"**{markdown_text(label)}:** " + ", ".join(markdown_text(index.scopes.get(s, s)) for s in concept.applies_to))
    if concept.aliases:
        facts.append("**Also called:** " + ", ".join(markdown_text(alias) for alias in concept.aliases))
    facts.append(f"**Id:** `{concept.id}`")
    out.extend(_bullets(facts))

    if concept.purpose:
        out.extend([_heading(2, "Purpose"), "", markdown_text(concept.purpose), ""])
    if concept.includes:
        out.extend([_heading(2, "What it includes"), "", *_bullets([markdown_text(item) for item in concept.includes])])
    if concept.use_when:
        out.extend([_heading(2, "When to use it"), "", *_bullets([markdown_text(c.text) for c in concept.use_when])])

    products = {product.name: product for product in index.products.get(concept_id, [])}
    if concept.examples:
        lines = []
        for example in concept.examples:
            product = products.get(example)
            summary = f" — {markdown_text(product.summary)}" if product and product.summary else ""
            lines.append(f"{markdown_text(example)}{summary}")
        out.extend([_heading(2, "Examples"), "", *_bullets(lines)])
    table, entry_sources = _plugin_table(index, list(products.values()))
    out.extend(table)
    files = ["concepts", "relations"]
    if concept.examples or table:
        files.append("products")

    outgoing = relations_out(graph, concept_id)
    incoming = relations_in(graph, concept_id)
    if outgoing or incoming:
        lines = []
        name = f"**{markdown_text(concept.name)}**"
        for edge in outgoing:
            note = f" — {markdown_text(edge.note)}" if edge.note else ""
            lines.append(f"{name} {markdown_text(edge.label)} {index.link(edge.target, here)}{note}")
        for edge in incoming:
            note = f" — {markdown_text(edge.note)}" if edge.note else ""
            lines.append(f"{index.link(edge.source, here)} {markdown_text(edge.label)} {name}{note}")
        out.extend([_heading(2, "Relations"), "", *_bullets(lines)])

    diagram = neighbourhood_diagram(graph, concept_id)
    if diagram:
        out.extend([_heading(2, "Neighbourhood"), "", *_mermaid(diagram)])

    scenarios = index.scenarios.get(concept_id, [])
    if scenarios:
        files.append("scenarios")
        lines = []
        for scenario in scenarios:
            steps = " → ".join(markdown_text(step.text) for step in scenario.steps)
            lines.append(f"**{markdown_text(scenario.title)}:** {steps}")
        out.extend([_heading(2, "In practice"), "", *_bullets(lines)])

    entries = index.faq.get(concept_id, [])
    if entries:
        files.append("faq")
        # Questions only, linking to their answers: each answer is on (and found by search on) the FAQ page once.
        out.extend([_heading(2, "Questions people ask"), ""])
        for entry in entries:
            entry_sources.extend(entry.sources)
        out.extend(_bullets([f"[{markdown_text(entry.question)}]({relative(here, FAQ_PAGE)}#{entry.id})" for entry in entries]))

    if concept.notes:
        out.extend([_heading(2, "Notes"), "", *_bullets([markdown_text(note) for note in concept.notes])])
    links = [(link.title, link_url(link.url)) for link in concept.links]
    if links:
        lines = [f"[{markdown_text(title)}]({url})" if url else markdown_text(title) for title, url in links]
        out.extend([_heading(2, "Further reading"), "", *_bullets(lines)])
    out.extend(page_sources(index.kb, files, entry_sources))
    return "\n".join(out).rstrip("\n") + "\n"


def render_concepts_index(index: SiteIndex) -> str:
    """Return the concept index: every concept with its one-line definition, and the whole graph."""
    kb = index.kb
    out = [_heading(1, "Concepts"), "", markdown_text(kb.description), ""]
    groups = (("main", "The concepts to choose between"), ("context", "Supporting concepts"))
    for role, title in groups:
        members = [c for c in kb.concepts if c.role == role]
        if not members:
            continue
        out.extend([_heading(2, title), ""])
        for concept in members:
            out.extend([index.link(concept.id, CONCEPTS_INDEX) + _badge_html(scope_badge(index, concept.id)), f":   {markdown_text(concept.summary)}", ""])
    diagram = graph_diagram(index.graph)
    out.extend([_heading(2, "The whole graph"), ""])
    if diagram:
        out.extend(["Solid arrows are relations; dotted arrows are *kind of* links. The diagram scrolls "
                    "sideways; the same graph, as a list, follows it.", "", *_mermaid(diagram)])
    else:
        out.extend(["The graph is too large to draw as one diagram; each concept's page draws its neighbourhood.", ""])
    out.extend([_heading(2, "The graph as a list", "graph-list"), ""])
    for concept in kb.concepts:
        edges = relations_out(index.graph, concept.id)
        if edges:
            lines = [f"{markdown_text(edge.label)} {index.link(edge.target, CONCEPTS_INDEX)}" for edge in edges]
            out.extend([f"**{index.link(concept.id, CONCEPTS_INDEX)}**", "", *_bullets(lines)])
    out.extend(page_sources(kb, ["kb", "concepts", "relations"]))
    return "\n".join(out).rstrip("\n") + "\n"


def render_compare_page(index: SiteIndex) -> str:
    """Return the comparison page: every named table of `comparisons.yaml` (the summary first),
    then all the main concepts side by side."""
    kb = index.kb
    def link(concept_id: str) -> str:
        return relative(COMPARE_PAGE, concept_page(concept_id))

    # The tables need the page's whole width: no navigation or table of contents beside them.
    out = ["---", "hide:", "  - navigation", "  - toc", "---", "", _heading(1, "Compare"), ""]
    ordered = sorted(kb.comparisons, key=lambda c: c.id != "summary")
    for comparison in ordered:
        out.extend([_heading(2, comparison.title, f"table-{comparison.id}"), ""])
        if comparison.description:
            out.extend([markdown_text(comparison.description), ""])
        out.append(to_markdown(named_table(index.graph, comparison.id), index.scopes, link))
    main = [c.id for c in kb.concepts if c.role == "main"]
    if main:
        out.extend([_heading(2, "All concepts side by side", "all-concepts"), ""])
        out.append(to_markdown(compare(index.graph, main, default_columns(index.graph)), index.scopes, link))
    files = ["comparisons", "concepts"] + (["scenarios"] if any(c.footer_scenario for c in kb.comparisons) else [])
    out.extend(page_sources(kb, files))
    return "\n".join(out).rstrip("\n") + "\n"


def render_faq_page(index: SiteIndex) -> str:
    """Return the FAQ page: every confusion point, with links to the concepts it names."""
    kb = index.kb
    out = [_heading(1, "Frequently confused"), ""]
    if not kb.faq:
        out.extend(["No confusion points are recorded yet.", ""])
    for entry in kb.faq:
        out.extend([_heading(2, entry.question, entry.id), "", markdown_text(entry.answer), ""])
        # `simplifies` (where a source page cuts corners) is a note for the knowledge base's editors.
        about = ", ".join(index.link(concept_id, FAQ_PAGE) for concept_id in dict.fromkeys(entry.concepts))
        out.extend([f"**About:** {about}", ""])
        if entry.sources:
            out.extend(["**Sources:**", "", *_bullets([_source_line(source) for source in entry.sources])])
    out.extend(page_sources(kb, ["faq"]))
    return "\n".join(out).rstrip("\n") + "\n"


def generic_step(step: str) -> str | None:
    """Return a next step as it reads when the user named no product: the first of its
    `A || B` choices without a `{placeholder}`, or `None` when every choice needs one.

    >>> generic_step("Install {name}. || Install the plugin.")
    'Install the plugin.'
    """
    return next((choice for choice in step.split(" || ") if not re.search(r"\{[^{}]*\}", choice)), None)


def render_advisor_page(index: SiteIndex, bundle_url: str = f"../{BUNDLE_PATH}") -> str:
    """Return the advisor page: the mount element of the browser advisor, then how it decides,
    in the data's own words (the questions it may ask, and why it recommends each concept). The
    rules themselves, with weights and ids, are on the developers' page
    ([`render_rules_page`][advisor.render.pages.render_rules_page])."""
    kb = index.kb
    out = [
        _heading(1, "Which should I use?"),
        "",
        "Describe your situation in a sentence, or answer a few questions.",
        "",
        f'<div id="{WIDGET_ID}" data-bundle="{html_text(bundle_url)}"></div>',
        "",
        _heading(2, "How the advisor decides", "how-it-decides"),
        "",
        "The advisor reads your sentence for what it says about your setup and what you want to do. "
        "Each thing it recognises makes some answers fit better than others; it recommends the one "
        "that fits best and tells you why. When the answer still depends on something you have not "
        "said, it asks, one question at a time. It never guesses outside what this site covers.",
        "",
    ]
    asked = [question for question in kb.questions if question.ask]
    if asked:
        out.extend([_heading(3, "What it may ask", "questions"), ""])
        for question in asked:
            out.append(f"- **{markdown_text(question.prompt)}**")
            out.extend(f"    - {markdown_text(answer.label)}" for answer in question.values)
        out.append("")
    if kb.rules:
        out.extend([_heading(3, "When it recommends what", "reasons"), ""])
        for concept_id, rules in rules_by_concept(kb).items():
            badge = scope_badge(index, concept_id)
            out.extend([f"**{index.link(concept_id, ADVISOR_PAGE)}**" + _badge_html(badge), ""])
            reasons = [markdown_text(rule.reason) for rule in rules if rule.weight > 0]
            out.extend(_bullets(list(dict.fromkeys(reasons))))
    out.extend([f"Developers: every rule, with its conditions and weights, is on [the rules page]({relative(ADVISOR_PAGE, RULES_PAGE)}).", ""])
    out.extend(page_sources(kb, ["questions", "rules"]))
    return "\n".join(out).rstrip("\n") + "\n"


def render_rules_page(index: SiteIndex) -> str:
    """Return the developers' page of the advisor's rules: the facts and their value ids, the
    decision flow drawn from the rules, and every rule with its weight, condition and id."""
    kb = index.kb
    out = [
        _heading(1, "The advisor's rules"),
        "",
        "For developers and editors of the knowledge base. Each rule adds its weight to a concept when "
        "its condition holds; the concept with the highest total is recommended. When the answer still "
        "depends on a fact not given, the advisor asks for it. When a sentence names several values of "
        "one fact, the fact's `wins` list says which one counts (without it, the order of its values).",
        "",
    ]
    if kb.questions:
        out.extend([_heading(2, "Facts", "questions"), "",
                    "The diagram and the rules name a fact by its short name (in bold here) and a "
                    "value by its id (in code).", ""])
        lines = []
        for question in kb.questions:
            options = "; ".join(f"{_code(answer.id)}: {markdown_text(answer.label)}" for answer in question.values)
            lines.append(f"**{markdown_text(fact_name(question.id))}** (`{question.id}`) — {markdown_text(question.prompt)} {options}")
        out.extend(_bullets(lines))
    if not kb.rules:
        out.extend(["No rules are defined yet.", ""])
        out.extend(page_sources(kb, ["questions", "rules"]))
        return "\n".join(out).rstrip("\n") + "\n"
    flow = decision_flow(kb)
    if flow:
        out.extend([_heading(2, "The decision flow", "flow"), "",
                    "Each box is one rule, its arrow the weight it adds to the concept"
                    + ("; a dotted arrow takes weight away" if any(rule.weight < 0 for rule in kb.rules) else "")
                    + "; **NOT** marks a fact that must not have that value.", "", *_mermaid(flow)])
    out.extend([_heading(2, "The rules", "rules"), ""])

    def clause(fact: str, values: list[str], negated: bool) -> str:
        answers = " or ".join(_code(value) for value in values)
        return f"{markdown_text(fact_name(fact))} is {'**not** ' if negated else ''}{answers}"

    for concept_id, rules in rules_by_concept(kb).items():
        out.extend([f"**When the advisor recommends {index.link(concept_id, RULES_PAGE)}**", ""])
        for rule in rules:
            when = condition_words(rule.when, clause, " and ", " or ", "**not** ")
            out.append(f"- **{rule.weight:+g}** when {when} — {markdown_text(rule.reason)} (`{rule.id}`)")
            for step in filter(None, map(generic_step, rule.next_steps)):
                out.append(f"    - Next: {markdown_text(step)}")
        out.append("")
    out.extend(page_sources(kb, ["questions", "rules"]))
    return "\n".join(out).rstrip("\n") + "\n"


def tooltip_concepts(kb: KnowledgeBase) -> list[Concept]:
    """Return the concepts whose names show their definition on hover, in data order.

    A tooltip helps where a name is a term of the domain a reader may not know; underlining
    every common word is noise. So: every `main` concept (the ones to choose between), and the
    `context` concepts whose name has several words ("Alert rule", not "Dashboard"); never the
    concept whose id is the knowledge base's own (its subject, such as Grafana, named everywhere).
    The glossary page still defines every concept.
    """
    return [
        concept
        for concept in kb.concepts
        if concept.id != kb.id and (concept.role == "main" or len(concept.name.split()) > 1)
    ]


def glossary(kb: KnowledgeBase) -> dict[str, str]:
    """Return the tooltip glossary: the name (and its lower-case form) of each concept of
    [`tooltip_concepts`][advisor.render.pages.tooltip_concepts] -> its one-line definition, for
    Python-Markdown's `abbr` extension (`glossary` option), sorted by term.

    Names with `[`, `]` or `\\` are left out: an abbreviation definition cannot hold them.
    """
    terms: dict[str, str] = {}
    for concept in tooltip_concepts(kb):
        definition = " ".join(concept.summary.split())
        for term in dict.fromkeys([concept.name, concept.name.lower()]):
            if term.strip() and not any(ch in term for ch in "[]\\\n") and term not in terms:
                terms[term] = definition
    return dict(sorted(terms.items()))


def render_glossary_page(index: SiteIndex) -> str:
    """Return the glossary page: each concept and its definition, followed by the abbreviation
    definitions (`*[Name]: definition`) that make names show their definition on hover.

    Other static-site tools can append this file to every page (e.g. with `pymdownx.snippets`'
    `auto_append`) to get the tooltips everywhere.
    """
    kb = index.kb
    out = [_heading(1, "Glossary"), "", "Every concept of the knowledge base and its definition. Elsewhere on this site, a dotted "
           "underline marks the name of a concept: hover it to see its definition.", ""]
    for concept in sorted(kb.concepts, key=lambda c: (c.name.lower(), c.id)):
        out.extend([index.link(concept.id, GLOSSARY_PAGE), f":   {markdown_text(concept.summary)}", ""])
    out.extend(page_sources(kb, ["concepts"]))
    # One definition per block: Python-Markdown re-tests the rest of a block after each
    # definition it takes, so thousands of definitions in one block would cost their square.
    for term, definition in glossary(kb).items():
        out.extend([f"*[{term}]: {definition}", ""])
    return "\n".join(out).rstrip("\n") + "\n"
