/* "Stops near me": the browser's position fills the search form's lat/lon and sends it.
   Shown only where geolocation exists; the position never leaves this page but in that query. */
(function () {
  "use strict";
  var button = document.getElementById("near-me");
  if (!button || !navigator.geolocation) return;
  var status = document.getElementById("near-status");
  button.hidden = false;
  button.addEventListener("click", function () {
    navigator.geolocation.getCurrentPosition(function (where) {
      document.getElementById("near-lat").value = where.coords.latitude.toFixed(5);
      document.getElementById("near-lon").value = where.coords.longitude.toFixed(5);
      document.getElementById("stop-q").value = "";
      button.form.submit();
    }, function () {
      status.textContent = button.dataset.error;
    }, { timeout: 10000, maximumAge: 60000 });
  });
  // Empty lat/lon must not reach the URL of a search by name.
  button.form.addEventListener("submit", function () {
    ["near-lat", "near-lon"].forEach(function (id) {
      var input = document.getElementById(id);
      if (!input.value) input.disabled = true;
    });
  });
})();
