"""What every knowledge base would write by hand is derived: the "concept named" fact, its rules,
and rules that keep a concept out of an edition it does not exist in."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from advisor.compile import compile_kb
from advisor.errors import KnowledgeBaseError
from advisor.load import load_knowledge_base
from advisor.rules import ask

MINI = Path(__file__).parent / "fixtures" / "mini"
GRAFANA = Path(__file__).parent.parent / "data" / "grafana"


def test_a_knowledge_base_without_a_concept_named_fact_gets_one_with_its_rules() -> None:
    kb = load_knowledge_base(MINI)
    named = next(question for question in kb.questions if question.match_concepts)
    main = [concept.id for concept in kb.concepts if concept.role == "main"]
    assert named.id == "asks_for" and not named.ask and [value.id for value in named.values] == main
    derived = {rule.id: rule for rule in kb.rules if rule.id.endswith("-named")}
    assert derived and all(rule.weight == 1 and rule.when == {"asks_for": rule.concept} for rule in derived.values())
    result = ask(compile_kb(kb), "tell me about coffee", {})
    assert result["facts"]["asks_for"]["value"] == "coffee"


def test_a_written_rule_for_a_named_concept_is_kept_and_not_doubled() -> None:
    kb = load_knowledge_base(GRAFANA)
    integration = [rule.id for rule in kb.rules if rule.concept == "integration" and "asks_for" in str(rule.when)]
    assert "integration-named" in integration and len([r for r in integration if r.endswith("-named")]) == 1
    assert {"data-source-named", "panel-plugin-named", "plugin-named"} <= {rule.id for rule in kb.rules}


def test_the_edition_fact_rules_a_concept_out_where_it_does_not_exist() -> None:
    kb = load_knowledge_base(GRAFANA)
    absent = [rule for rule in kb.rules if rule.id == "integration-not-in-self-hosted"]
    assert absent and absent[0].when == {"deployment": "self-hosted"} and absent[0].weight < 0
    result = ask(compile_kb(kb), "I want the Kubernetes integration", {"deployment": "self-hosted"})
    assert result["status"] != "answer" or result["recommendation"]["concept"] != "integration"


def test_an_edition_fact_whose_values_are_not_the_scopes_is_an_error(tmp_path: Path) -> None:
    kb = tmp_path / "kb"
    shutil.copytree(GRAFANA, kb, ignore=shutil.ignore_patterns(".cache"))
    text = (kb / "kb.yaml").read_text(encoding="utf-8").replace("edition_fact: deployment", "edition_fact: goal")
    (kb / "kb.yaml").write_text(text, encoding="utf-8")
    with pytest.raises(KnowledgeBaseError) as error:
        load_knowledge_base(kb)
    assert "kb.yaml:" in str(error.value.problems[0]) and "must be the scopes" in str(error.value.problems[0])
