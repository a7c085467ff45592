/* Warnings: a Leaflet map of the areas of the bulletins in force (the list says the same in
   words). Polygons are drawn as areas, CAP circles as circles, each linking to its bulletin. */
(function () {
  "use strict";
  var el = document.getElementById("warnings-map");
  if (!el || !window.L) return;
  el.hidden = false;
  var center = (el.dataset.center || "16.4637,107.5909").split(",").map(Number);
  var map = L.map(el, { scrollWheelZoom: false }).setView(center, Number(el.dataset.zoom || 10));
  L.tileLayer(el.dataset.tiles, { maxZoom: 19, attribution: el.dataset.attribution }).addTo(map);

  function popup(props) {
    // Text nodes only: headlines come from outside feeds and never become HTML.
    var box = document.createElement("div");
    var link = document.createElement("a");
    link.href = props.url;
    link.textContent = props.title;
    var severity = document.createElement("div");
    severity.textContent = props.severity_label || "";
    box.appendChild(link);
    box.appendChild(severity);
    return box;
  }

  function draw(data) {
    var layer = L.geoJSON(data, {
      style: function (feature) {
        var colour = feature.properties.color || "#b00020";
        return { color: colour, weight: 2, fillColor: colour, fillOpacity: 0.2 };
      },
      pointToLayer: function (feature, latlng) {
        var colour = feature.properties.color || "#b00020";
        var radius = Number(feature.properties.radius_km || 0) * 1000;
        if (radius > 0) return L.circle(latlng, { radius: radius, color: colour, fillOpacity: 0.2 });
        return L.circleMarker(latlng, { radius: 8, color: colour, fillOpacity: 0.6 });
      },
      onEachFeature: function (feature, shape) { shape.bindPopup(popup(feature.properties)); },
    }).addTo(map);
    var bounds = layer.getBounds();
    if (bounds.isValid()) map.fitBounds(bounds, { padding: [20, 20], maxZoom: 13 });
  }

  var inline = document.getElementById("warning-areas");
  if (inline) {
    draw(JSON.parse(inline.textContent));
  } else if (el.dataset.areas) {
    fetch(el.dataset.areas, { headers: { Accept: "application/geo+json" } })
      .then(function (response) { return response.json(); })
      .then(draw)
      .catch(function () { /* the list names every area */ });
  }
})();
