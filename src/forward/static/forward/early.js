/* Runs before the page paints (loaded without defer in <head>): marks that JavaScript is on, so the
   stylesheet can fold the menu behind its button without a flash. An external file, because the
   Content-Security-Policy allows no inline script. */
document.documentElement.classList.add("js");
