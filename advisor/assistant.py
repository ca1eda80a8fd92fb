"""What `advisor mcp` serves to AI assistants, without the MCP SDK: tools and Markdown resources.

A [`Library`][advisor.assistant.Library] reaches every bundled knowledge base (a folder of the
data folder holding `kb.yaml`) by name, and any other knowledge base folder by path. Its tools
return plain JSON-ready objects (`ask` the same object as `advisor ask --json`, `explain` the
same as `advisor explain --json`, `compare` the same as `advisor compare --format json`); bad
arguments raise [`ToolError`][advisor.assistant.ToolError] with a message meant for the caller.
Resources are addressed `advisor://KB/concepts/ID` and `advisor://KB/faq/ID`: they are looked
up by id in the loaded knowledge base, never mapped to a file.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

from advisor.paths import default_kb_path

#: The file that makes a folder a knowledge base.
KB_MARKER = "kb.yaml"

#: The longest `text` that `ask` takes (a question, not a document), as `advisor ask -` on stdin.
MAX_TEXT_CHARS = 100_000

#: The scheme of resource addresses.
SCHEME = "advisor"

_RESOURCE = re.compile(rf"\A{SCHEME}://(?P<kb>[^/\s]+)/(?P<kind>concepts|faq)/(?P<id>[^/\s]+)\Z")
_LINK = re.compile(r"\]\((?P<target>[^)\s]+)\)")


#: The names, sizes and modification times of a folder's YAML files.
Stamp = tuple[tuple[str, int, int], ...]


class ToolError(ValueError):
    """A bad argument or an unknown name: the message tells the caller what to send instead."""


@dataclass(frozen=True)
class Resource:
    """A Markdown resource: its address, title and one-line description."""

    uri: str
    name: str
    title: str
    description: str


def data_root() -> Path:
    """Return the folder holding the bundled knowledge bases (`data/` of a checkout, or the wheel's copy)."""
    from advisor.paths import bundled_kbs

    found = bundled_kbs()
    return next(iter(found.values())).parent if found else default_kb_path().parent


def bundled_knowledge_bases(root: Path | None = None) -> dict[str, Path]:
    """Return the bundled knowledge bases by name: each folder of `root` that holds `kb.yaml`, sorted
    (without `root`: [`advisor.paths.bundled_kbs`][advisor.paths.bundled_kbs])."""
    if root is None:
        from advisor.paths import bundled_kbs

        return bundled_kbs()
    folder = root
    found: dict[str, Path] = {}
    try:
        entries = sorted(os.scandir(folder), key=lambda entry: entry.name)
    except OSError:
        return found
    for entry in entries:
        if entry.is_dir() and not entry.name.startswith(".") and (Path(entry.path) / KB_MARKER).is_file():
            found[entry.name] = Path(entry.path)
    return found


def _stamp(folder: Path) -> Stamp:
    """Return the names, sizes and times of a folder's YAML files: a cached load is kept while they stay."""
    try:
        entries = sorted(os.scandir(folder), key=lambda entry: entry.name)
    except OSError:
        return ()
    stamp = []
    for entry in entries:
        if entry.name.endswith(".yaml") and entry.is_file():
            info = entry.stat()
            stamp.append((entry.name, info.st_size, info.st_mtime_ns))
    return tuple(stamp)


def _as_str_list(value: Any, name: str) -> list[str]:
    if isinstance(value, str):
        value = [part.strip() for part in value.split(",")]
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise ToolError(f"`{name}` must be a list of strings, for example [\"first-id\", \"second-id\"]")
    return [item.strip() for item in value if item.strip()]


def _check_arguments(tool: str, arguments: dict[str, Any], allowed: tuple[str, ...], required: tuple[str, ...] = ()) -> None:
    unknown = [key for key in arguments if key not in allowed]
    if unknown:
        raise ToolError(f"{tool}: unknown argument {unknown[0]!r} (arguments: {', '.join(allowed)})")
    for key in required:
        if key not in arguments:
            raise ToolError(f"{tool}: the argument `{key}` is required")


class Library:
    """The knowledge bases an assistant can reach, loaded on first use and kept while unchanged.

    `default` is the knowledge base used when a call names none: a bundled name or a folder
    (default: the bundled Grafana one). `root` is where bundled knowledge bases are looked for.
    """

    def __init__(self, default: str | None = None, root: Path | None = None) -> None:
        self.bundled = bundled_knowledge_bases(root)
        self._compiled: dict[Path, tuple[Stamp, dict[str, Any]]] = {}
        self._graphs: dict[Path, tuple[Stamp, Any]] = {}
        #: Name -> folder of every knowledge base whose resources are listed: the bundled ones,
        #: the default one and any other that `list_concepts` was asked about.
        self.named: dict[str, Path] = {name: path.resolve() for name, path in self.bundled.items()}
        self.default_path = self.resolve(default) if default else default_kb_path().resolve()
        self.default_name = self._name_of(self.default_path)

    # knowledge bases ----------------------------------------------------------------------------

    def resolve(self, kb: Any) -> Path:
        """Return the folder of a knowledge base given by bundled name or by path.

        Raises [`ToolError`][advisor.assistant.ToolError] naming the bundled ones when it is
        neither, or when the folder holds no `kb.yaml`.
        """
        if kb is None or kb == "":
            return self.default_path
        if not isinstance(kb, str):
            raise ToolError("`kb` must be a string: a bundled knowledge base name or a folder path")
        if kb in self.bundled:
            return self.bundled[kb].resolve()
        names = ", ".join(self.bundled) or "none"
        folder = Path(kb).expanduser()
        if not folder.is_dir():
            if not (os.sep in kb or "/" in kb or kb.startswith((".", "~"))):
                raise ToolError(f"unknown knowledge base {kb!r} (bundled: {names}; or give the path of a folder holding {KB_MARKER})")
            raise ToolError(f"knowledge base folder {kb!r} not found (bundled: {names})")
        if not (folder / KB_MARKER).is_file():
            raise ToolError(f"{kb!r} is not a knowledge base: it holds no {KB_MARKER} (bundled: {names})")
        return folder.resolve()

    def compiled(self, kb: Any = None) -> dict[str, Any]:
        """Return the compiled knowledge base (what `advisor ask` answers from)."""
        from advisor.compile import load_compiled

        folder = self.resolve(kb)
        stamp = _stamp(folder)
        cached = self._compiled.get(folder)
        if cached is None or cached[0] != stamp:
            cached = (stamp, load_compiled(folder))
            self._compiled[folder] = cached
        return cached[1]

    def graph(self, kb: Any = None) -> Any:
        """Return the concept graph of a knowledge base (what `explain`, `compare` and resources read)."""
        return self._graph_at(self.resolve(kb))

    def _graph_at(self, folder: Path) -> Any:
        from advisor.graph import build_graph
        from advisor.load import load_knowledge_base

        stamp = _stamp(folder)
        cached = self._graphs.get(folder)
        if cached is None or cached[0] != stamp:
            cached = (stamp, build_graph(load_knowledge_base(folder)))
            self._graphs[folder] = cached
        return cached[1]

    # tools ------------------------------------------------------------------------------------

    def ask(self, text: Any = "", facts: Any = None, kb: Any = None) -> dict[str, Any]:
        """Answer a question: the same object as `advisor ask --json` (status `answer`,
        `question`, `faq` or `out-of-scope`)."""
        from advisor.rules import ask

        if not isinstance(text, str):
            raise ToolError("ask: `text` must be a string: the person's situation or question, in their words")
        if len(text) > MAX_TEXT_CHARS:
            raise ToolError(f"ask: `text` is too long (more than {MAX_TEXT_CHARS:,} characters): send the question, not a document")
        compiled = self.compiled(kb)
        return ask(compiled, text, self._facts(compiled, facts))

    def _facts(self, compiled: dict[str, Any], facts: Any) -> dict[str, str]:
        if facts is None:
            return {}
        known = {fact["id"]: fact for fact in compiled["facts"]}
        if not isinstance(facts, dict):
            raise ToolError(f"ask: `facts` must be an object of fact: value (facts: {', '.join(known)})")
        checked: dict[str, str] = {}
        for key, value in facts.items():
            if key not in known:
                raise ToolError(f"ask: unknown fact {key!r} (facts: {', '.join(known)})")
            values = [option["id"] for option in known[key]["values"]]
            if not isinstance(value, str) or value not in values:
                raise ToolError(f"ask: unknown value {value!r} of fact {key!r} (values: {', '.join(values)})")
            checked[key] = value
        return checked

    def concept_id(self, graph: Any, concept: Any) -> str:
        """Return the id of a concept named by id, name or alias (any case)."""
        from advisor.graph import knowledge_base

        if not isinstance(concept, str) or not concept.strip():
            raise ToolError("`concept` must be a concept id, name or alias (see list_concepts)")
        wanted = concept.strip()
        if wanted in graph:
            return wanted
        folded = wanted.casefold()
        for item in knowledge_base(graph).concepts:
            if folded in {item.id.casefold(), item.name.casefold(), *(alias.casefold() for alias in item.aliases)}:
                return item.id
        raise ToolError(f"unknown concept {concept!r} (concepts: {', '.join(graph.nodes)})")

    def explain(self, concept: Any, kb: Any = None) -> dict[str, Any]:
        """Return everything the graph knows of a concept: the same object as `advisor explain --json`."""
        from advisor.graph import explain

        graph = self.graph(kb)
        return explain(graph, self.concept_id(graph, concept))

    def compare(self, concepts: Any = None, columns: Any = None, kb: Any = None, table: Any = None) -> dict[str, Any]:
        """Return a comparison table, `{"columns": [...], "rows": [...]}`, as `advisor compare --format json`
        gives it: `concepts` (rows) by `columns` (default: the knowledge base's usual columns), or a
        named table."""
        from advisor.compare import CompareError, compare, default_columns, named_table

        graph = self.graph(kb)
        rows = _as_str_list(concepts, "concepts") if concepts is not None else []
        wanted = _as_str_list(columns, "columns") if columns is not None else []
        try:
            if table is not None:
                if not isinstance(table, str):
                    raise ToolError("compare: `table` must be the name of a comparison table")
                named = named_table(graph, table)
                if not rows and not wanted:
                    return named.as_json()
                rows = rows or [row.concept for row in named.rows]
                wanted = wanted or [column.id for column in named.columns]
            if not rows:
                raise ToolError("compare: name the concepts to compare in `concepts`, a list of concept ids (see list_concepts)")
            rows = [self.concept_id(graph, row) for row in rows]
            return compare(graph, rows, wanted or default_columns(graph)).as_json()
        except CompareError as error:
            raise ToolError(f"compare: {error}") from None

    def list_concepts(self, kb: Any = None) -> dict[str, Any]:
        """Return the knowledge base's concepts (id, name, summary, role, kind, aliases, resource
        address), its comparison tables and the names of the knowledge bases reached so far
        (every bundled one first)."""
        from advisor.graph import knowledge_base

        folder = self.resolve(kb)
        data = knowledge_base(self.graph(kb))
        name = self._name_of(folder)
        return {
            "kb": name,
            "title": data.title,
            "description": data.description,
            "concepts": [
                {
                    "id": item.id,
                    "name": item.name,
                    "summary": item.summary,
                    "role": item.role,
                    "kind_of": item.kind_of,
                    "aliases": list(item.aliases),
                    "resource": f"{SCHEME}://{name}/concepts/{item.id}",
                }
                for item in data.concepts
            ],
            "comparisons": [{"id": item.id, "title": item.title} for item in data.comparisons],
            "knowledge_bases": list(self.named),
        }

    def _name_of(self, folder: Path) -> str:
        """Return the name a knowledge base folder's resources go by, naming it on first use
        (its folder name, made unique with a number)."""
        for name, path in self.named.items():
            if path == folder:
                return name
        name, number = folder.name, 1
        while name in self.named or not re.fullmatch(r"[^/\s]+", name):
            number += 1
            name = f"{folder.name}-{number}" if folder.name else f"kb-{number}"
        self.named[name] = folder
        return name

    # resources --------------------------------------------------------------------------------

    def resources(self) -> list[Resource]:
        """Return every concept page and FAQ entry of every listed knowledge base, in data order."""
        from advisor.graph import knowledge_base
        from advisor.render.llms import one_line

        found: list[Resource] = []
        for name in self.named:
            data = knowledge_base(self._graph_at(self.named[name]))
            for item in data.concepts:
                found.append(Resource(f"{SCHEME}://{name}/concepts/{item.id}", f"{name}/concepts/{item.id}", item.name, item.summary))
            for entry in data.faq:
                found.append(Resource(f"{SCHEME}://{name}/faq/{entry.id}", f"{name}/faq/{entry.id}", entry.question, one_line(entry.answer)))
        return found

    def read(self, uri: Any) -> str:
        """Return the Markdown of a resource: a concept page or an FAQ entry, with its sources."""
        match = _RESOURCE.match(uri) if isinstance(uri, str) else None
        if match is None:
            raise ToolError(f"unknown resource {uri!r}: addresses read {SCHEME}://KB/concepts/ID or {SCHEME}://KB/faq/ID")
        name, kind, item_id = match["kb"], match["kind"], match["id"]
        if name not in self.named:
            raise ToolError(f"unknown knowledge base {name!r} in {uri!r} (knowledge bases: {', '.join(self.named)})")
        graph = self._graph_at(self.named[name])
        if kind == "concepts":
            if item_id not in graph:
                raise ToolError(f"unknown concept {item_id!r} in {uri!r} (concepts: {', '.join(graph.nodes)})")
            return concept_markdown(graph, name, item_id)
        return faq_markdown(graph, name, item_id)


def resource_links(markdown: str, page: str, kb_name: str) -> str:
    """Rewrite the site links of a generated page (`page` is its path in the site) into resource
    addresses: a concept page's link becomes `advisor://KB/concepts/ID`, an FAQ anchor
    `advisor://KB/faq/ID`; other links stay."""
    from advisor.render.llms import site_path
    from advisor.render.pages import CONCEPTS_DIR, FAQ_PAGE

    def rewrite(match: re.Match[str]) -> str:
        target = match["target"]
        if "://" in target or target.startswith(("#", "/", "mailto:")):
            return match.group(0)
        resolved, _, anchor = site_path(page, target).partition("#")
        if resolved == FAQ_PAGE and anchor:
            return f"]({SCHEME}://{kb_name}/faq/{anchor})"
        pieces = resolved.split("/")
        if len(pieces) == 3 and pieces[0] == CONCEPTS_DIR and pieces[2] == "index.md" and not anchor:
            return f"]({SCHEME}://{kb_name}/concepts/{pieces[1]})"
        return match.group(0)

    return _LINK.sub(rewrite, markdown)


def _sources(graph: Any, files: tuple[str, ...]) -> list[str]:
    from advisor.graph import knowledge_base
    from advisor.render.escape import link_url, markdown_text

    data = knowledge_base(graph)
    lines: list[str] = []
    seen: set[tuple[str, str | None]] = set()
    for file in files:
        for source in data.sources.get(file, ()):
            key = (source.title, source.url)
            if key in seen:
                continue
            seen.add(key)
            url = link_url(source.url) if source.url else None
            lines.append(f"- [{markdown_text(source.title)}]({url})" if url else f"- {markdown_text(source.title)}")
    reviewed = sorted({data.last_reviewed[file] for file in files if file in data.last_reviewed})
    out = ["## Sources", "", *lines, ""] if lines else []
    if reviewed:
        out.extend([f"Last reviewed: {reviewed[-1]}.", ""])
    return out


def concept_markdown(graph: Any, kb_name: str, concept_id: str) -> str:
    """Return a concept's page as a resource: the site's page, its links as resource addresses,
    then the sources of the concepts file."""
    from advisor.render.pages import SiteIndex, concept_page, render_concept_page

    page = render_concept_page(SiteIndex.of(graph), concept_id)
    if page.startswith("---\n") and "\n---\n" in page[4:]:
        page = page[4:].split("\n---\n", 1)[1].lstrip("\n")  # the site's front matter (search boost) is no content
    text = resource_links(page, concept_page(concept_id), kb_name).rstrip("\n")
    return "\n".join([text, "", *_sources(graph, ("concepts",))]).rstrip("\n") + "\n"


def faq_markdown(graph: Any, kb_name: str, faq_id: str) -> str:
    """Return one FAQ entry as a resource: question, answer, the concepts it is about, sources."""
    from advisor.graph import knowledge_base
    from advisor.render.escape import markdown_text

    data = knowledge_base(graph)
    entry = next((item for item in data.faq if item.id == faq_id), None)
    if entry is None:
        raise ToolError(f"unknown FAQ entry {faq_id!r} (entries: {', '.join(item.id for item in data.faq)})")
    names = {item.id: item.name for item in data.concepts}
    out = ["# " + markdown_text(entry.question), "", markdown_text(entry.answer), ""]
    if entry.simplifies:
        out.extend([f"*In short:* {markdown_text(entry.simplifies)}", ""])
    about = ", ".join(f"[{markdown_text(names.get(c, c))}]({SCHEME}://{kb_name}/concepts/{c})" for c in dict.fromkeys(entry.concepts))
    out.extend([f"**About:** {about}", ""])
    out.extend(_sources(graph, ("faq",)))
    return "\n".join(out).rstrip("\n") + "\n"


#: The tools by name: what each does with its arguments (used by the server and the bench).
TOOLS: dict[str, Callable[..., dict[str, Any]]] = {
    "ask": Library.ask,
    "explain": Library.explain,
    "compare": Library.compare,
    "list_concepts": Library.list_concepts,
}

_ARGUMENTS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "ask": (("text", "facts", "kb"), ("text",)),
    "explain": (("concept", "kb"), ("concept",)),
    "compare": (("concepts", "columns", "table", "kb"), ()),
    "list_concepts": (("kb",), ()),
}


def call_tool(library: Library, name: str, arguments: dict[str, Any] | None) -> dict[str, Any]:
    """Run one tool with the arguments an assistant sent; [`ToolError`][advisor.assistant.ToolError]
    for an unknown tool or bad arguments."""
    if name not in TOOLS:
        raise ToolError(f"unknown tool {name!r} (tools: {', '.join(TOOLS)})")
    arguments = arguments or {}
    if not isinstance(arguments, dict):
        raise ToolError(f"{name}: the arguments must be an object")
    allowed, required = _ARGUMENTS[name]
    _check_arguments(name, arguments, allowed, required)
    return TOOLS[name](library, **arguments)
