"""Where the bundled knowledge base and the JSON Schemas are, in a checkout or an installed wheel.

Imports nothing heavy, so the fast `advisor ask` path can use it: `pathlib` (which brings
`urllib.parse` and `ipaddress`, a sixth of that command's start-up) only when a `Path` is asked
for; the `*_folder` functions answer with plain strings.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pathlib import Path

_PACKAGE = os.path.dirname(os.path.realpath(__file__))

#: The environment variable that names the default knowledge base (a bundled name or a folder).
ENVIRONMENT = "ADVISOR_KB"

#: The file of the bundled data folder that names the knowledge base used when nothing else is chosen.
DEFAULT_FILE = "default-kb.txt"


def _data_folder(name: str, marker: str) -> str:
    # A wheel carries data/ as advisor/_data/; a checkout has it beside the package.
    checkout = os.path.join(os.path.dirname(_PACKAGE), "data", name)
    for candidate in (os.path.join(_PACKAGE, "_data", name), checkout):
        if os.path.exists(os.path.join(candidate, marker)):
            return candidate
    return checkout


def bundled_kbs() -> dict[str, Path]:
    """Return the bundled knowledge bases by name (the folders of `data/` holding a `kb.yaml`)."""
    from pathlib import Path

    package = Path(_PACKAGE)
    found: dict[str, Path] = {}
    for root in (package / "_data", package.parent / "data"):
        if root.is_dir():
            for folder in sorted(root.iterdir()):
                if (folder / "kb.yaml").is_file() and folder.name not in found:
                    found[folder.name] = folder
    return found


def resolve_kb(value: str | os.PathLike[str] | None) -> Path:
    """Return the folder `value` names: a bundled name (`alerting`) or a path; `None` is the default.

    A name that is also a folder in the current directory is that folder.
    """
    from pathlib import Path

    if value is None or str(value) == "":
        return default_kb_path()
    text = str(value)
    path = Path(text).expanduser()
    if "/" not in text and "\\" not in text and not path.exists():
        bundled = bundled_kbs()
        if text in bundled:
            return bundled[text]
    return path


def default_kb_folder() -> str:
    """Return the folder of the default knowledge base, as a string: `$ADVISOR_KB` (a bundled name
    or a folder), else the bundled one [`default_name`][advisor.paths.default_name] gives."""
    chosen = os.environ.get(ENVIRONMENT, "").strip()
    if chosen:
        path = os.path.expanduser(chosen)
        if "/" in chosen or os.path.exists(path):
            return path
        bundled = bundled_kbs().get(chosen)
        if bundled is not None:
            return str(bundled)
        return path
    return _data_folder(default_name(), "concepts.yaml")


def default_name() -> str:
    """Return the name of the bundled knowledge base used when nothing else is chosen: the one the
    data folder's `default-kb.txt` names, else the first bundled one by name."""
    for root in (os.path.join(_PACKAGE, "_data"), os.path.join(os.path.dirname(_PACKAGE), "data")):
        try:
            with open(os.path.join(root, DEFAULT_FILE), encoding="utf-8") as file:
                name = file.read().strip()
        except OSError:
            continue
        if name:
            return name
    return next(iter(bundled_kbs()), "")


def default_kb_path() -> Path:
    """Return the folder of the default knowledge base: `$ADVISOR_KB` (a bundled name or a folder),
    else the bundled default one."""
    from pathlib import Path

    return Path(default_kb_folder())


def schema_folder() -> str:
    """Return the folder of the JSON Schemas of the data files, as a string."""
    return _data_folder("schema", "concepts.schema.json")


def schema_dir() -> Path:
    """Return the folder of the JSON Schemas of the data files."""
    from pathlib import Path

    return Path(schema_folder())
