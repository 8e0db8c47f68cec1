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

  // A character count under the title and the text, read out politely as it changes
  // (the GOV.UK character count); the limits and texts come from the form.
  function groups(n) {
    return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, "\u00a0");
  }

  function count(field) {
    var out = document.getElementById(field.id + "-count");
    if (!out) {
      return;
    }
    var length = field.value.trim().length;
    var min = Number(field.getAttribute("data-count-min"));
    var max = Number(field.getAttribute("data-count-max"));
    var text;
    if (length > max) {
      text = field.getAttribute("data-count-long").replace("{n}", groups(length - max));
      out.className = "help count-over";
    } else if (length < min) {
      text = field.getAttribute("data-count-short").replace("{n}", groups(min - length));
      out.className = "help";
    } else {
      text = field.getAttribute("data-count-ok").replace("{n}", groups(length)).replace("{max}", groups(max));
      out.className = "help";
    }
    out.textContent = text;
  }

  function setUpCounts() {
    var fields = document.querySelectorAll("[data-count-max]");
    for (var i = 0; i < fields.length; i++) {
      var field = fields[i];
      var out = document.createElement("p");
      out.id = field.id + "-count";
      out.className = "help";
      out.setAttribute("aria-live", "polite");
      field.insertAdjacentElement("afterend", out);
      count(field);
    }
  }

  var timer = null;
  document.addEventListener("input", function (event) {
    var target = event.target;
    if (target instanceof HTMLElement && target.hasAttribute("data-count-max")) {
      // Debounced, so a screen reader is not told every keystroke.
      clearTimeout(timer);
      timer = setTimeout(function () { count(target); }, 300);
    }
  });

  function init() {
    focusSummary();
    updateSlots();
    setUpCounts();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
