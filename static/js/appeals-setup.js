/* The appeals setup and moderation staff pages (appeals/staff/setup*, moderation*):
   kept out of the markup for the Content-Security-Policy. Only an enhancement: the
   forms work the same without it. */
(function () {
  "use strict";
  function start() {
    // The error summary (or a new key, shown once) takes the focus, so a screen reader
    // reads it first and a keyboard user is one Tab from the first field in error.
    var target = document.querySelector("[data-error-summary]") || document.querySelector("[data-issued-key]");
    if (target) {
      target.focus();
    }
    var key = document.getElementById("issued-key");
    if (key) {
      key.addEventListener("focus", function () { key.select(); });
    }
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
