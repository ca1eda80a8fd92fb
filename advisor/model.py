"""Typed records of a knowledge base: what the YAML files say, once validated."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, TypeVar, Union

#: A condition over facts, as written in `rules.yaml` (see [`Rule`][advisor.model.Rule]).
Condition = dict[str, Any]

#: The value of a product attribute: a text, a list of texts or a flag.
AttributeValue = Union[str, list[str], bool]


@dataclass(frozen=True)
class Location:
    """A place in a data file: 1-based line and column, where known."""

    file: str
    line: int | None = None
    column: int | None = None

    def __str__(self) -> str:
        place = self.file
        if self.line is not None:
            place += f":{self.line}"
            if self.column is not None:
                place += f":{self.column}"
        return place


@dataclass(frozen=True)
class Source:
    """Where the facts of a data file come from."""

    title: str
    url: str | None = None
    note: str | None = None


@dataclass(frozen=True)
class Scope:
    """Where a concept can apply, such as a deployment (`self-hosted`, `cloud`)."""

    id: str
    name: str
    description: str = ""


@dataclass(frozen=True)
class Criterion:
    """One "use it when" criterion of a concept."""

    id: str
    text: str


@dataclass(frozen=True)
class Link:
    """A link to further reading."""

    title: str
    url: str


@dataclass(frozen=True)
class Concept:
    """A concept of the domain: a node of the graph.

    `role` is `main` for the things users choose between and `context` for supporting
    nodes that relations need (the product itself, a dashboard, ...).
    """

    id: str
    name: str
    summary: str
    role: str = "main"
    kind_of: str | None = None
    applies_to: tuple[str, ...] = ()
    purpose: str = ""
    includes: tuple[str, ...] = ()
    use_when: tuple[Criterion, ...] = ()
    examples: tuple[str, ...] = ()
    aliases: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()
    links: tuple[Link, ...] = ()
    where: Location | None = field(default=None, compare=False, repr=False)


@dataclass(frozen=True)
class RelationType:
    """A kind of edge, with the label diagrams show."""

    id: str
    label: str
    description: str = ""


@dataclass(frozen=True)
class Relation:
    """A typed edge from one concept to another."""

    source: str
    type: str
    target: str
    label: str = ""
    note: str = ""
    where: Location | None = field(default=None, compare=False, repr=False)


@dataclass(frozen=True)
class Faq:
    """A confusion point: a question people ask, its answer and the concepts it is about."""

    id: str
    question: str
    answer: str
    concepts: tuple[str, ...]
    phrases: tuple[str, ...] = ()
    simplifies: str = ""
    where: Location | None = field(default=None, compare=False, repr=False)
    #: More words for the advisor's FAQ keyword scorer (beside those of the question and phrases).
    keywords: tuple[str, ...] = ()
    #: `"faq"` for a confusion point, `"troubleshooting"` for a symptom with its cause and fix.
    kind: str = "faq"
    #: Where this answer's facts come from, beside its file's sources.
    sources: tuple[Source, ...] = ()


@dataclass(frozen=True)
class Column:
    """An attribute a comparison table can show, with its heading."""

    id: str
    name: str


@dataclass(frozen=True)
class Comparison:
    """A named comparison table: which concepts, which columns, in which order."""

    id: str
    title: str
    concepts: tuple[str, ...]
    columns: tuple[str, ...]
    description: str = ""
    footer_scenario: str | None = None
    where: Location | None = field(default=None, compare=False, repr=False)


@dataclass(frozen=True)
class Product:
    """A named product or technology: an example of concepts, and words that imply facts."""

    id: str
    name: str
    aliases: tuple[str, ...] = ()
    summary: str = ""
    concepts: tuple[str, ...] = ()
    attributes: dict[str, AttributeValue] = field(default_factory=dict, hash=False)
    implies: dict[str, str] = field(default_factory=dict, hash=False)
    note: str = ""
    where: Location | None = field(default=None, compare=False, repr=False)
    #: Plan ids any one of which gives access to it (see [`Plan`][advisor.model.Plan]); empty: no plan needed.
    requires: tuple[str, ...] = ()
    #: Where the facts of this product come from, beside its file's sources.
    sources: tuple[Source, ...] = ()


@dataclass(frozen=True)
class Plan:
    """An edition or a hosted tier that a product can require (a paid licence, a plan of a service)."""

    id: str
    name: str
    deployment: str
    short: str = ""
    phrase: str = ""


@dataclass(frozen=True)
class Plugin:
    """A plugin the knowledge base names: how it ships, its status, the oldest host version it runs on.

    `status` is `active` or one of the statuses the knowledge base words in
    [`Wording.statuses`][advisor.model.Wording] (each of them names a `replacement`).
    """

    id: str
    name: str
    type: str
    shipped: str
    status: str = "active"
    replacement: str | None = None
    support_ends: str | None = None
    min_version: str | None = None
    standalone_since: str | None = None
    sources: tuple[Source, ...] = ()
    where: Location | None = field(default=None, compare=False, repr=False)

    @property
    def active(self) -> bool:
        """Whether the plugin can be recommended for installing."""
        return self.status == "active"


@dataclass(frozen=True)
class StatusWording:
    """How a plugin status that is not `active` reads: a table label and the end of a sentence.

    The `*_until` forms are used when the plugin has a `support_ends` date (`{date}` in them).
    """

    label: str
    says: str
    label_until: str = ""
    says_until: str = ""


@dataclass(frozen=True)
class PlanGroup:
    """How the plans of one deployment read together: all of them, or some (`{plans}` in `some`)."""

    every: str
    some: str


@dataclass(frozen=True)
class Wording:
    """How a knowledge base's plugins, their statuses and plans read in answers, tables and checks.

    Kept in the data (`wording:` of `products.yaml`), so that no product's words live in the code.
    """

    #: Commands that install a plugin by id, as words (`tool plugins install`); options may sit between words.
    install_commands: tuple[str, ...] = ()
    #: The last part of a plugin id that marks a word as a plugin id (`panel` for `org-name-panel`).
    plugin_id_suffixes: tuple[str, ...] = ()
    #: The heading of the plugins table's column of oldest host versions.
    version_label: str = "Version"
    #: How each way of shipping a plugin (`built-in`, `preinstalled`, ...) reads in a table.
    shipped: dict[str, str] = field(default_factory=dict, hash=False)
    #: Statuses other than `active`, by id.
    statuses: dict[str, StatusWording] = field(default_factory=dict, hash=False)
    #: How plans of one deployment read together, by deployment.
    plan_groups: dict[str, PlanGroup] = field(default_factory=dict, hash=False)

    def shipped_label(self, shipped: str) -> str:
        """How a way of shipping reads (the value itself, capitalised, when the data words nothing)."""
        return self.shipped.get(shipped) or shipped[:1].upper() + shipped[1:]


@dataclass(frozen=True)
class PluginList:
    """A list of plugins chosen by their fields, referenced from texts as `{{list:ID}}`."""

    id: str
    where_fields: dict[str, tuple[str, ...]] = field(default_factory=dict, hash=False)
    description: str = ""


@dataclass(frozen=True)
class Step:
    """One step of a scenario: what to do, with which concept and products."""

    concept: str
    text: str
    products: tuple[str, ...] = ()


@dataclass(frozen=True)
class Scenario:
    """A path (a general way of working) or a worked example, as ordered steps."""

    id: str
    title: str
    type: str
    steps: tuple[Step, ...]
    summary: str = ""
    applies_to: tuple[str, ...] = ()
    where: Location | None = field(default=None, compare=False, repr=False)


@dataclass(frozen=True)
class Answer:
    """One possible value of a fact, with the phrases that imply it in a sentence."""

    id: str
    label: str
    phrases: tuple[str, ...] = ()
    #: What this value says of the person, for answers in plain words ("you run Grafana yourself").
    statement: str = ""


@dataclass(frozen=True)
class Question:
    """A fact the advisor can know, how to ask for it and its possible values."""

    id: str
    prompt: str
    values: tuple[Answer, ...]
    help: str = ""
    ask: bool = True
    priority: int = 0
    where: Location | None = field(default=None, compare=False, repr=False)
    #: The names and aliases of the concept with a value's id also imply that value.
    match_concepts: bool = False
    #: Which value wins when one sentence names several, strongest first (default: `values` order).
    wins: tuple[str, ...] = ()

    def value(self, value_id: str) -> Answer | None:
        """Return the answer with this id, or `None`."""
        return next((answer for answer in self.values if answer.id == value_id), None)


@dataclass(frozen=True)
class Intent:
    """A kind of request recognised from its phrases, such as asking for a difference."""

    id: str
    phrases: tuple[str, ...]
    description: str = ""


@dataclass(frozen=True)
class OutOfScope:
    """A topic the knowledge base does not cover, with what to tell the user."""

    id: str
    phrases: tuple[str, ...]
    message: str


@dataclass(frozen=True)
class Rule:
    """Conditions over facts that point to a concept.

    `when` is a mapping: `{fact: value}` or `{fact: [value, ...]}` (several keys must all
    hold), or `{"all": [...]}`, `{"any": [...]}`, `{"not": condition}`.
    """

    id: str
    concept: str
    weight: float
    when: Condition
    reason: str
    next_steps: tuple[str, ...] = ()
    where: Location | None = field(default=None, compare=False, repr=False)


@dataclass(frozen=True)
class Example:
    """A question as people ask it, with the outcome a correct advisor gives.

    `expected` is a concept id, a list of concept ids (any of them is right; for an FAQ entry, all
    of them are its concepts), `"ask-follow-up"`, `"out-of-scope"`, `{"faq": ENTRY}` or
    `{"follow-up": FACT}`. `given` are facts known besides the text (as `--fact`).
    """

    id: str
    question: str
    expected: Any
    given: dict[str, str] = field(default_factory=dict, hash=False)
    source: str = ""
    where: Location | None = field(default=None, compare=False, repr=False)
    #: The advisor still gets it wrong: reported by `advisor test`, not failed on.
    known_miss: bool = False


@dataclass(frozen=True)
class KnowledgeBase:
    """Everything one knowledge base folder holds, validated."""

    id: str
    title: str
    description: str
    path: str
    scopes: tuple[Scope, ...]
    concepts: tuple[Concept, ...]
    relation_types: tuple[RelationType, ...]
    relations: tuple[Relation, ...]
    faq: tuple[Faq, ...]
    columns: tuple[Column, ...]
    comparisons: tuple[Comparison, ...]
    products: tuple[Product, ...]
    scenarios: tuple[Scenario, ...]
    questions: tuple[Question, ...]
    rules: tuple[Rule, ...]
    synonyms: dict[str, str] = field(default_factory=dict, hash=False)
    intents: tuple[Intent, ...] = ()
    out_of_scope: tuple[OutOfScope, ...] = ()
    sources: dict[str, tuple[Source, ...]] = field(default_factory=dict, hash=False)
    last_reviewed: dict[str, str] = field(default_factory=dict, hash=False)
    examples: tuple[Example, ...] = ()
    language: dict[str, Any] = field(default_factory=dict, hash=False)
    #: The last part of a hyphenated identifier -> the words it stands for ("panel" -> "panel plugin").
    compounds: dict[str, str] = field(default_factory=dict, hash=False)
    plans: tuple[Plan, ...] = ()
    plugins: tuple[Plugin, ...] = ()
    lists: tuple[PluginList, ...] = ()
    #: How plugins, statuses and plans read (from `products.yaml`).
    wording: Wording = field(default_factory=lambda: Wording(), hash=False)
    #: Days after its `last_reviewed` date that a data file counts as stale.
    review_within_days: int = 183
    #: The fact whose values are plan ids (`kb.yaml` `plan_fact`): answers check a product's `requires` against it.
    plan_fact: str = ""
    #: Where each file states its `last_reviewed` date.
    last_reviewed_at: dict[str, Location] = field(default_factory=dict, hash=False)

    def plugin(self, plugin_id: str) -> Plugin | None:
        """Return the plugin with this id, or `None` when the knowledge base does not list it."""
        return next((plugin for plugin in self.plugins if plugin.id == plugin_id), None)

    def plan(self, plan_id: str) -> Plan:
        """Return the plan with this id (`KeyError` if there is none)."""
        return _by_id(self.plans, plan_id)

    def concept(self, concept_id: str) -> Concept:
        """Return the concept with this id (`KeyError` if there is none)."""
        return _by_id(self.concepts, concept_id)

    def scope(self, scope_id: str) -> Scope:
        """Return the scope with this id (`KeyError` if there is none)."""
        return _by_id(self.scopes, scope_id)

    def question(self, fact_id: str) -> Question:
        """Return the question of this fact (`KeyError` if there is none)."""
        return _by_id(self.questions, fact_id)

    def column(self, column_id: str) -> Column:
        """Return the column with this id (`KeyError` if there is none)."""
        return _by_id(self.columns, column_id)

    def comparison(self, comparison_id: str) -> Comparison:
        """Return the named comparison (`KeyError` if there is none)."""
        return _by_id(self.comparisons, comparison_id)

    def scenario(self, scenario_id: str) -> Scenario:
        """Return the scenario with this id (`KeyError` if there is none)."""
        return _by_id(self.scenarios, scenario_id)


_Record = TypeVar("_Record", Concept, Scope, Question, Column, Comparison, Scenario, Plan)


def _by_id(records: tuple[_Record, ...], record_id: str) -> _Record:
    for record in records:
        if record.id == record_id:
            return record
    raise KeyError(record_id)
