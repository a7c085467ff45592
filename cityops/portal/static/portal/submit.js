/* Submit form: pick the place on a map or from the device, and shrink photos before upload.
   Without JavaScript the same form works with plain latitude/longitude inputs. */
(function () {
  "use strict";
  var lat = document.getElementById("id_lat");
  var lon = document.getElementById("id_lon");
  var summary = document.getElementById("error-summary");
  if (summary) summary.focus();

  // --- the place ---------------------------------------------------------------------------
  var el = document.getElementById("pick-map");
  var map = null;
  var pin = null;
  function setInputs(latlng) {
    lat.value = latlng.lat.toFixed(6);
    lon.value = latlng.lng.toFixed(6);
    // Programmatic changes fire no event: tell htmx (similar reports) and anyone listening.
    lat.dispatchEvent(new Event("change", { bubbles: true }));
    lon.dispatchEvent(new Event("change", { bubbles: true }));
  }
  function place(latlng, pan) {
    if (!map) return;
    if (!pin) {
      pin = L.marker(latlng, { draggable: true, keyboard: true, icon: L.divIcon({ className: "pin pin-open", iconSize: [22, 22] }) }).addTo(map);
      pin.on("dragend", function () { setInputs(pin.getLatLng()); });
    } else {
      pin.setLatLng(latlng);
    }
    if (pan) map.setView(latlng, Math.max(map.getZoom(), 16));
  }
  if (el && window.L) {
    el.hidden = false;
    document.getElementById("pick-hint").hidden = false;
    var center = el.dataset.center.split(",").map(Number);
    map = L.map(el).setView(center, Number(el.dataset.zoom || 13));
    L.tileLayer(el.dataset.tiles, { maxZoom: 19, attribution: el.dataset.attribution }).addTo(map);
    map.on("click", function (event) { place(event.latlng, false); setInputs(event.latlng); });
    if (lat.value && lon.value) place(L.latLng(Number(lat.value), Number(lon.value)), true);
    [lat, lon].forEach(function (input) {
      input.addEventListener("input", function () {
        var a = Number(lat.value), b = Number(lon.value);
        if (lat.value && lon.value && isFinite(a) && isFinite(b)) place(L.latLng(a, b), true);
      });
    });
  }
  var locate = document.getElementById("use-location");
  var locationStatus = document.getElementById("location-status");
  if (locate && navigator.geolocation) {
    locate.hidden = false;
    locate.addEventListener("click", function () {
      locationStatus.textContent = locate.dataset.locating;
      navigator.geolocation.getCurrentPosition(function (position) {
        var latlng = { lat: position.coords.latitude, lng: position.coords.longitude };
        setInputs(latlng);
        if (window.L) place(L.latLng(latlng.lat, latlng.lng), true);
        locationStatus.textContent = locate.dataset.found;
      }, function () {
        locationStatus.textContent = locate.dataset.failed;
      }, { enableHighAccuracy: true, timeout: 15000, maximumAge: 60000 });
    });
  }

  // --- the photos: at most 1600 px, JPEG, before they leave the phone ------------------------
  var photos = document.getElementById("id_photos");
  var photoStatus = document.getElementById("photos-status");
  var previews = document.getElementById("photo-previews");
  var MAX_SIDE = 1600;
  function shrink(file) {
    if (!/^image\/(jpeg|png|webp)$/.test(file.type) || !window.createImageBitmap) {
      return Promise.resolve(file); // the server says what is wrong with it
    }
    return createImageBitmap(file, { imageOrientation: "from-image" }).then(function (bitmap) {
      var scale = Math.min(1, MAX_SIDE / Math.max(bitmap.width, bitmap.height));
      var canvas = document.createElement("canvas");
      canvas.width = Math.round(bitmap.width * scale);
      canvas.height = Math.round(bitmap.height * scale);
      var context = canvas.getContext("2d");
      context.fillStyle = "#fff"; // transparent PNGs become white, not black
      context.fillRect(0, 0, canvas.width, canvas.height);
      context.drawImage(bitmap, 0, 0, canvas.width, canvas.height);
      return new Promise(function (resolve) {
        canvas.toBlob(function (blob) {
          if (!blob) { resolve(file); return; }
          var name = file.name.replace(/\.[^.]*$/, "") + ".jpg";
          resolve(new File([blob], name, { type: "image/jpeg", lastModified: Date.now() }));
        }, "image/jpeg", 0.82);
      });
    }).catch(function () { return file; });
  }
  if (photos && window.DataTransfer) {
    photos.addEventListener("change", function () {
      var max = Number(photos.dataset.max || 5);
      var chosen = Array.prototype.slice.call(photos.files);
      previews.textContent = "";
      photoStatus.classList.remove("error");
      photos.removeAttribute("aria-invalid");
      if (!chosen.length) return;
      if (chosen.length > max) {
        // Never drop a photo silently: say so, and let the server refuse the lot if sent.
        photoStatus.textContent = photos.dataset.tooMany;
        photoStatus.classList.add("error");
        photos.setAttribute("aria-invalid", "true");
        photos.dataset.state = "too-many";
        return;
      }
      photos.dataset.state = "resizing";
      photoStatus.textContent = photos.dataset.resizing;
      Promise.all(chosen.map(shrink)).then(function (files) {
        var transfer = new DataTransfer();
        files.forEach(function (file) { transfer.items.add(file); });
        photos.files = transfer.files; // setting files fires no new change event
        files.forEach(function (file, index) {
          var item = document.createElement("li");
          var img = document.createElement("img");
          img.src = URL.createObjectURL(file);
          img.alt = photos.dataset.alt + " " + (index + 1);
          item.appendChild(img);
          previews.appendChild(item);
        });
        photoStatus.textContent = photos.dataset.ready;
        photos.dataset.state = "ready";
      });
    });
  }
  // --- the category: suggested from the description, never over the person's choice ----------
  var category = document.getElementById("id_category");
  var description = document.getElementById("id_description");
  var suggestion = document.getElementById("category-suggestion");
  if (category && description && suggestion && window.fetch) {
    var chosenByPerson = category.value !== ""; // e.g. the form came back with an error
    var suggested = "";
    var timer = null;
    var asked = 0;
    category.addEventListener("change", function (event) {
      if (event.isTrusted) chosenByPerson = true;
    });
    function ask() {
      var text = description.value.trim();
      if (chosenByPerson || !text) return;
      var mine = ++asked;
      fetch(suggestion.dataset.url + "?text=" + encodeURIComponent(text.slice(0, 2000)), {
        headers: { Accept: "application/json" }, credentials: "same-origin"
      }).then(function (response) {
        return response.ok ? response.json() : null;
      }).then(function (answer) {
        if (!answer || mine !== asked || chosenByPerson) return;
        suggestion.textContent = answer.label || "";
        suggestion.hidden = !answer.label;
        var unchanged = category.value === "" || category.value === suggested;
        if (answer.preselect && answer.category && unchanged && category.value !== answer.category) {
          category.value = answer.category;
          if (category.value === answer.category) {
            suggested = answer.category;
            category.dispatchEvent(new Event("change", { bubbles: true })); // similar reports
          }
        }
      }).catch(function () { /* no suggestion: the person chooses, as without JavaScript */ });
    }
    description.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(ask, 600);
    });
  }
})();
