"""CI that catches: the README's test command builds the site strictly and fails on any MkDocs
warning, naming the page; tests and benches read only files inside the checkout."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
BROKEN_BLOCK = "\n/// compare\nconcepts: [data-source, no-such-concept]\n///\n"


def project_copy(target: Path) -> Path:
    """Copy what the site build reads; the environment and node_modules are linked, not copied."""
    for name in ("advisor", "data", "docs", "scripts"):
        shutil.copytree(REPO / name, target / name, ignore=shutil.ignore_patterns("__pycache__", ".cache", "vendor"))
    shutil.copy2(REPO / "mkdocs.yml", target / "mkdocs.yml")
    for name in (".venv", "node_modules"):
        os.symlink(REPO / name, target / name)
    return target


def build_site(project: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["bash", "scripts/build-site.sh", str(project / "site")], cwd=project, capture_output=True, text=True, timeout=900)


@pytest.mark.skipif(not (REPO / ".venv" / "bin" / "mkdocs").exists() or not (REPO / "node_modules" / "mermaid").is_dir(), reason="needs scripts/test.sh's .venv and npm ci")
def test_a_broken_compare_block_fails_the_site_build_naming_the_page(tmp_path: Path) -> None:
    project = project_copy(tmp_path / "project")
    page = project / "docs" / "embed.md"
    lines_before = page.read_text(encoding="utf-8").count("\n")
    with open(page, "a", encoding="utf-8") as file:
        file.write(BROKEN_BLOCK)
    result = build_site(project)
    assert result.returncode == 1
    assert re.search(rf"docs/embed\.md:{lines_before + 2}: /// compare: .*no-such-concept", result.stderr), result.stderr
    assert "the site build logged warnings or errors" in result.stderr


def test_the_test_command_never_passes_quiet_with_strict() -> None:
    for script in ("scripts/test.sh", "scripts/build-site.sh", ".ci/run"):
        commands = [line for line in (REPO / script).read_text(encoding="utf-8").splitlines() if not line.lstrip().startswith("#")]
        assert not [line for line in commands if "mkdocs build" in line and ("--quiet" in line or " -q" in line)], script
    test_sh = (REPO / "scripts" / "test.sh").read_text(encoding="utf-8")
    assert "ruff check advisor/" in test_sh and "mypy --strict advisor/" in test_sh and "scripts/build-site.sh" in test_sh


def test_tests_and_benches_read_no_path_outside_the_checkout() -> None:
    # a string literal that starts with one of these roots names a place outside any checkout
    roots = ("work", "home", "root", "tmp")
    outside = re.compile(r"""["'](/(?:""" + "|".join(roots) + r""")/|~/)""")
    offenders = []
    for folder in ("tests", "bench"):
        for path in sorted((REPO / folder).rglob("*.py")):
            for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
                if outside.search(line):
                    offenders.append(f"{path.relative_to(REPO)}:{number}: {line.strip()}")
    assert offenders == []
