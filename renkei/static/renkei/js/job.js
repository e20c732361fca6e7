// A report job's page: ask its status every two seconds; when it has finished, show the
// page again (with the file or the reason). Without JavaScript the refresh link does it.
(function () {
  "use strict";
  var status = document.getElementById("job-status");
  if (!status) { return; }
  var url = status.dataset.statusUrl;
  function poll() {
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (state) {
        if (state && state.finished) { window.location.reload(); return; }
        if (state) { status.textContent = state.label; }
        window.setTimeout(poll, 2000);
      })
      .catch(function () { window.setTimeout(poll, 5000); });
  }
  window.setTimeout(poll, 1000);
})();
