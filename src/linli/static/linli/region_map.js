/* Region page: the node's boundary and its children's over the base map (map.js). A child is a tab stop (Enter opens
   it); the table of children under the map lists the same with links. */
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("region-geojson").textContent);
  var map = window.linliMap.create("region-map");
  var palette = ["#3b6fb6", "#c8553d", "#5a9e6f", "#e08a3c", "#8a6bb8", "#2a9d8f", "#b5838d", "#6d597a"];
  var n = 0;
  var parent = (data.features || []).filter(function (f) { return f.properties.role === "self"; })[0];
  var prefix = parent ? parent.properties.name : "";
  // "文艺路社区第3网格" inside 文艺路社区 is labelled "第3网格": full names overlap on small grids.
  function shortName(name) {
    return prefix && name.indexOf(prefix) === 0 && name.length > prefix.length ? name.slice(prefix.length) : name;
  }
  var layer = L.geoJSON(data, {
    style: function (f) {
      if (f.properties.role === "self") {
        return { color: "#b3261e", weight: 3, fill: false, dashArray: null };
      }
      var c = palette[n++ % palette.length];
      return { color: c, weight: 1.5, fillColor: c, fillOpacity: 0.25 };
    },
    onEachFeature: function (f, l) {
      if (f.properties.role === "child") {
        l.bindTooltip(shortName(f.properties.name), { permanent: true, direction: "center", className: "region-label" });
        l.on("click", function () { window.location.href = f.properties.url; });
        L.linliKeys(l, interpolate(gettext("进入%(name)s"), { name: f.properties.name }, true)); // a tab stop: Enter opens the child, as a click does
      } else {
        l.bindTooltip(f.properties.name, { sticky: true });
      }
    }
  }).addTo(map);
  map.fitBounds(layer.getBounds(), { padding: [12, 12] });
})();
