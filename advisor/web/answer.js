/* concept-advisor: an advisor answer in plain words, for the widget.
 *
 * The port of advisor/answer_text.py: readable(compiled, answer) turns the object the engine
 * returns (the one `advisor ask --json` prints) into the same small structure as the Python
 * module (verdict, why, close alternatives, folded ones, next steps as text and code segments),
 * with no rule ids, weights, scores or fact ids in it. No DOM: it runs in a browser
 * (window.conceptAdvisorAnswer) and under Node (module.exports) for the parity test.
 */
(function () {
  "use strict";

  var WHY_SENTENCES = 3;
  var SENTENCE_END = /(?<=[.!?])\s+(?=[A-Z])/;

  function segments(text) {
    var parts = String(text).split("`");
    if (parts.length % 2 === 0) {
      var last = parts.pop();
      parts[parts.length - 1] = parts[parts.length - 1] + "`" + last;
    }
    var out = [];
    parts.forEach(function (part, index) {
      if (part) {
        out.push([index % 2 ? "code" : "text", part]);
      }
    });
    return out;
  }

  function sentences(text) {
    return String(text).trim().split(SENTENCE_END).map(function (part) {
      return part.trim();
    }).filter(Boolean);
  }

  function byId(items, id) {
    items = Array.isArray(items) ? items : [];
    for (var i = 0; i < items.length; i++) {
      if (items[i] && items[i].id === id) {
        return items[i];
      }
    }
    return null;
  }

  function statement(compiled, factId, valueId) {
    var fact = byId(compiled.facts, factId);
    var value = fact ? byId(fact.values, valueId) : null;
    if (!value) {
      return String(valueId);
    }
    return value.statement || value.label || String(valueId);
  }

  // Whether the person's plan includes the product the answer names, or the question for the plan.
  function planCheck(compiled, plan) {
    if (!plan || typeof plan !== "object") {
      return null;
    }
    var needs = plan.name + " needs " + plan.needs;
    var factId = plan.fact || "";
    if (plan.included === null || plan.included === undefined) {
      var fact = byId(compiled.facts, factId) || {};
      var question = {
        fact: factId, prompt: fact.prompt || "", help: fact.help || "",
        options: (fact.values || []).map(function (value) {
          return { value: value.id, label: value.label || value.id };
        })
      };
      return { included: null, text: "Check your plan: " + needs + ".", question: question };
    }
    var said = statement(compiled, factId, plan.value);
    if (plan.included) {
      return { included: true, text: "Your plan includes it: " + needs + ", and " + said + ".", question: null };
    }
    return { included: false, text: "Not on your plan: " + needs + ", and " + said + ".", question: null };
  }

  function badge(compiled, conceptId) {
    var concept = byId(compiled.concepts, conceptId);
    var scopes = compiled.scopes || [];
    if (!concept || scopes.length < 2 || (concept.applies_to || []).length !== 1) {
      return "";
    }
    var scope = byId(scopes, concept.applies_to[0]);
    return scope ? scope.name + " only" : "";
  }

  function join(items, word) {
    if (items.length <= 1) {
      return items.join("");
    }
    return items.slice(0, -1).join(", ") + " " + word + " " + items[items.length - 1];
  }

  function firstSentence(text) {
    var found = sentences(text);
    return found.length ? found[0] : String(text).trim();
  }

  function whyNot(compiled, alternative, held) {
    if (held.length) {
      return ["partial", firstSentence(held[0])];
    }
    var contradicted = (alternative.unmet || []).filter(function (rule) {
      return (rule.facts || []).some(function (fact) { return fact.state === "false"; });
    });
    if (contradicted.length) {
      var rule = contradicted[0];
      contradicted.forEach(function (other) {
        if ((other.weight || 0) > (rule.weight || 0)) {
          // the first of equals, as Python's max
          rule = other;
        }
      });
      var needs = [];
      var actual = [];
      (rule.facts || []).forEach(function (fact) {
        if (fact.state !== "false") {
          return;
        }
        var values = Array.isArray(fact.value) ? fact.value : [fact.value];
        var said = values.map(function (value) { return statement(compiled, fact.fact, value); });
        if (fact.negated) {
          needs.push("not when " + join(said, "or"));
        } else {
          needs.push("when " + join(said, "or"));
          if (fact.actual !== null && fact.actual !== undefined) {
            actual.push(statement(compiled, fact.fact, fact.actual));
          }
        }
      });
      var text = "It fits " + join(needs, "and");
      if (actual.length) {
        text += ", but " + join(actual, "and");
      }
      return ["ruled-out", text + "."];
    }
    return ["unknown", "Nothing you described points to it."];
  }

  function alternativesOf(compiled, result) {
    var named = [];
    var facts = result.facts || {};
    Object.keys(facts).forEach(function (factId) {
      var fact = byId(compiled.facts, factId);
      if (fact && fact.match_concepts) {
        named.push(facts[factId].value);
      }
    });
    var reasons = Object.create(null);
    // a rule that holds but takes weight away is no reason for the concept (Python: answer_text)
    var against = Object.create(null);
    (compiled.rules || []).forEach(function (rule) {
      if (rule.weight < 0) {
        against[rule.id] = true;
      }
    });
    (result.trace || []).forEach(function (step) {
      if (step.matched === true && step.because && !against[step.rule]) {
        (reasons[step.concept] = reasons[step.concept] || []).push(step.because);
      }
    });
    var shown = [];
    var folded = [];
    (result.alternatives || []).forEach(function (alternative) {
      var concept = alternative.concept;
      var held = reasons[concept] || [];
      var fitText = whyNot(compiled, alternative, held);
      var entry = {
        concept: concept,
        name: alternative.name || concept,
        badge: badge(compiled, concept),
        fit: fitText[0],
        text: fitText[1]
      };
      (held.length || named.indexOf(concept) >= 0 ? shown : folded).push(entry);
    });
    return [shown, folded];
  }

  /** The plain-words form of an answer: see advisor/answer_text.py `readable` for its keys. */
  function readable(compiled, result) {
    compiled = compiled || {};
    var status = result.status;
    var out = {
      status: status, verdict: "", badge: "", concept: null, summary: "", why: [],
      understood: [], alternatives: [], folded: [], steps: [], question: null,
      answer: [], about: [], message: "", check: null
    };
    var facts = result.facts || {};
    Object.keys(facts).forEach(function (factId) {
      var fact = facts[factId] || {};
      out.understood.push({
        text: statement(compiled, factId, fact.value),
        words: fact.source === "given" ? [] : (fact.words || []).slice()
      });
    });
    var pair;
    if (status === "answer") {
      var rec = result.recommendation || {};
      out.verdict = "Recommended: " + (rec.name || String(rec.concept));
      out.badge = badge(compiled, rec.concept);
      out.concept = rec.concept === undefined ? null : rec.concept;
      out.summary = rec.summary || "";
      var why = [];
      (rec.reasons || []).forEach(function (reason) {
        why = why.concat(sentences(reason));
      });
      out.why = why.slice(0, WHY_SENTENCES);
      out.steps = (rec.next_steps || []).map(segments);
      pair = alternativesOf(compiled, result);
      out.alternatives = pair[0];
      out.folded = pair[1];
      out.check = planCheck(compiled, rec.plan);
    } else if (status === "question") {
      var question = result.question || {};
      var labels = question.labels || {};
      out.verdict = question.prompt || "";
      out.question = {
        fact: question.fact === undefined ? null : question.fact,
        prompt: question.prompt || "",
        help: question.help || "",
        options: (question.options || []).map(function (value) {
          return { value: value, label: labels[value] || statement(compiled, question.fact || "", value) };
        })
      };
      pair = alternativesOf(compiled, result);
      out.alternatives = pair[0];
      out.folded = pair[1];
    } else if (status === "faq") {
      var faq = result.faq || {};
      out.verdict = faq.question || "";
      out.answer = segments(faq.answer || "");
      (faq.concepts || []).forEach(function (conceptId) {
        var concept = byId(compiled.concepts, conceptId);
        out.about.push({ concept: conceptId, name: concept ? concept.name : conceptId });
      });
    } else {
      out.verdict = "This is outside what the advisor knows";
      out.message = result.message || "";
    }
    return out;
  }

  var api = { readable: readable, segments: segments, sentences: sentences, badge: badge, statement: statement };
  if (typeof module === "object" && module && module.exports) {
    module.exports = api;
  }
  if (typeof window === "object" && window) {
    window.conceptAdvisorAnswer = api;
  }
})();
