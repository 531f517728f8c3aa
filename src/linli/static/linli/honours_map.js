/* Honours over the communities' outlines (no tile server). A plate on the wall is a green circle with ✓, a revoked
   one a red square with ✕: the shape and the mark tell them apart, not the colour alone. Each marker is a tab stop
   (Enter opens its pop-up); the list under the map (honours/_map.html) gets a "在地图上查看" button per honour. */
(function () {
  "use strict";
  var points = JSON.parse(document.getElementById("honour-points").textContent);
  var box = document.getElementById("honour-map");
  if (!points.length) {
    box.textContent = gettext("暂无可在地图上显示的荣誉（小区未标注位置）。");
    box.removeAttribute("role");
    box.removeAttribute("aria-label");
    return;
  }
  var map = L.map("honour-map", { attributionControl: false, zoomSnap: 0.25 });

  function icon(revoked) {
    var mark = document.createElement("span");
    mark.className = "honour-mark " + (revoked ? "revoked" : "granted");
    mark.setAttribute("aria-hidden", "true");
    mark.textContent = revoked ? "✕" : "✓";
    return L.divIcon({ html: mark, className: "honour-icon", iconSize: [26, 26], iconAnchor: [13, 13], popupAnchor: [0, -12] });
  }

  var markers = points.map(function (p) {
    var revoked = p.status === "revoked";
    var state = revoked ? gettext("已摘牌") : gettext("在牌");
    var name = interpolate(gettext("%(name)s · %(type)s（%(state)s）"), { name: p.name, type: p.type, state: state }, true);
    var m = L.marker([p.lat, p.lng], { icon: icon(revoked), title: name, alt: name, riseOnHover: true });
    m.on("add", function () { m.getElement().setAttribute("aria-label", name); });
    var text = document.createElement("div");
    var title = document.createElement(p.url ? "a" : "b");
    title.textContent = p.name + " · " + p.type;
    if (p.url) { title.href = p.url; }
    text.appendChild(title);
    var line = document.createElement("div");
    line.textContent = revoked ? interpolate(gettext("✕ 已摘牌：%(reason)s"), { reason: p.reason }, true)
                           : interpolate(gettext("✓ 在牌 %(number)s"), { number: p.number }, true);
    text.appendChild(line);
    m.bindPopup(text);
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

  Array.prototype.forEach.call(document.querySelectorAll("#honour-places [data-point]"), function (li) {
    var p = points[Number(li.getAttribute("data-point"))];
    li.appendChild(document.createTextNode(" "));
    li.appendChild(L.linliShow(map, markers[Number(li.getAttribute("data-point"))], p.name + " · " + p.type));
  });
})();
