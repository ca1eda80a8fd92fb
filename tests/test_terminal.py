"""The terminal: word wrapping, colour only on a terminal, comparison tables as text."""

from __future__ import annotations

import io
import subprocess
import sys

import pytest

from advisor.compare import Row, Table
from advisor.model import Column
from advisor.render.table import to_text
from advisor.terminal import Terminal, code


class FakeTty(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_colour_only_on_a_terminal_without_no_color(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.setenv("TERM", "xterm")
    assert Terminal(FakeTty()).color
    assert not Terminal(io.StringIO()).color  # a pipe or a file
    monkeypatch.setenv("NO_COLOR", "1")
    assert not Terminal(FakeTty()).color
    assert Terminal(FakeTty(), color=False).style("x", "bold") == "x"
    assert Terminal(FakeTty(), color=True).style("x", "bold") == "\x1b[1mx\x1b[0m"


def test_wrapping_breaks_at_words_and_never_inside_code() -> None:
    term = Terminal(None, width=30, color=False)
    lines = term.wrap("Run " + code("grafana cli plugins install x") + " and then restart the server now", "  ")
    assert all(len(line) <= 33 for line in lines)  # code kept whole may overrun a narrow width, never split
    assert "grafana cli plugins install x" in "\n".join(lines)
    assert all(not line.endswith("-") for line in lines)
    words = "one two three four five six seven eight nine ten eleven twelve".split()
    assert " ".join(" ".join(Terminal(None, width=30, color=False).wrap(" ".join(words))).split()) == " ".join(words)


def test_ask_in_a_pipe_is_plain_and_wrapped() -> None:
    run = subprocess.run([sys.executable, "-m", "advisor", "ask", "we self host grafana and want a kubernetes integration"],
                         capture_output=True, text=True, env={"COLUMNS": "50", "PATH": ""})
    assert run.returncode == 0, run.stderr
    assert "\x1b[" not in run.stdout
    assert max(len(line) for line in run.stdout.splitlines()) <= 50


def _table() -> Table:
    columns = (Column("purpose", "Purpose"), Column("examples", "Examples"))
    rows = (
        Row("tea", "Tea", {"purpose": "A hot drink made by steeping leaves in water for a few minutes", "examples": ["Assam", "Darjeeling"]}),
        Row("coffee", "Coffee", {"purpose": "A hot drink from roasted beans", "examples": None}),
    )
    return Table(columns, rows, "Drinks")


def test_compare_text_is_a_grid_that_fits_the_width() -> None:
    text = to_text(_table(), width=60)
    lines = text.splitlines()
    assert lines[0] == "Drinks" and "Concept │ Purpose" in lines[2]
    assert all(len(line) <= 60 for line in lines)
    assert "• Assam" in text and "—" in text  # bullets for several items, a dash for none
    assert "<br>" not in text and "|" not in text


def test_compare_text_turns_into_cards_when_too_narrow() -> None:
    text = to_text(_table(), width=30)
    assert "Tea\n  Purpose:\n    A hot drink" in text
    assert all(len(line) <= 30 for line in text.splitlines())


def test_compare_formats_on_the_command_line() -> None:
    piped = subprocess.run([sys.executable, "-m", "advisor", "compare", "data-source", "integration"], capture_output=True, text=True)
    assert piped.stdout.startswith("| Concept |")  # Markdown in a pipe, as before
    text = subprocess.run([sys.executable, "-m", "advisor", "compare", "data-source", "integration", "--format", "text"], capture_output=True, text=True)
    assert text.returncode == 0 and "Data source" in text.stdout and "<br>" not in text.stdout
