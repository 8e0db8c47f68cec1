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
  // An htmx request answered with an error (4xx/5xx) or not answered at all: htmx swaps
  // nothing, so say so next to what was pressed instead of silently doing nothing.
  var HTMX_ERRORS = {
    uk: {
      403: "Немає доступу до цієї дії. Оновіть сторінку: можливо, сесія завершилася.",
      404: "Не знайдено. Оновіть сторінку: можливо, її вже змінили.",
      413: "Надіслані дані завеликі.",
      429: "Забагато запитів. Зачекайте хвилину й спробуйте ще раз.",
      4: "Запит не прийнято. Оновіть сторінку й спробуйте ще раз.",
      5: "Помилка на сервері. Спробуйте ще раз за хвилину.",
      network: "Немає зв'язку із сервером. Перевірте з'єднання й спробуйте ще раз."
    },
    en: {
      403: "You may not do this. Reload the page: your session may have ended.",
      404: "Not found. Reload the page: it may have changed.",
      413: "What you sent is too large.",
      429: "Too many requests. Wait a minute and try again.",
      4: "The request was not accepted. Reload the page and try again.",
      5: "A server error occurred. Try again in a minute.",
      network: "The server cannot be reached. Check your connection and try again."
    }
  };
  function htmxErrorText(status) {
    var lang = (document.documentElement.lang || "uk").slice(0, 2);
    var words = HTMX_ERRORS[lang] || HTMX_ERRORS.uk;
    if (!status) return words.network;
    return words[status] || words[String(status).charAt(0)] || words[5];
  }
  function htmxErrorAnchor(event) {
    var elt = event.detail && event.detail.elt;
    return (elt && elt.closest && elt.closest("form, [hx-target], section, main")) || document.getElementById("main");
  }
  function htmxErrorBox(anchor) {
    if (!anchor) return null;
    if (anchor.tagName === "MAIN") {
      var first = anchor.firstElementChild;
      return first && first.classList.contains("htmx-error") ? first : null;
    }
    var before = anchor.previousElementSibling;
    return before && before.classList.contains("htmx-error") ? before : null;
  }
  function showHtmxError(event, status) {
    var anchor = htmxErrorAnchor(event);
    if (!anchor) return;
    var box = htmxErrorBox(anchor);
    if (!box) {
      box = document.createElement("p");
      box.className = "message message-error htmx-error";
      box.setAttribute("role", "alert");
      if (anchor.tagName === "MAIN") anchor.insertBefore(box, anchor.firstChild);
      else anchor.parentNode.insertBefore(box, anchor);
    }
    box.textContent = htmxErrorText(status);
  }
  document.addEventListener("htmx:responseError", function (event) {
    var xhr = event.detail && event.detail.xhr;
    showHtmxError(event, xhr ? xhr.status : 0);
  });
  document.addEventListener("htmx:sendError", function (event) {
    showHtmxError(event, 0);
  });
  // A later success of the same part of the page clears its message.
  document.addEventListener("htmx:afterRequest", function (event) {
    if (!event.detail || !event.detail.successful) return;
    var box = htmxErrorBox(htmxErrorAnchor(event));
    if (box) box.remove();
  });
})();
