/* 超期督办: "select the whole page" and a running count of the ticked cases for the bulk 督办 form. */
(function () {
  "use strict";
  var all = document.querySelector("[data-pick-all]");
  var counter = document.querySelector("[data-selected-count]");
  var boxes = Array.prototype.slice.call(document.querySelectorAll('input[name="cases"][form="bulk"]'));
  if (!boxes.length) return;

  function update() {
    var n = boxes.filter(function (b) { return b.checked; }).length;
    if (counter) counter.textContent = n ? interpolate(gettext("已勾选 %(count)s 件"), { count: n }, true) : gettext("未勾选");
    if (all) {
      all.checked = n === boxes.length;
      all.indeterminate = n > 0 && n < boxes.length;
    }
  }
  if (all) {
    all.addEventListener("change", function () {
      boxes.forEach(function (b) { b.checked = all.checked; });
      update();
    });
  }
  boxes.forEach(function (b) { b.addEventListener("change", update); });
  update();
})();
