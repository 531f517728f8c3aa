/* Behaviour the pages ask for by attribute. The Content-Security-Policy allows no inline handlers (onclick=…) nor
   style attributes, so they live here:
   data-confirm="问题"  on a form or a submit button: ask before submitting;
   data-autosubmit     on a select: submit its form when the choice changes;
   data-back           on a link: go back in the browser's history (the link's href is where to go without one);
   data-depth="n"      indent n steps (sets --depth, which the stylesheet multiplies). */
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
})();
