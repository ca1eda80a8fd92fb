"""Rule lint: rules that can never fire, rules that always tie, facts no rule uses."""

from __future__ import annotations

from itertools import product as assignments
from typing import Any

from advisor.model import KnowledgeBase, Rule

#: Rules over more fact combinations than this are not checked exhaustively.
MAX_COMBINATIONS = 20000


def _facts(condition: dict[str, Any], out: list[str]) -> list[str]:
    for key, value in condition.items():
        if key in ("all", "any"):
            for item in value:
                _facts(item, out)
        elif key == "not":
            _facts(value, out)
        elif key not in out:
            out.append(key)
    return out


def _holds(condition: dict[str, Any], facts: dict[str, str]) -> bool:
    for key, value in condition.items():
        if key == "all":
            ok = all(_holds(item, facts) for item in value)
        elif key == "any":
            ok = any(_holds(item, facts) for item in value)
        elif key == "not":
            ok = not _holds(value, facts)
        else:
            ok = facts.get(key) in (value if isinstance(value, list) else [value])
        if not ok:
            return False
    return True


def _table(rule_condition: dict[str, Any], names: list[str], values: dict[str, list[str]]) -> tuple[bool, ...] | None:
    """The truth table of a condition over every combination of the facts `names` (None: too big)."""
    size = 1
    for name in names:
        size *= len(values.get(name, [])) or 1
    if size > MAX_COMBINATIONS:
        return None
    return tuple(
        _holds(rule_condition, dict(zip(names, combination)))
        for combination in assignments(*(values.get(name, [""]) for name in names))
    )


def _place(rule: Rule | Any) -> str:
    return str(rule.where) if rule.where is not None else "rules.yaml"


def lint(kb: KnowledgeBase) -> list[str]:
    """Return warnings, each starting with file:line, about rules and facts of a loaded knowledge base."""
    values = {question.id: [answer.id for answer in question.values] for question in kb.questions}
    warnings: list[str] = []
    tables: dict[str, tuple[bool, ...] | None] = {}
    for rule in kb.rules:
        names = _facts(rule.when, [])
        table = _table(rule.when, names, values)
        tables[rule.id] = table
        if table is not None and not any(table):
            warnings.append(f"{_place(rule)}: rule {rule.id!r} can never fire: no combination of {', '.join(names)} satisfies its condition")
        if rule.weight == 0:
            warnings.append(f"{_place(rule)}: rule {rule.id!r} has weight 0 and never changes a score")
    rules = list(kb.rules)
    for index, first in enumerate(rules):
        for second in rules[index + 1:]:
            if first.weight != second.weight:
                continue
            names = _facts(first.when, [])
            _facts(second.when, names)
            left = _table(first.when, names, values)
            right = _table(second.when, names, values)
            if left is None or left != right or not any(left):
                continue
            if first.concept == second.concept:
                warnings.append(f"{_place(second)}: rule {second.id!r} has the same condition as {first.id!r} ({_place(first)}): one of them is redundant")
            else:
                warnings.append(
                    f"{_place(second)}: rules {first.id!r} and {second.id!r} always fire together with the same weight, "
                    f"so they can never separate {first.concept!r} from {second.concept!r}"
                )
    used: set[str] = set()
    for rule in kb.rules:
        used.update(_facts(rule.when, []))
    for question in kb.questions:
        if question.id not in used:
            place = str(question.where) if question.where is not None else "questions.yaml"
            warnings.append(f"{place}: fact {question.id!r} is used by no rule")
    return warnings
