"""Print what the MCP server costs: server start to first answer, and the added cost of a tool call.

- Start to first answer: from spawning `advisor mcp` to the first `ask` result in the SDK's own
  stdio client (process start, imports, initialize, one call), median of several starts, shown
  beside a bare interpreter start and an empty server of the same SDK (the floor the SDK's
  imports set), measured in the same run, and the CPU time the server process
  used (user + system, from its exit: what the wall time would be on an idle machine). Target: <= 1 s.
- Added cost of a tool call: the median `ask` round trip through the client and server, minus
  the median in-process query (`Library.ask`) over the same questions. Target: <= 5 ms.

Asserts nothing. Machine load shows in both figures: the script prints the load average.

    python bench/mcp.py [--starts N] [--rounds N]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

import anyio

ROOT = Path(__file__).resolve().parent.parent
# Run as a script, this file's folder comes first on the path, where its own name hides the SDK.
sys.path[:] = [entry for entry in sys.path if Path(entry or ".").resolve() != ROOT / "bench"]
sys.path.insert(0, str(ROOT))

from mcp import ClientSession, StdioServerParameters, stdio_client  # noqa: E402

from advisor.assistant import Library  # noqa: E402

sys.path.insert(0, str(ROOT / "tests"))
from kbtools import evaluation_questions  # noqa: E402


def _questions() -> list[str]:
    return evaluation_questions() or ["I want to monitor Redis", "grafana mongodb"]


#: The floor the SDK sets: a server of the same SDK whose one tool `ask` answers `{}` at once.
_EMPTY_SERVER = """
import anyio, mcp_types as types
from mcp.server import Server
from mcp.server.stdio import stdio_server

async def tools(ctx, params):
    return types.ListToolsResult(tools=[types.Tool(name="ask", input_schema={"type": "object"})])

async def call(ctx, params):
    return types.CallToolResult(content=[types.TextContent(text="{}")], structured_content={"status": "empty"})

async def main():
    server = Server("empty", on_list_tools=tools, on_call_tool=call)
    async with stdio_server() as (read, write):
        await server.run(read, write, server.create_initialization_options())

anyio.run(main)
"""


def _params(empty: bool = False) -> StdioServerParameters:
    args = ["-c", _EMPTY_SERVER] if empty else ["-m", "advisor", "mcp"]
    return StdioServerParameters(command=sys.executable, args=args, cwd=str(ROOT))


async def _first_answer(question: str, empty: bool = False) -> float:
    begin = time.perf_counter()
    async with stdio_client(_params(empty)) as (read, write):
        async with ClientSession(read, write) as session:
            await session.initialize()
            result = await session.call_tool("ask", {"text": question})
            elapsed = time.perf_counter() - begin
            assert not result.is_error and result.structured_content["status"]
    return elapsed


async def _round_trips(questions: list[str], rounds: int, empty: bool = False) -> list[float]:
    timings: list[float] = []
    async with stdio_client(_params(empty)) as (read, write):
        async with ClientSession(read, write) as session:
            await session.initialize()
            for question in questions:  # warm-up: the server loads the knowledge base once
                await session.call_tool("ask", {"text": question})
            for _ in range(rounds):
                for question in questions:
                    begin = time.perf_counter()
                    await session.call_tool("ask", {"text": question})
                    timings.append((time.perf_counter() - begin) * 1000)
    return timings


def _in_process(questions: list[str], rounds: int) -> list[float]:
    library = Library()
    for question in questions:
        library.ask(question)
    timings: list[float] = []
    for _ in range(rounds):
        for question in questions:
            begin = time.perf_counter()
            library.ask(question)
            timings.append((time.perf_counter() - begin) * 1000)
    return timings


def _bare_start() -> float:
    begin = time.perf_counter()
    subprocess.run([sys.executable, "-c", "pass"], check=True)
    return time.perf_counter() - begin


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--starts", type=int, default=7, help="server starts to time")
    parser.add_argument("--rounds", type=int, default=20, help="passes over the questions (tool calls and in-process)")
    options = parser.parse_args()
    questions = _questions()
    print(f"load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}; {os.cpu_count()} CPUs")

    anyio.run(_first_answer, questions[0])  # a first start may compile the cache and byte code
    starts: list[float] = []
    bare: list[float] = []
    cpu: list[float] = []
    empty: list[float] = []
    for _ in range(options.starts):  # interleaved, so machine load affects all alike
        bare.append(_bare_start())
        empty.append(anyio.run(_first_answer, questions[0], True))
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        starts.append(anyio.run(_first_answer, questions[0]))
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu.append(after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime)
    first = statistics.median(starts) * 1000
    bare_ms = statistics.median(bare) * 1000
    print(f"server start to first answer: {first:.0f} ms (median of {options.starts}; min {min(starts) * 1000:.0f} ms)   (target <= 1000 ms)")
    print(f"  a bare interpreter start: {bare_ms:.0f} ms; ratio {first / bare_ms:.1f}x")
    print(f"  an empty server of the same SDK (one tool answering {{}}): {statistics.median(empty) * 1000:.0f} ms; ratio {first / (statistics.median(empty) * 1000):.2f}x")
    print(f"  CPU time of the server process (start, one answer, exit): {statistics.median(cpu) * 1000:.0f} ms (median)")

    trips = anyio.run(_round_trips, questions, options.rounds)
    local = _in_process(questions, options.rounds)
    floor = anyio.run(_round_trips, questions, options.rounds, True)
    trip_ms = statistics.median(trips)
    local_ms = statistics.median(local)
    print(f"ask over MCP: {len(trips)} calls over {len(questions)} questions: p50 {trip_ms:.2f} ms; in process: p50 {local_ms:.3f} ms")
    print(f"  added cost of a tool call: {trip_ms - local_ms:.2f} ms (p50 difference)   (target <= 5 ms)")
    size = statistics.median(len(json.dumps(Library().ask(question))) for question in questions)
    print(f"  a call to the empty server of the same SDK: p50 {statistics.median(floor):.2f} ms (an answer of ask is ~{size / 1024:.0f} KB of JSON, sent as structured content and as text)")


if __name__ == "__main__":
    main()
