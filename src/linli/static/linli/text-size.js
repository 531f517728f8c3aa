/* 大字: the toggle switches the page's type at once, without reloading a half-typed form, and remembers the choice in
   the cookie the server reads (linli.core.textsize), so every page after this one opens large from its first paint.
   Without script the same form posts to the server, which sets the cookie and comes back. */
(function () {
  "use strict";
  Array.prototype.forEach.call(document.querySelectorAll("form[data-text-size]"), function (form) {
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var root = document.documentElement;
      var big = !root.classList.contains("big-text");
      root.classList.toggle("big-text", big);
      document.cookie = form.getAttribute("data-text-size") + "=" + (big ? "big" : "normal") +
        "; path=/; max-age=31536000; samesite=lax" + (window.location.protocol === "https:" ? "; secure" : "");
      form.querySelector("button").setAttribute("aria-pressed", big ? "true" : "false");
      form.querySelector("input[name=size]").value = big ? "normal" : "big";
    });
  });
})();
