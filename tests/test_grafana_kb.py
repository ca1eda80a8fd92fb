"""The bundled Grafana knowledge base: valid, complete, and true to the source page."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from advisor.graph import build_graph, children, parents, relations_out
from advisor.load import DATA_FILES, default_kb_path, load_knowledge_base

MAIN = ["data-source", "plugin", "data-source-plugin", "panel-plugin", "app-plugin", "integration"]

#: What the source page's summary table names, row by row.
SUMMARY_EXAMPLES = {
    "data-source": ["Prometheus", "CloudWatch", "PostgreSQL", "Loki"],
    "plugin": ["Plotly", "MongoDB", "Redis Application"],
    "app-plugin": ["Azure Cloud Native Monitoring", "Metrics Drilldown"],
    "panel-plugin": ["Pie chart", "Candlestick", "Plotly", "Geomap"],
    "data-source-plugin": ["Databricks", "MongoDB", "MSSQL"],
    "integration": ["Kubernetes", "Redis", "NGINX", "AWS EC2"],
}


@pytest.fixture(scope="module")
def kb():
    return load_knowledge_base()


@pytest.fixture(scope="module")
def graph(kb):
    return build_graph(kb)


def test_the_bundled_knowledge_base_is_found_and_valid(kb) -> None:
    assert Path(kb.path) == default_kb_path()
    assert kb.id == "grafana"


def test_every_data_file_has_its_schema_line_review_date_and_sources(kb) -> None:
    folder = default_kb_path()
    for name in DATA_FILES:
        text = (folder / f"{name}.yaml").read_text(encoding="utf-8")
        assert text.startswith(f"# yaml-language-server: $schema=../schema/{name}.schema.json\n"), name
        assert kb.last_reviewed[name], name
        assert kb.sources[name], name


def test_the_six_concepts_and_their_kinds(kb, graph) -> None:
    ids = [c.id for c in kb.concepts if c.role == "main"]
    assert set(MAIN) <= set(ids)
    assert sorted(children(graph, "plugin")) == ["app-plugin", "data-source-plugin", "panel-plugin"]
    assert parents(graph, "app-plugin") == ["plugin"]


def test_integrations_are_cloud_only_and_the_rest_everywhere(kb) -> None:
    assert kb.concept("integration").applies_to == ("cloud",)
    for concept_id in MAIN[:-1]:
        assert set(kb.concept(concept_id).applies_to) == {"self-hosted", "cloud"}


def test_all_nine_when_to_use_criteria_are_there(kb) -> None:
    for concept_id in ("data-source", "plugin", "integration"):
        assert len(kb.concept(concept_id).use_when) >= 3, concept_id


def test_the_page_relations_are_edges(graph) -> None:
    def edges(concept_id: str) -> set[tuple[str, str]]:
        return {(e.type, e.target) for e in relations_out(graph, concept_id)}

    assert ("extends", "grafana") in edges("plugin")
    assert ("provides-type-for", "data-source") in edges("data-source-plugin")
    assert {("bundles", "data-source-plugin"), ("bundles", "panel-plugin")} <= edges("app-plugin")
    assert {"collection-config", "dashboard", "alert-rule", "recording-rule"} <= {t for r, t in edges("integration") if r == "combines"}


def test_no_faq_entry_is_about_more_than_four_concepts(kb) -> None:
    assert len(kb.faq) >= 10
    for entry in kb.faq:
        assert 1 <= len(entry.concepts) <= 4, entry.id


def test_compare_json_gives_where_each_applies_and_the_summary_examples(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "advisor", "compare", "data-source", "plugin", "app-plugin", "panel-plugin",
         "data-source-plugin", "integration", "--columns", "applies_to,examples", "--format", "json"],
        capture_output=True, text=True, cwd=tmp_path, timeout=60,
    )
    assert result.returncode == 0, result.stderr
    table = json.loads(result.stdout)
    assert table["columns"] == ["applies_to", "examples"]
    rows = {row["concept"]: row for row in table["rows"]}
    assert list(rows) == ["data-source", "plugin", "app-plugin", "panel-plugin", "data-source-plugin", "integration"]
    assert rows["integration"]["applies_to"] == ["cloud"]
    for concept_id, row in rows.items():
        if concept_id != "integration":
            assert sorted(row["applies_to"]) == ["cloud", "self-hosted"], concept_id
        missing = [name for name in SUMMARY_EXAMPLES[concept_id] if name not in row["examples"]]
        assert not missing, (concept_id, missing)


def test_the_summary_table_follows_the_page(graph) -> None:
    from advisor.compare import named_table

    table = named_table(graph, "summary")
    assert [row.concept for row in table.rows] == ["data-source", "plugin", "app-plugin", "panel-plugin", "data-source-plugin", "integration"]
    assert [c.id for c in table.columns] == ["applies_to", "purpose", "includes", "use_when", "examples"]
    assert table.footer, "the install -> configure -> enable path is shown under the table"


def test_the_page_simplifications_are_explained(kb) -> None:
    simplified = " ".join(entry.simplifies for entry in kb.faq)
    for word in ("MSSQL", "Prometheus"):
        assert word in simplified, word


def test_products_cover_the_built_in_data_sources_and_their_support(kb) -> None:
    products = {p.name: p for p in kb.products}
    for name in ("Prometheus", "Loki", "Tempo", "MSSQL", "MySQL", "PostgreSQL", "InfluxDB", "Elasticsearch", "Graphite"):
        assert products[name].implies.get("system_support") == "built-in", name
    for name in ("MongoDB", "Databricks"):
        assert products[name].implies.get("system_support") == "catalog", name
    assert products["Parca"].implies.get("system_support") == "catalog"
