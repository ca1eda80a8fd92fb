"""The concept graph (networkx) and the questions asked of it: kinds, relations, neighbourhoods.

Nodes are concept ids, with the [`Concept`][advisor.model.Concept] under the `concept` key.
Edges are relations, keyed by relation type; `kind_of` links are edges of type `kind-of`
from a concept to its parent.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import networkx as nx

from advisor.model import Concept, Faq, KnowledgeBase, Product, Relation, Scenario

#: The edge type of a `kind_of` (is-a) link, from a concept to its parent.
KIND_OF = "kind-of"


def build_graph(kb: KnowledgeBase) -> nx.MultiDiGraph:
    """Return the concept graph of a knowledge base.

    ```pycon
    >>> graph = build_graph(kb)
    >>> concept(graph, "data-source-plugin").kind_of
    'plugin'
    ```
    """
    graph = nx.MultiDiGraph(kb=kb)
    for concept in kb.concepts:
        graph.add_node(concept.id, concept=concept)
    for concept in kb.concepts:
        if concept.kind_of:
            graph.add_edge(concept.id, concept.kind_of, key=KIND_OF, type=KIND_OF, label="kind of", relation=None)
    labels = {relation_type.id: relation_type.label for relation_type in kb.relation_types}
    for relation in kb.relations:
        graph.add_edge(
            relation.source,
            relation.target,
            key=relation.type,
            type=relation.type,
            label=relation.label or labels.get(relation.type, relation.type),
            relation=relation,
        )
    return graph


def knowledge_base(graph: nx.MultiDiGraph) -> KnowledgeBase:
    """Return the knowledge base a graph was built from."""
    kb: KnowledgeBase = graph.graph["kb"]
    return kb


def concept(graph: nx.MultiDiGraph, concept_id: str) -> Concept:
    """Return the concept of a node (`KeyError` for an unknown id)."""
    if concept_id not in graph:
        raise KeyError(concept_id)
    found: Concept = graph.nodes[concept_id]["concept"]
    return found


def parents(graph: nx.MultiDiGraph, concept_id: str) -> list[str]:
    """Return the ids of the concepts this one is a kind of, nearest first.

    ```pycon
    >>> parents(graph, "panel-plugin")
    ['plugin']
    ```
    """
    chain = []
    node = concept(graph, concept_id).kind_of
    while node and node not in chain:
        chain.append(node)
        node = concept(graph, node).kind_of
    return chain


def children(graph: nx.MultiDiGraph, concept_id: str) -> list[str]:
    """Return the ids of the concepts that are directly a kind of this one, in data order.

    ```pycon
    >>> children(graph, "plugin")
    ['data-source-plugin', 'panel-plugin', 'app-plugin']
    ```
    """
    # kind-of edges are added in data order, so in_edges keeps that order.
    return [source for source, _, key in graph.in_edges(concept_id, keys=True) if key == KIND_OF]


def descendants(graph: nx.MultiDiGraph, concept_id: str) -> list[str]:
    """Return the ids of every concept that is, directly or not, a kind of this one."""
    found: list[str] = []
    queue = children(graph, concept_id)
    while queue:
        node = queue.pop(0)
        if node not in found:
            found.append(node)
            queue.extend(children(graph, node))
    return found


@dataclass(frozen=True)
class Edge:
    """A relation seen from one end: the other concept, the relation type and its label."""

    source: str
    type: str
    target: str
    label: str
    note: str = ""


def _edges(graph: nx.MultiDiGraph, pairs: Any) -> list[Edge]:
    edges = []
    for source, target, data in pairs:
        if data["type"] == KIND_OF:
            continue
        relation: Relation = data["relation"]
        edges.append(Edge(source, data["type"], target, data["label"], relation.note))
    return edges


def relations_out(graph: nx.MultiDiGraph, concept_id: str) -> list[Edge]:
    """Return the relations that start at a concept, in data order (not `kind-of` links)."""
    order = _relation_order(graph)
    return sorted(_edges(graph, graph.out_edges(concept_id, data=True)), key=lambda e: order[(e.source, e.type, e.target)])


def relations_in(graph: nx.MultiDiGraph, concept_id: str) -> list[Edge]:
    """Return the relations that end at a concept, in data order (not `kind-of` links)."""
    order = _relation_order(graph)
    return sorted(_edges(graph, graph.in_edges(concept_id, data=True)), key=lambda e: order[(e.source, e.type, e.target)])


def _relation_order(graph: nx.MultiDiGraph) -> dict[tuple[str, str, str], int]:
    order = graph.graph.get("_relation_order")
    if order is None:
        order = {(r.source, r.type, r.target): i for i, r in enumerate(knowledge_base(graph).relations)}
        graph.graph["_relation_order"] = order
    known: dict[tuple[str, str, str], int] = order
    return known


def neighbourhood(graph: nx.MultiDiGraph, concept_id: str, radius: int = 1) -> nx.MultiDiGraph:
    """Return the subgraph of the concepts within `radius` links of a concept, either direction.

    ```pycon
    >>> sorted(neighbourhood(graph, "kettle"))
    ['coffee', 'kettle', 'tea']
    ```
    """
    nodes = nx.ego_graph(graph.to_undirected(as_view=True), concept_id, radius=radius).nodes
    return graph.subgraph(nodes)


def examples(graph: nx.MultiDiGraph, concept_id: str, inherited: bool = False) -> list[str]:
    """Return a concept's example products; with `inherited`, also those of its kinds, deduplicated."""
    found = list(concept(graph, concept_id).examples)
    if inherited:
        for child in descendants(graph, concept_id):
            found.extend(name for name in concept(graph, child).examples if name not in found)
    return found


def faq_about(graph: nx.MultiDiGraph, concept_id: str) -> list[Faq]:
    """Return the FAQ entries that are about a concept, in data order."""
    index = graph.graph.get("_faq_index")
    if index is None:
        index = {}
        for entry in knowledge_base(graph).faq:
            for about in entry.concepts:
                index.setdefault(about, []).append(entry)
        graph.graph["_faq_index"] = index
    return list(index.get(concept_id, []))


def products_of(graph: nx.MultiDiGraph, concept_id: str) -> list[Product]:
    """Return the products that are examples of a concept, in data order."""
    return [product for product in knowledge_base(graph).products if concept_id in product.concepts]


def scenarios_with(graph: nx.MultiDiGraph, concept_id: str) -> list[Scenario]:
    """Return the scenarios that have a step with a concept, in data order."""
    return [s for s in knowledge_base(graph).scenarios if any(step.concept == concept_id for step in s.steps)]


def main_concepts(graph: nx.MultiDiGraph) -> list[Concept]:
    """Return the concepts users choose between (role `main`), in data order."""
    return [c for c in knowledge_base(graph).concepts if c.role == "main"]


def explain(graph: nx.MultiDiGraph, concept_id: str) -> dict[str, Any]:
    """Return everything the graph knows of a concept, as plain data (JSON-ready).

    Keys: `id`, `name`, `summary`, `role`, `kind_of`, `kinds` (ancestors), `children`,
    `applies_to`, `purpose`, `includes`, `use_when`, `examples`, `aliases`, `notes`,
    `relations_out`, `relations_in`, `products`, `scenarios`, `faq`.
    """
    kb = knowledge_base(graph)
    item = concept(graph, concept_id)
    scopes = {scope.id: scope.name for scope in kb.scopes}
    return {
        "id": item.id,
        "name": item.name,
        "summary": item.summary,
        "role": item.role,
        "kind_of": item.kind_of,
        "kinds": parents(graph, concept_id),
        "children": children(graph, concept_id),
        "applies_to": [{"id": s, "name": scopes.get(s, s)} for s in item.applies_to],
        "purpose": item.purpose,
        "includes": list(item.includes),
        "use_when": [{"id": c.id, "text": c.text} for c in item.use_when],
        "examples": list(item.examples),
        "aliases": list(item.aliases),
        "notes": list(item.notes),
        "links": [{"title": link.title, "url": link.url} for link in item.links],
        "relations_out": [{"type": e.type, "label": e.label, "to": e.target, "note": e.note} for e in relations_out(graph, concept_id)],
        "relations_in": [{"type": e.type, "label": e.label, "from": e.source, "note": e.note} for e in relations_in(graph, concept_id)],
        "products": [p.name for p in products_of(graph, concept_id)],
        "scenarios": [{"id": s.id, "title": s.title} for s in scenarios_with(graph, concept_id)],
        "faq": [{"id": f.id, "question": f.question} for f in faq_about(graph, concept_id)],
    }
