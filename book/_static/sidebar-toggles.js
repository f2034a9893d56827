/* Make the article header's sidebar buttons work (pydata-sphinx-theme 0.17.1 with
 * sphinx-book-theme 1.3.0, the versions jupyter-book 1.0.4 installs).
 *
 * Each page has two ☰ buttons with class `primary-toggle` (and two with
 * `secondary-toggle`): one in the theme's top navbar, which sphinx-book-theme hides,
 * and one in the article header, which is the one a reader sees. Both themes attach
 * their click handlers with `document.querySelector(".primary-toggle")`, that is to
 * the first, hidden button only (pydata-sphinx-theme issue 2451; sphinx-book-theme
 * issues 865 and 988), so the visible buttons do nothing: the chapter list and the
 * page contents never open on a phone, and the sidebar never collapses on a desktop.
 *
 * Fix: a click on any other toggle is passed on to the button the handlers are
 * attached to. Those handlers then do the right thing for the width: on a narrow
 * screen pydata-sphinx-theme opens the sidebar as a dialog; on a wide one
 * sphinx-book-theme hides or shows the primary sidebar. `aria-expanded` is kept
 * up to date on the visible buttons so that screen readers hear the state.
 */
(function () {
  "use strict";

  function forward(kind, sidebarId, dialogId) {
    const all = Array.from(document.querySelectorAll("." + kind));
    const bound = all[0]; // the one both themes' handlers were attached to
    const sidebar = document.getElementById(sidebarId);
    const dialog = document.getElementById(dialogId);
    if (!bound || !sidebar) return;

    const expanded = () =>
      Boolean(dialog && dialog.open) ||
      (window.matchMedia("(min-width: 992px)").matches &&
        kind === "primary-toggle" &&
        !sidebar.classList.contains("pst-sidebar-hidden"));
    const update = () =>
      all.forEach((button) => button.setAttribute("aria-expanded", String(expanded())));

    all.slice(1).forEach((button) => {
      button.setAttribute("aria-controls", sidebarId);
      button.addEventListener("click", (event) => {
        event.preventDefault();
        bound.click();
        update();
      });
    });
    if (dialog) dialog.addEventListener("close", update);
    window.addEventListener("resize", update);
    update();
  }

  function setup() {
    forward("primary-toggle", "pst-primary-sidebar", "pst-primary-sidebar-modal");
    forward("secondary-toggle", "pst-secondary-sidebar", "pst-secondary-sidebar-modal");
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setup);
  } else {
    setup();
  }
})();
