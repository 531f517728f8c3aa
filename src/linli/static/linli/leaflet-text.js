/* Map labels and popups show names staff and residents typed. Leaflet would parse a string as HTML, so a name like
   "<b>幸福里</b>" would become markup: every page loads this right after leaflet.js, and strings become text. */
(function () {
  "use strict";
  var setContent = L.DivOverlay.prototype.setContent;
  L.DivOverlay.prototype.setContent = function (content) {
    return setContent.call(this, typeof content === "string" ? document.createTextNode(content) : content);
  };
})();
