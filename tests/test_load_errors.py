"""A broken knowledge base gets clear errors: file, line, what is wrong; exit 2; never a traceback."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from advisor.errors import KnowledgeBaseError
from advisor.load import load_knowledge_base
from kbtools import copy_kb, line_of, replace_in


def validate(kb: Path) -> subprocess.CompletedProcess[str]:
    """Run `advisor validate --kb KB` as a user would."""
    return subprocess.run(
        [sys.executable, "-m", "advisor", "validate", "--kb", str(kb)],
        capture_output=True,
        text=True,
        timeout=60,
    )


def assert_refused(kb: Path, file: str, line: int | None, *words: str) -> str:
    result = validate(kb)
    assert result.returncode == 2, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    assert result.stdout == ""
    where = f"{kb / file}:{line}" if line is not None else str(kb / file)
    assert where in result.stderr, result.stderr
    for word in words:
        assert word in result.stderr, result.stderr
    return result.stderr


def test_a_yaml_syntax_error_names_file_and_line(tmp_path: Path) -> None:
    kb = copy_kb(tmp_path)
    replace_in(kb / "concepts.yaml", "applies_to: [office]", "applies_to: [office")
    assert_refused(kb, "concepts.yaml", line_of(kb / "concepts.yaml", "purpose: A strong"))


def test_tab_indentation_is_refused_with_a_hint(tmp_path: Path) -> None:
    kb = copy_kb(tmp_path)
    replace_in(kb / "faq.yaml", "    answer:", "\tanswer:")
    assert_refused(kb, "faq.yaml", line_of(kb / "faq.yaml", "answer:"), "tab")


def test_a_python_tag_is_an_error_and_never_runs(tmp_path: Path) -> None:
    kb = copy_kb(tmp_path)
    marker = tmp_path / "pwned"
    replace_in(kb / "concepts.yaml", "summary: Heats water.", f'summary: !!python/object/apply:os.system ["touch {marker}"]')
    assert_refused(kb, "concepts.yaml", line_of(kb / "concepts.yaml", "python/object"), "!!python/object/apply:os.system", "not allowed")
    assert not marker.exists()


def test_an_empty_file_is_named(tmp_path: Path) -> None:
    kb = copy_kb(tmp_path)
    (kb / "relations.yaml").write_text("# nothing here\n", encoding="utf-8")
    assert_refused(kb, "relations.yaml", None, "empty")


def test_a_wrong_top_level_type_is_named(tmp_path: Path) -> None:
    kb = copy_kb(tmp_path)
    (kb / "faq.yaml").write_text("- just\n- a list\n", encoding="utf-8")
    assert_refused(kb, "faq.yaml", 1, "expected a mapping, found a list")


def test_a_duplicate_concept_id_is_named(tmp_path: Path) -> None:
    kb = copy_kb(tmp_path)
    replace_in(kb / "concepts.yaml", "  - id: coffee", "  - id: tea")
    assert_refused(kb, "concepts.yaml", line_of(kb / "concepts.yaml", "name: Coffee") - 1, "duplicate concept id 'tea'")


def test_an_unknown_id_in_relations_is_named_with_a_suggestion(tmp_path: Path) -> None:
    kb = copy_kb(tmp_path)
    replace_in(kb / "relations.yaml", "to: kettle\n  - from: coffee", "to: kettel\n  - from: coffee")
    stderr = assert_refused(kb, "relations.yaml", line_of(kb / "relations.yaml", "kettel"), "unknown concept 'kettel'")
    assert "did you mean 'kettle'" in stderr


def test_an_unknown_relation_type_is_named(tmp_path: Path) -> None:
    kb = copy_kb(tmp_path)
    replace_in(kb / "relations.yaml", "type: needs\n    to: kettle\n  - from: coffee", "type: wants\n    to: kettle\n  - from: coffee")
    assert_refused(kb, "relations.yaml", line_of(kb / "relations.yaml", "type: wants"), "unknown relation type 'wants'")


def test_an_unknown_concept_in_rules_is_named(tmp_path: Path) -> None:
    kb = copy_kb(tmp_path)
    replace_in(kb / "rules.yaml", "concept: coffee", "concept: cocoa")
    assert_refused(kb, "rules.yaml", line_of(kb / "rules.yaml", "cocoa"), "unknown concept 'cocoa'")


def test_an_unknown_fact_or_value_in_rules_is_named(tmp_path: Path) -> None:
    kb = copy_kb(tmp_path)
    replace_in(kb / "rules.yaml", "mood: tired", "mood: grumpy")
    replace_in(kb / "rules.yaml", "place: office", "room: office")
    stderr = assert_refused(kb, "rules.yaml", line_of(kb / "rules.yaml", "grumpy"), "unknown value of fact 'mood' 'grumpy'")
    assert f"{kb / 'rules.yaml'}:{line_of(kb / 'rules.yaml', 'room:')}" in stderr
    assert "unknown fact 'room'" in stderr


def test_an_unknown_concept_in_the_faq_is_named(tmp_path: Path) -> None:
    kb = copy_kb(tmp_path)
    replace_in(kb / "faq.yaml", "concepts: [tea, coffee]", "concepts: [tea, cofee]")
    assert_refused(kb, "faq.yaml", line_of(kb / "faq.yaml", "cofee"), "unknown concept 'cofee'")


def test_invalid_utf8_names_the_line(tmp_path: Path) -> None:
    kb = copy_kb(tmp_path)
    path = kb / "concepts.yaml"
    path.write_bytes(path.read_bytes().replace(b"Quench thirst.", b"Quench \xff thirst."))
    assert_refused(kb, "concepts.yaml", 10, "not valid UTF-8")


def test_an_alias_bomb_is_refused(tmp_path: Path) -> None:
    kb = copy_kb(tmp_path)
    lines = ['a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for number, name in enumerate("bcdefghij"):
        previous = "abcdefghij"[number]
        lines.append(f"{name}: &{name} [" + ", ".join([f"*{previous}"] * 9) + "]")
    (kb / "faq.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert_refused(kb, "faq.yaml", 1, "alias")


def test_a_missing_file_is_named(tmp_path: Path) -> None:
    kb = copy_kb(tmp_path)
    (kb / "rules.yaml").unlink()
    assert_refused(kb, "rules.yaml", None, "file not found")


def test_a_missing_knowledge_base_folder_is_named(tmp_path: Path) -> None:
    result = validate(tmp_path / "nowhere")
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert "nowhere" in result.stderr and "not found" in result.stderr


def test_a_kind_of_cycle_is_named(tmp_path: Path) -> None:
    kb = copy_kb(tmp_path)
    replace_in(kb / "concepts.yaml", "    summary: Something to drink.", "    kind_of: tea\n    summary: Something to drink.")
    assert_refused(kb, "concepts.yaml", line_of(kb / "concepts.yaml", "kind_of: tea"), "cycle", "drink -> tea -> drink")


def test_a_duplicate_key_is_named(tmp_path: Path) -> None:
    kb = copy_kb(tmp_path)
    replace_in(kb / "concepts.yaml", "    purpose: A calm hot drink.", "    purpose: A calm hot drink.\n    purpose: Again.")
    assert_refused(kb, "concepts.yaml", line_of(kb / "concepts.yaml", "purpose: Again"), "duplicate key 'purpose'")


def test_an_unknown_key_is_named_with_the_allowed_ones(tmp_path: Path) -> None:
    kb = copy_kb(tmp_path)
    replace_in(kb / "concepts.yaml", "    purpose: A calm hot drink.", "    purpose: A calm hot drink.\n    colour: green")
    assert_refused(kb, "concepts.yaml", line_of(kb / "concepts.yaml", "colour"), "unknown key 'colour'", "allowed:")


def test_an_unknown_product_in_a_scenario_is_named(tmp_path: Path) -> None:
    kb = copy_kb(tmp_path)
    replace_in(kb / "scenarios.yaml", "products: [Espresso]", "products: [Ristretto]")
    assert_refused(kb, "scenarios.yaml", line_of(kb / "scenarios.yaml", "Ristretto"), "unknown product 'Ristretto'")


def test_every_problem_is_listed_not_only_the_first(tmp_path: Path) -> None:
    kb = copy_kb(tmp_path)
    replace_in(kb / "faq.yaml", "concepts: [tea, coffee]", "concepts: [tea, cofee]")
    replace_in(kb / "rules.yaml", "concept: coffee", "concept: cocoa")
    (kb / "relations.yaml").write_text("relations: [\n", encoding="utf-8")
    with pytest.raises(KnowledgeBaseError) as raised:
        load_knowledge_base(kb)
    files = sorted({Path(problem.file).name for problem in raised.value.problems})
    assert files == ["faq.yaml", "relations.yaml", "rules.yaml"]
    result = validate(kb)
    assert "3 problems" in result.stderr


def test_one_run_reports_structural_and_cross_reference_problems_together(tmp_path: Path) -> None:
    """A schema problem in one file does not hide a wrong reference in another (or in the same)."""
    kb = tmp_path / "kb"
    shutil.copytree(Path(__file__).parent / "fixtures" / "mini", kb)
    concepts = (kb / "concepts.yaml").read_text(encoding="utf-8")
    (kb / "concepts.yaml").write_text(concepts.replace("name: Tea", "name: [42]", 1), encoding="utf-8")
    rules = (kb / "rules.yaml").read_text(encoding="utf-8")
    (kb / "rules.yaml").write_text(rules.replace("concept: tea", "concept: taa", 1), encoding="utf-8")
    with pytest.raises(KnowledgeBaseError) as error:
        load_knowledge_base(kb)
    text = "\n".join(str(problem) for problem in error.value.problems)
    assert "concepts.yaml:" in text and "rules.yaml:" in text and "unknown concept 'taa'" in text, text
