/* Wide content: display equations, figures and code that are wider than the column.
 *
 * A display equation wider than the column scrolls inside its own box (the theme
 * sets `overflow: auto` on it), and so does a figure, which is never shown below
 * FIGURE_MIN_SCALE of its drawn size: below that its text would be too small to
 * read on a phone, so the figure scrolls sideways instead. A box that hides part of
 * its content gets the classes `reader-more-left` / `reader-more-right`, which
 * reader.css turns into a fade at that edge: the cut is visible, and an equation's
 * number, which stays outside the box, is never read as part of a cut-off formula.
 * Every box that scrolls can be reached with the keyboard (tabindex 0): the theme
 * does this once on load, which misses the figure boxes and anything inside a
 * dropdown (a solution) opened later.
 */
(function () {
  "use strict";

  // Figures are drawn at 100 dpi with 11-12 pt text (book/matplotlibrc): at 0.65 of
  // that size the text is still about 10 CSS pixels.
  const FIGURE_MIN_SCALE = 0.65;
  const updaters = [];

  function scrolls(box) {
    return box.scrollWidth - box.clientWidth > 1;
  }

  function markOverflow(box) {
    const update = () => {
      const hidden = box.scrollWidth - box.clientWidth;
      box.classList.toggle("reader-more-left", hidden > 1 && box.scrollLeft > 1);
      box.classList.toggle("reader-more-right", hidden > 1 && box.scrollLeft < hidden - 1);
    };
    box.addEventListener("scroll", update, { passive: true });
    updaters.push(update);
    update();
    return update;
  }

  function updateTabStops() {
    document.querySelectorAll("pre, div.cell_output").forEach((box) => {
      if (scrolls(box)) box.tabIndex = 0;
    });
  }

  function updateAll() {
    updaters.forEach((update) => update());
    updateTabStops();
  }

  function setupFigures() {
    document.querySelectorAll("div.cell_output > img").forEach((img) => {
      const update = markOverflow(img.parentElement);
      const size = () => {
        img.style.minWidth = Math.round(FIGURE_MIN_SCALE * img.naturalWidth) + "px";
        update();
        updateTabStops();
      };
      if (img.complete) size();
      else img.addEventListener("load", size, { once: true });
    });
  }

  function setupEquations() {
    const mark = () => {
      document.querySelectorAll("div.math > mjx-container").forEach((box) => {
        if (!box.dataset.readerMarked) {
          box.dataset.readerMarked = "1";
          markOverflow(box);
        }
      });
    };
    // MathJax typesets after the page has loaded: wait for it when it is there.
    if (window.MathJax && MathJax.startup && MathJax.startup.promise) {
      MathJax.startup.promise.then(mark);
    } else {
      window.addEventListener("load", mark);
    }
  }

  function setup() {
    setupFigures();
    setupEquations();
    updateTabStops();
    window.addEventListener("resize", updateAll);
    window.addEventListener("load", updateAll);
    // Opening a dropdown (a solution, a hidden cell) reveals boxes that were not laid out.
    document.addEventListener("click", (event) => {
      if (event.target.closest(".toggle, details")) setTimeout(updateAll, 0);
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setup);
  } else {
    setup();
  }
})();
