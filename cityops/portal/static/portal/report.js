/* Report page: a small map of the place and the share link's copy button. */
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
  document.querySelectorAll("button[data-copy]").forEach(function (button) {
    if (!navigator.clipboard) return;
    button.hidden = false;
    button.addEventListener("click", function () {
      var input = document.querySelector(button.dataset.copy);
      navigator.clipboard.writeText(input.value).then(function () {
        var status = document.getElementById("share-status");
        if (status) status.textContent = button.dataset.copied;
      });
    });
  });
})();
