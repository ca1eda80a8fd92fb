"""Where the bundled knowledge base and the JSON Schemas are, in a checkout or an installed wheel.

Imports nothing heavy, so the fast `advisor ask` path can use it.
"""

from __future__ import annotations

import os
from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent

#: The environment variable that names the default knowledge base (a bundled name or a folder).
ENVIRONMENT = "ADVISOR_KB"

#: The bundled knowledge base used when nothing else is chosen.
DEFAULT_NAME = "grafana"


def _data_dir(name: str, marker: str) -> Path:
    # A wheel carries data/ as advisor/_data/; a checkout has it beside the package.
    for candidate in (_PACKAGE / "_data" / name, _PACKAGE.parent / "data" / name):
        if (candidate / marker).exists():
            return candidate
    return _PACKAGE.parent / "data" / name


def bundled_kbs() -> dict[str, Path]:
    """Return the bundled knowledge bases by name (the folders of `data/` holding a `kb.yaml`)."""
    found: dict[str, Path] = {}
    for root in (_PACKAGE / "_data", _PACKAGE.parent / "data"):
        if root.is_dir():
            for folder in sorted(root.iterdir()):
                if (folder / "kb.yaml").is_file() and folder.name not in found:
                    found[folder.name] = folder
    return found


def resolve_kb(value: str | os.PathLike[str] | None) -> Path:
    """Return the folder `value` names: a bundled name (`alerting`) or a path; `None` is the default.

    A name that is also a folder in the current directory is that folder.
    """
    if value is None or str(value) == "":
        return default_kb_path()
    text = str(value)
    path = Path(text).expanduser()
    if "/" not in text and "\\" not in text and not path.exists():
        bundled = bundled_kbs()
        if text in bundled:
            return bundled[text]
    return path


def default_kb_path() -> Path:
    """Return the folder of the default knowledge base: `$ADVISOR_KB` (a bundled name or a folder),
    else the bundled Grafana one."""
    chosen = os.environ.get(ENVIRONMENT, "").strip()
    if chosen:
        path = Path(chosen).expanduser()
        if "/" in chosen or path.exists():
            return path
        bundled = bundled_kbs().get(chosen)
        if bundled is not None:
            return bundled
        return path
    return _data_dir(DEFAULT_NAME, "concepts.yaml")


def schema_dir() -> Path:
    """Return the folder of the JSON Schemas of the data files."""
    return _data_dir("schema", "concepts.schema.json")
