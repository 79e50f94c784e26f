// Live total and section scores of the QA review form: the same rule as
// feedback/qa_scoring.py qa_review_total and qa_section_scores (tests/e2e compares them).
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

    function round2(value) {
      // Round half up to two places, as the server stores it.
      return Math.round((value + Number.EPSILON) * 100) / 100;
    }

    function rated() {
      var result = [];
      criteria.forEach(function (criterion) {
        var checked = form.querySelector('input[name="rating_' + criterion.id + '"]:checked');
        if (!checked || checked.value === "" || checked.value === "na") {
          return;
        }
        result.push({ criterion: criterion, rating: parseInt(checked.value, 10) });
      });
      return result;
    }

    // Without sections: the weighted mean of the rated criteria. With sections: each section's
    // weighted mean, then the section-weighted mean of the sections with a rated criterion.
    // A critical 0 makes the review 0, unless its section's auto-fail is "section": then only
    // that section scores 0.
    function compute() {
      var sections = {};
      var order = [];
      var reviewFailed = false;
      rated().forEach(function (item) {
        var section = item.criterion.section || { code: "", weight: "1", auto_fail: "none" };
        var group = sections[section.code];
        if (!group) {
          group = { section: section, weighted: 0, weights: 0, failed: false };
          sections[section.code] = group;
          order.push(section.code);
        }
        var weight = parseFloat(item.criterion.weight);
        if (item.criterion.critical && item.rating === 0) {
          if (section.auto_fail !== "section") {
            reviewFailed = true;
          }
          if (section.auto_fail !== "none") {
            group.failed = true;
          }
        }
        group.weighted += weight * item.rating;
        group.weights += weight;
      });
      if (order.length === 0) {
        return null;
      }
      var scores = {};
      var weighted = 0;
      var weights = 0;
      order.forEach(function (code) {
        var group = sections[code];
        var score = (group.weighted / (group.weights * 4)) * 100;
        if (group.failed && group.section.auto_fail === "section") {
          score = 0;
        }
        scores[code] = score;
        weighted += parseFloat(group.section.weight) * score;
        weights += parseFloat(group.section.weight);
      });
      var total = reviewFailed ? 0 : weighted / weights;
      var rounded = {};
      order.forEach(function (code) {
        rounded[code] = round2(scores[code]);
      });
      return { total: round2(total), critical: reviewFailed, sections: rounded };
    }

    function render() {
      var result = compute();
      output.textContent = result === null ? "—" : result.total.toFixed(2);
      form.querySelectorAll("[data-qa-section-score]").forEach(function (element) {
        var code = element.getAttribute("data-qa-section-score");
        var score = result === null ? undefined : result.sections[code];
        element.textContent = score === undefined ? "—" : score.toFixed(2);
      });
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
