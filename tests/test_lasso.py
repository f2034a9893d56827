"""Tests of the Lasso homotopy and the minimum-l1 solution.

Oracles: scikit-learn's ``lars_path`` (independent implementation), soft thresholding on an
orthogonal design and the hand-computed three-coordinate path (closed forms), a brute-force
enumeration of supports (independent computation of the minimum-l1 point), and the Lasso KKT
conditions at every lambda (invariant).
"""

import itertools
import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.linear_model import lars_path

import dlnlib
from dlnlib import ConvergenceWarning, GeneralPositionWarning, Problem, lasso_path, min_l1_solution

# Both codes solve the same small linear systems in a different order: agreement to about
# 1e-9 relative is rounding, not an approximation.
SKLEARN_RTOL = 1e-8


def random_problem(seed, n, d, noise=0.5):
    """A noisy sparse regression; general position holds almost surely."""
    return dlnlib.sparse_regression(n, d, max(1, min(n, d) // 2), noise=noise, random_state=seed)


def assert_lasso_kkt(problem, beta, lam, atol):
    """KKT of min L + lam |beta|_1: |grad L| <= lam, and -grad L_i = lam sign(beta_i) on the support."""
    correlations = -problem.grad(beta)
    assert np.max(np.abs(correlations)) <= lam + atol
    support = np.abs(beta) > 0
    np.testing.assert_allclose(correlations[support], lam * np.sign(beta[support]), atol=atol)


shapes = st.tuples(st.integers(0, 10**6), st.integers(2, 14), st.integers(2, 14))


# ---------------------------------------------------------------------------------------------
# lasso_path against scikit-learn


@settings(max_examples=60, deadline=None)
@given(shapes)
def test_lasso_path_equals_sklearn_lars_path(shape):
    seed, n, d = shape
    problem = random_problem(seed, n, d)
    path = lasso_path(problem)
    alphas, _, coefs = lars_path(problem.X, problem.y, method="lasso")
    assert path.success and path.lambdas[-1] == 0.0
    scale = np.max(np.abs(coefs))
    # LARS solves with a Cholesky factor of X_A^T X_A, whose error grows like cond(X)^2 eps: small
    # random designs reach cond(X) ~ 1e5 (seed 7517, n = d = 2: sklearn off by 8e-7, while dlnlib
    # matches np.linalg.lstsq to 1e-10), so the tolerance follows the conditioning.
    rtol = max(SKLEARN_RTOL, 10 * np.linalg.cond(problem.X) ** 2 * np.finfo(float).eps)
    # sklearn ends n < d paths at alpha ~ 1e-16 instead of exactly 0, and stops early (at some
    # alpha > 0) once all features are active; compare the knots it computed.
    if alphas[-1] > SKLEARN_RTOL * alphas[0]:
        assert len(alphas) < len(path.lambdas)
        path_lambdas, path_coefs = path.lambdas[: len(alphas)], path.coefs[: len(alphas)]
    else:
        path_lambdas, path_coefs = path.lambdas, path.coefs
    np.testing.assert_allclose(path_lambdas, alphas, rtol=rtol, atol=rtol * path.lambdas[0])
    np.testing.assert_allclose(path_coefs, coefs.T, rtol=rtol, atol=rtol * scale)
    # Dense output: our interpolation against sklearn's knots interpolated independently.
    lams = np.linspace(alphas[-1], 1.2 * alphas[0], 97)
    expected = np.stack([np.interp(lams, alphas[::-1], coefs[i, ::-1]) for i in range(d)], axis=-1)
    np.testing.assert_allclose(path.coef_at(lams), expected, rtol=rtol, atol=rtol * scale)


@pytest.mark.parametrize("n, d", [(30, 100), (100, 20)])
def test_lasso_path_equals_sklearn_on_larger_problems(n, d):
    problem = random_problem(7, n, d, noise=0.2)
    path = lasso_path(problem)
    alphas, _, coefs = lars_path(problem.X, problem.y, method="lasso")
    np.testing.assert_allclose(path.lambdas, alphas, rtol=1e-7, atol=1e-7 * path.lambdas[0])
    np.testing.assert_allclose(path.coefs, coefs.T, rtol=1e-7, atol=1e-7 * np.max(np.abs(coefs)))


def kkt_violation(problem, beta, lam):
    """max_j |c_j| - lam and the largest gap |c_j - lam sign(beta_j)| on the support, relative to lambda_max."""
    correlations = -problem.grad(beta)
    support = beta != 0
    off = np.max(np.abs(correlations)) - lam
    on = np.max(np.abs(correlations[support] - lam * np.sign(beta[support])), initial=0.0)
    return max(off, on) / problem.lambda_max


def lars_knots(problem):
    """scikit-learn's LARS-lasso knots and coefficients (an independent implementation)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # it may warn about degenerate regressors at the end of a path
        n, d = problem.X.shape
        alphas, _, coefs = lars_path(np.array(problem.X), np.array(problem.y), method="lasso", max_iter=20 * (n + d))
    return alphas, coefs.T


# Sizes people use: n up to 200, d up to 10 n, and n >= d; with and without noise. The two
# implementations agree to round-off: knots to 1e-11 lambda_max (measured: up to 2e-12; a knot is
# the ratio of small correlations late in a path, so its error is absolute, and both codes satisfy
# KKT at their own knots to 1e-15), coefficients to 1e-9 of the largest (measured: below 1e-10).
RESEARCH_SIZES = [(60, 600), (100, 1000), (200, 2000), (50, 500), (200, 100), (100, 60)]


@pytest.mark.slow
@pytest.mark.parametrize("n, d", RESEARCH_SIZES)
@pytest.mark.parametrize("noise", [0.0, 0.1])
@pytest.mark.parametrize("seed", range(3))
def test_lasso_path_equals_lars_at_research_sizes(n, d, noise, seed):
    problem = dlnlib.sparse_regression(n, d, max(1, min(n, d) // 10), noise=noise, random_state=seed)
    path = lasso_path(problem)
    alphas, coefs = lars_knots(problem)
    assert path.success
    # sklearn ends n < d paths at alpha ~ 1e-16 instead of exactly 0
    assert len(path.lambdas) == len(alphas) and path.lambdas[-1] == 0 and alphas[-1] < 1e-10 * alphas[0]
    np.testing.assert_allclose(path.lambdas[:-1], alphas[:-1], rtol=0, atol=1e-11 * alphas[0])
    np.testing.assert_allclose(path.coefs, coefs, atol=1e-9 * np.abs(coefs).max())


@pytest.mark.parametrize("seed", [0, 2, 3])
def test_path_ends_when_the_active_set_spans_the_data(seed):
    # With n active columns (n < d) the path interpolates: no column can enter any more, however
    # small lambda is. This used to raise GeneralPositionError on about one seed in six at n >= 60
    # (seed 2 below is the reported one).
    problem = dlnlib.sparse_regression(60, 600, 3, noise=0.1, random_state=seed)
    path = lasso_path(problem)
    assert path.success and path.lambdas[-1] == 0
    np.testing.assert_allclose(problem.X @ path.coefs[-1], problem.y, atol=1e-10 * np.abs(problem.y).max())
    assert np.count_nonzero(path.coefs[-1]) <= problem.n_samples
    np.testing.assert_allclose(path.coefs[-1], min_l1_solution(problem), atol=1e-7)
    for lam, beta in zip(path.lambdas, path.coefs):
        assert kkt_violation(problem, beta, lam) < 1e-12


@pytest.mark.parametrize("n", [40, 80])
@pytest.mark.parametrize("seed", range(3))
def test_square_designs_end_at_least_squares(n, seed):
    # n = d: X is invertible but ill-conditioned (cond ~ 1e3 to 1e5), and LARS itself degrades at
    # the end of such paths (it stops early with 'degenerate regressors'), so the oracle here is
    # the KKT conditions at every knot and the exact solve at lambda = 0.
    problem = dlnlib.sparse_regression(n, n, n // 10, noise=0.1, random_state=seed)
    path = lasso_path(problem)
    assert path.success
    np.testing.assert_allclose(path.coefs[-1], np.linalg.solve(problem.X, problem.y), rtol=1e-8)
    for lam, beta in zip(path.lambdas, path.coefs):
        assert kkt_violation(problem, beta, lam) < 1e-12


# ---------------------------------------------------------------------------------------------
# closed forms


@pytest.mark.parametrize("seed", range(4))
def test_orthogonal_design_is_soft_thresholding(seed):
    problem = dlnlib.orthogonal_design(30, 6, noise=0.5, random_state=seed)
    beta_hat = problem.X.T @ problem.y / problem.n_samples
    path = lasso_path(problem)
    # Knots are the magnitudes |beta_hat_i| in decreasing order, then 0.
    np.testing.assert_allclose(path.lambdas, np.append(np.sort(np.abs(beta_hat))[::-1], 0.0), rtol=1e-12)
    for lam in np.linspace(0, 1.1 * problem.lambda_max, 41):
        soft = np.sign(beta_hat) * np.maximum(np.abs(beta_hat) - lam, 0.0)
        np.testing.assert_allclose(path.coef_at(lam), soft, atol=1e-12)


def test_three_coordinate_example_in_fractions(three_coordinates):
    # While no coordinate has left, the Lasso solution at lam = 1/t is the time average of the
    # saddle path (DESIGN.md): knots 1/4 and 1561/13200, and on the first segment
    # beta_3(lam) = (1 - 4 lam) (-15/94). The path ends at the least-squares fit.
    path = lasso_path(three_coordinates)
    np.testing.assert_allclose(path.lambdas[:2], [1 / 4, 1561 / 13200], rtol=1e-13)
    for lam in [0.2, 0.15, 1561 / 13200]:
        np.testing.assert_allclose(path.coef_at(lam), [0, 0, (1 - 4 * lam) * (-15 / 94)], atol=1e-13)
    np.testing.assert_allclose(path.coefs[-1], [15 / 11, 2663 / 154, 87 / 77], rtol=1e-12)
    # Coordinate 3 leaves, then comes back with the other sign: the active set is not monotone.
    assert path.active[:4] == ((2,), (2, 1), (1,), (1, 2))
    assert np.sign(path.coefs[1][2]) == -1 and np.sign(path.coefs[-1][2]) == 1


def test_three_coordinate_knots_are_exact(three_coordinates):
    # The knots 1/lambda = 4, 13200/1561, 65/7, 85/7, 20 (DESIGN.md), and at each knot the Lasso
    # solution from its KKT system solved in exact rational arithmetic: beta_A = G_AA^-1 (c_A -
    # lambda sigma_A) on the active set and signs the path reports, with G = X^T X / n, c = X^T y / n.
    from fractions import Fraction as F

    inverse_knots = [F(4), F(13200, 1561), F(65, 7), F(85, 7), F(20)]
    path = lasso_path(three_coordinates)
    np.testing.assert_allclose(path.lambdas, [float(1 / t) for t in inverse_knots] + [0.0], rtol=1e-13)
    X = [[F("0.1"), F("0.2"), F("-1.5")], [F("-0.5"), F(0), F("1.4")], [F("0.3"), F(0), F("0.7")]]
    y = [F("1.9"), F("0.9"), F("1.2")]
    G = [[sum(X[r][i] * X[r][j] for r in range(3)) / 3 for j in range(3)] for i in range(3)]
    c = [sum(X[r][i] * y[r] for r in range(3)) / 3 for i in range(3)]
    for k, lam in enumerate([1 / t for t in inverse_knots] + [F(0)]):
        if k == 0:
            continue
        active = list(path.active[k - 1])
        sigma = {j: F(int(np.sign(path.coefs[k - 1][j] + path.coefs[k][j]))) for j in active}
        exact = _solve_exact([[G[i][j] for j in active] for i in active], [c[i] - lam * sigma[i] for i in active])
        expected = [0.0] * 3
        for j, value in zip(active, exact):
            expected[j] = float(value)
        np.testing.assert_allclose(path.coefs[k], expected, atol=1e-13)
    # coordinate 3 (index 2) leaves at 1/lambda = 65/7 and comes back with the other sign at 85/7
    # (coefs[k] is the solution at lambdas[k]; active[k] the active set below it)
    assert path.coefs[1][2] < 0 and path.coefs[2][2] == 0 and path.coefs[3][2] == 0 and path.coefs[4][2] > 0
    assert path.active[2] == (1,) and 2 in path.active[3]


def _solve_exact(A, b):
    """Gaussian elimination in fractions."""
    m = len(b)
    rows = [list(A[i]) + [b[i]] for i in range(m)]
    for col in range(m):
        pivot = next(r for r in range(col, m) if rows[r][col] != 0)
        rows[col], rows[pivot] = rows[pivot], rows[col]
        for r in range(m):
            if r != col and rows[r][col] != 0:
                factor = rows[r][col] / rows[col][col]
                rows[r] = [x - factor * y for x, y in zip(rows[r], rows[col])]
    return [rows[i][m] / rows[i][i] for i in range(m)]


def test_two_copies_give_the_same_knots_with_every_event_tied(three_coordinates):
    # A block-diagonal design with the example twice: every event (enter, leave, re-enter with the
    # other sign) happens in both blocks at the same knot, and the path is the single one, twice.
    X = np.zeros((6, 6))
    X[:3, :3] = X[3:, 3:] = three_coordinates.X
    double = Problem(X, np.concatenate([three_coordinates.y, three_coordinates.y]))
    single, path = lasso_path(three_coordinates), lasso_path(double)
    # the loss of the double problem is (L1 + L2) / 2 with n = 6: penalties halve
    np.testing.assert_allclose(path.lambdas, single.lambdas / 2, rtol=1e-13)
    np.testing.assert_allclose(path.coefs, np.hstack([single.coefs, single.coefs]), atol=1e-13)


# ---------------------------------------------------------------------------------------------
# ties: a tied column enters only if the joint direction keeps its sign


def test_tied_columns_that_cannot_enter_together():
    # The reported case: both columns have |c| = 1 at lambda_max with sign -1, but the joint
    # direction G^-1 sigma = (0.5, -1) would move column 0 against its sign: only column 1 enters.
    # The Lasso solution at lambda = 0.5 is (0, -0.2) (by hand: on {1}, beta_1 = (c_1 - lam sigma_1)
    # / G_11 = (-1 + 0.5) / 2.5), and scikit-learn's coordinate descent agrees.
    from sklearn.linear_model import Lasso

    problem = Problem([[2.0, 2.0], [2.0, 1.0]], [-1.0, 0.0])
    path = lasso_path(problem)
    np.testing.assert_allclose(path.coef_at(0.5), [0.0, -0.2], atol=1e-14)
    assert path.active[0] == (1,)
    cd = Lasso(alpha=0.5, fit_intercept=False, tol=1e-14, max_iter=100_000).fit(problem.X, problem.y)
    np.testing.assert_allclose(path.coef_at(0.5), cd.coef_, atol=1e-10)


def tied_problem(seed, sign):
    """A Gaussian problem whose two largest correlations are made exactly tied (up to rounding)."""
    rng = np.random.default_rng(seed)
    n, d = 12, 6
    X = rng.standard_normal((n, d))
    y = rng.standard_normal(n)
    c = X.T @ y
    first, second = np.argsort(-np.abs(c))[:2]
    # move column `second` along y so that X_second^T y = sign * X_first^T y
    X[:, second] += (sign * c[first] - c[second]) / (y @ y) * y
    return Problem(X, y)


@pytest.mark.parametrize("seed", range(12))
@pytest.mark.parametrize("sign", [1.0, -1.0])
def test_exact_ties_at_lambda_max_follow_the_lasso(seed, sign):
    # Whatever the correlation of the tied columns, the path must stay a Lasso path: KKT at every
    # lambda, and the coordinate-descent solution (an independent algorithm) at several lambdas.
    from sklearn.linear_model import Lasso

    problem = tied_problem(seed, sign)
    path = lasso_path(problem)
    assert path.success
    for lam in problem.lambda_max * np.array([0.95, 0.8, 0.6, 0.4, 0.2]):
        beta = path.coef_at(lam)
        assert kkt_violation(problem, beta, lam) < 1e-12
        cd = Lasso(alpha=lam, fit_intercept=False, tol=1e-14, max_iter=1_000_000).fit(problem.X, problem.y)
        np.testing.assert_allclose(beta, cd.coef_, atol=1e-7)


# ---------------------------------------------------------------------------------------------
# tolerances relative to what round-off can produce, and extreme magnitudes


def polynomial_features(degree, n=20):
    x = np.linspace(0, 1, n)
    return Problem(np.vander(x, degree, increasing=True)[:, 1:], np.sin(3 * x))


def test_ill_conditioned_polynomial_features_are_followed_to_least_squares():
    # cond(X) ~ 5e5, so cond(X^T X) ~ 2e11: a cut-off on the Gram matrix refused this design as
    # "linearly dependent"; the factor of the columns themselves handles it.
    problem = polynomial_features(9)
    assert 1e5 < np.linalg.cond(problem.X) < 1e6
    path = lasso_path(problem)
    assert path.success
    least_squares = np.linalg.lstsq(problem.X, problem.y, rcond=None)[0]
    np.testing.assert_allclose(path.coefs[-1], least_squares, rtol=1e-8)
    for lam, beta in zip(path.lambdas, path.coefs):
        assert kkt_violation(problem, beta, lam) < 1e-12


def test_nearly_collinear_columns_are_named_as_such():
    # Two columns at an angle of 1e-9 rad: beyond double precision for the semi-normal equations.
    # The error names the columns and the angle, and does not blame duplicates.
    rng = np.random.default_rng(0)
    X = rng.standard_normal((30, 5))
    X[:, 4] = X[:, 0] + 1e-9 * rng.standard_normal(30)
    y = X[:, 0] + X[:, 4] + 0.1 * rng.standard_normal(30)
    with pytest.raises(dlnlib.GeneralPositionError, match=r"angle of [0-9.e-]+ rad.*ill-conditioned") as caught:
        lasso_path(Problem(X, y))
    assert "duplicat" not in str(caught.value).split("The data")[0]


@pytest.mark.parametrize(
    "x_scale, y_scale", [(1e-150, 1e-100), (1e150, 1.0), (1.0, 1e150), (1e100, 1e-120), (1e-20, 1e30)]
)
def test_scaling_the_data_rescales_the_path_exactly(three_coordinates, x_scale, y_scale):
    # L(beta) for (a X, b y) at beta b / a is b^2 L: the penalties scale by a b, the coefficients
    # by b / a. Computed on power-of-two-rescaled data, the knots agree to round-off.
    scaled = Problem(x_scale * np.array(three_coordinates.X), y_scale * np.array(three_coordinates.y))
    reference, path = lasso_path(three_coordinates), lasso_path(scaled)
    np.testing.assert_allclose(path.lambdas / (x_scale * y_scale), reference.lambdas, rtol=1e-12)
    np.testing.assert_allclose(path.coefs * x_scale / y_scale, reference.coefs, rtol=1e-12, atol=1e-14)


def test_extreme_column_is_handled_and_unrepresentable_scales_are_refused():
    # One sample, columns 1e155 and 1: the Lasso path ends at the minimum-l1 interpolator (1e-155, 0).
    path = lasso_path(Problem([[1e155, 1.0]], [1.0]))
    assert path.success
    np.testing.assert_allclose(path.coefs[-1], [1e-155, 0.0], rtol=1e-14)
    # Both X and y at 1e160: the penalties, of order max|X| max|y| = 1e320, overflow float64.
    example = dlnlib.three_coordinate_example()
    with pytest.raises(ValueError, match="penalties.*not representable"):
        lasso_path(Problem(1e160 * np.array(example.X), 1e160 * np.array(example.y)))


# ---------------------------------------------------------------------------------------------
# invariants


@settings(max_examples=40, deadline=None)
@given(shapes)
def test_kkt_holds_along_the_path(shape):
    seed, n, d = shape
    problem = random_problem(seed, n, d)
    path = lasso_path(problem)
    atol = 1e-10 * problem.lambda_max
    assert np.all(np.diff(path.lambdas) < 0)
    np.testing.assert_array_equal(path.coefs[0], 0.0)
    for lam in np.linspace(0, problem.lambda_max, 53)[1:]:
        assert_lasso_kkt(problem, path.coef_at(lam), lam, atol)


def test_coef_at_is_zero_above_lambda_max_and_exact_at_knots(rng):
    problem = random_problem(3, 8, 12)
    path = lasso_path(problem)
    np.testing.assert_array_equal(path.coef_at([problem.lambda_max, 2 * problem.lambda_max, 1e9]), 0.0)
    np.testing.assert_array_equal(path.coef_at(path.lambdas), path.coefs)
    assert path.coef_at(0.5 * problem.lambda_max).shape == (12,)
    assert path.n_iter == len(path.lambdas) - 1 == len(path.active)


def test_path_end_interpolates_when_n_smaller_than_d():
    problem = random_problem(11, 6, 20)
    path = lasso_path(problem)
    assert path.lambdas[-1] == 0.0
    np.testing.assert_allclose(problem.X @ path.coefs[-1], problem.y, atol=1e-12)
    assert np.count_nonzero(path.coefs[-1]) <= problem.n_samples


def test_path_end_is_least_squares_when_n_larger_than_d():
    problem = random_problem(12, 25, 6)
    path = lasso_path(problem)
    np.testing.assert_allclose(path.coefs[-1], np.linalg.lstsq(problem.X, problem.y, rcond=None)[0], rtol=1e-10)


def test_result_is_frozen_and_read_only():
    path = lasso_path(random_problem(0, 5, 7))
    with pytest.raises(ValueError):
        path.coefs[0, 0] = 1.0
    with pytest.raises(AttributeError):
        path.success = False


# ---------------------------------------------------------------------------------------------
# degenerate data


def test_y_orthogonal_to_columns_gives_zero_path():
    X = np.array([[1.0, 2.0], [1.0, 2.0], [0.0, 0.0]])
    problem = Problem(X, [1.0, -1.0, 0.0])
    path = lasso_path(problem)
    assert path.success
    np.testing.assert_array_equal(path.lambdas, [0.0])
    np.testing.assert_array_equal(path.coef_at([0.0, 1.0]), 0.0)
    np.testing.assert_array_equal(lasso_path(Problem(X, np.zeros(3))).coefs, [[0.0, 0.0]])


def test_tied_entries_enter_together():
    # Columns 0 and 1 have |c| = 1/3 exactly at lambda_max: one knot, both enter.
    X = np.array([[1.0, 0.0, 0.3], [0.0, 1.0, 0.2], [0.0, 0.0, 1.0]])
    problem = Problem(X, [1.0, -1.0, 0.5])
    path = lasso_path(problem)
    assert path.active[0] == (0, 1)
    for lam in np.linspace(0, problem.lambda_max, 31)[1:]:
        assert_lasso_kkt(problem, path.coef_at(lam), lam, 1e-12)
    np.testing.assert_allclose(path.coefs[-1], np.linalg.solve(X, problem.y), rtol=1e-12)


def test_duplicated_column_warns_and_stays_a_lasso_path(rng):
    X = rng.standard_normal((10, 4))
    problem = Problem(np.hstack([X, X[:, :1]]), rng.standard_normal(10))
    with pytest.warns(GeneralPositionWarning, match="linearly dependent"):
        path = lasso_path(problem)
    assert path.success
    for lam in np.linspace(0, problem.lambda_max, 23)[1:]:
        assert_lasso_kkt(problem, path.coef_at(lam), lam, 1e-10)
    # The Lasso solution is not unique, but its l1 norm is: compare with the LP's.
    np.testing.assert_allclose(np.abs(path.coefs[-1]).sum(), np.abs(min_l1_solution(problem)).sum(), rtol=1e-8)


def test_max_iter_guard_stops_and_says_so():
    problem = random_problem(5, 10, 10)
    with pytest.warns(ConvergenceWarning, match="max_iter"):
        path = lasso_path(problem, max_iter=2)
    assert not path.success and path.n_iter == 2 and len(path.lambdas) == 3
    assert "max_iter" in path.message
    with pytest.raises(ValueError, match="lam must be at least"):
        path.coef_at(0.0)


# ---------------------------------------------------------------------------------------------
# bad input


@pytest.mark.parametrize("bad", [0, -1, 2.5, True])
def test_bad_max_iter(bad):
    with pytest.raises(ValueError, match="max_iter"):
        lasso_path(random_problem(0, 4, 5), max_iter=bad)


@pytest.mark.parametrize("function", [lasso_path, min_l1_solution])
def test_not_a_problem(function):
    with pytest.raises(ValueError, match="problem must be a dlnlib.Problem"):
        function((np.eye(2), np.ones(2)))


@pytest.mark.parametrize("lam", [-1e-3, np.nan, [0.1, -0.1], [[0.1]]])
def test_bad_lam(lam):
    path = lasso_path(random_problem(0, 4, 5))
    with pytest.raises(ValueError, match="lam"):
        path.coef_at(lam)


# ---------------------------------------------------------------------------------------------
# min_l1_solution


def brute_force_min_l1(problem):
    """Enumerate supports of size <= rank: among exact minimisers of L on a support, the smallest l1.

    An optimal vertex of the LP has linearly independent active columns, so it is the unique
    least-squares solution on such a support that reaches the minimum loss.
    """
    X, y, d = problem.X, problem.y, problem.n_features
    rank = np.linalg.matrix_rank(X)
    best, best_norm = None, np.inf
    for size in range(rank + 1):
        for support in itertools.combinations(range(d), size):
            beta = np.zeros(d)
            if size:
                X_S = X[:, support]
                if np.linalg.matrix_rank(X_S) < size:
                    continue
                beta[list(support)] = np.linalg.lstsq(X_S, y, rcond=None)[0]
            if problem.loss(beta) <= problem.min_loss + 1e-12 and np.abs(beta).sum() < best_norm:
                best, best_norm = beta, np.abs(beta).sum()
    return best


@settings(max_examples=40, deadline=None)
@given(st.integers(0, 10**6), st.integers(1, 4), st.integers(2, 8))
def test_min_l1_equals_brute_force(seed, n, d):
    problem = random_problem(seed, n, d)
    np.testing.assert_allclose(min_l1_solution(problem), brute_force_min_l1(problem), atol=1e-9)


@settings(max_examples=30, deadline=None)
@given(shapes)
def test_min_l1_equals_end_of_lasso_path(shape):
    seed, n, d = shape
    problem = random_problem(seed, n, d)
    np.testing.assert_allclose(min_l1_solution(problem), lasso_path(problem).coefs[-1], atol=1e-9)


def test_min_l1_is_least_squares_for_full_column_rank():
    problem = random_problem(4, 30, 8)
    np.testing.assert_allclose(min_l1_solution(problem), np.linalg.lstsq(problem.X, problem.y, rcond=None)[0],
                               rtol=1e-9, atol=1e-12)


def test_min_l1_interpolates_when_n_smaller_than_d():
    problem = random_problem(8, 5, 40)
    beta = min_l1_solution(problem)
    np.testing.assert_allclose(problem.X @ beta, problem.y, atol=1e-10)
    assert np.count_nonzero(np.abs(beta) > 1e-12) <= problem.n_samples


def test_min_l1_with_duplicated_rows(rng):
    # Rank 3 < n = 5 < d = 8: argmin L is {X beta = y} of the three distinct rows.
    X = rng.standard_normal((3, 8))
    y = rng.standard_normal(3)
    duplicated = Problem(np.vstack([X, X[:2]]), np.append(y, y[:2]))
    np.testing.assert_allclose(min_l1_solution(duplicated), brute_force_min_l1(Problem(X, y)), atol=1e-9)


def test_min_l1_with_repeated_column_when_n_larger_than_d(rng):
    # argmin L is a line: beta_0 + beta_4 is fixed; the minimum l1 norm is that of least squares on
    # the distinct columns, reached by any split of that coefficient with one sign.
    X = rng.standard_normal((12, 4))
    y = rng.standard_normal(12)
    beta_ls = np.linalg.lstsq(X, y, rcond=None)[0]
    problem = Problem(np.hstack([X, X[:, :1]]), y)
    beta = min_l1_solution(problem)
    np.testing.assert_allclose(problem.loss(beta), problem.min_loss, rtol=1e-10)
    np.testing.assert_allclose(np.abs(beta).sum(), np.abs(beta_ls).sum(), rtol=1e-9)
    np.testing.assert_allclose(beta[1:4], beta_ls[1:], rtol=1e-9)
    np.testing.assert_allclose(beta[0] + beta[4], beta_ls[0], rtol=1e-9)
    assert beta[0] * beta[4] >= 0


def test_min_l1_of_zero_target_is_zero():
    np.testing.assert_array_equal(min_l1_solution(Problem(np.ones((3, 4)), np.zeros(3))), 0.0)
    np.testing.assert_array_equal(min_l1_solution(Problem(np.zeros((3, 4)), np.ones(3))), 0.0)


def test_min_l1_is_read_only():
    beta = min_l1_solution(random_problem(0, 3, 6))
    with pytest.raises(ValueError):
        beta[0] = 1.0


def test_no_warnings_on_generic_data():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        lasso_path(random_problem(2, 20, 50))
        min_l1_solution(random_problem(2, 20, 50))
