/* Behaviour the pages ask for by attribute. The Content-Security-Policy allows no inline handlers (onclick=…) nor
   style attributes, so they live here:
   data-confirm="问题"  on a form or a submit button: ask before submitting;
   data-autosubmit     on a select: submit its form when the choice changes;
   data-back           on a link: go back in the browser's history (the link's href is where to go without one);
   data-depth="n"      indent n steps (sets --depth, which the stylesheet multiplies);
   data-error-summary  the summary of a form that came back with errors (templates/_form_errors.html): focused when
                       the page opens, so it is read out; its links move the focus to the field they name. A form
                       with errors and no summary has its first invalid field focused instead. */
(function () {
  "use strict";
  document.addEventListener("submit", function (event) {
    var button = event.submitter;
    var question = (button && button.getAttribute("data-confirm")) || event.target.getAttribute("data-confirm");
    if (question && !window.confirm(question)) event.preventDefault();
  });
  document.addEventListener("change", function (event) {
    var select = event.target;
    if (select.matches("select[data-autosubmit]") && select.form) select.form.submit();
  });
  document.addEventListener("click", function (event) {
    var link = event.target.closest("a[data-back]");
    if (link && window.history.length > 1) {
      event.preventDefault();
      window.history.back();
    }
  });
  Array.prototype.forEach.call(document.querySelectorAll("[data-depth]"), function (el) {
    el.style.setProperty("--depth", el.getAttribute("data-depth"));
  });

  function shown(el) { return !!(el && el.getClientRects().length); }
  document.addEventListener("click", function (event) {
    var link = event.target.closest("[data-error-summary] a[href^='#']");
    var field = link && document.getElementById(link.getAttribute("href").slice(1));
    if (!field) return;
    event.preventDefault();
    var folded = field.closest("details:not([open])");
    if (folded) folded.open = true;
    field.scrollIntoView({ block: "center" });
    field.focus();
  });
  var summary = Array.prototype.find.call(document.querySelectorAll("[data-error-summary]"), shown);
  var invalid = Array.prototype.find.call(document.querySelectorAll("form [aria-invalid='true']"), shown);
  if (!document.activeElement || document.activeElement === document.body) {
    if (summary) summary.focus();
    else if (invalid) invalid.focus();
  }
})();
