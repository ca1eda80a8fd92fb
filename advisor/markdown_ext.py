"""The `/// compare` block: a comparison table of the knowledge base in any Markdown page.

```
/// compare
concepts: [data-source, data-source-plugin, integration]
columns: [applies_to, purpose, examples]
///
```

or `table: summary` for a named comparison of `comparisons.yaml`; `kb: PATH` reads another
knowledge base. The block works in any Python-Markdown tool (`extensions=["concept_advisor"]`),
with or without the MkDocs plugin; under the plugin it uses the site's knowledge base and links
each concept to its page. A block that names an unknown concept, column or table is replaced by
an error box and logged as a warning naming the page and line, so `mkdocs build --strict` fails.
"""

from __future__ import annotations

import logging
import posixpath
import re
import textwrap
from pathlib import Path
from typing import Any, Callable

from markdown import Markdown
from markdown.extensions import Extension
from markdown.preprocessors import Preprocessor
from markdown.treeprocessors import Treeprocessor
from xml.etree.ElementTree import Element

from advisor.render.escape import html_text

#: Warnings go to a child of the `mkdocs` logger, which `mkdocs build --strict` counts.
log = logging.getLogger("mkdocs.plugins.concept_advisor.compare")

_OPEN = re.compile(r"^(?P<indent>[ ]*)/{3}[ ]*compare[ ]*$")
_FENCE = re.compile(r"^(?P<indent>[ ]*)(?P<fence>`{3,}|~{3,})")
_KEYS = ("concepts", "columns", "table", "kb")

#: The most concepts (rows) and columns one block may ask for: a table is read, not scrolled.
MAX_CONCEPTS = 100
MAX_COLUMNS = 30

#: Where an HTML comment opens and closes: blocks inside a comment are left alone.
_COMMENT_OPEN = "<!--"
_COMMENT_CLOSE = "-->"


class CompareBlockError(ValueError):
    """A `/// compare` block that cannot be rendered; the message says why."""


def knowledge_base_graph(path: Path) -> Any:
    """Return the graph of the knowledge base at `path`, loaded once and kept while its files are
    unchanged (same size and modification time), so that pages, blocks and `mkdocs serve`
    rebuilds share one load.

    Raises [`KnowledgeBaseError`][advisor.errors.KnowledgeBaseError] for a broken knowledge base.
    """
    from advisor.graph import build_graph
    from advisor.load import kb_files, load_knowledge_base

    stamp = tuple((str(file), stat.st_mtime_ns, stat.st_size) for file, stat in _stats(kb_files(path).values()))
    cached = _GRAPHS.get(str(path))
    if cached is None or cached[0] != stamp:
        cached = (stamp, build_graph(load_knowledge_base(path)))
        _GRAPHS[str(path)] = cached
    return cached[1]


def _stats(files: Any) -> list[tuple[Path, Any]]:
    found = []
    for file in files:
        try:
            found.append((file, file.stat()))
        except OSError:
            continue
    return found


_GRAPHS: dict[str, tuple[tuple[Any, ...], Any]] = {}


def block_options(body: str) -> Any:
    """Parse a block's YAML body with the data files' guarded loader (safe values only, aliases
    counted, duplicate keys refused); an empty body gives `{}`.

    Raises [`CompareBlockError`][advisor.markdown_ext.CompareBlockError] for YAML that is not valid or not allowed.
    """
    from advisor.yamlsafe import YamlProblem, parse_yaml

    try:
        return parse_yaml(body, "block", empty={})
    except YamlProblem as problem:
        where = f" (block line {problem.problem.line})" if problem.problem.line else ""
        raise CompareBlockError(f"the block is not valid YAML: {problem.problem.message}{where}") from None


def render_block(body: str, graph: Any, link: Callable[[str], str | None] | None = None) -> str:
    """Return the Markdown table a `/// compare` block's YAML body asks for.

    Raises [`CompareBlockError`][advisor.markdown_ext.CompareBlockError] for bad YAML, an unknown
    key, or an unknown concept, column or table.
    """
    from advisor.compare import CompareError, compare, default_columns, named_table
    from advisor.render.table import to_markdown

    options = block_options(body)
    if not isinstance(options, dict):
        raise CompareBlockError("the block must hold `concepts:` and `columns:`, or `table:`")
    unknown = [str(key) for key in options if key not in _KEYS]
    if unknown:
        raise CompareBlockError(f"unknown option {unknown[0]!r} (allowed: {', '.join(_KEYS)})")

    def names(key: str) -> list[str]:
        value = options.get(key) or []
        if isinstance(value, str):
            value = [part.strip() for part in value.split(",") if part.strip()]
        if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
            raise CompareBlockError(f"`{key}` must be a list of ids")
        limit = MAX_CONCEPTS if key == "concepts" else MAX_COLUMNS
        if len(value) > limit:
            raise CompareBlockError(f"`{key}` lists {len(value):,} ids; a block shows at most {limit}")
        return [str(item) for item in value]

    concepts, columns = names("concepts"), names("columns")
    try:
        if options.get("table") is not None:
            table = named_table(graph, str(options["table"]))
            if concepts or columns:
                table = compare(graph, concepts or [r.concept for r in table.rows], columns or [c.id for c in table.columns])
        elif concepts:
            table = compare(graph, concepts, columns or default_columns(graph))
        else:
            raise CompareBlockError("name the `concepts:` to compare, or a `table:`")
    except CompareError as error:
        raise CompareBlockError(str(error)) from None
    kb = graph.graph["kb"]
    scopes = {scope.id: scope.name for scope in kb.scopes}
    return to_markdown(table, scopes, link)


class ComparePreprocessor(Preprocessor):
    """Replaces each `/// compare` block by its table, before code fences are set aside (so a
    block shown inside a fenced code sample stays a sample, and line numbers are exact)."""

    def __init__(self, md: Markdown, extension: "CompareExtension") -> None:
        super().__init__(md)
        self.extension = extension

    def run(self, lines: list[str]) -> list[str]:
        out: list[str] = []
        fence: tuple[str, str] | None = None
        comment = False
        index = 0
        while index < len(lines):
            line = lines[index]
            if comment or (fence is None and _COMMENT_OPEN in line):
                # Inside an HTML comment (which may open and close on this line): left alone.
                tail = line.rsplit(_COMMENT_OPEN, 1)[1] if not comment else line
                comment = _COMMENT_CLOSE not in tail
                out.append(line)
                index += 1
                continue
            fence_match = _FENCE.match(line)
            if fence is not None:
                if fence_match and fence_match["fence"][0] == fence[0][0] and len(fence_match["fence"]) >= len(fence[0]) and not line[fence_match.end():].strip():
                    fence = None
                out.append(line)
                index += 1
                continue
            if fence_match:
                fence = (fence_match["fence"], fence_match["indent"])
                out.append(line)
                index += 1
                continue
            opening = _OPEN.match(line)
            if not opening:
                out.append(line)
                index += 1
                continue
            indent = opening["indent"]
            closing = re.compile(rf"^{indent}/{{3}}[ ]*$")
            end = index + 1
            while end < len(lines) and not closing.match(lines[end]):
                end += 1
            body = "\n".join(textwrap.dedent("\n".join(lines[index + 1:end])).split("\n"))
            if end >= len(lines):
                rendered = self.extension.failure(index + 1, "the block has no closing `///` line")
            else:
                rendered = self.extension.table(body, index + 1)
            out.append("")
            out.extend(indent + part if part else part for part in rendered.rstrip("\n").split("\n"))
            out.append("")
            index = end + 1
        return out


class CompareExtension(Extension):
    """Python-Markdown extension of the `/// compare` block.

    Options: `kb` (knowledge base folder; default the bundled one) and `base_dir` (what a
    relative `kb` is relative to; default the current folder). The MkDocs plugin also sets
    `graph` (its knowledge base), `page` (the page being converted, for messages), `line_offset`
    (lines before the Markdown, such as front matter) and `link` (concept id -> page URL).
    """

    def __init__(self, **kwargs: Any) -> None:
        self.config = {
            "kb": ["", "knowledge base folder (default: the bundled one)"],
            "base_dir": ["", "folder a relative `kb` path is relative to (default: the current folder)"],
            "fail_on_error": [False, "raise on a broken block (stops tools that count no warnings, such as Zensical)"],
        }
        super().__init__(**kwargs)
        self.graph: Any = None
        self.page: str | None = None
        self.line_offset = 0
        self.link: Callable[[str], str | None] | None = None
        self.md: Markdown | None = None
        self.errors: list[str] = []

    def extendMarkdown(self, md: Markdown) -> None:  # noqa: N802 (Python-Markdown's name)
        """Register the block's preprocessor (priority 27: after whitespace normalisation, before code fences)."""
        self.md = md
        md.registerExtension(self)
        md.preprocessors.register(ComparePreprocessor(md, self), "concept_advisor_compare", 27)

    def _path(self, value: str) -> Path:
        path = Path(value).expanduser()
        if not path.is_absolute():
            path = Path(self.getConfig("base_dir") or ".") / path
        return path

    def _graph(self, kb: str | None) -> Any:
        if kb:
            return knowledge_base_graph(self._path(kb))
        if self.graph is not None:
            return self.graph
        configured = self.getConfig("kb")
        if configured:
            return knowledge_base_graph(self._path(configured))
        from advisor.paths import default_kb_path

        return knowledge_base_graph(default_kb_path())

    def where(self, line: int) -> str:
        """Return `PAGE:LINE` (or `line LINE` when the page is unknown) for messages.

        Under the MkDocs plugin the page is set before each page; under another tool that tells
        its extensions the page (Zensical's rendering context), it is taken from there.
        """
        number = line + self.line_offset
        page = self.page or (context_page(self.md) if self.md is not None else None)
        return f"{page}:{number}" if page else f"line {number}"

    def failure(self, line: int, message: str) -> str:
        """Log a block's problem as a warning naming page and line; return an error box for the page."""
        where = self.where(line)
        log.warning("%s: /// compare: %s", where, message)
        self.errors.append(f"{where}: {message}")
        if self.getConfig("fail_on_error"):
            raise CompareBlockError(f"{where}: /// compare: {message}")
        html = f'<div class="admonition failure"><p class="admonition-title">Comparison table error</p><p>{html_text(message)}</p></div>'
        assert self.md is not None
        return self.md.htmlStash.store(html)

    def table(self, body: str, line: int) -> str:
        """Return the Markdown of one block (an error box, logged, when it cannot be rendered)."""
        from advisor.errors import KnowledgeBaseError

        try:
            options = block_options(body)
            kb = options.get("kb") if isinstance(options, dict) else None
            graph = self._graph(str(kb) if kb else None)
            return render_block(body, graph, self.link if not kb else None)
        except CompareBlockError as error:
            return self.failure(line, str(error))
        except KnowledgeBaseError as error:
            return self.failure(line, "the knowledge base has problems: " + "; ".join(str(p) for p in error.problems))


#: Tooltips are dropped inside these elements: a dotted underline on a heading or a link is noise.
_NO_TOOLTIP_IN = frozenset({"h1", "h2", "h3", "h4", "h5", "h6", "a"})


class TooltipExtension(Extension):
    """Keeps the glossary's tooltips (`abbr` elements) where they help a reader: the first mention
    of each term on a page, outside headings and links, and never the page's own concept.

    `terms` are the glossary's terms (other abbreviations of a page are left alone); the MkDocs
    plugin sets `own` (the terms of the concept whose page is converted) before each page.
    """

    def __init__(self, terms: Any = (), **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.terms = frozenset(term.lower() for term in terms)
        self.own: frozenset[str] = frozenset()

    def extendMarkdown(self, md: Markdown) -> None:  # noqa: N802 (Python-Markdown's name)
        """Register the trimming (priority 6: after `abbr` marks the terms, before `toc` reads headings)."""
        md.treeprocessors.register(TooltipTreeprocessor(md, self), "concept_advisor_tooltips", 6)


class TooltipTreeprocessor(Treeprocessor):
    """Unwraps the `abbr` elements [`TooltipExtension`][advisor.markdown_ext.TooltipExtension] drops."""

    def __init__(self, md: Markdown, extension: TooltipExtension) -> None:
        super().__init__(md)
        self.extension = extension

    def run(self, root: Element) -> None:
        found = [abbr for abbr in root.iter("abbr") if (abbr.text or "").lower() in self.extension.terms]
        if not found:
            return None
        parents = {child: parent for parent in root.iter() for child in parent}
        seen = set(self.extension.own)
        for abbr in found:
            term = (abbr.text or "").lower()
            ancestor = parents.get(abbr)
            while ancestor is not None and ancestor.tag not in _NO_TOOLTIP_IN:
                ancestor = parents.get(ancestor)
            if term in seen or ancestor is not None:
                _unwrap(parents[abbr], abbr)
            else:
                seen.add(term)
        return None


def _unwrap(parent: Element, element: Element) -> None:
    """Replace `element` (an `abbr`, which holds text only) by its text, in place."""
    index = list(parent).index(element)
    text = (element.text or "") + (element.tail or "")
    if index == 0:
        parent.text = (parent.text or "") + text
    else:
        previous = parent[index - 1]
        previous.tail = (previous.tail or "") + text
    parent.remove(element)


def context_page(md: Markdown) -> str | None:
    """Return the page a Markdown instance converts, where the tool running it says so: Zensical
    registers a `rendering_context` preprocessor holding the page's path in the docs folder."""
    for processor in md.preprocessors:
        if getattr(processor, "name", None) != "rendering_context":
            continue
        path = getattr(getattr(processor, "page", None), "path", None)
        if not isinstance(path, str):
            return None
        config = getattr(processor, "config", None)
        docs = config.get("docs_dir") if isinstance(config, dict) else None
        return posixpath.join(Path(docs).name, path) if isinstance(docs, str) and docs else path
    return None


def relative_link(page_src: str, target: str) -> str:
    """Return the relative link from a page (its path in the docs folder) to another file there.

    >>> relative_link("guide/embed.md", "concepts/tea.md")
    '../concepts/tea.md'
    """
    return posixpath.relpath(target, posixpath.dirname(page_src) or ".")


def makeExtension(**kwargs: Any) -> CompareExtension:  # noqa: N802 (Python-Markdown's name)
    """Return the extension, for `markdown.Markdown(extensions=["advisor.markdown_ext"])`."""
    return CompareExtension(**kwargs)
