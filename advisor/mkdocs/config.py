"""Options of the `concept-advisor` MkDocs plugin (under `plugins:` in `mkdocs.yml`)."""

from __future__ import annotations

from mkdocs.config import config_options as c
from mkdocs.config.base import Config


class ConceptAdvisorConfig(Config):  # type: ignore[no-untyped-call]
    """Options of the `concept-advisor` plugin."""

    kb = c.Optional(c.Type(str))
    """Knowledge base folder, relative to `mkdocs.yml` (default: the bundled one)."""
    node_modules = c.Type(str, default="node_modules")
    """Where `npm ci` installed Mermaid and tablesort, relative to `mkdocs.yml`."""
    vendor = c.Type(bool, default=True)
    """Copy Mermaid and tablesort into the site (so it works offline); off: bring your own."""
    offline = c.Type(bool, default=True)
    """Keep the site offline: Material's web fonts (fetched from Google Fonts) are turned off, so
    it uses the system's fonts. Off: the theme's `font` setting is left as it is."""
    nav_concepts_limit = c.Type(int, default=100)
    """A knowledge base of more concepts than this keeps its concept pages out of the global
    navigation: the navigation lists its concept index (a page listing them all) and search
    finds them. Every page carries the whole navigation, so listing thousands of concepts
    there would make the site grow with the square of its pages. Applies to each knowledge
    base of the site (`kb` and each of `knowledge_bases`) by its own count."""
    concepts_in_nav = c.Optional(c.Type(bool))
    """List each concept page in the navigation (`true`) or never (`false`), whatever the
    count; default: as `nav_concepts_limit` says."""
    glossary = c.Type(bool, default=True)
    """Show a concept's definition when its name is hovered anywhere (`abbr` tooltips)."""
    widget = c.Type(bool, default=True)
    """Add the browser advisor's script, style sheet and bundle to the site."""
    reference = c.Type(str, default="")
    """A package to generate API reference pages for (mkdocstrings `:::`), e.g. `advisor`."""
    reference_dir = c.Type(str, default="reference")
    """Where the API reference pages go."""
    schema_reference = c.Type(str, default="")
    """Where to generate the data file reference (every field of every data file, from the JSON
    Schemas that `advisor validate` uses), e.g. `data-files.md`; empty: no such page."""
    knowledge_bases = c.Type(list, default=[])
    """More knowledge bases, each in a section of its own: a list of `{kb: FOLDER or bundled name,
    path: ADDRESS}` (see [`advisor.mkdocs.families`][advisor.mkdocs.families])."""
    llms = c.Type(bool, default=True)
    """Publish `/llms.txt`, `/llms-full.txt` and each generated page as Markdown beside its HTML."""
