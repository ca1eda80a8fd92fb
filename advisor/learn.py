"""A small text model trained on a knowledge base's examples: what outcome a question is likely after.

The phrase lists of a knowledge base name what its authors foresaw; people word things in many
more ways. The examples (`examples.yaml`) train a multinomial naive Bayes model over the words of a
question, its word pairs and what the phrase lists found in it (facts, concepts, intents, topics).
Its labels are the examples' outcomes: a concept, `out-of-scope`, `ask-follow-up`, or `faq` for
explanations about several concepts. [`advisor.rules`][advisor.rules] consults it only where the
rules cannot decide on their own.

Weights are whole numbers (fiftieths of a natural logarithm) fixed at compile time, so a
prediction is a sum of integers: the JavaScript engine reproduces it exactly.

Shape of a trained model (JSON-ready):
`{"labels": [...], "prior": [int per label], "base": [int per label],
"features": {feature: [label index, extra weight, label index, extra weight, ...]}}`. The score of
a label is `prior + sum over the text's known features of (base + extra)`, an extra weight being 0
for a label the feature was never seen with.
"""

from __future__ import annotations

import math
from typing import Any, Iterable

#: Label of examples whose answer is an explanation of several concepts.
FAQ_LABEL = "faq"

#: Additive smoothing of the word counts.
SMOOTHING = 0.5

#: A feature seen in fewer examples than this is left out (it says more of one sentence than of a kind).
MIN_COUNT = 4

#: At most this many features, the most telling ones (0: no limit); keeps the browser bundle small.
MAX_FEATURES = 400

#: Weights are natural logarithms times this, rounded to whole numbers.
SCALE = 50


def label_of(expected: Any) -> str:
    """Return the model label of an example's expected outcome.

    ```pycon
    >>> label_of("data-source"), label_of(["integration", "data-source"]), label_of({"follow-up": "deployment"})
    ('data-source', 'faq', 'ask-follow-up')
    ```
    """
    if isinstance(expected, list):
        return expected[0] if len(expected) == 1 else FAQ_LABEL
    if isinstance(expected, dict):
        return FAQ_LABEL if "faq" in expected else "ask-follow-up"
    return str(expected)


def features_of(analysis: dict[str, Any]) -> list[str]:
    """Return the distinct features of an analysed text (see [`advisor.text.analyse`][advisor.text.analyse]), in text order.

    Words (`w:`), pairs of neighbouring words (`b:`), each sentence's first word (`s:`), and what the
    phrase lists matched: facts (`f:fact=value`), concepts (`c:`), intents (`i:`), out-of-scope topics
    (`o:`), FAQ entries (`q:`), whether a product was named (`p:`) and whether a system nobody listed was (`u:`).
    """
    out: list[str] = []
    seen: dict[str, int] = {}

    def add(feature: str) -> None:
        if feature not in seen:
            seen[feature] = 1
            out.append(feature)

    for sentence in analysis["sentences"]:
        if sentence:
            add("s:" + sentence[0])
        for index, token in enumerate(sentence):
            add("w:" + token)
            if index + 1 < len(sentence):
                add("b:" + token + " " + sentence[index + 1])
    for fact_id in analysis["facts"]:
        add("f:" + fact_id + "=" + analysis["facts"][fact_id]["value"])
    for concept_id in analysis["concepts"]:
        add("c:" + concept_id)
    for intent in analysis["intents"]:
        add("i:" + intent)
    for topic in analysis["out_of_scope"]:
        add("o:" + topic)
    for entry in analysis["faq"]:
        add("q:" + entry)
    if analysis["products"]:
        add("p:named")
    if analysis["unlisted"]:
        add("u:named")
    return out


def _most_telling(rows: list[Any], kept: list[str], size: int, position: dict[str, int], documents: list[int]) -> list[str]:
    """The features ranked by the information their presence gives about the outcome (mutual
    information over the training examples), most telling first; ties in name order."""
    present: dict[str, list[int]] = {feature: [0] * size for feature in kept}
    for features, label in rows:
        for feature in set(features):
            if feature in present:
                present[feature][position[label]] += 1
    total = sum(documents)
    scored = []
    for feature in kept:
        with_f = present[feature]
        n_f = sum(with_f)
        info = 0.0
        for index in range(size):
            for joint, marginal in ((with_f[index], n_f), (documents[index] - with_f[index], total - n_f)):
                if joint and marginal and documents[index]:
                    info += joint / total * math.log(joint * total / (marginal * documents[index]))
        scored.append((-round(info, 12), feature))
    return [feature for _, feature in sorted(scored)]


def _telling(feature: str) -> bool:
    """Whether a feature can tell outcomes apart: words and pairs made only of numbers (versions,
    ports, addresses) cannot, whatever their counts in the examples."""
    kind, _, words = feature.partition(":")
    return kind not in ("w", "b", "s") or not all(word.replace(".", "").isdigit() for word in words.split(" "))


def _weight(value: float) -> int:
    return int(math.floor(value * SCALE + 0.5))


def train(samples: Iterable[tuple[list[str], str]], labels: list[str]) -> dict[str, Any]:
    """Train the model on `(features, label)` samples; `labels` fixes the label order.

    A label no sample has keeps a prior of one example's worth of smoothing, so it is never
    impossible but never likely.
    """
    rows = list(samples)
    position = {label: index for index, label in enumerate(labels)}
    documents = [0] * len(labels)
    totals = [0] * len(labels)
    counts: dict[str, list[int]] = {}
    seen_in: dict[str, int] = {}
    for features, label in rows:
        index = position[label]
        documents[index] += 1
        for feature in features:
            seen_in[feature] = seen_in.get(feature, 0) + 1
    kept = sorted(feature for feature, count in seen_in.items() if count >= MIN_COUNT and _telling(feature))
    if MAX_FEATURES and len(kept) > MAX_FEATURES:
        kept = sorted(_most_telling(rows, kept, len(labels), position, documents)[:MAX_FEATURES])
    keep = set(kept)
    for features, label in rows:
        index = position[label]
        for feature in features:
            if feature in keep:
                counts.setdefault(feature, [0] * len(labels))[index] += 1
                totals[index] += 1
    size = len(kept)
    all_documents = sum(documents)
    prior = [_weight(math.log((documents[i] + SMOOTHING) / (all_documents + SMOOTHING * len(labels)))) for i in range(len(labels))]
    base = [_weight(math.log(SMOOTHING / (totals[i] + SMOOTHING * size))) if size else 0 for i in range(len(labels))]
    table: dict[str, list[int]] = {}
    for feature in kept:
        extra: list[int] = []
        for index, count in enumerate(counts[feature]):
            if count:
                weight = _weight(math.log((count + SMOOTHING) / (totals[index] + SMOOTHING * size)))
                extra.extend([index, weight - base[index]])
        table[feature] = extra
    return {"labels": list(labels), "prior": prior, "base": base, "features": table}


def predict(model: dict[str, Any], features: list[str]) -> dict[str, Any]:
    """Return the best label, the runner-up and the margin between their scores (fiftieths of a log).

    Ties go to the label listed first. A model with no labels predicts `""`.

    ```pycon
    >>> model = train([(["w:chart"], "panel"), (["w:chart"], "panel"), (["w:query"], "source"), (["w:query"], "source")], ["panel", "source"])
    >>> predict(model, ["w:chart", "w:pie"])["label"]
    'panel'
    ```
    """
    labels = model["labels"]
    if not labels:
        return {"label": "", "second": "", "margin": 0, "known": 0, "scores": []}
    scores = list(model["prior"])
    table = model["features"]
    known = 0
    for feature in features:
        extra = table.get(feature)
        if extra is None:
            continue
        known += 1
        for at in range(0, len(extra), 2):
            scores[extra[at]] += extra[at + 1]
    for index in range(len(labels)):
        scores[index] += known * model["base"][index]
    best = 0
    for index in range(1, len(labels)):
        if scores[index] > scores[best]:
            best = index
    second = -1
    for index in range(len(labels)):
        if index != best and (second < 0 or scores[index] > scores[second]):
            second = index
    margin = scores[best] - scores[second] if second >= 0 else 0
    return {"label": labels[best], "second": labels[second] if second >= 0 else "", "margin": margin, "known": known, "scores": scores}
