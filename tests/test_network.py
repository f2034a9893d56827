"""The network's change of variables: beta = u*v = (w+^2 - w-^2)/2 = alpha^2 sinh(2 theta)."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import dlnlib
from dlnlib.network import _dbeta_ddual
from oracles import hyperbolic_entropy_decimal

finite = st.floats(-1e3, 1e3, allow_nan=False)


@given(st.lists(finite, min_size=1, max_size=5), st.lists(finite, min_size=1, max_size=5))
def test_the_two_parametrisations_are_the_same_network(u, v):
    u, v = np.array(u[: min(len(u), len(v))]), np.array(v[: min(len(u), len(v))])
    w_plus, w_minus = dlnlib.w_from_uv(u, v)
    np.testing.assert_allclose(dlnlib.beta_from_w(w_plus, w_minus), dlnlib.beta_from_uv(u, v), rtol=1e-9, atol=1e-9)


def test_initialisation_gives_beta_zero_and_conserved_quantity_two_alpha_squared():
    u0, v0 = dlnlib.initialization(0.3, 4)
    np.testing.assert_array_equal(dlnlib.beta_from_uv(u0, v0), 0.0)
    np.testing.assert_allclose(dlnlib.conserved_quantity(u0, v0), 2 * 0.3**2, rtol=1e-15)


@pytest.mark.parametrize("alpha", [0.5, 1e-3, 1e-20, 1e-100, 1e-300])
def test_accelerated_map_is_alpha_squared_sinh_and_inverts(alpha):
    ell = np.log(1 / alpha)
    S = np.array([-1.2, -0.3, -1e-12, 0.0, 1e-9, 0.6, 1.0, 1.05])
    beta = dlnlib.beta_from_dual(S, alpha)
    if alpha > 1e-150:  # alpha^2 is representable: compare with the textbook formula
        np.testing.assert_allclose(beta, alpha**2 * np.sinh(2 * ell * S), rtol=1e-12)
    # Where |beta| ~ alpha^(2(1-|S|)) / 2 underflows (alpha = 1e-300, |S| < 1), beta is 0 and S is lost.
    representable = beta != 0
    assert representable[S >= 1].all()
    np.testing.assert_allclose(dlnlib.dual_from_beta(beta, alpha)[representable], S[representable], rtol=1e-10)


def test_beta_is_exponentially_small_inside_the_band_and_of_order_one_at_its_edge():
    # |beta_i| ~ alpha^{2(1 - |S_i|)} / 2 (DESIGN, accelerated clock)
    alpha = 1e-50
    beta = dlnlib.beta_from_dual(np.array([0.5, 0.99, 1.0]), alpha)
    np.testing.assert_allclose(beta, 0.5 * alpha ** (2 * (1 - np.array([0.5, 0.99, 1.0]))) * (1 - alpha**4), rtol=1e-10)


@pytest.mark.parametrize("clock, alpha", [("accelerated", 1e-3), ("accelerated", 1e-80), ("raw", 2.0), ("raw", 0.1)])
def test_derivative_of_the_map_matches_finite_differences(clock, alpha):
    dual = np.array([-1.1, -0.4, 0.0, 0.3, 0.95])
    h = 1e-7
    def beta(x):
        return dlnlib.beta_from_dual(x, alpha, clock=clock)

    fd = (beta(dual + h) - beta(dual - h)) / (2 * h)
    np.testing.assert_allclose(_dbeta_ddual(dual, alpha, clock), fd, rtol=1e-6, atol=1e-300)


def test_mirror_map_is_the_gradient_of_the_hyperbolic_entropy(rng):
    alpha, beta, h = 0.7, rng.standard_normal(5), 1e-6
    fd = [
        (dlnlib.hyperbolic_entropy(beta + h * e, alpha) - dlnlib.hyperbolic_entropy(beta - h * e, alpha)) / (2 * h)
        for e in np.eye(5)
    ]
    np.testing.assert_allclose(dlnlib.mirror_map(beta, alpha), fd, rtol=1e-7)
    np.testing.assert_allclose(dlnlib.mirror_map(beta, alpha), 0.5 * np.arcsinh(beta / alpha**2), rtol=1e-13)


def test_hyperbolic_entropy_is_zero_at_zero_and_near_l2_for_large_alpha():
    assert dlnlib.hyperbolic_entropy(np.zeros(3), 1e-3) == 0.0
    # For |beta| << alpha^2, phi_alpha(beta) ~ |beta|^2 / (4 alpha^2): the kernel regime's l2 geometry.
    beta, alpha = np.array([1.0, -2.0]), 100.0
    np.testing.assert_allclose(dlnlib.hyperbolic_entropy(beta, alpha), 5.0 / (4 * alpha**2), rtol=1e-6)


@pytest.mark.parametrize(
    "call, match",
    [
        (lambda: dlnlib.beta_from_dual([0.1], 1.5), "alpha must be smaller than 1.0 on the accelerated clock"),
        (lambda: dlnlib.beta_from_dual([0.1], 0.0, clock="raw"), "alpha must be a positive"),
        (lambda: dlnlib.beta_from_dual([0.1], np.nan), "alpha must be a positive"),
        (lambda: dlnlib.beta_from_dual([0.1], 0.1, clock="fast"), "clock must be one of"),
        (lambda: dlnlib.initialization(-1.0, 3), "alpha must be a positive"),
        (lambda: dlnlib.hyperbolic_entropy([1.0], -2.0), "alpha must be a positive"),
    ],
)
def test_bad_arguments_are_refused(call, match):
    with pytest.raises(ValueError, match=match):
        call()


@pytest.mark.parametrize("alpha", [1e-300, 1e-200, 1e-100, 1e-20, 1e-3, 1.0, 1e3, 1e20, 1e100, 1e200, 1e300])
def test_hyperbolic_entropy_is_finite_and_accurate_for_every_alpha(alpha):
    # Returned NaN at alpha = 1e-200 (alpha^2 underflowed) and raised OverflowError at 1e200.
    # Oracle: the definition in 60-digit decimals, whose exponent range holds alpha^2 and beta/alpha^2.
    betas = [[0.0, 1.0], [-3.5, 2e-10, 1e5], [1e-150, -1e150, 0.5]]
    for beta in betas:
        value = dlnlib.hyperbolic_entropy(beta, alpha)
        expected = hyperbolic_entropy_decimal(beta, alpha)
        assert np.isfinite(value)
        np.testing.assert_allclose(value, expected, rtol=1e-12, atol=1e-300)


@pytest.mark.parametrize(
    "alpha, clock", [(1e-300, "accelerated"), (1e-3, "accelerated"), (1e-150, "raw"), (1e150, "raw")]
)
def test_dual_maps_are_finite_and_inverse_at_extreme_alpha(alpha, clock):
    # Duals from 1e-300 to 2000 in size, both signs: every regime of the maps (underflow, linear,
    # exponential, clipped) is visited at every alpha.
    size = np.concatenate([np.logspace(-300, 0, 301), np.linspace(0, 3, 301), np.linspace(3, 2000, 2001)])
    dual = np.concatenate([-size, size])
    beta = dlnlib.beta_from_dual(dual, alpha, clock=clock)
    slope = dlnlib.dbeta_ddual(dual, alpha, clock=clock)
    assert np.all(np.isfinite(beta)) and np.all(np.isfinite(slope)) and np.all(slope >= 0)
    representable = (np.abs(beta) > 1e-290) & (np.abs(beta) < 1e290)
    assert representable.sum() >= 20
    np.testing.assert_allclose(dlnlib.dual_from_beta(beta[representable], alpha, clock=clock), dual[representable],
                               rtol=1e-9, atol=1e-12)
