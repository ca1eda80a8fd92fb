"""Comparison tables: chosen concepts x chosen attributes, as plain values ready to render."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import networkx as nx

from advisor.graph import concept, examples, knowledge_base
from advisor.load import CONCEPT_COLUMNS
from advisor.model import Column

#: A cell: a text, a list of texts, or nothing.
Cell = str | list[str] | None


class CompareError(ValueError):
    """An unknown concept, column or table was asked for; the message says which."""


@dataclass(frozen=True)
class Row:
    """One concept's row: its id, its name and a value per column id."""

    concept: str
    name: str
    cells: dict[str, Cell] = field(hash=False)


@dataclass(frozen=True)
class Table:
    """A comparison table: its columns in order, its rows in order, and an optional caption."""

    columns: tuple[Column, ...]
    rows: tuple[Row, ...]
    title: str = ""
    footer: tuple[str, ...] = ()

    def as_json(self) -> dict[str, Any]:
        """Return the table as `{"columns": [...], "rows": [{"concept", "name", COLUMN: value}]}`."""
        return {
            "columns": [column.id for column in self.columns],
            "rows": [{"concept": row.concept, "name": row.name, **row.cells} for row in self.rows],
        }


def _cell(graph: nx.MultiDiGraph, concept_id: str, column: str) -> Cell:
    item = concept(graph, concept_id)
    if column == "use_when":
        return [criterion.text for criterion in item.use_when]
    if column == "examples":
        # A parent with no examples of its own shows its kinds' examples.
        return examples(graph, concept_id, inherited=not item.examples)
    value = getattr(item, column)
    if isinstance(value, tuple):
        return list(value)
    return value or None


def _column(graph: nx.MultiDiGraph, column_id: str) -> Column:
    kb = knowledge_base(graph)
    for column in kb.columns:
        if column.id == column_id:
            return column
    if column_id in CONCEPT_COLUMNS:
        return Column(column_id, column_id.replace("_", " ").capitalize())
    known = ", ".join(dict.fromkeys([c.id for c in kb.columns] + list(CONCEPT_COLUMNS)))
    raise CompareError(f"unknown column {column_id!r} (known: {known})")


def compare(graph: nx.MultiDiGraph, concept_ids: list[str], column_ids: list[str]) -> Table:
    """Return the table of `concept_ids` (rows, in that order) by `column_ids` (columns).

    Raises [`CompareError`][advisor.compare.CompareError] naming an unknown concept or column.
    """
    kb = knowledge_base(graph)
    unknown = [concept_id for concept_id in concept_ids if concept_id not in graph]
    if unknown:
        known = ", ".join(c.id for c in kb.concepts)
        raise CompareError(f"unknown concept {unknown[0]!r} (known: {known})")
    if not concept_ids:
        raise CompareError("name at least one concept")
    columns = tuple(_column(graph, column_id) for column_id in column_ids)
    rows = tuple(
        Row(concept_id, concept(graph, concept_id).name, {c.id: _cell(graph, concept_id, c.id) for c in columns})
        for concept_id in concept_ids
    )
    return Table(columns, rows)


def named_table(graph: nx.MultiDiGraph, table_id: str) -> Table:
    """Return a named comparison of `comparisons.yaml`, with its footer scenario's steps."""
    kb = knowledge_base(graph)
    try:
        comparison = kb.comparison(table_id)
    except KeyError:
        known = ", ".join(c.id for c in kb.comparisons)
        raise CompareError(f"unknown table {table_id!r} (known: {known})") from None
    table = compare(graph, list(comparison.concepts), list(comparison.columns))
    footer: tuple[str, ...] = ()
    if comparison.footer_scenario:
        footer = tuple(step.text for step in kb.scenario(comparison.footer_scenario).steps)
    return Table(table.columns, table.rows, comparison.title, footer)


def default_columns(graph: nx.MultiDiGraph) -> list[str]:
    """Return the columns shown when none are asked for: every declared column but the name."""
    declared = [column.id for column in knowledge_base(graph).columns if column.id != "name"]
    return declared or ["applies_to", "purpose", "examples"]
