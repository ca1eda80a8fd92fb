"""Read one YAML file safely, keeping the line of every key and item for error messages."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml

from advisor.errors import Problem

#: A document whose aliases add more nodes than this once expanded is refused (a "billion
#: laughs"). Only what aliases add counts: a large file without aliases is never refused.
MAX_ALIAS_EXPANSION = 100_000


class YamlProblem(Exception):
    """Raised when a file cannot be read as YAML; carries the [`Problem`][advisor.errors.Problem]."""

    def __init__(self, problem: Problem) -> None:
        super().__init__(str(problem))
        self.problem = problem


class LocatedDict(dict[Any, Any]):
    """A mapping that remembers where it and each of its keys stand (0-based line, column)."""

    mark: tuple[int, int] = (0, 0)
    key_marks: dict[Any, tuple[int, int]]


class LocatedList(list[Any]):
    """A sequence that remembers where it and each of its items stand (0-based line, column)."""

    mark: tuple[int, int] = (0, 0)
    item_marks: list[tuple[int, int]]


# libyaml's parser is about ten times faster than the pure-Python one; both give the same marks.
_BaseLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


_STR = "tag:yaml.org,2002:str"
_MAP = "tag:yaml.org,2002:map"
_SEQ = "tag:yaml.org,2002:seq"
_MERGE = "tag:yaml.org,2002:merge"


class _Loader(_BaseLoader):  # type: ignore[misc, valid-type]
    """SafeLoader with YAML 1.2 booleans, plain-text dates and located, duplicate-free mappings."""

    _plain_tags: dict[str, str]

    def resolve(self, kind: Any, value: Any, implicit: Any) -> Any:
        """The tag of a node, as SafeLoader resolves it; plain scalars are looked up once per
        distinct text, and text that no implicit resolver can match is a string at once."""
        if kind is yaml.ScalarNode:
            if not implicit[0]:
                return _STR
            try:
                return self._plain_tags[value]
            except AttributeError:
                self._plain_tags = {}
            except KeyError:
                pass
            tag = super().resolve(kind, value, implicit) if not value or value[0] in _RESOLVED_FIRST else _STR
            self._plain_tags[value] = tag
            return tag
        return super().resolve(kind, value, implicit)


# YAML 1.1 reads yes/no/on/off as booleans and 2026-01-01 as a date: data authors mean text.
_Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag not in ("tag:yaml.org,2002:bool", "tag:yaml.org,2002:timestamp")]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_Loader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)
#: First characters for which an implicit resolver exists (a plain scalar starting otherwise is text).
_RESOLVED_FIRST = frozenset(first for first in _Loader.yaml_implicit_resolvers if first)
assert None not in _Loader.yaml_implicit_resolvers


def _construct(loader: _Loader, node: yaml.Node, built: dict[int, Any]) -> Any:
    """Build the data of a node: located mappings and lists, plain scalars; what the node graph
    shares (an alias) is built once. Recursive, like the document's nesting."""
    known = built.get(id(node))
    if known is not None:
        return known
    tag = node.tag
    if isinstance(node, yaml.ScalarNode):
        return node.value if tag == _STR else loader.construct_object(node, deep=True)
    if isinstance(node, yaml.MappingNode) and tag == _MAP:
        mapping = LocatedDict()
        mapping.mark = _mark(node)
        mapping.key_marks = {}
        built[id(node)] = mapping
        if any(key_node.tag == _MERGE for key_node, _ in node.value):
            loader.flatten_mapping(node)
        for key_node, value_node in node.value:
            key = _construct(loader, key_node, built)
            if not isinstance(key, (str, int, float, bool)) and key is not None:
                raise yaml.constructor.ConstructorError(None, None, "a mapping key must be a plain value", key_node.start_mark)
            if key in mapping:
                raise yaml.constructor.ConstructorError(None, None, f"duplicate key {key!r} in one mapping", key_node.start_mark)
            mapping[key] = _construct(loader, value_node, built)
            mapping.key_marks[key] = _mark(key_node)
        return mapping
    if isinstance(node, yaml.SequenceNode) and tag == _SEQ:
        sequence = LocatedList()
        sequence.mark = _mark(node)
        sequence.item_marks = [_mark(child) for child in node.value]
        built[id(node)] = sequence
        sequence.extend(_construct(loader, child, built) for child in node.value)
        return sequence
    return loader.construct_object(node, deep=True)  # any other tag: refused by _construct_undefined


class _Unusual(Exception):
    """A document the event builder leaves to the node path: an anchor, alias, tag or merge key,
    a key that is not a scalar, a duplicate key, deep nesting, several documents, or an error."""


#: The scalar tags the event builder constructs itself; any other sends the file to the node path.
_PLAIN_TAGS = frozenset(("tag:yaml.org,2002:str", "tag:yaml.org,2002:int", "tag:yaml.org,2002:float", "tag:yaml.org,2002:bool", "tag:yaml.org,2002:null"))

_NO_KEY: Any = object()

#: Nesting deeper than this sends the file to the node path (which reports "nesting is too deep").
_EVENT_DEPTH = 100


def _build_from_events(loader: _Loader) -> Any:
    """Build a document of plain mappings, lists and scalars straight from the parser's events,
    with the same data and marks as [`_construct`][advisor.yamlsafe._construct] gives.

    About four times faster than composing nodes first (no node or resolver call per value;
    plain scalars resolved once per distinct text). Anything out of the ordinary raises
    `_Unusual`, and the caller reads the text again by the node path, which holds every guard
    and every error message: the two paths agree by construction, not by duplicated checks.
    Iterative, so nesting costs no recursion.
    """
    get = loader.get_event
    if type(get()) is not yaml.StreamStartEvent or type(get()) is not yaml.DocumentStartEvent:
        raise _Unusual
    # the classes and the sentinel as local names: this loop runs once per value of the file
    scalar_event, mapping_start, sequence_start = yaml.ScalarEvent, yaml.MappingStartEvent, yaml.SequenceStartEvent
    mapping_end, sequence_end = yaml.MappingEndEvent, yaml.SequenceEndEvent
    no_key = _NO_KEY
    scalars: dict[str, Any] = {}
    # one frame per open container: [container, is_mapping, pending key, its mark]
    stack: list[list[Any]] = []
    root: Any = None
    value: Any
    opened: Any
    while True:
        event = get()
        kind = type(event)
        if kind is scalar_event:
            if event.tag is not None or event.anchor is not None:
                raise _Unusual
            value = event.value
            if event.implicit[0]:
                try:
                    value = scalars[value]
                except KeyError:
                    value = scalars[value] = _plain_scalar(loader, event)
            opened = None
        elif kind is mapping_start or kind is sequence_start:
            if event.tag is not None or event.anchor is not None or len(stack) >= _EVENT_DEPTH:
                raise _Unusual
            if kind is mapping_start:
                value = opened = LocatedDict()
                value.key_marks = {}
            else:
                value = opened = LocatedList()
                value.item_marks = []
            value.mark = (event.start_mark.line, event.start_mark.column)
        elif kind is mapping_end or kind is sequence_end:
            stack.pop()
            if stack:
                continue
            break
        else:  # an alias, or a second document
            raise _Unusual
        start = event.start_mark
        mark = (start.line, start.column)
        if stack:
            frame = stack[-1]
            container = frame[0]
            if not frame[1]:
                container.append(value)
                container.item_marks.append(mark)
            elif frame[2] is no_key:
                if opened is not None or value in container:
                    raise _Unusual  # a container as a key, or a duplicate key
                frame[2] = value
                frame[3] = mark
            else:
                key = frame[2]
                container[key] = value
                container.key_marks[key] = frame[3]
                frame[2] = no_key
        else:
            root = value
        if opened is not None:
            stack.append([opened, kind is mapping_start, no_key, None])
        elif not stack:
            break
    if type(get()) is not yaml.DocumentEndEvent or type(get()) is not yaml.StreamEndEvent:
        raise _Unusual
    return root


def _plain_scalar(loader: _Loader, event: Any) -> Any:
    """The value of a plain scalar, resolved as SafeLoader does; `_Unusual` for a tag other
    than text, number, boolean or null (such as a merge key `<<`)."""
    tag = loader.resolve(yaml.ScalarNode, event.value, event.implicit)
    if tag not in _PLAIN_TAGS:
        raise _Unusual
    if tag == _STR:
        return event.value
    return loader.construct_object(yaml.ScalarNode(tag, event.value, event.start_mark, event.end_mark))


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


def alias_expansion(root: yaml.Node) -> int:
    """Return how many nodes a document's aliases add once expanded: the expanded size of the
    document minus the nodes it really holds (0 without aliases). Linear: each distinct node is
    visited once, its expanded size memoised; iterative, so deep nesting cannot overflow."""
    sizes: dict[int, int] = {}
    stack: list[tuple[yaml.Node, bool]] = [(root, False)]
    while stack:
        node, children_done = stack.pop()
        key = id(node)
        if children_done:
            size = 1
            for child in _children(node):
                size += sizes.get(id(child), 1)  # a node inside itself counts once
            sizes[key] = size
            continue
        if key in sizes:
            continue
        sizes[key] = 1  # in progress: a cycle back to it counts once
        stack.append((node, True))
        stack.extend((child, False) for child in _children(node) if id(child) not in sizes)
    return sizes[id(root)] - len(sizes)


#: Where an anchor (`&name`) may stand: without one a document has no alias to expand. Text that
#: only looks like one (in a quoted string) merely costs the exact count.
_ANCHOR = re.compile(r"(?:^|[\s\[{,])&[^\s\[\]{},]", re.MULTILINE)


def _children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    if isinstance(node, yaml.MappingNode):
        return [part for pair in node.value for part in pair]
    return []


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


_REQUIRED: Any = object()


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
    return parse_yaml(text.removeprefix("\ufeff"), name)


def parse_yaml(text: str, name: str, empty: Any = _REQUIRED) -> Any:
    """Parse YAML text as [`read_yaml`][advisor.yamlsafe.read_yaml] reads a file (the same
    guards), for YAML that is not a file of its own, such as a `/// compare` block's body.

    `name` labels the problems; an empty document is a problem unless `empty` gives its value.
    """
    if text.strip():
        loader = _Loader(text)
        try:
            return _build_from_events(loader)
        except (_Unusual, yaml.YAMLError, RecursionError):
            pass  # the node path below reads it again, with every guard and message
        finally:
            loader.dispose()
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            if empty is not _REQUIRED:
                return empty
            raise YamlProblem(Problem(name, "file is empty: it holds no YAML document"))
        if _ANCHOR.search(text) and alias_expansion(node) > MAX_ALIAS_EXPANSION:
            raise YamlProblem(
                Problem(
                    name,
                    f"aliases expand to more than {MAX_ALIAS_EXPANSION:,} extra nodes; refused (an alias bomb?)",
                    node.start_mark.line + 1,
                    node.start_mark.column + 1,
                )
            )
        return _construct(loader, node, {})
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
