"""Navigation: puts the generated pages that the site's `nav` does not list into it."""

from __future__ import annotations

from typing import Any

from mkdocs.structure.files import Files
from mkdocs.structure.nav import Navigation, Section, _add_parent_links, _add_previous_and_next_links, _get_by_type
from mkdocs.structure.pages import Page


def add_generated_pages(nav: Navigation, files: Files, order: list[str], generated: set[str], titles: dict[str, str]) -> Navigation:
    """Add the pages of `order` (paths in the docs folder) that `nav` does not list.

    A folder's pages go into a section led by its `index.md` (where the nav lists that index,
    the section takes its place); the other pages go at the end. `generated` are the paths the
    plugin generates (a folder's index must be one of them to lead its section); `titles` name
    the sections of folders (default: the folder name, capitalised).
    """
    listed = {page.file.src_uri for page in nav.pages}
    missing = [path for path in order if path.endswith(".md") and path not in listed]
    if not missing:
        return nav
    groups: dict[str, list[str]] = {}
    for path in missing:
        groups.setdefault(path.split("/")[0] if "/" in path else path, []).append(path)
    folders = {folder: paths for folder, paths in groups.items() if len(paths) > 1}
    top = [path for folder, paths in groups.items() if len(paths) == 1 for path in paths]
    for folder, paths in folders.items():
        index_path = f"{folder}/index.md"
        children = [_page(files, path) for path in paths if path != index_path]
        if index_path not in generated:
            index_path = ""
        located = find_page(nav.items, index_path)
        if located is not None:
            container, position = located
            index_page = container[position]
            section = Section(index_page.title or titles.get(folder, folder.capitalize()), [index_page, *children])
            container[position] = section
        else:
            index_file = files.get_file_from_path(index_path)
            leading = [index_file.page] if index_file is not None and index_file.page is not None and index_path in missing else []
            nav.items.append(Section(titles.get(folder, folder.capitalize()), [*leading, *children]))
    nav.items.extend(_page(files, path) for path in top)
    nav.pages = _get_by_type(nav.items, Page)
    _add_parent_links(nav.items)
    _add_previous_and_next_links(nav.pages)
    return nav


def add_family_section(nav: Navigation, files: Files, prefix: str, title: str, paths: list[str], concepts_in_nav: bool = True) -> Navigation:
    """Add one more knowledge base's pages as a section of their own: its index, its advisor page,
    a Concepts section (the index, then each concept), and its other pages. Where the `nav`
    lists the family's `index.md`, the section takes its place; else it goes at the end.

    Without `concepts_in_nav` (a large knowledge base), the section lists the concept index
    alone, as its Concepts page; the concept pages are built all the same, out of the nav."""
    listed = {page.file.src_uri for page in nav.pages}
    own = [path for path in paths if path.endswith(".md") and path not in listed]
    if not own:
        return nav
    index = f"{prefix}/index.md"
    concepts_index = f"{prefix}/concepts/index.md"
    concepts = [path for path in own if path.startswith(f"{prefix}/concepts/") and path != concepts_index]
    children: list[Any] = []
    for path in (f"{prefix}/advisor/index.md",):
        if path in own:
            children.append(_page(files, path))
    if not concepts_in_nav:
        if concepts_index in own:
            children.append(_page(files, concepts_index))
    elif concepts_index in own or concepts:
        leading = [_page(files, concepts_index)] if concepts_index in own else []
        children.append(Section("Concepts", [*leading, *(_page(files, path) for path in concepts)]))
    taken = {index, concepts_index, f"{prefix}/advisor/index.md", *concepts}
    children.extend(_page(files, path) for path in own if path not in taken)
    located = find_page(nav.items, index)
    if located is not None:
        container, position = located
        container[position] = Section(container[position].title or title, [container[position], *children])
    else:
        leading = [_page(files, index)] if index in own else []
        nav.items.append(Section(title, [*leading, *children]))
    nav.pages = _get_by_type(nav.items, Page)
    _add_parent_links(nav.items)
    _add_previous_and_next_links(nav.pages)
    return nav


def _page(files: Files, path: str) -> Page:
    file = files.get_file_from_path(path)
    assert file is not None and file.page is not None, path
    return file.page


def find_page(items: list[Any], src_uri: str) -> tuple[list[Any], int] | None:
    """Return (the list holding, the position of) the nav page of `src_uri`, searching sections."""
    for position, item in enumerate(items):
        if isinstance(item, Page) and item.file.src_uri == src_uri:
            return items, position
        if isinstance(item, Section):
            found = find_page(item.children, src_uri)
            if found is not None:
                return found
    return None
