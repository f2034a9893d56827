"""Tests of the implicit-bias solution, the minimum-l2 solution and the hyperbolic entropy.

Oracles: the KKT conditions of argmin phi_alpha over argmin L (invariant), the limits alpha -> inf
(minimum l2, pseudo-inverse) and alpha -> 0 (minimum l1, a linear program), and the limit of the
gradient flow on (u, v) integrated here with scipy (an independent computation).
"""

import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import dlnlib
from dlnlib import (
    ConvergenceWarning,
    Problem,
    hyperbolic_entropy,
    implicit_bias_solution,
    min_l1_solution,
    min_l2_solution,
)
from oracles import row_space_residual, uv_flow_limit

ALPHAS = [1e-6, 1e-3, 0.1, 1.0, 100.0, 1e3]


def random_problem(seed, n, d, noise=0.3):
    return dlnlib.sparse_regression(n, d, max(1, min(n, d) // 3), noise=noise, random_state=seed)


def rank_deficient_problem():
    """n = 6 > d = 5 but rank 3: columns 3, 4 are combinations of columns 0..2."""
    rng = np.random.default_rng(5)
    X = rng.standard_normal((6, 3))
    X = np.hstack([X, X[:, :2] @ [[1.0, 0.5], [-0.5, 2.0]]])
    return Problem(X, rng.standard_normal(6))


PROBLEMS = {
    "n<d": lambda: random_problem(1, 6, 15),
    "n>d": lambda: random_problem(2, 15, 6),
    "rank-deficient": rank_deficient_problem,
    "three-coordinates": dlnlib.three_coordinate_example,
}


# ---------------------------------------------------------------------------------------------
# KKT (invariant)


@pytest.mark.parametrize("alpha", ALPHAS)
@pytest.mark.parametrize("name", PROBLEMS)
def test_kkt_conditions(name, alpha):
    problem = PROBLEMS[name]()
    result = implicit_bias_solution(problem, alpha)
    assert result.success, result.message
    X, y = problem.X, problem.y
    # X beta is the projection of y onto range(X): the gradient of L vanishes.
    projection = X @ np.linalg.lstsq(X, y, rcond=None)[0]
    np.testing.assert_allclose(X @ result.beta, projection, atol=1e-9 * np.linalg.norm(y))
    # The mirror variable, recomputed from beta, lies in the row space of X.
    theta = dlnlib.mirror_map(result.beta, alpha)
    assert row_space_residual(X, theta) <= 1e-8 * max(np.linalg.norm(theta), 1.0)
    np.testing.assert_allclose(result.dual, theta, rtol=1e-8, atol=1e-12)


@settings(max_examples=25, deadline=None)
@given(st.integers(0, 10**6), st.integers(1, 12), st.integers(1, 12), st.sampled_from(ALPHAS))
def test_kkt_conditions_on_random_problems(seed, n, d, alpha):
    problem = random_problem(seed, n, d)
    result = implicit_bias_solution(problem, alpha)
    assert result.success, result.message
    assert np.linalg.norm(problem.grad(result.beta)) <= 1e-9 * max(problem.lambda_max, 1.0)
    theta = dlnlib.mirror_map(result.beta, alpha)
    assert row_space_residual(problem.X, theta) <= 1e-8 * max(np.linalg.norm(theta), 1.0)


def test_minimises_the_entropy_over_argmin_L():
    # Moving along the null space of X keeps L minimal and can only increase phi_alpha.
    problem = random_problem(3, 4, 7)
    null_space = np.linalg.svd(problem.X)[2][4:].T
    rng = np.random.default_rng(0)
    for alpha in [0.05, 1.0]:
        beta = implicit_bias_solution(problem, alpha).beta
        phi = hyperbolic_entropy(beta, alpha)
        for _ in range(20):
            other = beta + null_space @ rng.normal(scale=0.1, size=null_space.shape[1])
            assert hyperbolic_entropy(other, alpha) > phi


# ---------------------------------------------------------------------------------------------
# the two limits


@pytest.mark.parametrize("name", ["n<d", "rank-deficient"])
def test_tends_to_min_l2_as_alpha_grows(name):
    problem = PROBLEMS[name]()
    l2 = min_l2_solution(problem)
    errors = [np.linalg.norm(implicit_bias_solution(problem, a).beta - l2) for a in [1.0, 10.0, 100.0, 1e3]]
    assert np.all(np.diff(errors) < 0), errors
    # phi_alpha = |beta|^2 / (4 alpha^2) + O(|beta|^4 / alpha^6): the error is O(|beta|^3 / alpha^4).
    assert errors[-1] <= 1e-8 * np.linalg.norm(l2)


@pytest.mark.parametrize("seed, n, d", [(1, 6, 15), (4, 4, 8), (6, 10, 30)])
def test_tends_to_min_l1_as_alpha_vanishes(seed, n, d):
    problem = random_problem(seed, n, d)
    l1 = min_l1_solution(problem)
    errors = [np.linalg.norm(implicit_bias_solution(problem, a).beta - l1) for a in [0.1, 1e-2, 1e-3, 1e-6]]
    assert np.all(np.diff(errors) < 0), errors
    # The entropic correction is O(1/log(1/alpha)): convergence is slow, but at alpha = 1e-100
    # (reachable on these small problems because alpha^2 is never formed) the minimiser is the
    # l1 vertex up to off-support coordinates of size alpha^(2(1 - |s_i|)).
    result = implicit_bias_solution(problem, 1e-100)
    assert result.success
    np.testing.assert_allclose(result.beta, l1, atol=1e-8)


def test_n_larger_than_d_full_rank_is_least_squares_for_every_alpha():
    problem = PROBLEMS["n>d"]()
    beta_ls = np.linalg.lstsq(problem.X, problem.y, rcond=None)[0]
    for alpha in ALPHAS:
        np.testing.assert_allclose(implicit_bias_solution(problem, alpha).beta, beta_ls, rtol=1e-9, atol=1e-12)


# ---------------------------------------------------------------------------------------------
# the limit of the gradient flow (independent oracle)


@pytest.mark.parametrize("alpha", [0.01, 1.0, 100.0])
def test_equals_limit_of_gradient_flow(alpha):
    problem = random_problem(3, 4, 8, noise=0.1)
    flow_beta = uv_flow_limit(problem, alpha)
    # Both sides are accurate to ~1e-12; the flow's rtol = 1e-11 sets the tolerance.
    np.testing.assert_allclose(implicit_bias_solution(problem, alpha).beta, flow_beta, atol=1e-9)


# ---------------------------------------------------------------------------------------------
# min_l2_solution


@pytest.mark.parametrize("name", PROBLEMS)
def test_min_l2_is_the_pseudo_inverse_solution(name):
    problem = PROBLEMS[name]()
    np.testing.assert_allclose(min_l2_solution(problem), np.linalg.pinv(problem.X) @ problem.y, atol=1e-10)


def test_min_l2_is_orthogonal_to_the_null_space():
    problem = random_problem(0, 3, 9)
    beta = min_l2_solution(problem)
    null_space = np.linalg.svd(problem.X)[2][3:]
    np.testing.assert_allclose(null_space @ beta, 0.0, atol=1e-12)
    np.testing.assert_allclose(problem.X @ beta, problem.y, atol=1e-12)


# ---------------------------------------------------------------------------------------------
# hyperbolic entropy


@pytest.mark.parametrize("alpha", [1e-2, 0.3, 1.0, 10.0])
def test_entropy_gradient_matches_finite_differences(alpha, rng):
    beta = rng.normal(scale=2.0, size=5)
    step = 1e-6 * max(1.0, alpha**2)
    finite = np.array([
        (hyperbolic_entropy(beta + step * e, alpha) - hyperbolic_entropy(beta - step * e, alpha)) / (2 * step)
        for e in np.eye(5)
    ])
    np.testing.assert_allclose(finite, 0.5 * np.arcsinh(beta / alpha**2), rtol=1e-7)
    np.testing.assert_allclose(dlnlib.mirror_map(beta, alpha), 0.5 * np.arcsinh(beta / alpha**2), rtol=1e-12)


def test_entropy_over_log_inverse_alpha_tends_to_l1_norm(rng):
    beta = rng.normal(size=6)
    l1 = np.abs(beta).sum()
    alphas = np.array([1e-2, 1e-5, 1e-20, 1e-50, 1e-100])
    ell = np.log(1 / alphas)
    gaps = np.array([abs(hyperbolic_entropy(beta, a) / e - l1) for a, e in zip(alphas, ell)])
    assert np.all(np.diff(gaps) < 0)
    # phi_alpha = |beta|_1 log(1/alpha) + sum |beta_i| (log(2|beta_i|) - 1)/2 + O(alpha^2): the gap is O(1/ell).
    bound = np.sum(np.abs(beta) * np.abs(np.log(2 * np.abs(beta)) - 1)) / 2 + 1e-3
    assert np.all(gaps * ell <= bound)
    assert gaps[-1] < 1e-2


# ---------------------------------------------------------------------------------------------
# degenerate and bad input


def test_y_orthogonal_to_range_gives_zero():
    problem = Problem([[1.0, 2.0], [1.0, 2.0]], [1.0, -1.0])
    result = implicit_bias_solution(problem, 0.1)
    assert result.success
    # U^T y is 0 up to rounding of the SVD.
    np.testing.assert_allclose(result.beta, 0.0, atol=1e-15)
    np.testing.assert_allclose(min_l2_solution(problem), 0.0, atol=1e-15)
    np.testing.assert_array_equal(implicit_bias_solution(Problem(np.ones((2, 3)), np.zeros(2)), 0.1).beta, 0.0)


def test_non_convergence_warns():
    with pytest.warns(ConvergenceWarning, match="did not converge"):
        result = implicit_bias_solution(random_problem(0, 5, 10), 1e-6, max_iter=2)
    assert not result.success and result.n_iter == 2


def test_result_is_frozen_and_read_only():
    result = implicit_bias_solution(random_problem(0, 5, 10), 0.1)
    with pytest.raises(ValueError):
        result.beta[0] = 1.0
    with pytest.raises(AttributeError):
        result.alpha = 1.0


def test_no_warnings_on_generic_data():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for alpha in ALPHAS:
            implicit_bias_solution(random_problem(9, 30, 80), alpha)


@pytest.mark.parametrize("alpha", [0, -1.0, np.nan, np.inf, "1", None])
def test_bad_alpha(alpha):
    with pytest.raises(ValueError, match="alpha"):
        implicit_bias_solution(random_problem(0, 3, 4), alpha)


@pytest.mark.parametrize("max_iter", [0, -3, 1.5])
def test_bad_max_iter(max_iter):
    with pytest.raises(ValueError, match="max_iter"):
        implicit_bias_solution(random_problem(0, 3, 4), 0.1, max_iter=max_iter)


@pytest.mark.parametrize("function", [min_l2_solution, lambda p: implicit_bias_solution(p, 0.1)])
def test_not_a_problem(function):
    with pytest.raises(ValueError, match="problem must be a dlnlib.Problem"):
        function(np.eye(3))


def test_implicit_bias_path_stacks_the_solutions_and_validates_alphas():
    problem = dlnlib.sparse_regression(5, 9, 2, random_state=4)
    alphas = [0.5, 100.0, 1e-4]  # not sorted: the rows keep the order of alphas
    path = dlnlib.implicit_bias_path(problem, alphas)
    assert path.shape == (3, 9) and not path.flags.writeable
    for row, alpha in zip(path, alphas):  # warm-started down the grid, the same minimiser as from nu = 0
        np.testing.assert_allclose(row, dlnlib.implicit_bias_solution(problem, alpha).beta, rtol=0, atol=1e-10)
    with pytest.raises(ValueError, match="alphas must be a non-empty 1-D array of positive"):
        dlnlib.implicit_bias_path(problem, [1.0, -1.0])
    with pytest.raises(ValueError, match="alphas must be 1-dimensional"):
        dlnlib.implicit_bias_path(problem, 1.0)


@pytest.mark.parametrize("n, d, noise", [(15, 40, 0.0), (50, 100, 0.1), (100, 50, 0.5)])
def test_a_warm_start_reaches_the_same_minimiser_in_fewer_iterations(n, d, noise):
    problem = dlnlib.sparse_regression(n, d, 5, noise=noise, random_state=2)
    for near, alpha in [(1e-3, 10 ** -3.5), (1.0, 10 ** -0.5), (1e2, 10 ** 1.5)]:
        cold = implicit_bias_solution(problem, alpha)
        warm = implicit_bias_solution(problem, alpha, start=implicit_bias_solution(problem, near))
        assert cold.success and warm.success
        np.testing.assert_allclose(warm.beta, cold.beta, rtol=0, atol=1e-10 * np.abs(cold.beta).max())
        if alpha < 1e-2:  # far from nu = 0 (theta grows like log 1/alpha): the warm start saves iterations
            assert warm.n_iter < cold.n_iter
    with pytest.raises(ValueError, match="start must be an ImplicitBiasSolution of a problem with 7 features"):
        implicit_bias_solution(dlnlib.sparse_regression(5, 7, 2), 0.1, start=cold)
    with pytest.raises(ValueError, match="start must be an ImplicitBiasSolution"):
        implicit_bias_solution(problem, 0.1, start=np.zeros(d))


@pytest.mark.parametrize("alpha, clock, t_max", [(0.01, "accelerated", 1e5), (1.0, "raw", 2e3), (100.0, "raw", 1.0)])
def test_implicit_bias_solution_is_where_dlnlib_gradient_flow_ends(alpha, clock, t_max):
    # The library's two routes to the same point: the flow run to convergence, and the KKT system.
    problem = dlnlib.sparse_regression(6, 12, 2, random_state=7)
    flow = dlnlib.gradient_flow(problem, alpha, t_max, clock=clock, rtol=1e-10, atol=1e-12)
    assert np.abs(problem.grad(flow.beta[-1])).max() < 1e-9  # converged
    np.testing.assert_allclose(flow.beta[-1], dlnlib.implicit_bias_solution(problem, alpha).beta, atol=1e-7)
