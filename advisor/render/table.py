"""Comparison tables as Markdown, HTML, CSV or JSON text."""

from __future__ import annotations

import csv
import io
import json
from typing import Callable

from advisor.compare import Cell, Table
from advisor.render.escape import html_text, table_cell

FORMATS = ("markdown", "html", "csv", "json")
"""The formats [`format_table`][advisor.render.table.format_table] writes."""


def _plain(cell: Cell, scopes: dict[str, str], column: str) -> list[str]:
    if cell is None:
        return []
    values = cell if isinstance(cell, list) else [cell]
    if column == "applies_to":
        values = [scopes.get(value, value) for value in values]
    return values


def to_markdown(table: Table, scopes: dict[str, str] | None = None, link: str | Callable[[str], str | None] | None = None) -> str:
    """Return the table as a Markdown table; a cell of several items has one line per item, each
    starting with a bullet (•).

    `link`, when given, makes each concept name a link: a pattern such as `../concepts/{id}.md`,
    or a function from a concept id to its URL (`None`: no link for that row).
    """
    scopes = scopes or {}
    header = ["Concept", *[column.name for column in table.columns]]
    lines = ["| " + " | ".join(table_cell(cell) for cell in header) + " |", "|" + "---|" * len(header)]
    for row in table.rows:
        name = f"**{table_cell(row.name)}**"
        url = (link(row.concept) if callable(link) else link.format(id=row.concept)) if link else None
        if url:
            name = f"[{name}]({url})"
        cells = [name]
        for column in table.columns:
            values = _plain(row.cells.get(column.id), scopes, column.id)
            if len(values) > 1:
                # A bullet starts each item: without it, wrapped items run together in a narrow column.
                cells.append("<br>".join(f"• {table_cell(value)}" for value in values))
            else:
                cells.append(table_cell(values[0]) if values else "—")
        lines.append("| " + " | ".join(cells) + " |")
    text = "\n".join(lines) + "\n"
    if table.footer:
        text += "\n" + " → ".join(table_cell(step) for step in table.footer) + "\n"
    return text


def to_html(table: Table, scopes: dict[str, str] | None = None) -> str:
    """Return the table as an HTML `<table>`; every value is escaped."""
    scopes = scopes or {}
    out = ["<table>"]
    if table.title:
        out.append(f"  <caption>{html_text(table.title)}</caption>")
    out.append("  <thead><tr><th>Concept</th>" + "".join(f"<th>{html_text(c.name)}</th>" for c in table.columns) + "</tr></thead>")
    out.append("  <tbody>")
    for row in table.rows:
        cells = [f'<th scope="row" data-concept="{html_text(row.concept)}">{html_text(row.name)}</th>']
        for column in table.columns:
            values = _plain(row.cells.get(column.id), scopes, column.id)
            if len(values) > 1:
                cells.append("<td><ul>" + "".join(f"<li>{html_text(v)}</li>" for v in values) + "</ul></td>")
            else:
                cells.append(f"<td>{html_text(values[0]) if values else ''}</td>")
        out.append("    <tr>" + "".join(cells) + "</tr>")
    out.append("  </tbody>")
    out.append("</table>")
    return "\n".join(out) + "\n"


def to_csv(table: Table, scopes: dict[str, str] | None = None) -> str:
    """Return the table as CSV (a header row, then one row per concept; lists joined with "; ")."""
    scopes = scopes or {}
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["concept", "name", *[column.id for column in table.columns]])
    for row in table.rows:
        writer.writerow([row.concept, row.name, *["; ".join(_plain(row.cells.get(c.id), scopes, c.id)) for c in table.columns]])
    return buffer.getvalue()


def to_json(table: Table) -> str:
    """Return the table as JSON: `{"columns": [...], "rows": [{"concept", "name", COLUMN: value}]}`."""
    return json.dumps(table.as_json(), indent=2, ensure_ascii=False) + "\n"


def format_table(table: Table, fmt: str, scopes: dict[str, str] | None = None) -> str:
    """Return the table in one of [`FORMATS`][advisor.render.table.FORMATS]."""
    if fmt == "markdown":
        return to_markdown(table, scopes)
    if fmt == "html":
        return to_html(table, scopes)
    if fmt == "csv":
        return to_csv(table, scopes)
    if fmt == "json":
        return to_json(table)
    raise ValueError(f"unknown format {fmt!r} (one of: {', '.join(FORMATS)})")
