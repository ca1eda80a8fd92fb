"""The generated pages of the mini knowledge base, compared whole with golden files.

Regenerate the goldens after an intended change with `UPDATE_GOLDEN=1 python3 -m pytest tests/test_render_golden.py`
and review the diff.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from advisor.graph import build_graph
from advisor.load import load_knowledge_base
from advisor.render.site import render_site

MINI = Path(__file__).parent / "fixtures" / "mini"
GOLDEN = Path(__file__).parent / "golden" / "mini"
UPDATE = os.environ.get("UPDATE_GOLDEN") == "1"


@pytest.fixture(scope="module")
def pages() -> dict[str, str]:
    return render_site(build_graph(load_knowledge_base(MINI)))


def test_the_site_has_every_page(pages: dict[str, str]) -> None:
    assert sorted(pages) == [
        "advisor/index.md",
        "compare/index.md",
        "concepts/coffee/index.md",
        "concepts/drink/index.md",
        "concepts/index.md",
        "concepts/kettle/index.md",
        "concepts/tea/index.md",
        "faq/index.md",
        "glossary/index.md",
    ]


def test_pages_match_the_golden_files(pages: dict[str, str]) -> None:
    if UPDATE:
        for path, text in pages.items():
            target = GOLDEN / path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8")
        for stale in GOLDEN.rglob("*.md"):
            if stale.relative_to(GOLDEN).as_posix() not in pages:
                stale.unlink()
    golden = {p.relative_to(GOLDEN).as_posix(): p.read_text(encoding="utf-8") for p in GOLDEN.rglob("*.md")}
    assert sorted(golden) == sorted(pages), "set UPDATE_GOLDEN=1 to regenerate the golden files"
    for path, text in pages.items():
        assert text == golden[path], f"{path} differs from tests/golden/mini/{path} (UPDATE_GOLDEN=1 to regenerate)"


def test_the_same_data_renders_byte_identical_pages() -> None:
    first = render_site(build_graph(load_knowledge_base(MINI)))
    second = render_site(build_graph(load_knowledge_base(MINI)))
    assert first == second
    assert list(first) == sorted(first)


def test_concept_page_holds_every_section(pages: dict[str, str]) -> None:
    tea = pages["concepts/tea/index.md"]
    for heading in ("# Tea", "**Kind of:** [Drink](../drink/index.md)", "**Where it applies:** At home, At the office",
                    "## Purpose", "## What it includes", "## When to use it", "## Examples", "## Relations",
                    "## Neighbourhood", "```mermaid", "## Questions people ask", "../../faq/index.md#tea-vs-coffee"):
        assert heading in tea


def test_decision_flow_is_drawn_from_the_rules(pages: dict[str, str]) -> None:
    advisor = pages["advisor/index.md"]
    assert '<div id="concept-advisor" data-bundle="../assets/concept-advisor/bundle.json"></div>' in advisor
    for rule in ("tired-coffee", "calm-tea", "office-tea"):
        assert f"`{rule}`" in advisor
    assert 'f_mood{"How do you feel?"}' in advisor
    assert "mood is Calm and not (place is At the office)" in advisor
