/* 普查小区 map: the survey's buildings over the base map (map.js), coloured by the area holding them (grey: none).
   Where the areas may still be edited, a click on a building offers the areas of its community; choosing one posts
   the page's hidden form to the move endpoint, which answers by reloading this map. The list under the map
   (#area-places) does the same by keyboard. Data: #area-data. */
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("area-data").textContent);
  var palette = ["#3b6fb6", "#c8553d", "#5a9e6f", "#e08a3c", "#8a6bb8", "#2a9d8f", "#b5838d", "#6d597a",
                 "#9c6644", "#4d908e", "#d62828", "#577590"];
  var NONE = "#9aa0a6";
  var byId = {};
  data.areas.forEach(function (a, i) { a.color = palette[i % palette.length]; byId[a.id] = a; });

  var map = window.linliMap.create("area-map");
  // Above the base map's estate outlines, which load later and would otherwise veil the buildings' colours.
  map.createPane("areas").style.zIndex = 450;
  var form = document.getElementById("area-move");

  function el(tag, text, cls) {
    var e = document.createElement(tag);
    if (text) e.textContent = text;
    if (cls) e.className = cls;
    return e;
  }

  function label(a) { return a.code + (a.name ? " " + a.name : ""); }

  function popup(f) {
    var p = f.properties;
    var box = el("div", null, "area-popup");
    box.appendChild(el("strong", p.name));
    var held = byId[p.area];
    box.appendChild(el("p", interpolate(held ? gettext("现属 %(area)s · %(people)s 人") : gettext("未划入普查小区 · %(people)s 人"),
                                 { area: held ? label(held) : "", people: p.people }, true)));
    if (!data.editable) return box;
    var choices = data.areas.filter(function (a) { return a.community === p.community && a.id !== p.area; });
    if (!choices.length) {
      box.appendChild(el("p", gettext("本社区没有其他普查小区可划入。"), "muted"));
      return box;
    }
    var select = el("select");
    select.setAttribute("aria-label", gettext("划入的普查小区"));
    choices.forEach(function (a) {
      var o = el("option", label(a));
      o.value = a.id;
      select.appendChild(o);
    });
    var button = el("button", gettext("划入"), "btn btn-primary");
    button.type = "button";
    button.addEventListener("click", function () {
      var target = byId[select.value];
      form.action = data.move.replace("{area}", target.id);
      form.elements.building_id.value = p.id;
      form.elements.version.value = target.version;
      form.submit();
    });
    box.appendChild(select);
    box.appendChild(button);
    return box;
  }

  var layer = L.geoJSON(data.buildings, {
    pointToLayer: function (f, latlng) {
      var a = byId[f.properties.area];
      return L.circleMarker(latlng, {
        pane: "areas", radius: 8, weight: 2, color: "#fff", fillColor: a ? a.color : NONE, fillOpacity: 0.95
      });
    },
    onEachFeature: function (f, l) {
      var a = byId[f.properties.area];
      l.bindTooltip(f.properties.name + " · " + (a ? a.code : gettext("未划入")), { direction: "top" });
      l.bindPopup(function () { return popup(f); });
    }
  }).addTo(map);
  if (data.buildings.features.length) map.fitBounds(layer.getBounds(), { padding: [24, 24], maxZoom: 17 });

  // The list under the map: each building with its area, and a button that opens its pop-up (a street has hundreds
  // of buildings: the list, not a tab stop per dot, is the keyboard's way in).
  var places = [];
  layer.eachLayer(function (l) {
    var p = l.feature.properties;
    var a = byId[p.area];
    var note = interpolate(gettext("%(area)s · %(people)s 人"), { area: a ? label(a) : gettext("未划入"), people: p.people }, true);
    places.push({ label: p.name, note: note, layer: l });
  });
  var placeList = document.getElementById("area-places");
  if (placeList) L.linliPlaces(map, placeList, places);

  var legend = document.getElementById("area-legend");
  data.areas.forEach(function (a) {
    var li = el("li");
    var swatch = el("span", null, "swatch");
    swatch.style.background = a.color;
    li.appendChild(swatch);
    li.appendChild(document.createTextNode(label(a)));
    legend.appendChild(li);
  });
  var none = el("li");
  var grey = el("span", null, "swatch");
  grey.style.background = NONE;
  none.appendChild(grey);
  none.appendChild(document.createTextNode(gettext("未划入")));
  legend.appendChild(none);
})();
