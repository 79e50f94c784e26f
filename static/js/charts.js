/* Draw every chart on the page from the JSON its template embeds (no inline scripts).
 *
 * Markup: <canvas data-chart="ID"></canvas> plus {{ spec|json_script:"ID" }}, where spec is
 * {type, labels, datasets: [{label, data, ...}], options?, markers?: [{x, label}]}.
 * `markers` draws vertical lines (change events) on a line chart. Every chart also has its
 * numbers in a table next to it, so nothing is lost without JavaScript.
 */
(function () {
  "use strict";
  if (typeof Chart === "undefined") { return; }

  var markerPlugin = {
    id: "crsMarkers",
    afterDatasetsDraw: function (chart) {
      var markers = (chart.config.options.plugins && chart.config.options.plugins.crsMarkers) || [];
      if (!markers.length) { return; }
      var xScale = chart.scales.x, area = chart.chartArea, ctx = chart.ctx;
      // Labels of nearby events go on separate rows instead of printing over each other; a
      // label too long for the room left is shortened (the full list is under the chart).
      var rows = [], rowHeight = 13, maxRows = 4, gap = 6;
      ctx.save();
      ctx.font = "11px system-ui, sans-serif";
      markers.forEach(function (marker) {
        var x = xScale.getPixelForValue(marker.x);
        if (x === undefined || isNaN(x) || x < area.left || x > area.right) { return; }
        ctx.strokeStyle = "rgba(108, 117, 125, 0.9)";
        ctx.setLineDash([4, 4]);
        ctx.beginPath();
        ctx.moveTo(x, area.top);
        ctx.lineTo(x, area.bottom);
        ctx.stroke();
        ctx.setLineDash([]);
        var text = marker.label, room = Math.max(area.width / 2, 60);
        while (text.length > 1 && ctx.measureText(text).width > room) { text = text.slice(0, -2) + "…"; }
        var width = ctx.measureText(text).width;
        var start = Math.max(area.left, Math.min(x + 4, area.right - width));
        var row = 0;
        while (row < rows.length && start < rows[row] + gap) { row += 1; }
        if (row >= maxRows) { return; }
        rows[row] = start + width;
        ctx.fillStyle = "#495057";
        ctx.fillText(text, start, area.top + 12 + row * rowHeight);
      });
      ctx.restore();
    },
  };
  Chart.register(markerPlugin);
  var reducedMotion = window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches;

  document.querySelectorAll("canvas[data-chart]").forEach(function (canvas) {
    var source = document.getElementById(canvas.dataset.chart);
    if (!source) { return; }
    var spec = JSON.parse(source.textContent);
    var options = Object.assign(
      {
        responsive: true,
        maintainAspectRatio: false,
        spanGaps: true,
        interaction: { mode: "index", intersect: false },
        // No growing lines for people who asked their system for less motion.
        animation: reducedMotion ? false : {},
      },
      spec.options || {}
    );
    options.plugins = Object.assign({}, options.plugins || {}, { crsMarkers: spec.markers || [] });
    // Drill-down: `links` (one address per label, or null) opens what is behind a clicked point;
    // a dataset's own `links` (several series) open what is behind that series' point, the
    // one nearest the pointer. The table under each chart has the same links for keyboards.
    var hasLinks = spec.links || (spec.datasets || []).some(function (d) { return d.links; });
    if (hasLinks) {
      var linkAt = function (chart, event) {
        var near = chart.getElementsAtEventForMode(event, "nearest", { intersect: false }, true);
        if (!near.length) { return null; }
        var dataset = chart.data.datasets[near[0].datasetIndex] || {};
        var links = dataset.links || spec.links || [];
        return links[near[0].index] || null;
      };
      options.onClick = function (event, elements, chart) {
        var href = linkAt(chart, event);
        if (href) { window.location.assign(href); }
      };
      options.onHover = function (event, elements, chart) {
        event.native.target.style.cursor = linkAt(chart, event) ? "pointer" : "default";
      };
    }
    new Chart(canvas, { type: spec.type || "line", data: { labels: spec.labels, datasets: spec.datasets }, options: options });
  });
})();
