"""Options of the `concept-advisor` MkDocs plugin (under `plugins:` in `mkdocs.yml`)."""

from __future__ import annotations

from mkdocs.config import config_options as c
from mkdocs.config.base import Config


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
