// The site form on a phone: capture times of the chosen files and the browser's GPS fix.
(function () {
  "use strict";
  document.querySelectorAll("form[data-captures]").forEach(function (form) {
    var input = form.querySelector("input[type=file]");
    var hidden = form.querySelector("input[name=captured]");
    if (!input || !hidden) return;
    input.addEventListener("change", function () {
      var times = Array.prototype.map.call(input.files, function (f) {
        return new Date(f.lastModified || Date.now()).toISOString();
      });
      hidden.value = JSON.stringify(times);
      var list = form.querySelector("[data-file-list]");
      if (list) {
        list.textContent = Array.prototype.map.call(input.files, function (f) { return f.name; }).join("、");
      }
    });
  });
  var button = document.querySelector("[data-locate]");
  if (button) {
    button.addEventListener("click", function () {
      var status = document.querySelector("[data-locate-status]");
      if (!navigator.geolocation) {
        status.textContent = button.dataset.unavailable;
        return;
      }
      status.textContent = button.dataset.locating;
      navigator.geolocation.getCurrentPosition(function (pos) {
        var form = button.closest("form");
        form.querySelector("input[name=latitude]").value = pos.coords.latitude.toFixed(6);
        form.querySelector("input[name=longitude]").value = pos.coords.longitude.toFixed(6);
        form.querySelector("input[name=accuracy]").value = Math.round(pos.coords.accuracy);
        status.textContent = pos.coords.latitude.toFixed(5) + ", " + pos.coords.longitude.toFixed(5);
      }, function () {
        status.textContent = button.dataset.unavailable;
      }, { enableHighAccuracy: true, timeout: 15000 });
    });
  }
})();
