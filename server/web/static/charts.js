/* Mutuparc charts: figures drawn by the page as SVG (and a table) are redrawn with Apache ECharts
   (vendored: echarts.common.min.js, Apache-2.0) when scripts run: tooltips, readable labels, sized
   to their card. No inline script: each chart's data is in a <script type="application/json">
   inside its <figure class="chart" data-chart="...">. Without scripts, the SVG stays. */
(function () {
  "use strict";
  if (window.mutuparcCharts) return; // the chart macro may add this script more than once
  window.mutuparcCharts = true;
  var LABEL_PX = 12, ROW = 40, FONT = '"DejaVu Sans", "Segoe UI", system-ui, sans-serif';
  var INK = "#1d2733", MUTED = "#5a6675", BLUE = "#1f5aa6", LINE = "#d8dee6";

  function figures() { return document.querySelectorAll("figure.chart[data-chart]"); }

  function textWidth(text) { return String(text).length * LABEL_PX * 0.62; } // DejaVu Sans, about

  function barsOption(data, width) {
    var valueRoom = Math.ceil(Math.max.apply(null, data.texts.map(textWidth).concat([10]))) + 12;
    return {
      animation: false, textStyle: {fontFamily: FONT, fontSize: LABEL_PX, color: INK},
      grid: {left: 4, right: valueRoom, top: 22, bottom: 4, outerBoundsMode: "none"},
      tooltip: {trigger: "item", confine: true, formatter: function (p) { return escape(data.labels[p.dataIndex]) + " : " + escape(data.texts[p.dataIndex]); },
                textStyle: {fontSize: 13, color: INK}, borderColor: LINE},
      xAxis: {type: "value", show: false, max: function (range) { return range.max || 1; }},
      yAxis: {type: "category", inverse: true, data: data.labels, axisLine: {show: false}, axisTick: {show: false},
              axisLabel: {inside: true, align: "left", verticalAlign: "bottom", padding: [0, 0, 10, 0], margin: 0, fontSize: LABEL_PX,
                          color: INK, width: Math.max(width - 12, 40), overflow: "truncate"}, z: 10},
      series: [{type: "bar", data: data.values, barWidth: 14, itemStyle: {color: BLUE, borderRadius: 3},
                label: {show: true, position: "right", fontSize: LABEL_PX, color: MUTED,
                        formatter: function (p) { return data.texts[p.dataIndex]; }}}]
    };
  }

  function columnsOption(data, width, lang) {
    var number = new Intl.NumberFormat(lang === "en" ? "en-GB" : "fr-FR");
    var every = Math.max(1, Math.ceil(data.labels.length * 52 / Math.max(width - 70, 100)));
    return {
      animation: false, textStyle: {fontFamily: FONT, fontSize: LABEL_PX, color: INK},
      grid: {left: 8, right: 12, top: 14, bottom: 8, outerBoundsMode: "same"}, // axis labels inside this rectangle
      tooltip: {trigger: "axis", confine: true, axisPointer: {type: "shadow"}, textStyle: {fontSize: 13, color: INK}, borderColor: LINE,
                formatter: function (items) { var p = items[0]; return escape(data.titles ? data.titles[p.dataIndex] : data.labels[p.dataIndex] + " : " + data.texts[p.dataIndex]); }},
      xAxis: {type: "category", data: data.labels, axisTick: {alignWithLabel: true},
              axisLabel: {fontSize: LABEL_PX, color: INK, interval: every - 1, hideOverlap: true}},
      yAxis: {type: "value", minInterval: 1, splitLine: {lineStyle: {color: LINE}},
              axisLabel: {fontSize: LABEL_PX, color: MUTED, formatter: function (v) { return number.format(v); }}},
      series: [{type: "bar", data: data.values, barMaxWidth: 36, itemStyle: {color: BLUE, borderRadius: [2, 2, 0, 0]}}]
    };
  }

  function escape(text) {
    return String(text).replace(/[&<>"]/g, function (c) { return {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;"}[c]; });
  }

  function draw(figure, lang) {
    var source = figure.querySelector("script.chart-data");
    if (!source) return;
    var data = JSON.parse(source.textContent);
    if (!data.labels || !data.labels.length) return;
    var box = document.createElement("div");
    box.className = "echart";
    box.setAttribute("role", "img");
    box.setAttribute("aria-label", data.title || "");
    var kind = figure.getAttribute("data-chart");
    box.style.height = (kind === "columns" ? 240 : data.labels.length * ROW + 26) + "px";
    figure.insertBefore(box, figure.querySelector(".chart-fallback"));
    var width = box.clientWidth || 360;
    var chart = window.echarts.init(box, null, {renderer: "svg", locale: "EN"});
    chart.setOption(kind === "columns" ? columnsOption(data, width, lang) : barsOption(data, width));
    figure.classList.add("enhanced");
    if (window.ResizeObserver) {
      var last = width;
      new ResizeObserver(function () {
        var now = box.clientWidth;
        if (now && Math.abs(now - last) > 2) {
          last = now;
          chart.setOption(kind === "columns" ? columnsOption(data, now, lang) : barsOption(data, now));
          chart.resize();
        }
      }).observe(box);
    }
  }

  function start() {
    var found = figures();
    if (!found.length) return;
    var lang = (document.documentElement.getAttribute("lang") || "fr").slice(0, 2);
    var run = function () {
      for (var i = 0; i < found.length; i++) {
        try { draw(found[i], lang); } catch (error) { if (window.console) console.error("chart", error); }
      }
      document.documentElement.setAttribute("data-charts", "ready");
    };
    if (window.echarts) { run(); return; }
    var library = document.createElement("script");
    library.src = "/static/echarts.common.min.js";
    library.onload = run;
    library.onerror = function () { document.documentElement.setAttribute("data-charts", "failed"); };
    document.head.appendChild(library);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
