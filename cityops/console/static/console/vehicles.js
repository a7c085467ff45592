/* The console map's buses (layer kind "vehicles", loaded by console/map.js).

   Loads the layer's GeoJSON (route, delay, next stop, age per bus), offers a route filter,
   and moves each marker when the console's live connection says "vehicle.moved" (the map's
   #console-map has data-events: the events URL asking for buses). A bus's popup can draw its
   last two hours. Buses not heard from for five minutes leave the map. Text only through
   textContent: nothing here reaches innerHTML. */
(function () {
  "use strict";
  var GONE_MS = 5 * 60 * 1000;
  window.CityOpsMapKinds = window.CityOpsMapKinds || {};

  window.CityOpsMapKinds.vehicles = function (ctx) {
    var map = ctx.map, group = ctx.group, el = ctx.el;
    var markers = {};  // vehicle id -> {marker, props, seen}
    var texts = {}, colours = {}, stops = {};
    var route = "";
    var track = L.layerGroup().addTo(map);

    function fill(template, values) {
      return template.replace(/%\((\w+)\)s/g, function (_, key) { return String(values[key]); });
    }

    function delayText(delay) {
      if (delay === null || delay === undefined) return texts.scheduled;
      var minutes = Math.floor(Math.abs(delay) / 60);
      if (Math.abs(delay) < 60) return texts.on_time;
      var key = (delay > 0 ? "late_" : "early_") + (minutes === 1 ? "1" : "n");
      return fill(texts[key], { minutes: minutes });
    }

    function tone(delay) {
      if (delay === null || delay === undefined) return "scheduled";
      if (Math.abs(delay) < 60) return "on-time";
      if (delay < 0) return "early";
      return delay >= 600 ? "very-late" : "late";
    }

    function popupFor(entry) {
      var box = ctx.popup(entry.props);
      var button = document.createElement("button");
      button.type = "button";
      button.className = "link track-button";
      button.textContent = texts.track;
      button.addEventListener("click", function () { showTrack(entry.props); });
      box.appendChild(button);
      return box;
    }

    function tooltipFor(props) {
      // map.js builds the tooltip's node; a bare text node if it gave none.
      return ctx.tooltip(props) || document.createTextNode(props.title || "");
    }

    function showTrack(props) {
      fetch(props.track_url, { credentials: "same-origin", headers: { Accept: "application/geo+json" } })
        .then(function (response) { return response.json(); })
        .then(function (data) {
          track.clearLayers();
          if (!data.features.length) { map.closePopup(); return; }
          var line = data.features[0].geometry.coordinates.map(function (xy) { return [xy[1], xy[0]]; });
          L.polyline(line, { color: colours[tone(props.delay)] || "#12263a", weight: 4, opacity: 0.8, dashArray: "6 6" })
            .bindTooltip(document.createTextNode(props.title))
            .addTo(track);
        })
        .catch(function () { /* the bus stays where it is */ });
    }

    function style(props) {
      // A dark ring tells buses from the reports (white ring) at a glance.
      return { radius: 7, color: "#12263a", weight: 2.5, fillColor: props.color || "#12263a", fillOpacity: 0.95 };
    }

    function place(props, lat, lon) {
      var entry = markers[props.vehicle];
      if (!entry) {
        var marker = L.circleMarker([lat, lon], style(props));
        entry = markers[props.vehicle] = { marker: marker, props: props, seen: Date.now() - (props.age || 0) * 1000 };
        marker.bindPopup(popupFor(entry));
        marker.bindTooltip(tooltipFor(props));
        group.addLayer(marker);
        return;
      }
      entry.props = props;
      entry.seen = Date.now();
      entry.marker.setLatLng([lat, lon]);
      entry.marker.setStyle(style(props));
      entry.marker.setTooltipContent(tooltipFor(props));
      if (!entry.marker.isPopupOpen()) entry.marker.setPopupContent(popupFor(entry));
    }

    function remove(id) {
      if (!markers[id]) return;
      group.removeLayer(markers[id].marker);
      delete markers[id];
    }

    function load() {
      var url = ctx.layer.url + (route ? "?route=" + encodeURIComponent(route) : "");
      return fetch(url, { headers: { Accept: "application/geo+json" }, credentials: "same-origin" })
        .then(function (response) { return response.json(); })
        .then(function (data) {
          texts = data.texts; colours = data.colours; stops = data.stops || {};
          Object.keys(markers).forEach(remove);
          track.clearLayers();
          data.features.forEach(function (feature) {
            var xy = feature.geometry.coordinates;
            place(feature.properties, xy[1], xy[0]);
          });
          return data;
        });
    }

    function moved(payload) {
      if (route && payload.route !== route) { remove(payload.id); return; }
      var old = markers[payload.id] ? markers[payload.id].props : {};
      var routeName = payload.route === old.route ? old.route_name : payload.route;
      var lines = [delayText(payload.delay)];
      if (payload.next_stop) lines.push(fill(texts.next, { stop: stops[payload.next_stop] || payload.next_stop }));
      place({
        vehicle: payload.id,
        title: (routeName ? fill(texts.route, { route: routeName }) + " · " : "") + (payload.label || payload.id),
        label: lines.join(" · "),
        color: colours[tone(payload.delay)],
        route: payload.route,
        route_name: routeName,
        delay: payload.delay,
        next_stop: payload.next_stop,
        track_url: old.track_url || ctx.layer.url.replace(/points\.geojson$/, encodeURIComponent(payload.id) + "/track.geojson"),
      }, payload.lat, payload.lon);
    }

    function filterControl(routes) {
      var Control = L.Control.extend({
        onAdd: function () {
          var box = L.DomUtil.create("div", "leaflet-bar route-filter");
          var label = document.createElement("label");
          label.htmlFor = "route-filter";
          label.textContent = texts.route_filter + " ";
          var select = document.createElement("select");
          select.id = "route-filter";
          var all = document.createElement("option");
          all.value = ""; all.textContent = texts.all_routes;
          select.appendChild(all);
          routes.forEach(function (r) {
            var option = document.createElement("option");
            option.value = r.id; option.textContent = r.name;
            select.appendChild(option);
          });
          select.addEventListener("change", function () { route = select.value; load(); });
          box.appendChild(label);
          box.appendChild(select);
          var legend = document.createElement("ul");
          legend.className = "bus-legend";
          legend.setAttribute("aria-label", texts.legend);
          Object.keys(texts.tones).forEach(function (key) {
            var item = document.createElement("li");
            var dot = document.createElement("span");
            dot.className = "bus-dot";
            dot.style.background = colours[key];
            dot.setAttribute("aria-hidden", "true");
            item.appendChild(dot);
            item.appendChild(document.createTextNode(" " + texts.tones[key]));
            legend.appendChild(item);
          });
          box.appendChild(legend);
          L.DomEvent.disableClickPropagation(box);
          return box;
        },
      });
      new Control({ position: "bottomleft" }).addTo(map);
    }

    load().then(function (data) {
      filterControl(data.routes);
      if (!window.EventSource || !el.dataset.events) return;
      var source = new EventSource(el.dataset.events);
      source.addEventListener("vehicle.moved", function (event) {
        try { moved(JSON.parse(event.data)); } catch (e) { /* a malformed event changes nothing */ }
      });
      window.setInterval(function () {
        var now = Date.now();
        Object.keys(markers).forEach(function (id) { if (now - markers[id].seen > GONE_MS) remove(id); });
      }, 30000);
    }).catch(function () { /* no buses on the map: the GTFS-realtime feed has them */ });
  };
})();
