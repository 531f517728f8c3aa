/* The base layer of every map and the address search (docs/maps.md).

   linliMap.create(el, options) makes a Leaflet map with the configured tile service; without one the registry is the
   base map: estate outlines and buildings with their numbers, loaded for the view as it moves. A tap on a building
   and a chosen search result both dispatch a bubbling "linli:pick" event ({lat, lng, label, address, house}) that the
   page's own picker listens for; this module fills the form's address field and moves the map to the place.
   The page's #map-config (template tag map_config) names the tile service and the endpoints. */
(function () {
  "use strict";

  var configEl = document.getElementById("map-config");
  var config = configEl ? JSON.parse(configEl.textContent) : { tiles: null };
  var maps = [];
  if (config.icons) {
    L.Icon.Default.imagePath = "";
    L.Icon.Default.mergeOptions(config.icons);
  }

  var ESTATE = { color: "#8c8466", weight: 1, fillColor: "#e6dfc6", fillOpacity: 0.7 };
  var ESTATE_OVER_TILES = { color: "#8c8466", weight: 1, fill: false, dashArray: "4 3" };
  var ESTATES_FROM = 14; // zoom: a street's estates; below that the boundaries alone say where one is
  var BUILDINGS_FROM = 16; // zoom: about 60 m between buildings is then 30 px or more

  function pick(target, detail) {
    target.dispatchEvent(new CustomEvent("linli:pick", { bubbles: true, detail: detail }));
  }

  // GCJ-02 tiles draw a point off its WGS-84 place; the server says by how much near the view's centre, and the
  // tiles move back by that much (the data stays in WGS-84).
  var ShiftedTiles = L.TileLayer.extend({
    shift: null,
    _getTilePos: function (coords) {
      var pos = L.TileLayer.prototype._getTilePos.call(this, coords);
      if (!this.shift || !this._map) return pos;
      var c = this._map.getCenter();
      var zoom = this._tileZoom;
      var off = this._map.project([c.lat + this.shift[1], c.lng + this.shift[0]], zoom).subtract(this._map.project(c, zoom));
      return pos.subtract(off.round());
    },
    setShift: function (shift) {
      var old = this.shift;
      this.shift = shift;
      if (!old || !shift || Math.abs(old[0] - shift[0]) + Math.abs(old[1] - shift[1]) > 1e-5) this.redraw();
    }
  });

  function tileLayers(map) {
    var t = config.tiles;
    if (!t) return [];
    return t.layers.map(function (url, i) {
      return new ShiftedTiles(url, {
        subdomains: t.subdomains || "abc",
        maxZoom: t.max_zoom,
        attribution: i === 0 ? t.attribution : ""
      }).addTo(map);
    });
  }

  function buildingIcon(name) {
    var el = document.createElement("span");
    el.className = "building-mark";
    el.textContent = name;
    return L.divIcon({ html: el, className: "building-icon", iconSize: null });
  }

  function registryLayer(map, tiles) {
    var el = map.getContainer();
    var labels = L.layerGroup().addTo(map);
    var estates = L.geoJSON(null, {
      style: function () { return tiles.length ? ESTATE_OVER_TILES : ESTATE; },
      pointToLayer: function (f, latlng) { return L.circleMarker(latlng, { radius: 5, color: "#8c8466", weight: 1 }); },
      // The name above the outline: its middle is where the buildings and a picked point are.
      onEachFeature: function (f, l) {
        var at = l.getBounds ? L.latLng(l.getBounds().getNorth(), l.getBounds().getCenter().lng) : l.getLatLng();
        var label = L.tooltip({ permanent: true, direction: "top", className: "estate-label", interactive: false });
        labels.addLayer(label.setLatLng(at).setContent(f.properties.name));
      },
      interactive: false
    }).addTo(map);
    var buildings = L.geoJSON(null, {
      pointToLayer: function (f, latlng) {
        return L.marker(latlng, { icon: buildingIcon(f.properties.name), keyboard: false, title: f.properties.estate + f.properties.name });
      },
      onEachFeature: function (f, l) {
        l.on("click", function (e) {
          L.DomEvent.stopPropagation(e);
          var p = f.geometry.coordinates;
          pick(el, { lat: p[1], lng: p[0], label: f.properties.estate + f.properties.name, address: f.properties.address });
        });
      }
    }).addTo(map);
    var loading = null;
    var shown = "";

    function load() {
      var zoom = map.getZoom();
      el.classList.toggle("show-estates", zoom >= ESTATES_FROM);
      if (zoom < ESTATES_FROM || !config.base) return;
      var b = map.getBounds().pad(0.3);
      var withBuildings = zoom >= BUILDINGS_FROM;
      var query = "west=" + b.getWest().toFixed(5) + "&south=" + b.getSouth().toFixed(5) + "&east=" + b.getEast().toFixed(5) +
        "&north=" + b.getNorth().toFixed(5) + "&buildings=" + withBuildings;
      if (query === shown) return;
      if (loading) loading.abort();
      loading = new AbortController();
      fetch(config.base + "?" + query, { credentials: "same-origin", signal: loading.signal })
        .then(function (r) { return r.ok ? r.json() : null; })
        .then(function (data) {
          if (!data) return;
          shown = query;
          estates.clearLayers();
          labels.clearLayers();
          buildings.clearLayers();
          data.features.forEach(function (f) {
            (f.properties.kind === "building" ? buildings : estates).addData(f);
          });
          tiles.forEach(function (t) { t.setShift(data.shift); });
        })
        .catch(function () { /* aborted by a newer view, or offline: the boundaries still show */ });
    }
    map.on("moveend", load);
    map.whenReady(load);
  }

  function create(el, options) {
    var opts = L.extend({ zoomSnap: 0.25, attributionControl: !!config.tiles }, options || {});
    var map = L.map(el, opts);
    if (map.attributionControl) map.attributionControl.setPrefix(false);
    registryLayer(map, tileLayers(map));
    maps.push(map);
    return map;
  }

  // ---- what a pick does everywhere: the address field of the form it belongs to, and the map's view
  var filled = new WeakMap();
  document.addEventListener("linli:pick", function (e) {
    var d = e.detail;
    var form = e.target.closest("form");
    var field = form && form.elements.address;
    if (field && d.address && (!field.value || field.value === filled.get(field))) {
      field.value = d.address;
      filled.set(field, d.address);
    }
    if (d.pan) {
      maps.forEach(function (m) {
        if (document.body.contains(m.getContainer())) m.setView([d.lat, d.lng], Math.max(m.getZoom(), 17));
      });
    }
  });

  // ---- address search: [data-address-search] holds an input, a list for the results and a status line
  function search(box) {
    var input = box.querySelector("input");
    var list = box.querySelector("[data-search-results]");
    var status = box.querySelector("[data-search-status]");
    var timer = null, pending = null;

    function say(text) { status.textContent = text; }

    function choose(place) {
      list.replaceChildren();
      list.hidden = true;
      input.value = place.label;
      if (place.lat === null) { say(interpolate(gettext("“%(place)s”尚无坐标，请在地图上点选位置"), { place: place.label }, true)); return; }
      say(interpolate(gettext("已定位到 %(place)s"), { place: place.label }, true));
      pick(box, { lat: place.lat, lng: place.lon, label: place.label, address: place.address, house: place.house,
                  pan: true });
    }

    function show(places) {
      list.replaceChildren();
      places.forEach(function (place) {
        var li = document.createElement("li");
        var button = document.createElement("button");
        button.type = "button";
        button.textContent = place.label;
        button.addEventListener("click", function () { choose(place); });
        li.appendChild(button);
        list.appendChild(li);
      });
      list.hidden = !places.length;
      say(places.length ? interpolate(gettext("找到%(count)s处，请选择"), { count: places.length }, true)
                        : gettext("没有找到，请换个写法（如 小区名+楼号）或在地图上点选"));
    }

    function run() {
      var q = input.value.trim();
      if (!q) { list.hidden = true; say(""); return; }
      if (pending) pending.abort();
      pending = new AbortController();
      fetch(config.search + "?q=" + encodeURIComponent(q), { credentials: "same-origin", signal: pending.signal })
        .then(function (r) { return r.ok ? r.json() : []; })
        .then(show)
        .catch(function () {});
    }

    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(run, 250);
    });
    input.addEventListener("keydown", function (e) {
      if (e.key !== "Enter") return;
      e.preventDefault(); // Enter picks the first result instead of sending the form half filled
      clearTimeout(timer);
      var first = list.querySelector("button");
      if (first && !list.hidden) first.click(); else run();
    });
  }

  document.querySelectorAll("[data-address-search]").forEach(search);
  window.linliMap = { create: create };
})();
