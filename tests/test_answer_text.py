"""Answers in plain words: what a person reads in the terminal and in the widget.

The readable form ([`advisor.answer_text.readable`]) and its browser port (`advisor/web/answer.js`,
run under Node) agree on every evaluation case; neither, nor `advisor ask`'s text output, shows
anything of the engine (rule ids, weights, scores, fact ids, "not known yet", ...).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from kbtools import evaluation_questions

from advisor.answer_text import badge, readable, segments, sentences
from advisor.bundle import bundle_of
from advisor.compile import load_compiled
from advisor.console import format_result
from advisor.paths import default_kb_path
from advisor.rules import ask
from advisor.terminal import Terminal

ROOT = Path(__file__).parent.parent
EVAL = Path(__file__).parent / "eval"
WEB = ROOT / "advisor" / "web"

#: Words of the engine that must never reach a person (the issue's list, and the engine's own).
ENGINE_PHRASES = (
    "no rule for it holds", "not known yet", "strongest rule", "(it is:", "anything but",
    "values listed first win", "score 0", "score", "scores lower", "not decided yet", "weight",
)


def eval_texts() -> list[str]:
    return evaluation_questions()


@pytest.fixture(scope="module")
def compiled() -> dict[str, Any]:
    return load_compiled(default_kb_path())


def engine_words(compiled: dict[str, Any]) -> list[str]:
    """Rule ids and fact ids (with their values, as `fact=value` or `fact = value`)."""
    words = [rule["id"] for rule in compiled["rules"]]
    for fact in compiled["facts"]:
        words.append(fact["id"] + " =")
        words.append(fact["id"] + "=")
    return words


def engine_leaks(text: str, compiled: dict[str, Any]) -> list[str]:
    lowered = text.lower()
    found = [phrase for phrase in ENGINE_PHRASES if phrase in lowered]
    found += [word for word in engine_words(compiled) if re.search(r"(?<![\w-])" + re.escape(word) + ("" if word.endswith("=") else r"(?![\w-])"), text)]
    found += re.findall(r"(?<![\d.])0\.\d\d(?![\d.])", text)  # a score, not part of an address such as 172.18.0.16
    return found


# --- The readable structure ----------------------------------------------------------------------


def test_segments_mark_code_and_keep_unpaired_backticks_as_text() -> None:
    assert segments("run `grafana cli plugins install x` now") == [["text", "run "], ["code", "grafana cli plugins install x"], ["text", " now"]]
    assert segments("a ` b") == [["text", "a ` b"]]
    assert segments("`only`") == [["code", "only"]]


def test_sentences_split_at_a_full_stop_before_a_capital() -> None:
    assert sentences("One. Two? three. Four") == ["One.", "Two? three.", "Four"]


def test_a_recommendation_reads_as_verdict_why_and_steps(compiled: dict[str, Any]) -> None:
    result = ask(compiled, "I run Grafana on my own servers and want dashboards from Prometheus", {})
    view = readable(compiled, result)
    assert view["verdict"] == "Recommended: Data source"
    assert 1 <= len(view["why"]) <= 3
    assert view["steps"] and all(isinstance(step, list) for step in view["steps"])
    assert {"text": "you run Grafana yourself", "words": ["run grafana"]} in view["understood"]
    # nothing that held for another concept: every other one is folded away, with a plain sentence
    assert not view["alternatives"]
    integration = next(item for item in view["folded"] if item["concept"] == "integration")
    assert integration["badge"] == "Grafana Cloud only"
    assert integration["text"] == "It fits when you use Grafana Cloud, but you run Grafana yourself."


def test_a_named_alternative_is_shown_with_why_not(compiled: dict[str, Any]) -> None:
    result = ask(compiled, "we run grafana ourselves and want an integration for mysql", {})
    view = readable(compiled, result)
    assert result["status"] == "answer" and view["concept"] != "integration"
    shown = {item["concept"]: item for item in view["alternatives"]}
    assert shown["integration"]["fit"] == "ruled-out"
    assert "you run Grafana yourself" in shown["integration"]["text"]


def test_a_close_alternative_gives_its_own_reason(compiled: dict[str, Any]) -> None:
    result = ask(compiled, "we are on grafana cloud and want to monitor mysql", {})
    view = readable(compiled, result)
    close = [item for item in view["alternatives"] if item["fit"] == "partial"]
    assert close and close[0]["concept"] == "data-source"
    assert close[0]["text"].endswith(".") and len(sentences(close[0]["text"])) == 1


def test_code_in_next_steps_is_marked(compiled: dict[str, Any]) -> None:
    steps = [step for rule in compiled["rules"] for step in rule["next_steps"] if "`" in step]
    assert steps, "the data has inline code in next steps"
    assert any(kind == "code" for kind, _ in segments(steps[0]))


def test_badges_come_from_the_concepts_scopes(compiled: dict[str, Any]) -> None:
    assert badge(compiled, "integration") == "Grafana Cloud only"
    assert badge(compiled, "data-source") == ""
    assert badge({"concepts": [{"id": "x", "applies_to": ["a"]}], "scopes": [{"id": "a", "name": "A"}]}, "x") == ""


def test_without_statements_the_labels_are_used() -> None:
    compiled = {"facts": [{"id": "f", "values": [{"id": "v", "label": "A label"}]}], "concepts": [], "scopes": []}
    result = {"status": "out-of-scope", "facts": {"f": {"value": "v", "source": "given", "words": []}}, "message": "m"}
    assert readable(compiled, result)["understood"] == [{"text": "A label", "words": []}]


# --- Nothing of the engine in what a person reads ------------------------------------------------


def test_no_engine_words_in_readable_answers_or_ask_text(compiled: dict[str, Any]) -> None:
    term = Terminal(None, width=80, color=False)
    for text in eval_texts():
        result = ask(compiled, text, {})
        view = readable(compiled, result)
        shown = json.dumps({key: value for key, value in view.items() if key not in ("concept", "question", "about")}, ensure_ascii=False)
        shown += " ".join(option["label"] for option in (view["question"] or {}).get("options", []))
        assert not engine_leaks(shown, compiled), (text, engine_leaks(shown, compiled))
        output = format_result(result, text, None, compiled, term)
        assert not engine_leaks(output, compiled), (text, engine_leaks(output, compiled), output)


def test_ask_text_output_through_the_real_command() -> None:
    texts = eval_texts()[:6]
    compiled = load_compiled(default_kb_path())
    for text in texts:
        run = subprocess.run([sys.executable, "-m", "advisor", "ask", text], capture_output=True, text=True, env={**os.environ, "COLUMNS": "60"})
        assert run.returncode == 0, run.stderr
        assert not engine_leaks(run.stdout, compiled), run.stdout
        assert "\x1b[" not in run.stdout  # a pipe gets no colour
        assert max(len(line) for line in run.stdout.splitlines()) <= 60 or any(" " not in line.strip() for line in run.stdout.splitlines())


# --- The browser's port gives the same structure -------------------------------------------------

NODE_SCRIPT = r"""
const engine = require(process.argv[2]);
const answer = require(process.argv[3]);
const fs = require("fs");
const bundle = engine.unpack(JSON.parse(fs.readFileSync(process.argv[4], "utf-8")));
const cases = JSON.parse(fs.readFileSync(process.argv[5], "utf-8"));
const out = cases.map(([text, facts]) => answer.readable(bundle, engine.ask(bundle, text, facts)));
process.stdout.write(JSON.stringify(out));
"""


@pytest.mark.skipif(shutil.which("node") is None, reason="needs Node (scripts/test.sh installs it)")
def test_the_browser_port_agrees_on_every_evaluation_case(compiled: dict[str, Any], tmp_path: Path) -> None:
    cases: list[list[Any]] = [[text, {}] for text in eval_texts()]
    cases += [["", {}], ["", {"deployment": "self-hosted", "goal": "monitor"}], ["a `backtick", {"deployment": "cloud"}]]
    # an answer naming a product that needs a plan: unknown, not included, included
    cases += [["we want our splunk logs in grafana", {}], ["splunk logs in grafana oss", {}], ["splunk logs", {"plan": "cloud-pro"}]]
    (tmp_path / "bundle.json").write_text(json.dumps(bundle_of(compiled)), encoding="utf-8")
    (tmp_path / "cases.json").write_text(json.dumps(cases), encoding="utf-8")
    (tmp_path / "run.js").write_text(NODE_SCRIPT, encoding="utf-8")
    run = subprocess.run(
        ["node", str(tmp_path / "run.js"), str(WEB / "engine.js"), str(WEB / "answer.js"), str(tmp_path / "bundle.json"), str(tmp_path / "cases.json")],
        capture_output=True, text=True, check=True,
    )
    browser = json.loads(run.stdout)
    python = [json.loads(json.dumps(readable(compiled, ask(compiled, text, facts)))) for text, facts in cases]
    for (text, _), want, got in zip(cases, python, browser):
        assert want == got, text
