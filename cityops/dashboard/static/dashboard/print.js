/* The monthly report's "Print" button (a listener here: the Content-Security-Policy refuses
   inline onclick handlers). */
(function () {
  "use strict";
  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.addEventListener("click", function () { window.print(); });
  });
})();
