/* 志愿服务统计: draws the charts from the JSON that the page embeds (json_script "volunteer-stats-data"). */
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("volunteer-stats-data").textContent);
  var narrow = window.matchMedia("(max-width: 720px)").matches;
  var chart = window.linliChart;

  var hours = function (v) { return interpolate(gettext("%(hours)s小时"), { hours: v }, true); };
  var months = data.months.map(function (m) { return narrow ? m.replace(/^\d+年/, "") : m; });
  chart("chart-hours", {
    color: ["#3b6fb6"],
    grid: { left: 8, right: 16, top: 16, bottom: 8, containLabel: true },
    tooltip: { trigger: "axis", axisPointer: { type: "shadow" }, valueFormatter: hours },
    xAxis: { type: "category", data: months },
    yAxis: { type: "value" },
    series: [{ name: gettext("服务时长"), type: "bar", data: data.hours }]
  }, { category: gettext("月份"), unit: gettext("小时") });

  var teamsEl = document.getElementById("chart-teams");
  if (teamsEl) {
    chart("chart-teams", {
      color: ["#5a9e6f"],
      grid: { left: 8, right: 48, top: 8, bottom: 8, containLabel: true },
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" }, valueFormatter: hours },
      xAxis: { type: "value" },
      yAxis: { type: "category", inverse: true, data: data.teams.names, axisTick: { show: false },
               axisLabel: { width: narrow ? 90 : 160, overflow: "truncate" } },
      series: [{ name: gettext("服务时长"), type: "bar", data: data.teams.hours, label: { show: true, position: "right" } }]
    }, { height: Math.max(200, data.teams.names.length * 26 + 40), category: gettext("服务队"), unit: gettext("小时") });
  }

  chart("chart-activities", {
    color: ["#3b6fb6", "#c8553d", "#e08a3c"],
    legend: { top: 0 },
    grid: { left: 8, right: 8, top: 32, bottom: 8, containLabel: true },
    tooltip: { trigger: "axis" },
    xAxis: { type: "category", data: months },
    yAxis: [{ type: "value", minInterval: 1, name: gettext("场") },
            { type: "value", min: 0, max: 100, name: "%", splitLine: { show: false } }],
    series: [
      { name: gettext("开展"), type: "bar", stack: "a", data: data.held },
      { name: gettext("取消"), type: "bar", stack: "a", data: data.cancelled },
      { name: gettext("满员率"), type: "line", yAxisIndex: 1, data: data.fill, connectNulls: true }
    ]
  }, { category: gettext("月份"), unit: [gettext("场"), gettext("场"), "%"] });

  function pie(id, d, colors, unit, name, formats) {
    chart(id, {
      color: colors,
      tooltip: { trigger: "item", formatter: formats[0] },
      legend: { bottom: 0 },
      series: [{
        name: name, type: "pie", radius: narrow ? ["32%", "62%"] : ["38%", "68%"], center: ["50%", "44%"],
        label: narrow ? { position: "inside", formatter: "{d}%", color: "#fff" } : { formatter: formats[1] },
        data: d.labels.map(function (l, i) { return { name: l, value: d.counts[i] }; })
          .filter(function (x) { return x.value > 0; })
      }]
    }, { unit: unit });
  }
  pie("chart-bands", data.bands, ["#c8553d", "#e08a3c", "#3b6fb6", "#5a9e6f"], gettext("场"), gettext("活动数"),
      [gettext("{b}：{c}场（{d}%）"), gettext("{b}\n{c}场")]);
  pie("chart-stars", data.stars, ["#b0b0b0", "#f3d27a", "#e8b949", "#d4a72c", "#c08a1a", "#a66d0c"], gettext("人"), gettext("人数"),
      [gettext("{b}：{c}人（{d}%）"), gettext("{b}\n{c}人")]);
})();
