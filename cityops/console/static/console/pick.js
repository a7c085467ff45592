/* Hotline form: click the place on a map (the pin can be dragged); the latitude and longitude
   inputs work without JavaScript too. */
(function () {
  "use strict";
  var summary = document.querySelector(".error-summary");
  if (summary) summary.focus();
  var el = document.getElementById("pick-map");
  var lat = document.getElementById("id_lat");
  var lon = document.getElementById("id_lon");
  if (!el || !lat || !lon || !window.L) return;
  el.hidden = false;
  document.getElementById("pick-hint").hidden = false;
  var center = el.dataset.center.split(",").map(Number);
  var map = L.map(el).setView(center, Number(el.dataset.zoom || 13));
  L.tileLayer(el.dataset.tiles, { maxZoom: 19, attribution: el.dataset.attribution }).addTo(map);
  var pin = null;
  function setInputs(latlng) {
    lat.value = latlng.lat.toFixed(6);
    lon.value = latlng.lng.toFixed(6);
  }
  function place(latlng, pan) {
    if (!pin) {
      pin = L.marker(latlng, { draggable: true, keyboard: true, icon: L.divIcon({ className: "pin pin-open", iconSize: [22, 22] }) }).addTo(map);
      pin.on("dragend", function () { setInputs(pin.getLatLng()); });
    } else {
      pin.setLatLng(latlng);
    }
    if (pan) map.setView(latlng, Math.max(map.getZoom(), 16));
  }
  map.on("click", function (event) { place(event.latlng, false); setInputs(event.latlng); });
  if (lat.value && lon.value) place(L.latLng(Number(lat.value), Number(lon.value)), true);
  [lat, lon].forEach(function (input) {
    input.addEventListener("input", function () {
      var a = Number(lat.value), b = Number(lon.value);
      if (lat.value && lon.value && isFinite(a) && isFinite(b)) place(L.latLng(a, b), true);
    });
  });
})();
