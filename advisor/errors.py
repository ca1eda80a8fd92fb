"""Problems found in a knowledge base, each with its place, and the errors the commands report; kept light so any module can import it."""

from __future__ import annotations

from typing import TYPE_CHECKING, Iterator

if TYPE_CHECKING:  # the model is imported only when a place is asked for: `advisor ask` never needs it
    from advisor.model import Location


class Problem:
    """What is wrong at a place in a data file: 1-based line and column, where known.

    A plain class rather than a dataclass or a named tuple: `advisor ask` imports this module;
    dataclasses would bring in `inspect`, and a named tuple costs a millisecond to create.
    Problems compare, hash and order by `(file, line, column, message)`.
    """

    __slots__ = ("file", "message", "line", "column")

    def __init__(self, file: str, message: str, line: int | None = None, column: int | None = None) -> None:
        self.file = file
        self.message = message
        self.line = line
        self.column = column

    def _key(self) -> tuple[str, int, int, str]:
        return (self.file, self.line or 0, self.column or 0, self.message)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Problem) and (self.file, self.message, self.line, self.column) == (other.file, other.message, other.line, other.column)

    def __hash__(self) -> int:
        return hash((self.file, self.message, self.line, self.column))

    def __lt__(self, other: Problem) -> bool:
        return self._key() < other._key()

    def __iter__(self) -> Iterator[object]:  # unpacks as (file, message, line, column)
        return iter((self.file, self.message, self.line, self.column))

    def __repr__(self) -> str:
        return f"Problem(file={self.file!r}, message={self.message!r}, line={self.line!r}, column={self.column!r})"

    @property
    def where(self) -> Location:
        """The place of the problem."""
        from advisor.model import Location

        return Location(self.file, self.line, self.column)

    def __str__(self) -> str:  # a problem reads as its place and message
        return f"{self.where}: {self.message}"


class KnowledgeBaseError(Exception):
    """A knowledge base that cannot be loaded; `problems` lists every fault with its place."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("\n".join(str(problem) for problem in problems))


class UsageError(Exception):
    """Bad input from the user (an argument, a fact, an output path): one line on stderr, exit code 2."""
