/* The dashboard's hot spots: one circle per camera on a Leaflet map, its area proportional to
   the number of cases. The table next to it has the same figures; without JavaScript nothing
   is lost. No inline styles or scripts (the Content-Security-Policy refuses them). */
(function () {
  "use strict";

  function hotspots() {
    var el = document.getElementById("hotspot-map");
    var source = document.getElementById("hotspot-data");
    if (!el || !source || !window.L) return;
    var cameras = JSON.parse(source.textContent);
    el.hidden = false;
    var center = (el.dataset.center || "16.4637,107.5909").split(",").map(Number);
    var map = L.map(el, { scrollWheelZoom: false }).setView(center, Number(el.dataset.zoom || 12));
    L.tileLayer(el.dataset.tiles, { maxZoom: 19, attribution: el.dataset.attribution }).addTo(map);
    var most = cameras.reduce(function (m, c) { return Math.max(m, c.count); }, 1);
    var bounds = [];
    cameras.forEach(function (camera) {
      if (camera.lat === null || camera.lon === null) return;
      var radius = 6 + 22 * Math.sqrt(camera.count / most);
      var marker = L.circleMarker([camera.lat, camera.lon], {
        radius: radius, color: "#6d0a1f", weight: 2, fillColor: "#e76f51", fillOpacity: 0.6,
        className: "hotspot",
      }).addTo(map);
      marker.getElement && marker.getElement() && marker.getElement().setAttribute("data-count", camera.count);
      var box = document.createElement("div");
      var title = document.createElement("strong");
      title.textContent = camera.name + ": " + camera.count + " " + el.dataset.labelCases;
      box.appendChild(title);
      var list = document.createElement("ul");
      camera.rules.forEach(function (rule) {
        var item = document.createElement("li");
        item.textContent = rule.rule + ": " + rule.count;
        list.appendChild(item);
      });
      box.appendChild(list);
      marker.bindPopup(box);
      marker.bindTooltip(document.createTextNode(camera.name + " · " + camera.count));
      bounds.push([camera.lat, camera.lon]);
    });
    if (bounds.length) map.fitBounds(bounds, { maxZoom: 15, padding: [30, 30] });
  }

  hotspots();
})();
