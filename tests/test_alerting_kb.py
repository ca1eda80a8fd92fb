"""The bundled Grafana Alerting knowledge base: valid, complete, and answering plain questions."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from kbtools import write_mkdocs

from advisor.compile import load_compiled
from advisor.examples import scored_right  # the scoring of `advisor test` and of the shared evaluation
from advisor.graph import build_graph, relations_out
from advisor.lint import lint
from advisor.load import DATA_FILES, load_knowledge_base
from advisor.rules import ask

REPO = Path(__file__).resolve().parent.parent
KB = REPO / "data" / "alerting"
EXAMPLES = yaml.safe_load((KB / "examples.yaml").read_text(encoding="utf-8"))["examples"]
#: The knowledge base's own examples (not the real users' questions), less those marked known_miss.
CASES = [example for example in EXAMPLES if example["source"] == "own" and not example.get("known_miss")]

#: The concept ids of this knowledge base: a public contract, like the first one's.
MAIN = [
    "grafana-managed-rule", "datasource-managed-rule", "recording-rule", "contact-point",
    "notification-policy", "notification-template", "silence", "mute-timing", "inhibition-rule",
    "alert-instance", "labels-annotations", "evaluation-group", "simplified-routing", "alertmanager",
    "alert-state-history", "provisioning",
]


@pytest.fixture(scope="module")
def kb():
    return load_knowledge_base(KB)


@pytest.fixture(scope="module")
def compiled() -> dict[str, Any]:
    return load_compiled(KB)


# ---------------------------------------------------------------- the data


def test_the_sixteen_concepts_exist_as_main_concepts(kb) -> None:
    main = [c.id for c in kb.concepts if c.role == "main"]
    assert sorted(main) == sorted(MAIN)
    assert kb.id == "alerting"
    for concept_id in ("grafana-managed-rule", "datasource-managed-rule"):
        assert kb.concept(concept_id).kind_of == "alert-rule"


def test_every_data_file_has_its_schema_line_review_date_and_sources(kb) -> None:
    for name in DATA_FILES:
        if not (KB / f"{name}.yaml").is_file():
            continue  # an optional file this knowledge base does not have (troubleshooting)
        text = (KB / f"{name}.yaml").read_text(encoding="utf-8")
        assert text.startswith(f"# yaml-language-server: $schema=../schema/{name}.schema.json\n"), name
        assert kb.last_reviewed[name], name
        assert kb.sources[name], name


def test_validate_passes_without_lint_warnings(kb) -> None:
    assert lint(kb) == []
    run = subprocess.run([sys.executable, "-m", "advisor", "validate", "--kb", str(KB)], capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    assert "warning" not in run.stderr + run.stdout
    assert ": OK" in run.stdout


def test_every_main_concept_has_a_rule_for_a_task_not_only_for_its_name(kb) -> None:
    for concept_id in MAIN:
        rules = [r for r in kb.rules if r.concept == concept_id]
        assert any("asks_for" not in json.dumps(r.when) for r in rules), concept_id
        assert any(r.next_steps for r in rules), concept_id


def test_every_main_concept_is_sourced_and_has_when_to_use_it(kb) -> None:
    for concept_id in MAIN:
        concept = kb.concept(concept_id)
        assert concept.use_when and concept.links and concept.applies_to, concept_id


def test_the_three_confusing_families_have_comparison_tables(kb) -> None:
    tables = {c.id: set(c.concepts) for c in kb.comparisons}
    assert tables["quiet-times"] == {"silence", "mute-timing", "inhibition-rule"}
    assert tables["rule-types"] == {"grafana-managed-rule", "datasource-managed-rule", "recording-rule"}
    assert tables["notification-parts"] == {"contact-point", "notification-policy", "notification-template", "simplified-routing"}
    assert set(MAIN) <= tables["summary"]


def test_the_faq_answers_the_confusion_points_and_stays_narrow(kb) -> None:
    ids = {entry.id for entry in kb.faq}
    for wanted in ("silence-vs-mute-timing", "nothing-after-mute-timing", "only-one-policy-matched",
                   "duplicate-notifications", "prometheus-rules", "datasource-error-page", "pending-too-long",
                   "grouped-notifications", "repeat-interval", "template-values-missing", "provisioned-not-editable",
                   "inhibition-in-grafana", "edit-resets-alerts", "mute-timing-time-zone", "history-empty"):
        assert wanted in ids, wanted
    for entry in kb.faq:
        assert 1 <= len(entry.concepts) <= 4, entry.id


def test_relations_follow_the_path_from_rule_to_notification(kb) -> None:
    graph = build_graph(kb)

    def edges(concept_id: str) -> set[tuple[str, str]]:
        return {(e.type, e.target) for e in relations_out(graph, concept_id)}

    assert ("produces", "alert-instance") in edges("alert-rule")
    assert ("selects", "contact-point") in edges("notification-policy")
    assert ("uses", "notification-template") in edges("contact-point")
    assert ("replaces", "notification-policy") in edges("simplified-routing")
    assert ("importable-into", "grafana-managed-rule") in edges("datasource-managed-rule")
    for quiet in ("silence", "mute-timing", "inhibition-rule"):
        assert any(kind == "suppresses" for kind, _ in edges(quiet)), quiet


def test_products_imply_what_they_say(kb) -> None:
    products = {p.name: p for p in kb.products}
    for name in ("Slack", "PagerDuty", "Email", "Microsoft Teams", "Webhook", "Opsgenie"):
        # naming a destination is weaker evidence than saying what to do with it (a task)
        assert products[name].implies == {"destination": "named"}, name
        assert "contact-point" in products[name].concepts, name
    for name in ("Mimir", "Loki"):
        assert products[name].implies == {"data": "ruler"}, name
    assert products["Prometheus"].implies == {"data": "prometheus"}
    assert products["Terraform"].implies == {"task": "as-code"}


# ---------------------------------------------------------------- the advisor on plain questions


@pytest.mark.parametrize("case", CASES, ids=[case["id"] for case in CASES])
def test_own_example_question(compiled: dict[str, Any], case: dict[str, Any]) -> None:
    result = ask(compiled, case["question"], {})
    assert scored_right(result, case["expected"]), json.dumps(result, indent=1)[:3000]


def test_each_main_concept_is_the_answer_to_at_least_one_plain_question(compiled: dict[str, Any]) -> None:
    answered = set()
    for case in CASES:
        result = ask(compiled, case["question"], {})
        if result["status"] == "answer" and result["recommendation"]["concept"] == case["expected"]:
            answered.add(case["expected"])
    assert set(MAIN) - answered == set()


def test_the_command_line_answers_with_next_steps_naming_the_product() -> None:
    run = subprocess.run(
        [sys.executable, "-m", "advisor", "ask", "--kb", str(KB), "set up pagerduty notifications", "--json"],
        capture_output=True, text=True, timeout=120,
    )
    assert run.returncode == 0, run.stderr
    result = json.loads(run.stdout)
    assert result["recommendation"]["concept"] == "contact-point"
    assert any("PagerDuty" in step and "Integration Key" in step for step in result["recommendation"]["next_steps"])


def test_what_a_person_reads_shows_no_rule_ids(compiled: dict[str, Any]) -> None:
    run = subprocess.run(
        [sys.executable, "-m", "advisor", "ask", "--kb", str(KB), "mute alerts every weekend"],
        capture_output=True, text=True, timeout=120,
    )
    assert run.returncode == 0, run.stderr
    assert "Mute timing" in run.stdout
    for rule in compiled["rules"]:
        assert rule["id"] not in run.stdout


# ---------------------------------------------------------------- the site


def test_the_pages_render_for_every_concept(tmp_path: Path) -> None:
    out = tmp_path / "generated"
    run = subprocess.run([sys.executable, "-m", "advisor", "render", "--kb", str(KB), "--out", str(out)], capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr
    for concept_id in MAIN:
        assert (out / "concepts" / f"{concept_id}.md").is_file() or (out / "concepts" / concept_id / "index.md").is_file(), concept_id


def test_a_strict_mkdocs_site_builds_from_it(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "index.md").write_text("# Alerting\n\n/// compare\nconcepts: [silence, mute-timing, inhibition-rule]\ncolumns: [purpose]\n///\n", encoding="utf-8")
    write_mkdocs(tmp_path, KB, site_name="Alerting")
    run = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(tmp_path / "mkdocs.yml")],
        cwd=tmp_path, capture_output=True, text=True, timeout=300, env={"NO_MKDOCS_2_WARNING": "1", "PATH": "/usr/bin:/bin"},
    )
    assert run.returncode == 0, run.stderr
    assert "WARNING" not in run.stderr
    site = tmp_path / "site"
    page = (site / "concepts" / "mute-timing" / "index.html").read_text(encoding="utf-8")
    assert "Mute timing" in page
    assert (site / "advisor" / "index.html").is_file()


@pytest.mark.browser
def test_the_browser_advisor_answers_every_example_like_the_command_line(site_factory: Any, watched_page: Any) -> None:
    page, watch = watched_page
    site = site_factory(KB)
    page.goto(site.page("advisor/"))
    page.wait_for_function("() => window.conceptAdvisor && window.conceptAdvisor.bundle !== null")
    questions = [case["question"] for case in EXAMPLES]  # right or wrong, the browser answers as the CLI does
    got = page.evaluate("(questions) => questions.map((text) => window.conceptAdvisor.ask(text, {}))", questions)
    compiled = load_compiled(KB)
    differ = []
    for question, answer in zip(questions, got):
        want = json.loads(json.dumps(ask(compiled, question, {})))
        if want != answer:
            differ.append(question)
    assert not differ, differ[:10]
    assert not watch.errors
