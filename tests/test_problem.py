"""Problem: validation, the loss and its gradient, and the data generators."""

import numpy as np
import pytest

import dlnlib
from dlnlib import Problem


def test_loss_and_gradient_match_their_definitions(rng):
    X = rng.standard_normal((7, 4))
    y = rng.standard_normal(7)
    beta = rng.standard_normal(4)
    problem = Problem(X, y)
    np.testing.assert_allclose(problem.loss(beta), np.sum((X @ beta - y) ** 2) / 14, rtol=1e-14)
    # The gradient against central finite differences of the loss.
    h = 1e-6
    fd = [(problem.loss(beta + h * e) - problem.loss(beta - h * e)) / (2 * h) for e in np.eye(4)]
    np.testing.assert_allclose(problem.grad(beta), fd, rtol=1e-7, atol=1e-9)


def test_loss_and_gradient_vectorise_over_leading_axes(rng):
    problem = dlnlib.sparse_regression(6, 5, 2, random_state=1)
    betas = rng.standard_normal((3, 2, 5))
    losses, grads = problem.loss(betas), problem.grad(betas)
    assert losses.shape == (3, 2) and grads.shape == (3, 2, 5)
    np.testing.assert_allclose(losses[2, 1], problem.loss(betas[2, 1]), rtol=1e-14)
    np.testing.assert_allclose(grads[1, 0], problem.grad(betas[1, 0]), rtol=1e-14)


def test_lambda_max_is_the_largest_gradient_entry_at_zero(three_coordinates):
    # X^T y / 3 = (0.1, 0.38, -0.75) / 3, so lambda_max = 0.25 and the first jump is at t = 4.
    assert three_coordinates.lambda_max == pytest.approx(0.25, rel=1e-14)
    np.testing.assert_allclose(three_coordinates.grad(np.zeros(3)), np.array([-0.1, -0.38, 0.75]) / 3, rtol=1e-13)


def test_problem_is_immutable():
    problem = Problem([[1.0, 2.0]], [3.0])
    with pytest.raises(ValueError):
        problem.X[0, 0] = 5.0
    with pytest.raises(AttributeError):
        problem.y = np.zeros(1)


def test_problem_copies_its_input():
    X = np.eye(2)
    problem = Problem(X, [1.0, 1.0])
    X[0, 0] = 7.0
    assert problem.X[0, 0] == 1.0


@pytest.mark.parametrize(
    "X, y, match",
    [
        ([1.0, 2.0], [1.0], "X must be 2-dimensional"),
        (np.zeros((0, 3)), np.zeros(0), "at least one row"),
        (np.eye(2), [1.0, 2.0, 3.0], "one entry per row"),
        ([[np.nan, 1.0]], [1.0], "X must contain only finite"),
        ([[1.0, 1.0]], [np.inf], "y must contain only finite"),
        ([["a", 1.0]], [1.0], "X must be an array of real numbers"),
        # complex data: the imaginary part used to be dropped silently
        (np.eye(2) * (1 + 1j), [1.0, 1.0], r"X must be real; got complex values \(pass X.real"),
        (np.eye(2), np.array([1.0, 1j]), "y must be real; got complex values"),
        ([[1.0, complex(2, 0)]], [1.0], "X must be real"),
    ],
)
def test_bad_data_is_refused_with_a_message_naming_the_argument(X, y, match):
    with pytest.raises(ValueError, match=match):
        Problem(X, y)


def test_beta_of_the_wrong_length_is_refused(three_coordinates):
    with pytest.raises(ValueError, match=r"beta must have shape \(\.\.\., 3\)"):
        three_coordinates.loss(np.zeros(4))


def test_sparse_regression_has_the_requested_shape_support_and_noise():
    noiseless = dlnlib.sparse_regression(30, 50, 4, random_state=3)
    assert noiseless.X.shape == (30, 50)
    assert np.count_nonzero(noiseless.beta_star) == 4
    np.testing.assert_allclose(noiseless.X @ noiseless.beta_star, noiseless.y, atol=1e-12)
    noisy = dlnlib.sparse_regression(2000, 3, 1, noise=0.5, random_state=3)
    residual = noisy.y - noisy.X @ noisy.beta_star
    assert 0.45 < residual.std() < 0.55  # 2000 draws: the sample std is within 10% of 0.5


def test_generators_are_reproducible_and_seed_dependent():
    a = dlnlib.sparse_regression(5, 8, 2, random_state=11)
    b = dlnlib.sparse_regression(5, 8, 2, random_state=11)
    c = dlnlib.sparse_regression(5, 8, 2, random_state=12)
    np.testing.assert_array_equal(a.X, b.X)
    assert not np.allclose(a.X, c.X)


def test_orthogonal_design_is_orthogonal():
    problem = dlnlib.orthogonal_design(40, 6, noise=0.1, random_state=0)
    np.testing.assert_allclose(problem.gram, np.eye(6), atol=1e-12)
    assert sorted(np.abs(problem.beta_star)) == [1, 2, 3, 4, 5, 6]


@pytest.mark.parametrize(
    "call, match",
    [
        (lambda: dlnlib.sparse_regression(0, 5, 1), "n_samples must be an integer >= 1"),
        (lambda: dlnlib.sparse_regression(5, 5, 6), "n_nonzero must be at most n_features"),
        (lambda: dlnlib.sparse_regression(5, 5, 1, noise=-1.0), "noise must be a positive"),
        (lambda: dlnlib.sparse_regression(5, 5, 1, random_state="x"), "random_state must be"),
        (lambda: dlnlib.sparse_regression(5, 5, 1, random_state=-1), "random_state must be None, a non-negative"),
        (lambda: dlnlib.orthogonal_design(5, 5, random_state=True), "random_state must be"),
        (lambda: dlnlib.orthogonal_design(3, 5), "n_samples must be at least n_features"),
        (lambda: dlnlib.sparse_regression(5.5, 5, 1), "n_samples must be an integer"),
    ],
)
def test_generators_refuse_bad_arguments(call, match):
    with pytest.raises(ValueError, match=match):
        call()


def test_min_norm_solution_and_row_space_for_a_rank_deficient_design(rng):
    # Rank 2 in R^4: the third and fourth columns repeat the first two.
    A = rng.standard_normal((6, 2))
    X = np.hstack([A, A])
    problem = Problem(X, rng.standard_normal(6))
    assert problem.row_space.shape == (4, 2)
    np.testing.assert_allclose(problem.row_space.T @ problem.row_space, np.eye(2), atol=1e-12)
    np.testing.assert_allclose(problem.min_norm_solution, np.linalg.pinv(X) @ problem.y, rtol=1e-10)
    # The minimum of the loss is that of least squares on the two independent columns.
    beta_A, *_ = np.linalg.lstsq(A, problem.y, rcond=None)
    assert problem.min_loss == pytest.approx(np.sum((A @ beta_A - problem.y) ** 2) / 12, rel=1e-12)


def test_check_problem_refuses_raw_arrays():
    from dlnlib.problem import check_problem

    with pytest.raises(ValueError, match=r"problem must be a dlnlib.Problem \(build one with"):
        check_problem((np.eye(2), np.ones(2)))
