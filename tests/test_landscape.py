"""Loss slices, grids and descent paths use the real network and real gradients."""

import numpy as np
import pytest

from backprop_core import (Network, circles, descent_path, loss_grid, loss_slice, moons, trace,
                           xor)

NET = Network.initialise([2, 3, 1], ["tanh", "sigmoid"], seed=7)
X, Y = np.array([0.9, 0.2]), np.array([1.0])
WEIGHT = (1, 0, 2)


def test_slice_passes_through_the_current_loss_and_holds_other_weights():
    current = NET.weights[1][0, 2]
    values = np.array([current - 1, current, current + 1])
    losses = loss_slice(NET, X, Y, "mse", WEIGHT, values)
    assert losses[1] == pytest.approx(trace(NET, X, Y, "mse").loss)
    assert losses[0] != losses[2]
    assert NET.weights[1][0, 2] == current


def test_descent_path_slopes_are_derivatives_of_the_slice():
    path = descent_path(NET, X, Y, "mse", WEIGHT, learning_rate=2.0, steps=5)
    assert len(path.positions) == 6
    for w, loss, slope in zip(path.positions, path.losses, path.slopes):
        around = loss_slice(NET, X, Y, "mse", WEIGHT, [w - 1e-6, w, w + 1e-6])
        assert loss == pytest.approx(around[1])
        assert slope == pytest.approx((around[2] - around[0]) / 2e-6, rel=1e-5)
    np.testing.assert_allclose(np.diff(path.positions), -2.0 * path.slopes[:-1])
    assert np.all(np.diff(path.losses) < 0), "small steps go downhill"


def test_large_learning_rate_overshoots_a_valley():
    linear_out = Network.initialise([2, 3, 1], ["tanh", "linear"], seed=7)
    small = descent_path(linear_out, X, Y, "mse", (1, 0, 2), learning_rate=0.5, steps=4)
    large = descent_path(linear_out, X, Y, "mse", (1, 0, 2), learning_rate=6.0, steps=4)
    assert np.all(np.sign(small.slopes) == np.sign(small.slopes[0]))
    assert np.all(np.sign(large.slopes[1:]) == -np.sign(large.slopes[:-1])), "jumps across"


def test_grid_rows_are_slices():
    a, b = (0, 1, 0), (1, 0, 1)
    va, vb = np.linspace(-2, 2, 4), np.linspace(-1, 1, 3)
    grid = loss_grid(NET, X, Y, "mse", a, b, va, vb)
    assert grid.shape == (4, 3)
    np.testing.assert_allclose(grid[2], loss_slice(NET.with_weight(*a, va[2]), X, Y, "mse", b, vb))


@pytest.mark.parametrize("make", [xor, moons, circles])
def test_datasets_are_seeded_and_shaped(make):
    x1, y1 = make(n=40, seed=3)
    x2, y2 = make(n=40, seed=3)
    x3, _ = make(n=40, seed=4)
    assert x1.shape == (40, 2) and y1.shape == (40, 1)
    np.testing.assert_array_equal(x1, x2)
    np.testing.assert_array_equal(y1, y2)
    assert set(np.unique(y1)) == {0.0, 1.0} and y1.mean() == 0.5
    if make is not xor:
        assert not np.array_equal(x1, x3)


def test_xor_is_the_truth_table():
    x, y = xor()
    assert x.tolist() == [[0, 0], [0, 1], [1, 0], [1, 1]]
    assert y.ravel().tolist() == [0, 1, 1, 0]
