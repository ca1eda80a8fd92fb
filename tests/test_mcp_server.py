"""`advisor mcp`: the knowledge base served to AI assistants over MCP (stdio), driven by the SDK's own client."""

from __future__ import annotations

import concurrent.futures
import json
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any, Awaitable, Callable

import anyio
import pytest
import yaml
from mcp import ClientSession, StdioServerParameters, stdio_client
from mcp.shared.exceptions import MCPError

from advisor.errors import KnowledgeBaseError
from advisor.assistant import Library, ToolError, bundled_knowledge_bases, call_tool, resource_links

ROOT = Path(__file__).resolve().parent.parent
CASES = yaml.safe_load((Path(__file__).parent / "eval" / "advisor-cases.yaml").read_text(encoding="utf-8"))
GRAFANA = ROOT / "data" / "grafana"


def with_server(scenario: Callable[[ClientSession], Awaitable[Any]], *args: str) -> Any:
    """Start `advisor mcp ARGS` as a subprocess, initialize a client session, run `scenario`."""

    async def main() -> Any:
        params = StdioServerParameters(command=sys.executable, args=["-m", "advisor", "mcp", *args], cwd=str(ROOT))
        async with stdio_client(params) as (read, write):
            async with ClientSession(read, write) as session:
                init = await session.initialize()
                assert init.server_info.name == "concept-advisor"
                return await scenario(session)

    # In a thread of its own: the browser tests' Playwright keeps an event loop in the main thread.
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(anyio.run, main).result()


def cli_json(*args: str) -> Any:
    run = subprocess.run([sys.executable, "-m", "advisor", *args], capture_output=True, text=True, timeout=120, cwd=ROOT)
    assert run.returncode == 0, run.stderr
    return json.loads(run.stdout)


# --- the protocol: tools, answers, resources ------------------------------------------------------


def test_a_client_lists_the_tools_with_descriptions_that_say_when_to_call_them() -> None:
    async def scenario(session: ClientSession) -> Any:
        return (await session.list_tools()).tools

    tools = {tool.name: tool for tool in with_server(scenario)}
    assert set(tools) == {"ask", "explain", "compare", "list_concepts"}
    assert "unsure" in tools["ask"].description and "plugin" in tools["ask"].description
    assert tools["ask"].input_schema["required"] == ["text"]
    assert set(tools["ask"].input_schema["properties"]) == {"text", "facts", "kb"}
    assert tools["explain"].input_schema["required"] == ["concept"]
    assert {"concepts", "columns", "kb"} <= set(tools["compare"].input_schema["properties"])
    assert all(tool.annotations.read_only_hint and tool.annotations.idempotent_hint for tool in tools.values())


def test_ask_returns_the_same_object_as_the_command_line_on_every_shared_evaluation_case() -> None:
    async def scenario(session: ClientSession) -> list[Any]:
        results = []
        for case in CASES:
            result = await session.call_tool("ask", {"text": case["question"]})
            assert not result.is_error, result.content
            assert json.loads(result.content[0].text) == result.structured_content
            results.append(result.structured_content)
        return results

    answers = with_server(scenario)
    assert len(answers) == len(CASES) > 0
    for case, answer in zip(CASES, answers):
        assert answer == cli_json("ask", case["question"], "--json"), case["id"]


def test_ask_takes_facts_as_the_command_line_takes_fact_options() -> None:
    text = "I want to see data from our own database in Grafana"

    async def scenario(session: ClientSession) -> Any:
        return (await session.call_tool("ask", {"text": text, "facts": {"deployment": "cloud"}})).structured_content

    assert with_server(scenario) == cli_json("ask", text, "--fact", "deployment=cloud", "--json")


def test_explain_and_compare_return_what_the_command_line_prints_as_json() -> None:
    async def scenario(session: ClientSession) -> tuple[Any, Any, Any]:
        explained = await session.call_tool("explain", {"concept": "data-source-plugin"})
        by_name = await session.call_tool("explain", {"concept": "Data source plugin"})
        compared = await session.call_tool("compare", {"concepts": ["data-source", "integration"], "columns": ["summary", "applies_to"]})
        return explained.structured_content, by_name.structured_content, compared.structured_content

    explained, by_name, compared = with_server(scenario)
    assert explained == by_name == cli_json("explain", "data-source-plugin", "--json")
    assert compared == cli_json("compare", "data-source", "integration", "--columns", "summary,applies_to", "--format", "json")
    assert [row["concept"] for row in compared["rows"]] == ["data-source", "integration"]


def test_concept_pages_and_faq_entries_are_markdown_resources_with_their_sources() -> None:
    async def scenario(session: ClientSession) -> tuple[Any, Any, Any]:
        listed = (await session.list_resources()).resources
        concept = await session.read_resource("advisor://grafana/concepts/integration")
        faq_uri = next(str(item.uri) for item in listed if "/faq/" in str(item.uri))
        faq = await session.read_resource(faq_uri)
        return listed, concept.contents[0], faq.contents[0]

    listed, concept, faq = with_server(scenario)
    uris = [str(item.uri) for item in listed]
    assert "advisor://grafana/concepts/data-source" in uris
    assert all(item.mime_type == "text/markdown" and item.description for item in listed)
    assert concept.mime_type == "text/markdown"
    assert concept.text.startswith("# Integration\n")
    assert "## Sources" in concept.text and "https://grafana.com/docs/" in concept.text
    # links between pages are resource addresses, not site paths
    assert "(advisor://grafana/concepts/" in concept.text and "index.md" not in concept.text
    assert faq.text.startswith("# ") and "**About:**" in faq.text and "## Sources" in faq.text


def test_list_concepts_names_every_bundled_knowledge_base() -> None:
    async def scenario(session: ClientSession) -> Any:
        return (await session.call_tool("list_concepts", {})).structured_content

    listed = with_server(scenario)
    assert listed["kb"] == "grafana"
    assert listed["knowledge_bases"] == list(bundled_knowledge_bases())
    assert {"data-source", "plugin", "integration"} <= {concept["id"] for concept in listed["concepts"]}
    assert all(concept["resource"].startswith("advisor://grafana/concepts/") for concept in listed["concepts"])


# --- bad arguments: errors with a reason, never a traceback ---------------------------------------


def test_bad_arguments_get_a_tool_error_with_a_clear_message() -> None:
    calls = [
        ("ask", {"text": "which plugin", "facts": {"deployment": "mars"}}, "unknown value 'mars' of fact 'deployment'"),
        ("ask", {"text": "which plugin", "facts": {"colour": "red"}}, "unknown fact 'colour'"),
        ("ask", {"text": 42}, "`text` must be a string"),
        ("ask", {}, "`text` is required"),
        ("ask", {"text": "plugin " * 20_000}, "`text` is too long"),
        ("ask", {"text": "x", "kb": "nosuchkb"}, "unknown knowledge base 'nosuchkb' (bundled: alerting, grafana"),
        ("ask", {"text": "x", "kb": "/"}, "holds no kb.yaml"),
        ("explain", {"concept": "teapot"}, "unknown concept 'teapot' (concepts: "),
        ("compare", {"concepts": ["data-source"], "columns": ["colour"]}, "colour"),
        ("compare", {}, "name the concepts to compare"),
        ("list_concepts", {"verbose": True}, "unknown argument 'verbose'"),
    ]

    async def scenario(session: ClientSession) -> list[Any]:
        return [await session.call_tool(name, arguments) for name, arguments, _ in calls]

    for (name, arguments, message), result in zip(calls, with_server(scenario)):
        assert result.is_error, (name, arguments)
        text = result.content[0].text
        assert message in text, (name, text)
        assert "Traceback" not in text


def test_an_unknown_tool_or_resource_is_an_mcp_error() -> None:
    async def scenario(session: ClientSession) -> list[str]:
        messages = []
        for call in (
            lambda: session.call_tool("delete_everything", {}),
            lambda: session.read_resource("advisor://grafana/concepts/../../../etc/passwd"),
            lambda: session.read_resource("file:///etc/passwd"),
            lambda: session.read_resource("advisor://grafana/faq/no-such-entry"),
            lambda: session.read_resource("advisor://elsewhere/concepts/data-source"),
        ):
            with pytest.raises(MCPError) as caught:
                await call()
            messages.append(caught.value.message)
        return messages

    tool, traversal, scheme, faq, kb = with_server(scenario)
    assert "unknown tool 'delete_everything'" in tool
    assert "unknown resource" in traversal and "unknown resource" in scheme
    assert "unknown FAQ entry 'no-such-entry'" in faq
    assert "unknown knowledge base 'elsewhere'" in kb


def test_the_command_without_a_knowledge_base_fails_with_a_message() -> None:
    run = subprocess.run([sys.executable, "-m", "advisor", "mcp", "--kb", "nosuchkb"], capture_output=True, text=True, timeout=60, stdin=subprocess.DEVNULL)
    assert run.returncode == 2
    assert "unknown knowledge base 'nosuchkb'" in run.stderr and "Traceback" not in run.stderr


# --- knowledge bases: bundled by name, others by path ---------------------------------------------


def copy_kb(tmp_path: Path, name: str) -> Path:
    folder = tmp_path / name
    shutil.copytree(GRAFANA, folder, ignore=shutil.ignore_patterns(".cache"))
    return folder


def test_a_bundled_knowledge_base_is_a_data_folder_holding_kb_yaml(tmp_path: Path) -> None:
    copy_kb(tmp_path, "beta")
    copy_kb(tmp_path, "alpha")
    (tmp_path / "schema").mkdir()
    (tmp_path / "notes").mkdir()
    (tmp_path / "notes" / "concepts.yaml").write_text("[]\n", encoding="utf-8")
    assert list(bundled_knowledge_bases(tmp_path)) == ["alpha", "beta"]
    library = Library("alpha", root=tmp_path)
    assert library.list_concepts()["kb"] == "alpha"
    assert library.list_concepts("beta")["knowledge_bases"] == ["alpha", "beta"]
    assert {item.uri.split("/")[2] for item in library.resources()} == {"alpha", "beta"}


def test_a_knowledge_base_folder_is_reached_by_path(tmp_path: Path) -> None:
    folder = copy_kb(tmp_path, "mine")

    async def scenario(session: ClientSession) -> tuple[Any, Any, Any]:
        by_path = await session.call_tool("list_concepts", {})
        bundled = await session.call_tool("explain", {"concept": "plugin", "kb": "grafana"})
        page = await session.read_resource("advisor://mine/concepts/plugin")
        return by_path.structured_content, bundled.structured_content, page.contents[0].text

    listed, explained, page = with_server(scenario, "--kb", str(folder))
    assert listed["kb"] == "mine" and "mine" in listed["knowledge_bases"] and "grafana" in listed["knowledge_bases"]
    assert explained["id"] == "plugin"
    assert page.startswith("# Plugin\n")


def test_a_broken_knowledge_base_is_reported_with_file_and_line(tmp_path: Path) -> None:
    folder = copy_kb(tmp_path, "broken")
    concepts = folder / "concepts.yaml"
    concepts.write_text(concepts.read_text(encoding="utf-8") + "\n  - id: [unclosed\n", encoding="utf-8")
    with pytest.raises(KnowledgeBaseError) as caught:
        Library().explain("plugin", kb=str(folder))
    assert "concepts.yaml" in str(caught.value)

    async def scenario(session: ClientSession) -> Any:
        return await session.call_tool("explain", {"concept": "plugin", "kb": str(folder)})

    result = with_server(scenario)
    assert result.is_error
    assert "concepts.yaml:" in result.content[0].text and "Traceback" not in result.content[0].text


# --- in process ------------------------------------------------------------------------------------


def test_call_tool_checks_the_arguments_before_running_a_tool() -> None:
    library = Library()
    with pytest.raises(ToolError, match="unknown tool"):
        call_tool(library, "nope", {})
    with pytest.raises(ToolError, match="required"):
        call_tool(library, "explain", {})
    assert call_tool(library, "explain", {"concept": "plugin"})["id"] == "plugin"


def test_site_links_become_resource_addresses() -> None:
    page = "concepts/plugin/index.md"
    text = "[A](../data-source/index.md) [B](../../faq/index.md#why) [C](https://example.org/x) [D](../../compare/index.md)"
    assert resource_links(text, page, "kb") == (
        "[A](advisor://kb/concepts/data-source) [B](advisor://kb/faq/why) [C](https://example.org/x) [D](../../compare/index.md)"
    )


def test_the_other_commands_do_not_load_the_sdk() -> None:
    code = (
        "import sys, io, contextlib\n"
        "from advisor.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        "    main(['ask', 'which plugin for mongodb', '--json'])\n"
        "    main(['explain', 'plugin'])\n"
        "print(sorted(name for name in sys.modules if name == 'mcp' or name.startswith(('mcp.', 'mcp_types'))))\n"
    )
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, cwd=ROOT)
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip() == "[]"


def test_without_the_sdk_the_command_says_how_to_install_it() -> None:
    code = "import sys\nsys.modules['mcp'] = None  # as if the extra were not installed\nfrom advisor.cli import main\nsys.exit(main(['mcp']))\n"
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, cwd=ROOT, stdin=subprocess.DEVNULL)
    assert run.returncode == 2
    assert "pip install 'concept-advisor[mcp]'" in run.stderr and "Traceback" not in run.stderr


def test_a_folder_named_like_a_bundled_knowledge_base_gets_a_name_of_its_own(tmp_path: Path) -> None:
    folder = copy_kb(tmp_path, "grafana")
    library = Library()
    listed = library.list_concepts(str(folder))
    assert listed["kb"] == "grafana-2" and {"grafana", "grafana-2"} <= set(listed["knowledge_bases"])
    assert library.read("advisor://grafana-2/concepts/plugin").startswith("# Plugin\n")
    assert library.list_concepts("grafana")["kb"] == "grafana"
