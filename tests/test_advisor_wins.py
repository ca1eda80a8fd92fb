"""Which value wins when one sentence names several is an explicit field (`wins`), not the menu order."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from advisor.compile import compile_kb
from advisor.errors import KnowledgeBaseError
from advisor.load import load_knowledge_base
from advisor.rules import ask

MINI = Path(__file__).parent / "fixtures" / "mini"


def _with_wins(tmp_path: Path, wins: str) -> Path:
    kb = tmp_path / "kb"
    shutil.copytree(MINI, kb)
    text = (kb / "questions.yaml").read_text(encoding="utf-8")
    (kb / "questions.yaml").write_text(text.replace("    priority: 1\n    values:", f"    priority: 1\n    wins: {wins}\n    values:", 1), encoding="utf-8")
    return kb


def test_by_default_the_first_value_wins() -> None:
    compiled = compile_kb(load_knowledge_base(MINI))
    assert ask(compiled, "at work, or at home", {})["facts"]["place"]["value"] == "home"


def test_wins_decides_and_the_menu_order_stays(tmp_path: Path) -> None:
    compiled = compile_kb(load_knowledge_base(_with_wins(tmp_path, "[office, home]")))
    assert ask(compiled, "at work, or at home", {})["facts"]["place"]["value"] == "office"
    place = next(fact for fact in compiled["facts"] if fact["id"] == "place")
    assert [value["id"] for value in place["values"]] == ["home", "office"]


def test_wins_must_list_every_value_once(tmp_path: Path) -> None:
    with pytest.raises(KnowledgeBaseError) as error:
        load_knowledge_base(_with_wins(tmp_path, "[office, garden]"))
    message = str(error.value.problems[0])
    assert "questions.yaml:" in message and "facts[0].wins" in message and "missing: home" in message and "not values: garden" in message
