/* Comment threads (hromada.comments): opening a reply, edit or report form moves the
   focus into it; after htmx swaps a thread in, the focus goes to the new comment or to
   the error, as the server says in data-focus. Without this script the same forms work
   as plain <details> and POSTs. Kept out of the markup for the Content-Security-Policy. */
(function () {
  "use strict";
  if (window.hromadaComments) return;
  window.hromadaComments = true;

  function focusIn(root) {
    var section = root && root.matches && root.matches("[data-comments]") ? root : null;
    var sections = section ? [section] : document.querySelectorAll("[data-comments][data-focus]");
    sections.forEach(function (s) {
      var id = s.getAttribute("data-focus");
      var el = id ? document.getElementById(id) : null;
      if (!el) return;
      var details = el.closest("details");
      if (details) details.open = true;
      el.focus({ preventScroll: false });
      if (el.scrollIntoView) el.scrollIntoView({ block: "center" });
    });
  }

  document.addEventListener("toggle", function (event) {
    var details = event.target;
    if (!(details instanceof HTMLDetailsElement) || !details.open) return;
    if (!details.classList.contains("comment-action")) return;
    var field = details.querySelector("textarea, input[type=text], input[type=radio]");
    if (field) field.focus();
  }, true);

  document.addEventListener("htmx:afterSettle", function (event) {
    var target = event.detail && event.detail.elt;
    if (target && target.matches && target.matches("[data-comments]")) focusIn(target);
    else if (target) {
      var s = document.querySelector("[data-comments][data-focus]");
      if (s) focusIn(s);
    }
  });

  function onLoad() {
    var s = document.querySelector("[data-comments][data-focus]");
    if (s) focusIn(s);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", onLoad);
  else onLoad();
})();
