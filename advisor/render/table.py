"""Comparison tables as Markdown, HTML, CSV, JSON or plain text for a terminal."""

from __future__ import annotations

import csv
import io
import json
import textwrap
from typing import Callable

from advisor.compare import Cell, Table
from advisor.render.escape import html_text, table_cell

FORMATS = ("text", "markdown", "html", "csv", "json")
"""The formats [`format_table`][advisor.render.table.format_table] writes."""


def _plain(cell: Cell, scopes: dict[str, str], column: str) -> list[str]:
    if cell is None:
        return []
    values = cell if isinstance(cell, list) else [cell]
    if column == "applies_to":
        # one scope of several is a restriction worth saying: "SCOPE only"
        only = len(values) == 1 and len(scopes) > 1
        values = [scopes.get(value, value) + (" only" if only else "") for value in values]
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


#: The narrowest a column of a text table gets before the table is printed as one card per concept.
MIN_COLUMN = 14


def _text_cell(values: list[str]) -> list[str]:
    return [f"• {value}" for value in values] if len(values) > 1 else (values or ["—"])


def to_text(table: Table, scopes: dict[str, str] | None = None, width: int = 80) -> str:
    """Return the table as plain text for a terminal `width` columns wide: a grid whose cells wrap
    at word boundaries, or, when the columns would get narrower than `MIN_COLUMN`, one card per
    concept (its name, then each column's heading and value)."""
    scopes = scopes or {}
    header = ["Concept", *[column.name for column in table.columns]]
    rows = [[[row.name], *[_text_cell(_plain(row.cells.get(c.id), scopes, c.id)) for c in table.columns]] for row in table.rows]
    natural = [max(len(line) for cell in [[header[i]], *[row[i] for row in rows]] for line in cell) for i in range(len(header))]
    room = width - 3 * (len(header) - 1)
    out: list[str] = []
    if table.title:
        out += [table.title, ""]
    if room < MIN_COLUMN * len(header):
        for row in rows:
            out.append(row[0][0])
            for heading, cell in zip(header[1:], row[1:]):
                out.append(f"  {heading}:")
                for line in cell:
                    out += textwrap.wrap(line, width, initial_indent="    ", subsequent_indent="      " if line.startswith("• ") else "    ",
                                         break_on_hyphens=False) or ["    "]
            out.append("")
        out = out[:-1]
    else:
        widths = list(natural)
        while sum(widths) > room:  # narrow the widest column, one character at a time
            widest = max(range(len(widths)), key=lambda i: widths[i])
            widths[widest] -= 1
        def lines_of(cell: list[str], w: int) -> list[str]:
            found: list[str] = []
            for line in cell:
                found += textwrap.wrap(line, w, subsequent_indent="  " if line.startswith("• ") else "", break_on_hyphens=False) or [""]
            return found
        def grid_row(cells: list[list[str]]) -> list[str]:
            wrapped = [lines_of(cell, w) for cell, w in zip(cells, widths)]
            height = max(len(cell) for cell in wrapped)
            return [" │ ".join((cell[i] if i < len(cell) else "").ljust(w) for cell, w in zip(wrapped, widths)).rstrip() for i in range(height)]
        out += grid_row([[h] for h in header])
        out.append("─┼─".join("─" * w for w in widths))
        for number, row in enumerate(rows):
            if number:
                out.append("─┼─".join(" " * w for w in widths).replace("─┼─", " │ ").rstrip())
            out += grid_row(row)
    if table.footer:
        out += ["", *textwrap.wrap(" → ".join(table.footer), width)]
    return "\n".join(out) + "\n"


def format_table(table: Table, fmt: str, scopes: dict[str, str] | None = None, width: int = 80) -> str:
    """Return the table in one of [`FORMATS`][advisor.render.table.FORMATS] (`width`: for `text`)."""
    if fmt == "text":
        return to_text(table, scopes, width)
    if fmt == "markdown":
        return to_markdown(table, scopes)
    if fmt == "html":
        return to_html(table, scopes)
    if fmt == "csv":
        return to_csv(table, scopes)
    if fmt == "json":
        return to_json(table)
    raise ValueError(f"unknown format {fmt!r} (one of: {', '.join(FORMATS)})")
