// Import page: while a file is checked or imported, the progress bar follows the status
// endpoint; when the work ends the page reloads to show the result.
(function () {
  "use strict";
  const section = document.querySelector("[data-import-status]");
  if (!section) {
    return;
  }
  const bar = section.querySelector("progress");
  const text = section.querySelector("[data-import-progress-text]");
  const url = section.dataset.importStatus;

  function poll() {
    fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then((response) => (response.ok ? response.json() : Promise.reject(response.status)))
      .then((status) => {
        if (!status.is_running) {
          window.location.reload();
          return;
        }
        if (status.percent !== null) {
          bar.value = status.percent;
        }
        text.textContent = `${status.status_label}: ${status.done}${status.total ? " / " + status.total : ""}`;
        window.setTimeout(poll, 1000);
      })
      .catch(() => window.setTimeout(poll, 5000));
  }
  window.setTimeout(poll, 500);
})();
