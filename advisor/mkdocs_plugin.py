"""The MkDocs plugin: generates the knowledge base's pages at build time and wires the site around them.

```yaml
plugins:
  - search
  - concept-advisor:
      kb: data/grafana          # relative to mkdocs.yml; default: the bundled knowledge base
      reference: advisor        # optional: generate an API reference (mkdocstrings) for a package
```

Events, in build order:

- `on_config`: loads the knowledge base (broken data stops the build with file and line),
  renders every page with [`render_site`][advisor.render.site.render_site] (both kept while
  the data files are unchanged, for `mkdocs serve` rebuilds), makes sure the Markdown
  extensions the pages use are on (tables, attributes, definition lists, `abbr` with the
  [tooltip glossary][advisor.render.pages.glossary], SuperFences' Mermaid fence), appends the
  `/// compare` extension, and adds the scripts (a Mermaid loader, which fetches the vendored
  Mermaid only on pages that draw a diagram; tablesort) and the browser advisor's assets.
- `on_files`: adds the pages and assets as generated files (`File.generated`).
- `on_nav`: puts generated pages that the `nav` does not list into it.
- `on_page_markdown` (priority 100, before other plugins change the text): tells the
  extensions which page they convert, for messages with page and line, and so that a concept's
  page shows no tooltip on its own name.
- `on_post_build`: writes `/llms.txt`, `/llms-full.txt` and each generated page's Markdown
  beside its HTML ([`llms_files`][advisor.render.llms.llms_files]) into the built site.
- `on_serve`: watches the knowledge base folder, so that `mkdocs serve` rebuilds on a data edit.
"""

from __future__ import annotations

import os
import re
import posixpath
import weakref
from pathlib import Path
from typing import Any

from mkdocs.config import config_options as c
from mkdocs.config.base import Config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.nav import Navigation, Section
from mkdocs.structure.pages import Page

from advisor.markdown_ext import CompareExtension, TooltipExtension, knowledge_base_graph, relative_link
from advisor.render.pages import CONCEPTS_DIR, concept_page, glossary
from advisor.render.site import render_site

#: What was rendered from each graph (`pages`, `assets`): graphs are cached while the data is
#: unchanged, and an entry goes with its graph.
_RENDERED: "weakref.WeakKeyDictionary[Any, dict[str, Any]]" = weakref.WeakKeyDictionary()

#: Browser libraries copied from `node_modules/` (installed by `npm ci`) into the site.
VENDORED: dict[str, str] = {
    "assets/vendor/mermaid.min.js": "mermaid/dist/mermaid.min.js",
    "assets/vendor/mermaid.LICENSE.txt": "mermaid/LICENSE",
    "assets/vendor/tablesort.min.js": "tablesort/dist/tablesort.min.js",
    "assets/vendor/tablesort.LICENSE.txt": "tablesort/LICENCE",
}

#: Makes every plain table sortable, again after each instant-navigation page swap.
TABLESORT_INIT = "assets/vendor/tablesort-init.js"
_TABLESORT_INIT_JS = """\
// Sortable tables (tablesort, vendored): on every page, also after Material's instant navigation.
(function () {
  function sortable() {
    document.querySelectorAll("article table:not([class])").forEach(function (table) {
      if (!table.hasAttribute("data-sortable")) {
        table.setAttribute("data-sortable", "");
        new Tablesort(table);
      }
    });
  }
  if (typeof document$ !== "undefined") {
    document$.subscribe(sortable);
  } else {
    document.addEventListener("DOMContentLoaded", sortable);
  }
})();
"""

#: Stands in for the global `mermaid` on every page and loads the vendored Mermaid on the first diagram.
MERMAID_LOADER = "assets/vendor/mermaid-loader.js"
# Material draws each `pre.mermaid` with the global `mermaid` when one is defined, and fetches
# Mermaid from a CDN otherwise (once per page load: it checks before its first diagram, which may
# come after an instant navigation). Loading the 3.5 MB Mermaid on every page costs about 2 s of
# script parsing in Chromium, so the global is this stand-in: Material calls its `initialize` and
# `render`, and the first `render` loads the vendored file beside it, which then replaces it.
_MERMAID_LOADER_JS = """\
// Mermaid (vendored) is fetched only when a page draws a diagram, also after instant navigation.
(function () {
  if (window.mermaid && !(window.mermaid instanceof Element)) return;
  var source = new URL("mermaid.min.js", document.currentScript.src).href;
  var options = { startOnLoad: false };
  var loading = null;
  function load() {
    if (!loading) {
      loading = new Promise(function (resolve, reject) {
        var script = document.createElement("script");
        script.src = source;
        script.onload = function () {
          if (window.mermaid === standIn) return reject(new Error(source + " did not define mermaid"));
          window.mermaid.initialize(options);
          resolve(window.mermaid);
        };
        script.onerror = function () {
          loading = null;
          reject(new Error("could not load " + source));
        };
        document.body.appendChild(script);
      });
    }
    return loading;
  }
  var standIn = {
    initialize: function (settings) {
      options = Object.assign({ startOnLoad: false }, settings);
    },
    render: function (id, text, container) {
      return load().then(function (mermaid) { return mermaid.render(id, text, container); });
    },
    run: function (settings) {
      return load().then(function (mermaid) { return mermaid.run(settings); });
    },
  };
  window.mermaid = standIn;
})();
"""

#: The plugin's style sheet, on every page.
STYLESHEET = "assets/stylesheets/concept-advisor.css"
_STYLESHEET_CSS = """\
/* Comparison tables: each column keeps a readable width, so a table of many columns scrolls
   sideways (Material lets it) instead of squeezing every cell to a word or two per line. */
.md-typeset table:not([class]) th,
.md-typeset table:not([class]) td {
  min-width: 10em;
}
.md-typeset table:not([class]) td:first-child {
  min-width: 7em;
}
"""

#: The scripts the plugin writes into the site itself (beside the vendored files).
SCRIPTS: dict[str, str] = {MERMAID_LOADER: _MERMAID_LOADER_JS, TABLESORT_INIT: _TABLESORT_INIT_JS}

_MERMAID_FENCE = "mermaid"


class ConceptAdvisorConfig(Config):
    """Options of the `concept-advisor` plugin."""

    kb = c.Optional(c.Type(str))
    """Knowledge base folder, relative to `mkdocs.yml` (default: the bundled one)."""
    node_modules = c.Type(str, default="node_modules")
    """Where `npm ci` installed Mermaid and tablesort, relative to `mkdocs.yml`."""
    vendor = c.Type(bool, default=True)
    """Copy Mermaid and tablesort into the site (so it works offline); off: bring your own."""
    glossary = c.Type(bool, default=True)
    """Show a concept's definition when its name is hovered anywhere (`abbr` tooltips)."""
    widget = c.Type(bool, default=True)
    """Add the browser advisor's script, style sheet and bundle to the site."""
    reference = c.Type(str, default="")
    """A package to generate API reference pages for (mkdocstrings `:::`), e.g. `advisor`."""
    reference_dir = c.Type(str, default="reference")
    """Where the API reference pages go."""
    llms = c.Type(bool, default=True)
    """Publish `/llms.txt`, `/llms-full.txt` and each generated page as Markdown beside its HTML."""


def _problems_text(error: Any) -> str:
    lines = [f"  {problem}" for problem in error.problems]
    count = len(lines)
    return f"concept-advisor: the knowledge base has {count} problem{'s' if count != 1 else ''}:\n" + "\n".join(lines)


_DOCSTRING = re.compile(r'''\A(?:\s*#[^\n]*\n|\s*\n)*\s*[rRuU]?("""|\'\'\')\s*(.*)''')


def _module_summary(path: Path) -> str:
    """Return the first line of a module's docstring, read without importing or parsing it."""
    try:
        head = path.read_text(encoding="utf-8")[:2000]
    except (UnicodeDecodeError, OSError):
        return ""
    match = _DOCSTRING.match(head)
    if not match:
        return ""
    return match.group(2).split(match.group(1))[0].strip()


def reference_pages(package: str, folder: str = "reference") -> dict[str, str]:
    """Return API reference pages for every public module of a package: `FOLDER/MODULE.md`
    holding `::: MODULE` (rendered by mkdocstrings), and `FOLDER/index.md` listing them.

    Modules are found on disk (never imported); names starting with `_` are private and left out.
    """
    import importlib.util

    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        raise PluginError(f"concept-advisor: `reference: {package}` is not an importable package")
    root = Path(list(spec.submodule_search_locations)[0])
    modules: dict[str, Path] = {package: root / "__init__.py"}
    for path in sorted(root.rglob("*.py")):
        parts = path.relative_to(root).with_suffix("").parts
        if parts[-1] == "__init__":
            parts = parts[:-1]
        if not parts or any(part.startswith("_") for part in parts):
            continue
        if not all((root.joinpath(*parts[:i]) / "__init__.py").is_file() for i in range(1, len(parts))):
            continue
        modules[".".join((package, *parts))] = path
    pages = {}
    lines = ["# API reference", "", f"Every public module of `{package}`, documented from its docstrings.", ""]
    for name in sorted(modules):
        pages[f"{folder}/{name}.md"] = f"# `{name}`\n\n::: {name}\n"
        summary = _module_summary(modules[name])
        lines.append(f"- [`{name}`]({name}.md)" + (f": {summary}" if summary else ""))
    pages[f"{folder}/index.md"] = "\n".join(lines) + "\n"
    return dict(sorted(pages.items()))


def find_node_modules(base: Path, option: str = "node_modules") -> Path:
    """Return the `node_modules` folder to copy Mermaid and tablesort from.

    An explicit path is taken relative to `base` (the folder of `mkdocs.yml`). The default
    `node_modules` is looked for as Node looks for packages: in `base`, then in each parent
    folder; then beside the `advisor` package of a checkout. Returns the first candidate holding
    Mermaid, else `base/node_modules` (for the error message).
    """
    first = (base / option).resolve()
    if option != "node_modules":
        return first
    checkout = Path(__file__).resolve().parent.parent
    for folder in (base, *base.parents, checkout):
        candidate = folder / "node_modules"
        if (candidate / VENDORED["assets/vendor/mermaid.min.js"]).is_file():
            return candidate
    return first


def advisor_assets(kb: Any) -> dict[str, bytes]:
    """Return the browser advisor's files by site path (script, style sheet, bundle).

    The one place that calls `advisor.bundle.site_assets`; empty while that module is absent.
    """
    try:
        from advisor.bundle import site_assets
    except ImportError:
        return {}
    return site_assets(kb)


class ConceptAdvisorPlugin(BasePlugin[ConceptAdvisorConfig]):
    """Generates the concept pages, comparisons, FAQ, glossary and advisor page of a knowledge base."""

    def __init__(self) -> None:
        self.kb_path: Path | None = None
        self.graph: Any = None
        self.pages: dict[str, str] = {}
        self.assets: dict[str, bytes] = {}
        self.vendored: dict[str, Path] = {}
        self.extension: CompareExtension | None = None
        self.tooltips: TooltipExtension | None = None
        self.nav_order: list[str] = []
        self.llms: dict[str, str] = {}

    # on_config ------------------------------------------------------------------------------

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig | None:
        """Load the data, render the pages and set up extensions and scripts (default priority).

        The graph, the pages and the advisor's files are kept while the data files are unchanged,
        so a `mkdocs serve` rebuild after a page edit does not load or render them again.
        """
        from advisor.errors import KnowledgeBaseError
        from advisor.graph import knowledge_base
        from advisor.load import default_kb_path

        base = Path(config.config_file_path or ".").resolve().parent
        self.kb_path = (base / self.config.kb).resolve() if self.config.kb else default_kb_path()
        try:
            self.graph = knowledge_base_graph(self.kb_path)
        except KnowledgeBaseError as error:
            raise PluginError(_problems_text(error)) from None
        kb = knowledge_base(self.graph)
        rendered = _RENDERED.setdefault(self.graph, {})
        if "pages" not in rendered:
            rendered["pages"] = render_site(self.graph)
        self.pages = dict(rendered["pages"])
        if self.config.llms and "llms" not in rendered:
            from advisor.render.llms import llms_files

            rendered["llms"] = llms_files(self.graph, rendered["pages"])
        self.llms = dict(rendered["llms"]) if self.config.llms else {}
        if self.config.reference:
            self.pages.update(reference_pages(self.config.reference, self.config.reference_dir))
        concepts_first = [f"{CONCEPTS_DIR}/index.md", *(concept_page(c.id) for c in kb.concepts)]
        self.nav_order = list(dict.fromkeys([*concepts_first, *self.pages]))

        self._markdown(config, kb, base)
        config.extra_css.append(STYLESHEET)
        if self.config.vendor:
            self._vendor(config, base)
        if self.config.widget:
            if "assets" not in rendered:
                rendered["assets"] = advisor_assets(kb)
            self.assets = dict(rendered["assets"])
            for path in self.assets:
                if path.endswith(".js"):
                    config.extra_javascript.append(path)
                elif path.endswith(".css"):
                    config.extra_css.append(path)
        return config

    def _markdown(self, config: MkDocsConfig, kb: Any, base: Path) -> None:
        from pymdownx.superfences import fence_code_format

        extensions = config.markdown_extensions
        for name in ("tables", "attr_list", "def_list", "abbr", "pymdownx.superfences"):
            if name not in extensions:
                extensions.append(name)
        fences = config.mdx_configs.setdefault("pymdownx.superfences", {}).setdefault("custom_fences", [])
        if not any(fence.get("name") == _MERMAID_FENCE for fence in fences):
            fences.append({"name": _MERMAID_FENCE, "class": "mermaid", "format": fence_code_format})
        self.tooltips = None
        if self.config.glossary:
            terms = glossary(kb)
            abbr = config.mdx_configs.setdefault("abbr", {})
            abbr["glossary"] = {**terms, **abbr.get("glossary", {})}
            self.tooltips = TooltipExtension(terms)
            extensions.append(self.tooltips)
        # The plugin's own instance replaces one listed by name: it knows the page and the data.
        while "concept_advisor" in extensions:
            extensions.remove("concept_advisor")
        options = config.mdx_configs.pop("concept_advisor", {})
        self.extension = CompareExtension(base_dir=str(base), **{k: v for k, v in options.items() if k == "kb"})
        self.extension.graph = self.graph
        extensions.append(self.extension)

    def _vendor(self, config: MkDocsConfig, base: Path) -> None:
        modules = find_node_modules(base, self.config.node_modules)
        for site_path, package_path in VENDORED.items():
            source = modules / package_path
            if not source.is_file():
                raise PluginError(
                    f"concept-advisor: {source} is missing. The site vendors Mermaid and tablesort so that it "
                    f"works offline: run `npm ci` in {base} (it installs them from package-lock.json), "
                    "or set `vendor: false` to bring your own."
                )
            self.vendored[site_path] = source
        # Mermaid itself is not listed: the loader fetches it on pages that draw a diagram.
        for script in (MERMAID_LOADER, "assets/vendor/tablesort.min.js", TABLESORT_INIT):
            config.extra_javascript.append(script)

    # on_files -------------------------------------------------------------------------------

    def on_files(self, files: Files, config: MkDocsConfig) -> Files:
        """Add the generated pages and assets; a hand-written file at a generated path is an error."""
        generated: dict[str, File] = {}
        for path, text in self.pages.items():
            # Not in nav (yet): on_nav places them, so MkDocs need not warn they are unlisted.
            generated[path] = File.generated(config, path, content=text, inclusion=InclusionLevel.NOT_IN_NAV)
        for path, data in self.assets.items():
            generated[path] = File.generated(config, path, content=data)
        for path, source in self.vendored.items():
            generated[path] = File.generated(config, path, abs_src_path=str(source))
        generated[STYLESHEET] = File.generated(config, STYLESHEET, content=_STYLESHEET_CSS)
        if self.vendored:
            for path, script in SCRIPTS.items():
                generated[path] = File.generated(config, path, content=script)
        for path in self.llms:
            if path.endswith(".txt") and files.get_file_from_path(path) is not None:
                raise PluginError(f"concept-advisor: {config.docs_dir}/{path} clashes with a generated file: rename it or set `llms: false`")
        for path, file in generated.items():
            if files.get_file_from_path(path) is not None:
                raise PluginError(f"concept-advisor: {config.docs_dir}/{path} clashes with a generated file: rename or remove it")
            files.append(file)
        return files

    # on_nav ---------------------------------------------------------------------------------

    def on_nav(self, nav: Navigation, config: MkDocsConfig, files: Files) -> Navigation:
        """Add the generated pages the `nav` does not list: a folder's pages go into a section
        led by its `index.md` (where the nav lists that index, the section takes its place);
        the other pages go at the end. Without a `nav`, MkDocs lists every page already."""
        from mkdocs.structure.nav import _add_parent_links, _add_previous_and_next_links, _get_by_type

        listed = {page.file.src_uri for page in nav.pages}
        missing = [path for path in self.nav_order if path.endswith(".md") and path not in listed]
        if not missing:
            return nav
        groups: dict[str, list[str]] = {}
        for path in missing:
            groups.setdefault(path.split("/")[0] if "/" in path else path, []).append(path)
        folders = {folder: paths for folder, paths in groups.items() if len(paths) > 1}
        top = [path for folder, paths in groups.items() if len(paths) == 1 for path in paths]
        titles = {CONCEPTS_DIR: "Concepts", self.config.reference_dir: "API reference"}
        for folder, paths in folders.items():
            index_path = f"{folder}/index.md"
            children = [files.get_file_from_path(path).page for path in paths if path != index_path]
            if index_path not in self.pages:
                index_path = ""
            located = _find(nav.items, index_path)
            if located is not None:
                container, position = located
                index_page = container[position]
                section = Section(index_page.title or titles.get(folder, folder.capitalize()), [index_page, *children])
                container[position] = section
            else:
                index_file = files.get_file_from_path(index_path)
                leading = [index_file.page] if index_file is not None and index_path in missing else []
                nav.items.append(Section(titles.get(folder, folder.capitalize()), [*leading, *children]))
        nav.items.extend(files.get_file_from_path(path).page for path in top)
        nav.pages = _get_by_type(nav.items, Page)
        _add_parent_links(nav.items)
        _add_previous_and_next_links(nav.pages)
        return nav

    # on_page_markdown -----------------------------------------------------------------------

    @event_priority(100)
    def on_page_markdown(self, markdown: str, page: Page, config: MkDocsConfig, files: Files) -> str | None:
        """Tell the `/// compare` extension the page it is about to convert (runs first, priority 100)."""
        if self.extension is None:
            return None
        file = page.file
        if file.abs_src_path and not file.generated_by:
            try:
                label = os.path.relpath(file.abs_src_path)
            except ValueError:
                label = file.abs_src_path
        else:
            label = posixpath.join(Path(config.docs_dir).name, file.src_uri)
        raw = file.content_string if not file.generated_by else markdown
        self.extension.page = label
        self.extension.line_offset = raw[: len(raw) - len(markdown)].count("\n") if raw.endswith(markdown) else 0
        graph = self.graph

        def link(concept_id: str) -> str | None:
            if concept_id not in graph:
                return None
            return relative_link(file.src_uri, concept_page(concept_id))

        self.extension.link = link
        if self.tooltips is not None:
            own = file.src_uri.split("/")
            concept = graph.nodes[own[1]]["concept"] if len(own) == 3 and own[0] == CONCEPTS_DIR and own[1] in graph else None
            self.tooltips.own = frozenset([concept.name.lower()]) if concept else frozenset()
        return None

    # on_post_build --------------------------------------------------------------------------

    def on_post_build(self, config: MkDocsConfig) -> None:
        """Write `/llms.txt`, `/llms-full.txt` and the generated pages' Markdown into the built site."""
        if self.llms:
            from advisor.render.llms import write_llms

            write_llms(self.llms, Path(config.site_dir))

    # on_serve -------------------------------------------------------------------------------

    def on_serve(self, server: Any, config: MkDocsConfig, builder: Any) -> Any:
        """Watch the knowledge base folder: editing a data file rebuilds the generated pages."""
        if self.kb_path is not None:
            server.watch(str(self.kb_path))
        return server


def _find(items: list, src_uri: str) -> tuple[list, int] | None:
    """Return (the list holding, the position of) the nav page of `src_uri`, searching sections."""
    for position, item in enumerate(items):
        if isinstance(item, Page) and item.file.src_uri == src_uri:
            return items, position
        if isinstance(item, Section):
            found = _find(item.children, src_uri)
            if found is not None:
                return found
    return None
