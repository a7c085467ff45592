/* Dashboard and transparency page: trend charts (Chart.js) and the H3 heat map (Leaflet).
   Every chart has a table with the same figures next to it; without JavaScript nothing is lost. */
(function () {
  "use strict";

  function data(id) {
    var el = document.getElementById(id);
    return el ? JSON.parse(el.textContent) : null;
  }

  var reduced = window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches;

  function charts() {
    var chart = data("chart-data");
    if (!chart || !window.Chart) return;
    Chart.defaults.font.family = getComputedStyle(document.body).fontFamily;
    Chart.defaults.animation = reduced ? false : Chart.defaults.animation;
    Chart.defaults.maintainAspectRatio = false;
    var volume = document.getElementById("chart-volume");
    if (volume) {
      new Chart(volume, {
        type: "bar",
        data: {
          labels: chart.labels,
          datasets: [
            { label: volume.dataset.received || "Received", data: chart.received, backgroundColor: "#0b4f8a" },
            { label: volume.dataset.processed || "Processed", data: chart.processed, backgroundColor: "#1b7a3d" },
          ],
        },
        options: { scales: { y: { beginAtZero: true, ticks: { precision: 0 } } } },
      });
    }
    var rates = document.getElementById("chart-rates");
    if (rates) {
      new Chart(rates, {
        type: "line",
        data: {
          labels: chart.labels,
          datasets: [
            { label: rates.dataset.onTime || "On time (%)", data: chart.on_time_rate, borderColor: "#0b4f8a", backgroundColor: "#0b4f8a", spanGaps: true },
            { label: rates.dataset.satisfaction || "Satisfied (%)", data: chart.satisfaction_rate, borderColor: "#b35900", backgroundColor: "#b35900", borderDash: [6, 4], spanGaps: true },
          ],
        },
        options: { scales: { y: { min: 0, max: 100 } } },
      });
    }
  }

  function colour(share) {
    // From pale yellow to dark red; the count is in every hexagon's tooltip too.
    var stops = ["#fff3b0", "#ffd166", "#f4a259", "#e76f51", "#b5172f", "#6d0a1f"];
    return stops[Math.min(stops.length - 1, Math.floor(share * stops.length))];
  }

  function bbox(ring) {
    var lons = ring.map(function (p) { return p[0]; });
    var lats = ring.map(function (p) { return p[1]; });
    return [Math.min.apply(null, lons), Math.min.apply(null, lats), Math.max.apply(null, lons), Math.max.apply(null, lats)]
      .map(function (n) { return n.toFixed(5); }).join(",");
  }

  function heatmap() {
    var el = document.getElementById("heatmap");
    var cells = data("cells-data");
    if (!el || !cells || !window.L) return;
    el.hidden = false;
    var center = (el.dataset.center || "16.4637,107.5909").split(",").map(Number);
    var map = L.map(el, { scrollWheelZoom: false }).setView(center, Number(el.dataset.zoom || 11));
    L.tileLayer(el.dataset.tiles, { maxZoom: 19, attribution: el.dataset.attribution }).addTo(map);
    var most = cells.features.reduce(function (m, f) { return Math.max(m, f.properties.count); }, 1);
    var layer = L.geoJSON(cells, {
      style: function (feature) {
        var share = Math.sqrt(feature.properties.count / most);
        return { color: "#5a1020", weight: 1, fillColor: colour(share), fillOpacity: 0.65 };
      },
      onEachFeature: function (feature, shape) {
        var count = feature.properties.count;
        var box = document.createElement("div");
        var strong = document.createElement("strong");
        strong.textContent = count + " " + el.dataset.labelReports;
        var link = document.createElement("a");
        var sep = el.dataset.link.indexOf("?") >= 0 ? "&" : "?";
        link.href = el.dataset.link + sep + "bbox=" + bbox(feature.geometry.coordinates[0]);
        link.textContent = el.dataset.labelOpen;
        box.appendChild(strong);
        box.appendChild(document.createElement("br"));
        box.appendChild(link);
        shape.bindPopup(box);
        shape.bindTooltip(document.createTextNode(String(count)));
      },
    }).addTo(map);
    if (cells.features.length) map.fitBounds(layer.getBounds(), { maxZoom: 14, padding: [10, 10] });
  }

  charts();
  heatmap();
})();
