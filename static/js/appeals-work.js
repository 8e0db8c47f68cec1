// Staff case page: the error summary of a refused action takes the focus, so a screen
// reader reads it first and a keyboard user starts from the list of what to fix.
(function () {
  "use strict";
  function focusSummary() {
    var summary = document.querySelector("[data-error-summary]");
    if (summary) {
      var details = summary.closest("details");
      if (details) details.open = true;
      summary.focus();
      summary.scrollIntoView({ block: "start" });
    }
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", focusSummary);
  } else {
    focusSummary();
  }
})();
