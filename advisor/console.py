"""The `advisor ask` and `advisor quiz` commands: readable or JSON answers, on the fast path.

Nothing here imports YAML, JSON Schema or networkx: answers come from the compiled knowledge base
([`advisor.compile.load_compiled`][advisor.compile.load_compiled]).
"""

from __future__ import annotations

import json
import shlex
import sys
from typing import TYPE_CHECKING, Any, TextIO

if TYPE_CHECKING:
    from advisor.terminal import Terminal

from advisor.compile import load_compiled
from advisor.errors import UsageError
from advisor.rules import ask

if TYPE_CHECKING:
    from pathlib import Path


def _compiled(kb_path: Path | None) -> dict[str, Any]:
    return load_compiled(kb_path)  # None: the default knowledge base


def parse_facts(compiled: dict[str, Any], items: list[str] | None) -> dict[str, str]:
    """Turn `KEY=VALUE` strings into facts, raising [`UsageError`][advisor.errors.UsageError] for bad ones."""
    known = {fact["id"]: fact for fact in compiled["facts"]}
    facts: dict[str, str] = {}
    for item in items or []:
        if "=" not in item:
            raise UsageError(f"--fact {item!r}: expected KEY=VALUE, for example --fact {compiled['facts'][0]['id']}={compiled['facts'][0]['values'][0]['id']}" if compiled["facts"] else f"--fact {item!r}: expected KEY=VALUE")
        key, value = (part.strip() for part in item.split("=", 1))
        if key not in known:
            raise UsageError(f"--fact {item!r}: unknown fact {key!r} (known facts: {', '.join(known)})")
        values = [option["id"] for option in known[key]["values"]]
        if value not in values:
            raise UsageError(f"--fact {item!r}: unknown value {value!r} of fact {key!r} (valid values: {', '.join(values)})")
        facts[key] = value
    return facts


def _segments_text(parts: list[list[str]]) -> str:
    from advisor.terminal import code

    return "".join(code(part[1]) if part[0] == "code" else part[1] for part in parts)


def _name(item: dict[str, Any]) -> str:
    return str(item["name"]) + (f" [{item['badge']}]" if item.get("badge") else "")


def format_result(result: dict[str, Any], text: str = "", given: list[str] | None = None,
                  compiled: dict[str, Any] | None = None, terminal: Terminal | None = None) -> str:
    """Return an advisor answer in plain words (see [`readable`][advisor.answer_text.readable]),
    wrapped to the terminal's width, with colour only on a terminal."""
    # imported here: `advisor ask --json` starts without them
    from advisor.answer_text import readable
    from advisor.terminal import Terminal, code

    term = terminal or Terminal(None)
    view = readable(compiled or {}, result)
    lines: list[str] = []

    def heading(title: str) -> None:
        lines.append("")
        lines.append(term.style(title, "heading"))

    verdict = view["verdict"] + (f" [{view['badge']}]" if view["badge"] else "")
    lines.extend(term.wrap(verdict, style="verdict" if view["status"] == "answer" else "bold"))
    status = view["status"]
    if status == "answer":
        if view["summary"]:
            lines.extend(term.wrap(view["summary"], "  "))
        if view["why"]:
            heading("Why")
            lines.extend(term.wrap(" ".join(view["why"]), "  "))
        check = view["check"]
        if check is not None:
            heading("Your plan")
            lines.extend(term.wrap(check["text"], "  "))
            if check["question"] is not None:
                lines.extend(term.wrap(check["question"]["prompt"], "  "))
                for number, option in enumerate(check["question"]["options"], 1):
                    lines.extend(term.wrap(option["label"], f"  {number}. ", "     "))
                lines.extend(term.wrap("Say it in your sentence, or run " + code("advisor quiz " + shlex.quote(text) if text else "advisor quiz")
                                       + " and pick a number.", "  "))
        if view["steps"]:
            heading("Next steps")
            for number, step in enumerate(view["steps"], 1):
                lines.extend(term.wrap(_segments_text(step), f"  {number}. ", "     "))
    elif status == "question":
        question = view["question"]
        if question["help"]:
            lines.extend(term.wrap(question["help"], "  "))
        for number, option in enumerate(question["options"], 1):
            lines.extend(term.wrap(option["label"], f"  {number}. ", "     "))
        heading("To answer")
        lines.extend(term.wrap("Run " + code("advisor quiz " + shlex.quote(text) if text else "advisor quiz")
                               + " and pick a number, or say it in your sentence. (Programs: "
                               + code("--json") + " names the fact and its values for " + code("--fact") + ".)", "  "))
    elif status == "faq":
        lines.append("")
        lines.extend(term.wrap(_segments_text(view["answer"]), "  "))
        if view["about"]:
            lines.append("")
            lines.extend(term.wrap("Read more: " + ", ".join(item["name"] for item in view["about"]), "  "))
    else:
        lines.extend(term.wrap(view["message"], "  "))
    if view["alternatives"]:
        heading("Still possible" if status == "question" else "Other options")
        for item in view["alternatives"]:
            note = "" if status == "question" else {"partial": " (also fits, less strongly)", "ruled-out": " (not here)"}.get(item["fit"], "")
            lines.extend(term.wrap(f"{_name(item)}{note}: {item['text']}", "  - ", "    "))
    if view["folded"] and status == "answer":
        lines.append("")
        lines.extend(term.wrap("Not a fit here: " + ", ".join(_name(item) for item in view["folded"]) + ".", ""))
    if view["understood"]:
        heading("What I understood")
        for item in view["understood"]:
            words = " (from your words: " + ", ".join(f'"{word}"' for word in item["words"]) + ")" if item["words"] else " (you said so)"
            lines.extend(term.wrap(_capital(item["text"]) + words, "  - ", "    "))
    return "\n".join(lines) + "\n"


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def run_ask(kb_path: Path | None, text: str, fact_items: list[str], as_json: bool = False) -> int:
    """Answer one question; print it readably, or as one JSON object with `as_json`."""
    compiled = _compiled(kb_path)
    facts = parse_facts(compiled, fact_items)
    result = ask(compiled, text, facts)
    if as_json:
        sys.stdout.write(json.dumps(result, ensure_ascii=False, indent=2) + "\n")
    else:
        from advisor.terminal import Terminal

        sys.stdout.write(format_result(result, text, fact_items, compiled, Terminal(sys.stdout)))
    return 0


#: What the quiz reads as "go back one question" and "stop".
BACK = ("b", "back")
STOP = ("q", "quit", "stop")


def _read_answer(question: dict[str, Any], stream: TextIO, can_go_back: bool) -> str | None:
    """Read one answer: a value id, `BACK` for going back, `None` to stop (or at end of input)."""
    options = question["options"]
    while True:
        sys.stdout.write("> ")
        sys.stdout.flush()
        line = stream.readline()
        if not line:
            return None
        reply = line.strip().lower()
        if reply in STOP:
            return None
        if reply in BACK and can_go_back:
            return BACK[0]
        if reply.isdigit() and 1 <= int(reply) <= len(options):
            return str(options[int(reply) - 1])
        if reply in options:
            return reply
        matches = [option for option in options if reply and (option.startswith(reply) or question["labels"][option].lower().startswith(reply))]
        if len(matches) == 1:
            return str(matches[0])
        back = ", b to go back" if can_go_back else ""
        sys.stdout.write(f"Please answer with a number from 1 to {len(options)}{back} or q to stop.\n")


def run_quiz(kb_path: Path | None, text: str, fact_items: list[str]) -> int:
    """Ask only the questions needed, one at a time on stdin (b goes back), then print the answer."""
    compiled = _compiled(kb_path)
    facts = parse_facts(compiled, fact_items)
    fixed = dict(facts)
    answered: list[str] = []
    from advisor.answer_text import readable
    from advisor.terminal import Terminal

    term = Terminal(sys.stdout)
    try:
        while True:
            result = ask(compiled, text, facts)
            check = readable(compiled, result)["check"]
            if check is not None and check["question"] is not None:
                # the answer depends on the person's plan: ask it like any question
                view = check["question"]
                question = {"fact": view["fact"], "prompt": view["prompt"], "options": [o["value"] for o in view["options"]],
                            "labels": {o["value"]: o["label"] for o in view["options"]}}
            elif result["status"] != "question":
                sys.stdout.write("\n" + format_result(result, text, None, compiled, term))
                return 0
            else:
                question = result["question"]
                view = readable(compiled, result)["question"]
            sys.stdout.write("\n" + "\n".join(term.wrap(question["prompt"], style="bold")) + "\n")
            if view["help"]:
                sys.stdout.write("\n".join(term.wrap(view["help"], "  ")) + "\n")
            for number, option in enumerate(view["options"], 1):
                sys.stdout.write("\n".join(term.wrap(option["label"], f"  {number}. ", "     ")) + "\n")
            back = ", b to go back" if answered else ""
            sys.stdout.write(term.style(f"Type a number{back}, q to stop.", "dim") + "\n")
            answer = _read_answer(question, sys.stdin, bool(answered))
            if answer is None:
                sys.stdout.write("\nNo answer given; stopping.\n")
                return 0
            if answer == BACK[0]:
                del facts[answered.pop()]
                facts.update(fixed)
                continue
            facts[question["fact"]] = answer
            answered.append(question["fact"])
    except KeyboardInterrupt:
        sys.stdout.write("\n")
        return 130
