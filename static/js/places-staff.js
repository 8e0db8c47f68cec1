/* The registers' staff forms (places/staff/*.html): kept out of the markup for the
   Content-Security-Policy. Only an enhancement: the forms work the same without it. */
(function () {
  "use strict";
  // The error summary takes the focus, so a screen reader reads it first and a keyboard
  // user is one Tab from the first link to a field (as on the petition form).
  function focusSummary() {
    var summary = document.querySelector("[data-error-summary]");
    if (summary) {
      summary.focus();
    }
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", focusSummary);
  } else {
    focusSummary();
  }
})();
