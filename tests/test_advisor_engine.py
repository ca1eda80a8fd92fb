"""The advisor engine on the tiny fixture knowledge base: logic, questions, why-not, FAQ, out-of-scope."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from advisor.compile import load_compiled
from advisor.rules import ask, evaluate
from advisor.text import distance, normalise, stem

MINI = Path(__file__).parent / "fixtures" / "mini"


@pytest.fixture(scope="module")
def mini() -> dict[str, Any]:
    return load_compiled(MINI)


def test_three_valued_logic() -> None:
    assert evaluate({"mood": "tired"}, {}) == (1, 0)
    assert evaluate({"mood": "tired"}, {"mood": "calm"})[0] == 0
    assert evaluate({"not": {"mood": "tired"}}, {})[0] == 1
    assert evaluate({"not": {"mood": "tired"}}, {"mood": "calm"})[0] == 2
    assert evaluate({"any": [{"mood": "tired"}, {"place": "home"}]}, {"place": "home"}) == (2, 1)
    assert evaluate({"any": [{"mood": "tired"}, {"place": "home"}]}, {"place": "office"})[0] == 1
    assert evaluate({"all": [{"mood": "tired"}, {"place": "home"}]}, {"place": "office"})[0] == 0
    assert evaluate({"all": [{"mood": "tired"}, {"place": "home"}]}, {"place": "home"}) == (1, 1)
    assert evaluate({"mood": ["tired", "calm"], "place": "home"}, {"mood": "calm", "place": "home"})[0] == 2


def test_normalise_and_stem() -> None:
    assert normalise("Café ON-prem. K8s!\nnext") == [["cafe", "on", "prem"], ["k8s"], ["next"]]
    assert normalise("version 12.4 of the app") == [["version", "12", "4", "of", "app"]]
    assert [stem(w) for w in ("dashboards", "queries", "boxes", "status", "alias", "this")] == ["dashboard", "query", "box", "status", "alia", "this"]
    assert distance("promethue", "prometheus", 2) == 2
    assert distance("dashbaord", "dashboard", 1) == 1
    assert distance("abc", "xyz", 1) == 2


def test_unknown_is_not_false_so_it_asks(mini: dict[str, Any]) -> None:
    result = ask(mini, "I am at home", {})
    assert result["status"] == "question"
    assert result["question"]["fact"] == "mood"
    assert result["question"]["options"] == ["tired", "calm"]
    assert result["question"]["labels"]["tired"] == "Tired"


def test_answer_with_reasons_words_and_why_not(mini: dict[str, Any]) -> None:
    result = ask(mini, "Totally knackered at work", {})
    assert result["status"] == "answer"
    assert result["recommendation"]["concept"] == "coffee"
    assert result["facts"]["mood"] == {"value": "tired", "label": "Tired", "source": "text", "words": ["knackered"]}
    assert result["recommendation"]["because"][0]["words"] == ["knackered"]
    assert result["recommendation"]["next_steps"] == ["Grind the beans."]
    tea = next(alt for alt in result["alternatives"] if alt["concept"] == "tea")
    assert "How do you feel? Calm (it is: Tired)" in tea["why_not"]
    assert {"fact": "mood", "value": ["calm"], "negated": False, "state": "false", "actual": "tired"} in tea["unmet"][0]["facts"]
    assert result["recommendation"]["score"] + tea["score"] == 1.0


def test_given_facts(mini: dict[str, Any]) -> None:
    result = ask(mini, "", {"mood": "calm", "place": "home"})
    assert result["recommendation"]["concept"] == "tea"
    assert result["facts"]["place"]["source"] == "given"
    assert ask(mini, "", {"mood": "nonsense", "zzz": "x"})["status"] == "question"


def test_question_when_empty_and_trace(mini: dict[str, Any]) -> None:
    result = ask(mini, "", {})
    assert result["status"] == "question"
    # the written rules, then those derived for each main concept named (see advisor.derive)
    assert [entry["rule"] for entry in result["trace"]] == ["tired-coffee", "calm-tea", "office-tea", "drink-named", "tea-named", "coffee-named"]
    # unknown facts leave rules undecided; a fact never asked (asks_for) reads as having no value
    assert [entry["matched"] for entry in result["trace"]] == [None, None, None, False, False, False]


def test_faq_and_out_of_scope(mini: dict[str, Any]) -> None:
    faq = ask(mini, "What's the difference between tea and coffee?", {})
    assert faq["status"] == "faq" and faq["faq"]["concepts"] == ["tea", "coffee"]
    graph = ask(mini, "what is a cuppa", {})
    assert graph["status"] == "faq" and graph["faq"]["concepts"] == ["tea"]
    assert "Leaves steeped" in graph["faq"]["answer"]
    oos = ask(mini, "a recipe to bake bread", {})
    assert oos["status"] == "out-of-scope" and oos["message"] == "Cooking is outside this knowledge base."
    assert ask(mini, "how tall is the eiffel tower", {})["status"] == "out-of-scope"


def test_negation(mini: dict[str, Any]) -> None:
    result = ask(mini, "I am not tired at all", {})
    assert "mood" not in result["facts"]


def test_products_imply_facts(mini: dict[str, Any]) -> None:
    result = ask(mini, "an espresso please", {})
    assert result["facts"]["mood"]["value"] == "tired"
    assert result["recommendation"]["concept"] == "coffee"


def test_an_out_of_scope_topic_yields_only_to_an_faq_about_a_named_concept(mini: dict[str, Any]) -> None:
    # No concept named: the topic ends it.
    assert ask(mini, "a recipe to bake", {})["status"] == "out-of-scope"
    # A main concept named, but no FAQ entry answers: still out of scope, never a guess.
    assert ask(mini, "a recipe for tea", {})["status"] == "out-of-scope"
    # A main concept named and an FAQ entry answers it: the FAQ entry.
    result = ask(mini, "what is the difference between tea and coffee in a recipe", {})
    assert result["status"] == "faq"
    assert result["faq"]["id"] == "tea-vs-coffee"
