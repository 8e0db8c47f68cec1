// The ballot's running total: chosen count against N and the cost against the pot,
// announced politely (aria-live). The page works without it: the server checks the
// same rules and says by how much a ballot is over.
(function () {
  "use strict";
  function uah(n) {
    return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, "\u00a0") + "\u00a0грн";
  }
  function plural(n) {
    var m10 = n % 10, m100 = n % 100;
    if (m10 === 1 && m100 !== 11) return "проєкт";
    if (m10 >= 2 && m10 <= 4 && (m100 < 12 || m100 > 14)) return "проєкти";
    return "проєктів";
  }
  document.querySelectorAll("form[data-budget-ballot]").forEach(function (form) {
    var box = form.querySelector(".budget-ballot-total");
    if (!box) return;
    var pot = parseInt(box.dataset.pot || "0", 10);
    var max = parseInt(box.dataset.max || "0", 10);
    var min = parseInt(box.dataset.min || "0", 10);
    var rule = box.dataset.rule || "";
    var text = box.querySelector("#ballot-total");
    var meter = box.querySelector("meter");
    box.hidden = false;
    function update() {
      var count = 0, total = 0;
      form.querySelectorAll("input[name=choices]:checked").forEach(function (c) {
        count += 1;
        total += parseInt(c.dataset.cost || "0", 10);
      });
      var parts = ["Обрано " + count + " " + plural(count) + (max ? " з " + max + " можливих" : "") + " на " + uah(total) + "."];
      var over = false;
      if (max && count > max) { parts.push("Це на " + (count - max) + " більше, ніж можна."); over = true; }
      if (pot && rule !== "approval") {
        if (total > pot) { parts.push("Перевищено бюджет категорії на " + uah(total - pot) + "."); over = true; }
        else parts.push("Залишок: " + uah(pot - total) + ".");
      }
      if (min && total < min) parts.push("До мінімальної суми бракує " + uah(min - total) + ".");
      text.textContent = parts.join(" ");
      box.classList.toggle("budget-over", over);
      if (meter) meter.value = Math.min(total, pot);
    }
    form.addEventListener("change", update);
    update();
  });
})();
