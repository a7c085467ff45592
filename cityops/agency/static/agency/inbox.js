/* The inbox, live: on a change of one of the agency's reports (server-sent events), fetch the
   list again (debounced) and mark the rows that changed. Without JavaScript the page and its
   links work as they are; the browser reconnects by itself with Last-Event-ID. */
(function () {
  "use strict";
  var list = document.getElementById("inbox-list");
  if (!list || !window.EventSource || !window.fetch) return;
  var status = document.querySelector(".live-status");
  var changed = {};
  var timer = null;
  var loading = null;

  function show(state) {
    if (!status) return;
    status.hidden = false;
    status.dataset.state = state;
    status.textContent = status.dataset[state] || "";
  }

  function mark() {
    Object.keys(changed).forEach(function (id) {
      var row = list.querySelector('[data-report="' + id + '"]');
      if (row) row.classList.add("live-new");
    });
    changed = {};
  }

  function refresh() {
    if (loading) loading.abort();
    loading = new AbortController();
    fetch(list.dataset.listUrl, {
      headers: { "X-Requested-With": "fetch" },
      credentials: "same-origin",
      signal: loading.signal,
    })
      .then(function (response) {
        if (!response.ok) throw new Error(String(response.status));
        return response.text();
      })
      .then(function (html) {
        list.innerHTML = html;
        mark();
        if (status && status.dataset.state === "live") {
          status.textContent = status.dataset.live + " · " + status.dataset.changed;
        }
      })
      .catch(function () { /* the next change or a reload brings the list up to date */ });
  }

  function soon(id) {
    if (id !== undefined && id !== null) changed[id] = true;
    clearTimeout(timer);
    timer = setTimeout(refresh, 300);
  }

  var source = new EventSource(list.dataset.eventsUrl);
  source.addEventListener("open", function () { show("live"); });
  source.addEventListener("error", function () { show("offline"); });
  source.addEventListener("report.changed", function (event) {
    var data = {};
    try { data = JSON.parse(event.data); } catch (e) { /* refresh anyway */ }
    soon(data.id);
  });
  source.addEventListener("reset", function () { soon(null); });
})();
