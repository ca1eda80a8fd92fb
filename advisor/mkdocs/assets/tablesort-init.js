// Sortable tables (tablesort, vendored): on every page, also after Material's instant navigation.
// Each cell also gets its column's heading as `data-label`, so that on a narrow screen the style
// sheet can show each row as a card ("Purpose: ...") instead of a table cut off at the edge.
(function () {
  function label(table) {
    var headings = Array.prototype.map.call(table.querySelectorAll("thead th"), function (th) {
      return th.textContent.trim();
    });
    if (!headings.length) return;
    table.querySelectorAll("tbody tr").forEach(function (row) {
      Array.prototype.forEach.call(row.children, function (cell, index) {
        if (headings[index]) cell.setAttribute("data-label", headings[index]);
      });
    });
    table.setAttribute("data-labelled", "");
  }
  function sortable() {
    document.querySelectorAll("article table:not([class])").forEach(function (table) {
      if (!table.hasAttribute("data-sortable")) {
        table.setAttribute("data-sortable", "");
        new Tablesort(table);
        label(table);
      }
    });
  }
  if (typeof document$ !== "undefined") {
    document$.subscribe(sortable);
  } else {
    document.addEventListener("DOMContentLoaded", sortable);
  }
})();
