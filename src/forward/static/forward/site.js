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
  document.addEventListener("click", function (event) {
    var button = event.target.closest ? event.target.closest("[data-confirm]") : null;
    if (button && !window.confirm(button.getAttribute("data-confirm"))) {
      event.preventDefault();
    }
  });
})();
