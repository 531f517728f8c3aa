/* Honours over the communities' outlines (no tile server): green markers for plates on the wall, red for revoked ones. */
(function () {
  "use strict";
  var points = JSON.parse(document.getElementById("honour-points").textContent);
  var box = document.getElementById("honour-map");
  if (!points.length) {
    box.textContent = "暂无可在地图上显示的荣誉（小区未标注位置）。";
    return;
  }
  var map = L.map("honour-map", { attributionControl: false, zoomSnap: 0.25 });
  var markers = points.map(function (p) {
    var revoked = p.status === "revoked";
    var m = L.circleMarker([p.lat, p.lng], {
      radius: 8, weight: 2, color: revoked ? "#7d1a14" : "#145c28",
      fillColor: revoked ? "#b3261e" : "#1e8a3c", fillOpacity: revoked ? 0.5 : 0.85,
      dashArray: revoked ? "3 3" : null
    });
    var text = document.createElement("div");
    var title = document.createElement(p.url ? "a" : "b");
    title.textContent = p.name + " · " + p.type;
    if (p.url) { title.href = p.url; }
    text.appendChild(title);
    var line = document.createElement("div");
    line.textContent = revoked ? "已摘牌：" + p.reason : "在牌 " + p.number;
    text.appendChild(line);
    m.bindPopup(text);
    m.bindTooltip(p.name, { direction: "top" });
    return m.addTo(map);
  });
  var outlines = L.geoJSON(JSON.parse(document.getElementById("honour-outlines").textContent), {
    style: { color: "#6b7280", weight: 1, fillColor: "#e5e7eb", fillOpacity: 0.35 },
    interactive: false,
    onEachFeature: function (f, layer) {
      layer.bindTooltip(f.properties.name, { permanent: true, direction: "center", className: "region-label" });
    }
  });
  var bounds = L.featureGroup(markers).getBounds();
  if (outlines.getLayers().length) { bounds.extend(outlines.getBounds()); }
  map.fitBounds(bounds, { padding: [24, 24], maxZoom: 16 });
  // Permanent labels need the map's view: the outlines go in after fitBounds, behind the markers.
  outlines.addTo(map).bringToBack();
})();
