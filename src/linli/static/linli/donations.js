/* 捐助统计 charts from the page's JSON (json_script): per drive target, received and disbursed; receipts per month
   by fund; receipts by method. Money arrives as decimal strings and is drawn as numbers. */
(function () {
  "use strict";
  var el = document.getElementById("donations-data");
  if (!el) return;
  var data = JSON.parse(el.textContent);
  function draw(id, option, category) { window.linliChart(id, option, { category: category, unit: gettext("元") }); }
  function num(list, key) { return list.map(function (d) { return Number(d[key]); }); }

  draw("donation-drives", {
    legend: {}, tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
    grid: { left: 8, right: 24, top: 32, bottom: 8, containLabel: true },
    xAxis: { type: "value" },
    yAxis: { type: "category", data: data.drives.map(function (d) { return d.title; }),
             axisLabel: { width: 160, overflow: "truncate" } },
    series: [
      { name: gettext("目标"), type: "bar", data: num(data.drives, "target") },
      { name: gettext("收入"), type: "bar", data: num(data.drives, "received") },
      { name: gettext("支出"), type: "bar", data: num(data.drives, "disbursed") }
    ]
  }, gettext("捐助活动"));
  draw("donation-months", {
    legend: {}, tooltip: { trigger: "axis" },
    grid: { left: 8, right: 24, top: 32, bottom: 8, containLabel: true },
    xAxis: { type: "category", data: data.months.map(function (m) { return m.month; }) },
    yAxis: { type: "value" },
    series: [
      { name: gettext("资金"), type: "bar", stack: "in", data: num(data.months, "money") },
      { name: gettext("物资折价"), type: "bar", stack: "in", data: num(data.months, "goods") }
    ]
  }, gettext("月份"));
  draw("donation-methods", {
    tooltip: { trigger: "item" },
    series: [{ name: gettext("金额"), type: "pie", radius: ["35%", "65%"], label: { formatter: gettext("{b}\n{c}元") },
               data: data.methods.map(function (m) { return { name: m.name, value: Number(m.value) }; }) }]
  });
})();
