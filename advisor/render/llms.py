"""The site for AI assistants: `/llms.txt`, `/llms-full.txt` and each generated page as Markdown.

[`llms_files`][advisor.render.llms.llms_files] is pure: from the graph and the generated pages
([`render_site`][advisor.render.site.render_site]) it returns every file by its path in the
built site. Each page's Markdown goes beside its HTML (`concepts/ID/index.md` beside
`concepts/ID/index.html`), so the relative links between pages work in the Markdown too.
`/llms.txt` (the [llms.txt](https://llmstxt.org/) format) lists the concept pages, the
comparison tables and the FAQ entries with one-line descriptions, linked relatively so that the
site works offline and wherever it is served; `/llms-full.txt` holds the listed pages whole.
[`write_llms`][advisor.render.llms.write_llms] writes them into a built site atomically.
"""

from __future__ import annotations

import os
import re
import tempfile
from pathlib import Path
from typing import Callable

import networkx as nx

from advisor.graph import knowledge_base
from advisor.render.escape import markdown_text
from advisor.render.pages import ADVISOR_PAGE, COMPARE_PAGE, CONCEPTS_INDEX, FAQ_PAGE, GLOSSARY_PAGE, concept_page

LLMS_TXT = "llms.txt"
LLMS_FULL_TXT = "llms-full.txt"

_LINK = re.compile(r"\]\((?P<target>[^)\s]+)\)")
_ANCHOR = re.compile(r"[ \t]*\{[ \t]*#[^}\s]+[ \t]*\}[ \t]*$", re.MULTILINE)


def one_line(text: str, at_least: int = 60) -> str:
    """Return the first sentences of a text, on one line: as many as make `at_least` characters.

    >>> one_line("No. Integrations exist only in Grafana Cloud. They ship dashboards.", at_least=20)
    'No. Integrations exist only in Grafana Cloud.'
    """
    flat = " ".join(text.split())
    end = 0
    for match in re.finditer(r"(?<=[.!?])\s", flat):
        end = match.start()
        if end >= at_least:
            return flat[:end]
    return flat


def _item(title: str, link: str, description: str = "") -> str:
    text = title.replace("[", "\\[").replace("]", "\\]")
    return f"- [{text}]({link})" + (f": {one_line(description)}" if description.strip() else "")


def site_path(page: str, target: str) -> str:
    """Return a link of `page` (a path in the docs folder) as a path from the site root; external
    links, anchors alone and absolute paths stay as they are.

    >>> site_path("concepts/tea/index.md", "../../faq/index.md#why")
    'faq/index.md#why'
    """
    if "://" in target or target.startswith(("#", "/", "mailto:")):
        return target
    path, hash_, anchor = target.partition("#")
    parts = page.split("/")[:-1]
    for part in path.split("/"):
        if part == "..":
            if parts:
                parts.pop()
        elif part and part != ".":
            parts.append(part)
    return "/".join(parts) + hash_ + anchor


def llms_index(graph: nx.MultiDiGraph, pages: dict[str, str]) -> str:
    """Return `/llms.txt`: the knowledge base's title and description, then its concept pages,
    comparison tables and FAQ entries (and, as optional, the concept index, glossary and
    advisor page), each a relative link to a Markdown page with a one-line description."""
    kb = knowledge_base(graph)
    out = [f"# {kb.title}", "", f"> {one_line(kb.description)}", ""]
    out.extend([
        "Every page below is Markdown generated from one YAML knowledge base (the site's HTML pages are built from the "
        "same files). To ask which of these concepts fits a situation, use the advisor page, `advisor ask`, or the "
        "`advisor mcp` server for AI assistants.",
        "",
    ])
    concepts = [c for c in kb.concepts if concept_page(c.id) in pages]
    main = [c for c in concepts if c.role == "main"]
    context = [c for c in concepts if c.role != "main"]
    if main:
        out.extend(["## Concepts", "", *(_item(c.name, concept_page(c.id), c.summary) for c in main), ""])
    if context:
        out.extend(["## Supporting concepts", "", *(_item(c.name, concept_page(c.id), c.summary) for c in context), ""])
    if COMPARE_PAGE in pages:
        names = {c.id: c.name for c in kb.concepts}
        lines = []
        for comparison in sorted(kb.comparisons, key=lambda c: c.id != "summary"):
            description = comparison.description or "Compares " + ", ".join(names.get(c, c) for c in comparison.concepts) + "."
            lines.append(_item(comparison.title, f"{COMPARE_PAGE}#table-{comparison.id}", description))
        if main:
            lines.append(_item("All concepts side by side", f"{COMPARE_PAGE}#all-concepts", "Every concept to choose between, by the usual columns."))
        out.extend(["## Comparisons", "", *lines, ""])
    if FAQ_PAGE in pages and kb.faq:
        lines = [_item(entry.question, f"{FAQ_PAGE}#{entry.id}", entry.answer) for entry in kb.faq]
        out.extend(["## FAQ", "", *lines, ""])
    optional = [
        (CONCEPTS_INDEX, "Concept index", "Every concept with its one-line definition, and a diagram of the whole graph."),
        (GLOSSARY_PAGE, "Glossary", "Every concept and its definition, in alphabetical order."),
        (ADVISOR_PAGE, "Which should I use?", "The advisor's decision rules and the questions it may ask, in readable form."),
    ]
    lines = [_item(title, path, description) for path, title, description in optional if path in pages]
    if lines:
        out.extend(["## Optional", "", *lines, ""])
    return "\n".join(out).rstrip("\n") + "\n"


def _from_root(page: str) -> Callable[[re.Match[str]], str]:
    def rewrite(match: re.Match[str]) -> str:
        return f"]({site_path(page, match['target'])})"

    return rewrite


def llms_full(graph: nx.MultiDiGraph, pages: dict[str, str]) -> str:
    """Return `/llms-full.txt`: the title and description, then every concept page, the
    comparisons and the FAQ whole, their links rewritten as paths from the site root."""
    kb = knowledge_base(graph)
    order = [concept_page(c.id) for c in kb.concepts if c.role == "main"]
    order += [concept_page(c.id) for c in kb.concepts if c.role != "main"]
    order += [COMPARE_PAGE, FAQ_PAGE]
    out = [f"# {kb.title}", "", f"> {one_line(kb.description)}", ""]
    for path in order:
        if path not in pages:
            continue
        text = _LINK.sub(_from_root(path), pages[path])
        text = _ANCHOR.sub("", text)
        out.extend(["---", "", f"Source: {markdown_text(path)}", "", text.rstrip("\n"), ""])
    return "\n".join(out).rstrip("\n") + "\n"


def llms_files(graph: nx.MultiDiGraph, pages: dict[str, str]) -> dict[str, str]:
    """Return every file for AI assistants by its path in the built site: `llms.txt`,
    `llms-full.txt` and each generated page's Markdown at the path of its source, sorted."""
    files = {path: text for path, text in pages.items() if path.endswith("/index.md")}
    files[LLMS_TXT] = llms_index(graph, pages)
    files[LLMS_FULL_TXT] = llms_full(graph, pages)
    return dict(sorted(files.items()))


def write_llms(files: dict[str, str], site_dir: Path) -> None:
    """Write the files into a built site, each atomically (a temporary file, then a rename)."""
    for path, text in files.items():
        target = site_dir / path
        target.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
        try:
            with os.fdopen(handle, "wb") as stream:
                stream.write(text.encode("utf-8"))
            os.chmod(temporary, 0o644)
            os.replace(temporary, target)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
