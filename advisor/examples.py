"""Run a knowledge base's examples through the advisor: accuracy, misses, confusion, cross-validation.

An example ([`Example`][advisor.model.Example]) states the outcome a correct advisor gives. It is
scored the way `shared/eval/README.md` scores a case ([`scored_right`][advisor.examples.scored_right]).
[`cross_validate`][advisor.examples.cross_validate] is the honest estimate of how the advisor does
on wordings it has not seen: the text model is trained on K-1 folds and scores the held-out fold.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any, Sequence

from advisor.rules import MAX_FAQ_CONCEPTS, ask


def kind_of(expected: Any) -> str:
    """Return the kind of an expected outcome: `concept`, `concepts`, `faq`, `follow-up` or `out-of-scope`."""
    if expected == "out-of-scope":
        return "out-of-scope"
    if expected == "ask-follow-up" or (isinstance(expected, dict) and "follow-up" in expected):
        return "follow-up"
    if isinstance(expected, dict):
        return "faq"
    if isinstance(expected, list) and len(expected) > 1:
        return "concepts"
    return "concept"


def scored_right(result: dict[str, Any], expected: Any) -> bool:
    """Whether an answer (`advisor ask --json`) is right for an expected outcome.

    A concept is right when it is recommended, when an FAQ answer of at most `MAX_FAQ_CONCEPTS`
    concepts names it, or when a troubleshooting answer names it; a list is right when the
    recommendation is one of them or the FAQ answer names all of them; `{faq: ID}` needs that entry;
    `ask-follow-up` any question and `{follow-up: FACT}` a question on that fact.
    """
    status = result["status"]
    if expected == "ask-follow-up":
        return bool(status == "question")
    if expected == "out-of-scope":
        return bool(status == "out-of-scope")
    if isinstance(expected, dict):
        if "faq" in expected:
            return bool(status == "faq" and result["faq"]["id"] == expected["faq"])
        return bool(status == "question" and result["question"]["fact"] == expected["follow-up"])
    wanted = expected if isinstance(expected, list) else [expected]
    if status == "answer":
        return bool(result["recommendation"]["concept"] in wanted)
    if status == "faq":
        concepts = result["faq"]["concepts"]
        return len(concepts) <= MAX_FAQ_CONCEPTS and all(concept in concepts for concept in wanted)
    return False


def outcome_of(result: dict[str, Any]) -> str:
    """A short label of what the advisor did: the concept, `faq:ID`, `question:FACT` or `out-of-scope`."""
    status = result["status"]
    if status == "answer":
        return str(result["recommendation"]["concept"])
    if status == "faq":
        return "faq:" + str(result["faq"]["id"])
    if status == "question":
        return "question:" + str(result["question"]["fact"])
    return "out-of-scope"


def _expected_label(expected: Any) -> str:
    kind = kind_of(expected)
    if kind == "concept":
        return str(expected[0] if isinstance(expected, list) else expected)
    if kind == "concepts":
        return "+".join(expected)
    if kind == "faq":
        return "faq:" + str(expected["faq"])
    if kind == "follow-up":
        return "question" + (":" + str(expected["follow-up"]) if isinstance(expected, dict) else "")
    return "out-of-scope"


@dataclass
class Miss:
    """An example the advisor got wrong."""

    id: str
    question: str
    expected: str
    got: str
    why: str
    where: str = ""
    known: bool = False


@dataclass
class Report:
    """The outcome of running examples: totals per expected kind, the misses, a confusion table."""

    total: int = 0
    right: int = 0
    by_kind: dict[str, list[int]] = field(default_factory=dict)
    misses: list[Miss] = field(default_factory=list)
    confusion: dict[str, dict[str, int]] = field(default_factory=dict)
    #: Examples marked `known_miss` that are now answered right (the mark can go).
    now_passing: list[str] = field(default_factory=list)

    @property
    def failures(self) -> list[Miss]:
        """The misses not marked as known: what makes `advisor test` fail."""
        return [miss for miss in self.misses if not miss.known]

    @property
    def accuracy(self) -> float:
        """The share of examples answered right (0 when there are none)."""
        return self.right / self.total if self.total else 0.0

    def add(self, example: Any, result: dict[str, Any]) -> None:
        """Score one example's answer and record it."""
        kind = kind_of(example.expected)
        ok = scored_right(result, example.expected)
        counts = self.by_kind.setdefault(kind, [0, 0])
        counts[1] += 1
        self.total += 1
        expected = _expected_label(example.expected)
        got = outcome_of(result)
        row = self.confusion.setdefault(expected, {})
        column = "right" if ok else got
        row[column] = row.get(column, 0) + 1
        if ok:
            counts[0] += 1
            self.right += 1
            if example.known_miss:
                self.now_passing.append(example.id)
        else:
            self.misses.append(Miss(example.id, example.question, expected, got, _why(result), str(example.where or ""), example.known_miss))

    def as_dict(self) -> dict[str, Any]:
        """The report as a JSON-ready dict."""
        return {
            "total": self.total, "right": self.right, "accuracy": round(self.accuracy, 4),
            "by_kind": {kind: {"right": v[0], "total": v[1]} for kind, v in sorted(self.by_kind.items())},
            "misses": [miss.__dict__ for miss in self.misses],
            "failures": len(self.failures),
            "now_passing": list(self.now_passing),
            "confusion": self.confusion,
        }


def _why(result: dict[str, Any]) -> str:
    status = result["status"]
    if status == "answer":
        recommendation = result["recommendation"]
        return ("text model" if recommendation.get("by") == "model" else "rules") + ": " + str(recommendation["reasons"][0])[:120]
    if status == "faq":
        return "FAQ entry: " + str(result["faq"]["question"])
    if status == "question":
        return "asks: " + str(result["question"]["prompt"])
    return "out of scope: " + str(result["message"])[:120]


def run_examples(compiled: dict[str, Any], examples: Sequence[Any]) -> Report:
    """Ask every example and score the answers."""
    report = Report()
    for example in examples:
        report.add(example, ask(compiled, example.question, dict(example.given)))
    return report


def folds(examples: Sequence[Any], k: int) -> list[list[Any]]:
    """Split examples into `k` folds deterministically: every k-th example, in file order."""
    return [list(examples[start::k]) for start in range(k)]


def cross_validate(compiled: dict[str, Any], examples: Sequence[Any], k: int) -> Report:
    """Score each fold with a text model trained on the other folds only; return the pooled report."""
    from advisor.compile import train_model

    if k < 2:
        raise ValueError("cross-validation needs at least 2 folds")
    report = Report()
    parts = folds(examples, k)
    for index, held_out in enumerate(parts):
        training = [example for number, part in enumerate(parts) if number != index for example in part]
        trial = {**compiled, "model": train_model(compiled, training)}
        for example in held_out:
            report.add(example, ask(trial, example.question, dict(example.given)))
    return report


def format_report(report: Report, title: str, limit: int | None = None) -> str:
    """Return a report as plain text: accuracy, accuracy per expected kind, misses, confusion table."""
    lines = [f"{title}: {report.right}/{report.total} right ({report.accuracy * 100:.1f} %)"]
    for kind, (right, total) in sorted(report.by_kind.items()):
        lines.append(f"  {kind:<13} {right:>4}/{total:<4} ({right / total * 100:5.1f} %)")
    if report.misses:
        shown = report.misses if limit is None else report.misses[:limit]
        lines.append("")
        known = len(report.misses) - len(report.failures)
        lines.append(f"Misses ({len(report.misses)}; {known} of them marked known_miss):")
        for miss in shown:
            lines.append(f"  {miss.id}{' (known miss)' if miss.known else ''}: {miss.question}")
            lines.append(f"      expected {miss.expected}; got {miss.got} ({miss.why})")
        if len(shown) < len(report.misses):
            lines.append(f"  ... and {len(report.misses) - len(shown)} more (--all shows them)")
    if report.now_passing:
        lines.append("")
        lines.append("Marked known_miss but now answered right (remove the mark): " + ", ".join(report.now_passing))
    lines.append("")
    lines.append("Confusion (expected -> what the advisor did; 'right' when scored right):")
    for expected in sorted(report.confusion):
        row = report.confusion[expected]
        cells = ", ".join(f"{got} {count}" for got, count in sorted(row.items(), key=lambda item: (-item[1], item[0])))
        lines.append(f"  {expected:<40} {cells}")
    return "\n".join(lines)


def report_json(reports: dict[str, Report]) -> str:
    """Reports as one JSON object, keyed by what was run (`examples`, `cross-validation`)."""
    return json.dumps({name: report.as_dict() for name, report in reports.items()}, indent=2, ensure_ascii=False)


__all__ = ["Miss", "Report", "cross_validate", "folds", "format_report", "kind_of", "outcome_of", "report_json", "run_examples", "scored_right"]
