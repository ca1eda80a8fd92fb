"""The `advisor ask` and `advisor quiz` commands: readable or JSON answers, on the fast path.

Nothing here imports YAML, JSON Schema or networkx: answers come from the compiled knowledge base
([`advisor.compile.load_compiled`][advisor.compile.load_compiled]).
"""

from __future__ import annotations

import json
import shlex
import sys
from pathlib import Path
from typing import Any, TextIO

from advisor.compile import load_compiled
from advisor.errors import UsageError
from advisor.paths import default_kb_path
from advisor.rules import ask


def _compiled(kb_path: Path | None) -> dict[str, Any]:
    return load_compiled(kb_path if kb_path is not None else default_kb_path())


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


def format_result(result: dict[str, Any], text: str = "", given: list[str] | None = None) -> str:
    """Return the human-readable form of an advisor answer."""
    lines: list[str] = []
    facts = result["facts"]
    if facts:
        understood = []
        for fact_id, fact in facts.items():
            origin = "given" if fact["source"] == "given" else "from " + ", ".join(f'"{word}"' for word in fact["words"])
            understood.append(f"{fact_id} = {fact['value']} ({origin})")
        lines.append("Understood: " + "; ".join(understood))
        lines.append("")
    status = result["status"]
    if status == "answer":
        rec = result["recommendation"]
        lines.append(f"Recommendation: {rec['name']} ({rec['concept']}), score {rec['score']:.2f}")
        if rec.get("summary"):
            lines.append(f"  {rec['summary']}")
        lines.append("")
        lines.append("Why:")
        for item in rec["because"]:
            words = f' [your words: {", ".join(repr(w) for w in item["words"])}]' if item["words"] else ""
            lines.append(f"  - {item['reason']}{words}")
        if result["alternatives"]:
            lines.append("")
            lines.append("Why not:")
            for alt in result["alternatives"]:
                lines.append(f"  - {alt['name']} ({alt['concept']}), score {alt['score']:.2f}: {alt['why_not']}")
        if rec["next_steps"]:
            lines.append("")
            lines.append("Next steps:")
            for number, step in enumerate(rec["next_steps"], 1):
                lines.append(f"  {number}. {step}")
    elif status == "question":
        question = result["question"]
        lines.append(f"To recommend something I need to know: {question['prompt']}")
        if question.get("help"):
            lines.append(f"  ({question['help']})")
        for number, option in enumerate(question["options"], 1):
            lines.append(f"  {number}. {option}: {question['labels'][option]}")
        fixed = " ".join(f"--fact {shlex.quote(item)}" for item in given or [])
        command = "advisor ask " + shlex.quote(text) + (" " + fixed if fixed else "")
        lines.append("")
        lines.append(f"Answer with: {command} --fact {question['fact']}=VALUE")
        lines.append(f"  for example: --fact {question['fact']}={question['options'][0]}")
    elif status == "faq":
        faq = result["faq"]
        lines.append(faq["question"])
        lines.append("")
        lines.append(faq["answer"])
        lines.append("")
        lines.append("About: " + ", ".join(faq["concepts"]))
    else:
        lines.append("Out of scope: " + result["message"])
    return "\n".join(lines) + "\n"


def run_ask(kb_path: Path | None, text: str, fact_items: list[str], as_json: bool = False) -> int:
    """Answer one question; print it readably, or as one JSON object with `as_json`."""
    compiled = _compiled(kb_path)
    facts = parse_facts(compiled, fact_items)
    result = ask(compiled, text, facts)
    if as_json:
        sys.stdout.write(json.dumps(result, ensure_ascii=False, indent=2) + "\n")
    else:
        sys.stdout.write(format_result(result, text, fact_items))
    return 0


def _read_answer(question: dict[str, Any], stream: TextIO) -> str | None:
    """Read one answer (a number or a value id); `None` at end of input."""
    options = question["options"]
    while True:
        sys.stdout.write("> ")
        sys.stdout.flush()
        line = stream.readline()
        if not line:
            return None
        reply = line.strip().lower()
        if reply.isdigit() and 1 <= int(reply) <= len(options):
            return str(options[int(reply) - 1])
        if reply in options:
            return reply
        matches = [option for option in options if reply and (option.startswith(reply) or question["labels"][option].lower().startswith(reply))]
        if len(matches) == 1:
            return str(matches[0])
        sys.stdout.write(f"Please answer with a number from 1 to {len(options)} or one of: {', '.join(options)}\n")


def run_quiz(kb_path: Path | None, text: str, fact_items: list[str]) -> int:
    """Ask only the questions needed, one at a time on stdin, then print the answer."""
    compiled = _compiled(kb_path)
    facts = parse_facts(compiled, fact_items)
    try:
        while True:
            result = ask(compiled, text, facts)
            if result["status"] != "question":
                sys.stdout.write("\n" + format_result(result, text))
                return 0
            question = result["question"]
            sys.stdout.write(question["prompt"] + "\n")
            for number, option in enumerate(question["options"], 1):
                sys.stdout.write(f"  {number}. {question['labels'][option]} [{option}]\n")
            answer = _read_answer(question, sys.stdin)
            if answer is None:
                sys.stdout.write("\nNo answer given; stopping.\n")
                return 0
            facts[question["fact"]] = answer
    except KeyboardInterrupt:
        sys.stdout.write("\n")
        return 130
