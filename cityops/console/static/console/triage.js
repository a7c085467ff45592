/* Triage page: a small map of the place; the first form with errors gets the focus. */
(function () {
  "use strict";
  var el = document.getElementById("report-map");
  if (el && window.L) {
    el.hidden = false;
    var point = [Number(el.dataset.lat), Number(el.dataset.lon)];
    var map = L.map(el, { scrollWheelZoom: false }).setView(point, 16);
    L.tileLayer(el.dataset.tiles, { maxZoom: 19, attribution: el.dataset.attribution }).addTo(map);
    L.marker(point, { icon: L.divIcon({ className: "pin pin-open", iconSize: [18, 18] }) }).addTo(map);
  }
  var summary = document.querySelector(".error-summary");
  if (summary) summary.focus();
})();
