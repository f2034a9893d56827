"""Plot helpers draw the data they are given, on the axes they are given."""

import subprocess
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

import dlnlib  # noqa: E402
from dlnlib import plotting  # noqa: E402


@pytest.fixture(scope="module")
def results():
    problem = dlnlib.three_coordinate_example()
    return dlnlib.saddle_to_saddle(problem), dlnlib.gradient_flow(problem, 1e-20, 25.0)


@pytest.fixture
def ax():
    fig, ax = plt.subplots()
    yield ax
    plt.close(fig)


def test_saddle_staircase_holds_each_saddle_on_its_plateau(results, ax):
    path, _ = results
    returned = plotting.plot_coordinates(path, ax, t_max=25.0)
    assert returned is ax
    lines = ax.get_lines()
    assert len(lines) == 3
    t, beta2 = lines[1].get_data()
    assert t[0] == 0.0 and t[-1] == 25.0
    # Read the drawn polyline in the middle of every plateau: it must equal that plateau's saddle.
    ends = np.append(path.times[1:], 25.0)
    np.testing.assert_allclose(np.interp((path.times + ends) / 2, t, beta2), path.saddles[:, 1])
    # and the plateau (t_2, t_3) is the saddle (0, 19/2, 0)
    assert np.interp((path.times[2] + path.times[3]) / 2, t, beta2) == pytest.approx(19 / 2)


def test_flow_curves_are_the_flow_and_colours_follow_coordinates(results, ax):
    path, flow = results
    plotting.plot_coordinates(flow, ax)
    plotting.plot_coordinates(path, ax, label=False, linestyle="--")
    lines = ax.get_lines()
    np.testing.assert_array_equal(lines[2].get_ydata(), flow.beta[:, 2])
    assert [line.get_color() for line in lines[:3]] == [line.get_color() for line in lines[3:]]
    assert lines[0].get_label() == r"$\beta_{1}$"


def test_dual_band_and_loss_staircase(results, ax):
    path, _ = results
    plotting.plot_dual(path, ax, t_max=25.0)
    t, s3 = ax.get_lines()[-1].get_data()
    np.testing.assert_allclose(s3, path.dual_at(t)[:, 2])
    assert np.all(np.abs(s3) <= 1 + 1e-12)
    _, other = plt.subplots()
    plotting.plot_loss(path, other, t_max=25.0)
    t, loss = other.get_lines()[0].get_data()
    assert np.all(np.diff(loss) <= 0) and loss[-1] == pytest.approx(path.losses[-1])


def test_mark_jumps_draws_one_line_per_jump(results, ax):
    path, _ = results
    plotting.mark_jumps(path, ax)
    xs = [line.get_xdata()[0] for line in ax.get_lines()]
    np.testing.assert_allclose(xs, path.times[1:])


def test_lasso_path_against_inverse_lambda_leaves_out_lambda_zero(ax):
    lasso = dlnlib.lasso_path(dlnlib.three_coordinate_example())
    plotting.plot_lasso_path(lasso, ax, inverse=True)
    x, _ = ax.get_lines()[0].get_data()
    np.testing.assert_allclose(x, 1 / lasso.lambdas[lasso.lambdas > 0])
    assert x[0] == pytest.approx(4.0)


def test_path_3d_scatters_every_saddle(results):
    path, flow = results
    ax = plotting.plot_path_3d(path, trajectories=[flow])
    assert ax.name == "3d"
    offsets = ax.collections[0]._offsets3d
    np.testing.assert_allclose(np.column_stack(offsets), path.saddles)
    plt.close(ax.figure)


def test_pick_coordinates_keeps_the_largest_ever_nonzero_ones():
    beta = np.zeros((2, 15))
    beta[0, [3, 7, 11]] = [0.5, -4.0, 1.0]
    beta[1, [3, 14]] = [2.0, 0.1]
    assert plotting.pick_coordinates(beta, limit=3) == [3, 7, 11]  # 14 is the smallest of four
    assert plotting.pick_coordinates(beta, limit=10) == [3, 7, 11, 14]  # never-zero-free ones are left out
    assert plotting.pick_coordinates(beta[:, :5], limit=10) == [0, 1, 2, 3, 4]  # small d: all of them
    assert plotting.pick_coordinates(beta, coordinates=(2, 0)) == [2, 0]


# ---- one colour rule --------------------------------------------------------------------------------


@settings(max_examples=200, deadline=None, derandomize=True)
@given(st.sets(st.integers(min_value=0, max_value=10_000), min_size=1, max_size=10))
def test_up_to_ten_coordinates_always_get_distinct_colours(coordinates):
    coordinates = sorted(coordinates)
    colours = plotting.coordinate_colors(coordinates)
    assert len(set(colours)) == len(coordinates)
    assert set(colours) <= set(plotting.COORDINATE_COLORS)
    # the first ten coordinates always have their home colour, whatever else is drawn
    for i, colour in zip(coordinates, colours):
        if i < len(plotting.COORDINATE_COLORS):
            assert colour == plotting.COORDINATE_COLORS[i]
    # the order of the request does not change who gets which colour
    assert plotting.coordinate_colors(coordinates[::-1]) == colours[::-1]


def test_no_grey_coordinate_colour():
    # grey is kept for reference lines (jump times, the limit's loss)
    for colour in plotting.COORDINATE_COLORS:
        r, g, b = matplotlib.colors.to_rgb(colour)
        assert max(r, g, b) - min(r, g, b) > 0.2 or max(r, g, b) < 0.1


def test_helpers_colour_coordinates_by_the_rule(ax):
    # beta_3 and beta_23 (indices 2 and 22) were both green under "C{i mod 10}"
    lasso = dlnlib.lasso_path(dlnlib.Problem(np.eye(30), np.where(np.isin(np.arange(30), [2, 22]), 1.0, 0.0)))
    plotting.plot_lasso_path(lasso, ax, coordinates=[2, 22])
    colours = [matplotlib.colors.to_hex(line.get_color()) for line in ax.get_lines()]
    assert colours == plotting.coordinate_colors([2, 22]) and colours[0] != colours[1]


def test_coordinate_colors_refuses_bad_indices():
    for bad in ([-1], [1.5], [True]):
        with pytest.raises(ValueError, match="coordinates"):
            plotting.coordinate_colors(bad)


def test_importing_plotting_does_not_import_pyplot():
    code = "import sys, dlnlib.plotting; print('matplotlib.pyplot' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.split() == ["False"]


def test_staircase_holds_each_value_on_its_step():
    t, v = plotting.staircase([0.0, 1.0, 3.0], [[5.0, 0.0], [3.0, 1.0], [2.0, 2.0]], end=4.0)
    np.testing.assert_array_equal(t, [0, 1, 1, 3, 3, 4])
    np.testing.assert_array_equal(v[:, 0], [5, 5, 3, 3, 2, 2])
    # the value just left of each corner is the previous step's, just right the next one's
    assert np.interp(0.999, t, v[:, 1]) == 0.0 and np.interp(3.001, t[3:], v[3:, 1]) == 2.0
