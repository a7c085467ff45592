/* The queue's own behaviour; its live updates are console/live.js. */
(function () {
  "use strict";
  // On a phone the reports come first: the filters fold away (open without JavaScript).
  var filterBox = document.querySelector("details.filter-box");
  if (filterBox && !filterBox.hasAttribute("data-keep-open") && window.matchMedia("(max-width: 47.99rem)").matches) {
    filterBox.open = false;
  }
})();
(function () {
  "use strict";
  // --- saving a view: the filters as they are now (htmx changes them without a reload) --------
  var save = document.getElementById("save-view");
  if (save) {
    save.addEventListener("submit", function () {
      var query = save.querySelector('input[name="query"]');
      if (query) query.value = window.location.search.replace(/^\?/, "");
    });
  }
})();
