/* Signing in that does not end in silence (docs/accessibility.md).

   On a signed-in page (#session-expiry, templates/_session_expiry.html): shortly before the idle sign-in ends a dialog
   says so, with "继续使用" to push the end back (a click on it is the only thing here that talks to the server: no
   polling extends the sign-in), "关闭" or Esc to carry on reading; when the end comes the dialog says so and offers to
   sign in again. Tabs share the latest end they know of through localStorage, so working in one tab does not raise
   the warning in another.

   A form posted after the sign-in has ended lands on the sign-in page: what was typed into it (never passwords,
   files or hidden fields) waits in this tab's sessionStorage, is put back into the same form once signed in again as
   the same user, and is then removed. Anything else the next page does clears it. */
(function () {
  "use strict";
  var KEPT = "linli.form-after-expiry";
  var ENDS = "linli.session-ends";
  var MAX_AGE = 2 * 3600 * 1000; // a form kept longer than this is dropped, not restored
  var dialog = document.getElementById("session-expiry");
  var signInForm = document.querySelector("form[data-sign-in]");

  function storage(kind) {
    try { return window[kind]; } catch (e) { return null; } // blocked by the browser's privacy settings
  }
  var tab = storage("sessionStorage");
  var shared = storage("localStorage");

  function here() { return window.location.pathname + window.location.search; }

  function typed(form) {
    var values = [];
    Array.prototype.forEach.call(form.elements, function (el) {
      var type = (el.type || "").toLowerCase();
      if (!el.name || el.disabled || ["password", "file", "hidden", "submit", "button", "reset", "image"].indexOf(type) >= 0) return;
      if ((type === "checkbox" || type === "radio") && !el.checked) return;
      if (el.tagName === "SELECT" && el.multiple) {
        Array.prototype.forEach.call(el.selectedOptions, function (o) { values.push([el.name, o.value]); });
      } else if (el.tagName !== "BUTTON" && el.tagName !== "FIELDSET" && el.tagName !== "OUTPUT") {
        values.push([el.name, el.value]);
      }
    });
    return values;
  }

  function keep(form, state) {
    var values = typed(form);
    if (!tab || !values.some(function (pair) { return pair[1]; })) return; // nothing typed (退出, a button's form)
    var action = new URL(form.getAttribute("action") || "", window.location.href);
    tab.setItem(KEPT, JSON.stringify({
      page: here(), action: action.pathname, user: dialog.getAttribute("data-user"),
      at: Date.now(), state: state, values: values
    }));
  }

  function put(form, values) {
    var byName = {};
    values.forEach(function (pair) { (byName[pair[0]] = byName[pair[0]] || []).push(pair[1]); });
    Array.prototype.forEach.call(form.elements, function (el) {
      var type = (el.type || "").toLowerCase();
      if (!el.name || !(el.name in byName) || ["password", "file", "hidden", "submit", "button"].indexOf(type) >= 0) return;
      var wanted = byName[el.name];
      if (type === "checkbox" || type === "radio") el.checked = wanted.indexOf(el.value) >= 0;
      else if (el.tagName === "SELECT" && el.multiple) {
        Array.prototype.forEach.call(el.options, function (o) { o.selected = wanted.indexOf(o.value) >= 0; });
      } else if (el.tagName === "SELECT" || el.tagName === "TEXTAREA" || el.tagName === "INPUT") {
        el.value = wanted.shift();
      } else return;
      el.dispatchEvent(new Event("input", { bubbles: true }));
      el.dispatchEvent(new Event("change", { bubbles: true }));
    });
  }

  function restore(entry) {
    if (!dialog || dialog.getAttribute("data-user") !== entry.user) return; // another user: give nothing back
    var form = Array.prototype.find.call(document.querySelectorAll("form[method=post], form[method=POST]"), function (f) {
      return new URL(f.getAttribute("action") || "", window.location.href).pathname === entry.action;
    });
    if (!form) return;
    put(form, entry.values);
    var note = document.createElement("p");
    note.className = "alert alert-warning";
    note.setAttribute("role", "status");
    note.tabIndex = -1;
    note.textContent = dialog.getAttribute("data-restored");
    form.parentNode.insertBefore(note, form);
    note.focus();
  }

  // ---- what the page before this one kept
  var entry = null;
  try { entry = tab && JSON.parse(tab.getItem(KEPT) || "null"); } catch (e) { entry = null; }
  if (entry && Date.now() - entry.at > MAX_AGE) entry = null;
  if (entry && signInForm) {
    // The post landed here: the sign-in ended first. Wait, and have the sign-in return to the form's page.
    entry.state = "waiting";
    tab.setItem(KEPT, JSON.stringify(entry));
    var next = signInForm.querySelector("input[name=next]");
    if (next) next.value = entry.page;
  } else {
    if (tab) tab.removeItem(KEPT);
    if (entry && entry.state === "waiting") restore(entry);
  }

  if (!dialog || typeof dialog.showModal !== "function") return;

  // ---- a signed-in page: keep what a post sends, in case it arrives after the end
  window.addEventListener("submit", function (event) {
    var form = event.target;
    if (event.defaultPrevented || (form.getAttribute("method") || "get").toLowerCase() !== "post") return;
    if (form.closest("#session-expiry") || form.hasAttribute("data-text-size") || form.hasAttribute("data-no-keep")) return;
    keep(form, "sent");
  });

  // ---- the warning
  var warnMs = Number(dialog.getAttribute("data-warn-seconds")) * 1000;
  var ends = Date.now() + Number(dialog.getAttribute("data-seconds-left")) * 1000;
  var timer = null;
  var before = null;
  var over = false; // the server said the sign-in has ended

  function latest() {
    var other = shared ? Number(shared.getItem(ENDS)) || 0 : 0;
    return Math.max(ends, other);
  }
  function publish(end) {
    ends = end;
    if (shared && end > (Number(shared.getItem(ENDS)) || 0)) shared.setItem(ENDS, String(end));
  }
  function phase(name) {
    Array.prototype.forEach.call(dialog.querySelectorAll("[data-phase]"), function (el) {
      el.hidden = el.getAttribute("data-phase") !== name;
    });
  }
  function open(focus) {
    if (!dialog.open) {
      before = document.activeElement;
      dialog.showModal();
    }
    dialog.querySelector(focus).focus();
  }
  function close() {
    if (dialog.open) dialog.close();
  }
  dialog.addEventListener("close", function () {
    if (before && document.contains(before)) before.focus();
    before = null;
  });

  function schedule() {
    window.clearTimeout(timer);
    var now = Date.now();
    var end = latest();
    if (over || now >= end) {
      phase("ended");
      open("[data-sign-in-again]");
      return;
    }
    if (now >= end - warnMs) {
      if (!dialog.open && !dialog.hasAttribute("data-dismissed")) {
        phase("warn");
        open("button[type=submit]");
      }
      timer = window.setTimeout(schedule, end - now);
    } else {
      dialog.removeAttribute("data-dismissed");
      close();
      timer = window.setTimeout(schedule, end - warnMs - now);
    }
  }

  dialog.querySelector("form").addEventListener("submit", function (event) {
    event.preventDefault();
    var form = event.target;
    window.fetch(form.action, { method: "POST", body: new FormData(form), credentials: "same-origin",
      headers: { "X-Requested-With": "fetch" } })
      .then(function (response) {
        if (response.status === 401) { over = true; schedule(); return null; }
        return response.ok ? response.json() : null;
      })
      .then(function (data) {
        if (!data) return;
        publish(Date.now() + data.seconds_left * 1000);
        close();
        schedule();
      })
      .catch(function () { /* offline for a moment: the dialog stays, the button can be pressed again */ });
  });
  dialog.querySelector("[data-close]").addEventListener("click", function () {
    dialog.setAttribute("data-dismissed", "");
    close();
  });
  dialog.addEventListener("cancel", function () { // Esc
    dialog.setAttribute("data-dismissed", "");
  });
  dialog.querySelector("[data-sign-in-again]").addEventListener("click", function (event) {
    var form = Array.prototype.find.call(document.querySelectorAll("form[method=post], form[method=POST]"), function (f) {
      return !f.closest("#session-expiry") && !f.hasAttribute("data-text-size") && typed(f).some(function (p) { return p[1]; });
    });
    if (form) keep(form, "sent");
    event.currentTarget.href = event.currentTarget.getAttribute("href").split("?")[0] + "?next=" + encodeURIComponent(here());
  });
  window.addEventListener("storage", function (event) {
    if (event.key === ENDS) schedule();
  });
  publish(ends);
  schedule();
})();
