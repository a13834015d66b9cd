/* chainrule stepper: one drawing, restyled frame by frame from a small record per frame. */
function chainruleStepper(root) {
  "use strict";
  if (!root || root.getAttribute("data-ready")) { return; }
  root.setAttribute("data-ready", "1");

  var spec = JSON.parse(root.querySelector(".cr-spec").textContent);
  var frames = spec.frames, last = frames.length - 1, count = spec.names.length;
  var svg = root.querySelector("svg.cr-graph"), gid = svg.id;
  var viewport = root.querySelector(".cr-viewport");
  var caption = root.querySelector(".cr-caption");
  var slider = root.querySelector(".cr-slider");
  var position = root.querySelector(".cr-position");
  var scoreBox = root.querySelector(".cr-score");
  var MIN_READABLE = 0.95;  // never shrink 12 px text below 11.4 px on screen: pan instead
  var current = 0;

  function byId(suffix) { return document.getElementById(gid + "-" + suffix); }

  // -- the drawing's parts, found once -------------------------------------------------------
  var nodes = [], dataText = [], gradText = [], boxes = [];
  var offset = svg.querySelector(".cr-content").transform.baseVal.consolidate().matrix;
  for (var i = 0; i < count; i++) {
    var g = byId("v" + i);
    nodes.push(g);
    dataText.push(g.querySelector(".cr-data"));
    gradText.push(g.querySelector(".cr-grad"));
    var m = g.transform.baseVal.consolidate().matrix, rect = g.querySelector("rect");
    boxes.push({ x: offset.e + m.e, y: offset.f + m.f, w: rect.width.baseVal.value, h: rect.height.baseVal.value });
  }
  var edges = svg.querySelectorAll(".cr-edge");
  var graphW = svg.viewBox.baseVal.width, graphH = svg.viewBox.baseVal.height;

  // -- what every frame shows: data revealed so far, and each node's gradient -----------------
  var shownAt = [], gradsAt = [], firstBackward = last + 1;
  for (i = 0; i < count; i++) { shownAt.push(Infinity); }
  var grads = [];
  for (i = 0; i < count; i++) { grads.push("?"); }
  (spec.constants || []).forEach(function (n) { grads[n] = "\u2014"; });  // a constant never has a gradient
  frames.forEach(function (frame, f) {
    (frame.show || []).forEach(function (n) { shownAt[n] = Math.min(shownAt[n], f); });
    if (frame.kind === "seed") { firstBackward = Math.min(firstBackward, f); }
    if (frame.grads) { Object.keys(frame.grads).forEach(function (n) { grads[+n] = frame.grads[n]; }); }
    gradsAt.push(grads.slice());
  });

  // -- quiz ---------------------------------------------------------------------------------
  var answers = {}, right = 0, asked = 0;
  function parseNumber(text) {
    var cleaned = String(text).trim().replace(/\u2212/g, "-").replace(/,/g, ".");
    if (!/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(cleaned)) { return NaN; }
    return parseFloat(cleaned);
  }
  // Right to 3 significant digits: within half a unit of the third significant digit.
  function agrees(answer, truth) {
    if (!isFinite(answer)) { return false; }
    if (truth === 0) { return Math.abs(answer) < 1e-12; }
    var unit = Math.pow(10, Math.floor(Math.log10(Math.abs(truth))) - 2);
    return Math.abs(answer - truth) <= 0.5 * unit * (1 + 1e-9);
  }
  function quizzing(f) { return spec.quiz && frames[f].kind === "backward" && !answers[f]; }
  function check(f) {
    var frame = frames[f], results = [];
    frame.rows.forEach(function (row, r) {
      var local = caption.querySelector('input[data-row="' + r + '"][data-field="local"]');
      var after = caption.querySelector('input[data-row="' + r + '"][data-field="after"]');
      var localOk = agrees(parseNumber(local.value), row.localValue);
      var afterOk = agrees(parseNumber(after.value), row.afterValue);
      results.push({ local: local.value, after: after.value, localOk: localOk, afterOk: afterOk });
      asked += 2; right += (localOk ? 1 : 0) + (afterOk ? 1 : 0);
    });
    answers[f] = { results: results };
    scoreBox.textContent = "Quiz: " + right + " of " + asked + " right";
    show(f);
  }

  // -- captions -----------------------------------------------------------------------------
  function escapeHtml(text) {
    return String(text).replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
  }
  function mark(ok, truth) {
    return ok ? ' <span class="cr-right">&#10003;</span>'
      : ' <span class="cr-wrong">&#10007; ' + escapeHtml(truth) + "</span>";
  }
  function captionHtml(f, asking) {
    var frame = frames[f];
    if (frame.kind !== "backward") { return frame.text.map(escapeHtml).join("<br>"); }
    var name = spec.names[frame.node], answered = answers[f] && answers[f].results;
    var html = "<b>" + escapeHtml(name) + "</b> passes its gradient back: " + escapeHtml(name) +
      ".grad = " + escapeHtml(frame.upstream) + ". For each input, " +
      "<i>input</i>.grad += local derivative &times; " + escapeHtml(name) + ".grad.";
    html += "<table><tr><th>input</th><th>local derivative</th><th>&times; " + escapeHtml(name) +
      ".grad</th><th>= adds</th><th>its grad</th></tr>";
    frame.rows.forEach(function (row, r) {
      var rule = row.rule && row.rule !== row.local ? escapeHtml(row.rule) + " = " : "";
      var local, after, added = asking ? "?" : escapeHtml(row.added);
      if (asking) {
        local = rule + '<input data-row="' + r + '" data-field="local" inputmode="decimal" aria-label="' +
          escapeHtml(row.d) + '">';
        after = escapeHtml(row.before) + ' &rarr; <input data-row="' + r + '" data-field="after" ' +
          'inputmode="decimal" aria-label="new ' + escapeHtml(row.parent) + '.grad">';
      } else {
        local = rule + escapeHtml(row.local);
        after = escapeHtml(row.before) + " &rarr; <b>" + escapeHtml(row.after) + "</b>";
        if (answered) {
          local += mark(answered[r].localOk, row.local);
          after += mark(answered[r].afterOk, row.after);
        }
      }
      html += "<tr><td><b>" + escapeHtml(row.parent) + "</b></td><td>" + escapeHtml(row.d) + " = " + local +
        "</td><td>&times; " + escapeHtml(frame.upstream) + "</td><td>= " + added + "</td><td>" + after + "</td></tr>";
    });
    html += "</table>";
    if (asking) {
      html += '<button type="button" class="cr-check">Check</button> <span class="cr-hint">3 significant digits are enough;' +
        " Next skips the question.</span>";
    }
    return html;
  }

  // -- drawing a frame ------------------------------------------------------------------------
  function setClass(element, name, on) {
    if (on) { element.classList.add(name); } else { element.classList.remove(name); }
  }
  function fitText(text, box) {
    // The boxes are sized for the widest text they show; squeeze only in an unusually wide font.
    text.removeAttribute("textLength");
    var room = box.w - 2 * 7 - 34;
    if (text.getComputedTextLength && text.getComputedTextLength() > room && room > 10) {
      text.setAttribute("textLength", room);
      text.setAttribute("lengthAdjust", "spacingAndGlyphs");
    }
  }
  function show(f) {
    current = Math.max(0, Math.min(last, f));
    var frame = frames[current], backward = current >= firstBackward, asking = quizzing(current);
    var focus = frame.node;
    var recv = {}, parents = {}, flow = {}, incoming = {};
    (frame.recv || []).forEach(function (n) { recv[n] = true; });
    (frame.parents || []).forEach(function (n) { parents[n] = true; });
    (frame.edges || []).forEach(function (k) { if (frame.kind === "backward") { flow[k] = true; } else { incoming[k] = true; } });
    var gradsNow = gradsAt[current], gradsBefore = current > 0 ? gradsAt[current - 1] : gradsNow;
    for (var n = 0; n < count; n++) {
      var known = backward || shownAt[n] <= current;
      dataText[n].textContent = known ? spec.data[n] : "?";
      if (gradText[n]) {
        gradText[n].textContent = asking && recv[n] ? "?" : gradsNow[n];
        setClass(gradText[n], "cr-changed", !!recv[n] && gradsNow[n] !== gradsBefore[n]);
        fitText(gradText[n], boxes[n]);
      }
      fitText(dataText[n], boxes[n]);
      setClass(nodes[n], "cr-dim", !known);
      setClass(nodes[n], "cr-now", frame.kind === "forward" && n === focus);
      setClass(nodes[n], "cr-src", !!parents[n]);
      setClass(nodes[n], "cr-send", frame.kind === "backward" && n === focus);
      setClass(nodes[n], "cr-recv", !!recv[n]);
    }
    for (var k = 0; k < edges.length; k++) {
      setClass(edges[k], "cr-flow", !!flow[k]);
      setClass(edges[k], "cr-in", !!incoming[k]);
    }
    caption.innerHTML = captionHtml(current, asking);
    setClass(caption, "cr-back", backward);
    var checkButton = caption.querySelector(".cr-check");
    if (checkButton) {
      checkButton.addEventListener("click", function () { check(current); });
      caption.querySelectorAll("input").forEach(function (input) {
        input.addEventListener("keydown", function (event) {
          if (event.key === "Enter") { event.preventDefault(); check(current); }
        });
      });
    }
    slider.value = current;
    position.textContent = (backward ? "Backward" : "Forward") + " \u00b7 step " + (current + 1) + " of " + frames.length;
    root.setAttribute("data-step", String(current));
    keepInView(frame);
  }

  // -- pan and zoom: the view is a window (vx, vy, scale) onto the drawing ----------------------
  var view = { x: 0, y: 0, scale: 1 };
  function viewportSize() {
    var width = Math.max(200, viewport.clientWidth);
    var tallest = Math.max(240, Math.round(window.innerHeight * 0.72));
    return { w: width, h: Math.min(tallest, Math.ceil(graphH * view.scale) + 2) };
  }
  function clampView(size) {
    var w = size.w / view.scale, h = size.h / view.scale;
    view.x = graphW <= w ? (graphW - w) / 2 : Math.max(0, Math.min(graphW - w, view.x));
    view.y = graphH <= h ? 0 : Math.max(0, Math.min(graphH - h, view.y));
  }
  function applyView() {
    var size = viewportSize();
    clampView(size);
    svg.setAttribute("width", size.w);
    svg.setAttribute("height", size.h);
    svg.style.maxWidth = "none";
    svg.setAttribute("viewBox", [view.x, view.y, size.w / view.scale, size.h / view.scale].join(" "));
    viewport.style.height = size.h + "px";
  }
  function zoom(factor, cx, cy) {
    var size = viewportSize();
    cx = cx === undefined ? size.w / 2 : cx;
    cy = cy === undefined ? size.h / 2 : cy;
    var gx = view.x + cx / view.scale, gy = view.y + cy / view.scale;
    view.scale = Math.max(0.2, Math.min(4, view.scale * factor));
    view.x = gx - cx / view.scale;
    view.y = gy - cy / view.scale;
    applyView();
  }
  function fit() {
    var width = Math.max(200, viewport.clientWidth), tallest = Math.max(240, window.innerHeight * 0.72);
    view.scale = Math.min(width / graphW, tallest / graphH, 1.5);
    view.x = 0; view.y = 0;
    applyView();
  }
  function initialView() {
    var width = Math.max(200, viewport.clientWidth);
    view.scale = Math.max(MIN_READABLE, Math.min(1.5, width / graphW));
    view.x = 0; view.y = 0;
    applyView();
  }
  // Move the view only if the nodes of this frame are not all in sight, so nothing moves needlessly.
  function keepInView(frame) {
    var wanted = [frame.node].concat(frame.recv || [], frame.parents || []).filter(function (n) { return n !== undefined; });
    if (!wanted.length) { return; }
    var size = viewportSize(), w = size.w / view.scale, h = size.h / view.scale;
    var x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity;
    wanted.forEach(function (n) {
      var b = boxes[n];
      x0 = Math.min(x0, b.x); y0 = Math.min(y0, b.y); x1 = Math.max(x1, b.x + b.w); y1 = Math.max(y1, b.y + b.h);
    });
    var inside = x0 >= view.x && x1 <= view.x + w && y0 >= view.y && y1 <= view.y + h;
    if (inside) { return; }
    view.x = (x0 + x1) / 2 - w / 2;
    view.y = (y0 + y1) / 2 - h / 2;
    applyView();
  }
  var drag = null;
  viewport.addEventListener("pointerdown", function (event) {
    if (event.button !== 0) { return; }
    drag = { x: event.clientX, y: event.clientY, vx: view.x, vy: view.y };
    viewport.classList.add("cr-dragging");
    if (viewport.setPointerCapture) { viewport.setPointerCapture(event.pointerId); }
  });
  viewport.addEventListener("pointermove", function (event) {
    if (!drag) { return; }
    view.x = drag.vx - (event.clientX - drag.x) / view.scale;
    view.y = drag.vy - (event.clientY - drag.y) / view.scale;
    applyView();
  });
  function endDrag() { drag = null; viewport.classList.remove("cr-dragging"); }
  viewport.addEventListener("pointerup", endDrag);
  viewport.addEventListener("pointercancel", endDrag);
  viewport.addEventListener("wheel", function (event) {
    if (registry.active !== api) { return; }  // scrolling past an inactive stepper scrolls the page
    event.preventDefault();
    var rect = viewport.getBoundingClientRect();
    zoom(Math.exp(-event.deltaY * 0.0015), event.clientX - rect.left, event.clientY - rect.top);
  }, { passive: false });
  window.addEventListener("resize", function () { sizeCaption(); applyView(); show(current); });

  // -- controls and keys ------------------------------------------------------------------------
  // The caption box keeps the height of the tallest caption, so the drawing below never moves.
  function sizeCaption() {
    caption.style.minHeight = "0px";
    var tallest = 0;
    for (var f = 0; f <= last; f++) {
      caption.innerHTML = captionHtml(f, spec.quiz && frames[f].kind === "backward");
      tallest = Math.max(tallest, caption.offsetHeight);
    }
    caption.style.minHeight = tallest + "px";
  }

  function step(f) {
    if (f !== current && quizzing(current)) { answers[current] = { skipped: true }; }  // moving on skips the question
    show(f);
  }
  function on(selector, handler) { root.querySelector(selector).addEventListener("click", handler); }
  on(".cr-first", function () { step(0); });
  on(".cr-prev", function () { step(current - 1); });
  on(".cr-next", function () { step(current + 1); });
  on(".cr-last", function () { step(last); });
  on(".cr-zoom-in", function () { zoom(1.25); });
  on(".cr-zoom-out", function () { zoom(0.8); });
  on(".cr-fit", fit);
  slider.max = last;
  slider.addEventListener("input", function () { step(parseInt(slider.value, 10)); });

  var registry = window.chainruleSteppers || (window.chainruleSteppers = { active: null, installed: false });
  var api = { root: root, step: step, current: function () { return current; }, last: last };
  var standalone = root.getAttribute("data-standalone") === "true";
  root.addEventListener("pointerdown", function () { registry.active = api; }, true);
  root.addEventListener("focusin", function () { registry.active = api; });
  if (standalone) { registry.active = api; }  // in a notebook, keys reach a stepper only once it is clicked
  if (!registry.installed) {
    registry.installed = true;
    // One listener for the whole page, so a key press moves exactly one stepper by exactly one step.
    document.addEventListener("keydown", function (event) {
      var active = registry.active;
      if (!active || !document.body.contains(active.root) || event.altKey || event.ctrlKey || event.metaKey) { return; }
      var target = event.target;
      if (target && (target.tagName === "TEXTAREA" || target.isContentEditable ||
          (target.tagName === "INPUT" && target.type !== "range"))) { return; }
      var moves = { ArrowLeft: -1, ArrowRight: 1 };
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

  // -- the live page: controls on, the static notes folded away ---------------------------------
  root.classList.add("cr-live");
  root.querySelector(".cr-controls").hidden = false;
  root.querySelector(".cr-hint").hidden = false;
  root.querySelector(".cr-legend-live").hidden = false;  // the marks only the frames draw
  caption.hidden = false;
  if (spec.quiz) { scoreBox.hidden = false; scoreBox.textContent = "Quiz: answer the backward steps"; }
  root.querySelector(".cr-steps").open = false;
  sizeCaption();
  initialView();
  show(0);
}
