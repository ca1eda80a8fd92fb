"""Hostile input: 10,000 random strings through `ask` never raise and always give one of the four statuses."""

from __future__ import annotations

import json
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from advisor.compile import load_compiled
from advisor.rules import ask

COMPILED: dict[str, Any] = load_compiled()
STATUSES = {"answer", "question", "faq", "out-of-scope"}
FRAGMENTS = [
    "", " ", "\x00", "\x1b[31m", "\r\n", "\u202e", "\ufeff", "🙂", "İ", "ﬁ", "K", "e\u0301", "\ud7ff",
    "key: [a, {b: c}]", "- !!python/object:os.system", "&anchor *anchor", "---\n...",
    "<script>alert(1)</script>", "<b>grafana</b>", "&amp;&lt;", '{"facts": {"deployment": "cloud"}}',
    "[1, 2, null]", "grafana cloud", "on-prem", "k8s", "integration", "data source plugin",
    "what is", "difference between", "promql", "monitor", "redis", "aren't", "not", ".", "?!;",
    "constructor", "__proto__", "toString", "hasOwnProperty",
]


def _check(text: str, facts: dict[str, str]) -> None:
    result = ask(COMPILED, text, facts)
    assert result["status"] in STATUSES
    json.dumps(result)
    if result["status"] == "answer":
        assert result["recommendation"]["concept"]
    if result["status"] == "question":
        assert result["question"]["options"]


hostile = st.one_of(
    st.text(),
    st.text(alphabet=st.characters(min_codepoint=0, max_codepoint=0x10FFFF, blacklist_categories=("Cs",))),
    st.lists(st.sampled_from(FRAGMENTS), max_size=30).map("".join),
    st.builds(lambda part, count: part * count, st.sampled_from(FRAGMENTS + ["grafana mongodb "]), st.integers(0, 400)),
    st.lists(st.sampled_from(FRAGMENTS) | st.text(max_size=8), max_size=12).map(" ".join),
)
fact_maps = st.dictionaries(
    st.sampled_from(["deployment", "goal", "system_support", "asks_for", "nope", "__proto__", ""]),
    st.sampled_from(["cloud", "self-hosted", "monitor", "none", "built-in", "integration", "", "x"]),
    max_size=4,
)


@settings(max_examples=10000, deadline=None, suppress_health_check=list(HealthCheck), database=None)
@given(hostile, fact_maps)
def test_hostile_strings_never_break_ask(text: str, facts: dict[str, str]) -> None:
    _check(text, facts)


def test_huge_input() -> None:
    _check("grafana " * 200000 + "I want a traffic light panel", {})
    assert ask(COMPILED, "lorem ipsum " * 50000 + "I want a traffic light panel", {})["recommendation"]["concept"] == "panel-plugin"
