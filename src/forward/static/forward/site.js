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
    // Escape closes the open phone menu and gives the focus back to its button.
    document.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && nav.classList.contains("open")) {
        nav.classList.remove("open");
        toggle.setAttribute("aria-expanded", "false");
        toggle.focus();
      }
    });
  }
  // A table wider than the screen scrolls sideways in its .table-wrap. While it does, and holds nothing
  // that takes the focus, the wrapper takes it, so that the arrow keys scroll it (WCAG 2.1.1); again
  // after a resize and after htmx swaps a part of the page.
  function focusableScrollers() {
    document.querySelectorAll(".table-wrap").forEach(function (wrap) {
      var needed = wrap.scrollWidth > wrap.clientWidth &&
        !wrap.querySelector("a[href], button, input, select, textarea, [tabindex]");
      if (needed && !wrap.hasAttribute("tabindex")) {
        wrap.setAttribute("tabindex", "0");
        wrap.setAttribute("data-scroll-focus", "");
      } else if (!needed && wrap.hasAttribute("data-scroll-focus")) {
        wrap.removeAttribute("tabindex");
        wrap.removeAttribute("data-scroll-focus");
      }
    });
  }
  focusableScrollers();
  window.addEventListener("resize", focusableScrollers);
  document.addEventListener("htmx:afterSettle", focusableScrollers);
  // Enter on a checkbox or a radio button does nothing, as Space is what ticks it: the browser would
  // otherwise submit the form with its first button ("Save answers" in a quiz) by accident.
  document.addEventListener("keydown", function (event) {
    var field = event.target;
    if (event.key === "Enter" && field.matches && field.matches("input[type=checkbox], input[type=radio]")) {
      event.preventDefault();
    }
  });
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
