"""Facts that stay true: plugin status, plans and shared lists kept once, checked when loading,
shown on the pages and in the answers, and a warning when a file has not been reviewed for long.

The Grafana tests read what a person sees (rendered pages, `advisor ask` answers), never the YAML.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from advisor.compile import compile_kb
from advisor.errors import KnowledgeBaseError
from advisor.graph import build_graph
from advisor.lint import lint, stale_files
from advisor.load import load_knowledge_base
from advisor.render.site import render_site
from advisor.rules import ask

MINI = Path(__file__).parent / "fixtures" / "mini"

STANDALONE_13_2 = [
    "OpenTSDB", "InfluxDB", "Jaeger", "Zipkin", "Tempo", "MySQL", "PostgreSQL", "Microsoft SQL Server", "Google Cloud Monitoring",
]


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "advisor", *args], capture_output=True, text=True, timeout=60)


@pytest.fixture(scope="module")
def kb():
    return load_knowledge_base()


@pytest.fixture(scope="module")
def pages(kb) -> dict[str, str]:
    return render_site(build_graph(kb))


@pytest.fixture(scope="module")
def compiled(kb):
    return compile_kb(kb)


def _steps(compiled, text: str, facts: dict[str, str] | None = None) -> list[str]:
    answer = ask(compiled, text, facts or {})
    assert answer["recommendation"] is not None, answer
    return answer["recommendation"]["next_steps"]


def _section(page: str, heading: str) -> str:
    """The text of a page from a heading to the next heading of the same or a higher level."""
    start = page.index(heading)
    level = len(heading) - len(heading.lstrip("#"))
    following = re.compile(r"^#{1,%d} " % level, re.MULTILINE)
    found = following.search(page, start + len(heading))
    return page[start:found.start() if found else len(page)]


def _row(page: str, product: str) -> str:
    return next(line for line in page.splitlines() if line.startswith(f"| {product} |"))


# --- the seven findings of the fact check, as pages and answers show them ----------------------------


class TestTrafficLight:
    def test_the_install_step_names_the_react_panel(self, compiled) -> None:
        steps = _steps(compiled, "I want a traffic light panel on my self-hosted dashboard")
        assert any("grafana cli plugins install heywesty-trafficlight-panel" in step for step in steps)
        assert not any("snuids-trafficlights-panel" in step for step in steps)

    def test_pages_say_the_old_panel_is_angularjs_with_its_replacement(self, pages) -> None:
        row = _row(pages["concepts/panel-plugin/index.md"], "Traffic light")
        assert "`heywesty-trafficlight-panel`" in row and "Install from the catalog" in row and "9.5.3 or later" in row
        faq = _section(pages["faq/index.md"], "## After upgrading")
        assert "`snuids-trafficlights-panel`" in faq and "AngularJS" in faq and "`heywesty-trafficlight-panel`" in faq
        assert "https://github.com/snuids/trafficlights-panel/issues/44" in _section(pages["concepts/panel-plugin/index.md"], "## Sources")


class TestJsonApi:
    def test_an_answer_that_meets_it_says_deprecated_and_names_infinity(self, compiled) -> None:
        steps = _steps(compiled, "I want to query a REST endpoint with the JSON API plugin on self-hosted grafana")
        warning = next(step for step in steps if "marcusolsson-json-datasource" in step)
        assert "deprecated" in warning and "2027-02-01" in warning and "Infinity" in warning
        assert not any(re.search(r"plugins install `?marcusolsson", step) for step in steps)

    def test_the_faq_offers_infinity_and_warns_about_json_api(self, compiled, pages) -> None:
        steps = _steps(compiled, "How can Grafana read data from a generic REST or JSON API?")
        assert any("use Infinity (`yesoreyeram-infinity-datasource`) instead" in step for step in steps)
        entry = next(entry for entry in compiled["faq"] if entry["id"] == "generic-rest-json-api")  # as the advisor answers it
        assert "Infinity" in entry["answer"] and "2027-02-01" in entry["answer"]
        faq = _section(pages["faq/index.md"], "## How can Grafana read data from a generic REST or JSON API?")
        assert "deprecated" in faq and "https://grafana.com/grafana/plugins/marcusolsson-json-datasource/" in faq

    def test_the_plugin_table_marks_it_deprecated(self, pages) -> None:
        row = _row(pages["concepts/data-source-plugin/index.md"], "JSON API")
        assert "Deprecated, support ends on 2027-02-01; use Infinity instead" in row


class TestPlans:
    NEEDS = "Grafana Cloud Pro or Advanced, or a Grafana Enterprise licence that includes the plugin"

    @pytest.mark.parametrize("product", ["MongoDB", "Databricks"])
    def test_enterprise_plugins_need_cloud_pro_or_advanced_or_a_licence(self, compiled, pages, product: str) -> None:
        answer = run("ask", f"self-hosted grafana, I need to query {product}").stdout
        assert f"Check your plan: {product} needs {self.NEEDS}." in " ".join(answer.split())
        assert self.NEEDS in _row(pages["concepts/data-source-plugin/index.md"], product)

    def test_oracle_is_on_any_cloud_plan(self, compiled, pages) -> None:
        answer = run("ask", "grafana cloud free tier, I need to query Oracle").stdout
        assert "Your plan includes it: Oracle needs any Grafana Cloud plan, or a Grafana Enterprise licence that includes the plugin" in " ".join(answer.split())

    def test_the_plan_sources_are_on_the_page(self, pages) -> None:
        sources = _section(pages["concepts/data-source-plugin/index.md"], "## Sources")
        assert "https://grafana.com/docs/plugins/grafana-mongodb-datasource/latest/install/" in sources
        assert "https://grafana.com/docs/plugins/grafana-databricks-datasource/latest/install/" in sources


class TestStandaloneList:
    def test_every_text_about_13_2_names_all_nine_data_sources(self, pages) -> None:
        checked = 0
        for path, page in pages.items():
            for paragraph in page.split("\n\n"):
                if "](http" in paragraph:
                    continue  # a list of sources: titles of documentation pages, not claims
                if re.search(r"\b13\.2\b", paragraph) and sum(name in paragraph for name in STANDALONE_13_2) >= 2:
                    assert all(name in paragraph for name in STANDALONE_13_2), (path, paragraph)
                    checked += 1
        assert checked >= 2  # the FAQ answer and the data-source-plugin notes (the FAQ's editing notes are not on pages)

    def test_pyroscope_and_azure_monitor_are_preinstalled_not_built_in(self, pages) -> None:
        page = pages["concepts/data-source-plugin/index.md"]
        for product in ("Pyroscope", "Azure Monitor"):
            assert "Pre-installed, updated on its own" in _row(page, product)
            assert "12.3 or later" in _row(page, product)
        for path, text in pages.items():
            assert not re.search(r"built[- ]in (Pyroscope|Azure Monitor)", text), path
        faq = _section(pages["faq/index.md"], "## Are the data sources bundled with Grafana now released separately?")
        assert "Pyroscope and Azure Monitor" in faq
        assert "https://grafana.com/grafana/plugins/grafana-pyroscope-datasource/" in faq


class TestAirGapped:
    def test_the_answer_says_the_cli_needs_grafana_com_or_a_mirror(self, compiled, pages) -> None:
        answer = ask(compiled, "how do I install plugins on an air-gapped server", {})
        text = answer["faq"]["answer"]
        assert "--pluginUrl" in text and "grafana.com" in text and "only the ZIP works fully offline" in text
        faq = _section(pages["faq/index.md"], "## How do I install a plugin in Grafana?")
        assert "https://github.com/grafana/grafana/issues/5873" in faq
        permission = _section(pages["faq/index.md"], "## As an admin I still get a permission error")
        assert "use a ZIP or the CLI then" not in permission and "--pluginUrl" in permission


# --- plugin status, plans and lists as data: what loading refuses and what lint reports ------------

PLUGINS = """
wording:
  install_commands: [grafana cli plugins install, grafana-cli plugins install]
  plugin_id_suffixes: [panel, datasource, app]
  statuses:
    deprecated: {label: Deprecated, says: is deprecated, says_until: "is deprecated (support ends on {date})"}
    angular: {label: "AngularJS: Grafana 12 and later do not load it", says: "is an AngularJS plugin, which Grafana 12 and later do not load"}
  plan_groups:
    cloud: {every: any Grafana Cloud plan, some: "Grafana Cloud {plans}"}
plans:
  - {id: cloud-free, name: Grafana Cloud Free, short: Free, deployment: cloud}
  - {id: cloud-pro, name: Grafana Cloud Pro, short: Pro, deployment: cloud}
  - {id: enterprise, name: Grafana Enterprise, deployment: self-hosted, phrase: an Enterprise licence that includes it}
lists:
  - {id: new-in-2, where: {standalone_since: "2.0"}}
plugins:
  - {id: green-tea-panel, name: Green, type: panel, shipped: catalog}
  - {id: old-tea-panel, name: Old Tea, type: panel, shipped: catalog, status: angular, replacement: green-tea-panel}
  - {id: stale-tea-datasource, name: Stale Tea, type: datasource, shipped: catalog, status: deprecated, replacement: green-tea-panel, support_ends: "2030-01-01"}
  - {id: kettle-a, name: Kettle A, type: datasource, shipped: preinstalled, standalone_since: "2.0"}
  - {id: kettle-b, name: Kettle B, type: datasource, shipped: preinstalled, standalone_since: "2.0"}
  - {id: kettle-c, name: Kettle C, type: datasource, shipped: preinstalled, standalone_since: "2.0"}
"""


def _kb(tmp_path: Path, **replace: tuple[str, str]) -> Path:
    """A copy of the mini knowledge base with a plugins list; `file=(old, new)` edits a file."""
    folder = tmp_path / "kb"
    shutil.copytree(MINI, folder, ignore=shutil.ignore_patterns(".cache"))
    products = folder / "products.yaml"
    products.write_text(products.read_text(encoding="utf-8") + PLUGINS, encoding="utf-8")
    for name, (old, new) in replace.items():
        file = folder / f"{name}.yaml"
        text = file.read_text(encoding="utf-8")
        assert old in text, (name, old)
        file.write_text(text.replace(old, new, 1), encoding="utf-8")
    return folder


def _line(folder: Path, name: str, needle: str) -> int:
    lines = (folder / f"{name}.yaml").read_text(encoding="utf-8").splitlines()
    return next(number for number, line in enumerate(lines, 1) if needle in line)


class TestInstallingAPluginThatIsNotActive:
    @pytest.mark.parametrize("plugin, said", [("old-tea-panel", "AngularJS"), ("stale-tea-datasource", "deprecated")])
    def test_a_next_step_that_installs_it_fails_validate_with_file_and_line(self, tmp_path: Path, plugin: str, said: str) -> None:
        folder = _kb(tmp_path, rules=("next_steps: [Grind the beans.]", f'next_steps: ["Run `grafana cli plugins install {plugin}`."]'))
        result = run("validate", "--kb", str(folder))
        assert result.returncode != 0 and "Traceback" not in result.stderr
        assert f"rules.yaml:{_line(folder, 'rules', plugin)}:" in result.stderr
        assert plugin in result.stderr and said in result.stderr and "green-tea-panel" in result.stderr

    def test_an_example_step_that_installs_it_is_refused(self, tmp_path: Path) -> None:
        folder = _kb(tmp_path, scenarios=("text: Boil water", "text: Install `old-tea-panel` and boil water"))
        with pytest.raises(KnowledgeBaseError) as caught:
            load_knowledge_base(folder)
        assert f"scenarios.yaml:{_line(folder, 'scenarios', 'old-tea-panel')}:" in str(caught.value)

    def test_a_step_filled_from_a_product_whose_plugin_is_not_active_is_refused(self, tmp_path: Path) -> None:
        folder = _kb(
            tmp_path,
            products=("    attributes:\n      caffeine: medium", "    attributes:\n      caffeine: medium\n      plugin_id: stale-tea-datasource"),
            rules=("reason: Tea helps you relax.", 'reason: Tea helps you relax.\n    next_steps: ["Run `grafana cli plugins install {plugin_id}`."]'),
        )
        with pytest.raises(KnowledgeBaseError) as caught:
            load_knowledge_base(folder)
        assert "can install Earl Grey" in str(caught.value) and "deprecated" in str(caught.value)

    def test_installing_an_active_plugin_is_fine(self, tmp_path: Path) -> None:
        folder = _kb(tmp_path, rules=("next_steps: [Grind the beans.]", 'next_steps: ["Run `grafana cli plugins install green-tea-panel`."]'))
        assert run("validate", "--kb", str(folder)).returncode == 0

    def test_a_plugin_the_list_does_not_have_is_refused(self, tmp_path: Path) -> None:
        folder = _kb(tmp_path, rules=("next_steps: [Grind the beans.]", 'next_steps: ["Install `mystery-tea-panel`."]'))
        with pytest.raises(KnowledgeBaseError, match="names plugin 'mystery-tea-panel'"):
            load_knowledge_base(folder)

    def test_a_replacement_must_be_listed_and_active(self, tmp_path: Path) -> None:
        folder = _kb(tmp_path, products=("replacement: green-tea-panel}", "replacement: old-tea-panel}"))
        with pytest.raises(KnowledgeBaseError, match="replacement 'old-tea-panel' is not active"):
            load_knowledge_base(folder)


class TestFactsWrittenOnce:
    def test_a_list_reference_becomes_the_names_in_every_text(self, tmp_path: Path) -> None:
        folder = _kb(tmp_path, faq=("answer: ", "answer: Since 2.0 {{list:new-in-2}} ship on their own. "))
        kb = load_knowledge_base(folder)
        assert kb.faq[0].answer.startswith("Since 2.0 Kettle A, Kettle B and Kettle C ship on their own.")
        assert "Kettle A, Kettle B and Kettle C" in render_site(build_graph(kb))["faq/index.md"]

    def test_an_unknown_reference_is_an_error_with_its_line(self, tmp_path: Path) -> None:
        folder = _kb(tmp_path, faq=("answer: ", "answer: See {{list:nothing}}. "))
        with pytest.raises(KnowledgeBaseError, match=r"faq\.yaml:\d+.*\{\{list:nothing\}\} names no plugin list"):
            load_knowledge_base(folder)

    def test_plans_become_words_in_the_summary_and_in_an_attribute(self, tmp_path: Path) -> None:
        folder = _kb(tmp_path, products=("    implies:\n      mood: calm", "    requires: [cloud-pro, enterprise]\n    implies:\n      mood: calm"))
        earl_grey = next(p for p in load_knowledge_base(folder).products if p.id == "earl-grey")
        assert earl_grey.attributes["needs"] == "Grafana Cloud Pro, or an Enterprise licence that includes it"
        assert earl_grey.summary.endswith("Needs Grafana Cloud Pro, or an Enterprise licence that includes it.")

    def test_every_cloud_plan_reads_any_cloud_plan(self, tmp_path: Path) -> None:
        folder = _kb(tmp_path, products=("    implies:\n      mood: calm", "    requires: [cloud-free, cloud-pro]\n    implies:\n      mood: calm"))
        earl_grey = next(p for p in load_knowledge_base(folder).products if p.id == "earl-grey")
        assert earl_grey.attributes["needs"] == "any Grafana Cloud plan"

    def test_lint_finds_a_copied_list_that_drifted(self, tmp_path: Path) -> None:
        folder = _kb(tmp_path, faq=("answer: ", "answer: Since 2.0 Kettle A and Kettle B ship on their own. "))
        warnings = lint(load_knowledge_base(folder))
        assert any(re.search(r"faq\.yaml:\d+.*leaves out Kettle C.*\{\{list:new-in-2\}\}", w) for w in warnings), warnings

    def test_lint_finds_built_in_said_of_a_plugin_released_on_its_own(self, tmp_path: Path) -> None:
        folder = _kb(
            tmp_path,
            products=("    attributes:\n      caffeine: medium", "    summary: The built-in Earl Grey.\n    attributes:\n      caffeine: medium\n      plugin_id: kettle-a"),
        )
        warnings = lint(load_knowledge_base(folder))
        assert any("calls Earl Grey built in" in w and "'preinstalled'" in w for w in warnings), warnings

    def test_a_stated_availability_that_contradicts_the_plugin_is_an_error(self, tmp_path: Path) -> None:
        folder = _kb(tmp_path, products=("      caffeine: medium", "      caffeine: medium\n      plugin_id: kettle-a\n      availability: built-in"))
        with pytest.raises(KnowledgeBaseError, match="says 'built-in', but plugin 'kettle-a' is 'preinstalled'"):
            load_knowledge_base(folder)

    def test_the_grafana_data_has_no_contradictions(self, kb) -> None:
        assert lint(kb) == []


# --- freshness ----------------------------------------------------------------------------------------


class TestFreshness:
    def test_an_old_last_reviewed_gives_a_warning_with_file_and_line(self, tmp_path: Path) -> None:
        folder = _kb(tmp_path, faq=('last_reviewed: "2026-11-25"', 'last_reviewed: "2025-01-31"'))
        warnings = stale_files(load_knowledge_base(folder), date(2026, 12, 1))
        assert len(warnings) == 1
        assert re.match(r".*faq\.yaml:2:\d+: last reviewed on 2025-01-31, 669 days ago \(more than 183\)", warnings[0])

    def test_validate_warns_and_the_age_is_configurable(self, tmp_path: Path) -> None:
        folder = _kb(tmp_path, faq=('last_reviewed: "2026-11-25"', 'last_reviewed: "2000-01-01"'))
        result = run("validate", "--kb", str(folder))
        assert result.returncode == 0 and "faq.yaml:2:" in result.stderr and "last reviewed on 2000-01-01" in result.stderr
        everything = run("validate", "--kb", str(folder), "--max-age", "0")
        assert everything.stderr.count("last reviewed on") == 9

    def test_the_knowledge_base_can_set_its_own_age(self, tmp_path: Path) -> None:
        folder = _kb(tmp_path, kb=("id: ", "review_within_days: 30\nid: "))
        kb = load_knowledge_base(folder)
        assert stale_files(kb, date(2026, 12, 20)) == []
        assert len(stale_files(kb, date(2026, 12, 26))) == 9

    def test_every_grafana_page_shows_when_it_was_reviewed_and_its_sources(self, pages) -> None:
        for path, page in pages.items():
            sources = _section(page, "## Sources")
            assert re.search(r"Facts on this page were last reviewed on \d{4}-\d{2}-\d{2}\.", sources), path
            assert re.search(r"^- \[.+\]\(https://", sources, re.MULTILINE), path

    def test_a_page_shows_the_oldest_review_of_the_files_it_draws_on(self, tmp_path: Path) -> None:
        folder = _kb(tmp_path, relations=('last_reviewed: "2026-11-25"', 'last_reviewed: "2026-01-02"'))
        pages = render_site(build_graph(load_knowledge_base(folder)))
        assert "last reviewed on 2026-01-02" in pages["concepts/tea/index.md"]
        assert "last reviewed on 2026-11-25" in pages["faq/index.md"]


# --- the plan decides: an answer naming a product that needs a plan checks the person's plan ------

def _block(output: str, title: str) -> str:
    """The lines of a terminal answer's section: its title line and the indented lines after it."""
    lines = output.splitlines()
    start = lines.index(title)
    end = next((i for i in range(start + 1, len(lines)) if lines[i] and not lines[i].startswith(" ")), len(lines))
    return " ".join(line.strip() for line in lines[start:end])


class TestThePersonsPlan:
    """Splunk's plugin needs Cloud Pro or Advanced, or an Enterprise licence (its install page)."""

    def test_a_plan_that_does_not_include_the_product_is_said_with_what_it_needs(self) -> None:
        result = run("ask", "we need our splunk logs in grafana oss")
        assert result.returncode == 0, result.stderr
        plan = _block(result.stdout, "Your plan")
        assert "Not on your plan" in plan and "Grafana Enterprise licence" in plan and "Grafana OSS" in plan

    def test_a_plan_that_includes_it_is_said_so(self) -> None:
        result = run("ask", "we're on grafana cloud pro and want our splunk logs in grafana")
        assert "Your plan includes it" in _block(result.stdout, "Your plan")

    def test_an_unknown_plan_is_asked_with_every_plan_as_a_choice(self, compiled) -> None:
        answer = ask(compiled, "we want our splunk logs in grafana", {})
        assert answer["recommendation"]["concept"] == "data-source-plugin"
        assert answer["recommendation"]["plan"]["included"] is None
        text = run("ask", "we want our splunk logs in grafana").stdout
        plan = _block(text, "Your plan")
        assert "Which Grafana edition or Grafana Cloud plan do you have?" in plan
        assert "Grafana Cloud Pro" in plan and "Grafana OSS" in plan

    def test_the_quiz_asks_the_plan_and_then_answers_for_it(self) -> None:
        quiz = subprocess.run([sys.executable, "-m", "advisor", "quiz", "we want our splunk logs in grafana"],
                              input="5\n", capture_output=True, text=True, timeout=60)
        assert quiz.returncode == 0, quiz.stderr
        assert "Which Grafana edition or Grafana Cloud plan do you have?" in quiz.stdout
        assert "Your plan includes it" in quiz.stdout

    def test_a_product_that_needs_no_plan_gets_no_plan_check(self, compiled) -> None:
        answer = ask(compiled, "we want to query our github issues in grafana oss", {})
        assert answer["recommendation"]["concept"] == "data-source-plugin" and "plan" not in answer["recommendation"]
        assert "Your plan" not in run("ask", "we want to query our github issues in grafana oss").stdout

    def test_plan_phrases_that_also_name_the_deployment_are_no_lint_warning(self, kb) -> None:
        assert not [w for w in lint(kb) if "enterprise licence" in w or "pro plan" in w]
