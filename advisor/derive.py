"""Data every knowledge base would otherwise write by hand, derived from its concepts and scopes.

Run on the parsed files before they are checked ([`advisor.load`][advisor.load]), so what is
derived is validated, compiled and shown like what is written:

- **The "concept named" fact.** When no fact has `match_concepts: true`, a fact `asks_for` is
  added: not asked, one value per main concept, implied by the concept's names and aliases. More
  specific concepts (those with a `kind_of`) win over general ones when a sentence names several.
- **A rule per named concept.** Each main concept that no rule reaches by its name alone gets a
  light rule (weight 1, or `kb.yaml`'s `named_weight`): naming it is a hint, never a decision on
  its own.
- **The edition fact.** When `kb.yaml` names a fact under `edition_fact` whose values are the
  knowledge base's scopes, each main concept whose `applies_to` leaves a scope out gets a rule
  that rules it out there (weight -100: it never wins in an edition it does not exist in).
"""

from __future__ import annotations

from typing import Any

#: The id of the derived "concept named" fact.
NAMED_FACT = "asks_for"

#: Weight of the derived rule that a concept was named.
NAMED_WEIGHT = 1

#: Weight of the derived rule that rules a concept out in an edition it does not exist in.
ABSENT_WEIGHT = -100


def _named_alone(condition: Any, fact: str, value: str) -> bool:
    """Whether naming the concept (`fact` is `value`) is enough for a rule's condition: it needs no
    other fact, only perhaps the absence of some (`not:` parts). A rule that also needs something
    else ("group by" and the name) does not reach the concept by its name."""
    if not isinstance(condition, dict) or not condition:
        return False
    parts = [{key: part} for key, part in condition.items()]
    if len(parts) > 1:
        return _all_named(parts, fact, value)
    key, part = next(iter(condition.items()))
    if key == "any" and isinstance(part, list):
        return any(_named_alone(item, fact, value) for item in part)
    if key == "all" and isinstance(part, list):
        return _all_named(part, fact, value)
    return key == fact and (part == value or (isinstance(part, list) and value in part))


def _all_named(parts: list[Any], fact: str, value: str) -> bool:
    named = [part for part in parts if not (isinstance(part, dict) and list(part) == ["not"])]
    return bool(named) and all(_named_alone(part, fact, value) for part in named)


def derive(files: dict[str, Any]) -> None:
    """Add the derived facts and rules to the parsed files, in place (nothing when a file is missing)."""
    concepts = files.get("concepts", {}).get("concepts")
    questions = files.get("questions")
    rules = files.get("rules")
    if not isinstance(concepts, list) or not isinstance(questions, dict) or not isinstance(rules, dict):
        return
    main = [c for c in concepts if isinstance(c, dict) and c.get("role", "main") == "main" and isinstance(c.get("id"), str)]
    facts = questions.setdefault("facts", [])
    rule_list = rules.setdefault("rules", [])
    if not isinstance(facts, list) or not isinstance(rule_list, list):
        return
    named = next((f for f in facts if isinstance(f, dict) and f.get("match_concepts")), None)
    if named is None and len(main) >= 2:
        specific = [c for c in main if c.get("kind_of")] + [c for c in main if not c.get("kind_of")]
        named = {
            "id": NAMED_FACT,
            "prompt": "Which concept did you name?",
            "help": "Filled from the names and aliases of the concepts; never asked.",
            "ask": False,
            "match_concepts": True,
            "wins": [c["id"] for c in specific],
            "values": [{"id": c["id"], "label": str(c.get("name", c["id"]))} for c in main],
        }
        facts.append(named)
    weight = files.get("kb", {}).get("named_weight", NAMED_WEIGHT)
    if named is not None:
        values = {v.get("id") for v in named.get("values", []) if isinstance(v, dict)}
        for concept in main:
            if concept["id"] not in values:
                continue
            reached = any(isinstance(r, dict) and r.get("concept") == concept["id"] and _named_alone(r.get("when"), named["id"], concept["id"]) for r in rule_list)
            if not reached and not any(isinstance(r, dict) and r.get("id") == f"{concept['id']}-named" for r in rule_list):
                rule_list.append({
                    "id": f"{concept['id']}-named",
                    "concept": concept["id"],
                    "weight": weight,
                    "when": {named["id"]: concept["id"]},
                    "reason": f"You named {concept.get('name', concept['id'])}: {concept.get('summary', '')}".strip(),
                })
    edition = files.get("kb", {}).get("edition_fact")
    scopes = [s.get("id") for s in files.get("kb", {}).get("scopes", []) if isinstance(s, dict)]
    edition_values = next((f.get("values") for f in facts if isinstance(f, dict) and f.get("id") == edition), None)
    valid = isinstance(edition_values, list) and sorted(str(v.get("id")) for v in edition_values if isinstance(v, dict)) == sorted(str(s) for s in scopes)
    names = {s.get("id"): str(s.get("name", s.get("id"))) for s in files.get("kb", {}).get("scopes", []) if isinstance(s, dict)}
    if isinstance(edition, str) and valid:  # else the check reports kb.yaml's edition_fact
        for concept in main:
            where = concept.get("applies_to")
            if not isinstance(where, list) or not where:
                continue
            for scope in scopes:
                if scope not in where:
                    rule_list.append({
                        "id": f"{concept['id']}-not-in-{scope}",
                        "concept": concept["id"],
                        "weight": ABSENT_WEIGHT,
                        "when": {edition: scope},
                        "reason": f"{concept.get('name', concept['id'])} exists only in " + " and ".join(names.get(s, str(s)) for s in where) + ".",
                    })
