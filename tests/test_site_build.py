"""The MkDocs plugin and `advisor render`, exercised as users run them: real `mkdocs build`s in
temporary projects, a real `MkDocsConfig`, and the `advisor` command."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from kbtools import write_mkdocs

from advisor.cli import main as advisor_main

MINI = Path(__file__).parent / "fixtures" / "mini"
REPO = Path(__file__).resolve().parent.parent


def make_project(root: Path, kb: Path = MINI, pages: dict[str, str] | None = None, extra: str = "") -> Path:
    docs = root / "docs"
    docs.mkdir(parents=True, exist_ok=True)
    for name, text in (pages or {"index.md": "# Home\n\nTea or coffee?\n"}).items():
        (docs / name).parent.mkdir(parents=True, exist_ok=True)
        (docs / name).write_text(text, encoding="utf-8")
    write_mkdocs(root, kb, extra=extra)
    return root


def build(root: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(root / "mkdocs.yml")],
        cwd=root, capture_output=True, text=True, timeout=300, env={"NO_MKDOCS_2_WARNING": "1", "PATH": "/usr/bin:/bin"},
    )


@pytest.fixture(scope="module")
def mini_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = make_project(tmp_path_factory.mktemp("mini-site"), pages={
        "index.md": "# Home\n\nTea or coffee?\n\n/// compare\nconcepts: [tea, coffee]\ncolumns: [purpose]\n///\n",
    })
    result = build(root)
    assert result.returncode == 0, result.stderr
    return root / "site"


def test_every_generated_page_is_built(mini_site: Path) -> None:
    for page in ("concepts", "concepts/tea", "concepts/coffee", "concepts/drink", "concepts/kettle", "compare", "faq", "glossary", "advisor"):
        assert (mini_site / page / "index.html").is_file(), page


def test_generated_pages_are_in_the_nav(mini_site: Path) -> None:
    html = (mini_site / "index.html").read_text(encoding="utf-8")
    links = re.findall(r'href="([^"]+)"[^>]*class="md-nav__link', html) + re.findall(r'class="md-nav__link[^"]*"[^>]*href="([^"]+)"', html)
    for target in ("concepts/tea/", "concepts/coffee/", "compare/", "faq/", "advisor/", "glossary/"):
        assert target in links, target


def test_embedded_table_links_concepts_and_names_have_tooltips(mini_site: Path) -> None:
    html = (mini_site / "index.html").read_text(encoding="utf-8")
    assert '<a href="concepts/tea/"><strong>' in html
    assert '<abbr title="Leaves steeped in hot water.">Tea</abbr>' in html


def test_the_site_works_offline(mini_site: Path) -> None:
    assert (mini_site / "assets/vendor/mermaid.min.js").stat().st_size > 100_000
    assert (mini_site / "assets/vendor/tablesort.min.js").is_file()
    assert "mermaid.min.js" in (mini_site / "assets/vendor/mermaid-loader.js").read_text(encoding="utf-8")
    # Mermaid's ELK layout and the chunks it imports by relative path, from the site itself
    elk = mini_site / "assets/vendor/mermaid-layout-elk"
    entry = (elk / "mermaid-layout-elk.esm.min.mjs").read_text(encoding="utf-8")
    for imported in re.findall(r'from"(\./[^"]+)"|import\("(\./[^"]+)"\)', entry):
        assert (elk / (imported[0] or imported[1])).is_file(), imported
    for page in mini_site.rglob("*.html"):
        html = page.read_text(encoding="utf-8")
        assert not re.findall(r'(?:src|href)="(?:https?:)?//[^"]+\.(?:js|css)', html), page
        assert "fonts.googleapis" not in html and "fonts.gstatic" not in html, page
        # Mermaid is fetched by the loader on pages that draw a diagram, never listed in a page.
        assert "mermaid.min.js" not in html, page
    tea = (mini_site / "concepts/tea/index.html").read_text(encoding="utf-8")
    assert '<pre class="mermaid">' in tea
    # The stand-in `mermaid` is defined before Material looks for it, so Material never fetches it.
    assert tea.index("assets/javascripts/bundle.") < tea.index("assets/vendor/mermaid-loader.js")


def test_only_the_concepts_to_choose_between_and_longer_terms_have_tooltips(mini_site: Path) -> None:
    home = (mini_site / "index.html").read_text(encoding="utf-8")
    glossary = (mini_site / "glossary/index.html").read_text(encoding="utf-8")
    kettle = (mini_site / "concepts/kettle/index.html").read_text(encoding="utf-8")
    assert '<abbr title="Roasted beans brewed with hot water.">coffee</abbr>' in home
    assert "<abbr" not in kettle.split("<h1")[1].split("</h1>")[0]  # a one-word supporting concept
    assert 'href="../concepts/kettle/"' in glossary and "Heats water." in glossary  # still defined


def test_the_glossary_of_the_grafana_knowledge_base() -> None:
    from advisor.load import default_kb_path, load_knowledge_base
    from advisor.render.pages import glossary

    terms = glossary(load_knowledge_base(default_kb_path()))
    assert {"Data source", "data source", "Plugin", "Integration", "Alert rule", "alert rule"} <= set(terms)
    assert not {"Grafana", "grafana", "Dashboard", "dashboard"} & set(terms)


def test_the_project_site_builds_byte_identical_and_mounts_the_widget_only_on_its_page(tmp_path: Path) -> None:
    sites = []
    for name in ("one", "two"):
        result = subprocess.run(
            [sys.executable, "-m", "mkdocs", "build", "--strict", "--quiet", "-f", str(REPO / "mkdocs.yml"), "-d", str(tmp_path / name)],
            cwd=REPO, capture_output=True, text=True, timeout=300, env={"NO_MKDOCS_2_WARNING": "1", "PATH": "/usr/bin:/bin"},
        )
        assert result.returncode == 0, result.stderr
        files = {p.relative_to(tmp_path / name).as_posix(): p.read_bytes() for p in (tmp_path / name).rglob("*") if p.is_file()}
        files.pop("sitemap.xml.gz")  # gzip stores the build time
        sites.append(files)
    assert sites[0] == sites[1]
    mounts = [path for path, data in sites[0].items() if path.endswith(".html") and b'id="concept-advisor"' in data]
    # widget.js mounts the widget on that id, wherever it is: each family has its advisor page
    assert sorted(mounts) == ["advisor/index.html", "alerting/advisor/index.html"]


def test_the_project_site_has_an_address_for_instant_navigation(monkeypatch: pytest.MonkeyPatch) -> None:
    from mkdocs.config import load_config

    monkeypatch.delenv("SITE_URL", raising=False)
    config = load_config(str(REPO / "mkdocs.yml"))
    assert config.site_url and config.site_url.startswith("https://") and config.site_url.endswith("/")
    assert "navigation.instant" in config.theme["features"]


def test_the_advisor_page_mounts_the_widget_and_the_rules_page_shows_the_decision_flow(mini_site: Path) -> None:
    html = (mini_site / "advisor/index.html").read_text(encoding="utf-8")
    assert '<div id="concept-advisor" data-bundle="../assets/concept-advisor/bundle.json"></div>' in html
    assert "tired-coffee" not in html and '<pre class="mermaid">' not in html  # readers get the reasons, not the rules
    rules = (mini_site / "advisor/rules/index.html").read_text(encoding="utf-8")
    assert rules.count('<pre class="mermaid">') == 1
    assert "tired-coffee" in rules


def test_unknown_id_in_a_page_fails_the_strict_build_naming_page_and_line(tmp_path: Path) -> None:
    root = make_project(tmp_path, pages={
        "index.md": "# Home\n",
        "guide/embed.md": "---\ntitle: Embed\n---\n# Embed\n\n/// compare\nconcepts: [tea, teapot]\n///\n",
    }, extra="  - Guide: guide/embed.md\n")
    result = build(root)
    assert result.returncode != 0
    assert "docs/guide/embed.md:6: /// compare: unknown concept 'teapot'" in result.stderr


def test_broken_data_fails_the_build_with_file_and_line(tmp_path: Path) -> None:
    kb = tmp_path / "kb"
    shutil.copytree(MINI, kb)
    relations = kb / "relations.yaml"
    relations.write_text(relations.read_text(encoding="utf-8").replace("to: kettle\n", "to: ketle\n", 1), encoding="utf-8")
    result = build(make_project(tmp_path / "project", kb=kb))
    assert result.returncode != 0
    assert re.search(r"relations\.yaml:\d+:\d+: .*unknown concept 'ketle'", result.stderr), result.stderr


def test_missing_node_modules_names_npm_ci(tmp_path: Path) -> None:
    root = make_project(tmp_path, extra="")
    text = (root / "mkdocs.yml").read_text(encoding="utf-8").replace(f"kb: {MINI}", f"kb: {MINI}\n      node_modules: nowhere")
    (root / "mkdocs.yml").write_text(text, encoding="utf-8")
    result = build(root)
    assert result.returncode != 0
    assert "npm ci" in result.stderr


def test_on_config_sets_up_the_markdown_extensions(tmp_path: Path) -> None:
    from mkdocs.config.defaults import MkDocsConfig

    from advisor.markdown_ext import CompareExtension

    make_project(tmp_path)
    config = MkDocsConfig(config_file_path=str(tmp_path / "mkdocs.yml"))
    config.load_dict({"site_name": "Test", "docs_dir": str(tmp_path / "docs"), "theme": {"name": "material", "font": False},
                      "plugins": [{"concept-advisor": {"kb": str(MINI)}}]})
    errors, _ = config.validate()
    assert not errors
    config = config.plugins.on_config(config)
    extensions = config.markdown_extensions
    assert any(isinstance(e, CompareExtension) for e in extensions)
    assert {"tables", "attr_list", "def_list", "abbr", "pymdownx.superfences"} <= {e for e in extensions if isinstance(e, str)}
    assert config.mdx_configs["abbr"]["glossary"]["Tea"] == "Leaves steeped in hot water."
    assert any(f["name"] == "mermaid" for f in config.mdx_configs["pymdownx.superfences"]["custom_fences"])
    scripts = [str(s) for s in config.extra_javascript]
    assert "assets/vendor/mermaid-loader.js" in scripts and "assets/vendor/mermaid.min.js" not in scripts


def test_render_writes_pages_and_check_catches_drift(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "generated"
    assert advisor_main(["render", "--kb", str(MINI), "--out", str(out)]) == 0
    assert (out / "concepts/tea/index.md").is_file()
    assert advisor_main(["render", "--kb", str(MINI), "--out", str(out), "--check"]) == 0
    (out / "faq/index.md").write_text("stale\n", encoding="utf-8")
    (out / "concepts/tea/index.md").unlink()
    (out / "extra.md").write_text("x\n", encoding="utf-8")
    capsys.readouterr()
    assert advisor_main(["render", "--kb", str(MINI), "--out", str(out), "--check"]) == 1
    printed = capsys.readouterr().out
    assert "differs: faq/index.md" in printed and "missing: concepts/tea/index.md" in printed and "unexpected: extra.md" in printed
    assert advisor_main(["render", "--kb", str(MINI), "--out", str(out)]) == 0
    assert advisor_main(["render", "--kb", str(MINI), "--out", str(out), "--check"]) == 0
    assert not (out / "extra.md").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["generated"]  # no temporary folder left behind


def test_render_refuses_to_replace_a_folder_it_did_not_write(tmp_path: Path) -> None:
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "mine.md").write_text("# Mine\n", encoding="utf-8")
    assert advisor_main(["render", "--kb", str(MINI), "--out", str(tmp_path / "docs")]) == 2
    assert (tmp_path / "docs" / "mine.md").is_file()


def test_an_interrupted_render_leaves_the_old_output_whole(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from advisor.render import site

    out = tmp_path / "generated"
    assert advisor_main(["render", "--kb", str(MINI), "--out", str(out)]) == 0
    before = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    pages = site.render_site(__import__("advisor.graph", fromlist=["x"]).build_graph(__import__("advisor.load", fromlist=["x"]).load_knowledge_base(MINI)))
    pages["concepts/tea/index.md"] = "changed\n"

    class Interrupted(BaseException):
        pass

    real = Path.write_bytes
    calls = {"n": 0}

    def write_then_stop(self: Path, data: bytes) -> int:
        calls["n"] += 1
        if calls["n"] == 3:
            raise Interrupted
        return real(self, data)

    monkeypatch.setattr(Path, "write_bytes", write_then_stop)
    with pytest.raises(Interrupted):
        site.write_site(pages, out)
    monkeypatch.undo()
    assert {p: p.read_bytes() for p in out.rglob("*") if p.is_file()} == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["generated"]
