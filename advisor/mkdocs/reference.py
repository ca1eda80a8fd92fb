"""The API reference generator: one page per public module of a package, rendered by mkdocstrings."""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path

from mkdocs.exceptions import PluginError

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
