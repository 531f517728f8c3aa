/* Every page loads this right after leaflet.js. It makes Leaflet's maps speak Chinese and work by keyboard and with a
   screen reader (docs/accessibility.md, 图表与地图):
   - labels and popups show names staff and residents typed: Leaflet would parse a string as HTML, so a name like
     "<b>幸福里</b>" would become markup; strings become text;
   - the controls in Chinese (放大/缩小, 关闭), no "Leaflet" link;
   - the map's box is a labelled region, not role="img" (it holds focusable controls and markers);
   - L.linliKeys(layer, label): a shape (a circle marker, a polygon) becomes a tab stop named label whose Enter or Space
     does what a click does (opens its pop-up, or follows its link);
   - a pop-up opened from the keyboard takes the focus (its first link or button, else itself); Esc closes it and
     the focus goes back to the marker or shape that opened it;
   - L.linliShow(map, layer, label) makes the "在地图上查看" button of a list under a map: it shows the place and
     opens its pop-up with the focus in it; L.linliPlaces(map, list, items) fills such a list. */
(function () {
  "use strict";
  var setContent = L.DivOverlay.prototype.setContent;
  L.DivOverlay.prototype.setContent = function (content) {
    return setContent.call(this, typeof content === "string" ? document.createTextNode(content) : content);
  };

  L.Control.Zoom.mergeOptions({ zoomInTitle: gettext("放大"), zoomOutTitle: gettext("缩小") });
  L.Control.Attribution.mergeOptions({ prefix: false });

  L.Map.addInitHook(function () {
    var box = this.getContainer();
    var word = gettext("地图");
    var label = box.getAttribute("aria-label") || word;
    if (box.getAttribute("role") === "img" || !box.getAttribute("role")) box.setAttribute("role", "region");
    if (label.slice(-word.length) !== word) label = interpolate(gettext("%(label)s（地图）"), { label: label }, true);
    box.setAttribute("aria-label", label);
    var map = this;
    var opener = null;

    function focusables(el) {
      return el.querySelectorAll("a[href], button:not([disabled]), select, input, textarea, [tabindex]:not([tabindex='-1'])");
    }

    map.on("popupopen", function (e) {
      var popup = e.popup;
      var el = popup.getElement();
      var close = el.querySelector(".leaflet-popup-close-button");
      if (close) {
        close.setAttribute("aria-label", gettext("关闭"));
        close.title = gettext("关闭");
      }
      var source = popup._source && popup._source.getElement && popup._source.getElement();
      opener = map._linliOpener || (source && document.activeElement === source ? source : null);
      map._linliOpener = null;
      if (!opener) return;
      var content = el.querySelector(".leaflet-popup-content");
      var first = Array.prototype.filter.call(focusables(content), function (x) { return x !== close; })[0];
      if (!first) {
        content.setAttribute("tabindex", "-1");
        first = content;
      }
      first.focus({ preventScroll: true });
    });
    map.on("popupclose", function () {
      if (opener && document.body.contains(opener) && box.contains(document.activeElement)) opener.focus({ preventScroll: true });
      opener = null;
    });
    L.DomEvent.on(box, "keydown", function (e) {
      if (e.key !== "Escape" || !map._popup || !map._popup.isOpen()) return;
      var el = map._popup.getElement();
      if (!el.contains(document.activeElement)) return;
      var back = opener;
      map.closePopup();
      if (back && document.body.contains(back)) back.focus({ preventScroll: true });
      L.DomEvent.stop(e);
    });
  });

  // Chromium puts an SVG shape with focus listeners in the tab order, and Leaflet gives one to every shape with a
  // tooltip that is not permanent: an unnamed tab stop that does nothing. Shapes leave the tab order unless
  // L.linliKeys makes them a proper one.
  L.Path.addInitHook(function () {
    this.on("add", function () {
      var el = this.getElement();
      if (el && !el.linliKeys) el.setAttribute("tabindex", "-1");
    });
  });

  // A shape on a tab stop: Enter or Space acts as a click where the shape is.
  L.linliKeys = function (layer, label) {
    function wire() {
      var el = layer.getElement && layer.getElement();
      if (!el || el.linliKeys) return;
      el.linliKeys = true;
      el.setAttribute("tabindex", "0");
      el.setAttribute("role", "button");
      el.setAttribute("aria-label", label);
      el.addEventListener("keydown", function (e) {
        if (e.key !== "Enter" && e.key !== " ") return;
        e.preventDefault();
        var at = layer.getLatLng ? layer.getLatLng() : layer.getCenter();
        layer.fire("click", { latlng: at, originalEvent: e }, true);
      });
    }
    if (layer._map) wire();
    layer.on("add", wire);
    return layer;
  };

  // A button that shows a layer on the map and opens its pop-up, the focus going with it (for the list under a map).
  L.linliShow = function (map, layer, label) {
    var show = document.createElement("button");
    show.type = "button";
    show.className = "linkish";
    show.textContent = gettext("在地图上查看");
    show.setAttribute("aria-label", interpolate(gettext("在地图上查看：%(place)s"), { place: label }, true));
    show.addEventListener("click", function () {
      var at = layer.getLatLng ? layer.getLatLng() : layer.getBounds().getCenter();
      map.setView(at, Math.max(map.getZoom(), 15), { animate: false });
      map._linliOpener = show; // the pop-up takes the focus, and Esc brings it back here
      layer.fire("click", { latlng: at }, true);
      map._linliOpener = null;
    });
    return show;
  };

  // The list under a map, filled from items [{label, layer, url?, note?}]: a link (or the name), a note, the button.
  L.linliPlaces = function (map, list, items) {
    list.replaceChildren();
    items.forEach(function (item) {
      var li = document.createElement("li");
      var name = document.createElement(item.url ? "a" : "span");
      if (item.url) name.href = item.url;
      name.textContent = item.label;
      li.appendChild(name);
      if (item.note) li.appendChild(document.createTextNode(" · " + item.note));
      if (item.layer) {
        li.appendChild(document.createTextNode(" "));
        li.appendChild(L.linliShow(map, item.layer, item.label));
      }
      list.appendChild(li);
    });
  };
})();
