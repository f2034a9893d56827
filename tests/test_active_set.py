"""The Cholesky factor of the active columns shared by the two homotopies (dlnlib._active_set)."""

import numpy as np
import pytest

from dlnlib._active_set import SupportFactor


def factor_of(X, y):
    return SupportFactor(np.ascontiguousarray(np.asarray(X, dtype=float).T), np.asarray(y, dtype=float))


def test_factor_solves_least_squares_on_its_columns_through_adds_and_removes():
    # Oracle: numpy's lstsq on the same columns, after every update.
    rng = np.random.default_rng(0)
    X, y = rng.standard_normal((40, 12)), rng.standard_normal(40)
    factor = factor_of(X, y)
    for update in [("add", 3), ("add", 7), ("add", 0), ("add", 11), ("remove", 1), ("add", 5), ("remove", 0)]:
        if update[0] == "add":
            factor.add(update[1])
        else:
            factor.remove([update[1]])
        columns = factor.support
        expected = np.linalg.lstsq(X[:, columns], y, rcond=None)[0]
        beta, residual = factor.least_squares()
        np.testing.assert_allclose(beta, expected, rtol=1e-12, atol=1e-12)
        np.testing.assert_allclose(residual, X[:, columns] @ expected - y, atol=1e-12)


def test_peak_condition_remembers_an_ill_conditioned_support_after_it_is_gone():
    # Column 2 is column 0 tilted by 1e-5 rad: with both active, cond_2(X_P) ~ 1e5. Once column 2
    # is removed the support is well conditioned again, but the peak is what the solves went through.
    rng = np.random.default_rng(1)
    X = rng.standard_normal((30, 4))
    X[:, 2] = X[:, 0] + 1e-5 * np.linalg.norm(X[:, 0]) * rng.standard_normal(30) / np.sqrt(30)
    factor = factor_of(X, rng.standard_normal(30))
    truth = []  # cond_2 of X_P after every update: the LAPACK estimate is within a factor k of it
    for j in (0, 1, 2, 3):
        factor.add(j)
        truth.append(np.linalg.cond(X[:, factor.support]))
    factor.remove([2])  # column 2 (support [0, 1, 2, 3])
    truth.append(np.linalg.cond(X[:, factor.support]))
    assert max(truth) > 1e4 and truth[-1] < 100
    assert max(truth) / 4 <= factor.peak_condition <= 4 * max(truth)
    # and it never goes down: more removals and additions keep it
    factor.remove([0])
    factor.add(0)
    assert max(truth) / 4 <= factor.peak_condition


@pytest.mark.parametrize("seed", range(5))
def test_peak_condition_is_the_largest_over_every_support_met(seed):
    # Random adds and removes on columns of unequal conditioning; oracle: cond_2 of every support
    # (numpy's SVD), the peak within the factor k of the 1-norm estimate.
    rng = np.random.default_rng(seed)
    n, d = 25, 10
    X = rng.standard_normal((n, d)) @ np.diag(np.logspace(0, 3, d))
    X[:, 5] = X[:, 4] + 1e-3 * rng.standard_normal(n) * np.linalg.norm(X[:, 4]) / np.sqrt(n)
    factor = factor_of(X, rng.standard_normal(n))
    largest, k_max = 1.0, 1
    for _ in range(30):
        outside = np.setdiff1d(np.arange(d), factor.support)
        if factor.k and (rng.random() < 0.4 or not outside.size):
            factor.remove([int(rng.integers(factor.k))])
        else:
            factor.add(int(rng.choice(outside)))
        if factor.k:
            largest = max(largest, np.linalg.cond(X[:, factor.support]))
            k_max = max(k_max, factor.k)
    assert largest / k_max <= factor.peak_condition <= k_max * largest
