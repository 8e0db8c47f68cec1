/* The kernel's map component (hromada/core/templates/core/_map.html, docs/maps.md).

   Each <div data-map="<config id>"> becomes a Leaflet map configured by the JSON element
   of that id (built by hromada_map.map_config): GeoJSON layers by URL, tiles from
   MAP_TILES_URL when there are any, and one of three modes:
     show  areas and points (clustered), popups with the name and a link;
     pick  a tap sets a marker and writes lat/lon into two inputs; typing moves it;
     draw  taps add polygon vertices, handles drag them, the textarea gets the GeoJSON.
   With no tiles (none configured, or they fail to load: a server without internet) the
   data is drawn on a plain background and a note says so. A layer's answer may hold
   clusters counted by the server (features with properties.cluster, count, bbox, label):
   each is a keyboard-reachable button that zooms to its bbox. Under the strict CSP: no
   inline style or script (Leaflet's element.style writes are CSSOM, which CSP allows),
   and every string shown comes from the config (translated on the server). */
(function () {
  "use strict";
  if (typeof window.L === "undefined") {
    return;
  }
  var L = window.L;

  function byId(id) {
    return id ? document.getElementById(id) : null;
  }
  function fill(text, values) {
    return String(text).replace(/\{(\w+)\}/g, function (_m, key) {
      return values[key] === undefined ? "" : String(values[key]);
    });
  }
  function escapeHtml(text) {
    return String(text).replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
    });
  }
  function safeUrl(url) {
    return typeof url === "string" && /^(\/(?!\/)|https?:\/\/)/.test(url) ? url : "";
  }
  function round(value) {
    return Math.round(value * 1e6) / 1e6;
  }
  // Fired so that other scripts (an address field, a form's own checks) hear the change.
  function announceChange(input) {
    input.dispatchEvent(new Event("input", { bubbles: true }));
    input.dispatchEvent(new Event("change", { bubbles: true }));
  }

  function pointIcon(style) {
    return L.divIcon({
      className: "map-point map-point-" + (style || "default"),
      iconSize: [22, 22],
      iconAnchor: [11, 11],
      popupAnchor: [0, -10],
      html: ""
    });
  }

  function popupContent(props, texts) {
    var box = document.createElement("div");
    box.className = "map-popup";
    var title = document.createElement("p");
    title.className = "map-popup-title";
    var url = safeUrl(props.url);
    var name = props.label || props.name || "";
    if (url) {
      var link = document.createElement("a");
      link.href = url;
      link.textContent = name || texts.open;
      title.appendChild(link);
    } else {
      title.textContent = name;
    }
    box.appendChild(title);
    if (props.meta) {
      var meta = document.createElement("p");
      meta.className = "meta";
      meta.textContent = props.meta;
      box.appendChild(meta);
    }
    return box;
  }

  function MapView(element, cfg) {
    this.el = element;
    this.cfg = cfg;
    this.texts = cfg.texts || {};
    this.note = byId(cfg.id + "-note");
    this.statusEl = byId(cfg.id + "-status");
    this.groups = [];
    this.pending = 0;
    this.fitted = false;
    var map = (this.map = L.map(element, {
      center: cfg.center,
      zoom: cfg.zoom,
      attributionControl: false,
      maxZoom: 19,
      keyboard: true,
      // Taps place points in pick and draw modes: two quick taps are two points, not a zoom.
      doubleClickZoom: cfg.mode === "show"
    }));
    L.control.attribution({ prefix: false }).addTo(map);
    this.tiles();
    this.layers();
    if (cfg.mode === "pick") {
      this.pick();
    } else if (cfg.mode === "draw") {
      this.draw();
    }
    var actions = document.querySelector('[data-map-actions="' + cfg.id + '"]');
    if (actions) {
      actions.hidden = false;
    }
    this.maybeFit();
  }

  MapView.prototype.status = function (text) {
    if (this.statusEl) {
      this.statusEl.textContent = text || "";
    }
  };

  MapView.prototype.plain = function () {
    // No base map: the data stands on a plain background, and the note says why.
    this.el.classList.add("map-plain");
    if (this.note) {
      this.note.hidden = false;
    }
  };

  MapView.prototype.tiles = function () {
    var self = this;
    var tiles = this.cfg.tiles || {};
    if (!tiles.url) {
      this.plain();
      return;
    }
    var loaded = 0;
    var failed = 0;
    var layer = L.tileLayer(tiles.url, {
      maxZoom: 19,
      attribution: tiles.attribution ? escapeHtml(tiles.attribution) : "",
      crossOrigin: false,
      // The site sends no Referer across origins; tile servers (OpenStreetMap's) ask
      // for one: send the origin only, never the page's path.
      referrerPolicy: "strict-origin-when-cross-origin"
    });
    function giveUp() {
      if (loaded === 0 && self.map.hasLayer(layer)) {
        self.map.removeLayer(layer);
        self.plain();
      }
    }
    layer.on("tileload", function () {
      loaded += 1;
    });
    layer.on("tileerror", function () {
      failed += 1;
      if (failed >= 2) {
        giveUp();
      }
    });
    layer.addTo(this.map);
    // A tile server that never answers is as absent as one that refuses.
    window.setTimeout(giveUp, 8000);
  };

  // A cluster the server counted (a feature with properties.cluster): a marker that is
  // a button — its count shown, its label read out — zooming to the cluster's bbox on
  // a click, Enter or Space.
  MapView.prototype.clusterMarker = function (feature, latlng, spec) {
    var self = this;
    var props = feature.properties || {};
    var n = Number(props.count) || 0;
    var label = props.label ? String(props.label) : fill(this.texts.cluster, { n: n });
    var size = n < 10 ? 34 : n < 100 ? 40 : n < 1000 ? 46 : 52;
    var marker = L.marker(latlng, {
      icon: L.divIcon({
        className: "map-cluster map-cluster-counted map-cluster-" + (spec.style || "default"),
        iconSize: [size, size],
        html: '<span aria-hidden="true">' + escapeHtml(String(n)) + "</span>"
      }),
      keyboard: true,
      title: label,
      zIndexOffset: 500
    });
    function zoom() {
      var b = props.bbox;
      var map = self.map;
      if (b && b.length === 4 && (b[2] - b[0] > 1e-6 || b[3] - b[1] > 1e-6)) {
        map.fitBounds(L.latLngBounds([b[1], b[0]], [b[3], b[2]]), { padding: [24, 24], maxZoom: 18 });
      } else {
        map.setView(latlng, Math.min(map.getZoom() + 2, 19));
      }
      // The marker goes with the next answer: keep the keyboard in the map.
      map.getContainer().focus();
    }
    marker.on("click", zoom);
    marker.on("add", function () {
      var el = marker.getElement();
      if (!el || el.getAttribute("data-cluster")) {
        return;
      }
      el.setAttribute("data-cluster", String(n));
      el.setAttribute("aria-label", fill(self.texts.cluster_zoom || "{label}", { label: label, n: n }));
      el.addEventListener("keydown", function (event) {
        if (event.key === "Enter" || event.key === " " || event.key === "Spacebar") {
          event.preventDefault();
          L.DomEvent.stopPropagation(event);
          zoom();
        }
      });
    });
    return marker;
  };

  MapView.prototype.geoOptions = function (spec) {
    var self = this;
    var texts = this.texts;
    var editing = this.cfg.mode !== "show";
    return {
      style: function () {
        return {
          className: "map-shape map-shape-" + spec.style,
          interactive: !editing,
          weight: 2
        };
      },
      pointToLayer: function (feature, latlng) {
        var props = feature.properties || {};
        if (props.cluster === true) {
          return self.clusterMarker(feature, latlng, spec);
        }
        var name = props.label || props.name || "";
        return L.marker(latlng, {
          icon: pointIcon(spec.style),
          // The point a page is about stays above its neighbours, whichever loads last.
          zIndexOffset: spec.style === "highlight" ? 1000 : 0,
          title: name,
          alt: name,
          keyboard: true,
          interactive: !editing || spec.kind === "points"
        });
      },
      onEachFeature: function (feature, layer) {
        var props = feature.properties || {};
        if (props.cluster !== true && (props.label || props.name || props.url)) {
          layer.bindPopup(popupContent(props, texts));
        }
      }
    };
  };

  // A layer's group on the map (what the layers control shows and hides), and inside it
  // the client's own clustering of points, when the layer has it: clusters the server
  // counted go beside it, never into it (they would be counted as one point each).
  MapView.prototype.makeGroup = function (spec) {
    var group = L.featureGroup();
    var points = this.makePoints(spec);
    if (points) {
      group.addLayer(points);
    }
    return { group: group, points: points };
  };

  MapView.prototype.makePoints = function (spec) {
    var texts = this.texts;
    if (spec.kind === "points" && spec.cluster && typeof L.markerClusterGroup === "function") {
      return L.markerClusterGroup({
        showCoverageOnHover: false,
        maxClusterRadius: 50,
        iconCreateFunction: function (cluster) {
          var n = cluster.getChildCount();
          return L.divIcon({
            className: "map-cluster",
            iconSize: [40, 40],
            html:
              '<span aria-hidden="true">' +
              n +
              '</span><span class="visually-hidden">' +
              escapeHtml(fill(texts.cluster, { n: n })) +
              "</span>"
          });
        }
      });
    }
    return null;
  };

  MapView.prototype.layers = function () {
    var self = this;
    var overlays = {};
    (this.cfg.layers || []).forEach(function (spec) {
      var made = self.makeGroup(spec);
      var entry = { spec: spec, group: made.group, points: made.points };
      self.groups.push(entry);
      if (spec.shown) {
        entry.group.addTo(self.map);
      }
      overlays[escapeHtml(spec.name)] = entry.group;
      if (spec.bbox) {
        self.bboxLayer(entry);
      } else {
        self.fetchInto(entry, spec.url);
      }
    });
    if ((this.cfg.layers || []).length > 1) {
      L.control.layers(null, overlays, { collapsed: window.innerWidth < 768 }).addTo(this.map);
    }
  };

  MapView.prototype.clear = function (entry) {
    var group = entry.group;
    if (entry.points) {
      entry.points.clearLayers();
    }
    group.eachLayer(function (layer) {
      if (layer !== entry.points) {
        group.removeLayer(layer);
      }
    });
  };

  MapView.prototype.count = function (entry) {
    return entry.group.getLayers().length + (entry.points ? entry.points.getLayers().length - 1 : 0);
  };

  MapView.prototype.fetchInto = function (entry, url, signal) {
    var self = this;
    var spec = entry.spec;
    if (spec.fit) {
      self.pending += 1;
    }
    return fetch(url, { headers: { Accept: "application/geo+json, application/json" }, signal: signal })
      .then(function (response) {
        if (!response.ok) {
          throw new Error(String(response.status));
        }
        return response.json();
      })
      .then(function (data) {
        var geo = L.geoJSON(data, self.geoOptions(spec));
        var plain = [];
        self.clear(entry);
        geo.eachLayer(function (layer) {
          var props = (layer.feature && layer.feature.properties) || {};
          if (props.cluster === true || !entry.points) {
            entry.group.addLayer(layer);
          } else {
            plain.push(layer);
          }
        });
        if (entry.points && plain.length) {
          entry.points.addLayers(plain);
        }
      })
      .catch(function (error) {
        if (error && error.name === "AbortError") {
          return;
        }
        self.status(fill(self.texts.load_failed, { name: spec.name }));
      })
      .then(function () {
        if (spec.fit) {
          self.pending -= 1;
          self.maybeFit();
        }
      });
  };

  MapView.prototype.bboxLayer = function (entry) {
    var self = this;
    var spec = entry.spec;
    var group = entry.group;
    var controller = null;
    function refresh() {
      if (controller) {
        controller.abort();
      }
      if (!self.map.hasLayer(group)) {
        return;
      }
      if (self.map.getZoom() < spec.min_zoom) {
        self.clear(entry);
        self.status(fill(self.texts.zoom_in, { name: spec.name }));
        return;
      }
      self.status("");
      var b = self.map.getBounds();
      var box = [b.getWest(), b.getSouth(), b.getEast(), b.getNorth()]
        .map(function (v) {
          return v.toFixed(5);
        })
        .join(",");
      controller = typeof AbortController === "function" ? new AbortController() : null;
      // The zoom too: a layer that clusters on the server sizes its cells by it.
      var url =
        spec.url +
        (spec.url.indexOf("?") === -1 ? "?" : "&") +
        "bbox=" +
        encodeURIComponent(box) +
        "&zoom=" +
        Math.round(self.map.getZoom());
      self.fetchInto(entry, url, controller ? controller.signal : undefined);
    }
    this.map.on("moveend overlayadd", refresh);
    // After the first fit, so the first request asks for the box people look at
    // (every bbox layer's: a page may have several, e.g. one per status).
    this.afterFit = (this.afterFit || []).concat([refresh]);
  };

  MapView.prototype.maybeFit = function () {
    if (this.pending > 0 || this.fitted) {
      return;
    }
    this.fitted = true;
    var bounds = null;
    if (this.focusBounds && this.focusBounds.isValid()) {
      bounds = this.focusBounds;
    } else if (!this.cfg.fixed) {
      this.groups.forEach(function (entry) {
        if (!entry.spec.fit || typeof entry.group.getBounds !== "function") {
          return;
        }
        var b = entry.group.getBounds();
        if (b && b.isValid()) {
          bounds = bounds ? bounds.extend(b) : L.latLngBounds(b.getSouthWest(), b.getNorthEast());
        }
      });
    }
    // Marks the view as still (tests and scripts wait on it before clicking markers:
    // a click during the fit's animation lands where the marker used to be).
    var container = this.map.getContainer();
    function settled() {
      container.setAttribute("data-map-settled", "1");
    }
    if (bounds) {
      this.map.once("moveend", settled);
      this.map.fitBounds(bounds, { padding: [16, 16], maxZoom: this.focusZoom || 16 });
    } else if (!this.cfg.fixed && this.cfg.mode === "show" && this.groups.length && this.isEmpty()) {
      this.status(this.texts.empty);
    }
    if (!bounds) {
      settled();
    }
    if (this.afterFit) {
      this.afterFit.forEach(function (fn) {
        fn();
      });
    }
  };

  MapView.prototype.isEmpty = function () {
    var self = this;
    var loaded = this.groups.filter(function (entry) {
      return !entry.spec.bbox;
    });
    return (
      loaded.length > 0 &&
      loaded.every(function (entry) {
        return self.count(entry) === 0;
      })
    );
  };

  // --- pick: a point written into two inputs ------------------------------------

  MapView.prototype.pick = function () {
    var self = this;
    var latIn = byId(this.cfg.pick.lat);
    var lonIn = byId(this.cfg.pick.lon);
    if (!latIn || !lonIn) {
      return;
    }
    var marker = null;
    var writing = false;
    function place(latlng, write) {
      if (!marker) {
        marker = L.marker(latlng, {
          icon: pointIcon("highlight"),
          draggable: true,
          keyboard: true,
          title: self.texts.marker,
          alt: self.texts.marker
        }).addTo(self.map);
        marker.on("dragend", function () {
          place(marker.getLatLng(), true);
        });
      } else {
        marker.setLatLng(latlng);
      }
      if (write) {
        writing = true;
        latIn.value = round(latlng.lat).toFixed(6);
        lonIn.value = round(latlng.lng).toFixed(6);
        announceChange(latIn);
        announceChange(lonIn);
        writing = false;
        self.status(fill(self.texts.picked, { lat: latIn.value, lon: lonIn.value }));
      }
    }
    function read() {
      var lat = parseFloat(String(latIn.value).replace(",", "."));
      var lon = parseFloat(String(lonIn.value).replace(",", "."));
      if (isFinite(lat) && isFinite(lon) && lat >= -90 && lat <= 90 && lon >= -180 && lon <= 180) {
        return L.latLng(lat, lon);
      }
      return null;
    }
    function fromInputs() {
      if (writing) {
        return;
      }
      var latlng = read();
      if (latlng) {
        place(latlng, false);
        self.map.panTo(latlng);
      }
    }
    latIn.addEventListener("change", fromInputs);
    lonIn.addEventListener("change", fromInputs);
    latIn.addEventListener("input", fromInputs);
    lonIn.addEventListener("input", fromInputs);
    this.map.on("click", function (event) {
      place(event.latlng, true);
    });
    this.onAction("pick-centre", function () {
      place(self.map.getCenter(), true);
    });
    var initial = read();
    if (initial) {
      place(initial, false);
      this.focusBounds = L.latLngBounds(initial, initial);
      this.focusZoom = 17;
    }
  };

  // --- draw: a polygon written into a textarea as GeoJSON ------------------------

  MapView.prototype.draw = function () {
    var self = this;
    var target = byId(this.cfg.draw.target);
    if (!target) {
      return;
    }
    var vertices = [];
    var handles = [];
    var finished = false;
    var writing = false;
    var lastWritten = null; // what the map last wrote: reading it back would lose a drawing in progress
    var shown = null; // a MultiPolygon (or one with holes): shown, not edited
    var outline = L.polygon([], {
      className: "map-shape map-shape-highlight map-drawing",
      interactive: false,
      weight: 3
    }).addTo(this.map);

    function redraw() {
      outline.setLatLngs(vertices.slice());
    }
    function rebuildHandles() {
      handles.forEach(function (h) {
        self.map.removeLayer(h);
      });
      handles = vertices.map(function (latlng, i) {
        var handle = L.marker(latlng, {
          // The first point is marked: tapping it closes the outline.
          icon: L.divIcon({
            className: i === 0 ? "map-vertex map-vertex-first" : "map-vertex",
            iconSize: [22, 22],
            iconAnchor: [11, 11],
            html: ""
          }),
          draggable: true,
          keyboard: true,
          title: fill(self.texts.vertex, { n: i + 1 }),
          alt: fill(self.texts.vertex, { n: i + 1 })
        }).addTo(self.map);
        handle.on("drag", function () {
          vertices[i] = handle.getLatLng();
          redraw();
        });
        handle.on("dragend", write);
        handle.on("click", function () {
          // Tapping the first point closes the outline.
          if (i === 0 && vertices.length >= 3 && !finished) {
            finish();
          }
        });
        return handle;
      });
    }
    function write() {
      writing = true;
      if (vertices.length >= 3) {
        var ring = vertices.map(function (ll) {
          return [round(ll.lng), round(ll.lat)];
        });
        ring.push(ring[0].slice());
        target.value = JSON.stringify({ type: "Polygon", coordinates: [ring] });
      } else {
        target.value = "";
      }
      lastWritten = target.value;
      announceChange(target);
      writing = false;
    }
    function clearShown() {
      if (shown) {
        self.map.removeLayer(shown);
        shown = null;
      }
    }
    function finish() {
      if (vertices.length >= 3) {
        finished = true;
        self.el.classList.remove("map-drawing-active");
        write();
        self.status(fill(self.texts.finished, { n: vertices.length }));
      }
    }
    function add(latlng) {
      if (finished || shown) {
        return;
      }
      vertices.push(latlng);
      redraw();
      rebuildHandles();
      write();
      self.status(fill(self.texts.points, { n: vertices.length }));
    }
    function geometryOf(value) {
      if (!value || typeof value !== "object") {
        return null;
      }
      if (value.type === "FeatureCollection" && value.features && value.features.length === 1) {
        value = value.features[0];
      }
      if (value.type === "Feature") {
        value = value.geometry;
      }
      return value && (value.type === "Polygon" || value.type === "MultiPolygon") ? value : null;
    }
    // The textarea's content, drawn for editing. Returns false when it is not a polygon.
    function fromTarget(quiet) {
      lastWritten = target.value;
      var text = String(target.value || "").trim();
      clearShown();
      if (!text) {
        vertices = [];
        finished = false;
        redraw();
        rebuildHandles();
        return true;
      }
      var geom;
      try {
        geom = geometryOf(JSON.parse(text));
      } catch (_e) {
        geom = null;
      }
      if (!geom) {
        if (!quiet) {
          self.status(self.texts.not_polygon);
        }
        return false;
      }
      var rings = geom.type === "Polygon" ? [geom.coordinates] : geom.coordinates;
      if (rings.length === 1 && rings[0].length === 1) {
        var ring = rings[0][0].slice();
        if (ring.length > 1 && ring[0][0] === ring[ring.length - 1][0] && ring[0][1] === ring[ring.length - 1][1]) {
          ring.pop();
        }
        vertices = ring
          .filter(function (p) {
            return p && isFinite(p[0]) && isFinite(p[1]);
          })
          .map(function (p) {
            return L.latLng(p[1], p[0]);
          });
        finished = vertices.length >= 3;
      } else {
        vertices = [];
        finished = true;
        shown = L.geoJSON(geom, {
          style: function () {
            return { className: "map-shape map-shape-highlight", interactive: false };
          }
        }).addTo(self.map);
        self.status(self.texts.multi);
      }
      redraw();
      rebuildHandles();
      return true;
    }
    var typing = null;
    function edited() {
      return !writing && target.value !== lastWritten;
    }
    target.addEventListener("input", function () {
      if (!edited()) {
        return;
      }
      window.clearTimeout(typing);
      typing = window.setTimeout(function () {
        if (edited()) {
          fromTarget(true);
        }
      }, 400);
    });
    target.addEventListener("change", function () {
      if (edited()) {
        fromTarget(false);
      }
    });
    this.map.on("click", function (event) {
      add(event.latlng);
    });
    this.onAction("add-centre", function () {
      add(self.map.getCenter());
    });
    this.onAction("undo", function () {
      if (shown || !vertices.length) {
        return;
      }
      finished = false;
      vertices.pop();
      redraw();
      rebuildHandles();
      write();
      self.status(fill(self.texts.points, { n: vertices.length }));
    });
    this.onAction("finish", finish);
    this.onAction("clear", function () {
      clearShown();
      vertices = [];
      finished = false;
      redraw();
      rebuildHandles();
      write();
      self.status(self.texts.cleared);
    });
    fromTarget(true);
    var drawn = shown ? shown.getBounds() : vertices.length ? L.latLngBounds(vertices) : null;
    if (drawn && drawn.isValid()) {
      this.focusBounds = drawn;
    }
  };

  MapView.prototype.onAction = function (name, handler) {
    var actions = document.querySelector('[data-map-actions="' + this.cfg.id + '"]');
    var button = actions && actions.querySelector('[data-map-action="' + name + '"]');
    if (button) {
      button.addEventListener("click", function (event) {
        event.preventDefault();
        handler();
      });
    }
  };

  function init() {
    var elements = document.querySelectorAll("[data-map]");
    Array.prototype.forEach.call(elements, function (element) {
      if (element.getAttribute("data-map-ready")) {
        return;
      }
      var source = byId(element.getAttribute("data-map"));
      if (!source) {
        return;
      }
      var cfg;
      try {
        cfg = JSON.parse(source.textContent);
      } catch (_e) {
        return;
      }
      element.setAttribute("data-map-ready", "1");
      element._hromadaMap = new MapView(element, cfg);
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
  // A map swapped in by htmx (a staff form re-rendered with its errors).
  document.addEventListener("htmx:afterSettle", init);
})();
