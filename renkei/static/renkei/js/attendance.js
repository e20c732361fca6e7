// Live preview for the attendance page: on input, the page's current values are sent to
// the server (GET, no side effect), which answers with the summary it would show after
// saving: the phrase, the recorded total, the counted sum and 内訳不明. The rule lives
// only on the server (renkei.programmes.attendance); without this script the page shows
// the saved records and works the same.
(function () {
  "use strict";
  var summary = document.getElementById("attendance-summary");
  var sources = document.querySelectorAll("form.attendance-preview-source");
  if (!summary || !sources.length) { return; }
  var url = summary.dataset.previewUrl;
  var timer = null, latest = 0;

  function query() {
    var params = new URLSearchParams();
    sources.forEach(function (form) {
      new FormData(form).forEach(function (value, name) {
        if (name !== "csrfmiddlewaretoken" && name !== "part" && !/reason$/.test(name)) {
          params.append(name, value);
        }
      });
    });
    return params.toString();
  }

  function refresh() {
    var asked = ++latest;
    fetch(url + "?" + query(), {credentials: "same-origin", headers: {"Accept": "text/html"}})
      .then(function (response) { return response.text(); })
      .then(function (html) { if (asked === latest) { summary.innerHTML = html; } })
      .catch(function () { /* the saved summary stays; saving still works */ });
  }

  sources.forEach(function (form) {
    form.addEventListener("input", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(refresh, 250);
    });
  });
})();
