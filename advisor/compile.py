"""Compile a knowledge base into one JSON-ready dict, and cache it in the user's cache folder.

The compiled dict is all that `advisor ask`, the browser widget and the bundle need. Its shape
(format 3):

- `format`, `version` (package version), `kb`: `{id, title, description}`, `scopes`: `[{id, name}]`;
- `concepts`: `[{id, name, summary, kind_of, applies_to, role, aliases}]`;
- `facts`: `[{id, prompt, help, ask, priority, match_concepts, values: [{id, label, phrases, statement?}]}]`;
- `synonyms`: `[{from, to}]`, `intents`: `[{id, phrases}]`,
  `out_of_scope`: `[{id, phrases, message}]`;
- `products`: `[{id, name, aliases, summary, concepts, implies, attributes}]`;
- `rules`: `[{id, concept, weight, when, reason, next_steps}]`;
- `faq`: `[{id, kind, question, answer, concepts, phrases, keywords}]` (kind `faq` or
  `troubleshooting`);
- `lexicon`: the matching indexes [`advisor.text`][advisor.text] and
  [`advisor.rules`][advisor.rules] read:
  `known` (stem -> 1), `words` (first letter + length -> stems, for typo correction; both made
  by [`vocabulary`][advisor.text.vocabulary] from the patterns, synonyms and FAQ terms),
  `synonyms` (first token -> `[[from tokens], [to tokens]]`, longest first),
  `patterns` (three layers: facts, products and concepts; intents and out-of-scope topics; FAQ
  phrases. First token -> `[[tokens], [targets]]`, longest first, where a target
  is `["fact", fact, value]`, `["product", id]`, `["concept", id]`, `["intent", id]`,
  `["oos", id]` or `["faq", id]`), `faq_terms` (the FAQ keyword index: a content token of an
  entry's question, phrases or keywords -> the positions of the entries holding it, ascending;
  tokens held by more than a third of the entries (at least 3) are left out as uninformative),
  `heads` (coordination: the last token of the multi-word names of main concepts -> the
  modifier tokens before it, longest first, so "panel and app plugins" names both plugin types),
  `slots` (`[[tokens with "*"], [targets]]`, longest first: phrases naming a system nobody
  listed), `compounds` (last part of a hyphenated identifier -> the tokens it adds),
  `rule_concepts` (concepts rules point to, in concept order), `nothing_applies` (message),
  `language` (the word lists and limits, [`advisor.language`][advisor.language]), then the
  lookups by id of [`positions`][advisor.text.positions];
- `engine`: the engine's constants ([`engine_constants`][advisor.rules.engine_constants]);
- `model`: the text model trained on the examples ([`advisor.learn`][advisor.learn]).

[`load_compiled`][advisor.compile.load_compiled] keeps the compiled dict in the per-user cache
folder (`$XDG_CACHE_HOME/concept-advisor/`, never beside the data or in an installed package),
keyed by a SHA-256 of the YAML files' content and of the engine (package version, format, the
code of the compiler and loader, the schemas), and checked against a SHA-256 of its own body on
every read.
"""

from __future__ import annotations

import json
import os
import time
from typing import Any

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from hashlib import sha256
    from pathlib import Path
else:
    try:  # CPython's own SHA-256 loads in a third of hashlib's time (no OpenSSL): `advisor ask` starts faster
        from _sha256 import sha256
    except ImportError:  # other interpreters
        from hashlib import sha256

from advisor import __version__
from advisor import learn
from advisor import text as text_module
from advisor.language import language_of
from advisor.paths import default_kb_folder

#: Bumped whenever the compiled dict changes shape.
FORMAT = 3

NOTHING_APPLIES = (
    "Nothing in this knowledge base applies to that question, so the advisor will not guess. "
    "Describe what you want to set up, or ask what a concept is."
)


def _add(index: dict[str, list[list[Any]]], tokens: list[str], target: list[str]) -> None:
    if not tokens:
        return
    for entry in index.setdefault(tokens[0], []):
        if entry[0] == tokens:
            if target not in entry[1]:
                entry[1].append(target)
            return
    index[tokens[0]].append([tokens, [target]])


def _sorted(index: dict[str, list[list[Any]]]) -> dict[str, list[list[Any]]]:
    """Longest patterns first; equal lengths keep their data order (a stable sort)."""
    return {key: sorted(index[key], key=lambda entry: -len(entry[0])) for key in index}


def _add_contained_facts(layer: dict[str, list[list[Any]]], skipped: set[str]) -> None:
    """Give each pattern the fact targets of the shorter patterns inside it ("grafana cloud integration"
    also says "grafana cloud"), except for facts it already sets and facts in `skipped`."""
    for entries in layer.values():
        for entry in entries:
            tokens = entry[0]
            own = {target[1] for target in entry[1] if target[0] == "fact"}
            for start in range(len(tokens)):
                for other in layer.get(tokens[start], []):
                    inner = other[0]
                    if len(inner) >= len(tokens) or tokens[start:start + len(inner)] != inner:
                        continue
                    for target in other[1]:
                        if target[0] == "fact" and target[1] not in own and target[1] not in skipped:
                            entry[1].append(target)
                            own.add(target[1])


def compile_kb(kb: Any) -> dict[str, Any]:
    """Return the JSON-ready compiled form of a loaded [`KnowledgeBase`][advisor.model.KnowledgeBase]."""
    concepts = [
        {
            "id": c.id, "name": c.name, "summary": c.summary, "kind_of": c.kind_of,
            "applies_to": list(c.applies_to), "role": c.role, "aliases": list(c.aliases),
        }
        for c in kb.concepts
    ]
    facts = [
        {
            "id": q.id, "prompt": q.prompt, "help": q.help, "ask": q.ask, "priority": q.priority,
            "match_concepts": q.match_concepts, "wins": list(q.wins) or [v.id for v in q.values],
            "values": [{"id": v.id, "label": v.label, "phrases": list(v.phrases), **({"statement": v.statement} if v.statement else {})} for v in q.values],
        }
        for q in kb.questions
    ]
    products = [
        {
            "id": p.id, "name": p.name, "aliases": list(p.aliases), "summary": p.summary,
            "concepts": list(p.concepts), "implies": dict(p.implies), "attributes": _jsonable(p.attributes),
            **({"requires": list(p.requires)} if p.requires else {}),
        }
        for p in kb.products
    ]
    rules = [
        {"id": r.id, "concept": r.concept, "weight": r.weight, "when": r.when, "reason": r.reason, "next_steps": list(r.next_steps)}
        for r in kb.rules
    ]
    faq = [
        {"id": f.id, "kind": f.kind, "question": f.question, "answer": f.answer, "concepts": list(f.concepts), "phrases": list(f.phrases), "keywords": list(f.keywords)}
        for f in kb.faq
    ]
    words = language_of(kb.language)
    concept_ids = {c.id for c in kb.concepts}

    synonyms: dict[str, list[list[Any]]] = {}
    for source, target in kb.synonyms.items():
        from_tokens = text_module.phrase_tokens(source)
        to_tokens = text_module.phrase_tokens(target)
        if from_tokens and to_tokens and from_tokens != to_tokens:
            if not any(entry[0] == from_tokens for entry in synonyms.get(from_tokens[0], [])):
                synonyms.setdefault(from_tokens[0], []).append([from_tokens, to_tokens])
    synonyms = _sorted(synonyms)
    synonym_lexicon = {"synonyms": synonyms}

    def stem_phrase(phrase: str) -> list[str]:
        # phrases go through the same synonym rewriting as the user's text
        tokens = text_module.phrase_tokens(phrase)
        return text_module._rewrite(synonym_lexicon, tokens, tokens)[0]

    facts_layer: dict[str, list[list[Any]]] = {}
    topics_layer: dict[str, list[list[Any]]] = {}
    slots: list[list[Any]] = []
    for fact in kb.questions:
        for value in fact.values:
            for phrase in value.phrases:
                if "*" in phrase:
                    slots.append([slot_tokens(phrase, stem_phrase), [["fact", fact.id, value.id]]])
                else:
                    _add(facts_layer, stem_phrase(phrase), ["fact", fact.id, value.id])
    # a concept's own name beats a product or FAQ phrase spelt the same (punctuation aside)
    concept_names = [stem_phrase(name) for c in kb.concepts for name in (c.name, *c.aliases)]
    for product in kb.products:
        for name in (product.name, *product.aliases):
            tokens = stem_phrase(name)
            if tokens not in concept_names:
                _add(facts_layer, tokens, ["product", product.id])
    for concept in kb.concepts:
        for name in (concept.name, *concept.aliases):
            tokens = stem_phrase(name)
            _add(facts_layer, tokens, ["concept", concept.id])
            for fact in kb.questions:
                if fact.match_concepts and fact.value(concept.id) is not None:
                    _add(facts_layer, tokens, ["fact", fact.id, concept.id])
    for intent in kb.intents:
        for phrase in intent.phrases:
            _add(topics_layer, stem_phrase(phrase), ["intent", intent.id])
    for topic in kb.out_of_scope:
        for phrase in topic.phrases:
            _add(topics_layer, stem_phrase(phrase), ["oos", topic.id])
    # FAQ phrases are a layer of their own: "difference between" (an intent) must not hide an
    # FAQ phrase "difference"
    faq_layer: dict[str, list[list[Any]]] = {}
    for entry in kb.faq:
        for phrase in entry.phrases:
            tokens = stem_phrase(phrase)
            if tokens not in concept_names:
                _add(faq_layer, tokens, ["faq", entry.id])

    faq_terms: dict[str, list[int]] = {}
    for position, entry in enumerate(kb.faq):
        for phrase in (entry.question, *entry.phrases, *entry.keywords):
            for token in stem_phrase(phrase):
                if token in words["stopwords"] or len(token) < 2:
                    continue
                holders = faq_terms.setdefault(token, [])
                if position not in holders:
                    holders.append(position)
    common = max(3, len(kb.faq) // 3)
    faq_terms = {token: holders for token, holders in faq_terms.items() if len(holders) <= common}

    # coordination: "red, green and blue widgets" -> the modifiers before a concept name
    # ending in the same head token name the concepts "<modifier> <head>"
    named_by: dict[str, str] = {}
    for concept in kb.concepts:
        for name in (concept.name, *concept.aliases):
            named_by.setdefault(" ".join(stem_phrase(name)), concept.id)
    heads: dict[str, list[list[str]]] = {}
    for concept in kb.concepts:
        if concept.role != "main":
            continue
        for name in (concept.name, *concept.aliases):
            tokens = stem_phrase(name)
            # a modifier that names nothing new ("HOST widget" is just "widget" when HOST is a concept) is left out
            if len(tokens) >= 2 and named_by.get(tokens[-1]) != concept.id and named_by.get(" ".join(tokens)) == concept.id:
                entries = heads.setdefault(tokens[-1], [])
                if tokens[:-1] not in entries:
                    entries.append(tokens[:-1])
    heads = {key: sorted(value, key=lambda entry: -len(entry)) for key, value in heads.items() if len(value) >= 2}

    _add_contained_facts(facts_layer, {f.id for f in kb.questions if f.match_concepts})

    patterns = [_sorted(facts_layer), _sorted(topics_layer), _sorted(faq_layer)]
    known, by_letter = text_module.vocabulary([*patterns, synonyms], faq_terms)

    rule_concepts = [c.id for c in kb.concepts if any(r.concept == c.id for r in kb.rules)]
    compiled: dict[str, Any] = {
        "format": FORMAT,
        "version": __version__,
        "kb": {"id": kb.id, "title": kb.title, "description": kb.description},
        "scopes": [{"id": s.id, "name": s.name} for s in kb.scopes],
        "concepts": concepts,
        "facts": facts,
        "synonyms": [{"from": k, "to": v} for k, v in kb.synonyms.items()],
        "intents": [{"id": i.id, "phrases": list(i.phrases)} for i in kb.intents],
        "out_of_scope": [{"id": o.id, "phrases": list(o.phrases), "message": o.message} for o in kb.out_of_scope],
        "products": products,
        "rules": rules,
        "faq": faq,
        "lexicon": {
            "known": known,
            "words": by_letter,
            "synonyms": synonyms,
            "patterns": patterns,
            "faq_terms": faq_terms,
            "heads": heads,
            "slots": sorted(slots, key=lambda slot: -len(slot[0])),
            "compounds": {text_module.stem(key.lower()): [token for sentence in text_module.normalise(value) for token in sentence] for key, value in sorted(kb.compounds.items())},
            "rule_concepts": [c for c in rule_concepts if c in concept_ids],
            "nothing_applies": NOTHING_APPLIES,
            "plan_fact": kb.plan_fact,
            "language": words,
        },
    }
    compiled["lexicon"].update(text_module.positions(compiled))
    from advisor.rules import engine_constants

    compiled["engine"] = engine_constants()
    compiled["model"] = train_model(compiled, kb.examples)
    return compiled


def model_labels(compiled: dict[str, Any]) -> list[str]:
    """Return the labels of the knowledge base's text model: the concepts rules point to, then the other outcomes."""
    return [*compiled["lexicon"]["rule_concepts"], learn.FAQ_LABEL, "ask-follow-up", "out-of-scope"]


def train_model(compiled: dict[str, Any], examples: Any) -> dict[str, Any]:
    """Train the text model ([`advisor.learn`][advisor.learn]) on `examples` (records with `question` and `expected`)."""
    labels = model_labels(compiled)
    samples = []
    for example in examples:
        label = learn.label_of(example.expected)
        if label in labels:
            samples.append((learn.features_of(text_module.analyse(compiled, example.question)), label))
    return learn.train(samples, labels)


def slot_tokens(phrase: str, stem_phrase: Any) -> list[str]:
    """Return the tokens of a slot phrase ("connect to *"), `*` standing for one unknown token."""
    tokens: list[str] = []
    parts = phrase.split("*")
    for index, part in enumerate(parts):
        tokens.extend(stem_phrase(part))
        if index < len(parts) - 1:
            tokens.append("*")
    return tokens


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    return value


#: The modules whose code decides what the compiled dict holds: part of every cache key.
_ENGINE_MODULES = ("compile.py", "text.py", "load.py", "model.py", "yamlsafe.py", "derive.py", "facts.py", "language.py", "learn.py", "rules.py")

#: A temporary cache file older than this (seconds) was left by a killed write; it is removed.
STALE_TEMPORARY_SECONDS = 600


def _engine_digest() -> bytes:
    digest = sha256(f"{__version__}\n{FORMAT}\n".encode())
    package = os.path.dirname(os.path.realpath(__file__))
    for name in _ENGINE_MODULES:
        try:
            with open(os.path.join(package, name), "rb") as handle:
                digest.update(name.encode() + b"\0" + handle.read())
        except OSError:
            digest.update(name.encode() + b"\0missing")
    try:
        from advisor.paths import schema_folder

        folder = schema_folder()
        for schema in sorted(name for name in os.listdir(folder) if name.endswith(".json")):
            with open(os.path.join(folder, schema), "rb") as handle:
                digest.update(schema.encode() + b"\0" + handle.read())
    except OSError:
        pass
    return digest.digest()


def cache_key(kb_path: str | Path) -> str:
    """Return the key of a knowledge base folder's compiled form: a SHA-256 of the engine (package
    version, format, the compiler's and loader's code, the schemas) and of the names and *content*
    of the folder's YAML files, so any edit changes it, whatever the files' sizes and times say."""
    digest = sha256(_engine_digest())
    for entry in sorted(os.scandir(kb_path), key=lambda e: e.name):
        if entry.name.endswith(".yaml") and entry.is_file():
            with open(entry.path, "rb") as handle:
                content = handle.read()
            digest.update(f"{entry.name}\0{len(content)}\0".encode() + content)
    return digest.hexdigest()


def _cache_folder() -> str:
    base = os.environ.get("XDG_CACHE_HOME", "")
    if not base or not os.path.isabs(base):
        base = os.path.join(os.path.expanduser("~"), ".cache")
    return os.path.join(base, "concept-advisor")


def _cache_path(kb_path: str | os.PathLike[str]) -> str:
    name = sha256(os.path.realpath(kb_path).encode()).hexdigest()[:32]
    return os.path.join(_cache_folder(), f"compiled-{name}.json")


def cache_dir() -> Path:
    """Return the per-user cache folder: `$XDG_CACHE_HOME/concept-advisor` (default `~/.cache/...`)."""
    from pathlib import Path

    return Path(_cache_folder())


def cache_file(kb_path: str | Path) -> Path:
    """Return the cache file of a knowledge base folder: one per folder, in [`cache_dir`][advisor.compile.cache_dir]."""
    from pathlib import Path

    return Path(_cache_path(kb_path))


def _read(file: str, key: str) -> dict[str, Any] | None:
    """Return the compiled dict a cache file holds for `key`; `None` when the file is missing,
    for another key, or damaged in any way (its body's SHA-256 is checked before it is parsed)."""
    try:
        with open(file, "rb") as handle:
            header = json.loads(handle.readline())
            body = handle.read()
    except (OSError, ValueError):
        return None
    if not isinstance(header, dict) or header.get("key") != key or header.get("sha256") != sha256(body).hexdigest():
        return None
    try:
        compiled = json.loads(body)
    except ValueError:
        return None
    return compiled if isinstance(compiled, dict) and compiled.get("format") == FORMAT else None


def _clean_temporaries(folder: str) -> None:
    """Remove temporary files that killed writes left in the cache folder."""
    limit = time.time() - STALE_TEMPORARY_SECONDS
    for entry in os.scandir(folder):
        if not (entry.name.startswith(".compiled-") and entry.name.endswith(".tmp")):
            continue
        try:
            if entry.stat().st_mtime < limit:
                os.unlink(entry.path)
        except OSError:
            continue


def _write(file: str, key: str, compiled: dict[str, Any]) -> bool:
    """Write a cache file atomically (a temporary file renamed over it): a header line with the
    key and the body's SHA-256, then the body. Returns whether it was written."""
    body = json.dumps(compiled, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    header = json.dumps({"key": key, "sha256": sha256(body).hexdigest()}).encode() + b"\n"
    try:
        folder = os.path.dirname(file)
        os.makedirs(folder, exist_ok=True)
        _clean_temporaries(folder)
        import tempfile  # only when writing: `advisor ask` with a warm cache never needs it

        handle, temporary = tempfile.mkstemp(prefix=".compiled-", suffix=".tmp", dir=folder)
        try:
            with os.fdopen(handle, "wb") as out:
                out.write(header)
                out.write(body)
            os.replace(temporary, file)
        except BaseException:
            try:
                os.unlink(temporary)
            except OSError:
                pass
            raise
    except OSError:
        return False
    return True


def load_compiled(kb_path: str | Path | None = None) -> dict[str, Any]:
    """Return the compiled knowledge base at `kb_path`, from the per-user cache when it is fresh.

    The cache ([`cache_file`][advisor.compile.cache_file]) is trusted only when its key
    ([`cache_key`][advisor.compile.cache_key]: the engine and the files' content) matches and its
    body is intact; otherwise the YAML is loaded and checked
    ([`load_knowledge_base`][advisor.load.load_knowledge_base], which raises
    [`KnowledgeBaseError`][advisor.errors.KnowledgeBaseError] for a broken knowledge base),
    compiled, and the cache rewritten atomically. Nothing is ever written beside the data; when
    the cache folder cannot be written, the answer is compiled every time.
    """
    # plain strings on the fast path: pathlib is imported only when the cache is missed
    folder = os.fspath(kb_path) if kb_path is not None else default_kb_folder()
    key = None
    if os.path.isdir(folder):
        try:
            key = cache_key(folder)
        except OSError:
            key = None
        if key is not None:
            found = _read(_cache_path(folder), key)
            if found is not None:
                return found
    from pathlib import Path

    from advisor.load import load_knowledge_base  # the slow path: YAML, JSON Schema

    kb = load_knowledge_base(Path(folder))
    compiled = json.loads(json.dumps(compile_kb(kb), ensure_ascii=False))
    if key is not None:
        _write(_cache_path(folder), key, compiled)
    return dict(compiled)
