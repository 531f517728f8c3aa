/* Assessment results: a bar chart of the units' totals (and stars, for a star scheme) from json_script "results-data". */
(function () {
  "use strict";
  var el = document.getElementById("chart-results");
  if (!el) return;
  var data = JSON.parse(document.getElementById("results-data").textContent);
  var stars = data.stars.length > 0;
  var series = [{
    name: gettext("总分"), type: "bar", data: data.totals, barMaxWidth: 36,
    label: { show: true, position: "insideTop", color: "#fff" }
  }];
  var yAxis = [{ type: "value", name: gettext("分"), max: data.max }];
  if (stars) {
    series.push({
      name: gettext("星数"), type: "line", yAxisIndex: 1, data: data.stars, symbolSize: 10,
      label: { show: true, position: "top", formatter: gettext("{c}星"), color: "#8a6d0b" }
    });
    yAxis.push({ type: "value", name: gettext("星"), min: 0, max: 10, interval: 1, splitLine: { show: false } });
  }
  window.linliChart(el, {
    color: ["#3b6fb6", "#d4a017"],
    legend: { top: 0 },
    tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
    grid: { left: 8, right: 8, top: 40, bottom: 8, containLabel: true },
    xAxis: { type: "category", data: data.names, axisLabel: { interval: 0, rotate: data.names.length > 6 ? 30 : 0 } },
    yAxis: yAxis,
    series: series
  }, { category: gettext("单位"), unit: [gettext("分"), gettext("星")] });
})();
