/* The complaint form: searchable unit list, departments of the chosen unit, anonymous toggle,
   file checks before upload (the server checks again, by content), captcha refresh. No libraries. */
(function () {
  "use strict";
  var form = document.getElementById("submit-form");
  if (!form) return;

  // Units: rebuild the <select> with the options matching the search text (iOS ignores
  // option.hidden, so options are removed and re-added rather than hidden).
  var unit = form.querySelector("select[name=unit]");
  var search = document.getElementById("unit-search");
  var allUnits = Array.prototype.map.call(unit.options, function (o) {
    return { value: o.value, text: o.text };
  });
  function filterUnits() {
    var q = search.value.trim().toLowerCase();
    var current = unit.value;
    var matches = allUnits.filter(function (o, i) {
      return i === 0 || !q || o.text.toLowerCase().indexOf(q) !== -1;
    });
    unit.innerHTML = "";
    matches.forEach(function (o) {
      var opt = new Option(o.text, o.value);
      if (o.value === current) opt.selected = true;
      unit.add(opt);
    });
    if (matches.length === 2 && q) {
      unit.value = matches[1].value;
    }
    showDepartments();
  }
  search.addEventListener("input", filterUnits);

  // Departments: only those of the chosen unit.
  var dept = form.querySelector("select[name=department]");
  var groups = Array.prototype.map.call(dept.querySelectorAll("optgroup"), function (g) {
    return { unit: g.getAttribute("data-unit"), label: g.label, node: g };
  });
  var emptyOption = dept.options[0];
  function showDepartments() {
    var chosen = dept.value;
    dept.innerHTML = "";
    dept.add(emptyOption);
    groups.forEach(function (g) {
      if (g.unit === unit.value) dept.appendChild(g.node);
    });
    dept.value = Array.prototype.some.call(dept.options, function (o) { return o.value === chosen; }) ? chosen : "";
    dept.disabled = dept.options.length <= 1;
  }
  unit.addEventListener("change", showDepartments);
  showDepartments();

  // Anonymous: hide name and phone, show the plain warning.
  var anonymous = form.querySelector("input[name=anonymous]");
  var identity = document.getElementById("identity-fields");
  var warning = document.getElementById("anonymous-warning");
  function toggleAnonymous() {
    identity.classList.toggle("d-none", anonymous.checked);
    warning.classList.toggle("d-none", !anonymous.checked);
  }
  anonymous.addEventListener("change", toggleAnonymous);
  toggleAnonymous();

  // Files: at most 5, 20 MB each.
  var files = form.querySelector("input[name=attachments]");
  var fileWarning = document.getElementById("file-warning");
  var MAX_FILES = 5, MAX_BYTES = 20 * 1024 * 1024;
  files.addEventListener("change", function () {
    var problems = [];
    if (files.files.length > MAX_FILES) problems.push(files.getAttribute("data-too-many") || "≤ 5");
    Array.prototype.forEach.call(files.files, function (f) {
      if (f.size > MAX_BYTES) problems.push(f.name + " > 20 MB");
    });
    fileWarning.textContent = problems.join("；");
    fileWarning.classList.toggle("d-none", problems.length === 0);
  });

  // Captcha: another picture on demand.
  var img = document.getElementById("captcha-image");
  document.getElementById("captcha-refresh").addEventListener("click", function () {
    img.src = img.getAttribute("data-src") + "?t=" + Date.now();
    form.querySelector("input[name=captcha]").value = "";
  });
})();
