"""Export the compiled knowledge base as one JSON bundle, and the files of the browser advisor.

The bundle is the dict [`compile_kb`][advisor.compile.compile_kb] returns (the same data the
Python advisor evaluates) without the source phrases its matching index already holds, with one
more key, `bundle`, holding what only the browser needs: the format version, the generator and
where the concept pages are. Its lexicon is packed (`pack_lexicon`); `advisor.text.unpack`
and its port in `advisor/web/engine.js` rebuild it. The script runs the same rules on it, so the browser
and `advisor ask --json` give the same answers.

Every output is deterministic: the same knowledge base gives the same bytes, so a site build is
reproducible and `advisor export` can be diffed.
"""

from __future__ import annotations

import json
import re
import os
import tempfile
from pathlib import Path
from typing import Any

from advisor import __version__
from advisor.model import KnowledgeBase

#: Version of the bundle's layout; the browser script refuses a bundle of another format.
BUNDLE_FORMAT = 4

#: Folder of the site (relative to its root) the browser advisor's files are written into.
ASSET_DIR = "assets/concept-advisor"

#: Where a concept page is, relative to the `advisor/` page; `{id}` is the concept id.
CONCEPT_PAGE = "../concepts/{id}/"

#: The files of the browser advisor, in the package folder `advisor/web/`.
WEB_DIR = Path(__file__).resolve().parent / "web"


#: Source phrases the compiled dict keeps beside their matching index (`lexicon`): the engine
#: only reads the index, so the bundle leaves them out (a sixth of its gzipped size).
#: Top-level keys dropped whole, and keys dropped from each item of a top-level list.
SOURCE_PHRASES: tuple[str, ...] = ("synonyms", "intents")
SOURCE_PHRASE_KEYS: dict[str, tuple[str, ...]] = {
    "concepts": ("aliases",),
    "products": ("aliases",),
    "out_of_scope": ("phrases",),
    "faq": ("phrases", "keywords"),
}


def _without(item: dict[str, Any], keys: tuple[str, ...]) -> dict[str, Any]:
    return {key: value for key, value in item.items() if key not in keys}


def pack_lexicon(lexicon: dict[str, Any]) -> dict[str, Any]:
    """Return the lexicon in the bundle's packed form, which [`advisor.text.unpack`][advisor.text.unpack] reverses.

    `known`, `words` and the lookups by id are left out (they are recomputed from the rest, see
    [`advisor.text.unpack`][advisor.text.unpack]); each pattern entry
    becomes one string, `"tok tok|kind id [value]|..."`, and each synonym `"from tok|to tok"`,
    in the lexicon's entry order. Tokens are runs of `[a-z0-9]` and ids match the schemas'
    `[a-z0-9_-]` patterns, so spaces and `|` never occur inside them. Other keys are kept as they are.
    """
    packed: dict[str, Any] = {}
    for key, value in lexicon.items():
        if key in ("known", "words", "fact_index", "fact_position", "concept_index", "product_index", "oos_index"):
            continue
        if key == "patterns":
            value = [
                ["|".join([" ".join(entry[0]), *(" ".join(target) for target in entry[1])]) for entries in layer.values() for entry in entries]
                for layer in value
            ]
        elif key == "synonyms":
            value = [" ".join(entry[0]) + "|" + " ".join(entry[1]) for entries in value.values() for entry in entries]
        packed[key] = value
    return packed


def _step_attributes(compiled: dict[str, Any]) -> set[str]:
    """The product attributes next steps name (`{ATTR}`, `{ATTR|KEY=VALUE}`): all the engine reads of them."""
    used: set[str] = set()
    for rule in compiled["rules"]:
        for step in rule["next_steps"]:
            for field in re.findall(r"\{([^{}]+)\}", step):
                used.add(field.split("|", 1)[0])
                if "|" in field:
                    used.add(field.split("|", 1)[1].split("=", 1)[0])
    return used


def bundle_of(compiled: dict[str, Any]) -> dict[str, Any]:
    """Return the browser bundle of a compiled knowledge base.

    It is the compiled dict, in its key order, without the source phrases the matching index
    already holds (`SOURCE_PHRASES`, `SOURCE_PHRASE_KEYS` and each fact value's `phrases`), with
    its lexicon packed ([`pack_lexicon`][advisor.bundle.pack_lexicon]: what can be recomputed
    is left out, index entries are strings), plus
    a `bundle` key: format, generator and the concept page address. `advisor.rules.ask` answers
    from it exactly as from the compiled dict. The compiled dict is only read, never changed.
    """
    bundle: dict[str, Any] = {}
    for key, value in compiled.items():
        if key in SOURCE_PHRASES:
            continue
        if key in SOURCE_PHRASE_KEYS:
            value = [_without(item, SOURCE_PHRASE_KEYS[key]) for item in value]
        elif key == "products":
            used = _step_attributes(compiled)
            value = [{**product, "attributes": {k: v for k, v in product["attributes"].items() if k in used}} for product in value]
        elif key == "facts":
            value = [{**fact, "values": [_without(item, ("phrases",)) for item in fact["values"]]} for fact in value]
        elif key == "lexicon":
            value = pack_lexicon(value)
        bundle[key] = value
    bundle["bundle"] = {
        "format": BUNDLE_FORMAT,
        "generator": f"concept-advisor {__version__}",
        "concept_page": CONCEPT_PAGE,
    }
    return bundle


def compiled_of(kb: KnowledgeBase | str | Path | None) -> dict[str, Any]:
    """Return the compiled dict of a loaded knowledge base, or of the folder at a path (`None`: the bundled one)."""
    from advisor.compile import compile_kb, load_compiled

    if isinstance(kb, KnowledgeBase):
        return compile_kb(kb)
    if kb is None:
        from advisor.paths import default_kb_path

        kb = default_kb_path()
    return load_compiled(Path(kb))


def export_bundle(kb_path: str | Path | None = None) -> dict[str, Any]:
    """Return the browser bundle of the knowledge base at `kb_path` (default: the bundled one).

    Raises [`KnowledgeBaseError`][advisor.errors.KnowledgeBaseError] for a broken knowledge base.
    """
    return bundle_of(compiled_of(kb_path))


def bundle_bytes(bundle: dict[str, Any]) -> bytes:
    """Serialise a bundle compactly and deterministically (keys in their built order, UTF-8)."""
    return json.dumps(bundle, ensure_ascii=False, separators=(",", ":"), allow_nan=False).encode("utf-8") + b"\n"


def web_files() -> dict[str, bytes]:
    """Return the static files of the browser advisor (style, plain-words answer, engine and widget
    scripts), by file name.

    The names sort in load order: the widget script needs the other two loaded before it. Scripts
    ship without their comment lines and indentation ([`compact_script`][advisor.bundle.compact_script]).
    """
    files = {}
    for name in ("advisor.css", "answer.js", "engine.js", "widget.js"):
        data = (WEB_DIR / name).read_bytes()
        files[name] = compact_script(data.decode("utf-8")).encode("utf-8") if name.endswith(".js") else data
    return files


def compact_script(source: str) -> str:
    r"""Drop a script's whole-line comments, blank lines and indentation; nothing else changes.

    Only lines that start with `//` or open a `/* ... */` block at their start are dropped, and
    line breaks stay, so no statement changes meaning (our scripts keep no string or regular
    expression across lines). It saves a fifth of the gzipped size without a build tool.

    ```pycon
    >>> compact_script("  /* a\n   * b */\n  var x = 1; // kept\n\n  // gone\n")
    'var x = 1; // kept\n'
    ```
    """
    out: list[str] = []
    in_block = False
    for line in source.split("\n"):
        text = line.strip()
        if in_block:
            in_block = "*/" not in text
            continue
        if text.startswith("/*"):
            in_block = "*/" not in text
            continue
        if text == "" or text.startswith("//"):
            continue
        out.append(text)
    return "\n".join(out) + "\n"


def site_assets(kb: KnowledgeBase | str | Path | None) -> dict[str, bytes]:
    """Return the files the site needs for the browser advisor, by path relative to the site root.

    `kb` is a loaded knowledge base or the path of its folder. The paths are
    `assets/concept-advisor/advisor.css`, `answer.js`, `engine.js`, `widget.js` and `bundle.json`; the MkDocs
    plugin adds the scripts and the style sheet to every page, and the `advisor/` page points its widget at
    the bundle with `data-bundle`.

    ```pycon
    >>> sorted(site_assets(kb))
    ['assets/concept-advisor/advisor.css', 'assets/concept-advisor/answer.js', 'assets/concept-advisor/bundle.json', 'assets/concept-advisor/engine.js', 'assets/concept-advisor/widget.js']
    ```
    """
    files = {f"{ASSET_DIR}/{name}": data for name, data in web_files().items()}
    files[f"{ASSET_DIR}/bundle.json"] = bundle_bytes(bundle_of(compiled_of(kb)))
    return dict(sorted(files.items()))


def write_atomically(path: Path, data: bytes) -> None:
    """Write `data` to `path` so that readers see the old file or the new one, never a part."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(data)
            file.flush()
            os.fsync(file.fileno())
        os.chmod(temporary, 0o644)
        os.replace(temporary, path)
    except BaseException:
        try:
            os.unlink(temporary)
        except FileNotFoundError:
            pass
        raise
