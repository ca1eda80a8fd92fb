"""The `advisor` command: validate, compare, explain, ask, quiz, render and export.

Exit codes: 0 on success (for `ask`, whatever its status), 1 when `render --check` finds
drift, 2 for bad usage or a broken knowledge base (the errors go to stderr, never a traceback).
Heavy modules are imported inside each command so that `advisor ask` starts fast.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Callable, Sequence


class UsageError(Exception):
    """Bad input from the user: reported on stderr as one line, exit code 2."""


def _kb_path(args: argparse.Namespace) -> Path:
    from advisor.paths import default_kb_path

    return Path(args.kb).expanduser() if args.kb else default_kb_path()


def _load(args: argparse.Namespace):  # type: ignore[no-untyped-def]
    from advisor.load import load_knowledge_base

    return load_knowledge_base(_kb_path(args))


def _graph(args: argparse.Namespace):  # type: ignore[no-untyped-def]
    from advisor.graph import build_graph

    return build_graph(_load(args))


def _split(values: Sequence[str] | None) -> list[str]:
    """Accept `a,b c` as well as repeated values."""
    out: list[str] = []
    for value in values or []:
        out.extend(part.strip() for part in value.split(",") if part.strip())
    return out


def cmd_validate(args: argparse.Namespace) -> int:
    """Load the knowledge base, check it (and lint its rules); print a summary."""
    from advisor.lint import lint

    kb = _load(args)
    warnings: list[str] = lint(kb)
    for warning in warnings:
        print(f"warning: {warning}", file=sys.stderr)
    print(
        f"{kb.path}: OK — {len(kb.concepts)} concepts, {len(kb.relations)} relations, "
        f"{len(kb.faq)} FAQ entries, {len(kb.products)} products, {len(kb.questions)} facts, "
        f"{len(kb.rules)} rules, {len(kb.comparisons)} comparisons"
        + (f", {len(warnings)} warning(s)" if warnings else "")
    )
    return 0


def cmd_compare(args: argparse.Namespace) -> int:
    """Print a comparison table of concepts by columns, or a named table."""
    from advisor.compare import CompareError, compare, default_columns, named_table
    from advisor.render.table import format_table

    graph = _graph(args)
    kb = graph.graph["kb"]
    try:
        if args.table:
            if args.concepts or args.columns:
                named = named_table(graph, args.table)
                concepts = _split(args.concepts) or [row.concept for row in named.rows]
                columns = _split(args.columns) or [column.id for column in named.columns]
                table = compare(graph, concepts, columns)
            else:
                table = named_table(graph, args.table)
        else:
            concepts = _split(args.concepts)
            if not concepts:
                raise UsageError("name the concepts to compare, or a table with --table NAME")
            table = compare(graph, concepts, _split(args.columns) or default_columns(graph))
    except CompareError as error:
        raise UsageError(str(error)) from None
    from advisor.terminal import Terminal

    terminal = Terminal(sys.stdout)
    fmt = args.format or ("text" if sys.stdout.isatty() else "markdown")  # a table on a terminal, Markdown in a pipe
    sys.stdout.write(format_table(table, fmt, {scope.id: scope.name for scope in kb.scopes}, terminal.width))
    return 0


def cmd_explain(args: argparse.Namespace) -> int:
    """Print everything the graph knows of one concept."""
    from advisor.graph import explain

    graph = _graph(args)
    if args.concept not in graph:
        known = ", ".join(graph.nodes)
        raise UsageError(f"unknown concept {args.concept!r} (known: {known})")
    data = explain(graph, args.concept)
    if args.json:
        print(json.dumps(data, indent=2, ensure_ascii=False))
        return 0
    print(f"{data['name']} ({data['id']})")
    print(f"  {data['summary']}")
    if data["kinds"]:
        print("  Kind of: " + " > ".join(data["kinds"]))
    if data["children"]:
        print("  Kinds: " + ", ".join(data["children"]))
    if data["applies_to"]:
        print("  Applies to: " + ", ".join(scope["name"] for scope in data["applies_to"]))
    if data["purpose"]:
        print(f"  Purpose: {data['purpose']}")
    for title, key in (("Includes", "includes"), ("Notes", "notes"), ("Examples", "examples")):
        if data[key]:
            print(f"  {title}:")
            for item in data[key]:
                print(f"    - {item}")
    if data["use_when"]:
        print("  Use it when:")
        for criterion in data["use_when"]:
            print(f"    - {criterion['text']}")
    if data["relations_out"] or data["relations_in"]:
        print("  Relations:")
        for edge in data["relations_out"]:
            print(f"    - {data['id']} {edge['label']} {edge['to']}")
        for edge in data["relations_in"]:
            print(f"    - {edge['from']} {edge['label']} {data['id']}")
    if data["faq"]:
        print("  FAQ:")
        for entry in data["faq"]:
            print(f"    - {entry['question']}")
    return 0


def cmd_ask(args: argparse.Namespace) -> int:
    """Answer a plain-sentence question with a recommendation, a question, an FAQ entry or out-of-scope."""
    from advisor.console import run_ask

    return run_ask(args)


def cmd_quiz(args: argparse.Namespace) -> int:
    """Ask the follow-up questions interactively until an answer is reached."""
    from advisor.console import run_quiz

    return run_quiz(args)


def cmd_render(args: argparse.Namespace) -> int:
    """Write the generated pages as Markdown files into a folder, or check a folder for drift."""
    from advisor.render.site import run_render

    return run_render(args)


def cmd_export(args: argparse.Namespace) -> int:
    """Write the compiled knowledge base as one JSON bundle for the browser advisor."""
    from advisor.bundle import run_export

    return run_export(args)


def build_parser() -> argparse.ArgumentParser:
    """Return the argument parser of the `advisor` command."""
    kb_option = argparse.ArgumentParser(add_help=False)
    kb_option.add_argument("--kb", metavar="PATH", help="knowledge base folder (default: the bundled Grafana one)")

    parser = argparse.ArgumentParser(
        prog="advisor",
        description="Ask, browse and compare a concept knowledge base (bundled: Grafana data sources, plugins and integrations).",
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    validate = commands.add_parser("validate", parents=[kb_option], help="check the knowledge base and lint its rules")
    validate.set_defaults(run=cmd_validate)

    compare = commands.add_parser("compare", parents=[kb_option], help="compare concepts side by side")
    compare.add_argument("concepts", nargs="*", metavar="ID", help="concept ids (rows), in order")
    compare.add_argument("--columns", action="append", metavar="A,B", help="attributes to show (columns), comma-separated")
    compare.add_argument("--table", metavar="NAME", help="a named comparison of comparisons.yaml, e.g. summary")
    compare.add_argument("--format", choices=("text", "markdown", "html", "csv", "json"), default=None,
                         help="default: text on a terminal, markdown otherwise")
    compare.set_defaults(run=cmd_compare)

    explain = commands.add_parser("explain", parents=[kb_option], help="everything the graph knows of a concept")
    explain.add_argument("concept", metavar="ID")
    explain.add_argument("--json", action="store_true", help="print JSON")
    explain.set_defaults(run=cmd_explain)

    ask = commands.add_parser("ask", parents=[kb_option], help="which should I use? ask in a plain sentence")
    ask.add_argument("text", nargs="?", default="", metavar="TEXT", help="your situation or question, in your words")
    ask.add_argument("--fact", action="append", default=[], metavar="KEY=VALUE", help="a fact you know (repeatable)")
    ask.add_argument("--json", action="store_true", help="print the answer as one JSON object")
    ask.set_defaults(run=cmd_ask)

    quiz = commands.add_parser("quiz", parents=[kb_option], help="answer a few questions, get a recommendation")
    quiz.add_argument("text", nargs="?", default="", metavar="TEXT", help="optional: start from a sentence")
    quiz.add_argument("--fact", action="append", default=[], metavar="KEY=VALUE", help="a fact you know (repeatable)")
    quiz.set_defaults(run=cmd_quiz)

    render = commands.add_parser("render", parents=[kb_option], help="write the generated pages as Markdown files")
    render.add_argument("--out", required=True, metavar="DIR", help="folder to write into")
    render.add_argument("--check", action="store_true", help="write nothing; exit 1 if DIR differs from what the data gives")
    render.set_defaults(run=cmd_render)

    export = commands.add_parser("export", parents=[kb_option], help="write the browser bundle (compiled knowledge base, JSON)")
    export.add_argument("--out", required=True, metavar="FILE", help="file to write (- for stdout)")
    export.set_defaults(run=cmd_export)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the `advisor` command and return its exit code."""
    from advisor.errors import KnowledgeBaseError

    parser = build_parser()
    args = parser.parse_args(argv)
    run: Callable[[argparse.Namespace], int] = args.run
    try:
        return run(args)
    except KnowledgeBaseError as error:
        count = len(error.problems)
        print(f"advisor: the knowledge base has {count} problem{'s' if count != 1 else ''}:", file=sys.stderr)
        for problem in error.problems:
            print(f"  {problem}", file=sys.stderr)
        return 2
    except UsageError as error:
        print(f"advisor: {error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print(file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0


if __name__ == "__main__":
    raise SystemExit(main())
