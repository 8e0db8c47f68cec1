/* Proposals and the draft act's text (consultations/proposals/*.html): kept out of the
   markup for the Content-Security-Policy. An enhancement only; the pages work without it. */
(function () {
  "use strict";

  // The error summary takes the focus, so a screen reader reads it first and a keyboard
  // user is one Tab from the first link to a field.
  function focusSummary() {
    var summary = document.querySelector("[data-error-summary]");
    if (summary) {
      summary.focus();
    }
  }

  // Staff's answer form: the bulk "select all" box of the moderation queue.
  function bindSelectAll() {
    var all = document.querySelector("[data-select-all]");
    if (!all) {
      return;
    }
    all.addEventListener("change", function () {
      var boxes = document.querySelectorAll("[data-select-item]");
      for (var i = 0; i < boxes.length; i++) {
        boxes[i].checked = all.checked;
      }
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    focusSummary();
    bindSelectAll();
  });
})();
