"""A large knowledge base gives a site whose size grows with its pages, not their square: concept
pages stay out of the global navigation, and each page carries only the tooltips it uses."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from advisor.mkdocs.glossary import TermIndex
from kbtools import scaled_kb
from test_site_build import MINI, build, make_project


def test_a_page_gets_the_terms_its_text_names_whatever_the_case() -> None:
    index = TermIndex({"Data source": "A.", "data source": "A.", "Data source plugin": "B.", "Plugin": "C.", "App": "D."})
    assert set(index.mentioned("Add a data-source plugin, then a DATA SOURCE.")) == {"Data source", "data source", "Data source plugin", "Plugin"}
    assert index.mentioned("Nothing here applies.") == {}
    assert list(index.mentioned("app plugin")) == ["Plugin", "App"]  # in the glossary's order


@pytest.fixture(scope="module")
def large_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("large-site")
    kb = scaled_kb(root / "kb", 250, source=MINI)
    make_project(root / "project", kb=kb, pages={"index.md": "# Home\n\nTea or coffee? Or Tea 3?\n"})
    result = build(root / "project")
    assert result.returncode == 0, result.stderr
    assert "WARNING" not in result.stderr, result.stderr
    return root / "project" / "site"


def _nav_links(html: str) -> list[str]:
    nav = html.split('<nav class="md-nav md-nav--primary"', 1)[1].split("</nav>", 1)[0]
    return re.findall(r'href="([^"]*concepts/[^"]+)"', nav)


def test_a_large_knowledge_base_keeps_concept_pages_out_of_the_navigation(large_site: Path) -> None:
    home = (large_site / "index.html").read_text(encoding="utf-8")
    assert [link for link in _nav_links(home) if "concepts/" in link and link.rstrip("/").split("/")[-1] != "concepts"] == []
    index = (large_site / "concepts" / "index.html").read_text(encoding="utf-8")
    assert index.count('href="tea-3/"') >= 1  # the concept index still leads to every page
    assert (large_site / "concepts" / "tea-3" / "index.html").is_file()


def test_each_page_is_converted_with_only_the_glossary_terms_it_names(large_site: Path) -> None:
    from mkdocs.config import load_config
    from mkdocs.structure.files import File, Files
    from mkdocs.structure.pages import Page

    config = load_config(str(large_site.parent / "mkdocs.yml"))
    plugin = config.plugins["concept-advisor"]
    config = plugin.on_config(config)
    assert len(config.mdx_configs["abbr"]["glossary"]) >= 400  # every term, until a page is converted

    def terms_for(text: str) -> set[str]:
        page_file = large_site.parent / "docs" / "page.md"
        page_file.write_text(text, encoding="utf-8")
        file = File("page.md", str(large_site.parent / "docs"), config.site_dir, config.use_directory_urls)
        plugin.on_page_markdown(text, Page(None, file, config), config, Files([file]))
        return set(config.mdx_configs["abbr"]["glossary"])

    assert terms_for("# Home\n\nTea or coffee? Or Tea 3?\n") == {"Tea", "tea", "Coffee", "coffee", "Tea 3", "tea 3"}
    assert terms_for("Nothing to explain.") == set()
    assert len(terms_for("/// compare\nconcepts: [tea-3]\n///\n")) >= 400  # a table may name any concept
    home = (large_site / "index.html").read_text(encoding="utf-8")
    assert {title.lower() for title in re.findall(r"<abbr title=\"[^\"]*\">([^<]*)</abbr>", home)} == {"tea", "coffee", "tea 3"}


def test_a_small_knowledge_base_lists_every_concept_in_the_navigation(tmp_path: Path) -> None:
    root = make_project(tmp_path)
    assert build(root).returncode == 0
    home = (root / "site" / "index.html").read_text(encoding="utf-8")
    assert {"concepts/tea/", "concepts/coffee/"} <= {link.lstrip("./") for link in _nav_links(home)}


def test_the_threshold_is_an_option_and_holds_for_each_knowledge_base_of_the_site(tmp_path: Path) -> None:
    import textwrap

    from test_site_build import REPO

    root = make_project(tmp_path, pages={"index.md": "# Home\n\nTea or coffee?\n"})
    (root / "mkdocs.yml").write_text(textwrap.dedent(f"""\
        site_name: Test
        theme:
          name: material
          font: false
        plugins:
          - search
          - concept-advisor:
              kb: {MINI}
              node_modules: {REPO / 'node_modules'}
              nav_concepts_limit: 3
              knowledge_bases:
                - kb: alerting
                  path: alerting
        nav:
          - Home: index.md
          - Concepts: concepts/index.md
        """), encoding="utf-8")
    result = build(root)
    assert result.returncode == 0 and "WARNING" not in result.stderr, result.stderr
    site = root / "site"
    home = (site / "index.html").read_text(encoding="utf-8")
    nav = home.split('<nav class="md-nav md-nav--primary"', 1)[1].split("md-sidebar--secondary", 1)[0]  # sections nest their own <nav>
    links = {link for link in re.findall(r'href="([^"]*)"', nav) if "concepts/" in link}
    # each knowledge base (4 and 22 concepts, both above 3) is in the nav by its concept index only
    assert links == {"concepts/", "alerting/concepts/"}, links
    assert (site / "concepts" / "tea" / "index.html").is_file() and (site / "alerting" / "concepts" / "mute-timing" / "index.html").is_file()
    assert 'href="mute-timing/"' in (site / "alerting" / "concepts" / "index.html").read_text(encoding="utf-8")
