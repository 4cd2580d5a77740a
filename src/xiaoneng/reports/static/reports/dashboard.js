// The dashboards: fetch each source's table from /api/v1/stats/<key> and draw it with ECharts;
// the table view is built from the same JSON, so both always show the same figures.
(function () {
  "use strict";
  var root = document.getElementById("stats");
  if (!root || !window.echarts) { return; }
  var charts = [];

  function format(value, kind) {
    if (value === null || value === undefined || value === "") { return "—"; }
    if (kind === "percent") { return Number(value).toFixed(1); }
    return String(value);
  }

  function buildTable(container, data) {
    var table = document.createElement("table");
    table.className = "table table-sm table-bordered table-hover small mb-0";
    var head = table.createTHead().insertRow();
    data.columns.forEach(function (col) {
      var th = document.createElement("th");
      th.textContent = col.label;
      if (col.kind !== "text") { th.className = "text-end"; }
      head.appendChild(th);
    });
    var body = table.createTBody();
    data.rows.forEach(function (row) {
      var tr = body.insertRow();
      data.columns.forEach(function (col) {
        var td = tr.insertCell();
        td.textContent = format(row[col.key], col.kind);
        td.dataset.key = col.key;
        if (col.kind !== "text") { td.className = "text-end"; }
      });
    });
    container.replaceChildren(table);
  }

  function option(data) {
    var spec = data.chart;
    var labels = {};
    data.columns.forEach(function (c) { labels[c.key] = c.label; });
    var categories = data.rows.map(function (r) { return r[spec.x]; });
    var base = { tooltip: { trigger: spec.type === "pie" ? "item" : "axis" }, animation: false };
    if (spec.type === "pie") {
      var key = spec.series[0];
      base.legend = { type: "scroll", bottom: 0 };
      base.series = [{
        type: "pie", radius: ["35%", "65%"], name: labels[key],
        data: data.rows.map(function (r) { return { name: r[spec.x], value: r[key] }; })
      }];
      return base;
    }
    var horizontal = spec.type === "hbar";
    var type = spec.type === "line" ? "line" : "bar";
    var categoryAxis = { type: "category", data: categories, axisLabel: { interval: 0, rotate: horizontal ? 0 : 30, width: 120, overflow: "truncate" } };
    var kinds = {};
    data.columns.forEach(function (c) { kinds[c.key] = c.kind; });
    var percent = spec.series.every(function (key) { return kinds[key] === "percent"; });
    var valueAxis = percent ? { type: "value", min: 0, max: 100 } : { type: "value", minInterval: 1 };
    if (horizontal) { categoryAxis.inverse = true; }
    base.grid = { left: 8, right: horizontal ? 48 : 16, top: 32, bottom: 8, containLabel: true };
    base.legend = { top: 0 };
    base.xAxis = horizontal ? valueAxis : categoryAxis;
    base.yAxis = horizontal ? categoryAxis : valueAxis;
    base.series = spec.series.map(function (key) {
      return { type: type, name: labels[key], stack: spec.stack ? "total" : undefined, data: data.rows.map(function (r) { return r[key]; }), label: { show: data.rows.length <= 12, position: spec.stack ? "inside" : (horizontal ? "right" : "top"), formatter: function (p) { return spec.stack && !p.value ? "" : p.value; } } };
    });
    return base;
  }

  function show(card, data) {
    var chartEl = card.querySelector(".stats-chart");
    buildTable(card.querySelector(".stats-table"), data);
    card.querySelector(".stats-note").textContent = data.note || "";
    card.dataset.loaded = "true";
    if (!data.rows.length) {
      chartEl.innerHTML = '<div class="text-muted small p-3" data-testid="empty"></div>';
      chartEl.firstChild.textContent = root.dataset.empty;
      return;
    }
    if (data.chart.type === "hbar" && data.rows.length > 10) {
      // one readable row per unit (the annual scores list every unit of the county)
      chartEl.style.height = Math.min(60 + data.rows.length * 24, 1600) + "px";
    }
    var chart = window.echarts.init(chartEl, null, { renderer: "canvas" });
    chart.setOption(option(data));
    charts.push(chart);
  }

  function failed(card) {
    card.dataset.loaded = "failed";
    card.querySelector(".stats-chart").textContent = root.dataset.failed;
  }

  function getJSON(url) {
    return fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        if (!response.ok) { throw new Error(response.status); }
        return response.json();
      });
  }

  // One request for every chart (?keys=…); a card whose table is missing loads on its own.
  function loadAll(cards) {
    getJSON(root.dataset.batch)
      .then(function (body) {
        cards.forEach(function (card) {
          var data = (body.tables || {})[card.dataset.key];
          if (data) { show(card, data); } else { loadOne(card); }
        });
      })
      .catch(function () { cards.forEach(loadOne); });
  }

  function loadOne(card) {
    getJSON(card.dataset.api).then(function (data) { show(card, data); }).catch(function () { failed(card); });
  }

  root.querySelectorAll(".stats-card").forEach(function (card) {
    card.querySelectorAll("[data-view]").forEach(function (button) {
      button.addEventListener("click", function () {
        var table = button.dataset.view === "table";
        card.querySelector(".stats-chart").classList.toggle("d-none", table);
        card.querySelector(".stats-table").classList.toggle("d-none", !table);
        card.querySelectorAll("[data-view]").forEach(function (b) { b.classList.toggle("active", b === button); });
        if (!table) { charts.forEach(function (c) { c.resize(); }); }
      });
    });
  });
  loadAll(Array.prototype.slice.call(root.querySelectorAll(".stats-card")));
  window.addEventListener("resize", function () { charts.forEach(function (c) { c.resize(); }); });
})();
