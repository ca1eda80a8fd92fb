/* concept-advisor: the advisor engine in JavaScript.
 *
 * A line-by-line port of advisor/text.py and advisor/rules.py: it evaluates the compiled knowledge
 * base (the bundle written by `advisor export`) and returns the object `advisor ask --json`
 * prints. No DOM, no request: it runs in a browser (window.conceptAdvisorEngine) and under Node
 * (module.exports), so one corpus of cases checks it against Python without a browser.
 */
(function (root) {
  "use strict";

  /* ==================================================================================
   * The engine: a line-by-line port of advisor/text.py and advisor/rules.py.
   * ================================================================================== */

  /* ---- advisor/text.py ---------------------------------------------------------- */

  // The word lists and limits come from the bundle (lexicon.language), the engine's constants from
  // bundle.engine: one definition, in Python, for both runtimes. `configure` sets them per call.
  var DROPPED = {}, NEGATIONS = {}, STOPWORDS = {}, SUBJECTS = {}, COORDINATORS = {}, COMMON = {};
  var NEGATION_WINDOW = 0, MAX_TOKENS = 0;
  var MIN_SCORE = 0, MAX_FAQ_CONCEPTS = 0, TERM_POINTS = [], PHRASE_POINTS = 0, FAQ_MIN = 0, FAQ_STRONG = 0;
  var MODEL_MARGIN = 0, MODEL_OVERRULE = 0, MODEL_SURE = 0;
  var configured = null;

  function configure(compiled) {
    var language = compiled.lexicon.language;
    if (configured === language) {
      return;
    }
    DROPPED = setOf(language.dropped);
    NEGATIONS = setOf(language.negations);
    STOPWORDS = setOf(language.stopwords);
    SUBJECTS = setOf(language.subjects);
    COORDINATORS = setOf(language.coordinators);
    COMMON = setOf(language.common);
    NEGATION_WINDOW = language.negation_window;
    MAX_TOKENS = language.max_tokens;
    var constants = compiled.engine;
    MIN_SCORE = constants.min_score;
    MAX_FAQ_CONCEPTS = constants.max_faq_concepts;
    TERM_POINTS = constants.term_points;
    PHRASE_POINTS = constants.phrase_points;
    FAQ_MIN = constants.faq_min;
    FAQ_STRONG = constants.faq_strong;
    MODEL_MARGIN = constants.model_margin;
    MODEL_OVERRULE = constants.model_overrule;
    MODEL_SURE = constants.model_sure;
    configured = language;
  }

  function setOf(items) {
    var set = Object.create(null);
    items.forEach(function (item) {
      set[item] = true;
    });
    return set;
  }

  function has(object, key) {
    return Object.prototype.hasOwnProperty.call(object, key);
  }

  function endsWith(text, suffix) {
    return text.length >= suffix.length && text.slice(text.length - suffix.length) === suffix;
  }

  /** Same tokens at tokens[index...] as in pattern (Python: tokens[index:index+len(p)] == p). */
  function startsWithAt(tokens, index, pattern) {
    if (index + pattern.length > tokens.length) {
      return false;
    }
    for (var k = 0; k < pattern.length; k++) {
      if (tokens[index + k] !== pattern[k]) {
        return false;
      }
    }
    return true;
  }

  var MARKS = /[\u0300-\u036f]+/g;
  var SENTENCE_END = /[!?;\n\r]|\.(?=[ \t\n\r\f\v]|$)/;
  var TOKEN = /[a-z0-9]+/g;
  var WORD = /[a-z0-9]+(?:[-_.][a-z0-9]+)*/g;

  /* After NFKD, lower-casing turns no character but A-Z into a-z, in Python and JavaScript
   * alike, so the tokens (runs of a-z0-9) are the same although other characters may differ. */
  function normalise(text, compounds, bounds) {
    var plain = text.normalize("NFKD").toLowerCase().replace(MARKS, "");
    var sentences = [];
    var edges = [];
    plain.split(SENTENCE_END).forEach(function (part) {
      var tokens = [];
      var edge = [];
      (part.match(WORD) || []).forEach(function (word) {
        var parts = word.match(TOKEN);
        var first = tokens.length;
        parts.forEach(function (token) {
          if (!DROPPED[token]) {
            tokens.push(token);
          }
        });
        for (var k = first; k < tokens.length; k++) {
          edge.push([first, tokens.length]);
        }
        // an identifier's last part says what it is: "acme-clock-widget" is a widget
        if (compounds && parts.length > 1 && has(compounds, parts[parts.length - 1])) {
          compounds[parts[parts.length - 1]].forEach(function (token) {
            edge.push([tokens.length, tokens.length + 1]);
            tokens.push(token);
          });
        }
      });
      if (tokens.length) {
        sentences.push(tokens);
        edges.push(edge);
      }
    });
    var total = 0;
    sentences.forEach(function (sentence) {
      total += sentence.length;
    });
    while (total > MAX_TOKENS) {
      var excess = total - MAX_TOKENS;
      if (sentences[0].length <= excess) {
        total -= sentences[0].length;
        sentences.shift();
        edges.shift();
      } else {
        sentences[0] = sentences[0].slice(excess);
        edges[0] = edges[0].slice(excess).map(function (pair) {
          return [Math.max(0, pair[0] - excess), pair[1] - excess];
        });
        total -= excess;
      }
    }
    if (bounds) {
      edges.forEach(function (edge) {
        bounds.push(edge);
      });
    }
    return sentences;
  }

  function stem(token) {
    var size = token.length;
    if (size > 4 && endsWith(token, "ies")) {
      return token.slice(0, -3) + "y";
    }
    if (size > 4 && (endsWith(token, "sses") || endsWith(token, "xes") || endsWith(token, "ches") || endsWith(token, "shes"))) {
      return token.slice(0, -2);
    }
    if (size > 3 && endsWith(token, "s") && !(endsWith(token, "ss") || endsWith(token, "us") || endsWith(token, "is"))) {
      return token.slice(0, -1);
    }
    return token;
  }

  function distance(left, right, limit) {
    if (Math.abs(left.length - right.length) > limit) {
      return limit + 1;
    }
    var rows = left.length + 1;
    var cols = right.length + 1;
    var before = [];
    var previous = [];
    var j;
    for (j = 0; j < cols; j++) {
      previous.push(j);
    }
    for (var i = 1; i < rows; i++) {
      var current = [i];
      for (j = 1; j < cols; j++) {
        current.push(0);
      }
      var smallest = i;
      for (j = 1; j < cols; j++) {
        var cost = left[i - 1] === right[j - 1] ? 0 : 1;
        var value = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost);
        if (i > 1 && j > 1 && left[i - 1] === right[j - 2] && left[i - 2] === right[j - 1]) {
          value = Math.min(value, before[j - 2] + 1);
        }
        current[j] = value;
        if (value < smallest) {
          smallest = value;
        }
      }
      if (smallest > limit) {
        return limit + 1;
      }
      before = previous;
      previous = current;
    }
    return previous[cols - 1] <= limit ? previous[cols - 1] : limit + 1;
  }

  function correct(lexicon, token) {
    if (has(lexicon.known, token) || token.length < 5 || COMMON[token]) {
      return token;
    }
    for (var k = 0; k < token.length; k++) {
      if (token[k] >= "0" && token[k] <= "9") {
        return token;
      }
    }
    var limit = token.length >= 8 ? 2 : 1;
    var best = token;
    var bestDistance = limit + 1;
    for (var size = token.length - limit; size < token.length + limit + 1; size++) {
      var bucket = has(lexicon.words, token[0] + String(size)) ? lexicon.words[token[0] + String(size)] : [];
      for (var w = 0; w < bucket.length; w++) {
        var found = distance(token, bucket[w], limit);
        if (found < bestDistance) {
          best = bucket[w];
          bestDistance = found;
          if (found === 1) {
            break;
          }
        }
      }
      if (bestDistance === 1) {
        // a stem not in the vocabulary is at distance 1 at best
        break;
      }
    }
    return best;
  }

  /** `known` and `words` of a lexicon, from its pattern layers, synonyms and FAQ terms (Python: vocabulary). */
  function vocabulary(layers, faqTerms) {
    var known = {};
    var order = [];
    function see(token) {
      if (!has(known, token)) {
        known[token] = 1;
        order.push(token);
      }
    }
    layers.forEach(function (layer) {
      layer.keys.forEach(function (key) {
        layer.index[key].forEach(function (entry) {
          entry[0].forEach(see);
        });
      });
    });
    Object.keys(faqTerms).forEach(see);
    var words = {};
    order.forEach(function (token) {
      if (token.length >= 4 && !/[0-9]/.test(token)) {
        var key = token[0] + String(token.length);
        if (!has(words, key)) {
          words[key] = [];
        }
        words[key].push(token);
      }
    });
    return [known, words];
  }

  function unpackLayer(packed, pairs) {
    var index = {};
    var keys = [];
    packed.forEach(function (item) {
      var parts = item.split("|");
      var tokens = parts[0].split(" ");
      var entry = pairs ? [tokens, parts[1].split(" ")] : [tokens, parts.slice(1).map(function (part) {
        return part.split(" ");
      })];
      if (!has(index, tokens[0])) {
        index[tokens[0]] = [];
        keys.push(tokens[0]);
      }
      index[tokens[0]].push(entry);
    });
    return { index: index, keys: keys };
  }

  /** The compiled dict of a bundle, whose lexicon is packed (Python: unpack; without a memo:
   * the loader unpacks each bundle once, and a compiled lexicon is returned as it is). */
  function unpack(compiled) {
    var lexicon = compiled.lexicon;
    if (has(lexicon, "known")) {
      return compiled;
    }
    var patterns = lexicon.patterns.map(function (layer) {
      return unpackLayer(layer, false);
    });
    var synonyms = unpackLayer(lexicon.synonyms, true);
    var vocab = vocabulary(patterns.concat([synonyms]), lexicon.faq_terms);
    var full = { known: vocab[0], words: vocab[1], synonyms: synonyms.index, patterns: patterns.map(function (layer) {
      return layer.index;
    }) };
    // the lookups by id (Python: positions)
    full.fact_index = {};
    full.fact_position = {};
    compiled.facts.forEach(function (fact, n) {
      full.fact_index[fact.id] = {};
      fact.wins.forEach(function (value, m) {
        full.fact_index[fact.id][value] = m;
      });
      full.fact_position[fact.id] = n;
    });
    [["concept_index", "concepts"], ["product_index", "products"], ["oos_index", "out_of_scope"]].forEach(function (pair) {
      full[pair[0]] = {};
      compiled[pair[1]].forEach(function (item, n) {
        full[pair[0]][item.id] = n;
      });
    });
    Object.keys(lexicon).forEach(function (key) {
      if (!has(full, key)) {
        full[key] = lexicon[key];
      }
    });
    var unpacked = {};
    Object.keys(compiled).forEach(function (key) {
      unpacked[key] = compiled[key];
    });
    unpacked.lexicon = full;
    return unpacked;
  }

  // The first entry keyed by tokens[index] whose token list starts at index (longest first), or null.
  function entryAt(indexMap, tokens, index) {
    var entries = has(indexMap, tokens[index]) ? indexMap[tokens[index]] : [];
    for (var e = 0; e < entries.length; e++) {
      if (startsWithAt(tokens, index, entries[e][0])) {
        return entries[e];
      }
    }
    return null;
  }

  function rewrite(lexicon, tokens) {
    var out = [];
    var spans = [];
    var index = 0;
    var synonyms = lexicon.synonyms;
    while (index < tokens.length) {
      var found = entryAt(synonyms, tokens, index);
      if (found === null) {
        out.push(tokens[index]);
        spans.push([index, index + 1]);
        index += 1;
        continue;
      }
      var end = index + found[0].length;
      for (var t = 0; t < found[1].length; t++) {
        out.push(found[1][t]);
        spans.push([index, end]);
      }
      index = end;
    }
    return [out, spans];
  }

  function spanWords(raw, spans, start, end) {
    return raw.slice(spans[start][0], spans[end - 1][1]).join(" ");
  }

  function sameTokens(left, right) {
    return left.length === right.length && startsWithAt(left, 0, right);
  }

  function addMention(mentions, targets, sentence, spans, number, start, end) {
    var firstRaw = spans[start][0];
    var negated = false;
    var own = 0;
    for (var back = Math.max(0, firstRaw - NEGATION_WINDOW); back < firstRaw; back++) {
      if (NEGATIONS[sentence[back]]) {
        negated = true;
      }
      if (SUBJECTS[sentence[back]]) {
        own = 1;
      }
    }
    targets.forEach(function (target) {
      if (target[0] === "product") {
        // naming a product says nothing of one's setup
        own = 0;
      }
    });
    var words = spanWords(sentence, spans, start, end);
    targets.forEach(function (target) {
      var mention = { kind: target[0], id: target[1], words: words, sentence: number, negated: negated, own: own, start: start, end: end };
      if (target[0] === "fact") {
        mention.value = target[2];
      }
      mentions.push(mention);
    });
  }

  function coordinate(compiled, tokens, spans, sentence, number, mentions, first) {
    var heads = compiled.lexicon.heads;
    var layer = compiled.lexicon.patterns[0];
    var positions = compiled.lexicon.fact_position;
    var count = mentions.length;
    for (var position = first; position < count; position++) {
      var anchor = mentions[position];
      if (anchor.kind !== "concept" || anchor.dropped || anchor.end - anchor.start < 2) {
        continue;
      }
      var head = tokens[anchor.end - 1];
      var at = anchor.start - 1;
      if (!has(heads, head) || at < 0 || !COORDINATORS[tokens[at]]) {
        continue;
      }
      while (at >= 0 && COORDINATORS[tokens[at]]) {
        at -= 1;
      }
      var named = 0;
      while (at >= 0 && named < 4) {
        var targets = null;
        var start = at;
        var modifiers = heads[head];
        for (var m = 0; m < modifiers.length; m++) {
          var modifier = modifiers[m];
          start = at - modifier.length + 1;
          if (start >= 0 && startsWithAt(tokens, start, modifier)) {
            var entries = has(layer, modifier[0]) ? layer[modifier[0]] : [];
            var whole = modifier.concat([head]);
            for (var e = 0; e < entries.length; e++) {
              if (sameTokens(entries[e][0], whole)) {
                targets = entries[e][1];
                break;
              }
            }
            break;
          }
        }
        if (targets === null) {
          break;
        }
        var concept = "";
        targets.forEach(function (target) {
          if (target[0] === "concept" && concept === "") {
            concept = target[1];
          }
        });
        if (concept === anchor.id) {
          break;
        }
        var end = at + 1;
        for (var k = first; k < mentions.length; k++) {
          var mention = mentions[k];
          if (mention.start >= start && mention.end <= end) {
            if (mention.kind === "concept" || (mention.kind === "fact" && compiled.facts[positions[mention.id]].match_concepts)) {
              mention.dropped = true;
            }
          }
        }
        addMention(mentions, targets, sentence, spans, number, start, end);
        named += 1;
        at = start - 1;
        while (at >= 0 && COORDINATORS[tokens[at]]) {
          at -= 1;
        }
      }
    }
  }

  function analyse(compiled, text) {
    compiled = unpack(compiled);
    configure(compiled);
    var lexicon = compiled.lexicon;
    var mentions = [];
    var terms = [];
    var every = [];
    var tokenCount = 0;
    var bounds = [];
    normalise(text, lexicon.compounds, bounds).forEach(function (sentence, number) {
      tokenCount += sentence.length;
      var stems = sentence.map(function (token) {
        return correct(lexicon, stem(token));
      });
      var rewritten = rewrite(lexicon, stems);
      var tokens = rewritten[0];
      var spans = rewritten[1];
      every.push(tokens);
      tokens.forEach(function (token) {
        if (!STOPWORDS[token] && terms.indexOf(token) < 0) {
          terms.push(token);
        }
      });
      var first = mentions.length;
      lexicon.patterns.forEach(function (layer, layerNumber) {
        var index = 0;
        while (index < tokens.length) {
          var found = entryAt(layer, tokens, index);
          if (found === null) {
            index += 1;
            continue;
          }
          var end = index + found[0].length;
          addMention(mentions, found[1], sentence, spans, number, index, end);
          markInside(mentions.slice(mentions.length - found[1].length), bounds[number], spans, index, end);
          index = end;
        }
        if (layerNumber === 0) {
          coordinate(compiled, tokens, spans, sentence, number, mentions, first);
          slotsOf(lexicon, tokens, spans, sentence, number, mentions, first);
        }
      });
    });
    var summary = summarise(compiled, mentions, terms, tokenCount);
    summary.sentences = every;
    summary.unlisted = [];
    mentions.forEach(function (mention) {
      if (has(mention, "name") && !mention.negated && summary.unlisted.indexOf(mention.name) < 0) {
        summary.unlisted.push(mention.name);
      }
    });
    return summary;
  }

  /* A product named by only part of one longer word ("kube-prometheus-stack") names that word. */
  function markInside(recorded, edges, spans, start, end) {
    var first = spans[start][0];
    var last = spans[end - 1][1];
    var edge = edges[first];
    if (edge[0] <= first && last <= edge[1] && (edge[0] < first || last < edge[1])) {
      recorded.forEach(function (mention) {
        if (mention.kind === "product" || mention.kind === "fact") {
          mention.inside = true;
        }
      });
    }
  }

  function isUnknown(lexicon, token) {
    if (has(lexicon.known, token) || STOPWORDS[token] || COMMON[token] || token.length < 3) {
      return false;
    }
    for (var i = 0; i < token.length; i++) {
      if (token[i] < "0" || token[i] > "9") {
        return true;
      }
    }
    return false;
  }

  function slotsOf(lexicon, tokens, spans, sentence, number, mentions, first) {
    var slots = lexicon.slots || [];
    var covered = tokens.map(function () {
      return 0;
    });
    mentions.slice(first).forEach(function (mention) {
      for (var at = mention.start; at < mention.end; at++) {
        covered[at] = 1;
      }
    });
    var index = 0;
    while (index < tokens.length) {
      var found = null;
      var here = tokens[index];
      var openHere = !covered[index] && isUnknown(lexicon, here);
      for (var n = 0; n < slots.length && found === null; n++) {
        var pattern = slots[n][0];
        // most patterns fail on their first token: test it before the rest
        if (index + pattern.length > tokens.length || (pattern[0] !== "*" ? pattern[0] !== here : !openHere)) {
          continue;
        }
        var fits = true;
        for (var offset = 1; offset < pattern.length && fits; offset++) {
          var token = tokens[index + offset];
          if (pattern[offset] === "*") {
            if (covered[index + offset] || !isUnknown(lexicon, token)) {
              fits = false;
            }
          } else if (pattern[offset] !== token) {
            fits = false;
          }
        }
        if (fits) {
          found = slots[n];
        }
      }
      if (found === null) {
        index += 1;
        continue;
      }
      var end = index + found[0].length;
      addMention(mentions, found[1], sentence, spans, number, index, end);
      for (offset = 0; offset < found[0].length; offset++) {
        if (found[0][offset] === "*") {
          mentions[mentions.length - 1].name = tokens[index + offset];
        }
      }
      index = end;
    }
  }

  function summarise(compiled, mentions, terms, tokenCount) {
    var products = [];
    var concepts = [];
    var intents = [];
    var outOfScope = [];
    var faq = {};
    var faqSeen = [];
    // fact id -> list of [sentence, value, words, own]
    var evidence = {};
    var productIndex = compiled.lexicon.product_index;
    function addEvidence(factId, item) {
      if (!has(evidence, factId)) {
        evidence[factId] = [];
      }
      evidence[factId].push(item);
    }
    mentions.forEach(function (mention) {
      var kind = mention.kind;
      if (mention.dropped || (mention.negated && kind !== "concept")) {
        // "aren't integrations just ..." still names integrations
        return;
      }
      if (kind === "fact") {
        if (mention.inside) {
          // part of a longer name ("victoriametrics-datasource"): no fact of its own
          return;
        }
        addEvidence(mention.id, [mention.sentence, mention.value, mention.words, mention.own]);
      } else if (kind === "product") {
        if (products.indexOf(mention.id) < 0) {
          products.push(mention.id);
        }
        if (mention.inside) {
          // part of a longer name: the product is named, its facts are not implied
          return;
        }
        var implies = compiled.products[productIndex[mention.id]].implies;
        Object.keys(implies).forEach(function (factId) {
          addEvidence(factId, [mention.sentence, implies[factId], mention.words, mention.own]);
        });
      } else if (kind === "concept") {
        if (concepts.indexOf(mention.id) < 0) {
          concepts.push(mention.id);
        }
      } else if (kind === "intent") {
        if (intents.indexOf(mention.id) < 0) {
          intents.push(mention.id);
        }
      } else if (kind === "oos") {
        if (outOfScope.indexOf(mention.id) < 0) {
          outOfScope.push(mention.id);
        }
      } else if (kind === "faq") {
        var key = mention.id + "\n" + mention.words;
        if (faqSeen.indexOf(key) < 0) {
          faqSeen.push(key);
          faq[mention.id] = (has(faq, mention.id) ? faq[mention.id] : 0) + 1;
        }
      }
    });
    var facts = {};
    var factIndex = compiled.lexicon.fact_index;
    compiled.facts.forEach(function (fact) {
      var found = has(evidence, fact.id) ? evidence[fact.id] : null;
      if (!found || !found.length) {
        return;
      }
      var own = 0;
      found.forEach(function (item) {
        own = Math.max(own, item[3]);
      });
      found = found.filter(function (item) {
        return item[3] === own;
      });
      var last = -Infinity;
      found.forEach(function (item) {
        last = Math.max(last, item[0]);
      });
      var order = factIndex[fact.id];
      var bestValue = null;
      var bestRank = -1;
      found.forEach(function (item) {
        if (item[0] === last) {
          var rank = order[item[1]];
          if (bestValue === null || rank < bestRank) {
            bestValue = item[1];
            bestRank = rank;
          }
        }
      });
      var words = [];
      found.forEach(function (item) {
        if (item[0] === last && item[1] === bestValue && words.indexOf(item[2]) < 0) {
          words.push(item[2]);
        }
      });
      facts[fact.id] = { value: bestValue, words: words, sentence: last };
    });
    return {
      facts: facts,
      mentions: mentions,
      products: products,
      concepts: concepts,
      intents: intents,
      out_of_scope: outOfScope,
      faq: faq,
      terms: terms,
      tokens: tokenCount
    };
  }

  /* ---- advisor/rules.py ---------------------------------------------------------- */

  var TRUE = 2;
  var UNKNOWN = 1;
  var FALSE = 0;

  function optionsOf(value) {
    return Array.isArray(value) ? value : [value];
  }

  function evaluate(condition, facts) {
    var result = TRUE;
    var evidence = 0;
    Object.keys(condition).forEach(function (key) {
      var value = condition[key];
      var part;
      if (key === "all" || key === "any") {
        part = key === "any" ? FALSE : TRUE;
        value.forEach(function (item) {
          var found = evaluate(item, facts);
          evidence += found[1];
          part = key === "any" ? Math.max(part, found[0]) : Math.min(part, found[0]);
        });
      } else if (key === "not") {
        part = TRUE - evaluate(value, facts)[0];
        // a negated leaf that holds is no evidence for the rule
      } else if (!has(facts, key)) {
        part = UNKNOWN;
      } else {
        part = optionsOf(value).indexOf(facts[key]) >= 0 ? TRUE : FALSE;
        if (part === TRUE) {
          evidence += 1;
        }
      }
      result = Math.min(result, part);
    });
    return [result, evidence];
  }

  function rank(compiled, facts) {
    var table = {};
    var rows = [];
    compiled.lexicon.rule_concepts.forEach(function (conceptId) {
      table[conceptId] = { concept: conceptId, raw: 0.0, potential: 0.0, rules: [] };
      rows.push(table[conceptId]);
    });
    compiled.rules.forEach(function (rule) {
      var found = evaluate(rule.when, facts);
      var state = found[0];
      var evidence = found[1];
      var row = table[rule.concept];
      row.rules.push([rule, state, evidence]);
      if (state === TRUE) {
        row.raw += rule.weight;
      } else if (state === UNKNOWN && evidence > 0 && rule.weight > 0) {
        row.potential += rule.weight;
      }
    });
    rows.forEach(function (row) {
      row.potential += row.raw;
    });
    var order = compiled.lexicon.concept_index;
    rows.sort(function (a, b) {
      if (a.raw !== b.raw) {
        return a.raw > b.raw ? -1 : 1;
      }
      return order[a.concept] - order[b.concept];
    });
    return rows;
  }

  function isClear(rows) {
    if (!rows.length || rows[0].raw < MIN_SCORE) {
      return false;
    }
    for (var i = 1; i < rows.length; i++) {
      if (rows[i].potential >= rows[0].raw) {
        return false;
      }
    }
    return true;
  }

  function leaves(condition, out) {
    Object.keys(condition).forEach(function (key) {
      if (key === "all" || key === "any") {
        condition[key].forEach(function (item) {
          leaves(item, out);
        });
      } else if (key === "not") {
        leaves(condition[key], out);
      } else if (out.indexOf(key) < 0) {
        out.push(key);
      }
    });
    return out;
  }

  /** Python's list comparison `left > right`, for lists of numbers. */
  function listGreater(left, right) {
    for (var i = 0; i < left.length && i < right.length; i++) {
      if (left[i] !== right[i]) {
        return left[i] > right[i];
      }
    }
    return left.length > right.length;
  }

  // For each answer to the fact, the concept that would lead ("" for none): the distinct leaders
  // in answer order, and how many answers leave a clear leader.
  function answerLeaders(compiled, facts, fact) {
    var leaders = [];
    var clear = 0;
    fact.values.forEach(function (value) {
      var trial = {};
      Object.keys(facts).forEach(function (key) {
        trial[key] = facts[key];
      });
      trial[fact.id] = value.id;
      var ranked = rank(compiled, trial);
      var leader = ranked.length && ranked[0].raw >= MIN_SCORE ? ranked[0].concept : "";
      if (leaders.indexOf(leader) < 0) {
        leaders.push(leader);
      }
      if (isClear(ranked)) {
        clear += 1;
      }
    });
    return [leaders, clear];
  }

  // Whether every answer to the question leaves a clear leader, and not always the same one.
  function decisive(compiled, facts, question) {
    if (question === null || question === undefined) {
      return false;
    }
    var found = answerLeaders(compiled, facts, question);
    return found[1] === question.values.length && found[0].length >= 2;
  }

  function chooseQuestion(compiled, facts, rows, everyone) {
    var contenders;
    if (everyone || !rows.length) {
      contenders = rows.map(function (row) {
        return row.concept;
      });
    } else {
      contenders = [rows[0].concept];
      rows.slice(1).forEach(function (row) {
        if (row.potential >= rows[0].raw) {
          contenders.push(row.concept);
        }
      });
    }
    var candidates = [];
    rows.forEach(function (row) {
      if (contenders.indexOf(row.concept) < 0) {
        return;
      }
      row.rules.forEach(function (item) {
        if (item[1] === UNKNOWN) {
          leaves(item[0].when, candidates);
        }
      });
    });
    var best = null;
    var bestKey = [];
    compiled.facts.forEach(function (fact, position) {
      if (has(facts, fact.id) || candidates.indexOf(fact.id) < 0 || !fact.ask) {
        return;
      }
      var found = answerLeaders(compiled, facts, fact);
      var leaders = found[0];
      var clear = found[1];
      if (leaders.length < 2) {
        return;
      }
      var key = [leaders.length, clear, fact.priority, -position];
      if (best === null || listGreater(key, bestKey)) {
        best = fact;
        bestKey = key;
      }
    });
    if (best === null && everyone) {
      // nothing separates on its own: ask the most important unknown fact the rules use
      compiled.facts.forEach(function (fact) {
        if (has(facts, fact.id) || candidates.indexOf(fact.id) < 0 || !fact.ask) {
          return;
        }
        if (best === null || fact.priority > best.priority) {
          best = fact;
        }
      });
    }
    return best;
  }

  function score(raw, total) {
    if (total <= 0 || raw <= 0) {
      return 0.0;
    }
    var numerator = Math.trunc(raw * 2) * 200 + Math.trunc(total * 2);
    return Math.floor(numerator / (Math.trunc(total * 2) * 2)) / 100;
  }

  function valueLabel(compiled, factId, valueId) {
    var fact = compiled.facts[compiled.lexicon.fact_position[factId]];
    for (var i = 0; i < fact.values.length; i++) {
      if (fact.values[i].id === valueId) {
        return fact.values[i].label;
      }
    }
    return valueId;
  }

  function describe(compiled, condition, facts, negate, out, details) {
    Object.keys(condition).forEach(function (key) {
      var value = condition[key];
      if (key === "all" || key === "any") {
        value.forEach(function (item) {
          describe(compiled, item, facts, negate, out, details);
        });
      } else if (key === "not") {
        describe(compiled, value, facts, !negate, out, details);
      } else {
        var options = optionsOf(value);
        var fact = compiled.facts[compiled.lexicon.fact_position[key]];
        var labels = options.map(function (option) {
          return valueLabel(compiled, key, option);
        });
        var wanted = fact.prompt + " " + (negate ? "anything but " : "") + labels.join(" or ");
        if (!has(facts, key) || facts[key] === "") {
          out.push(wanted + " (not known yet)");
          details.push({ fact: key, value: options.slice(), negated: negate, state: "unknown", actual: null });
        } else if ((options.indexOf(facts[key]) >= 0) === negate) {
          out.push(wanted + " (it is: " + valueLabel(compiled, key, facts[key]) + ")");
          details.push({ fact: key, value: options.slice(), negated: negate, state: "false", actual: facts[key] });
        }
      }
    });
  }

  function fillOne(step, compiled, products, concept) {
    var fields = [];
    var rest = step;
    // Python: while "{" in rest and "}" in rest.split("{", 1)[1]
    while (rest.indexOf("{") >= 0 && rest.slice(rest.indexOf("{") + 1).indexOf("}") >= 0) {
      var inner = rest.slice(rest.indexOf("{") + 1);
      fields.push(inner.slice(0, inner.indexOf("}")));
      rest = inner.slice(inner.indexOf("}") + 1);
    }
    if (!fields.length) {
      return step;
    }
    var index = compiled.lexicon.product_index;
    for (var p = 0; p < products.length; p++) {
      var product = compiled.products[index[products[p]]];
      if (product.concepts.indexOf(concept) < 0) {
        continue;
      }
      var attributes = product.attributes;
      var values = Object.create(null);
      var count = 0;
      fields.forEach(function (field) {
        var name = splitOnce(field, "|")[0];
        if (field.indexOf("|") >= 0) {
          var condition = splitOnce(field, "|")[1];
          var key = splitOnce(condition, "=")[0];
          var wanted = condition.indexOf("=") >= 0 ? splitOnce(condition, "=")[1] : "";
          if ((has(attributes, key) ? attributes[key] : null) !== wanted) {
            return;
          }
        }
        var found;
        if (name === "name") {
          found = product.name;
        } else if (has(attributes, name) && typeof attributes[name] === "string") {
          found = attributes[name];
        } else {
          return;
        }
        if (!(field in values)) {
          count += 1;
        }
        values[field] = found;
      });
      if (count === fields.length) {
        var out = step;
        fields.forEach(function (field) {
          // str.replace: every occurrence, literally
          out = out.split("{" + field + "}").join(values[field]);
        });
        return out;
      }
    }
    return null;
  }

  /** Python's text.split(separator, 1), for a separator found in text (else [text]). */
  function splitOnce(text, separator) {
    var at = text.indexOf(separator);
    return at < 0 ? [text] : [text.slice(0, at), text.slice(at + separator.length)];
  }

  function fill(step, compiled, products, concept) {
    var choices = step.split(" || ");
    for (var i = 0; i < choices.length; i++) {
      var filled = fillOne(choices[i], compiled, products, concept);
      if (filled !== null) {
        return filled;
      }
    }
    return null;
  }

  function termPoints(holders) {
    if (holders.length === 1) {
      return TERM_POINTS[0];
    }
    if (holders.length <= 3) {
      return TERM_POINTS[1];
    }
    return TERM_POINTS[2];
  }

  function faqAnswer(compiled, analysis) {
    var named = analysis.concepts;
    var conceptIndex = compiled.lexicon.concept_index;
    var main = named.filter(function (c) {
      return compiled.concepts[conceptIndex[c]].role === "main";
    });
    // the text describes a situation (not just names things): it wants advice
    var situation = false;
    var positions = compiled.lexicon.fact_position;
    analysis.mentions.forEach(function (mention) {
      if (mention.kind === "fact" && !mention.negated && !mention.dropped && !compiled.facts[positions[mention.id]].match_concepts) {
        situation = true;
      }
    });
    var faqHits = function (id) {
      return has(analysis.faq, id) ? analysis.faq[id] : 0;
    };
    var points = compiled.faq.map(function () {
      return 0;
    });
    var terms = compiled.lexicon.faq_terms;
    analysis.terms.forEach(function (term) {
      if (has(terms, term)) {
        terms[term].forEach(function (position) {
          points[position] += termPoints(terms[term]);
        });
      }
    });
    var best = null;
    var bestScore = 0;
    var bestMatch = 0;
    compiled.faq.forEach(function (entry, position) {
      if (entry.concepts.length > MAX_FAQ_CONCEPTS) {
        return;
      }
      var match = faqHits(entry.id) * PHRASE_POINTS + points[position];
      // a named concept is covered by the entry's own, else by one of its kinds not named itself
      var covered = [];
      var missing = 0;
      main.forEach(function (conceptId) {
        var cover = entry.concepts.indexOf(conceptId) >= 0 ? conceptId : "";
        if (cover === "") {
          entry.concepts.forEach(function (other) {
            if (cover === "" && main.indexOf(other) < 0 && compiled.concepts[conceptIndex[other]].kind_of === conceptId) {
              cover = other;
            }
          });
        }
        if (cover === "" || covered.indexOf(cover) >= 0) {
          missing += 1;
        } else {
          covered.push(cover);
        }
      });
      var shared = covered.length;
      var extra = entry.concepts.length - shared;
      if (match < FAQ_MIN && !(analysis.intents.length && shared > 0 && missing === 0 && (match > 0 || extra === 0))) {
        return;
      }
      // words alone (no phrase of the entry) do not bring an entry about none of the concepts named
      if (main.length && shared === 0 && faqHits(entry.id) === 0) {
        return;
      }
      var value = match * 2 + shared * 3 - missing * 3 - extra;
      if (main.length && missing === 0 && extra === 0) {
        value += 3;
      }
      if (best === null || value > bestScore) {
        best = entry;
        bestScore = value;
        bestMatch = match;
      }
    });
    if (best !== null && (bestMatch >= FAQ_MIN || bestScore > 0)) {
      return { id: best.id, question: best.question, answer: best.answer, concepts: best.concepts.slice(), match: bestMatch, fits: true };
    }
    if (!analysis.intents.length) {
      return null;
    }
    if (situation) {
      // the text describes a situation: it wants a recommendation, not a definition
      return null;
    }
    if (main.length) {
      var chosen = main.slice(0, MAX_FAQ_CONCEPTS);
      var parts = [];
      chosen.forEach(function (conceptId) {
        var concept = compiled.concepts[conceptIndex[conceptId]];
        parts.push(concept.name + ": " + concept.summary);
      });
      var names = chosen.map(function (c) {
        return compiled.concepts[conceptIndex[c]].name;
      });
      return { id: "concept:" + chosen.join("+"), question: "What is " + names.join(" and ") + "?", answer: parts.join(" "), concepts: chosen, match: 0, fits: false };
    }
    if (analysis.products.length) {
      var product = compiled.products[compiled.lexicon.product_index[analysis.products[0]]];
      var kinds = product.concepts.map(function (c) {
        return compiled.concepts[conceptIndex[c]].name;
      });
      var answer = product.summary || product.name;
      if (kinds.length) {
        answer += " In this knowledge base it is an example of: " + kinds.join(", ") + ".";
      }
      return { id: "product:" + product.id, question: "What is " + product.name + "?", answer: answer, concepts: product.concepts.slice(0, MAX_FAQ_CONCEPTS), match: 0, fits: false };
    }
    return null;
  }

  /* ---- advisor/learn.py ---------------------------------------------------------- */

  function featuresOf(analysis) {
    var out = [];
    var seen = Object.create(null);
    function add(feature) {
      if (!seen[feature]) {
        seen[feature] = true;
        out.push(feature);
      }
    }
    analysis.sentences.forEach(function (sentence) {
      if (sentence.length) {
        add("s:" + sentence[0]);
      }
      sentence.forEach(function (token, index) {
        add("w:" + token);
        if (index + 1 < sentence.length) {
          add("b:" + token + " " + sentence[index + 1]);
        }
      });
    });
    Object.keys(analysis.facts).forEach(function (factId) {
      add("f:" + factId + "=" + analysis.facts[factId].value);
    });
    analysis.concepts.forEach(function (conceptId) {
      add("c:" + conceptId);
    });
    analysis.intents.forEach(function (intent) {
      add("i:" + intent);
    });
    analysis.out_of_scope.forEach(function (topic) {
      add("o:" + topic);
    });
    Object.keys(analysis.faq).forEach(function (entry) {
      add("q:" + entry);
    });
    if (analysis.products.length) {
      add("p:named");
    }
    if (analysis.unlisted.length) {
      add("u:named");
    }
    return out;
  }

  function predict(model, features) {
    var labels = model.labels;
    if (!labels.length) {
      return { label: "", second: "", margin: 0, known: 0, scores: [] };
    }
    var scores = model.prior.slice();
    var table = model.features;
    var known = 0;
    features.forEach(function (feature) {
      if (!has(table, feature)) {
        return;
      }
      var extra = table[feature];
      known += 1;
      for (var at = 0; at < extra.length; at += 2) {
        scores[extra[at]] += extra[at + 1];
      }
    });
    for (var index = 0; index < labels.length; index++) {
      scores[index] += known * model.base[index];
    }
    var best = 0;
    for (index = 1; index < labels.length; index++) {
      if (scores[index] > scores[best]) {
        best = index;
      }
    }
    var second = -1;
    for (index = 0; index < labels.length; index++) {
      if (index !== best && (second < 0 || scores[index] > scores[second])) {
        second = index;
      }
    }
    return {
      label: labels[best],
      second: second >= 0 ? labels[second] : "",
      margin: second >= 0 ? scores[best] - scores[second] : 0,
      known: known,
      scores: scores
    };
  }

  /* ---- advisor/rules.py: the text model's part ---------------------------------- */

  function prediction(compiled, analysis) {
    if (!compiled.model) {
      return { label: "", second: "", margin: 0, known: 0, scores: [] };
    }
    if (!analysis.prediction) {
      analysis.prediction = predict(compiled.model, featuresOf(analysis));
    }
    return analysis.prediction;
  }

  function guessOf(compiled, analysis) {
    var found = prediction(compiled, analysis);
    if (found.margin < MODEL_MARGIN) {
      return null;
    }
    if (found.label === "out-of-scope" || compiled.lexicon.rule_concepts.indexOf(found.label) >= 0) {
      return found.label;
    }
    return null;
  }

  function overruled(compiled, analysis) {
    var found = prediction(compiled, analysis);
    return found.label === "out-of-scope" && found.margin >= MODEL_OVERRULE;
  }

  function rowOf(rows, conceptId) {
    for (var i = 0; i < rows.length; i++) {
      if (rows[i].concept === conceptId) {
        return rows[i];
      }
    }
    return { concept: conceptId, raw: 0.0, potential: 0.0, rules: [] };
  }

  function specialise(compiled, faq, analysis) {
    var index = compiled.lexicon.concept_index;
    var kinds = [];
    compiled.concepts.forEach(function (concept) {
      if (faq.concepts.indexOf(concept.kind_of) >= 0 && faq.concepts.indexOf(concept.id) < 0) {
        kinds.push(concept.id);
      }
    });
    if (!kinds.length || faq.concepts.length >= MAX_FAQ_CONCEPTS) {
      return;
    }
    var found = "";
    analysis.products.forEach(function (productId) {
      compiled.products[compiled.lexicon.product_index[productId]].concepts.forEach(function (conceptId) {
        if (found === "" && kinds.indexOf(conceptId) >= 0) {
          found = conceptId;
        }
      });
    });
    analysis.concepts.forEach(function (conceptId) {
      if (found === "" && kinds.indexOf(conceptId) >= 0) {
        found = conceptId;
      }
    });
    if (found === "") {
      // the rules chose the entry; the text model only says which kind it is about
      var guessed = prediction(compiled, analysis);
      var best = null;
      (guessed.scores.length ? compiled.model.labels : []).forEach(function (label, position) {
        if (kinds.indexOf(label) >= 0 && (best === null || guessed.scores[position] > best)) {
          best = guessed.scores[position];
          found = label;
        }
      });
    }
    if (found !== "" && has(index, found)) {
      faq.concepts = [found].concat(faq.concepts);
    }
  }

  // Whether the person's plan includes the first named product (an example of the concept) that
  // requires one: included true/false by the plan fact's value, null while it is unknown.
  function planCheck(compiled, products, concept, known) {
    var factId = compiled.lexicon.plan_fact || "";
    if (!factId) {
      return null;
    }
    var index = compiled.lexicon.product_index;
    for (var i = 0; i < products.length; i++) {
      var product = compiled.products[index[products[i]]];
      var requires = product.requires || [];
      if (product.concepts.indexOf(concept) < 0 || !requires.length) {
        continue;
      }
      var value = has(known, factId) ? known[factId] || "" : "";
      return {
        product: product.id, name: product.name, fact: factId, requires: requires.slice(),
        needs: product.attributes.needs || "", value: value, included: value ? requires.indexOf(value) >= 0 : null
      };
    }
    return null;
  }

  function answerWith(result, compiled, row, total, analysis, ordered, known, rows, by) {
    result.status = "answer";
    result.recommendation = recommendation(compiled, row, total, analysis, ordered);
    result.recommendation.by = by;
    var plan = planCheck(compiled, analysis.products, row.concept, known);
    if (plan !== null) {
      result.recommendation.plan = plan;
    }
    result.alternatives = alternatives(compiled, rows.filter(function (other) {
      return other.concept !== row.concept;
    }), total, known, false);
    result.message = result.recommendation.reasons[0];
    return result;
  }

  function askCompiled(compiled, text, facts) {
    compiled = unpack(compiled);
    configure(compiled);
    var analysis = analyse(compiled, typeof text === "string" ? text : "");
    var known = {};
    var shown = {};
    compiled.facts.forEach(function (fact) {
      var inferred = has(analysis.facts, fact.id) ? analysis.facts[fact.id] : null;
      if (inferred !== null) {
        known[fact.id] = inferred.value;
        shown[fact.id] = { value: inferred.value, label: valueLabel(compiled, fact.id, inferred.value), source: "text", words: inferred.words };
      }
    });
    var valueIds = compiled.lexicon.fact_index;
    var given = facts || {};
    Object.keys(given).forEach(function (key) {
      var value = given[key];
      if (has(valueIds, key) && typeof value === "string" && has(valueIds[key], value)) {
        known[key] = value;
        shown[key] = { value: value, label: valueLabel(compiled, key, value), source: "given", words: [] };
      }
    });
    var ordered = {};
    compiled.facts.forEach(function (fact) {
      if (has(shown, fact.id)) {
        ordered[fact.id] = shown[fact.id];
      }
    });

    // A fact the advisor never asks and the text did not give reads as having no value (closed world).
    var settled = {};
    Object.keys(known).forEach(function (key) {
      settled[key] = known[key];
    });
    compiled.facts.forEach(function (fact) {
      if (!fact.ask && !has(settled, fact.id)) {
        settled[fact.id] = "";
      }
    });
    var rows = rank(compiled, settled);
    var trace = compiled.rules.map(function (rule) {
      var state = evaluate(rule.when, settled)[0];
      var because = [];
      describe(compiled, rule.when, settled, false, because, []);
      return {
        rule: rule.id,
        concept: rule.concept,
        matched: state === TRUE ? true : state === UNKNOWN ? null : false,
        because: state === TRUE ? rule.reason : because.join("; ")
      };
    });
    var result = {
      status: "answer",
      facts: ordered,
      recommendation: null,
      alternatives: [],
      question: null,
      faq: null,
      trace: trace,
      message: ""
    };
    // An out-of-scope topic ends it, unless the text also names a main concept: then an FAQ entry
    // about that concept may still answer (an off-topic verb asked of a concept it names).
    var outside = null;
    if (analysis.out_of_scope.length) {
      outside = compiled.out_of_scope[compiled.lexicon.oos_index[analysis.out_of_scope[0]]];
      var index = compiled.lexicon.concept_index;
      var namesMain = analysis.concepts.some(function (c) {
        return compiled.concepts[index[c]].role === "main";
      });
      if (!namesMain) {
        result.status = "out-of-scope";
        result.message = outside.message;
        return result;
      }
    }

    var clear = isClear(rows);
    var faq = faqAnswer(compiled, analysis);
    if (faq !== null) {
      var strong = faq.match >= FAQ_STRONG;
      var intents = analysis.intents.length > 0;
      if (clear && faq.concepts.indexOf(rows[0].concept) < 0 && !(strong && intents)) {
        // the situation calls for a concept this entry is not about: answer instead
        faq = null;
      } else if (outside !== null && !strong) {
        // another topic, and only a loose FAQ match: the concept named is a passing word
        faq = null;
      } else if ((faq.fits && intents) || (!clear && (strong || intents))) {
        delete faq.match;
        delete faq.fits;
        specialise(compiled, faq, analysis);
        result.status = "faq";
        result.faq = faq;
        result.message = faq.answer;
        return result;
      }
    }
    if (outside !== null) {
      result.status = "out-of-scope";
      result.message = outside.message;
      return result;
    }

    var total = 0.0;
    rows.forEach(function (row) {
      if (row.raw > 0) {
        total += row.raw;
      }
    });
    // any fact, product or concept of the knowledge base (even a context one, such as the host product)
    // puts the text in the domain: ask rather than give up; an intent alone does not
    var anything = Boolean(Object.keys(analysis.facts).length || analysis.products.length || analysis.concepts.length ||
      Object.keys(known).length || analysis.tokens === 0);
    var guess = guessOf(compiled, analysis);
    if (!anything) {
      if (guess !== null && has(compiled.lexicon.concept_index, guess)) {
        return answerWith(result, compiled, rowOf(rows, guess), total, analysis, ordered, settled, rows, "model");
      }
      result.status = "out-of-scope";
      result.message = compiled.lexicon.nothing_applies;
      return result;
    }
    var question = null;
    if (!clear) {
      question = chooseQuestion(compiled, settled, rows, rows.length ? rows[0].raw < MIN_SCORE : true);
    }
    if (clear || (question === null && rows.length && rows[0].raw >= MIN_SCORE)) {
      if (overruled(compiled, analysis)) {
        result.status = "out-of-scope";
        result.message = compiled.lexicon.nothing_applies;
        return result;
      }
      return answerWith(result, compiled, rows[0], total, analysis, ordered, settled, rows, "rules");
    }
    // the rules know part of the situation and a fact decides between their contenders: ask it;
    // knowing nothing decisive, they would only ask a generic question: let the text model decide
    // A question after which every answer leaves a clear leader is not generic: the model may
    // still call the text out of scope, but picks a concept over asking it only when sure enough
    // to overrule (MODEL_OVERRULE).
    var generic = !rows.length || rows[0].raw < MIN_SCORE;
    var decisiveQuestion = generic && prediction(compiled, analysis).margin < MODEL_OVERRULE && decisive(compiled, settled, question);
    // ... and a text model sure of a concept answers even where the rules would ask
    if (guess !== null && has(compiled.lexicon.concept_index, guess) && prediction(compiled, analysis).margin >= MODEL_SURE) {
      return answerWith(result, compiled, rowOf(rows, guess), total, analysis, ordered, settled, rows, "model");
    }
    if (generic && !decisiveQuestion && guess !== null && has(compiled.lexicon.concept_index, guess)) {
      return answerWith(result, compiled, rowOf(rows, guess), total, analysis, ordered, settled, rows, "model");
    }
    if (generic && guess === "out-of-scope") {
      result.status = "out-of-scope";
      result.message = compiled.lexicon.nothing_applies;
      return result;
    }
    if (question === null) {
      question = chooseQuestion(compiled, settled, rows, true);
    }
    if (question === null) {
      result.status = "out-of-scope";
      result.message = compiled.lexicon.nothing_applies;
      return result;
    }
    var labels = {};
    question.values.forEach(function (value) {
      labels[value.id] = value.label;
    });
    result.status = "question";
    result.question = {
      fact: question.id,
      prompt: question.prompt,
      help: question.help,
      options: question.values.map(function (value) {
        return value.id;
      }),
      labels: labels
    };
    result.alternatives = alternatives(compiled, rows, total, settled, true);
    result.message = question.prompt;
    return result;
  }

  function recommendation(compiled, row, total, analysis, facts) {
    var concept = compiled.concepts[compiled.lexicon.concept_index[row.concept]];
    var reasons = [];
    var because = [];
    var steps = [];
    row.rules.forEach(function (item) {
      var rule = item[0];
      if (item[1] !== TRUE) {
        return;
      }
      reasons.push(rule.reason);
      var words = [];
      leaves(rule.when, []).forEach(function (factId) {
        if (has(facts, factId)) {
          facts[factId].words.forEach(function (word) {
            if (words.indexOf(word) < 0) {
              words.push(word);
            }
          });
        }
      });
      because.push({ rule: rule.id, reason: rule.reason, words: words });
      rule.next_steps.forEach(function (step) {
        var filled = fill(step, compiled, analysis.products, row.concept);
        if (filled !== null && steps.indexOf(filled) < 0) {
          steps.push(filled);
        }
      });
    });
    if (!reasons.length) {
      // chosen by the text model: say what the concept is, and the steps of its heaviest rule
      // that the facts do not rule out
      reasons.push(concept.summary);
      var fallback = null;
      row.rules.forEach(function (item) {
        if (item[1] !== FALSE && item[0].next_steps.length && (fallback === null || item[0].weight > fallback.weight)) {
          fallback = item[0];
        }
      });
      if (fallback !== null) {
        fallback.next_steps.forEach(function (step) {
          var filled = fill(step, compiled, analysis.products, row.concept);
          if (filled !== null && steps.indexOf(filled) < 0) {
            steps.push(filled);
          }
        });
      }
    }
    return {
      concept: concept.id,
      name: concept.name,
      score: score(row.raw, total),
      summary: concept.summary,
      reasons: reasons,
      because: because,
      next_steps: steps
    };
  }

  function alternatives(compiled, rows, total, facts, deciding) {
    return rows.map(function (row) {
      var concept = compiled.concepts[compiled.lexicon.concept_index[row.concept]];
      var unmet = [];
      row.rules.forEach(function (item) {
        if (item[1] === TRUE) {
          return;
        }
        var parts = [];
        var details = [];
        describe(compiled, item[0].when, facts, false, parts, details);
        unmet.push({ rule: item[0].id, weight: item[0].weight, unknown: item[1] === UNKNOWN, conditions: parts, facts: details });
      });
      var strongest = null;
      unmet.forEach(function (entry) {
        if (strongest === null || entry.weight > strongest.weight) {
          strongest = entry;
        }
      });
      var why;
      if (deciding) {
        why = "not decided yet";
      } else if (row.raw > 0) {
        why = "scores lower: fewer or lighter rules hold for it";
      } else {
        why = "no rule for it holds";
      }
      if (strongest !== null) {
        why += "; its strongest rule needs: " + strongest.conditions.join("; ");
      }
      return {
        concept: concept.id,
        name: concept.name,
        score: score(row.raw, total),
        why_not: why,
        unmet: unmet
      };
    });
  }


  var engine = { ask: askCompiled, analyse: analyse, unpack: unpack, normalise: normalise, stem: stem };
  if (typeof module === "object" && module && module.exports) {
    module.exports = engine;
  } else {
    root.conceptAdvisorEngine = engine;
  }
})(typeof window !== "undefined" ? window : this);
