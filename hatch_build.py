"""Wheel build hook: puts the data and the site's front-end files into the wheel.

- `data/` (the bundled knowledge base and the JSON Schemas) goes in as `advisor/_data/`: only
  the `.yaml`, `.json` and `.txt` files, never a cache or other build-machine state.
- Mermaid (with its ELK layout) and tablesort, which the generated site serves itself so that it
  works offline, are copied from `node_modules/` (installed by `npm ci` from `package-lock.json`, the source of
  truth) into `advisor/mkdocs/vendor/`. The build stops when they are missing or when their
  versions differ from the lock file.

An editable install (`pip install -e .`) needs neither: it reads `data/` and `node_modules/` of
the checkout.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from hatchling.builders.hooks.plugin.interface import BuildHookInterface

#: Files copied from node_modules: path in node_modules -> path in the wheel's `advisor/mkdocs/vendor/`.
VENDORED = {
    "mermaid/dist/mermaid.min.js": "mermaid.min.js",
    "mermaid/LICENSE": "mermaid.LICENSE.txt",
    "@mermaid-js/layout-elk/dist/mermaid-layout-elk.esm.min.mjs": "mermaid-layout-elk/mermaid-layout-elk.esm.min.mjs",
    "@mermaid-js/layout-elk/LICENSE": "mermaid-layout-elk/LICENSE.txt",
    "elkjs/LICENSE.md": "mermaid-layout-elk/elkjs.LICENSE.txt",
    "tablesort/dist/tablesort.min.js": "tablesort.min.js",
    "tablesort/LICENCE": "tablesort.LICENSE.txt",
}

#: Folders whose ES modules (`*.mjs`) are copied whole: folder in node_modules -> folder in the
#: wheel's `advisor/mkdocs/vendor/` (the ELK layout imports its chunks by relative path).
VENDORED_FOLDERS = {
    "@mermaid-js/layout-elk/dist/chunks/mermaid-layout-elk.esm.min": "mermaid-layout-elk/chunks/mermaid-layout-elk.esm.min",
}


def package_name(source: str) -> str:
    """The npm package a path in node_modules belongs to (`@scope/name` or `name`)."""
    parts = source.split("/")
    return "/".join(parts[:2]) if parts[0].startswith("@") else parts[0]


class VendorHook(BuildHookInterface):  # type: ignore[type-arg]
    """Adds `advisor/_data/` and `advisor/mkdocs/vendor/` to a standard wheel."""

    PLUGIN_NAME = "custom"

    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        if self.target_name != "wheel" or version == "editable":
            return
        root = Path(self.root)
        include: dict[str, str] = build_data.setdefault("force_include", {})
        for path in sorted((root / "data").rglob("*")):
            relative = path.relative_to(root / "data")
            if path.is_file() and path.suffix in (".yaml", ".json", ".txt") and not any(part.startswith(".") for part in relative.parts):
                include[str(path)] = f"advisor/_data/{relative.as_posix()}"
        lock = json.loads((root / "package-lock.json").read_text(encoding="utf-8"))["packages"]
        modules = root / "node_modules"
        for package in sorted({package_name(source) for source in [*VENDORED, *VENDORED_FOLDERS]}):
            locked = lock.get(f"node_modules/{package}", {}).get("version")
            manifest = modules / package / "package.json"
            if not manifest.is_file():
                raise RuntimeError(f"{manifest} is missing: run `npm ci` before building the wheel (it installs {package} {locked} from package-lock.json)")
            installed = json.loads(manifest.read_text(encoding="utf-8")).get("version")
            if installed != locked:
                raise RuntimeError(f"node_modules holds {package} {installed}, package-lock.json locks {locked}: run `npm ci`")
        for source, name in VENDORED.items():
            include[str(modules / source)] = f"advisor/mkdocs/vendor/{name}"
        for folder, name in VENDORED_FOLDERS.items():
            chunks = sorted((modules / folder).glob("*.mjs"))
            if not chunks:
                raise RuntimeError(f"{modules / folder} holds no modules: run `npm ci`")
            for chunk in chunks:
                include[str(chunk)] = f"advisor/mkdocs/vendor/{name}/{chunk.name}"
