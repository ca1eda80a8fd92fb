"""Escaping of knowledge-base text for the places it lands: Markdown, table cells, HTML."""

from __future__ import annotations

import html
import re

_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]<>()#+!|~])")


def html_text(text: str) -> str:
    """Escape text for HTML content or a quoted attribute (`<`, `>`, `&`, both quotes)."""
    return html.escape(text, quote=True)


def markdown_text(text: str) -> str:
    """Escape text so Markdown shows it literally: no markup, no HTML, no link syntax.

    Inline code in backticks is kept as code, since commands and settings are written so.
    """
    parts = re.split(r"(`[^`\n]+`)", text)
    out = []
    for index, part in enumerate(parts):
        if index % 2:
            out.append(part)
        else:
            escaped = html.escape(part, quote=False)
            out.append(_MARKDOWN_SPECIAL.sub(lambda m: "\\" + m.group(1) if m.group(1) not in "<>" else m.group(1), escaped))
    return "".join(out)


def table_cell(text: str) -> str:
    """Escape text for one cell of a Markdown table: as [`markdown_text`][advisor.render.escape.markdown_text],
    with `|` escaped even inside code and line breaks folded."""
    escaped = markdown_text(" ".join(text.split()))
    # Python-Markdown splits rows on "|" even inside backticks unless it is escaped.
    parts = re.split(r"(`[^`\n]+`)", escaped)
    return "".join(part.replace("|", "\\|") if index % 2 else part for index, part in enumerate(parts))
