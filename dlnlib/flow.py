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
from typing import Callable

import numpy as np
from scipy.integrate import solve_ivp

from ._checks import (
    as_finite_array,
    check_choice,
    check_positive,
    check_positive_int,
    check_random_state,
    check_times,
    readonly,
)
from .errors import PrecisionWarning
from .network import CLOCKS, _beta_from_dual, _dbeta_ddual, log_inverse_alpha
from .problem import check_problem

#: The ``method`` strings :func:`gradient_flow` accepts, mapped to ``solve_ivp`` methods; both
#: are implicit and use the analytic Jacobian. LSODA (the default) was the fastest on every
#: case measured (``benchmarks/bench_flow.py``); Radau is as accurate but several times slower.
#: BDF is deliberately absent, as DESIGN.md warned: on the 3-coordinate example (with this
#: Jacobian and the default tolerances) it reports success at alpha = 1e-20 on a path whose
#: dual is off by 1, and stops near t = 4 at alpha = 1e-100.
METHODS = {"LSODA": "LSODA", "Radau": "Radau"}

#: Default relative tolerance of the solver on the dual (``S``, ``theta``, or ``nu`` with
#: ``S = X^T nu``). With :data:`DEFAULT_ATOL` the dual stays within about 2e-5 of a reference
#: computed at ``rtol=1e-11`` (measured on the 3-coordinate example and on
#: ``sparse_regression(100, 1000, 5)`` for alpha from 1e-2 to 1e-300), 50x below the 1e-3 a
#: plot could show. ``beta`` is exponential in the dual, so its relative error is about
#: ``2 log(1/alpha)`` times the dual's: up to 7e-4 at alpha = 1e-300; tighten both
#: tolerances when beta itself must be accurate at tiny alpha.
DEFAULT_RTOL = 1e-6

#: Default absolute tolerance on the dual (``S`` is of order one on the accelerated clock).
#: When the state is ``nu`` (``d > n``) it is divided by ``max_i ||X_i||``: an error ``e`` in
#: ``nu`` moves ``S_i = X_i^T nu`` by about ``||X_i|| rms(e)``, which keeps the measured dual
#: error the same whichever state is integrated.
DEFAULT_ATOL = 1e-8

#: In the reduced Jacobian (``d > n``), columns whose :math:`\beta'(S_i)` is below this fraction
#: of the largest are dropped: they change the Newton matrix by less than float64 can resolve
#: relative to its largest entries, and dropping them makes each Jacobian several times cheaper.
JACOBIAN_DROP = 1e-16

#: Warn from :func:`gradient_descent` once the float64 rounding error in ``u_i^2 - v_i^2``,
#: about ``eps * max(u_i^2, v_i^2)``, exceeds this fraction of the conserved value
#: ``2 alpha^2``: rounding errors of random sign then add up to the whole conserved quantity
#: within ``1 / PRECISION_RATIO**2`` steps, after which a coordinate can become exactly
#: balanced (``|u_i| = |v_i|``) and never change sign again.
PRECISION_RATIO = 1e-2

#: :func:`gradient_descent` refuses to store more than this many floats per recorded array
#: (``n_records * n_features``); 5e7 floats is 400 MB, and four such arrays are kept.
MAX_RECORDED_FLOATS = 50_000_000


@dataclass(frozen=True, eq=False)
class FlowPath:
    r"""The gradient flow of a diagonal linear network, sampled at times ``t``.

    Attributes
    ----------
    t : ndarray, shape (m,)
        Times, on the clock ``clock``.
    beta : ndarray, shape (m, d)
        The network's output :math:`\beta` (:math:`\tilde\beta` on the accelerated clock).
    dual : ndarray, shape (m, d)
        :math:`S=\theta/\log(1/\alpha)` on the accelerated clock, :math:`\theta` on the raw clock.
    loss : ndarray, shape (m,)
        :math:`L(\beta)` at each time.
    alpha : float
    clock : {"accelerated", "raw"}
    method : str
        The ``solve_ivp`` method used.
    success : bool
        Whether the solver reached ``t_max``.
    message : str
        The solver's message.
    nfev, njev, nlu : int
        Right-hand side evaluations, Jacobian evaluations and LU decompositions.
    t_max : float
        End of the computed range (the requested ``t_max`` unless the solver failed); the
        dense output :meth:`beta_at` / :meth:`dual_at` covers ``[0, t_max]``.
    """

    t: np.ndarray
    beta: np.ndarray
    dual: np.ndarray
    loss: np.ndarray
    alpha: float
    clock: str
    method: str
    success: bool
    message: str
    nfev: int
    njev: int
    nlu: int
    t_max: float
    _dual_at: Callable = field(repr=False)
    _beta_at: Callable = field(repr=False)

    def dual_at(self, t):
        r"""The dual (:math:`S` or :math:`\theta`) at any time in ``[0, t_max]``, from the solver's interpolant.

        Parameters
        ----------
        t : float or array_like, shape (k,)

        Returns
        -------
        ndarray, shape (d,) or (k, d)

        Raises
        ------
        ValueError
            If a time is outside ``[0, t_max]`` (``t_max`` of the last step reached).
        """
        t = self._check_query(t)
        return self._dual_at(t)

    def beta_at(self, t):
        r""":math:`\beta` at any time in ``[0, t_max]``, mapped from :meth:`dual_at`.

        Parameters
        ----------
        t : float or array_like, shape (k,)

        Returns
        -------
        ndarray, shape (d,) or (k, d)

        Raises
        ------
        ValueError
            If a time is outside ``[0, t_max]``.
        """
        t = self._check_query(t)
        return self._beta_at(self._dual_at(t))

    def _check_query(self, t):
        t = as_finite_array(t, "t")
        if t.ndim > 1:
            raise ValueError(f"t must be a scalar or a 1-D array of times; got shape {t.shape}")
        if np.any(t < 0) or np.any(t > self.t_max):
            remedy = (
                "rerun gradient_flow with a larger t_max"
                if self.success
                else f"the solver stopped there: {self.message}"
            )
            raise ValueError(
                f"t must lie in the computed range [0, {self.t_max!r}] (on the {self.clock} clock); "
                f"got values in [{float(t.min())!r}, {float(t.max())!r}]; {remedy}"
            )
        return t


@dataclass(frozen=True, eq=False)
class DescentPath:
    r"""Gradient descent (or SGD) on :math:`(u,v)`, recorded every ``record_every`` steps.

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
    batch_size : int
        :math:`n` for full-batch gradient descent.
    clock : {"accelerated", "raw"}
    success : bool
        False if the iterates overflowed or became NaN (step too large).
    message : str
    nfev : int
        Number of (stochastic) gradient evaluations, one per step.
    njev, nlu : int
        Always 0; present so that flow and descent results share their fields.
    precision_lost_at : int or None
        First step at which float64 could no longer hold :math:`u_i^2-v_i^2` (see
        :data:`PRECISION_RATIO`), or None.
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
    njev: int
    nlu: int
    precision_lost_at: int | None

    @property
    def conserved(self):
        r"""The trace of :math:`u^2-v^2`, shape (m, d).

        Constant :math:`2\alpha^2` along the flow; gradient descent multiplies it by
        :math:`1-\eta^2g_i^2` at each step, and float64 adds rounding of size
        :math:`\varepsilon\max(u_i^2,v_i^2)`.
        """
        return self.u**2 - self.v**2


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
    :math:`-\frac1nX\operatorname{diag}(\beta'(X^\top\nu))X^\top`.

    Parameters
    ----------
    problem : Problem
    alpha : float
        Initialisation scale: :math:`0<\alpha<1` on the accelerated clock, :math:`\alpha>0` on the raw clock.
    t_max : float
        Final time, :math:`>0`, on the chosen clock.
    clock : {"accelerated", "raw"}, default "accelerated"
    t_eval : array_like, shape (m,), optional
        Non-negative, strictly increasing times in ``[0, t_max]`` at which to report the path.
        By default the path is reported at the solver's own accepted steps (including 0 and
        ``t_max``): they cluster inside the jumps and are sparse on the plateaus, so a line plot
        of ``beta`` against ``t`` shows every jump; use :meth:`FlowPath.beta_at` for other times.
    method : {"LSODA", "Radau"}, default "LSODA"
        The ``scipy.integrate.solve_ivp`` method; see :data:`METHODS` (BDF is not offered: it is
        unreliable on this problem).
    rtol, atol : float
        Solver tolerances on the dual (see :data:`DEFAULT_RTOL`, :data:`DEFAULT_ATOL`). On the raw
        clock at tiny :math:`\alpha` the dual :math:`\theta` is of order :math:`\log(1/\alpha)`, so the
        same tolerances mean a coarser path: for example at :math:`\alpha=10^{-100}` the first jump of
        the 3-coordinate example lands about 0.006 (in accelerated units) early with the defaults and
        is exact to four digits with ``rtol=1e-9, atol=1e-12``. Prefer the accelerated clock there.

    Returns
    -------
    FlowPath
        ``t`` (m,), ``beta`` (m, d), ``dual`` (m, d), ``loss`` (m,), solver counters, and
        ``beta_at`` / ``dual_at`` for dense output.

    Raises
    ------
    ValueError
        For a non-positive or NaN ``alpha``, ``alpha >= 1`` on the accelerated clock,
        ``t_max <= 0``, a bad ``t_eval``, or an unknown ``clock`` or ``method``.

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
    clock = check_choice(clock, "clock", CLOCKS)
    alpha = _check_alpha(alpha, clock)
    t_max = check_positive(t_max, "t_max")
    method = check_choice(method, "method", tuple(METHODS))
    rtol = check_positive(rtol, "rtol")
    atol = check_positive(atol, "atol")
    if t_eval is not None:
        t_eval = check_times(t_eval, "t_eval")
        if t_eval.ndim != 1 or t_eval.size == 0:
            raise ValueError("t_eval must be a non-empty 1-D array of times")
        if t_eval[-1] > t_max:
            raise ValueError(f"t_eval must lie in [0, t_max] = [0, {t_max!r}]; got a last time {t_eval[-1]!r}")

    X, y, n = problem.X, problem.y, problem.n_samples
    n_features = problem.n_features

    def beta_of(dual):
        return _beta_from_dual(dual, alpha, clock)

    def dbeta_of(dual):
        return _dbeta_ddual(dual, alpha, clock)

    # The dual S moves in the row space of X: with d > n integrate nu, S = X^T nu (n unknowns
    # instead of d); atol is rescaled to nu as explained at DEFAULT_ATOL.
    reduced = n_features > n
    if reduced:
        state_atol = atol / np.max(np.linalg.norm(X, axis=0))

        def dual_of(state):
            return state @ X  # works on (n,) and on (m, n)

        def rhs(_, nu):
            return -(X @ beta_of(X.T @ nu) - y) / n

        def jac(_, nu):
            # Only coordinates near |S_i| = 1 have a non-negligible beta'(S_i): keeping just
            # those columns makes the n x n product cheap and changes the Jacobian by less
            # than JACOBIAN_DROP relative, which the Newton iteration cannot notice.
            slope = dbeta_of(X.T @ nu)
            keep = slope > JACOBIAN_DROP * slope.max()
            return -(X[:, keep] * slope[keep]) @ X[:, keep].T / n

        state0 = np.zeros(n)
    else:
        state_atol = atol
        gram = problem.gram
        Xty = X.T @ y / n

        def dual_of(state):
            return state

        def rhs(_, s):
            return Xty - gram @ beta_of(s)

        def jac(_, s):
            return -gram * dbeta_of(s)

        state0 = np.zeros(n_features)

    # Rejected trial steps may push the exponentials to their clip (MAX_EXPONENT) and the
    # solver's error norms to inf; the solver then shrinks the step, so these are not errors.
    with np.errstate(over="ignore", invalid="ignore"):
        solution = solve_ivp(
            rhs,
            (0.0, t_max),
            state0,
            method=METHODS[method],
            t_eval=t_eval,
            dense_output=True,
            jac=jac,
            rtol=rtol,
            atol=state_atol,
        )
    t = solution.t
    dual = dual_of(solution.y.T)
    beta = beta_of(dual)
    success = bool(solution.success) and bool(np.all(np.isfinite(beta)))
    message = str(solution.message) if np.all(np.isfinite(beta)) else "the path overflowed: " + str(solution.message)
    interpolant = solution.sol
    # solve_ivp's interpolant returns (n_state,) or (n_state, k); the path is time-first.
    # The dense output covers [0, the last step reached]: t_max unless the solver failed.
    reached = float(interpolant.t_max) if interpolant is not None else 0.0

    def dual_at(times):
        return dual_of(np.asarray(interpolant(times)).T)

    return FlowPath(
        t=readonly(t),
        beta=readonly(beta),
        dual=readonly(dual),
        loss=readonly(problem.loss(beta)),
        alpha=alpha,
        clock=clock,
        method=METHODS[method],
        success=success,
        message=message,
        nfev=int(solution.nfev),
        njev=int(solution.njev),
        nlu=int(solution.nlu),
        t_max=reached,
        _dual_at=dual_at,
        _beta_at=beta_of,
    )


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

    Examples
    --------
    >>> import dlnlib
    >>> problem = dlnlib.three_coordinate_example()
    >>> path = dlnlib.gradient_descent(problem, 0.1, 1e-3, 20000, record_every=1000)
    >>> path.t.shape, path.beta.shape
    ((21,), (21, 3))
    """
    check_problem(problem)
    clock = check_choice(clock, "clock", CLOCKS)
    alpha = _check_alpha(alpha, clock)
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

    u_all, v_all, theta_all, precision_lost_at, finite = _descent_loop(
        problem, alpha, step_size, n_steps, batch_size, rng, recorded
    )
    if precision_lost_at is not None:
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
        t=readonly(recorded * step_size / scale),
        steps=_readonly_int(recorded),
        beta=readonly(beta),
        dual=readonly(theta_all / scale),
        loss=readonly(loss),
        u=readonly(u_all),
        v=readonly(v_all),
        alpha=alpha,
        step_size=step_size,
        batch_size=batch_size,
        clock=clock,
        success=finite,
        message="completed all steps" if finite else "iterates overflowed or became NaN: reduce step_size",
        nfev=n_steps,
        njev=0,
        nlu=0,
        precision_lost_at=precision_lost_at,
    )


def _descent_loop(problem, alpha, step_size, n_steps, batch_size, rng, recorded):
    """The GD/SGD iteration; returns the recorded (u, v, theta), the precision step and finiteness."""
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
                    return out_u, out_v, out_theta, precision_lost_at, False
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
    return out_u, out_v, out_theta, precision_lost_at, True


def _batches(rng, n, batch_size, n_steps, chunk=4096):
    """Row indices of independent batches (without replacement inside a batch), drawn in chunks."""
    remaining = n_steps
    while remaining > 0:
        k = min(chunk, remaining)
        # The batch_size smallest of n uniform keys are a uniform random subset of the rows.
        keys = rng.random((k, n))
        yield from np.argpartition(keys, batch_size - 1, axis=1)[:, :batch_size]
        remaining -= k


def _check_alpha(alpha, clock):
    if clock == "accelerated":
        return check_positive(alpha, "alpha", upper=1.0, upper_name=" on the accelerated clock (use clock='raw')")
    return check_positive(alpha, "alpha")


def _readonly_int(array):
    array = np.array(array, dtype=np.int64)
    array.setflags(write=False)
    return array
