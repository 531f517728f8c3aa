/* Duplicate hints (疑似重复件) on the intake and report forms: when the category or the place changes, the box
   [data-similar-url] asks the server for open cases of that category nearby and shows what it answers (an HTML
   fragment the server escaped). data-similar-fields names the form fields sent, in the order of the query. */
(function () {
  "use strict";

  var box = document.querySelector("[data-similar-url]");
  if (!box) return;
  var form = box.closest("form");
  if (!form) return;
  var names = box.getAttribute("data-similar-fields").split(" ");
  var timer = null, asked = null;

  function query() {
    var data = new FormData(form), params = new URLSearchParams();
    names.forEach(function (name) {
      var value = data.get(name);
      if (typeof value === "string" && value) params.set(name, value);
    });
    return params.toString();
  }

  function ask() {
    var q = query();
    if (q === asked || (!q && asked === null)) return;
    asked = q;
    fetch(box.getAttribute("data-similar-url") + "?" + q, { credentials: "same-origin" })
      .then(function (r) { return r.ok ? r.text() : ""; })
      .then(function (html) { if (q === asked) box.innerHTML = html; })
      .catch(function () { /* a hint, not a step: the form works without it */ });
  }

  function later() {
    clearTimeout(timer);
    timer = setTimeout(ask, 400);
  }

  form.addEventListener("change", later);
  // The map writes the point into hidden inputs, which fire no events: their setters announce the change.
  var value = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, "value");
  names.forEach(function (name) {
    var input = form.querySelector("input[type=hidden][name='" + name + "']");
    if (!input) return;
    Object.defineProperty(input, "value", {
      configurable: true,
      get: function () { return value.get.call(this); },
      set: function (v) { value.set.call(this, v); later(); }
    });
  });
  ask();
})();
