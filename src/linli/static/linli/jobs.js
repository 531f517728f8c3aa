/* 导入导出任务: while a job is queued or running, read its progress from the API every two seconds and show it;
   once it has ended, reload the page, which then shows the result. */
(function () {
  "use strict";
  var box = document.querySelector("[data-job-status]");
  if (!box) return;
  var bar = box.querySelector("progress");
  var text = box.querySelector("[data-job-progress]");

  function show(job) {
    bar.max = job.progress_total || 1;
    bar.value = job.progress;
    bar.textContent = job.percent + "%";
    text.textContent = job.progress_text;
  }

  function poll() {
    fetch(box.getAttribute("data-job-status"), { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        if (!response.ok) throw new Error(response.status);
        return response.json();
      })
      .then(function (job) {
        if (!job.active) {
          window.location.reload();
          return;
        }
        show(job);
        window.setTimeout(poll, 2000);
      })
      .catch(function () {
        window.setTimeout(poll, 5000); // busy or offline for a moment: try again later
      });
  }

  window.setTimeout(poll, 1000);
})();
