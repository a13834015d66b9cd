"""nn and the command line as users meet them: the audit's wrong numbers and crashes, own data,
readable predictions, and the path to PyTorch (its details in tests/nn/test_bridge.py). Expected values
come from hand computation or PyTorch."""

from __future__ import annotations

import math
import os
import subprocess
import sys

import numpy as np
import pytest

import autograd
import nn
from tests.helpers import requires_torch, torch

XOR = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=float)


def run(*args, cwd=None):
    return subprocess.run(
        [sys.executable, "-m", "chainrule", *args], capture_output=True, text=True, cwd=cwd, timeout=180
    )


# -- wrong numbers and crashes ---------------------------------------------------------------------
@pytest.mark.parametrize("batched", [True, False])
def test_hinge_accuracy_reads_minus_one_plus_one_labels(batched):
    y = np.array([-1.0, 1.0, 1.0, -1.0])
    model = nn.MLP(2, [8, 1], "tanh", seed=0)
    history = nn.fit(model, XOR, y, loss="hinge", epochs=300, optimizer=nn.SGD(model, lr=0.1), batched=batched)
    scores = nn.predict(model, XOR)[:, 0]
    by_hand = float(np.mean(np.sign(scores) == y))  # a positive score means +1
    assert by_hand == 1.0
    assert nn.accuracy(model, XOR, y, "hinge") == by_hand
    assert nn.accuracy(model, XOR, (y > 0).astype(int), "hinge") == by_hand  # 0/1 labels mean the same
    assert history["accuracy"][-1] == 1.0


@pytest.mark.parametrize("batched", [True, False])
def test_cross_entropy_refuses_labels_that_are_not_class_indices(batched):
    model = nn.MLP(2, [4, 2], seed=0)
    with pytest.raises(ValueError, match=r"y: cross-entropy needs whole-number class indices, got 0\.7"):
        nn.fit(model, XOR, np.array([0.7, 1.9, 1, 0]), loss="ce", epochs=1, batched=batched)
    with pytest.raises(ValueError, match=r"class index 2 is outside 0\.\.1 \(the model has 2 outputs\)"):
        nn.fit(model, XOR, np.array([0, 2, 1, 0]), loss="ce", epochs=1, batched=batched)


@pytest.mark.parametrize("batched", [True, False])
def test_cross_entropy_takes_whole_number_float_labels(batched):
    X = np.array([[0.0, 1.0], [1.0, 0.0], [1.0, 1.0], [0.0, 0.0]])
    y = np.array([0.0, 1.0, 2.0, 1.0])
    model = nn.MLP(2, [4, 3], "tanh", seed=0)
    logits = nn.predict(model, X)
    by_hand = np.mean(np.log(np.exp(logits).sum(axis=1)) - logits[np.arange(4), [0, 1, 2, 1]])
    history = nn.fit(model, X, y, loss="ce", epochs=2, batched=batched)
    assert history["loss"][0] == pytest.approx(by_hand, rel=1e-12)
    assert history["accuracy"][0] == np.mean(logits.argmax(axis=1) == [0, 1, 2, 1])


@pytest.mark.parametrize("batched", [True, False])
def test_a_diverging_run_says_so_instead_of_overflowing_in_the_next_pass(batched):
    # Epoch 1's pass is finite; its step multiplies gradients of order 1 by 1e300, so epoch 2's
    # products of two layers of such weights exceed the largest float (about 1.8e308).
    model = nn.MLP(2, [4, 1], seed=0)
    with pytest.raises(FloatingPointError) as raised:
        nn.fit(
            model,
            XOR,
            np.array([0.0, 1, 1, 0]),
            loss="mse",
            epochs=50,
            optimizer=nn.SGD(model, lr=1e300),
            batched=batched,
        )
    assert str(raised.value) == (
        "training diverged at epoch 2 of 50: the loss or the weights are no longer finite; "
        "lower the learning rate (lr=1e+300)"
    )
    assert isinstance(raised.value.__cause__, OverflowError)  # the engine's own message stays in the traceback


def test_a_step_that_writes_inf_into_the_weights_is_caught_in_its_epoch(recwarn):
    # lr * gradient overflows to inf in the one and only step (any gradient entry above 1.06 does it)
    model = nn.MLP(2, [4, 1], seed=0)
    with pytest.raises(FloatingPointError, match=r"^training diverged at epoch 1 of 1: .*\(lr=1\.7e\+308\)$"):
        nn.fit(model, XOR, np.array([0.0, 1, 1, 0]), loss="mse", epochs=1, optimizer=nn.SGD(model, lr=1.7e308))
    assert not all(np.all(np.isfinite(p.data)) for p in model.parameters())  # what the message reports
    assert not [w for w in recwarn if issubclass(w.category, RuntimeWarning)]  # no numpy warning before the error


def test_data_too_large_for_the_first_pass_is_not_called_divergence():
    model = nn.MLP(2, [1], "linear", seed=0)
    model.layers[0].W.data = np.array([[2.0, 2.0]])
    with pytest.raises(OverflowError, match="too large for a float"):
        nn.fit(model, np.full((2, 2), 1e308), np.array([0.0, 1.0]), loss="mse", epochs=3)


def test_a_shared_layer_saves_and_loads_shared(tmp_path):
    shared = nn.Layer(2, 2, "tanh", seed=1)
    model = nn.Sequential(shared, nn.Sequential(shared, nn.Layer(2, 2, seed=2)), shared)
    model.save(tmp_path / "m.json")
    loaded = nn.Module.load(tmp_path / "m.json")
    assert loaded.layers[0] is loaded.layers[2] is loaded.layers[1].layers[0]
    assert len(loaded.parameters()) == len(model.parameters()) == 4
    W, b = shared.W.data, shared.b.data
    by_hand = np.tanh(np.tanh(XOR @ W.T + b) @ W.T + b)
    inner = model.layers[1].layers[1]
    by_hand = np.tanh(np.maximum(by_hand @ inner.W.data.T + inner.b.data, 0) @ W.T + b)
    np.testing.assert_allclose(nn.predict(loaded, XOR), by_hand, rtol=1e-12)


def test_a_stage_that_refers_to_nothing_is_a_clear_error():
    text = '{"format": "chainrule.model", "version": 2, "model": {"type": "Sequential", "layers": [{"type": "Same", "as": "layers.3"}]}, "state": {}}'
    with pytest.raises(ValueError, match=r"Same refers to 'layers\.3', which is not a stage described before it"):
        nn.Module.from_json_text(text)


@pytest.mark.parametrize("l2", [0.0, 1e-3])
def test_custom_losses_that_cannot_train_are_refused(l2):
    y = np.array([0.0, 1.0, 1.0, 0.0])
    model = nn.MLP(2, [3, 1], seed=0)
    before = [p.data.copy() for p in model.parameters()]
    with pytest.raises(TypeError, match=r"loss: <lambda> returned float 1\.0; it must return a Value"):
        nn.fit(model, XOR, y, loss=lambda out, t: 1.0, epochs=1, l2=l2)
    with pytest.raises(ValueError, match=r"returned a Value of shape \(4, 1\); it must return one number"):
        nn.fit(model, XOR, y, loss=lambda out, t: (out - 1.0) ** 2, epochs=1, l2=l2)
    with pytest.raises(ValueError, match="returned a constant"):
        nn.fit(model, XOR, y, loss=lambda out, t: autograd.constant(2.0), epochs=1, l2=l2)
    assert all(np.array_equal(a, p.data) for a, p in zip(before, model.parameters()))  # nothing half-trained


def test_a_custom_loss_returning_one_number_trains():
    y = np.array([0.0, 1.0, 1.0, 0.0])
    model = nn.MLP(2, [3, 1], seed=0)
    history = nn.fit(model, XOR, y, loss=lambda out, t: ((out.reshape(-1) - t) ** 2).mean(), epochs=2)
    assert all(isinstance(v, float) for v in history["loss"]) and history["accuracy"] == [None, None]


# -- PyTorch and micrograd habits ------------------------------------------------------------------
def test_a_module_subclass_runs_its_forward_and_one_output_is_one_value():
    class Net(nn.Module):
        def __init__(self):
            self.hidden = nn.Layer(2, 3, "tanh", seed=0)
            self.out = nn.Layer(3, 1, "linear", seed=1)

        def forward(self, x):
            return self.out(self.hidden(x))

    net = Net()
    assert len(net.parameters()) == 4
    one = net([1.0, -2.0])
    assert isinstance(one, autograd.Value) and one.data.__class__ is float
    h = np.tanh(net.hidden.W.data @ [1.0, -2.0] + net.hidden.b.data)
    assert one.data == pytest.approx(float((net.out.W.data @ h)[0] + net.out.b.data[0]), rel=1e-12)
    assert isinstance(nn.MLP(2, [3, 1], seed=0)([1.0, 2.0]), autograd.Value)


@requires_torch
@pytest.mark.parametrize("activation", ["relu", "tanh", "sigmoid", "softplus", "leaky_relu", "linear"])
def test_to_torch_gives_the_same_outputs_and_gradients(activation):
    model = nn.MLP(3, [5, 4, 2], activation, output_activation="sigmoid", seed=3)
    X = np.random.default_rng(1).normal(size=(6, 3))
    y = np.array([0, 1, 1, 0, 1, 0])
    theirs = model.to_torch()
    out = theirs(torch.tensor(X))
    loss = torch.nn.functional.cross_entropy(out, torch.tensor(y))
    loss.backward()
    mine = nn.cross_entropy(model(X), y)
    model.zero_grad()
    mine.backward()
    np.testing.assert_allclose(np.asarray(model(X).data), out.detach().numpy(), rtol=1e-12, atol=1e-15)
    assert mine.data == pytest.approx(loss.item(), rel=1e-12)
    linears = [m for m in theirs if isinstance(m, torch.nn.Linear)]
    for layer, linear in zip(model.layers, linears):
        np.testing.assert_allclose(layer.W.grad, linear.weight.grad.numpy(), rtol=1e-10, atol=1e-14)
        np.testing.assert_allclose(layer.b.grad, linear.bias.grad.numpy(), rtol=1e-10, atol=1e-14)


# -- own data ----------------------------------------------------------------------------------------
def write(path, text):
    path.write_text(text)
    return path


@pytest.mark.parametrize(
    "text, message",
    [
        ("", "is empty"),
        ("a,b\n", "has 0 row\\(s\\) of data"),
        ("a,b\n1,x\n2,x\n", "every row has label 'x'; a classifier needs two classes"),
        ("a,b\n1,x\n,y\n", "row 3, column 'a': the value is missing"),
        ("a,b\nq,x\n1,y\n", "row 2, column 'a': 'q' is not a number"),
        ("a,b\n1,x\n2\n", "row 3 has 1 cells; the header has 2"),
        ("a,b\n1,x\n2,\n", "row 3: the label \\('b'\\) is missing"),
        ("a,a\n1,x\n2,y\n", "names a column twice"),
    ],
)
def test_read_csv_names_the_row_and_column_at_fault(tmp_path, text, message):
    with pytest.raises(ValueError, match=message):
        nn.data.read_csv(write(tmp_path / "d.csv", text))


def test_read_csv_takes_the_label_column_by_name_and_numbers_classes_in_order(tmp_path):
    table = nn.data.read_csv(write(tmp_path / "d.csv", "kind,a,b\n10,1,2\n-1,3,4\n2,5,6\n10,7,8\n"), label="kind")
    assert table.features == ["a", "b"] and table.classes == ["-1", "2", "10"]
    assert table.y.tolist() == [2, 0, 1, 2] and table.X.tolist() == [[1, 2], [3, 4], [5, 6], [7, 8]]
    with pytest.raises(ValueError, match=r"label 'colour' is not a column"):
        nn.data.read_csv(tmp_path / "d.csv", label="colour")


def test_read_csv_makes_a_numeric_label_a_class_by_its_value(tmp_path):
    labels = ["1", "1.0", "1e0", "2.50", "-0", "0", "10", "0.1", "2.5e0", "+1"]
    write(tmp_path / "d.csv", "a,kind\n" + "".join(f"{i},{k}\n" for i, k in enumerate(labels)))
    table = nn.data.read_csv(tmp_path / "d.csv")
    assert table.classes == ["0", "0.1", "1", "2.5", "10"]
    assert table.y.tolist() == [2, 2, 2, 3, 0, 0, 4, 1, 3, 2]


@pytest.mark.parametrize("hash_seed", ["0", "1"])
def test_read_csv_orders_classes_the_same_under_any_hash_seed(tmp_path, hash_seed):
    labels = ["b", "1.0", "a", "1", "nan", "1e0", "B", "-2", "inf"]
    write(tmp_path / "d.csv", "a,kind\n" + "".join(f"{i},{k}\n" for i, k in enumerate(labels)))
    code = "import nn; t = nn.data.read_csv('d.csv'); print(t.classes, t.y.tolist())"
    env = {**os.environ, "PYTHONHASHSEED": hash_seed}
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=tmp_path, env=env)
    assert result.returncode == 0, result.stderr
    # numbers by value first; then words (nan and inf among them) in code-point order
    classes = ["-2", "1", "B", "a", "b", "inf", "nan"]
    assert result.stdout.strip() == f"{classes} {[4, 1, 3, 1, 6, 1, 2, 0, 5]}"


def test_train_on_a_csv_standardises_and_predict_applies_the_scaling(tmp_path):
    rng = np.random.default_rng(0)
    X = np.column_stack([rng.normal(100, 10, 40), rng.normal(-5, 0.1, 40)])
    kind = np.where(X[:, 0] + 100 * (X[:, 1] + 5) > 100, "big", "small")
    write(tmp_path / "d.csv", "size,shift,kind\n" + "".join(f"{a},{b},{k}\n" for (a, b), k in zip(X, kind)))
    result = run(
        "train", "--data", "d.csv", "--loss", "bce", "--epochs", "30", "--quiet", "--save", "m.json", cwd=tmp_path
    )
    assert result.returncode == 0, result.stderr
    model = nn.Module.load(tmp_path / "m.json")
    mean, scale = X.mean(axis=0), X.std(axis=0)
    assert model.training_info["standardise"]["mean"] == pytest.approx(mean.tolist(), rel=1e-12)
    assert model.training_info["classes"] == ["big", "small"]
    point = [103.0, -4.9]
    raw = run("predict", "--model", "m.json", "--raw", *map(str, point), cwd=tmp_path)
    expected = nn.predict(model, ((np.array(point) - mean) / scale)[None, :])[0, 0]
    assert float(raw.stdout) == pytest.approx(expected, rel=1e-5)
    readable = run("predict", "--model", "m.json", *map(str, point), *map(str, point), cwd=tmp_path)
    p_small = 1 / (1 + math.exp(-expected))
    name, p = ("small", p_small) if p_small > 0.5 else ("big", 1 - p_small)
    assert readable.stdout.splitlines() == [f"class {name} (p = {p:.2f})"] * 2


def _extreme_columns():
    """Two features near 1e200 and near 1e-300, and labels that depend on both."""
    rng = np.random.default_rng(4)
    a, b = rng.normal(3.0, 1.0, 30), rng.normal(-2.0, 0.5, 30)
    return np.column_stack([a * 1e200, b * 1e-300]), np.where(a - 3.0 + 2 * (b + 2.0) > 0, "up", "down")


def test_standardise_finds_the_spread_of_columns_near_1e200_and_1e_300():
    X, _ = _extreme_columns()
    Z, mean, scale = nn.data.standardise(X)
    # the same statistics of the columns brought near 1 by hand (np.std of the raw columns overflows or underflows)
    unit = X / np.array([1e200, 1e-300])
    np.testing.assert_allclose(mean, unit.mean(axis=0) * [1e200, 1e-300], rtol=1e-12)
    np.testing.assert_allclose(scale, unit.std(axis=0) * [1e200, 1e-300], rtol=1e-12)
    np.testing.assert_allclose(Z.mean(axis=0), [0.0, 0.0], atol=1e-12)
    np.testing.assert_allclose(Z.std(axis=0), [1.0, 1.0], rtol=1e-12)
    np.testing.assert_allclose(Z, (unit - unit.mean(axis=0)) / unit.std(axis=0), rtol=1e-9, atol=1e-12)


def test_standardise_keeps_a_constant_column_and_refuses_a_spread_no_float_holds():
    Z, mean, scale = nn.data.standardise(np.array([[1e200, 1.0], [1e200, 2.0], [1e200, 3.0]]))
    assert Z[:, 0].tolist() == [0.0, 0.0, 0.0] and mean[0] == 1e200 and scale[0] == 1.0
    with pytest.raises(ValueError, match=r"feature 'tiny' cannot be standardised: its standard deviation is below"):
        nn.data.standardise(np.array([[0.0], [5e-324], [5e-324], [0.0]]), ["tiny"])  # std 2.5e-324


def test_train_and_predict_round_trip_columns_near_1e200_and_1e_300(tmp_path):
    X, kind = _extreme_columns()
    write(tmp_path / "d.csv", "big,small,kind\n" + "".join(f"{a!r},{b!r},{k}\n" for (a, b), k in zip(X.tolist(), kind)))
    result = run(
        "train", "--data", "d.csv", "--loss", "bce", "--epochs", "50", "--quiet", "--save", "m.json", cwd=tmp_path
    )
    assert result.returncode == 0 and "saved m.json" in result.stdout, result.stderr
    assert float(result.stdout.split("accuracy ")[1].split("%")[0]) >= 90  # both features were kept
    model = nn.Module.load(tmp_path / "m.json")
    unit = X / np.array([1e200, 1e-300])
    point = np.array([3.5e200, -1.7e-300])
    scaled = (point / [1e200, 1e-300] - unit.mean(axis=0)) / unit.std(axis=0)
    raw = run("predict", "--model", "m.json", "--raw", *map(repr, point.tolist()), cwd=tmp_path)
    assert raw.returncode == 0, raw.stderr
    assert float(raw.stdout) == pytest.approx(nn.predict(model, scaled[None, :])[0, 0], rel=1e-5)


def test_train_refuses_a_column_that_cannot_be_standardised_in_one_line(tmp_path):
    write(tmp_path / "d.csv", "tiny,kind\n0,a\n5e-324,b\n5e-324,a\n0,b\n")
    result = run("train", "--data", "d.csv", "--epochs", "2", "--quiet", cwd=tmp_path)
    assert result.returncode == 2 and result.stdout == "" and len(result.stderr.splitlines()) == 1, result.stderr
    assert "d.csv: feature 'tiny' cannot be standardised" in result.stderr and "--no-standardise" in result.stderr


def test_no_standardise_keeps_the_features(tmp_path):
    write(tmp_path / "d.csv", "a,b,c\n1,2,0\n3,4,1\n5,6,0\n7,8,1\n")
    result = run(
        "train", "--data", "d.csv", "--no-standardise", "--epochs", "2", "--quiet", "--save", "m.json", cwd=tmp_path
    )
    assert result.returncode == 0, result.stderr
    assert "standardise" not in nn.Module.load(tmp_path / "m.json").training_info


def test_predict_prints_class_and_probability_for_ce(tmp_path):
    assert (
        run("train", "--dataset", "blobs", "--epochs", "5", "--quiet", "--save", "m.json", cwd=tmp_path).returncode == 0
    )
    raw = [float(v) for v in run("predict", "--model", "m.json", "--raw", "0.5", "1", cwd=tmp_path).stdout.split()]
    p = np.exp(raw) / np.sum(np.exp(raw))
    shown = run("predict", "--model", "m.json", "0.5", "1", cwd=tmp_path).stdout.strip()
    assert shown == f"class {int(np.argmax(p))} (p = {p.max():.2f})"


# -- the command line's messages ---------------------------------------------------------------------
@pytest.mark.parametrize(
    "args, message",
    [
        (["graph", "x^2", "x=1"], "^ is not a power here"),
        (["graph", "a.b(x)", "x=1"], "only a function name can be called, as in tanh(x)"),
        (["graph", "[x]", "x=1"], "cannot contain a list"),
        (["graph", "x if x else 2", "x=1"], "cannot contain a conditional (a if c else b)"),
        (["graph", "x % 2", "x=1"], "the operator % is not available"),
        (["graph", "exp + 1"], "exp is a function; call it on a value, as in exp(x)"),
        (["train", "--lr", "-1"], "--lr must be a positive learning rate such as 0.1, got -1"),
        (["predict", "--model", ".", "1", "2"], "is a directory; give the model's .json file"),
        (["graph", "x*y", "x=1", "y=2", "-o", "out.pdf"], "must end in .svg, .png or .dot"),
    ],
)
def test_messages_speak_to_the_user(tmp_path, args, message):
    result = run(*args, cwd=tmp_path)
    assert result.returncode == 2 and message in result.stderr, result.stderr
    assert result.stdout == ""  # nothing is printed before the error
    assert "Errno" not in result.stderr and "BitXor" not in result.stderr


def test_train_checks_the_save_destination_before_training(tmp_path):
    (tmp_path / "taken").mkdir()
    result = run("train", "--epochs", "100000", "--save", "taken", cwd=tmp_path)  # would take minutes
    assert result.returncode == 2 and "it is a directory; give a file name" in result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["taken"]


def test_a_graph_too_large_for_the_stepper_says_what_to_do_on_the_command_line(tmp_path):
    # Each "*2" after a Value is a constant and a product: x, 3 * 45 of each and the sum make 272 nodes.
    expression = "sum(" + ", ".join(["x" + "*2" * 45] * 3) + ")"
    result = run("graph", expression, "x=1", "--stepper", "s.html", cwd=tmp_path)
    assert result.returncode == 2 and "-o GRAPH.svg" in result.stderr and "draw()" not in result.stderr


def test_graph_rounds_numbers_and_lists_inputs_in_order():
    result = run("graph", "b*a + c", "a=0.1", "b=0.2", "c=0.3")
    lines = result.stdout.splitlines()
    assert [line.split("=")[0].strip() for line in lines] == ["f", "df/db", "df/da", "df/dc"]
    assert [line.split("=")[1].strip() for line in lines] == ["0.32", "0.1", "0.2", "1"]  # 0.2*0.1 + 0.3 by hand
    precise = run("graph", "b*a + c", "a=0.1", "b=0.2", "c=0.3", "--digits", "17").stdout.splitlines()
    assert float(precise[0].split("=")[1]) == 0.2 * 0.1 + 0.3


@pytest.mark.parametrize("command", ["demo", "train", "predict", "graph"])
def test_help_shows_every_default(command):
    import argparse

    from chainrule.arguments import build_parser

    parser = build_parser()
    sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction)).choices[command]
    for action in sub._actions:
        if action.option_strings and action.dest not in ("help", "model"):
            assert "default" in (action.help or ""), f"{command} {action.option_strings[0]}"


# -- watching training -------------------------------------------------------------------------------
def test_fit_with_plot_outside_a_notebook_trains_the_same():
    X, y = nn.data.make_moons(40, noise=0.1, seed=0)
    runs = []
    for plot in (False, True):
        model = nn.MLP(2, [4, 1], seed=0)
        runs.append(nn.fit(model, X, y, epochs=5, plot=plot))
    assert runs[0] == runs[1]
    with pytest.raises(TypeError, match="plot must be True or False, got str 'yes'"):
        nn.fit(nn.MLP(2, [4, 1], seed=0), X, y, epochs=1, plot="yes")


@requires_torch
def test_the_same_network_trains_the_same_in_pytorch():
    X, y = nn.data.make_moons(60, noise=0.1, seed=0)
    model = nn.MLP(2, [8, 8, 1], activation="tanh", seed=0)
    net = model.to_torch()
    nn.fit(model, X, y, loss="bce", epochs=20, optimizer=nn.SGD(model, lr=0.5))
    optimizer = torch.optim.SGD(net.parameters(), lr=0.5)
    targets = torch.tensor(y, dtype=torch.float64)
    for _ in range(20):
        loss = torch.nn.functional.binary_cross_entropy_with_logits(net(torch.tensor(X))[:, 0], targets)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    np.testing.assert_allclose(nn.predict(model, X), net(torch.tensor(X)).detach().numpy(), rtol=1e-10, atol=1e-12)


# -- the teaching tools on nn models -------------------------------------------------------------------
def test_explain_follows_the_paths_of_an_nn_model():
    model = nn.MLP(2, [3, 4, 1], "tanh", seed=0)
    x1 = autograd.Value(0.5, label="x1")
    out = model([x1, autograd.Value(-1.0)])
    explanation = autograd.explain(out, x1)
    assert len(explanation.paths) == 3 * 4  # one path through each pair of hidden units
    h = 1e-6
    central = (nn.predict(model, [[0.5 + h, -1.0]]) - nn.predict(model, [[0.5 - h, -1.0]]))[0, 0] / (2 * h)
    assert sum(p.product for p in explanation.paths) == pytest.approx(central, rel=1e-7)
    with pytest.raises(
        ValueError, match=r"W\[0\] on a path from the output back to x holds an array of shape \(3, 2\)"
    ):
        autograd.explain(out, model.layers[0].W)
