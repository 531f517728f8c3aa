/* 物业监管 charts from the page's JSON (json_script): a company's scores by year, the public ranking. */
(function () {
  "use strict";
  // The grades' colours of property.css.
  var COLORS = { AAA: "#1f7a4d", AA: "#3b8f5f", A: "#3b6fb6", B: "#c08a1e", C: "#b3412e" };
  function draw(id, option, category) { window.linliChart(id, option, { category: category, unit: gettext("分") }); }

  var history = document.getElementById("property-data");
  if (history) {
    var h = JSON.parse(history.textContent);
    draw("score-chart", {
      grid: { left: 8, right: 48, top: 24, bottom: 8, containLabel: true },
      tooltip: { trigger: "axis" },
      xAxis: { type: "category", data: h.years },
      yAxis: { type: "value", min: 0, max: 100 },
      series: [{
        name: gettext("得分"), type: "line", data: h.scores, label: { show: true },
        markLine: { symbol: "none", silent: true, label: { formatter: "{b}" },
          data: h.bands.map(function (b) { return { name: b[1], yAxis: b[0] }; }) }
      }]
    }, gettext("年度"));
  }

  var ranking = document.getElementById("ranking-data");
  if (ranking) {
    var r = JSON.parse(ranking.textContent);
    draw("ranking-chart", {
      grid: { left: 8, right: 32, top: 8, bottom: 8, containLabel: true },
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
      xAxis: { type: "value", min: 0, max: 100 },
      yAxis: { type: "category", inverse: true, data: r.names, axisLabel: { width: 160, overflow: "truncate" } },
      series: [{
        name: gettext("得分"), type: "bar", label: { show: true, position: "right" },
        data: r.scores.map(function (score, i) {
          return { value: score, itemStyle: { color: COLORS[r.grades[i]] || "#3b6fb6" } };
        })
      }]
    }, gettext("企业"));
  }
})();
