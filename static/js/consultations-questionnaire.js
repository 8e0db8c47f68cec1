/* The questionnaire (consultations/questionnaire/answer.html), kept out of the markup
   for the Content-Security-Policy. An enhancement only: without it every question is
   shown with its "answer only if …" hint, and the server drops hidden answers. */
(function () {
  "use strict";

  function focusSummary() {
    var summary = document.querySelector("[data-error-summary]");
    if (summary) {
      summary.focus();
    }
  }

  // The options chosen in a question: checked radios and checkboxes, ranked options.
  function chosenIn(question, chosen) {
    var inputs = question.querySelectorAll("input:checked");
    for (var i = 0; i < inputs.length; i++) {
      chosen[inputs[i].value] = true;
    }
    var selects = question.querySelectorAll("select[data-option]");
    for (var j = 0; j < selects.length; j++) {
      if (selects[j].value) {
        chosen[selects[j].getAttribute("data-option")] = true;
      }
    }
  }

  // Conditions in order: a question is shown when an earlier shown question's answer
  // includes one of its options; a hidden question's answer does not reveal others.
  function applyConditions(form) {
    var questions = form.querySelectorAll("[data-question]");
    var chosen = {};
    for (var i = 0; i < questions.length; i++) {
      var question = questions[i];
      var wanted = question.getAttribute("data-conditions");
      var shown = true;
      if (wanted) {
        shown = false;
        var ids = wanted.split(" ");
        for (var k = 0; k < ids.length; k++) {
          if (chosen[ids[k]]) {
            shown = true;
          }
        }
      }
      question.hidden = !shown;
      if (shown) {
        chosenIn(question, chosen);
      }
    }
  }

  function init() {
    focusSummary();
    var form = document.querySelector("[data-questionnaire]");
    if (!form) {
      return;
    }
    form.classList.add("cq-live");
    applyConditions(form);
    form.addEventListener("change", function () {
      applyConditions(form);
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
