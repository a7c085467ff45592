/* A route's map: its line, its stops (each links to its next buses) and the buses on it now. */
(function () {
  "use strict";
  var el = document.getElementById("route-map");
  var data = document.getElementById("route-data");
  if (!el || !data || !window.L) return;
  data = JSON.parse(data.textContent);
  el.hidden = false;
  var map = L.map(el, { scrollWheelZoom: false }).setView([16.4637, 107.5909], 13);
  L.tileLayer(el.dataset.tiles, { maxZoom: 19, attribution: el.dataset.attribution }).addTo(map);
  if (data.line.length) {
    var line = L.polyline(data.line, { color: data.colour, weight: 5, opacity: 0.85 }).addTo(map);
    map.fitBounds(line.getBounds(), { padding: [16, 16] });
  }
  data.stops.forEach(function (stop) {
    var link = document.createElement("a");  // text nodes only: never innerHTML
    link.href = window.location.pathname.replace(/routes\/[^/]+$/, "stops/" + encodeURIComponent(stop.id));
    link.textContent = stop.name;
    L.circleMarker([stop.lat, stop.lon], { radius: 5, color: data.colour, weight: 2, fillColor: "#ffffff", fillOpacity: 1 })
      .bindPopup(link).addTo(map);
  });
  data.buses.forEach(function (bus) {
    var text = document.createElement("span");
    text.textContent = el.dataset.bus + " · " + bus.status;
    L.circleMarker([bus.lat, bus.lon], { radius: 8, color: "#ffffff", weight: 2, fillColor: "#1a1a1a", fillOpacity: 1 })
      .bindTooltip(text).addTo(map);
  });
})();
