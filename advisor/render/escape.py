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


# Mermaid reads `#name;` and `#NUMBER;` as entity codes inside a quoted label, so `#` itself is
# written as one first; the rest would end the label, open HTML or split an edge label.
_MERMAID_ENTITIES = {
    "#": "#35;",
    '"': "#quot;",
    "<": "#lt;",
    ">": "#gt;",
    "&": "#amp;",
    "|": "#124;",
    ";": "#59;",
    "`": "#96;",
    "[": "#91;",
    "]": "#93;",
    "{": "#123;",
    "}": "#125;",
}
_MERMAID_SPECIAL = re.compile("[" + re.escape("".join(_MERMAID_ENTITIES)) + "]")


def mermaid_label(text: str) -> str:
    """Return text as a quoted Mermaid label: `"..."` with `"`, `<`, `>`, `&`, `|`, `#`, `;`,
    backticks and brackets written as entity codes, and line breaks folded.

    >>> mermaid_label('a "b" | <c>')
    '"a #quot;b#quot; #124; #lt;c#gt;"'
    """
    folded = " ".join(text.split())
    return '"' + _MERMAID_SPECIAL.sub(lambda m: _MERMAID_ENTITIES[m.group(0)], folded) + '"'


def mermaid_id(key: str, prefix: str = "n") -> str:
    """Return a Mermaid node id for a key: a prefix (so that no id is a keyword such as `end`)
    and the key with every character outside `[A-Za-z0-9]` written as `_XX` (its code), so
    distinct keys give distinct ids.

    >>> mermaid_id("data-source")
    'n_data_2dsource'
    """
    return prefix + "_" + re.sub(r"[^A-Za-z0-9]", lambda m: f"_{ord(m.group(0)):x}", key)


def link_url(url: str) -> str | None:
    """Return a URL fit for a Markdown link target, or `None` when its scheme is not
    `http`, `https` or `mailto` (a `javascript:` link must never be written)."""
    stripped = url.strip()
    if not re.match(r"(?i)^(https?://|mailto:)", stripped):
        return None
    return re.sub(r"[\s()<>\"'\\`]", lambda m: f"%{ord(m.group(0)):02X}", stripped)
