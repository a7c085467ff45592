/* The queue, live: a server-sent event for every report change re-fetches the table with the
   current filters (debounced) and marks the changed rows. Without JavaScript the queue is a plain
   page with links and a filter form; reloading it shows what changed. */
(function () {
  "use strict";
  // On a phone the reports come first: the filters fold away (open without JavaScript).
  var filterBox = document.querySelector("details.filter-box");
  if (filterBox && !filterBox.hasAttribute("data-keep-open") && window.matchMedia("(max-width: 47.99rem)").matches) {
    filterBox.open = false;
  }
})();
(function () {
  "use strict";
  var DEBOUNCE_MS = 250;
  var RETRY_MS = 5000;
  var status = document.querySelector(".live-status");
  var results = document.getElementById("queue-results");
  if (!results || !window.EventSource || !window.fetch) return;
  var eventsUrl = results.dataset.events;

  function setState(state) {
    if (!status) return;
    status.hidden = false;
    status.dataset.state = state;
    status.textContent = status.dataset["text" + state.charAt(0).toUpperCase() + state.slice(1)] || state;
  }

  // --- re-fetching the table ------------------------------------------------------------------
  var changed = new Set();
  var timer = null;
  var loading = null;

  function mark() {
    changed.forEach(function (id) {
      var row = document.querySelector('#queue-results tr[data-report="' + id + '"]');
      if (row) row.classList.add("live-new");
    });
    changed.clear();
  }

  function refresh() {
    timer = null;
    if (loading) loading.abort();
    loading = new AbortController();
    fetch(window.location.pathname + window.location.search, {
      headers: { "HX-Request": "true", Accept: "text/html" },
      credentials: "same-origin",
      signal: loading.signal,
    })
      .then(function (response) {
        if (!response.ok) throw new Error(String(response.status));
        return response.text();
      })
      .then(function (html) {
        var current = document.getElementById("queue-results");
        var holder = document.createElement("div");
        holder.innerHTML = html.trim();
        var fresh = holder.querySelector("#queue-results");
        if (!current || !fresh) return;
        current.replaceWith(fresh);
        if (window.htmx) window.htmx.process(fresh);
        mark();
        document.dispatchEvent(new CustomEvent("console:queue-refreshed"));
      })
      .catch(function () { /* offline or aborted: the next event or reconnect tries again */ });
  }

  function schedule(id) {
    if (id !== undefined && id !== null) changed.add(String(id));
    if (timer) clearTimeout(timer);
    timer = setTimeout(refresh, DEBOUNCE_MS);
  }

  // --- the event stream -----------------------------------------------------------------------
  var lastId = "";
  var source = null;
  var wasOffline = false;

  function connect() {
    var url = eventsUrl;
    // A new EventSource forgets the last id; the server also reads it from the query string.
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
      // The browser reconnects by itself (with Last-Event-ID) unless the server refused us.
      if (source.readyState === EventSource.CLOSED) {
        source.close();
        setTimeout(connect, RETRY_MS);
      }
    });
    source.addEventListener("report.changed", function (event) {
      if (event.lastEventId) lastId = event.lastEventId;
      var data = {};
      try { data = JSON.parse(event.data); } catch (ignored) { /* a malformed message */ }
      schedule(data.id);
    });
    source.addEventListener("reset", function () { schedule(); });
  }
  connect();
  window.addEventListener("beforeunload", function () { if (source) source.close(); });

  // --- saving a view: the filters as they are now (htmx changes them without a reload) --------
  var save = document.getElementById("save-view");
  if (save) {
    save.addEventListener("submit", function () {
      var query = save.querySelector('input[name="query"]');
      if (query) query.value = window.location.search.replace(/^\?/, "");
    });
  }
})();
