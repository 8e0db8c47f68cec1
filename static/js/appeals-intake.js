/* The appeals intake forms (appeals/intake/*.html). Everything here is an enhancement:
   without it the forms work the same (the address is resolved on the server, the
   urgent reason is always shown). Kept out of the markup for the CSP. */
(function () {
  "use strict";

  // The error summary (or the "already reported" box) takes the focus first.
  var summary = document.querySelector("[data-error-summary]");
  if (summary) summary.focus();

  // The address → the point on the map, through the places API's forward geocoding.
  var locate = document.querySelector("[data-locate]");
  var address = document.getElementById("id_address");
  var lat = document.getElementById("id_lat");
  var lon = document.getElementById("id_lon");
  if (locate && address && lat && lon) {
    locate.hidden = false;
    var button = locate.querySelector("[data-locate-button]");
    var status = locate.querySelector("[data-locate-status]");
    var set = function (input, value) {
      input.value = value;
      input.dispatchEvent(new Event("input", { bubbles: true }));
      input.dispatchEvent(new Event("change", { bubbles: true }));
    };
    var find = function () {
      var q = address.value.trim();
      if (q.length < 2) {
        status.textContent = "Напишіть вулицю й номер будинку.";
        return;
      }
      status.textContent = "Шукаємо…";
      fetch(button.getAttribute("data-geocode-url") + "?q=" + encodeURIComponent(q), {
        headers: { Accept: "application/json" }, credentials: "same-origin"
      }).then(function (response) {
        return response.json().then(function (body) { return { ok: response.ok, body: body }; });
      }).then(function (result) {
        var body = result.body;
        if (result.ok && body.lat !== null && body.lon !== null) {
          set(lat, Number(body.lat).toFixed(6));
          set(lon, Number(body.lon).toFixed(6));
          status.textContent = "Знайдено: " + body.label + ". Точку позначено на карті.";
        } else if (result.ok) {
          status.textContent = "Адресу знайдено, але її точка невідома: позначте місце на карті.";
        } else {
          var near = (body.suggestions || []).slice(0, 3).map(function (s) { return s.label; });
          status.textContent = (body.message || "Адресу не знайдено.") + (near.length ? " Можливо: " + near.join("; ") + "." : "");
        }
      }).catch(function () {
        status.textContent = "Не вдалося знайти адресу зараз; її знайдемо під час подання.";
      });
    };
    button.addEventListener("click", find);
    address.addEventListener("keydown", function (event) {
      if (event.key === "Enter") {
        event.preventDefault();
        find();
      }
    });
  }

  // An information request's urgent reason: shown when "urgent" is ticked.
  var urgent = document.getElementById("id_urgent");
  var reason = document.querySelector("[data-urgent-reason]");
  if (urgent && reason) {
    var sync = function () {
      reason.hidden = !urgent.checked && !reason.querySelector(".field-error");
    };
    urgent.addEventListener("change", sync);
    sync();
  }

  // File slots: the first empty one is shown, later ones appear as files are chosen; a
  // slot with a file or an error stays visible.
  var slots = document.querySelectorAll("[data-attachment-slot]");
  var updateSlots = function () {
    var shownEmpty = false;
    slots.forEach(function (slot) {
      var input = slot.querySelector("input[type=file]");
      var used = (input && input.files && input.files.length > 0) || slot.querySelector(".field-error") !== null;
      if (used) {
        slot.hidden = false;
      } else {
        slot.hidden = shownEmpty;
        shownEmpty = true;
      }
    });
  };
  if (slots.length) {
    document.addEventListener("change", function (event) {
      if (event.target instanceof HTMLInputElement && event.target.type === "file") updateSlots();
    });
    updateSlots();
  }

  // The co-signing link: selected at once, to copy.
  var link = document.getElementById("cosign-link");
  if (link) link.addEventListener("focus", function () { link.select(); });

  // The hotline console: the sections of the other kinds step aside.
  var kinds = document.querySelectorAll("input[name='kind']");
  if (kinds.length) {
    var show = function () {
      var chosen = document.querySelector("input[name='kind']:checked");
      var value = chosen ? chosen.value : "";
      document.querySelectorAll("[data-kind-section]").forEach(function (section) {
        var wanted = section.getAttribute("data-kind-section").split(" ");
        section.hidden = wanted.indexOf(value) === -1 && !section.querySelector(".field-error");
      });
    };
    kinds.forEach(function (k) { k.addEventListener("change", show); });
    show();
  }
})();
