"""The `advisor` command: validate, compare, explain, ask, quiz, render, export and mcp.

Exit codes: 0 on success (for `ask`, whatever its status); 1 when `render --check` finds
drift, or when the output cannot be written (standard output closed or full, a closed pipe);
2 for bad usage or a broken knowledge base; 130 when interrupted. Errors go to stderr as one
line each, never a traceback, whatever bytes come in arguments, on standard input or in files.
Heavy modules are imported inside each command so that `advisor ask` starts fast.
"""

from __future__ import annotations

import argparse
import errno
import json
import os
import sys
from typing import TYPE_CHECKING, Callable, Sequence

from advisor.errors import UsageError

if TYPE_CHECKING:
    from pathlib import Path


def _kb_option(args: argparse.Namespace) -> Path | None:
    """The folder `--kb` names (a path or a bundled name such as `alerting`), or `None` for the default."""
    from advisor.paths import resolve_kb

    kb = getattr(args, "kb", None)
    return resolve_kb(kb) if kb else None


def _kb_path(args: argparse.Namespace) -> Path:
    from advisor.paths import default_kb_path

    return _kb_option(args) or default_kb_path()


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


#: The most `advisor ask -` reads from standard input (a question, not a document).
MAX_QUESTION_CHARS = 100_000


def read_stdin(what: str) -> str:
    """Return standard input as text (bytes that are not UTF-8 become U+FFFD), for `ask -`."""
    stream = sys.stdin
    if stream is None:
        raise UsageError(f"standard input is closed: nothing to read {what} from")
    buffer = getattr(stream, "buffer", None)
    if buffer is not None:
        data = buffer.read(MAX_QUESTION_CHARS * 4 + 1)
        if len(data) > MAX_QUESTION_CHARS * 4:
            raise UsageError(f"{what} on standard input is too long (more than {MAX_QUESTION_CHARS:,} characters)")
        text = data.decode("utf-8", "replace")
    else:
        text = stream.read(MAX_QUESTION_CHARS + 1)
    if len(text) > MAX_QUESTION_CHARS:
        raise UsageError(f"{what} on standard input is too long (more than {MAX_QUESTION_CHARS:,} characters)")
    return " ".join(text.split())


def cmd_validate(args: argparse.Namespace) -> int:
    """Load the knowledge base, check it (and lint its rules); print a summary."""
    from datetime import date

    from advisor.lint import lint

    kb = _load(args)
    warnings: list[str] = lint(kb, today=date.today(), max_age_days=args.max_age)
    # one write: standard error is line-buffered, and a large knowledge base can have many warnings
    sys.stderr.write("".join(f"warning: {warning}\n" for warning in warnings))
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

    text = read_stdin("the question") if args.text == "-" else args.text or ""
    return run_ask(_kb_option(args), text, args.fact, args.json)


def cmd_quiz(args: argparse.Namespace) -> int:
    """Ask the follow-up questions interactively until an answer is reached."""
    from advisor.console import run_quiz

    if sys.stdin is None:
        raise UsageError("standard input is closed: `advisor quiz` reads your answers from it")
    return run_quiz(_kb_option(args), args.text or "", args.fact)


def cmd_render(args: argparse.Namespace) -> int:
    """Write the generated pages as Markdown files into a folder, or check a folder for drift.

    With `--check` nothing is written: exit 1 when the folder differs from what the data gives,
    printing which files differ (0 when the same). Exit 2 when the folder cannot be written.
    """
    from advisor.graph import build_graph
    from advisor.load import load_knowledge_base
    from advisor.render.site import RenderError, diff_site, render_site, write_site

    pages = render_site(build_graph(load_knowledge_base(_kb_option(args))))
    from pathlib import Path

    folder = Path(args.out).expanduser()
    if args.check:
        problems = diff_site(pages, folder)
        for line in problems:
            print(line)
        if problems:
            print(f"advisor: {folder} is out of date ({len(problems)} file(s)); run `advisor render --out {folder}`", file=sys.stderr)
            return 1
        print(f"{folder}: up to date ({len(pages)} pages)")
        return 0
    try:
        write_site(pages, folder)
    except (RenderError, OSError) as error:
        raise UsageError(str(error)) from None
    print(f"{folder}: wrote {len(pages)} pages")
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    """Write the compiled knowledge base as one JSON bundle for the browser advisor (`-`: stdout)."""
    from advisor.bundle import bundle_bytes, export_bundle, write_atomically

    data = bundle_bytes(export_bundle(_kb_option(args)))
    if args.out == "-":
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
        return 0
    from pathlib import Path

    out = Path(args.out).expanduser()
    if out.is_dir():
        raise UsageError(f"--out {args.out}: is a folder; name the file to write, e.g. {out / 'bundle.json'}")
    try:
        write_atomically(out, data)
    except OSError as error:
        raise UsageError(f"cannot write {args.out}: {error.strerror or error}") from None
    print(f"wrote {out} ({len(data)} bytes)", file=sys.stderr)
    return 0


def cmd_test(args: argparse.Namespace) -> int:
    """Run the knowledge base's examples (and cross-validate); exit 1 when one fails."""
    from advisor.compile import load_compiled
    from advisor.examples import cross_validate, format_report, report_json, run_examples

    kb = _load(args)
    if not kb.examples:
        raise UsageError(f"{kb.path} has no examples.yaml: nothing to test")
    compiled = load_compiled(_kb_option(args))
    reports = {"examples": run_examples(compiled, kb.examples)}
    if args.cross_validate:
        if args.cross_validate < 2 or args.cross_validate > len(kb.examples):
            raise UsageError(f"--cross-validate takes 2 to {len(kb.examples)} folds")
        reports["cross-validation"] = cross_validate(compiled, kb.examples, args.cross_validate)
    if args.json:
        print(report_json(reports))
    else:
        limit = None if args.all else 30
        print(format_report(reports["examples"], f"Examples of {kb.path}", limit))
        if "cross-validation" in reports:
            print()
            print(format_report(reports["cross-validation"], f"Cross-validated, {args.cross_validate} folds (each scored by a model trained on the others)", limit))
    return 0 if not reports["examples"].failures else 1


def _validate_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--max-age", type=int, metavar="DAYS", default=None,
        help="warn about data files last reviewed more than DAYS ago (default: review_within_days of kb.yaml, else 183)",
    )


def _test_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--cross-validate", type=int, default=0, metavar="K", help="also score each of K folds with a text model trained on the others")
    parser.add_argument("--all", action="store_true", help="list every miss (default: the first 30)")
    parser.add_argument("--json", action="store_true", help="print the reports as JSON")


def _compare_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("concepts", nargs="*", metavar="ID", help="concept ids (rows), in order")
    parser.add_argument("--columns", action="append", metavar="A,B", help="attributes to show (columns), comma-separated")
    parser.add_argument("--table", metavar="NAME", help="a named comparison of comparisons.yaml, e.g. summary")
    parser.add_argument("--format", choices=("text", "markdown", "html", "csv", "json"), default=None,
                        help="default: text on a terminal, markdown otherwise")


def _explain_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("concept", metavar="ID")
    parser.add_argument("--json", action="store_true", help="print JSON")


def _ask_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("text", nargs="?", default="", metavar="TEXT", help="your situation or question, in your words (- to read it from standard input)")
    parser.add_argument("--fact", action="append", default=[], metavar="KEY=VALUE", help="a fact you know (repeatable)")
    parser.add_argument("--json", action="store_true", help="print the answer as one JSON object")


def _quiz_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("text", nargs="?", default="", metavar="TEXT", help="optional: start from a sentence")
    parser.add_argument("--fact", action="append", default=[], metavar="KEY=VALUE", help="a fact you know (repeatable)")


def _render_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--out", required=True, metavar="DIR", help="folder to write into")
    parser.add_argument("--check", action="store_true", help="write nothing; exit 1 if DIR differs from what the data gives")


def _export_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--out", required=True, metavar="FILE", help="file to write (- for stdout)")


def cmd_mcp(args: argparse.Namespace) -> int:
    """Serve the knowledge bases to AI assistants: a Model Context Protocol server over stdio."""
    from advisor.mcp_server import run_mcp

    return run_mcp(args.kb)


class Command:
    """One subcommand: its name, one-line help, how to declare its arguments and how to run it.

    A plain class: a named tuple would cost a millisecond of `advisor ask`'s start-up.
    """

    __slots__ = ("name", "help", "run", "arguments")

    def __init__(self, name: str, help: str, run: Callable[[argparse.Namespace], int],
                 arguments: Callable[[argparse.ArgumentParser], None] | None = None) -> None:
        self.name = name
        self.help = help
        self.run = run
        self.arguments = arguments


#: The subcommands, in the order `advisor --help` lists them. Each takes `--kb PATH`.
COMMANDS: list[Command] = [
    Command("validate", "check the knowledge base and lint its rules", cmd_validate, _validate_arguments),
    Command("test", "run the knowledge base's examples: accuracy, misses, confusion (exit 1 when one not marked known_miss fails)", cmd_test, _test_arguments),
    Command("compare", "compare concepts side by side", cmd_compare, _compare_arguments),
    Command("explain", "everything the graph knows of a concept", cmd_explain, _explain_arguments),
    Command("ask", "which should I use? ask in a plain sentence", cmd_ask, _ask_arguments),
    Command("quiz", "answer a few questions, get a recommendation", cmd_quiz, _quiz_arguments),
    Command("render", "write the generated pages as Markdown files", cmd_render, _render_arguments),
    Command("export", "write the browser bundle (compiled knowledge base, JSON)", cmd_export, _export_arguments),
    Command("mcp", "serve the advisor to AI assistants (MCP over stdio; --kb also takes a bundled name)", cmd_mcp),
]


class _HelpFormatter(argparse.HelpFormatter):
    """argparse's formatter, told the terminal's width: its default asks `shutil`, whose import
    (with zlib, bz2 and lzma) is a tenth of `advisor ask`'s start-up time."""

    def __init__(self, prog: str, indent_increment: int = 2, max_help_position: int = 24, width: int | None = None) -> None:
        if width is None:
            try:
                width = int(os.environ.get("COLUMNS", "0"))
            except ValueError:
                width = 0
            if width <= 0:
                try:
                    width = os.get_terminal_size(sys.stdout.fileno()).columns
                except (OSError, ValueError, AttributeError):
                    width = 80
            width -= 2
        super().__init__(prog, indent_increment, max_help_position, width)


def _description(argv: Sequence[str] | None) -> str:
    """What `advisor --help` says, naming the knowledge base `--kb` chooses (read only for help)."""
    words = list(argv or [])
    if "-h" not in words and "--help" not in words:
        return "Ask, browse and compare a concept knowledge base."
    from advisor.paths import resolve_kb

    chosen = None
    for position, word in enumerate(words):
        if word == "--kb" and position + 1 < len(words):
            chosen = words[position + 1]
        elif word.startswith("--kb="):
            chosen = word.split("=", 1)[1]
    title = ""
    try:
        import yaml

        data = yaml.safe_load((resolve_kb(chosen) / "kb.yaml").read_text(encoding="utf-8"))
        title = str(data.get("title", "")) if isinstance(data, dict) else ""
    except (OSError, ValueError, yaml.YAMLError):
        title = ""
    return f"Ask, browse and compare a concept knowledge base: {title}." if title else "Ask, browse and compare a concept knowledge base."


def build_parser(argv: Sequence[str] | None = None) -> argparse.ArgumentParser:
    """Return the argument parser of the `advisor` command, one subparser per entry of `COMMANDS`
    (`argv` only names the knowledge base its help describes)."""
    from advisor.paths import default_name

    kb_help = f"knowledge base: a folder, or the name of a bundled one (default: $ADVISOR_KB, else {default_name()})"
    kb_option = argparse.ArgumentParser(add_help=False, formatter_class=_HelpFormatter)
    # SUPPRESS: a --kb given before the subcommand is not overwritten by the subcommand's default
    kb_option.add_argument("--kb", metavar="PATH|NAME", default=argparse.SUPPRESS, help=kb_help)

    parser = argparse.ArgumentParser(prog="advisor", description=_description(argv), formatter_class=_HelpFormatter)
    parser.add_argument("--kb", metavar="PATH|NAME", default=None, help=kb_help)
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for command in COMMANDS:
        sub = commands.add_parser(command.name, parents=[kb_option], help=command.help, formatter_class=_HelpFormatter)
        if command.arguments is not None:
            command.arguments(sub)
        sub.set_defaults(run=command.run)
    return parser


class _ClosedOutput:
    """Stands in for a closed standard output: any write fails as writing to a closed file does."""

    def write(self, text: str | bytes) -> int:
        raise OSError(errno.EBADF, "standard output is closed")

    def flush(self) -> None:
        return None

    @property
    def buffer(self) -> "_ClosedOutput":
        return self


#: Errors of writing the output: standard output closed or full, the disk failing.
_OUTPUT_ERRNOS = frozenset({errno.EBADF, errno.ENOSPC, errno.EIO, errno.EDQUOT, errno.EFBIG})


def _readable(value: str) -> str:
    """An argument as text that can be printed: bytes that are not UTF-8 become U+FFFD."""
    return value.encode("utf-8", "surrogateescape").decode("utf-8", "replace")


def _guard_streams() -> None:
    """Make the standard streams safe: undecodable input and unencodable output are replaced,
    never raised; a closed standard output fails only when something is written to it."""
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            reconfigure(errors="replace")
    reconfigure = getattr(sys.stdin, "reconfigure", None)
    if reconfigure is not None:
        reconfigure(errors="replace")
    if sys.stdout is None:
        sys.stdout = _ClosedOutput()  # type: ignore[assignment,unused-ignore]
    if sys.stderr is None:
        sys.stderr = open(os.devnull, "w", encoding="utf-8")


def _silence_stdout() -> None:
    """After a failed write, point file descriptor 1 at /dev/null so that the interpreter's
    final flush cannot fail again (and print a message of its own)."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, AttributeError, ValueError):
        pass


def _report(problems: Sequence[object], what: str) -> None:
    count = len(problems)
    print(f"advisor: {what} {count} problem{'s' if count != 1 else ''}:", file=sys.stderr)
    for problem in problems:
        print(f"  {problem}", file=sys.stderr)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the `advisor` command and return its exit code (0, 1 or 2; 130 when interrupted).

    Whatever comes from outside (arguments, standard input, files, the state of standard
    output) ends in a one-line message on stderr, never a traceback: bad usage or a broken
    knowledge base exit 2; output that cannot be written (closed, full, a closed pipe) exits 1.
    """
    from advisor.errors import KnowledgeBaseError

    process = argv is None
    if process:
        _guard_streams()
        argv = [_readable(value) for value in sys.argv[1:]]
    parser = build_parser(argv)
    args = parser.parse_args(argv)
    run: Callable[[argparse.Namespace], int] = args.run
    try:
        code = run(args)
        sys.stdout.flush()
        return code
    except KnowledgeBaseError as error:
        _report(error.problems, "the knowledge base has")
        return 2
    except UsageError as error:
        print(f"advisor: {error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print(file=sys.stderr)
        return 130
    except BrokenPipeError:
        # The reader went away (`advisor ask ... | head -1`): nothing to say, and nobody to say it to.
        if process:
            _silence_stdout()
        return 1
    except OSError as error:
        if error.errno not in _OUTPUT_ERRNOS:
            where = f"{error.filename}: " if error.filename else ""
            print(f"advisor: {where}{error.strerror or error}", file=sys.stderr)
            return 2
        print(f"advisor: cannot write the output: {error.strerror or error}", file=sys.stderr)
        if process:
            _silence_stdout()
        return 1


if __name__ == "__main__":
    raise SystemExit(main())
