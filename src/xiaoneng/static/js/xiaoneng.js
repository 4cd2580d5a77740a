/* Site behaviour without inline script: the Content-Security-Policy allows none (core.security),
 * so templates mark elements with data attributes and this file, loaded by both base templates,
 * acts on them.
 *
 *   data-autosubmit         on a <select>/<input>: submit its form when the value changes
 *   data-confirm="text"     on a <form>: ask before submitting; on a submit button: ask before
 *                           that button submits (the text says who will be notified)
 *   data-print              on a button: print the page
 *   data-back               on a link: go back in history when there is one (else follow href)
 *   data-searchable         on a <select>: a search box above it filters its options
 */
(function () {
  "use strict";

  document.addEventListener("change", function (event) {
    var el = event.target;
    if (el.matches && el.matches("[data-autosubmit]") && el.form) {
      if (el.form.requestSubmit) { el.form.requestSubmit(); } else { el.form.submit(); }
    }
  });

  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("[data-confirm]:not(form)");
    if (button && !window.confirm(button.getAttribute("data-confirm"))) {
      event.preventDefault();
      event.stopImmediatePropagation();
      return;
    }
    if (button && button.form) { button.form.dataset.confirmed = "1"; }
    var printer = event.target.closest && event.target.closest("[data-print]");
    if (printer) { event.preventDefault(); window.print(); return; }
    var back = event.target.closest && event.target.closest("[data-back]");
    if (back && window.history.length > 1 && document.referrer) {
      event.preventDefault();
      window.history.back();
    }
  }, true);

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (form.dataset.confirmed) { delete form.dataset.confirmed; return; }
    var text = form.getAttribute("data-confirm");
    if (text && !window.confirm(text)) {
      event.preventDefault();
      event.stopImmediatePropagation();
    }
  }, true);

  // Selects with data-searchable (the unit tree) get a search box: typing hides the options
  // that do not contain the text and selects the first match.
  function filterOptions(select, text) {
    var needle = text.trim().toLowerCase();
    var first = null;
    Array.prototype.forEach.call(select.options, function (option) {
      var hit = !needle || !option.value || option.text.toLowerCase().indexOf(needle) !== -1;
      option.hidden = !hit;
      if (hit && option.value && first === null) { first = option; }
    });
    if (needle && first && !select.multiple && (!select.value || select.selectedOptions[0].hidden)) {
      first.selected = true;
    }
  }

  function enhance(root) {
    var selects = (root || document).querySelectorAll("select[data-searchable]:not([data-enhanced])");
    Array.prototype.forEach.call(selects, function (select) {
      select.setAttribute("data-enhanced", "1");
      var box = document.createElement("input");
      box.type = "search";
      box.className = "form-control form-control-sm mb-1 select-search";
      box.placeholder = select.getAttribute("data-search-placeholder") || "";
      box.setAttribute("aria-label", box.placeholder);
      box.setAttribute("data-testid", "select-search-" + (select.name || ""));
      box.addEventListener("input", function () { filterOptions(select, box.value); });
      box.addEventListener("keydown", function (event) {
        if (event.key === "Enter") { event.preventDefault(); }
      });
      select.parentNode.insertBefore(box, select);
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () { enhance(document); });
  } else {
    enhance(document);
  }
  document.addEventListener("htmx:afterSwap", function (event) { enhance(event.target); });
})();
