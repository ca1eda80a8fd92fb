"""Works from the wheel: built from the checkout, installed into a fresh environment outside it,
with its site-packages read-only. A doc writer's own site with a bare `plugins: [concept-advisor]`
builds strict and offline; the commands work and write nothing into the installed package."""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import subprocess
import sys
import sysconfig
import tempfile
import zipfile
from pathlib import Path
from typing import Iterator

import pytest

REPO = Path(__file__).resolve().parent.parent

pytestmark = pytest.mark.skipif(not (REPO / "node_modules" / "mermaid").is_dir(), reason="needs `npm ci` (scripts/test.sh runs it)")


def _build(out: Path) -> Path:
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--disable-pip-version-check", "-w", str(out), str(REPO)],
                   check=True, capture_output=True, timeout=600)
    (wheel,) = out.glob("concept_advisor-*.whl")
    return wheel


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _build(tmp_path_factory.mktemp("wheel"))


@pytest.fixture(scope="module")
def outside() -> Iterator[Path]:
    """A folder outside the checkout that an unprivileged user can use too."""
    folder = Path(tempfile.mkdtemp(prefix="advisor-wheel-"))
    folder.chmod(0o755)
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture(scope="module")
def venv(wheel: Path, outside: Path) -> Path:
    """A fresh environment holding the wheel; its dependencies come from the test environment."""
    env = outside / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(env)], check=True, timeout=120)
    python = env / "bin" / "python"
    site = Path(subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"], check=True, capture_output=True, text=True).stdout.strip())
    # Only the dependencies: a bare path line, so the test environment's editable install is not loaded.
    (site / "dependencies.pth").write_text(sysconfig.get_path("purelib") + "\n", encoding="utf-8")
    subprocess.run([sys.executable, "-m", "pip", "--python", str(python), "install", "--quiet", "--no-deps", "--no-index", "--disable-pip-version-check", str(wheel)],
                   check=True, capture_output=True, timeout=300)
    return env


def _tree(folder: Path) -> dict[str, str]:
    return {str(path.relative_to(folder)): hashlib.sha256(path.read_bytes()).hexdigest() for path in sorted(folder.rglob("*")) if path.is_file()}


def _run(venv: Path, args: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    """Run a command of the environment as an unprivileged user when we are root (so that the
    read-only site-packages is really read-only), with a cache folder of its own."""
    home = cwd / "home"
    home.mkdir(exist_ok=True)
    home.chmod(0o777)
    env = {"PATH": f"{venv / 'bin'}:/usr/bin:/bin", "HOME": str(home), "XDG_CACHE_HOME": str(home / "cache"), "NO_MKDOCS_2_WARNING": "1", "LC_ALL": "C.UTF-8"}
    prefix: list[str] = []
    if os.geteuid() == 0 and shutil.which("setpriv"):
        prefix = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"]
    return subprocess.run([*prefix, *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=600)


def test_the_wheel_is_reproducible_and_carries_no_build_machine_state(wheel: Path, tmp_path: Path) -> None:
    again = _build(tmp_path)
    assert again.read_bytes() == wheel.read_bytes()
    names = zipfile.ZipFile(wheel).namelist()
    assert not [name for name in names if ".cache" in name or "__pycache__" in name or name.endswith((".pyc", ".tmp"))]
    assert {"advisor/mkdocs/vendor/mermaid.min.js", "advisor/mkdocs/vendor/tablesort.min.js", "advisor/mkdocs/vendor/mermaid.LICENSE.txt",
            "advisor/mkdocs/assets/mermaid-loader.js", "advisor/_data/grafana/concepts.yaml", "advisor/_data/schema/concepts.schema.json"} <= set(names)
    vendored = zipfile.ZipFile(wheel).read("advisor/mkdocs/vendor/mermaid.min.js")
    assert vendored == (REPO / "node_modules" / "mermaid" / "dist" / "mermaid.min.js").read_bytes()
    # Mermaid's ELK layout with every chunk it may import, beside it as in node_modules
    chunks = REPO / "node_modules" / "@mermaid-js" / "layout-elk" / "dist" / "chunks" / "mermaid-layout-elk.esm.min"
    elk = "advisor/mkdocs/vendor/mermaid-layout-elk/"
    assert {elk + "mermaid-layout-elk.esm.min.mjs", elk + "LICENSE.txt", elk + "elkjs.LICENSE.txt"} <= set(names)
    assert {name.rsplit("/", 1)[1] for name in names if name.startswith(elk + "chunks/")} == {path.name for path in chunks.glob("*.mjs")}


def test_a_bare_plugin_site_builds_strict_and_offline_from_the_wheel(venv: Path, outside: Path) -> None:
    project = outside / "my-site"
    (project / "docs").mkdir(parents=True)
    (project / "docs" / "index.md").write_text("# My product\n\nSee the [concepts](concepts/index.md) and the [advisor](advisor/index.md).\n", encoding="utf-8")
    (project / "mkdocs.yml").write_text("site_name: My product\ntheme:\n  name: material\nplugins: [concept-advisor]\n", encoding="utf-8")
    project.chmod(0o777)
    site_packages = _tree(venv / "lib")
    result = _run(venv, [str(venv / "bin" / "python"), "-m", "mkdocs", "build", "--strict", "--site-dir", str(project / "site")], project)
    assert result.returncode == 0, result.stderr
    assert "WARNING" not in result.stderr, result.stderr
    site = project / "site"
    assert (site / "concepts" / "data-source" / "index.html").is_file()
    assert (site / "assets" / "vendor" / "mermaid.min.js").is_file() and (site / "assets" / "vendor" / "tablesort.min.js").is_file()
    assert (site / "assets" / "vendor" / "mermaid-layout-elk" / "mermaid-layout-elk.esm.min.mjs").is_file()
    external = set()
    for page in site.rglob("*.html"):
        html = page.read_text(encoding="utf-8")
        external.update(re.findall(r'<(?:script|link|img|iframe)\b[^>]*?(?:src|href)="((?:https?:)?//[^"]+)"', html))
    assert {url for url in external if "sitemap" not in url} == set()
    assert _tree(venv / "lib") == site_packages  # nothing written into the installed package


@pytest.mark.parametrize("command", [["validate"], ["ask", "grafana mongodb"], ["render", "--out", "{work}/pages"], ["export", "--out", "{work}/bundle.json"]])
def test_the_commands_work_with_site_packages_read_only(venv: Path, outside: Path, command: list[str]) -> None:
    work = outside / "work"
    work.mkdir(exist_ok=True)
    work.chmod(0o777)
    lib = venv / "lib"
    before = _tree(lib)
    for path in [lib, *lib.rglob("*")]:
        if not path.is_symlink():
            path.chmod(path.stat().st_mode & ~0o222)
    try:
        args = [part.replace("{work}", str(work)) for part in command]
        for _ in range(2):  # a cold call, then one that may use the cache
            result = _run(venv, [str(venv / "bin" / "advisor"), *args], work)
            assert result.returncode == 0, result.stderr
            assert "Traceback" not in result.stderr
    finally:
        for path in [lib, *lib.rglob("*")]:
            if not path.is_symlink():
                path.chmod(path.stat().st_mode | 0o200)
    assert _tree(lib) == before
