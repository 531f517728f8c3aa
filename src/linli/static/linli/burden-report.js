/* 社区减负报表: the monthly trend of work given to communities outside the two lists (the figure the campaign wants
   to see fall), beside the work within them, from the page's JSON (json_script); charts.js adds its data table. */
(function () {
  "use strict";
  var el = document.getElementById("burden-data");
  if (!el) return;
  var data = JSON.parse(el.textContent);
  window.linliChart("burden-trend", {
    tooltip: { trigger: "axis" },
    legend: {},
    grid: { left: 8, right: 24, top: 36, bottom: 8, containLabel: true },
    xAxis: { type: "category", data: data.months },
    yAxis: [{ type: "value", name: gettext("项") }, { type: "value", name: "%", max: 100, splitLine: { show: false } }],
    series: [
      { name: gettext("清单外"), type: "bar", stack: "all", data: data.unlisted, itemStyle: { color: "#d9822b" } },
      { name: gettext("清单内"), type: "bar", stack: "all", data: data.listed, itemStyle: { color: "#5b8def" } },
      { name: gettext("清单外占比"), type: "line", yAxisIndex: 1, data: data.share, connectNulls: true }
    ]
  }, { category: gettext("月份"), unit: [gettext("项"), gettext("项"), "%"] });
})();
