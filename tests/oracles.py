"""Shared oracles: computations independent of the code under test, for any test module to use.

``from oracles import ...`` works in every test (pytest puts ``tests/`` on the path). Each oracle
says what it computes and how, so that a test comparing with it states its own tolerance.

- The 3-coordinate example's exact saddle-to-saddle path, worked by hand in fractions.
- A direct integration of the (u, v) gradient flow (DOP853, tight tolerances), and its limit.
- Finite-difference Jacobians, a row-space residual, the hyperbolic entropy in 60-digit decimals.
- :func:`time_limit`, which turns a hang into a test failure.
"""

import contextlib
import decimal
import signal
from fractions import Fraction

import numpy as np
from scipy.integrate import solve_ivp

# ---------------------------------------------------------------------------------------------
# The exact Algorithm-1 path of the 3-coordinate example, in fractions (worked by hand).
# ---------------------------------------------------------------------------------------------

X3 = [[Fraction(a) for a in row] for row in (("0.1", "0.2", "-1.5"), ("-0.5", "0", "1.4"), ("0.3", "0", "0.7"))]
Y3 = [Fraction("1.9"), Fraction("0.9"), Fraction("1.2")]
JUMP_TIMES = [Fraction(0), Fraction(4), Fraction(13200, 1561), Fraction(17660, 1561), Fraction(20)]
SADDLES = [
    [Fraction(0)] * 3,
    [Fraction(0), Fraction(0), Fraction(-15, 94)],
    [Fraction(0), Fraction(19, 2), Fraction(0)],
    [Fraction(0), Fraction(223, 14), Fraction(6, 7)],
    [Fraction(15, 11), Fraction(2663, 154), Fraction(87, 77)],
]
LEAST_SQUARES_FIT = np.array([float(b) for b in SADDLES[-1]])


def exact_grad(beta):
    """grad L(beta) = X^T (X beta - y) / n for the 3-coordinate example, in exact arithmetic."""
    residual = [sum(X3[i][j] * beta[j] for j in range(3)) - Y3[i] for i in range(3)]
    return [sum(X3[i][j] * residual[i] for i in range(3)) / 3 for j in range(3)]


def exact_duals():
    """s(t_k) of the 3-coordinate example: s moves linearly between jumps, s(t) = s_k - (t - t_k) grad L(beta_k)."""
    duals = [[Fraction(0)] * 3]
    for k in range(1, len(JUMP_TIMES)):
        g = exact_grad(SADDLES[k - 1])
        duals.append([duals[-1][j] - (JUMP_TIMES[k] - JUMP_TIMES[k - 1]) * g[j] for j in range(3)])
    return duals


def exact_dual_path(t):
    """The exact limit dual s(t) of the 3-coordinate example at times ``t``, shape (len(t), 3)."""
    duals = exact_duals()
    knots = np.array([float(tk) for tk in JUMP_TIMES])
    k = np.searchsorted(knots, t, side="right") - 1
    s = np.array([[float(x) for x in duals[i]] for i in k])
    g = np.array([[float(x) for x in exact_grad(SADDLES[i])] for i in k])
    return s - (np.asarray(t) - knots[k])[:, None] * g


# ---------------------------------------------------------------------------------------------
# The (u, v) gradient flow, integrated directly.
# ---------------------------------------------------------------------------------------------

#: Relative tolerance of the direct (u, v) integration.
DIRECT_RTOL = 1e-11


def direct_uv_flow(problem, alpha, t_max, t_eval):
    """Integrate du/dt = -v grad L(uv), dv/dt = -u grad L(uv) from (sqrt2 alpha, 0) on the raw clock.

    Returns ``u, v`` of shape (len(t_eval), d). Explicit (DOP853) and tight, so usable for
    moderate alpha (down to about 1e-3) and short times only.
    """
    d = problem.n_features

    def rhs(_, w):
        u, v = w[:d], w[d:]
        g = problem.grad(u * v)
        return np.concatenate([-v * g, -u * g])

    w0 = np.concatenate([np.full(d, np.sqrt(2) * alpha), np.zeros(d)])
    sol = solve_ivp(rhs, (0, t_max), w0, method="DOP853", t_eval=t_eval, rtol=DIRECT_RTOL, atol=1e-14)
    assert sol.success
    return sol.y[:d].T, sol.y[d:].T


def uv_flow_limit(problem, alpha):
    """The end point of the (u, v) flow: Radau with the exact Jacobian over doubling spans until grad L < 1e-13."""
    d = problem.n_features
    G, h = problem.gram, problem.X.T @ problem.y / problem.n_samples

    def rhs(t, z):
        u, v = z[:d], z[d:]
        g = G @ (u * v) - h
        return np.concatenate([-v * g, -u * g])

    def jacobian(t, z):
        u, v = z[:d], z[d:]
        diag_g = np.diag(G @ (u * v) - h)
        return np.block([
            [-v[:, None] * G * v, -diag_g - v[:, None] * G * u],
            [-diag_g - u[:, None] * G * v, -u[:, None] * G * u],
        ])

    z = np.concatenate([np.full(d, np.sqrt(2) * alpha), np.zeros(d)])
    t, span = 0.0, 1.0
    while np.linalg.norm(problem.grad(z[:d] * z[d:])) > 1e-13:
        assert t < 1e6, "the flow did not converge"
        solution = solve_ivp(rhs, (t, t + span), z, method="Radau", jac=jacobian, rtol=1e-11, atol=1e-14)
        assert solution.success
        z, t, span = solution.y[:, -1], t + span, 2 * span
    return z[:d] * z[d:]


# ---------------------------------------------------------------------------------------------
# Small numerical oracles.
# ---------------------------------------------------------------------------------------------


def finite_difference_jacobian(function, x, step):
    """Central differences: column j is (f(x + h e_j) - f(x - h e_j)) / 2h, h = ``step`` (scalar or per coordinate)."""
    x = np.asarray(x, dtype=float)
    steps = np.broadcast_to(step, x.shape)
    columns = []
    for j in range(x.size):
        e = np.zeros_like(x)
        e[j] = steps[j]
        columns.append((function(x + e) - function(x - e)) / (2 * steps[j]))
    return np.column_stack(columns)


def row_space_residual(X, vector):
    """Distance from ``vector`` to the row space of ``X`` (least squares on X^T mu = vector)."""
    mu = np.linalg.lstsq(X.T, vector, rcond=None)[0]
    return np.linalg.norm(X.T @ mu - vector)


def hyperbolic_entropy_decimal(beta, alpha, digits=60):
    """phi_alpha(beta) = sum_i (b asinh(b/a^2) - (sqrt(b^2 + a^4) - a^2)) / 2 in ``digits``-digit decimals.

    Decimals have an exponent range far beyond float64, so alpha^2 and beta/alpha^2 are formed
    exactly as written; sqrt(b^2 + a^4) - a^2 is written b^2 / (sqrt(b^2 + a^4) + a^2) and asinh
    of a tiny argument by its series, so nothing cancels.
    """
    context = decimal.Context(prec=digits, Emax=10**6, Emin=-(10**6))
    a2 = context.multiply(decimal.Decimal(alpha), decimal.Decimal(alpha))
    total = decimal.Decimal(0)
    for b in np.atleast_1d(beta):
        b = decimal.Decimal(float(b))
        x = context.divide(abs(b), a2)
        if x < decimal.Decimal("1e-15"):
            asinh = x - context.power(x, 3) / 6
        else:
            asinh = context.ln(x + context.sqrt(x * x + 1))
        root = context.sqrt(b * b + a2 * a2)
        total += abs(b) * asinh - context.divide(b * b, root + a2)
    return float(total / 2)


@contextlib.contextmanager
def time_limit(seconds):
    """Fail (raise TimeoutError) instead of hanging when the block runs longer than ``seconds`` (POSIX)."""

    def expired(signum, frame):
        raise TimeoutError(f"did not finish within {seconds} s")

    previous = signal.signal(signal.SIGALRM, expired)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
