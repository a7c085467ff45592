/* The AQI map: each station a disc in its VN_AQI band's colour with its index; refreshed
   every minute. The table below the map has the same data without script. */
(function () {
  "use strict";
  var el = document.getElementById("air-map");
  if (!el || !window.L) return;
  el.hidden = false;
  var center = (el.dataset.center || "16.4637,107.5909").split(",").map(Number);
  var map = L.map(el, { scrollWheelZoom: false }).setView(center, Number(el.dataset.zoom || 11));
  L.tileLayer(el.dataset.tiles, { maxZoom: 19, attribution: el.dataset.attribution }).addTo(map);
  var layer = L.layerGroup().addTo(map);

  function line(text, strong) {
    var node = document.createElement(strong ? "strong" : "div");
    node.textContent = text;
    return node;
  }

  function popup(p) {
    // Text nodes only: names come from the registry, never become HTML.
    var box = document.createElement("div");
    box.appendChild(line(p.name, true));
    if (p.aqi) {
      box.appendChild(line("VN_AQI " + p.aqi.aqi + " · " + p.aqi.level_label));
      box.appendChild(line(el.dataset.dominant + ": " + p.aqi.dominant_label));
      box.appendChild(line(p.aqi.hour.slice(0, 16).replace("T", " ")));
    } else {
      box.appendChild(line(el.dataset.noData));
    }
    return box;
  }

  function icon(p) {
    var level = p.aqi ? "level-" + p.aqi.level_number : "no-data";
    // An element, not markup: the Content-Security-Policy refuses style attributes, so the
    // size and the band's colour come from air.css.
    var dot = document.createElement("span");
    dot.className = "aqi-dot " + level;
    dot.textContent = p.aqi ? String(p.aqi.aqi) : "–";
    return L.divIcon({ className: "", html: dot, iconSize: [36, 36] });
  }

  function load() {
    fetch(el.dataset.stations, { headers: { Accept: "application/geo+json" } })
      .then(function (response) { return response.json(); })
      .then(function (data) {
        layer.clearLayers();
        data.features.forEach(function (feature) {
          var xy = feature.geometry.coordinates, p = feature.properties;
          var title = p.name + (p.aqi ? " — VN_AQI " + p.aqi.aqi + " " + p.aqi.level_label : "");
          L.marker([xy[1], xy[0]], { title: title, icon: icon(p), keyboard: true })
            .bindPopup(popup(p)).addTo(layer);
        });
      })
      .catch(function () { /* the table still shows every station */ });
  }

  load();
  setInterval(load, 60000);
})();
