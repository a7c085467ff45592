/* Planning lookup: tap the map to read the planned use; the published layers as overlays.
   Without JavaScript the page's form answers the same (this file only adds the map). */
(function () {
  "use strict";
  var el = document.getElementById("planning-map");
  if (!el || !window.L) return;
  el.hidden = false;
  var center = el.dataset.center.split(",").map(Number);
  var map = L.map(el, { scrollWheelZoom: false, tap: true }).setView(center, Number(el.dataset.zoom));
  L.tileLayer(el.dataset.tiles, { maxZoom: 19, attribution: el.dataset.attribution }).addTo(map);
  var answerBox = document.getElementById("planning-answer");
  var marker = null;
  var MIN_ZOOM_FOR_ZONES = 14;

  function mark(lat, lon) {
    if (marker) marker.setLatLng([lat, lon]);
    else marker = L.marker([lat, lon], { keyboard: false, title: "" }).addTo(map);
  }

  var shown = answerBox.querySelector(".planning-result");
  if (shown) mark(Number(shown.dataset.lat), Number(shown.dataset.lon));

  var asking = null;
  function ask(lat, lon) {
    mark(lat, lon);
    var query = "lat=" + lat.toFixed(6) + "&lon=" + lon.toFixed(6);
    if (asking) asking.abort();
    asking = new AbortController();
    answerBox.setAttribute("aria-busy", "true");
    fetch(el.dataset.answer + "?" + query, { signal: asking.signal, headers: { Accept: "text/html" } })
      .then(function (response) { return response.text(); })
      .then(function (html) {
        // The server's own template (text from the layers escaped there), parsed inert: a
        // parsed document runs no script; its nodes replace the box's.
        var parsed = new DOMParser().parseFromString(html, "text/html");
        answerBox.replaceChildren.apply(answerBox, Array.from(parsed.body.childNodes));
        answerBox.removeAttribute("aria-busy");
        history.replaceState(null, "", "?" + query);
        var title = document.getElementById("answer-title");
        if (title) title.focus({ preventScroll: true });
        answerBox.scrollIntoView({ behavior: "smooth", block: "start" });
      })
      .catch(function () { answerBox.removeAttribute("aria-busy"); });
  }
  map.on("click", function (event) { ask(event.latlng.lat, event.latlng.lng); });

  // The published layers, loaded for the map's box once zoomed in close enough.
  var overlays = {};
  var groups = [];
  document.querySelectorAll("#planning-layers li[data-slug]").forEach(function (item) {
    var group = L.geoJSON(null, {
      style: function (feature) {
        var colour = feature.properties.use_colour || "#9e9e9e";
        return { color: colour, weight: 1, fillColor: colour, fillOpacity: 0.35 };
      },
      onEachFeature: function (feature, layer) {
        var name = feature.properties.use_code + " " + (feature.properties.zone_code || "");
        layer.bindTooltip(document.createTextNode(name), { sticky: true });
        // A tap on a zone is a tap on the map: read the spot.
        layer.on("click", function (event) { L.DomEvent.stopPropagation(event); ask(event.latlng.lat, event.latlng.lng); });
      },
    });
    group.slug = item.dataset.slug;
    // Leaflet writes an overlay's name as HTML: the title goes in escaped.
    overlays[escaped(item.dataset.title)] = group;
    groups.push(group);
  });
  if (groups.length) L.control.layers(null, overlays, { collapsed: true }).addTo(map);

  function escaped(text) {
    return String(text).replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
    });
  }

  var loads = {};
  function load(group) {
    if (!map.hasLayer(group)) return;
    group.clearLayers();
    if (map.getZoom() < MIN_ZOOM_FOR_ZONES) return;
    var box = map.getBounds();
    var url = el.dataset.collections + "/" + encodeURIComponent(group.slug) + "/items?limit=1000&bbox=" +
      [box.getWest(), box.getSouth(), box.getEast(), box.getNorth()].map(function (v) { return v.toFixed(5); }).join(",");
    if (loads[group.slug]) loads[group.slug].abort();
    loads[group.slug] = new AbortController();
    fetch(url, { signal: loads[group.slug].signal, headers: { Accept: "application/geo+json" } })
      .then(function (response) { return response.json(); })
      .then(function (data) { group.clearLayers(); group.addData(data); })
      .catch(function () { /* the tap still answers */ });
  }
  map.on("overlayadd", function (event) {
    // Zones are drawn from zoom 14 on (a view holds at most 1000 of them): go there.
    if (map.getZoom() < MIN_ZOOM_FOR_ZONES) map.setZoom(MIN_ZOOM_FOR_ZONES);
    else load(event.layer);
  });
  map.on("moveend", function () { groups.forEach(load); });
})();
