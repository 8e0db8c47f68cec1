/* The site's own behaviour, kept out of the markup so the Content-Security-Policy can
   refuse every inline script (hromada/core/csp.py). */
(function () {
  "use strict";
  // <input data-select-on-focus>: a value to copy (a new API token) is selected whole.
  document.addEventListener("click", function (event) {
    var target = event.target;
    if (target instanceof HTMLInputElement && target.hasAttribute("data-select-on-focus")) {
      target.select();
    }
  });
  document.addEventListener("focusin", function (event) {
    var target = event.target;
    if (target instanceof HTMLInputElement && target.hasAttribute("data-select-on-focus")) {
      target.select();
    }
  });
})();
