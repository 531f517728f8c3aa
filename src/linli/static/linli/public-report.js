/* Residents' pages: the map where the problem is marked, the photo picker, the copy button of the success page.
   Every part is optional: without JavaScript the form still posts (the map is then the only thing missing). */
(function () {
  "use strict";

  var MAX_PHOTOS = 6;
  var MAX_BYTES = 5 * 1024 * 1024;
  // Phone photos are often 4–12 MB; re-encoded at this size they stay sharp enough to see the problem.
  var SHRINK_ABOVE = 1.5 * 1024 * 1024;
  var MAX_SIDE = 2048;

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
      if (place) say("已标出位置：" + place.properties.name, "ok");
      else if (features.length) say("这个位置不在本平台的服务范围内，请在彩色区域内选择。", "warn");
      else say("已标出位置。", "ok");
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

    map.on("click", function (e) { place(e.latlng, false); });
    // A building tapped on the map or an address found by the search (map.js).
    document.addEventListener("linli:pick", function (e) { place(L.latLng(e.detail.lat, e.detail.lng), false); });

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
      })
      .catch(function () {
        say("区域边界加载失败，仍可在地图上点选位置。", "warn");
        if (lat.value && lng.value) place(L.latLng(parseFloat(lat.value), parseFloat(lng.value)), false);
      });

    if (navigator.geolocation && locate) {
      locate.hidden = false;
      locate.addEventListener("click", function () {
        say("正在获取您的位置……");
        locate.disabled = true;
        navigator.geolocation.getCurrentPosition(
          function (pos) {
            locate.disabled = false;
            place(L.latLng(pos.coords.latitude, pos.coords.longitude), true);
          },
          function (err) {
            locate.disabled = false;
            say(err.code === 1 ? "您没有允许获取位置，请直接在地图上点选。" : "暂时无法获取位置，请直接在地图上点选。", "warn");
          },
          { enableHighAccuracy: true, timeout: 15000, maximumAge: 60000 }
        );
      });
    }
  }

  // ------------------------------------------------------------ photos

  function canAssignFiles() {
    try {
      var dt = new DataTransfer();
      return !!dt.files;
    } catch (e) {
      return false;
    }
  }

  function shrink(file) {
    var kind = (file.type || "").toLowerCase();
    var accepted = kind === "image/jpeg" || kind === "image/png" || kind === "image/webp";
    if (accepted && file.size <= SHRINK_ABOVE) return Promise.resolve(file);
    return new Promise(function (resolve) {
      var url = URL.createObjectURL(file);
      var img = new Image();
      img.onload = function () {
        var scale = Math.min(1, MAX_SIDE / Math.max(img.naturalWidth, img.naturalHeight));
        var canvas = document.createElement("canvas");
        canvas.width = Math.round(img.naturalWidth * scale);
        canvas.height = Math.round(img.naturalHeight * scale);
        canvas.getContext("2d").drawImage(img, 0, 0, canvas.width, canvas.height);
        URL.revokeObjectURL(url);
        canvas.toBlob(function (blob) {
          if (!blob) return resolve(file);
          var name = (file.name || "photo").replace(/\.[^.]*$/, "") + ".jpg";
          resolve(new File([blob], name, { type: "image/jpeg", lastModified: Date.now() }));
        }, "image/jpeg", 0.85);
      };
      img.onerror = function () {
        URL.revokeObjectURL(url);
        resolve(file); // not something the browser can draw: the server says what is wrong with it
      };
      img.src = url;
    });
  }

  function setupPhotos() {
    var input = document.getElementById("id_photos");
    var picker = document.querySelector(".photo-picker");
    var list = document.getElementById("photo-list");
    var error = document.getElementById("err-photos");
    var form = document.getElementById("report-form");
    if (!input || !picker || !canAssignFiles()) return;
    var chosen = [];
    var pending = 0;
    var queue = Promise.resolve();

    input.hidden = true;
    input.setAttribute("aria-hidden", "true");
    input.tabIndex = -1;
    picker.hidden = false;

    function sync() {
      var dt = new DataTransfer();
      chosen.forEach(function (f) { dt.items.add(f); });
      input.files = dt.files;
      list.innerHTML = "";
      chosen.forEach(function (f, i) {
        var li = document.createElement("li");
        var img = document.createElement("img");
        img.src = URL.createObjectURL(f);
        img.alt = "第" + (i + 1) + "张照片";
        img.onload = function () { URL.revokeObjectURL(img.src); };
        var remove = document.createElement("button");
        remove.type = "button";
        remove.textContent = "×";
        remove.setAttribute("aria-label", "删除第" + (i + 1) + "张照片");
        remove.addEventListener("click", function () { chosen.splice(i, 1); sync(); });
        li.appendChild(img);
        li.appendChild(remove);
        list.appendChild(li);
      });
      for (var k = 0; k < pending; k++) {
        var busy = document.createElement("li");
        busy.className = "busy";
        list.appendChild(busy);
      }
    }

    function warn(text) { error.textContent = text; }

    Array.prototype.forEach.call(document.querySelectorAll("[data-photo-source]"), function (source) {
      source.addEventListener("change", function () {
        var files = Array.prototype.slice.call(source.files || []);
        source.value = "";
        warn("");
        var room = MAX_PHOTOS - chosen.length - pending;
        if (files.length > room) {
          warn("照片最多" + MAX_PHOTOS + "张，多出的" + (files.length - Math.max(room, 0)) + "张没有添加。");
          files = files.slice(0, Math.max(room, 0));
        }
        files.forEach(function (file) {
          pending++;
          // One at a time: photos keep their order, and a phone never holds several decoded 12-megapixel images.
          queue = queue.then(function () { return shrink(file); }).then(function (f) {
            pending--;
            if (f.size > MAX_BYTES) warn("照片“" + file.name + "”超过5MB，没有添加。");
            else chosen.push(f);
            sync();
          });
        });
        sync();
      });
    });

    form.addEventListener("submit", function (e) {
      if (pending > 0) {
        e.preventDefault();
        e.stopImmediatePropagation();
        warn("照片还在处理中，请稍等片刻再提交。");
      }
    });
  }

  // ------------------------------------------------------------ submit and copy

  function setupSubmit() {
    var form = document.getElementById("report-form");
    var button = document.getElementById("report-submit");
    if (!form || !button) return;
    form.addEventListener("submit", function () {
      // A second tap on a slow network would send the report twice.
      button.disabled = true;
      button.textContent = "正在提交……";
    });
    window.addEventListener("pageshow", function () {
      button.disabled = false;
      button.textContent = "提交";
    });
  }

  function setupCopy() {
    var button = document.querySelector("[data-copy]");
    if (!button || !navigator.clipboard) return;
    button.hidden = false;
    button.addEventListener("click", function () {
      navigator.clipboard.writeText(button.getAttribute("data-copy")).then(function () {
        button.textContent = "已复制";
      });
    });
  }

  setupMap();
  setupPhotos();
  setupSubmit();
  setupCopy();
})();
