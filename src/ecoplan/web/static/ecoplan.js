/* ecoplan dashboard: progressive enhancement with ECharts (served from /static, no CDN).
   Without JavaScript the pages stay complete: tables, badges and the labelled AQI calendar. */
(function () {
  "use strict";
  function ready(fn) {
    if (document.readyState !== "loading") fn();
    else document.addEventListener("DOMContentLoaded", fn);
  }
  ready(function () {
    if (!window.echarts) return;
    document.querySelectorAll(".chart[data-series]").forEach(function (el) {
      var series = JSON.parse(el.dataset.series || "[]");
      if (!series.length) return;
      var target = el.dataset.target ? parseFloat(el.dataset.target) : null;
      var chart = window.echarts.init(el, null, { renderer: "svg" });
      chart.setOption({
        animation: false,
        grid: { left: 2, right: 2, top: 4, bottom: 4 },
        xAxis: { type: "value", show: false, min: "dataMin", max: "dataMax" },
        yAxis: { type: "value", show: false, scale: true },
        series: [{
          type: "line", data: series, symbolSize: 3,
          lineStyle: { width: 1.5, color: "#0b5d3b" }, itemStyle: { color: "#0b5d3b" },
          markLine: target === null ? undefined : {
            silent: true, symbol: "none", data: [{ yAxis: target }],
            lineStyle: { color: "#cf222e", type: "dashed" }, label: { show: false }
          }
        }]
      });
    });
    var cal = document.getElementById("aqi-chart");
    if (cal) {
      var days = JSON.parse(cal.dataset.days || "[]");
      var labels = JSON.parse(cal.dataset.labels || "[]");
      var colors = ["#00E400", "#FFFF00", "#FF7E00", "#FF0000", "#99004C", "#7E0023"];
      var bounds = [[0, 50], [51, 100], [101, 150], [151, 200], [201, 300], [301, 500]];
      var chart2 = window.echarts.init(cal, null, { renderer: "svg" });
      chart2.setOption({
        animation: false,
        tooltip: { formatter: function (p) { return p.value[0] + " AQI " + p.value[1]; } },
        visualMap: {
          type: "piecewise", orient: "horizontal", left: "center", bottom: 0,
          pieces: bounds.map(function (b, i) {
            return { min: b[0], max: b[1], color: colors[i], label: (labels[i] || "") + " " + b[0] + "–" + b[1] };
          })
        },
        calendar: { range: cal.dataset.year, cellSize: ["auto", 14], top: 24, left: 40, right: 10 },
        series: [{ type: "heatmap", coordinateSystem: "calendar", data: days }]
      });
    }
  });
})();
/* the home map: provinces coloured by the share of national-plan indicators achieved or
   on track; a click opens the region's page. Boundaries from /geo/provinces.json. */
(function () {
  "use strict";
  function ready(fn) {
    if (document.readyState !== "loading") fn();
    else document.addEventListener("DOMContentLoaded", fn);
  }
  ready(function () {
    var el = document.getElementById("map");
    if (!el || !window.echarts) return;
    var values = JSON.parse(el.dataset.values || "[]");
    var names = JSON.parse(el.dataset.names || "{}");
    var lang = el.dataset.lang || "zh";
    fetch("/geo/provinces.json").then(function (r) { return r.json(); }).then(function (geo) {
      window.echarts.registerMap("cn-provinces", geo);
      var chart = window.echarts.init(el, null, { renderer: "svg" });
      el.ecoplanChart = chart;
      chart.setOption({
        animation: false,
        tooltip: {
          formatter: function (p) {
            var v = p.value === undefined || isNaN(p.value) ? (lang === "zh" ? "暂无数据" : "no data") : p.value + " %";
            return (names[p.name] || p.name) + ": " + v;
          }
        },
        visualMap: {
          min: 0, max: 100, left: 10, bottom: 10, calculable: false, text: ["100 %", "0 %"],
          inRange: { color: ["#cf222e", "#f0b400", "#1a7f37"] }
        },
        series: [{
          type: "map", map: "cn-provinces", roam: false, selectedMode: false,
          itemStyle: { areaColor: "#eaeef2", borderColor: "#8c959f" },
          emphasis: { label: { show: false }, itemStyle: { areaColor: "#0969da" } },
          data: values.filter(function (v) { return v.value !== null; })
        }]
      });
      chart.on("click", function (p) {
        window.location.href = "/regions/" + p.name + "?lang=" + lang;
      });
    });
  });
})();
