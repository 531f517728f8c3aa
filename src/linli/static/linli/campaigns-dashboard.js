/* Plan dashboard: horizontal completion bars from the JSON the page embeds (json_script "dashboard-data"). */
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("dashboard-data").textContent);
  var font = '"Noto Sans CJK SC", "PingFang SC", "Microsoft YaHei", sans-serif';
  var charts = [];

  function bars(id, d) {
    var el = document.getElementById(id);
    if (!el || !d.names.length) return;
    el.style.height = Math.max(160, d.names.length * 28 + 40) + "px";
    var c = echarts.init(el, null, { renderer: "canvas" });
    c.setOption({
      textStyle: { fontFamily: font }, animation: false, color: ["#3b6fb6"],
      grid: { left: 8, right: 40, top: 8, bottom: 8, containLabel: true },
      // Tooltips drawn on the canvas: ECharts' HTML tooltips carry style attributes, which the CSP refuses.
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" }, renderMode: "richText",
                 valueFormatter: function (v) { return v + "%"; } },
      xAxis: { type: "value", min: 0, max: 100, axisLabel: { formatter: "{value}%" } },
      yAxis: { type: "category", inverse: true, data: d.names, axisTick: { show: false },
               axisLabel: { width: 160, overflow: "truncate" } },
      series: [{ type: "bar", data: d.values, label: { show: true, position: "right", formatter: "{c}%" } }]
    });
    charts.push(c);
  }

  bars("chart-tasks", data.tasks);
  bars("chart-units", data.units);
  window.addEventListener("resize", function () { charts.forEach(function (c) { c.resize(); }); });
})();
