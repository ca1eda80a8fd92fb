"""`advisor ask`, `advisor quiz`, `advisor validate` (lint) and the compiled cache, as users run them."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from advisor.cli import main
from advisor.compile import cache_file, load_compiled
from advisor.errors import KnowledgeBaseError
from advisor.lint import lint
from advisor.load import load_knowledge_base

MINI = Path(__file__).parent / "fixtures" / "mini"


def run(*args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "advisor", *args], input=stdin, capture_output=True, text=True, timeout=60)


def test_ask_human_output(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["ask", "We self-host Grafana and want the Kubernetes integration"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Recommended: Data source\n")
    assert "\nWhy\n" in out and "\nNext steps\n" in out and "\nOther options\n" in out
    assert "Integration [Grafana Cloud only] (not here): It fits when you use Grafana Cloud, but you run Grafana yourself." in " ".join(out.split())
    assert '"self host"' in out


def test_ask_question_lists_numbered_choices_and_how_to_answer(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["ask", "I want to monitor Redis"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Where does your Grafana run?\n")
    assert "  1. Grafana Cloud" in out and "  2. Self-hosted" in out
    assert "advisor quiz 'I want to monitor Redis'" in out and "deployment" not in out
    assert main(["ask", "I want to monitor Redis", "--fact", "deployment=cloud", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["status"] == "answer" and data["recommendation"]["concept"] == "integration"


def test_ask_json_shape(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["ask", "What is the difference between a data source and a data source plugin?", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert set(data) >= {"status", "facts", "recommendation", "alternatives", "question", "faq", "trace"}
    assert data["status"] == "faq" and data["faq"]["concepts"] == ["data-source", "data-source-plugin"]


@pytest.mark.parametrize("fact, message", [
    ("deployment", "expected KEY=VALUE"),
    ("color=red", "unknown fact 'color' (known facts: deployment, goal"),
    ("deployment=moon", "valid values: cloud, self-hosted"),
])
def test_bad_fact_is_a_one_line_usage_error(fact: str, message: str) -> None:
    result = run("ask", "x", "--fact", fact)
    assert result.returncode == 2
    assert message in result.stderr and result.stderr.count("\n") == 1 and "Traceback" not in result.stderr


def test_quiz_with_piped_stdin() -> None:
    result = run("quiz", "I want to monitor Redis", stdin="2\n")
    assert result.returncode == 0, result.stderr
    assert "Where does your Grafana run?" in result.stdout
    assert "Recommended: Data source" in result.stdout
    quiz = run("quiz", "--kb", str(MINI), stdin="oops\ntired\n1\n")
    assert quiz.returncode == 0 and "Recommended: Coffee" in quiz.stdout and "Please answer" in quiz.stdout


def test_quiz_numbers_its_choices_and_goes_back() -> None:
    result = run("quiz", "I want a plugin", stdin="b\n1\nq\n")
    assert result.returncode == 0, result.stderr
    assert "  1. Custom pages" in result.stdout and "Type a number, q to stop." in result.stdout
    assert "b to go back" not in result.stdout.split("> ", 1)[0]  # nothing to go back to yet
    # b on the first question is not an answer; going back after one answer asks it again
    first = run("quiz", stdin="4\nb\n4\n1\n")
    prompts = [line for line in first.stdout.splitlines() if line.endswith("?")]
    assert prompts[0] == prompts[2], first.stdout  # asked, answered, went back: asked again
    assert "b to go back" in first.stdout


def test_quiz_eof_and_interrupt_exit_cleanly() -> None:
    result = run("quiz", stdin="")
    assert result.returncode == 0 and "Traceback" not in result.stderr
    proc = subprocess.Popen([sys.executable, "-m", "advisor", "quiz"], stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    import signal
    import time

    time.sleep(1.5)
    proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=30)
    assert proc.returncode == 130 and "Traceback" not in err


def test_broken_kb_exits_2_never_a_stale_cache(tmp_path: Path) -> None:
    kb = tmp_path / "kb"
    shutil.copytree(MINI, kb, ignore=shutil.ignore_patterns(".cache"))
    assert load_compiled(kb)["kb"]["id"] == "mini"
    assert cache_file(kb).is_file()
    rules = kb / "rules.yaml"
    rules.write_text(rules.read_text(encoding="utf-8").replace("weight: 3", "weight: three", 1), encoding="utf-8")
    with pytest.raises(KnowledgeBaseError):
        load_compiled(kb)
    result = run("ask", "tired", "--kb", str(kb))
    assert result.returncode == 2 and "rules.yaml" in result.stderr and "Traceback" not in result.stderr


def test_cache_is_rebuilt_when_yaml_changes(tmp_path: Path) -> None:
    kb = tmp_path / "kb"
    shutil.copytree(MINI, kb, ignore=shutil.ignore_patterns(".cache"))
    first = load_compiled(kb)
    assert load_compiled(kb) == first
    questions = kb / "questions.yaml"
    questions.write_text(questions.read_text(encoding="utf-8").replace("phrases: [tired, sleepy]", "phrases: [tired, sleepy, drowsy]"), encoding="utf-8")
    stat = questions.stat()
    os.utime(questions, ns=(stat.st_atime_ns, stat.st_mtime_ns + 10_000_000))
    assert "drowsy" in load_compiled(kb)["lexicon"]["known"]


def test_the_cache_lives_in_the_user_cache_folder_never_beside_the_data(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    kb = tmp_path / "kb"
    shutil.copytree(MINI, kb, ignore=shutil.ignore_patterns(".cache"))
    kb.chmod(0o555)  # a read-only knowledge base (an installed package, a shared folder)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    try:
        load_compiled(kb)
    finally:
        kb.chmod(0o755)
    assert [path.name for path in (tmp_path / "xdg" / "concept-advisor").iterdir()] == [cache_file(kb).name]
    assert sorted(path.name for path in kb.iterdir()) == sorted(path.name for path in MINI.iterdir() if path.name != ".cache")


def _lint_kb(tmp_path: Path) -> Path:
    kb = tmp_path / "kb"
    shutil.copytree(MINI, kb, ignore=shutil.ignore_patterns(".cache"))
    with open(kb / "rules.yaml", "a", encoding="utf-8") as rules:
        rules.write(
            "  - id: never\n    concept: tea\n    weight: 2\n    when:\n      all:\n        - mood: tired\n        - mood: calm\n    reason: Impossible.\n"
            "  - id: twin-a\n    concept: tea\n    weight: 5\n    when:\n      place: home\n    reason: A.\n"
            "  - id: twin-b\n    concept: coffee\n    weight: 5\n    when:\n      any:\n        - place: home\n    reason: B.\n"
        )
    with open(kb / "questions.yaml", "a", encoding="utf-8") as questions:
        questions.write("")
    text = (kb / "questions.yaml").read_text(encoding="utf-8")
    text = text.replace("synonyms:", "  - id: weather\n    prompt: Weather?\n    values:\n      - id: sunny\n        label: Sunny\n      - id: rainy\n        label: Rainy\nsynonyms:")
    (kb / "questions.yaml").write_text(text, encoding="utf-8")
    return kb


def test_lint_finds_dead_tied_and_unused(tmp_path: Path) -> None:
    warnings = lint(load_knowledge_base(_lint_kb(tmp_path)))
    assert any("rules.yaml:" in w and "'never' can never fire" in w for w in warnings)
    assert any("'twin-a' and 'twin-b' always fire together" in w for w in warnings)
    assert any("questions.yaml:" in w and "fact 'weather' is used by no rule" in w for w in warnings)
    assert lint(load_knowledge_base(MINI)) == []


def test_validate_prints_lint_warnings(tmp_path: Path) -> None:
    # --max-age: these counts must not change as the files' last_reviewed dates age (see test_facts.py)
    result = run("validate", "--kb", str(_lint_kb(tmp_path)), "--max-age", "36500")
    assert result.returncode == 0
    assert "3 warning(s)" in result.stdout and result.stderr.count("warning:") == 3
    bundled = run("validate", "--max-age", "36500")
    assert bundled.returncode == 0 and "warning" not in bundled.stderr


def test_lint_warns_of_shared_phrases_rounded_weights_and_unreached_concepts(tmp_path: Path) -> None:
    kb = tmp_path / "kb"
    shutil.copytree(MINI, kb)
    questions = (kb / "questions.yaml").read_text(encoding="utf-8")
    (kb / "questions.yaml").write_text(questions.replace("phrases: [relax, calm]", "phrases: [relax, calm, sleepy]"), encoding="utf-8")
    rules = (kb / "rules.yaml").read_text(encoding="utf-8")
    (kb / "rules.yaml").write_text(rules.replace("weight: 3\n", "weight: 3.2\n", 1), encoding="utf-8")
    concepts = (kb / "concepts.yaml").read_text(encoding="utf-8")
    (kb / "concepts.yaml").write_text(concepts.rstrip("\n") + "\n  - id: juice\n    name: Juice\n    summary: A drink nobody asks for.\n", encoding="utf-8")
    warnings = lint(load_knowledge_base(kb))
    assert any("phrase 'sleepy' of mood=calm is also a phrase of mood=tired" in w for w in warnings), warnings
    assert any("has weight 3.2, which the engine rounds down to a multiple of 0.5 (3)" in w for w in warnings), warnings
    assert any("main concept 'juice' is reached by no rule and no example" in w for w in warnings), warnings


def test_lint_ties_rules_whose_conditions_agree_though_written_differently(tmp_path: Path) -> None:
    kb = _lint_kb(tmp_path)
    with open(kb / "rules.yaml", "a", encoding="utf-8") as rules:
        rules.write(
            # place=home, with a fact that does not change the outcome, and by negation
            "  - id: twin-c\n    concept: coffee\n    weight: 5\n    when:\n      all:\n        - place: home\n        - mood: [tired, calm]\n    reason: C.\n"
            "  - id: twin-d\n    concept: tea\n    weight: 5\n    when:\n      not:\n        place: office\n    reason: D.\n"
            "  - id: not-a-twin\n    concept: tea\n    weight: 5\n    when:\n      all:\n        - place: home\n        - mood: tired\n    reason: E.\n"
        )
    ties = [w.split(": ", 1)[1] for w in lint(load_knowledge_base(kb)) if "always fire together" in w or "same condition" in w]
    # in the order of the rules, as when every pair was compared
    assert [tie.split(" always")[0].split(" (")[0] for tie in ties] == [
        "rules 'twin-a' and 'twin-b'", "rules 'twin-a' and 'twin-c'", "rule 'twin-d' has the same condition as 'twin-a'",
        "rule 'twin-c' has the same condition as 'twin-b'", "rules 'twin-b' and 'twin-d'", "rules 'twin-c' and 'twin-d'",
    ]
