"""Tests of dlnlib.widgets: set control values, check that what is drawn follows the mathematics.

No browser: figures are rendered with Agg, and the ipywidgets objects are driven from Python.
"""

import base64
import io
import re
import subprocess
import sys
import types

import matplotlib
import matplotlib.backends.backend_agg
import matplotlib.figure

matplotlib.use("Agg")

import numpy as np  # noqa: E402
import PIL.Image  # noqa: E402
import pytest  # noqa: E402
from sklearn.linear_model import lars_path  # noqa: E402

import dlnlib  # noqa: E402
from dlnlib import plotting  # noqa: E402
from dlnlib.widgets import DynamicsExplorer, ImplicitBiasExplorer, LassoExplorer, live_mode  # noqa: E402
from dlnlib.widgets import _render as render  # noqa: E402
from dlnlib.widgets import dynamics as dynamics_module  # noqa: E402
from dlnlib.widgets.base import PLAYER_FRAMES  # noqa: E402


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


def run_python(code):
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout


def test_import_dlnlib_does_not_import_widgets():
    out = run_python("import sys, dlnlib; print('dlnlib.widgets' in sys.modules, 'ipywidgets' in sys.modules)")
    assert out.split() == ["False", "False"]


def test_players_are_built_without_ipywidgets():
    code = (
        "import sys\n"
        "from dlnlib.widgets import DynamicsExplorer, LassoExplorer\n"
        "html = LassoExplorer().to_jshtml([5.0, 10.0])\n"
        "view = DynamicsExplorer(n_samples=8, n_features=12).static_view([1e-3, 1e-6])\n"
        "print('ipywidgets' in sys.modules, html.count('data:image/png'), view.data.count('data:image/png'))"
    )
    assert run_python(code).split() == ["False", "2", "2"]


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
    # (a tight solve gives gap * log(1/alpha) = 2.2842 at every alpha here). The explorer's solver
    # dates the jump within 3e-3 (measured: 2e-3), which the product multiplies by log(1/alpha).
    ells = np.array([jumps[a][2] for a in (1e-5, 1e-10, 1e-20, 1e-40)])
    products = np.array(gaps) * ells
    assert np.all(np.abs(products - products[0]) <= 0.02 * products[0] + 3e-3 * (ells + ells[0])), products
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
    state = three_coordinates_dynamics.set(alpha=1e-10).state
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
    assert explorer.widget.children
    assert set(explorer._live.controls) == set(explorer.controls)  # no slider for what cannot move


def test_noise_does_not_stretch_the_time_axis_past_the_jumps_that_matter():
    explorer = DynamicsExplorer(alpha=1e-10, n_samples=50, n_features=100, n_nonzero=5, noise=0.1, random_state=0)
    state = explorer.state
    path, end = state["path"], state["x_range"][1]
    drops = path.losses[:-1] - path.losses[1:]
    matters = path.times[1:][drops >= 0.01 * (path.losses[0] - path.losses[-1])]
    # every jump that removes 1% of the loss decrease is on the axis, with a margin of at most 25%
    assert matters.max() < end <= 1.25 * matters.max() + 1e-12
    # the noise makes the path go on far past that (here to t ~ 1500, many jumps)
    assert path.times[-1] > 100 * end and path.n_jumps > 20
    # the loss drawn at the end of the axis has done 99% of its decrease
    loss = state["lines"]["saddle_loss"]
    assert loss[-1, 1] - path.losses[-1] <= 0.01 * (path.losses[0] - path.losses[-1])
    # a log-time axis shows every jump
    state = explorer.set(log_time=True).state
    assert state["x_range"][1] >= path.times[-1] and explorer.figure.axes[0].get_xscale() == "log"
    assert len([name for name in state["lines"] if name.startswith("jump_")]) == path.n_jumps


def test_raw_clock_multiplies_times_by_log_inverse_alpha(three_coordinates_dynamics):
    explorer = three_coordinates_dynamics
    accelerated = explorer.set(alpha=1e-20, clock="accelerated").state
    raw = explorer.set(clock="raw").state
    ell = raw["log_inverse_alpha"]
    np.testing.assert_allclose(raw["lines"]["beta_1"][:, 0], accelerated["flow"].t * ell)
    np.testing.assert_allclose(raw["lines"]["beta_1"][:, 1], accelerated["flow"].beta[:, 1])
    path = raw["path"]
    np.testing.assert_allclose(raw["lines"]["jump_1"][0, 0], path.times[1] * ell)
    np.testing.assert_allclose(raw["lines"]["first_jump"][0, 0], raw["first_jump_time_raw"])
    np.testing.assert_allclose(raw["x_range"][1], accelerated["x_range"][1] * ell)
    explorer.set(clock="accelerated")


def test_other_alphas_are_the_flows_at_those_alphas(three_coordinates_dynamics):
    explorer = three_coordinates_dynamics
    state = explorer.set(alpha=1e-10, other_alphas=[1e-2, 1e-40]).state
    assert state["values"]["other_alphas"] == (1e-2, 1e-40)
    problem, t_max = state["problem"], state["t_max"]
    path = state["path"]
    middles = 0.5 * (path.times[:-1] + path.times[1:])  # plateaus, where the loss is flat
    for j, alpha in enumerate((1e-2, 1e-40)):
        reference = dlnlib.gradient_flow(problem, alpha, t_max, rtol=1e-9, atol=1e-11)  # independent, tight
        for i in range(3):  # the dual is smooth: the explorer's solver keeps it within about 1e-4
            dual = state["lines"][f"other_dual_{j}_{i}"]
            np.testing.assert_allclose(dual[:, 1], reference.dual_at(dual[:, 0])[:, i], atol=2e-3)
        loss = state["lines"][f"other_loss_{j}"]
        np.testing.assert_allclose(np.interp(middles, loss[:, 0], loss[:, 1]),
                                   problem.loss(reference.beta_at(middles)), rtol=1e-2, atol=1e-3)
    # more alphas than allowed, or one outside the range, is refused by name
    with pytest.raises(ValueError, match="other_alphas"):
        explorer.set(other_alphas=[1e-2, 1e-3, 1e-4, 1e-5, 1e-6])
    with pytest.raises(ValueError, match="other_alphas"):
        explorer.set(other_alphas=[0.5])
    explorer.set(other_alphas=())
    assert not any(name.startswith("other_") for name in explorer.state["lines"])


def test_gradient_descent_overlay_follows_the_flow_at_small_steps_and_leaves_it_at_large_ones():
    problem = dlnlib.three_coordinate_example()
    explorer = DynamicsExplorer(problem, alpha=1e-3, gd=True, step_size=0.002, t_max=12.0)
    state = explorer.state
    eta, ell = 0.002, state["log_inverse_alpha"]
    # the drawn iterates are those of an independent run, at the recorded steps k = t ell / eta
    n_steps = int(state["descent"].steps[-1])
    descent = dlnlib.gradient_descent(problem, 1e-3, eta, n_steps, record_every=1)
    drawn = state["lines"]["gd_beta_1"]
    steps = np.rint(drawn[:, 0] * ell / eta).astype(int)
    np.testing.assert_allclose(drawn[:, 1], descent.beta[steps, 1], rtol=1e-12, atol=1e-15)
    flow = state["flow"]

    def gap(state):
        line = state["lines"]["gd_beta_1"]
        return np.max(np.abs(line[:, 1] - flow.beta_at(line[:, 0])[:, 1]))

    small = gap(state)
    large = gap(explorer.set(step_size=0.5).state)
    # GD is a forward-Euler discretisation of the flow on (u, v): its error shrinks with eta
    assert small < 0.05 * np.abs(flow.beta[:, 1]).max()
    assert large > 5 * small
    assert "η = 0.5" in explorer._title.get_text()


def test_gradient_descent_overlay_reports_lost_precision_and_divergence():
    explorer = DynamicsExplorer(n_samples=20, n_features=40, alpha=1e-30, gd=True, step_size=0.05)
    assert "float64" in explorer.status and "stall" in explorer.status
    example = dlnlib.three_coordinate_example()
    steep = dlnlib.Problem(10 * np.asarray(example.X), example.y)  # curvature x100: eta = 1 is far too large
    explorer = DynamicsExplorer(steep, alpha=1e-3, gd=True, step_size=1.0)
    assert not explorer.state["descent"].success
    assert "diverged" in explorer.status


def test_a_failed_flow_is_reported_not_drawn(monkeypatch):
    real_flow = dlnlib.gradient_flow

    def failing_flow(problem, alpha, t_max, **kwargs):
        flow = real_flow(problem, alpha, t_max, **kwargs)
        if alpha < 1e-50:  # a stand-in for a failed solve, as FlowPath reports one: NaN path, success False
            nan = np.full_like(flow.beta, np.nan)
            return types.SimpleNamespace(t=flow.t, beta=nan, dual=nan, loss=np.full_like(flow.loss, np.nan),
                                         alpha=alpha, t_max=flow.t_max, success=False,
                                         message="the solver gave up (test)")
        return flow

    monkeypatch.setattr(dynamics_module, "gradient_flow", failing_flow)
    explorer = DynamicsExplorer(dlnlib.three_coordinate_example(), alpha=1e-10)
    state = explorer.set(alpha=1e-60).state
    assert state["flow_failed"] == "the solver gave up (test)"
    assert "failed" in explorer.status and "gave up" in explorer.status
    for name in ("loss", "beta_0", "dual_2"):
        assert state["lines"][name].size == 0  # no line rather than NaN
    assert state["first_jump_time"] is None
    image = np.asarray(PIL.Image.open(io.BytesIO(explorer._png())))
    assert image.shape[0] > 0
    # and the explorer recovers on the next alpha
    state = explorer.set(alpha=1e-20).state
    assert state["flow_failed"] is None and np.all(np.isfinite(state["lines"]["beta_0"]))


def test_log_loss_axis():
    explorer = DynamicsExplorer(n_samples=20, n_features=40, log_loss=True)
    ax_loss = explorer.figure.axes[0]
    assert ax_loss.get_yscale() == "log"
    low, high = ax_loss.get_ylim()
    l0 = explorer.state["path"].losses[0]
    assert low > 0 and high >= l0 and low <= 1e-6 * l0
    explorer.set(log_loss=False)
    assert ax_loss.get_yscale() == "linear"


def test_t_max_is_bounded_by_the_data_so_the_solver_cannot_crawl():
    explorer = DynamicsExplorer(dlnlib.three_coordinate_example())
    low, high = explorer.control_range("t_max")
    assert low == pytest.approx(0.04) and high == pytest.approx(2000.0)  # 1e-2 t_1, 1e2 t_p (t_1 = 4, t_p = 20)
    with pytest.raises(ValueError, match="t_max"):
        explorer.set(t_max=1e-200)
    assert explorer.set(t_max=8.0).state["x_range"] == (0.0, 8.0)


# ---- colours ------------------------------------------------------------------------------------


def test_coordinates_keep_one_distinct_colour_across_panels():
    explorer = DynamicsExplorer(n_samples=20, n_features=40, n_nonzero=3, random_state=7)
    state = explorer.state
    coordinates = state["coordinates"]
    colours = [state["colors"][i] for i in coordinates]
    assert len(set(colours)) == len(colours)  # distinct
    assert colours == plotting.coordinate_colors(coordinates)  # the one rule
    lines = {name: artist for name, artist in explorer._artists.items()}
    for i in coordinates:
        expected = matplotlib.colors.to_hex(state["colors"][i])
        for name in (f"beta_{i}", f"dual_{i}", f"saddle_beta_{i}", f"saddle_dual_{i}"):
            assert matplotlib.colors.to_hex(lines[name].get_color()) == expected


def test_coordinates_3_and_23_do_not_share_a_colour():
    # chapter 4's player drew beta_3 and beta_23 both green (C2): the rule gives 22 the next free colour
    y = np.zeros(40)
    y[[2, 22]] = [1.0, -1.0]
    explorer = DynamicsExplorer(dlnlib.Problem(np.eye(40), y), alpha=1e-5)
    colours = explorer.state["colors"]
    assert set(colours) == {2, 22}
    assert colours[2] != colours[22]


def test_implicit_bias_stems_take_the_path_colours():
    explorer = ImplicitBiasExplorer(n_samples=10, n_features=25, random_state=3)
    state = explorer.state
    stem_colours = [matplotlib.colors.to_hex(c) for c in explorer._stems.get_colors()]
    for i in state["coordinates"]:
        assert stem_colours[i] == matplotlib.colors.to_hex(state["colors"][i])
        assert matplotlib.colors.to_hex(explorer._artists[f"path_{i}"].get_color()) == stem_colours[i]


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
    # drawn markers are the two solutions, computed independently (min-l1: circles on its support)
    lines = states[-1]["lines"]
    min_l1 = dlnlib.min_l1_solution(problem)
    support = np.flatnonzero(np.abs(states[-1]["min_l1"]) > 0)
    np.testing.assert_array_equal(lines["min_l1"][:, 0], support + 1)
    np.testing.assert_allclose(lines["min_l1"][:, 1], min_l1[support], atol=1e-9)
    assert np.all(np.abs(np.delete(min_l1, support)) < 1e-9)
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
    heights = [bar.get_height() for bar in explorer._bars["lasso"] if bar.get_visible()]
    np.testing.assert_allclose(heights, lasso.coef_at(0.1))
    assert state["difference"] > 0.1


def lasso_oracle(problem, lam):
    """The Lasso solutions at the penalties ``lam``, shape (m, d): scikit-learn's LARS-lasso knots, interpolated."""
    alphas, _, coefs = lars_path(np.array(problem.X), np.array(problem.y), method="lasso")
    return np.stack([np.interp(lam, alphas[::-1], coefs[i, ::-1]) for i in range(coefs.shape[0])], axis=-1)


def test_default_cursor_shows_where_time_average_and_lasso_differ():
    # The oracle: the time average against scikit-learn's Lasso at lambda = 1/t on a fine grid of
    # the time axis (plus the middle of every plateau, so that no short window is missed). Where
    # they differ, the default cursor must show it; where they agree everywhere (no coordinate
    # leaves, or one leaves only at the last jump, where the gradient vanishes) the cursor sits in
    # the middle of the axis and the title says they agree.
    explorer = LassoExplorer(data="random")
    cases = {"differ": 0, "leave at the last jump only": 0}
    for data, seed in [("coordinates leave", 0), ("no coordinate leaves", 0)] + [("random", s) for s in range(8)]:
        state = explorer.set(data=data, random_state=seed).state
        path, t_max, cursor = state["path"], state["t_max"], state["t"]
        middles = 0.5 * (path.times[:-1] + path.times[1:])
        t = np.union1d(np.linspace(t_max / 1000, t_max, 2001), middles)
        gap = np.linalg.norm(path.time_average(t) - lasso_oracle(state["problem"], 1 / t), axis=1)
        differ = gap > 1e-6  # agreement is to round-off (below 1e-13 here)
        assert bool(state["departures"]) == differ.any(), (data, seed)
        cursor_gap = np.linalg.norm(path.time_average(cursor) - lasso_oracle(state["problem"], [1 / cursor])[0])
        title = explorer._title.get_text()
        if differ.any():
            cases["differ"] += 1
            assert cursor_gap > 1e-6, (data, seed)
            assert "average and Lasso part" in title
        else:
            cases["leave at the last jump only"] += bool(state["leave_times"])
            assert cursor == pytest.approx(0.5 * t_max), (data, seed)
            assert "average = Lasso" in title or "the time average is the Lasso path" in title
    # both kinds of data were seen, and the case that misled the old cursor among them
    assert cases["differ"] >= 2 and cases["leave at the last jump only"] >= 2, cases


def test_lasso_seed_control_changes_random_data():
    explorer = LassoExplorer(data="random", random_state=0)
    first = explorer.state["problem"]
    second = explorer.set(random_state=5).state["problem"]
    assert not np.allclose(first.X, second.X)
    assert explorer.values["t"] <= explorer.state["t_max"]


# ---- validation, ranges and the live widget ---------------------------------------------------------


@pytest.mark.parametrize(
    "factory, values, name",
    [
        (lambda: DynamicsExplorer(n_samples=10, n_features=12), {"alpha": 0.5}, "alpha"),
        (lambda: DynamicsExplorer(n_samples=10, n_features=12), {"alpha": 1e-200}, "alpha"),
        (lambda: DynamicsExplorer(n_samples=10, n_features=12), {"n_nonzero": 13}, "n_nonzero"),
        (lambda: DynamicsExplorer(n_samples=10, n_features=12), {"noise": -1.0}, "noise"),
        (lambda: DynamicsExplorer(n_samples=10, n_features=12), {"random_state": 1.5}, "random_state"),
        (lambda: DynamicsExplorer(n_samples=10, n_features=12), {"t_max": 0.0}, "t_max"),
        (lambda: DynamicsExplorer(n_samples=10, n_features=12), {"n_samples": 450}, "n_samples"),
        (lambda: DynamicsExplorer(n_samples=10, n_features=12), {"clock": "wall"}, "clock"),
        (lambda: DynamicsExplorer(n_samples=10, n_features=12), {"gd": 1}, "gd"),
        (lambda: DynamicsExplorer(n_samples=10, n_features=12), {"step_size": 5.0}, "step_size"),
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


@pytest.mark.parametrize("factory", [lambda: DynamicsExplorer(n_samples=10, n_features=12),
                                     lambda: ImplicitBiasExplorer(n_samples=5, n_features=8),
                                     lambda: LassoExplorer(data="random")])
def test_sliders_allow_exactly_what_set_accepts(factory):
    explorer = factory()
    assert explorer.widget.children  # builds the live widget
    for name, widget in explorer._live.controls.items():
        kind = explorer._spec[name].kind
        if kind not in ("int", "seed", "real", "log"):
            continue
        low, high = explorer.control_range(name)
        shown = (10.0 ** widget.min, 10.0 ** widget.max) if kind == "log" else (widget.min, widget.max)
        np.testing.assert_allclose(shown, (low, high), rtol=1e-12, err_msg=name)
        original = explorer.values[name]
        explorer.set(**{name: high})  # the slider's largest value is accepted ...
        beyond = high + 1 if kind in ("int", "seed") else high * 1.5 + 1e-3
        with pytest.raises(ValueError, match=name):  # ... and nothing past it
            explorer.set(**{name: beyond})
        explorer.set(**{name: original})


def test_dependent_ranges_follow_the_data():
    explorer = DynamicsExplorer(n_samples=10, n_features=12)
    assert explorer.widget.children  # builds the live widget
    assert explorer.control_range("n_nonzero") == (1, 12)
    explorer.set(n_features=6, n_nonzero=2)
    assert explorer._live.controls["n_nonzero"].max == 6
    lasso = LassoExplorer()
    assert lasso.widget.children  # builds the live widget
    lasso.set(data="no coordinate leaves")
    assert lasso._live.controls["t"].max == pytest.approx(lasso.state["t_max"])


def test_status_line_follows_set_from_code():
    explorer = DynamicsExplorer(n_samples=10, n_features=12, alpha=1e-5)
    assert explorer.widget.children  # builds the live widget
    assert "overparametrised" in explorer._live.status.value
    explorer.set(n_samples=30)  # from code, not from the widget
    assert "underparametrised" in explorer._live.status.value
    assert explorer._live.controls["n_samples"].value == 30


def test_bad_value_from_the_widget_is_reported_not_raised():
    explorer = DynamicsExplorer(n_samples=10, n_features=12, alpha=1e-5)
    assert explorer.widget.children  # builds the live widget
    live = explorer._live
    live.controls["other_alphas"].value = "1e-3, banana"
    assert "other_alphas" in live.status.value
    live.controls["t_max"].value = "1e-300"
    assert "t_max" in live.status.value and explorer.values["t_max"] is None
    png_before = live.image.value
    live.controls["alpha"].value = 1e-40  # a slider move: recompute and redraw
    assert explorer.values["alpha"] == pytest.approx(1e-40)
    assert live.image.value != png_before
    live.controls["other_alphas"].value = "1e-3 1e-20"
    assert explorer.values["other_alphas"] == (1e-3, 1e-20)


def test_view_is_live_in_jupyter_and_a_player_in_the_book(monkeypatch):
    explorer = LassoExplorer()
    monkeypatch.setenv("DLNLIB_WIDGETS", "static")
    assert not live_mode()
    view = explorer.view([5.0, 10.0])
    assert view.data.count("data:image/png") == 2 and "dlnlib-player" in view.data
    monkeypatch.setenv("DLNLIB_WIDGETS", "live")
    assert live_mode() and explorer.view([5.0, 10.0]) is explorer
    monkeypatch.setenv("DLNLIB_WIDGETS", "sometimes")
    with pytest.raises(ValueError, match="DLNLIB_WIDGETS"):
        live_mode()
    monkeypatch.delenv("DLNLIB_WIDGETS")
    assert not live_mode()  # pytest is not a Jupyter kernel


# ---- rendering ------------------------------------------------------------------------------------------


def _text_figure(canvas_class):
    """Tick labels, mathtext, a rotated label, a clipped text, coloured and transparent text."""
    figure = matplotlib.figure.Figure(figsize=(4, 3), dpi=render.LIVE_DPI)
    canvas_class(figure)
    ax = figure.subplots()
    ax.set_yscale("log")
    ax.set_ylim(1e-5, 1e2)
    ax.set_xlim(-0.3, 2.7)
    ax.set_ylabel(r"coordinates of $\beta^\alpha$")
    ax.set_xlabel("α (decreasing →)", color="#d62728")
    ax.text(2.5, 1e-4, "clipped, half outside", clip_on=True)
    ax.text(0.1, 1e-3, "β₃ = 0.25", alpha=0.5, rotation=30)
    figure.suptitle("a title longer than the strings that are reused: drawn directly")
    return figure


def _pixels(figure):
    figure.canvas.draw()
    return np.asarray(figure.canvas.buffer_rgba(), dtype=int).copy()


def test_reused_strings_look_as_matplotlib_draws_them():
    """Strings rasterised once and pasted: the pixels of a direct draw, to within a quarter-pixel shift."""
    render._STRINGS.clear()
    reused = _text_figure(render._Canvas)
    direct = _text_figure(matplotlib.backends.backend_agg.FigureCanvasAgg)
    first, expected = _pixels(reused), _pixels(direct)
    assert len(render._STRINGS) > 10  # the tick labels and axis labels were reused, not drawn directly
    ink = lambda image: (255 * 3 - image[..., :3].sum(axis=-1)) > 96  # noqa: E731
    assert np.mean(ink(first) != ink(expected)) < 0.002  # the same text in the same places
    assert np.abs(first - expected).mean() < 0.5  # only anti-aliased edges differ, slightly
    # a second draw pastes every string (no new one) and gives the same image
    count = len(render._STRINGS)
    np.testing.assert_array_equal(_pixels(reused), first)
    assert len(render._STRINGS) == count
    # moved ticks: the strings are pasted at their new places
    reused.axes[0].set_xlim(-0.1, 2.9)
    direct.axes[0].set_xlim(-0.1, 2.9)
    assert np.mean(ink(_pixels(reused)) != ink(_pixels(direct))) < 0.002


@pytest.mark.parametrize("factory", [lambda: DynamicsExplorer(n_samples=10, n_features=20, gd=True),
                                     lambda: ImplicitBiasExplorer(n_samples=8, n_features=20),
                                     lambda: LassoExplorer()])
def test_live_png_matches_full_redraw(factory):
    """The live widget blits the moving artists on a cached background; it must look like a full draw."""
    explorer = factory()
    control = explorer.MAIN_CONTROL
    explorer._png()  # caches the background
    explorer.set(**{control: explorer._default_frames(control)[10]})
    live = np.asarray(PIL.Image.open(io.BytesIO(explorer._png())), dtype=int)
    full = np.asarray(PIL.Image.open(io.BytesIO(explorer._blitter.full_png())), dtype=int)
    assert live.shape == full.shape
    # only the drawing order of overlapping markers differs (measured: under 0.5% of pixels)
    assert np.mean(np.abs(live - full).sum(axis=-1) > 0) < 0.01
    # new data: new legends, which the live figure draws once and then pastes (no stale one)
    data = "data" if isinstance(explorer, LassoExplorer) else "random_state"
    explorer.set(**{data: "no coordinate leaves" if data == "data" else 5})
    live = np.asarray(PIL.Image.open(io.BytesIO(explorer._png())), dtype=int)
    full = np.asarray(PIL.Image.open(io.BytesIO(explorer._blitter.full_png())), dtype=int)
    assert np.mean(np.abs(live - full).sum(axis=-1) > 0) < 0.01


@pytest.mark.parametrize(
    "factory, values, control",
    [
        (lambda: DynamicsExplorer(n_samples=20, n_features=40), [1e-2, 1e-5, 1e-10, 1e-30, 1e-100], "alpha"),
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
    assert re.search(r'<img id="_anim_img\w+" alt="\w+Explorer: [^"]+">', html)  # for screen readers
    assert 'aria-label="frame"' in html
    assert explorer.values == before  # the explorer is back where it was


@pytest.mark.slow
def test_default_player_is_fine_grained_and_small():
    html = DynamicsExplorer(dlnlib.three_coordinate_example()).to_jshtml()
    frames = re.findall(r'frames\[\d+\] = "data:image/png;base64,([^"]+)"', html)
    assert len(frames) == PLAYER_FRAMES >= 40
    images = [PIL.Image.open(io.BytesIO(base64.b64decode(f))) for f in frames[:3]]
    assert all(image.mode == "P" for image in images)  # palette PNGs
    assert images[0].size[0] == round(render.FIGURE_WIDTH * render.PLAYER_DPI)
    # 48 frames in about a megabyte: a chapter with one player stays under 2 MB (measured: 1.4 MB)
    assert len(html.encode()) < 1_500_000


def test_player_frames_keep_every_coordinate_colour_exactly():
    # Quantising a frame to an adaptive palette alone mapped the colours of coordinates drawn on
    # few pixels (here beta_5 to beta_7, mostly hidden at 0) to grey in chapter 6's player, legend
    # included.
    explorer = LassoExplorer(data="random")
    html = explorer.to_jshtml([0], control="random_state")
    frame = re.findall(r'frames\[\d+\] = "data:image/png;base64,([^"]+)"', html)[0]
    pixels = np.asarray(PIL.Image.open(io.BytesIO(base64.b64decode(frame))).convert("RGB")).reshape(-1, 3)
    state = explorer.state
    assert len(state["coordinates"]) == 10
    for i in state["coordinates"]:
        colour = np.round(255 * np.array(matplotlib.colors.to_rgb(state["colors"][i]))).astype(int)
        assert (pixels == colour).all(axis=1).sum() >= 30, f"coordinate {i + 1} lost its colour"


def _luminance(hex_colour):
    channels = np.array(matplotlib.colors.to_rgb(hex_colour))
    linear = np.where(channels <= 0.03928, channels / 12.92, ((channels + 0.055) / 1.055) ** 2.4)
    return float(linear @ [0.2126, 0.7152, 0.0722])


def _contrast(a, b):
    high, low = sorted([_luminance(a), _luminance(b)], reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_player_card_text_and_code_have_contrast_in_any_theme():
    card = render.player_card("<div class='animation'></div>", "Run <code>x</code>.")
    style = dict(re.findall(r"\.dlnlib-player( code|)\s*\{([^}]*)\}", card))

    def colours(rule):
        found = dict(re.findall(r"(?<![-\w])(color|background)\s*:\s*(#[0-9a-fA-F]{6})", rule))
        return found["color"], found["background"]

    text, page = colours(style[""])
    code, code_background = colours(style[" code"])
    # the card sets both colours itself, so a dark page theme cannot leave pink on light grey
    assert _contrast(text, page) >= 7 and _contrast(code, code_background) >= 7 and _contrast(code, page) >= 7
    assert 'class="dlnlib-note"' in card


def test_first_jump_is_dated_as_convergence_errors_dates_it(three_coordinates_dynamics):
    # the explorer's title and state use the library's definition of a jump time (on the path),
    # to the accuracy of the explorer's solver (FLOW_RTOL = 1e-4: about 2e-3 measured)
    problem = dlnlib.three_coordinate_example()
    path = dlnlib.saddle_to_saddle(problem)
    for alpha in (1e-5, 1e-30):
        state = three_coordinates_dynamics.set(alpha=alpha).state
        tight = dlnlib.gradient_flow(problem, alpha, 25.0, rtol=1e-10, atol=1e-12)
        np.testing.assert_allclose(state["first_jump_time"], dlnlib.convergence_errors(tight, path).jump_times[0],
                                   atol=3e-3)

