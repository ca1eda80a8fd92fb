"""The `/// compare` block as a plain Python-Markdown extension (no MkDocs)."""

from __future__ import annotations

import logging
from pathlib import Path

import markdown
import pytest

MINI = str(Path(__file__).parent / "fixtures" / "mini")


def convert(text: str, **config: str) -> str:
    return markdown.markdown(text, extensions=["tables", "concept_advisor"], extension_configs={"concept_advisor": {"kb": MINI, **config}})


def test_concepts_by_columns_become_a_table() -> None:
    html = convert("# Drinks\n\n/// compare\nconcepts: [tea, coffee]\ncolumns: [purpose, examples]\n///\n")
    assert "<th>Purpose</th>" in html and "<th>Examples</th>" in html
    assert html.index("<strong>Tea</strong>") < html.index("<strong>Coffee</strong>")
    assert "<td>• Earl Grey<br>• Sencha</td>" in html


def test_a_named_table_with_its_footer() -> None:
    html = convert("/// compare\ntable: summary\n///\n")
    assert "<th>Where</th>" in html
    assert "Boil water → Brew an espresso" in html


def test_the_entry_point_and_make_extension_are_the_same_extension() -> None:
    from advisor.markdown_ext import CompareExtension, makeExtension

    assert isinstance(makeExtension(kb=MINI), CompareExtension)
    html = markdown.markdown("/// compare\nconcepts: tea\ncolumns: purpose\n///", extensions=["tables", makeExtension(kb=MINI)])
    assert "A calm hot drink." in html


@pytest.mark.parametrize(
    "body, message",
    [
        ("concepts: [tea, nope]", "unknown concept 'nope'"),
        ("concepts: [tea]\ncolumns: [colour]", "unknown column 'colour'"),
        ("table: nope", "unknown table 'nope'"),
        ("concepts: [tea]\ncolour: red", "unknown option 'colour'"),
        ("concepts: [tea", "not valid YAML"),
    ],
)
def test_a_bad_block_is_logged_with_its_line_and_shown(body: str, message: str, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING, logger="mkdocs"):
        html = convert(f"# Title\n\nText.\n\n/// compare\n{body}\n///\n")
    assert [r.getMessage() for r in caplog.records if message in r.getMessage()][0].startswith("line 5: /// compare:")
    assert caplog.records[0].name.startswith("mkdocs.")  # so that `mkdocs build --strict` counts it
    assert 'class="admonition failure"' in html


def test_a_block_inside_a_code_fence_is_left_as_a_sample(caplog: pytest.LogCaptureFixture) -> None:
    html = markdown.markdown(
        "```text\n/// compare\nconcepts: [nope]\n///\n```\n",
        extensions=["fenced_code", "concept_advisor"],
        extension_configs={"concept_advisor": {"kb": MINI}},
    )
    assert "/// compare" in html and "<table>" not in html
    assert not caplog.records


def test_an_indented_block_keeps_its_indentation() -> None:
    html = markdown.markdown(
        "- A list\n\n    /// compare\n    concepts: [tea]\n    columns: [purpose]\n    ///\n",
        extensions=["tables", "concept_advisor"],
        extension_configs={"concept_advisor": {"kb": MINI}},
    )
    assert "<li>" in html and "A calm hot drink." in html


def test_an_unclosed_block_is_reported(caplog: pytest.LogCaptureFixture) -> None:
    convert("/// compare\nconcepts: [tea]\n")
    assert "line 1: /// compare: the block has no closing" in caplog.text


def test_hostile_text_in_the_block_is_not_html(caplog: pytest.LogCaptureFixture) -> None:
    html = convert("/// compare\nconcepts: ['<script>alert(1)</script>']\n///\n")
    assert "<script>" not in html and "&lt;script&gt;" in html


def test_tooltips_mark_the_first_mention_outside_headings_links_and_the_own_concept() -> None:
    from advisor.markdown_ext import TooltipExtension

    tooltips = TooltipExtension(["Tea", "tea"])
    md = markdown.Markdown(extensions=["abbr", tooltips], extension_configs={"abbr": {"glossary": {"Tea": "Leaves.", "tea": "Leaves.", "HTML": "Markup."}}})
    html = md.convert("# Tea\n\nA [tea](x.md) link, then tea and Tea, HTML and HTML.\n")
    assert html.count("<abbr") == 3, html
    assert '<h1>Tea</h1>' in html and '<a href="x.md">tea</a>' in html
    assert 'then <abbr title="Leaves.">tea</abbr> and Tea,' in html
    assert html.count('title="Markup."') == 2  # abbreviations outside the glossary are left alone
    tooltips.own = frozenset({"tea"})
    assert 'title="Leaves."' not in md.reset().convert("Tea and tea.\n")
