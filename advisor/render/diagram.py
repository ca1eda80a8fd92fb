"""Mermaid diagrams of the graph: a concept's neighbourhood, the whole graph, and the decision flow of the rules.

Every label is quoted and escaped with [`mermaid_label`][advisor.render.escape.mermaid_label];
node ids come from [`mermaid_id`][advisor.render.escape.mermaid_id], so no text of the data can
break out of a diagram. The output is plain text for a ```` ```mermaid ```` fence.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import networkx as nx

from advisor.graph import KIND_OF, knowledge_base
from advisor.model import Condition, KnowledgeBase, Rule
from advisor.render.escape import mermaid_id, mermaid_label

#: A neighbourhood diagram shows at most this many neighbours; the page lists them all.
MAX_NEIGHBOURS = 24

#: The whole-graph diagram is drawn only up to these sizes (Mermaid refuses much larger text).
MAX_GRAPH_NODES = 150
MAX_GRAPH_EDGES = 300


@dataclass(frozen=True)
class DiagramEdge:
    """One drawn edge: source id, target id, label, and whether it is an is-a (`kind of`) link."""

    source: str
    target: str
    label: str
    kind_of: bool


def _edge(source: str, target: str, data: dict[str, Any]) -> DiagramEdge:
    return DiagramEdge(source, target, data["label"], data["type"] == KIND_OF)


def _edge_line(edge: DiagramEdge) -> str:
    arrow = "-.->" if edge.kind_of else "-->"
    return f"    {mermaid_id(edge.source)} {arrow}|{mermaid_label(edge.label)}| {mermaid_id(edge.target)}"


def _node_line(graph: nx.MultiDiGraph, concept_id: str, css_class: str | None = None) -> str:
    concept = graph.nodes[concept_id]["concept"]
    shape = f"({mermaid_label(concept.name)})" if concept.role == "context" else f"[{mermaid_label(concept.name)}]"
    line = f"    {mermaid_id(concept_id)}{shape}"
    return line + (f":::{css_class}" if css_class else "")


def incident_edges(graph: nx.MultiDiGraph, concept_id: str) -> list[DiagramEdge]:
    """Return the edges that touch a concept (both directions, `kind of` links included),
    out-going first, each group in a stable order (by the other end, then the label).

    Only the concept's own adjacency is read, so the cost is its degree, never the graph's size.
    """
    out_edges = sorted((_edge(s, t, d) for s, t, d in graph.out_edges(concept_id, data=True)), key=lambda e: (e.target, e.label))
    in_edges = sorted((_edge(s, t, d) for s, t, d in graph.in_edges(concept_id, data=True)), key=lambda e: (e.source, e.label))
    return out_edges + [edge for edge in in_edges if edge.source != edge.target]


def neighbourhood_diagram(graph: nx.MultiDiGraph, concept_id: str, limit: int = MAX_NEIGHBOURS) -> str:
    """Return a Mermaid flowchart of a concept and the concepts one link away.

    At most `limit` neighbours are drawn (the first ones in a stable order) and a last node says
    how many more there are. Returns an empty text when the concept has no links.
    """
    edges = incident_edges(graph, concept_id)
    if not edges:
        return ""
    neighbours: list[str] = []
    for edge in edges:
        other = edge.target if edge.source == concept_id else edge.source
        if other not in neighbours and other != concept_id:
            neighbours.append(other)
    shown = set(neighbours[:limit])
    lines = ["flowchart LR", _node_line(graph, concept_id, "focus")]
    lines.extend(_node_line(graph, other) for other in neighbours[:limit])
    lines.extend(_edge_line(edge) for edge in edges if {edge.source, edge.target} - {concept_id} <= shown)
    hidden = len(neighbours) - len(shown)
    if hidden > 0:
        more = mermaid_id(concept_id, "more")
        lines.append(f"    {more}{mermaid_label(f'… and {hidden} more')}")
        lines.append(f"    {mermaid_id(concept_id)} --- {more}")
    lines.append("    classDef focus stroke-width:3px")
    return "\n".join(lines) + "\n"


def graph_diagram(graph: nx.MultiDiGraph) -> str:
    """Return a Mermaid flowchart of the whole graph, or of its `main` concepts when the whole
    is too large to draw; an empty text when even that is too large (the pages list it all).
    """
    kb = knowledge_base(graph)
    for nodes in ([c.id for c in kb.concepts], [c.id for c in kb.concepts if c.role == "main"]):
        if len(nodes) > MAX_GRAPH_NODES:
            continue
        keep = set(nodes)
        edges = sorted(
            (_edge(s, t, d) for s, t, d in graph.edges(nodes, data=True) if t in keep),
            key=lambda e: (e.source, e.target, e.label),
        )
        if len(edges) > MAX_GRAPH_EDGES:
            continue
        lines = ["flowchart LR"]
        lines.extend(_node_line(graph, node) for node in nodes)
        lines.extend(_edge_line(edge) for edge in edges)
        return "\n".join(lines) + "\n"
    return ""


#: Writes one tested fact: `(fact id, value ids, negated) -> text`.
ClauseWriter = Callable[[str, list[str], bool], str]


def condition_words(condition: Condition, clause: ClauseWriter, and_word: str = " AND ", or_word: str = " OR ",
                    not_word: str = "NOT ") -> str:
    """Return a rule condition in words: each tested fact written by `clause`, joined with the
    given words; a `not` over one fact is passed to `clause` as negated, a `not` over a group
    is written `NOT (...)`.

    >>> condition_words({"all": [{"mood": "calm"}, {"not": {"place": "office"}}]},
    ...                 lambda fact, values, negated: f"{fact}{' != ' if negated else ' = '}{'/'.join(values)}")
    'mood = calm AND place != office'
    """

    def words(part: Condition, nested: bool, negated: bool = False) -> str:
        clauses = []
        for key, value in part.items():
            if key in ("all", "any"):
                joined = (and_word if key == "all" else or_word).join(words(item, True) for item in value)
                clauses.append(f"({joined})" if nested and len(value) > 1 else joined)
            elif key == "not":
                single = len(value) == 1 and next(iter(value)) not in ("all", "any", "not")
                clauses.append(words(value, nested, True) if single else f"{not_word}({words(value, False)})")
            else:
                options = value if isinstance(value, list) else [value]
                clauses.append(clause(key, [str(option) for option in options], negated))
        text = and_word.join(clauses)
        return f"({text})" if nested and len(clauses) > 1 else text

    return words(condition, False)


def fact_name(fact: str) -> str:
    """Return a fact's id as words, the short name diagrams and lists use for its question.

    >>> fact_name("system_support")
    'system support'
    """
    return " ".join(fact.replace("_", " ").replace("-", " ").split()) or fact


def condition_text(condition: Condition) -> str:
    """Return a rule condition as compact text for a diagram: each fact by its short name and
    the value ids it is tested against, negations in capitals.

    >>> condition_text({"all": [{"mood": "calm"}, {"not": {"place": "office"}}]})
    'mood: calm AND place: NOT office'
    """

    def clause(fact: str, values: list[str], negated: bool) -> str:
        return f"{fact_name(fact)}: {'NOT ' if negated else ''}{' or '.join(values)}"

    return condition_words(condition, clause)


def _weight(rule: Rule) -> str:
    return f"{rule.weight:+g}"


def rules_by_concept(kb: KnowledgeBase) -> dict[str, list[Rule]]:
    """Return the rules grouped by the concept they point to, concepts in order of their first rule."""
    groups: dict[str, list[Rule]] = {}
    for rule in kb.rules:
        groups.setdefault(rule.concept, []).append(rule)
    return groups


def decision_flow(kb: KnowledgeBase) -> str:
    """Return a Mermaid flowchart of the rules: one box per concept the rules recommend, holding
    each of its rules (the condition in compact words) with an arrow to the concept labelled
    with the rule's weight (dotted when the weight is negative). Drawn from `rules.yaml` and
    `questions.yaml`, so it cannot go stale. Empty text when there are no rules, or too many to
    draw (the page lists them).
    """
    if not kb.rules:
        return ""
    names = {concept.id: concept.name for concept in kb.concepts}
    lines = ["flowchart LR"]
    # Mermaid stacks unconnected groups bottom-up in a left-to-right chart: written in reverse,
    # they show in data order.
    for concept_id, rules in reversed(rules_by_concept(kb).items()):
        name = names.get(concept_id, concept_id)
        lines.append(f"    subgraph {mermaid_id(concept_id, 's')}[{mermaid_label(f'When the advisor recommends {name}')}]")
        lines.append("    direction LR")
        lines.append(f"    {mermaid_id(concept_id)}([{mermaid_label(name)}]):::concept")
        for rule in rules:
            lines.append(f"    {mermaid_id(rule.id, 'r')}[{mermaid_label(condition_text(rule.when))}]")
            arrow = "-.->" if rule.weight < 0 else "-->"
            lines.append(f"    {mermaid_id(rule.id, 'r')} {arrow}|{mermaid_label(_weight(rule))}| {mermaid_id(concept_id)}")
        lines.append("    end")
    lines.append("    classDef concept stroke-width:3px")
    if len(lines) > MAX_GRAPH_NODES + MAX_GRAPH_EDGES:
        return ""
    return "\n".join(lines) + "\n"
