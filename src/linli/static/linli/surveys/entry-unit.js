/* 入户登记, one household: its forms rendered on the phone from their definitions (the json_script "entry-data"),
   with the same skip rules and checks as linli.surveys.forms.rules (the server checks again and has the last word),
   then a read-back screen (当面宣读核对), then into the queue of entry-queue.js, which sends it when it can.
   What is typed is kept as a draft on the phone until the form is submitted. */
(function () {
  "use strict";
  var source = document.getElementById("entry-data");
  var root = document.getElementById("entry-form");
  var queue = window.linliEntryQueue;
  if (!source || !root || !queue) return;
  var data = JSON.parse(source.textContent);
  if (!data.forms.length) {
    root.textContent = gettext("本调查尚未设置调查表，请联系街道普查办公室。");
    return;
  }
  var unitId = data.unit.id;
  var DEATHS = "H3";
  var RADIO_MAX = 6; // more options than this: a drop-down list
  var submitted = {}; // role -> answers submitted from this page

  // ---------------------------------------------------------------- small helpers

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (name) {
      var value = attrs[name];
      if (value === null || value === undefined || value === false) return;
      if (name === "text") node.textContent = value;
      else if (name === "className") node.className = value;
      else node.setAttribute(name, value === true ? "" : value);
    });
    (children || []).forEach(function (child) { if (child) node.appendChild(child); });
    return node;
  }

  function empty(value) {
    return value === undefined || value === null || value === "" ||
      (Array.isArray(value) && value.length === 0);
  }

  function labelOf(q) { return q.label || q.key; }

  function optionLabel(q, value) {
    var labels = {};
    (q.options || []).forEach(function (o) { labels[o.value] = o.label; });
    if (Array.isArray(value)) return value.map(function (v) { return labels[v] || v; }).join("、");
    return labels[value] !== undefined ? labels[value] : String(value);
  }

  function deaths(answers) {
    var n = answers && answers[DEATHS];
    return typeof n === "number" && Math.floor(n) === n ? n : 0;
  }

  function queued(role) {
    return queue.load().filter(function (item) { return item.unit === unitId && item.role === role; })[0];
  }

  function draftKey(role) { return "linli.entry.draft." + unitId + "." + role; }

  // ---------------------------------------------------------------- which form is next

  function formOf(role) { return data.forms.filter(function (f) { return f.role === role; })[0]; }

  function mainAnswers() {
    var main = data.forms[0];
    if (submitted[main.role]) return submitted[main.role];
    var item = queued(main.role);
    return item && item.status === "pending" ? item.answers : null;
  }

  function needed() {
    var roles = [data.forms[0].role];
    var answers = mainAnswers();
    if (formOf("death") && (data.needed.indexOf("death") >= 0 || deaths(answers) > 0)) roles.push("death");
    return roles;
  }

  function next() {
    return needed().map(formOf).filter(function (f) {
      var item = queued(f.role);
      return !f.received && !submitted[f.role] && !(item && item.status === "pending");
    })[0];
  }

  // ---------------------------------------------------------------- skip rules (as forms.rules.visible)

  function Form(f) {
    this.f = f;
    this.d = f.definition;
    this.top = {};
    this.sectionOf = {};
    this.tableOf = {};
    var self = this;
    (this.d.sections || []).forEach(function (s) {
      (s.questions || []).forEach(function (q) {
        self.top[q.key] = q;
        self.sectionOf[q.key] = s;
        (q.columns || []).forEach(function (c) { self.tableOf[c.key] = q; });
      });
    });
  }

  Form.prototype.questions = function () {
    var all = [];
    (this.d.sections || []).forEach(function (s) { (s.questions || []).forEach(function (q) { all.push(q); }); });
    return all;
  };

  function ruleHolds(rule, value) {
    if (Array.isArray(value)) return value.some(function (v) { return rule["in"].indexOf(v) >= 0; });
    return typeof value === "string" && rule["in"].indexOf(value) >= 0;
  }

  function columnsOf(table) {
    var columns = {};
    (table.columns || []).forEach(function (c) { columns[c.key] = c; });
    return columns;
  }

  Form.prototype.holds = function (answers, rule, row, columns) {
    if (!rule) return true;
    var key = rule.question;
    if (row && columns && columns[key]) {
      return this.holds(answers, columns[key].show_if, row, columns) && ruleHolds(rule, row[key]);
    }
    return this.visible(answers, key) && ruleHolds(rule, answers[key]);
  };

  Form.prototype.visible = function (answers, key, row) {
    var table = this.tableOf[key];
    var q = table || this.top[key];
    if (!q) return false;
    if (!this.holds(answers, this.sectionOf[q.key].show_if)) return false;
    if (!this.holds(answers, q.show_if)) return false;
    if (!table) return true;
    var rows = answers[table.key];
    var cells = Array.isArray(rows) && row > 0 && row <= rows.length ? rows[row - 1] : {};
    var columns = columnsOf(table);
    return this.holds(answers, columns[key].show_if, cells || {}, columns);
  };

  // ---------------------------------------------------------------- widgets

  function widget(q, path) {
    var name = "q-" + path;
    var box = el("div", { className: "entry-input" });
    if (q.type === "choice" && (q.options || []).length > RADIO_MAX) {
      var select = el("select", { name: name, "aria-label": labelOf(q) }, [el("option", { value: "", text: gettext("请选择") })]);
      q.options.forEach(function (o) { select.appendChild(el("option", { value: o.value, text: o.label })); });
      box.appendChild(select);
    } else if (q.type === "choice" || q.type === "multi") {
      box.className += " entry-options";
      q.options.forEach(function (o) {
        var type = q.type === "choice" ? "radio" : "checkbox";
        box.appendChild(el("label", { className: "entry-option" },
          [el("input", { type: type, name: name, value: o.value }), el("span", { text: o.label })]));
      });
    } else if (q.type === "number") {
      var decimals = q.decimals || 0;
      box.appendChild(el("input", { type: "number", name: name, inputmode: decimals ? "decimal" : "numeric",
        step: decimals ? String(Math.pow(10, -decimals)) : "1", min: q.min, max: q.max, "aria-label": labelOf(q) }));
      if (q.unit) box.appendChild(el("span", { className: "entry-unit", text: q.unit }));
    } else if (q.type === "date") {
      box.appendChild(el("input", { type: "date", name: name, min: q.min, max: q.max, "aria-label": labelOf(q) }));
    } else {
      var tag = q.multiline ? "textarea" : "input";
      box.appendChild(el(tag, { name: name, maxlength: q.max_length || 200, "aria-label": labelOf(q) }));
    }
    return box;
  }

  function read(q, box) {
    if (q.type === "choice" || q.type === "multi") {
      var select = box.querySelector("select");
      if (select) return select.value;
      var checked = Array.prototype.filter.call(box.querySelectorAll("input"), function (i) { return i.checked; })
        .map(function (i) { return i.value; });
      return q.type === "multi" ? checked : (checked[0] || "");
    }
    var input = box.querySelector("input, textarea");
    if (q.type === "number") {
      if (input.validity && input.validity.badInput) return NaN;
      return input.value === "" ? "" : Number(input.value);
    }
    return q.type === "text" ? input.value.trim() : input.value;
  }

  function write(q, box, value) {
    if (empty(value)) return;
    var select = box.querySelector("select");
    if (select) { select.value = value; return; }
    if (q.type === "choice" || q.type === "multi") {
      var values = Array.isArray(value) ? value : [value];
      Array.prototype.forEach.call(box.querySelectorAll("input"), function (i) { i.checked = values.indexOf(i.value) >= 0; });
      return;
    }
    box.querySelector("input, textarea").value = value;
  }

  function question(q, path, rowLabel) {
    var wrap = el("div", { className: "entry-q", "data-path": path, "data-key": q.key });
    var title = (rowLabel ? "" : q.key + " ") + labelOf(q) + (q.required ? " *" : "");
    wrap.appendChild(el("div", { className: "entry-q-label", text: title }));
    if (q.help) wrap.appendChild(el("div", { className: "entry-q-help muted", text: q.help }));
    wrap.appendChild(widget(q, path));
    wrap.appendChild(el("div", { className: "entry-err", role: "alert" }));
    return wrap;
  }

  // ---------------------------------------------------------------- the form

  Form.prototype.render = function () {
    var self = this;
    var form = el("form", { className: "entry-fill", novalidate: true },
      [el("h2", { text: this.f.label }), el("div", { className: "entry-summary", role: "alert", hidden: true })]);
    (this.d.sections || []).forEach(function (s) {
      var fieldset = el("fieldset", { className: "entry-section", "data-section": s.key },
        [el("legend", { text: s.title })]);
      (s.questions || []).forEach(function (q) {
        if (q.type !== "table") { fieldset.appendChild(question(q, q.key)); return; }
        var table = el("div", { className: "entry-q entry-table", "data-path": q.key, "data-key": q.key },
          [el("div", { className: "entry-q-label", text: q.key + " " + labelOf(q) }),
           el("div", { className: "entry-rows" }),
           el("button", { type: "button", className: "btn entry-add-row", "data-table": q.key, text: gettext("＋ 添加一行") }),
           el("div", { className: "entry-err", role: "alert" })]);
        fieldset.appendChild(table);
      });
      form.appendChild(fieldset);
    });
    form.appendChild(el("div", { className: "entry-actions" },
      [el("button", { type: "submit", className: "btn btn-primary", text: gettext("下一步：宣读核对") })]));
    this.form = form;
    this.questions().forEach(function (q) {
      if (q.type === "table") for (var i = 0; i < Math.max(q.min_rows || 0, 1); i++) self.addRow(q);
    });
    form.addEventListener("input", function () { self.refresh(); self.keepDraft(); });
    form.addEventListener("change", function () { self.refresh(); self.keepDraft(); });
    form.addEventListener("click", function (event) {
      var add = event.target.closest(".entry-add-row");
      var drop = event.target.closest(".entry-drop-row");
      if (add) self.addRow(self.top[add.getAttribute("data-table")]);
      if (drop) self.dropRow(self.top[drop.getAttribute("data-table")], Number(drop.getAttribute("data-row")));
      if (add || drop) { self.refresh(); self.keepDraft(); }
    });
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var answers = self.answers();
      var errors = self.check(answers);
      if (errors.length) self.showErrors(errors);
      else readBack(self, answers);
    });
    return form;
  };

  Form.prototype.rowsBox = function (table) {
    return this.form.querySelector('.entry-table[data-key="' + table.key + '"] .entry-rows');
  };

  Form.prototype.addRow = function (table) {
    var rows = this.rowsBox(table);
    var n = rows.children.length + 1;
    if (n > (table.max_rows === undefined ? 999 : table.max_rows)) return;
    var row = el("fieldset", { className: "entry-row", "data-row": n }, [el("legend", { text: interpolate(gettext("第%(row)s行"), { row: n }, true) })]);
    table.columns.forEach(function (c) { row.appendChild(question(c, table.key + "." + n + "." + c.key, true)); });
    row.appendChild(el("button", { type: "button", className: "btn btn-small entry-drop-row", "data-table": table.key,
                                   "data-row": n, text: interpolate(gettext("删除第%(row)s行"), { row: n }, true) }));
    rows.appendChild(row);
  };

  Form.prototype.dropRow = function (table, n) {
    var values = this.raw()[table.key];
    values.splice(n - 1, 1);
    this.rowsBox(table).textContent = "";
    for (var i = 0; i < values.length; i++) this.addRow(table);
    this.fillTable(table, values);
  };

  Form.prototype.fillTable = function (table, rows) {
    var self = this;
    (rows || []).forEach(function (row, i) {
      table.columns.forEach(function (c) {
        var box = self.form.querySelector('[data-path="' + table.key + "." + (i + 1) + "." + c.key + '"] .entry-input');
        if (box) write(c, box, row[c.key]);
      });
    });
  };

  Form.prototype.fill = function (answers) {
    var self = this;
    this.questions().forEach(function (q) {
      var value = answers[q.key];
      if (q.type !== "table") {
        var box = self.form.querySelector('[data-path="' + q.key + '"] .entry-input');
        write(q, box, value);
        return;
      }
      var rows = Array.isArray(value) ? value : [];
      var have = self.rowsBox(q).children.length;
      for (var i = have; i < rows.length; i++) self.addRow(q);
      self.fillTable(q, rows);
    });
    this.refresh();
  };

  // Everything typed, shown or not: what the skip rules read.
  Form.prototype.raw = function () {
    var self = this;
    var answers = {};
    this.questions().forEach(function (q) {
      var box = self.form.querySelector('[data-path="' + q.key + '"]');
      if (q.type !== "table") { answers[q.key] = read(q, box.querySelector(".entry-input")); return; }
      answers[q.key] = Array.prototype.map.call(self.rowsBox(q).children, function (row) {
        var cells = {};
        q.columns.forEach(function (c) {
          cells[c.key] = read(c, row.querySelector('[data-key="' + c.key + '"] .entry-input'));
        });
        return cells;
      });
    });
    return answers;
  };

  // What is submitted: the shown questions' answers, hidden and empty ones left out (as the server asks).
  Form.prototype.answers = function () {
    var self = this;
    var raw = this.raw();
    var answers = {};
    this.questions().forEach(function (q) {
      if (!self.visible(raw, q.key) || empty(raw[q.key])) return;
      if (q.type !== "table") { answers[q.key] = raw[q.key]; return; }
      answers[q.key] = raw[q.key].map(function (cells, i) {
        var row = {};
        q.columns.forEach(function (c) {
          if (self.visible(raw, c.key, i + 1) && !empty(cells[c.key])) row[c.key] = cells[c.key];
        });
        return row;
      });
    });
    return answers;
  };

  Form.prototype.refresh = function () {
    var self = this;
    var raw = this.raw();
    (this.d.sections || []).forEach(function (s) {
      self.form.querySelector('[data-section="' + s.key + '"]').hidden = !self.holds(raw, s.show_if);
    });
    this.questions().forEach(function (q) {
      self.form.querySelector('[data-path="' + q.key + '"]').hidden = !self.visible(raw, q.key);
      if (q.type !== "table") return;
      Array.prototype.forEach.call(self.rowsBox(q).children, function (row, i) {
        q.columns.forEach(function (c) {
          row.querySelector('[data-key="' + c.key + '"]').hidden = !self.visible(raw, c.key, i + 1);
        });
      });
    });
  };

  Form.prototype.keepDraft = function () {
    window.localStorage.setItem(draftKey(this.f.role), JSON.stringify(this.raw()));
  };

  // ---------------------------------------------------------------- checks (as forms.rules.answer_errors)

  function valueError(q, value) {
    if (q.type === "text") {
      var limit = q.max_length || 200;
      return value.length > limit ? interpolate(gettext("不能超过%(limit)s个字"), { limit: limit }, true) : null;
    }
    if (q.type === "number") {
      if (typeof value !== "number" || isNaN(value)) return gettext("请填写数字");
      var decimals = q.decimals || 0;
      var places = (String(value).split(".")[1] || "").length;
      if (places > decimals) {
        return decimals ? interpolate(gettext("最多保留%(decimals)s位小数"), { decimals: decimals }, true) : gettext("应为整数");
      }
      var unit = q.unit || "";
      var low = q.min, high = q.max;
      if (low !== undefined && high !== undefined && (value < low || value > high)) {
        return interpolate(gettext("应在%(low)s至%(high)s%(unit)s之间"), { low: low, high: high, unit: unit }, true);
      }
      if (low !== undefined && value < low) return interpolate(gettext("不能小于%(low)s%(unit)s"), { low: low, unit: unit }, true);
      if (high !== undefined && value > high) return interpolate(gettext("不能大于%(high)s%(unit)s"), { high: high, unit: unit }, true);
      return null;
    }
    if (q.type === "date") {
      if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return gettext("请填写日期(年-月-日)");
      if (q.min && q.max && (value < q.min || value > q.max)) return interpolate(gettext("应在%(low)s至%(high)s之间"), { low: q.min, high: q.max }, true);
      if (q.min && value < q.min) return interpolate(gettext("不能早于%(date)s"), { date: q.min }, true);
      if (q.max && value > q.max) return interpolate(gettext("不能晚于%(date)s"), { date: q.max }, true);
    }
    return null;
  }

  function requiredMessage(q) { return q.type === "choice" || q.type === "multi" ? gettext("请选择") : gettext("请填写"); }

  Form.prototype.check = function (answers) {
    var self = this;
    var raw = this.raw();
    var errors = [];
    this.questions().forEach(function (q) {
      var value = answers[q.key];
      var name = labelOf(q);
      if (!self.visible(raw, q.key)) return;
      if (empty(value)) {
        if (q.required || (q.type === "table" && (q.min_rows || 0) > 0)) {
          errors.push({ field: q.key, message: name + "：" + requiredMessage(q) });
        }
        return;
      }
      if (q.type !== "table") {
        var message = valueError(q, value);
        if (message) errors.push({ field: q.key, message: name + "：" + message });
        return;
      }
      var low = q.min_rows || 0, high = q.max_rows === undefined ? 999 : q.max_rows;
      if (value.length < low || value.length > high) {
        errors.push({ field: q.key, message: low ? interpolate(gettext("%(name)s：应填写%(low)s至%(high)s行"), { name: name, low: low, high: high }, true)
                                                     : interpolate(gettext("%(name)s：最多填写%(high)s行"), { name: name, high: high }, true) });
        return;
      }
      raw[q.key].forEach(function (cells, i) {
        var n = i + 1;
        q.columns.forEach(function (c) {
          if (!self.visible(raw, c.key, n)) return;
          var path = q.key + "." + n + "." + c.key;
          var cell = cells[c.key];
          var prefix = interpolate(gettext("第%(row)s行 %(column)s："), { row: n, column: labelOf(c) }, true);
          if (c.type === "number" && typeof cell === "number" && isNaN(cell)) errors.push({ field: path, message: prefix + gettext("请填写数字") });
          else if (empty(cell)) { if (c.required) errors.push({ field: path, message: prefix + requiredMessage(c) }); }
          else {
            var m = valueError(c, cell);
            if (m) errors.push({ field: path, message: prefix + m });
          }
        });
      });
    });
    return errors;
  };

  // Messages beside their questions, and all of them on top (a phone shows one screen of a long form).
  Form.prototype.showErrors = function (errors, detail) {
    var form = this.form;
    Array.prototype.forEach.call(form.querySelectorAll(".entry-err"), function (e) { e.textContent = ""; });
    var summary = form.querySelector(".entry-summary");
    summary.textContent = "";
    summary.appendChild(el("p", { text: detail || gettext("请按提示修改后再继续：") }));
    var list = el("ul");
    errors.forEach(function (error) {
      var place = form.querySelector('[data-path="' + error.field + '"] > .entry-err');
      if (place) place.textContent = error.message;
      list.appendChild(el("li", { text: error.message }));
    });
    summary.appendChild(list);
    summary.hidden = false;
    summary.scrollIntoView({ block: "start" });
  };

  // ---------------------------------------------------------------- read back, submit

  function words(q, value) {
    if (q.type === "choice" || q.type === "multi") return optionLabel(q, value);
    if (q.type === "number") return value + (q.unit || "");
    if (q.type === "date") {
      var p = value.split("-");
      return interpolate(gettext("%(year)s年%(month)s月%(day)s日"), { year: Number(p[0]), month: Number(p[1]), day: Number(p[2]) }, true);
    }
    return String(value);
  }

  function readBack(form, answers) {
    var f = form.f;
    var list = el("dl", { className: "entry-readback" });
    form.questions().forEach(function (q) {
      if (!(q.key in answers)) return;
      list.appendChild(el("dt", { text: labelOf(q) }));
      if (q.type !== "table") { list.appendChild(el("dd", { text: words(q, answers[q.key]) })); return; }
      var dd = el("dd");
      answers[q.key].forEach(function (row, i) {
        var parts = q.columns.filter(function (c) { return c.key in row; })
          .map(function (c) { return labelOf(c) + " " + words(c, row[c.key]); });
        dd.appendChild(el("p", { text: interpolate(gettext("第%(row)s行：%(cells)s"), { row: i + 1, cells: parts.join(gettext("；")) }, true) }));
      });
      list.appendChild(dd);
    });
    var check = el("input", { type: "checkbox", id: "entry-read-back" });
    var submit = el("button", { type: "button", className: "btn btn-primary", text: gettext("提交"), disabled: f.read_back });
    check.addEventListener("change", function () { submit.disabled = f.read_back && !check.checked; });
    var back = el("button", { type: "button", className: "btn", text: gettext("返回修改") });
    back.addEventListener("click", function () { show(form); });
    submit.addEventListener("click", function () {
      submit.disabled = true;
      submitted[f.role] = answers;
      window.localStorage.removeItem(draftKey(f.role));
      queue.add({ url: data.submit, page: data.page, unit: unitId, role: f.role, label: data.unit.label,
                  form_label: f.label, answers: answers, filled_at: new Date().toISOString(), read_back: check.checked });
      show();
    });
    var screen = el("div", { className: "entry-readback-screen" }, [
      el("h2", { text: interpolate(gettext("宣读核对：%(form)s"), { form: f.label }, true) }),
      el("p", { text: f.read_back ? gettext("请向申报人逐项宣读以下内容，核对无误后勾选并提交。")
                                  : gettext("请核对以下内容，无误后提交。") }),
      list,
      f.read_back ? el("label", { className: "entry-option entry-confirm" }, [check, el("span", { text: gettext("已向申报人宣读核对") })]) : null,
      el("div", { className: "entry-actions" }, [back, submit])
    ]);
    root.textContent = "";
    root.appendChild(screen);
    screen.scrollIntoView({ block: "start" });
  }

  function done() {
    var pendingItems = queue.load().filter(function (item) { return item.unit === unitId && item.status === "pending"; });
    var lines = needed().map(function (role) {
      var f = formOf(role);
      var item = queued(role);
      var state = f.received ? gettext("已提交") : item && item.status === "pending" ? gettext("已保存在本机，待发送") : gettext("已提交");
      return el("li", { text: interpolate(gettext("%(form)s：%(state)s"), { form: f.label, state: state }, true) });
    });
    root.textContent = "";
    root.appendChild(el("div", { className: "entry-done" }, [
      el("h2", { text: pendingItems.length ? gettext("本户调查表已填好") : gettext("本户调查表已提交") }),
      el("ul", {}, lines),
      pendingItems.length ? el("p", { className: "muted", text: gettext("网络恢复后自动发送，不会重复。") }) : null
    ]));
  }

  // The next form to fill in (or `form` again, to correct it).
  function show(form) {
    var f = form ? form.f : next();
    if (!f) { done(); return; }
    if (!form) {
      form = new Form(f);
      root.textContent = "";
      root.appendChild(form.render());
      var refusedItem = queued(f.role);
      var draft = window.localStorage.getItem(draftKey(f.role));
      if (refusedItem && refusedItem.status === "refused") {
        form.fill(refusedItem.answers);
        form.showErrors(refusedItem.errors, interpolate(gettext("服务器未接受这份表：%(detail)s"), { detail: refusedItem.detail }, true));
      } else if (draft) {
        form.fill(JSON.parse(draft));
      } else {
        form.refresh();
      }
      return;
    }
    root.textContent = "";
    root.appendChild(form.form);
  }

  document.addEventListener("entry:sent", function (event) {
    var item = event.detail.item;
    if (item.unit !== unitId) return;
    var f = formOf(item.role);
    if (f) f.received = true;
    var unit = event.detail.answer.unit;
    var version = document.querySelector(".entry-states input[name=version]");
    if (unit && version) version.value = unit.version;
    if (root.querySelector(".entry-done")) done();
  });
  document.addEventListener("entry:refused", function (event) {
    var item = event.detail.item;
    if (item.unit !== unitId) return;
    delete submitted[item.role];
    show();
  });

  show();
})();
