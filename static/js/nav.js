/* The phone menu, as progressive enhancement: where scripts run, hromada.css folds the
   navigation behind the menu button on narrow screens (@media (scripting: enabled)) and
   this opens and closes it. Without scripts the navigation stays open. */
(function () {
  "use strict";

  function toggle(button, open) {
    var panel = document.getElementById(button.getAttribute("aria-controls"));
    if (!panel) return;
    button.setAttribute("aria-expanded", open ? "true" : "false");
    panel.classList.toggle("is-open", open);
  }

  document.addEventListener("click", function (event) {
    var button = event.target instanceof Element ? event.target.closest("[data-menu-toggle]") : null;
    if (button) {
      toggle(button, button.getAttribute("aria-expanded") !== "true");
    }
  });
  // Filter toolbars (<details class="filters-toggle">) fold only on phones: open them on
  // wide screens, where hromada.css cannot (browsers without ::details-content).
  function openFilters() {
    if (!window.matchMedia("(min-width: 48rem)").matches) return;
    document.querySelectorAll("details.filters-toggle").forEach(function (details) {
      details.open = true;
    });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", openFilters);
  } else {
    openFilters();
  }
  // Escape closes an open menu and returns focus to its button.
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") return;
    var open = document.querySelector('[data-menu-toggle][aria-expanded="true"]');
    if (open) {
      toggle(open, false);
      open.focus();
    }
  });
})();
