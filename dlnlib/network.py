r"""The diagonal linear network :math:`\beta = u\odot v` and its change of variables.

Gradient flow on :math:`F(u,v)=L(u\odot v)` from :math:`u_0=\sqrt2\alpha\mathbf 1`,
:math:`v_0=0` conserves :math:`u_i^2-v_i^2=2\alpha^2`. Writing
:math:`u=\sqrt2\alpha\cosh\theta`, :math:`v=\sqrt2\alpha\sinh\theta` turns the flow into
:math:`\dot\theta=-\nabla L(\beta)` with

.. math:: \beta = \alpha^2\sinh(2\theta),

and on the accelerated clock :math:`\tilde t=t/\ell`, :math:`\ell=\log(1/\alpha)`, the
dual variable :math:`S=\theta/\ell` gives

.. math:: \tilde\beta=\tfrac12\big(e^{2\ell(S-1)}-e^{-2\ell(S+1)}\big),

which never forms :math:`\alpha^2` and so works for :math:`\alpha` down to ``1e-300``.
This module holds these maps, the conserved quantity and the hyperbolic entropy
:math:`\phi_\alpha`, whose gradient is the mirror map :math:`\theta=\frac12\operatorname{arcsinh}(\beta/\alpha^2)`.
"""

import numpy as np

from ._checks import check_choice, check_positive, check_positive_int

#: Exponents are clipped to this value before ``exp``: ``exp(700)`` is about
#: ``1e304``, still finite in float64. Only rejected trial steps of a stiff solver
#: reach it; on the true flow :math:`|\tilde\beta|` stays of order one.
MAX_EXPONENT = 700.0

#: ``exp`` and ``sinh`` of arguments below this size are finite and normal in float64 (they
#: overflow near 709.8 and ``exp`` becomes subnormal near -708): the fast route of the maps below.
SAFE_EXPONENT = 700.0

#: Above ``|x| = exp(20)``, ``arcsinh(x)`` equals ``sign(x) log(2|x|)`` to relative
#: accuracy ``exp(-40)``, below float64 resolution.
LARGE_LOG_ARCSINH = 20.0

CLOCKS = ("accelerated", "raw")


def log_inverse_alpha(alpha):
    r""":math:`\ell=\log(1/\alpha)`, the factor between the raw and accelerated clocks."""
    return -np.log(alpha)


def initialization(alpha, n_features):
    r"""The initialisation of scale :math:`\alpha`: :math:`u_0=\sqrt2\alpha\mathbf 1`, :math:`v_0=0`.

    Parameters
    ----------
    alpha : float
        Initialisation scale, :math:`\alpha>0`.
    n_features : int

    Returns
    -------
    u0, v0 : ndarray, shape (n_features,)
    """
    alpha = check_positive(alpha, "alpha")
    n_features = check_positive_int(n_features, "n_features")
    return np.full(n_features, np.sqrt(2.0) * alpha), np.zeros(n_features)


def beta_from_uv(u, v):
    r""":math:`\beta=u\odot v`."""
    return np.asarray(u) * np.asarray(v)


def w_from_uv(u, v):
    r""":math:`w_\pm=(u\pm v)/\sqrt2`, so that :math:`\beta=\frac12(w_+^2-w_-^2)`."""
    u, v = np.asarray(u), np.asarray(v)
    return (u + v) / np.sqrt(2.0), (u - v) / np.sqrt(2.0)


def beta_from_w(w_plus, w_minus):
    r""":math:`\beta=\frac12(w_+^2-w_-^2)`, the same network as :math:`u\odot v`."""
    return 0.5 * (np.asarray(w_plus) ** 2 - np.asarray(w_minus) ** 2)


def conserved_quantity(u, v):
    r""":math:`u^2-v^2`, constant (coordinate-wise) along gradient flow; :math:`2\alpha^2` at initialisation."""
    return np.asarray(u) ** 2 - np.asarray(v) ** 2


def beta_from_dual(dual, alpha, *, clock="accelerated"):
    r"""The network's output from its dual variable.

    On the accelerated clock, :math:`\tilde\beta=\frac12(e^{2\ell(S-1)}-e^{-2\ell(S+1)})`
    with :math:`S` the dual and :math:`\ell=\log(1/\alpha)` (needs :math:`\alpha<1`);
    on the raw clock, :math:`\beta=\alpha^2\sinh(2\theta)` with :math:`\theta` the dual.

    Parameters
    ----------
    dual : array_like, shape (..., n_features)
        :math:`S` (accelerated clock) or :math:`\theta` (raw clock).
    alpha : float
    clock : {"accelerated", "raw"}

    Returns
    -------
    ndarray, shape (..., n_features)
    """
    _check_clock_alpha(alpha, clock)
    return _beta_from_dual(np.asarray(dual, dtype=float), alpha, clock)


def dual_from_beta(beta, alpha, *, clock="accelerated"):
    r"""Inverse of :func:`beta_from_dual`: :math:`\theta=\frac12\operatorname{arcsinh}(\beta/\alpha^2)`, :math:`S=\theta/\ell`."""
    _check_clock_alpha(alpha, clock)
    beta = np.asarray(beta, dtype=float)
    # theta = arcsinh(x) / 2 with x = beta / alpha^2, whose log is log|beta| + 2 ell.
    # Where |x| is large, arcsinh(x) = sign(x) (log 2|x|) up to 1/(4x^2); elsewhere
    # x is representable and arcsinh is evaluated directly. alpha^2 is never formed.
    ell = log_inverse_alpha(alpha)
    with np.errstate(divide="ignore", invalid="ignore"):
        log_x = np.log(np.abs(beta)) + 2 * ell
        large = log_x > LARGE_LOG_ARCSINH
        x = np.sign(beta) * np.exp(np.minimum(log_x, LARGE_LOG_ARCSINH))
        theta = 0.5 * np.where(large, np.sign(beta) * (np.log(2.0) + log_x), np.arcsinh(x))
    return theta / ell if clock == "accelerated" else theta


def dbeta_ddual(dual, alpha, *, clock="accelerated"):
    r"""Derivative of :func:`beta_from_dual`, coordinate-wise.

    :math:`\ell(e^{2\ell(S-1)}+e^{-2\ell(S+1)})` on the accelerated clock,
    :math:`2\alpha^2\cosh(2\theta)` on the raw clock. It is also
    :math:`2\sqrt{\beta^2+\alpha^4}` times the clock factor, the mirror-flow metric.
    """
    _check_clock_alpha(alpha, clock)
    return _dbeta_ddual(np.asarray(dual, dtype=float), alpha, clock)


def hyperbolic_entropy(beta, alpha):
    r"""The hyperbolic entropy :math:`\phi_\alpha(\beta)`.

    .. math::

        \phi_\alpha(\beta)=\frac12\sum_i\Big(\beta_i\operatorname{arcsinh}\frac{\beta_i}{\alpha^2}
        -\sqrt{\beta_i^2+\alpha^4}+\alpha^2\Big),

    convex with gradient :math:`\frac12\operatorname{arcsinh}(\beta/\alpha^2)`. Gradient flow of
    the network is mirror flow with this potential, so it converges to the
    minimiser of :math:`\phi_\alpha` over :math:`\arg\min L`.

    Parameters
    ----------
    beta : array_like, shape (..., n_features)
    alpha : float
        :math:`\alpha>0`.

    Returns
    -------
    ndarray, shape (...)
    """
    alpha = check_positive(alpha, "alpha")
    beta = np.asarray(beta, dtype=float)
    a2 = alpha**2
    # sqrt(b^2 + a^4) - a^2 = b^2 / (sqrt(b^2 + a^4) + a^2) avoids cancellation when |b| << a^2.
    root = np.hypot(beta, a2)
    terms = beta * np.arcsinh(beta / a2) - beta**2 / (root + a2)
    return 0.5 * np.sum(terms, axis=-1)


def mirror_map(beta, alpha):
    r""":math:`\nabla\phi_\alpha(\beta)=\frac12\operatorname{arcsinh}(\beta/\alpha^2)`."""
    return dual_from_beta(beta, check_positive(alpha, "alpha"), clock="raw")


def _check_clock_alpha(alpha, clock):
    check_choice(clock, "clock", CLOCKS)
    if clock == "accelerated":
        check_positive(alpha, "alpha", upper=1.0, upper_name=" on the accelerated clock (use clock='raw')")
    else:
        check_positive(alpha, "alpha")


def _scale_and_rate(alpha, clock):
    r"""``(k, c)`` with :math:`\beta=e^{k}\sinh(c\,x)`: :math:`(-2\ell, 2\ell)` for :math:`x=S`, :math:`(2\log\alpha, 2)` for :math:`x=\theta`."""
    if clock == "raw":
        return 2 * np.log(alpha), 2.0
    ell = log_inverse_alpha(alpha)
    return -2 * ell, 2 * ell


def _beta_from_dual(dual, alpha, clock):
    # beta = e^k sinh(c x). Where e^k (= alpha^2) is representable and sinh cannot overflow, that
    # product is accurate and fast (one transcendental). Otherwise, for alpha below ~1e-150 or on
    # rejected trial steps, use sign(x) e^{c|x| + k} (1 - e^{-2c|x|}) / 2 with the exponent clipped:
    # it never forms e^k and has no cancellation when |x| is small.
    k, c = _scale_and_rate(alpha, clock)
    cx = c * dual
    if k > -SAFE_EXPONENT and np.max(np.abs(cx), initial=0.0) < SAFE_EXPONENT:
        return np.exp(k) * np.sinh(cx)
    magnitude = np.exp(np.minimum(np.abs(cx) + k, MAX_EXPONENT))
    return 0.5 * np.sign(cx) * magnitude * -np.expm1(-2 * np.abs(cx))


def _dbeta_ddual(dual, alpha, clock):
    # c e^k cosh(c x), by the same two routes as _beta_from_dual.
    k, c = _scale_and_rate(alpha, clock)
    cx = c * dual
    if k > -SAFE_EXPONENT and np.max(np.abs(cx), initial=0.0) < SAFE_EXPONENT:
        return c * np.exp(k) * np.cosh(cx)
    magnitude = np.exp(np.minimum(np.abs(cx) + k, MAX_EXPONENT))
    return 0.5 * c * magnitude * (1 + np.exp(-2 * np.abs(cx)))
