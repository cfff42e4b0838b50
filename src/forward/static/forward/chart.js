/* Draws the leaderboard's "best score over time" chart as SVG from the JSON in #chart-data
   (written by Django's json_script, so team names are data, never markup). */
(function () {
  "use strict";
  var holder = document.getElementById("score-chart");
  var source = document.getElementById("chart-data");
  if (!holder || !source) return;
  var data = JSON.parse(source.textContent);
  var series = data.series || [];
  if (!series.length) { holder.parentNode.hidden = true; return; }
  var colors = ["#0b5cad", "#c2410c", "#15803d", "#7e22ce", "#b91c1c", "#0e7490", "#a16207", "#be185d", "#4b5563"];
  // The host's baseline is stored under the name it got when created; the page gives the label in
  // the reader's language (data-baseline-label), so the legend is translated like the rest.
  var baselineLabel = holder.getAttribute("data-baseline-label");
  var xs = [], ys = [], now = Date.now();
  series.forEach(function (s) { s.points.forEach(function (p) { xs.push(Date.parse(p[0])); ys.push(p[1]); }); });
  var x0 = Math.min.apply(null, xs), x1 = Math.max(now, Math.max.apply(null, xs));
  var y0 = Math.min.apply(null, ys), y1 = Math.max.apply(null, ys);
  if (y0 === y1) { y0 -= 0.01; y1 += 0.01; }
  var pad = (y1 - y0) * 0.08; y0 -= pad; y1 += pad;
  if (x0 === x1) { x0 -= 3600e3; }
  var ns = "http://www.w3.org/2000/svg";
  function el(name, attrs, text) {
    var e = document.createElementNS(ns, name);
    for (var k in attrs) e.setAttribute(k, attrs[k]);
    if (text !== undefined) e.textContent = text;
    return e;
  }
  var drawnWidth = 0;
  // Drawn at the holder's own width (one SVG unit = one CSS pixel), so labels keep a readable size
  // on a phone instead of shrinking with a scaled-down 720-unit picture; never narrower than 320
  // (.chart-area scrolls sideways below that), taller and with fewer ticks when narrow.
  function draw() {
    var width = Math.max(320, Math.floor(holder.clientWidth || 720));
    if (width === drawnWidth) return;
    drawnWidth = width;
    while (holder.firstChild) holder.removeChild(holder.firstChild);
    var narrow = width < 480;
    var W = width, H = narrow ? 240 : 280, L = 56, R = 12, T = 12, B = 28;
    var font = 12, yTicks = narrow ? 3 : 4;
    function X(t) { return L + (t - x0) / (x1 - x0) * (W - L - R); }
    function Y(v) { return T + (1 - (v - y0) / (y1 - y0)) * (H - T - B); }
    var svg = el("svg", { viewBox: "0 0 " + W + " " + H, width: W, height: H, role: "img", "class": "chart-svg",
                        "aria-labelledby": holder.getAttribute("data-caption") });
    for (var i = 0; i <= yTicks; i++) {
      var v = y0 + (y1 - y0) * i / yTicks, y = Y(v);
      svg.appendChild(el("line", { x1: L, x2: W - R, y1: y, y2: y, stroke: "#e5e7eb" }));
      svg.appendChild(el("text", { x: L - 6, y: y + 4, "text-anchor": "end", "font-size": font, fill: "#55606e" }, v.toFixed(4)));
    }
    var ticks = narrow ? [x0, x1] : [x0, (x0 + x1) / 2, x1];
    var anchors = narrow ? ["start", "end"] : ["start", "middle", "end"];
    ticks.forEach(function (t, i) {
      svg.appendChild(el("text", { x: X(t), y: H - 8, "text-anchor": anchors[i], "font-size": font, fill: "#55606e" },
        new Date(t).toLocaleDateString(document.documentElement.lang, { month: "short", day: "numeric" })));
    });
    var legend = document.createElement("ul");
    legend.className = "chart-legend";
    series.forEach(function (s, i) {
      var color = s.baseline ? "#6b7280" : colors[i % colors.length];
      var d = "", last = null;
      s.points.forEach(function (p) {
        var x = X(Date.parse(p[0])), y = Y(p[1]);
        d += last === null ? "M" + x + "," + y : "H" + x + "V" + y;
        last = y;
      });
      d += "H" + X(x1);
      svg.appendChild(el("path", { d: d, fill: "none", stroke: color, "stroke-width": s.baseline ? 1.5 : 2,
        "stroke-dasharray": s.baseline ? "5 4" : "" }));
      var li = document.createElement("li");
      var swatch = document.createElement("span");
      swatch.className = "swatch";
      swatch.style.background = color;  // CSSOM, which a style-src without 'unsafe-inline' allows
      li.appendChild(swatch);
      li.appendChild(document.createTextNode(s.baseline && baselineLabel ? baselineLabel : s.team));
      legend.appendChild(li);
    });
    holder.appendChild(svg);
    holder.appendChild(legend);
  }
  draw();
  var pending = null;
  window.addEventListener("resize", function () {
    if (pending) clearTimeout(pending);
    pending = setTimeout(draw, 150);
  });
})();
