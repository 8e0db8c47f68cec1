// The search page's filters fold away on a phone, so the first result is on the first
// screen; on a wide screen they stand open beside the results.
(function () {
  "use strict";
  function openWide() {
    if (!window.matchMedia("(min-width: 48rem)").matches) return;
    document.querySelectorAll("details[data-open-wide]").forEach(function (d) { d.open = true; });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", openWide);
  else openWide();
})();
