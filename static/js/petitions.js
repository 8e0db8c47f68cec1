/* Petition pages: copying the share link, and the list's filters, open on wide screens
   and folded on phones. Kept out of the markup for the Content-Security-Policy. */
(function () {
  "use strict";
  document.addEventListener("click", function (event) {
    if (event.target instanceof Element && event.target.closest("[data-print]")) {
      window.print();
      return;
    }
    var button = event.target instanceof Element ? event.target.closest("[data-copy-from]") : null;
    if (!button) return;
    var field = document.getElementById(button.getAttribute("data-copy-from"));
    var status = document.getElementById(button.getAttribute("data-copy-status"));
    if (!field) return;
    field.select();
    var done = function () { if (status) status.textContent = button.getAttribute("data-copied"); };
    if (navigator.clipboard && navigator.clipboard.writeText) {
      navigator.clipboard.writeText(field.value).then(done, function () { document.execCommand("copy"); done(); });
    } else {
      document.execCommand("copy");
      done();
    }
  });
  function openWide() {
    if (!window.matchMedia("(min-width: 48rem)").matches) return;
    document.querySelectorAll("details[data-open-wide]").forEach(function (d) { d.open = true; });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", openWide);
  else openWide();
})();
