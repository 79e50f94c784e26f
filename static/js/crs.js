// Every page: a table that is wider than its box scrolls inside it (.table-responsive). Such a
// box is made reachable by keyboard and named after its table, so it can be scrolled without a
// mouse (WCAG 2.1.1); boxes that fit stay out of the tab order.
(function () {
  function label(box) {
    var table = box.querySelector("table");
    var caption = table && table.querySelector("caption");
    var section = box.closest("section, .card");
    var heading = section && section.querySelector("h1, h2, h3, h4");
    return (caption || heading || {}).textContent;
  }
  function mark() {
    document.querySelectorAll(".table-responsive, .crs-table-scroll").forEach(function (box) {
      if (box.scrollWidth > box.clientWidth + 1) {
        box.setAttribute("tabindex", "0");
        box.setAttribute("role", "region");
        var name = label(box);
        if (name) box.setAttribute("aria-label", name.trim().replace(/\s+/g, " "));
      } else if (box.getAttribute("role") === "region") {
        box.removeAttribute("tabindex");
        box.removeAttribute("role");
        box.removeAttribute("aria-label");
      }
    });
  }
  document.addEventListener("DOMContentLoaded", mark);
  window.addEventListener("resize", mark);
})();

// A long form's error summary (templates/_form_errors.html): the banner takes the focus when
// the page loads, so keyboard and screen-reader users start at the list of errors; each link
// moves the focus to its field, opening a closed <details> around it first.
(function () {
  document.addEventListener("DOMContentLoaded", function () {
    var banner = document.querySelector("[data-focus-on-load]");
    if (banner) {
      banner.focus();
      banner.scrollIntoView({ block: "start" });
    }
  });
  document.addEventListener("click", function (event) {
    var link = event.target.closest(".crs-error-summary a[href^='#']");
    if (!link) return;
    var field = document.getElementById(decodeURIComponent(link.getAttribute("href").slice(1)));
    if (!field) return;
    event.preventDefault();
    for (var box = field.closest("details"); box; box = box.parentElement.closest("details")) {
      box.open = true;
    }
    field.scrollIntoView({ block: "center" });
    field.focus();
    history.replaceState(null, "", link.getAttribute("href"));
  });
})();
