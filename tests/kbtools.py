"""Helpers for tests: copy a fixture knowledge base and edit its files."""

from __future__ import annotations

import shutil
from pathlib import Path

FIXTURES = Path(__file__).parent / "fixtures"


def copy_kb(tmp_path: Path, name: str = "mini") -> Path:
    """Copy the fixture knowledge base `name` into tmp_path and return the copy's folder."""
    target = tmp_path / name
    shutil.copytree(FIXTURES / name, target, ignore=shutil.ignore_patterns(".cache"))
    return target


def replace_in(path: Path, old: str, new: str) -> None:
    """Replace one exact piece of text in a file (which must be there)."""
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def line_of(path: Path, needle: str) -> int:
    """Return the 1-based line of the first line holding `needle`."""
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if needle in line:
            return number
    raise AssertionError(f"{needle!r} not in {path}")


def scaled_kb(target: Path, concepts: int, source: Path | None = None) -> Path:
    """Write a copy of a knowledge base (default: the bundled one) grown to `concepts` concepts of
    the same density: each concept and each relation between concepts is repeated under new ids
    and names (`data-source-7`, "Data source 7"); the other files are copied as they are."""
    import yaml

    source = source or Path(__file__).resolve().parent.parent / "data" / "grafana"
    shutil.copytree(source, target, ignore=shutil.ignore_patterns(".cache"))
    data = yaml.safe_load((source / "concepts.yaml").read_text(encoding="utf-8"))
    relations = yaml.safe_load((source / "relations.yaml").read_text(encoding="utf-8"))
    originals = data["concepts"]
    ids = {concept["id"] for concept in originals}
    grown, extra_relations = list(originals), []
    copy = 1
    while len(grown) < concepts:
        def renamed(value: str) -> str:
            return f"{value}-{copy}" if value in ids else value

        for concept in originals:
            if len(grown) >= concepts:
                break
            clone = {**concept, "id": f"{concept['id']}-{copy}", "name": f"{concept['name']} {copy}"}
            if concept.get("kind_of"):
                clone["kind_of"] = renamed(concept["kind_of"])
            clone["aliases"] = [f"{alias} {copy}" for alias in concept.get("aliases", [])]
            clone["use_when"] = [{**item, "id": f"{item['id']}-{copy}"} for item in concept.get("use_when", [])]
            grown.append(clone)
        present = {concept["id"] for concept in grown}
        for relation in relations["relations"]:
            clone = {**relation, "from": renamed(relation["from"]), "to": renamed(relation["to"])}
            if clone["from"] in present and clone["to"] in present and (clone["from"], clone["to"]) != (relation["from"], relation["to"]):
                extra_relations.append(clone)
        copy += 1
    data["concepts"] = grown
    relations["relations"] = relations["relations"] + extra_relations
    class Dumper(getattr(yaml, "CSafeDumper", yaml.SafeDumper)):  # type: ignore[misc]
        def ignore_aliases(self, data: object) -> bool:  # shared lists are written out, not aliased
            return True

    dumper = Dumper
    for name, content in (("concepts.yaml", data), ("relations.yaml", relations)):
        (target / name).write_text(yaml.dump(content, Dumper=dumper, allow_unicode=True, sort_keys=False, width=200), encoding="utf-8")
    return target


def evaluation_questions() -> list[str]:
    """The questions of the shared evaluation cases (`tests/eval/`) and the Grafana examples, in
    file order: what the benchmarks time and the answer-text tests read."""
    import yaml

    root = Path(__file__).resolve().parent.parent
    cases = yaml.safe_load((root / "tests" / "eval" / "advisor-cases.yaml").read_text(encoding="utf-8"))
    examples = yaml.safe_load((root / "data" / "grafana" / "examples.yaml").read_text(encoding="utf-8"))["examples"]
    return [case["question"] for case in [*cases, *examples]]


def write_mkdocs(root: Path, kb: Path, site_name: str = "Test", plugin: str = "", nav: bool = True, extra: str = "") -> Path:
    """Write a small `mkdocs.yml` for Material with search and the concept-advisor plugin on `kb`.

    `plugin` adds lines under the plugin's options (already indented as options, e.g.
    "knowledge_bases:\\n  - ..."); `nav` adds Home and the concept index; `extra` is appended.
    """
    import textwrap

    options = textwrap.indent(plugin, " " * 6) if plugin else ""
    text = (
        f"site_name: {site_name}\n"
        "theme:\n  name: material\n  font: false\n"
        "plugins:\n  - search\n  - concept-advisor:\n"
        f"      kb: {kb}\n{options}"
    )
    if nav:
        text += "nav:\n  - Home: index.md\n  - Concepts: concepts/index.md\n"
    (root / "mkdocs.yml").write_text(text + extra, encoding="utf-8")
    return root / "mkdocs.yml"
