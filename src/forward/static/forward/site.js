/* Small progressive enhancements; every page works without JavaScript. */
(function () {
  "use strict";
  var toggle = document.querySelector(".nav-toggle");
  var nav = document.getElementById("main-nav");
  if (toggle && nav) {
    toggle.addEventListener("click", function () {
      var open = nav.classList.toggle("open");
      toggle.setAttribute("aria-expanded", open ? "true" : "false");
    });
  }
  // Lesson editor: show the fields of the chosen kind only (all show without JavaScript).
  var kind = document.getElementById("id_kind");
  if (kind && document.querySelector("[data-kinds]")) {
    var showKind = function () {
      document.querySelectorAll("[data-kinds]").forEach(function (el) {
        el.hidden = el.getAttribute("data-kinds").split(" ").indexOf(kind.value) < 0;
      });
    };
    kind.addEventListener("change", showKind);
    showKind();
  }
  // A button with data-confirm asks first (deleting a lesson, a question).
  // Behaviour hangs on data attributes and listeners here, never on onclick="…" in the markup:
  // the Content-Security-Policy runs no inline script.
  document.addEventListener("click", function (event) {
    var target = event.target;
    var button = target.closest ? target.closest("[data-confirm]") : null;
    if (button && !window.confirm(button.getAttribute("data-confirm"))) {
      event.preventDefault();
    }
    // A read-only field with data-select-on-click selects its text for copying (the share link).
    if (target.hasAttribute && target.hasAttribute("data-select-on-click")) target.select();
  });
  // A select with data-autosubmit sends its form on change (a member's role); a <noscript> button
  // does it without JavaScript.
  document.addEventListener("change", function (event) {
    var field = event.target;
    if (field.hasAttribute && field.hasAttribute("data-autosubmit") && field.form) field.form.requestSubmit();
  });
  // "More" in the navigation is a <details> (works without JavaScript); a click elsewhere or Escape closes it.
  var more = document.querySelector(".nav-more details");
  if (more) {
    document.addEventListener("click", function (event) {
      if (more.open && !more.contains(event.target)) more.open = false;
    });
    document.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && more.open) {
        more.open = false;
        more.querySelector("summary").focus();
      }
    });
  }
})();
