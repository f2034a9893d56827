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

import math

import numpy as np

from ._checks import CLOCKS, check_alpha, check_positive_int

__all__ = [
    "CLOCKS",
    "MAX_EXPONENT",
    "beta_from_dual",
    "beta_from_uv",
    "beta_from_w",
    "conserved_quantity",
    "dbeta_ddual",
    "dual_from_beta",
    "hyperbolic_entropy",
    "initialization",
    "log_inverse_alpha",
    "mirror_map",
    "w_from_uv",
]

#: Default cap on the exponent of the maps below: results are clipped at ``exp(700)``, about
#: ``1e304``, still finite in float64. On the true flow :math:`|\tilde\beta|` stays far below;
#: only trial points of a solver (rejected steps, line searches) reach it. A caller whose later
#: arithmetic needs more headroom (the flow's right-hand side) passes a smaller cap.
MAX_EXPONENT = 700.0

#: ``exp`` and ``sinh`` of arguments below this size are finite and normal in float64 (they
#: overflow near 709.8 and ``exp`` becomes subnormal near -708): the fast route of the maps below.
SAFE_EXPONENT = 700.0

#: Above ``|x| = exp(20)``, ``arcsinh(x)`` equals ``sign(x) log(2|x|)`` to relative
#: accuracy ``exp(-40)``, below float64 resolution; so does ``|x| / (sqrt(x^2 + 1) + 1)``
#: equal ``1 - 1/|x|``.
LARGE_LOG_ARCSINH = 20.0


def log_inverse_alpha(alpha):
    r""":math:`\ell=\log(1/\alpha)`, the factor between the raw and accelerated clocks.

    Parameters
    ----------
    alpha : float
        Initialisation scale, :math:`\alpha>0`.

    Returns
    -------
    float
        :math:`\ell`; a raw time :math:`t` is :math:`\tilde t=t/\ell` on the accelerated clock.

    Examples
    --------
    >>> from dlnlib.network import log_inverse_alpha
    >>> round(float(log_inverse_alpha(1e-100)), 3)
    230.259
    """
    return -np.log(alpha)


def initialization(alpha, n_features):
    r"""The initialisation of scale :math:`\alpha`: :math:`u_0=\sqrt2\alpha\mathbf 1`, :math:`v_0=0`.

    Parameters
    ----------
    alpha : float
        Initialisation scale, :math:`\alpha>0`.
    n_features : int
        Number of coordinates :math:`d`.

    Returns
    -------
    u0 : ndarray, shape (n_features,)
        :math:`\sqrt2\alpha\mathbf 1`.
    v0 : ndarray, shape (n_features,)
        Zeros.

    Examples
    --------
    >>> import dlnlib
    >>> u0, v0 = dlnlib.initialization(0.5, 2)
    >>> u0.round(4), v0
    (array([0.7071, 0.7071]), array([0., 0.]))
    """
    alpha = check_alpha(alpha)
    n_features = check_positive_int(n_features, "n_features")
    return np.full(n_features, np.sqrt(2.0) * alpha), np.zeros(n_features)


def beta_from_uv(u, v):
    r"""The network's output :math:`\beta=u\odot v`.

    Parameters
    ----------
    u, v : array_like, shape (..., n_features)
        The two layers.

    Returns
    -------
    ndarray, shape (..., n_features)
        :math:`\beta`.

    Examples
    --------
    >>> import dlnlib
    >>> dlnlib.beta_from_uv([1.0, 2.0], [3.0, -1.0])
    array([ 3., -2.])
    """
    return np.asarray(u) * np.asarray(v)


def w_from_uv(u, v):
    r"""The rotated layers :math:`w_\pm=(u\pm v)/\sqrt2`, so that :math:`\beta=\frac12(w_+^2-w_-^2)`.

    Parameters
    ----------
    u, v : array_like, shape (..., n_features)
        The two layers.

    Returns
    -------
    w_plus : ndarray, shape (..., n_features)
        :math:`w_+=(u+v)/\sqrt2`.
    w_minus : ndarray, shape (..., n_features)
        :math:`w_-=(u-v)/\sqrt2`.

    Examples
    --------
    >>> import dlnlib
    >>> w_plus, w_minus = dlnlib.w_from_uv([1.0], [1.0])
    >>> w_plus.round(4), w_minus
    (array([1.4142]), array([0.]))
    """
    u, v = np.asarray(u), np.asarray(v)
    return (u + v) / np.sqrt(2.0), (u - v) / np.sqrt(2.0)


def beta_from_w(w_plus, w_minus):
    r"""The network's output :math:`\beta=\frac12(w_+^2-w_-^2)`, the same network as :math:`u\odot v`.

    Parameters
    ----------
    w_plus, w_minus : array_like, shape (..., n_features)
        The rotated layers of :func:`w_from_uv`.

    Returns
    -------
    ndarray, shape (..., n_features)
        :math:`\beta`.

    Examples
    --------
    >>> import dlnlib
    >>> dlnlib.beta_from_w(*dlnlib.w_from_uv([1.0, 2.0], [3.0, -1.0])).round(12)
    array([ 3., -2.])
    """
    return 0.5 * (np.asarray(w_plus) ** 2 - np.asarray(w_minus) ** 2)


def conserved_quantity(u, v):
    r"""The quantity :math:`u^2-v^2` that gradient flow conserves coordinate-wise (:math:`2\alpha^2` at initialisation).

    Parameters
    ----------
    u, v : array_like, shape (..., n_features)
        The two layers.

    Returns
    -------
    ndarray, shape (..., n_features)
        :math:`u^2-v^2`.

    Examples
    --------
    >>> import dlnlib
    >>> dlnlib.conserved_quantity(*dlnlib.initialization(0.5, 2))
    array([0.5, 0.5])
    """
    return np.asarray(u) ** 2 - np.asarray(v) ** 2


def beta_from_dual(dual, alpha, *, clock="accelerated"):
    r"""The network's output from its dual variable.

    On the accelerated clock, :math:`\tilde\beta=\frac12(e^{2\ell(S-1)}-e^{-2\ell(S+1)})`
    with :math:`S` the dual and :math:`\ell=\log(1/\alpha)` (needs :math:`\alpha<1`);
    on the raw clock, :math:`\beta=\alpha^2\sinh(2\theta)` with :math:`\theta` the dual.
    Neither :math:`\alpha^2` nor :math:`e^{\pm 2\ell}` is formed, so the map is accurate for
    every :math:`\alpha` from ``1e-300`` to ``1e150``; results beyond ``exp(MAX_EXPONENT)`` are
    clipped there.

    Parameters
    ----------
    dual : array_like, shape (..., n_features)
        :math:`S` (accelerated clock) or :math:`\theta` (raw clock).
    alpha : float
        Initialisation scale.
    clock : {"accelerated", "raw"}, default "accelerated"
        Which dual ``dual`` is.

    Returns
    -------
    ndarray, shape (..., n_features)
        :math:`\beta`.

    Examples
    --------
    >>> import dlnlib
    >>> dlnlib.beta_from_dual([0.0, 1.0], 1e-100)  # |beta| = alpha^(2 (1 - |S|)) / 2
    array([0. , 0.5])
    """
    alpha = check_alpha(alpha, clock)
    return _beta_from_dual(np.asarray(dual, dtype=float), alpha, clock)


def dual_from_beta(beta, alpha, *, clock="accelerated"):
    r"""The dual of :math:`\beta`, inverse of :func:`beta_from_dual`.

    :math:`\theta=\frac12\operatorname{arcsinh}(\beta/\alpha^2)` on the raw clock,
    :math:`S=\theta/\ell` on the accelerated one.

    Parameters
    ----------
    beta : array_like, shape (..., n_features)
        The network's output.
    alpha : float
        Initialisation scale.
    clock : {"accelerated", "raw"}, default "accelerated"
        Return :math:`S` (accelerated) or :math:`\theta` (raw).

    Returns
    -------
    ndarray, shape (..., n_features)
        The dual.

    Examples
    --------
    >>> import dlnlib
    >>> dlnlib.dual_from_beta([0.5], 1e-100).round(12)
    array([1.])
    """
    alpha = check_alpha(alpha, clock)
    theta = _half_arcsinh_ratio(np.asarray(beta, dtype=float), np.log(alpha))
    return theta / log_inverse_alpha(alpha) if clock == "accelerated" else theta


def dbeta_ddual(dual, alpha, *, clock="accelerated"):
    r"""Derivative of :func:`beta_from_dual`, coordinate-wise.

    :math:`\ell(e^{2\ell(S-1)}+e^{-2\ell(S+1)})` on the accelerated clock,
    :math:`2\alpha^2\cosh(2\theta)` on the raw clock. It is also
    :math:`2\sqrt{\beta^2+\alpha^4}` times the clock factor, the mirror-flow metric.

    Parameters
    ----------
    dual : array_like, shape (..., n_features)
        :math:`S` (accelerated clock) or :math:`\theta` (raw clock).
    alpha : float
        Initialisation scale.
    clock : {"accelerated", "raw"}, default "accelerated"
        Which dual ``dual`` is.

    Returns
    -------
    ndarray, shape (..., n_features)
        :math:`d\beta_i/dS_i` or :math:`d\beta_i/d\theta_i`.

    Examples
    --------
    >>> import dlnlib
    >>> dlnlib.dbeta_ddual([0.0], 0.5, clock="raw")  # 2 alpha^2
    array([0.5])
    """
    alpha = check_alpha(alpha, clock)
    return _dbeta_ddual(np.asarray(dual, dtype=float), alpha, clock)


def hyperbolic_entropy(beta, alpha):
    r"""The hyperbolic entropy :math:`\phi_\alpha(\beta)`.

    .. math::

        \phi_\alpha(\beta)=\frac12\sum_i\Big(\beta_i\operatorname{arcsinh}\frac{\beta_i}{\alpha^2}
        -\sqrt{\beta_i^2+\alpha^4}+\alpha^2\Big),

    convex with gradient :math:`\frac12\operatorname{arcsinh}(\beta/\alpha^2)`. Gradient flow of
    the network is mirror flow with this potential, so it converges to the
    minimiser of :math:`\phi_\alpha` over :math:`\arg\min L`. With :math:`x=\beta/\alpha^2`
    each term is :math:`\beta\operatorname{arcsinh}x-|\beta|\,|x|/(\sqrt{x^2+1}+1)`, evaluated
    from :math:`\log|x|=\log|\beta|-2\log\alpha` without forming :math:`\alpha^2`, so it is finite
    and accurate for every :math:`\alpha` from ``1e-300`` to ``1e300``.

    Parameters
    ----------
    beta : array_like, shape (..., n_features)
        The network's output.
    alpha : float
        Initialisation scale, :math:`\alpha>0`.

    Returns
    -------
    ndarray, shape (...)
        :math:`\phi_\alpha(\beta)`.

    Examples
    --------
    >>> import dlnlib
    >>> float(dlnlib.hyperbolic_entropy([0.0, 1.0], 1e-200).round(3))  # ~ (log(2e400) - 1) / 2
    460.364
    """
    alpha = check_alpha(alpha)
    beta = np.asarray(beta, dtype=float)
    log_x, x = _log_ratio(beta, np.log(alpha))
    with np.errstate(over="ignore", invalid="ignore"):
        # |x| / (sqrt(x^2 + 1) + 1): written so that neither x^2 overflows nor 1 - ... cancels.
        fraction = np.where(log_x > LARGE_LOG_ARCSINH, -np.expm1(-log_x), np.abs(x) / (np.hypot(x, 1.0) + 1.0))
    terms = 2 * beta * _half_arcsinh_ratio(beta, np.log(alpha)) - np.abs(beta) * fraction
    return 0.5 * np.sum(terms, axis=-1)


def mirror_map(beta, alpha):
    r"""The mirror map :math:`\nabla\phi_\alpha(\beta)=\frac12\operatorname{arcsinh}(\beta/\alpha^2)`.

    Parameters
    ----------
    beta : array_like, shape (..., n_features)
        The network's output.
    alpha : float
        Initialisation scale, :math:`\alpha>0`.

    Returns
    -------
    ndarray, shape (..., n_features)
        :math:`\theta`, the dual of :math:`\beta` on the raw clock.

    Examples
    --------
    >>> import dlnlib
    >>> dlnlib.mirror_map([0.0], 1.0)
    array([0.])
    """
    return dual_from_beta(beta, check_alpha(alpha), clock="raw")


# --------------------------------------------------------------------------------------------
# Private kernels (trusted inputs). One home for e^k sinh(x) and e^k cosh(x): the flow's dual
# map, its derivative and the implicit-bias dual all use them.
# --------------------------------------------------------------------------------------------


def _scaled_sinh(x, log_scale, max_exponent=MAX_EXPONENT):
    r""":math:`e^{k}\sinh(x)` with :math:`k` = ``log_scale``, its magnitude clipped at ``exp(max_exponent)``.

    Where :math:`e^k` and :math:`\sinh x` are both normal floats and the product stays below the
    clip, the product itself (one transcendental, no cancellation). Otherwise
    :math:`\operatorname{sign}(x)\exp\big(k+|x|+\log\frac{1-e^{-2|x|}}2\big)`: it never forms
    :math:`e^k`, so it is right for :math:`k` of any size, and is accurate for tiny :math:`|x|`.
    """
    x = np.asarray(x, dtype=float)
    largest = max(x.max(initial=0.0), -x.min(initial=0.0))
    if -SAFE_EXPONENT < log_scale and largest < SAFE_EXPONENT and largest + log_scale < max_exponent:
        return math.exp(log_scale) * np.sinh(x)
    size = np.abs(x)
    with np.errstate(divide="ignore"):
        log_magnitude = log_scale + size + np.log(-0.5 * np.expm1(-2 * size))
    return np.sign(x) * np.exp(np.minimum(log_magnitude, max_exponent))


def _scaled_cosh(x, log_scale, max_exponent=MAX_EXPONENT):
    r""":math:`e^{k}\cosh(x)` with :math:`k` = ``log_scale``, clipped at ``exp(max_exponent)``.

    The same two routes as :func:`_scaled_sinh`.
    """
    x = np.asarray(x, dtype=float)
    largest = max(x.max(initial=0.0), -x.min(initial=0.0))
    if -SAFE_EXPONENT < log_scale and largest < SAFE_EXPONENT and largest + log_scale < max_exponent:
        return math.exp(log_scale) * np.cosh(x)
    size = np.abs(x)
    log_magnitude = log_scale + size + np.log1p(np.exp(-2 * size)) - np.log(2.0)
    return np.exp(np.minimum(log_magnitude, max_exponent))


def _scale_and_rate(alpha, clock):
    r"""``(k, c)`` with :math:`\beta=e^{k}\sinh(c\,x)`.

    :math:`(-2\ell, 2\ell)` for :math:`x=S` (accelerated clock), :math:`(2\log\alpha, 2)` for :math:`x=\theta` (raw).
    """
    if clock == "raw":
        return 2 * np.log(alpha), 2.0
    ell = log_inverse_alpha(alpha)
    return -2 * ell, 2 * ell


def _beta_from_dual(dual, alpha, clock, max_exponent=MAX_EXPONENT):
    k, c = _scale_and_rate(alpha, clock)
    return _scaled_sinh(c * dual, k, max_exponent)


def _dbeta_ddual(dual, alpha, clock, max_exponent=MAX_EXPONENT):
    k, c = _scale_and_rate(alpha, clock)
    return _scaled_cosh(c * dual, k + np.log(c), max_exponent)


def _log_ratio(beta, log_alpha):
    r""":math:`\log|x|` and :math:`x=\beta/\alpha^2` (its magnitude capped at ``exp(LARGE_LOG_ARCSINH)``)."""
    with np.errstate(divide="ignore"):
        log_x = np.log(np.abs(beta)) - 2 * log_alpha
    return log_x, np.sign(beta) * np.exp(np.minimum(log_x, LARGE_LOG_ARCSINH))


def _half_arcsinh_ratio(beta, log_alpha):
    r""":math:`\theta=\frac12\operatorname{arcsinh}(\beta/\alpha^2)` without forming :math:`\alpha^2`.

    Where :math:`|x|=|\beta|/\alpha^2` is large, :math:`\operatorname{arcsinh}x=\operatorname{sign}(x)\log2|x|`
    up to :math:`1/(4x^2)`; elsewhere :math:`x` is representable and arcsinh is evaluated directly.
    """
    log_x, x = _log_ratio(beta, log_alpha)
    with np.errstate(invalid="ignore"):  # 0 * -inf where beta = 0, discarded by the where
        return 0.5 * np.where(log_x > LARGE_LOG_ARCSINH, np.sign(beta) * (np.log(2.0) + log_x), np.arcsinh(x))
