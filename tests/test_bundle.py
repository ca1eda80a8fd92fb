"""The browser bundle: `advisor export`, `export_bundle` and the site assets the plugin writes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from advisor import __version__, rules, text
from advisor.bundle import ASSET_DIR, BUNDLE_FORMAT, bundle_bytes, compact_script, export_bundle, site_assets
from advisor.cli import main
from advisor.compile import compile_kb
from advisor.load import default_kb_path, load_knowledge_base

FIXTURES = Path(__file__).parent / "fixtures"
MINI = FIXTURES / "mini"
HOSTILE = FIXTURES / "hostile"


def test_bundle_is_the_compiled_knowledge_base_plus_what_the_browser_needs() -> None:
    bundle = export_bundle(MINI)
    compiled = json.loads(json.dumps(compile_kb(load_knowledge_base(MINI))))
    extra = bundle.pop("bundle")
    assert extra == {"format": BUNDLE_FORMAT, "generator": f"concept-advisor {__version__}", "concept_page": "../concepts/{id}/"}
    # the compiled dict, in its order, less the source phrases the lexicon already indexes
    assert list(bundle) == [key for key in compiled if key not in ("synonyms", "intents")]
    # the lexicon is packed: what can be recomputed is left out, and unpacking gives it back whole
    assert "known" not in bundle["lexicon"] and "words" not in bundle["lexicon"]
    assert all(isinstance(entry, str) for layer in bundle["lexicon"]["patterns"] for entry in layer)
    assert text.unpack(bundle)["lexicon"] == compiled["lexicon"]
    assert list(text.unpack(bundle)["lexicon"]) == list(compiled["lexicon"])
    assert text.unpack(compiled) is compiled
    assert bundle["rules"] == compiled["rules"]
    for key in ("concepts", "products", "out_of_scope", "faq"):
        assert [{k: v for k, v in item.items() if k not in ("aliases", "phrases", "keywords")} for item in compiled[key]] == bundle[key]
    assert bundle["facts"][0]["values"][0] == {"id": "home", "label": "At home"}
    assert "phrases" in compiled["facts"][0]["values"][0]  # the compiled dict itself is left alone


def test_bundle_answers_exactly_like_the_compiled_knowledge_base() -> None:
    for kb in (MINI, HOSTILE, default_kb_path()):
        bundle = json.loads(bundle_bytes(export_bundle(kb)))
        compiled = compile_kb(load_knowledge_base(kb))
        texts = ["I am knackered", "", "difference between tea and coffee", "a recipe", "grafana mongodb", "what is a plugin?"]
        for text in texts:
            for facts in ({}, {fact["id"]: fact["values"][-1]["id"] for fact in compiled["facts"][:1]}):
                assert rules.ask(bundle, text, facts) == json.loads(json.dumps(rules.ask(compiled, text, facts)))


def test_bundle_bytes_are_deterministic_compact_utf8() -> None:
    first = bundle_bytes(export_bundle(HOSTILE))
    second = bundle_bytes(export_bundle(HOSTILE))
    assert first == second
    assert first.endswith(b"}\n") and b"\n" not in first[:-1]
    assert b", " not in first.split(b'"')[0]  # compact separators
    text = first.decode("utf-8")
    assert "<script>" in text  # JSON is data: text is kept as it is, never HTML-escaped
    assert json.loads(text)["kb"]["id"] == "hostile"


def test_bundle_keeps_non_ascii_text_as_utf8(tmp_path: Path) -> None:
    import shutil

    kb = tmp_path / "kb"
    shutil.copytree(MINI, kb)
    concepts = kb / "concepts.yaml"
    concepts.write_text(concepts.read_text(encoding="utf-8").replace("name: Tea", "name: Thé ☕"), encoding="utf-8")
    data = bundle_bytes(export_bundle(kb))
    assert "Thé ☕".encode() in data


def test_site_assets_are_the_script_the_style_and_the_bundle() -> None:
    kb = load_knowledge_base(MINI)
    assets = site_assets(kb)
    assert sorted(assets) == [f"{ASSET_DIR}/advisor.css", f"{ASSET_DIR}/answer.js", f"{ASSET_DIR}/bundle.json", f"{ASSET_DIR}/engine.js", f"{ASSET_DIR}/widget.js"]
    assert all(isinstance(data, bytes) and data for data in assets.values())
    assert assets == site_assets(kb) == site_assets(MINI)
    assert json.loads(assets[f"{ASSET_DIR}/bundle.json"]) == export_bundle(MINI)
    web = Path(__file__).parent.parent / "advisor" / "web"
    for name in ("engine.js", "widget.js"):
        shipped = assets[f"{ASSET_DIR}/{name}"].decode("utf-8")
        assert shipped == compact_script((web / name).read_text(encoding="utf-8"))
        assert "/*" not in shipped.split("\n")[0] and len(shipped) < len((web / name).read_text(encoding="utf-8"))


def test_the_bundled_knowledge_base_exports() -> None:
    bundle = export_bundle()
    assert bundle == export_bundle(default_kb_path())
    assert bundle["bundle"]["format"] == BUNDLE_FORMAT


def test_export_writes_the_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "deep" / "bundle.json"
    assert main(["export", "--kb", str(MINI), "--out", str(out)]) == 0
    assert out.read_bytes() == bundle_bytes(export_bundle(MINI))
    assert oct(out.stat().st_mode & 0o777) == "0o644"
    assert [p.name for p in out.parent.iterdir()] == ["bundle.json"]  # no temporary file left
    assert "bundle.json" in capsys.readouterr().err


def test_export_replaces_an_existing_file_atomically(tmp_path: Path) -> None:
    out = tmp_path / "bundle.json"
    out.write_text("old", encoding="utf-8")
    inode_before = out.stat().st_ino
    assert main(["export", "--kb", str(MINI), "--out", str(out)]) == 0
    assert json.loads(out.read_text(encoding="utf-8"))["kb"]["id"] == "mini"
    assert out.stat().st_ino != inode_before  # a new file renamed over the old one


def test_export_to_stdout() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "advisor", "export", "--kb", str(HOSTILE), "--out", "-"],
        capture_output=True,
        timeout=60,
        env={**os.environ, "PYTHONIOENCODING": "ascii"},  # the bundle is bytes: the locale never matters
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout == bundle_bytes(export_bundle(HOSTILE))
    assert result.stderr == b""


def test_export_of_a_broken_knowledge_base_fails_with_the_place(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import shutil

    kb = tmp_path / "kb"
    shutil.copytree(MINI, kb)
    rules_file = kb / "rules.yaml"
    rules_file.write_text(rules_file.read_text(encoding="utf-8").replace("concept: coffee", "concept: cofee"), encoding="utf-8")
    out = tmp_path / "bundle.json"
    assert main(["export", "--kb", str(kb), "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert "rules.yaml:" in err and "cofee" in err
    assert not out.exists()


def test_export_into_a_folder_is_a_usage_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["export", "--kb", str(MINI), "--out", str(tmp_path)]) == 2
    assert "is a folder" in capsys.readouterr().err


def test_export_into_an_unwritable_place_is_a_usage_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("", encoding="utf-8")
    assert main(["export", "--kb", str(MINI), "--out", str(blocker / "bundle.json")]) == 2
    assert "cannot write" in capsys.readouterr().err


def test_export_writes_the_bundle_to_the_named_file(tmp_path: Path) -> None:
    out = tmp_path / "b.json"
    assert main(["export", "--kb", str(MINI), "--out", str(out)]) == 0
    assert json.loads(out.read_bytes())["bundle"]["format"] == BUNDLE_FORMAT


def test_unpacking_the_bundle_gives_the_compiled_lexicon_back_for_every_knowledge_base() -> None:
    for kb in (MINI, HOSTILE, default_kb_path()):
        bundle = json.loads(bundle_bytes(export_bundle(kb)))
        compiled = json.loads(json.dumps(compile_kb(load_knowledge_base(kb))))
        assert text.unpack(bundle)["lexicon"] == compiled["lexicon"]
