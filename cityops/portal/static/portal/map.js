/* Home page: Leaflet map of the public reports, clustered; follows the list's filters. */
(function () {
  "use strict";
  var el = document.getElementById("map");
  if (!el || !window.L) return;
  el.hidden = false;
  var center = (el.dataset.center || "16.4637,107.5909").split(",").map(Number);
  var map = L.map(el, { scrollWheelZoom: false }).setView(center, Number(el.dataset.zoom || 12));
  L.tileLayer(el.dataset.tiles, { maxZoom: 19, attribution: el.dataset.attribution }).addTo(map);
  var cluster = L.markerClusterGroup({ showCoverageOnHover: false, maxClusterRadius: 50 });
  map.addLayer(cluster);

  function popup(props) {
    // Built from text nodes: report titles are citizens' text and never become HTML.
    var box = document.createElement("div");
    var link = document.createElement("a");
    link.href = el.dataset.reportUrl.replace(/0$/, String(props.id));
    link.textContent = "#" + props.id + " " + props.title;
    var status = document.createElement("div");
    status.textContent = props.status;
    box.appendChild(link);
    box.appendChild(status);
    return box;
  }

  var loading = null;
  function load(url) {
    if (loading) loading.abort();
    loading = new AbortController();
    fetch(url, { headers: { Accept: "application/geo+json" }, signal: loading.signal })
      .then(function (response) { return response.json(); })
      .then(function (data) {
        cluster.clearLayers();
        cluster.addLayers(data.features.map(function (feature) {
          var xy = feature.geometry.coordinates;
          var marker = L.marker([xy[1], xy[0]], {
            title: "#" + feature.properties.id + " " + feature.properties.title,
            icon: L.divIcon({ className: "pin pin-" + feature.properties.tone, iconSize: [16, 16] }),
          });
          marker.bindPopup(popup(feature.properties));
          return marker;
        }));
      })
      .catch(function () { /* the list still shows every report */ });
  }

  load(el.dataset.points);
  document.body.addEventListener("htmx:afterSettle", function () {
    var results = document.getElementById("results");
    if (results && results.dataset.points) load(results.dataset.points);
  });
})();
