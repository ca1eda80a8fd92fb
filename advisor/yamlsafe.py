"""Read one YAML file safely, keeping the line of every key and item for error messages."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml

from advisor.errors import Problem

#: A document whose aliases expand to more nodes than this is refused (a "billion laughs").
MAX_EXPANDED_NODES = 200_000


class YamlProblem(Exception):
    """Raised when a file cannot be read as YAML; carries the [`Problem`][advisor.errors.Problem]."""

    def __init__(self, problem: Problem) -> None:
        super().__init__(str(problem))
        self.problem = problem


class LocatedDict(dict):
    """A mapping that remembers where it and each of its keys stand (0-based line, column)."""

    mark: tuple[int, int] = (0, 0)
    key_marks: dict[Any, tuple[int, int]]


class LocatedList(list):
    """A sequence that remembers where it and each of its items stand (0-based line, column)."""

    mark: tuple[int, int] = (0, 0)
    item_marks: list[tuple[int, int]]


# libyaml's parser is about ten times faster than the pure-Python one; both give the same marks.
_BaseLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Loader(_BaseLoader):  # type: ignore[misc, valid-type]
    """SafeLoader with YAML 1.2 booleans, plain-text dates and located, duplicate-free mappings."""


# YAML 1.1 reads yes/no/on/off as booleans and 2026-01-01 as a date: data authors mean text.
_Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag not in ("tag:yaml.org,2002:bool", "tag:yaml.org,2002:timestamp")]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_Loader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)


def _mark(node: yaml.Node) -> tuple[int, int]:
    return (node.start_mark.line, node.start_mark.column)


def _construct_map(loader: _Loader, node: yaml.MappingNode):  # type: ignore[no-untyped-def]
    data = LocatedDict()
    data.mark = _mark(node)
    data.key_marks = {}
    yield data
    loader.flatten_mapping(node)
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if not isinstance(key, (str, int, float, bool)) and key is not None:
            raise yaml.constructor.ConstructorError(
                None, None, "a mapping key must be a plain value", key_node.start_mark
            )
        if key in data:
            raise yaml.constructor.ConstructorError(
                None, None, f"duplicate key {key!r} in one mapping", key_node.start_mark
            )
        data[key] = loader.construct_object(value_node, deep=False)
        data.key_marks[key] = _mark(key_node)


def _construct_seq(loader: _Loader, node: yaml.SequenceNode):  # type: ignore[no-untyped-def]
    data = LocatedList()
    data.mark = _mark(node)
    data.item_marks = [_mark(child) for child in node.value]
    yield data
    data.extend(loader.construct_object(child, deep=False) for child in node.value)


def _construct_undefined(loader: _Loader, node: yaml.Node) -> None:
    tag = node.tag or ""
    if tag.startswith("tag:yaml.org,2002:python/"):
        message = f"the tag !!{tag[len('tag:yaml.org,2002:'):]} is not allowed: data files are plain data and never run code"
    else:
        message = f"unknown tag {tag!r}: data files may use plain YAML values only"
    raise yaml.constructor.ConstructorError(None, None, message, node.start_mark)


_Loader.add_constructor("tag:yaml.org,2002:map", _construct_map)
_Loader.add_constructor("tag:yaml.org,2002:seq", _construct_seq)
_Loader.add_constructor(None, _construct_undefined)


def _expanded_size(node: yaml.Node, memo: dict[int, int]) -> int:
    """Count the nodes a document holds once every alias is expanded (linear with memoisation)."""
    known = memo.get(id(node))
    if known is not None:
        return known
    memo[id(node)] = 1  # a node that contains itself counts once
    size = 1
    if isinstance(node, yaml.SequenceNode):
        size += sum(_expanded_size(child, memo) for child in node.value)
    elif isinstance(node, yaml.MappingNode):
        size += sum(_expanded_size(k, memo) + _expanded_size(v, memo) for k, v in node.value)
    memo[id(node)] = size
    return size


def _line_of_offset(raw: bytes, offset: int) -> tuple[int, int]:
    before = raw[:offset]
    line = before.count(b"\n") + 1
    column = offset - (before.rfind(b"\n") + 1) + 1
    return line, column


def _has_tab(text: str, line: int) -> bool:
    """Whether the 0-based `line` (or the one before it) has a tab in its indentation."""
    lines = text.splitlines()
    for number in (line, line - 1):
        if 0 <= number < len(lines):
            content = lines[number]
            if "\t" in content[: len(content) - len(content.lstrip())]:
                return True
    return False


def read_yaml(path: Path, label: str | None = None) -> Any:
    """Read one YAML file safely and return its data with located mappings and lists.

    Raises [`YamlProblem`][advisor.yamlsafe.YamlProblem] naming the file and line for a
    missing, unreadable, non-UTF-8 or empty file, a YAML syntax error, a tag such as
    `!!python/object`, a duplicate key or an alias bomb.
    """
    name = label or str(path)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise YamlProblem(Problem(name, "file not found")) from None
    except IsADirectoryError:
        raise YamlProblem(Problem(name, "is a folder, not a file")) from None
    except OSError as error:
        raise YamlProblem(Problem(name, f"cannot be read: {error.strerror}")) from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line, column = _line_of_offset(raw, error.start)
        raise YamlProblem(
            Problem(name, f"is not valid UTF-8 (byte 0x{raw[error.start]:02x})", line, column)
        ) from None
    if text.startswith("\ufeff"):
        text = text[1:]
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            raise YamlProblem(Problem(name, "file is empty: it holds no YAML document"))
        if _expanded_size(node, {}) > MAX_EXPANDED_NODES:
            raise YamlProblem(
                Problem(
                    name,
                    f"aliases expand to more than {MAX_EXPANDED_NODES:,} nodes; refused (an alias bomb?)",
                    node.start_mark.line + 1,
                    node.start_mark.column + 1,
                )
            )
        return loader.construct_document(node)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        message = " ".join(part for part in (error.context, error.problem) if part) or "invalid YAML"
        if mark is not None and _has_tab(text, mark.line):
            message += " (a tab stands in the indentation here; YAML is indented with spaces)"
        raise YamlProblem(
            Problem(name, message, mark.line + 1 if mark else None, mark.column + 1 if mark else None)
        ) from None
    except yaml.YAMLError as error:
        raise YamlProblem(Problem(name, f"invalid YAML: {error}")) from None
    except RecursionError:
        raise YamlProblem(Problem(name, "nesting is too deep")) from None
    finally:
        loader.dispose()
