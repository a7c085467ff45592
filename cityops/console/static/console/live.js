/* Live regions of the staff pages (report queue, alarm panel, agency inbox).

   A region is an element with an id and
     data-live-events  the server-sent events URL (/console/events/, /agency/events/),
     data-live-topics  the event names that change it ("report.changed"),
     data-live-url     where to fetch it again (default: this page; the page's query string is
                       added when the URL has none, so filters stay as they are),
     data-live-row     the data attribute naming a row's object ("report" for data-report="7").
   Each event re-fetches the region (debounced), marks the changed rows "live-new" and keeps the
   keyboard focus in its row. The `.live-status` element says live/offline/connecting in the
   words of its data-text-* attributes. Without JavaScript the page is plain: reload it.
   EventSource reconnects by itself with Last-Event-ID; when the server refused it, we retry
   with ?last_event_id= so nothing is missed. */
(function () {
  "use strict";
  var DEBOUNCE_MS = 250;
  var RETRY_MS = 5000;
  if (!window.EventSource || !window.fetch) return;

  var status = document.querySelector(".live-status");
  function setState(state) {
    if (!status) return;
    status.hidden = false;
    status.dataset.state = state;
    status.textContent = status.dataset["text" + state.charAt(0).toUpperCase() + state.slice(1)] || state;
  }

  function follow(region) {
    var id = region.id;
    var rowAttr = "data-" + (region.dataset.liveRow || "id");
    var topics = (region.dataset.liveTopics || "").split(/\s+/).filter(Boolean);
    var changed = new Set();
    var timer = null;
    var loading = null;

    function current() { return document.getElementById(id); }

    function fetchUrl() {
      var url = region.dataset.liveUrl || window.location.pathname;
      return url.indexOf("?") < 0 ? url + window.location.search : url;
    }

    function refresh() {
      timer = null;
      if (loading) loading.abort();
      loading = new AbortController();
      fetch(fetchUrl(), {
        headers: { "HX-Request": "true", Accept: "text/html" },
        credentials: "same-origin",
        signal: loading.signal,
      })
        .then(function (response) {
          if (!response.ok) throw new Error(String(response.status));
          return response.text();
        })
        .then(function (html) {
          var target = current();
          if (!target) return;
          // Parsed into a separate document (its scripts never run) and moved over node by
          // node: no string reaches innerHTML.
          var holder = new DOMParser().parseFromString(html, "text/html").body;
          var fresh = holder.querySelector("#" + CSS.escape(id));
          var focusedRow = document.activeElement && target.contains(document.activeElement)
            ? document.activeElement.closest("[" + rowAttr + "]") : null;
          var focusedKey = focusedRow ? focusedRow.getAttribute(rowAttr) : null;
          target.replaceChildren.apply(target, Array.from((fresh || holder).childNodes));
          if (window.htmx) window.htmx.process(target);
          changed.forEach(function (key) {
            var row = target.querySelector("[" + rowAttr + '="' + key + '"]');
            if (row) row.classList.add("live-new");
          });
          changed.clear();
          if (focusedKey) {
            var again = target.querySelector("[" + rowAttr + '="' + focusedKey + '"] a, [' + rowAttr + '="' + focusedKey + '"] button');
            if (again) again.focus();
          }
        })
        .catch(function () { /* offline or aborted: the next event or reconnect tries again */ });
    }

    function schedule(key) {
      if (key !== undefined && key !== null) changed.add(String(key));
      if (timer) clearTimeout(timer);
      timer = setTimeout(refresh, DEBOUNCE_MS);
    }

    var lastId = "";
    var source = null;
    var wasOffline = false;

    function connect() {
      var url = region.dataset.liveEvents;
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
      topics.forEach(function (topic) {
        source.addEventListener(topic, function (event) {
          if (event.lastEventId) lastId = event.lastEventId;
          var data = {};
          try { data = JSON.parse(event.data); } catch (ignored) { /* refresh anyway */ }
          schedule(data.id);
        });
      });
      source.addEventListener("reset", function () { schedule(); });
    }
    connect();
    window.addEventListener("beforeunload", function () { if (source) source.close(); });
  }

  document.querySelectorAll("[data-live-events]").forEach(follow);
})();
