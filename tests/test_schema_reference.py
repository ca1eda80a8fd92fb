"""The data file reference: every schema property described, and every one on the generated page."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, Iterator

import pytest

from advisor.paths import schema_dir
from advisor.render.escape import table_cell
from advisor.render.schema_reference import read_schemas, render_schema_reference, schema_tables


def _properties(schema: Any, path: str = "") -> Iterator[tuple[str, str, dict[str, Any]]]:
    """Yield (path, name, schema) of every property anywhere in a schema, walked independently of
    the generator: properties, list items, mapping values, alternatives and shared definitions."""
    if not isinstance(schema, dict):
        return
    for name, field in (schema.get("properties") or {}).items():
        yield path, name, field
        yield from _properties(field, f"{path}.{name}")
    if isinstance(schema.get("items"), dict):
        yield from _properties(schema["items"], f"{path}[]")
    if isinstance(schema.get("additionalProperties"), dict):
        yield from _properties(schema["additionalProperties"], f"{path}.*")
    for key in ("oneOf", "anyOf", "allOf"):
        for form in schema.get(key) or []:
            yield from _properties(form, path)
    for name, definition in (schema.get("$defs") or {}).items():
        yield from _properties(definition, f"#{name}")


@pytest.fixture(scope="module")
def schemas() -> dict[str, dict[str, Any]]:
    return read_schemas(schema_dir())


@pytest.fixture(scope="module")
def page(schemas: dict[str, dict[str, Any]]) -> str:
    return render_schema_reference(schemas)


def test_every_data_file_has_a_schema(schemas: dict[str, dict[str, Any]]) -> None:
    from advisor.load import DATA_FILES

    assert set(schemas) == set(DATA_FILES)


def test_every_schema_property_has_a_description(schemas: dict[str, dict[str, Any]]) -> None:
    missing = [f"{name}.schema.json: {path}.{key}" for name, schema in schemas.items() for path, key, field in _properties(schema) if not str(field.get("description", "")).strip()]
    assert not missing, "properties without a description:\n" + "\n".join(missing)


def test_the_page_lists_every_property_of_every_schema(schemas: dict[str, dict[str, Any]], page: str) -> None:
    sections = re.split(r"^## ", page, flags=re.MULTILINE)
    by_file = {section.split(".yaml", 1)[0].strip("`"): section for section in sections[1:]}
    assert set(by_file) == set(schemas)
    for name, schema in schemas.items():
        for path, key, field in _properties(schema):
            row = f"| `{key}` | "
            assert row in by_file[name], f"{name}.yaml: {path}.{key} is not on the page"
            assert f"| {table_cell(field['description'])} |" in by_file[name], f"{name}.yaml: {path}.{key}: its description is not on the page"


def test_every_object_gets_a_table_with_a_unique_anchor(schemas: dict[str, dict[str, Any]], page: str) -> None:
    anchors = re.findall(r"\{ #([a-z0-9-]+) \}", page)
    assert len(anchors) == len(set(anchors))
    for link in re.findall(r"\]\(#([a-z0-9-]+)\)", page):
        assert link in anchors, link
    tables = schema_tables("rules", schemas["rules"])
    assert [table.path for table in tables] == ["", "sources[]", "rules[]", "condition"]
    condition = tables[-1]
    assert [row.name for row in condition.rows] == ["all", "any", "not", "(any other key)"]


def test_output_is_deterministic(schemas: dict[str, dict[str, Any]], page: str) -> None:
    again = read_schemas(schema_dir())
    assert render_schema_reference(again) == page
    reordered = {name: again[name] for name in sorted(again, reverse=True)}
    assert render_schema_reference(reordered) == page


def test_content_is_escaped() -> None:
    schema = {
        "title": "Hostile <script>alert(1)</script>",
        "type": "object",
        "required": ["a|b"],
        "properties": {
            "a|b": {"type": "string", "pattern": "^(x|y)$", "description": "Pipes | and <img src=x onerror=alert(1)> and [a link](javascript:alert(1))"},
            "choice": {"enum": ["one|two", "three"], "description": "*stars* and `code`"},
        },
    }
    page = render_schema_reference({"hostile": schema})
    assert "<script>" not in page and "<img" not in page
    assert "](javascript:" not in page
    rows = [line for line in page.splitlines() if line.startswith("| `a")]
    assert rows == ["| `a\\|b` | text matching `^(x\\|y)$` | yes | Pipes \\| and &lt;img src=x onerror=alert\\(1\\)&gt; and \\[a link\\]\\(javascript:alert\\(1\\)\\) |"]
    assert "| `choice` | one of `one\\|two`, `three` |  | \\*stars\\* and `code` |" in page
    # each row keeps its four cells
    for line in page.splitlines():
        if line.startswith("| `"):
            assert len(re.findall(r"(?<!\\)\|", line)) == 5, line


def test_the_site_page_is_generated_by_the_plugin() -> None:
    from mkdocs.config.defaults import MkDocsConfig

    from advisor.mkdocs.plugin import ConceptAdvisorPlugin

    mini = Path(__file__).parent / "fixtures" / "mini"
    config = MkDocsConfig()
    config.load_dict({"site_name": "t", "docs_dir": str(mini), "plugins": []})
    config.validate()
    plugin = ConceptAdvisorPlugin()
    plugin.load_config({"kb": str(mini), "schema_reference": "data-files.md", "vendor": False, "widget": False, "llms": False})
    plugin.on_config(config)
    assert plugin.pages["data-files.md"] == render_schema_reference(read_schemas(schema_dir()))
