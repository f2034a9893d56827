"""Tests of dlnlib.widgets: set control values, check that what is drawn follows the mathematics.

No browser: figures are rendered with Agg, and the ipywidgets objects are driven from Python.
"""

import io
import re
import subprocess
import sys

import matplotlib

matplotlib.use("Agg")

import numpy as np  # noqa: E402
import PIL.Image  # noqa: E402
import pytest  # noqa: E402

import dlnlib  # noqa: E402
from dlnlib.widgets import DynamicsExplorer, ImplicitBiasExplorer, LassoExplorer  # noqa: E402


def plateau_values(line, times):
    """The y-value of a drawn staircase in the middle of each plateau [t_k, t_{k+1})."""
    x, y = line[:, 0], line[:, 1]
    ends = np.append(times[1:], x[-1])
    middles = 0.5 * (times + ends)
    # the staircase is drawn as points (t_k, v_k), (t_{k+1}, v_k): the value left of a middle
    return np.array([y[np.searchsorted(x, m) - 1] for m in middles])


@pytest.fixture(scope="module")
def three_coordinates_dynamics():
    return DynamicsExplorer(dlnlib.three_coordinate_example(), alpha=1e-10)


def test_import_dlnlib_does_not_import_widgets():
    code = "import sys, dlnlib; print('dlnlib.widgets' in sys.modules, 'ipywidgets' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.split() == ["False", "False"]


# ---- DynamicsExplorer ---------------------------------------------------------------------------


def test_smaller_alpha_lengthens_first_plateau_by_predicted_amount(three_coordinates_dynamics):
    explorer = three_coordinates_dynamics
    t1 = 1 / explorer.state["problem"].lambda_max  # = 4, the first Lasso knot
    jumps = {}
    for alpha in (1e-5, 1e-10, 1e-20, 1e-40):
        state = explorer.set(alpha=alpha).state
        jumps[alpha] = (state["first_jump_time"], state["first_jump_time_raw"], state["log_inverse_alpha"])
        # the drawn marker is where the state says
        np.testing.assert_allclose(state["lines"]["first_jump"][:, 0], state["first_jump_time"])
    # accelerated clock: the first jump moves toward 1/lambda_max, monotonically
    gaps = [abs(jumps[a][0] - t1) for a in (1e-5, 1e-10, 1e-20, 1e-40)]
    assert all(later < earlier for earlier, later in zip(gaps, gaps[1:]))
    # the gap closes like 1/log(1/alpha): the raw plateau is log(1/alpha)/lambda_max minus O(1)
    ells = np.array([jumps[a][2] for a in (1e-5, 1e-10, 1e-20, 1e-40)])
    np.testing.assert_allclose(np.array(gaps) * ells, gaps[0] * ells[0], rtol=0.05)
    assert gaps[-1] < 0.05 * t1
    # raw clock: the plateau lasts log(1/alpha)/lambda_max + O(1), so going from alpha_1 to alpha_2
    # lengthens it by (log(1/alpha_2) - log(1/alpha_1)) / lambda_max (measured: within 0.1%) ...
    for a1, a2 in ((1e-5, 1e-20), (1e-10, 1e-40)):
        (_, raw1, ell1), (_, raw2, ell2) = jumps[a1], jumps[a2]
        np.testing.assert_allclose(raw2 - raw1, (ell2 - ell1) * t1, rtol=0.01)
    # ... and the ratio of raw first-jump times is log(1/alpha_2)/log(1/alpha_1) up to the O(1)
    # offset: about 4/(4 * 23) = 4% at alpha_1 = 1e-10 (measured 3.4%), hence 6%.
    (_, raw1, ell1), (_, raw2, ell2) = jumps[1e-10], jumps[1e-40]
    np.testing.assert_allclose(raw2 / raw1, ell2 / ell1, rtol=0.06)


def test_saddle_overlay_is_saddle_to_saddle(three_coordinates_dynamics):
    state = three_coordinates_dynamics.state
    path = dlnlib.saddle_to_saddle(dlnlib.three_coordinate_example())  # independent call
    lines = state["lines"]
    for i in range(3):
        np.testing.assert_allclose(plateau_values(lines[f"saddle_beta_{i}"], path.times), path.saddles[:, i],
                                   atol=1e-12)
        dual = lines[f"saddle_dual_{i}"]
        np.testing.assert_allclose(dual[:, 1], path.dual_at(dual[:, 0])[:, i], atol=1e-12)
    np.testing.assert_allclose(plateau_values(lines["saddle_loss"], path.times), path.losses, atol=1e-12)
    drawn_jumps = [lines[f"jump_{k}"][0, 0] for k in range(1, path.n_jumps + 1)]
    np.testing.assert_allclose(drawn_jumps, path.times[1:], rtol=1e-12)
    # the exact first saddle of the book's example: (0, 0, -15/94) from t = 4
    np.testing.assert_allclose(plateau_values(lines["saddle_beta_2"], path.times)[1], -15 / 94, rtol=1e-12)


@pytest.mark.parametrize("alpha", [1e-3, 1e-10, 1e-60])
def test_dual_lines_stay_in_band(alpha):
    explorer = DynamicsExplorer(alpha=alpha, n_samples=20, n_features=40, random_state=1)
    state = explorer.state
    ell = state["log_inverse_alpha"]
    for i in state["coordinates"]:
        S = state["lines"][f"dual_{i}"][:, 1]
        beta = state["lines"][f"beta_{i}"][:, 1]
        # beta = (exp(2 ell (S - 1)) - exp(-2 ell (S + 1))) / 2, so |S| can exceed 1 only by
        # log(2 |beta| + 1) / (2 ell); 1e-3 covers the solver's error (FLOW_RTOL = 1e-4)
        assert np.abs(S).max() <= 1 + np.log(2 * np.abs(beta).max() + 1) / (2 * ell) + 1e-3
        assert np.abs(state["lines"][f"saddle_dual_{i}"][:, 1]).max() <= 1 + 1e-12
    # the flow's beta and dual lines are the flow's, coordinate by coordinate
    flow = state["flow"]
    i = state["coordinates"][0]
    np.testing.assert_array_equal(state["lines"][f"dual_{i}"][:, 1], flow.dual[:, i])


def test_seed_changes_data_and_drawn_saddles():
    explorer = DynamicsExplorer(n_samples=15, n_features=30, random_state=0)
    before = explorer.state
    after = explorer.set(random_state=1).state
    assert not np.allclose(before["problem"].X, after["problem"].X)
    path = dlnlib.saddle_to_saddle(dlnlib.sparse_regression(15, 30, 3, random_state=1))
    assert after["path"].n_jumps == path.n_jumps
    for i in after["coordinates"]:
        np.testing.assert_allclose(plateau_values(after["lines"][f"saddle_beta_{i}"], path.times),
                                   path.saddles[:, i], atol=1e-12)
    assert set(after["coordinates"]) == set(np.flatnonzero(np.any(path.saddles != 0, axis=0)))
    # the regime follows from n against d
    assert after["problem"].X.shape == (15, 30)
    assert explorer.set(n_samples=40).state["problem"].X.shape == (40, 30)


def test_given_problem_fixes_data_controls():
    explorer = DynamicsExplorer(dlnlib.three_coordinate_example(), alpha=1e-5)
    assert "random_state" not in explorer.controls
    with pytest.raises(ValueError, match="random_state cannot be set"):
        explorer.set(random_state=3)
    for name in ("n_samples", "noise"):
        assert explorer.widget.children  # builds the widget
        assert explorer._controls[name].disabled


# ---- ImplicitBiasExplorer -----------------------------------------------------------------------


def test_implicit_bias_moves_from_l2_to_l1():
    problem = dlnlib.sparse_regression(10, 25, 2, random_state=3)
    explorer = ImplicitBiasExplorer(problem)
    alphas = [1e3, 1e1, 1.0, 1e-2, 1e-4, 1e-6]  # decreasing
    states = [explorer.set(alpha=a).state for a in alphas]
    to_l1 = [s["distance_l1"] for s in states]
    to_l2 = [s["distance_l2"] for s in states]
    assert all(b < a for a, b in zip(to_l1, to_l1[1:]))  # closer to min-l1 as alpha shrinks
    assert all(b > a for a, b in zip(to_l2, to_l2[1:]))  # farther from min-l2
    assert to_l2[0] < 1e-6 and to_l1[-1] < 0.05
    # drawn markers are the two solutions, computed independently
    lines = states[-1]["lines"]
    np.testing.assert_allclose(lines["min_l1"][:, 1], dlnlib.min_l1_solution(problem), atol=1e-9)
    np.testing.assert_allclose(lines["min_l2"][:, 1], dlnlib.min_l2_solution(problem), atol=1e-12)
    # coordinates are numbered from 1, as in the book
    np.testing.assert_array_equal(lines["beta"][:, 0], np.arange(1, problem.n_features + 1))
    # the drawn point is implicit_bias_solution at the current alpha, and the cursor sits at alpha
    np.testing.assert_allclose(lines["beta"][:, 1], dlnlib.implicit_bias_solution(problem, 1e-6).beta)
    np.testing.assert_allclose(lines["current_alpha"][:, 0], 1e-6)
    # the path panel is the grid of limit points
    i = states[-1]["coordinates"][0]
    np.testing.assert_allclose(lines[f"path_{i}"][:, 1], states[-1]["beta_grid"][:, i])


# ---- LassoExplorer ---------------------------------------------------------------------------------


def test_time_average_is_lasso_when_no_coordinate_leaves():
    state = LassoExplorer(data="no coordinate leaves").state
    assert state["leave_times"] == []
    for i in state["coordinates"]:
        average, lasso = state["lines"][f"average_{i}"], state["lines"][f"lasso_{i}"]
        np.testing.assert_array_equal(average[:, 0], lasso[:, 0])
        np.testing.assert_allclose(average[:, 1], lasso[:, 1], atol=1e-9)
    # the jump times are the inverse Lasso knots
    jumps = sorted(line[0, 0] for name, line in state["lines"].items() if name.startswith("jump_"))
    knots = sorted(line[0, 0] for name, line in state["lines"].items() if name.startswith("knot_"))
    np.testing.assert_allclose(jumps, knots, rtol=1e-9)


def test_time_average_differs_from_lasso_after_a_coordinate_leaves():
    explorer = LassoExplorer(data="coordinates leave")
    state = explorer.state
    t_leave = 13200 / 1561  # coordinate 3 leaves here (three_coordinate_example's docstring)
    np.testing.assert_allclose(state["leave_times"], [t_leave], rtol=1e-12)
    t_next = state["path"].times[3]
    t = state["lines"]["average_0"][:, 0]
    gap = np.max([np.abs(state["lines"][f"average_{i}"][:, 1] - state["lines"][f"lasso_{i}"][:, 1])
                  for i in range(3)], axis=0)
    assert gap[t <= t_leave].max() < 1e-9  # identical until the coordinate leaves
    assert gap[(t > t_leave) & (t < t_next)].max() > 0.1  # then they differ (by 0.5 here)
    # the cursor: drawn at t on three panels, and the bars show the three vectors at t
    explorer.set(t=10.0)
    state = explorer.state
    for panel in ("saddle", "average", "lasso"):
        np.testing.assert_allclose(state["lines"][f"cursor_{panel}"][:, 0], 10.0)
    path, lasso = state["path"], state["lasso"]
    np.testing.assert_allclose(state["vectors"]["saddle"], path.beta_at(10.0))
    np.testing.assert_allclose(state["vectors"]["time_average"], path.time_average(10.0))
    np.testing.assert_allclose(state["vectors"]["lasso"], lasso.coef_at(0.1))
    heights = [bar.get_height() for bar in explorer._bars["lasso"]]
    np.testing.assert_allclose(heights, lasso.coef_at(0.1))
    assert state["difference"] > 0.1


def test_lasso_seed_control_changes_random_data():
    explorer = LassoExplorer(data="random", random_state=0)
    first = explorer.state["problem"]
    second = explorer.set(random_state=5).state["problem"]
    assert not np.allclose(first.X, second.X)
    assert explorer.values["t"] <= explorer.state["t_max"]


# ---- validation -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "factory, values, name",
    [
        (lambda: DynamicsExplorer(n_samples=10, n_features=12), {"alpha": 0.5}, "alpha"),
        (lambda: DynamicsExplorer(n_samples=10, n_features=12), {"alpha": 1e-200}, "alpha"),
        (lambda: DynamicsExplorer(n_samples=10, n_features=12), {"n_nonzero": 13}, "n_nonzero"),
        (lambda: DynamicsExplorer(n_samples=10, n_features=12), {"noise": -1.0}, "noise"),
        (lambda: DynamicsExplorer(n_samples=10, n_features=12), {"random_state": 1.5}, "random_state"),
        (lambda: DynamicsExplorer(n_samples=10, n_features=12), {"t_max": 0.0}, "t_max"),
        (lambda: DynamicsExplorer(n_samples=10, n_features=12), {"beta": 1}, "beta"),
        (lambda: ImplicitBiasExplorer(n_samples=5, n_features=8), {"alpha": 1e4}, "alpha"),
        (lambda: ImplicitBiasExplorer(n_samples=5, n_features=8), {"n_samples": 1}, "n_samples"),
        (lambda: LassoExplorer(), {"data": "orthogonal"}, "data"),
        (lambda: LassoExplorer(), {"t": -1.0}, "t"),
        (lambda: LassoExplorer(), {"t": 1e6}, "t"),
    ],
)
def test_bad_control_values_raise_naming_the_control(factory, values, name):
    explorer = factory()
    before = explorer.values
    with pytest.raises(ValueError, match=name):
        explorer.set(**values)
    assert explorer.values == before  # nothing changed


def test_bad_value_from_the_widget_is_reported_not_raised():
    explorer = DynamicsExplorer(n_samples=10, n_features=12, alpha=1e-5)
    widget = explorer.widget
    assert widget.children
    explorer._controls["n_nonzero"].value = 20  # more than n_features = 12
    assert "n_nonzero" in explorer._status.value
    assert explorer.values["n_nonzero"] == 3 and explorer._controls["n_nonzero"].value == 3
    png_before = explorer._image.value
    explorer._controls["alpha"].value = 1e-40  # a slider move: recompute and redraw
    assert explorer.values["alpha"] == pytest.approx(1e-40)
    assert explorer._image.value != png_before


# ---- rendering ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("factory", [lambda: DynamicsExplorer(n_samples=10, n_features=20),
                                     lambda: ImplicitBiasExplorer(n_samples=8, n_features=20),
                                     lambda: LassoExplorer()])
def test_live_png_matches_full_redraw(factory):
    """The live widget blits the moving artists on a cached background; it must look like a full draw."""
    explorer = factory()
    control = explorer._default_control
    explorer._live_png()  # caches the background
    explorer.set(**{control: explorer._default_frames(control)[3]})
    live = np.asarray(PIL.Image.open(io.BytesIO(explorer._live_png())), dtype=int)
    full = np.asarray(PIL.Image.open(io.BytesIO(explorer._png())), dtype=int)
    assert live.shape == full.shape
    # only the drawing order of overlapping markers differs (measured: under 0.5% of pixels)
    assert np.mean(np.abs(live - full).sum(axis=-1) > 0) < 0.01


@pytest.mark.parametrize(
    "factory, values, control",
    [
        (lambda: DynamicsExplorer(n_samples=20, n_features=40), [1e-2, 1e-5, 1e-10, 1e-30, 1e-100], "alpha"),
        (lambda: ImplicitBiasExplorer(), None, "alpha"),
        (lambda: LassoExplorer(), None, "t"),
        (lambda: LassoExplorer(), None, "data"),
    ],
)
def test_to_jshtml_is_an_offline_player(factory, values, control):
    explorer = factory()
    before = explorer.values
    html = explorer.to_jshtml(values, control=control)
    expected = len(values) if values is not None else len(explorer._default_frames(control))
    assert len(re.findall(r'frames\[\d+\] = "data:image/png;base64,', html)) == expected
    assert not re.search(r'(src|href)\s*=\s*["\']?\s*(https?:)?//', html, re.IGNORECASE)
    assert "font-awesome" not in html
    assert len(html.encode()) < 5_000_000
    assert explorer.values == before  # the explorer is back where it was


def test_static_view_carries_a_note():
    view = LassoExplorer().static_view([5.0, 10.0])
    assert "from dlnlib.widgets import LassoExplorer" in view.data
    assert view.data.count("data:image/png") == 2
