/* Survey progress: units by state per area and per enumerator (stacked bars), and forms completed per day with the
   running total, from json_script "survey-progress". */
(function () {
  "use strict";
  var source = document.getElementById("survey-progress");
  if (!source || typeof echarts === "undefined") return;
  var data = JSON.parse(source.textContent);
  // 未访 grey, 已访 blue, 拒访 red, 空户 amber, 完成 green: the order of data.states.
  var colours = ["#b8c0c8", "#3b6fb6", "#d93025", "#d4a017", "#2e8b57"];

  function draw(id, option, category) {
    option.tooltip = { trigger: "axis", axisPointer: { type: "shadow" } };
    option.grid = { left: 8, right: 8, top: 40, bottom: 8, containLabel: true };
    option.legend = { top: 0 };
    window.linliChart(id, option, { category: category, unit: gettext("户") });
  }

  function stacked(names, counts) {
    return {
      color: colours,
      // A street has dozens of areas: past a dozen bars the axis shows the codes ECharts has room for, and the
      // tooltip the full name.
      xAxis: { type: "category", data: names, axisLabel: names.length > 12
        ? { interval: "auto", rotate: 30, formatter: function (name) { return name.split(" ")[0]; } }
        : { interval: 0, rotate: names.length > 6 ? 30 : 0 } },
      yAxis: { type: "value", name: gettext("户") },
      series: data.states.map(function (state, i) {
        return { name: state, type: "bar", stack: "units", barMaxWidth: 40,
                 data: counts.map(function (row) { return row[i]; }) };
      })
    };
  }

  draw("chart-areas", stacked(data.areas, data.area_counts), gettext("普查小区"));
  draw("chart-enumerators", stacked(data.enumerators, data.enumerator_counts), gettext("普查员"));
  var days = data.days;
  draw("chart-days", {
    color: ["#2e8b57", "#3b6fb6"],
    xAxis: { type: "category", data: days.days },
    yAxis: [{ type: "value", name: gettext("当日完成") }, { type: "value", name: gettext("累计完成"), splitLine: { show: false } }],
    series: [
      { name: gettext("当日完成"), type: "bar", data: days.done, barMaxWidth: 30 },
      { name: gettext("累计完成"), type: "line", yAxisIndex: 1, data: days.done_total, symbolSize: 6 }
    ]
  }, gettext("日期"));
})();
