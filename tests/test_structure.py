"""Structure: data flows one way, and no layer below the command line knows of it."""

from __future__ import annotations

import ast
from pathlib import Path

import networkx as nx

PACKAGE = Path(__file__).resolve().parent.parent / "advisor"

#: The modules that parse arguments: the only ones allowed to import argparse or the CLI.
COMMAND_LINE = {"advisor.cli", "advisor.__main__"}


def _module(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports() -> dict[str, set[str]]:
    """Every module of the package -> the modules it imports (at any depth of its code)."""
    found: dict[str, set[str]] = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        names: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module:
                for alias in node.names:
                    full = f"{node.module}.{alias.name}"
                    as_module = PACKAGE.parent / (full.replace(".", "/") + ".py")
                    names.add(full if as_module.is_file() else node.module)
            elif isinstance(node, ast.Import):
                names.update(alias.name for alias in node.names)
        found[_module(path)] = names
    return found


def test_the_package_has_no_import_cycle() -> None:
    graph = nx.DiGraph()
    for module, names in _imports().items():
        graph.add_node(module)
        graph.add_edges_from((module, name) for name in names if name.startswith("advisor") and name != "advisor")
    assert list(nx.simple_cycles(graph)) == []


def test_only_the_command_line_parses_arguments_or_imports_the_cli() -> None:
    offenders = {
        module: sorted(name for name in names if name in ("argparse", "advisor.cli"))
        for module, names in _imports().items()
        if module not in COMMAND_LINE
    }
    assert {module: names for module, names in offenders.items() if names} == {}


def test_the_plugin_ships_its_scripts_and_style_sheet_as_files() -> None:
    from advisor.mkdocs.assets import ASSET_FILES, SCRIPT_FILES, scripts, stylesheet

    for name in [*SCRIPT_FILES.values(), "concept-advisor.css"]:
        assert (ASSET_FILES / name).is_file()
    assert "Tablesort" in "".join(scripts().values())
    assert "min-width" in stylesheet()
