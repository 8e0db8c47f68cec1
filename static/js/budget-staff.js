// Budget staff console: "add another category" on the new-cycle form (the formset's
// empty form, with __prefix__ replaced by the next index). Without JS one category is
// sent, and more are added on the cycle's page.
(function () {
  "use strict";
  var button = document.getElementById("budget-add-category");
  var template = document.getElementById("budget-category-template");
  var list = document.getElementById("budget-categories");
  if (!button || !template || !list) return;
  var total = document.getElementById("id_" + list.dataset.prefix + "-TOTAL_FORMS");
  if (!total) return;
  button.hidden = false;
  button.addEventListener("click", function () {
    var index = parseInt(total.value, 10) || 0;
    var html = template.innerHTML.replace(/__prefix__/g, String(index));
    var holder = document.createElement("div");
    holder.innerHTML = html;
    var fieldset = holder.firstElementChild;
    list.appendChild(fieldset);
    total.value = String(index + 1);
    var first = fieldset.querySelector("input, select, textarea");
    if (first) first.focus();
  });
})();
