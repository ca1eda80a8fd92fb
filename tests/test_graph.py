"""The concept graph: loaded from YAML, with kinds, relations, neighbourhoods and examples."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from advisor import graph as g
from advisor.compare import CompareError, compare, named_table
from advisor.load import load_knowledge_base
from advisor.render.table import format_table

MINI = Path(__file__).parent / "fixtures" / "mini"


@pytest.fixture(scope="module")
def mini():
    return g.build_graph(load_knowledge_base(MINI))


def test_the_model_keeps_every_field_and_its_place() -> None:
    kb = load_knowledge_base(MINI)
    tea = kb.concept("tea")
    assert tea.kind_of == "drink"
    assert tea.applies_to == ("home", "office")
    assert [c.text for c in tea.use_when] == ["You want to relax."]
    assert tea.where is not None and tea.where.file.endswith("concepts.yaml") and tea.where.line == 16
    assert kb.rules[1].when == {"all": [{"mood": "calm"}, {"not": {"place": "office"}}]}
    assert kb.last_reviewed["concepts"] == "2026-11-25"
    assert kb.sources["rules"][0].title == "Written for the tests"
    assert kb.products[0].implies == {"mood": "calm"}


def test_yes_and_dates_stay_text() -> None:
    kb = load_knowledge_base(MINI)
    assert isinstance(kb.last_reviewed["kb"], str)


def test_kinds_parents_and_children(mini) -> None:
    assert g.parents(mini, "tea") == ["drink"]
    assert g.children(mini, "drink") == ["tea", "coffee"]
    assert g.descendants(mini, "drink") == ["tea", "coffee"]
    assert g.parents(mini, "drink") == []


def test_relations_in_and_out_use_labels(mini) -> None:
    out = g.relations_out(mini, "coffee")
    assert [(e.type, e.target, e.label) for e in out] == [("needs", "kettle", "needs hot water from")]
    into = g.relations_in(mini, "kettle")
    assert [e.source for e in into] == ["tea", "coffee"]
    assert into[0].label == "needs"


def test_neighbourhood_follows_edges_both_ways(mini) -> None:
    assert sorted(g.neighbourhood(mini, "kettle")) == ["coffee", "kettle", "tea"]
    assert sorted(g.neighbourhood(mini, "tea")) == ["drink", "kettle", "tea"]


def test_examples_can_be_inherited_from_kinds(mini) -> None:
    assert g.examples(mini, "drink") == []
    assert g.examples(mini, "drink", inherited=True) == ["Earl Grey", "Sencha", "Espresso"]


def test_explain_gathers_everything_about_a_concept(mini) -> None:
    data = g.explain(mini, "tea")
    assert data["kinds"] == ["drink"]
    assert data["faq"] == [{"id": "tea-vs-coffee", "question": "What is the difference between tea and coffee?"}]
    assert data["products"] == ["Earl Grey"]
    assert data["relations_out"][0]["to"] == "kettle"
    json.dumps(data)


def test_compare_gives_lists_as_lists(mini) -> None:
    table = compare(mini, ["coffee", "drink"], ["applies_to", "examples", "purpose"])
    assert table.as_json() == {
        "columns": ["applies_to", "examples", "purpose"],
        "rows": [
            {"concept": "coffee", "name": "Coffee", "applies_to": ["office"], "examples": ["Espresso"], "purpose": "A strong hot drink."},
            {"concept": "drink", "name": "Drink", "applies_to": ["home", "office"], "examples": ["Earl Grey", "Sencha", "Espresso"], "purpose": "Quench thirst."},
        ],
    }


def test_compare_refuses_unknown_concepts_and_columns(mini) -> None:
    with pytest.raises(CompareError, match="unknown concept 'milk'"):
        compare(mini, ["milk"], ["purpose"])
    with pytest.raises(CompareError, match="unknown column 'colour'"):
        compare(mini, ["tea"], ["colour"])
    with pytest.raises(CompareError, match="unknown table 'nope'"):
        named_table(mini, "nope")


def test_a_named_table_has_its_title_and_footer(mini) -> None:
    table = named_table(mini, "summary")
    assert table.title == "Hot drinks"
    assert table.footer == ("Boil water", "Brew an espresso")
    assert [row.concept for row in table.rows] == ["tea", "coffee"]


def test_tables_in_every_format(mini) -> None:
    table = compare(mini, ["tea", "coffee"], ["applies_to", "purpose"])
    scopes = {"home": "At home", "office": "At the office"}
    markdown = format_table(table, "markdown", scopes)
    assert markdown.splitlines()[0] == "| Concept | Where | Purpose |"
    assert "| **Coffee** | At the office only | A strong hot drink. |" in markdown  # one scope of several: a restriction
    assert "<th scope=\"row\" data-concept=\"tea\">Tea</th>" in format_table(table, "html", scopes)
    assert format_table(table, "csv", scopes).splitlines()[1] == "tea,Tea,At home; At the office,A calm hot drink."
    assert json.loads(format_table(table, "json"))["rows"][0]["applies_to"] == ["home", "office"]


def run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "advisor", *args], capture_output=True, text=True, cwd=cwd, timeout=60)


def test_cli_compare_and_explain_work_from_any_folder(tmp_path: Path) -> None:
    result = run("compare", "tea", "coffee", "--columns", "purpose", "--format", "json", "--kb", str(MINI), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["rows"][1]["purpose"] == "A strong hot drink."
    result = run("explain", "coffee", "--json", "--kb", str(MINI), cwd=tmp_path)
    assert json.loads(result.stdout)["kind_of"] == "drink"
    result = run("explain", "coffee", "--kb", str(MINI), cwd=tmp_path)
    assert "Kind of: drink" in result.stdout


def test_cli_usage_errors_are_one_line_and_exit_2() -> None:
    result = run("compare", "tea", "milk", "--kb", str(MINI))
    assert result.returncode == 2
    assert result.stderr.startswith("advisor: unknown concept 'milk'")
    assert "Traceback" not in result.stderr
    result = run("explain", "milk", "--kb", str(MINI))
    assert result.returncode == 2 and "unknown concept 'milk'" in result.stderr
