// Service time limits: draw each [data-series] element with ECharts (no inline script: the
// figures come from the element's data attributes, rendered by the server).
(function () {
  "use strict";
  if (!window.echarts) { return; }
  var charts = [];
  document.querySelectorAll(".servicetimes-chart[data-series]").forEach(function (el) {
    var data;
    try { data = JSON.parse(el.dataset.series); } catch (e) { return; }
    var kind = el.dataset.chart === "line" ? "line" : "bar";
    var chart = window.echarts.init(el);
    chart.setOption({
      tooltip: { trigger: "axis" },
      grid: { left: 48, right: 16, top: 24, bottom: 64 },
      xAxis: { type: "category", data: data.labels, axisLabel: { interval: 0, rotate: data.labels.length > 4 ? 30 : 0 } },
      yAxis: { type: "value", min: 0, max: 100, axisLabel: { formatter: "{value}%" } },
      series: data.series.map(function (s) {
        return { name: s.name, type: kind, data: s.data, label: { show: true, position: "top", formatter: "{c}%" } };
      })
    });
    el.dataset.ready = "1";
    charts.push(chart);
  });
  window.addEventListener("resize", function () { charts.forEach(function (c) { c.resize(); }); });
})();
