/* A photo's blur regions: drag on the photo to add a box (it fills a row of the form's numeric
   fields, which also draw the box as they are typed); click a box to tick or untick its
   "remove" box. The form works the same without this script. */
(function () {
  "use strict";
  var NS = "http://www.w3.org/2000/svg";
  var FIELDS = ["x", "y", "width", "height"];
  var MIN_SIDE = 4; // a smaller drag is a click, not a box

  function clamp(value, low, high) {
    return Math.max(low, Math.min(high, value));
  }

  function svgPoint(svg, event) {
    var matrix = svg.getScreenCTM();
    var point = svg.createSVGPoint();
    point.x = event.clientX;
    point.y = event.clientY;
    return matrix ? point.matrixTransform(matrix.inverse()) : point;
  }

  function draw(rect, box) {
    FIELDS.forEach(function (name) { rect.setAttribute(name, box[name]); });
  }

  function setUp(svg) {
    var form = document.getElementById(svg.dataset.form);
    if (!form) return;
    var width = svg.viewBox.baseVal.width;
    var height = svg.viewBox.baseVal.height;
    var rows = form.querySelector(".blur-add-rows");
    var drawn = new WeakMap(); // a form row → the box it shows on the photo

    svg.querySelectorAll("rect.blur-box").forEach(function (rect) {
      var tick = form.querySelector('input[name="remove"][value="' + rect.dataset.index + '"]');
      if (!tick) return;
      var sync = function () { rect.classList.toggle("blur-removed", tick.checked); };
      rect.addEventListener("click", function () { tick.checked = !tick.checked; sync(); });
      tick.addEventListener("change", sync);
    });

    function fieldOf(row, name) {
      return row.querySelector('[name="add-' + name + '"]');
    }

    function rowBox(row) {
      var box = {};
      for (var i = 0; i < FIELDS.length; i++) {
        var text = fieldOf(row, FIELDS[i]).value;
        if (!/^\d+$/.test(text)) return null;
        box[FIELDS[i]] = Number(text);
      }
      return box.width > 0 && box.height > 0 ? box : null;
    }

    function show(row) {
      var box = rowBox(row);
      var rect = drawn.get(row);
      if (!box) {
        if (rect) rect.remove();
        drawn.delete(row);
        return;
      }
      if (!rect) {
        rect = document.createElementNS(NS, "rect");
        rect.setAttribute("class", "blur-new");
        svg.appendChild(rect);
        drawn.set(row, rect);
      }
      draw(rect, box);
    }

    function emptyRow() {
      var all = rows.querySelectorAll(".blur-add-row");
      for (var i = 0; i < all.length; i++) {
        var row = all[i];
        if (FIELDS.every(function (name) { return !fieldOf(row, name).value; })) return row;
      }
      var copy = all[all.length - 1].cloneNode(true);
      copy.querySelectorAll("input").forEach(function (input) { input.value = ""; });
      rows.appendChild(copy);
      return copy;
    }

    rows.addEventListener("input", function (event) {
      var row = event.target.closest(".blur-add-row");
      if (row) show(row);
    });
    rows.querySelectorAll(".blur-add-row").forEach(show); // boxes typed before a refusal

    var start = null;
    var rubber = null;
    function boxTo(event) {
      var end = svgPoint(svg, event);
      var x0 = clamp(Math.min(start.x, end.x), 0, width);
      var y0 = clamp(Math.min(start.y, end.y), 0, height);
      var x1 = clamp(Math.max(start.x, end.x), 0, width);
      var y1 = clamp(Math.max(start.y, end.y), 0, height);
      return { x: Math.round(x0), y: Math.round(y0),
               width: Math.round(x1 - x0), height: Math.round(y1 - y0) };
    }
    svg.addEventListener("pointerdown", function (event) {
      if (event.button !== 0 || event.target.classList.contains("blur-box")) return;
      start = svgPoint(svg, event);
      rubber = document.createElementNS(NS, "rect");
      rubber.setAttribute("class", "blur-new");
      svg.appendChild(rubber);
      svg.setPointerCapture(event.pointerId);
      event.preventDefault();
    });
    svg.addEventListener("pointermove", function (event) {
      if (rubber) draw(rubber, boxTo(event));
    });
    function finish(event) {
      if (!rubber) return;
      var box = boxTo(event);
      rubber.remove();
      rubber = null;
      if (box.width < MIN_SIDE || box.height < MIN_SIDE) return;
      var row = emptyRow();
      FIELDS.forEach(function (name) { fieldOf(row, name).value = box[name]; });
      show(row);
    }
    svg.addEventListener("pointerup", finish);
    svg.addEventListener("pointercancel", function () {
      if (rubber) rubber.remove();
      rubber = null;
    });
  }

  document.querySelectorAll("svg.blur-canvas").forEach(setUp);
  var summary = document.querySelector(".error-summary");
  if (summary) summary.focus();
})();
