"""An advisor answer in plain words: what the terminal and the browser widget show a person.

[`readable`][advisor.answer_text.readable] turns the object `advisor ask --json` prints (and the
compiled knowledge base it came from) into a small structure with no rule ids, weights, scores or
fact ids in it: a verdict line, why (one to three sentences), the alternatives that were close or
that the person named (one plain sentence each), the others folded away, and next steps whose
inline code (`` `...` `` in the data) is marked as code. The wording comes from the knowledge base:
each fact value may carry a `statement` ("you run Grafana yourself"), its `label` otherwise.

The browser's copy of this module is `advisor/web/answer.js`; both give the same structure for the
same answer (a parity test checks it on the evaluation cases).

Text is a list of segments, `["text", "..."]` or `["code", "..."]`.
"""

from __future__ import annotations

import re
from typing import Any

Segment = list[str]

#: How many sentences of the recommendation's reasons the "why" keeps.
WHY_SENTENCES = 3

_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z])")


def segments(text: str) -> list[Segment]:
    """Split text at backticks into text and code segments.

    >>> segments("run `grafana cli` then restart")
    [['text', 'run '], ['code', 'grafana cli'], ['text', ' then restart']]
    """
    parts = text.split("`")
    if len(parts) % 2 == 0:  # an unpaired backtick is text
        parts = [*parts[:-2], parts[-2] + "`" + parts[-1]]
    out: list[Segment] = []
    for index, part in enumerate(parts):
        if part:
            out.append(["code" if index % 2 else "text", part])
    return out


def plain(parts: list[Segment]) -> str:
    """Return segments as one string without marks."""
    return "".join(part[1] for part in parts)


def sentences(text: str) -> list[str]:
    """Split text into sentences (a full stop, `!` or `?` followed by a capital letter).

    >>> sentences("It ships with Grafana. Nothing to install.")
    ['It ships with Grafana.', 'Nothing to install.']
    """
    return [part.strip() for part in _SENTENCE_END.split(text.strip()) if part.strip()]


def _by_id(items: list[dict[str, Any]], item_id: Any) -> dict[str, Any] | None:
    for item in items:
        if item.get("id") == item_id:
            return item
    return None


def statement(compiled: dict[str, Any], fact_id: str, value_id: Any) -> str:
    """Return what a fact's value says of the person's situation, in the data's words."""
    fact = _by_id(compiled.get("facts", []), fact_id)
    value = _by_id(fact.get("values", []), value_id) if fact else None
    if value is None:
        return str(value_id)
    return value.get("statement") or value.get("label") or str(value_id)


def plan_check(compiled: dict[str, Any], plan: Any) -> dict[str, Any] | None:
    """Say whether the person's plan includes the product the answer names, or ask for the plan."""
    if not isinstance(plan, dict):
        return None
    needs = f"{plan.get('name')} needs {plan.get('needs')}"
    fact_id = plan.get("fact") or ""
    if plan.get("included") is None:
        fact = _by_id(compiled.get("facts", []), fact_id) or {}
        question = {
            "fact": fact_id, "prompt": fact.get("prompt") or "", "help": fact.get("help") or "",
            "options": [{"value": value.get("id"), "label": value.get("label") or value.get("id")} for value in fact.get("values", [])],
        }
        return {"included": None, "text": f"Check your plan: {needs}.", "question": question}
    said = statement(compiled, fact_id, plan.get("value"))
    if plan.get("included"):
        return {"included": True, "text": f"Your plan includes it: {needs}, and {said}.", "question": None}
    return {"included": False, "text": f"Not on your plan: {needs}, and {said}.", "question": None}


def badge(compiled: dict[str, Any], concept_id: Any) -> str:
    """Return "NAME only" when a concept applies to one scope of several (e.g. "Grafana Cloud only"), else ""."""
    concept = _by_id(compiled.get("concepts", []), concept_id)
    scopes = compiled.get("scopes", [])
    if not concept or len(scopes) < 2 or len(concept.get("applies_to") or []) != 1:
        return ""
    scope = _by_id(scopes, concept["applies_to"][0])
    return f"{scope['name']} only" if scope else ""


def _join(items: list[str], word: str) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + f" {word} " + items[-1]


def _first_sentence(text: str) -> str:
    found = sentences(text)
    return found[0] if found else text.strip()


def _why_not(compiled: dict[str, Any], alternative: dict[str, Any], held: list[str]) -> tuple[str, str]:
    """How an alternative fits (`partial`, `ruled-out` or `unknown`) and one plain sentence on it:
    its own reason when a rule for it holds, else what it needs that the situation rules out."""
    if held:
        return "partial", _first_sentence(held[0])
    contradicted = [rule for rule in alternative.get("unmet") or [] if any(f.get("state") == "false" for f in rule.get("facts") or [])]
    if contradicted:
        rule = max(contradicted, key=lambda r: r.get("weight", 0))  # max keeps the first of equals
        needs: list[str] = []
        actual: list[str] = []
        for fact in rule.get("facts") or []:
            if fact.get("state") != "false":
                continue
            values = fact.get("value") if isinstance(fact.get("value"), list) else [fact.get("value")]
            said = [statement(compiled, fact["fact"], value) for value in values]
            if fact.get("negated"):
                needs.append("not when " + _join(said, "or"))
            else:
                needs.append("when " + _join(said, "or"))
                if fact.get("actual") is not None:
                    actual.append(statement(compiled, fact["fact"], fact["actual"]))
        text = "It fits " + _join(needs, "and")
        if actual:
            text += ", but " + _join(actual, "and")
        return "ruled-out", text + "."
    return "unknown", "Nothing you described points to it."


def _alternatives(compiled: dict[str, Any], result: dict[str, Any]) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    named = {fact.get("value") for fact_id, fact in (result.get("facts") or {}).items()
             if (_by_id(compiled.get("facts", []), fact_id) or {}).get("match_concepts")}
    reasons: dict[str, list[str]] = {}
    # a rule that holds but takes weight away (a concept ruled out where it does not exist) is no
    # reason for the concept: its unmet rules say why not
    against = {rule.get("id") for rule in compiled.get("rules", []) if rule.get("weight", 0) < 0}
    for step in result.get("trace") or []:
        if step.get("matched") is True and step.get("because") and step.get("rule") not in against:
            reasons.setdefault(step.get("concept"), []).append(step["because"])
    shown: list[dict[str, Any]] = []
    folded: list[dict[str, Any]] = []
    for alternative in result.get("alternatives") or []:
        concept = alternative.get("concept")
        held = reasons.get(concept, [])
        fit, text = _why_not(compiled, alternative, held)
        entry = {
            "concept": concept,
            "name": alternative.get("name") or concept,
            "badge": badge(compiled, concept),
            "fit": fit,
            "text": text,
        }
        (shown if held or concept in named else folded).append(entry)
    return shown, folded


def readable(compiled: dict[str, Any], result: dict[str, Any]) -> dict[str, Any]:
    """Return the plain-words form of an advisor answer.

    Keys: `status`; `verdict` (one line); `badge` (e.g. "Grafana Cloud only", or "");
    `concept` (the recommended concept's id, to link to, or None); `summary`; `why` (sentences);
    `understood` (`[{text, words}]`: what was taken from the person's words or answers);
    `alternatives` (close or named) and `folded` (the others): `[{concept, name, badge, fit, text}]`,
    where `fit` is `partial` (a rule for it holds, more weakly), `ruled-out` or `unknown`; `steps` (lists of segments);
    `question` (`{fact, prompt, help, options: [{value, label}]}` or None);
    `check` (a named product that needs a plan: `{included, text, question}`, the question while the
    plan is unknown; else None);
    `answer` (segments of an FAQ answer); `about` (`[{concept, name}]`); `message`.
    """
    status = result.get("status")
    out: dict[str, Any] = {
        "status": status, "verdict": "", "badge": "", "concept": None, "summary": "", "why": [],
        "understood": [], "alternatives": [], "folded": [], "steps": [], "question": None,
        "answer": [], "about": [], "message": "", "check": None,
    }
    for fact_id, fact in (result.get("facts") or {}).items():
        words = [] if fact.get("source") == "given" else list(fact.get("words") or [])
        out["understood"].append({"text": statement(compiled, fact_id, fact.get("value")), "words": words})
    if status == "answer":
        rec = result.get("recommendation") or {}
        out["verdict"] = "Recommended: " + (rec.get("name") or str(rec.get("concept")))
        out["badge"] = badge(compiled, rec.get("concept"))
        out["concept"] = rec.get("concept")
        out["summary"] = rec.get("summary") or ""
        why: list[str] = []
        for reason in rec.get("reasons") or []:
            why.extend(sentences(reason))
        out["why"] = why[:WHY_SENTENCES]
        out["steps"] = [segments(step) for step in rec.get("next_steps") or []]
        out["alternatives"], out["folded"] = _alternatives(compiled, result)
        out["check"] = plan_check(compiled, rec.get("plan"))
    elif status == "question":
        question = result.get("question") or {}
        labels = question.get("labels") or {}
        out["verdict"] = question.get("prompt") or ""
        out["question"] = {
            "fact": question.get("fact"),
            "prompt": question.get("prompt") or "",
            "help": question.get("help") or "",
            "options": [{"value": value, "label": labels.get(value) or statement(compiled, question.get("fact", ""), value)}
                        for value in question.get("options") or []],
        }
        out["alternatives"], out["folded"] = _alternatives(compiled, result)
    elif status == "faq":
        faq = result.get("faq") or {}
        out["verdict"] = faq.get("question") or ""
        out["answer"] = segments(faq.get("answer") or "")
        for concept_id in faq.get("concepts") or []:
            concept = _by_id(compiled.get("concepts", []), concept_id)
            out["about"].append({"concept": concept_id, "name": concept["name"] if concept else concept_id})
    else:
        out["verdict"] = "This is outside what the advisor knows"
        out["message"] = result.get("message") or ""
    return out
