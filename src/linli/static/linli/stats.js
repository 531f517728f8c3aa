/* Statistics page: draws the charts from the JSON that the page embeds (json_script "stats-data"). */
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("stats-data").textContent);
  var narrow = window.matchMedia("(max-width: 720px)").matches;
  var chart = window.linliChart;

  var p = data.pyramid;
  var top = Math.max.apply(null, p.male.concat(p.female, [1]));
  var abs = function (v) { return Math.abs(typeof v === "object" ? v.value : v); };
  chart("chart-pyramid", {
    color: ["#3b6fb6", "#c8553d"],
    legend: { data: [gettext("男"), gettext("女")], top: 0 },
    grid: { left: 8, right: 16, top: 32, bottom: 8, containLabel: true },
    tooltip: {
      trigger: "axis", axisPointer: { type: "shadow" },
      formatter: function (items) {
        return interpolate(gettext("%(age)s岁"), { age: items[0].axisValue }, true) + "\n" + items.map(function (i) {
          return i.marker + interpolate(gettext("%(series)s：%(count)s人"), { series: i.seriesName, count: abs(i.value) }, true);
        }).join("\n");
      }
    },
    xAxis: { type: "value", min: -top, max: top, axisLabel: { formatter: abs } },
    yAxis: { type: "category", data: p.bands, axisTick: { show: false } },
    series: [
      { name: gettext("男"), type: "bar", stack: "people", barCategoryGap: "15%",
        data: p.male.map(function (v) { return -v; }) },
      { name: gettext("女"), type: "bar", stack: "people", data: p.female }
    ]
  }, { category: gettext("年龄"), format: function (v) { return interpolate(gettext("%(count)s人"), { count: abs(v) }, true); } });

  var counts = {};
  data.residence_types.forEach(function (r) { counts[r.label] = r.count; });
  chart("chart-residence", {
    color: ["#b3261e", "#e08a3c", "#3b6fb6", "#5a9e6f", "#8a6bb8"],
    tooltip: { trigger: "item", formatter: gettext("{b}：{c}人（{d}%）") },
    legend: { bottom: 0, formatter: function (name) {
      return interpolate(gettext("%(name)s %(count)s人"), { name: name, count: counts[name] || 0 }, true);
    } },
    series: [{
      type: "pie", radius: narrow ? ["32%", "62%"] : ["38%", "68%"], center: ["50%", "44%"],
      label: narrow ? { position: "inside", formatter: "{d}%", color: "#fff" } : { formatter: gettext("{b}\n{c}人") },
      data: data.residence_types.filter(function (r) { return r.count > 0; })
        .map(function (r) { return { name: r.label, value: r.count }; })
    }]
  }, { unit: gettext("人") });

  var t = data.tagged_by_grid;
  var tagsEl = document.getElementById("chart-tags");
  if (tagsEl) {
    // The legend wraps; leave it room (about three names a row on a phone, eight on a desktop).
    var legendRows = Math.ceil(t.series.length / (narrow ? 3 : 8));
    tagsEl.style.height = Math.max(260, 30 * t.grids.length + 24 * legendRows + 70) + "px";
    chart("chart-tags", {
      color: ["#3b6fb6", "#e08a3c", "#5a9e6f", "#c8553d", "#8a6bb8", "#2a9d8f", "#d4a72c", "#b5838d",
              "#6d597a", "#4d908e", "#f28482", "#577590", "#90be6d", "#a44a3f", "#7f7f7f"],
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
      legend: { top: 0, itemWidth: 14, itemGap: 8 },
      grid: { left: 8, right: 16, top: 24 * legendRows + 12, bottom: 8, containLabel: true },
      xAxis: { type: "value", minInterval: 1 },
      yAxis: { type: "category", inverse: true, data: t.grids.map(function (g) { return g.name; }),
               axisLabel: { width: narrow ? 80 : 140, overflow: "truncate" } },
      series: t.series.map(function (s) {
        var name = s.sensitive ? interpolate(gettext("%(tag)s（敏感）"), { tag: s.name }, true) : s.name;
        return { name: name, type: "bar", stack: "tags", data: s.counts };
      })
    }, { category: gettext("网格"), unit: gettext("人") });
  }
})();
