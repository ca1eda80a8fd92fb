"""The YAML guard counts what aliases add, not the nodes a file holds."""

from __future__ import annotations

from pathlib import Path

import pytest

from advisor.yamlsafe import MAX_ALIAS_EXPANSION, YamlProblem, read_yaml


def test_a_large_file_without_aliases_is_read(tmp_path: Path) -> None:
    path = tmp_path / "big.yaml"
    items = "".join(f"  - id: c{i}\n    name: Concept {i}\n    tags: [a, b, c, d]\n" for i in range(60_000))
    path.write_text("concepts:\n" + items, encoding="utf-8")  # about 420,000 nodes, no alias
    data = read_yaml(path)
    assert len(data["concepts"]) == 60_000 and data["concepts"][-1]["name"] == "Concept 59999"


def test_a_few_aliases_are_fine_and_shared_values_keep_their_lines(tmp_path: Path) -> None:
    path = tmp_path / "small.yaml"
    path.write_text("base: &base [x, y]\nfirst: *base\nsecond: {<<: {k: 1}, j: 2}\n", encoding="utf-8")
    data = read_yaml(path)
    assert data["first"] == ["x", "y"] and data["second"] == {"k": 1, "j": 2}
    assert data.key_marks["second"] == (2, 0)


def test_aliases_that_add_too_much_are_refused_with_the_file_and_line(tmp_path: Path) -> None:
    path = tmp_path / "bomb.yaml"
    lines = ["a: &a [" + ", ".join(["x"] * 10) + "]"]
    letters = "abcdefghij"
    for number, name in enumerate(letters[1:], start=1):
        lines.append(f"{name}: &{name} [" + ", ".join([f"*{letters[number - 1]}"] * 10) + "]")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(YamlProblem) as raised:
        read_yaml(path)
    assert f"{MAX_ALIAS_EXPANSION:,}" in str(raised.value) and "bomb.yaml:1:1" in str(raised.value)


def test_an_anchor_hidden_in_text_costs_only_the_exact_count(tmp_path: Path) -> None:
    path = tmp_path / "text.yaml"
    path.write_text('note: "R &D and &more"\nlist: [a, b]\n', encoding="utf-8")
    assert read_yaml(path)["note"] == "R &D and &more"


def test_a_value_that_contains_itself_is_counted_once(tmp_path: Path) -> None:
    path = tmp_path / "loop.yaml"
    path.write_text("a: &a [1, *a]\n", encoding="utf-8")
    data = read_yaml(path)
    assert data["a"][1] is data["a"]
