// Live total of the QA review form: the same formula as scorecards/scoring.py qa_review_total.
// Without JavaScript the page still works: the server recomputes the total on every save.
(function () {
  "use strict";

  function init() {
    var form = document.getElementById("qa-review-form");
    var data = document.getElementById("qa-criteria");
    var output = document.getElementById("qa-live-total");
    if (!form || !data || !output) {
      return;
    }
    var criteria = JSON.parse(data.textContent);
    var criticalNote = document.getElementById("qa-critical-note");
    var help = document.getElementById("qa-total-help");

    function compute() {
      var weighted = 0;
      var weights = 0;
      var criticalFailed = false;
      criteria.forEach(function (criterion) {
        var checked = form.querySelector('input[name="rating_' + criterion.id + '"]:checked');
        if (!checked || checked.value === "" || checked.value === "na") {
          return;
        }
        var rating = parseInt(checked.value, 10);
        var weight = parseFloat(criterion.weight);
        if (criterion.critical && rating === 0) {
          criticalFailed = true;
        }
        weighted += weight * rating;
        weights += weight;
      });
      if (weights === 0) {
        return null;
      }
      if (criticalFailed) {
        return { total: 0, critical: true };
      }
      // Round half up to two places, as the server stores it.
      var total = (weighted / (weights * 4)) * 100;
      return { total: Math.round((total + Number.EPSILON) * 100) / 100, critical: false };
    }

    function render() {
      var result = compute();
      output.textContent = result === null ? "—" : result.total.toFixed(2);
      if (criticalNote) {
        criticalNote.classList.toggle("d-none", !(result && result.critical));
      }
      if (help) {
        help.classList.add("d-none");
      }
    }

    form.addEventListener("change", render);
    render();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
