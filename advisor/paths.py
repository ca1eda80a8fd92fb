"""Where the bundled knowledge base and the JSON Schemas are, in a checkout or an installed wheel.

Imports nothing heavy, so the fast `advisor ask` path can use it.
"""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def _data_dir(name: str, marker: str) -> Path:
    # A wheel carries data/ as advisor/_data/; a checkout has it beside the package.
    for candidate in (_PACKAGE / "_data" / name, _PACKAGE.parent / "data" / name):
        if (candidate / marker).exists():
            return candidate
    return _PACKAGE.parent / "data" / name


def default_kb_path() -> Path:
    """Return the folder of the bundled knowledge base."""
    return _data_dir("grafana", "concepts.yaml")


def schema_dir() -> Path:
    """Return the folder of the JSON Schemas of the data files."""
    return _data_dir("schema", "concepts.schema.json")
