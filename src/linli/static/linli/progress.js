/* 未按时报送清单: tick the whole page at once for a bulk 督办. */
(function () {
  "use strict";
  var all = document.querySelector("[data-pick-all]");
  var boxes = Array.prototype.slice.call(document.querySelectorAll('input[name="task_units"][form="bulk"]'));
  if (!all || !boxes.length) return;
  function update() {
    var n = boxes.filter(function (b) { return b.checked; }).length;
    all.checked = n === boxes.length;
    all.indeterminate = n > 0 && n < boxes.length;
  }
  all.addEventListener("change", function () {
    boxes.forEach(function (b) { b.checked = all.checked; });
  });
  boxes.forEach(function (b) { b.addEventListener("change", update); });
})();
