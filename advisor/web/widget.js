/* concept-advisor: the advisor widget in the browser.
 *
 * Shows the answer of the engine (engine.js, loaded before this script) in plain words
 * (answer.js, also loaded before) on the page holding
 * <div id="concept-advisor" data-bundle="URL">. Plain JavaScript, no framework, no build step;
 * the only request it makes is fetching the bundle. Knowledge-base text is only ever inserted as
 * text (textContent, createTextNode), never parsed as HTML.
 *
 * Public API: window.conceptAdvisor.ask(text, facts) returns the object `advisor ask --json`
 * prints, once a bundle is loaded (await window.conceptAdvisor.ready).
 */
(function () {
  "use strict";

  if (window.conceptAdvisor && window.conceptAdvisor.ask) {
    // loaded twice (instant navigation re-running scripts): keep the first instance
    return;
  }

  var engine = window.conceptAdvisorEngine;
  var askCompiled = engine.ask;
  var unpack = engine.unpack;


  /* ==================================================================================
   * Loading the bundle, and the public API.
   * ================================================================================== */

  var BUNDLE_FORMAT = 4;
  // absolute bundle URL -> Promise of the bundle
  var loading = Object.create(null);

  function loadBundle(url) {
    var key = new URL(url, location.href).href;
    if (!loading[key]) {
      var promise = fetch(key, { credentials: "same-origin" })
        .then(function (response) {
          if (!response.ok) {
            throw new Error("could not load " + key + " (HTTP " + response.status + ")");
          }
          return response.json();
        })
        .then(function (bundle) {
          if (!bundle || typeof bundle !== "object" || !bundle.bundle || bundle.bundle.format !== BUNDLE_FORMAT) {
            throw new Error(key + " is not a concept-advisor bundle of format " + BUNDLE_FORMAT);
          }
          return unpack(bundle);
        });
      loading[key] = promise;
      promise.catch(function () {
        // let a later visit try again
        delete loading[key];
      });
    }
    return loading[key];
  }

  var api = {
    /** The bundle the last advisor widget loaded (null before). */
    bundle: null,
    /** Resolves with the bundle once the widget of the current page has loaded it. */
    ready: Promise.resolve(null),
    /** Load a bundle (URL relative to the page) and make it the one `ask` uses. */
    load: function (url) {
      var promise = loadBundle(url).then(function (bundle) {
        api.bundle = bundle;
        return bundle;
      });
      api.ready = promise;
      return promise;
    },
    /** Answer a question: the same object as `advisor ask TEXT --fact K=V ... --json`. */
    ask: function (text, facts) {
      if (!api.bundle) {
        throw new Error("conceptAdvisor: no knowledge base loaded yet (await window.conceptAdvisor.ready)");
      }
      return askCompiled(api.bundle, text == null ? "" : String(text), facts || {});
    }
  };
  window.conceptAdvisor = api;

  /* ==================================================================================
   * The widget.
   * ================================================================================== */

  // Not "q": Material's search opens itself with the text of a `q` parameter.
  var TEXT_PARAM = "ask";
  var widgets = [];
  var counter = 0;

  /** Create an element; `attrs` are set as attributes (or listeners for on*), children are nodes or text. */
  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    if (attrs) {
      Object.keys(attrs).forEach(function (name) {
        var value = attrs[name];
        if (value === null || value === undefined || value === false) {
          return;
        }
        if (typeof value === "function") {
          node.addEventListener(name.replace(/^on/, ""), value);
        } else {
          node.setAttribute(name, value === true ? "" : String(value));
        }
      });
    }
    append(node, children);
    return node;
  }

  function append(node, children) {
    if (children === null || children === undefined || children === false) {
      return node;
    }
    if (!Array.isArray(children)) {
      children = [children];
    }
    children.forEach(function (child) {
      if (child === null || child === undefined || child === false) {
        return;
      }
      node.appendChild(typeof child === "object" ? child : document.createTextNode(String(child)));
    });
    return node;
  }

  function clear(node) {
    while (node.firstChild) {
      node.removeChild(node.firstChild);
    }
  }

  function byId(items, id) {
    if (!Array.isArray(items)) {
      return null;
    }
    for (var i = 0; i < items.length; i++) {
      if (items[i] && items[i].id === id) {
        return items[i];
      }
    }
    return null;
  }

  function Widget(root) {
    this.root = root;
    this.number = ++counter;
    this.bundle = null;
    this.error = null;
    this.state = null;
    this.pendingUrl = null;
    this.pendingPath = null;
    this.build();
  }

  Widget.prototype.build = function () {
    var self = this;
    var n = this.number;
    var root = this.root;
    root.classList.add("ca");
    clear(root);

    this.input = el("textarea", {
      id: "ca-text-" + n,
      class: "ca-input",
      name: TEXT_PARAM,
      rows: 3,
      autocomplete: "off",
      spellcheck: "true",
      "aria-describedby": "ca-hint-" + n,
      onkeydown: function (event) {
        if (event.key === "Enter" && !event.shiftKey && !event.isComposing && !event.altKey && !event.ctrlKey && !event.metaKey) {
          event.preventDefault();
          self.submit();
        }
      }
    });
    this.askButton = el("button", { type: "submit", class: "ca-button ca-primary" }, "Ask");
    this.quizButton = el("button", {
      type: "button",
      class: "ca-button",
      onclick: function () {
        self.input.value = "";
        self.go("", {}, { focus: "result" });
      }
    }, "Answer questions instead");
    this.form = el("form", {
      class: "ca-form",
      role: "search",
      "aria-label": "Ask the advisor",
      onsubmit: function (event) {
        event.preventDefault();
        self.submit();
      }
    }, [
      el("label", { for: "ca-text-" + n, class: "ca-label" }, "Describe what you want to do"),
      this.input,
      el("p", { id: "ca-hint-" + n, class: "ca-hint" },
        "In your own words. Enter asks; Shift+Enter starts a new line."),
      el("div", { class: "ca-actions" }, [this.askButton, this.quizButton])
    ]);

    this.result = el("div", { class: "ca-result", id: "ca-result-" + n });
    // Screen readers hear one line (the verdict), not the whole result.
    this.status = el("p", { class: "ca-status", role: "status", "aria-live": "polite", "aria-atomic": "true" });
    this.backButton = el("button", {
      type: "button",
      class: "ca-button",
      onclick: function () { self.back(); }
    }, "Back");
    this.restartButton = el("button", {
      type: "button",
      class: "ca-button",
      onclick: function () { self.restart(); }
    }, "Start again");
    this.nav = el("div", { class: "ca-nav", hidden: true }, [this.backButton, this.restartButton]);

    append(root, [this.form, this.status, this.result, this.nav]);
  };

  Widget.prototype.load = function () {
    var self = this;
    var url = this.root.getAttribute("data-bundle");
    if (!url) {
      this.fail(new Error("the advisor element has no data-bundle attribute"));
      return Promise.resolve(null);
    }
    this.root.setAttribute("aria-busy", "true");
    return api.load(url).then(function (bundle) {
      self.bundle = bundle;
      self.root.removeAttribute("aria-busy");
      self.show(self.readState(), {});
      return bundle;
    }, function (error) {
      self.root.removeAttribute("aria-busy");
      self.fail(error);
      return null;
    });
  };

  Widget.prototype.fail = function (error) {
    this.error = error;
    clear(this.result);
    append(this.result, el("p", { class: "ca-error", role: "alert" }, [
      "The advisor could not start: ",
      String(error && error.message ? error.message : error),
      ". The decision flow on this page still applies."
    ]));
  };

  /** The fact (with its prompt and values), from the bundle. */
  Widget.prototype.question = function (factId) {
    return byId(this.bundle && this.bundle.facts, factId);
  };

  Widget.prototype.concept = function (conceptId) {
    return byId(this.bundle && this.bundle.concepts, conceptId);
  };

  Widget.prototype.conceptLink = function (conceptId, name) {
    var concept = this.concept(conceptId);
    var template = (this.bundle && this.bundle.bundle && this.bundle.bundle.concept_page) || "../concepts/{id}/";
    var href = new URL(template.replace("{id}", encodeURIComponent(conceptId)), location.href);
    href.search = "";
    href.hash = "";
    return el("a", { href: href.href, class: "ca-concept" }, name || (concept && concept.name) || conceptId);
  };

  /** The state in the address: {started, text, facts (in the order they were given)}. */
  Widget.prototype.readState = function () {
    var params = new URLSearchParams(location.search);
    var facts = {};
    var self = this;
    params.forEach(function (value, key) {
      if (key === TEXT_PARAM) {
        return;
      }
      var question = self.question(key);
      if (question && byId(question.values, value) && !Object.prototype.hasOwnProperty.call(facts, key)) {
        facts[key] = value;
      }
    });
    return { started: params.has(TEXT_PARAM) || Object.keys(facts).length > 0, text: params.get(TEXT_PARAM) || "", facts: facts };
  };

  Widget.prototype.writeState = function (state) {
    var params = new URLSearchParams(location.search);
    var self = this;
    var keys = [];
    params.forEach(function (value, key) {
      keys.push(key);
    });
    keys.forEach(function (key) {
      if (key === TEXT_PARAM || self.question(key)) {
        params.delete(key);
      }
    });
    if (state.started) {
      params.set(TEXT_PARAM, state.text);
      Object.keys(state.facts).forEach(function (key) {
        params.append(key, state.facts[key]);
      });
    }
    var url = new URL(location.href);
    url.search = params.toString();
    url.hash = "";
    this.pendingUrl = url.href;
    if (this.pendingPath === null) {
      // Chromium's pushState can take milliseconds: draw the answer first, change the address
      // once that frame is on screen (one history entry per frame, whatever was clicked).
      var self = this;
      this.pendingPath = location.pathname;
      requestAnimationFrame(function () {
        setTimeout(function () {
          self.flushState();
        }, 0);
      });
    }
  };

  Widget.prototype.flushState = function () {
    var path = this.pendingPath;
    var url = this.pendingUrl;
    this.pendingPath = null;
    this.pendingUrl = null;
    // not after a page change (instant navigation) or a popstate that overtook it
    if (url && path === location.pathname && this.root.isConnected && url !== location.href) {
      history.pushState(null, "", url);
    }
  };

  Widget.prototype.submit = function () {
    // line breaks stay: they end sentences, as in the CLI
    var text = this.input.value.trim();
    if (!text) {
      this.input.focus();
      clear(this.result);
      append(this.result, el("p", { class: "ca-hint" }, "Describe your situation first, or answer the questions instead."));
      return;
    }
    this.go(text, {}, { focus: "input" });
  };

  Widget.prototype.go = function (text, facts, options) {
    var state = { started: true, text: text, facts: facts };
    if (!this.bundle) {
      var self = this;
      api.ready.then(function () {
        if (self.bundle) {
          self.go(text, facts, options);
        }
      });
      return;
    }
    this.writeState(state);
    this.show(state, options || {});
  };

  Widget.prototype.back = function () {
    var facts = {};
    var current = this.state || this.readState();
    Object.keys(current.facts).forEach(function (key) {
      facts[key] = current.facts[key];
    });
    var state = { started: current.started, text: current.text, facts: facts };
    var keys = Object.keys(state.facts);
    if (keys.length) {
      delete state.facts[keys[keys.length - 1]];
      this.writeState(state);
      this.show(state, { focus: "result" });
    } else {
      this.restart();
    }
  };

  Widget.prototype.restart = function () {
    var state = { started: false, text: "", facts: {} };
    this.writeState(state);
    this.show(state, { focus: "input" });
    this.announce("Started again: describe what you want to do.");
  };

  /** Render a state: ask the engine and draw its answer. */
  Widget.prototype.show = function (state, options) {
    if (!this.bundle) {
      return;
    }
    this.state = state;
    if (document.activeElement !== this.input || !options.focus) {
      this.input.value = state.text;
    }
    if (!options.focus && this.result.contains(document.activeElement)) {
      // the focused control is about to go: keep the place
      options = { focus: "result" };
    }
    clear(this.result);
    this.nav.hidden = !state.started;
    if (!state.started) {
      if (options.focus === "input") {
        this.input.focus();
      }
      return;
    }
    var answer;
    try {
      answer = askCompiled(this.bundle, state.text, state.facts);
    } catch (error) {
      this.fail(error);
      return;
    }
    this.lastAnswer = answer;
    this.draw(answer, state);
    if (options.focus === "result") {
      var heading = this.result.querySelector(".ca-heading");
      if (heading) {
        heading.focus();
      }
    } else if (options.focus === "input") {
      this.input.focus();
    }
  };

  Widget.prototype.heading = function (children) {
    return el("h2", { class: "ca-heading", tabindex: "-1" }, children);
  };

  /** Text and code segments (["text", s] or ["code", s]) as nodes: code in <code>, never parsed as HTML. */
  function segmentNodes(parts) {
    return (parts || []).map(function (part) {
      return part[0] === "code" ? el("code", null, part[1]) : document.createTextNode(part[1]);
    });
  }

  function badgeNode(text) {
    return text ? el("span", { class: "ca-badge" }, text) : null;
  }

  /** Say one line to screen readers (the verdict, or that the advisor started again). */
  Widget.prototype.announce = function (text) {
    var status = this.status;
    // cleared first, so that the same words said twice are read twice
    status.textContent = "";
    setTimeout(function () {
      status.textContent = text;
    }, 50);
  };

  Widget.prototype.draw = function (answer, state) {
    var out = this.result;
    var view = window.conceptAdvisorAnswer.readable(this.bundle, answer);
    this.lastView = view;
    out.setAttribute("data-status", answer.status);
    var draw = {
      answer: this.drawAnswer,
      question: this.drawQuestion,
      faq: this.drawFaq,
      "out-of-scope": this.drawOutOfScope
    }[answer.status] || this.drawOutOfScope;
    draw.call(this, view, state, out);
    this.drawFacts(view, out);
    this.announce(view.verdict + (view.badge ? " (" + view.badge + ")" : ""));
  };

  Widget.prototype.drawAnswer = function (view, state, out) {
    append(out, this.heading(["Recommended: ", this.conceptLink(view.concept, view.verdict.replace(/^Recommended: /, "")), badgeNode(view.badge)]));
    if (view.summary) {
      append(out, el("p", { class: "ca-summary" }, view.summary));
    }
    if (view.why.length) {
      append(out, el("h3", null, "Why"));
      append(out, el("p", { class: "ca-reasons" }, view.why.join(" ")));
    }
    if (view.check) {
      append(out, el("h3", null, "Your plan"));
      append(out, el("p", { class: "ca-check" }, view.check.text));
      if (view.check.question) {
        this.drawOptions(view.check.question, state, out, "ca-plan-" + this.number, true);
      }
    }
    if (view.steps.length) {
      append(out, el("h3", null, "Next steps"));
      append(out, el("ol", { class: "ca-steps" }, view.steps.map(function (step) {
        return el("li", null, segmentNodes(step));
      })));
    }
    this.drawAlternatives(view, out, "Other options", "Not a fit here");
  };

  var FIT_NOTE = { partial: "also fits, less strongly", "ruled-out": "not here" };

  Widget.prototype.alternativeItem = function (item, open) {
    // while a question is open, nothing is decided yet
    var note = open ? null : FIT_NOTE[item.fit];
    return el("li", null, [
      this.conceptLink(item.concept, item.name),
      badgeNode(item.badge),
      note ? el("span", { class: "ca-fit" }, " (" + note + ")") : null,
      ": " + item.text
    ]);
  };

  Widget.prototype.drawAlternatives = function (view, out, title, foldedTitle) {
    var self = this;
    if (view.alternatives.length) {
      append(out, el("h3", null, title));
      append(out, el("ul", { class: "ca-alternatives" }, view.alternatives.map(function (item) {
        return self.alternativeItem(item, view.status === "question");
      })));
    }
    if (view.folded.length && foldedTitle) {
      var names = view.folded.map(function (item) { return item.name; }).join(", ");
      append(out, el("details", { class: "ca-folded" }, [
        el("summary", null, foldedTitle + ": " + names),
        el("ul", { class: "ca-alternatives" }, view.folded.map(function (item) {
          return self.alternativeItem(item);
        }))
      ]));
    }
  };

  Widget.prototype.drawQuestion = function (view, state, out) {
    var question = view.question || { options: [] };
    var headingId = "ca-question-" + this.number;
    var heading = this.heading(question.prompt || view.verdict);
    heading.id = headingId;
    append(out, heading);
    if (question.help) {
      append(out, el("p", { class: "ca-help" }, question.help));
    }
    this.drawOptions(question, state, out, headingId, false);
    this.drawAlternatives(view, out, "Still possible", null);
  };

  // The answers to a question as buttons (after its prompt when `withPrompt`); a click asks again
  // with that answer among the facts.
  Widget.prototype.drawOptions = function (question, state, out, headingId, withPrompt) {
    var self = this;
    if (withPrompt) {
      append(out, el("p", { class: "ca-help", id: headingId }, question.prompt));
    }
    var options = question.options.map(function (option) {
      return el("button", {
        type: "button",
        class: "ca-button ca-option",
        "data-fact": question.fact,
        "data-value": option.value,
        onclick: function () {
          var facts = {};
          Object.keys(state.facts).forEach(function (key) {
            facts[key] = state.facts[key];
          });
          facts[question.fact] = option.value;
          self.go(state.text, facts, { focus: "result" });
        }
      }, option.label);
    });
    append(out, el("div", { class: "ca-options", role: "group", "aria-labelledby": headingId }, options));
  };

  Widget.prototype.drawFaq = function (view, state, out) {
    var self = this;
    append(out, this.heading(view.verdict));
    append(out, el("p", { class: "ca-faq-answer" }, segmentNodes(view.answer)));
    if (view.about.length) {
      var links = [];
      view.about.forEach(function (item, index) {
        if (index) {
          links.push(", ");
        }
        links.push(self.conceptLink(item.concept, item.name));
      });
      append(out, el("p", { class: "ca-about" }, ["Read more: "].concat(links)));
    }
  };

  Widget.prototype.drawOutOfScope = function (view, state, out) {
    append(out, this.heading(view.verdict));
    append(out, el("p", null, view.message || "Nothing in this knowledge base applies to that, so the advisor will not guess."));
  };

  Widget.prototype.drawFacts = function (view, out) {
    if (!view.understood.length) {
      return;
    }
    append(out, el("h3", null, "What the advisor understood"));
    append(out, el("ul", { class: "ca-facts" }, view.understood.map(function (item) {
      var source = item.words.length ?
        "from your words: " + item.words.map(function (word) { return "“" + word + "”"; }).join(", ") : "you answered";
      var text = item.text.charAt(0).toUpperCase() + item.text.slice(1);
      return el("li", null, [text, el("span", { class: "ca-fact-source" }, " (" + source + ")")]);
    })));
  };

  /* ==================================================================================
   * Mounting: on first load, and on every page Material's instant navigation shows.
   * ================================================================================== */

  /** Terms with a definition (glossary tooltips) can be reached with the keyboard: Material
   * opens a tooltip on focus as on hover. */
  function focusableTerms() {
    Array.prototype.forEach.call(document.querySelectorAll(".md-typeset abbr[title]:not([tabindex])"), function (term) {
      term.setAttribute("tabindex", "0");
    });
  }

  /** A diagram wider than the page scrolls sideways: it can be focused, so that the keyboard scrolls it too.
   * Material draws each diagram after the page shows, into a new element: watched for. */
  function scrollableDiagrams() {
    Array.prototype.forEach.call(document.querySelectorAll("article div.mermaid:not([tabindex])"), function (diagram) {
      diagram.setAttribute("tabindex", "0");
      diagram.setAttribute("role", "region");
      diagram.setAttribute("aria-label", "Diagram");
    });
  }

  var diagramWatch = typeof MutationObserver === "function" ? new MutationObserver(scrollableDiagrams) : null;

  function mountAll() {
    focusableTerms();
    scrollableDiagrams();
    var article = document.querySelector("article");
    if (diagramWatch && article && document.querySelector("article pre.mermaid")) {
      diagramWatch.disconnect();
      diagramWatch.observe(article, { childList: true, subtree: true });
    }
    widgets = widgets.filter(function (widget) {
      return widget.root.isConnected;
    });
    // Only a mount point with a bundle: a heading whose slug is "concept-advisor" is no widget.
    var roots = document.querySelectorAll("div#concept-advisor[data-bundle], div[data-concept-advisor][data-bundle]");
    Array.prototype.forEach.call(roots, function (root) {
      if (root.getAttribute("data-mounted") === "true") {
        return;
      }
      root.setAttribute("data-mounted", "true");
      var widget = new Widget(root);
      widgets.push(widget);
      widget.load();
    });
  }

  window.addEventListener("popstate", function () {
    widgets.forEach(function (widget) {
      if (widget.root.isConnected && widget.bundle) {
        // the history moved: an address not yet written is stale
        widget.pendingUrl = null;
        widget.show(widget.readState(), {});
      }
    });
  });

  if (typeof window.document$ === "object" && window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(mountAll);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", mountAll);
  } else {
    mountAll();
  }
})();
