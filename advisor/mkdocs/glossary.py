"""Which glossary terms a page mentions, so that each page carries only its own tooltips.

Python-Markdown's `abbr` extension turns every glossary term into one regular expression and
runs it over each page: with every term on every page, a site of N concepts costs N x N. Giving
each page only the terms its text holds keeps the build linear.
"""

from __future__ import annotations

import re

_WORD = re.compile(r"\w+")

#: Terms of more words than this are looked for as text; shorter ones by their words.
_MAX_WORDS = 8


def _words(text: str) -> tuple[str, ...]:
    return tuple(_WORD.findall(text.lower()))


class TermIndex:
    """The terms of a glossary by their words, to find the ones a text mentions in one pass."""

    def __init__(self, terms: dict[str, str]) -> None:
        self.terms = terms
        self.by_words: dict[tuple[str, ...], list[str]] = {}
        self.long: list[str] = []
        for term in terms:
            words = _words(term)
            if 0 < len(words) <= _MAX_WORDS:
                self.by_words.setdefault(words, []).append(term)
            else:
                self.long.append(term)
        self.lengths = sorted({len(words) for words in self.by_words})
        self.position = {term: position for position, term in enumerate(terms)}

    def mentioned(self, text: str) -> dict[str, str]:
        """Return the terms (with their definitions) whose words stand in `text` one after the
        other, whatever the case: every term `abbr` could mark there, and perhaps a few more."""
        words = _words(text)
        found: set[str] = set()
        for length in self.lengths:
            for start in range(len(words) - length + 1):
                hit = self.by_words.get(words[start:start + length])
                if hit:
                    found.update(hit)
        lower = text.lower()
        found.update(term for term in self.long if term.lower() in lower)
        return {term: self.terms[term] for term in sorted(found, key=self.position.__getitem__)}
