"""Lint: rules that can never fire, rules that always tie, facts no rule uses; texts that
contradict the products' data; data files not reviewed for too long."""

from __future__ import annotations

import re
from datetime import date
from itertools import product as assignments
from typing import Any, Iterator

from advisor.facts import join_words, selects
from advisor.model import KnowledgeBase, Location, Rule

#: How long a data file may go without a review by default (about six months).
DEFAULT_REVIEW_DAYS = 183

#: Rules over more fact combinations than this are not checked exhaustively.
MAX_COMBINATIONS = 20000


def _facts(condition: dict[str, Any], out: list[str]) -> list[str]:
    for key, value in condition.items():
        if key in ("all", "any"):
            for item in value:
                _facts(item, out)
        elif key == "not":
            _facts(value, out)
        elif key not in out:
            out.append(key)
    return out


def _holds(condition: dict[str, Any], facts: dict[str, str]) -> bool:
    for key, value in condition.items():
        if key == "all":
            ok = all(_holds(item, facts) for item in value)
        elif key == "any":
            ok = any(_holds(item, facts) for item in value)
        elif key == "not":
            ok = not _holds(value, facts)
        else:
            ok = facts.get(key) in (value if isinstance(value, list) else [value])
        if not ok:
            return False
    return True


def _size(names: list[str], values: dict[str, list[str]]) -> int:
    """How many combinations of values the facts `names` have."""
    size = 1
    for name in names:
        size *= len(values.get(name, [])) or 1
    return size


def _table(rule_condition: dict[str, Any], names: list[str], values: dict[str, list[str]]) -> tuple[bool, ...] | None:
    """The truth table of a condition over every combination of the facts `names` (None: too big)."""
    if _size(names, values) > MAX_COMBINATIONS:
        return None
    return tuple(
        _holds(rule_condition, dict(zip(names, combination)))
        for combination in assignments(*(values.get(name, [""]) for name in names))
    )


def _signature(condition: dict[str, Any], values: dict[str, list[str]], table: tuple[bool, ...] | None) -> tuple[tuple[str, ...], tuple[bool, ...]] | None:
    """A condition as a function: the facts its result depends on (sorted) and its truth table
    over them, from its `table` over its own facts. Two conditions hold in the same situations
    exactly when their signatures are equal. None for a table too big or that never holds.

    >>> values = {"x": ["a", "b"], "y": ["c", "d"]}
    >>> _signature({"x": "a", "y": ["c", "d"]}, values, (True, True, False, False))
    (('x',), (True, False))
    """
    if table is None or not any(table):
        return None
    names = _facts(condition, [])
    sizes = [len(values.get(name, [""])) for name in names]
    strides = [1] * len(names)
    for position in range(len(names) - 2, -1, -1):
        strides[position] = strides[position + 1] * sizes[position + 1]
    essential = []
    for position in range(len(names)):
        stride, size = strides[position], sizes[position]
        # the fact matters when changing it alone changes the result somewhere
        if any(table[start] != table[start + step * stride] for start in range(len(table)) if (start // stride) % size == 0 for step in range(1, size)):
            essential.append(position)
    essential.sort(key=names.__getitem__)
    reduced = tuple(
        table[sum(choice * strides[position] for choice, position in zip(choices, essential))]
        for choices in assignments(*(range(sizes[position]) for position in essential))
    )
    return tuple(names[position] for position in essential), reduced


def _place(rule: Rule | Any) -> str:
    return str(rule.where) if rule.where is not None else "rules.yaml"


def shared_phrases(kb: KnowledgeBase) -> list[str]:
    """Warn about a phrase (as the advisor reads it: stemmed) listed under two values of one fact or
    under two facts: which one a sentence means would then depend on the order of the data.

    A phrase of a plan (a value of the `plan_fact`) may also name that plan's deployment: "an
    enterprise licence" says both which plan and where Grafana runs, and the two cannot disagree.
    """
    from advisor.text import phrase_tokens

    deployment_of = {plan.id: plan.deployment for plan in kb.plans}

    def agree(one: str, other: str) -> bool:
        for plan_owner, other_owner in ((one, other), (other, one)):
            fact, _, value = plan_owner.partition("=")
            if kb.plan_fact and fact == kb.plan_fact and other_owner.partition("=")[2] == deployment_of.get(value):
                return True
        return False

    seen: dict[str, str] = {}
    warnings = []
    for question in kb.questions:
        for answer in question.values:
            for phrase in answer.phrases:
                key = " ".join(phrase_tokens(phrase.replace("*", " _slot_ ")))
                owner = f"{question.id}={answer.id}"
                if key in seen and seen[key] != owner and not agree(seen[key], owner):
                    place = str(question.where) if question.where is not None else "questions.yaml"
                    warnings.append(f"{place}: phrase {phrase!r} of {owner} is also a phrase of {seen[key]}: say it once, under the value it means")
                seen.setdefault(key, owner)
    return warnings


def unreached_concepts(kb: KnowledgeBase) -> list[str]:
    """Warn about a main concept that no rule points to (but for being named) and no example
    expects, and that no concept is a kind of: only naming it could ever lead to it."""
    named = {question.id for question in kb.questions if question.match_concepts}
    # a rule that only says the concept was named reaches no situation
    pointed = {rule.concept for rule in kb.rules if not (len(rule.when) == 1 and next(iter(rule.when)) in named)}
    expected: set[str] = set()
    for example in kb.examples:
        wanted = example.expected
        if isinstance(wanted, str):
            expected.add(wanted)
        elif isinstance(wanted, list):
            expected.update(wanted)
    parents = {concept.kind_of for concept in kb.concepts if concept.kind_of}
    warnings = []
    for concept in kb.concepts:
        # a concept others are kinds of is reached through them
        if concept.role == "main" and concept.id not in pointed and concept.id not in expected and concept.id not in parents:
            place = str(concept.where) if concept.where is not None else "concepts.yaml"
            warnings.append(f"{place}: main concept {concept.id!r} is reached by no rule and no example: the advisor recommends it only when it is named")
    return warnings


def stale_files(kb: KnowledgeBase, today: date, max_age_days: int | None = None) -> list[str]:
    """Warn about each data file whose `last_reviewed` date is more than `max_age_days` before
    `today` (default: the knowledge base's `review_within_days`, else six months)."""
    limit = max_age_days if max_age_days is not None else kb.review_within_days
    warnings = []
    for name, reviewed in kb.last_reviewed.items():
        age = (today - date.fromisoformat(reviewed)).days
        if age > limit:
            place = kb.last_reviewed_at.get(name) or Location(f"{name}.yaml")
            warnings.append(
                f"{place}: last reviewed on {reviewed}, {age} days ago (more than {limit}): "
                "check its facts against its sources, then update last_reviewed"
            )
    return warnings


def _texts(kb: KnowledgeBase) -> Iterator[tuple[str, str, str]]:
    """Every prose text a reader sees, with its place and what it belongs to."""
    for concept in kb.concepts:
        place = str(concept.where or "concepts.yaml")
        for text in (concept.summary, concept.purpose, *concept.notes, *(c.text for c in concept.use_when), *concept.includes):
            yield place, f"concept {concept.id!r}", text
    for entry in kb.faq:
        place = str(entry.where or "faq.yaml")
        for text in (entry.answer, entry.simplifies):
            yield place, f"FAQ entry {entry.id!r}", text
    for product in kb.products:
        yield str(product.where or "products.yaml"), f"product {product.id!r}", f"{product.summary} {product.note}"
    for scenario in kb.scenarios:
        place = str(scenario.where or "scenarios.yaml")
        for text in (scenario.summary, *(step.text for step in scenario.steps)):
            yield place, f"scenario {scenario.id!r}", text
    for rule in kb.rules:
        for text in (rule.reason, *rule.next_steps):
            yield str(rule.where or "rules.yaml"), f"rule {rule.id!r}", text


def _names_pattern(names: list[str]) -> re.Pattern[str]:
    ordered = sorted(dict.fromkeys(names), key=len, reverse=True)
    return re.compile(r"(?<![\w-])(?:" + "|".join(re.escape(name) for name in ordered) + r")(?![\w-])", re.IGNORECASE)


_BUILT_IN = re.compile(r"\bbuilt[- ]in", re.IGNORECASE)


def contradictions(kb: KnowledgeBase) -> list[str]:
    """Warn about texts that disagree with the plugins list of `products.yaml`.

    - A text that names a Grafana release from which a list of plugins became standalone, and
      several plugins of that list but not all of them: a copy of the list that drifted (it
      should reference the list as `{{list:ID}}`).
    - A text that calls a product built in (`built-in NAME`, or its own summary and note) when
      its plugin is released on its own or comes from the catalog.
    """
    if not kb.plugins:
        return []
    names: dict[str, list[str]] = {plugin.id: [plugin.name] for plugin in kb.plugins}
    owner: dict[str, str] = {}
    for product in kb.products:
        plugin_id = product.attributes.get("plugin_id")
        if isinstance(plugin_id, str) and plugin_id in names:
            names[plugin_id].extend([product.name, *product.aliases])
            owner[product.id] = plugin_id
    shipped = {plugin.id: plugin.shipped for plugin in kb.plugins}
    warnings: list[str] = []
    texts = list(_texts(kb))
    for plugin_list in kb.lists:
        releases = plugin_list.where_fields.get("standalone_since", ())
        members = [plugin for plugin in kb.plugins if selects(plugin_list, plugin)]
        if len(releases) != 1 or len(members) < 2:
            continue
        marker = re.compile(r"(?<![\d.])" + re.escape(releases[0]) + r"(?![\d])")
        patterns = {plugin.id: _names_pattern(names[plugin.id]) for plugin in members}
        for place, owner_name, text in texts:
            if releases[0] not in text or not marker.search(text):  # the plain test first: it is cheaper
                continue
            named = [plugin for plugin in members if patterns[plugin.id].search(text)]
            if 2 <= len(named) < len(members):
                missing = [plugin.name for plugin in members if plugin not in named]
                warnings.append(
                    f"{place}: {owner_name} lists plugins of {releases[0]} ({plugin_list.id!r}) but leaves out "
                    f"{join_words(missing)}: write {{{{list:{plugin_list.id}}}}} instead of a copy"
                )
    # both patterns below need the words "built in": only the texts that have them are searched
    built_in = [entry for entry in texts if _BUILT_IN.search(entry[2])]
    for product in kb.products:
        plugin_id = owner.get(product.id)
        if plugin_id is None or shipped[plugin_id] == "built-in":
            continue
        said = re.compile(r"(?<!not )\bbuilt[- ]in\s+(?:the\s+)?" + _names_pattern(names[plugin_id]).pattern, re.IGNORECASE)
        own = re.compile(r"(?<!not )\bbuilt[- ]in\b", re.IGNORECASE)
        for place, owner_name, text in built_in:
            if said.search(text) or (owner_name == f"product {product.id!r}" and own.search(text)):
                warnings.append(
                    f"{place}: {owner_name} calls {product.name} built in, but its plugin {plugin_id!r} is "
                    f"{shipped[plugin_id]!r} in the plugins list"
                )
    return warnings


def lint(kb: KnowledgeBase, today: date | None = None, max_age_days: int | None = None) -> list[str]:
    """Return warnings, each starting with file:line, about rules and facts of a loaded knowledge
    base, texts that contradict its products' data and (given `today`) files not reviewed for
    longer than `max_age_days` (see [`stale_files`][advisor.lint.stale_files])."""
    values = {question.id: [answer.id for answer in question.values] for question in kb.questions}
    warnings: list[str] = []
    tables: dict[str, tuple[bool, ...] | None] = {}
    for rule in kb.rules:
        names = _facts(rule.when, [])
        table = _table(rule.when, names, values)
        tables[rule.id] = table
        if table is not None and not any(table):
            warnings.append(f"{_place(rule)}: rule {rule.id!r} can never fire: no combination of {', '.join(names)} satisfies its condition")
        if rule.weight == 0:
            warnings.append(f"{_place(rule)}: rule {rule.id!r} has weight 0 and never changes a score")
        elif rule.weight * 2 != int(rule.weight * 2):
            warnings.append(f"{_place(rule)}: rule {rule.id!r} has weight {rule.weight:g}, which the engine rounds down to a multiple of 0.5 ({int(rule.weight * 2) / 2:g})")
    rules = list(kb.rules)
    # Rules tie when they have the same weight and the same condition as a function (its
    # signature): only such pairs are compared, so that the check is not quadratic in the rules.
    groups: dict[tuple[float, Any], list[int]] = {}
    for index, rule in enumerate(rules):
        signature = _signature(rule.when, values, tables[rule.id])
        if signature is not None:
            groups.setdefault((rule.weight, signature), []).append(index)
    pairs: list[tuple[int, int]] = []
    for group in groups.values():
        own = {index: _facts(rules[index].when, []) for index in group}
        for position, index in enumerate(group):
            for other in group[position + 1:]:
                # over both rules' facts together, as a table of one rule is: else too many to check
                if own[index] == own[other] or _size(list(dict.fromkeys([*own[index], *own[other]])), values) <= MAX_COMBINATIONS:
                    pairs.append((index, other))
    places = {index: _place(rules[index]) for index in {index for pair in pairs for index in pair}}
    for index, other in sorted(pairs):
        first, second = rules[index], rules[other]
        if first.concept == second.concept:
            warnings.append(f"{places[other]}: rule {second.id!r} has the same condition as {first.id!r} ({places[index]}): one of them is redundant")
        else:
            warnings.append(
                f"{places[other]}: rules {first.id!r} and {second.id!r} always fire together with the same weight, "
                f"so they can never separate {first.concept!r} from {second.concept!r}"
            )
    used: set[str] = {kb.plan_fact} if kb.plan_fact else set()  # answers check products' plans against it
    for rule in kb.rules:
        used.update(_facts(rule.when, []))
    for question in kb.questions:
        if question.id not in used:
            place = str(question.where) if question.where is not None else "questions.yaml"
            warnings.append(f"{place}: fact {question.id!r} is used by no rule")
    warnings.extend(shared_phrases(kb))
    warnings.extend(unreached_concepts(kb))
    warnings.extend(contradictions(kb))
    if today is not None:
        warnings.extend(stale_files(kb, today, max_age_days))
    return warnings
