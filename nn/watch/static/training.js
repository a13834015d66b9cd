(function () {
  "use strict";
  const root = document.getElementById("cr-film");
  const data = JSON.parse(root.querySelector(".cr-film-data").textContent);
  const frames = data.frames, last = frames.length - 1;
  const slider = root.querySelector(".cr-film-slider");
  const play = root.querySelector(".cr-film-play");
  const epochText = root.querySelector(".cr-film-epoch");
  const readout = root.querySelector(".cr-film-readout");
  const cells = root.querySelector(".cr-film-cells");
  const clip = root.querySelector(".cr-film-clip");
  const cursor = root.querySelector(".cr-film-cursor");
  const dot = root.querySelector(".cr-film-dot");
  const L = data.geometry.loss, G = data.geometry.grads;
  const finalEpoch = data.epochs[data.epochs.length - 1];
  const where = new Map(data.epochs.map((e, i) => [e, i]));
  let current = last, timer = null;

  function value(x) {
    if (x === null || x === undefined) return "\u2013";
    if (x === 0 || (Math.abs(x) >= 1e-3 && Math.abs(x) < 1e4)) return x.toFixed(4);
    return x.toExponential(2).replace("e+", "e");
  }
  function small(x) {
    if (Math.abs(x) >= 0.01 && Math.abs(x) < 999.5) return x.toPrecision(3).replace(/\.$/, "");
    return x.toExponential(2).replace("e+", "e");
  }
  function ex(e) { return L.left + (L.right - L.left) * (L.e1 > L.e0 ? (e - L.e0) / (L.e1 - L.e0) : 0.5); }
  function ly(v) { return L.bottom - (v - L.lo) / (L.hi - L.lo) * (L.bottom - L.top); }
  function bar(v) {
    if (v === "inf" || v === "nan") return [G.top, G.bottom - G.top, v === "inf" ? "inf" : "NaN"];
    if (typeof v !== "number" || v <= 0) return [G.bottom, 0, "0"];
    const f = Math.min(Math.max((Math.log10(v) - G.lo) / (G.hi - G.lo), 0), 1);
    const y = G.bottom - f * (G.bottom - G.top);
    return [y, G.bottom - y, small(v)];
  }
  function drawCells(runs) {
    if (!cells || !runs) return;
    const out = [];
    runs.forEach((row, r) => {
      let x = 0;
      for (let i = 0; i < row.length; i += 2) {
        const k = row[i], n = row[i + 1];
        out.push('<rect class="' + (k < 0 ? "kx" : "k" + k) + '" x="' + x + '" y="' + r + '" width="' + n +
          '" height="1"/>');
        x += n;
      }
    });
    cells.innerHTML = out.join("");
  }
  function drawBars(kind, values) {
    root.querySelectorAll(".cr-film-bar.cr-film-" + kind).forEach((rect) => {
      const [y, h] = bar(values[+rect.dataset.layer]);
      rect.setAttribute("y", y.toFixed(1));
      rect.setAttribute("height", h.toFixed(1));
    });
    root.querySelectorAll(".cr-film-" + kind + "-val").forEach((text) => {
      const [y, , label] = bar(values[+text.dataset.layer]);
      text.setAttribute("y", (y - 5).toFixed(1));
      text.textContent = label;
    });
  }
  function show(i) {
    current = Math.max(0, Math.min(last, i));
    const f = frames[current], at = where.get(f.epoch);
    const loss = data.loss[at], accuracy = data.accuracy[at];
    slider.value = String(current);
    root.dataset.frame = String(current);
    root.dataset.epoch = String(f.epoch);
    epochText.textContent = "Epoch " + f.epoch + " of " + finalEpoch;
    readout.textContent = "loss " + value(loss) +
      (accuracy === null ? "" : " \u00b7 accuracy " + (100 * accuracy).toFixed(1) + "%");
    drawCells(f.runs);
    const x = ex(f.epoch);
    clip.setAttribute("width", (x + 0.5).toFixed(1));
    cursor.setAttribute("x1", x.toFixed(1));
    cursor.setAttribute("x2", x.toFixed(1));
    dot.setAttribute("cx", x.toFixed(1));
    dot.setAttribute("cy", (loss === null ? L.bottom : ly(loss)).toFixed(1));
    drawBars("norm", f.norm);
    drawBars("mean", f.mean);
  }
  function stop() {
    if (timer !== null) clearInterval(timer);
    timer = null;
    play.textContent = "\u25b6 Play";
  }
  function start() {
    if (current >= last) show(0);
    play.textContent = "\u275a\u275a Pause";
    const delay = Math.max(60, Math.min(400, 8000 / Math.max(last, 1)));
    timer = setInterval(() => { if (current >= last) stop(); else show(current + 1); }, delay);
  }
  play.addEventListener("click", () => (timer === null ? start() : stop()));
  slider.addEventListener("input", () => { stop(); show(+slider.value); });
  document.addEventListener("keydown", (event) => {
    const target = event.target;
    if (target && (target.isContentEditable || /^(TEXTAREA|SELECT)$/.test(target.tagName) ||
        (target.tagName === "INPUT" && target !== slider))) return;
    if (event.altKey || event.ctrlKey || event.metaKey) return;
    const moves = { ArrowRight: current + 1, ArrowUp: current + 1, ArrowLeft: current - 1, ArrowDown: current - 1,
      Home: 0, End: last, PageUp: current + 10, PageDown: current - 10 };
    if (event.key in moves) {
      event.preventDefault();  // the slider would move as well: one step per key press
      stop();
      show(moves[event.key]);
    } else if (event.key === " " && target !== play) {
      event.preventDefault();
      timer === null ? start() : stop();
    }
  });
  root.querySelector(".cr-film-controls").hidden = false;
  root.classList.add("cr-live");
  show(last);
})();
