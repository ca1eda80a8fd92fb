"""Benchmark the generated site; prints figures, asserts nothing.

1. Build time of the real site (`mkdocs build` of mkdocs.yml, plugin on) against the same site
   with the generated pages and assets written as plain files and the plugin off (target: <= 1.10x),
   and the time of the plugin's own `on_config` (cold, and with the data unchanged as in `mkdocs serve`).
2. `render_site` time for synthetic knowledge bases of 100, 1,000 and 10,000 concepts
   (target: linear, 10x the concepts in <= 12x the time).
3. A lean site (Material, the plugin and nothing else) of the bundled knowledge base grown to
   1,000, 2,000 and 5,000 concepts of the same density: build time and peak memory
   (target: 2,000 concepts in less than 2.5x the time of 1,000).

Usage: python3 bench/site.py [--runs N] [--skip-build] [--scale 1000,2000,5000 | --scale none]
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from advisor.graph import build_graph  # noqa: E402
from advisor.load import load_knowledge_base  # noqa: E402
from advisor.model import Column, Comparison, Concept, Criterion, Faq, KnowledgeBase, Question, Answer, Relation, RelationType, Rule, Scope  # noqa: E402
from advisor.render.pages import glossary  # noqa: E402
from advisor.render.site import render_site  # noqa: E402


def _mkdocs(config: Path, site: Path) -> float:
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "mkdocs", "build", "--quiet", "-f", str(config), "-d", str(site)],
                   check=True, cwd=config.parent, env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
    return time.perf_counter() - start


def plain_project(work: Path) -> Path:
    """Copy the project with every generated file written out and the plugin taken off mkdocs.yml."""
    from mkdocs.config import load_config

    from advisor.mkdocs.plugin import ConceptAdvisorPlugin

    project = work / "plain"
    shutil.copytree(REPO / "docs", project / "docs")
    config = load_config(str(REPO / "mkdocs.yml"))
    plugin: ConceptAdvisorPlugin = config.plugins["concept-advisor"]
    config = plugin.on_config(config)
    for path, text in plugin.pages.items():
        target = project / "docs" / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    for path, data in plugin.assets.items():
        (project / "docs" / path).parent.mkdir(parents=True, exist_ok=True)
        (project / "docs" / path).write_bytes(data)
    for path, source in plugin.vendored.items():
        (project / "docs" / path).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, project / "docs" / path)
    from advisor.mkdocs.assets import STYLESHEET, scripts, stylesheet

    for path, text in {**scripts(), STYLESHEET: stylesheet()}.items():
        (project / "docs" / path).parent.mkdir(parents=True, exist_ok=True)
        (project / "docs" / path).write_text(text, encoding="utf-8")
    text = (REPO / "mkdocs.yml").read_text(encoding="utf-8")
    text = re.sub(r"  - concept-advisor:\n(?:      .*\n)+", "", text)
    kb = load_knowledge_base(plugin.kb_path)
    text = text.replace("  - abbr\n", "  - abbr:\n      glossary: " + json.dumps(glossary(kb), ensure_ascii=False) + "\n")
    text = text.replace("markdown_extensions:\n", "markdown_extensions:\n  - concept_advisor:\n      kb: " + json.dumps(str(plugin.kb_path)) + "\n")
    text += "\nextra_javascript: " + json.dumps([str(s) for s in config.extra_javascript]) + "\n"
    text += "extra_css: " + json.dumps([str(s) for s in config.extra_css]) + "\n"
    # The generated pages in the nav: what the plugin's on_nav adds, written out.
    concepts = [c.id for c in kb.concepts]
    text = text.replace("  - Concepts: concepts/index.md\n", "  - Concepts:\n    - concepts/index.md\n" + "".join(f"    - concepts/{c}/index.md\n" for c in concepts))
    reference = sorted(p for p in plugin.pages if p.startswith("reference/") and p != "reference/index.md")
    text = text.replace("  - API reference: reference/index.md\n", "  - API reference:\n    - reference/index.md\n" + "".join(f"    - {p}\n" for p in reference))
    (project / "mkdocs.yml").write_text(text, encoding="utf-8")
    for name in ("advisor", "data"):
        os.symlink(REPO / name, project / name)
    return project / "mkdocs.yml"


def bench_build(runs: int) -> None:
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        plain = plain_project(work)
        with_plugin, without = [], []
        _mkdocs(REPO / "mkdocs.yml", work / "warm")  # warm caches (imports, griffe) once
        _mkdocs(plain, work / "warm-plain")
        for run in range(runs):
            # Alternate which build goes first, so that a drift in machine load hits both alike.
            order = [("plugin", REPO / "mkdocs.yml"), ("plain", plain)]
            for name, config in order if run % 2 == 0 else order[::-1]:
                (with_plugin if name == "plugin" else without).append(_mkdocs(config, work / f"site-{name}-{run}"))
        a, b = statistics.median(with_plugin), statistics.median(without)
        print(f"site build, plugin on:   {a:.2f} s (median of {runs}; min {min(with_plugin):.2f} s)")
        print(f"site build, plain files: {b:.2f} s (median of {runs}; min {min(without):.2f} s)")
        print(f"ratio: {a / b:.3f}x median, {min(with_plugin) / min(without):.3f}x min (target <= 1.10x)")


def bench_hooks(runs: int) -> None:
    """Time the plugin's own work in a build (its `on_config` with nothing cached: load, render,
    bundle), and the same again with the data unchanged, as in a `mkdocs serve` rebuild."""
    from mkdocs.config import load_config

    from advisor import markdown_ext

    cold, warm = [], []
    for _ in range(runs):
        markdown_ext._GRAPHS.clear()
        for timings in (cold, warm):
            config = load_config(str(REPO / "mkdocs.yml"))
            start = time.perf_counter()
            config.plugins["concept-advisor"].on_config(config)
            timings.append(time.perf_counter() - start)
    print(f"plugin on_config: {statistics.median(cold):.3f} s (data loaded and rendered), {statistics.median(warm):.3f} s (data unchanged)")


def synthetic_kb(n: int) -> KnowledgeBase:
    """A knowledge base of `n` concepts: a tree of kinds (5 children each), 2 relations, an FAQ
    entry per 5 concepts and a rule per 10; deterministic."""
    scopes = (Scope("a", "Place A"), Scope("b", "Place B"))
    concepts = []
    for i in range(n):
        concepts.append(Concept(
            id=f"c{i}", name=f"Concept {i}", summary=f"The concept number {i} | <b>{i}</b>.",
            role="main" if i % 3 else "context", kind_of=f"c{(i - 1) // 5}" if i else None,
            applies_to=("a", "b") if i % 2 else ("a",), purpose=f"Purpose {i}.", includes=(f"Part {i}", f"Piece {i}"),
            use_when=(Criterion(f"w{i}", f"When {i} matters."),), examples=(f"Product {i}",), aliases=(f"alias{i}",),
        ))
    relations = []
    for i in range(1, n):
        relations.append(Relation(f"c{i}", "uses", f"c{(i * 7) % n}", f"uses {i}"))
        relations.append(Relation(f"c{i}", "feeds", f"c{(i * 13 + 1) % n}"))
    relations = [r for r in relations if r.source != r.target]
    faq = tuple(Faq(f"q{i}", f"Concept {i} or {i + 1}?", f"Answer {i}.", (f"c{i}", f"c{(i + 1) % n}")) for i in range(0, n, 5))
    questions = (Question("x", "X?", (Answer("yes", "Yes"), Answer("no", "No"))), Question("y", "Y?", (Answer("one", "One"), Answer("two", "Two"))))
    rules = tuple(Rule(f"r{i}", f"c{i}", 1 + i % 3, {"all": [{"x": "yes"}, {"not": {"y": "two"}}]} if i % 20 else {"x": "no"}, f"Reason {i}.", (f"Step {i}",)) for i in range(0, n, 10))
    columns = (Column("applies_to", "Where"), Column("purpose", "Purpose"), Column("examples", "Examples"))
    summary = Comparison("summary", "Summary", tuple(f"c{i}" for i in range(min(n, 5))), ("applies_to", "purpose", "examples"))
    return KnowledgeBase(
        id="synthetic", title="Synthetic", description="A synthetic knowledge base.", path="<synthetic>", scopes=scopes,
        concepts=tuple(concepts), relation_types=(RelationType("uses", "uses"), RelationType("feeds", "feeds")), relations=tuple(relations),
        faq=faq, columns=columns, comparisons=(summary,), products=(), scenarios=(), questions=questions, rules=rules,
    )


def bench_render(runs: int) -> None:
    times = {}
    for n in (100, 1_000, 10_000):
        graph = build_graph(synthetic_kb(n))
        best = float("inf")
        for _ in range(runs):
            start = time.perf_counter()
            pages = render_site(graph)
            best = min(best, time.perf_counter() - start)
        times[n] = best
        print(f"render_site, {n:>6} concepts: {best:8.3f} s, {len(pages)} pages, {sum(map(len, pages.values())) / 1e6:.1f} MB")
    print(f"scaling 100 -> 1,000: {times[1_000] / times[100]:.1f}x; 1,000 -> 10,000: {times[10_000] / times[1_000]:.1f}x (target <= 12x)")


def bench_scale(sizes: list[int]) -> None:
    """Build a lean site of the bundled knowledge base grown to each size; print time and memory."""
    sys.path.insert(0, str(REPO / "tests"))
    from kbtools import scaled_kb

    results: dict[int, float] = {}
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        for n in sizes:
            project = work / f"site-{n}"
            kb = scaled_kb(project / "kb", n)
            (project / "docs").mkdir(parents=True)
            (project / "docs" / "index.md").write_text("# Home\n\nWhich should I use: a data source or a plugin?\n", encoding="utf-8")
            (project / "mkdocs.yml").write_text(
                f"site_name: Scale {n}\ntheme:\n  name: material\n  font: false\nplugins:\n  - concept-advisor:\n      kb: {kb}\n", encoding="utf-8")
            start = time.perf_counter()
            process = subprocess.Popen([sys.executable, "-m", "mkdocs", "build", "--strict", "--quiet", "-d", str(project / "site")], cwd=project,
                                       env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
            _, status, usage = os.wait4(process.pid, 0)
            elapsed = time.perf_counter() - start
            if status != 0:
                raise SystemExit(f"the {n}-concept site did not build (status {status})")
            pages = sum(1 for _ in (project / "site").rglob("*.html"))
            size = sum(path.stat().st_size for path in (project / "site").rglob("*.html"))
            results[n] = elapsed
            print(f"site of {n:>5} concepts: {elapsed:7.1f} s wall, {usage.ru_utime + usage.ru_stime:7.1f} s CPU, "
                  f"peak {usage.ru_maxrss / 1024:6.0f} MB, {pages} pages, {size / 1e6:.0f} MB of HTML")
            shutil.rmtree(project)
    ordered = sorted(results)
    for small, large in zip(ordered, ordered[1:]):
        print(f"{small:,} -> {large:,} concepts: {results[large] / results[small]:.2f}x the time ({large / small:.1f}x the concepts)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--skip-build", action="store_true", help="skip the real site's build and the plugin's hooks")
    parser.add_argument("--skip-render", action="store_true", help="skip the render_site benchmark")
    parser.add_argument("--scale", default="1000,2000,5000", help="concept counts of the lean-site builds, or none")
    args = parser.parse_args()
    if not args.skip_build:
        bench_build(args.runs)
        bench_hooks(args.runs)
    if not args.skip_render:
        bench_render(args.runs)
    if args.scale != "none":
        bench_scale([int(n) for n in args.scale.split(",")])


if __name__ == "__main__":
    main()
