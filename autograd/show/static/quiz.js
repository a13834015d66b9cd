/* chainrule stepper quiz: each backward step asks for its local derivatives and new gradients. */
function chainruleQuiz(frames) {
  "use strict";
  // A question is one number of a row: its local derivative ("local") or the parent's new grad ("after").
  // Each open frame has its questions; a frame closes when answered right, after a second wrong try,
  // or when the learner moves on (its unanswered questions count as skipped).
  var state = {};
  var backward = [];
  frames.forEach(function (frame, f) {
    if (frame.kind !== "backward") { return; }
    var questions = [];
    frame.rows.forEach(function (row, r) {
      if (row.localValue !== null) { questions.push({ row: r, field: "local", truth: row.localValue, shown: row.local }); }
      if (row.afterValue !== null) { questions.push({ row: r, field: "after", truth: row.afterValue, shown: row.after }); }
    });
    if (!questions.length) { return; }  // a step on matrices: nothing to type
    questions.forEach(function (q) { q.typed = ""; q.draft = ""; q.ok = null; });
    state[f] = { questions: questions, tries: 0, closed: false, unreadable: [] };
    backward.push(f);
  });

  // Decimal numbers as people type them: a minus or U+2212, a decimal point or comma, an exponent.
  function parse(text) {
    var cleaned = String(text).trim().replace(/\u2212/g, "-").replace(/,/g, ".");
    if (!/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(cleaned)) { return NaN; }
    return parseFloat(cleaned);
  }
  // Right to 3 significant digits: within one unit of the third significant digit of the unrounded value,
  // so both roundings of a value shown with more digits count (0.507 and 0.508 for 0.5075).
  function agrees(answer, truth) {
    if (truth === 0) { return answer === 0; }
    var unit = Math.pow(10, Math.floor(Math.log10(Math.abs(truth))) - 2);
    return Math.abs(answer - truth) <= unit * (1 + 1e-9);
  }
  function open(f) { return !!state[f] && !state[f].closed; }
  function questionsOf(f) { return state[f] ? state[f].questions : []; }
  function question(f, row, field) {
    return questionsOf(f).filter(function (q) { return q.row === row && q.field === field; })[0] || null;
  }
  function close(f) {
    var s = state[f];
    s.closed = true;
    s.unreadable = [];
  }

  // Check the typed answers of frame f: drafts maps "row:field" to the text in each open box.
  function check(f, drafts) {
    var s = state[f], waiting = s.questions.filter(function (q) { return q.ok !== true; });
    waiting.forEach(function (q) { q.draft = drafts[q.row + ":" + q.field] || ""; });
    s.unreadable = waiting.filter(function (q) { return isNaN(parse(q.draft)); });
    if (s.unreadable.length) { return; }  // nothing is judged or counted until every box holds a number
    s.tries += 1;
    waiting.forEach(function (q) { q.typed = q.draft; q.ok = agrees(parse(q.draft), q.truth); });
    var allRight = s.questions.every(function (q) { return q.ok; });
    if (allRight || s.tries >= 2) { close(f); }
  }
  function skip(f) { if (open(f)) { close(f); } }  // what was judged stays, the rest is skipped

  function counts() {
    var c = { right: 0, wrong: 0, skipped: 0, open: 0, total: 0 };
    backward.forEach(function (f) {
      state[f].questions.forEach(function (q) {
        c.total += 1;
        if (!state[f].closed) { c.open += 1; } else if (q.ok === true) { c.right += 1; }
        else if (q.ok === false) { c.wrong += 1; } else { c.skipped += 1; }
      });
    });
    return c;
  }
  // Over once the last step is closed; what was never answered then counts as skipped.
  function over() { return !backward.length || state[backward[backward.length - 1]].closed; }
  function score() {
    var c = counts(), skipped = c.skipped + (over() ? c.open : 0);
    var text = c.right + " right \u00b7 " + c.wrong + " wrong \u00b7 " + skipped + " skipped";
    return over() ? "Quiz over: " + text + " (of " + c.total + ")" : "Quiz: " + text;
  }
  return {
    open: open, check: check, skip: skip, question: question, over: over, score: score,
    unreadable: function (f) { return state[f] ? state[f].unreadable : []; },
    tries: function (f) { return state[f] ? state[f].tries : 0; },
    active: backward.length > 0
  };
}
