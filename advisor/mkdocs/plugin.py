"""The plugin's build events: generates the knowledge base's pages at build time and wires the site around them.

```yaml
plugins:
  - search
  - concept-advisor:
      kb: data/grafana          # relative to mkdocs.yml; default: the bundled knowledge base
      reference: advisor        # optional: generate an API reference (mkdocstrings) for a package
      schema_reference: data-files.md   # optional: every field of every data file, from the schemas
```

Events, in build order:

- `on_config`: loads the knowledge base (broken data stops the build with file and line),
  renders every page with [`render_site`][advisor.render.site.render_site] (both kept while
  the data files are unchanged, for `mkdocs serve` rebuilds), makes sure the Markdown
  extensions the pages use are on (tables, attributes, definition lists, `abbr` with the
  [tooltip glossary][advisor.render.pages.glossary], SuperFences' Mermaid fence), appends the
  `/// compare` extension, renders the API reference and the data file reference (from the
  schemas, with `schema_reference`) when asked, and adds the scripts (a Mermaid loader, which
  fetches the vendored Mermaid only on pages that draw a diagram; tablesort) and the browser
  advisor's assets.
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
import posixpath
import re
import weakref
from pathlib import Path
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page

from advisor.markdown_ext import CompareExtension, TooltipExtension, knowledge_base_graph, relative_link
from advisor.mkdocs.assets import MERMAID_LOADER, STYLESHEET, TABLESORT_INIT, advisor_assets, scripts, stylesheet, vendored_sources
from advisor.mkdocs.config import ConceptAdvisorConfig
from advisor.mkdocs.glossary import TermIndex
from advisor.mkdocs.nav import add_family_section, add_generated_pages
from advisor.mkdocs.reference import reference_pages
from advisor.render.pages import CONCEPTS_DIR, concept_page, glossary
from advisor.render.site import render_site

#: What was rendered from each graph (`pages`, `assets`): graphs are cached while the data is
#: unchanged, and an entry goes with its graph.
_RENDERED: "weakref.WeakKeyDictionary[Any, dict[str, Any]]" = weakref.WeakKeyDictionary()

_MERMAID_FENCE = "mermaid"

#: A mkdocstrings directive (`::: package.module`), which pulls in text from docstrings.
_AUTODOC = re.compile(r"^:::[ ]+\S", re.MULTILINE)


def _problems_text(error: Any) -> str:
    lines = [f"  {problem}" for problem in error.problems]
    count = len(lines)
    return f"concept-advisor: the knowledge base has {count} problem{'s' if count != 1 else ''}:\n" + "\n".join(lines)


class ConceptAdvisorPlugin(BasePlugin[ConceptAdvisorConfig]):  # type: ignore[no-untyped-call]
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
        self.concepts_in_nav = True
        self.terms: TermIndex | None = None
        self.own_terms: dict[str, str] = {}
        self.families: list[Any] = []

    # on_config ------------------------------------------------------------------------------

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig | None:
        """Load the data, render the pages and set up extensions and scripts (default priority).

        The graph, the pages and the advisor's files are kept while the data files are unchanged,
        so a `mkdocs serve` rebuild after a page edit does not load or render them again.
        """
        from advisor.errors import KnowledgeBaseError
        from advisor.graph import knowledge_base
        from advisor.paths import default_kb_path

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
        if self.config.schema_reference:
            from advisor.paths import schema_dir
            from advisor.render.schema_reference import read_schemas, render_schema_reference

            self.pages[self.config.schema_reference] = render_schema_reference(read_schemas(schema_dir()))
        self.concepts_in_nav = self._concepts_in_nav(kb)
        concept_pages = [concept_page(c.id) for c in kb.concepts]
        concepts_first = [f"{CONCEPTS_DIR}/index.md", *(concept_pages if self.concepts_in_nav else [])]
        hidden = set() if self.concepts_in_nav else set(concept_pages)
        self.nav_order = [path for path in dict.fromkeys([*concepts_first, *self.pages]) if path not in hidden]
        self._families(base, rendered)

        self._markdown(config, kb, base)
        config.extra_css.append(STYLESHEET)
        if self.config.vendor:
            self._vendor(config, base)
        if self.config.offline and config.theme.name == "material" and config.theme.get("font"):
            config.theme["font"] = False  # Material's default fetches Roboto from Google Fonts
        if self.config.widget:
            if "assets" not in rendered:
                rendered["assets"] = advisor_assets(kb)
            self.assets = dict(rendered["assets"])
            for family in self.families:
                self.assets.update(family.assets)
            for path in self.assets:
                if path.endswith(".js"):
                    config.extra_javascript.append(path)
                elif path.endswith(".css"):
                    config.extra_css.append(path)
        return config

    def _concepts_in_nav(self, kb: Any) -> bool:
        """Whether the concept pages of `kb` go into the navigation: `concepts_in_nav` when set,
        else whether it has at most `nav_concepts_limit` concepts."""
        if self.config.concepts_in_nav is not None:
            return bool(self.config.concepts_in_nav)
        return len(kb.concepts) <= self.config.nav_concepts_limit

    def _families(self, base: Path, rendered: dict[str, Any]) -> None:
        """Load the `knowledge_bases`, each in a section of its own (kept with the main graph)."""
        from advisor.errors import KnowledgeBaseError
        from advisor.mkdocs.families import FamilyError, load_families

        entries = list(self.config.knowledge_bases)
        key = repr(entries)
        if rendered.get("families_key") != key:
            taken = {path.split("/")[0] for path in self.pages}
            try:
                rendered["families"] = load_families(entries, base, taken)
            except KnowledgeBaseError as error:
                raise PluginError(_problems_text(error)) from None
            except FamilyError as error:
                raise PluginError(f"concept-advisor: {error}") from None
            rendered["families_key"] = key
        self.families = list(rendered["families"])
        for family in self.families:
            self.pages.update(family.pages)
            self.nav_order.extend(family.pages)

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
        self.terms = None
        if self.config.glossary:
            terms = glossary(kb)
            abbr = config.mdx_configs.setdefault("abbr", {})
            # The site's own terms stay on every page; the data's terms go to the pages that
            # mention them (set before each page in on_page_markdown).
            self.own_terms = {term: text for term, text in abbr.get("glossary", {}).items() if term not in terms or terms[term] != text}
            self.terms = TermIndex(terms)
            abbr["glossary"] = {**terms, **self.own_terms}
            self.tooltips = TooltipExtension(terms)
            extensions.append(self.tooltips)  # type: ignore[arg-type]  # MkDocs passes instances on to Markdown
        # The plugin's own instance replaces one listed by name: it knows the page and the data.
        while "concept_advisor" in extensions:
            extensions.remove("concept_advisor")
        options = config.mdx_configs.pop("concept_advisor", {})
        self.extension = CompareExtension(base_dir=str(base), **{k: v for k, v in options.items() if k == "kb"})
        self.extension.graph = self.graph
        extensions.append(self.extension)  # type: ignore[arg-type]

    def _vendor(self, config: MkDocsConfig, base: Path) -> None:
        try:
            self.vendored = vendored_sources(base, self.config.node_modules)
        except FileNotFoundError as missing:
            raise PluginError(
                f"concept-advisor: {missing} is missing. The site vendors Mermaid and tablesort so that it "
                f"works offline: run `npm ci` in {base} (it installs them from package-lock.json), "
                "or set `vendor: false` to bring your own."
            ) from None
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
        generated[STYLESHEET] = File.generated(config, STYLESHEET, content=stylesheet())
        if self.vendored:
            for path, script in scripts().items():
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
        titles = {CONCEPTS_DIR: "Concepts", self.config.reference_dir: "API reference"}
        own = {path for family in self.families for path in family.pages}
        nav = add_generated_pages(nav, files, [path for path in self.nav_order if path not in own], set(self.pages), titles)
        from advisor.graph import knowledge_base

        for family in self.families:
            in_nav = self._concepts_in_nav(knowledge_base(family.graph))
            nav = add_family_section(nav, files, family.path, family.title, list(family.pages), in_nav)
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
        if self.tooltips is not None and self.terms is not None:
            # Text the page's Markdown does not hold yet (a `/// compare` table, mkdocstrings'
            # `::: module` docstrings) may name any concept: such a page gets every term.
            generated_text = "/// compare" in markdown or _AUTODOC.search(markdown) is not None
            mentioned = self.terms.terms if generated_text else self.terms.mentioned(markdown)
            config.mdx_configs["abbr"]["glossary"] = {**mentioned, **self.own_terms}
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
        for family in self.families:
            from advisor.graph import knowledge_base

            server.watch(knowledge_base(family.graph).path)
        return server
