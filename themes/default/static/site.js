// The theme's small enhancements: the menu button on narrow screens and the
// light/dark switch. Without this script the navigation is always shown and
// the colours follow the system's setting.
(function () {
  "use strict";
  var root = document.documentElement;

  // Menu: a disclosure button for the main navigation on narrow screens.
  var menu = document.getElementById("menu-toggle");
  var nav = document.getElementById("site-nav");
  if (menu && nav) {
    var setOpen = function (open) {
      menu.setAttribute("aria-expanded", open ? "true" : "false");
      nav.classList.toggle("is-open", open);
    };
    menu.hidden = false;
    setOpen(false);
    menu.addEventListener("click", function () {
      setOpen(menu.getAttribute("aria-expanded") !== "true");
    });
    nav.addEventListener("keydown", function (e) {
      if (e.key === "Escape" && menu.getAttribute("aria-expanded") === "true" &&
          getComputedStyle(menu).display !== "none") {
        setOpen(false);
        menu.focus();
      }
    });
  }

  // Light or dark: the system's choice until the reader picks one here; the
  // pick is kept in this browser.
  var toggle = document.getElementById("theme-toggle");
  if (toggle) {
    var media = window.matchMedia ? window.matchMedia("(prefers-color-scheme: dark)") : null;
    var isDark = function () {
      var set = root.dataset.theme;
      if (set === "dark" || set === "light") return set === "dark";
      return !!(media && media.matches);
    };
    var show = function () {
      toggle.setAttribute("aria-pressed", isDark() ? "true" : "false");
    };
    toggle.hidden = false;
    show();
    toggle.addEventListener("click", function () {
      var next = isDark() ? "light" : "dark";
      root.dataset.theme = next;
      try { localStorage.setItem("skb-theme", next); } catch (e) { /* private mode: this page only */ }
      show();
    });
    if (media && media.addEventListener) media.addEventListener("change", show);
  }
})();
