"""Several knowledge bases in one site: each in a section of its own, under its own address."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from kbtools import write_mkdocs

REPO = Path(__file__).resolve().parent.parent
MINI = Path(__file__).parent / "fixtures" / "mini"


def make(root: Path, families: str) -> Path:
    (root / "docs").mkdir(parents=True, exist_ok=True)
    (root / "docs" / "index.md").write_text("# Home\n\nTwo families.\n", encoding="utf-8")
    write_mkdocs(root, MINI, plugin=f"node_modules: {REPO / 'node_modules'}\nknowledge_bases:\n" + textwrap.indent(families, "  "), nav=False)
    return root


def build(root: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(root / "mkdocs.yml")], cwd=root,
                          capture_output=True, text=True, timeout=600, env={"NO_MKDOCS_2_WARNING": "1", "PATH": "/usr/bin:/bin"})


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = make(tmp_path_factory.mktemp("families"), "- kb: alerting\n  path: alerting\n")
    result = build(root)
    assert result.returncode == 0, result.stderr
    return root / "site"


def test_each_family_has_its_pages_under_its_address_and_the_main_one_stays_at_the_root(site: Path) -> None:
    for page in ("concepts/tea/index.html", "advisor/index.html", "alerting/index.html", "alerting/concepts/mute-timing/index.html",
                 "alerting/compare/index.html", "alerting/faq/index.html", "alerting/advisor/index.html"):
        assert (site / page).is_file(), page


def test_each_advisor_page_loads_its_own_bundle(site: Path) -> None:
    html = (site / "alerting" / "advisor" / "index.html").read_text(encoding="utf-8")
    assert 'data-bundle="../assets/concept-advisor/bundle.json"' in html
    bundle = json.loads((site / "alerting" / "assets" / "concept-advisor" / "bundle.json").read_text(encoding="utf-8"))
    assert bundle["kb"]["id"] != json.loads((site / "assets" / "concept-advisor" / "bundle.json").read_text(encoding="utf-8"))["kb"]["id"]


def test_the_family_is_a_section_of_the_navigation(site: Path) -> None:
    html = (site / "index.html").read_text(encoding="utf-8")
    assert "Grafana Alerting" in html and "alerting/concepts/mute-timing/" in html


def test_a_family_at_an_address_the_site_uses_is_an_error(tmp_path: Path) -> None:
    result = build(make(tmp_path, "- kb: alerting\n  path: concepts\n"))
    assert result.returncode != 0 and "path 'concepts' is empty or already used by the site" in result.stderr


def test_the_label_of_where_a_concept_applies_comes_from_the_data(tmp_path: Path) -> None:
    import shutil

    from advisor.graph import build_graph
    from advisor.load import load_knowledge_base
    from advisor.render.site import render_site

    kb = tmp_path / "kb"
    shutil.copytree(REPO / "data" / "grafana", kb, ignore=shutil.ignore_patterns(".cache"))
    text = (kb / "comparisons.yaml").read_text(encoding="utf-8").replace("name: Where it applies", "name: Available in", 1)
    (kb / "comparisons.yaml").write_text(text, encoding="utf-8")
    page = render_site(build_graph(load_knowledge_base(kb)))["concepts/integration/index.md"]
    assert "**Available in:**" in page and "Where it applies" not in page
