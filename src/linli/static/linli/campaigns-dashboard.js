/* Plan dashboard: horizontal completion bars from the JSON the page embeds (json_script "dashboard-data"). */
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("dashboard-data").textContent);

  function bars(id, d, category) {
    if (!d.names.length) return;
    window.linliChart(id, {
      color: ["#3b6fb6"],
      grid: { left: 8, right: 40, top: 8, bottom: 8, containLabel: true },
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" }, valueFormatter: function (v) { return v + "%"; } },
      xAxis: { type: "value", min: 0, max: 100, axisLabel: { formatter: "{value}%" } },
      yAxis: { type: "category", inverse: true, data: d.names, axisTick: { show: false },
               axisLabel: { width: 160, overflow: "truncate" } },
      series: [{ name: gettext("完成度"), type: "bar", data: d.values,
                 label: { show: true, position: "right", formatter: "{c}%" } }]
    }, { height: Math.max(160, d.names.length * 28 + 40), category: category, unit: "%" });
  }

  bars("chart-tasks", data.tasks, gettext("大类任务"));
  bars("chart-units", data.units, gettext("单位"));
})();
