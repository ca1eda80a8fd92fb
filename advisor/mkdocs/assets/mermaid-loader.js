// Mermaid (vendored) is fetched only when a page draws a diagram, also after instant navigation.
// Material draws each `pre.mermaid` with the global `mermaid` when one is defined, and fetches
// Mermaid from a CDN otherwise (once per page load: it checks before its first diagram, which may
// come after an instant navigation). Loading the 3.5 MB Mermaid on every page costs about 2 s of
// script parsing in Chromium, so the global is this stand-in: Material calls its `initialize` and
// `render`, and the first `render` loads the vendored file beside it, which then replaces it.
// Diagrams are laid out by ELK (Mermaid's @mermaid-js/layout-elk, vendored beside it as an ES
// module): Mermaid's default layout, dagre, lets lines cross other edges' labels and labels sit
// apart from their lines; ELK routes the lines around them. Without ELK, dagre draws them.
(function () {
  if (window.mermaid && !(window.mermaid instanceof Element)) return;
  var source = new URL("mermaid.min.js", document.currentScript.src).href;
  var elkSource = new URL("mermaid-layout-elk/mermaid-layout-elk.esm.min.mjs", document.currentScript.src).href;
  var options = { startOnLoad: false };
  var loading = null;
  function load() {
    if (!loading) {
      loading = new Promise(function (resolve, reject) {
        var script = document.createElement("script");
        script.src = source;
        script.onload = function () {
          if (window.mermaid === standIn) return reject(new Error(source + " did not define mermaid"));
          var mermaid = window.mermaid;
          import(elkSource).then(function (elk) {
            mermaid.registerLayoutLoaders(elk.default);
            options.layout = "elk";
          }, function (error) {
            console.warn("concept-advisor: the ELK layout did not load (" + error + "); diagrams use Mermaid's default layout");
          }).then(function () {
            mermaid.initialize(options);
            resolve(mermaid);
          });
        };
        script.onerror = function () {
          loading = null;
          reject(new Error("could not load " + source));
        };
        document.body.appendChild(script);
      });
    }
    return loading;
  }
  var standIn = {
    initialize: function (settings) {
      // diagrams at their natural size, so that labels stay readable (the page scrolls them)
      // and more room between ranks, so that edge labels sit apart from each other and the lines
      var flowchart = Object.assign({}, settings && settings.flowchart, { useMaxWidth: false, rankSpacing: 90, nodeSpacing: 40, wrappingWidth: 160 });
      options = Object.assign({ startOnLoad: false }, settings, { flowchart: flowchart }, options.layout ? { layout: options.layout } : {});
    },
    render: function (id, text, container) {
      return load().then(function (mermaid) { return mermaid.render(id, text, container); });
    },
    run: function (settings) {
      return load().then(function (mermaid) { return mermaid.run(settings); });
    },
  };
  window.mermaid = standIn;
})();
