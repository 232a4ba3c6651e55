"""The config file: defaults, overrides, and a one-line error for every kind of bad input."""

import json
import subprocess
import sys

import numpy as np
import pytest

from backprop_core import ConfigError, load_config, loss_at, trace
from backprop_core.config import default_config_text

from conftest import ROOT, invoke


EXAMPLE = """
[network]
layers = [2, 3, 1]
activations = ["tanh", "sigmoid"]
seed = 7
weights = [[[0.3, -0.1], [0.8, 0.2], [-0.5, 0.6]], [[0.7, -0.4, 0.9]]]
biases = [[0.0, 0.1, -0.1], [0.2]]
[data]
input = [0.9, 0.2]
target = [1.0]
[training]
loss = "mse"
learning_rate = 0.5
epochs = 200
[labels]
inputs = ["pointy ears", "whiskers"]
outputs = ["cat?"]
"""


def write(tmp_path, text, name="net.toml"):
    path = tmp_path / name
    path.write_text(text)
    return path


def run_trace(*args):
    return invoke("trace", *args)


def test_default_config_tells_the_cat_story():
    config = load_config()
    assert config.network.layers == [3, 4, 1]
    assert config.output_labels == ["cat?"] and len(config.input_labels) == 3
    assert config.sample_labels == ["cat", "dog"]
    assert config.target.tolist() == [[1.0], [0.0]], "a cat picture, then a dog picture"
    assert config.trace().prediction[0, 0] < 0.5, "the untrained network misses the cat"


def test_default_config_file_is_the_default():
    assert load_config().trace().loss == load_config(overrides={}).trace().loss
    path_config = load_config(ROOT / "backprop_core" / "default_config.toml")
    assert path_config.trace().loss == load_config().trace().loss
    assert "#" in default_config_text(), "the default config is commented"


def test_example_config_is_used_exactly(tmp_path):
    config = load_config(write(tmp_path, EXAMPLE))
    np.testing.assert_array_equal(config.network.weights[0], [[0.3, -0.1], [0.8, 0.2], [-0.5, 0.6]])
    np.testing.assert_array_equal(config.network.biases[1], [0.2])
    assert config.network.activations == ["tanh", "sigmoid"]
    assert (config.learning_rate, config.epochs, config.loss) == (0.5, 200, "mse")
    z1 = np.array([[0.3, -0.1], [0.8, 0.2], [-0.5, 0.6]]) @ [0.9, 0.2] + [0.0, 0.1, -0.1]
    np.testing.assert_allclose(config.trace().layers[0].z, z1)


def test_json_trace_is_one_object_with_full_precision(tmp_path):
    path = write(tmp_path, EXAMPLE)
    result = run_trace("--config", str(path), "--json")
    assert result.exit_code == 0 and result.stderr == ""
    report = json.loads(result.stdout)
    config = load_config(path)
    t = config.trace()
    assert report["loss"] == t.loss
    assert report["prediction"] == t.prediction.tolist()
    assert [layer["activation"] for layer in report["layers"]] == ["tanh", "sigmoid"]
    for layer, expected in zip(report["layers"], t.layers):
        for field in ("W", "b", "z", "a", "grad_z", "grad_a", "grad_W", "grad_b"):
            assert layer[field] == getattr(expected, field).tolist()
    stepped = t.stepped(0.5)
    assert report["next"]["weights"] == [w.tolist() for w in stepped.weights]
    assert report["next"]["biases"] == [b.tolist() for b in stepped.biases]
    assert report["next"]["loss"] == loss_at(stepped, config.input, config.target, "mse")
    assert report["next"]["loss"] < report["loss"]


def test_batch_config_traces_every_sample(tmp_path):
    path = write(tmp_path, "[network]\nlayers = [2, 2, 1]\n[data]\n"
                           "input = [[0, 0], [0, 1], [1, 0]]\ntarget = [[0], [1], [1]]\n")
    report = json.loads(run_trace("--config", str(path), "--json").stdout)
    assert np.shape(report["prediction"]) == (3, 1)
    assert np.shape(report["layers"][0]["z"]) == (3, 2)


def test_table_trace_shows_the_numbers():
    result = run_trace()
    assert result.exit_code == 0
    t = load_config().trace()
    assert f"cost         {t.loss:.4f}" in result.stdout
    assert "pointy ears" in result.stdout and "grad_W" in result.stdout
    assert "cat" in result.stdout and "dog" in result.stdout


def test_defaults_adapt_to_another_shape(tmp_path):
    config = load_config(overrides={"network": {"layers": [2, 5, 3]}})
    assert config.input.shape == (2, 2), "two stand-in samples, like the cat and the dog"
    assert config.target.tolist() == [[1.0, 0.0, 0.0], [0.0, 1.0, 0.0]]
    assert config.sample_labels == ["sample 1", "sample 2"]
    only_input = load_config(overrides={"data": {"input": [[0.1, 0.2, 0.3], [0.3, 0.2, 0.1]]}})
    assert only_input.target.tolist() == [[1.0], [0.0]]
    only_target = load_config(overrides={"data": {"target": [0.0]}})
    assert only_target.input.shape == (3,)
    assert config.input_labels == ["input 1", "input 2"] and len(config.output_labels) == 3
    assert config.trace().prediction.shape == (2, 3)


def test_overrides_replace_file_values(tmp_path):
    path = write(tmp_path, EXAMPLE)
    config = load_config(path, {"network": {"activation": "relu"}, "training": {"loss": "bce"}})
    assert config.network.activations == ["relu", "relu"] and config.loss == "bce"


BAD = [
    ("[network\nlayers = [2, 1]", "invalid TOML"),
    ("[netwrk]\nlayers = [2, 1]", "unknown section [netwrk] (did you mean 'network'?"),
    ("[network]\nlayer = [2, 1]", "unknown key 'network.layer' (did you mean 'layers'?"),
    ("network = 3", "network: expected a [network] table"),
    ("[network]\nlayers = [2]", "network.layers: expected a list of at least 2"),
    ("[network]\nlayers = [2, 0, 1]", "network.layers[1]: expected a whole number from 1 to 32"),
    ("[network]\nlayers = [2, 1.5, 1]", "network.layers[1]: expected a whole number"),
    ("[network]\nlayers = [2, 3, 100]", "network.layers[2]: expected a whole number from 1 to 32"),
    ("[network]\nlayers = [2, 3, 3, 3, 3, 3, 1]", "network.layers: at most 6 layers"),
    ("[network]\nactivation = \"sigmoidd\"", "unknown activation 'sigmoidd' (did you mean 'sigmoid'?"),
    ("[network]\nactivations = [\"tanh\"]", "network.activations: expected 2 names"),
    ("[network]\nactivation = \"tanh\"\nactivations = [\"tanh\", \"tanh\"]", "not both"),
    ("[network]\nactivations = [\"softmax\", \"sigmoid\"]", "softmax is only allowed on the output"),
    ("[network]\nactivations = [\"tanh\", \"softmax\"]\nlayers = [3, 2, 2]",
     "a softmax output needs loss 'cross_entropy'"),
    ("[training]\nloss = \"cross_entropy\"", "needs a softmax output layer"),
    ("[training]\nloss = \"hinge\"", "training.loss: unknown loss 'hinge'"),
    ("[network]\nseed = -1", "network.seed: expected a whole number of at least 0"),
    ("[network]\nseed = \"seven\"", "network.seed: expected a whole number, got 'seven'"),
    ("[network]\nweights = [[[1.0, 2.0, 3.0]], [[1.0]]]", "network.weights[0]: expected shape 4×3"),
    ("[network]\nweights = [[[1, 2, 3], [1, 2, 3], [1, 2, 3], [1, 2, 3]]]",
     "network.weights: expected 2 entries"),
    ("[network]\nbiases = [[0, 0, 0, 0], [0, 0]]", "network.biases[1]: expected 1 number,"),
    ("[network]\nbiases = [[0, 0, \"x\", 0], [0]]", "network.biases[0][2]: expected a number"),
    ("[network]\nbiases = [[0, 0, nan, 0], [0]]", "network.biases[0][2]: expected a finite number"),
    ("[data]\ninput = [0.9, 0.8]", "data.input: expected 3 numbers, got 2"),
    ("[data]\ninput = [0.9, inf, 0.1]", "data.input[1]: expected a finite number, got inf"),
    ("[data]\ninput = [0.9, true, 0.1]", "data.input[1]: expected a number, got True"),
    ("[data]\ninput = \"cat\"", "data.input: expected a list of 3 numbers"),
    ("[data]\ninput = [[1, 2, 3], [1, 2]]\ntarget = [[1], [0]]", "data.input[1]: expected 3 numbers"),
    ("[data]\ninput = [[1, 2, 3], [1, 2, 3]]\ntarget = [[1]]", "data.target: expected as many samples"),
    ("[data]\ntarget = [2.0]\n[training]\nloss = \"bce\"", "data.target: loss 'bce' needs targets between 0 and 1"),
    ("[network]\nlayers = [3, 2]\nactivation = \"softmax\"\n[data]\ntarget = [0.5, 0.6]\n"
     "[training]\nloss = \"cross_entropy\"", "sum to 1"),
    ("[training]\nlearning_rate = 0", "training.learning_rate: expected a positive number"),
    ("[training]\nlearning_rate = -0.1", "training.learning_rate: expected a positive number"),
    ("[training]\nlearning_rate = nan", "training.learning_rate: expected a finite number"),
    ("[training]\nepochs = -1", "training.epochs: expected a whole number from 0 to 10000"),
    ("[labels]\ninputs = [\"ears\"]", "labels.inputs: expected 3 names"),
    ("[labels]\noutputs = [1]", "labels.outputs: expected a list of strings"),
    ("[labels]\nsamples = [\"cat\"]", "labels.samples: expected 2 names (one per sample), got 1"),
]


@pytest.mark.parametrize("text,message", BAD, ids=[m[:40] for _, m in BAD])
def test_bad_config_gives_one_line_error(tmp_path, text, message):
    path = write(tmp_path, text)
    with pytest.raises(ConfigError):
        load_config(path)
    result = run_trace("--config", str(path), "--json")
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr.startswith("Error: ") and result.stderr.count("\n") == 1
    assert message in result.stderr


def test_missing_and_unreadable_files(tmp_path):
    result = run_trace("--config", str(tmp_path / "nope.toml"))
    assert result.exit_code == 1 and result.stdout == ""
    assert result.stderr == f"Error: config file not found: {tmp_path / 'nope.toml'}\n"
    result = run_trace("--config", str(tmp_path))
    assert result.exit_code == 1 and "is a directory" in result.stderr
    binary = tmp_path / "bin.toml"
    binary.write_bytes(b"\xff\xfe\x00")
    result = run_trace("--config", str(binary))
    assert result.exit_code == 1 and result.stderr.count("\n") == 1


def test_error_from_a_real_process_has_no_traceback(tmp_path):
    path = write(tmp_path, "[training]\nlearning_rate = -1")
    proc = subprocess.run([sys.executable, "render.py", "trace", "--config", str(path)],
                          cwd=ROOT, capture_output=True, text=True)
    assert proc.returncode == 1 and proc.stdout == ""
    assert proc.stderr == "Error: training.learning_rate: expected a positive number, got -1.0\n"


def test_trace_of_softmax_network(tmp_path):
    path = write(tmp_path, "[network]\nlayers = [2, 4, 3]\nactivations = [\"relu\", \"softmax\"]\n"
                           "[data]\ninput = [0.5, -0.3]\ntarget = [0, 0, 1]\n"
                           "[training]\nloss = \"cross_entropy\"\n")
    config = load_config(path)
    t = trace(config.network, config.input, config.target, "cross_entropy")
    assert t.prediction.sum() == pytest.approx(1.0)
    np.testing.assert_allclose(t.layers[-1].grad_z, t.prediction - config.target)
