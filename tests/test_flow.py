"""Tests of the exact gradient flow and of discrete gradient descent (dlnlib.flow).

Oracles: a direct integration of the (u, v) ODE (independent computation), the exact
saddle path of the 3-coordinate example worked out in fractions (closed form, alpha -> 0),
the least-squares fit / minimum-norm interpolator (closed forms at late time), and the
invariants u^2 - v^2 (conserved by the flow, shrunk by exactly 1 - eta^2 g^2 per GD step)
and the decrease of the loss.
"""

import pickle
import warnings
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import get_context

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import dlnlib
from dlnlib import DivergenceWarning, PrecisionWarning, gradient_descent, gradient_flow
from dlnlib.flow import DescentPath, FlowPath
from oracles import (
    JUMP_TIMES,
    LEAST_SQUARES_FIT,
    SADDLES,
    direct_uv_flow,
    exact_dual_path,
    finite_difference_jacobian,
    time_limit,
)

# ---------------------------------------------------------------------------------------
# The flow against a direct integration of the (u, v) ODE (tests/oracles.py).
# ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("alpha", [0.3, 0.05])
def test_flow_matches_direct_uv_integration(three_coordinates, alpha):
    ell = np.log(1 / alpha)
    t_raw = np.linspace(0, 25 * ell, 301)
    u, v = direct_uv_flow(three_coordinates, alpha, t_raw[-1], t_raw)
    beta_direct = u * v
    scale = np.abs(beta_direct).max()
    raw = gradient_flow(three_coordinates, alpha, t_raw[-1], clock="raw", t_eval=t_raw)
    accelerated = gradient_flow(three_coordinates, alpha, 25.0)
    # Default solver tolerances give about 1e-6 relative on beta here; 1e-5 leaves margin.
    np.testing.assert_allclose(raw.beta, beta_direct, rtol=0, atol=1e-5 * scale)
    np.testing.assert_allclose(accelerated.beta_at(t_raw / ell), beta_direct, rtol=0, atol=1e-5 * scale)
    # The two clocks carry the same dual up to the factor ell.
    np.testing.assert_allclose(raw.dual, ell * accelerated.dual_at(t_raw / ell), rtol=0, atol=1e-4)


def test_flow_implies_uv_solving_the_uv_ode(three_coordinates):
    # u = sqrt2 alpha cosh(theta), v = sqrt2 alpha sinh(theta) built from the flow's dual must
    # satisfy du/dt = -v grad L(uv), dv/dt = -u grad L(uv); derivatives by central differences.
    alpha, h = 0.1, 1e-4
    path = gradient_flow(three_coordinates, alpha, 60.0, clock="raw", rtol=1e-10, atol=1e-12)
    t = np.linspace(1.0, 59.0, 117)

    def uv(times):
        theta = path.dual_at(times)
        return np.sqrt(2) * alpha * np.cosh(theta), np.sqrt(2) * alpha * np.sinh(theta)

    u, v = uv(t)
    (u_plus, v_plus), (u_minus, v_minus) = uv(t + h), uv(t - h)
    g = three_coordinates.grad(u * v)
    scale = np.abs(v).max()
    # Central differences err by O(h^2 |u'''|); 1e-5 relative to the size of v is ample.
    np.testing.assert_allclose((u_plus - u_minus) / (2 * h), -v * g, atol=1e-5 * scale)
    np.testing.assert_allclose((v_plus - v_minus) / (2 * h), -u * g, atol=1e-5 * scale)
    np.testing.assert_allclose(path.beta, dlnlib.beta_from_dual(path.dual, alpha, clock="raw"), rtol=1e-12)


@settings(max_examples=12, deadline=None)
@given(
    n=st.integers(2, 6),
    d=st.integers(1, 8),
    seed=st.integers(0, 2**32 - 1),
    alpha=st.sampled_from([0.5, 0.1, 1e-3]),
)
def test_flow_matches_direct_integration_on_random_problems(n, d, seed, alpha):
    # Covers both states: S itself (d <= n) and nu with S = X^T nu (d > n).
    problem = dlnlib.sparse_regression(n, d, min(d, 2), noise=0.1, random_state=seed)
    ell = np.log(1 / alpha)
    t_raw = np.linspace(0, 3 * ell, 41)
    u, v = direct_uv_flow(problem, alpha, t_raw[-1], t_raw)
    path = gradient_flow(problem, alpha, 3.0, t_eval=t_raw / ell)
    scale = max(np.abs(u * v).max(), 1.0)
    np.testing.assert_allclose(path.beta, u * v, rtol=0, atol=1e-4 * scale)
    # Gradient flow decreases the loss (up to solver error).
    assert np.all(np.diff(path.loss) <= 1e-7 * path.loss[0])


# ---------------------------------------------------------------------------------------
# Tiny alpha: the 3-coordinate example against its exact saddle-to-saddle path.
# ---------------------------------------------------------------------------------------

#: The dual converges to s(t) uniformly at rate 1/log(1/alpha) (DESIGN.md, section 3):
#: sup_t |S^alpha(t) - s(t)| log(1/alpha) must stay below this constant as alpha -> 0.
DUAL_RATE_CONSTANT = 15.0


@pytest.mark.parametrize("alpha", [1e-5, 1e-10, 1e-20, 1e-50, 1e-100])
def test_dual_converges_to_exact_path_at_rate_one_over_log(three_coordinates, alpha):
    grid = np.linspace(0, 25, 5001)
    path = gradient_flow(three_coordinates, alpha, 25.0)
    assert path.success
    error = np.abs(path.dual_at(grid) - exact_dual_path(grid)).max()
    assert error * np.log(1 / alpha) < DUAL_RATE_CONSTANT


def test_plateau_values_approach_the_saddles(three_coordinates):
    knots = [float(t) for t in JUMP_TIMES] + [25.0]
    midpoints = [(a + b) / 2 for a, b in zip(knots[:-1], knots[1:])]
    saddles = np.array([[float(x) for x in s] for s in SADDLES])
    errors = {}
    for alpha in [1e-5, 1e-10, 1e-20, 1e-50, 1e-100]:
        path = gradient_flow(three_coordinates, alpha, 25.0)
        errors[alpha] = np.abs(path.beta_at(midpoints) - saddles).max()
    # Far from alpha -> 0 the middle plateaus are visibly off; they then converge fast.
    assert errors[1e-5] > 0.1
    assert errors[1e-5] > errors[1e-10] > errors[1e-20]
    # Below 1e-20 the distance is set by solver accuracy (dual error x 2 log(1/alpha) |beta|).
    assert max(errors[a] for a in [1e-20, 1e-50, 1e-100]) < 1e-4


def test_flow_at_alpha_1e_300_reaches_least_squares_fit(three_coordinates):
    path = gradient_flow(three_coordinates, 1e-300, 30.0)
    assert path.success
    assert np.all(np.isfinite(path.beta)) and np.all(np.isfinite(path.dual)) and np.all(np.isfinite(path.loss))
    np.testing.assert_allclose(path.beta[-1], LEAST_SQUARES_FIT, rtol=1e-6)
    # Before the first jump S = -t grad L(0) (beta is negligible), so |beta_3| = alpha^(2 (1 - |S_3|)) / 2
    # with S_3 = -t/4: about 1e-150 at t = 2 and 5e-16 at t = 3.9 (1% for dual error x 2 log(1/alpha)).
    assert np.abs(path.beta_at(2.0)).max() < 1e-140
    np.testing.assert_allclose(path.beta_at(3.9)[2], -0.5 * 10.0 ** (-300 * 2 * (1 - 3.9 / 4)), rtol=1e-2)
    np.testing.assert_allclose(path.beta_at(6.0), [0, 0, -15 / 94], atol=1e-8)


# ---------------------------------------------------------------------------------------
# Late time: the flow ends at a minimiser of L.
# ---------------------------------------------------------------------------------------


def test_flow_ends_at_minimiser_overdetermined(rng):
    # d <= n: the state is S itself and the minimiser is the unique least-squares fit.
    problem = dlnlib.Problem(rng.standard_normal((30, 8)), rng.standard_normal(30))
    path = gradient_flow(problem, 1e-4, 60.0)
    fit = np.linalg.lstsq(problem.X, problem.y, rcond=None)[0]
    assert np.abs(problem.grad(path.beta[-1])).max() < 1e-8
    np.testing.assert_allclose(path.beta[-1], fit, atol=1e-7)
    assert path.loss[-1] == pytest.approx(problem.min_loss, rel=1e-9)


def test_flow_ends_at_interpolator_underdetermined():
    # d > n: the state is nu (S = X^T nu); the limit interpolates the data. At moderate alpha
    # every coordinate carries weight >= alpha^2 in the mirror metric, so convergence is fast.
    problem = dlnlib.sparse_regression(20, 60, 3, random_state=3)
    path = gradient_flow(problem, 0.5, 200.0)
    assert path.success
    assert np.abs(problem.grad(path.beta[-1])).max() < 1e-9
    assert path.loss[-1] < 1e-18


def test_flow_at_tiny_alpha_recovers_sparse_signal():
    # n = 100 noiseless Gaussian measurements of a 5-sparse signal: the minimum-l1 interpolator,
    # where the alpha -> 0 flow ends, is the signal itself (exact recovery, compressed sensing).
    problem = dlnlib.sparse_regression(100, 1000, 5, random_state=0)
    path = gradient_flow(problem, 1e-150, 3.0)
    assert path.success
    np.testing.assert_allclose(path.beta[-1], problem.beta_star, atol=1e-8)
    # At the default tolerances the dual is right to ~1e-11, so beta (exponential in it, with
    # rate 2 log(1/alpha) ~ 690) to ~1e-8 relative: the loss floor is ~1e-16, not 0.
    assert path.loss[-1] < 1e-16


def test_large_alpha_raw_clock_tends_to_minimum_l2_interpolator():
    # Kernel regime: at alpha = 1e3 the limit is the minimum-l2 interpolator up to
    # O(|beta|^2 / alpha^4) = 1e-12 relative (the hyperbolic entropy is nearly quadratic).
    problem = dlnlib.sparse_regression(10, 30, 3, random_state=4)
    alpha = 1e3
    eigenvalues = np.linalg.eigvalsh(problem.X @ problem.X.T / problem.n_samples)
    t_max = 40 / (2 * alpha**2 * eigenvalues.min())  # 40 e-foldings of the slowest mode
    path = gradient_flow(problem, alpha, t_max, clock="raw")
    np.testing.assert_allclose(path.beta[-1], np.linalg.pinv(problem.X) @ problem.y, atol=1e-6)


# ---------------------------------------------------------------------------------------
# Result object: dense output, ranges, read-only arrays.
# ---------------------------------------------------------------------------------------


def test_flow_path_fields_and_dense_output(three_coordinates):
    t_eval = np.linspace(0, 10, 11)
    path = gradient_flow(three_coordinates, 1e-3, 10.0, t_eval=t_eval)
    np.testing.assert_array_equal(path.t, t_eval)
    assert path.beta.shape == path.dual.shape == (11, 3) and path.loss.shape == (11,)
    assert path.clock == "accelerated" and path.alpha == 1e-3 and path.nfev > 0 and path.n_steps > 0
    np.testing.assert_allclose(path.beta_at(t_eval), path.beta, rtol=1e-12)
    assert path.beta_at(5.0).shape == (3,)
    np.testing.assert_allclose(path.loss, three_coordinates.loss(path.beta), rtol=1e-12)
    np.testing.assert_allclose(path.loss_at(t_eval), path.loss, rtol=1e-12)
    with pytest.raises(ValueError, match=r"\[0, 10.0\]"):
        path.beta_at(10.5)
    with pytest.raises(ValueError, match="t must be non-negative"):
        path.dual_at([-1.0, 2.0])
    for array in (path.t, path.beta, path.dual, path.loss):
        with pytest.raises(ValueError):
            array[0, ...] = 1.0


def test_queries_at_unsorted_times_match_one_by_one(three_coordinates):
    times = [6.0, 2.0, 9.5, 4.0, 4.0]
    flow = gradient_flow(three_coordinates, 1e-10, 10.0)
    np.testing.assert_array_equal(flow.beta_at(times), np.array([flow.beta_at(t) for t in times]))
    np.testing.assert_array_equal(flow.dual_at(times), np.array([flow.dual_at(t) for t in times]))
    descent = gradient_descent(three_coordinates, 0.1, 0.01, 400, clock="raw", record_every=7)
    times = [3.5, 0.0, 1.234, 0.07]
    expected = [descent.beta[np.flatnonzero(descent.t <= t)[-1]] for t in times]  # last recorded step at or before t
    np.testing.assert_array_equal(descent.beta_at(times), expected)
    np.testing.assert_array_equal(descent.dual_at(times)[2], descent.dual[np.flatnonzero(descent.t <= 1.234)[-1]])
    with pytest.raises(ValueError, match="recorded range"):
        descent.beta_at(4.5)


def test_results_are_built_by_keyword_and_validated(three_coordinates):
    path = gradient_descent(three_coordinates, 0.1, 0.01, 20, record_every=5)
    fields = {name: getattr(path, name) for name in DescentPath.__dataclass_fields__}
    with pytest.raises(TypeError):
        DescentPath(*fields.values())  # positional construction is refused
    assert DescentPath(**fields).steps.tolist() == [0, 5, 10, 15, 20]
    with pytest.raises(ValueError, match="beta must have shape"):
        DescentPath(**(fields | {"beta": path.beta[0]}))
    with pytest.raises(ValueError, match="u must have the shape of beta"):
        DescentPath(**(fields | {"u": path.u[:, :2]}))
    with pytest.raises(ValueError, match="t must be strictly increasing"):
        DescentPath(**(fields | {"t": path.t[::-1]}))
    flow = gradient_flow(three_coordinates, 1e-3, 1.0)
    flow_fields = {name: getattr(flow, name) for name in FlowPath.__dataclass_fields__}
    with pytest.raises(ValueError, match="_states must have shape"):
        FlowPath(**(flow_fields | {"_states": flow._states[:, :2]}))
    with pytest.raises(ValueError, match="alpha"):
        FlowPath(**(flow_fields | {"alpha": 2.0}))


def _beta_in_worker(path):
    return path.beta_at([5.0, 25.0])


def test_flow_path_pickles_and_works_in_a_worker_process(three_coordinates):
    path = gradient_flow(three_coordinates, 1e-20, 30.0)
    again = pickle.loads(pickle.dumps(path))
    np.testing.assert_array_equal(again.beta_at([5.0, 25.0]), path.beta_at([5.0, 25.0]))
    np.testing.assert_array_equal(again.beta, path.beta)
    with ProcessPoolExecutor(max_workers=1, mp_context=get_context("fork")) as pool:
        from_worker = pool.submit(_beta_in_worker, path).result(timeout=60)
    np.testing.assert_array_equal(from_worker, path.beta_at([5.0, 25.0]))
    # beta is exponential in the dual (rate 2 log(1/alpha) = 92): 1e-5 relative at default tolerances.
    np.testing.assert_allclose(from_worker[1], LEAST_SQUARES_FIT, rtol=1e-5)


def test_time_to_loss_finds_the_first_crossing_on_the_dense_output(three_coordinates):
    # Oracle: the loss on a fine grid of the dense output; the first grid point at or below the
    # level is within one grid step after the crossing.
    path = gradient_flow(three_coordinates, 1e-8, 25.0)
    grid = np.linspace(0, 25, 25001)
    loss = path.loss_at(grid)
    levels = np.array([loss[0], 0.9 * loss[0], 0.5 * (loss[0] + loss[-1]), 1.01 * loss[-1], 0.5 * loss[-1]])
    found = path.time_to_loss(levels)
    for level, time in zip(levels[:-1], found[:-1]):
        first = grid[np.argmax(loss <= level)]
        assert first - 1e-3 - 1e-9 <= time <= first + 1e-9
        assert path.loss_at(time) == pytest.approx(level, rel=1e-6)
    assert np.isnan(found[-1])  # below the minimum of the loss: never reached
    descent = gradient_descent(three_coordinates, 0.1, 0.01, 3000, record_every=10)
    level = 0.5 * (descent.loss[0] + descent.loss[-1])
    assert descent.time_to_loss(level) == descent.t[np.argmax(descent.loss <= level)]


def test_default_grid_is_the_solver_steps_and_resolves_jumps(three_coordinates):
    path = gradient_flow(three_coordinates, 1e-20, 25.0)
    assert path.t[0] == 0 and path.t[-1] == 25.0 and np.all(np.diff(path.t) > 0)
    # Steps cluster in the jumps: the first jump (width ~ 1/log(1/alpha) around t = 4) holds
    # many more steps per unit time than the plateau before it.
    in_jump = np.sum((path.t > 3.8) & (path.t < 4.2)) / 0.4
    on_plateau = np.sum((path.t > 1.0) & (path.t < 3.0)) / 2.0
    assert in_jump > 5 * on_plateau


@pytest.mark.parametrize("method", ["LSODA", "Radau"])
def test_methods_agree(three_coordinates, method):
    grid = np.linspace(0, 25, 501)
    path = gradient_flow(three_coordinates, 1e-8, 25.0, method=method)
    reference = gradient_flow(three_coordinates, 1e-8, 25.0, method="Radau", rtol=1e-11, atol=1e-13)
    # DEFAULT_RTOL / DEFAULT_ATOL are chosen to keep the dual well below 1e-3 from the reference.
    assert np.abs(path.dual_at(grid) - reference.dual_at(grid)).max() < 1e-4


# ---------------------------------------------------------------------------------------
# Gradient descent.
# ---------------------------------------------------------------------------------------


def test_gd_conserved_quantity_shrinks_by_exactly_one_minus_eta2_g2(three_coordinates):
    # (u - eta v g)^2 - (v - eta u g)^2 = (u^2 - v^2)(1 - eta^2 g^2): GD's invariant.
    eta = 0.01
    path = gradient_descent(three_coordinates, 0.2, eta, 2000, clock="raw")
    g = three_coordinates.grad(path.beta[:-1])
    np.testing.assert_allclose(path.conserved[1:], path.conserved[:-1] * (1 - eta**2 * g**2), rtol=1e-9)
    assert path.conserved[0] == pytest.approx(2 * 0.2**2)
    np.testing.assert_allclose(path.beta, path.u * path.v)
    np.testing.assert_allclose(path.t, eta * np.arange(2001))
    # The dual is the running sum of -eta * gradients.
    np.testing.assert_allclose(path.dual[1:] - path.dual[:-1], -eta * g, atol=1e-15)


@pytest.mark.slow
def test_gd_approaches_flow_linearly_in_step_size(three_coordinates):
    alpha, t_end = 1e-2, 22.0
    ell = np.log(1 / alpha)
    flow = gradient_flow(three_coordinates, alpha, t_end, rtol=1e-10, atol=1e-12)
    errors = []
    for eta in [4e-3, 2e-3, 1e-3]:
        n_steps = int(t_end * ell / eta)
        path = gradient_descent(three_coordinates, alpha, eta, n_steps, record_every=50)
        errors.append(np.abs(path.beta - flow.beta_at(path.t)).max())
    ratios = np.array(errors[:-1]) / np.array(errors[1:])
    # First-order method: halving eta halves the error (up to higher-order terms).
    assert np.all((ratios > 1.7) & (ratios < 2.3)), ratios
    assert errors[-1] < 0.1


def test_precision_warning_and_stall_at_tiny_alpha(three_coordinates):
    alpha, eta = 1e-10, 0.01
    n_steps = int(25 * np.log(1 / alpha) / eta)
    with pytest.warns(PrecisionWarning, match="alpha=1e-10"):
        path = gradient_descent(three_coordinates, alpha, eta, n_steps, record_every=1000)
    assert path.precision_lost_at is not None
    # The true flow ends at the least-squares fit, whose third coordinate is 87/77 > 0; GD's
    # third coordinate went negative first and, balanced exactly (|u_3| = |v_3|), cannot change
    # sign: it stalls near the saddle (0, 19/2, 0) which the flow leaves at t = 17660/1561.
    assert path.beta[-1, 2] <= 0
    assert np.abs(path.beta[-1] - LEAST_SQUARES_FIT).max() > 1.0
    flow = gradient_flow(three_coordinates, alpha, 25.0)
    np.testing.assert_allclose(flow.beta[-1], LEAST_SQUARES_FIT, rtol=1e-6)


def test_no_precision_warning_at_moderate_alpha(three_coordinates):
    with warnings.catch_warnings():
        warnings.simplefilter("error", PrecisionWarning)
        path = gradient_descent(three_coordinates, 0.1, 0.005, 12000, record_every=100)
    assert path.precision_lost_at is None and path.success
    assert path.loss[-1] < path.loss[0]


def test_sgd_reproducible_with_seed_and_differs_across_seeds(three_coordinates):
    kwargs = dict(batch_size=2, record_every=10, clock="raw")
    first = gradient_descent(three_coordinates, 0.1, 0.01, 300, random_state=7, **kwargs)
    again = gradient_descent(three_coordinates, 0.1, 0.01, 300, random_state=7, **kwargs)
    other = gradient_descent(three_coordinates, 0.1, 0.01, 300, random_state=8, **kwargs)
    np.testing.assert_array_equal(first.beta, again.beta)
    assert np.abs(first.beta - other.beta).max() > 1e-6
    # A full batch is plain gradient descent, whatever the seed.
    full = gradient_descent(three_coordinates, 0.1, 0.01, 300, batch_size=3, random_state=1, record_every=10)
    plain = gradient_descent(three_coordinates, 0.1, 0.01, 300, record_every=10)
    np.testing.assert_array_equal(full.beta, plain.beta)


def test_gd_records_last_step(three_coordinates):
    path = gradient_descent(three_coordinates, 0.1, 1e-3, 25, record_every=10)
    np.testing.assert_array_equal(path.steps, [0, 10, 20, 25])
    np.testing.assert_allclose(path.t, path.steps * 1e-3 / np.log(10))


@pytest.mark.parametrize(
    "alpha, step_size, clock", [(0.1, 10.0, "accelerated"), (0.5, 5.0, "raw"), (1e-12, 50.0, "accelerated")]
)
def test_divergent_gd_says_the_step_is_too_large(three_coordinates, alpha, step_size, clock):
    # The whole class: any run whose iterates overflow gets one DivergenceWarning naming
    # step_size, and no precision warning (the blow-up, not rounding, is what went wrong).
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        path = gradient_descent(three_coordinates, alpha, step_size, 300, clock=clock)
    assert [w.category for w in caught] == [DivergenceWarning]
    assert f"step_size={step_size!r}" in str(caught[0].message) and "reduce step_size" in str(caught[0].message)
    assert not path.success and "reduce step_size" in path.message
    assert not np.all(np.isfinite(path.u))


# ---------------------------------------------------------------------------------------
# Bad input.
# ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "kwargs, match",
    [
        (dict(alpha=0.0), "alpha"),
        (dict(alpha=-1e-3), "alpha"),
        (dict(alpha=float("nan")), "alpha"),
        (dict(alpha=1.0), "clock='raw'"),
        (dict(alpha=2.0), "clock='raw'"),
        (dict(t_max=0.0), "t_max"),
        (dict(t_max=-1.0), "t_max"),
        (dict(t_eval=[0.0, 2.0, 1.0]), "t_eval"),
        (dict(t_eval=[-1.0, 1.0]), "t_eval"),
        (dict(t_eval=[1.0, 20.0]), "t_eval"),
        (dict(clock="fast"), "clock"),
        (dict(method="BDF"), "method"),
        (dict(method="lsoda"), "method"),
        (dict(rtol=0.0), "rtol"),
        (dict(atol=-1.0), "atol"),
        (dict(max_steps=0), "max_steps"),
    ],
)
def test_gradient_flow_rejects_bad_input(three_coordinates, kwargs, match):
    args = dict(alpha=1e-3, t_max=10.0) | kwargs
    alpha, t_max = args.pop("alpha"), args.pop("t_max")
    with pytest.raises(ValueError, match=match):
        gradient_flow(three_coordinates, alpha, t_max, **args)


def test_raw_clock_accepts_alpha_above_one(three_coordinates):
    # n = d with an invertible X: any alpha ends at the unique least-squares fit.
    path = gradient_flow(three_coordinates, 2.0, 200.0, clock="raw")
    assert path.success and path.clock == "raw"
    np.testing.assert_allclose(path.beta[-1], LEAST_SQUARES_FIT, rtol=1e-7)


@pytest.mark.parametrize(
    "kwargs, match",
    [
        (dict(alpha=0.0), "alpha"),
        (dict(alpha=float("nan")), "alpha"),
        (dict(alpha=1.5), "clock='raw'"),
        (dict(step_size=0.0), "step_size"),
        (dict(step_size=-0.1), "step_size"),
        (dict(n_steps=0), "n_steps"),
        (dict(n_steps=2.5), "n_steps"),
        (dict(batch_size=0), "batch_size"),
        (dict(batch_size=4), "batch_size"),
        (dict(batch_size=1.5), "batch_size"),
        (dict(clock="slow"), "clock"),
        (dict(record_every=0), "record_every"),
        (dict(random_state="seed"), "random_state"),
        (dict(random_state=-1, batch_size=2), "random_state must be None, a non-negative integer"),
    ],
)
def test_gradient_descent_rejects_bad_input(three_coordinates, kwargs, match):
    args = dict(alpha=0.1, step_size=0.01, n_steps=10) | kwargs
    alpha, step_size, n_steps = args.pop("alpha"), args.pop("step_size"), args.pop("n_steps")
    with pytest.raises(ValueError, match=match):
        gradient_descent(three_coordinates, alpha, step_size, n_steps, **args)


def test_gradient_descent_refuses_huge_recordings():
    problem = dlnlib.sparse_regression(5, 1000, 2, random_state=0)
    with pytest.raises(ValueError, match="record_every >= "):
        gradient_descent(problem, 0.1, 0.01, 100_000)


def test_problem_must_be_a_problem():
    with pytest.raises(ValueError, match="problem"):
        gradient_flow(np.eye(2), 0.1, 1.0)
    with pytest.raises(ValueError, match="problem"):
        gradient_descent(np.eye(2), 0.1, 0.01, 10)


# ---------------------------------------------------------------------------------------
# Every scale: finite paths or a clear failure, and nothing hangs (issue 11, section 1).
# ---------------------------------------------------------------------------------------

#: sup_t |S^alpha(t) - s(t)| log(1/alpha) against Algorithm 1 on random data stays below this
#: (measured up to about 7 on 120 random problems and scales; the bound leaves a factor 2).
RANDOM_DUAL_RATE_CONSTANT = 15.0


def _flow_against_algorithm_1(problem, alpha, method="LSODA"):
    """The flow up to three first-jump times: finite, successful, and at distance O(1/log(1/alpha)) from Algorithm 1."""
    t_max = 3 / problem.lambda_max
    path = gradient_flow(problem, alpha, t_max, method=method)
    assert path.success, path.message
    for array in (path.t, path.beta, path.dual, path.loss):
        assert np.all(np.isfinite(array))
    grid = np.linspace(0, t_max, 1001)
    limit = dlnlib.saddle_to_saddle(problem)
    error = np.abs(path.dual_at(grid) - limit.dual_at(grid)).max()
    assert error * np.log(1 / alpha) < RANDOM_DUAL_RATE_CONSTANT
    return path


@settings(max_examples=30, deadline=None)
@given(
    n=st.integers(1, 8),
    d=st.integers(1, 12),
    seed=st.integers(0, 2**32 - 1),
    x_scale=st.sampled_from([1e-3, 0.1, 1.0, 10.0, 1e3]),
    y_scale=st.sampled_from([1e-3, 1.0, 1e3]),
    alpha=st.sampled_from([1e-100, 1e-200, 1e-300]),
)
def test_tiny_alpha_flow_is_finite_and_tracks_algorithm_1_at_any_data_scale(n, d, seed, x_scale, y_scale, alpha):
    # The class of the NaN paths of issue 11 (10 X of the 3-coordinate example, unit Gaussian
    # data at 1e-200, about 1 in 18 random problems below 1e-100): Gaussian data, scaled.
    rng = np.random.default_rng(seed)
    problem = dlnlib.Problem(x_scale * rng.standard_normal((n, d)), y_scale * rng.standard_normal(n))
    _flow_against_algorithm_1(problem, alpha)


@pytest.mark.parametrize("method", ["LSODA", "Radau"])
@pytest.mark.parametrize("alpha", [1e-100, 1e-300])
def test_issue_reproducer_ten_x_three_coordinates(three_coordinates, method, alpha):
    # Returned NaN with success=False (LSODA), and scipy's raw "array must not contain infs or
    # NaNs" (Radau): the clipped map overflowed in X^T X beta and in the Jacobian.
    problem = dlnlib.Problem(10 * three_coordinates.X, three_coordinates.y)
    _flow_against_algorithm_1(problem, alpha, method)


@pytest.mark.parametrize("method", ["LSODA", "Radau"])
def test_radau_and_lsoda_at_tiny_alpha_on_gaussian_data(method):
    problem = dlnlib.sparse_regression(20, 40, 3, noise=0.1, random_state=5)
    _flow_against_algorithm_1(problem, 1e-200, method)


@pytest.mark.parametrize("n, d", [(6, 9), (12, 5)])  # state nu (d > n) and state S (d <= n)
@pytest.mark.parametrize("power", [-500, -200, 200, 500])
def test_scaling_data_by_a_power_of_two_only_rescales_time(power, n, d):
    # L(beta) for (2^p X, 2^p y) is 4^p times L, so the flow is the same path with times divided
    # by 4^p. Powers of two are exact in float64, so the solver must see bit-identical numbers:
    # data at scales 1e-150 to 1e150 (times 1e-301 to 1e301) give exactly the same dual.
    problem = dlnlib.sparse_regression(n, d, 2, noise=0.1, random_state=1)
    scaled = dlnlib.Problem(np.ldexp(problem.X, power), np.ldexp(problem.y, power))
    path = gradient_flow(problem, 1e-50, 4.0)
    scaled_path = gradient_flow(scaled, 1e-50, np.ldexp(4.0, -2 * power))
    assert scaled_path.success
    np.testing.assert_array_equal(scaled_path.t, np.ldexp(path.t, -2 * power))
    np.testing.assert_array_equal(scaled_path.dual, path.dual)
    np.testing.assert_array_equal(scaled_path.beta, path.beta)
    np.testing.assert_array_equal(scaled_path.loss, np.ldexp(path.loss, 2 * power))


@pytest.mark.parametrize("method", ["LSODA", "Radau"])
@pytest.mark.parametrize("clock", ["accelerated", "raw"])
@pytest.mark.parametrize("t_max", [1e-300, 1e-200, 1e-156, 1e-100, 1e-10])
def test_tiny_t_max_returns_at_once_with_the_linear_start(three_coordinates, t_max, clock, method):
    # LSODA looped forever for t_max below about 1e-155 (its first step underflowed). For t that
    # small the dual is exactly linear to float64: S(t) = -t grad L(0) (theta on the raw clock).
    with time_limit(20):
        path = gradient_flow(three_coordinates, 1e-10, t_max, clock=clock, method=method)
    assert path.success and path.t[-1] == t_max
    np.testing.assert_allclose(path.dual_at(t_max), -t_max * three_coordinates.grad(np.zeros(3)), rtol=1e-9)


def test_max_steps_stops_the_solver_with_a_message(three_coordinates):
    with time_limit(20):
        path = gradient_flow(three_coordinates, 1e-100, 30.0, max_steps=5)
    assert not path.success and "max_steps=5" in path.message and path.n_steps == 5
    assert 0 < path.t_max < 30.0 and path.beta_at(path.t_max).shape == (3,)
    with pytest.raises(ValueError, match="max_steps"):
        path.beta_at(29.0)  # the error passes on the solver's message


@pytest.mark.parametrize(
    "make_problem, alpha, clock",
    [
        (dlnlib.three_coordinate_example, 1e-3, "accelerated"),  # state S (d <= n)
        (dlnlib.three_coordinate_example, 1e-100, "accelerated"),
        (dlnlib.three_coordinate_example, 0.7, "raw"),
        (lambda: dlnlib.sparse_regression(5, 12, 2, noise=0.1, random_state=2), 1e-3, "accelerated"),  # state nu
        (lambda: dlnlib.sparse_regression(5, 12, 2, noise=0.1, random_state=2), 1e-100, "accelerated"),
        (lambda: dlnlib.Problem(1e3 * np.eye(3, 7), [1e-2, 3e-2, -2e-2]), 1e-200, "accelerated"),
    ],
)
def test_jacobian_matches_finite_differences_along_the_path(make_problem, alpha, clock):
    problem = make_problem()
    t_max = 4 / problem.lambda_max if clock == "accelerated" else 4 * np.log(1 / alpha) / problem.lambda_max
    path = gradient_flow(problem, alpha, t_max, clock=clock)
    system = path._system
    for state in path._states[1:: max(1, path.n_steps // 12)]:
        jacobian = system.jacobian(0.0, state)
        # beta is exponential in the dual at rate c: steps of 1e-6 / c keep the O(h^2) error ~1e-13.
        step = 1e-6 / system.rate / np.sqrt(problem.n_samples)
        numeric = finite_difference_jacobian(lambda z: system.rhs(0.0, z), state, step)
        # The Jacobian leaves out terms summing to JACOBIAN_DROP (1e-6) of the largest, or of 1.
        np.testing.assert_allclose(jacobian, numeric, rtol=0, atol=1e-5 * max(np.abs(numeric).max(), 1.0))


def test_raw_clock_first_jump_with_defaults_is_accurate(three_coordinates):
    # The claim in gradient_flow's docstring: at alpha = 1e-100 the default tolerances put the
    # first jump within 5e-5 of a tight reference on either clock.
    alpha = 1e-100
    ell = np.log(1 / alpha)
    level = 0.5 * (three_coordinates.loss(np.zeros(3)) + three_coordinates.loss([0, 0, -15 / 94]))
    reference = gradient_flow(three_coordinates, alpha, 6.0, method="Radau", rtol=1e-12, atol=1e-14).time_to_loss(level)
    raw = gradient_flow(three_coordinates, alpha, 6 * ell, clock="raw").time_to_loss(level) / ell
    accelerated = gradient_flow(three_coordinates, alpha, 6.0).time_to_loss(level)
    assert abs(raw - reference) < 5e-5 and abs(accelerated - reference) < 5e-5
    assert abs(reference - 4.0) > 1e-2  # the jump is visibly early at finite alpha, so the test can fail


@pytest.mark.slow
def test_research_size_noisy_flow_at_tiny_alpha_tracks_algorithm_1():
    # n = 200, d = 5000 with label noise at alpha = 1e-100 (issue 11's speed case): the path is
    # finite, ends where Algorithm 1 is at t = 3 (11 jumps), and its dual is O(1/log(1/alpha)) away.
    problem = dlnlib.sparse_regression(200, 5000, 10, noise=0.1, random_state=0)
    alpha = 1e-100
    with time_limit(120):
        path = gradient_flow(problem, alpha, 3.0)
    assert path.success, path.message
    limit = dlnlib.saddle_to_saddle(problem)
    grid = np.linspace(0, 3.0, 601)
    assert np.abs(path.dual_at(grid) - limit.dual_at(grid)).max() * np.log(1 / alpha) < RANDOM_DUAL_RATE_CONSTANT
    saddle = limit.beta_at(3.0)
    assert np.count_nonzero(saddle) >= 10
    np.testing.assert_allclose(path.beta_at(3.0), saddle, atol=1e-3 * np.abs(saddle).max())


def test_a_path_at_the_clip_of_the_dual_map_is_reported_not_returned_as_success(three_coordinates, monkeypatch):
    # The clip sits where the right-hand side would reach FINITE_LIMIT, far beyond any true path.
    # Pull it down to where the true path goes: the flow must say it cannot represent the path.
    import dlnlib.flow

    monkeypatch.setattr(dlnlib.flow, "FINITE_LIMIT", 1e2)
    path = gradient_flow(three_coordinates, 1e-10, 30.0)
    assert not path.success and "range float64 can represent" in path.message
    assert np.all(np.isfinite(path.beta))
