// Small enhancements; every page works without them.
(function () {
  "use strict";
  // Copy buttons: <button data-copy="element-id" hidden>, shown only where the clipboard exists.
  document.querySelectorAll("[data-copy]").forEach(function (b) {
    if (!navigator.clipboard) return;
    b.hidden = false;
    b.addEventListener("click", function () {
      var el = document.getElementById(b.getAttribute("data-copy"));
      if (!el) return;
      navigator.clipboard.writeText(el.textContent.trim()).then(function () {
        var done = b.getAttribute("data-copied");
        if (done) { b.textContent = done; }
      });
    });
  });
  // "Use my location": <button data-locate data-lat="id" data-lon="id" data-status="id" hidden>,
  // shown only where the browser offers geolocation; fills the hidden coordinate fields.
  document.querySelectorAll("[data-locate]").forEach(function (b) {
    if (!navigator.geolocation) return;
    b.hidden = false;
    b.addEventListener("click", function () {
      var status = document.getElementById(b.getAttribute("data-status"));
      navigator.geolocation.getCurrentPosition(function (pos) {
        document.getElementById(b.getAttribute("data-lat")).value = pos.coords.latitude.toFixed(6);
        document.getElementById(b.getAttribute("data-lon")).value = pos.coords.longitude.toFixed(6);
        if (status) { status.textContent = b.getAttribute("data-done"); }
      }, function () {
        if (status) { status.textContent = b.getAttribute("data-failed"); }
      }, { enableHighAccuracy: true, timeout: 15000 });
    });
  });
  // A search box over a long select: <input data-filter-select="select-id" hidden>.
  var fold = function (s) {
    return s.normalize("NFD").replace(/[\u0300-\u036f]/g, "").replace(/đ/g, "d").replace(/Đ/g, "d").toLowerCase();
  };
  document.querySelectorAll("[data-filter-select]").forEach(function (input) {
    var select = document.getElementById(input.getAttribute("data-filter-select"));
    if (!select) return;
    var wrap = input.closest("[data-filter-wrap]") || input;
    wrap.hidden = false;
    input.addEventListener("input", function () {
      var q = fold(input.value.trim()), first = null;
      Array.prototype.forEach.call(select.options, function (o) {
        var show = !o.value || fold(o.textContent).indexOf(q) !== -1;
        o.hidden = !show;
        if (show && o.value && !first) { first = o; }
      });
      if (first && q) { select.value = first.value; }
    });
  });
})();
