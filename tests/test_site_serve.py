"""`mkdocs serve` with the plugin: the knowledge base folder is watched, and saving a data file
rebuilds the generated pages. Runs MkDocs' own `LiveReloadServer` and build, as `mkdocs serve`
wires them (mkdocs/commands/serve.py), on a copy of the mini knowledge base."""

from __future__ import annotations

import shutil
import textwrap
import threading
from pathlib import Path

import pytest
from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.livereload import LiveReloadServer

MINI = Path(__file__).parent / "fixtures" / "mini"


@pytest.fixture()
def project(tmp_path: Path) -> Path:
    shutil.copytree(MINI, tmp_path / "kb")
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "index.md").write_text("# Home\n\n/// compare\nconcepts: [tea]\ncolumns: [purpose]\n///\n", encoding="utf-8")
    (tmp_path / "mkdocs.yml").write_text(
        textwrap.dedent(
            """\
            site_name: Serve test
            theme:
              name: material
              font: false
            plugins:
              - concept-advisor:
                  kb: kb
            """
        ),
        encoding="utf-8",
    )
    return tmp_path


def test_serve_watches_the_data_and_an_edit_rebuilds_the_pages(project: Path) -> None:
    site = project / "site"
    rebuilt = threading.Event()

    def get_config() -> MkDocsConfig:
        return load_config(str(project / "mkdocs.yml"), site_dir=str(site))

    def builder(config: MkDocsConfig | None = None) -> None:
        # As `mkdocs serve` does: each rebuild loads the configuration again.
        build(config or get_config())
        if config is None:
            rebuilt.set()

    config = get_config()
    builder(config)
    tea = site / "concepts/tea/index.html"
    assert "Leaves steeped in hot water." in tea.read_text(encoding="utf-8")

    server = LiveReloadServer(builder=builder, host="127.0.0.1", port=0, root=str(site), polling_interval=0.1, shutdown_delay=0.05)
    server.watch(config.docs_dir)
    server = config.plugins.on_serve(server, config=config, builder=builder)
    assert str((project / "kb").resolve()) in server._watched_paths

    serving = threading.Thread(target=server.serve, daemon=True)
    serving.start()
    try:
        concepts = project / "kb" / "concepts.yaml"
        text = concepts.read_text(encoding="utf-8")
        assert "summary: Leaves steeped in hot water." in text
        edited = text.replace("summary: Leaves steeped in hot water.", "summary: Leaves steeped in water just off the boil.")
        # The observer starts in the serving thread and snapshots the folder first: save until it sees a change.
        for _ in range(60):
            concepts.write_text(edited, encoding="utf-8")
            if rebuilt.wait(timeout=1):
                break
        assert rebuilt.is_set(), "no rebuild after a data file was saved"
    finally:
        server.shutdown()
        serving.join(timeout=10)
    for page in ("concepts/tea/index.html", "glossary/index.html", "concepts/index.html"):
        html = (site / page).read_text(encoding="utf-8")
        assert "water just off the boil" in html, page
        assert "Leaves steeped in hot water." not in html, page


def test_a_rebuild_with_unchanged_data_reuses_the_rendered_pages(project: Path) -> None:
    first = load_config(str(project / "mkdocs.yml"))
    first.plugins.on_config(first)
    second = load_config(str(project / "mkdocs.yml"))
    second.plugins.on_config(second)
    one, two = first.plugins["concept-advisor"], second.plugins["concept-advisor"]
    assert one.graph is two.graph and one.pages == two.pages

    concepts = project / "kb" / "concepts.yaml"
    concepts.write_text(concepts.read_text(encoding="utf-8").replace("name: Kettle", "name: Electric kettle"), encoding="utf-8")
    third = load_config(str(project / "mkdocs.yml"))
    third.plugins.on_config(third)
    three = third.plugins["concept-advisor"]
    assert three.graph is not one.graph
    assert "\n# Electric kettle\n" in three.pages["concepts/kettle/index.md"]
