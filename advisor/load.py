"""Load a knowledge base folder: YAML -> JSON Schema check -> cross-references -> typed model.

Every problem is collected with its file and line; [`load_knowledge_base`][advisor.load.load_knowledge_base]
raises one [`KnowledgeBaseError`][advisor.errors.KnowledgeBaseError] listing them all.
"""

from __future__ import annotations

import json
import re
from functools import cache
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator

from advisor.model import (
    Answer,
    Column,
    Comparison,
    Concept,
    Criterion,
    Example,
    Faq,
    Intent,
    KnowledgeBase,
    Link,
    Location,
    OutOfScope,
    Plan,
    PlanGroup,
    Plugin,
    PluginList,
    Product,
    Question,
    Relation,
    RelationType,
    Rule,
    Scenario,
    Scope,
    Source,
    StatusWording,
    Step,
    Wording,
)
from advisor import facts as fact_words
from advisor.derive import derive
from advisor.errors import KnowledgeBaseError, Problem
from advisor.paths import default_kb_path, schema_dir
from advisor.yamlsafe import LocatedDict, LocatedList, YamlProblem, read_yaml

#: The data files of a knowledge base, in the order they are read, and whether each is required.
DATA_FILES: dict[str, bool] = {
    "kb": True,
    "concepts": True,
    "relations": True,
    "faq": True,
    "comparisons": True,
    "questions": True,
    "rules": True,
    "products": False,
    "scenarios": False,
    "troubleshooting": False,
    "examples": False,
}

#: Concept attributes a comparison table may show as a column.
CONCEPT_COLUMNS: tuple[str, ...] = (
    "name",
    "kind_of",
    "role",
    "applies_to",
    "summary",
    "purpose",
    "includes",
    "use_when",
    "examples",
    "aliases",
)

@cache
def _schema(name: str) -> dict[str, Any]:
    schema: dict[str, Any] = json.loads((schema_dir() / f"{name}.schema.json").read_text(encoding="utf-8"))
    return schema


@cache
def _validator(name: str) -> Any:
    import jsonschema  # imported here: only loading YAML needs it, never the advisor's fast path

    return jsonschema.Draft202012Validator(_schema(name))


@cache
def _is_valid(name: str) -> Callable[[Any], Any]:
    """A compiled check of a file against its schema (fastjsonschema: Python code generated from
    the schema, ten times faster than jsonschema). It only says yes or no: where it says no,
    jsonschema finds every error with its path, so the messages come from one validator only.
    Defaults are not filled in (the data stays as written) and formats are not checked (nor
    does jsonschema check them)."""
    import fastjsonschema

    return fastjsonschema.compile(_schema(name), use_default=False, use_formats=False, detailed_exceptions=False)


def _located(data: Any, path: Iterable[Any]) -> tuple[int | None, int | None]:
    """Return the 1-based (line, column) of the value at `path`, or of its nearest located parent."""
    mark = getattr(data, "mark", None)
    node = data
    for step in path:
        if isinstance(node, LocatedDict) and step in node:
            mark = node.key_marks.get(step, mark)
            node = node[step]
        elif isinstance(node, LocatedList) and isinstance(step, int) and step < len(node):
            # an entry derived after parsing has no place of its own: its list's place stands in
            mark = node.item_marks[step] if step < len(node.item_marks) else mark
            node = node[step]
        else:
            break
    if mark is None:
        return None, None
    return mark[0] + 1, mark[1] + 1


def _path_text(path: Iterable[Any]) -> str:
    text = ""
    for step in path:
        text += f"[{step}]" if isinstance(step, int) else (f".{step}" if text else str(step))
    return text


_TYPE_NAMES = {bool: "true or false", dict: "a mapping", list: "a list", str: "a text", int: "a number", float: "a number", type(None): "nothing (null)"}


def _schema_message(error: Any) -> tuple[str, list[Any]]:
    """Turn a jsonschema error into a short message and the path it is best reported at."""
    path = list(error.absolute_path)
    instance = error.instance
    validator = error.validator
    if validator == "type":
        expected = error.validator_value
        expected = expected if isinstance(expected, str) else " or ".join(expected)
        wanted = {"object": "a mapping", "array": "a list", "string": "a text", "number": "a number", "integer": "a whole number", "boolean": "true or false"}.get(expected, expected)
        found = next((name for kind, name in _TYPE_NAMES.items() if isinstance(instance, kind)), type(instance).__name__)
        return f"expected {wanted}, found {found}", path
    if validator == "required":
        missing = [key for key in error.validator_value if key not in instance]
        return f"missing required key {missing[0]!r}" if missing else error.message, path
    if validator == "additionalProperties" and isinstance(instance, dict):
        allowed = set(error.schema.get("properties", {}))
        extra = sorted((str(key) for key in instance if key not in allowed))
        if extra:
            known = ", ".join(sorted(allowed)) or "none"
            return f"unknown key {extra[0]!r} (allowed: {known})", [*path, extra[0]]
    if validator == "enum":
        options = ", ".join(repr(value) for value in error.validator_value)
        return f"{instance!r} is not one of {options}", path
    if validator == "pattern":
        return f"{instance!r} does not have the expected form ({error.validator_value})", path
    if validator == "minItems":
        return f"needs at least {error.validator_value} item(s)", path
    if validator == "minLength":
        return "must not be empty", path
    if validator == "uniqueItems":
        return "lists the same item twice", path
    if validator in ("oneOf", "anyOf"):
        return f"{_short(instance)} is not a valid value here", path
    return error.message if len(error.message) <= 200 else error.message[:197] + "...", path


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _check_schema(name: str, label: str, data: Any) -> list[Problem]:
    try:
        _is_valid(name)(data)
        return []
    except Exception:  # noqa: BLE001 - invalid, or too odd for the fast check: jsonschema decides
        pass
    problems = []
    try:
        errors = sorted(_validator(name).iter_errors(data), key=lambda e: [str(p) for p in e.absolute_path])
    except RecursionError:
        return [Problem(label, "holds a structure that contains itself")]
    for error in errors:
        message, path = _schema_message(error)
        line, column = _located(data, path)
        where = _path_text(path)
        problems.append(Problem(label, f"{where}: {message}" if where else message, line, column))
    return problems


class _Checker:
    """Collects the cross-reference problems of a set of parsed, schema-valid files."""

    def __init__(self, files: dict[str, Any], labels: dict[str, str]) -> None:
        self.files = files
        self.labels = labels
        self.problems: list[Problem] = []

    def report(self, name: str, path: list[Any], message: str) -> None:
        line, column = _located(self.files[name], path)
        where = _path_text(path)
        self.problems.append(Problem(self.labels[name], f"{where}: {message}", line, column))

    def items(self, name: str, key: str) -> list[tuple[list[Any], dict[str, Any]]]:
        data = self.files.get(name)
        if data is None or not isinstance(data.get(key, []), list):
            return []
        # entries malformed beyond use (not a mapping, no id) were reported by the schema check
        return [([key, index], item) for index, item in enumerate(data.get(key, [])) if isinstance(item, dict) and isinstance(item.get("id", ""), str)]

    def ids(self, name: str, key: str, what: str) -> set[str] | None:
        """Return the ids of a collection, reporting duplicates; `None` when its file is invalid."""
        if name in self.labels and name not in self.files:
            return None
        seen: set[str] = set()
        for path, item in self.items(name, key):
            if "id" not in item:
                continue
            if item["id"] in seen:
                self.report(name, [*path, "id"], f"duplicate {what} id {item['id']!r}")
            seen.add(item["id"])
        return seen

    def known(self, name: str, path: list[Any], value: str, valid: set[str] | None, what: str) -> None:
        """Report `value` unless it is one of `valid` (`None`: its file is invalid, so skip)."""
        if valid is not None and value not in valid:
            hint = _suggest(value, valid)
            self.report(name, path, f"unknown {what} {value!r}{hint}")


def _suggest(value: str, valid: Iterable[str]) -> str:
    import difflib

    close = difflib.get_close_matches(value, sorted(valid), n=1)
    return f" (did you mean {close[0]!r}?)" if close else ""


def _check_condition(checker: _Checker, path: list[Any], condition: dict[str, Any], facts: dict[str, set[str]]) -> None:
    for key, value in condition.items():
        if key in ("all", "any"):
            for index, part in enumerate(value):
                _check_condition(checker, [*path, key, index], part, facts)
        elif key == "not":
            _check_condition(checker, [*path, key], value, facts)
        elif key not in facts:
            checker.known("rules", [*path, key], key, set(facts), "fact")
        else:
            for option in value if isinstance(value, list) else [value]:
                checker.known("rules", [*path, key], option, facts[key], f"value of fact {key!r}")


def _cross_check(checker: _Checker) -> None:
    scopes = checker.ids("kb", "scopes", "scope")
    concepts = checker.ids("concepts", "concepts", "concept")
    relation_types = checker.ids("relations", "relation_types", "relation type")
    faq_ids = checker.ids("faq", "faq", "FAQ entry")
    trouble_ids = checker.ids("troubleshooting", "troubleshooting", "troubleshooting entry")
    for path, entry in checker.items("troubleshooting", "troubleshooting"):
        if faq_ids is not None and entry["id"] in faq_ids:
            checker.report("troubleshooting", [*path, "id"], f"id {entry['id']!r} is also an FAQ entry's id")
    columns = checker.ids("comparisons", "columns", "column")
    checker.ids("comparisons", "comparisons", "comparison")
    products = checker.ids("products", "products", "product")
    scenarios = checker.ids("scenarios", "scenarios", "scenario")
    fact_ids = checker.ids("questions", "facts", "fact")
    checker.ids("questions", "intents", "intent")
    checker.ids("questions", "out_of_scope", "out-of-scope topic")
    checker.ids("rules", "rules", "rule")

    facts: dict[str, set[str]] | None = None if fact_ids is None else {}
    for path, fact in checker.items("questions", "facts"):
        values: set[str] = set()
        for index, value in enumerate(fact["values"]):
            if value["id"] in values:
                checker.report("questions", [*path, "values", index, "id"], f"duplicate value {value['id']!r} of fact {fact['id']!r}")
            values.add(value["id"])
        facts[fact["id"]] = values  # type: ignore[index]
        if "wins" in fact and sorted(fact["wins"]) != sorted(values):
            missing = sorted(values - set(fact["wins"]))
            extra = sorted(set(fact["wins"]) - values)
            checker.report("questions", [*path, "wins"], "must list every value of the fact once" + (f"; missing: {', '.join(missing)}" if missing else "") + (f"; not values: {', '.join(extra)}" if extra else ""))
    edition = checker.files.get("kb", {}).get("edition_fact")
    if isinstance(edition, str) and facts is not None and scopes is not None:
        if edition not in facts:
            checker.known("kb", ["edition_fact"], edition, set(facts), "fact")
        elif facts[edition] != scopes:
            checker.report("kb", ["edition_fact"], f"the values of fact {edition!r} ({', '.join(sorted(facts[edition]))}) must be the scopes ({', '.join(sorted(scopes))})")
    plan_fact = checker.files.get("kb", {}).get("plan_fact")
    if isinstance(plan_fact, str) and facts is not None:
        plan_ids = {item["id"] for _, item in checker.items("products", "plans")}
        if plan_fact not in facts:
            checker.known("kb", ["plan_fact"], plan_fact, set(facts), "fact")
        elif not facts[plan_fact] <= plan_ids:
            checker.report("kb", ["plan_fact"], f"the values of fact {plan_fact!r} must be plans of products.yaml; not plans: {', '.join(sorted(facts[plan_fact] - plan_ids))}")
    product_names = None if products is None else {item["name"] for _, item in checker.items("products", "products")} | products

    parents: dict[str, str] = {}
    for path, concept in checker.items("concepts", "concepts"):
        criteria: set[str] = set()
        for index, criterion in enumerate(concept.get("use_when", [])):
            if criterion["id"] in criteria:
                checker.report("concepts", [*path, "use_when", index, "id"], f"duplicate criterion id {criterion['id']!r}")
            criteria.add(criterion["id"])
        if "kind_of" in concept:
            checker.known("concepts", [*path, "kind_of"], concept["kind_of"], concepts, "concept")
            parents[concept["id"]] = concept["kind_of"]
        for index, scope in enumerate(concept.get("applies_to", [])):
            checker.known("concepts", [*path, "applies_to", index], scope, scopes, "scope")
    for path, concept in checker.items("concepts", "concepts"):
        cycle = _kind_of_cycle(concept["id"], parents)
        if cycle and cycle[0] == concept["id"] and concept["id"] == min(cycle):
            checker.report("concepts", [*path, "kind_of"], "kind_of forms a cycle: " + " -> ".join([*cycle, cycle[0]]))

    for path, relation in checker.items("relations", "relations"):
        checker.known("relations", [*path, "from"], relation["from"], concepts, "concept")
        checker.known("relations", [*path, "to"], relation["to"], concepts, "concept")
        checker.known("relations", [*path, "type"], relation["type"], relation_types, "relation type")

    for path, entry in checker.items("faq", "faq"):
        for index, concept_id in enumerate(entry["concepts"]):
            checker.known("faq", [*path, "concepts", index], concept_id, concepts, "concept")

    for path, column in checker.items("comparisons", "columns"):
        if column["id"] not in CONCEPT_COLUMNS:
            checker.report("comparisons", [*path, "id"], f"{column['id']!r} is not a concept attribute (one of: {', '.join(CONCEPT_COLUMNS)})")
    for path, comparison in checker.items("comparisons", "comparisons"):
        for index, concept_id in enumerate(comparison["concepts"]):
            checker.known("comparisons", [*path, "concepts", index], concept_id, concepts, "concept")
        for index, column_id in enumerate(comparison["columns"]):
            checker.known("comparisons", [*path, "columns", index], column_id, columns, "column")
        if "footer_scenario" in comparison:
            checker.known("comparisons", [*path, "footer_scenario"], comparison["footer_scenario"], scenarios, "scenario")

    for path, product in checker.items("products", "products"):
        for index, concept_id in enumerate(product.get("concepts", [])):
            checker.known("products", [*path, "concepts", index], concept_id, concepts, "concept")
        for fact_id, value in product.get("implies", {}).items():
            if facts is None:
                continue
            if fact_id not in facts:
                checker.known("products", [*path, "implies", fact_id], fact_id, set(facts), "fact")
            else:
                checker.known("products", [*path, "implies", fact_id], value, facts[fact_id], f"value of fact {fact_id!r}")

    for path, scenario in checker.items("scenarios", "scenarios"):
        for index, scope in enumerate(scenario.get("applies_to", [])):
            checker.known("scenarios", [*path, "applies_to", index], scope, scopes, "scope")
        for index, step in enumerate(scenario["steps"]):
            checker.known("scenarios", [*path, "steps", index, "concept"], step["concept"], concepts, "concept")
            for number, name in enumerate(step.get("products", [])):
                checker.known("scenarios", [*path, "steps", index, "products", number], name, product_names, "product")

    for path, rule in checker.items("rules", "rules"):
        checker.known("rules", [*path, "concept"], rule["concept"], concepts, "concept")
        if facts is not None:
            _check_condition(checker, [*path, "when"], rule["when"], facts)

    for path, entry in checker.items("troubleshooting", "troubleshooting"):
        for index, concept_id in enumerate(entry["concepts"]):
            checker.known("troubleshooting", [*path, "concepts", index], concept_id, concepts, "concept")

    entries = None if faq_ids is None or trouble_ids is None else faq_ids | trouble_ids
    checker.ids("examples", "examples", "example")
    for path, example in checker.items("examples", "examples"):
        expected = example["expected"]
        if isinstance(expected, dict):
            if "faq" in expected:
                checker.known("examples", [*path, "expected", "faq"], expected["faq"], entries, "FAQ entry")
            else:
                checker.known("examples", [*path, "expected", "follow-up"], expected["follow-up"], None if facts is None else set(facts), "fact")
        elif expected not in ("ask-follow-up", "out-of-scope"):
            for index, concept_id in enumerate(expected if isinstance(expected, list) else [expected]):
                checker.known("examples", [*path, "expected", *([index] if isinstance(expected, list) else [])], concept_id, concepts, "concept")
        for fact_id, value in example.get("given", {}).items():
            if facts is None:
                continue
            if fact_id not in facts:
                checker.known("examples", [*path, "given", fact_id], fact_id, set(facts), "fact")
            else:
                checker.known("examples", [*path, "given", fact_id], value, facts[fact_id], f"value of fact {fact_id!r}")
    _check_facts(checker)


def _source(data: Any) -> Source:
    return Source(data["title"], data.get("url"), data.get("note"))


def _plugins(products: Any) -> list[Plugin]:
    return [
        Plugin(
            p["id"], p["name"], p["type"], p["shipped"], p.get("status", "active"), p.get("replacement"),
            p.get("support_ends"), p.get("min_version"), p.get("standalone_since"),
            tuple(_source(x) for x in p.get("sources", ())),
        )
        for p in products.get("plugins", [])
    ]


def _wording(products: Any) -> Wording:
    data = products.get("wording") or {}
    return Wording(
        tuple(data.get("install_commands", ())),
        tuple(data.get("plugin_id_suffixes", ())),
        data.get("version_label", "Version"),
        dict(data.get("shipped", {})),
        {
            key: StatusWording(value["label"], value["says"], value.get("label_until", ""), value.get("says_until", ""))
            for key, value in (data.get("statuses") or {}).items()
        },
        {key: PlanGroup(value["every"], value["some"]) for key, value in (data.get("plan_groups") or {}).items()},
    )


def _plans(products: Any) -> list[Plan]:
    return [Plan(p["id"], p["name"], p["deployment"], p.get("short", ""), p.get("phrase", "")) for p in products.get("plans", [])]


def _plugin_lists(products: Any) -> list[PluginList]:
    return [
        PluginList(x["id"], {key: tuple(value if isinstance(value, list) else [value]) for key, value in x["where"].items()}, x.get("description", ""))
        for x in products.get("lists", [])
    ]


def _strings(node: Any, path: list[Any], keep: Callable[[str], bool] | None = None) -> Iterable[tuple[list[Any], str]]:
    """Every text of a parsed file with its path, in document order (the `sources` lists left
    out); with `keep`, only the texts it accepts. Iterative, and the path is built only for a
    text that is yielded: a large file has hundreds of thousands of texts and few are wanted.
    A structure that contains itself (through an alias) is followed once."""
    if isinstance(node, str):
        if keep is None or keep(node):
            yield path, node
        return
    if not isinstance(node, (dict, list)):
        return
    stack: list[tuple[Iterator[tuple[Any, Any]], list[Any], Any]] = [(_entries(node), path, node)]
    while stack:
        entries, where, _ = stack[-1]
        for key, value in entries:
            if isinstance(value, str):
                if keep is None or keep(value):
                    yield [*where, key], value
            elif isinstance(value, (dict, list)) and not any(value is open_ for _, _, open_ in stack):
                stack.append((_entries(value), [*where, key], value))
                break
        else:
            stack.pop()


def _entries(node: dict[Any, Any] | list[Any]) -> Iterator[tuple[Any, Any]]:
    if isinstance(node, dict):
        return ((key, value) for key, value in node.items() if key != "sources")
    return enumerate(node)


def _may_name_facts(text: str) -> bool:
    """Whether a text can hold a `{{KIND:ID}}` reference, an install command or a backticked
    plugin id: the patterns of `advisor.facts` all need one of these marks."""
    return "{{" in text or "`" in text or "install" in text


def _fact_words(files: dict[str, Any]) -> dict[tuple[str, str], str]:
    """The words each `{{KIND:ID}}` reference stands for (see [`advisor.facts`][advisor.facts])."""
    products = files.get("products") or {}
    plugins = _plugins(products)
    by_id = {plugin.id: plugin for plugin in plugins}
    plans = _plans(products)
    plans_by_id = {plan.id: plan for plan in plans}
    wording = _wording(products)
    words: dict[tuple[str, str], str] = {}
    for plugin_list in _plugin_lists(products):
        names = fact_words.list_names(plugin_list, plugins)
        if names:
            words[("list", plugin_list.id)] = fact_words.join_words(names)
    for product in products.get("products", []):
        required = [plans_by_id[plan] for plan in product.get("requires", []) if plan in plans_by_id]
        if required:
            words[("needs", product["id"])] = fact_words.needs_text(required, plans, wording)
    for plugin in plugins:
        if not plugin.active:
            words[("status", plugin.id)] = fact_words.status_text(plugin, by_id, wording)
    return words


def _template_products(choice: str) -> list[tuple[str, str]]:
    """The `{plugin_id|KEY=VALUE}` conditions of an install step (KEY empty: any product)."""
    found = []
    for field in re.findall(r"\{(plugin_id(?:\|[^{}]*)?)\}", choice):
        condition = field.split("|", 1)[1] if "|" in field else ""
        key, _, value = condition.partition("=")
        found.append((key, value))
    return found


def _check_facts(checker: _Checker) -> None:
    """Plugins, plans and lists of `products.yaml`, the references to them, and install steps."""
    products = checker.files.get("products")
    if products is None:
        return
    checker.ids("products", "plans", "plan")
    checker.ids("products", "plugins", "plugin")
    checker.ids("products", "lists", "list")
    plugins = _plugins(products)
    by_id = {plugin.id: plugin for plugin in plugins}
    plan_ids = {plan.id for plan in _plans(products)}
    wording = _wording(products)
    statuses = {"active", *wording.statuses}
    for (path, _), plugin in zip(checker.items("products", "plugins"), plugins):
        if isinstance(plugin.status, str) and plugin.status not in statuses:
            checker.report("products", [*path, "status"], f"unknown status {plugin.status!r} (statuses: {', '.join(sorted(statuses))}; "
                           "a status other than active is worded under wording.statuses)")
        if plugin.replacement is not None:
            checker.known("products", [*path, "replacement"], plugin.replacement, set(by_id), "plugin")
            replacement = by_id.get(plugin.replacement)
            if replacement is not None and not replacement.active:
                checker.report("products", [*path, "replacement"], f"replacement {replacement.id!r} is not active itself ({replacement.status})")
        elif not plugin.active:
            checker.report("products", [*path, "status"], f"plugin {plugin.id!r} is {plugin.status} but names no replacement")
        if plugin.support_ends and plugin.active:
            checker.report("products", [*path, "support_ends"], "support_ends is for plugins that are not active")
    for path, plugin_list in zip((p for p, _ in checker.items("products", "lists")), _plugin_lists(products)):
        if not fact_words.list_names(plugin_list, plugins):
            checker.report("products", [*path, "where"], f"list {plugin_list.id!r} selects no plugin")
    for path, product in checker.items("products", "products"):
        for index, plan in enumerate(product.get("requires", [])):
            checker.known("products", [*path, "requires", index], plan, plan_ids, "plan")
        plugin_id = product.get("attributes", {}).get("plugin_id")
        if not plugins or not isinstance(plugin_id, str):
            continue
        if plugin_id not in by_id:
            checker.report("products", [*path, "attributes", "plugin_id"], f"plugin {plugin_id!r} is not in the plugins list{_suggest(plugin_id, by_id)}")
            continue
        said = product["attributes"].get("availability")
        if said is not None and said != by_id[plugin_id].shipped:
            checker.report(
                "products", [*path, "attributes", "availability"],
                f"says {said!r}, but plugin {plugin_id!r} is {by_id[plugin_id].shipped!r} in the plugins list (leave availability out: it comes from there)",
            )

    words = _fact_words(checker.files)
    finder = fact_words.PluginFinder(wording)
    for name, data in checker.files.items():
        if name == "examples":
            continue  # people's questions name whatever plugins they have, listed or not
        for path, text in _strings(data, [], _may_name_facts):
            for kind, ref in fact_words.references(text):
                if kind not in fact_words.REFERENCE_KINDS:
                    checker.report(name, path, f"unknown reference {{{{{kind}:{ref}}}}} (kinds: {', '.join(fact_words.REFERENCE_KINDS)})")
                elif (kind, ref) not in words:
                    what = {"list": "plugin list", "needs": "product with requires", "status": "plugin that is not active"}[kind]
                    checker.report(name, path, f"{{{{{kind}:{ref}}}}} names no {what}")
            if not plugins:
                continue
            installs = finder.installed(text)
            for plugin_id in finder.named(text):
                named = by_id.get(plugin_id)
                if named is None:
                    checker.report(name, path, f"names plugin {plugin_id!r}, which the plugins list of products.yaml does not have")
                elif plugin_id in installs and not named.active:
                    checker.report(name, path, "installs " + fact_words.not_active_text(named, wording))

    for path, rule in checker.items("rules", "rules"):
        for index, step in enumerate(rule.get("next_steps", [])):
            for choice in step.split(" || "):
                if "install" not in choice.lower():
                    continue
                for key, value in _template_products(choice):
                    for product in products.get("products", []):
                        attributes = product.get("attributes", {})
                        installed = by_id.get(attributes.get("plugin_id", ""))
                        if installed is None or rule["concept"] not in product.get("concepts", []):
                            continue
                        actual = attributes.get(key, installed.shipped if key == "availability" else None)
                        if key and actual != value:
                            continue
                        if not installed.active:
                            checker.report("rules", [*path, "next_steps", index], f"can install {product['name']}: " + fact_words.not_active_text(installed, wording))


def _expand_references(files: dict[str, Any]) -> None:
    """Replace every `{{KIND:ID}}` reference of the parsed files by its words, in place."""
    words = _fact_words(files)
    for data in files.values():
        for path, text in _strings(data, [], _has_reference):
            node = data
            for step in path[:-1]:
                node = node[step]
            node[path[-1]] = fact_words.expand(text, words)


def _has_reference(text: str) -> bool:
    return "{{" in text


def _kind_of_cycle(start: str, parents: dict[str, str]) -> list[str]:
    """Return the cycle of `kind_of` links that `start` belongs to, or an empty list."""
    seen: list[str] = []
    node = start
    while node in parents:
        if node in seen:
            cycle = seen[seen.index(node):]
            return cycle if start in cycle else []
        seen.append(node)
        node = parents[node]
    return []


def _where(label: str, data: Any) -> Location:
    line, column = _located(data, [])
    return Location(label, line, column)


def _plain(value: Any) -> Any:
    """Copy located containers into plain dicts and lists (the model holds no YAML types)."""
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_plain(item) for item in value]
    return value


def _build(files: dict[str, Any], labels: dict[str, str], path: Path) -> KnowledgeBase:
    def items(name: str, key: str) -> list[dict[str, Any]]:
        return list(files.get(name, {}).get(key, []))

    kb = files["kb"]
    plugins = _plugins(files.get("products", {}))
    plans = _plans(files.get("products", {}))
    wording = _wording(files.get("products", {}))
    concepts = tuple(
        Concept(
            id=c["id"],
            name=c["name"],
            summary=c["summary"],
            role=c.get("role", "main"),
            kind_of=c.get("kind_of"),
            applies_to=tuple(c.get("applies_to", ())),
            purpose=c.get("purpose", ""),
            includes=tuple(c.get("includes", ())),
            use_when=tuple(Criterion(x["id"], x["text"]) for x in c.get("use_when", ())),
            examples=tuple(c.get("examples", ())),
            aliases=tuple(c.get("aliases", ())),
            notes=tuple(c.get("notes", ())),
            links=tuple(Link(x["title"], x["url"]) for x in c.get("links", ())),
            where=_where(labels["concepts"], c),
        )
        for c in items("concepts", "concepts")
    )
    relations = tuple(
        Relation(r["from"], r["type"], r["to"], r.get("label", ""), r.get("note", ""), _where(labels["relations"], r))
        for r in items("relations", "relations")
    )
    questions = files.get("questions", {})
    return KnowledgeBase(
        id=kb["id"],
        title=kb["title"],
        description=kb["description"],
        path=str(path),
        scopes=tuple(Scope(s["id"], s["name"], s.get("description", "")) for s in kb["scopes"]),
        concepts=concepts,
        relation_types=tuple(RelationType(t["id"], t["label"], t.get("description", "")) for t in items("relations", "relation_types")),
        relations=relations,
        faq=tuple(
            Faq(
                f["id"], f["question"], f["answer"], tuple(f["concepts"]), tuple(f.get("phrases", ())), f.get("simplifies", ""),
                _where(labels["faq"], f), tuple(f.get("keywords", ())), sources=tuple(_source(x) for x in f.get("sources", ())),
            )
            for f in items("faq", "faq")
        ) + tuple(
            Faq(t["id"], t["question"], t["answer"], tuple(t["concepts"]), tuple(t.get("phrases", ())), "", _where(labels["troubleshooting"], t), tuple(t.get("keywords", ())), kind="troubleshooting")
            for t in items("troubleshooting", "troubleshooting")
        ),
        columns=tuple(Column(c["id"], c["name"]) for c in items("comparisons", "columns")),
        comparisons=tuple(
            Comparison(
                c["id"], c["title"], tuple(c["concepts"]), tuple(c["columns"]), c.get("description", ""),
                c.get("footer_scenario"), _where(labels["comparisons"], c),
            )
            for c in items("comparisons", "comparisons")
        ),
        products=tuple(_product(p, labels["products"], plugins, plans, wording) for p in items("products", "products")),
        plans=tuple(plans),
        plugins=tuple(plugins),
        lists=tuple(_plugin_lists(files.get("products", {}))),
        wording=wording,
        review_within_days=kb.get("review_within_days", 183),
        plan_fact=kb.get("plan_fact", ""),
        scenarios=tuple(
            Scenario(
                s["id"], s["title"], s["type"],
                tuple(Step(x["concept"], x["text"], tuple(x.get("products", ()))) for x in s["steps"]),
                s.get("summary", ""), tuple(s.get("applies_to", ())), _where(labels["scenarios"], s),
            )
            for s in items("scenarios", "scenarios")
        ),
        questions=tuple(
            Question(
                q["id"], q["prompt"],
                tuple(Answer(v["id"], v["label"], tuple(v.get("phrases", ())), v.get("statement", "")) for v in q["values"]),
                q.get("help", ""), q.get("ask", True), q.get("priority", 0), _where(labels["questions"], q),
                q.get("match_concepts", False), tuple(q.get("wins", ())),
            )
            for q in questions.get("facts", [])
        ),
        rules=tuple(
            Rule(r["id"], r["concept"], float(r["weight"]), _plain(r["when"]), r["reason"], tuple(r.get("next_steps", ())), _where(labels["rules"], r))
            for r in items("rules", "rules")
        ),
        synonyms=dict(questions.get("synonyms", {})),
        intents=tuple(Intent(i["id"], tuple(i["phrases"]), i.get("description", "")) for i in questions.get("intents", [])),
        out_of_scope=tuple(OutOfScope(o["id"], tuple(o["phrases"]), o["message"]) for o in questions.get("out_of_scope", [])),
        sources={name: tuple(Source(s["title"], s.get("url"), s.get("note")) for s in data["sources"]) for name, data in files.items()},
        last_reviewed={name: data["last_reviewed"] for name, data in files.items()},
        examples=tuple(
            Example(e["id"], e["question"], _plain(e["expected"]), {k: str(v) for k, v in e.get("given", {}).items()}, e.get("source", ""), _where(labels["examples"], e), bool(e.get("known_miss", False)))
            for e in items("examples", "examples")
        ),
        language=_plain(kb.get("language", {})),
        compounds=dict(questions.get("compounds", {})),
        last_reviewed_at={name: Location(labels[name], *_located(data, ["last_reviewed"])) for name, data in files.items()},
    )


def _product(data: Any, label: str, plugins: list[Plugin], plans: list[Plan], wording: Wording) -> Product:
    """A product, with what its plugin and plans add: `availability` from the plugins list,
    `install_id` (the plugin id, when it is active and must be installed), and `status_note` (a
    plugin that is not active) and `needs` (required plans) as attributes and at the end of its
    summary, so that every answer and page that shows it says so."""
    attributes = _plain(data.get("attributes", {}))
    summary = data.get("summary", "")
    by_id = {plugin.id: plugin for plugin in plugins}
    plugin = by_id.get(attributes.get("plugin_id", ""))
    if plugin is not None:
        attributes.setdefault("availability", plugin.shipped)
        if plugin.active and plugin.shipped in ("catalog", "not bundled"):
            attributes["install_id"] = plugin.id
        if not plugin.active:
            attributes["status_note"] = fact_words.status_text(plugin, by_id, wording)
            summary = f"{summary} {attributes['status_note']}".strip()
    plans_by_id = {plan.id: plan for plan in plans}
    required = [plans_by_id[plan] for plan in data.get("requires", ())]
    if required:
        attributes["needs"] = fact_words.needs_text(required, plans, wording)
        summary = f"{summary} Needs {attributes['needs']}.".strip()
    return Product(
        data["id"], data["name"], tuple(data.get("aliases", ())), summary, tuple(data.get("concepts", ())),
        attributes, dict(data.get("implies", {})), data.get("note", ""), _where(label, data),
        tuple(data.get("requires", ())), tuple(_source(x) for x in data.get("sources", ())),
    )


def kb_files(path: Path) -> dict[str, Path]:
    """Return the data files of the knowledge base at `path` that exist or are required."""
    return {
        name: path / f"{name}.yaml"
        for name, required in DATA_FILES.items()
        if required or (path / f"{name}.yaml").exists()
    }


def load_knowledge_base(path: str | Path | None = None) -> KnowledgeBase:
    """Load, validate and return the knowledge base in folder `path` (default: the bundled one).

    Raises [`KnowledgeBaseError`][advisor.errors.KnowledgeBaseError] listing every problem found,
    each with its file, line and column where it has one.
    """
    folder = Path(path) if path is not None else default_kb_path()
    if not folder.is_dir():
        from advisor.paths import bundled_kbs

        names = ", ".join(bundled_kbs())
        what = f"knowledge base folder not found (bundled ones, by name: {names})" if not folder.exists() else "is not a folder"
        raise KnowledgeBaseError([Problem(str(folder), what)])
    problems: list[Problem] = []
    files: dict[str, Any] = {}
    partial: dict[str, Any] = {}
    labels: dict[str, str] = {}
    for name, file in kb_files(folder).items():
        labels[name] = str(file)
        try:
            data = read_yaml(file, labels[name])
        except YamlProblem as error:
            problems.append(error.problem)
            continue
        schema_problems = _check_schema(name, labels[name], data)
        problems.extend(schema_problems)
        if not schema_problems:
            files[name] = data
        elif isinstance(data, dict):
            partial[name] = data
    derive(files)
    # cross-references are checked in the same run, also in files with structural problems (their
    # well-formed entries), so that one run lists every problem
    checker = _Checker({**files, **partial}, labels)
    try:
        _cross_check(checker)
    except (KeyError, TypeError, AttributeError, ValueError):
        if not partial:
            raise
        # a structure too broken to follow: its schema problems, reported above, come first
    problems.extend(problem for problem in checker.problems if problem not in problems)
    if problems:
        raise KnowledgeBaseError(problems)
    _expand_references(files)
    return _build(files, labels, folder)
