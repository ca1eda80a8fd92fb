"""How far to trust the advisor: its examples and its cross-validated accuracy, stated on its page.

Computed when the site is built, from the knowledge base's own examples, so the figure a reader
sees is the one the data gives today ([`advisor.examples.cross_validate`][advisor.examples.cross_validate]).
"""

from __future__ import annotations

from typing import Any

#: Folds of the cross-validation the page reports.
FOLDS = 5


def accuracy_section(kb: Any) -> list[str]:
    """Return the Markdown lines of the advisor page's "How far to trust it" section (none without examples)."""
    from advisor.compile import compile_kb
    from advisor.examples import cross_validate

    examples = list(kb.examples)
    if len(examples) < FOLDS * 2:
        return []
    report = cross_validate(compile_kb(kb), examples, FOLDS)
    real = sum(1 for example in examples if example.source.startswith("real:"))
    share = round(report.accuracy * 100)
    lines = [
        "## How far to trust it { #trust }",
        "",
        f"The advisor is checked against {len(examples)} example questions"
        + (f", {real} of them asked by real users in public issue threads and forums" if real else "")
        + f". On questions it had not learned from, it gives the expected answer to {share} % of them "
        f"({report.right} of {report.total}, measured in {FOLDS} rounds, each leaving a fifth of the "
        "examples out of its training). Real questions, often long or about something else, are "
        "harder than that average: when an answer looks wrong, the comparison tables and the FAQ "
        "give the whole picture.",
        "",
    ]
    return lines
