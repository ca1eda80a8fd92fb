"""Text for a terminal: wrapped at word boundaries to its width, emphasis only where it shows.

Colour and bold are used only when the stream is a terminal and `NO_COLOR` is not set
(<https://no-color.org>); a pipe or a file gets plain text wrapped to 80 columns (or `COLUMNS`).
Only the standard library: `advisor ask` must start fast.
"""

from __future__ import annotations

import os
import textwrap
from typing import TextIO

_CODE_START = "\x01"
_CODE_END = "\x02"
_NBSP = "\u00a0"

#: ANSI codes of the styles used.
_STYLES = {"bold": "1", "dim": "2", "code": "36", "heading": "1;34", "verdict": "1;32"}


class Terminal:
    """How to write to one stream: its width and whether it shows colour."""

    def __init__(self, stream: TextIO | None = None, width: int | None = None, color: bool | None = None) -> None:
        isatty = bool(stream is not None and hasattr(stream, "isatty") and stream.isatty())
        if color is None:
            color = isatty and not os.environ.get("NO_COLOR") and os.environ.get("TERM") != "dumb"
        self.color = color
        if width is None:
            width = _terminal_columns(stream) if isatty else _columns()
        self.width = max(30, min(width, 100))

    def style(self, text: str, name: str) -> str:
        """Return text in a style (bold, dim, code, heading, verdict): plain when colour is off."""
        if not self.color or not text:
            return text
        return f"\x1b[{_STYLES[name]}m{text}\x1b[0m"

    def wrap(self, text: str, indent: str = "", hanging: str | None = None, style: str | None = None) -> list[str]:
        """Wrap text at word boundaries to the width. Code marked by [`code`][advisor.terminal.code]
        is never split, and shown in the code style."""
        lines = textwrap.wrap(
            text, width=self.width, initial_indent=indent,
            subsequent_indent=indent if hanging is None else hanging,
            break_long_words=False, break_on_hyphens=False,
        ) or [indent]
        out = []
        for line in lines:
            line = line.replace(_NBSP, " ")
            if self.color:
                line = line.replace(_CODE_START, f"\x1b[{_STYLES['code']}m").replace(_CODE_END, "\x1b[0m")
            else:
                line = line.replace(_CODE_START, "").replace(_CODE_END, "")
            out.append(self.style(line, style) if style else line)
        return out


def _terminal_columns(stream: TextIO | None) -> int:
    # os rather than shutil: shutil's imports cost `advisor ask` a few milliseconds at start
    try:
        return int(os.environ.get("COLUMNS", "")) if os.environ.get("COLUMNS", "").isdigit() else os.get_terminal_size(stream.fileno()).columns  # type: ignore[union-attr]
    except (OSError, ValueError, AttributeError):
        return 80


def _columns() -> int:
    try:
        return int(os.environ.get("COLUMNS", "80"))
    except ValueError:
        return 80


def code(text: str) -> str:
    """Mark text as code for [`Terminal.wrap`][advisor.terminal.Terminal.wrap]: kept on one line, shown as code."""
    return _CODE_START + text.replace(" ", _NBSP) + _CODE_END
