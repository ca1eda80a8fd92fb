// Sortable tables (tablesort, vendored): on every page, also after Material's instant navigation.
(function () {
  function sortable() {
    document.querySelectorAll("article table:not([class])").forEach(function (table) {
      if (!table.hasAttribute("data-sortable")) {
        table.setAttribute("data-sortable", "");
        new Tablesort(table);
      }
    });
  }
  if (typeof document$ !== "undefined") {
    document$.subscribe(sortable);
  } else {
    document.addEventListener("DOMContentLoaded", sortable);
  }
})();
