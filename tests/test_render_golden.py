"""The generated pages of the mini knowledge base, compared whole with golden files.

Regenerate the goldens after an intended change with `UPDATE_GOLDEN=1 python3 -m pytest tests/test_render_golden.py`
and review the diff.
"""

from __future__ import annotations

import dataclasses
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
        "advisor/rules/index.md",
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
    # (the mini data names the applies_to column "Where")
    for heading in ("# Tea", "**Kind of:** [Drink](../drink/index.md)", "**Where:** At home, At the office",
                    "## Purpose", "## What it includes", "## When to use it", "## Examples", "## Relations",
                    "## Neighbourhood", "```mermaid", "## Questions people ask", "../../faq/index.md#tea-vs-coffee"):
        assert heading in tea


def test_the_advisor_page_explains_for_readers_without_rule_ids_or_weights(pages: dict[str, str]) -> None:
    advisor = pages["advisor/index.md"]
    assert '<div id="concept-advisor" data-bundle="../assets/concept-advisor/bundle.json"></div>' in advisor
    assert "- Tea helps you relax." in advisor and "- **Where are you?**\n    - At home\n    - At the office\n" in advisor
    for engine_word in ("tired-coffee", "calm-tea", "+3", "`calm`", "mood", "weight 3", "mermaid"):
        assert engine_word not in advisor
    assert "[the rules page](rules/index.md)" in advisor


def test_decision_flow_is_drawn_from_the_rules(pages: dict[str, str]) -> None:
    advisor = pages["advisor/rules/index.md"]
    for rule in ("tired-coffee", "calm-tea", "office-tea"):
        assert f"`{rule}`" in advisor
    flow = advisor.split("```mermaid\n", 1)[1].split("```", 1)[0]
    # One group per recommended concept; each rule box carries its condition, so no question
    # node and no edge other than rule -> concept (labelled with the weight).
    assert 's_tea["When the advisor recommends Tea"]' in flow
    assert 'r_calm_2dtea["mood: calm AND place: NOT office"]' in flow
    assert 'r_calm_2dtea -->|"+3"| n_tea' in flow
    # Groups are written last concept first: Mermaid stacks them bottom-up, so they show in data order.
    # (the "-named" rules are derived for each main concept: see advisor.derive)
    assert [line for line in flow.splitlines() if "-->" in line] == [
        '    r_drink_2dnamed -->|"+1"| n_drink',
        '    r_calm_2dtea -->|"+3"| n_tea',
        '    r_office_2dtea -->|"+1"| n_tea',
        '    r_tea_2dnamed -->|"+1"| n_tea',
        '    r_tired_2dcoffee -->|"+3"| n_coffee',
        '    r_coffee_2dnamed -->|"+1"| n_coffee',
    ]
    assert "- **+3** when mood is `calm` and place is **not** `office` — Tea helps you relax. (`calm-tea`)" in advisor
    assert advisor.index("```mermaid") < advisor.index("## The rules")


def test_decision_flow_marks_negative_weights_and_negated_groups() -> None:
    from advisor.model import Rule
    from advisor.render.diagram import condition_text, decision_flow

    kb = load_knowledge_base(MINI)
    assert condition_text({"not": {"all": [{"mood": "calm"}, {"place": ["home", "office"]}]}}) == \
        "NOT (mood: calm AND place: home or office)"
    against = Rule("never-coffee-at-home", "coffee", -2, {"place": "home"}, "No coffee at home.")
    flow = decision_flow(dataclasses.replace(kb, rules=(*kb.rules, against)))
    assert 'r_never_2dcoffee_2dat_2dhome -.->|"-2"| n_coffee' in flow
    assert flow.count("subgraph ") == 3  # drink (its derived "named" rule), tea, coffee


def test_next_steps_are_listed_as_they_read_without_a_named_product() -> None:
    from advisor.render.pages import generic_step

    assert generic_step("Install {name}. || Install {id|a=b}. || Install the plugin.") == "Install the plugin."
    assert generic_step("Install {name}.") is None
    assert generic_step("Grind the beans.") == "Grind the beans."
