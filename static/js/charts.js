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
      ctx.save();
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
        ctx.fillStyle = "#495057";
        ctx.font = "11px system-ui, sans-serif";
        ctx.fillText(marker.label, Math.min(x + 4, area.right - 80), area.top + 12);
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
    new Chart(canvas, { type: spec.type || "line", data: { labels: spec.labels, datasets: spec.datasets }, options: options });
  });
})();
