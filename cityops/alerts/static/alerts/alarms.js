/* The alarm panel, live: every alarm.changed server-sent event re-fetches the table with the
   current filters (debounced) and marks the changed row. Without JavaScript the panel is a plain
   page; reloading it shows what changed. */
(function () {
  "use strict";
  var DEBOUNCE_MS = 250;
  var RETRY_MS = 5000;
  var status = document.querySelector(".live-status");
  var results = document.getElementById("alarm-results");
  if (!results || !window.EventSource || !window.fetch) return;
  var eventsUrl = results.dataset.events;
  var tableUrl = results.dataset.table;

  function setState(state) {
    if (!status) return;
    status.hidden = false;
    status.dataset.state = state;
    status.textContent = status.dataset["text" + state.charAt(0).toUpperCase() + state.slice(1)] || state;
  }

  var changed = new Set();
  var timer = null;
  var loading = null;

  function refresh() {
    timer = null;
    if (loading) loading.abort();
    loading = new AbortController();
    fetch(tableUrl + window.location.search, {
      headers: { Accept: "text/html" },
      credentials: "same-origin",
      signal: loading.signal,
    })
      .then(function (response) {
        if (!response.ok) throw new Error(String(response.status));
        return response.text();
      })
      .then(function (html) {
        var current = document.getElementById("alarm-results");
        var holder = document.createElement("div");
        holder.innerHTML = html.trim();
        var fresh = holder.querySelector("#alarm-results");
        if (!current || !fresh) return;
        // Keep the keyboard where it was when the row it sat in is still there.
        var focused = document.activeElement && current.contains(document.activeElement)
          ? document.activeElement.closest("tr") : null;
        var focusedId = focused ? focused.dataset.alarm : null;
        current.replaceWith(fresh);
        changed.forEach(function (id) {
          var row = fresh.querySelector('tr[data-alarm="' + id + '"]');
          if (row) row.classList.add("live-new");
        });
        changed.clear();
        if (focusedId) {
          var again = fresh.querySelector('tr[data-alarm="' + focusedId + '"] a');
          if (again) again.focus();
        }
      })
      .catch(function () { /* offline or aborted: the next event or reconnect tries again */ });
  }

  function schedule(id) {
    if (id !== undefined && id !== null) changed.add(String(id));
    if (timer) clearTimeout(timer);
    timer = setTimeout(refresh, DEBOUNCE_MS);
  }

  var lastId = "";
  var source = null;
  var wasOffline = false;

  function connect() {
    var url = eventsUrl;
    if (lastId) url += (url.indexOf("?") < 0 ? "?" : "&") + "last_event_id=" + encodeURIComponent(lastId);
    setState(wasOffline ? "offline" : "connecting");
    source = new EventSource(url);
    source.addEventListener("open", function () {
      setState("live");
      if (wasOffline) schedule();
      wasOffline = false;
    });
    source.addEventListener("error", function () {
      wasOffline = true;
      setState("offline");
      if (source.readyState === EventSource.CLOSED) {
        source.close();
        setTimeout(connect, RETRY_MS);
      }
    });
    source.addEventListener("alarm.changed", function (event) {
      if (event.lastEventId) lastId = event.lastEventId;
      var data = {};
      try { data = JSON.parse(event.data); } catch (ignored) { /* a malformed message */ }
      schedule(data.id);
    });
    source.addEventListener("reset", function () { schedule(); });
  }
  connect();
  window.addEventListener("beforeunload", function () { if (source) source.close(); });
})();
