// Copy buttons: <button data-copy="element id" data-copied="message" hidden> copies the
// element's text to the clipboard. The button stays hidden without this script (or
// without a clipboard), and the text can still be selected and copied by hand.
(function () {
  "use strict";
  if (!navigator.clipboard) { return; }
  document.querySelectorAll("button[data-copy]").forEach(function (button) {
    var source = document.getElementById(button.dataset.copy);
    if (!source) { return; }
    var status = button.parentNode.querySelector(".copy-status");
    button.hidden = false;
    button.addEventListener("click", function () {
      navigator.clipboard.writeText(source.textContent.trim()).then(function () {
        if (status) { status.textContent = button.dataset.copied; }
      });
    });
  });
})();
