"""The static files the plugin adds to a site: its own scripts and style sheet (files in
`advisor/mkdocs/assets/`), the vendored Mermaid (with its ELK layout) and tablesort, and the
browser advisor's files.

Imports nothing of MkDocs.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

#: The folder of the plugin's own static files, inside the package.
ASSET_FILES = Path(__file__).resolve().parent / "assets"

#: Where a wheel carries Mermaid and tablesort (copied from `node_modules/` when it is built).
PACKAGED_VENDOR = Path(__file__).resolve().parent / "vendor"

#: The site folder of the vendored files; a wheel carries each under its path below it.
VENDOR_DIR = "assets/vendor/"

#: Browser libraries copied into the site: site path -> path in `node_modules/` (installed by
#: `npm ci`). A wheel carries them in `PACKAGED_VENDOR` under the site path below `VENDOR_DIR`.
VENDORED: dict[str, str] = {
    "assets/vendor/mermaid.min.js": "mermaid/dist/mermaid.min.js",
    "assets/vendor/mermaid.LICENSE.txt": "mermaid/LICENSE",
    "assets/vendor/mermaid-layout-elk/mermaid-layout-elk.esm.min.mjs": "@mermaid-js/layout-elk/dist/mermaid-layout-elk.esm.min.mjs",
    "assets/vendor/mermaid-layout-elk/LICENSE.txt": "@mermaid-js/layout-elk/LICENSE",
    "assets/vendor/mermaid-layout-elk/elkjs.LICENSE.txt": "elkjs/LICENSE.md",
    "assets/vendor/tablesort.min.js": "tablesort/dist/tablesort.min.js",
    "assets/vendor/tablesort.LICENSE.txt": "tablesort/LICENCE",
}

#: Folders of modules copied whole (their `.mjs` files, not the source maps): site folder -> folder
#: in `node_modules/`. Mermaid's ELK layout is an ES module that imports its chunks by relative
#: path (hashed names that change with each release), so the folder keeps its place beside it.
VENDORED_FOLDERS: dict[str, str] = {
    "assets/vendor/mermaid-layout-elk/chunks/mermaid-layout-elk.esm.min": "@mermaid-js/layout-elk/dist/chunks/mermaid-layout-elk.esm.min",
}

#: Makes every plain table sortable, again after each instant-navigation page swap.
TABLESORT_INIT = "assets/vendor/tablesort-init.js"

#: Stands in for the global `mermaid` on every page and loads the vendored Mermaid on the first diagram.
MERMAID_LOADER = "assets/vendor/mermaid-loader.js"

#: The plugin's style sheet, on every page.
STYLESHEET = "assets/stylesheets/concept-advisor.css"

#: The scripts the plugin writes into the site beside the vendored files: site path -> file name
#: in `advisor/mkdocs/assets/`.
SCRIPT_FILES: dict[str, str] = {MERMAID_LOADER: "mermaid-loader.js", TABLESORT_INIT: "tablesort-init.js"}


def asset_text(name: str) -> str:
    """Return the text of one of the plugin's own static files (`mermaid-loader.js`, ...)."""
    return (ASSET_FILES / name).read_text(encoding="utf-8")


def scripts() -> dict[str, str]:
    """Return the scripts the plugin writes beside the vendored files, by site path."""
    return {path: asset_text(name) for path, name in SCRIPT_FILES.items()}


def stylesheet() -> str:
    """Return the plugin's style sheet."""
    return asset_text("concept-advisor.css")


def find_node_modules(base: Path, option: str = "node_modules") -> Path:
    """Return the `node_modules` folder to copy Mermaid and tablesort from.

    An explicit path is taken relative to `base` (the folder of `mkdocs.yml`). The default
    `node_modules` is looked for as Node looks for packages: in `base`, then in each parent
    folder; then beside the `advisor` package of a checkout. Returns the first candidate holding
    Mermaid, else `base/node_modules` (for the error message).
    """
    first = (base / option).resolve()
    if option != "node_modules":
        return first
    checkout = Path(__file__).resolve().parent.parent.parent
    for folder in (base, *base.parents, checkout):
        candidate = folder / "node_modules"
        if (candidate / VENDORED["assets/vendor/mermaid.min.js"]).is_file():
            return candidate
    return first


def folder_modules(folder: Path) -> list[Path]:
    """Return the ES modules (`*.mjs`) of a vendored folder, sorted by name."""
    return sorted(folder.glob("*.mjs"))


def _vendored_files(root: Path, paths: dict[str, str]) -> dict[str, Path]:
    """Every vendored site path with its file under `root`, the folders' modules one by one.
    Raises `FileNotFoundError` naming the first missing file or empty folder."""
    sources = {site_path: root / source for site_path, source in paths.items() if site_path in VENDORED}
    for file in sources.values():
        if not file.is_file():
            raise FileNotFoundError(str(file))
    for site_path, folder in paths.items():
        if site_path in VENDORED_FOLDERS:
            modules = folder_modules(root / folder)
            if not modules:
                raise FileNotFoundError(str(root / folder / "*.mjs"))
            sources.update({f"{site_path}/{module.name}": module for module in modules})
    return sources


def vendored_sources(base: Path, option: str = "node_modules") -> dict[str, Path]:
    """Return the files to copy into the site for each vendored site path.

    An explicit `node_modules` option wins; otherwise the copies inside an installed wheel are
    used, else the `node_modules` found by [`find_node_modules`][advisor.mkdocs.assets.find_node_modules].
    Raises `FileNotFoundError` naming the first missing file.
    """
    if option == "node_modules":
        inside = {path: path.removeprefix(VENDOR_DIR) for path in [*VENDORED, *VENDORED_FOLDERS]}
        try:
            return _vendored_files(PACKAGED_VENDOR, inside)
        except FileNotFoundError:
            pass
    return _vendored_files(find_node_modules(base, option), {**VENDORED, **VENDORED_FOLDERS})


def advisor_assets(kb: Any) -> dict[str, bytes]:
    """Return the browser advisor's files by site path (script, style sheet, bundle).

    The one place that calls `advisor.bundle.site_assets`.
    """
    from advisor.bundle import site_assets

    return site_assets(kb)
