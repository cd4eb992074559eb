// danvan's small map: a slippy tile viewer (Web Mercator, one tile host from the settings),
// a point picker that fills the latitude/longitude inputs, and markers of public cases.
// Progressive enhancement only: without this script the inputs and lists work on their own.
(function () {
  "use strict";
  var TILE = 256;

  function project(lat, lon, z) {
    var size = TILE * Math.pow(2, z);
    var s = Math.sin(Math.max(-85.05, Math.min(85.05, lat)) * Math.PI / 180);
    return {
      x: (lon + 180) / 360 * size,
      y: (0.5 - Math.log((1 + s) / (1 - s)) / (4 * Math.PI)) * size
    };
  }

  function unproject(x, y, z) {
    var size = TILE * Math.pow(2, z);
    var n = Math.PI * (1 - 2 * y / size);
    return { lat: Math.atan(Math.sinh(n)) * 180 / Math.PI, lon: x / size * 360 - 180 };
  }

  function MapView(el) {
    this.el = el;
    this.template = el.getAttribute("data-tiles");
    this.z = parseInt(el.getAttribute("data-zoom") || "13", 10);
    this.center = { lat: parseFloat(el.getAttribute("data-lat")), lon: parseFloat(el.getAttribute("data-lon")) };
    this.markers = [];
    this.layer = document.createElement("div");
    this.layer.className = "map-tiles";
    el.appendChild(this.layer);
    this.overlay = document.createElement("div");
    this.overlay.className = "map-overlay";
    el.appendChild(this.overlay);
    var attribution = document.createElement("div");
    attribution.className = "map-attribution";
    attribution.textContent = el.getAttribute("data-attribution") || "";
    el.appendChild(attribution);
    this.controls();
    this.drag();
    this.draw();
  }

  MapView.prototype.controls = function () {
    var self = this;
    var box = document.createElement("div");
    box.className = "map-zoom";
    [["+", 1, "map-zoom-in"], ["\u2212", -1, "map-zoom-out"]].forEach(function (b) {
      var btn = document.createElement("button");
      btn.type = "button";
      btn.className = "btn btn-small";
      btn.id = self.el.id + "-" + b[2];
      btn.textContent = b[0];
      btn.setAttribute("aria-label", b[1] > 0 ? "Phóng to / Zoom in" : "Thu nhỏ / Zoom out");
      btn.addEventListener("click", function (e) {
        e.stopPropagation();
        self.z = Math.max(2, Math.min(19, self.z + b[1]));
        self.draw();
      });
      box.appendChild(btn);
    });
    this.el.appendChild(box);
  };

  MapView.prototype.origin = function () {
    var c = project(this.center.lat, this.center.lon, this.z);
    return { x: c.x - this.el.clientWidth / 2, y: c.y - this.el.clientHeight / 2 };
  };

  MapView.prototype.draw = function () {
    var o = this.origin();
    var w = this.el.clientWidth, h = this.el.clientHeight, n = Math.pow(2, this.z);
    while (this.layer.firstChild) this.layer.removeChild(this.layer.firstChild);
    for (var ty = Math.floor(o.y / TILE); ty * TILE < o.y + h; ty++) {
      if (ty < 0 || ty >= n) continue;
      for (var tx = Math.floor(o.x / TILE); tx * TILE < o.x + w; tx++) {
        var img = document.createElement("img");
        img.className = "map-tile";
        img.alt = "";
        img.draggable = false;
        img.src = this.template.replace("{z}", this.z).replace("{x}", ((tx % n) + n) % n).replace("{y}", ty);
        img.style.left = (tx * TILE - o.x) + "px";
        img.style.top = (ty * TILE - o.y) + "px";
        this.layer.appendChild(img);
      }
    }
    var self = this;
    this.markers.forEach(function (m) { self.place(m); });
  };

  MapView.prototype.place = function (m) {
    var o = this.origin(), p = project(m.lat, m.lon, this.z);
    m.node.style.left = (p.x - o.x) + "px";
    m.node.style.top = (p.y - o.y) + "px";
  };

  MapView.prototype.addMarker = function (lat, lon, node) {
    node.classList.add("map-marker");
    this.overlay.appendChild(node);
    var m = { lat: lat, lon: lon, node: node };
    this.markers.push(m);
    this.place(m);
    return m;
  };

  MapView.prototype.drag = function () {
    var self = this, start = null;
    this.el.addEventListener("pointerdown", function (e) {
      if (e.target.closest && e.target.closest("button, a")) return;
      start = { x: e.clientX, y: e.clientY, c: project(self.center.lat, self.center.lon, self.z), moved: false };
    });
    this.el.addEventListener("pointermove", function (e) {
      if (!start) return;
      var dx = e.clientX - start.x, dy = e.clientY - start.y;
      if (Math.abs(dx) + Math.abs(dy) > 4) start.moved = true;
      if (start.moved) {
        self.center = unproject(start.c.x - dx, start.c.y - dy, self.z);
        self.draw();
      }
    });
    this.el.addEventListener("pointerup", function (e) {
      if (!start) return;
      var moved = start.moved;
      start = null;
      if (moved || !self.onpick) return;
      var r = self.el.getBoundingClientRect(), o = self.origin();
      self.onpick(unproject(o.x + e.clientX - r.left, o.y + e.clientY - r.top, self.z));
    });
  };

  function picker(view) {
    var lat = document.getElementById(view.el.getAttribute("data-pick-lat"));
    var lon = document.getElementById(view.el.getAttribute("data-pick-lon"));
    if (!lat || !lon) return;
    var dot = document.createElement("span");
    dot.id = view.el.id + "-pin";
    var marker = null;
    function show(a, b) {
      if (isNaN(a) || isNaN(b)) return;
      if (marker) { marker.lat = a; marker.lon = b; view.place(marker); }
      else marker = view.addMarker(a, b, dot);
    }
    function fromInputs() { show(parseFloat(lat.value.replace(",", ".")), parseFloat(lon.value.replace(",", "."))); }
    fromInputs();
    lat.addEventListener("change", fromInputs);
    lon.addEventListener("change", fromInputs);
    view.onpick = function (p) {
      lat.value = p.lat.toFixed(6);
      lon.value = p.lon.toFixed(6);
      show(p.lat, p.lon);
    };
  }

  function points(view) {
    var url = view.el.getAttribute("data-points");
    if (!url) return;
    fetch(url, { credentials: "same-origin" }).then(function (r) { return r.json(); }).then(function (doc) {
      (doc.features || []).forEach(function (f) {
        var c = f.geometry && f.geometry.coordinates;
        if (!c) return;
        var a = document.createElement("a");
        a.href = f.properties.url;
        a.title = f.properties.code + " — " + f.properties.title;
        a.setAttribute("aria-label", a.title);
        view.addMarker(c[1], c[0], a);
      });
    });
  }

  document.querySelectorAll("[data-map]").forEach(function (el) {
    el.hidden = false;
    var view = new MapView(el);
    picker(view);
    points(view);
  });
})();
