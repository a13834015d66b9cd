"""The chainrule command, run in subprocesses as a user would."""

from __future__ import annotations

import json
import math
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import numpy as np
import pytest

PNG = b"\x89PNG\r\n\x1a\n"


def run(*args, cwd=None, timeout=120):
    return subprocess.run(
        [sys.executable, "-m", "chainrule", *args], capture_output=True, text=True, cwd=cwd, timeout=timeout
    )


def test_demo_writes_every_file(tmp_path):
    result = run("demo", "--quiet", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    out = tmp_path / "chainrule-demo"
    assert (out / "decision_boundary.png").read_bytes()[:8] == PNG
    assert (out / "loss_curve.png").read_bytes()[:8] == PNG
    ET.parse(out / "neuron.svg")
    page = (out / "backward.html").read_text()
    # tanh(x1*w1 + x2*w2 + b): 1 frame for the 5 inputs, 5 ops, 1 seed, 5 backward steps (one per op)
    assert frames_in(page) == 1 + 5 + 1 + 5
    assert '<h2 class="cr-title">o = tanh(x1 · w1 + x2 · w2 + b)</h2>' in page
    assert json.loads((out / "model.json").read_text())["format"] == "chainrule.model"
    accuracy = float(result.stdout.split("accuracy ")[1].split("%")[0])
    assert accuracy >= 98.0
    assert str(out) in result.stdout or "chainrule-demo" in result.stdout
    # The manual's predict example, run on this fresh demo's model, prints what its comment says.
    manual = (Path(__file__).resolve().parents[2] / "docs" / "command-line.md").read_text(encoding="utf-8")
    example = re.search(r"^chainrule predict --model model\.json (.+?)\s+# (.+)$", manual, re.M)
    assert example, "docs/command-line.md has no predict example"
    said = run("predict", "--model", str(out / "model.json"), *example[1].split())
    assert said.returncode == 0 and said.stdout.strip() == example[2], (said.stdout, example[2])


def test_demo_out_option_and_progress_bar(tmp_path):
    result = run("demo", "--out", str(tmp_path / "d"))
    assert result.returncode == 0 and (tmp_path / "d" / "model.json").exists()
    assert "100/100" in result.stderr  # tqdm's bar


def _numpy_forward(state: dict, sizes: list[int], x: np.ndarray) -> np.ndarray:
    """Forward pass of an MLP with ReLU hidden layers and a linear output, read straight from the JSON state."""
    a = x
    for layer, (nin, nout) in enumerate(zip(sizes, sizes[1:])):
        W, b = np.array(state[f"layers.{layer}.W"]), np.array(state[f"layers.{layer}.b"])
        assert W.shape == (nout, nin) and b.shape == (nout,)
        a = W @ a + b
        if layer < len(sizes) - 2:
            a = np.maximum(a, 0)
    return a


def test_train_save_plot_then_predict(tmp_path):
    model, plot = tmp_path / "m.json", tmp_path / "b.png"
    result = run(
        "train",
        "--dataset",
        "xor",
        "--hidden",
        "4",
        "--loss",
        "bce",
        "--optimizer",
        "adam",
        "--lr",
        "0.05",
        "--epochs",
        "400",
        "--quiet",
        "--save",
        str(model),
        "--plot",
        str(plot),
    )
    assert result.returncode == 0, result.stderr
    assert "accuracy 100.0%" in result.stdout.splitlines()[-1]
    assert plot.read_bytes()[:8] == PNG
    document = json.loads(model.read_text())
    predicted = run("predict", "--model", str(model), "--raw", "1", "0")
    assert predicted.returncode == 0, predicted.stderr
    expected = _numpy_forward(document["state"], [2, 4, 1], np.array([1.0, 0.0]))
    assert float(predicted.stdout) == pytest.approx(expected[0], rel=1e-5)
    p = 1 / (1 + math.exp(-expected[0]))  # bce: the output is a logit
    readable = run("predict", "--model", str(model), "1", "0").stdout.strip()
    assert readable == (f"class 1 (p = {p:.2f})" if p > 0.5 else f"class 0 (p = {1 - p:.2f})")


def test_train_regimes_and_multiclass():
    for extra in (["--batch-size", "1", "--epochs", "3"], ["--batch-size", "16", "--epochs", "5"]):
        assert run("train", "--quiet", *extra).returncode == 0
    result = run("train", "--dataset", "blobs", "--quiet", "--optimizer", "adam", "--lr", "0.02", "--epochs", "100")
    assert result.returncode == 0 and float(result.stdout.split("accuracy ")[1].split("%")[0]) >= 90


def test_graph_prints_the_neurons_gradients_and_writes_files(tmp_path):
    svg, html = tmp_path / "n.svg", tmp_path / "s.html"
    result = run(
        "graph",
        "tanh(x1*w1 + x2*w2 + b)",
        "x1=2",
        "x2=0",
        "w1=-3",
        "w2=1",
        "b=6.8813735870195432",
        "-o",
        str(svg),
        "--stepper",
        str(html),
        "--digits",
        "17",
    )
    assert result.returncode == 0, result.stderr
    printed = dict(line.replace(" ", "").split("=") for line in result.stdout.splitlines() if "=" in line)
    o = math.tanh(2 * -3 + 0 * 1 + 6.8813735870195432)
    local = 1 - o**2  # d tanh(n)/dn
    expected = {
        "f": o,
        "df/dx1": local * -3,
        "df/dw1": local * 2,
        "df/dx2": local * 1,
        "df/dw2": local * 0,
        "df/db": local,
    }
    for name, value in expected.items():
        assert float(printed[name]) == pytest.approx(value, abs=1e-12)
    ET.parse(svg)
    assert frames_in(html.read_text()) == 12
    assert '"quiz":false' in html.read_text()
    quiz = tmp_path / "q.html"
    result = run("graph", "x * y", "x=2", "y=3", "--stepper", str(quiz), "--quiz")
    assert result.returncode == 0, result.stderr
    assert frames_in(quiz.read_text()) == 1 + 1 + 1 + 1 and '"quiz":true' in quiz.read_text()
    result = run("graph", "x * y", "x=2", "y=3", "--quiz")
    assert result.returncode == 2 and "--quiz needs --stepper" in result.stderr


def printed_numbers(stdout: str) -> dict[str, float]:
    return {k: float(v) for k, v in (line.replace(" ", "").split("=") for line in stdout.splitlines() if "=" in line)}


def test_graph_reads_numbers_as_constants(tmp_path):
    # x**-1 is x to the fixed power -1: 1/x = -0.5 and d/dx = -1/x^2 = -0.25 at x = -2.
    result = run("graph", "x**-1", "x=-2", "--digits", "17")
    assert result.returncode == 0, result.stderr
    assert printed_numbers(result.stdout) == {"f": -0.5, "df/dx": -0.25}
    # 2**x: a number base with a Value exponent, d/dx 2^x = 2^x ln 2 = 8 ln 2 at x = 3.
    result = run("graph", "2**x", "x=3", "--digits", "17")
    assert printed_numbers(result.stdout) == pytest.approx({"f": 8.0, "df/dx": 8 * math.log(2)}, rel=1e-15)
    # In sigmoid(2*x - 1) only x is an input: the 2 and the 1 are constants (grey, no gradient).
    svg, html = tmp_path / "s.svg", tmp_path / "s.html"
    result = run("graph", "sigmoid(2*x - 1)", "x=0.3", "--digits", "17", "-o", str(svg), "--stepper", str(html))
    assert result.returncode == 0, result.stderr
    s = 1 / (1 + math.exp(-(2 * 0.3 - 1)))
    printed = printed_numbers(result.stdout)
    assert sorted(printed) == ["df/dx", "f"]
    assert printed == pytest.approx({"f": s, "df/dx": 2 * s * (1 - s)}, rel=1e-15)  # sigma' = sigma (1 - sigma)
    drawing = svg.read_text()
    assert drawing.count("cr-node cr-leaf") == 1 and drawing.count("cr-node cr-const") == 2
    spec = json.loads(re.search(r'<script type="application/json" class="cr-spec">(.*?)</script>', html.read_text())[1])
    assert sorted(spec["names"][i] for i in spec["constants"]) == ["1", "2"]
    first = spec["frames"][0]["text"][0]
    assert first.startswith("The leaves that get a gradient: x = 0.3. The constants 2 and 1 need no gradient.")


def test_graph_of_a_constant_expression_says_there_is_nothing_to_differentiate():
    for text, value in (("2*3", "6"), ("-(1) + 2**-1", "-0.5"), ("exp(0)", "1")):
        result = run("graph", text)
        assert result.returncode == 2 and len(result.stderr.strip().splitlines()) == 1, result.stderr
        assert "nothing to differentiate" in result.stderr and f"its value is {value})" in result.stderr


def frames_in(page: str) -> int:
    spec = re.search(r'<script type="application/json" class="cr-spec">(.*?)</script>', page, re.S)[1]
    return len(json.loads(spec)["frames"])


HOSTILE = [
    "__import__('os').system('echo hacked')",
    "x.__class__",
    "x.real",
    "(lambda: 1)()",
    "[1, 2][0]",
    "[i for i in range(3)]",
    "'text'",
    "exp(x=1)",
    "open('/etc/passwd')",
    "eval('1')",
    "exec('x=1')",
    "__builtins__",
    "10**10**10",
    "9" * 400 + ".0 ** 9" * 5,
    "x if x else 1",
    "x < 1",
    "x and 1",
    "(x := 3)",
    "x @ x",
    "x // 2",
    "1e400 * x",
    "tanh(" * 300 + "x" + ")" * 300,
    "x + " * 1500 + "x",
    "exp(*[x])",
    "",
    "1 +",
    "undefined_name + x",
    "log(x - 1)",
    "x / (x - 1)",
    "f'{x}'",
    "b'x'",
    "1j * x",
    "True + x",
    "max(x)",
    "1x + 2",
    "open('x', 'w').write('hacked')",
    "__import__('os').system('echo hacked > x')",
]


@pytest.mark.parametrize("expression", HOSTILE)
def test_hostile_expressions_are_refused_with_one_line(expression, tmp_path):
    # Run inside tmp_path so that a relative file the expression managed to create (like "x") lands
    # in the directory checked below, not in the tester's working directory.
    result = run("graph", expression, "x=1", cwd=tmp_path, timeout=20)
    assert result.returncode == 2, (expression, result.stdout, result.stderr)
    assert len(result.stderr.strip().splitlines()) == 1 and result.stderr.startswith("chainrule: error:")
    assert "Traceback" not in result.stderr and "hacked" not in result.stdout
    assert sorted(path.name for path in tmp_path.iterdir()) == []  # the refused command wrote nothing


@pytest.mark.parametrize(
    "args, words",
    [
        (["graph", "x + y", "x=1"], "undefined name 'y'"),
        (["graph", "x", "x=abc"], "must be a number"),
        (["graph", "x", "x=nan"], "finite"),
        (["graph", "x", "x"], "NAME=VALUE"),
        (["graph", "x", "x=1", "-o", "/nonexistent/dir/g.svg"], "does not exist"),
        (["graph", "x", "x=1", "-o", "g.pdf"], ".svg, .png or .dot"),
        (["train", "--dataset", "mnist"], "invalid choice"),
        (["train", "--activation", "swish"], "unknown activation"),
        (["train", "--dataset", "spirals", "--loss", "hinge"], "use --loss ce"),
        (["train", "--epochs", "0"], "positive"),
        (["train", "--lr", "inf"], "finite"),
        (
            ["train", "--dataset", "xor", "--lr", "1e300", "--loss", "mse", "--quiet"],
            "training diverged at epoch 2 of 100",
        ),
        (
            ["train", "--hidden", "1000000000000000"],
            "asks for at least 10^15 weights and biases; the limit is 10,000,000",
        ),
        # (2*3200 + 3200) + (3200*3200 + 3200) = 10,252,800 in the first two layers alone
        (["train", "--hidden", "3200", "3200"], "asks for at least 10,252,800 weights and biases"),
        # 10^12 samples had ended in a MemoryError traceback (exit 1), asking for 3.6 TiB
        (["train", "--samples", "1000000000000"], "argument --samples: expected a whole number from 1 to 1,000,000"),
        # a full batch of 10^6 rows through 2 + 16 + 16 + 1 units; 10,000,000 // 35 = 285,714 rows fit
        (
            ["train", "--samples", "1000000", "--quiet"],
            "would hold 35,000,000 activations; the limit is 10,000,000: train with --batch-size 285,714 or less",
        ),
        (["graph", "x", "x=1", "--digits", "100000000000000000000"], "argument --digits: expected a whole number"),
        (["demo", "--seed", "-1"], "argument --seed: expected a whole number 0 or more, got '-1'"),
        (["predict", "--model", "missing.json", "1", "2"], "not found"),
        (["predict", "--model", "bad.json", "1", "2"], "not valid JSON"),
        (["bogus"], "invalid choice"),
    ],
)
def test_user_errors_are_one_line_with_exit_code_2(args, words, tmp_path):
    (tmp_path / "bad.json").write_text("{not json")
    result = run(*args, cwd=tmp_path)
    assert result.returncode == 2, result
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr
    assert words in result.stderr


def test_predict_checks_the_input_size(tmp_path):
    run("train", "--dataset", "xor", "--epochs", "1", "--quiet", "--save", str(tmp_path / "m.json"))
    result = run("predict", "--model", str(tmp_path / "m.json"), "1", "2", "3")
    assert result.returncode == 2 and "takes 2 input(s) per example, got 3 number(s)" in result.stderr


def test_help_is_available_everywhere():
    for args in ([], ["demo"], ["train"], ["predict"], ["graph"]):
        result = run(*args, "--help")
        assert result.returncode == 0 and "usage:" in result.stdout
    assert "chainrule demo" in run("--help").stdout
    console_script = Path(sys.executable).parent / "chainrule"  # installed by pip from pyproject.toml
    result = subprocess.run([str(console_script), "--help"], capture_output=True, text=True)
    assert result.returncode == 0 and "demo" in result.stdout


def _scaled_model(path: Path, standardise) -> Path:
    """A hand-written model file: the identity Layer(2 -> 2) trained for ce on classes a, b, with this input scaling."""
    document = {
        "format": "chainrule.model",
        "version": 3,
        "model": {"type": "Layer", "nin": 2, "nout": 2, "activation": "linear"},
        "state": {"W": [[1.0, 0.0], [0.0, 1.0]], "b": [0.0, 0.0]},
        "training": {"loss": "ce", "classes": ["a", "b"], "standardise": standardise},
    }
    path.write_text(json.dumps(document).replace('"1e999"', "1e999").replace('"10**400"', "1" + "0" * 400))
    return path


def test_predict_scales_its_inputs_by_the_saved_scaling(tmp_path):
    _scaled_model(tmp_path / "m.json", {"mean": [10.0, -1.0], "scale": [2.0, 0.5]})
    for inputs in (["13", "-2"], ["1.3e1", "-2e0"]):  # a negative number in exponent form is a number too
        result = run("predict", "--model", "m.json", "--raw", *inputs, cwd=tmp_path)
        assert result.returncode == 0, result.stderr
        assert [float(v) for v in result.stdout.split()] == [1.5, -2.0]  # (13 - 10) / 2 and (-2 + 1) / 0.5


@pytest.mark.parametrize(
    "standardise, field",
    [
        ({"mean": [10.0], "scale": [2.0, 0.5]}, "training.standardise.mean must be a list of 2 number(s)"),
        ({"mean": [10.0, -1.0, 0.0], "scale": [2.0, 0.5]}, "training.standardise.mean must be a list of 2"),
        ({"mean": [10.0, -1.0], "scale": [2.0]}, "training.standardise.scale must be a list of 2"),
        ({"mean": [10.0, -1.0], "scale": "2"}, "training.standardise.scale must be a list of 2 number(s)"),
        ({"mean": ["10", -1.0], "scale": [2.0, 0.5]}, "training.standardise.mean[0] must be a finite number"),
        ({"mean": [[10.0], -1.0], "scale": [2.0, 0.5]}, "training.standardise.mean[0] must be a finite number"),
        ({"mean": [10.0, True], "scale": [2.0, 0.5]}, "training.standardise.mean[1] must be a finite number"),
        ({"mean": [10.0, -1.0], "scale": [None, 0.5]}, "training.standardise.scale[0] must be a finite number > 0"),
        ({"mean": [10.0, -1.0], "scale": [2.0, 0]}, "training.standardise.scale[1] must be a finite number > 0"),
        ({"mean": [10.0, -1.0], "scale": [-2.0, 0.5]}, "training.standardise.scale[0] must be a finite number > 0"),
        ({"mean": [10.0, -1.0], "scale": ["1e999", 0.5]}, "training.standardise.scale[0] must be a finite number"),
        ({"mean": ["10**400", -1.0], "scale": [2.0, 0.5]}, "training.standardise.mean[0] must be a finite number"),
        ({"mean": [10.0, -1.0]}, 'training.standardise must be an object with keys "mean" and "scale"'),
        (None, 'training.standardise must be an object with keys "mean" and "scale", got NoneType'),
        ([1, 2], 'training.standardise must be an object with keys "mean" and "scale", got list'),
    ],
)
def test_a_bad_saved_scaling_is_refused_in_one_line_naming_the_file_and_field(tmp_path, standardise, field):
    _scaled_model(tmp_path / "m.json", standardise)
    result = run("predict", "--model", "m.json", "13", "-2", cwd=tmp_path)
    assert result.returncode == 2 and result.stdout == "", result.stdout
    assert result.stderr.splitlines() == [result.stderr.strip()] and "Traceback" not in result.stderr
    assert result.stderr.startswith("chainrule: error: m.json: ") and field in result.stderr, result.stderr


def test_predict_refuses_a_model_file_over_the_weight_limit_in_one_line(tmp_path):
    small = {"type": "Neuron", "nin": 1, "activation": "linear"}
    layer = {"type": "Layer", "nin": 1000, "nout": 1000, "activation": "linear"}
    model = {"type": "Sequential", "layers": [small] * 10_000 + [layer] * 20_000}  # 20 billion weights in 2 MB
    (tmp_path / "m.json").write_text(
        json.dumps({"format": "chainrule.model", "version": 2, "model": model, "state": {}})
    )
    result = run("predict", "--model", "m.json", "0", cwd=tmp_path)
    assert result.returncode == 2 and result.stdout == "" and len(result.stderr.splitlines()) == 1, result.stderr
    assert "m.json: the model description asks for at least 10,0" in result.stderr
    assert "weights and biases; the limit is 10,000,000" in result.stderr


def test_a_csv_cell_too_long_for_the_csv_reader_is_one_line_naming_the_row(tmp_path):
    (tmp_path / "d.csv").write_text("a,b\n1,x\n" + "1" * 200_000 + ",y\n2,x\n")
    result = run("train", "--data", "d.csv", "--quiet", cwd=tmp_path)
    assert result.returncode == 2 and result.stdout == "" and len(result.stderr.splitlines()) == 1, result.stderr
    assert "'d.csv' row 3: a cell is longer than 131,072 characters" in result.stderr


def test_predict_refuses_a_model_whose_training_loss_does_not_fit_its_outputs(tmp_path):
    document = json.loads(_scaled_model(tmp_path / "m.json", {"mean": [0.0, 0.0], "scale": [1.0, 1.0]}).read_text())
    document["model"]["nout"], document["state"] = 1, {"W": [[1.0, 2.0]], "b": [0.5]}
    document["training"]["classes"] = ["a"]
    (tmp_path / "m.json").write_text(json.dumps(document))
    result = run("predict", "--model", "m.json", "1", "2", cwd=tmp_path)  # had printed "class a (p = 1.00)"
    assert result.returncode == 2 and result.stdout == "" and len(result.stderr.splitlines()) == 1, result
    assert "m.json: training.loss is 'ce', which needs one output per class (2 or more), but the model has 1" in (
        result.stderr
    )


@pytest.mark.parametrize(
    "args",
    [
        ["-x**2", "x=3"],  # had been "unrecognized arguments: -x**2"
        ["-x**2", "--digits", "3", "x=3"],  # had been "unrecognized arguments: x=3"
        ["--", "-x**2", "x=3"],
    ],
)
def test_graph_reads_an_expression_with_a_leading_minus_and_values_after_options(args):
    result = run("graph", *args)
    assert result.returncode == 0, result.stderr
    assert printed_numbers(result.stdout) == {"f": -9.0, "df/dx": -6.0}  # -x² and -2x at x = 3


def test_running_out_of_memory_anywhere_is_one_line_with_exit_code_2(monkeypatch, capsys):
    from chainrule import cli

    def short_of_memory(args):
        raise MemoryError("Unable to allocate 3.64 TiB for an array with shape (500000000000,) and data type float64")

    monkeypatch.setitem(cli.COMMANDS, "train", short_of_memory)
    assert cli.main(["train", "--quiet"]) == 2
    said = capsys.readouterr().err
    assert said.splitlines() == [
        "chainrule: error: not enough memory (Unable to allocate 3.64 TiB for an array with shape (500000000000,) "
        "and data type float64); ask for less: fewer samples, smaller --hidden, a smaller --batch-size"
    ]
    monkeypatch.setitem(cli.COMMANDS, "train", lambda args: (_ for _ in ()).throw(MemoryError()))
    assert cli.main(["train"]) == 2 and "not enough memory (out of memory)" in capsys.readouterr().err
