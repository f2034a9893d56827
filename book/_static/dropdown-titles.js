/* A tap anywhere on a dropdown's title opens or closes it, the link included.
 *
 * A solution's title is "Solution to Exercise 2.3", most of it a link back to the
 * exercise. sphinx-togglebutton 0.4.5 handles clicks on the title but finds no button
 * when the click lands on that link: the first such tap throws "button is not defined"
 * and later ones open or close whichever dropdown was used before. A click on a link
 * inside a dropdown's title is therefore turned into a click on that dropdown's own
 * toggle button (the exercise is named in the title, and linked from the exercise).
 */
(function () {
  "use strict";
  document.addEventListener(
    "click",
    (event) => {
      const link = event.target.closest(".toggle > .admonition-title a");
      if (!link) return;
      const button = link.closest(".admonition-title").querySelector(".toggle-button");
      if (!button) return;
      event.preventDefault();
      event.stopPropagation();
      button.click();
    },
    true, // capture: before the title's own handler sees the click
  );
})();
