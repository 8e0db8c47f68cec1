// The project form's estimate: add and remove cost-line rows, each row's amount and the
// running total (announced through the aria-live <output>), checked against the chosen
// category's cost range. Without this script the form still works: blank rows are sent
// and the server counts.
(function () {
  "use strict";
  var form = document.querySelector(".budget-form");
  if (!form) return;
  var rows = form.querySelector("[data-cost-rows]");
  var totalOut = form.querySelector("[data-cost-total]");
  var rangeOut = form.querySelector("[data-cost-range]");
  var template = document.getElementById("budget-line-template");
  var totalForms = form.querySelector("input[name='lines-TOTAL_FORMS']");
  var addButton = form.querySelector("[data-cost-add]");
  var category = form.querySelector("select[name='category']");
  var categories = {};
  var data = document.getElementById("budget-categories");
  if (data) {
    try { categories = JSON.parse(data.textContent); } catch (e) { categories = {}; }
  }
  var fmt = new Intl.NumberFormat("uk-UA", { maximumFractionDigits: 0 });

  function number(input) {
    if (!input) return 0;
    var v = parseFloat(String(input.value).replace(/\s/g, "").replace(",", "."));
    return isFinite(v) ? v : 0;
  }

  function recount() {
    var total = 0;
    rows.querySelectorAll("[data-cost-row]").forEach(function (row) {
      var amount = Math.round(number(row.querySelector("[data-cost='quantity']")) * number(row.querySelector("[data-cost='price']")));
      var cell = row.querySelector("[data-cost-amount]");
      if (cell) cell.textContent = amount ? fmt.format(amount) : "";
      total += amount;
    });
    totalOut.textContent = total ? fmt.format(total) + " грн" : "";
    var chosen = category && categories[category.value];
    if (rangeOut) {
      if (chosen && total) {
        if (total < chosen.min || total > chosen.max) {
          rangeOut.textContent = "Вартість має бути від " + fmt.format(chosen.min) + " до " + fmt.format(chosen.max) + " грн для категорії «" + chosen.title + "».";
          rangeOut.classList.add("budget-over");
        } else {
          rangeOut.textContent = "Вартість у межах категорії «" + chosen.title + "».";
          rangeOut.classList.remove("budget-over");
        }
      } else {
        rangeOut.textContent = "";
      }
    }
  }

  function wire(row) {
    var remove = row.querySelector("[data-cost-remove]");
    if (remove) {
      remove.hidden = false;
      remove.addEventListener("click", function () {
        row.querySelectorAll("input").forEach(function (i) { i.value = ""; });
        if (rows.querySelectorAll("[data-cost-row]").length > 1) {
          row.hidden = true;
        }
        recount();
      });
    }
  }

  rows.querySelectorAll("[data-cost-row]").forEach(wire);
  if (addButton && template && totalForms) {
    addButton.hidden = false;
    addButton.addEventListener("click", function () {
      var index = parseInt(totalForms.value, 10) || 0;
      var html = template.innerHTML.replace(/__prefix__/g, String(index));
      var holder = document.createElement("div");
      holder.innerHTML = html;
      var row = holder.querySelector("[data-cost-row]");
      rows.appendChild(row);
      totalForms.value = String(index + 1);
      wire(row);
      var first = row.querySelector("input");
      if (first) first.focus();
    });
  }
  form.addEventListener("input", recount);
  if (category) category.addEventListener("change", recount);
  recount();
})();
