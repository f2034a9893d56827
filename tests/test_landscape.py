"""The landscape of F(u, v) = L(u * v): its Hessian and its critical points."""

import numpy as np
import pytest

import dlnlib


def grad_F(problem, z):
    u, v = np.split(z, 2)
    g = problem.grad(u * v)
    return np.concatenate([v * g, u * g])


def test_hessian_matches_finite_differences_of_the_gradient(rng):
    problem = dlnlib.sparse_regression(6, 4, 2, noise=0.3, random_state=2)
    z = rng.standard_normal(8)
    h = 1e-6
    fd = np.column_stack([(grad_F(problem, z + h * e) - grad_F(problem, z - h * e)) / (2 * h) for e in np.eye(8)])
    np.testing.assert_allclose(dlnlib.hessian(problem, *np.split(z, 2)), fd, atol=1e-7)


def test_critical_points_of_an_orthogonal_design_are_hard_thresholdings():
    # X^T X / n = I: beta_S keeps the coordinates of beta_hat = X^T y / n in S, and off S the
    # gradient is -beta_hat_j, so the escape gradient is max_{j not in S} |beta_hat_j|.
    problem = dlnlib.orthogonal_design(12, 4, noise=0.2, random_state=5)
    beta_hat = problem.X.T @ problem.y / problem.n_samples
    critical = dlnlib.critical_points(problem)
    assert critical.points.shape == (16, 4)
    np.testing.assert_allclose(critical.points, np.where(critical.supports, beta_hat, 0.0), atol=1e-12)
    expected_escape = np.where(critical.supports, 0.0, np.abs(beta_hat)).max(axis=1)
    np.testing.assert_allclose(critical.escape_gradients, expected_escape, atol=1e-12)


def test_every_point_is_critical_and_a_strict_saddle_unless_it_minimises_the_loss():
    problem = dlnlib.sparse_regression(5, 4, 2, noise=0.5, random_state=11)
    critical = dlnlib.critical_points(problem)
    for beta, S in zip(critical.points, critical.supports):
        root = np.sqrt(np.abs(beta))
        assert np.abs(grad_F(problem, np.concatenate([np.sign(beta) * root, root]))).max() < 1e-10
        assert np.abs(problem.grad(beta)[S]).max(initial=0.0) < 1e-10
    # the eigenvalue formula of the book: lambda_min = -max_{j not in S} |grad_j L|
    np.testing.assert_allclose(critical.min_eigenvalues, -critical.escape_gradients, atol=1e-9)
    minima = critical.losses <= problem.min_loss + 1e-12
    assert minima.sum() == 1 and critical.supports[minima].all()  # n > d: the full least-squares fit
    assert np.all(critical.min_eigenvalues[~minima] < -1e-6)


def test_the_saddle_path_visits_critical_points(three_coordinates):
    critical = dlnlib.critical_points(three_coordinates)
    path = dlnlib.saddle_to_saddle(three_coordinates)
    for saddle in path.saddles:
        assert np.min(np.abs(critical.points - saddle).max(axis=1)) < 1e-12


def test_too_many_features_and_bad_shapes_are_refused(three_coordinates):
    with pytest.raises(ValueError, match="at most 16 features"):
        dlnlib.critical_points(dlnlib.sparse_regression(3, 17, 1, random_state=0))
    with pytest.raises(ValueError, match=r"u and v must have shape \(3,\)"):
        dlnlib.hessian(three_coordinates, np.zeros(2), np.zeros(3))
