/* Residents' pages: the map where the problem is marked, the submit button, the copy button of the success page
   (the photos are photo-picker.js's). Every part is optional: without JavaScript the form still posts (the map is
   then the only thing missing). */
(function () {
  "use strict";

  // The server refuses a form sent within 3 seconds of being drawn (a script's speed); a resident that quick
  // has the sending held back for the moment left instead.
  var MIN_FILL_MS = 3500;
  var drawn = Date.now();
  var WARN_BEFORE_S = 10 * 60; // the form's 2-hour limit is told again this long before it ends

  // ------------------------------------------------------------ map

  function ringContains(ring, x, y) {
    var inside = false;
    for (var i = 0, j = ring.length - 1; i < ring.length; j = i++) {
      var xi = ring[i][0], yi = ring[i][1], xj = ring[j][0], yj = ring[j][1];
      if ((yi > y) !== (yj > y) && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
    }
    return inside;
  }

  function polygonContains(rings, x, y) {
    if (!ringContains(rings[0], x, y)) return false;
    for (var k = 1; k < rings.length; k++) if (ringContains(rings[k], x, y)) return false;
    return true;
  }

  function featureContains(f, lng, lat) {
    var g = f.geometry;
    if (!g) return false;
    if (g.type === "Polygon") return polygonContains(g.coordinates, lng, lat);
    if (g.type === "MultiPolygon") {
      return g.coordinates.some(function (p) { return polygonContains(p, lng, lat); });
    }
    return false;
  }

  function setupMap() {
    var el = document.getElementById("report-map");
    if (!el || !window.L) return;
    var lat = document.getElementById("id_latitude");
    var lng = document.getElementById("id_longitude");
    var status = document.getElementById("map-status");
    var locate = document.getElementById("locate-me");
    var list = document.getElementById("id_place");
    var features = [];
    var marker = null;

    var map = window.linliMap ? window.linliMap.create(el, { zoomSnap: 0.5 }) : L.map(el, { attributionControl: false, zoomSnap: 0.5 });
    map.setView([0, 0], 2); // until the boundaries arrive and the map fits them

    function say(text, kind) {
      status.textContent = text;
      status.className = "map-status" + (kind ? " " + kind : "");
    }

    // The server decides (cases.places); this only tells the resident at once where the point falls.
    function describe(latlng) {
      var grid = null, community = null;
      features.forEach(function (f) {
        if (!featureContains(f, latlng.lng, latlng.lat)) return;
        if (f.properties.kind === "grid") grid = grid || f;
        else community = community || f;
      });
      var place = grid || community;
      if (place) say(interpolate(gettext("已标出位置：%(place)s"), { place: place.properties.name }, true), "ok");
      else if (features.length) say(gettext("这个位置不在本平台的服务范围内，请在彩色区域内选择。"), "warn");
      else say(gettext("已标出位置。"), "ok");
    }

    function place(latlng, pan) {
      lat.value = latlng.lat.toFixed(6);
      lng.value = latlng.lng.toFixed(6);
      if (marker) marker.setLatLng(latlng);
      else {
        marker = L.marker(latlng, { draggable: true, keyboard: false }).addTo(map);
        marker.on("dragend", function () { place(marker.getLatLng(), false); });
      }
      if (pan) map.setView(latlng, Math.max(map.getZoom(), 15));
      describe(latlng);
    }

    // A point set on the map or by the search replaces one chosen from the list of places.
    function unlist() { if (list) list.value = ""; }
    map.on("click", function (e) { unlist(); place(e.latlng, false); });
    // A building tapped on the map or an address found by the search (map.js).
    document.addEventListener("linli:pick", function (e) { unlist(); place(L.latLng(e.detail.lat, e.detail.lng), false); });
    // The list of places (a select, for the keyboard and screen readers): its option carries the point.
    function listed(pan) {
      var option = list && list.selectedOptions[0];
      if (!option || !option.value || !option.getAttribute("data-lat")) return false;
      place(L.latLng(parseFloat(option.getAttribute("data-lat")), parseFloat(option.getAttribute("data-lng"))), pan);
      say(interpolate(gettext("已选择：%(place)s"), { place: option.textContent }, true), "ok");
      return true;
    }
    if (list) list.addEventListener("change", function () {
      if (!listed(true)) { lat.value = ""; lng.value = ""; if (marker) { map.removeLayer(marker); marker = null; } say(""); }
    });

    fetch(el.getAttribute("data-territory"), { credentials: "same-origin" })
      .then(function (r) { return r.ok ? r.json() : { features: [] }; })
      .then(function (data) {
        features = data.features || [];
        var communities = features.filter(function (f) { return f.properties.kind === "community"; });
        var grids = features.filter(function (f) { return f.properties.kind === "grid"; });
        var palette = ["#3b6fb6", "#c8553d", "#5a9e6f", "#e08a3c", "#8a6bb8", "#2a9d8f", "#b5838d", "#6d597a"];
        var n = 0;
        var base = L.geoJSON({ type: "FeatureCollection", features: communities }, {
          style: function () {
            var c = palette[n++ % palette.length];
            return { color: c, weight: 2, fillColor: c, fillOpacity: 0.18 };
          },
          onEachFeature: function (f, l) {
            l.bindTooltip(f.properties.name, { permanent: true, direction: "center", className: "community-label" });
          }
        }).addTo(map);
        var lines = L.geoJSON({ type: "FeatureCollection", features: grids }, {
          style: function () { return { color: "#555", weight: 0.8, dashArray: "3 3", fill: false }; },
          interactive: false
        }).addTo(map);
        var bounds = L.featureGroup([base, lines]).getBounds();
        if (bounds.isValid()) map.fitBounds(bounds, { padding: [8, 8] });
        if (lat.value && lng.value) place(L.latLng(parseFloat(lat.value), parseFloat(lng.value)), false);
        else listed(false);
      })
      .catch(function () {
        say(gettext("区域边界加载失败，仍可在地图上点选位置。"), "warn");
        if (lat.value && lng.value) place(L.latLng(parseFloat(lat.value), parseFloat(lng.value)), false);
      });

    if (navigator.geolocation && locate) {
      locate.hidden = false;
      locate.addEventListener("click", function () {
        say(gettext("正在获取您的位置……"));
        locate.disabled = true;
        navigator.geolocation.getCurrentPosition(
          function (pos) {
            locate.disabled = false;
            place(L.latLng(pos.coords.latitude, pos.coords.longitude), true);
          },
          function (err) {
            locate.disabled = false;
            say(err.code === 1 ? gettext("您没有允许获取位置，请直接在地图上点选。")
                                : gettext("暂时无法获取位置，请直接在地图上点选。"), "warn");
          },
          { enableHighAccuracy: true, timeout: 15000, maximumAge: 60000 }
        );
      });
    }
  }

  // The tracking page: where the reporter marked the problem, on the base map (map.js) among the communities.
  function setupTrackMap() {
    var el = document.getElementById("track-map");
    if (!el || !window.L) return;
    var point = L.latLng(parseFloat(el.getAttribute("data-lat")), parseFloat(el.getAttribute("data-lng")));
    var options = { zoomSnap: 0.5, scrollWheelZoom: false };
    var map = window.linliMap ? window.linliMap.create(el, options) : L.map(el, L.extend({ attributionControl: false }, options));
    map.setView(point, 17);
    L.circleMarker(point, { radius: 8, color: "#fff", weight: 2, fillColor: "#b3261e", fillOpacity: 1 })
      .bindTooltip(gettext("问题位置"), { permanent: true, direction: "top", offset: [0, -8] })
      .addTo(map);
    fetch(el.getAttribute("data-territory"), { credentials: "same-origin" })
      .then(function (r) { return r.ok ? r.json() : { features: [] }; })
      .then(function (data) {
        L.geoJSON(data, {
          style: function (f) {
            return f.properties.kind === "grid"
              ? { color: "#555", weight: 0.8, dashArray: "3 3", fill: false }
              : { color: "#3b6fb6", weight: 2, fillOpacity: 0.08 };
          },
          interactive: false
        }).addTo(map);
      })
      .catch(function () { /* the marker alone still says where */ });
  }

  // ------------------------------------------------------------ submit and copy

  function setupSubmit() {
    var form = document.getElementById("report-form");
    var button = document.getElementById("report-submit");
    if (!form || !button) return;
    form.addEventListener("submit", function (e) {
      // A second tap on a slow network would send the report twice.
      button.disabled = true;
      button.textContent = gettext("正在提交……");
      var wait = MIN_FILL_MS - (Date.now() - drawn);
      if (wait > 0) {
        e.preventDefault();
        setTimeout(function () { form.submit(); }, wait);
      }
    });
    window.addEventListener("pageshow", function () {
      button.disabled = false;
      button.textContent = gettext("提交");
    });
  }

  // The form's time limit (stated on it) told again before it ends, and once it has: the text typed is kept.
  function setupTimeLimit() {
    var form = document.getElementById("report-form");
    var notice = document.getElementById("time-notice");
    if (!form || !notice) return;
    var left = parseInt(form.getAttribute("data-seconds-left"), 10);
    if (!(left >= 0)) return;
    function tell(text) { notice.textContent = text; notice.hidden = false; }
    setTimeout(function () {
      tell(interpolate(gettext("本页还有约%(minutes)s分钟失效，请尽快提交。"),
                       { minutes: Math.max(1, Math.round(Math.min(left, WARN_BEFORE_S) / 60)) }, true));
    }, Math.max(0, left - WARN_BEFORE_S) * 1000);
    setTimeout(function () {
      tell(gettext("本页已超过2小时。可以照常点“提交”：填写的文字会保留，换一道验证问题再提交即可。"));
    }, left * 1000);
  }

  function setupCopy() {
    var button = document.querySelector("[data-copy]");
    if (!button || !navigator.clipboard) return;
    button.hidden = false;
    button.addEventListener("click", function () {
      navigator.clipboard.writeText(button.getAttribute("data-copy")).then(function () {
        button.textContent = gettext("已复制");
      });
    });
  }

  setupMap();
  setupTrackMap();
  setupSubmit();
  setupTimeLimit();
  setupCopy();
})();
