"""The data file reference: every field of every data file, rendered from the files' JSON Schemas.

The schemas in `data/schema/` are what `advisor validate` checks a knowledge base against, so a
page generated from them cannot drift from what the loader accepts. Each file gets a section; each
object in it (the file itself, the items of a list, the values of a mapping, a shared definition)
gets a table of its fields: name, type, whether it is required, and the schema's `description`.

```pycon
>>> schema = {"title": "Tea", "type": "object", "required": ["id"],
...           "properties": {"id": {"type": "string", "description": "The tea's id."}}}
>>> print(render_schema_reference({"tea": schema}).splitlines()[-1])
| `id` | text | yes | The tea's id. |
```
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Mapping

from advisor.load import DATA_FILES
from advisor.render.escape import markdown_text, table_cell

_ID = "^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$"
_DATE = "^\\d{4}-\\d{2}-\\d{2}$"
_SUFFIX = ".schema.json"
_TYPES = {"string": "text", "integer": "whole number", "number": "number", "boolean": "true or false", "null": "nothing"}


@dataclass(frozen=True)
class FieldRow:
    """One field of an object: its name, its type in words, whether it is required, what it does."""

    name: str
    type: str
    required: bool
    description: str


@dataclass(frozen=True)
class ObjectTable:
    """An object of a schema with its fields; `path` says where it sits in the file (`concepts[]`)."""

    path: str
    anchor: str
    rows: tuple[FieldRow, ...]


def read_schemas(folder: Path) -> dict[str, dict[str, Any]]:
    """Return the JSON Schemas of a folder by file name (`concepts` for `concepts.schema.json`)."""
    schemas = {}
    for path in sorted(folder.glob(f"*{_SUFFIX}")):
        schemas[path.name[: -len(_SUFFIX)]] = json.loads(path.read_text(encoding="utf-8"))
    return schemas


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def _code(text: str) -> str:
    return f"`{text}`" if text and "`" not in text and text.strip() == text else markdown_text(text)


def _cell_code(text: str) -> str:
    """Code for a table cell: Python-Markdown splits a row on `|` even inside backticks."""
    return _code(text).replace("|", "\\|") if "`" not in text and text.strip() == text and text else markdown_text(text)


def _has_fields(schema: Any) -> bool:
    return isinstance(schema, dict) and isinstance(schema.get("properties"), dict)


class _Walker:
    """Collects the object tables of one schema, in document order, with unique anchors."""

    def __init__(self, name: str, schema: Mapping[str, Any]) -> None:
        self.name = name
        self.schema = schema
        self.tables: list[ObjectTable] = []
        self.anchors: set[str] = set()
        self.defs: dict[str, str] = {}
        for key in sorted(schema.get("$defs", {})):
            self.defs[key] = self._anchor(f"def {key}")

    def _anchor(self, path: str) -> str:
        base = _slug(f"{self.name} {path}") or self.name
        anchor, number = base, 2
        while anchor in self.anchors:
            anchor, number = f"{base}-{number}", number + 1
        self.anchors.add(anchor)
        return anchor

    def walk(self) -> list[ObjectTable]:
        """Return every object table: the file, its nested objects, then its shared definitions."""
        self._object(self.schema, "", self._anchor("file"))
        for key in sorted(self.schema.get("$defs", {})):
            self._object(self.schema["$defs"][key], key, self.defs[key])
        return self.tables

    def _object(self, schema: Mapping[str, Any], path: str, anchor: str) -> None:
        position = len(self.tables)
        self.tables.append(ObjectTable(path, anchor, ()))
        required = set(schema.get("required", ()))
        rows = []
        for key, field in schema.get("properties", {}).items():
            child = f"{path}.{key}" if path else key
            rows.append(FieldRow(key, self._type(field, child), key in required, str(field.get("description", ""))))
        extra = schema.get("additionalProperties")
        if isinstance(extra, dict):
            rows.append(FieldRow("(any other key)", self._type(extra, f"{path}.*" if path else "*"), False, str(extra.get("description", ""))))
        self.tables[position] = ObjectTable(path, anchor, tuple(rows))

    def _type(self, schema: Any, path: str) -> str:
        """Describe a field's type in words (Markdown), rendering the objects it holds as tables."""
        if not isinstance(schema, dict):
            return "anything"
        if "$ref" in schema:
            key = str(schema["$ref"]).rsplit("/", 1)[-1]
            return f"[{markdown_text(key)}](#{self.defs[key]})" if key in self.defs else markdown_text(key)
        if "enum" in schema:
            return "one of " + ", ".join(_cell_code(str(value)) for value in schema["enum"])
        if "oneOf" in schema or "anyOf" in schema:
            forms = schema.get("oneOf") or schema.get("anyOf") or []
            return " or ".join(self._type(form, path) for form in forms)
        kind = schema.get("type")
        if kind == "array":
            return "list of " + self._type(schema.get("items", {}), f"{path}[]")
        if kind == "object" or _has_fields(schema):
            if _has_fields(schema):
                anchor = self._anchor(path)
                self._object(schema, path, anchor)
                return f"[mapping](#{anchor})"
            values = schema.get("additionalProperties")
            return "mapping of " + (self._type(values, f"{path}.*") if isinstance(values, dict) else "anything")
        if kind == "string":
            pattern = schema.get("pattern")
            if pattern == _ID:
                return "id"
            if pattern == _DATE:
                return "date (YYYY-MM-DD)"
            if schema.get("format") == "uri":
                return "address (URL)"
            return "text" + (f" matching {_cell_code(str(pattern))}" if pattern else "")
        if isinstance(kind, str):
            return _TYPES.get(kind, markdown_text(kind))
        return "anything"


def schema_tables(name: str, schema: Mapping[str, Any]) -> list[ObjectTable]:
    """Return the object tables of one file's schema: the file itself first, then each nested
    object where it appears, then the schema's shared definitions (`$defs`)."""
    return _Walker(name, schema).walk()


def _table_title(name: str, table: ObjectTable) -> str:
    if not table.path:
        return f"{name}.yaml"
    return f"{name}.yaml: {table.path}"


def render_schema_reference(schemas: Mapping[str, Mapping[str, Any]]) -> str:
    """Return the Markdown page of every field of every data file, from the files' schemas.

    Files come in the order the loader reads them (`DATA_FILES` of `advisor.load`; others
    after, by name); within a file, fields keep the schema's order. The same schemas give the same page.
    """
    names = [name for name in DATA_FILES if name in schemas] + sorted(set(schemas) - set(DATA_FILES))
    out = [
        "# Data file reference",
        "",
        "Every field of every data file of a knowledge base, generated from the JSON Schemas that "
        "`advisor validate` checks the files against. A knowledge base is a folder of these YAML "
        "files; each section says whether its file is required. In a path, `[]` stands for each item "
        "of a list and `*` for each value of a mapping.",
        "",
    ]
    out.extend(f"- [`{name}.yaml`](#{_slug(f'{name} file')})" + (f": {markdown_text(str(schemas[name]['title']))}" if schemas[name].get("title") else "") for name in names)
    out.append("")
    for name in names:
        schema = schemas[name]
        for number, table in enumerate(schema_tables(name, schema)):
            level = "##" if number == 0 else "###"
            title = _table_title(name, table)
            heading = _code(title) if number else f"{_code(title)}: {markdown_text(str(schema.get('title', name)))}"
            out.extend([f"{level} {heading} {{ #{table.anchor} }}", ""])
            if number == 0:
                need = {True: "Required in every knowledge base.", False: "Optional."}.get(DATA_FILES.get(name, False), "")
                out.extend([need + (" " + markdown_text(str(schema["description"])) if schema.get("description") else ""), ""])
            if table.path.endswith("[]"):
                out.extend([f"Each item of `{table.path[:-2]}`.", ""])
            if not table.rows:
                out.extend(["No fields.", ""])
                continue
            out.extend(["| Field | Type | Required | What it does |", "|---|---|---|---|"])
            for row in table.rows:
                name_cell = _cell_code(row.name) if row.name != "(any other key)" else "*any other key*"
                out.append(f"| {name_cell} | {row.type} | {'yes' if row.required else ''} | {table_cell(row.description)} |")
            out.append("")
    return "\n".join(out).rstrip("\n") + "\n"

