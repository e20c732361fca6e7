// The activity form without a page load per row: 「日を追加」 adds a day from the page's
// <template> (the formset's empty form), 「会場を追加」 adds a venue row to that day, and
// choosing photos adds each photo's text fields. Without this script the same buttons
// submit the form, and the server shows it again with one more day or venue row; chosen
// photos come back as kept rows asking for their text.
(function () {
  "use strict";
  var form = document.querySelector("form.activity-form");
  if (!form) { return; }

  var total = form.querySelector("input[name='days-TOTAL_FORMS']");
  var dayTemplate = document.getElementById("day-template");
  var days = document.getElementById("days");
  var slots = form.querySelector("input[name='venue_slots']");

  function addDay() {
    var index = parseInt(total.value, 10);
    var html = dayTemplate.innerHTML
      .replace(/__prefix__/g, String(index))
      .replace(/__n__/g, String(index + 1));
    days.insertAdjacentHTML("beforeend", html);
    total.value = String(index + 1);
    var first = days.lastElementChild.querySelector("input[type='text']");
    if (first) { first.focus(); }
  }

  var VENUE = /(venue_(?:name|municipality|address)_)\d+/g;

  function addVenue(day) {
    var body = day.querySelector(".venue-table tbody");
    var row = body.lastElementChild.cloneNode(true);
    var n = body.children.length + 1;
    row.querySelectorAll("[name], [id], [for], [aria-describedby]").forEach(function (el) {
      ["name", "id", "for", "aria-describedby"].forEach(function (attr) {
        var value = el.getAttribute(attr);
        if (value) { el.setAttribute(attr, value.replace(VENUE, "$1" + n)); }
      });
    });
    row.querySelectorAll("label").forEach(function (label) {
      label.textContent = label.textContent.replace(/\d+/, String(n));
    });
    row.querySelector("th").textContent = String(n);
    row.querySelectorAll(".field-errors").forEach(function (el) { el.remove(); });
    row.querySelectorAll(".field--error").forEach(function (el) { el.classList.remove("field--error"); });
    row.querySelectorAll("[aria-invalid]").forEach(function (el) { el.removeAttribute("aria-invalid"); });
    row.querySelectorAll("input").forEach(function (el) { el.value = ""; });
    row.querySelectorAll("select").forEach(function (el) { el.selectedIndex = 0; });
    body.appendChild(row);
    if (slots && parseInt(slots.value, 10) < n) { slots.value = String(n); }
    row.querySelector("input").focus();
  }

  form.addEventListener("click", function (event) {
    var button = event.target.closest("button");
    if (!button) { return; }
    if (button.name === "add_day" && total && dayTemplate && days) {
      event.preventDefault();
      addDay();
    } else if (button.name === "add_venue" && button.closest(".day")) {
      event.preventDefault();
      addVenue(button.closest(".day"));
    }
  });

  var files = form.querySelector("input[type='file'][name='photos-files']");
  var photoTemplate = document.getElementById("photo-row-template");
  var newRows = document.getElementById("new-photo-rows");
  var kept = document.getElementById("photo-rows");
  if (files && photoTemplate && newRows && kept) {
    files.addEventListener("change", function () {
      newRows.textContent = "";
      var start = parseInt(kept.dataset.kept || "0", 10);
      Array.prototype.forEach.call(files.files, function (file, k) {
        var i = start + k;
        var html = photoTemplate.innerHTML
          .replace(/__i__/g, String(i))
          .replace(/__n__/g, String(i + 1));
        newRows.insertAdjacentHTML("beforeend", html);
        newRows.lastElementChild.querySelectorAll(".photo-name").forEach(function (el) {
          el.textContent = file.name;  // text, never markup
        });
      });
    });
  }
})();
