"""More knowledge bases in one site: each under its own address, beside the main one at the root.

```yaml
plugins:
  - concept-advisor:
      kb: data/grafana              # at the root: concepts/, compare/, faq/, advisor/ ...
      knowledge_bases:              # each in a section of its own
        - kb: alerting              # a folder (relative to mkdocs.yml) or a bundled name
          path: alerting            # alerting/concepts/mute-timing/, alerting/advisor/ ...
```

A section holds the same generated pages as the main knowledge base (concept pages, the concept
index, comparisons, FAQ, glossary and the advisor page with its own bundle), all moved under its
`path`: their links are relative, so they stay right. Its `index.md` presents the family.
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from advisor.bundle import ASSET_DIR, bundle_bytes, bundle_of, compiled_of
from advisor.render.escape import markdown_text
from advisor.render.pages import ADVISOR_PAGE, COMPARE_PAGE, CONCEPTS_INDEX, FAQ_PAGE, concept_page
from advisor.render.site import render_site


class FamilyError(ValueError):
    """A `knowledge_bases` entry that cannot be used (unknown folder, clashing path)."""


@dataclass
class Family:
    """One more knowledge base of the site: where it lives in the site and what it adds."""

    path: str
    title: str
    graph: Any
    pages: dict[str, str] = field(default_factory=dict)
    assets: dict[str, bytes] = field(default_factory=dict)


def family_index(prefix: str, kb: Any) -> str:
    """The section's own page: what the family is, and where to go."""
    lines = [f"# {markdown_text(kb.title)}", "", markdown_text(kb.description), "", "Start here:", ""]
    for title, page in (("Ask the advisor", ADVISOR_PAGE), ("Concepts", CONCEPTS_INDEX), ("Compare", COMPARE_PAGE), ("FAQ", FAQ_PAGE)):
        lines.append(f"- [{title}]({posixpath.relpath(page, '.')})")
    lines.append("")
    lines.append("Its concepts: " + ", ".join(f"[{markdown_text(c.name)}]({concept_page(c.id)})" for c in kb.concepts if c.role == "main") + ".")
    return "\n".join(lines) + "\n"


def load_families(entries: list[Any], base: Path, taken: set[str]) -> list[Family]:
    """Load, render and bundle each entry of `knowledge_bases` (paths relative to `base`, the
    folder of `mkdocs.yml`); `taken` holds the paths the site already uses (a clash is an error)."""
    from advisor.graph import knowledge_base
    from advisor.markdown_ext import knowledge_base_graph
    from advisor.paths import resolve_kb

    families: list[Family] = []
    seen: set[str] = set()
    for number, entry in enumerate(entries):
        if not isinstance(entry, dict) or not isinstance(entry.get("kb"), str):
            raise FamilyError(f"knowledge_bases[{number}]: give `kb:` (a folder or a bundled name) and optionally `path:`")
        folder = base / entry["kb"]
        folder = folder if folder.is_dir() else resolve_kb(entry["kb"])
        prefix = str(entry.get("path") or folder.name).strip("/")
        if not prefix or prefix.split("/")[0] in taken or prefix in seen or "." in prefix.split("/")[0]:
            raise FamilyError(f"knowledge_bases[{number}]: path {prefix!r} is empty or already used by the site")
        seen.add(prefix)
        graph = knowledge_base_graph(folder.resolve())
        kb = knowledge_base(graph)
        pages = {f"{prefix}/{path}": text for path, text in render_site(graph).items()}
        pages[f"{prefix}/index.md"] = family_index(prefix, kb)
        assets = {f"{prefix}/{ASSET_DIR}/bundle.json": bundle_bytes(bundle_of(compiled_of(kb)))}
        families.append(Family(prefix, kb.title, graph, dict(sorted(pages.items())), assets))
    return families
