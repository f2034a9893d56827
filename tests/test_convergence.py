"""convergence_errors: the gaps between a flow at scale alpha and the saddle path."""

import dataclasses

import numpy as np
import pytest

import dlnlib

TIGHT = dict(rtol=1e-10, atol=1e-13)  # flows accurate enough to time a jump to ~1e-6


@pytest.fixture(scope="module")
def three_path():
    return dlnlib.saddle_to_saddle(dlnlib.three_coordinate_example())


@pytest.fixture(scope="module")
def errors_by_alpha(three_path):
    problem = dlnlib.three_coordinate_example()
    return {
        alpha: dlnlib.convergence_errors(dlnlib.gradient_flow(problem, alpha, 25.0), three_path)
        for alpha in (1e-10, 1e-40, 1e-120)
    }


def test_dual_error_shrinks_like_one_over_log_inverse_alpha(errors_by_alpha):
    scaled = np.array([e.scaled_dual_error for e in errors_by_alpha.values()])
    raw = np.array([e.dual_error for e in errors_by_alpha.values()])
    assert np.all(np.diff(raw) < 0)
    # The rate 1/log(1/alpha) means the scaled error neither grows nor vanishes: within 5% over
    # a 12-fold change of log(1/alpha).
    assert scaled.max() / scaled.min() < 1.05
    assert scaled.min() > 1.0


def test_jumps_happen_near_the_limit_jump_times_and_approach_them(errors_by_alpha, three_path):
    late = np.array([np.abs(e.jump_time_errors) for e in errors_by_alpha.values()])
    assert late.shape == (3, three_path.n_jumps)
    assert np.all(np.diff(late, axis=0) < 0)  # every jump time converges
    # jump-time error * log(1/alpha) stays put: the rate 1/log(1/alpha)
    scaled = np.array([np.abs(e.jump_time_errors) * -np.log(e.alpha) for e in errors_by_alpha.values()])
    np.testing.assert_allclose(scaled[0], scaled[-1], rtol=0.1)


def test_plateau_errors_vanish(errors_by_alpha):
    assert errors_by_alpha[1e-120].plateau_errors.max() < 1e-6
    assert errors_by_alpha[1e-10].plateau_errors.max() > 1e-3  # at 1e-10 the third plateau is still far


def test_a_flow_that_stops_early_or_runs_on_the_raw_clock_is_refused(three_path):
    problem = dlnlib.three_coordinate_example()
    with pytest.raises(ValueError, match="must run past the last jump time"):
        dlnlib.convergence_errors(dlnlib.gradient_flow(problem, 1e-5, 15.0), three_path)
    with pytest.raises(ValueError, match="accelerated clock"):
        dlnlib.convergence_errors(dlnlib.gradient_flow(problem, 0.5, 15.0, clock="raw"), three_path)


def test_first_jump_time_error_is_the_logistic_constant(three_path):
    # Along e_3, b = -beta_3 solves b' = 2b(g - h b) in raw time (g = 1/4, h = 4.7/3), so b reaches half of
    # b* = g/h = 15/94 at t = 4 log(1/alpha) - 2 log(47/15): the error times log(1/alpha) is -2 log(47/15).
    problem, path = dlnlib.three_coordinate_example(), three_path
    for alpha in (1e-10, 1e-40):
        errors = dlnlib.convergence_errors(dlnlib.gradient_flow(problem, alpha, 25.0, **TIGHT), path)
        np.testing.assert_allclose(errors.jump_time_errors[0] * np.log(1 / alpha), -2 * np.log(47 / 15), rtol=1e-4)


def test_jump_times_are_measured_for_a_jump_with_a_tiny_loss_drop():
    # Orthogonal design, beta_hat = (1, 1e-4) plus noise orthogonal to X: the second jump lowers the loss
    # by 5e-9 out of 0.5. Each coordinate is its own logistic, so the flow's j-th jump happens where
    # |beta_j| = |beta_hat_j| / 2, at t = 1/|beta_hat_j| + log(2 |beta_hat_j|) / (2 |beta_hat_j| log(1/alpha)).
    Q = np.linalg.qr(np.random.default_rng(0).standard_normal((6, 3)))[0]
    X = np.sqrt(6) * Q[:, :2]
    beta_hat = np.array([1.0, 1e-4])
    problem = dlnlib.Problem(X, X @ beta_hat + np.sqrt(6) * Q[:, 2])  # noise orthogonal to the columns
    path = dlnlib.saddle_to_saddle(problem)
    drop = path.losses[1] - path.losses[2]
    assert drop < 2e-8 * path.losses[2]
    for alpha in (1e-20, 1e-40):
        ell = np.log(1 / alpha)
        errors = dlnlib.convergence_errors(dlnlib.gradient_flow(problem, alpha, 1.2e4, **TIGHT), path)
        predicted = np.log(2 * beta_hat) / (2 * beta_hat * ell)
        np.testing.assert_allclose(errors.jump_time_errors, predicted, rtol=1e-3)


def test_a_jump_the_flow_has_not_made_before_it_ends_is_nan_not_a_wrong_time(three_path):
    problem, path = dlnlib.three_coordinate_example(), three_path
    # at alpha = 1e-5 the last jump comes about 2 time units late: after 21, where this flow stops
    errors = dlnlib.convergence_errors(dlnlib.gradient_flow(problem, 1e-5, 21.0), path)
    assert np.isnan(errors.jump_times[-1]) and np.all(np.isfinite(errors.jump_times[:-1]))
    later = dlnlib.convergence_errors(dlnlib.gradient_flow(problem, 1e-5, 25.0), path)
    assert 21.0 < later.jump_times[-1] < 25.0


def test_a_jump_earlier_than_the_middle_of_the_plateau_before_it_is_found():
    # The slow jump (4) of this problem comes about 68 / log(1/alpha) early: at alpha = 1e-20 that is
    # more than half its plateau (2.44 long), and it is still found. At 1e-10 the flow merges jumps 3 and 4
    # (it never comes within 0.06 of beta_3), and the jump time is NaN rather than a made-up number.
    problem = dlnlib.sparse_regression(10, 20, 3, random_state=61)
    path = dlnlib.saddle_to_saddle(problem)
    errors = {alpha: dlnlib.convergence_errors(dlnlib.gradient_flow(problem, alpha, 6.5, **TIGHT), path)
              for alpha in (1e-10, 1e-20, 1e-40, 1e-80)}
    assert np.isnan(errors[1e-10].jump_times[3]) and np.all(np.isfinite(np.delete(errors[1e-10].jump_times, 3)))
    assert errors[1e-20].jump_time_errors[3] < -(path.times[4] - path.times[3]) / 2
    # and its error is a constant over log(1/alpha): the constant has settled by 1e-40
    scaled = np.array([e.jump_time_errors[3] * np.log(1 / alpha) for alpha, e in errors.items()][1:])
    np.testing.assert_allclose(scaled[1], scaled[2], rtol=1e-3)
    np.testing.assert_allclose(scaled[0], scaled[2], rtol=0.05)


def test_swapped_foreign_or_failed_arguments_get_a_clear_error(three_path):
    problem, path = dlnlib.three_coordinate_example(), three_path
    flow = dlnlib.gradient_flow(problem, 1e-10, 25.0)
    with pytest.raises(ValueError, match="the arguments are swapped"):
        dlnlib.convergence_errors(path, flow)
    with pytest.raises(ValueError, match="flow must be the FlowPath returned by gradient_flow"):
        dlnlib.convergence_errors(path, path)
    with pytest.raises(ValueError, match="path must be the SaddlePath returned by saddle_to_saddle"):
        dlnlib.convergence_errors(flow, flow)
    failed = dataclasses.replace(flow, success=False, message="the solver gave up")
    with pytest.raises(ValueError, match="flow must be a successful run of gradient_flow.*gave up"):
        dlnlib.convergence_errors(failed, path)
    with pytest.raises(ValueError, match="flow and path must be computed on the same problem"):
        dlnlib.convergence_errors(flow, dlnlib.saddle_to_saddle(dlnlib.sparse_regression(5, 4, 2, random_state=0)))
