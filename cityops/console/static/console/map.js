/* The console map: each layer of console.layers (read from #map-layers) is a GeoJSON overlay.
   Kind "reports": circle markers coloured by status, overdue ones ringed in red. Any other kind:
   circle markers with the colour, title, label and link their features' properties give.
   A layer with a "script" is drawn by that script: it registers window.CityOpsMapKinds[kind],
   a function given {map, group, layer, el, popup, tooltip} (the buses: console/vehicles.js). */
(function () {
  "use strict";
  var el = document.getElementById("console-map");
  var layersData = document.getElementById("map-layers");
  if (!el || !layersData || !window.L) return;
  var colours = JSON.parse(document.getElementById("map-colours").textContent);
  var layers = JSON.parse(layersData.textContent);
  el.hidden = false;
  var center = (el.dataset.center || "16.4637,107.5909").split(",").map(Number);
  var map = L.map(el).setView(center, Number(el.dataset.zoom || 12));
  L.tileLayer(el.dataset.tiles, { maxZoom: 19, attribution: el.dataset.attribution }).addTo(map);
  var control = L.control.layers(null, null, { collapsed: false }).addTo(map);
  var count = document.getElementById("map-count");

  function heading(props) {
    return (props.id ? "#" + props.id + " " : "") + (props.title || "");
  }

  function tooltip(props) {
    // A node, never a string: Leaflet puts a string tooltip into innerHTML, and report titles
    // are people's text.
    var line = document.createElement("span");
    line.textContent = heading(props);
    return line;
  }

  function label(text) {
    // The layer control puts names into innerHTML: escape them.
    return String(text).replace(/[&<>"']/g, function (c) { return "&#" + c.charCodeAt(0) + ";"; });
  }

  function popup(props) {
    // Built from text nodes: report titles are people's text and never become HTML.
    var box = document.createElement("div");
    var title = document.createElement("strong");
    title.textContent = heading(props);
    box.appendChild(title);
    [props.status_label, props.category, props.label].forEach(function (line) {
      if (!line) return;
      var div = document.createElement("div");
      div.textContent = line;
      box.appendChild(div);
    });
    if (props.url) {
      var link = document.createElement("a");
      link.href = props.url;
      link.textContent = el.dataset.openText;
      box.appendChild(link);
    }
    return box;
  }

  var styles = {
    reports: function (props) {
      return {
        radius: props.priority === "urgent" ? 8 : 6,
        color: props.overdue ? "#b00020" : "#ffffff",
        weight: props.overdue ? 4 : 1.5,
        fillColor: colours[props.status] || "#555555",
        fillOpacity: 0.9,
      };
    },
    points: function (props) {
      return { radius: 6, color: "#ffffff", weight: 1.5, fillColor: props.color || "#12263a", fillOpacity: 0.9 };
    },
  };

  layers.forEach(function (layer) {
    var group = L.layerGroup();
    control.addOverlay(group, label(layer.label));
    if (layer.shown) group.addTo(map);
    if (layer.script) {
      var tag = document.createElement("script");
      tag.src = layer.script;
      tag.onload = function () {
        var draw = (window.CityOpsMapKinds || {})[layer.kind];
        if (draw) draw({ map: map, group: group, layer: layer, el: el, popup: popup, tooltip: tooltip });
      };
      document.head.appendChild(tag);
      return;
    }
    var style = styles[layer.kind] || styles.points;
    fetch(layer.url, { headers: { Accept: "application/geo+json" }, credentials: "same-origin" })
      .then(function (response) { return response.json(); })
      .then(function (data) {
        data.features.forEach(function (feature) {
          var xy = feature.geometry.coordinates;
          var props = feature.properties || {};
          var marker = L.circleMarker([xy[1], xy[0]], style(props));
          marker.bindPopup(popup(props));
          marker.bindTooltip(tooltip(props));
          group.addLayer(marker);
        });
        if (layer.kind === "reports" && count) {
          count.textContent = el.dataset.countText.replace("%(count)s", String(data.features.length));
        }
      })
      .catch(function () { /* the queue lists the same reports */ });
  });
})();
