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


def _mini(tmp_path: Path, kb_extra: str = "", rules_extra: str = "") -> Path:
    folder = tmp_path / "kb"
    shutil.copytree(MINI, folder, ignore=shutil.ignore_patterns(".cache"))
    for name, extra in (("kb", kb_extra), ("rules", rules_extra)):
        file = folder / f"{name}.yaml"
        file.write_text(file.read_text(encoding="utf-8") + extra, encoding="utf-8")
    return folder


def test_named_weight_in_kb_yaml_sets_the_weight_of_the_derived_rules(tmp_path: Path) -> None:
    kb = load_knowledge_base(_mini(tmp_path, kb_extra="named_weight: 2\n"))
    derived = [rule for rule in kb.rules if rule.id.endswith("-named")]
    assert derived and all(rule.weight == 2 for rule in derived)


def test_a_rule_that_needs_the_name_and_another_fact_does_not_replace_the_derived_one(tmp_path: Path) -> None:
    kb = load_knowledge_base(MINI)
    concept = next(rule.concept for rule in kb.rules if rule.id.endswith("-named"))
    other = next(question for question in kb.questions if not question.match_concepts)
    extra = (
        f"  - id: {concept}-named-and-more\n    concept: {concept}\n    weight: 3\n    when:\n      all:\n"
        f"        - asks_for: {concept}\n        - {other.id}: {other.values[0].id}\n    reason: Both.\n"
    )
    ids = {rule.id for rule in load_knowledge_base(_mini(tmp_path, rules_extra=extra)).rules}
    assert f"{concept}-named-and-more" in ids and f"{concept}-named" in ids


def test_the_alerting_knowledge_base_writes_no_concept_named_fact_or_rule() -> None:
    folder = GRAFANA.parent / "alerting"
    assert "asks_for" not in (folder / "questions.yaml").read_text(encoding="utf-8")
    kb = load_knowledge_base(folder)
    derived = [rule for rule in kb.rules if rule.id.endswith("-named")]
    assert len(derived) >= 15 and all(rule.weight == 2 for rule in derived)
