"""Problems found in a knowledge base, each with its place, and the errors the commands report; kept light so any module can import it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the model is imported only when a place is asked for: `advisor ask` never needs it
    from advisor.model import Location


@dataclass(frozen=True)
class Problem:
    """What is wrong at a place in a data file: 1-based line and column, where known."""

    file: str
    message: str
    line: int | None = None
    column: int | None = None

    @property
    def where(self) -> Location:
        """The place of the problem."""
        from advisor.model import Location

        return Location(self.file, self.line, self.column)

    def __str__(self) -> str:
        return f"{self.where}: {self.message}"


class KnowledgeBaseError(Exception):
    """A knowledge base that cannot be loaded; `problems` lists every fault with its place."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("\n".join(str(problem) for problem in problems))


class UsageError(Exception):
    """Bad input from the user (an argument, a fact, an output path): one line on stderr, exit code 2."""
