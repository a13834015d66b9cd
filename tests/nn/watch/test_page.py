"""The training page (page.py) as written: self-contained, readable without its script, holding every epoch;
in a real browser in test_page_browser.py."""

from __future__ import annotations

import json
import re

import numpy as np
import pytest

import nn
from nn import watch
from nn.watch import Recorder, decode_runs, write_training_page

from ...networks import moons, three_input_recording, trained


@pytest.fixture(scope="module")
def film(tmp_path_factory):
    """100 epochs of the demo's network on the two moons, grid 60, and its page."""
    X, y = nn.data.make_moons(100, noise=0.1, seed=0)
    model = nn.MLP(2, [16, 16, 1], seed=0)
    recorder = Recorder(model, X, y, grid=60)
    optimizer = nn.SGD(model, lr=nn.linear_decay(1.0, 0.1, 100))
    nn.fit(model, X, y, optimizer=optimizer, epochs=100, l2=1e-4, callback=recorder)
    path = write_training_page(recorder, tmp_path_factory.mktemp("film") / "training.html", title="Moons <live>")
    return recorder, path, path.read_text(encoding="utf-8")


def embedded(text: str) -> dict:
    return json.loads(re.search(r'<script type="application/json" class="cr-film-data">(.*?)</script>', text, re.S)[1])


def static_cells(text: str, grid: int) -> np.ndarray:
    cells = re.search(r'<g class="cr-film-cells"[^>]*>(.*?)</g>', text, re.S)[1]
    classes = np.full((grid, grid), -9)
    for k, x, y, width in re.findall(r'<rect class="k(\w+)" x="(\d+)" y="(\d+)" width="(\d+)" height="1"/>', cells):
        classes[int(y), int(x) : int(x) + int(width)] = -1 if k == "x" else int(k)
    return classes


def test_page_is_written_and_self_contained(film):
    recorder, path, text = film
    assert path.suffix == ".html" and path.exists()
    assert text.startswith("<!DOCTYPE html>")
    assert "http" not in text  # no links, scripts, fonts or namespaces fetched from anywhere
    assert not re.search(r"<(link|img|iframe)\b|\bsrc=|@import|@font-face", text)
    assert re.findall(r"url\(([^)]*)\)", text) == ["#cr-film-clip"]  # only the page's own clip path
    assert "<h1>Moons &lt;live&gt;</h1>" in text  # the title is escaped
    assert 'type="range"' in text and "cr-film-play" in text


def test_page_shows_the_final_epoch_without_its_script(film):
    recorder, _, text = film
    final = recorder.frames[-1]
    assert final.epoch == 100
    assert "Epoch 100 of 100" in text
    assert f"loss {final.loss:.4f} · accuracy {100 * final.accuracy:.1f}%" in text
    assert np.array_equal(static_cells(text, 60), final.classes())
    assert len(re.findall(r'<circle cx="[^"]+" cy="[^"]+" r="[^"]+" class="p[01]"/>', text)) == len(recorder.X)
    for k, name in enumerate(recorder.layer_names):
        assert f'class="cr-film-layer">{name}</text>' in text
        label = re.search(rf'class="cr-film-barval cr-film-norm-val" data-layer="{k}"[^>]*>([^<]*)<', text)[1]
        assert float(label) == pytest.approx(final.grad_norm[k], rel=5e-3)


def test_embedded_data_holds_every_epoch(film):
    recorder, _, text = film
    data = embedded(text)
    assert data["epochs"] == list(range(1, 101))
    assert data["loss"] == pytest.approx(recorder.history["loss"], rel=1e-5)
    assert data["accuracy"] == pytest.approx(recorder.history["accuracy"], rel=1e-5)
    assert [f["epoch"] for f in data["frames"]] == [f.epoch for f in recorder.frames]
    for shown, frame in zip(data["frames"], recorder.frames):
        assert decode_runs(shown["runs"]).tolist() == frame.classes().tolist()
        assert shown["norm"] == pytest.approx(frame.grad_norm, rel=1e-3)
        assert shown["mean"] == pytest.approx(frame.grad_mean_abs, rel=1e-3)


def test_embedded_data_cannot_end_its_script():
    # Layer names are made by the Recorder, but whatever text the data holds is written as JSON escapes.
    X, y = nn.data.make_moons(20, noise=0.1, seed=0)
    model = nn.MLP(2, [3, 1], seed=0)
    recorder = Recorder(model, X, y, grid=10)
    nn.fit(model, X, y, epochs=1, callback=recorder)
    hostile = ["</script><!--<script>", "a & b > c \u2028"]
    recorder.layer_names = hostile
    data = re.search(
        r'<script type="application/json" class="cr-film-data">(.*?)</script>', watch.training_page(recorder), re.S
    )[1]
    assert not set("<>&\u2028") & set(data)
    assert json.loads(data)["layers"] == hostile


def test_page_stays_small(film):
    _, path, _ = film
    assert path.stat().st_size < 1_500_000  # grid 60 x 100 epochs
    assert path.stat().st_size < 400_000  # run lengths: in practice far smaller


def test_page_for_data_with_three_inputs_has_a_note_instead_of_a_boundary(tmp_path):
    recorder = three_input_recording(epochs=3)
    text = write_training_page(recorder, tmp_path / "t.html").read_text()
    assert '<svg class="cr-film-boundary"' not in text and '<g class="cr-film-cells"' not in text
    assert "The inputs have 3 features" in text
    assert "Epoch 3 of 3" in text


def test_diverged_training_still_writes_a_valid_page(tmp_path):
    X, y = moons(20)
    model = trained(0)
    recorder = Recorder(model, X, y, grid=8)
    model.layers[0].W.grad = np.full(model.layers[0].W.shape, np.inf)
    model.layers[1].W.grad = np.zeros(model.layers[1].W.shape)
    recorder(0, {"loss": float("nan"), "accuracy": None})
    frame = recorder.frames[0]
    assert frame.loss is None and frame.grad_norm[0] == np.inf and frame.grad_norm[1] == 0.0
    text = write_training_page(recorder, tmp_path / "d.html").read_text()
    data = embedded(text)  # strict JSON: no NaN or Infinity
    assert data["loss"] == [None] and data["frames"][0]["norm"] == ["inf", 0.0]
    assert "loss –" in text and ">inf</text>" in text


def test_bad_page_arguments_say_which_and_what(tmp_path):
    X, y = moons(10)
    model = trained(0, X=X, y=y)
    recorder = Recorder(model, X, y)
    with pytest.raises(ValueError, match="holds no epochs yet"):
        write_training_page(recorder, tmp_path / "a.html")
    recorder(0, {"loss": 1.0, "accuracy": 0.5})
    with pytest.raises(TypeError, match="recorder must be an nn.Recorder"):
        write_training_page({"loss": []}, tmp_path / "a.html")
    with pytest.raises(TypeError, match="path must be a file name"):
        write_training_page(recorder, 3)
    with pytest.raises(ValueError, match=r"use a \.html file name"):
        write_training_page(recorder, tmp_path / "a.png")
    with pytest.raises(FileNotFoundError, match="does not exist"):
        write_training_page(recorder, tmp_path / "missing" / "a.html")
    with pytest.raises(TypeError, match="title must be a str"):
        write_training_page(recorder, tmp_path / "a.html", title=None)
    with pytest.raises(TypeError, match='logs must be a dict with "loss"'):
        recorder(1, [0.5])
    with pytest.raises(ValueError, match="epoch must be at least 0, got -1"):
        recorder(-1, {"loss": 1.0})
