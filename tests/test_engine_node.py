"""One engine, two runtimes: the JavaScript engine under Node answers exactly as Python does.

No browser: Node runs `advisor/web/engine.js` on the bundle the site ships, for every example of
the bundled knowledge bases and for generated inputs (products, phrases, typos, noise, negations).
"""

from __future__ import annotations

import json
import random
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from advisor.bundle import bundle_of
from advisor.compile import load_compiled
from advisor.load import load_knowledge_base
from advisor.rules import ask

NODE = shutil.which("node")
SCRIPT = Path(__file__).parent / "node" / "ask.js"
EVAL = Path(__file__).parent / "eval" / "advisor-cases.yaml"

pytestmark = pytest.mark.skipif(NODE is None, reason="node is not installed (scripts/test.sh installs it)")


def run_node(bundle: dict[str, Any], cases: list[list[Any]], tmp_path: Path) -> list[dict[str, Any]]:
    bundle_file = tmp_path / "bundle.json"
    cases_file = tmp_path / "cases.json"
    bundle_file.write_text(json.dumps(bundle), encoding="utf-8")
    cases_file.write_text(json.dumps(cases), encoding="utf-8")
    run = subprocess.run([NODE, str(SCRIPT), str(bundle_file), str(cases_file)], capture_output=True, text=True, timeout=300, check=True)
    answers: list[dict[str, Any]] = json.loads(run.stdout)
    return answers


def generated(compiled: dict[str, Any], count: int, seed: int) -> list[list[Any]]:
    """Inputs made of the knowledge base's own words, mangled: the places where two ports drift."""
    rng = random.Random(seed)
    words: list[str] = []
    for product in compiled["products"]:
        words.extend([product["name"], *product["aliases"]])
    for concept in compiled["concepts"]:
        words.extend([concept["name"], *concept["aliases"]])
    for fact in compiled["facts"]:
        for value in fact["values"]:
            words.extend(value["phrases"])
    for entry in compiled["faq"]:
        words.extend(entry["phrases"])
    glue = ["I", "we", "not", "don't", "and", "or", "how do I", "what is", "?", ".", "want to", "on-prem", "cloud", "plugin", "the", "my", "no", "vs", "Ünïcödé", "k8s", "!!", "\n"]
    facts = [(fact["id"], [value["id"] for value in fact["values"]]) for fact in compiled["facts"]]
    cases: list[list[Any]] = []
    for _ in range(count):
        parts = [rng.choice(words if rng.random() < 0.6 else glue) for _ in range(rng.randint(1, 12))]
        text = " ".join(parts)
        if rng.random() < 0.3 and text:
            at = rng.randrange(len(text))
            text = text[:at] + text[at + 1:]  # a typo
        given: dict[str, str] = {}
        if rng.random() < 0.2:
            fact_id, values = rng.choice(facts)
            given[fact_id] = rng.choice(values)
        cases.append([text, given])
    return cases


@pytest.fixture(scope="module", params=["grafana", "alerting"])
def knowledge_base(request: pytest.FixtureRequest) -> tuple[Any, dict[str, Any]]:
    kb = load_knowledge_base(Path(__file__).parent.parent / "data" / request.param)
    return kb, load_compiled(kb.path)


def test_node_answers_every_example_as_python_does(knowledge_base: tuple[Any, dict[str, Any]], tmp_path: Path) -> None:
    kb, compiled = knowledge_base
    bundle = bundle_of(compiled)
    cases = [[example.question, dict(example.given)] for example in kb.examples]
    assert len(cases) >= 300
    answers = run_node(bundle, cases, tmp_path)
    for (text, given), answer in zip(cases, answers):
        assert answer == json.loads(json.dumps(ask(bundle, text, given))), text


def test_node_answers_2000_generated_inputs_as_python_does(knowledge_base: tuple[Any, dict[str, Any]], tmp_path: Path) -> None:
    _, compiled = knowledge_base
    bundle = bundle_of(compiled)
    cases = generated(compiled, 2000, seed=20261202)
    answers = run_node(bundle, cases, tmp_path)
    mismatches = [text for (text, given), answer in zip(cases, answers) if answer != json.loads(json.dumps(ask(bundle, text, given)))]
    assert not mismatches, mismatches[:5]


def test_the_engine_constants_and_word_lists_come_from_the_bundle() -> None:
    """engine.js holds no copy of a word list or threshold: they travel in the bundle."""
    script = (Path(__file__).parent.parent / "advisor" / "web" / "engine.js").read_text(encoding="utf-8")
    for copied in ('"stopwords"', "weve", "MIN_SCORE = 2", "FAQ_STRONG = 8", '"versus"', "sometime"):
        assert copied not in script, copied
    compiled = load_compiled()
    assert {"min_score", "model_margin", "faq_min"} <= set(bundle_of(compiled)["engine"])
    assert "stopwords" in bundle_of(compiled)["lexicon"]["language"]
