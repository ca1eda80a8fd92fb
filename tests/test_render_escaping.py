"""Hostile text in the data (`|`, `<script>`, quotes, Markdown links) renders as text everywhere:
tables keep their columns, no element or attribute comes from the data, diagrams stay valid."""

from __future__ import annotations

import re
import shutil
from html.parser import HTMLParser
from pathlib import Path

import markdown
import pytest
import yaml
from pymdownx.superfences import fence_code_format

from advisor.graph import build_graph
from advisor.load import load_knowledge_base
from advisor.render.escape import mermaid_label, table_cell
from advisor.render.pages import glossary
from advisor.render.site import render_site

MINI = Path(__file__).parent / "fixtures" / "mini"
EVIL = '"|<script>alert(1)</script>|\' & <img src=x onerror=alert(2)> [x](javascript:alert(3)) # ; `a|b`'


def _edit(folder: Path, name: str, change) -> None:  # type: ignore[no-untyped-def]
    path = folder / f"{name}.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


@pytest.fixture(scope="module")
def hostile_kb(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("hostile") / "kb"
    shutil.copytree(MINI, folder)

    def concepts(data: dict) -> None:
        for concept in data["concepts"]:
            concept["name"] = f"{concept['name']} {EVIL}"
            concept["summary"] = f"{concept['summary']} {EVIL}"
            if "purpose" in concept:
                concept["purpose"] = EVIL
            concept.setdefault("examples", []).append(EVIL)
            concept["links"] = [{"title": EVIL, "url": "javascript:alert(4)"}]

    def faq(data: dict) -> None:
        for entry in data["faq"]:
            entry["question"] = f"Why {EVIL}?"
            entry["answer"] = EVIL

    def relations(data: dict) -> None:
        for relation in data["relations"]:
            relation["label"] = EVIL

    def rules(data: dict) -> None:
        for rule in data["rules"]:
            rule["reason"] = EVIL
            rule["next_steps"] = [EVIL]

    def kb(data: dict) -> None:
        for scope in data["scopes"]:
            scope["name"] = f"{scope['name']} {EVIL}"

    for name, change in (("concepts", concepts), ("faq", faq), ("relations", relations), ("rules", rules), ("kb", kb)):
        _edit(folder, name, change)
    return folder


@pytest.fixture(scope="module")
def pages(hostile_kb: Path) -> dict[str, str]:
    return render_site(build_graph(load_knowledge_base(hostile_kb)))


class _Elements(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, attrs))


def _html(text: str, kb_path: Path) -> str:
    kb = load_knowledge_base(kb_path)
    from mkdocs.utils.meta import get_data

    text, _ = get_data(text)  # the front matter (hide, search boost), as MkDocs reads it
    return markdown.markdown(
        text,
        extensions=["tables", "attr_list", "def_list", "abbr", "toc", "pymdownx.superfences"],
        extension_configs={
            "abbr": {"glossary": glossary(kb)},
            "pymdownx.superfences": {"custom_fences": [{"name": "mermaid", "class": "mermaid", "format": fence_code_format}]},
        },
    )


def test_no_element_or_attribute_comes_from_the_data(pages: dict[str, str], hostile_kb: Path) -> None:
    allowed = {"h1", "h2", "h3", "p", "ul", "li", "a", "strong", "em", "code", "pre", "table", "thead", "tbody", "tr",
               "th", "td", "br", "dl", "dt", "dd", "abbr", "div", "span"}
    for path, text in pages.items():
        parser = _Elements()
        parser.feed(_html(text, hostile_kb))
        for tag, attrs in parser.tags:
            assert tag in allowed, f"{path}: <{tag}> in the output"
            if tag == "span":  # the scope badge ("Grafana Cloud only") is the only span
                assert attrs == [("class", "ca-badge")], f"{path}: <span {attrs}>"
            for name, value in attrs:
                assert not name.startswith("on"), f"{path}: {name}= on <{tag}>"
                assert "javascript:" not in (value or "").lower() or name == "title", f"{path}: {name}={value!r}"


def test_tables_keep_their_columns(pages: dict[str, str], hostile_kb: Path) -> None:
    html = _html(pages["compare/index.md"], hostile_kb)
    for table in re.findall(r"<table>.*?</table>", html, re.S):
        rows = re.findall(r"<tr>(.*?)</tr>", table, re.S)
        widths = {len(re.findall(r"<t[hd][ >]", row)) for row in rows}
        assert widths == {4}, widths
    assert "&lt;script&gt;" in html


def test_mermaid_labels_cannot_break_out(pages: dict[str, str]) -> None:
    for path, text in pages.items():
        for block in re.findall(r"```mermaid\n(.*?)```", text, re.S):
            for line in block.splitlines():
                for label in re.findall(r'"([^"]*)"', line):
                    bare = re.sub(r"#\w+;", "", label)  # the entity codes themselves end with ";"
                    assert not set(bare) & set('<>|;`[]{}"#'), f"{path}: {label!r}"
                assert line.count('"') % 2 == 0, f"{path}: {line!r}"


def test_escapers() -> None:
    assert mermaid_label('a"b|c<d>#e;f') == '"a#quot;b#124;c#lt;d#gt;#35;e#59;f"'
    assert table_cell("a | b <script>") == "a \\| b &lt;script&gt;"
    assert table_cell("`x | y`") == "`x \\| y`"
