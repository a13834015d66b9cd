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
  var steps = root.querySelector(".cr-steps");
  var standalone = root.getAttribute("data-standalone") === "true";
  var quiz = spec.quiz ? chainruleQuiz(frames) : null;
  var current = 0;

  // -- the drawing's parts, found once -------------------------------------------------------
  var nodes = [], dataText = [], gradText = [], boxes = [];
  var offset = svg.querySelector(".cr-content").transform.baseVal.consolidate().matrix;
  for (var i = 0; i < count; i++) {
    var g = document.getElementById(gid + "-v" + i);
    nodes.push(g);
    dataText.push(g.querySelector(".cr-data"));
    gradText.push(g.querySelector(".cr-grad"));
    var m = g.transform.baseVal.consolidate().matrix, rect = g.querySelector("rect");
    boxes.push({ x: offset.e + m.e, y: offset.f + m.f, w: rect.width.baseVal.value, h: rect.height.baseVal.value });
  }
  var edges = svg.querySelectorAll(".cr-edge");
  var graphW = svg.viewBox.baseVal.width, graphH = svg.viewBox.baseVal.height;
  var smallestFont = 12;
  svg.querySelectorAll("[font-size]").forEach(function (e) {
    smallestFont = Math.min(smallestFont, parseFloat(e.getAttribute("font-size")) || smallestFont);
  });

  // -- what each frame shows: when each value appears, and each gradient's changes ------------
  // A node's gradient changes in a few frames only: keep those (frame, text) pairs and look the
  // text up by binary search, so a frame costs the same on a graph of 10 nodes or 1,000.
  var shownAt = [], gradFrames = [], gradTexts = [], firstBackward = last + 1, constant = {};
  for (i = 0; i < count; i++) { shownAt.push(Infinity); gradFrames.push([]); gradTexts.push([]); }
  (spec.constants || []).forEach(function (n) { constant[n] = true; });
  frames.forEach(function (frame, f) {
    (frame.show || []).forEach(function (n) { shownAt[n] = Math.min(shownAt[n], f); });
    if (frame.kind === "seed") { firstBackward = Math.min(firstBackward, f); }
    Object.keys(frame.grads || {}).forEach(function (n) { gradFrames[+n].push(f); gradTexts[+n].push(frame.grads[n]); });
  });
  function gradAt(n, f) {
    var at = gradFrames[n], lo = 0, hi = at.length - 1, found = -1;
    while (lo <= hi) {
      var mid = (lo + hi) >> 1;
      if (at[mid] <= f) { found = mid; lo = mid + 1; } else { hi = mid - 1; }
    }
    return found >= 0 ? gradTexts[n][found] : constant[n] ? "\u2014" : "?";  // a constant never has a gradient
  }

  // -- captions -----------------------------------------------------------------------------
  function escapeHtml(text) {
    return String(text).replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
  }
  var probing = false;  // captions written to be measured: a question as after a wrong try
  // One number of a row: shown, asked for (an input box), or the learner's answer beside the right one.
  function cell(f, r, field, shown, label) {
    var q = quiz && quiz.question(f, r, field);
    if (!q) { return field === "after" ? "<b>" + escapeHtml(shown) + "</b>" : escapeHtml(shown); }
    if (quiz.open(f) && q.ok !== true) {
      var unreadable = quiz.unreadable(f).indexOf(q) >= 0;
      return '<input data-row="' + r + '" data-field="' + field + '" inputmode="decimal" autocomplete="off" ' +
        'aria-label="' + escapeHtml(label) + '" value="' + escapeHtml(q.draft) + '"' +
        (unreadable ? ' class="cr-unreadable" aria-invalid="true"' : "") + ">" +
        (q.ok === false || probing ? ' <span class="cr-wrong">&#10007; try again</span>' : "");
    }
    if (q.ok === true) {
      return '<span class="cr-typed">' + escapeHtml(q.typed) + '</span> <span class="cr-right">&#10003;</span>' +
        (q.typed === shown ? "" : ' <span class="cr-truth">(' + escapeHtml(shown) + ")</span>");
    }
    if (q.ok === false) {
      return '<span class="cr-typed">' + escapeHtml(q.typed) + '</span> <span class="cr-wrong">&#10007;</span> ' +
        '<span class="cr-truth">right: <b>' + escapeHtml(shown) + "</b></span>";
    }
    return escapeHtml(shown) + ' <span class="cr-truth">(skipped)</span>';
  }
  function settled(f, r) {  // every box of the row answered right: what it adds gives nothing away
    return ["local", "after"].every(function (field) { var q = quiz.question(f, r, field); return !q || q.ok === true; });
  }
  function backwardCaption(f, asking) {
    var frame = frames[f], name = escapeHtml(spec.names[frame.node]);
    var html = "";
    if (quiz && f === last && quiz.over()) { html += '<p class="cr-summary">' + escapeHtml(quiz.score()) + "</p>"; }
    html += "<b>" + name + "</b> passes its gradient back: " + name + ".grad = " + escapeHtml(frame.upstream) +
      ". For each input, <i>input</i>.grad += local derivative &times; " + name + ".grad.";
    html += '<table><tr><th>input</th><th>local derivative</th><th>&times; ' + name +
      ".grad</th><th>= adds</th><th>its grad</th></tr>";
    frame.rows.forEach(function (row, r) {
      // A rule that is a number already (∂(a + b)/∂a = 1, ∂L/∂e2 = ½) would give the answer away, and says nothing more.
      var rule = row.rule && !row.numeric && row.rule !== row.local ? escapeHtml(row.rule) + " = " : "";
      html += '<tr><td data-head="input"><b>' + escapeHtml(row.parent) + "</b></td>" +
        '<td data-head="local derivative">' + escapeHtml(row.d) + " = " + rule + cell(f, r, "local", row.local, row.d) +
        '</td><td data-head="times">&times; ' + escapeHtml(frame.upstream) + "</td>" +
        '<td data-head="adds">' + (row.rounded ? "&asymp; " : "= ") + (asking && !settled(f, r) ? "?" : escapeHtml(row.added)) + "</td>" +
        '<td data-head="grad">' + escapeHtml(row.before) + " &rarr; " +
        cell(f, r, "after", row.after, "new " + row.parent + ".grad") + "</td></tr>";
    });
    html += "</table>";
    if (asking) {  // the buttons stay in sight at the foot of the caption box, however far it is scrolled
      html += '<div class="cr-answer">';
      var unreadable = quiz.unreadable(f);
      if (unreadable.length) {
        html += '<p class="cr-message">Not read as a number: ' + unreadable.map(function (q) {
          return q.draft.trim() ? "\u201c" + escapeHtml(q.draft) + "\u201d" : "an empty box";
        }).join(", ") + ". Type a decimal number such as 0.25 or \u22121.5e\u22123; nothing was counted.</p>";
      } else if (quiz.tries(f) === 1 || probing) {
        html += '<p class="cr-message">Not quite: each box marked &#10007; may be tried once more.</p>';
      }
      html += '<button type="button" class="cr-check">Check</button> <button type="button" class="cr-skip">' +
        'Skip</button> <span class="cr-note">3 significant digits are enough.</span></div>';
    }
    return html;
  }
  function captionHtml(f, asking) {
    return frames[f].kind === "backward" ? backwardCaption(f, asking) : frames[f].text.map(escapeHtml).join("<br>");
  }

  // -- drawing a frame: only what differs from the frame on screen is touched -----------------
  var DIM = 1, NOW = 2, SRC = 4, SEND = 8, RECV = 16;
  var FLAG_CLASSES = [[DIM, "cr-dim"], [NOW, "cr-now"], [SRC, "cr-src"], [SEND, "cr-send"], [RECV, "cr-recv"]];
  var onScreen = { data: [], grad: [], flags: [], edges: [] };
  // Known from its scroll events: asking the caption where it is scrolled would lay the page out.
  var captionScrolled = false;
  caption.addEventListener("scroll", function () { captionScrolled = caption.scrollTop > 0; });
  for (i = 0; i < count; i++) { onScreen.data.push(null); onScreen.grad.push(null); onScreen.flags.push(0); }

  // The boxes are sized for the widest text they show; squeeze a text only in an unusually wide font.
  // Measured just before the browser draws the frame, when it lays the page out anyway: measuring
  // within the step would make it lay the whole page out a second time.
  var unmeasured = [];
  function fitTexts(texts) {
    texts.forEach(function (t) { t.text.removeAttribute("textLength"); });
    if (!unmeasured.length && texts.length) { window.requestAnimationFrame(measureTexts); }
    unmeasured = unmeasured.concat(texts);
  }
  function measureTexts() {
    var squeeze = [];
    unmeasured.forEach(function (t) {
      var room = boxes[t.node].w - 2 * 7 - 34;
      if (room > 10 && t.text.getComputedTextLength() > room) { squeeze.push([t.text, room]); }
    });
    unmeasured = [];
    squeeze.forEach(function (s) {
      s[0].setAttribute("textLength", s[1]);
      s[0].setAttribute("lengthAdjust", "spacingAndGlyphs");
    });
  }
  function setText(kind, element, n, text, changed) {
    if (onScreen[kind][n] === text) { return; }
    onScreen[kind][n] = text;
    element.textContent = text;
    if (text.length > 1) { changed.push({ text: element, node: n }); }  // "?" and "—" fit any box
    else { element.removeAttribute("textLength"); }
  }
  function show(f) {
    current = Math.max(0, Math.min(last, f));
    var frame = frames[current], backward = current >= firstBackward, asking = !!quiz && quiz.open(current);
    var focus = frame.node, marks = {}, changed = [];
    (frame.parents || []).forEach(function (n) { marks[n] = SRC; });
    if (frame.kind === "forward") { marks[focus] = (marks[focus] || 0) | NOW; }
    if (frame.kind === "backward") { marks[focus] = (marks[focus] || 0) | SEND; }
    (frame.recv || []).forEach(function (n) {
      // A box is marked as receiving only when the number it shows changes (or it is being asked for).
      if (asking || gradAt(n, current) !== gradAt(n, current - 1)) { marks[n] = (marks[n] || 0) | RECV; }
    });
    var asked = {};  // boxes whose new grad is still asked for: "?" until answered right
    if (asking) {
      frame.rows.forEach(function (row, r) {
        var q = quiz.question(current, r, "after");
        if (!q || q.ok !== true) { asked[spec.names.indexOf(row.parent)] = true; }
      });
    }
    for (var n = 0; n < count; n++) {
      var known = backward || shownAt[n] <= current;
      setText("data", dataText[n], n, known ? spec.data[n] : "?", changed);
      if (gradText[n]) { setText("grad", gradText[n], n, asked[n] ? "?" : gradAt(n, current), changed); }
      var flags = (marks[n] || 0) | (known ? 0 : DIM), was = onScreen.flags[n];
      if (flags !== was) {
        FLAG_CLASSES.forEach(function (fc) {
          if ((flags & fc[0]) !== (was & fc[0])) { nodes[n].classList.toggle(fc[1], !!(flags & fc[0])); }
        });
        onScreen.flags[n] = flags;
      }
    }
    fitTexts(changed);
    onScreen.edges.forEach(function (k) { edges[k].classList.remove("cr-flow", "cr-in"); });
    onScreen.edges = frame.edges || [];
    onScreen.edges.forEach(function (k) { edges[k].classList.add(frame.kind === "backward" ? "cr-flow" : "cr-in"); });
    caption.innerHTML = captionHtml(current, asking);
    if (captionScrolled) { caption.scrollTop = 0; captionScrolled = false; }  // a new caption reads from its top
    caption.classList.toggle("cr-back", backward);
    if (asking) { wireQuestions(); }
    if (quiz) { showScore(); }
    slider.value = current;
    position.textContent = (backward ? "Backward" : "Forward") + " \u00b7 step " + (current + 1) + " of " + frames.length;
    root.setAttribute("data-step", String(current));
    keepInView(frame);
  }

  // -- the quiz's buttons and score -----------------------------------------------------------
  function wireQuestions() {
    var f = current;
    function submit() {
      var drafts = {};
      caption.querySelectorAll("input[data-row]").forEach(function (input) {
        drafts[input.getAttribute("data-row") + ":" + input.getAttribute("data-field")] = input.value;
      });
      quiz.check(f, drafts);
      show(f);
      var again = caption.querySelector("input.cr-unreadable, input[data-row]");
      if (again && quiz.open(f)) { again.focus({ preventScroll: true }); }
    }
    caption.querySelector(".cr-check").addEventListener("click", submit);
    caption.querySelector(".cr-skip").addEventListener("click", function () { quiz.skip(f); show(f); });
    caption.querySelectorAll("input").forEach(function (input) {
      input.addEventListener("keydown", function (event) {
        if (event.key === "Enter") { event.preventDefault(); submit(); }
      });
    });
  }
  // A box the bar of Check and Skip would cover (a phone, a projector at 150 %) is scrolled above it.
  function reveal(box) {
    var bar = caption.querySelector(".cr-answer");
    if (!bar) { return; }
    var below = box.getBoundingClientRect().bottom + 4 - bar.getBoundingClientRect().top;
    if (below > 0) { caption.scrollTop += below; }
    var above = caption.getBoundingClientRect().top + 4 - box.getBoundingClientRect().top;
    if (above > 0) { caption.scrollTop -= above; }
  }
  caption.addEventListener("focusin", function (event) {
    if (event.target.tagName !== "INPUT") { return; }
    reveal(event.target);
    window.requestAnimationFrame(function () { reveal(event.target); });  // after the browser's own scrolling
  });
  function showScore() {
    scoreBox.textContent = quiz.score();
    if (quiz.over() && steps.hidden) {  // the table gives the answers: only now
      steps.hidden = false;
      root.querySelector(".cr-quiz-hint").hidden = true;
    }
  }

  // -- sizes: text readable, the caption a fixed height, the drawing below it in the window -----
  // The drawing's smallest text is kept at READABLE_PX or more as the screen shows it at 100 % zoom.
  // Under browser zoom a CSS pixel is larger: outerWidth counts screen pixels, innerWidth CSS pixels.
  // Zoom scales both directions; a window wider than its page for another reason (developer tools
  // docked at the side, a headless browser's smallest window) does not, and is not taken for zoom.
  var READABLE_PX = 11;
  function browserZoom() {
    var zoom = window.outerWidth / window.innerWidth, tall = window.outerHeight / window.innerHeight;
    return zoom > 1.1 && zoom < 5 && tall >= zoom - 0.05 ? zoom : 1;
  }
  function readableScale() { return READABLE_PX / (smallestFont * browserZoom()); }
  var viewW = 120;  // the drawing's width on screen, measured when the page is laid out (not every step)
  function pageTop(element) {  // from the top of the page (a standalone page) or of the stepper (in a notebook)
    var top = element.getBoundingClientRect().top;
    return standalone ? top + window.scrollY : top - root.getBoundingClientRect().top;
  }
  var heightCap = Infinity;  // a scale that leaves the caption room for its tallest step (sizeParts)
  function widthScale() { return Math.max(readableScale(), Math.min(1.5, viewW / graphW, heightCap)); }
  var maxViewH = 240;
  function tallestCaption() {
    // Captions of the same shape (text, or a table of so many rows) are taller the longer they are:
    // lay out the three longest of each shape at once in a hidden copy of the caption box.
    // A question is measured as it reads after a wrong try, every box marked, so it never grows past its box.
    var shapes = {}, parts = [];
    probing = true;
    for (var f = 0; f <= last; f++) {
      var html = captionHtml(f, !!quiz && quiz.open(f)), rows = frames[f].rows;
      var shape = (shapes[rows ? rows.length : "text"] = shapes[rows ? rows.length : "text"] || []);
      shape.push({ f: f, html: html });
      shape.sort(function (a, b) { return b.html.length - a.html.length; });
      shape.length = Math.min(shape.length, 3);
    }
    probing = false;
    Object.keys(shapes).forEach(function (key) {
      shapes[key].forEach(function (c) {
        parts.push('<div class="cr-caption' + (c.f >= firstBackward ? " cr-back" : "") + '">' + c.html + "</div>");
      });
    });
    var probe = document.createElement("div");
    probe.style.cssText = "position:absolute;left:-20000px;top:0;visibility:hidden;width:" +
      caption.getBoundingClientRect().width + "px";
    probe.innerHTML = parts.join("");
    root.appendChild(probe);
    var tallest = 0;
    for (var k = 0; k < probe.children.length; k++) { tallest = Math.max(tallest, probe.children[k].offsetHeight); }
    root.removeChild(probe);
    return tallest;
  }
  // The caption box has one height for every frame, so the drawing below it never moves: the tallest
  // caption if the drawing still fits the window below it, else what leaves room for the drawing
  // (a longer caption scrolls), and at most 30 % of the window when the drawing is panned anyway.
  function sizeParts() {
    viewW = Math.max(120, viewport.clientWidth);
    var tallest = tallestCaption(), line = parseFloat(getComputedStyle(caption).lineHeight) || 23;
    var fewest = Math.round(4 * line + 14), most = Math.max(fewest, Math.round(0.3 * window.innerHeight));
    var gap = pageTop(viewport) - (pageTop(caption) + caption.offsetHeight);
    heightCap = Infinity;
    var drawing = Math.ceil(graphH * widthScale()) + 2;
    var room = window.innerHeight - pageTop(caption) - gap - drawing - 8;
    // A drawing a little smaller, its text still readable, may leave room for every step whole.
    var smaller = (window.innerHeight - pageTop(caption) - gap - tallest - 8 - 3) / graphH;
    if (tallest > room && smaller >= readableScale()) { heightCap = smaller; room = tallest; }
    var height = tallest <= room ? tallest : room >= fewest ? room : Math.min(tallest, most);
    caption.style.height = height + "px";
    maxViewH = Math.max(160, window.innerHeight - pageTop(viewport) - 8);
  }

  // -- pan and zoom: the view is a window (x, y, scale) onto the drawing ------------------------
  // The drawing is drawn whole at the view's scale and slid under the viewport by a CSS transform:
  // panning costs the browser no new layout (a new viewBox made it lay out every text of the
  // drawing again: 30 ms a step on 400 nodes).
  var view = { x: 0, y: 0, scale: 1 }, drawnSize = "", drawnView = "";
  svg.style.cssText = "position:absolute;left:0;top:0;max-width:none;will-change:transform;transform-origin:0 0";
  function viewSize() { return { w: viewW, h: Math.min(maxViewH, Math.ceil(graphH * view.scale) + 2) }; }
  function clampView(size) {
    var w = size.w / view.scale, h = size.h / view.scale;
    view.x = graphW <= w ? (graphW - w) / 2 : Math.max(0, Math.min(graphW - w, view.x));
    view.y = graphH <= h ? 0 : Math.max(0, Math.min(graphH - h, view.y));
  }
  function applyView() {
    var size = viewSize();
    clampView(size);
    var s = view.scale, width = graphW * s, height = graphH * s;
    if (width + " " + height + " " + size.h !== drawnSize) {
      drawnSize = width + " " + height + " " + size.h;
      svg.setAttribute("width", width);
      svg.setAttribute("height", height);
      svg.style.height = height + "px";
      viewport.style.height = size.h + "px";
    }
    var pixel = window.devicePixelRatio || 1;  // whole device pixels keep the text sharp
    var transform = "translate(" + Math.round(-view.x * s * pixel) / pixel + "px," +
      Math.round(-view.y * s * pixel) / pixel + "px)";
    if (transform !== drawnView) { drawnView = transform; svg.style.transform = transform; }
  }
  // Zoom reaches from the whole graph in view (or readable text, if the graph fits anyway) up to 4x.
  function scaleLimits() {
    var whole = Math.min(viewW / graphW, maxViewH / graphH);
    return [Math.max(0.02, Math.min(readableScale(), whole)), 4];
  }
  function zoomTo(scale, cx, cy) {
    var size = viewSize(), limits = scaleLimits();
    cx = cx === undefined ? size.w / 2 : cx;
    cy = cy === undefined ? size.h / 2 : cy;
    var gx = view.x + cx / view.scale, gy = view.y + cy / view.scale;
    view.scale = Math.max(limits[0], Math.min(limits[1], scale));
    view.x = gx - cx / view.scale;
    view.y = gy - cy / view.scale;
    applyView();
  }
  // Fit: the whole graph if its text stays readable, else readable text and the rest panned.
  function fit() {
    view.scale = Math.max(readableScale(), Math.min(1.5, viewW / graphW, maxViewH / graphH));
    view.x = 0; view.y = 0;
    applyView();
    keepInView(frames[current]);
  }
  // Move the view only if the nodes of this frame are not all in sight, so nothing moves needlessly;
  // if they cannot all be in sight, the node computed or passing on now is.
  function span(list) {
    var s = { x0: Infinity, y0: Infinity, x1: -Infinity, y1: -Infinity };
    list.forEach(function (n) {
      var b = boxes[n];
      s.x0 = Math.min(s.x0, b.x); s.y0 = Math.min(s.y0, b.y); s.x1 = Math.max(s.x1, b.x + b.w); s.y1 = Math.max(s.y1, b.y + b.h);
    });
    return s;
  }
  function keepInView(frame) {
    var wanted = [frame.node].concat(frame.recv || [], frame.parents || []).filter(function (n) { return n !== undefined; });
    if (!wanted.length) { return; }
    var size = viewSize(), w = size.w / view.scale, h = size.h / view.scale, all = span(wanted);
    if (all.x0 >= view.x && all.x1 <= view.x + w && all.y0 >= view.y && all.y1 <= view.y + h) { return; }
    var s = all.x1 - all.x0 <= w && all.y1 - all.y0 <= h ? all : span([wanted[0]]);
    view.x = (s.x0 + s.x1) / 2 - w / 2;
    view.y = (s.y0 + s.y1) / 2 - h / 2;
    applyView();
  }

  // One finger (or the mouse) drags the drawing; two fingers pinch to zoom.
  var pointers = {}, drag = null, pinch = null;
  function touching() { return Object.keys(pointers).map(function (id) { return pointers[id]; }); }
  function startGesture() {
    var p = touching(), rect = viewport.getBoundingClientRect();
    drag = pinch = null;
    if (p.length === 1) { drag = { x: p[0].x, y: p[0].y, vx: view.x, vy: view.y }; }
    if (p.length === 2) {
      pinch = { d: Math.hypot(p[0].x - p[1].x, p[0].y - p[1].y) || 1, scale: view.scale,
        cx: (p[0].x + p[1].x) / 2 - rect.left, cy: (p[0].y + p[1].y) / 2 - rect.top };
    }
    viewport.classList.toggle("cr-dragging", !!drag);
  }
  viewport.addEventListener("pointerdown", function (event) {
    if (event.pointerType === "mouse" && event.button !== 0) { return; }
    pointers[event.pointerId] = { x: event.clientX, y: event.clientY };
    try { viewport.setPointerCapture(event.pointerId); } catch (e) { /* a pointer the browser no longer tracks */ }
    startGesture();
  });
  viewport.addEventListener("pointermove", function (event) {
    if (!pointers[event.pointerId]) { return; }
    pointers[event.pointerId] = { x: event.clientX, y: event.clientY };
    var p = touching();
    if (pinch && p.length === 2) {
      zoomTo(pinch.scale * Math.hypot(p[0].x - p[1].x, p[0].y - p[1].y) / pinch.d, pinch.cx, pinch.cy);
    } else if (drag) {
      view.x = drag.vx - (event.clientX - drag.x) / view.scale;
      view.y = drag.vy - (event.clientY - drag.y) / view.scale;
      applyView();
    }
  });
  function lift(event) { delete pointers[event.pointerId]; startGesture(); }
  viewport.addEventListener("pointerup", lift);
  viewport.addEventListener("pointercancel", lift);
  // The wheel scrolls the page; with Ctrl or ⌘ held (and a trackpad pinch, which browsers send so) it zooms.
  viewport.addEventListener("wheel", function (event) {
    if (!event.ctrlKey && !event.metaKey) { return; }
    event.preventDefault();
    var rect = viewport.getBoundingClientRect(), delta = event.deltaY * (event.deltaMode === 1 ? 16 : 1);
    zoomTo(view.scale * Math.exp(-Math.max(-50, Math.min(50, delta)) * 0.004),
      event.clientX - rect.left, event.clientY - rect.top);
  }, { passive: false });
  // A new width lays the captions and the drawing out again; a new height only (a phone's address bar
  // hiding as the page scrolls) moves nothing but the drawing's bottom edge.
  var resizing = false, laidOutWidth = window.innerWidth;
  window.addEventListener("resize", function () {
    if (resizing) { return; }
    resizing = true;
    window.requestAnimationFrame(function () {
      resizing = false;
      if (window.innerWidth !== laidOutWidth) {
        laidOutWidth = window.innerWidth;
        sizeParts();
        view.scale = widthScale();
      } else {
        maxViewH = Math.max(160, window.innerHeight - pageTop(viewport) - 8);
      }
      drawnSize = "";
      applyView();
      keepInView(frames[current]);
    });
  });

  // -- controls and keys ------------------------------------------------------------------------
  function step(f) {
    if (f > current && quiz) { quiz.skip(current); }  // moving on skips what was not answered; going back does not
    show(f);
  }
  function on(selector, handler) { root.querySelector(selector).addEventListener("click", handler); }
  on(".cr-first", function () { step(0); });
  on(".cr-prev", function () { step(current - 1); });
  on(".cr-next", function () { step(current + 1); });
  on(".cr-last", function () { step(last); });
  on(".cr-zoom-in", function () { zoomTo(view.scale * 1.25); });
  on(".cr-zoom-out", function () { zoomTo(view.scale * 0.8); });
  on(".cr-fit", fit);
  slider.max = last;
  slider.addEventListener("input", function () { step(parseInt(slider.value, 10)); });

  chainruleKeys({ root: root, step: step, current: function () { return current; }, last: last }, standalone);

  // -- the live page: controls on, the static notes folded away ---------------------------------
  root.classList.add("cr-live");
  root.querySelector(".cr-controls").hidden = false;
  root.querySelector(".cr-hint").hidden = false;
  caption.hidden = false;
  steps.open = false;
  if (quiz) {
    scoreBox.hidden = false;
    scoreBox.textContent = quiz.score();  // its line is there when the caption box is sized below it
    steps.hidden = !quiz.over();  // the table of steps holds every answer
    root.querySelector(".cr-quiz-hint").hidden = false;
  }
  sizeParts();
  view.scale = widthScale();
  applyView();
  show(0);
}
