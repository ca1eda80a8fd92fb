"""Helpers for tests: copy a fixture knowledge base and edit its files."""

from __future__ import annotations

import shutil
from pathlib import Path

FIXTURES = Path(__file__).parent / "fixtures"


def copy_kb(tmp_path: Path, name: str = "mini") -> Path:
    """Copy the fixture knowledge base `name` into tmp_path and return the copy's folder."""
    target = tmp_path / name
    shutil.copytree(FIXTURES / name, target, ignore=shutil.ignore_patterns(".cache"))
    return target


def replace_in(path: Path, old: str, new: str) -> None:
    """Replace one exact piece of text in a file (which must be there)."""
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def line_of(path: Path, needle: str) -> int:
    """Return the 1-based line of the first line holding `needle`."""
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if needle in line:
            return number
    raise AssertionError(f"{needle!r} not in {path}")
