/* Every ECharts chart goes through linliChart(id, option, opts): the house style (font, no animation, tooltips drawn
   on the canvas), one resize listener, and what a screen reader or a reader who cannot read a chart gets — the box
   is role="img" with a label that says what it shows and how many rows, and right under it a "查看数据表" toggle
   (<details>) with the numbers the chart draws, read from the chart's own option so the two never differ.
   opts: height (px), label (else the box's aria-label), unit (a string, or one per series), format(value, series)
   for values the chart draws in its own way (the pyramid's negative men), table: false for none. Load it after
   echarts.min.js and before the page's script. */
(function () {
  "use strict";
  var font = '"Noto Sans CJK SC", "PingFang SC", "Microsoft YaHei", sans-serif';
  var charts = [];

  function el(tag, text, cls) {
    var e = document.createElement(tag);
    if (text !== undefined && text !== null) e.textContent = text;
    if (cls) e.className = cls;
    return e;
  }

  function plain(v) { return v !== null && typeof v === "object" && !Array.isArray(v) ? v.value : v; }

  function list(v) { return v === undefined || v === null ? [] : Array.isArray(v) ? v : [v]; }

  function round(v) { return typeof v === "number" && Math.round(v) !== v ? Math.round(v * 100) / 100 : v; }

  // The table the chart draws: a header row and rows of cells (texts).
  function rowsOf(option, opts) {
    var series = list(option.series).filter(function (s) { return s && s.data; });
    if (!series.length) return null;
    function text(v, s, i) {
      v = plain(v);
      if (v === null || v === undefined || v === "" || v === "-") return "—";
      if (opts.format) return String(opts.format(v, s));
      var unit = Array.isArray(opts.unit) ? opts.unit[i] : opts.unit;
      return round(v) + (unit || "");
    }
    if (series[0].type === "pie") {
      var s = series[0];
      var sum = s.data.reduce(function (t, d) { return t + (Number(plain(d)) || 0); }, 0);
      return {
        head: [gettext("项目"), s.name || gettext("数量"), gettext("占比")],
        rows: s.data.map(function (d) {
          var v = Number(plain(d)) || 0;
          return [d.name, text(d, s, 0), sum ? Math.round(v / sum * 1000) / 10 + "%" : "—"];
        })
      };
    }
    var axes = list(option.xAxis).concat(list(option.yAxis));
    var categories = axes.filter(function (a) { return a && a.type === "category" && a.data; })[0];
    if (!categories) return null;
    return {
      head: [opts.category || gettext("项目")].concat(series.map(function (s, i) {
        if (s.name) return s.name;
        return series.length > 1 ? interpolate(gettext("第%(number)s组"), { number: i + 1 }, true) : gettext("数值");
      })),
      rows: categories.data.map(function (name, r) {
        return [plain(name)].concat(series.map(function (s, i) { return text(s.data[r], s, i); }));
      })
    };
  }

  function table(box, caption, data) {
    var old = box.nextElementSibling;
    if (old && old.classList.contains("chart-data")) old.remove();
    var details = el("details", null, "chart-data");
    details.appendChild(el("summary", gettext("查看数据表")));
    var wrap = el("div", null, "table-wrap");
    var t = el("table", null, "num-table");
    t.appendChild(el("caption", caption));
    var head = el("tr");
    data.head.forEach(function (h, i) {
      var th = el("th", h, i ? "num" : null);
      th.scope = "col";
      head.appendChild(th);
    });
    t.appendChild(el("thead")).appendChild(head);
    var body = t.appendChild(el("tbody"));
    data.rows.forEach(function (cells) {
      var tr = body.appendChild(el("tr"));
      cells.forEach(function (c, i) {
        var cell = el(i ? "td" : "th", c, i ? "num" : null);
        if (!i) cell.scope = "row";
        tr.appendChild(cell);
      });
    });
    wrap.appendChild(t);
    details.appendChild(wrap);
    box.insertAdjacentElement("afterend", details);
  }

  window.linliChart = function (id, option, opts) {
    opts = opts || {};
    var box = typeof id === "string" ? document.getElementById(id) : id;
    if (!box || typeof echarts === "undefined") return null;
    if (opts.height) box.style.height = opts.height + "px";
    option.textStyle = { fontFamily: font };
    option.animation = false;
    // Tooltips drawn on the canvas: ECharts' HTML tooltips carry style attributes, which the CSP refuses.
    if (option.tooltip) option.tooltip.renderMode = "richText";
    var chart = echarts.init(box, null, { renderer: "canvas" });
    chart.setOption(option);
    charts.push(chart);

    var label = opts.label || box.getAttribute("data-label") || box.getAttribute("aria-label") || gettext("图表");
    box.setAttribute("data-label", label);
    var data = opts.table === false ? null : rowsOf(option, opts);
    box.setAttribute("role", "img");
    if (data && data.rows.length) {
      box.setAttribute("aria-label", interpolate(gettext("%(label)s（图表，共%(rows)s行数据，见下方“查看数据表”）"),
                                                 { label: label, rows: data.rows.length }, true));
      table(box, label, data);
    } else {
      box.setAttribute("aria-label", label);
    }
    return chart;
  };

  window.addEventListener("resize", function () { charts.forEach(function (c) { c.resize(); }); });
})();
