"""The advisor engine: a sentence and known facts -> an answer, a question, an FAQ entry or out-of-scope.

It reads only the compiled knowledge base (plain dicts and lists, see
[`advisor.compile`][advisor.compile]) and knows no domain word. It is written to be ported line by
line to plain JavaScript; the algorithm of [`ask`][advisor.rules.ask] is:

1. Facts. [`advisor.text.analyse`][advisor.text.analyse] infers facts from the text; given facts
   (`--fact`) override them. Given facts with an unknown id or value are ignored here (the CLI
   rejects them before). A fact that is not known is *unknown*, never false.
2. Rules, in three-valued logic (2 = true, 1 = unknown, 0 = false): `{fact: value}` or
   `{fact: [values]}` is unknown when the fact is unknown, else true when its value is listed;
   several keys in one mapping and `all` take the minimum, `any` the maximum, `not` is `2 - x`.
   A rule has *evidence* when at least one of its leaves is true.
3. Scores. For each concept that rules point to (in concept order): `raw` = sum of the weights
   of its true rules; `potential` = `raw` + the positive weights of its unknown rules that have
   evidence. The leader has the highest `raw` (ties: concept order). Shown scores are
   `raw / (sum of the positive raw scores)`, rounded half up to 2 decimals in integer arithmetic
   (weights are multiples of 0.5).
4. Decision, in this order:
   - an out-of-scope topic is named and the text names no main concept: status `out-of-scope`
     (when it names one, only an FAQ entry that matches strongly, below, can still answer; else
     `out-of-scope`);
   - FAQ: the best entry is chosen by `_faq_answer` (its *match*: phrases matched whole and the
     FAQ keyword scorer; then the concept overlap), else an answer is built from the summaries
     of the concepts or products named (only with an intent and when the text describes no
     situation). It is dropped when a concept is clearly ahead that it is not about, unless the
     match is strong (`FAQ_STRONG`) and an intent is named. Status `faq` when an intent (such as
     "what is the difference", "do I need", "why", "won't load") is named and a FAQ entry was
     a candidate, or when no concept is clearly ahead and the match is strong or an intent is named;
   - the leader is clearly ahead (raw >= `MIN_SCORE` and every other concept's potential is below
     the leader's raw): status `answer`;
   - otherwise, when an askable unknown fact used by an unknown rule of the contenders
     separates them: status `question`. For each candidate fact and each of its values the
     ranking is recomputed with that value; the fact whose values give the most distinct leaders
     wins, then the most values that give a clear answer, then the higher `priority`, then data
     order. A fact whose values all give the same leader is never asked;
   - otherwise the leader when raw >= `MIN_SCORE`; else a question about the best fact over all
     concepts (when no fact separates them, the unknown askable fact with the highest priority).
   Before any question is chosen: when the text named nothing of the knowledge base (no fact,
   concept, product) and no fact is given, and the text is not empty: `out-of-scope`. A text
   naming only a context concept ("grafana") gets a question: it is in the domain but says
   nothing decisive.
"""

from __future__ import annotations

from typing import Any

from advisor import learn
from advisor import text as text_module

#: The smallest raw score that can make a concept the answer.
MIN_SCORE = 2

#: FAQ entries about more concepts than this are too broad to answer a question with.
MAX_FAQ_CONCEPTS = 4

#: FAQ keyword scorer: the points of a text token held by 1, by 2 or 3, and by more FAQ entries.
TERM_POINTS = (3, 2, 1)

#: Points of each FAQ phrase a text matches whole.
PHRASE_POINTS = 8

#: The smallest FAQ match that makes an entry a candidate on its own terms.
FAQ_MIN = 5

#: A FAQ match this strong answers with the entry without an intent when no concept is clearly
#: ahead, and with an intent even when the clear leader is not one of the entry's concepts.
FAQ_STRONG = 8

#: The text model ([`advisor.learn`][advisor.learn]) decides where the rules cannot when its best
#: label leads the runner-up by at least this much (fiftieths of a natural logarithm).
MODEL_MARGIN = 100

#: ... overrules a recommendation with out-of-scope, or a decisive follow-up question (one after
#: which every answer leaves a clear leader) with a concept, when it leads by at least this much.
MODEL_OVERRULE = 300

#: ... and answers with a concept even where the rules would ask a follow-up question.
MODEL_SURE = 400

TRUE = 2
UNKNOWN = 1
FALSE = 0


def engine_constants() -> dict[str, Any]:
    """Return the engine's constants, as the compiled knowledge base carries them to both runtimes."""
    return {
        "min_score": MIN_SCORE, "max_faq_concepts": MAX_FAQ_CONCEPTS, "term_points": list(TERM_POINTS),
        "phrase_points": PHRASE_POINTS, "faq_min": FAQ_MIN, "faq_strong": FAQ_STRONG,
        "model_margin": MODEL_MARGIN, "model_overrule": MODEL_OVERRULE, "model_sure": MODEL_SURE,
    }


def evaluate(condition: dict[str, Any], facts: dict[str, str]) -> tuple[int, int]:
    """Return the truth (2 true, 1 unknown, 0 false) of a condition and how many of its leaves are true."""
    result = TRUE
    evidence = 0
    for key in condition:
        value = condition[key]
        if key == "all" or key == "any":
            part = FALSE if key == "any" else TRUE
            for item in value:
                found = evaluate(item, facts)
                evidence += found[1]
                part = max(part, found[0]) if key == "any" else min(part, found[0])
        elif key == "not":
            found = evaluate(value, facts)
            part = TRUE - found[0]
            # a negated leaf that holds is no evidence for the rule
        else:
            if key not in facts:
                part = UNKNOWN
            else:
                options = value if isinstance(value, list) else [value]
                part = TRUE if facts[key] in options else FALSE
                if part == TRUE:
                    evidence += 1
        result = min(result, part)
    return result, evidence


def _rank(compiled: dict[str, Any], facts: dict[str, str]) -> list[dict[str, Any]]:
    """Score every concept that rules point to; return them ranked, best first."""
    table: dict[str, dict[str, Any]] = {}
    for concept_id in compiled["lexicon"]["rule_concepts"]:
        table[concept_id] = {"concept": concept_id, "raw": 0.0, "potential": 0.0, "rules": []}
    for rule in compiled["rules"]:
        state, evidence = evaluate(rule["when"], facts)
        row = table[rule["concept"]]
        row["rules"].append([rule, state, evidence])
        if state == TRUE:
            row["raw"] += rule["weight"]
        elif state == UNKNOWN and evidence > 0 and rule["weight"] > 0:
            row["potential"] += rule["weight"]
    rows = list(table.values())
    for row in rows:
        row["potential"] += row["raw"]
    order = compiled["lexicon"]["concept_index"]
    rows.sort(key=lambda row: (-row["raw"], order[row["concept"]]))
    return rows


def _clear(rows: list[dict[str, Any]]) -> bool:
    if not rows or rows[0]["raw"] < MIN_SCORE:
        return False
    for row in rows[1:]:
        if row["potential"] >= rows[0]["raw"]:
            return False
    return True


def _leaves(condition: dict[str, Any], out: list[str]) -> list[str]:
    for key in condition:
        if key == "all" or key == "any":
            for item in condition[key]:
                _leaves(item, out)
        elif key == "not":
            _leaves(condition[key], out)
        elif key not in out:
            out.append(key)
    return out


def _choose_question(compiled: dict[str, Any], facts: dict[str, str], rows: list[dict[str, Any]], everyone: bool) -> dict[str, Any] | None:
    """Return the askable unknown fact that best separates the contenders, or `None`."""
    if everyone or not rows:
        contenders = [row["concept"] for row in rows]
    else:
        contenders = [rows[0]["concept"]] + [row["concept"] for row in rows[1:] if row["potential"] >= rows[0]["raw"]]
    candidates: list[str] = []
    for row in rows:
        if row["concept"] not in contenders:
            continue
        for item in row["rules"]:
            if item[1] == UNKNOWN:
                _leaves(item[0]["when"], candidates)
    best = None
    best_key: list[float] = []
    for position, fact in enumerate(compiled["facts"]):
        if fact["id"] in facts or fact["id"] not in candidates or not fact["ask"]:
            continue
        leaders, clear = _answer_leaders(compiled, facts, fact)
        if len(leaders) < 2:
            continue
        key = [len(leaders), clear, fact["priority"], -position]
        if best is None or key > best_key:
            best = fact
            best_key = key
    if best is None and everyone:
        # nothing separates on its own: ask the most important unknown fact the rules use
        for fact in compiled["facts"]:
            if fact["id"] in facts or fact["id"] not in candidates or not fact["ask"]:
                continue
            if best is None or fact["priority"] > best["priority"]:
                best = fact
    return best


def _answer_leaders(compiled: dict[str, Any], facts: dict[str, str], fact: dict[str, Any]) -> tuple[list[str], int]:
    """For each answer to `fact`, the concept that would lead ("" for none): the distinct leaders in
    answer order, and how many answers leave a clear leader."""
    leaders: list[str] = []
    clear = 0
    for value in fact["values"]:
        trial = dict(facts)
        trial[fact["id"]] = value["id"]
        ranked = _rank(compiled, trial)
        leader = ranked[0]["concept"] if ranked and ranked[0]["raw"] >= MIN_SCORE else ""
        if leader not in leaders:
            leaders.append(leader)
        if _clear(ranked):
            clear += 1
    return leaders, clear


def _decisive(compiled: dict[str, Any], facts: dict[str, str], question: dict[str, Any] | None) -> bool:
    """Whether every answer to `question` leaves a clear leader, and not always the same one."""
    if question is None:
        return False
    leaders, clear = _answer_leaders(compiled, facts, question)
    return clear == len(question["values"]) and len(leaders) >= 2


def _score(raw: float, total: float) -> float:
    if total <= 0 or raw <= 0:
        return 0.0
    numerator = int(raw * 2) * 200 + int(total * 2)
    return (numerator // (int(total * 2) * 2)) / 100


def _value_label(compiled: dict[str, Any], fact_id: str, value_id: str) -> str:
    fact = compiled["facts"][compiled["lexicon"]["fact_position"][fact_id]]
    for value in fact["values"]:
        if value["id"] == value_id:
            return value["label"]
    return value_id


def _describe(compiled: dict[str, Any], condition: dict[str, Any], facts: dict[str, str], negate: bool, out: list[str], details: list[dict[str, Any]]) -> None:
    """For every leaf of `condition` that is false or unknown, append a readable line to `out`
    (the fact's prompt and the wanted values' labels, then "(not known yet)" or "(it is: LABEL)")
    and `{fact, value: [ids], negated, state: "unknown" | "false", actual}` to `details`."""
    for key in condition:
        value = condition[key]
        if key == "all" or key == "any":
            for item in value:
                _describe(compiled, item, facts, negate, out, details)
        elif key == "not":
            _describe(compiled, value, facts, not negate, out, details)
        else:
            options = value if isinstance(value, list) else [value]
            fact = compiled["facts"][compiled["lexicon"]["fact_position"][key]]
            labels = [_value_label(compiled, key, option) for option in options]
            wanted = fact["prompt"] + " " + ("anything but " if negate else "") + " or ".join(labels)
            if key not in facts or facts[key] == "":
                out.append(wanted + " (not known yet)")
                details.append({"fact": key, "value": list(options), "negated": negate, "state": "unknown", "actual": None})
            elif (facts[key] in options) == negate:
                out.append(wanted + " (it is: " + _value_label(compiled, key, facts[key]) + ")")
                details.append({"fact": key, "value": list(options), "negated": negate, "state": "false", "actual": facts[key]})


def _fill_one(step: str, compiled: dict[str, Any], products: list[str], concept: str) -> str | None:
    fields: list[str] = []
    rest = step
    while "{" in rest and "}" in rest.split("{", 1)[1]:
        inner = rest.split("{", 1)[1]
        fields.append(inner.split("}", 1)[0])
        rest = inner.split("}", 1)[1]
    if not fields:
        return step
    index = compiled["lexicon"]["product_index"]
    for product_id in products:
        product = compiled["products"][index[product_id]]
        if concept not in product["concepts"]:
            continue
        values: dict[str, str] = {}
        for field in fields:
            name = field.split("|", 1)[0]
            if "|" in field:
                condition = field.split("|", 1)[1]
                key = condition.split("=", 1)[0]
                wanted = condition.split("=", 1)[1] if "=" in condition else ""
                if product["attributes"].get(key) != wanted:
                    continue
            if name == "name":
                values[field] = product["name"]
            elif isinstance(product["attributes"].get(name), str):
                values[field] = product["attributes"][name]
        if len(values) == len(fields):
            out = step
            for field in fields:
                out = out.replace("{" + field + "}", values[field])
            return out
    return None


def _fill(step: str, compiled: dict[str, Any], products: list[str], concept: str) -> str | None:
    """Fill a next step's placeholders from the named products that are examples of `concept`.

    `{name}` is the product's name, `{ATTR}` its attribute, `{ATTR|KEY=VALUE}` the attribute of a
    product whose attribute KEY is VALUE. `A || B`: B when A cannot be filled. `None` when nothing fits.
    """
    for choice in step.split(" || "):
        filled = _fill_one(choice, compiled, products, concept)
        if filled is not None:
            return filled
    return None


def _term_points(holders: list[int]) -> int:
    """Points of a text token in the FAQ keyword scorer: rarer tokens say more."""
    if len(holders) == 1:
        return TERM_POINTS[0]
    if len(holders) <= 3:
        return TERM_POINTS[1]
    return TERM_POINTS[2]


def _faq_answer(compiled: dict[str, Any], analysis: dict[str, Any]) -> dict[str, Any] | None:
    """Pick the FAQ entry the text is about, or build one from the concepts or products it names.

    An entry's *match* is `PHRASE_POINTS` per phrase matched plus the points of the text's terms
    it holds (`lexicon.faq_terms`, see `_term_points`). Each main concept named is *covered* by
    the entry when it is one of its concepts, else by one of its concepts that is a kind of it
    (`kind_of`) and not named itself; its score is twice the match, plus 3 per named concept
    covered, minus 3 per named concept not covered, minus 1 per concept of the entry not
    covering one, plus 3 when both sets are equal. An entry is a candidate when its match is at
    least `FAQ_MIN`, or when the text has an intent, every named concept is covered and the
    match is above 0 or the sets are equal; the highest score wins (ties: data order). An entry
    that covers none of the main concepts named is a candidate only through one of its phrases,
    never through words alone.
    """
    named = analysis["concepts"]
    concept_index = compiled["lexicon"]["concept_index"]
    main = [c for c in named if compiled["concepts"][concept_index[c]]["role"] == "main"]
    situation = False  # the text describes a situation (not just names things): it wants advice
    positions = compiled["lexicon"]["fact_position"]
    for mention in analysis["mentions"]:
        if mention["kind"] == "fact" and not mention["negated"] and not mention.get("dropped") and not compiled["facts"][positions[mention["id"]]]["match_concepts"]:
            situation = True
    points = [0] * len(compiled["faq"])
    terms = compiled["lexicon"]["faq_terms"]
    for term in analysis["terms"]:
        if term in terms:
            for position in terms[term]:
                points[position] += _term_points(terms[term])
    best = None
    best_score = 0
    best_match = 0
    for position, entry in enumerate(compiled["faq"]):
        if len(entry["concepts"]) > MAX_FAQ_CONCEPTS:
            continue
        match = analysis["faq"].get(entry["id"], 0) * PHRASE_POINTS + points[position]
        # a named concept is covered by the entry's own, else by one of its kinds not named itself
        # ("a source or a widget": the widget meant is the source widget, a kind of widget)
        covered: list[str] = []
        missing = 0
        for concept_id in main:
            cover = concept_id if concept_id in entry["concepts"] else ""
            if cover == "":
                for other in entry["concepts"]:
                    if cover == "" and other not in main and compiled["concepts"][concept_index[other]]["kind_of"] == concept_id:
                        cover = other
            if cover == "" or cover in covered:
                missing += 1
            else:
                covered.append(cover)
        shared = len(covered)
        extra = len(entry["concepts"]) - shared
        if match < FAQ_MIN and not (analysis["intents"] and shared > 0 and missing == 0 and (match > 0 or extra == 0)):
            continue
        # words alone (no phrase of the entry) do not bring an entry about none of the concepts named
        if main and shared == 0 and analysis["faq"].get(entry["id"], 0) == 0:
            continue
        score = match * 2 + shared * 3 - missing * 3 - extra
        if main and missing == 0 and extra == 0:
            score += 3
        if best is None or score > best_score:
            best = entry
            best_score = score
            best_match = match
    if best is not None and (best_match >= FAQ_MIN or best_score > 0):
        return {"id": best["id"], "question": best["question"], "answer": best["answer"], "concepts": list(best["concepts"]), "match": best_match, "fits": True}
    if not analysis["intents"]:
        return None
    if situation:
        return None  # the text describes a situation: it wants a recommendation, not a definition
    if main:
        chosen = main[:MAX_FAQ_CONCEPTS]
        parts = []
        for concept_id in chosen:
            concept = compiled["concepts"][concept_index[concept_id]]
            parts.append(concept["name"] + ": " + concept["summary"])
        names = [compiled["concepts"][concept_index[c]]["name"] for c in chosen]
        return {"id": "concept:" + "+".join(chosen), "question": "What is " + " and ".join(names) + "?", "answer": " ".join(parts), "concepts": chosen, "match": 0, "fits": False}
    if analysis["products"]:
        product = compiled["products"][compiled["lexicon"]["product_index"][analysis["products"][0]]]
        kinds = [compiled["concepts"][concept_index[c]]["name"] for c in product["concepts"]]
        answer = product["summary"] or product["name"]
        if kinds:
            answer += " In this knowledge base it is an example of: " + ", ".join(kinds) + "."
        return {"id": "product:" + product["id"], "question": "What is " + product["name"] + "?", "answer": answer, "concepts": list(product["concepts"])[:MAX_FAQ_CONCEPTS], "match": 0, "fits": False}
    return None


def ask(compiled: dict[str, Any], text: str, facts: dict[str, str]) -> dict[str, Any]:
    """Answer `text` given known `facts` (fact id -> value id); return the advisor's JSON object.

    `compiled` is a compiled knowledge base or a browser bundle (its lexicon is unpacked first).
    """
    compiled = text_module.unpack(compiled)
    analysis = text_module.analyse(compiled, text if isinstance(text, str) else "")
    known: dict[str, str] = {}
    shown: dict[str, dict[str, Any]] = {}
    for fact in compiled["facts"]:
        inferred = analysis["facts"].get(fact["id"])
        if inferred is not None:
            known[fact["id"]] = inferred["value"]
            shown[fact["id"]] = {"value": inferred["value"], "label": _value_label(compiled, fact["id"], inferred["value"]), "source": "text", "words": inferred["words"]}
    value_ids = compiled["lexicon"]["fact_index"]
    for key in facts or {}:
        value = facts[key]
        if key in value_ids and isinstance(value, str) and value in value_ids[key]:
            known[key] = value
            shown[key] = {"value": value, "label": _value_label(compiled, key, value), "source": "given", "words": []}
    ordered = {}
    for fact in compiled["facts"]:
        if fact["id"] in shown:
            ordered[fact["id"]] = shown[fact["id"]]

    # A fact the advisor never asks (`ask: false`) and the text did not give stays unknown for
    # good: the rules read it as having no value (closed world), so "not unavailable" holds
    # and nothing waits for an answer that will not come.
    settled = dict(known)
    for fact in compiled["facts"]:
        if not fact["ask"] and fact["id"] not in settled:
            settled[fact["id"]] = ""
    rows = _rank(compiled, settled)
    trace = []
    for rule in compiled["rules"]:
        state, _ = evaluate(rule["when"], settled)
        because: list[str] = []
        _describe(compiled, rule["when"], settled, False, because, [])
        trace.append({
            "rule": rule["id"],
            "concept": rule["concept"],
            "matched": True if state == TRUE else (None if state == UNKNOWN else False),
            "because": rule["reason"] if state == TRUE else "; ".join(because),
        })
    result: dict[str, Any] = {
        "status": "answer",
        "facts": ordered,
        "recommendation": None,
        "alternatives": [],
        "question": None,
        "faq": None,
        "trace": trace,
        "message": "",
    }
    # An out-of-scope topic ends it, unless the text also names a main concept: then an FAQ entry
    # about that concept may still answer (an off-topic verb asked of a concept it names).
    outside = None
    if analysis["out_of_scope"]:
        outside = compiled["out_of_scope"][compiled["lexicon"]["oos_index"][analysis["out_of_scope"][0]]]
        index = compiled["lexicon"]["concept_index"]
        if not any(compiled["concepts"][index[c]]["role"] == "main" for c in analysis["concepts"]):
            result["status"] = "out-of-scope"
            result["message"] = outside["message"]
            return result

    clear = _clear(rows)
    faq = _faq_answer(compiled, analysis)
    if faq is not None:
        strong = faq["match"] >= FAQ_STRONG
        if clear and rows[0]["concept"] not in faq["concepts"] and not (strong and analysis["intents"]):
            faq = None  # the situation calls for a concept this entry is not about: answer instead
        elif outside is not None and not strong:
            faq = None  # another topic, and only a loose FAQ match: the concept named is a passing word
        elif (faq["fits"] and analysis["intents"]) or (not clear and (strong or analysis["intents"])):
            del faq["match"]
            del faq["fits"]
            _specialise(compiled, faq, analysis)
            result["status"] = "faq"
            result["faq"] = faq
            result["message"] = faq["answer"]
            return result
    if outside is not None:
        result["status"] = "out-of-scope"
        result["message"] = outside["message"]
        return result

    total = 0.0
    for row in rows:
        if row["raw"] > 0:
            total += row["raw"]
    # any fact, product or concept of the knowledge base (even a context one, such as the host product)
    # puts the text in the domain: ask rather than give up; an intent alone does not
    anything = bool(analysis["facts"] or analysis["products"] or analysis["concepts"] or known or analysis["tokens"] == 0)
    guess = _guess(compiled, analysis)
    question = None
    if not anything:
        if guess is not None and guess in compiled["lexicon"]["concept_index"]:
            return _answer(result, compiled, _row(rows, guess), total, analysis, ordered, settled, rows, "model")
        result["status"] = "out-of-scope"
        result["message"] = compiled["lexicon"]["nothing_applies"]
        return result
    if not clear:
        question = _choose_question(compiled, settled, rows, rows[0]["raw"] < MIN_SCORE if rows else True)
    if clear or (question is None and rows and rows[0]["raw"] >= MIN_SCORE):
        if _overruled(compiled, analysis, rows[0]):
            result["status"] = "out-of-scope"
            result["message"] = compiled["lexicon"]["nothing_applies"]
            return result
        return _answer(result, compiled, rows[0], total, analysis, ordered, settled, rows, "rules")
    # the rules know part of the situation and a fact decides between their contenders: ask it;
    # knowing nothing decisive, they would only ask a generic question: let the text model decide.
    # A question after which every answer leaves a clear leader is not generic: the model may
    # still call the text out of scope, but picks a concept over asking it only when sure enough
    # to overrule (MODEL_OVERRULE).
    generic = not rows or rows[0]["raw"] < MIN_SCORE
    decisive = generic and _prediction(compiled, analysis)["margin"] < MODEL_OVERRULE and _decisive(compiled, settled, question)
    # ... and a text model sure of a concept answers even where the rules would ask
    if guess is not None and guess in compiled["lexicon"]["concept_index"] and _prediction(compiled, analysis)["margin"] >= MODEL_SURE:
        return _answer(result, compiled, _row(rows, guess), total, analysis, ordered, settled, rows, "model")
    if generic and not decisive and guess is not None and guess in compiled["lexicon"]["concept_index"]:
        return _answer(result, compiled, _row(rows, guess), total, analysis, ordered, settled, rows, "model")
    if generic and guess == "out-of-scope":
        result["status"] = "out-of-scope"
        result["message"] = compiled["lexicon"]["nothing_applies"]
        return result
    if question is None:
        question = _choose_question(compiled, settled, rows, True)
    if question is None:
        result["status"] = "out-of-scope"
        result["message"] = compiled["lexicon"]["nothing_applies"]
        return result
    result["status"] = "question"
    result["question"] = {
        "fact": question["id"],
        "prompt": question["prompt"],
        "help": question["help"],
        "options": [value["id"] for value in question["values"]],
        "labels": {value["id"]: value["label"] for value in question["values"]},
    }
    result["alternatives"] = _alternatives(compiled, rows, total, settled, True)
    result["message"] = question["prompt"]
    return result


def _specialise(compiled: dict[str, Any], faq: dict[str, Any], analysis: dict[str, Any]) -> None:
    """Name the kind of an FAQ entry's concept the person has in mind, first among its concepts.

    An entry about plugins in general ("my plugin does not load") is about the person's panel
    plugin when they named one: the kind comes from a product named, a concept named, or else the
    text model when it is confident; it must be a concept whose `kind_of` is one of the entry's.
    """
    index = compiled["lexicon"]["concept_index"]
    kinds: list[str] = []
    for concept in compiled["concepts"]:
        if concept["kind_of"] in faq["concepts"] and concept["id"] not in faq["concepts"]:
            kinds.append(concept["id"])
    if not kinds or len(faq["concepts"]) >= MAX_FAQ_CONCEPTS:
        return
    found = ""
    for product_id in analysis["products"]:
        for concept_id in compiled["products"][compiled["lexicon"]["product_index"][product_id]]["concepts"]:
            if found == "" and concept_id in kinds:
                found = concept_id
    for concept_id in analysis["concepts"]:
        if found == "" and concept_id in kinds:
            found = concept_id
    if found == "":
        # the rules chose the entry; the text model only says which kind it is about
        prediction = _prediction(compiled, analysis)
        best = None
        for position, label in enumerate(compiled["model"]["labels"] if prediction["scores"] else []):
            if label in kinds and (best is None or prediction["scores"][position] > best):
                best = prediction["scores"][position]
                found = label
    if found != "" and found in index:
        faq["concepts"] = [found, *faq["concepts"]]


def _prediction(compiled: dict[str, Any], analysis: dict[str, Any]) -> dict[str, Any]:
    model = compiled.get("model")
    if not model:
        return {"label": "", "second": "", "margin": 0, "known": 0, "scores": []}
    if "prediction" not in analysis:
        analysis["prediction"] = learn.predict(model, learn.features_of(analysis))
    return analysis["prediction"]


def _guess(compiled: dict[str, Any], analysis: dict[str, Any]) -> str | None:
    """The text model's outcome when it is confident enough to decide where the rules cannot: a concept
    rules point to, or `out-of-scope`; else `None`."""
    prediction = _prediction(compiled, analysis)
    if prediction["margin"] < MODEL_MARGIN:
        return None
    label = prediction["label"]
    if label == "out-of-scope" or label in compiled["lexicon"]["rule_concepts"]:
        return label
    return None


def _overruled(compiled: dict[str, Any], analysis: dict[str, Any], leader: dict[str, Any]) -> bool:
    """Whether the text model is sure enough the text is out of scope to overrule a recommendation."""
    prediction = _prediction(compiled, analysis)
    return prediction["label"] == "out-of-scope" and prediction["margin"] >= MODEL_OVERRULE


def _row(rows: list[dict[str, Any]], concept_id: str) -> dict[str, Any]:
    for row in rows:
        if row["concept"] == concept_id:
            return row
    return {"concept": concept_id, "raw": 0.0, "potential": 0.0, "rules": []}


def _answer(result: dict[str, Any], compiled: dict[str, Any], row: dict[str, Any], total: float, analysis: dict[str, Any], ordered: dict[str, Any], known: dict[str, str], rows: list[dict[str, Any]], by: str) -> dict[str, Any]:
    result["status"] = "answer"
    result["recommendation"] = _recommendation(compiled, row, total, analysis, ordered)
    result["recommendation"]["by"] = by
    plan = _plan_check(compiled, analysis["products"], row["concept"], known)
    if plan is not None:
        result["recommendation"]["plan"] = plan
    result["alternatives"] = _alternatives(compiled, [other for other in rows if other["concept"] != row["concept"]], total, known)
    result["message"] = result["recommendation"]["reasons"][0]
    return result


def _plan_check(compiled: dict[str, Any], products: list[str], concept: str, known: dict[str, str]) -> dict[str, Any] | None:
    """Whether the person's plan includes the first named product (an example of `concept`) that
    requires one: `included` is true or false by the plan fact's value, `None` while it is unknown
    (the answer then asks it). `None` when no named product requires a plan."""
    fact_id = compiled["lexicon"].get("plan_fact") or ""
    if not fact_id:
        return None
    index = compiled["lexicon"]["product_index"]
    for product_id in products:
        product = compiled["products"][index[product_id]]
        requires = product.get("requires") or []
        if concept not in product["concepts"] or not requires:
            continue
        value = known.get(fact_id) or ""
        return {
            "product": product["id"], "name": product["name"], "fact": fact_id, "requires": list(requires),
            "needs": product["attributes"].get("needs") or "", "value": value, "included": (value in requires) if value else None,
        }
    return None


def _recommendation(compiled: dict[str, Any], row: dict[str, Any], total: float, analysis: dict[str, Any], facts: dict[str, Any]) -> dict[str, Any]:
    concept = compiled["concepts"][compiled["lexicon"]["concept_index"][row["concept"]]]
    reasons: list[str] = []
    because: list[dict[str, Any]] = []
    steps: list[str] = []
    for item in row["rules"]:
        rule = item[0]
        if item[1] != TRUE:
            continue
        reasons.append(rule["reason"])
        words = []
        for fact_id in _leaves(rule["when"], []):
            if fact_id in facts:
                for word in facts[fact_id]["words"]:
                    if word not in words:
                        words.append(word)
        because.append({"rule": rule["id"], "reason": rule["reason"], "words": words})
        for step in rule["next_steps"]:
            filled = _fill(step, compiled, analysis["products"], row["concept"])
            if filled is not None and filled not in steps:
                steps.append(filled)
    if not reasons:
        # chosen by the text model: say what the concept is, and the steps of its heaviest rule
        # that the facts do not rule out
        reasons.append(concept["summary"])
        fallback = None
        for item in row["rules"]:
            if item[1] != FALSE and item[0]["next_steps"] and (fallback is None or item[0]["weight"] > fallback["weight"]):
                fallback = item[0]
        if fallback is not None:
            for step in fallback["next_steps"]:
                filled = _fill(step, compiled, analysis["products"], row["concept"])
                if filled is not None and filled not in steps:
                    steps.append(filled)
    return {
        "concept": concept["id"],
        "name": concept["name"],
        "score": _score(row["raw"], total),
        "summary": concept["summary"],
        "reasons": reasons,
        "because": because,
        "next_steps": steps,
    }


def _alternatives(compiled: dict[str, Any], rows: list[dict[str, Any]], total: float, facts: dict[str, str], deciding: bool = False) -> list[dict[str, Any]]:
    """Each other concept with its score and why not: the conditions of its rules that fail or are unknown."""
    out = []
    for row in rows:
        concept = compiled["concepts"][compiled["lexicon"]["concept_index"][row["concept"]]]
        unmet: list[dict[str, Any]] = []
        for item in row["rules"]:
            if item[1] == TRUE:
                continue
            parts: list[str] = []
            details: list[dict[str, Any]] = []
            _describe(compiled, item[0]["when"], facts, False, parts, details)
            unmet.append({"rule": item[0]["id"], "weight": item[0]["weight"], "unknown": item[1] == UNKNOWN, "conditions": parts, "facts": details})
        strongest = None
        for entry in unmet:
            if strongest is None or entry["weight"] > strongest["weight"]:
                strongest = entry
        if deciding:
            why = "not decided yet"
        elif row["raw"] > 0:
            why = "scores lower: fewer or lighter rules hold for it"
        else:
            why = "no rule for it holds"
        if strongest is not None:
            why += "; its strongest rule needs: " + "; ".join(strongest["conditions"])
        out.append({
            "concept": concept["id"],
            "name": concept["name"],
            "score": _score(row["raw"], total),
            "why_not": why,
            "unmet": unmet,
        })
    return out
