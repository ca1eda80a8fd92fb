"""The worked example of docs/extend.md works as written: its YAML, applied to a copy of
tests/fixtures/bikes, validates, its examples pass, and the output the page shows is real."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
PAGE = ROOT / "docs" / "extend.md"
BIKES = Path(__file__).parent / "fixtures" / "bikes"
#: A snippet of the worked example: a list of items to add under one key of one file (an item
#: whose id is already there replaces it); "the fix" marks the snippet of the last step.
SNIPPET = re.compile(r'^```yaml title="(\w+)\.yaml, under (\w+):( the fix)?"\n(.*?)^```', re.MULTILINE | re.DOTALL)
OUTPUT = re.compile(r'^```text title="(before|after) the fix"\n(.*?)^```', re.MULTILINE | re.DOTALL)


def _apply(page: str, target: Path, fix: bool) -> None:
    shutil.copytree(BIKES, target)
    for file, key, is_fix, body in SNIPPET.findall(page):
        if is_fix and not fix:
            continue
        path = target / f"{file}.yaml"
        data: dict[str, Any] = yaml.safe_load(path.read_text(encoding="utf-8"))
        entries = data.setdefault(key, [])
        for item in yaml.safe_load(textwrap.dedent(body)):
            ids = [entry.get("id") for entry in entries]
            if item.get("id") in ids:
                entries[ids.index(item.get("id"))] = item
            else:
                entries.append(item)
        path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")


def _advisor(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "advisor", *args], cwd=cwd, capture_output=True, text=True, timeout=120)


@pytest.fixture(scope="module")
def page() -> str:
    return PAGE.read_text(encoding="utf-8")


def test_the_page_holds_a_concept_a_fact_a_rule_examples_and_a_fix(page: str) -> None:
    found = [(file, key, bool(fix)) for file, key, fix, _ in SNIPPET.findall(page)]
    assert found == [("concepts", "concepts", False), ("questions", "facts", False), ("rules", "rules", False),
                     ("examples", "examples", False), ("questions", "facts", True)]
    assert {kind for kind, _ in OUTPUT.findall(page)} == {"before", "after"}


def test_the_fixture_as_it_is_validates_and_passes(tmp_path: Path) -> None:
    shutil.copytree(BIKES, tmp_path / "my-bikes")
    assert _advisor(tmp_path, "validate", "--kb", "my-bikes").returncode == 0
    assert _advisor(tmp_path, "test", "--kb", "my-bikes").returncode == 0


@pytest.mark.parametrize("fix", [False, True], ids=["before-the-fix", "after-the-fix"])
def test_the_worked_example_runs_as_the_page_shows(page: str, tmp_path: Path, fix: bool) -> None:
    _apply(page, tmp_path / "my-bikes", fix)
    validate = _advisor(tmp_path, "validate", "--kb", "my-bikes")
    assert validate.returncode == 0, validate.stdout + validate.stderr
    run = _advisor(tmp_path, "test", "--kb", "my-bikes")
    assert run.returncode == (0 if fix else 1), run.stdout + run.stderr
    printed = (validate.stdout + run.stdout).splitlines()
    shown = dict(OUTPUT.findall(page))["after" if fix else "before"]
    for line in shown.splitlines():
        if line.strip():
            assert line in printed, f"the page shows {line!r}, the command printed:\n" + "\n".join(printed)
    if fix:
        answer = _advisor(tmp_path, "ask", "--kb", "my-bikes", "Best bike for hauling the weekly groceries?")
        assert "Recommended: Cargo bike" in answer.stdout and '"groceries"' in answer.stdout
