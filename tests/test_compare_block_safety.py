"""A `/// compare` block is as safe as a data file: the same guarded YAML loader, limits on its
lists, and blocks inside HTML comments or code left alone."""

from __future__ import annotations

import logging
from pathlib import Path

import markdown
import pytest

from advisor.markdown_ext import MAX_COLUMNS, MAX_CONCEPTS

MINI = str(Path(__file__).parent / "fixtures" / "mini")


def convert(text: str) -> str:
    return markdown.markdown(text, extensions=["tables", "fenced_code", "concept_advisor"], extension_configs={"concept_advisor": {"kb": MINI}})


def refused(text: str, caplog: pytest.LogCaptureFixture) -> str:
    with caplog.at_level(logging.WARNING, logger="mkdocs"):
        html = convert(text)
    assert "Comparison table error" in html
    return " ".join(record.getMessage() for record in caplog.records)


def test_an_alias_bomb_in_a_block_is_refused_quickly(caplog: pytest.LogCaptureFixture) -> None:
    lines = ["a: &a [" + ", ".join(["tea"] * 10) + "]"]
    letters = "abcdefghij"
    for number, name in enumerate(letters[1:], start=1):
        lines.append(f"{name}: &{name} [" + ", ".join([f"*{letters[number - 1]}"] * 10) + "]")
    lines.append("concepts: *j")
    message = refused("/// compare\n" + "\n".join(lines) + "\n///\n", caplog)
    assert "alias bomb" in message and "line 1" in message


@pytest.mark.parametrize("body, words", [
    ("concepts: [tea]\ncolumns: !!python/object/apply:os.system [echo]", "not allowed"),
    ("concepts: [tea]\nconcepts: [coffee]", "duplicate key"),
    ("concepts: [tea\n", "not valid YAML"),
])
def test_yaml_the_data_files_refuse_is_refused_in_a_block(body: str, words: str, caplog: pytest.LogCaptureFixture) -> None:
    assert words in refused(f"/// compare\n{body}\n///\n", caplog)


def test_a_list_longer_than_the_limit_is_a_clear_error(caplog: pytest.LogCaptureFixture) -> None:
    many = ", ".join(["tea"] * 20_000)
    message = refused(f"/// compare\nconcepts: [{many}]\n///\n", caplog)
    assert f"20,000 ids; a block shows at most {MAX_CONCEPTS}" in message
    columns = ", ".join(["purpose"] * (MAX_COLUMNS + 1))
    assert f"at most {MAX_COLUMNS}" in refused(f"/// compare\nconcepts: [tea]\ncolumns: [{columns}]\n///\n", caplog)


@pytest.mark.parametrize("text", [
    "<!--\n/// compare\nconcepts: [nothing-here]\n///\n-->\n",
    "Before <!-- a note\n/// compare\nconcepts: [nothing-here]\n///\nstill a comment -->\n",
    "```\n/// compare\nconcepts: [nothing-here]\n///\n```\n",
    "~~~~markdown\n/// compare\nconcepts: [nothing-here]\n///\n~~~~\n",
])
def test_blocks_in_html_comments_and_code_are_left_alone(text: str, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING, logger="mkdocs"):
        html = convert(text)
    assert "Comparison table error" not in html and "<table>" not in html and not caplog.records


def test_a_block_after_a_closed_comment_is_rendered() -> None:
    html = convert("<!-- a note -->\n\n/// compare\nconcepts: [tea, coffee]\ncolumns: [purpose]\n///\n")
    assert "<table>" in html and "A calm hot drink." in html
