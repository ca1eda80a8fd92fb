"""Zensical: the generated pages come from `advisor render` (a pre-build step), the `/// compare`
block from the Markdown extension listed in the config, whose errors name the page."""

from __future__ import annotations

import subprocess
import textwrap
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
ZENSICAL = REPO / ".venv-zensical" / "bin"
MINI = Path(__file__).parent / "fixtures" / "mini"

pytestmark = pytest.mark.skipif(
    not (ZENSICAL / "zensical").exists(),
    reason="Zensical is not installed: scripts/test.sh installs it into .venv-zensical where the registry serves an installable version",
)


def project(root: Path, pages: dict[str, str], options: str = "") -> Path:
    docs = root / "docs"
    docs.mkdir(parents=True)
    for name, text in pages.items():
        (docs / name).write_text(text, encoding="utf-8")
    render = subprocess.run([str(ZENSICAL / "advisor"), "render", "--kb", str(MINI), "--out", str(docs / "kb")], capture_output=True, text=True, timeout=120)
    assert render.returncode == 0, render.stderr
    (root / "mkdocs.yml").write_text(textwrap.dedent(f"""\
        site_name: Drinks
        markdown_extensions:
          - tables
          - attr_list
          - def_list
          - abbr
          - pymdownx.superfences
          - concept_advisor:
              kb: {MINI}
        """) + options, encoding="utf-8")
    return root


def zensical(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(ZENSICAL / "zensical"), "build", *args], cwd=root, capture_output=True, text=True, timeout=600)


def test_a_site_builds_with_the_rendered_pages_and_the_compare_block(tmp_path: Path) -> None:
    root = project(tmp_path, {"index.md": "# Drinks\n\nSee the [concepts](kb/concepts/index.md).\n\n/// compare\nconcepts: [tea, coffee]\ncolumns: [purpose]\n///\n"})
    result = zensical(root, "--strict")
    assert result.returncode == 0, result.stdout + result.stderr
    home = (root / "site" / "index.html").read_text(encoding="utf-8")
    assert "<table>" in home and "A calm hot drink." in home
    assert (root / "site" / "kb" / "concepts" / "tea" / "index.html").is_file()


def test_a_broken_block_is_named_by_page_and_line_and_can_stop_the_build(tmp_path: Path) -> None:
    pages = {"index.md": "# Drinks\n", "broken.md": "# Broken\n\n/// compare\nconcepts: [nope]\n///\n"}
    warned = zensical(project(tmp_path / "warn", pages))
    assert "docs/broken.md:3: /// compare: unknown concept 'nope'" in warned.stdout + warned.stderr
    stopped = zensical(project(tmp_path / "stop", pages, "      fail_on_error: true\n"))
    assert stopped.returncode != 0 and "docs/broken.md:3" in stopped.stdout + stopped.stderr
