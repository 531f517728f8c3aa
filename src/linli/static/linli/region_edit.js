/* Region form: the boundary drawn and edited on the map (Leaflet-Geoman) instead of typed as GeoJSON. The text
   field stays the one the form posts, so the server checks the shape as it checks a typed one. */
(function () {
  "use strict";
  var field = document.getElementById("id_boundary");
  var el = document.getElementById("boundary-map");
  if (!field || !el || !window.L || !L.PM) return;
  el.hidden = false;
  document.getElementById("boundary-help").hidden = false;
  var map = window.linliMap.create(el);
  map.pm.setLang("zh");
  map.pm.addControls({
    position: "topleft", drawMarker: false, drawCircleMarker: false, drawPolyline: false, drawRectangle: true,
    drawCircle: false, drawText: false, cutPolygon: false, rotateMode: false
  });
  // The toolbar's buttons are links without text: each is named by its container's title (绘制多边形, 编辑图层…).
  el.querySelectorAll(".button-container[title] > .leaflet-buttons-control-button").forEach(function (b) { b.setAttribute("aria-label", b.parentNode.title); });
  var shapes = L.featureGroup().addTo(map);
  var outerEl = document.getElementById("boundary-outer");
  var outer = outerEl ? JSON.parse(outerEl.textContent) : null;
  var bounds = null;
  if (outer) {
    var around = L.geoJSON(outer, { style: { color: "#555", weight: 1.5, dashArray: "5 4", fill: false }, interactive: false, pmIgnore: true }).addTo(map);
    bounds = around.getBounds();
  }

  function write() {
    var polygons = [];
    shapes.eachLayer(function (l) {
      var g = l.toGeoJSON().geometry;
      if (g.type === "Polygon") polygons.push(g.coordinates);
      else if (g.type === "MultiPolygon") polygons = polygons.concat(g.coordinates);
    });
    var geometry = polygons.length === 0 ? null
      : polygons.length === 1 ? { type: "Polygon", coordinates: polygons[0] } : { type: "MultiPolygon", coordinates: polygons };
    field.value = geometry ? JSON.stringify(geometry) : "";
  }

  function watch(layer) {
    layer.on("pm:edit pm:dragend", write);
    shapes.addLayer(layer);
  }

  var current = null;
  try { current = field.value.trim() ? JSON.parse(field.value) : null; } catch (e) { current = null; }
  if (current) {
    L.geoJSON(current).eachLayer(watch);
    if (shapes.getLayers().length) bounds = shapes.getBounds();
  }
  if (bounds && bounds.isValid()) map.fitBounds(bounds, { padding: [12, 12] });
  else map.setView([35, 105], 4); // a new top-level region: China, until the first shape is drawn

  map.on("pm:create", function (e) { watch(e.layer); write(); });
  map.on("pm:remove", function (e) { shapes.removeLayer(e.layer); write(); });
})();
