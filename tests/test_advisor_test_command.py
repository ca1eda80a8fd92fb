"""`advisor test`: a knowledge base's examples as its test suite, and the cross-validated estimate."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
import yaml

from advisor.cli import main
from advisor.compile import load_compiled
from advisor.examples import cross_validate, folds, run_examples, scored_right
from advisor.load import load_knowledge_base

ROOT = Path(__file__).parent.parent
GRAFANA = ROOT / "data" / "grafana"


def test_the_bundled_examples_pass(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["test"]) == 0
    out = capsys.readouterr().out
    assert "right (" in out and "Confusion" in out


def test_the_bundled_examples_hold_own_and_real_questions() -> None:
    kb = load_knowledge_base(GRAFANA)
    real = [example for example in kb.examples if example.source.startswith("real:")]
    assert len(kb.examples) >= 459 and len(real) >= 150
    known = [example for example in kb.examples if example.known_miss]
    assert len(known) <= len(kb.examples) // 8, "most examples are answered right"


def test_cross_validation_scores_folds_the_model_did_not_train_on() -> None:
    kb = load_knowledge_base(GRAFANA)
    compiled = load_compiled(GRAFANA)
    report = cross_validate(compiled, kb.examples, 5)
    assert report.total == len(kb.examples)
    parts = folds(kb.examples, 5)
    assert sum(len(part) for part in parts) == len(kb.examples)
    assert not set(e.id for e in parts[0]) & set(e.id for e in parts[1])
    # the honest figure is lower than the figure on the training examples
    assert report.accuracy <= run_examples(compiled, kb.examples).accuracy


def _copy(tmp_path: Path) -> Path:
    kb = tmp_path / "kb"
    shutil.copytree(GRAFANA, kb, ignore=shutil.ignore_patterns(".cache"))
    return kb


def test_a_failing_example_fails_the_command_and_is_listed(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    kb = _copy(tmp_path)
    data = yaml.safe_load((kb / "examples.yaml").read_text(encoding="utf-8"))
    data["examples"].append({"id": "wrong-on-purpose", "question": "grafana prometheus", "expected": "panel-plugin", "source": "own"})
    (kb / "examples.yaml").write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    assert main(["test", "--kb", str(kb), "--all"]) == 1
    out = capsys.readouterr().out
    assert "wrong-on-purpose: grafana prometheus" in out
    assert "expected panel-plugin; got data-source" in out


def test_json_report_has_accuracy_per_kind_and_confusion(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["test", "--json", "--cross-validate", "3"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert set(report) == {"examples", "cross-validation"}
    assert {"concept", "out-of-scope", "follow-up"} <= set(report["examples"]["by_kind"])
    assert 0 < report["cross-validation"]["accuracy"] <= 1


def test_an_example_naming_an_unknown_concept_is_a_data_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    kb = _copy(tmp_path)
    text = (kb / "examples.yaml").read_text(encoding="utf-8").replace("expected: panel-plugin", "expected: panel-plugn", 1)
    (kb / "examples.yaml").write_text(text, encoding="utf-8")
    assert main(["validate", "--kb", str(kb)]) == 2
    err = capsys.readouterr().err
    assert "examples.yaml:" in err and "unknown concept 'panel-plugn'" in err and "did you mean 'panel-plugin'" in err


@pytest.mark.parametrize("expected, result, right", [
    ("out-of-scope", {"status": "out-of-scope"}, True),
    ({"follow-up": "deployment"}, {"status": "question", "question": {"fact": "deployment"}}, True),
    ({"follow-up": "deployment"}, {"status": "question", "question": {"fact": "goal"}}, False),
    ({"faq": "unsigned-plugin"}, {"status": "faq", "faq": {"id": "unsigned-plugin", "concepts": ["plugin"]}}, True),
    (["integration", "data-source"], {"status": "faq", "faq": {"id": "x", "concepts": ["integration", "data-source"]}}, True),
    ("panel-plugin", {"status": "faq", "faq": {"id": "x", "concepts": ["plugin"]}}, False),
])
def test_scoring_follows_the_evaluation_rules(expected: object, result: dict, right: bool) -> None:
    assert scored_right(result, expected) is right


@pytest.mark.parametrize("name", ["grafana", "alerting"])
def test_each_advisor_page_states_its_examples_and_cross_validated_accuracy(name: str) -> None:
    from advisor.graph import build_graph
    from advisor.render.site import render_site

    kb = load_knowledge_base(ROOT / "data" / name)
    report = cross_validate(load_compiled(kb.path), kb.examples, 5)
    page = render_site(build_graph(kb))["advisor/index.md"]
    assert f"checked against {len(kb.examples)} example questions" in page
    assert f"expected answer to {round(report.accuracy * 100)} % of them ({report.right} of {report.total}" in page
    assert page.index("How far to trust it") < page.index("## Sources")
