"""Turn a plain sentence into facts, product and concept mentions, using only the compiled vocabulary.

This module knows no domain word: everything it matches comes from the compiled knowledge base
(see [`advisor.compile`][advisor.compile]). It is written to be ported line by line to plain
JavaScript, so the algorithm is spelled out here and uses nothing JavaScript lacks.

Algorithm of [`analyse`][advisor.text.analyse]:

1. Normalise ([`normalise`][advisor.text.normalise]): Unicode NFKD; drop the combining marks
   U+0300..U+036F; map ASCII A-Z to a-z; cut the text into sentences at `!`, `?`, `;`, line
   breaks, and at `.` followed by white space or by the end of the text; in each sentence the
   tokens are the maximal runs of `[a-z0-9]`. Tokens in `DROPPED` (articles and possessive
   determiners) are removed. Only the last `MAX_TOKENS` tokens of the text are kept.
2. Stem every token ([`stem`][advisor.text.stem]): `ies` -> `y` (length > 4); drop `es` after
   `ss`, `x`, `ch`, `sh` (length > 4); drop a final `s` unless the token ends in `ss`, `us` or
   `is` (length > 3). Vocabulary phrases were stemmed the same way when compiled.
3. Correct typos ([`correct`][advisor.text.correct]): a stem that is not in the vocabulary, has
   at least 5 characters, contains no digit and is not in `COMMON` is replaced by the vocabulary
   word at the smallest optimal-string-alignment distance, if that distance is at most 1 (2 for
   stems of 8 or more characters). Candidates share the first letter; on equal distance the
   word listed first in its bucket (`lexicon.words`) wins.
4. Rewrite synonyms: at each position the longest synonym (`lexicon.synonyms`, keyed by first
   token, longest first) is replaced by its canonical tokens; matching resumes after it.
5. Match patterns, one layer after the other (layer 0: facts, products, concepts; layer 1:
   intents, out-of-scope topics, FAQ phrases), inside each sentence: at each position take the
   longest pattern starting there (`lexicon.patterns[layer][first token]`, longest first; the
   first one that matches wins), record all its targets, and resume after it; when none
   matches, move one token on. A match is *negated* when one of the `NEGATION_WINDOW` tokens
   before it is in `NEGATIONS`; negated matches imply no fact and name no product (a negated
   concept name still counts as named).
   Coordination (layer 0): when a concept name of two or more tokens ending in a head token
   (`lexicon.heads`, e.g. "app plugin") comes right after a word of `COORDINATORS`, the
   modifiers of that head listed before it ("panel, data source and ...": up to 4, separated
   by coordinators or nothing) name the concepts "<modifier> <head>" (the targets of that
   layer-0 pattern); the concept and concept-fact mentions inside such a modifier are dropped
   ("data source" there is the plugin type, not a data source). A modifier naming the anchor's
   own concept ends the list ("data source and data source plugin" is a contrast).
6. Collect the text's *terms* for the FAQ keyword scorer: the distinct tokens (after steps 2-4)
   that are not in `STOPWORDS`, in text order.
7. Resolve facts: each fact keeps, among its non-negated mentions (fact phrases, and the
   `implies` of named products), the *own* ones when there are any (a match that names no
   product, with a word of `SUBJECTS` among the `NEGATION_WINDOW` tokens before it: what the
   user says of their own setup, "we run Grafana on our own servers", beats a mere mention,
   "the Grafana Cloud docs"); then those of the last sentence that mentions it; among these
   the value ranked first in the fact's `wins` (by default its values' order) wins. Its `words` are the distinct matched words of
   those mentions, in text order.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from advisor import language

#: The English defaults of the word lists (the compiled knowledge base's `language` is what runs).
DROPPED: frozenset[str] = frozenset(language.DROPPED)
NEGATIONS: frozenset[str] = frozenset(language.NEGATIONS)
STOPWORDS: frozenset[str] = frozenset(language.STOPWORDS)
SUBJECTS: frozenset[str] = frozenset(language.SUBJECTS)
COORDINATORS: frozenset[str] = frozenset(language.COORDINATORS)
COMMON: frozenset[str] = frozenset(language.COMMON)
NEGATION_WINDOW = language.NEGATION_WINDOW
MAX_TOKENS = language.MAX_TOKENS

_LANGUAGES: dict[int, tuple[Any, dict[str, Any]]] = {}


def words_of(lexicon: dict[str, Any]) -> dict[str, Any]:
    """Return the lexicon's word lists as sets (and its limits), defaults where it has none."""
    given = lexicon.get("language")
    memo = _LANGUAGES.get(id(given))
    if memo is not None and memo[0] is given:
        return memo[1]
    source = given if given is not None else language.language_of()
    sets: dict[str, Any] = {key: frozenset(source[key]) for key in language.LISTS}
    sets["negation_window"] = source["negation_window"]
    sets["max_tokens"] = source["max_tokens"]
    if len(_LANGUAGES) > 8:
        _LANGUAGES.clear()
    _LANGUAGES[id(given)] = (given, sets)
    return sets


_MARKS = re.compile("[\u0300-\u036f]+")
_SENTENCE_END = re.compile(r"[!?;\n\r]|\.(?=[ \t\n\r\f\v]|$)")
_TOKEN = re.compile(r"[a-z0-9]+")
_WORD = re.compile(r"[a-z0-9]+(?:[-_.][a-z0-9]+)*")


def normalise(text: str, dropped: frozenset[str] = DROPPED, max_tokens: int = MAX_TOKENS, compounds: dict[str, list[str]] | None = None, bounds: list[list[list[int]]] | None = None) -> list[list[str]]:
    """Return the sentences of `text`, each as its list of plain ASCII tokens (see the module doc).

    When `bounds` is a list, it receives for each sentence, for each token, the `[first, end]`
    positions of the tokens of the word it came from ("kube-prometheus-stack" is one word of three
    tokens; a compound's added words are words of their own).

    >>> normalise("Café on-prem. K8s!")
    [['cafe', 'on', 'prem'], ['k8s']]
    """
    # after NFKD, str.lower() turns no other character into a-z, so it equals an A-Z-only mapping
    plain = _MARKS.sub("", unicodedata.normalize("NFKD", text).lower())
    sentences: list[list[str]] = []
    edges: list[list[list[int]]] = []
    for part in _SENTENCE_END.split(plain):
        tokens: list[str] = []
        edge: list[list[int]] = []
        for word in _WORD.findall(part):
            parts = _TOKEN.findall(word)
            first = len(tokens)
            tokens.extend(token for token in parts if token not in dropped)
            for _ in range(first, len(tokens)):
                edge.append([first, len(tokens)])
            # an identifier's last part says what it is: "acme-clock-widget" is a widget
            if compounds and len(parts) > 1 and parts[-1] in compounds:
                for token in compounds[parts[-1]]:
                    edge.append([len(tokens), len(tokens) + 1])
                    tokens.append(token)
        if tokens:
            sentences.append(tokens)
            edges.append(edge)
    total = 0
    for sentence in sentences:
        total += len(sentence)
    while total > max_tokens:
        excess = total - max_tokens
        if len(sentences[0]) <= excess:
            total -= len(sentences[0])
            sentences.pop(0)
            edges.pop(0)
        else:
            sentences[0] = sentences[0][excess:]
            edges[0] = [[max(0, edge[0] - excess), edge[1] - excess] for edge in edges[0][excess:]]
            total -= excess
    if bounds is not None:
        bounds.extend(edges)
    return sentences


def stem(token: str) -> str:
    """Return the stem of a token, so that plurals match singulars (`dashboards` -> `dashboard`)."""
    size = len(token)
    if size > 4 and token.endswith("ies"):
        return token[:-3] + "y"
    if size > 4 and (token.endswith("sses") or token.endswith("xes") or token.endswith("ches") or token.endswith("shes")):
        return token[:-2]
    if size > 3 and token.endswith("s") and not (token.endswith("ss") or token.endswith("us") or token.endswith("is")):
        return token[:-1]
    return token


def phrase_tokens(phrase: str) -> list[str]:
    """Return the stemmed tokens of a vocabulary phrase (all its sentences joined)."""
    return [stem(token) for sentence in normalise(phrase) for token in sentence]


def distance(left: str, right: str, limit: int) -> int:
    """Optimal string alignment distance (edits and adjacent swaps), or `limit + 1` when larger."""
    if abs(len(left) - len(right)) > limit:
        return limit + 1
    rows = len(left) + 1
    cols = len(right) + 1
    before: list[int] = []
    previous = list(range(cols))
    for i in range(1, rows):
        current = [i] + [0] * (cols - 1)
        smallest = i
        for j in range(1, cols):
            cost = 0 if left[i - 1] == right[j - 1] else 1
            value = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and left[i - 1] == right[j - 2] and left[i - 2] == right[j - 1]:
                value = min(value, before[j - 2] + 1)
            current[j] = value
            if value < smallest:
                smallest = value
        if smallest > limit:
            return limit + 1
        before = previous
        previous = current
    return previous[cols - 1] if previous[cols - 1] <= limit else limit + 1


_CORRECTED: dict[int, tuple[dict[str, Any], dict[str, str]]] = {}


def correct(lexicon: dict[str, Any], token: str) -> str:
    """Return the vocabulary word a misspelt stem stands for, or the stem itself.

    Candidates are visited by length bucket (shortest first), then in bucket order; the first one
    at the smallest distance wins (a distance of 1 cannot be beaten, so the search stops there).
    """
    if token in lexicon["known"] or len(token) < 5 or token in words_of(lexicon)["common"]:
        return token
    for char in token:
        if "0" <= char <= "9":
            return token
    # a memo only: the same token always gets the same answer
    memo = _CORRECTED.get(id(lexicon))
    if memo is None or memo[0] is not lexicon:
        if len(_CORRECTED) > 8:
            _CORRECTED.clear()
        memo = (lexicon, {})
        _CORRECTED[id(lexicon)] = memo
    if token in memo[1]:
        return memo[1][token]
    limit = 2 if len(token) >= 8 else 1
    best = token
    best_distance = limit + 1
    for size in range(len(token) - limit, len(token) + limit + 1):
        for word in lexicon["words"].get(token[0] + str(size), []):
            found = distance(token, word, limit)
            if found < best_distance:
                best = word
                best_distance = found
                if found == 1:
                    break
        if best_distance == 1:
            break
    if len(memo[1]) > 50000:
        memo[1].clear()
    memo[1][token] = best
    return best


def vocabulary(layers: list[dict[str, list[list[Any]]]], faq_terms: dict[str, Any]) -> tuple[dict[str, int], dict[str, list[str]]]:
    """Return the `known` and `words` indexes of a lexicon (see [`advisor.compile`][advisor.compile]).

    The vocabulary is every token of the first element of each entry of `layers` (the pattern
    layers, then the synonyms: their source phrases), layer by layer in entry order, then the
    FAQ terms; `words` groups its tokens of 4 or more characters without a digit by first letter
    and length, in vocabulary order (the order `correct` breaks ties in).
    """
    known: dict[str, int] = {}
    order: list[str] = []
    for layer in layers:
        for entries in layer.values():
            for entry in entries:
                for token in entry[0]:
                    if token not in known:
                        known[token] = 1
                        order.append(token)
    for token in faq_terms:
        if token not in known:
            known[token] = 1
            order.append(token)
    words: dict[str, list[str]] = {}
    for token in order:
        digit = False
        for char in token:
            if "0" <= char <= "9":
                digit = True
        if len(token) >= 4 and not digit:
            words.setdefault(token[0] + str(len(token)), []).append(token)
    return known, words


def _unpack_layer(packed: list[str], pairs: bool) -> dict[str, list[list[Any]]]:
    layer: dict[str, list[list[Any]]] = {}
    for item in packed:
        parts = item.split("|")
        tokens = parts[0].split(" ")
        if pairs:
            entry: list[Any] = [tokens, parts[1].split(" ")]
        else:
            entry = [tokens, [part.split(" ") for part in parts[1:]]]
        layer.setdefault(tokens[0], []).append(entry)
    return layer


_UNPACKED: dict[int, tuple[dict[str, Any], dict[str, Any]]] = {}


def positions(compiled: dict[str, Any]) -> dict[str, Any]:
    """Return the lexicon's lookups by id, which a bundle leaves out: `fact_index` (fact -> value ->
    its rank in the fact's `wins`: 0 wins over 1), `fact_position`, `concept_index`, `product_index`
    and `oos_index` (id -> position)."""
    return {
        "fact_index": {fact["id"]: {value: n for n, value in enumerate(fact["wins"])} for fact in compiled["facts"]},
        "fact_position": {fact["id"]: n for n, fact in enumerate(compiled["facts"])},
        "concept_index": {concept["id"]: n for n, concept in enumerate(compiled["concepts"])},
        "product_index": {product["id"]: n for n, product in enumerate(compiled["products"])},
        "oos_index": {topic["id"]: n for n, topic in enumerate(compiled["out_of_scope"])},
    }


def unpack(compiled: dict[str, Any]) -> dict[str, Any]:
    """Return the compiled dict of a browser bundle, whose lexicon is packed ([`advisor.bundle`][advisor.bundle]).

    A packed lexicon has no `known` (a compiled dict is returned as it is): its `patterns` are
    lists of strings `"tokens|kind id [value]|..."` and its `synonyms` a list of `"from|to"`
    (tokens separated by spaces), in entry order; the layers are rebuilt keyed by first token,
    and `known` and `words` are recomputed with [`vocabulary`][advisor.text.vocabulary], the
    lookups by id with [`positions`][advisor.text.positions].
    """
    lexicon = compiled["lexicon"]
    if "known" in lexicon:
        return compiled
    memo = _UNPACKED.get(id(compiled))
    if memo is not None and memo[0] is compiled:
        return memo[1]
    patterns = [_unpack_layer(layer, False) for layer in lexicon["patterns"]]
    synonyms = _unpack_layer(lexicon["synonyms"], True)
    known, words = vocabulary([*patterns, synonyms], lexicon["faq_terms"])
    full: dict[str, Any] = {"known": known, "words": words, "synonyms": synonyms, "patterns": patterns}
    for key in lexicon:
        if key not in full:
            full[key] = lexicon[key]
    full.update(positions(compiled))
    unpacked = {**compiled, "lexicon": full}
    if len(_UNPACKED) > 8:
        _UNPACKED.clear()
    _UNPACKED[id(compiled)] = (compiled, unpacked)
    return unpacked


def _entry_at(index_map: dict[str, list[list[Any]]], tokens: list[str], index: int) -> list[Any] | None:
    """Return the first entry keyed by `tokens[index]` whose token list starts at `index` (entries
    are stored longest first), or `None`."""
    for entry in index_map.get(tokens[index], []):
        source = entry[0]
        if tokens[index:index + len(source)] == source:
            return entry
    return None


def _rewrite(lexicon: dict[str, Any], tokens: list[str], raw: list[str]) -> tuple[list[str], list[list[int]]]:
    """Apply synonyms; return the new tokens and, for each, the span of raw tokens it came from."""
    out: list[str] = []
    spans: list[list[int]] = []
    index = 0
    synonyms = lexicon["synonyms"]
    while index < len(tokens):
        found = _entry_at(synonyms, tokens, index)
        if found is None:
            out.append(tokens[index])
            spans.append([index, index + 1])
            index += 1
            continue
        end = index + len(found[0])
        for token in found[1]:
            out.append(token)
            spans.append([index, end])
        index = end
    return out, spans


def _words(raw: list[str], spans: list[list[int]], start: int, end: int) -> str:
    return " ".join(raw[spans[start][0]:spans[end - 1][1]])


def analyse(compiled: dict[str, Any], text: str) -> dict[str, Any]:
    """Return what `text` says, in the terms of the compiled knowledge base.

    The result holds `facts` (fact id -> `{"value", "words", "sentence"}`), `mentions` (every
    match: `kind`, `id`, `words`, `sentence`, `negated`, and `fact`/`value` for fact phrases),
    the ids of the `products`, `concepts`, `intents` and `out_of_scope` topics named (in text
    order, not negated), `faq` (FAQ id -> number of its phrases matched), `terms` (the content
   tokens, for the FAQ keyword scorer) and `tokens`.
    """
    compiled = unpack(compiled)
    lexicon = compiled["lexicon"]
    lists = words_of(lexicon)
    mentions: list[dict[str, Any]] = []
    terms: list[str] = []
    every: list[list[str]] = []
    token_count = 0
    bounds: list[list[list[int]]] = []
    for number, sentence in enumerate(normalise(text, lists["dropped"], lists["max_tokens"], lexicon.get("compounds"), bounds)):
        token_count += len(sentence)
        stems = [correct(lexicon, stem(token)) for token in sentence]
        tokens, spans = _rewrite(lexicon, stems, sentence)
        every.append(tokens)
        for token in tokens:
            if token not in lists["stopwords"] and token not in terms:
                terms.append(token)
        first = len(mentions)
        for layer in lexicon["patterns"]:
            index = 0
            while index < len(tokens):
                found = _entry_at(layer, tokens, index)
                if found is None:
                    index += 1
                    continue
                end = index + len(found[0])
                _mention(lists, mentions, found[1], sentence, spans, number, index, end)
                _inside(mentions[len(mentions) - len(found[1]):], bounds[number], spans, index, end)
                index = end
            if layer is lexicon["patterns"][0]:
                _coordinate(compiled, tokens, spans, sentence, number, mentions, first)
                _slots(lexicon, lists, tokens, spans, sentence, number, mentions, first)
    summary = _summarise(compiled, mentions, terms, token_count)
    summary["sentences"] = every
    summary["unlisted"] = []
    for mention in mentions:
        if "name" in mention and not mention["negated"] and mention["name"] not in summary["unlisted"]:
            summary["unlisted"].append(mention["name"])
    return summary


def _mention(lists: dict[str, Any], mentions: list[dict[str, Any]], targets: list[list[str]], sentence: list[str], spans: list[list[int]], number: int, start: int, end: int) -> None:
    """Record the targets of a match of tokens[start:end] as mentions."""
    first_raw = spans[start][0]
    negated = False
    own = 0
    for back in range(max(0, first_raw - lists["negation_window"]), first_raw):
        if sentence[back] in lists["negations"]:
            negated = True
        if sentence[back] in lists["subjects"]:
            own = 1
    for target in targets:
        if target[0] == "product":
            own = 0  # naming a product ("I get PRODUCT metrics") says nothing of one's setup
    words = _words(sentence, spans, start, end)
    for target in targets:
        mention: dict[str, Any] = {"kind": target[0], "id": target[1], "words": words, "sentence": number, "negated": negated, "own": own, "start": start, "end": end}
        if target[0] == "fact":
            mention["value"] = target[2]
        mentions.append(mention)


def _inside(recorded: list[dict[str, Any]], edges: list[list[int]], spans: list[list[int]], start: int, end: int) -> None:
    """Mark the product and fact mentions just `recorded` for tokens[start:end] when those words are
    only part of one longer word: the "prometheus" of "kube-prometheus-stack" names a chart."""
    first = spans[start][0]
    last = spans[end - 1][1]
    edge = edges[first]
    if edge[0] <= first and last <= edge[1] and (edge[0] < first or last < edge[1]):
        for mention in recorded:
            if mention["kind"] in ("product", "fact"):
                mention["inside"] = True


def _unknown(lexicon: dict[str, Any], lists: dict[str, Any], token: str) -> bool:
    """Whether a token can be the name of something the knowledge base does not list."""
    if token in lexicon["known"] or token in lists["stopwords"] or token in lists["common"] or len(token) < 3:
        return False
    for char in token:
        if char < "0" or char > "9":
            return True
    return False


def _slots(lexicon: dict[str, Any], lists: dict[str, Any], tokens: list[str], spans: list[list[int]], sentence: list[str], number: int, mentions: list[dict[str, Any]], first: int) -> None:
    """Match the slot patterns ("connect to *", "* database"), whose `*` is one token the knowledge
    base does not know and no other match covers: a system nobody listed (step 5)."""
    slots = lexicon.get("slots") or []
    covered = [0] * len(tokens)
    for mention in mentions[first:]:
        for at in range(mention["start"], mention["end"]):
            covered[at] = 1
    index = 0
    while index < len(tokens):
        found = None
        here = tokens[index]
        open_here = not covered[index] and _unknown(lexicon, lists, here)
        for slot in slots:
            pattern = slot[0]
            # most patterns fail on their first token: test it before the rest
            if index + len(pattern) > len(tokens) or (pattern[0] != here if pattern[0] != "*" else not open_here):
                continue
            fits = True
            for offset in range(1, len(pattern)):
                token = tokens[index + offset]
                if pattern[offset] == "*":
                    if covered[index + offset] or not _unknown(lexicon, lists, token):
                        fits = False
                        break
                elif pattern[offset] != token:
                    fits = False
                    break
            if fits:
                found = slot
                break
        if found is None:
            index += 1
            continue
        end = index + len(found[0])
        _mention(lists, mentions, found[1], sentence, spans, number, index, end)
        for offset in range(len(found[0])):
            if found[0][offset] == "*":
                mentions[-1]["name"] = tokens[index + offset]
        index = end


def _coordinate(compiled: dict[str, Any], tokens: list[str], spans: list[list[int]], sentence: list[str], number: int, mentions: list[dict[str, Any]], first: int) -> None:
    """Name the concepts of the modifiers listed before a headed concept name (step 5)."""
    heads = compiled["lexicon"]["heads"]
    lists = words_of(compiled["lexicon"])
    coordinators = lists["coordinators"]
    layer = compiled["lexicon"]["patterns"][0]
    positions = compiled["lexicon"]["fact_position"]
    count = len(mentions)
    for position in range(first, count):
        anchor = mentions[position]
        if anchor["kind"] != "concept" or anchor.get("dropped") or anchor["end"] - anchor["start"] < 2:
            continue
        head = tokens[anchor["end"] - 1]
        at = anchor["start"] - 1
        if head not in heads or at < 0 or tokens[at] not in coordinators:
            continue
        while at >= 0 and tokens[at] in coordinators:
            at -= 1
        named = 0
        while at >= 0 and named < 4:
            targets = None
            start = at
            for modifier in heads[head]:
                start = at - len(modifier) + 1
                if start >= 0 and tokens[start:at + 1] == modifier:
                    for entry in layer.get(modifier[0], []):
                        if entry[0] == modifier + [head]:
                            targets = entry[1]
                            break
                    break
            if targets is None:
                break
            concept = ""
            for target in targets:
                if target[0] == "concept" and concept == "":
                    concept = target[1]
            if concept == anchor["id"]:
                break
            for mention in mentions[first:]:
                if mention["start"] >= start and mention["end"] <= at + 1:
                    if mention["kind"] == "concept" or (mention["kind"] == "fact" and compiled["facts"][positions[mention["id"]]]["match_concepts"]):
                        mention["dropped"] = True
            _mention(lists, mentions, targets, sentence, spans, number, start, at + 1)
            named += 1
            at = start - 1
            while at >= 0 and tokens[at] in coordinators:
                at -= 1


def _summarise(compiled: dict[str, Any], mentions: list[dict[str, Any]], terms: list[str], token_count: int) -> dict[str, Any]:
    products: list[str] = []
    concepts: list[str] = []
    intents: list[str] = []
    out_of_scope: list[str] = []
    faq: dict[str, int] = {}
    faq_seen: list[str] = []
    # fact id -> list of [sentence, value, words, own]
    evidence: dict[str, list[list[Any]]] = {}
    product_index = compiled["lexicon"]["product_index"]
    for mention in mentions:
        kind = mention["kind"]
        if mention.get("dropped") or (mention["negated"] and kind != "concept"):
            continue  # "aren't integrations just ..." still names integrations
        if kind == "fact":
            if mention.get("inside"):
                continue  # part of a longer name ("victoriametrics-datasource"): no fact of its own
            evidence.setdefault(mention["id"], []).append([mention["sentence"], mention["value"], mention["words"], mention["own"]])
        elif kind == "product":
            if mention["id"] not in products:
                products.append(mention["id"])
            if mention.get("inside"):
                continue  # part of a longer name: the product is named, its facts are not implied
            implies = compiled["products"][product_index[mention["id"]]]["implies"]
            for fact_id in implies:
                evidence.setdefault(fact_id, []).append([mention["sentence"], implies[fact_id], mention["words"], mention["own"]])
        elif kind == "concept":
            if mention["id"] not in concepts:
                concepts.append(mention["id"])
        elif kind == "intent":
            if mention["id"] not in intents:
                intents.append(mention["id"])
        elif kind == "oos":
            if mention["id"] not in out_of_scope:
                out_of_scope.append(mention["id"])
        elif kind == "faq":
            key = mention["id"] + "\n" + mention["words"]
            if key not in faq_seen:
                faq_seen.append(key)
                faq[mention["id"]] = faq.get(mention["id"], 0) + 1
    facts: dict[str, dict[str, Any]] = {}
    fact_index = compiled["lexicon"]["fact_index"]
    for fact in compiled["facts"]:
        found = evidence.get(fact["id"])
        if not found:
            continue
        own = max(item[3] for item in found)
        found = [item for item in found if item[3] == own]
        last = max(item[0] for item in found)
        order = fact_index[fact["id"]]
        best_value = None
        best_rank = -1
        for item in found:
            if item[0] == last:
                rank = order[item[1]]
                if best_value is None or rank < best_rank:
                    best_value = item[1]
                    best_rank = rank
        words: list[str] = []
        for item in found:
            if item[0] == last and item[1] == best_value and item[2] not in words:
                words.append(item[2])
        facts[fact["id"]] = {"value": best_value, "words": words, "sentence": last}
    return {
        "facts": facts,
        "mentions": mentions,
        "products": products,
        "concepts": concepts,
        "intents": intents,
        "out_of_scope": out_of_scope,
        "faq": faq,
        "terms": terms,
        "tokens": token_count,
    }
