"""The `advisor mcp` command: the knowledge bases as a Model Context Protocol server over stdio.

Built on the official `mcp` SDK (`pip install 'concept-advisor[mcp]'`), imported only here so
that the other commands start without it. The tools and resources themselves live in
[`advisor.assistant`][advisor.assistant]; this module describes them to the client and turns
their answers and errors into MCP results: a tool's answer is its structured content (and the
same JSON as text), a bad argument a tool error with the reason, an unknown tool or resource an
MCP error (invalid params). Nothing is written to stdout but the protocol.
"""

from __future__ import annotations

import json
import sys
from typing import Any

from advisor import __version__
from advisor.assistant import SCHEME, Library, ToolError, call_tool
from advisor.errors import KnowledgeBaseError

#: A knowledge base by bundled name or folder (every tool takes it).
_KB = {
    "type": "string",
    "description": "Which knowledge base to consult: a bundled name (see list_concepts, `knowledge_bases`) or the path of a "
    "knowledge base folder. Default: the server's knowledge base (the bundled default one unless started with --kb).",
}

#: name -> (description, input schema): the descriptions tell an assistant when to call each tool.
TOOL_SPECS: dict[str, tuple[str, dict[str, Any]]] = {
    "ask": (
        "Recommend what to use, from a sourced, deterministic knowledge base, instead of guessing. Call it when the person "
        "describes a situation and is unsure which of the easily confused concepts of a knowledge base they need (see "
        "list_concepts), or asks 'which should I use?' or 'do I need to install something to ...'. Pass their words unchanged as `text`. Returns the advisor's answer object: "
        "`status` is `answer` (a `recommendation` with reasons, next steps and `alternatives` with why not), `question` "
        "(one follow-up `question` to put to the person: call again with its answer in `facts`), `faq` (a known "
        "confusion point, answered) or `out-of-scope`.",
        {
            "type": "object",
            "properties": {
                "text": {"type": "string", "description": "The person's situation or question, in their words."},
                "facts": {
                    "type": "object",
                    "description": "Facts already known, fact id -> value id, e.g. {\"deployment\": \"cloud\"}: the answer to an "
                    "earlier follow-up question (its `question.fact` and one of its `question.options`).",
                    "additionalProperties": {"type": "string"},
                },
                "kb": _KB,
            },
            "required": ["text"],
            "additionalProperties": False,
        },
    ),
    "explain": (
        "Explain one concept exactly as the knowledge base defines it: what it is, what kind of thing it is, where it "
        "applies (self-hosted, cloud), what it includes, when to use it, examples, its relations to other concepts and "
        "the FAQ entries about it. Call it when the person asks what a term means ('what is a ...?') or before "
        "you describe a concept yourself. Accepts a concept id, name or alias.",
        {
            "type": "object",
            "properties": {
                "concept": {"type": "string", "description": "A concept id (see list_concepts), name or alias."},
                "kb": _KB,
            },
            "required": ["concept"],
            "additionalProperties": False,
        },
    ),
    "compare": (
        "Compare concepts side by side: one row per concept, one column per attribute (summary, purpose, where it "
        "applies, when to use it, examples, ...). Call it when the person asks how two or more things differ ('A vs B') "
        "or wants a table. Give `concepts`, or `table` for a named comparison from "
        "list_concepts. Returns {columns, rows}.",
        {
            "type": "object",
            "properties": {
                "concepts": {"type": "array", "items": {"type": "string"}, "description": "Concept ids (rows), in order."},
                "columns": {
                    "type": "array",
                    "items": {"type": "string"},
                    "description": "Attributes to show (columns), e.g. [\"summary\", \"applies_to\", \"use_when\"]. Default: the usual columns.",
                },
                "table": {"type": "string", "description": "A named comparison table instead (see list_concepts, `comparisons`)."},
                "kb": _KB,
            },
            "additionalProperties": False,
        },
    ),
    "list_concepts": (
        "List the concepts a knowledge base defines (id, name, one-line summary, aliases, resource address), its named "
        "comparison tables and every bundled knowledge base. Call it first when you need the exact concept ids for "
        "explain or compare, or to see what the advisor covers.",
        {"type": "object", "properties": {"kb": _KB}, "additionalProperties": False},
    ),
}

def bundled_titles(library: Library) -> list[str]:
    """The titles of the bundled knowledge bases (from their `kb.yaml`; the name where it has none)."""
    import yaml

    titles = []
    for name, path in library.bundled.items():
        try:
            data = yaml.safe_load((path / "kb.yaml").read_text(encoding="utf-8"))
        except (OSError, ValueError, yaml.YAMLError):
            data = None
        titles.append(str(data.get("title") or name) if isinstance(data, dict) else name)
    return titles


def tool_descriptions(titles: list[str]) -> dict[str, str]:
    """Each tool's description; `ask`'s names the bundled knowledge bases (their `titles`), so that
    an assistant knows which questions it answers."""
    descriptions = {name: description for name, (description, _) in TOOL_SPECS.items()}
    if titles:
        descriptions["ask"] += " Bundled knowledge bases: " + "; ".join(titles) + "."
    return descriptions


def instructions(titles: list[str]) -> str:
    """What the server tells an assistant about itself, naming the bundled knowledge bases by their `titles`."""
    bundled = f" (bundled: {'; '.join(titles)})" if titles else ""
    return (
        f"A deterministic, sourced advisor over documentation knowledge bases{bundled}. Prefer its answers to guessing "
        "when a person is unsure which of a knowledge base's concepts they need; quote the concept pages and FAQ entries "
        f"(resources {SCHEME}://KB/concepts/ID and {SCHEME}://KB/faq/ID) with their sources."
    )


def build_server(library: Library) -> Any:
    """Return the MCP server (the SDK's low-level `Server`) answering from `library`."""
    import mcp_types as types
    from mcp.server import Server
    from mcp.shared.exceptions import MCPError

    # the bundled knowledge bases are fixed for the server's life: their titles are read once
    titles = bundled_titles(library)
    descriptions = tool_descriptions(titles)

    async def list_tools(ctx: Any, params: Any) -> Any:
        # Every tool only reads the knowledge base: same arguments, same answer.
        hints = types.ToolAnnotations(read_only_hint=True, destructive_hint=False, idempotent_hint=True, open_world_hint=False)
        return types.ListToolsResult(
            tools=[
                types.Tool(name=name, description=descriptions[name], input_schema=schema, annotations=hints)
                for name, (_, schema) in TOOL_SPECS.items()
            ]
        )

    async def call(ctx: Any, params: Any) -> Any:
        if params.name not in TOOL_SPECS:
            raise MCPError(types.INVALID_PARAMS, f"unknown tool {params.name!r} (tools: {', '.join(TOOL_SPECS)})")
        try:
            result = call_tool(library, params.name, params.arguments)
        except ToolError as error:
            return types.CallToolResult(content=[types.TextContent(text=str(error))], is_error=True)
        except KnowledgeBaseError as error:
            return types.CallToolResult(content=[types.TextContent(text=_problems(error))], is_error=True)
        text = json.dumps(result, ensure_ascii=False, separators=(",", ":"))
        return types.CallToolResult(content=[types.TextContent(text=text)], structured_content=result)

    async def list_resources(ctx: Any, params: Any) -> Any:
        try:
            found = library.resources()
        except KnowledgeBaseError as error:
            raise MCPError(types.INTERNAL_ERROR, _problems(error)) from None
        return types.ListResourcesResult(
            resources=[
                types.Resource(uri=item.uri, name=item.name, title=item.title, description=item.description, mime_type="text/markdown")
                for item in found
            ]
        )

    async def list_templates(ctx: Any, params: Any) -> Any:
        return types.ListResourceTemplatesResult(
            resource_templates=[
                types.ResourceTemplate(
                    uri_template=f"{SCHEME}://{{kb}}/concepts/{{id}}", name="concept", title="Concept page",
                    description="A concept's page (Markdown), with its sources.", mime_type="text/markdown",
                ),
                types.ResourceTemplate(
                    uri_template=f"{SCHEME}://{{kb}}/faq/{{id}}", name="faq", title="FAQ entry",
                    description="A frequently confused point, answered (Markdown), with its sources.", mime_type="text/markdown",
                ),
            ]
        )

    async def read_resource(ctx: Any, params: Any) -> Any:
        uri = str(params.uri)
        try:
            text = library.read(uri)
        except ToolError as error:
            raise MCPError(types.INVALID_PARAMS, str(error)) from None
        except KnowledgeBaseError as error:
            raise MCPError(types.INTERNAL_ERROR, _problems(error)) from None
        return types.ReadResourceResult(contents=[types.TextResourceContents(uri=uri, mime_type="text/markdown", text=text)])

    return Server(
        "concept-advisor",
        version=__version__,
        title="concept-advisor",
        instructions=instructions(titles),
        on_list_tools=list_tools,
        on_call_tool=call,
        on_list_resources=list_resources,
        on_list_resource_templates=list_templates,
        on_read_resource=read_resource,
    )


def _problems(error: KnowledgeBaseError) -> str:
    count = len(error.problems)
    lines = [f"the knowledge base has {count} problem{'s' if count != 1 else ''}:", *(f"  {problem}" for problem in error.problems)]
    return "\n".join(lines)


async def serve(library: Library) -> None:
    """Serve `library` over stdin and stdout until the client closes them."""
    from mcp.server.stdio import stdio_server

    server = build_server(library)
    async with stdio_server() as (read_stream, write_stream):
        await server.run(read_stream, write_stream, server.create_initialization_options())


def run_mcp(kb: str | None = None) -> int:
    """Run the server (the `advisor mcp` command) with `kb` (a bundled name or a folder) as its
    default knowledge base; [`UsageError`][advisor.errors.UsageError] when the SDK is not
    installed or `kb` is no knowledge base."""
    from advisor.errors import UsageError

    try:
        import anyio
        import mcp  # noqa: F401 (checks the extra is installed)
    except ImportError:
        raise UsageError("the MCP server needs the `mcp` package: pip install 'concept-advisor[mcp]'") from None
    try:
        library = Library(kb)
    except ToolError as error:
        raise UsageError(f"--kb: {error}") from None
    try:
        anyio.run(serve, library)
    except KeyboardInterrupt:
        pass
    sys.stdout.flush()
    return 0
