// servicekb serve: live reload. Injected by the dev server only, never built.
(function () {
  "use strict";
  var overlay = null;
  function hideOverlay() {
    if (overlay) { overlay.remove(); overlay = null; }
  }
  function showOverlay(text) {
    hideOverlay();
    overlay = document.createElement("div");
    overlay.setAttribute("role", "alert");
    overlay.id = "servicekb-error-overlay";
    overlay.style.cssText = "position:fixed;inset:0;z-index:2147483647;background:rgba(20,20,20,.92);color:#fff;" +
      "font:15px/1.5 ui-monospace,Menlo,Consolas,monospace;padding:2rem;overflow:auto;direction:ltr;text-align:left";
    var h = document.createElement("h2");
    h.textContent = "The site has errors — showing the last good version. Fix the file and this page reloads by itself.";
    h.style.cssText = "font:600 18px/1.4 system-ui,sans-serif;margin:0 0 1rem;color:#ffb4a9";
    var pre = document.createElement("pre");
    pre.textContent = text;
    pre.style.cssText = "white-space:pre-wrap;margin:0";
    overlay.appendChild(h);
    overlay.appendChild(pre);
    document.body.appendChild(overlay);
  }
  function reloadCss() {
    var links = document.querySelectorAll('link[rel="stylesheet"]');
    for (var i = 0; i < links.length; i++) {
      var u = new URL(links[i].href);
      u.searchParams.set("servicekb", String(Date.now()));
      links[i].href = u.toString();
    }
  }
  var es = new EventSource("/__servicekb/events");
  es.addEventListener("reload", function () { location.reload(); });
  es.addEventListener("css", function () { hideOverlay(); reloadCss(); });
  es.addEventListener("build-error", function (e) { showOverlay(e.data); });
  es.addEventListener("build-ok", function () { hideOverlay(); });
})();
