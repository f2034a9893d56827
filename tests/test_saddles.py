"""Tests of Algorithm 1 (``dlnlib.saddle_to_saddle``).

Oracles: the book's 3-coordinate example in exact fractions (and two independent copies of it,
for ties); the orthogonal design (hard thresholding); a linear program for the last saddle;
scikit-learn's LARS-lasso path for the time average; invariants (dual in the cube, strictly
decreasing loss, criticality, subgradient) over random problems with hypothesis.
"""

import dataclasses
import warnings
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.optimize import linprog, nnls
from sklearn.linear_model import lars_path

import dlnlib
from dlnlib import GeneralPositionError, GeneralPositionWarning, Problem, saddle_to_saddle

# The exact path of the 3-coordinate example, worked out by hand (DESIGN.md and the book).
EXACT_TIMES = [Fraction(0), Fraction(4), Fraction(13200, 1561), Fraction(17660, 1561), Fraction(20)]
EXACT_SADDLES = [
    [Fraction(0), Fraction(0), Fraction(0)],
    [Fraction(0), Fraction(0), Fraction(-15, 94)],
    [Fraction(0), Fraction(19, 2), Fraction(0)],
    [Fraction(0), Fraction(223, 14), Fraction(6, 7)],
    [Fraction(15, 11), Fraction(2663, 154), Fraction(87, 77)],
]
EXACT_X = [[Fraction("0.1"), Fraction("0.2"), Fraction("-1.5")], [Fraction("-0.5"), 0, Fraction("1.4")],
           [Fraction("0.3"), 0, Fraction("0.7")]]  # fmt: skip
EXACT_Y = [Fraction("1.9"), Fraction("0.9"), Fraction("1.2")]

#: Round-off on problems of size ~10 with Gaussian data: saddles come from a Cholesky factor
#: of X_P^T X_P, whose error grows like cond(X_P)^2 * 1e-16; random small designs can have
#: cond ~ 1e3, hence 1e-8 rather than 1e-12.
RANDOM_ATOL = 1e-8


def exact_gradient(beta):
    """grad L(beta) = X^T (X beta - y) / n in exact rational arithmetic."""
    residual = [sum(x * b for x, b in zip(row, beta)) - yi for row, yi in zip(EXACT_X, EXACT_Y)]
    return [sum(EXACT_X[i][j] * residual[i] for i in range(3)) / 3 for j in range(3)]


def exact_duals():
    """s_k from s_0 = 0 and s_{k+1} = s_k - (t_{k+1} - t_k) grad L(beta_k), exactly."""
    duals = [[Fraction(0)] * 3]
    for k in range(len(EXACT_TIMES) - 1):
        g = exact_gradient(EXACT_SADDLES[k])
        duals.append([s - (EXACT_TIMES[k + 1] - EXACT_TIMES[k]) * gi for s, gi in zip(duals[-1], g)])
    return duals


def gaussian_problem(n, d, seed):
    rng = np.random.default_rng(seed)
    return Problem(rng.standard_normal((n, d)), rng.standard_normal(n))


def min_l1_by_lp(problem):
    """argmin ||beta||_1 over argmin L, as the LP min 1^T(u+v) s.t. X(u-v) = X beta_ls, u, v >= 0."""
    X, y = np.array(problem.X), np.array(problem.y)
    d = X.shape[1]
    fitted = X @ np.linalg.lstsq(X, y, rcond=None)[0]
    result = linprog(np.ones(2 * d), A_eq=np.hstack([X, -X]), b_eq=fitted, bounds=(0, None), method="highs")
    assert result.success, result.message
    return result.x[:d] - result.x[d:]


def lasso_from_lars(problem, lams):
    """Lasso solutions at penalties ``lams`` by interpolating scikit-learn's LARS-lasso knots."""
    alphas, _, coefs = lars_path(np.array(problem.X), np.array(problem.y), method="lasso")
    # alphas decrease; np.interp needs increasing abscissae
    return np.array([[np.interp(lam, alphas[::-1], coef[::-1]) for coef in coefs] for lam in lams]), alphas


def reference_algorithm_1(problem, max_jumps=100):
    """A slow, independent Algorithm 1: SciPy's NNLS from scratch at every jump.

    The boundary set is read off |s_i| >= 1 - 1e-9 here (fine for a reference on small
    random problems, where no two hits are that close).
    """
    X, y = np.array(problem.X), np.array(problem.y)
    n, d = X.shape
    t, beta, s = 0.0, np.zeros(d), np.zeros(d)
    times, saddles = [t], [beta]
    for _ in range(max_jumps):
        g = X.T @ (X @ beta - y) / n
        g[beta != 0] = 0.0
        g[np.abs(g) < 1e-9 * problem.lambda_max] = 0.0
        on_face = np.abs(s) >= 1 - 1e-9
        g[on_face & (np.sign(s) * g <= 0)] = 0.0  # stays on its face
        if not g.any():
            break
        moving = g != 0
        delta = np.min((1 + s[moving] * np.sign(g[moving])) / np.abs(g[moving]))
        t, s = t + delta, np.clip(s - delta * g, -1, 1)
        active = np.flatnonzero(np.abs(s) >= 1 - 1e-9)
        signs = np.sign(s[active])
        z, _ = nnls(X[:, active] * signs, y)
        beta = np.zeros(d)
        beta[active] = signs * z
        times.append(t)
        saddles.append(beta)
    return np.array(times), np.array(saddles)


def two_copies_of_three_coordinates():
    """Block-diagonal design with the 3-coordinate example twice: every event happens in pairs."""
    base = dlnlib.three_coordinate_example()
    X = np.zeros((6, 6))
    X[:3, :3] = X[3:, 3:] = base.X
    return Problem(X, np.concatenate([base.y, base.y]))


# ---------------------------------------------------------------------------------------
# Closed forms
# ---------------------------------------------------------------------------------------


def test_three_coordinate_example_matches_the_exact_path(three_coordinates):
    path = saddle_to_saddle(three_coordinates)
    assert path.success and path.n_jumps == 4
    np.testing.assert_allclose(path.times, [float(t) for t in EXACT_TIMES], rtol=1e-13)
    np.testing.assert_allclose(path.saddles, np.array(EXACT_SADDLES, dtype=float), rtol=1e-12, atol=1e-13)
    np.testing.assert_allclose(path.duals, np.array(exact_duals(), dtype=float), atol=1e-13)
    assert [e.tolist() for e in path.entered] == [[2], [1], [2], [0]]
    assert [e.tolist() for e in path.left] == [[], [2], [], []]
    # coordinate 3 returns with the other sign
    assert path.saddles[1, 2] < 0 < path.saddles[3, 2]


def test_boundary_duals_are_exactly_plus_or_minus_one(three_coordinates):
    path = saddle_to_saddle(three_coordinates)
    exact = exact_duals()
    for k in range(path.n_jumps + 1):
        on_boundary = [abs(s) == 1 for s in exact[k]]
        # symbolic boundary: stored as exactly +-1, not 1 - 1e-16
        assert np.all(np.abs(path.duals[k][on_boundary]) == 1.0)


def test_two_copies_give_simultaneous_enter_leave_and_reentry():
    path = saddle_to_saddle(two_copies_of_three_coordinates())
    # each block sees half the gradient (n doubles), so every time doubles; saddles repeat
    np.testing.assert_allclose(path.times, [2 * float(t) for t in EXACT_TIMES], rtol=1e-12)
    expected = np.array([row + row for row in EXACT_SADDLES], dtype=float)
    np.testing.assert_allclose(path.saddles, expected, rtol=1e-12, atol=1e-13)
    assert [e.tolist() for e in path.entered] == [[2, 5], [1, 4], [2, 5], [0, 3]]
    assert [e.tolist() for e in path.left] == [[], [2, 5], [], []]


@pytest.mark.parametrize("seed", range(4))
def test_orthogonal_design_gives_hard_thresholding(seed):
    problem = dlnlib.orthogonal_design(30, 6, noise=0.3, random_state=seed)
    beta_hat = np.array(problem.X.T @ problem.y / problem.n_samples)
    path = saddle_to_saddle(problem)
    # coordinate i enters at 1 / |beta_hat_i| and never leaves
    np.testing.assert_allclose(path.times[1:], np.sort(1 / np.abs(beta_hat)), rtol=1e-10)
    order = np.argsort(-np.abs(beta_hat))
    assert [e.tolist() for e in path.entered] == [[i] for i in order]
    assert all(left.size == 0 for left in path.left)
    for t_k, saddle in zip(path.times, path.saddles):
        hard = np.where(np.abs(beta_hat) * t_k >= 1 - 1e-12, beta_hat, 0.0)
        np.testing.assert_allclose(saddle, hard, atol=1e-12)


def test_ties_in_an_orthogonal_design():
    # X^T X / n = I with |beta_hat| equal on three coordinates: they hit together
    X = np.eye(4) * 2.0
    y = np.array([1.0, -1.0, 1.0, 0.5])
    path = saddle_to_saddle(Problem(X, y))
    beta_hat = X.T @ y / 4
    assert [e.tolist() for e in path.entered] == [[0, 1, 2], [3]]
    np.testing.assert_allclose(path.times, [0, 1 / 0.5, 1 / 0.25])
    np.testing.assert_allclose(beta_hat, [0.5, -0.5, 0.5, 0.25])
    np.testing.assert_allclose(path.saddles, [[0, 0, 0, 0], [0.5, -0.5, 0.5, 0], beta_hat], atol=1e-15)


@pytest.mark.parametrize("shape", [(3, 3), (6, 15), (10, 30)])
def test_support_gradients_are_zero_without_any_tolerance(shape):
    # With gradient_rtol ~ 0 only the symbolic rule (grad_i L = 0 on the support; the path ends
    # once the support has n columns) keeps ~1e-16 round-off from making spurious tiny steps.
    problem = gaussian_problem(*shape, seed=1) if shape != (3, 3) else dlnlib.three_coordinate_example()
    path = saddle_to_saddle(problem)
    strict = saddle_to_saddle(problem, gradient_rtol=1e-300)
    assert strict.success
    np.testing.assert_array_equal(strict.times, path.times)
    np.testing.assert_array_equal(strict.saddles, path.saddles)


@pytest.mark.parametrize("shape", [(10, 30), (30, 10), (20, 20)])
@pytest.mark.parametrize("seed", range(3))
def test_first_jump_time_is_inverse_lambda_max(shape, seed):
    problem = gaussian_problem(*shape, seed)
    path = saddle_to_saddle(problem)
    assert path.times[1] == pytest.approx(1 / problem.lambda_max, rel=1e-13)
    first = np.argmax(np.abs(problem.X.T @ problem.y))
    assert path.entered[0].tolist() == [first]


# ---------------------------------------------------------------------------------------
# Invariants over random problems
# ---------------------------------------------------------------------------------------

shapes = st.tuples(st.integers(2, 10), st.integers(2, 14))


def _check_invariants(problem, path):
    n, d = problem.X.shape
    assert path.success, path.message
    assert path.times[0] == 0 and np.all(np.diff(path.times) > 0)
    assert np.all(path.saddles[0] == 0) and np.all(path.duals[0] == 0)
    # strictly decreasing losses, and they are the losses of the saddles
    assert np.all(np.diff(path.losses) < 0)
    np.testing.assert_allclose(path.losses, problem.loss(path.saddles), rtol=1e-9, atol=1e-14)
    scale = problem.lambda_max
    for saddle, dual in zip(path.saddles, path.duals):
        support = saddle != 0
        # critical point: grad_i L = 0 on the support
        np.testing.assert_allclose(problem.grad(saddle)[support], 0, atol=RANDOM_ATOL * scale)
        # s_k in the subdifferential of ||beta_k||_1
        assert np.all(np.abs(dual) <= 1 + 1e-12)
        assert np.all(dual[support] == np.sign(saddle[support]))
    # ||s(t)||_inf <= 1 between knots, not only at them
    grid = np.linspace(0, 1.3 * path.times[-1], 400)
    assert np.max(np.abs(path.dual_at(grid))) <= 1 + 1e-9
    # s(t) = -int_0^t grad L(beta°), recomputed from the saddles with problem.grad
    gradients = problem.grad(path.saddles)
    widths = np.diff(np.append(path.times, np.inf))
    for t in grid[1::37]:
        overlap = np.clip(t - path.times, 0, widths)
        np.testing.assert_allclose(path.dual_at(t), -overlap @ gradients, atol=1e-7 * (1 + t * scale))
    # the last saddle minimises L
    assert path.losses[-1] == pytest.approx(problem.min_loss, rel=1e-7, abs=1e-10 * path.losses[0])


@settings(max_examples=60, deadline=None)
@given(shape=shapes, seed=st.integers(0, 2**32 - 1))
def test_invariants_on_random_problems(shape, seed):
    problem = gaussian_problem(*shape, seed)
    _check_invariants(problem, saddle_to_saddle(problem))


@settings(max_examples=15, deadline=None)
@given(shape=shapes, k=st.integers(1, 3), seed=st.integers(0, 2**32 - 1))
def test_invariants_on_sparse_regression(shape, k, seed):
    n, d = shape
    problem = dlnlib.sparse_regression(n, d, min(k, d), noise=0.1, random_state=seed)
    _check_invariants(problem, saddle_to_saddle(problem))


@pytest.mark.parametrize("shape", [(5, 8), (8, 5), (10, 25)])
def test_agrees_with_a_from_scratch_nnls_implementation(shape):
    compared_leaves = 0
    for seed in range(15):
        problem = gaussian_problem(*shape, seed)
        path = saddle_to_saddle(problem)
        times, saddles = reference_algorithm_1(problem)
        assert len(times) == len(path.times)
        np.testing.assert_allclose(path.times, times, rtol=1e-8)
        # NNLS from scratch and the updated Cholesky factor differ by round-off only
        np.testing.assert_allclose(path.saddles, saddles, atol=RANDOM_ATOL * (1 + np.abs(saddles).max()))
        compared_leaves += any(left.size for left in path.left)
    assert compared_leaves >= 2  # the comparison covered paths where coordinates leave


@settings(max_examples=25, deadline=None)
@given(shape=shapes, seed=st.integers(0, 2**32 - 1))
def test_last_saddle_is_the_minimum_l1_minimiser(shape, seed):
    problem = gaussian_problem(*shape, seed)
    path = saddle_to_saddle(problem)
    expected = min_l1_by_lp(problem)
    atol = 1e-6 * (1 + np.abs(expected).max())  # LP (HiGHS) tolerances are ~1e-7 relative
    np.testing.assert_allclose(path.saddles[-1], expected, atol=atol)
    np.testing.assert_allclose(path.saddles[-1], dlnlib.min_l1_solution(problem), atol=atol)


@settings(max_examples=25, deadline=None)
@given(shape=shapes, seed=st.integers(0, 2**32 - 1))
def test_time_average_identity(shape, seed):
    # grad L is affine, so -grad L(mean of beta°) = mean of -grad L(beta°) = s(t) / t, exactly
    problem = gaussian_problem(*shape, seed)
    path = saddle_to_saddle(problem)
    t = np.linspace(0, 1.5 * path.times[-1], 200)[1:]
    average = path.time_average(t)
    np.testing.assert_allclose(-problem.grad(average), path.dual_at(t) / t[:, None], atol=1e-9 * problem.lambda_max)


# ---------------------------------------------------------------------------------------
# The Lasso connection
# ---------------------------------------------------------------------------------------


def _paths_without_leaves(shape, seeds):
    for seed in seeds:
        problem = gaussian_problem(*shape, seed)
        path = saddle_to_saddle(problem)
        if all(left.size == 0 for left in path.left):
            yield problem, path


@pytest.mark.parametrize("shape", [(8, 20), (20, 8)])
def test_time_average_is_the_lasso_solution_when_nothing_leaves(shape):
    checked = 0
    for problem, path in _paths_without_leaves(shape, range(30)):
        t = np.geomspace(0.5 * path.times[1], 2 * path.times[-1], 60)
        lasso, alphas = lasso_from_lars(problem, 1 / t)
        np.testing.assert_allclose(path.time_average(t), lasso, atol=1e-8 * (1 + np.abs(lasso).max()))
        # the Lasso knots are the jump times: lambda_k = 1 / t_k (LARS adds lambda = 0 at the end)
        np.testing.assert_allclose(1 / path.times[1:], alphas[:-1], rtol=1e-9)
        checked += 1
    assert checked >= 3  # enough problems where no coordinate leaves


def test_time_average_leaves_the_lasso_path_after_a_coordinate_leaves(three_coordinates):
    path = saddle_to_saddle(three_coordinates)
    t1, t2, t3 = path.times[1:4]
    before = np.linspace(t1, t2, 7)[1:-1]
    after = np.linspace(t2, t3, 7)[1:-1]
    lasso_before, _ = lasso_from_lars(three_coordinates, 1 / before)
    lasso_after, _ = lasso_from_lars(three_coordinates, 1 / after)
    np.testing.assert_allclose(path.time_average(before), lasso_before, atol=1e-10)
    gap = np.linalg.norm(path.time_average(after) - lasso_after, axis=1)
    # after t2 coordinate 3 has left (s_3 moves inside) while its time average is still < 0,
    # so s(t) is no longer a subgradient at the average: a real mismatch, not round-off
    assert np.all(gap > 1e-3)


def test_coordinates_leave_on_a_sizeable_fraction_of_small_problems():
    seeds = range(200)
    leaves = [any(left.size for left in saddle_to_saddle(gaussian_problem(5, 8, seed)).left) for seed in seeds]
    # DESIGN.md: about 40% of small random problems
    assert 0.15 <= np.mean(leaves) <= 0.70


# ---------------------------------------------------------------------------------------
# Tolerances relative to round-off, ill-conditioning, extreme magnitudes, research sizes
# ---------------------------------------------------------------------------------------


def polynomial_features(degree, n=20):
    x = np.linspace(0, 1, n)
    return Problem(np.vander(x, degree, increasing=True)[:, 1:], np.sin(3 * x))


def test_polynomial_features_reach_least_squares():
    # cond(X) ~ 5e5: real gradients of 3e-10 (relative) used to be zeroed as round-off, and the
    # path stopped after 16 jumps, 3.6% away from least squares, reporting success.
    problem = polynomial_features(9)
    path = saddle_to_saddle(problem)
    least_squares = np.linalg.lstsq(problem.X, problem.y, rcond=None)[0]
    assert path.success
    np.testing.assert_allclose(path.saddles[-1], least_squares, rtol=1e-8)
    _check_invariants(problem, path)


@pytest.mark.parametrize("degree", [6, 9, 11])
def test_success_means_a_critical_point_to_working_precision(degree):
    # On designs up to cond(X) ~ 2e7, a path reported as successful ends where every gradient
    # entry is at the round-off of its computation (eps sqrt(n) |X_i| |y| / n, times a small factor).
    problem = polynomial_features(degree, n=40)
    path = saddle_to_saddle(problem)
    assert path.success
    n = problem.n_samples
    roundoff = np.finfo(float).eps * np.sqrt(n) * np.linalg.norm(problem.X, axis=0) * np.linalg.norm(problem.y) / n
    assert np.all(np.abs(problem.grad(path.saddles[-1])) <= 100 * roundoff)


@pytest.mark.parametrize("seed", [61, 0, 1, 2, 3])
def test_noiseless_data_end_on_the_exact_support(seed):
    # With y in the span of a few columns, the last least-squares fit gives the other support
    # coordinates a value that is zero in exact arithmetic and ~1e-17 in floating point: it must
    # be an exact zero, and the coordinate listed as leaving (seed 61 kept two such entries).
    problem = dlnlib.sparse_regression(10, 20, 3, noise=0.0, random_state=seed)
    path = saddle_to_saddle(problem)
    expected = min_l1_by_lp(problem)
    assert path.success
    np.testing.assert_array_equal(path.saddles[-1] != 0, np.abs(expected) > 1e-9)
    np.testing.assert_allclose(path.saddles[-1], expected, atol=1e-9)
    left_last = set(path.left[-1].tolist())
    assert left_last == set(np.flatnonzero(path.saddles[-2])) - set(np.flatnonzero(path.saddles[-1]))


def test_nearly_collinear_columns_are_named_as_such():
    rng = np.random.default_rng(0)
    X = rng.standard_normal((30, 5))
    X[:, 4] = X[:, 0] + 1e-9 * rng.standard_normal(30)
    y = X[:, 0] + X[:, 4] + 0.1 * rng.standard_normal(30)
    with pytest.raises(GeneralPositionError, match=r"angle of [0-9.e-]+ rad.*ill-conditioned"):
        saddle_to_saddle(Problem(X, y))


@pytest.mark.parametrize(
    "x_scale, y_scale", [(1e-150, 1e-100), (1e150, 1.0), (1.0, 1e140), (1e100, 1e-120), (1e-20, 1e30)]
)
def test_scaling_the_data_rescales_the_path_exactly(three_coordinates, x_scale, y_scale):
    # For (a X, b y): saddles b / a times, jump times 1 / (a b) times, duals unchanged.
    scaled = Problem(x_scale * np.array(three_coordinates.X), y_scale * np.array(three_coordinates.y))
    reference, path = saddle_to_saddle(three_coordinates), saddle_to_saddle(scaled)
    np.testing.assert_allclose(path.times * x_scale * y_scale, reference.times, rtol=1e-12)
    np.testing.assert_allclose(path.saddles * x_scale / y_scale, reference.saddles, rtol=1e-12, atol=1e-14)
    np.testing.assert_allclose(path.duals, reference.duals, atol=1e-13)
    assert [e.tolist() for e in path.entered] == [e.tolist() for e in reference.entered]


def test_extreme_magnitudes():
    # One sample, columns 1e155 and 1: Algorithm 1 ends at the minimum-l1 interpolator (1e-155, 0);
    # squared column norms (1e310) overflow, which used to zero the first gradient and return (0, 1).
    path = saddle_to_saddle(Problem([[1e155, 1.0]], [1.0]))
    assert path.success
    np.testing.assert_allclose(path.saddles[-1], [1e-155, 0.0], rtol=1e-14)
    np.testing.assert_allclose(path.times[1], 1e-155, rtol=1e-14)  # 1 / lambda_max
    example = dlnlib.three_coordinate_example()
    # X and y at 1e160: jump times of order 1e-320 are below float64's normal range: a clear error
    with pytest.raises(ValueError, match="jump times.*not representable"):
        saddle_to_saddle(Problem(1e160 * np.array(example.X), 1e160 * np.array(example.y)))
    # y at 1e160 alone: losses overflow (a warning), times and saddles are exact
    with pytest.warns(dlnlib.PrecisionWarning, match="losses"):
        path = saddle_to_saddle(Problem(example.X, 1e160 * np.array(example.y)))
    np.testing.assert_allclose(path.times * 1e160, saddle_to_saddle(example).times, rtol=1e-12)


@pytest.fixture
def screening(monkeypatch):
    """Set the working-set size of Algorithm 1's screening: (per sample, fraction of d); None turns it off."""

    def set_size(per_sample, fraction=0.0):
        monkeypatch.setattr(dlnlib.saddles, "_SCREEN_PER_SAMPLE", 10**9 if per_sample is None else per_sample)
        monkeypatch.setattr(dlnlib.saddles, "_SCREEN_FRACTION", fraction)
        monkeypatch.setattr(dlnlib.saddles, "_SCREEN_MIN_ENTRIES", 0)

    return set_size


@pytest.mark.parametrize("n, d, per_sample", [(20, 300, 1), (20, 300, 3), (100, 2000, 2), (200, 5000, 2)])
@pytest.mark.parametrize("seed", range(3))
def test_screening_gives_the_same_path(screening, n, d, per_sample, seed):
    # Screened jumps compute X_W^T r only and skip coordinates that provably cannot reach the
    # boundary; the path, duals included (brought up to date at the end), is the unscreened one.
    # (On plateaus of length ~1e7, as at the end of noisy paths with d >> n, the two can differ
    # by a gradient below round-off times that length: screened-out duals integrate it exactly.)
    problem = dlnlib.sparse_regression(n, d, 5, noise=0.1, random_state=seed)
    screening(None)
    full = saddle_to_saddle(problem)
    screening(per_sample)
    screened = saddle_to_saddle(problem)
    assert screened.success and full.success and screened.n_jumps == full.n_jumps
    np.testing.assert_allclose(screened.times, full.times, rtol=1e-10)
    np.testing.assert_allclose(screened.saddles, full.saddles, atol=1e-12 * np.abs(full.saddles).max())
    np.testing.assert_allclose(screened.duals, full.duals, atol=1e-11)
    assert all(np.array_equal(a, b) for a, b in zip(screened.entered, full.entered))
    assert all(np.array_equal(a, b) for a, b in zip(screened.left, full.left))


@pytest.mark.slow
@pytest.mark.parametrize("n, d", [(100, 1000), (200, 2000), (200, 100)])
@pytest.mark.parametrize("seed", range(2))
def test_research_sizes_end_at_the_minimum_l1_point(n, d, seed):
    problem = dlnlib.sparse_regression(n, d, max(1, min(n, d) // 10), noise=0.1, random_state=seed)
    path = saddle_to_saddle(problem)
    assert path.success
    # the minimum-l1 point of argmin L is where the Lasso path ends: scikit-learn's LARS as the oracle
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # LARS may warn about degenerate regressors near the end
        expected = lars_path(np.array(problem.X), np.array(problem.y), method="lasso", max_iter=20 * (n + d))[2][:, -1]
    np.testing.assert_allclose(path.saddles[-1], expected, atol=1e-8 * (1 + np.abs(expected).max()))
    assert np.all(np.diff(path.losses) < 0)
    assert np.max(np.abs(path.duals)) <= 1.0


# ---------------------------------------------------------------------------------------
# Dense output and the result object
# ---------------------------------------------------------------------------------------


def test_dense_output_shapes_and_right_continuity(three_coordinates):
    path = saddle_to_saddle(three_coordinates)
    t = np.array(path.times)
    assert path.beta_at(5.0).shape == (3,)
    assert path.beta_at(t).shape == (5, 3)
    np.testing.assert_array_equal(path.beta_at(t), path.saddles)  # right-continuous at knots
    np.testing.assert_array_equal(path.beta_at(t[1:] - 1e-9), path.saddles[:-1])
    np.testing.assert_array_equal(path.beta_at(1e6), path.saddles[-1])
    np.testing.assert_allclose(path.dual_at(t), path.duals)
    # the dual's slopes are the exact gradients at the saddles (zero on the support), then 0
    slopes = np.array([exact_gradient(beta) for beta in EXACT_SADDLES[:-1]], dtype=float)
    np.testing.assert_allclose(path.gradients[:-1], slopes, atol=1e-13)
    assert np.all(path.gradients[-1] == 0) and np.all(path.gradients[1:, 2][[0, 2]] == 0)
    np.testing.assert_allclose(path.dual_at(t[:-1] + 0.5), path.duals[:-1] - 0.5 * slopes, atol=1e-13)
    assert path.time_average(0.0).tolist() == [0.0, 0.0, 0.0]
    np.testing.assert_allclose(path.time_average(6.0), (6.0 - 4.0) / 6.0 * path.saddles[1])


def test_result_is_frozen_and_read_only(three_coordinates):
    path = saddle_to_saddle(three_coordinates)
    with pytest.raises(dataclasses.FrozenInstanceError):
        path.times = None
    for array in (path.times, path.saddles, path.duals, path.gradients, path.losses, *path.entered, *path.left):
        assert not array.flags.writeable
    assert path.n_iter == 4 and path.n_solves >= 4


# ---------------------------------------------------------------------------------------
# Degenerate data and bad input
# ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("shape", [(5, 3), (3, 5)])
def test_zero_target_means_no_jump(shape):
    path = saddle_to_saddle(Problem(np.ones(shape), np.zeros(shape[0])))
    assert path.success and path.n_jumps == 0 and "no jump" in path.message
    assert path.times.tolist() == [0.0]
    np.testing.assert_array_equal(path.beta_at([0.0, 7.0]), np.zeros((2, shape[1])))
    np.testing.assert_array_equal(path.time_average(3.0), np.zeros(shape[1]))


def test_zero_column_never_enters_and_changes_nothing():
    problem = gaussian_problem(6, 5, seed=3)
    X = np.insert(np.array(problem.X), 2, 0.0, axis=1)
    path = saddle_to_saddle(Problem(X, problem.y))
    reference = saddle_to_saddle(problem)
    assert np.all(path.saddles[:, 2] == 0)
    np.testing.assert_allclose(path.times, reference.times, rtol=1e-12)
    np.testing.assert_allclose(np.delete(path.saddles, 2, axis=1), reference.saddles, atol=1e-12)


@pytest.mark.parametrize("sign", [1.0, -1.0])
def test_duplicate_columns_warn_and_terminate(sign):
    problem = gaussian_problem(8, 4, seed=0)
    first = np.argmax(np.abs(problem.X.T @ problem.y))  # the duplicate is of the first to enter
    X = np.column_stack([problem.X, sign * problem.X[:, first]])
    with pytest.warns(GeneralPositionWarning, match="general position"):
        path = saddle_to_saddle(Problem(X, problem.y))
    assert "general position" in path.message
    assert path.n_iter <= 20
    # the fit is still right: one of the valid paths, reaching argmin L
    assert path.losses[-1] == pytest.approx(problem.min_loss, rel=1e-9)
    # and both copies hit the boundary at the first jump
    assert path.entered[0].size == 1 and np.all(np.abs(path.duals[1][[first, 4]]) == 1)


def test_affinely_dependent_columns_are_detected():
    # column 4 is the midpoint of columns 0 and 1: the l1 minimiser is not unique
    rng = np.random.default_rng(0)
    X = rng.standard_normal((6, 4))
    X = np.column_stack([X, 0.5 * (X[:, 0] + X[:, 1])])
    y = X[:, 0] + X[:, 1] + 0.1 * rng.standard_normal(6)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            saddle_to_saddle(Problem(X, y))
        except GeneralPositionError:
            return
    assert any(issubclass(w.category, GeneralPositionWarning) for w in caught)


def test_max_iter_stops_with_a_message(three_coordinates):
    path = saddle_to_saddle(three_coordinates, max_iter=2)
    assert not path.success and "max_iter" in path.message
    assert path.n_jumps == 2 and path.n_iter == 2
    np.testing.assert_allclose(path.times, [float(t) for t in EXACT_TIMES[:3]])
    np.testing.assert_array_equal(path.beta_at(8.0), path.saddles[1])
    with pytest.raises(ValueError, match="max_iter"):
        path.beta_at(100.0)


def test_bad_input(three_coordinates):
    with pytest.raises(ValueError, match="problem"):
        saddle_to_saddle(np.eye(3))
    for bad in (0, -1, 2.5, True):
        with pytest.raises(ValueError, match="max_iter"):
            saddle_to_saddle(three_coordinates, max_iter=bad)
    for bad in (0.0, -1e-3, 2.0):
        with pytest.raises(ValueError, match="gradient_rtol"):
            saddle_to_saddle(three_coordinates, gradient_rtol=bad)
    path = saddle_to_saddle(three_coordinates)
    for method in (path.beta_at, path.dual_at, path.time_average):
        with pytest.raises(ValueError, match="non-negative"):
            method(-1.0)
        with pytest.raises(ValueError, match="finite"):
            method(np.nan)
        with pytest.raises(ValueError, match="1-D"):
            method([[1.0]])


def test_queries_in_any_order(three_coordinates):
    path = saddle_to_saddle(three_coordinates)
    times = np.array([15.0, 2.0, 9.0, 4.0, 30.0, 0.0])
    order = np.argsort(times)
    for method in (path.beta_at, path.dual_at, path.time_average):
        np.testing.assert_array_equal(method(times)[order], method(times[order]))
