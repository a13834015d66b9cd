"""The forward and backward passes frame by frame, as one self-contained HTML page: ``Stepper(root)``.

The frames come from ``trace`` (the engine's own backward pass, watched): one SVG, laid
out once, and a small record per frame that a short script applies. The page (or a
fragment shown inline in Jupyter) holds its style, script and data inline; without the
script (on GitHub, nbviewer) it shows the final state and a table of every step.
"""

from __future__ import annotations

import html
import os
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from .. import checks
from ..value import Value
from .digits import backward_texts
from .layout import RANKDIRS, Scene, check_engine, check_root
from .page import asset, script_json, write_file
from .steps import Edge, Step, describe, final_gradients, local_rule, trace
from .svg import UID_PLACEHOLDER, scene_svg, with_uid
from .text import MINUS, box_text, format_number, heading, node_names
from .view import shown_order, shown_parents


# -- frames ----------------------------------------------------------------------------------------
@dataclass
class Frame:
    """What one picture of the stepper shows: the steps it covers and their marks."""

    kind: str  # "inputs", "forward", "seed" or "backward"
    steps: list[Step]
    caption: list[str]


class Stepper:
    """The forward and backward pass frame by frame, as a self-contained HTML page.

    The first frame shows every input and parameter, then one frame per op in the
    order a person would compute it by hand, then the backward pass from the output
    back, one frame per node passing its gradient on. The backward pass is shown from
    zero gradients (as after ``zero_grad()``), whatever the leaves hold now. With
    ``quiz=True`` the page asks for each local derivative and new gradient before it
    shows them, and keeps a score.

    >>> Stepper(loss).save("backward.html")   # open it in a browser; arrow keys move between frames
    """

    def __init__(
        self,
        root: Value,
        rankdir: str = "LR",
        max_nodes: int = 250,
        engine: str | None = None,
        quiz: bool = False,
        title: str | None = None,
    ) -> None:
        checks.choice(rankdir, "rankdir", RANKDIRS)
        check_engine(engine)
        if not isinstance(quiz, bool):
            raise TypeError(f"quiz must be True or False, got {type(quiz).__name__} {quiz!r:.40}")
        if title is not None and not isinstance(title, str):
            raise TypeError(f"title must be a str, got {type(title).__name__} {title!r:.40}")
        self.order = shown_order(check_root(root, max_nodes, "Stepper"))  # checked first: errors name Stepper
        self.steps = trace(root, max_nodes=max_nodes, fresh=True)
        self.root = root
        self.quiz = quiz
        self.rankdir = rankdir
        self.engine = engine
        self._scene: Scene | None = None
        self.names = node_names(self.order)  # n1, n2, ... in the order the frames compute them
        self.title = title if title is not None else heading(root, self.names)
        self.frames = self._frames()

    def __len__(self) -> int:
        return len(self.frames)

    def _frames(self) -> list[Frame]:
        leaves = [s for s in self.steps if s.kind == "forward" and not shown_parents(s.node)]
        frames = [Frame("inputs", leaves, [_inputs_caption(leaves, self.names)])]
        for step in self.steps[len(leaves) :]:
            kind = step.kind
            frames.append(Frame(kind, [step], describe(step, self.names)))
        return frames

    def captions(self) -> list[str]:
        """One text per frame: which pass, which frame, and the arithmetic."""
        titles = {"inputs": "Forward", "forward": "Forward", "seed": "Backward", "backward": "Backward"}
        return [
            f"{titles[f.kind]} step {i + 1} of {len(self.frames)}: " + "\n".join(f.caption)
            for i, f in enumerate(self.frames)
        ]

    # -- the page ------------------------------------------------------------------------------
    @property
    def scene(self) -> Scene:
        """The layout shared by every frame, made once (boxes wide enough for every text they show)."""
        if self._scene is None:
            texts = {id(n): [("?", "?"), (box_text(n.data), "0")] for n in self.order}
            for step in self.steps:
                for edge in step.edges:
                    texts[id(edge.parent)].append((box_text(edge.parent.data), box_text(edge.parent_grad_after)))
                if step.kind == "seed":
                    texts[id(step.node)].append((box_text(step.node.data), box_text(step.grad)))
            self._scene = Scene(
                self.order, self.rankdir, texts=texts, engine=self.engine, ranksep=0.25, names=self.names
            )
        return self._scene

    def _spec(self, scene: Scene) -> dict:
        index = scene.index
        arrows_into: dict[int, list[int]] = {}
        for k, arrow in enumerate(scene.arrows):
            arrows_into.setdefault(arrow.child, []).append(k)
        frames = []
        for frame in self.frames:
            record: dict = {"kind": frame.kind}
            if frame.kind != "backward":  # a backward caption is written by the script from its rows
                record["text"] = frame.caption
            if frame.kind in ("inputs", "forward"):
                record["show"] = [index[id(s.node)] for s in frame.steps]
                if frame.kind == "forward":
                    node = index[id(frame.steps[0].node)]
                    record["node"] = node
                    record["edges"] = arrows_into.get(node, [])
                    record["parents"] = sorted({index[id(p)] for p in shown_parents(frame.steps[0].node)})
            elif frame.kind == "seed":
                step = frame.steps[0]
                record["node"] = index[id(step.node)]
                record["grads"] = {str(i): box_text(None if n.is_constant else 0.0) for i, n in enumerate(scene.order)}
                record["grads"][str(index[id(step.node)])] = box_text(step.grad)
            else:
                step = frame.steps[0]
                node = index[id(step.node)]
                record["node"] = node
                record["edges"] = [
                    k for k in arrows_into.get(node, []) if not scene.order[scene.arrows[k].parent].is_constant
                ]
                record["recv"] = sorted({index[id(e.parent)] for e in step.edges})
                record["grads"] = {str(index[id(e.parent)]): box_text(e.parent_grad_after) for e in step.edges}
                upstream, shown = backward_texts(
                    step
                )  # digits enough for local × upstream = added, before + added = after
                record["rows"] = [self._row(step, k, e, shown[k]) for k, e in enumerate(step.edges)]
                record["upstream"] = upstream
            frames.append(record)
        return {
            "names": [self.names[id(n)] for n in scene.order],
            "data": [box_text(n.data) for n in scene.order],
            "constants": [i for i, n in enumerate(scene.order) if n.is_constant],
            "frames": frames,
            "quiz": self.quiz,
        }

    def _row(self, step: Step, k: int, edge: Edge, shown: dict) -> dict:
        name, parent = self.names[id(step.node)], self.names[id(edge.parent)]
        row = {
            "parent": parent,
            "d": f"∂{name}/∂{parent}",
            "rule": local_rule(step.node, k, self.names),
            "local": shown["local"],
            "localValue": edge.local if isinstance(edge.local, float) else None,
            "added": shown["added"],
            "before": shown["before"],
            "after": shown["after"],
            "afterValue": edge.parent_grad_after if isinstance(edge.parent_grad_after, float) else None,
        }
        if _reads_as_number(row["rule"]):  # ∂L/∂e2 = ½: the rule is the answer, the quiz must not show it
            row["numeric"] = True
        if shown["rounded"]:  # no digits make its arithmetic hold: it says ≈
            row["rounded"] = True
        return row

    def html(self, standalone: bool = True) -> str:
        """The page (``standalone``) or a fragment for Jupyter; nothing is fetched from the network."""
        scene = self.scene
        uid = UID_PLACEHOLDER
        # Without its script the page shows the last frame: every value and every gradient.
        final = final_gradients(self.steps)
        data = {i: box_text(n.data) for i, n in enumerate(scene.order)}
        grads = {i: box_text(final.get(id(n), None if n.is_constant else 0.0)) for i, n in enumerate(scene.order)}
        parts = {
            "UID": uid,
            "TITLE": html.escape(self.title),
            "STANDALONE": "true" if standalone else "false",
            "STYLE": asset("stepper.css").replace("#UID", f"#{uid}"),
            "CONSTANTS": (
                '<li><span class="cr-swatch cr-sw-const"></span>constant: needs no gradient (&mdash;)</li>\n'
                if any(n.is_constant for n in scene.order)
                else ""
            ),
            "SVG": scene_svg(scene, f"{uid}-g", data=data, grads=grads, stepper=True),
            "TABLE": self._steps_table(),
            "SPEC": script_json(self._spec(scene)),  # labels are the user's text: nothing in them may end the script
            "SCRIPT": asset("quiz.js") + asset("keys.js") + asset("stepper.js"),
        }
        body = re.sub(r"\{\{(\w+)\}\}", lambda m: parts[m[1]], asset("stepper.html"))  # one pass: no re-substitution
        body = with_uid(body, "crs")
        if not standalone:
            return body
        return (
            '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
            '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            f"<title>{html.escape(self.title)} · chainrule stepper</title>\n"
            f"<style>body {{ margin: 8px; font-family: {_BODY_FONT}; }}</style>\n"  # room for the drawing under zoom
            f"</head>\n<body>\n{body}\n</body>\n</html>\n"
        )

    def _steps_table(self) -> str:
        rows = []
        for i, (frame, caption) in enumerate(zip(self.frames, self.captions())):
            text = caption.split(": ", 1)[1]
            kind = "forward" if frame.kind in ("inputs", "forward") else "backward"
            rows.append(f"<tr><td>{i + 1}</td><td>{kind}</td><td>{html.escape(text)}</td></tr>")
        return (
            '<table class="cr-table"><thead><tr><th>step</th><th>pass</th><th>what happens</th></tr></thead>'
            f"<tbody>{''.join(rows)}</tbody></table>"
        )

    def save(self, path: str | os.PathLike) -> Path:
        """Write the stepper as one self-contained HTML file; returns the path."""
        path = Path(path)
        if path.suffix.lower() not in (".html", ".htm"):
            raise ValueError(f"cannot save a stepper as {path.name!r}: use a .html file name")
        write_file(path, self.html().encode())
        return path

    def _repr_html_(self) -> str:
        return self.html(standalone=False)

    def __repr__(self) -> str:
        return f"<Stepper: {len(self.frames)} frames over {len(self.order)} values; .save('backward.html')>"


_BODY_FONT = "Verdana, 'DejaVu Sans', sans-serif"


def _inputs_caption(leaves: list[Step], names: dict[int, str]) -> str:
    # Inputs first, then parameters layer by layer. A constant (data, a target, a number written in
    # the formula) is a leaf too, but gets no gradient: it is listed apart, so no sentence calls it both.
    shown = {id(s.node): f"{names[id(s.node)]} = {format_number(s.value)}" for s in leaves}
    variables = [shown[id(s.node)] for s in leaves if not s.node.is_constant]
    named = [shown[id(s.node)] for s in leaves if s.node.is_constant and not _written(s, names)]
    constants = list(dict.fromkeys(named + [names[id(s.node)] for s in leaves if _written(s, names)]))
    text = ""
    if variables:
        text = f"The leaves that get a gradient: {_listed(variables, ', ')}."
    if constants:
        text += f" The constant{'s' if len(constants) > 1 else ''} {_listed(constants, ' and ')} "
        text += f"need{'' if len(constants) > 1 else 's'} no gradient."
    return f"{text.strip()} Every other value is computed from them."


def _reads_as_number(text: str) -> bool:
    """ "1", "−1", "0.5", "½": a rule that is a number, not a formula in the nodes' names."""
    text = text.strip("()").lstrip("-+" + MINUS)
    fraction = bool(text) and all(unicodedata.numeric(c, None) is not None for c in text)
    return fraction or re.fullmatch(r"(\d+\.?\d*|\.\d+)([eE][-+−]?\d+)?", text) is not None


def _written(step: Step, names: dict[int, str]) -> bool:
    """A constant named by its value, as written in the formula (the 2 in 2·x)."""
    return step.node.is_constant and names[id(step.node)].strip("()") == format_number(step.value)


def _listed(items: list[str], last: str, limit: int = 16) -> str:
    if len(items) > limit:
        return f"{', '.join(items[:limit])} and {len(items) - limit} more"
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])}{last}{items[-1]}"
