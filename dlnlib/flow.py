r"""The exact gradient flow of a diagonal linear network, and discrete gradient descent.

Gradient flow on :math:`F(u,v)=L(u\odot v)` from :math:`u_0=\sqrt2\alpha\mathbf 1`, :math:`v_0=0`
is, in the variable :math:`\theta` with :math:`u=\sqrt2\alpha\cosh\theta`,
:math:`v=\sqrt2\alpha\sinh\theta`,

.. math:: \dot\theta=-\nabla L(\beta),\qquad \beta=\alpha^2\sinh(2\theta),\qquad \theta(0)=0,

and on the accelerated clock :math:`\tilde t=t/\ell`, :math:`\ell=\log(1/\alpha)`, the dual
:math:`S=\theta/\ell` solves

.. math:: \dot S=-\nabla L(\tilde\beta(S)),\qquad
          \tilde\beta(S)=\tfrac12\big(e^{2\ell(S-1)}-e^{-2\ell(S+1)}\big),\qquad S(0)=0 .

:math:`S` stays of order one for every :math:`\alpha`, so :func:`gradient_flow` integrates it
with a stiff solver and the analytic Jacobian; that is how the flow is simulated down to
:math:`\alpha=10^{-300}`. Because :math:`\dot S=-\frac1nX^\top(X\tilde\beta-y)` lies in the row
space of :math:`X`, when :math:`d>n` the solver integrates :math:`\nu\in\mathbb R^n` with
:math:`S=X^\top\nu` instead, a much smaller system.

:func:`gradient_descent` runs plain float64 gradient descent (or mini-batch SGD) on
:math:`(u,v)`, for comparison with the flow: it is what a practitioner would run, and below
:math:`\alpha\approx10^{-8}` float64 cannot hold the conserved quantity
:math:`u_i^2-v_i^2=2\alpha^2` any more, so it stalls at saddles the true flow leaves. It
warns (:class:`~dlnlib.errors.PrecisionWarning`) when that happens.
"""

import warnings
from dataclasses import dataclass, field
from functools import cached_property

import numpy as np

from ._checks import (
    as_finite_array,
    check_alpha,
    check_choice,
    check_positive,
    check_positive_int,
    check_random_state,
    check_times,
    readonly,
    readonly_int,
)
from .errors import DivergenceWarning, PrecisionWarning
from .network import MAX_EXPONENT, _scale_and_rate, _scaled_cosh, _scaled_sinh, log_inverse_alpha
from .problem import check_problem

__all__ = [
    "DEFAULT_ATOL",
    "DEFAULT_MAX_STEPS",
    "DEFAULT_RTOL",
    "METHODS",
    "DescentPath",
    "FlowPath",
    "gradient_descent",
    "gradient_flow",
]

#: The ``method`` strings :func:`gradient_flow` accepts, mapped to ``scipy.integrate`` solver classes;
#: both are implicit and use the analytic Jacobian. LSODA (the default) was the fastest on every
#: case measured (``benchmarks/bench_flow.py``); Radau is as accurate but several times slower.
#: BDF is deliberately absent, as DESIGN.md warned: on the 3-coordinate example (with this
#: Jacobian and the default tolerances) it reports success at alpha = 1e-20 on a path whose
#: dual is off by 1, and stops near t = 4 at alpha = 1e-100.
METHODS = {"LSODA": "LSODA", "Radau": "Radau"}

#: Default relative tolerance of the solver on the dual (``S``, ``theta``, or ``nu`` with
#: ``S = X^T nu``). With :data:`DEFAULT_ATOL` the dual stays within 3e-5 of a reference
#: computed at ``rtol=1e-11`` (measured on the 3-coordinate example and on
#: ``sparse_regression(100, 1000, 5)`` for alpha from 1e-2 to 1e-300), 30x below the 1e-3 a
#: plot could show. ``beta`` is exponential in the dual, so where it moves its relative error can
#: be ``2 log(1/alpha)`` times the dual's (1380 at alpha = 1e-300); tighten both tolerances when
#: beta itself must be accurate at tiny alpha.
DEFAULT_RTOL = 1e-6

#: Default absolute tolerance on the dual (``S`` is of order one on the accelerated clock).
#: When the state is ``nu`` (``d > n``) it is divided by ``max_i ||X_i||``: an error ``e`` in
#: ``nu`` moves ``S_i = X_i^T nu`` by about ``||X_i|| rms(e)``, which keeps the measured dual
#: error the same whichever state is integrated.
DEFAULT_ATOL = 1e-8

#: Default cap on the solver's accepted steps: :func:`gradient_flow` stops (``success=False``,
#: with a message saying so) rather than run on. The flows of the book take a few hundred steps,
#: as does a noisy ``n=500, d=20000`` problem up to t = 3 at alpha = 1e-100.
DEFAULT_MAX_STEPS = 100_000

#: The flow's right-hand side and Jacobian are kept below this size: the dual map is clipped so
#: that they cannot exceed it (see :class:`_DualFlow`), which leaves the solvers a factor
#: ``1e200`` of headroom for their own arithmetic (squares in error norms, LU factors) before
#: float64 overflows. Only trial points of the solver come near the clip.
FINITE_LIMIT = 1e100

#: A coordinate whose :math:`\beta_i` moves the right-hand side by less than this fraction of
#: float64's resolution of :math:`y` (summed over all such coordinates) is left out of
#: :math:`X\beta`: the result is the same to rounding, and at tiny alpha almost every coordinate
#: is such, so each evaluation costs :math:`O(n\,|\text{near-active}|)` instead of :math:`O(nd)`.
NEGLIGIBLE = 1.0

#: When more than this fraction of the coordinates may be near-active (see :class:`_DualFlow`),
#: the right-hand side computes the whole dual :math:`S=X^\top\nu` (and makes it its new reference).
NEAR_ACTIVE_FRACTION = 0.25

#: The Jacobian leaves out the columns with the smallest rank-one terms
#: :math:`\beta'(S_i)\lVert X_i\rVert^2/n` (times the time factor) while their sum stays below this
#: fraction of the largest term, or of 1 (the identity in the solver's Newton matrix
#: :math:`I-h\gamma J`, with steps :math:`h\le1` on the solver's unit interval). The Newton matrix
#: then errs by at most this fraction; stiff solvers reuse Jacobians that err by far more (they
#: were computed steps earlier), and the error slows the Newton iteration only, never the
#: accuracy of the accepted steps. At tiny alpha it leaves the near-active columns only.
JACOBIAN_DROP = 1e-6

#: Warn from :func:`gradient_descent` once the float64 rounding error in ``u_i^2 - v_i^2``,
#: about ``eps * max(u_i^2, v_i^2)``, exceeds this fraction of the conserved value
#: ``2 alpha^2``: rounding errors of random sign then add up to the whole conserved quantity
#: within ``1 / PRECISION_RATIO**2`` steps, after which a coordinate can become exactly
#: balanced (``|u_i| = |v_i|``) and never change sign again.
PRECISION_RATIO = 1e-2

#: :func:`gradient_descent` refuses to store more than this many floats per recorded array
#: (``n_records * n_features``); 5e7 floats is 400 MB, and four such arrays are kept.
MAX_RECORDED_FLOATS = 50_000_000

#: :meth:`FlowPath.time_to_loss` locates a crossing on the dense output to this relative accuracy in time.
CROSSING_RTOL = 1e-12


class _DualFlow:
    r"""The ODE that :func:`gradient_flow` integrates: its state, dual map, right-hand side and Jacobian.

    In the original units the dual solves :math:`\dot S=-\frac1nX^\top(X\beta(S)-y)` with
    :math:`\beta(S)=e^k\sinh(cS)` (:func:`dlnlib.network._scale_and_rate`). The solver sees the
    same ODE with three exact changes of units, so that every quantity it touches is of order
    one whatever the data and ``t_max``:

    * data scaled by powers of two, :math:`X=a\hat X`, :math:`y=b\hat y` (exact in float64), with
      :math:`a` the nearest power of two to :math:`\max_{ij}|X_{ij}|` and :math:`b` to
      :math:`\lVert y\rVert_\infty`; then :math:`\hat\beta=(a/b)\beta=e^{\hat k}\sinh(cS)`,
      :math:`\hat k=k+\log(a/b)`;
    * time :math:`\tau=t/t_{\max}\in[0,1]` (LSODA never starts on an interval below about 1e-155);
    * when :math:`d>n`, the state :math:`\hat\nu\in\mathbb R^n` with :math:`S=\hat X^\top\hat\nu`.

    So :math:`dS/d\tau=-T\hat X^\top(\hat X\hat\beta-\hat y)/n` with :math:`T=t_{\max}ab`, and
    :math:`d\hat\nu/d\tau=-T(\hat X\hat\beta-\hat y)/n`. :math:`\hat\beta` is clipped at
    ``exp(max_exponent)``, chosen so that the right-hand side and Jacobian stay below
    :data:`FINITE_LIMIT`; the true flow never comes near the clip (its loss decreases, so
    :math:`\lVert\hat X\hat\beta\rVert\le2\lVert\hat y\rVert`), only a solver's trial points do.

    The object holds no closures, so it pickles with the :class:`FlowPath` that keeps it.
    """

    def __init__(self, problem, alpha, clock, t_max):
        X, y, n, d = problem.X, problem.y, problem.n_samples, problem.n_features
        self.n_samples = n
        self.clock, self.alpha, self.t_max = clock, alpha, t_max
        self._x_exponent = _power_of_two(np.max(np.abs(X)))
        self._y_exponent = _power_of_two(np.max(np.abs(y)))
        self.X = np.ldexp(X, -self._x_exponent) if self._x_exponent else X
        self.y = np.ldexp(y, -self._y_exponent)
        k, self.rate = _scale_and_rate(alpha, clock)
        self.log_scale = k + (self._x_exponent - self._y_exponent) * np.log(2.0)
        self.time_factor = t_max * np.ldexp(1.0, self._x_exponent + self._y_exponent)
        self.reduced = d > n
        self.column_norms = np.sqrt(np.einsum("ij,ij->j", self.X, self.X))

        # |X_hat_ij| <= sqrt(2), so 2 d |beta_hat| bounds |G_hat beta_hat| and n |X_hat beta_hat| / n,
        # and 2 d c |beta_hat| every Jacobian entry: clip beta_hat where T c 2d |beta_hat| = FINITE_LIMIT.
        size = 2.0 * d * max(self.rate, 1.0) * max(self.time_factor, 1.0)
        self.max_exponent = min(MAX_EXPONENT, np.log(FINITE_LIMIT / size))
        # beta_i is left out of X beta while |beta_i| max|X_hat| stays below NEGLIGIBLE eps / d (all
        # such terms add up to less than NEGLIGIBLE eps ||y_hat||_inf, and ||y_hat||_inf >= 1/sqrt2):
        # since |beta_hat_i| <= exp(log_scale + c |S_i|) / 2, that holds while |S_i| <= negligible_dual.
        negligible = NEGLIGIBLE * np.finfo(float).eps / (np.sqrt(2) * d)
        self._negligible_dual = (np.log(2 * negligible / np.sqrt(2)) - self.log_scale) / self.rate
        self._reference = None
        # The right-hand side is y_rhs - A (T/n or T) beta_hat: that factor goes into the log scale.
        self._rhs_log_scale = self.log_scale + np.log(self.time_factor / (n if self.reduced else 1))
        self._rhs_max_exponent = self.max_exponent + np.log(max(self.time_factor / (n if self.reduced else 1), 1.0))
        if self.reduced:
            if self._negligible_dual > 0:
                # Coordinates can be skipped: make the near-active columns contiguous.
                self.X = np.asfortranarray(self.X)
            self.y_rhs = self.time_factor * self.y / n
        else:
            # Use the problem's cached Gram matrix unless scaling it back could under- or overflow.
            if abs(self._x_exponent) < 450:
                self.gram = problem.gram * np.ldexp(1.0, -2 * self._x_exponent)
            else:
                self.gram = self.X.T @ self.X / n
            self.y_rhs = self.time_factor * (self.X.T @ self.y) / n
        self.nfev = 0

    # -- the maps -------------------------------------------------------------------------
    @property
    def state_size(self):
        """Length of the state: :math:`n` (the state is :math:`\\hat\\nu`) or :math:`d` (it is :math:`S`)."""
        return self.n_samples if self.reduced else self.X.shape[1]

    def dual(self, state):
        """The dual :math:`S` (or :math:`\\theta`), shape (..., d), from states of shape (..., state_size)."""
        return state @ self.X if self.reduced else state

    def scaled_beta(self, dual):
        r""":math:`\hat\beta=(a/b)\beta`, clipped at ``exp(max_exponent)``."""
        return _scaled_sinh(self.rate * dual, self.log_scale, self.max_exponent)

    def beta(self, dual):
        r""":math:`\beta` in the original units (not clipped beyond float64's own range)."""
        shift = self._y_exponent - self._x_exponent
        return _scaled_sinh(self.rate * dual, self.log_scale + shift * np.log(2.0))

    def loss(self, beta):
        r""":math:`L(\beta)=\frac1{2n}\lVert X\beta-y\rVert^2`, computed in scaled units (no overflow)."""
        scaled = np.ldexp(beta, self._x_exponent - self._y_exponent)
        residual = scaled @ self.X.T - self.y
        return np.ldexp(np.einsum("...i,...i->...", residual, residual) / (2 * self.n_samples), 2 * self._y_exponent)

    # -- right-hand side and Jacobian, on the solver's clock tau ---------------------------
    def rhs(self, _, state):
        """:math:`d\\,\\text{state}/d\\tau`."""
        self.nfev += 1
        if not self.reduced:
            return self.y_rhs - self.gram @ _scaled_sinh(self.rate * state, self._rhs_log_scale, self._rhs_max_exponent)
        if self._negligible_dual <= 0:  # no coordinate is ever negligible (moderate alpha): plain products
            scaled_dual = (self.rate * state) @ self.X
            return self.y_rhs - self.X @ _scaled_sinh(scaled_dual, self._rhs_log_scale, self._rhs_max_exponent)
        index, dual = self._near_active(state)
        fit_beta = _scaled_sinh(self.rate * dual, self._rhs_log_scale, self._rhs_max_exponent)
        return self.y_rhs - (self.X @ fit_beta if index is None else self.X[:, index] @ fit_beta)

    def jacobian(self, _, state):
        """Jacobian of :meth:`rhs`.

        :math:`-\\frac Tn\\hat X\\operatorname{diag}(\\hat\\beta')\\hat X^\\top` (state :math:`\\hat\\nu`) or
        :math:`-T\\hat G\\operatorname{diag}(\\hat\\beta')` (state :math:`S`), without negligible columns.
        """
        if not self.reduced:
            return -self.time_factor * (self.gram * self.scaled_slope(state))
        index, dual = self._near_active(state)
        index = np.arange(dual.size) if index is None else index
        slope = self.scaled_slope(dual)
        factor = self.time_factor / self.n_samples
        terms = factor * slope * self.column_norms[index] ** 2
        # Drop the smallest rank-one terms while their sum stays below JACOBIAN_DROP (relative).
        order = np.argsort(terms)
        dropped = np.cumsum(terms[order]) <= JACOBIAN_DROP * max(terms.max(initial=0.0), 1.0)
        keep = np.sort(order[~dropped])
        columns = self.X[:, index[keep]]
        return -((columns * (factor * slope[keep])) @ columns.T)

    def scaled_slope(self, dual):
        r""":math:`d\hat\beta/dS`, clipped like :meth:`scaled_beta`."""
        return _scaled_cosh(self.rate * dual, self.log_scale + np.log(self.rate), self.max_exponent)

    def _near_active(self, state):
        r"""The coordinates whose :math:`\hat\beta_i` may not be negligible at ``state``, and their duals.

        Returns ``(None, S)`` with the whole dual, or ``(index, S[index])``. A coordinate is
        negligible where :math:`|S_i|\le s` (``negligible_dual``, see ``__init__``). The full
        :math:`S=\hat X^\top\hat\nu` costs :math:`O(nd)`, so it is computed only at a reference
        state :math:`\hat\nu_0`; elsewhere :math:`|S_i-S_{0,i}|\le\lVert\hat X_i\rVert\,\lVert\hat\nu-\hat\nu_0\rVert`
        bounds the move, and only the coordinates that may have reached :math:`s` are computed, at
        :math:`O(n)` each. When they are more than :data:`NEAR_ACTIVE_FRACTION` of all, the
        reference moves to ``state``.
        """
        if self._reference is not None:
            state0, dual0 = self._reference
            move = np.linalg.norm(state - state0) * self.column_norms
            candidates = np.flatnonzero(np.abs(dual0) + move > self._negligible_dual)
            if candidates.size <= NEAR_ACTIVE_FRACTION * dual0.size:
                return candidates, self.X[:, candidates].T @ state
        dual = self.dual(state)
        if self._negligible_dual > 0:  # some coordinate can be negligible: keep a reference
            self._reference = (np.array(state), dual)
            index = np.flatnonzero(np.abs(dual) > self._negligible_dual)
            if index.size <= NEAR_ACTIVE_FRACTION * dual.size:
                return index, dual[index]
        return None, dual

    def state_atol(self, atol):
        """The absolute tolerance on the state that gives ``atol`` on the dual (see :data:`DEFAULT_ATOL`)."""
        return atol / self.column_norms.max() if self.reduced else atol

    def clipped(self, dual):
        """Whether any coordinate of ``dual`` (shape (..., d)) is at the clip of :meth:`scaled_beta`."""
        return bool(np.max(self.rate * np.abs(dual), initial=0.0) + self.log_scale >= self.max_exponent - 1.0)


def _power_of_two(value):
    """The exponent ``p`` of the power of two nearest ``value`` (0 for 0), so that scaling by ``2**-p`` is exact."""
    return int(np.round(np.log2(value))) if value > 0 else 0


@dataclass(frozen=True, eq=False, kw_only=True)
class FlowPath:
    r"""The gradient flow of a diagonal linear network, sampled at times ``t``, with dense output.

    Made by :func:`gradient_flow`. ``beta``, ``dual`` and ``loss`` at the sampled times are
    computed on first access (each costs :math:`O(mnd)` when :math:`d>n`); :meth:`beta_at`,
    :meth:`dual_at` and :meth:`loss_at` evaluate the solver's interpolant at any times, in any
    order. The object pickles (for example to send sweeps to worker processes).

    Attributes
    ----------
    t : ndarray, shape (m,)
        Times, on the clock ``clock``: the solver's accepted steps, or ``t_eval``.
    beta : ndarray, shape (m, d)
        The network's output :math:`\beta` (:math:`\tilde\beta` on the accelerated clock).
    dual : ndarray, shape (m, d)
        :math:`S=\theta/\log(1/\alpha)` on the accelerated clock, :math:`\theta` on the raw clock.
    loss : ndarray, shape (m,)
        :math:`L(\beta)` at each time.
    alpha : float
        Initialisation scale.
    clock : {"accelerated", "raw"}
        Clock of ``t`` and of ``dual``.
    method : str
        The solver used (a key of :data:`METHODS`).
    success : bool
        Whether the solver reached ``t_max`` on a path it could verify (finite, within float64).
    message : str
        What happened.
    nfev, njev, nlu : int
        Right-hand side evaluations, Jacobian evaluations and LU decompositions.
    n_steps : int
        Accepted solver steps.
    t_max : float
        End of the computed range (the requested ``t_max`` unless the solver failed); the
        dense output covers ``[0, t_max]``.

    Examples
    --------
    >>> import pickle, dlnlib
    >>> path = dlnlib.gradient_flow(dlnlib.three_coordinate_example(), 1e-30, 10.0)
    >>> path.beta_at([6.0, 2.0]).round(2)    # any order: the first saddle, then still at 0
    array([[ 0.  ,  0.  , -0.16],
           [ 0.  ,  0.  , -0.  ]])
    >>> pickle.loads(pickle.dumps(path)).beta_at(6.0).round(2)
    array([ 0.  ,  0.  , -0.16])
    """

    t: np.ndarray
    alpha: float
    clock: str
    method: str
    success: bool
    message: str
    nfev: int
    njev: int
    nlu: int
    n_steps: int
    t_max: float
    _states: np.ndarray = field(repr=False)
    _system: _DualFlow = field(repr=False)
    _interpolant: object = field(repr=False)

    def __post_init__(self):
        t = check_times(self.t, "t")
        if t.ndim != 1 or t.size == 0:
            raise ValueError(f"t must be a non-empty 1-D array of times; got shape {t.shape}")
        states = as_finite_array(self._states, "_states", ndim=2)
        if states.shape != (t.size, self._system.state_size):
            raise ValueError(f"_states must have shape ({t.size}, {self._system.state_size}); got {states.shape}")
        check_alpha(self.alpha, self.clock)
        check_choice(self.method, "method", tuple(METHODS))
        object.__setattr__(self, "t", readonly(t))
        object.__setattr__(self, "_states", readonly(states))

    @cached_property
    def dual(self):
        """The dual at the sampled times (computed on first access).

        Returns
        -------
        ndarray, shape (m, d)
            :math:`S` or :math:`\\theta` at ``t``; read-only.

        Examples
        --------
        >>> import dlnlib
        >>> path = dlnlib.gradient_flow(dlnlib.three_coordinate_example(), 1e-3, 1.0)
        >>> path.dual.shape == (path.t.size, 3)
        True
        """
        return readonly(self._system.dual(self._states))

    @cached_property
    def beta(self):
        r""":math:`\beta` at the sampled times (computed on first access).

        Returns
        -------
        ndarray, shape (m, d)
            :math:`\beta` at ``t``; read-only.

        Examples
        --------
        >>> import dlnlib
        >>> path = dlnlib.gradient_flow(dlnlib.three_coordinate_example(), 1e-3, 1.0)
        >>> bool((path.beta[0] == 0).all())
        True
        """
        return readonly(self._system.beta(self.dual))

    @cached_property
    def loss(self):
        r""":math:`L(\beta)` at the sampled times (computed on first access).

        Returns
        -------
        ndarray, shape (m,)
            The training loss at ``t``; read-only.

        Examples
        --------
        >>> import dlnlib
        >>> path = dlnlib.gradient_flow(dlnlib.three_coordinate_example(), 1e-3, 10.0)
        >>> bool(path.loss[-1] < path.loss[0])
        True
        """
        return readonly(self._system.loss(self.beta))

    def dual_at(self, t):
        r"""The dual (:math:`S` or :math:`\theta`) at any times in ``[0, t_max]``, from the solver's interpolant.

        Parameters
        ----------
        t : float or array_like, shape (k,)
            Times in ``[0, t_max]``, in any order.

        Returns
        -------
        ndarray, shape (d,) or (k, d)
            The dual at those times.

        Raises
        ------
        ValueError
            If a time is outside ``[0, t_max]`` (``t_max`` of the last step reached).

        Examples
        --------
        >>> import dlnlib
        >>> path = dlnlib.gradient_flow(dlnlib.three_coordinate_example(), 1e-30, 3.0)
        >>> path.dual_at(2.0).round(3)      # before the first jump S = -t grad L(0)
        array([ 0.067,  0.253, -0.5  ])
        """
        t = self._check_query(t)
        return self._system.dual(np.asarray(self._interpolant(t / self._system.t_max)).T)

    def beta_at(self, t):
        r""":math:`\beta` at any times in ``[0, t_max]``, mapped from :meth:`dual_at`.

        Parameters
        ----------
        t : float or array_like, shape (k,)
            Times in ``[0, t_max]``, in any order.

        Returns
        -------
        ndarray, shape (d,) or (k, d)
            :math:`\beta` at those times.

        Raises
        ------
        ValueError
            If a time is outside ``[0, t_max]``.

        Examples
        --------
        >>> import dlnlib
        >>> path = dlnlib.gradient_flow(dlnlib.three_coordinate_example(), 1e-30, 30.0)
        >>> path.beta_at(25.0).round(3)     # the least-squares fit (15/11, 2663/154, 87/77)
        array([ 1.364, 17.292,  1.13 ])
        """
        return self._system.beta(self.dual_at(t))

    def loss_at(self, t):
        r""":math:`L(\beta)` at any times in ``[0, t_max]``.

        Parameters
        ----------
        t : float or array_like, shape (k,)
            Times in ``[0, t_max]``, in any order.

        Returns
        -------
        float or ndarray, shape (k,)
            The training loss at those times.

        Examples
        --------
        >>> import dlnlib
        >>> problem = dlnlib.three_coordinate_example()
        >>> path = dlnlib.gradient_flow(problem, 1e-30, 30.0)
        >>> bool(abs(path.loss_at(25.0) - problem.min_loss) < 1e-12)
        True
        """
        return self._system.loss(self.beta_at(t))

    def time_to_loss(self, level):
        r"""The first time at which the loss falls to ``level``: :math:`\min\{t: L(\beta_t)\le\text{level}\}`.

        The crossing is bracketed between two sampled times and then located on the dense output
        (Brent's method, to :data:`CROSSING_RTOL` relative accuracy in time), so it does not
        depend on how coarsely the path was sampled.

        Parameters
        ----------
        level : float or array_like, shape (k,)
            Loss levels.

        Returns
        -------
        float or ndarray, shape (k,)
            The crossing times; NaN where the loss stays above ``level`` up to ``t_max``.

        Examples
        --------
        >>> import dlnlib
        >>> problem = dlnlib.three_coordinate_example()
        >>> path = dlnlib.gradient_flow(problem, 1e-100, 6.0)
        >>> saddle = [0.0, 0.0, -15 / 94]                  # the first saddle
        >>> halfway = (problem.loss([0.0, 0.0, 0.0]) + problem.loss(saddle)) / 2
        >>> round(float(path.time_to_loss(halfway)), 2)    # t = 4 as alpha -> 0
        3.98
        """
        level = as_finite_array(level, "level")
        loss = self.loss
        times = [self._crossing(loss, float(value)) for value in level.ravel()]
        return float(times[0]) if level.ndim == 0 else np.reshape(times, level.shape)

    def _crossing(self, loss, level):
        below = np.flatnonzero(loss <= level)
        if below.size == 0:
            return np.nan
        k = below[0]
        if k == 0:
            return float(self.t[0])
        from scipy.optimize import brentq  # imported here: import dlnlib stays light

        lower, upper = float(self.t[k - 1]), float(self.t[k])
        return brentq(lambda s: self.loss_at(s) - level, lower, upper, xtol=CROSSING_RTOL * upper)

    def _check_query(self, t):
        t = check_times(t, "t", increasing=False)
        if np.any(t > self.t_max):
            remedy = (
                "rerun gradient_flow with a larger t_max"
                if self.success
                else f"the solver stopped there: {self.message}"
            )
            raise ValueError(
                f"t must lie in the computed range [0, {self.t_max!r}] (on the {self.clock} clock); "
                f"got a time {float(t.max())!r}; {remedy}"
            )
        return t


@dataclass(frozen=True, eq=False, kw_only=True)
class DescentPath:
    r"""Gradient descent (or SGD) on :math:`(u,v)`, recorded every ``record_every`` steps.

    Made by :func:`gradient_descent`. Its fields match :class:`FlowPath` (``t``, ``beta``,
    ``dual``, ``loss``, ``success``, ``message``, counters, ``beta_at`` / ``dual_at`` /
    ``time_to_loss``), so that the two can be compared directly.

    Attributes
    ----------
    t : ndarray, shape (m,)
        :math:`k\eta` on the raw clock, :math:`k\eta/\log(1/\alpha)` on the accelerated clock,
        for the recorded step indices ``steps``.
    steps : ndarray of int, shape (m,)
        Recorded step indices :math:`k` (0, ``record_every``, ..., and always ``n_steps``).
    beta : ndarray, shape (m, d)
        :math:`\beta_k=u_k\odot v_k`.
    dual : ndarray, shape (m, d)
        The running sum :math:`\theta_k=-\sum_{j<k}\eta\,g_j` of the (stochastic) gradients
        :math:`g_j` of :math:`L` at :math:`\beta_j`, divided by :math:`\log(1/\alpha)` on the
        accelerated clock: the forward-Euler discretisation of the flow's dual, to which it
        converges as :math:`\eta\to0`. (For finite :math:`\eta`, :math:`\beta_k` is not exactly
        :math:`\alpha^2\sinh(2\theta_k)`.)
    loss : ndarray, shape (m,)
        Full-batch :math:`L(\beta_k)`.
    u, v : ndarray, shape (m, d)
        The two layers.
    alpha, step_size : float
        Initialisation scale and the raw step :math:`\eta`.
    batch_size : int
        :math:`n` for full-batch gradient descent.
    clock : {"accelerated", "raw"}
        Clock of ``t`` and ``dual``.
    success : bool
        False if the iterates overflowed or became NaN (step too large).
    message : str
        What happened.
    nfev : int
        Number of (stochastic) gradient evaluations, one per step.
    njev, nlu : int
        Always 0; present so that flow and descent results share their fields.
    precision_lost_at : int or None
        First step at which float64 could no longer hold :math:`u_i^2-v_i^2` (see
        :data:`PRECISION_RATIO`), or None.

    Examples
    --------
    >>> import dlnlib
    >>> path = dlnlib.gradient_descent(dlnlib.three_coordinate_example(), 0.1, 0.01, 500, record_every=100)
    >>> path.steps
    array([  0, 100, 200, 300, 400, 500])
    >>> bool((path.beta_at(path.t[3]) == path.beta[3]).all())
    True
    """

    t: np.ndarray
    steps: np.ndarray
    beta: np.ndarray
    dual: np.ndarray
    loss: np.ndarray
    u: np.ndarray
    v: np.ndarray
    alpha: float
    step_size: float
    batch_size: int
    clock: str
    success: bool
    message: str
    nfev: int
    njev: int = 0
    nlu: int = 0
    precision_lost_at: int | None = None

    def __post_init__(self):
        t = check_times(self.t, "t")
        if t.ndim != 1 or t.size == 0:
            raise ValueError(f"t must be a non-empty 1-D array of times; got shape {t.shape}")
        m = t.size
        steps = np.asarray(self.steps)
        if steps.shape != (m,) or not np.issubdtype(steps.dtype, np.integer):
            raise ValueError(f"steps must be {m} integers, one per time")
        arrays = {name: np.asarray(getattr(self, name), dtype=float) for name in ("beta", "dual", "u", "v")}
        if arrays["beta"].ndim != 2 or len(arrays["beta"]) != m:
            raise ValueError(f"beta must have shape ({m}, n_features), one row per time; got {arrays['beta'].shape}")
        for name, array in arrays.items():
            if array.shape != arrays["beta"].shape:
                raise ValueError(f"{name} must have the shape of beta, {arrays['beta'].shape}; got {array.shape}")
            object.__setattr__(self, name, readonly(array))
        loss = np.asarray(self.loss, dtype=float)
        if loss.shape != (m,):
            raise ValueError(f"loss must have shape ({m},); got {loss.shape}")
        check_alpha(self.alpha, self.clock)
        object.__setattr__(self, "t", readonly(t))
        object.__setattr__(self, "steps", readonly_int(steps))
        object.__setattr__(self, "loss", readonly(loss))

    @property
    def conserved(self):
        r"""The trace of :math:`u^2-v^2`.

        Constant :math:`2\alpha^2` along the flow; gradient descent multiplies it by
        :math:`1-\eta^2g_i^2` at each step, and float64 adds rounding of size
        :math:`\varepsilon\max(u_i^2,v_i^2)`.

        Returns
        -------
        ndarray, shape (m, d)
            :math:`u_k^2-v_k^2` at the recorded steps.

        Examples
        --------
        >>> import dlnlib
        >>> path = dlnlib.gradient_descent(dlnlib.three_coordinate_example(), 0.1, 0.01, 10)
        >>> path.conserved[0].round(4)
        array([0.02, 0.02, 0.02])
        """
        return self.u**2 - self.v**2

    def beta_at(self, t):
        r""":math:`\beta` at the last recorded step at or before each time (the iterates are discrete).

        Parameters
        ----------
        t : float or array_like, shape (k,)
            Times in ``[0, t[-1]]``, in any order.

        Returns
        -------
        ndarray, shape (d,) or (k, d)
            :math:`\beta_k` with :math:`k` the last recorded step whose time is at most ``t``.

        Examples
        --------
        >>> import dlnlib
        >>> path = dlnlib.gradient_descent(dlnlib.three_coordinate_example(), 0.1, 0.01, 10, clock="raw")
        >>> bool((path.beta_at(0.055) == path.beta[5]).all())   # step 5 is at t = 0.05
        True
        """
        return self.beta[self._record(t)]

    def dual_at(self, t):
        """The dual at the last recorded step at or before each time; see :meth:`beta_at`.

        Parameters
        ----------
        t : float or array_like, shape (k,)
            Times in ``[0, t[-1]]``, in any order.

        Returns
        -------
        ndarray, shape (d,) or (k, d)
            The recorded dual.

        Examples
        --------
        >>> import dlnlib
        >>> path = dlnlib.gradient_descent(dlnlib.three_coordinate_example(), 0.1, 0.01, 10, clock="raw")
        >>> bool((path.dual_at([0.1, 0.0]) == path.dual[[10, 0]]).all())
        True
        """
        return self.dual[self._record(t)]

    def time_to_loss(self, level):
        """The first recorded time at which the loss is at most ``level`` (NaN if never).

        Parameters
        ----------
        level : float or array_like, shape (k,)
            Loss levels.

        Returns
        -------
        float or ndarray, shape (k,)
            Crossing times.

        Examples
        --------
        >>> import dlnlib
        >>> path = dlnlib.gradient_descent(dlnlib.three_coordinate_example(), 0.1, 0.01, 10, clock="raw")
        >>> float(path.time_to_loss(path.loss[0]))
        0.0
        """
        level = as_finite_array(level, "level")
        below = self.loss[:, None] <= level.ravel()[None, :]
        times = np.where(below.any(axis=0), self.t[np.argmax(below, axis=0)], np.nan)
        return float(times[0]) if level.ndim == 0 else times.reshape(level.shape)

    def _record(self, t):
        t = check_times(t, "t", increasing=False)
        if np.any(t > self.t[-1]):
            raise ValueError(f"t must lie in the recorded range [0, {float(self.t[-1])!r}]; got {float(t.max())!r}")
        return np.searchsorted(self.t, t, side="right") - 1


def gradient_flow(
    problem,
    alpha,
    t_max,
    *,
    clock="accelerated",
    t_eval=None,
    method="LSODA",
    rtol=DEFAULT_RTOL,
    atol=DEFAULT_ATOL,
    max_steps=DEFAULT_MAX_STEPS,
):
    r"""The exact gradient flow of the diagonal linear network, by integrating its dual variable.

    On the accelerated clock (:math:`0<\alpha<1`) it solves

    .. math:: \dot S=-\nabla L(\tilde\beta(S)),\quad S(0)=0,\qquad
              \tilde\beta(S)=\tfrac12\big(e^{2\ell(S-1)}-e^{-2\ell(S+1)}\big),\quad \ell=\log(1/\alpha),

    which never forms :math:`\alpha^2` and works for :math:`\alpha` down to ``1e-300``; on the
    raw clock (any :math:`\alpha>0`) it solves :math:`\dot\theta=-\nabla L(\alpha^2\sinh 2\theta)`,
    :math:`\theta(0)=0`. :math:`\tilde\beta_{\tilde t}=\beta_{\ell\tilde t}` and :math:`S=\theta/\ell`.
    The solver is implicit with the analytic Jacobian
    :math:`-\frac1nX^\top X\operatorname{diag}(\beta'(S))`. When :math:`d>n` the state is
    :math:`\nu\in\mathbb R^n` with :math:`S=X^\top\nu`,
    :math:`\dot\nu=-(X\beta(X^\top\nu)-y)/n`, Jacobian
    :math:`-\frac1nX\operatorname{diag}(\beta'(X^\top\nu))X^\top`. The solver works in units where
    the data, the time interval and every quantity it touches are of order one (exact
    power-of-two scalings, see :class:`_DualFlow`), so any finite data and any ``t_max`` give a
    finite path or a clear failure.

    Parameters
    ----------
    problem : Problem
        The data.
    alpha : float
        Initialisation scale: :math:`0<\alpha<1` on the accelerated clock, :math:`\alpha>0` on the raw clock.
    t_max : float
        Final time, :math:`>0`, on the chosen clock.
    clock : {"accelerated", "raw"}, default "accelerated"
        Clock of ``t_max``, ``t_eval`` and of the result.
    t_eval : array_like, shape (m,), optional
        Non-negative, strictly increasing times in ``[0, t_max]`` at which to report the path.
        By default the path is reported at the solver's own accepted steps (including 0 and
        ``t_max``): they cluster inside the jumps and are sparse on the plateaus, so a line plot
        of ``beta`` against ``t`` shows every jump; use :meth:`FlowPath.beta_at` for other times.
    method : {"LSODA", "Radau"}, default "LSODA"
        The solver; see :data:`METHODS` (BDF is not offered: it is unreliable on this problem).
    rtol, atol : float
        Solver tolerances on the dual (see :data:`DEFAULT_RTOL`, :data:`DEFAULT_ATOL`). Measured on
        the 3-coordinate example at :math:`\alpha=10^{-100}`: with the defaults the first jump
        (the time the loss is half-way between the first two saddles) is within 5e-5 of a
        ``rtol=1e-12`` reference on either clock (``tests/test_flow.py`` checks it).
    max_steps : int, default :data:`DEFAULT_MAX_STEPS`
        The solver stops (``success=False``) after this many accepted steps.

    Returns
    -------
    FlowPath
        ``t`` (m,), ``beta`` (m, d), ``dual`` (m, d), ``loss`` (m,), solver counters, and
        ``beta_at`` / ``dual_at`` / ``loss_at`` / ``time_to_loss`` for dense output.

    Raises
    ------
    ValueError
        For a non-positive or NaN ``alpha``, ``alpha >= 1`` on the accelerated clock,
        ``t_max <= 0``, a bad ``t_eval``, ``rtol``, ``atol`` or ``max_steps``, or an unknown
        ``clock`` or ``method``.

    References
    ----------
    Pesme & Flammarion, *Saddle-to-Saddle Dynamics in Diagonal Linear Networks*, NeurIPS 2023.

    Examples
    --------
    >>> import dlnlib
    >>> problem = dlnlib.three_coordinate_example()
    >>> path = dlnlib.gradient_flow(problem, 1e-100, 30.0)
    >>> path.beta_at(6.0).round(2)  # the first saddle (0, 0, -15/94)
    array([ 0.  ,  0.  , -0.16])
    """
    check_problem(problem)
    alpha = check_alpha(alpha, clock)
    t_max = check_positive(t_max, "t_max")
    method = check_choice(method, "method", tuple(METHODS))
    rtol = check_positive(rtol, "rtol")
    atol = check_positive(atol, "atol")
    max_steps = check_positive_int(max_steps, "max_steps")
    if t_eval is not None:
        t_eval = check_times(t_eval, "t_eval")
        if t_eval.ndim != 1 or t_eval.size == 0:
            raise ValueError("t_eval must be a non-empty 1-D array of times")
        if t_eval[-1] > t_max:
            raise ValueError(f"t_eval must lie in [0, t_max] = [0, {t_max!r}]; got a last time {t_eval[-1]!r}")

    # scipy.integrate is imported here, not with dlnlib: it takes longer than the rest of dlnlib.
    from scipy import integrate

    system = _DualFlow(problem, alpha, clock, t_max)
    run = _integrate(system, getattr(integrate, METHODS[method]), rtol, system.state_atol(atol), max_steps)
    interpolant = integrate.OdeSolution(run.taus, run.pieces) if run.pieces else _ConstantInterpolant(run.states[0])
    reached = t_max * float(run.taus[-1])
    if t_eval is None:
        t, states = t_max * run.taus, run.states
        t[-1] = reached  # exactly t_max when the solver finished
        # Steps closer than float64 resolves in t (t_max near the underflow limit) are one time.
        distinct = np.append(np.diff(t) > 0, True)
        distinct[0] = True
        t, states = t[distinct], states[distinct]
    else:
        t = t_eval[t_eval <= reached] if t_eval[0] <= reached else np.zeros(1)
        states = np.asarray(interpolant(t / t_max)).T.reshape(t.size, -1)

    # The solver's own success is not enough: check that the end point is a point of the true flow
    # (finite, not at the clip of the dual map, its loss not above the starting loss).
    success, message = run.status == 0, run.message
    if success:
        final_dual = system.dual(run.states[-1])
        # In the solver's units (no overflow at any data scale): |X beta - y|^2 <= |y|^2, i.e. L <= L(0).
        residual = system.X @ system.scaled_beta(final_dual) - system.y
        if system.clipped(final_dual) or not residual @ residual <= (system.y @ system.y) * (1 + rtol):
            success = False
            message = (
                "the flow left the range float64 can represent for these data (beta reached "
                f"exp({system.max_exponent:.0f}) in scaled units); check the scaling of X and y"
            )
    return FlowPath(
        t=t,
        alpha=alpha,
        clock=clock,
        method=method,
        success=success,
        message=message,
        nfev=system.nfev,
        njev=run.njev,
        nlu=run.nlu,
        n_steps=len(run.taus) - 1,
        t_max=reached,
        _states=states,
        _system=system,
        _interpolant=interpolant,
    )


@dataclass
class _Run:
    """What :func:`_integrate` returns: accepted solver times and states, interpolants, outcome, counters."""

    taus: np.ndarray
    states: np.ndarray
    pieces: list
    status: int
    message: str
    njev: int
    nlu: int


def _integrate(system, solver_class, rtol, atol, max_steps):
    """Step the solver over tau in [0, 1], keeping each accepted step's state and interpolant.

    Status 0: reached tau = 1. Status -1: the solver failed, stopped advancing, produced a
    non-finite state or used up ``max_steps``; the message says which.
    """
    state0 = np.zeros(system.state_size)
    # Rejected trial steps may push the dual map to its clip; the solver then shrinks the step.
    with np.errstate(over="ignore", invalid="ignore"):
        solver = solver_class(system.rhs, 0.0, state0, 1.0, rtol=rtol, atol=atol, jac=system.jacobian)
        taus, states, pieces = [0.0], [state0], []
        status, message = -1, ""
        while True:
            failure = solver.step()
            if solver.status == "failed":
                message = f"the solver failed: {failure}"
                break
            if not solver.t > taus[-1] or not np.all(np.isfinite(solver.y)):
                message = "the solver stopped advancing (step size underflow or a non-finite state)"
                break
            pieces.append(solver.dense_output())
            taus.append(solver.t)
            states.append(solver.y)  # a fresh array at each step (LSODA copies; Radau rebinds)
            if solver.status == "finished":
                status, message = 0, "reached t_max"
                break
            if len(taus) > max_steps:
                message = f"max_steps={max_steps} accepted steps taken before t_max; pass a larger max_steps"
                break
    return _Run(np.array(taus), np.array(states), pieces, status, message, int(solver.njev), int(solver.nlu))


class _ConstantInterpolant:
    """Dense output of a path that never left its initial state (the solver failed at once)."""

    def __init__(self, state):
        self.state = np.asarray(state)

    def __call__(self, tau):
        tau = np.asarray(tau)
        return self.state if tau.ndim == 0 else np.repeat(self.state[:, None], tau.size, axis=1)


def gradient_descent(
    problem,
    alpha,
    step_size,
    n_steps,
    *,
    batch_size=None,
    random_state=None,
    clock="accelerated",
    record_every=1,
):
    r"""Plain float64 gradient descent (or mini-batch SGD) on the network :math:`\beta=u\odot v`.

    From :math:`u_0=\sqrt2\alpha\mathbf 1`, :math:`v_0=0`, with :math:`g_k` the gradient of
    :math:`L` at :math:`\beta_k=u_k\odot v_k` (on a random batch of ``batch_size`` rows, drawn
    without replacement and independently at each step, when ``batch_size < n``),

    .. math:: u_{k+1}=u_k-\eta\,v_k\odot g_k,\qquad v_{k+1}=v_k-\eta\,u_k\odot g_k ,

    the gradient step on :math:`F(u,v)=L(u\odot v)`. Step :math:`k` is reported at time
    :math:`k\eta` on the raw clock and :math:`k\eta/\log(1/\alpha)` on the accelerated clock.
    ``step_size`` is always the raw step :math:`\eta`.

    Float64 cannot hold :math:`u_i^2-v_i^2=2\alpha^2` once :math:`\varepsilon\max(u_i^2,v_i^2)`
    is not small compared with :math:`2\alpha^2` (:math:`\alpha\lesssim10^{-8}` when
    :math:`|\beta_i|` is of order one): a coordinate can then become exactly balanced,
    :math:`|u_i|=|v_i|`, never change sign again, and the iterates stall at a saddle the true
    flow leaves. A :class:`~dlnlib.errors.PrecisionWarning` is emitted when that threshold
    (:data:`PRECISION_RATIO`) is crossed; use :func:`gradient_flow` for small :math:`\alpha`.

    Parameters
    ----------
    problem : Problem
        The data.
    alpha : float
        Initialisation scale, :math:`\alpha>0` (:math:`<1` on the accelerated clock).
    step_size : float
        :math:`\eta>0`, on the raw clock.
    n_steps : int
        Number of steps, :math:`\ge1`.
    batch_size : int, optional
        Rows per stochastic gradient, between 1 and :math:`n`; ``None`` (default) or :math:`n`
        for full-batch gradient descent.
    random_state : None, int or numpy.random.Generator
        Seeds the batches (unused for full batches).
    clock : {"accelerated", "raw"}, default "accelerated"
        The clock of the reported times ``t`` and of ``dual``.
    record_every : int, default 1
        Record every this many steps (the last step is always recorded). Each recorded array
        holds ``m * d`` floats with ``m = n_steps // record_every + 1`` (at most
        :data:`MAX_RECORDED_FLOATS`), so raise it for long runs.

    Returns
    -------
    DescentPath
        ``t`` (m,), ``steps`` (m,), ``beta``, ``dual``, ``u``, ``v`` (m, d), ``loss`` (m,),
        ``conserved`` (m, d), counters.

    Raises
    ------
    ValueError
        For bad ``alpha``, ``step_size``, ``n_steps``, ``batch_size``, ``clock``,
        ``record_every``, or a recording larger than :data:`MAX_RECORDED_FLOATS`.

    Warns
    -----
    PrecisionWarning
        When float64 can no longer hold :math:`u_i^2-v_i^2`.
    DivergenceWarning
        When the iterates overflow (``step_size`` too large); ``success`` is then False.

    Examples
    --------
    >>> import dlnlib
    >>> problem = dlnlib.three_coordinate_example()
    >>> path = dlnlib.gradient_descent(problem, 0.1, 1e-3, 20000, record_every=1000)
    >>> path.t.shape, path.beta.shape
    ((21,), (21, 3))
    >>> bool(path.loss[-1] < path.loss[0])
    True
    """
    check_problem(problem)
    alpha = check_alpha(alpha, clock)
    step_size = check_positive(step_size, "step_size")
    n_steps = check_positive_int(n_steps, "n_steps")
    record_every = check_positive_int(record_every, "record_every")
    n, d = problem.n_samples, problem.n_features
    if batch_size is None:
        batch_size = n
    if isinstance(batch_size, bool) or not isinstance(batch_size, (int, np.integer)) or not 1 <= batch_size <= n:
        raise ValueError(f"batch_size must be None or an integer between 1 and n_samples = {n}; got {batch_size!r}")
    batch_size = int(batch_size)
    rng = check_random_state(random_state)

    recorded = np.unique(np.append(np.arange(0, n_steps + 1, record_every), n_steps))
    if recorded.size * d > MAX_RECORDED_FLOATS:
        raise ValueError(
            f"record_every={record_every} would record {recorded.size} x {d} floats per array; "
            f"pass record_every >= {int(np.ceil(n_steps / (MAX_RECORDED_FLOATS // d - 2)))}"
        )

    u_all, v_all, theta_all, precision_lost_at, diverged_at = _descent_loop(
        problem, alpha, step_size, n_steps, batch_size, rng, recorded
    )
    finite = diverged_at is None
    if not finite:
        # Rounding in u^2 - v^2 is beside the point once the iterates blow up: say what happened.
        warnings.warn(
            f"gradient descent diverged: the iterates overflowed before step {diverged_at} with "
            f"step_size={step_size!r}; reduce step_size (near a point beta the largest stable step is "
            "about 1 / (max|beta_i| * largest eigenvalue of X^T X / n))",
            DivergenceWarning,
            stacklevel=2,
        )
    elif precision_lost_at is not None:
        warnings.warn(
            f"gradient descent at alpha={alpha!r}: from step {precision_lost_at} float64 rounding in "
            f"u_i^2 - v_i^2 exceeds {PRECISION_RATIO} x 2 alpha^2, so the conserved quantity is lost and "
            "the iterates may stall at a saddle the true flow leaves; use gradient_flow for small alpha",
            PrecisionWarning,
            stacklevel=2,
        )
    # A diverged run (success False) may overflow here; its NaN/inf are the honest record.
    with np.errstate(over="ignore", invalid="ignore"):
        beta = u_all * v_all
        loss = problem.loss(beta)
    scale = log_inverse_alpha(alpha) if clock == "accelerated" else 1.0
    return DescentPath(
        t=recorded * step_size / scale,
        steps=recorded,
        beta=beta,
        dual=theta_all / scale,
        loss=loss,
        u=u_all,
        v=v_all,
        alpha=alpha,
        step_size=step_size,
        batch_size=batch_size,
        clock=clock,
        success=finite,
        message="completed all steps" if finite else f"iterates overflowed before step {diverged_at}: reduce step_size",
        nfev=n_steps,
        precision_lost_at=precision_lost_at,
    )


def _descent_loop(problem, alpha, step_size, n_steps, batch_size, rng, recorded):
    """The GD/SGD iteration.

    Returns the recorded (u, v, theta), the step precision was lost at and the step the iterates
    overflowed by (each None if it did not happen).
    """
    X, y, n = problem.X, problem.y, problem.n_samples
    d = problem.n_features
    u = np.full(d, np.sqrt(2.0) * alpha)
    v = np.zeros(d)
    theta = np.zeros(d)
    out_u, out_v, out_theta = (np.empty((recorded.size, d)) for _ in range(3))
    # eps * max(u^2, v^2) > PRECISION_RATIO * 2 alpha^2  <=>  max(|u|, |v|) > this bound;
    # written this way it neither underflows (alpha^2 at alpha = 1e-300) nor overflows.
    precision_bound = alpha * np.sqrt(2 * PRECISION_RATIO / np.finfo(float).eps)
    precision_lost_at = None
    stochastic = batch_size < n
    batches = _batches(rng, n, batch_size, n_steps) if stochastic else None
    next_record = 0
    with np.errstate(over="ignore", invalid="ignore"):
        for k in range(n_steps + 1):
            if k == recorded[next_record]:
                out_u[next_record], out_v[next_record], out_theta[next_record] = u, v, theta
                next_record += 1
                if not (np.all(np.isfinite(u)) and np.all(np.isfinite(v))):
                    out_u[next_record:], out_v[next_record:], out_theta[next_record:] = np.nan, np.nan, np.nan
                    return out_u, out_v, out_theta, precision_lost_at, k
            if k == n_steps:
                break
            if precision_lost_at is None and max(np.max(np.abs(u)), np.max(np.abs(v))) > precision_bound:
                precision_lost_at = k
            beta = u * v
            if stochastic:
                rows = next(batches)
                Xb = X[rows]
                g = (Xb.T @ (Xb @ beta - y[rows])) / batch_size
            else:
                g = (X.T @ (X @ beta - y)) / n
            step = step_size * g
            u, v = u - v * step, v - u * step
            theta = theta - step
    return out_u, out_v, out_theta, precision_lost_at, None


def _batches(rng, n, batch_size, n_steps, chunk=4096):
    """Row indices of independent batches (without replacement inside a batch), drawn in chunks."""
    remaining = n_steps
    while remaining > 0:
        k = min(chunk, remaining)
        # The batch_size smallest of n uniform keys are a uniform random subset of the rows.
        keys = rng.random((k, n))
        yield from np.argpartition(keys, batch_size - 1, axis=1)[:, :batch_size]
        remaining -= k
