"""The whole generated site as Markdown files: shared by the MkDocs plugin and `advisor render`.

[`render_site`][advisor.render.site.render_site] is pure: the same graph gives byte-identical
pages. [`write_site`][advisor.render.site.write_site] writes them atomically;
[`diff_site`][advisor.render.site.diff_site] tells how a folder differs from them (`--check`).
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import networkx as nx

from advisor.render.trust import accuracy_section

from advisor.render.pages import (
    ADVISOR_PAGE,
    BUNDLE_PATH,
    COMPARE_PAGE,
    CONCEPTS_INDEX,
    FAQ_PAGE,
    GLOSSARY_PAGE,
    RULES_PAGE,
    SiteIndex,
    concept_page,
    relative,
    render_advisor_page,
    render_compare_page,
    render_concept_page,
    render_concepts_index,
    render_faq_page,
    render_glossary_page,
    render_rules_page,
)

MARKER = ".advisor-render"
"""The file `advisor render` leaves in its output folder, so that it only ever replaces a folder it wrote."""
_MARKER_TEXT = "This folder is written by `advisor render`: it is replaced whole on every render.\n"


def render_site(graph: nx.MultiDiGraph) -> dict[str, str]:
    """Return every generated page: path relative to the docs folder -> Markdown, sorted by path.

    ```pycon
    >>> sorted(render_site(graph))[:3]
    ['advisor/index.md', 'compare/index.md', 'concepts/coffee/index.md']
    ```
    """
    index = SiteIndex.of(graph)
    pages = {
        ADVISOR_PAGE: render_advisor_page(index, relative(ADVISOR_PAGE, BUNDLE_PATH)),
        COMPARE_PAGE: render_compare_page(index),
        CONCEPTS_INDEX: render_concepts_index(index),
        FAQ_PAGE: render_faq_page(index),
        GLOSSARY_PAGE: render_glossary_page(index),
        RULES_PAGE: render_rules_page(index),
    }
    for concept in index.kb.concepts:
        pages[concept_page(concept.id)] = render_concept_page(index, concept.id)
    trust = accuracy_section(index.kb)
    if trust:
        # before the closing Sources section, where the page has one
        page = pages[ADVISOR_PAGE]
        at = page.find("\n## Sources")
        block = "\n".join(trust)
        pages[ADVISOR_PAGE] = page.rstrip("\n") + "\n\n" + block.rstrip("\n") + "\n" if at < 0 else page[: at + 1] + block + "\n" + page[at + 1:]
    return dict(sorted(pages.items()))


def _existing(folder: Path) -> dict[str, bytes]:
    if not folder.is_dir():
        return {}
    found = {}
    for path in sorted(folder.rglob("*")):
        if path.is_file() and path.name != MARKER:
            found[path.relative_to(folder).as_posix()] = path.read_bytes()
    return found


def diff_site(pages: dict[str, str], folder: Path) -> list[str]:
    """Return how `folder` differs from `pages`, one line per file (`differs: PATH`,
    `missing: PATH`, `unexpected: PATH`), sorted; an empty list when they are the same."""
    existing = _existing(folder)
    problems = []
    for path in sorted(set(pages) | set(existing)):
        if path not in existing:
            problems.append(f"missing: {path}")
        elif path not in pages:
            problems.append(f"unexpected: {path}")
        elif existing[path] != pages[path].encode("utf-8"):
            problems.append(f"differs: {path}")
    return problems


class RenderError(Exception):
    """The output folder cannot be written (for instance, it holds files a render did not write)."""


def write_site(pages: dict[str, str], folder: Path) -> None:
    """Write `pages` into `folder`, replacing what a previous render wrote there.

    The pages are written into a temporary folder beside `folder`, which then takes its place
    by renames: an interrupted render leaves the old output whole (or, at worst, beside it under
    a `.NAME.old-*` name). A folder that holds files and no [`MARKER`][advisor.render.site.MARKER]
    is refused rather than replaced.
    """
    folder = folder.resolve()
    if folder.exists() and not folder.is_dir():
        raise RenderError(f"{folder} is not a folder")
    if folder.is_dir() and any(folder.iterdir()) and not (folder / MARKER).is_file():
        raise RenderError(f"{folder} holds files that `advisor render` did not write; choose an empty or new folder")
    folder.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{folder.name}.new-", dir=folder.parent))
    try:
        for path, text in pages.items():
            target = staging / path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(text.encode("utf-8"))
        (staging / MARKER).write_text(_MARKER_TEXT, encoding="utf-8")
        os.chmod(staging, 0o755)
        old = None
        if folder.exists():
            old = Path(tempfile.mkdtemp(prefix=f".{folder.name}.old-", dir=folder.parent))
            os.replace(folder, old / folder.name)
        os.replace(staging, folder)
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
