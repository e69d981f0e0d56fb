// The error note's link scrolls to the first field in error (a plain in-page link, no script
// needed); this also puts the keyboard there, so the curator can type the correction at once.
"use strict";
document.addEventListener("click", function (event) {
  const link = event.target.closest(".error-summary a[href^='#']");
  if (!link) {
    return;
  }
  const target = document.getElementById(decodeURIComponent(link.hash.slice(1)));
  if (!target) {
    return;
  }
  const field = target.matches("input, select, textarea")
    ? target
    : target.querySelector("input:not([type=hidden]), select, textarea");
  if (field) {
    // The browser then scrolls to the link's target as usual, leaving room for the message above it.
    field.focus({ preventScroll: true });
  }
});
