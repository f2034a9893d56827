"""convergence_errors: the gaps between a flow at scale alpha and the saddle path."""

import numpy as np
import pytest

import dlnlib


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
