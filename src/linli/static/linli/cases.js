/* Case pages: maps drawn without a tile server (grid boundaries and the point), picking the point of a new case
   by a tap or the phone's position, ticking a whole page of the workbench, revealing a reporter's phone. */
(function () {
  "use strict";

  function data(id) {
    var el = document.getElementById(id);
    return el ? JSON.parse(el.textContent) : null;
  }

  // With map.js on the page: the configured tiles, or the registry's estates and buildings, under the boundaries.
  function blankMap(id) {
    return window.linliMap ? window.linliMap.create(id) : L.map(id, { attributionControl: false, zoomSnap: 0.25 });
  }

  var POINT = { radius: 9, color: "#fff", weight: 3, fillColor: "#b3261e", fillOpacity: 1 };
  var GRID = { color: "#3b6fb6", weight: 2, fillColor: "#3b6fb6", fillOpacity: 0.12 };

  // ---- the case page: the grid's boundary and the point
  function caseMap() {
    var geo = data("case-geo");
    if (!geo || !window.L || !document.getElementById("case-map")) return;
    var map = blankMap("case-map");
    var layers = [], bounds = null;
    if (geo.boundary) {
      var area = L.geoJSON(geo.boundary, { style: GRID }).bindTooltip(geo.name, { sticky: true });
      layers.push(area);
      bounds = area.getBounds();
    }
    if (geo.point) {
      var point = L.latLng(geo.point[0], geo.point[1]);
      layers.push(L.circleMarker(point, POINT).bindTooltip(gettext("事发位置")));
      bounds = bounds ? bounds.extend(point) : L.latLngBounds(point, point);
    }
    // The view first: vector layers are clipped to it as they are added.
    map.fitBounds(bounds, { padding: [16, 16], maxZoom: 17 });
    layers.forEach(function (l) { l.addTo(map); });
  }

  // ---- intake and patrol report: the point from a tap on the grid map or from the phone
  function pointPicker() {
    var lat = document.querySelector("input[name=latitude]");
    var lng = document.querySelector("input[name=longitude]");
    var status = document.querySelector("[data-point-status]");
    if (!lat || !lng || !status) return;
    var clear = document.querySelector("[data-clear-point]");
    var locate = document.querySelector("[data-locate]");
    var map = null, marker = null;

    function show(latlng, text) {
      lat.value = latlng.lat.toFixed(6);
      lng.value = latlng.lng.toFixed(6);
      status.textContent = interpolate(gettext("已选位置：%(place)s（%(lat)s，%(lng)s）"), { place: text, lat: lat.value, lng: lng.value }, true);
      if (clear) clear.hidden = false;
      if (map) {
        if (marker) marker.setLatLng(latlng); else marker = L.circleMarker(latlng, POINT).addTo(map);
      }
    }

    var grids = data("grids-geojson");
    if (grids && grids.features && grids.features.length && window.L && document.getElementById("pick-map")) {
      map = blankMap("pick-map");
      var labels = grids.features.length <= 12;
      var layer = L.geoJSON(grids, {
        style: GRID,
        onEachFeature: function (f, l) {
          if (labels) l.bindTooltip(f.properties.label, { permanent: true, direction: "center", className: "region-label" });
          else l.bindTooltip(f.properties.name, { sticky: true });
          l.on("click", function (e) {
            L.DomEvent.stopPropagation(e);
            show(e.latlng, f.properties.name);
          });
        }
      });
      map.fitBounds(layer.getBounds(), { padding: [12, 12] });
      layer.addTo(map);
      map.on("click", function (e) {
        show(e.latlng, gettext("不在您管辖的网格内"));
      });
      if (lat.value && lng.value) marker = L.circleMarker([+lat.value, +lng.value], POINT).addTo(map);
    }

    // A building tapped on the map or an address found by the search (map.js).
    document.addEventListener("linli:pick", function (e) {
      show(L.latLng(e.detail.lat, e.detail.lng), e.detail.label);
      if (e.detail.house) chooseHouse(e.detail.house, e.detail.label);
    });
    if (clear) {
      clear.addEventListener("click", function () {
        lat.value = lng.value = "";
        status.textContent = gettext("尚未选择位置");
        clear.hidden = true;
        if (marker) { marker.remove(); marker = null; }
      });
    }
    if (locate) {
      if (!navigator.geolocation) { locate.hidden = true; return; }
      locate.addEventListener("click", function () {
        status.textContent = gettext("正在获取当前位置……");
        navigator.geolocation.getCurrentPosition(function (pos) {
          var here = L.latLng(pos.coords.latitude, pos.coords.longitude);
          show(here, interpolate(gettext("当前位置，精度约%(metres)s米"), { metres: Math.round(pos.coords.accuracy) }, true));
          if (map) map.setView(here, Math.max(map.getZoom(), 16));
        }, function (err) {
          status.textContent = err.code === 1 ? gettext("未获得定位权限，请在地图上点选或选择网格")
                                              : gettext("暂时无法定位，请在地图上点选或选择网格");
        }, { enableHighAccuracy: true, timeout: 15000, maximumAge: 60000 });
      });
    }
  }

  // A house found by the address search becomes the case's house, as if found by 查找房屋 (the server checks it).
  function chooseHouse(pk, label) {
    var box = document.getElementById("house-results");
    if (!box) return;
    var list = document.createElement("div");
    list.className = "choices house-list";
    [[pk, label, true], ["", gettext("不指定房屋"), false]].forEach(function (c) {
      var choice = document.createElement("label");
      var input = document.createElement("input");
      choice.className = "choice";
      input.type = "radio";
      input.name = "house";
      input.value = c[0];
      input.checked = c[2];
      choice.append(input, c[1]);
      list.append(choice);
    });
    box.replaceChildren(list);
  }

  // ---- workbench: tick the whole page; the bulk action says how many rows it acts on
  function checkAll() {
    var all = document.querySelector("[data-check-all]");
    if (!all) return;
    var boxes = function () { return document.querySelectorAll("input[name=cases]"); };
    var count = document.querySelector("[data-selected-count]");
    var submit = document.querySelector("[data-needs-selection]");
    function counted() {
      var n = Array.prototype.filter.call(boxes(), function (b) { return b.checked; }).length;
      if (count) {
        count.textContent = n ? interpolate(gettext("已选%(count)s件"), { count: n }, true) : gettext("请先在上方列表中勾选事件");
        count.classList.toggle("has-selection", n > 0);
      }
      if (submit) submit.disabled = n === 0;
    }
    all.addEventListener("change", function () {
      boxes().forEach(function (b) { b.checked = all.checked; });
      counted();
    });
    all.form.addEventListener("change", counted);
    counted();
  }

  // ---- the reporter's full phone, through the audited API
  function reveal() {
    var form = document.querySelector("form[data-reveal-url]");
    if (!form) return;
    var error = form.querySelector("[data-reveal-error]");
    form.addEventListener("submit", function (e) {
      e.preventDefault();
      error.textContent = "";
      fetch(form.dataset.revealUrl, {
        method: "POST",
        credentials: "same-origin",
        headers: { "Content-Type": "application/json", "X-CSRFToken": form.elements.csrfmiddlewaretoken.value },
        body: JSON.stringify({ purpose: form.elements.purpose.value })
      }).then(function (r) {
        return r.json().then(function (body) { return { ok: r.ok, body: body }; });
      }).then(function (res) {
        if (!res.ok) {
          var first = (res.body.errors || [])[0];
          error.textContent = first ? first.message : (res.body.detail || gettext("查看失败"));
          return;
        }
        var target = document.querySelector("[data-reveal-target]");
        var mark = document.createElement("mark");
        mark.textContent = res.body.reporter_phone || "—";
        target.replaceChildren(mark);
        form.hidden = true;
      }).catch(function () {
        error.textContent = gettext("网络异常，请稍后重试");
      });
    });
  }

  caseMap();
  pointPicker();
  checkAll();
  reveal();
})();
