/* Hotline form: while the operator types what the caller says, show the suggested category and
   priority beside the fields ("Suggested: … · Urgent (ngập sâu)"). A hint only: nothing is
   chosen for the operator, and without JavaScript the form works the same. */
(function () {
  "use strict";
  var description = document.getElementById("id_description");
  var suggestion = document.getElementById("hotline-suggestion");
  if (!description || !suggestion || !window.fetch) return;
  var timer = null;
  var asked = 0;
  function ask() {
    var text = description.value.trim();
    var mine = ++asked;
    if (!text) {
      suggestion.textContent = "";
      suggestion.hidden = true;
      return;
    }
    fetch(suggestion.dataset.url + "?text=" + encodeURIComponent(text.slice(0, 2000)), {
      headers: { Accept: "application/json" }, credentials: "same-origin"
    }).then(function (response) {
      return response.ok ? response.json() : null;
    }).then(function (answer) {
      if (!answer || mine !== asked) return;
      suggestion.textContent = answer.label || "";
      suggestion.hidden = !answer.label;
    }).catch(function () { /* no suggestion: the operator decides, as without JavaScript */ });
  }
  description.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(ask, 500);
  });
})();
