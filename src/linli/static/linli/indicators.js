/* 考核指标: a changed date switches the period to 自定义; the charts are drawn from json_script "indicators-data". */
(function () {
  "use strict";
  var period = document.getElementById("id_period");
  Array.prototype.forEach.call(document.querySelectorAll("[data-period-date]"), function (input) {
    input.addEventListener("change", function () { if (period) period.value = "custom"; });
  });

  var source = document.getElementById("indicators-data");
  if (!source || typeof echarts === "undefined") return;
  var data = JSON.parse(source.textContent);
  var narrow = window.matchMedia("(max-width: 720px)").matches;
  var chart = window.linliChart;

  var r = data.ranking;
  var unit = r.unit;
  var fmt = function (v) { return unit === "%" ? v + "%" : v + (unit === gettext("件") ? gettext("件") : gettext("小时")); };
  chart("chart-ranking", {
    color: ["#b3261e"],
    grid: { left: 8, right: 56, top: 8, bottom: 8, containLabel: true },
    tooltip: { trigger: "axis", axisPointer: { type: "shadow" },
               formatter: function (items) { return items[0].name + "\n" + r.label + "：" + fmt(items[0].value); } },
    xAxis: { type: "value", max: unit === "%" ? 100 : null, axisLabel: { formatter: unit === "%" ? "{value}%" : "{value}" } },
    yAxis: { type: "category", inverse: true, data: r.names, axisTick: { show: false },
             axisLabel: { width: narrow ? 90 : 150, overflow: "truncate" } },
    series: [{ name: r.label, type: "bar", data: r.values, barMaxWidth: 22,
               label: { show: true, position: "right", formatter: function (p) { return fmt(p.value); } } }]
  }, { height: Math.max(240, 30 * r.names.length + 40), format: fmt });

  var s = data.states;
  var shown = s.series.filter(function (x) { return x.counts.some(function (n) { return n > 0; }); });
  // Keyed by the states' names as the server sends them, in the same language.
  var colours = {};
  [[gettext("已受理"), "#9aa5b1"], [gettext("已立案待派遣"), "#6d8fb8"], [gettext("已派遣待签收"), "#3b6fb6"],
   [gettext("已退单待改派"), "#c8553d"], [gettext("处置中"), "#e08a3c"], [gettext("已反馈待核查"), "#d4a72c"],
   [gettext("已结案"), "#5a9e6f"]].forEach(function (c) { colours[c[0]] = c[1]; });
  var legendRows = Math.ceil(shown.length / (narrow ? 3 : 4));
  chart("chart-states", {
    tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
    legend: { top: 0, itemWidth: 14, itemGap: 10 },
    grid: { left: 8, right: 16, top: 26 * legendRows + 8, bottom: 8, containLabel: true },
    xAxis: { type: "value", minInterval: 1 },
    yAxis: { type: "category", inverse: true, data: s.groups, axisTick: { show: false },
             axisLabel: { width: narrow ? 90 : 150, overflow: "truncate" } },
    series: shown.map(function (x) {
      return { name: x.name, type: "bar", stack: "state", data: x.counts, barMaxWidth: 22,
               itemStyle: { color: colours[x.name] } };
    })
  }, { height: Math.max(240, 30 * s.groups.length + 26 * legendRows + 40), unit: gettext("件") });

  var m = data.monthly;
  chart("chart-monthly", {
    color: ["#3b6fb6"],
    grid: { left: 8, right: 24, top: 24, bottom: 8, containLabel: true },
    tooltip: { trigger: "axis", formatter: function (items) {
      return interpolate(gettext("%(month)s：%(count)s件"), { month: items[0].name, count: items[0].value }, true);
    } },
    xAxis: { type: "category", data: m.months },
    yAxis: { type: "value", minInterval: 1 },
    series: [{ name: gettext("受理案件数"), type: "line", data: m.counts, symbolSize: 7,
               label: { show: m.months.length <= 18, position: "top" } }]
  }, { category: gettext("月份"), unit: gettext("件") });
})();
