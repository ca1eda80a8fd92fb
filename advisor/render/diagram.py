"""Mermaid diagrams of the graph: a concept's neighbourhood, the whole graph, and the decision flow of the rules.

Every label is quoted and escaped with [`mermaid_label`][advisor.render.escape.mermaid_label];
node ids come from [`mermaid_id`][advisor.render.escape.mermaid_id], so no text of the data can
break out of a diagram. The output is plain text for a ```` ```mermaid ```` fence.
"""

from __future__ import annotations

from dataclasses import dataclass

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


def _edge(source: str, target: str, data: dict) -> DiagramEdge:
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


def condition_text(condition: Condition, kb: KnowledgeBase) -> str:
    """Return a rule condition in words, with fact values by their labels.

    >>> condition_text({"all": [{"mood": "calm"}, {"not": {"place": "office"}}]}, kb)
    'mood is Calm and not (place is At the office)'
    """
    questions = {question.id: question for question in kb.questions}

    def value_label(fact: str, value: str) -> str:
        question = questions.get(fact)
        answer = question.value(value) if question else None
        return answer.label if answer else value

    def words(part: Condition, nested: bool) -> str:
        clauses = []
        for key, value in part.items():
            if key in ("all", "any"):
                joined = (" and " if key == "all" else " or ").join(words(item, True) for item in value)
                clauses.append(f"({joined})" if nested and len(value) > 1 else joined)
            elif key == "not":
                clauses.append(f"not ({words(value, False)})")
            else:
                options = value if isinstance(value, list) else [value]
                clauses.append(f"{key} is " + " or ".join(value_label(key, str(option)) for option in options))
        text = " and ".join(clauses)
        return f"({text})" if nested and len(clauses) > 1 else text

    return words(condition, False)


def condition_facts(condition: Condition) -> list[str]:
    """Return the facts a condition tests, in order of appearance, each once."""
    found: list[str] = []

    def walk(part: Condition) -> None:
        for key, value in part.items():
            if key in ("all", "any"):
                for item in value:
                    walk(item)
            elif key == "not":
                walk(value)
            elif key not in found:
                found.append(key)

    walk(condition)
    return found


def _weight(rule: Rule) -> str:
    return f"{rule.weight:+g}"


def decision_flow(kb: KnowledgeBase) -> str:
    """Return a Mermaid flowchart of the rules: the facts asked, each rule (its condition in
    words) and the concept it points to with its weight. Drawn from `rules.yaml`, so it cannot
    go stale. Empty text when there are no rules, or too many to draw (the page lists them).
    """
    if not kb.rules:
        return ""
    names = {concept.id: concept.name for concept in kb.concepts}
    questions = {question.id: question for question in kb.questions}
    lines = ["flowchart LR"]
    facts: list[str] = []
    for rule in kb.rules:
        facts.extend(fact for fact in condition_facts(rule.when) if fact not in facts)
    for fact in facts:
        prompt = questions[fact].prompt if fact in questions else fact
        lines.append(f"    {mermaid_id(fact, 'f')}{{{mermaid_label(prompt)}}}")
    targets: list[str] = []
    for rule in kb.rules:
        lines.append(f"    {mermaid_id(rule.id, 'r')}[{mermaid_label(condition_text(rule.when, kb))}]")
        if rule.concept not in targets:
            targets.append(rule.concept)
    for concept_id in targets:
        lines.append(f"    {mermaid_id(concept_id)}([{mermaid_label(names.get(concept_id, concept_id))}]):::concept")
    for rule in kb.rules:
        for fact in condition_facts(rule.when):
            lines.append(f"    {mermaid_id(fact, 'f')} --> {mermaid_id(rule.id, 'r')}")
        lines.append(f"    {mermaid_id(rule.id, 'r')} -->|{mermaid_label(_weight(rule))}| {mermaid_id(rule.concept)}")
    lines.append("    classDef concept stroke-width:3px")
    if len(lines) > MAX_GRAPH_NODES + MAX_GRAPH_EDGES:
        return ""
    return "\n".join(lines) + "\n"
