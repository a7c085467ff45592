/* The extract's print button (the page prints as well with the browser's own command). */
(function () {
  "use strict";
  var button = document.getElementById("print-extract");
  if (button) button.addEventListener("click", function () { window.print(); });
})();
