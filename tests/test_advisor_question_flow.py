"""Answering only the advisor's own follow-up questions leads to every main concept it recommends."""

from __future__ import annotations

from typing import Any

from advisor.compile import load_compiled
from advisor.rules import ask


def walk(compiled: dict[str, Any], facts: dict[str, str], path: list[str], reached: dict[str, list[str]], depth: int = 0) -> None:
    """Follow every answer to every question, as `advisor quiz` offers them, and record where each path ends."""
    result = ask(compiled, "", facts)
    if result["status"] == "question":
        assert depth < 6, f"the questions never end: {path}"
        question = result["question"]
        assert question["fact"] not in facts, "a fact already answered is asked again"
        for option in question["options"]:
            walk(compiled, {**facts, question["fact"]: option}, [*path, f"{question['fact']}={option}"], reached, depth + 1)
    elif result["status"] == "answer":
        reached.setdefault(result["recommendation"]["concept"], path)


def test_every_main_concept_is_reached_by_answering_questions_only() -> None:
    reached: dict[str, list[str]] = {}
    walk(load_compiled(), {}, [], reached)
    assert {"data-source", "data-source-plugin", "panel-plugin", "app-plugin", "integration"} <= set(reached), reached


def test_ready_made_monitoring_asks_where_grafana_runs() -> None:
    compiled = load_compiled()
    result = ask(compiled, "", {"goal": "monitor"})
    assert result["status"] == "question" and result["question"]["fact"] == "deployment"
    assert ask(compiled, "", {"goal": "monitor", "deployment": "cloud"})["recommendation"]["concept"] == "integration"
    assert ask(compiled, "", {"goal": "monitor", "deployment": "self-hosted"})["recommendation"]["concept"] == "data-source"


def test_querying_asks_whether_grafana_supports_the_system() -> None:
    compiled = load_compiled()
    result = ask(compiled, "", {"goal": "query"})
    assert result["status"] == "question" and result["question"]["fact"] == "system_support"
    assert ask(compiled, "", {"goal": "query", "system_support": "catalog"})["recommendation"]["concept"] == "data-source-plugin"
    assert ask(compiled, "", {"goal": "query", "system_support": "built-in"})["recommendation"]["concept"] == "data-source"
