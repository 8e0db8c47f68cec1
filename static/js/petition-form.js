/* The petition form (petitions/new.html): kept out of the markup for the
   Content-Security-Policy. Everything here is an enhancement; without it the form
   works the same, with every attachment slot shown. */
(function () {
  "use strict";

  // The error summary takes the focus, so a screen reader reads it first and a keyboard
  // user is one Tab from the first link to a field (the GOV.UK / Diia pattern).
  function focusSummary() {
    var summary = document.querySelector("[data-error-summary]");
    if (summary) {
      summary.focus();
    }
  }

  // Attachment slots: the first empty one is shown, later ones appear as files are
  // chosen; a slot with a file or an error always stays visible.
  function updateSlots() {
    var slots = document.querySelectorAll("[data-attachment-slot]");
    var shownEmpty = false;
    for (var i = 0; i < slots.length; i++) {
      var slot = slots[i];
      var input = slot.querySelector("input[type=file]");
      var used = (input && input.files && input.files.length > 0) ||
        slot.querySelector(".field-error") !== null;
      if (used) {
        slot.hidden = false;
      } else if (!shownEmpty) {
        slot.hidden = false;
        shownEmpty = true;
      } else {
        slot.hidden = true;
      }
    }
  }

  document.addEventListener("change", function (event) {
    var target = event.target;
    if (target instanceof HTMLInputElement && target.hasAttribute("data-attachment-file")) {
      updateSlots();
    }
  });

  function init() {
    focusSummary();
    updateSlots();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
