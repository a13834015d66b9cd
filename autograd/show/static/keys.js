/* chainrule stepper keys: one listener for the whole page moves the stepper last clicked (or the page's own). */
function chainruleKeys(api, standalone) {
  "use strict";
  var root = api.root;
  var registry = window.chainruleSteppers || (window.chainruleSteppers = { active: null, installed: false });
  root.addEventListener("pointerdown", function () { registry.active = api; }, true);
  root.addEventListener("focusin", function () { registry.active = api; });
  if (standalone) { registry.active = api; }  // in a notebook, keys reach a stepper only once it is clicked
  if (!registry.installed) {
    registry.installed = true;
    // One listener for the whole page, so a key press moves exactly one stepper by exactly one step.
    // Presentation clickers send PageDown and PageUp.
    document.addEventListener("keydown", function (event) {
      var active = registry.active;
      if (!active || !document.body.contains(active.root) || event.altKey || event.ctrlKey || event.metaKey) { return; }
      var target = event.target;
      if (target && (target.tagName === "TEXTAREA" || target.isContentEditable ||
          (target.tagName === "INPUT" && target.type !== "range"))) { return; }
      // Space steps on as in a slide show, on the stepper's own buttons too (after a click on Prev it would
      // press Prev again); not where it presses a quiz button, opens a summary or types into a box.
      if (event.key === " " && target && target.closest &&
          target.closest("input, select, summary, a, .cr-caption button")) { return; }
      var moves = { ArrowLeft: -1, ArrowRight: 1, PageUp: -1, PageDown: 1, " ": 1 };
      if (event.key in moves) { active.step(active.current() + moves[event.key]); }
      else if (event.key === "Home") { active.step(0); }
      else if (event.key === "End") { active.step(active.last); }
      else { return; }
      event.preventDefault();
    });
    document.addEventListener("pointerdown", function (event) {
      var inside = event.target && event.target.closest && event.target.closest(".cr-stepper");
      var active = registry.active;
      if (!inside && active && active.root.getAttribute("data-standalone") !== "true") { registry.active = null; }
    }, true);
  }
}
