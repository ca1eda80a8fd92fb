"""The site for AI assistants: `/llms.txt`, `/llms-full.txt` and each generated page as Markdown beside its HTML."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from advisor.markdown_ext import knowledge_base_graph
from advisor.render.llms import LLMS_FULL_TXT, LLMS_TXT, llms_files, site_path, write_llms
from advisor.render.site import render_site

REPO = Path(__file__).resolve().parent.parent
MINI = Path(__file__).parent / "fixtures" / "mini"
LINK = re.compile(r"\]\(([^)\s]+)\)")


def mkdocs_build(config: Path, site: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(config), "-d", str(site)],
        cwd=config.parent, capture_output=True, text=True, timeout=300, env={"NO_MKDOCS_2_WARNING": "1", "PATH": "/usr/bin:/bin"},
    )


@pytest.fixture(scope="module")
def project_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The project's own site (mkdocs.yml of the checkout), built strictly."""
    site = tmp_path_factory.mktemp("project-site") / "site"
    result = mkdocs_build(REPO / "mkdocs.yml", site)
    assert result.returncode == 0, result.stderr
    assert "WARNING" not in result.stderr, result.stderr
    return site


def test_the_built_site_has_llms_txt_linking_markdown_pages_that_exist(project_site: Path) -> None:
    index = (project_site / LLMS_TXT).read_text(encoding="utf-8")
    assert index.startswith("# Grafana: data sources, plugins and integrations\n\n> ")
    for heading in ("## Concepts", "## Comparisons", "## FAQ"):
        assert f"\n{heading}\n" in index
    links = LINK.findall(index)
    assert len(links) > 40
    for link in links:
        path = link.split("#")[0]
        assert not link.startswith(("http:", "https:", "/")), link  # relative: works offline and wherever served
        assert path.endswith(".md"), link
        page = project_site / path
        assert page.is_file(), link
        assert (page.parent / "index.html").is_file(), link  # the Markdown sits beside its HTML
    assert "concepts/data-source/index.md" in links
    assert "faq/index.md#need-plugin-for-data-source" in links


def test_each_generated_page_is_published_as_the_markdown_its_html_is_built_from(project_site: Path) -> None:
    pages = render_site(knowledge_base_graph(REPO / "data" / "grafana"))
    for path, text in pages.items():
        assert (project_site / path).read_text(encoding="utf-8") == text, path
        assert (project_site / path).with_suffix(".html").is_file(), path


def test_llms_full_holds_every_concept_page_the_comparisons_and_the_faq(project_site: Path) -> None:
    full = (project_site / LLMS_FULL_TXT).read_text(encoding="utf-8")
    pages = render_site(knowledge_base_graph(REPO / "data" / "grafana"))
    sources = re.findall(r"^Source: (\S+)$", full, flags=re.MULTILINE)
    assert sources[-2:] == ["compare/index.md", "faq/index.md"]
    assert {path for path in pages if path.startswith("concepts/") and path != "concepts/index.md"} <= set(sources)
    # links go from the site root, and to pages that exist
    for link in LINK.findall(full):
        if not link.startswith(("http:", "https:")):
            assert (project_site / link.split("#")[0]).is_file(), link
    assert "{ #" not in full


def test_the_files_are_deterministic_and_list_the_knowledge_base_in_data_order() -> None:
    graph = knowledge_base_graph(MINI)
    pages = render_site(graph)
    files = llms_files(graph, pages)
    assert files == llms_files(graph, render_site(graph))
    assert list(files) == sorted(files)
    assert {LLMS_TXT, LLMS_FULL_TXT} <= set(files)
    assert set(files) - {LLMS_TXT, LLMS_FULL_TXT} == set(pages)
    concepts = [line for line in files[LLMS_TXT].splitlines() if line.startswith("- [") and "concepts/" in line and "index.md)" in line]
    assert concepts and all(": " in line.split("](", 1)[1] for line in concepts)  # each with a one-line description


def test_write_llms_leaves_no_temporary_files(tmp_path: Path) -> None:
    write_llms({"llms.txt": "# A\n", "concepts/x/index.md": "# X\n"}, tmp_path)
    written = sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*") if p.is_file())
    assert written == ["concepts/x/index.md", "llms.txt"]
    assert (tmp_path / "llms.txt").stat().st_mode & 0o777 == 0o644


def test_site_paths_of_links() -> None:
    assert site_path("concepts/tea/index.md", "../coffee/index.md") == "concepts/coffee/index.md"
    assert site_path("compare/index.md", "../faq/index.md#why") == "faq/index.md#why"
    assert site_path("faq/index.md", "https://example.org/a") == "https://example.org/a"


def mini_project(root: Path, extra: str = "", llms_txt: bool = False) -> Path:
    (root / "docs").mkdir(parents=True)
    (root / "docs" / "index.md").write_text("# Home\n", encoding="utf-8")
    if llms_txt:
        (root / "docs" / "llms.txt").write_text("mine\n", encoding="utf-8")
    (root / "mkdocs.yml").write_text(
        f"site_name: Test\ntheme:\n  name: material\n  font: false\nplugins:\n  - concept-advisor:\n      kb: {MINI}\n{extra}", encoding="utf-8"
    )
    return root / "mkdocs.yml"


def test_the_plugin_option_llms_false_publishes_none_of_it(tmp_path: Path) -> None:
    config = mini_project(tmp_path, "      llms: false\n")
    result = mkdocs_build(config, tmp_path / "site")
    assert result.returncode == 0, result.stderr
    assert not (tmp_path / "site" / LLMS_TXT).exists()
    assert not (tmp_path / "site" / "concepts" / "index.md").exists()


def test_a_hand_written_llms_txt_clashes_with_the_generated_one(tmp_path: Path) -> None:
    result = mkdocs_build(mini_project(tmp_path, llms_txt=True), tmp_path / "site")
    assert result.returncode != 0
    assert "llms.txt clashes with a generated file" in result.stderr and "Traceback" not in result.stderr
