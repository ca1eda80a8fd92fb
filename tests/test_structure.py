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


# --- the engine knows no knowledge base: the first one's words live in data/grafana/ only ---------

FIRST_KB = PACKAGE.parent / "data" / "grafana"

#: Words of the first knowledge base that are also the package's own vocabulary, with the reason.
OWN_WORDS = {
    "plugin": "the package is a MkDocs plugin, and `plugins:` of products.yaml is a generic part of the data model",
    "text": "a plain English word (also the name of a panel plugin)",
}


def _first_kb_terms() -> set[str]:
    """The first knowledge base's concept ids and names, product and plugin names and plugin ids."""
    import yaml

    concepts = yaml.safe_load((FIRST_KB / "concepts.yaml").read_text(encoding="utf-8"))["concepts"]
    products = yaml.safe_load((FIRST_KB / "products.yaml").read_text(encoding="utf-8"))
    terms = {item["id"] for item in concepts} | {item["name"] for item in concepts}
    terms |= {item["name"] for item in products["products"]}
    terms |= {item["name"] for item in products["plugins"]} | {item["id"] for item in products["plugins"]}
    return {term for term in terms if term.casefold() not in OWN_WORDS}


def _docstring_lines(source: str) -> set[int]:
    """Lines of a module's docstrings and `#:` attribute comments (documentation, where examples belong)."""
    lines: set[int] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant) and isinstance(first.value.value, str):
                lines.update(range(first.lineno, (first.end_lineno or first.lineno) + 1))
    lines.update(number for number, line in enumerate(source.splitlines(), 1) if line.strip().startswith("#:"))
    return lines


def test_the_package_code_names_no_concept_or_product_of_the_first_knowledge_base() -> None:
    import re

    terms = _first_kb_terms()
    assert {"data-source-plugin", "integration", "Prometheus", "grafana"} <= terms  # the grep looks for what it should
    pattern = re.compile(r"(?<![\w-])(" + "|".join(sorted((re.escape(term) for term in terms), key=len, reverse=True)) + r")(?![\w-])", re.IGNORECASE)
    found = []
    for path in sorted(PACKAGE.rglob("*")):
        if path.suffix not in (".py", ".js", ".css", ".html") or "vendor" in path.parts or "_data" in path.parts:
            continue
        source = path.read_text(encoding="utf-8")
        skip = _docstring_lines(source) if path.suffix == ".py" else set()
        for number, line in enumerate(source.splitlines(), 1):
            match = pattern.search(line)
            if number not in skip and match:
                found.append(f"{path.relative_to(PACKAGE.parent)}:{number}: {match.group(0)!r}: {line.strip()[:90]}")
    assert not found, "words of the first knowledge base in the package's code:\n" + "\n".join(found)
