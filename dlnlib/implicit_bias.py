r"""The implicit bias of the diagonal network at finite initialisation scale :math:`\alpha`.

Gradient flow on :math:`\beta=u\odot v` from :math:`u_0=\sqrt2\alpha\mathbf 1`, :math:`v_0=0` is mirror
flow with the hyperbolic entropy :math:`\phi_\alpha` (:func:`dlnlib.hyperbolic_entropy`), and converges to

.. math:: \beta^\alpha_\infty=\arg\min\{\phi_\alpha(\beta):\ \beta\in\arg\min L\}

(Woodworth et al. 2020). As :math:`\alpha\to\infty` this tends to the minimum-:math:`\ell_2` solution
(:func:`min_l2_solution`, the kernel regime); as :math:`\alpha\to0` to the minimum-:math:`\ell_1`
solution (:func:`dlnlib.min_l1_solution`, the rich regime). :func:`implicit_bias_solution` computes
:math:`\beta^\alpha_\infty` from its convex dual.
"""

import warnings
from dataclasses import dataclass

import numpy as np

from ._checks import as_finite_array, check_alpha, check_positive_int, readonly
from .errors import ConvergenceWarning
from .network import _scaled_cosh, _scaled_sinh
from .problem import check_problem

__all__ = [
    "ACCEPT_RTOL",
    "ARMIJO",
    "DEFAULT_MAX_ITER",
    "GRAD_RTOL",
    "ITER_PER_LOG_ALPHA",
    "MAX_HALVINGS",
    "MAX_THETA_STEP",
    "QUADRATIC_REGION",
    "ImplicitBiasSolution",
    "implicit_bias_path",
    "implicit_bias_solution",
    "min_l2_solution",
]

#: Newton stops when the constraint residual :math:`\lVert V_r^\top\beta-V_r^\top\beta_{ls}\rVert`
#: (the dual gradient) is below ``GRAD_RTOL`` times :math:`\lVert\beta_{ls}\rVert`.
GRAD_RTOL = 1e-12

#: If the line search can no longer decrease the dual (rounding), a residual below
#: ``ACCEPT_RTOL`` times :math:`\lVert\beta_{ls}\rVert` still counts as converged.
ACCEPT_RTOL = 1e-9

#: A Newton step may change the mirror variable :math:`\theta=V_r\nu` by at most this much in any
#: coordinate: :math:`\beta` grows like :math:`e^{2\theta}`, so a full step from far away overshoots
#: by many orders of magnitude; capped steps reach :math:`\theta\sim\log(1/\alpha)` in a few dozen iterations.
MAX_THETA_STEP = 2.0

#: Armijo constant of the backtracking line search: accept a step that achieves this
#: fraction of the decrease predicted by the linear model.
ARMIJO = 1e-4

#: When Newton's predicted decrease of the dual is below ``QUADRATIC_REGION`` times the size of its
#: terms, rounding hides it from the line search; the full step is then taken (checked on the gradient).
QUADRATIC_REGION = 1e-10

#: The line search halves the step at most this many times before giving up.
MAX_HALVINGS = 60

#: Default cap on Newton iterations, before the allowance for small alpha (see ``max_iter``).
DEFAULT_MAX_ITER = 100

#: Extra Newton iterations allowed per unit of :math:`|\log\alpha|`: capped steps need about
#: ``1/MAX_THETA_STEP`` per unit, ill-conditioned problems at tiny alpha several times more.
ITER_PER_LOG_ALPHA = 10.0


@dataclass(frozen=True, eq=False)
class ImplicitBiasSolution:
    r"""The limit :math:`\beta^\alpha_\infty=\arg\min\{\phi_\alpha(\beta):\beta\in\arg\min L\}` of the flow.

    Attributes
    ----------
    beta : ndarray, shape (n_features,)
        The minimiser.
    dual : ndarray, shape (n_features,)
        The mirror variable :math:`\theta=\nabla\phi_\alpha(\beta)=\frac12\operatorname{arcsinh}(\beta/\alpha^2)`,
        which lies in the row space of :math:`X` (it is the limit of :math:`-\int_0^t\nabla L(\beta_s)ds`).
    alpha : float
        The initialisation scale.
    n_iter : int
        Newton iterations.
    success : bool
        True if the dual gradient met the tolerance.
    message : str
        What happened.

    Examples
    --------
    >>> import dlnlib
    >>> solution = dlnlib.implicit_bias_solution(dlnlib.Problem([[1.0, 2.0]], [2.0]), 1e3)
    >>> solution.success, solution.beta.round(6)
    (True, array([0.4, 0.8]))
    """

    beta: np.ndarray
    dual: np.ndarray
    alpha: float
    n_iter: int
    success: bool
    message: str


def min_l2_solution(problem):
    r"""The minimum-norm least-squares solution :math:`X^+y=\arg\min\{\lVert\beta\rVert_2:\beta\in\arg\min L\}`.

    Computed from the SVD of :math:`X`; singular values below ``dlnlib.problem.RANK_RTOL`` times the
    largest count as zero. It is the limit of the flow as :math:`\alpha\to\infty` (kernel regime).

    Parameters
    ----------
    problem : Problem
        The data.

    Returns
    -------
    ndarray, shape (n_features,)
        Read-only.

    Examples
    --------
    >>> import dlnlib
    >>> dlnlib.min_l2_solution(dlnlib.Problem([[1.0, 1.0]], [2.0]))
    array([1., 1.])
    """
    check_problem(problem)
    return problem.min_norm_solution


def implicit_bias_solution(problem, alpha, *, max_iter=None, start=None):
    r"""The point the network's gradient flow converges to: :math:`\arg\min\phi_\alpha` over :math:`\arg\min L`.

    With :math:`\phi_\alpha(\beta)=\frac12\sum_i\big(\beta_i\operatorname{arcsinh}\frac{\beta_i}{\alpha^2}
    -\sqrt{\beta_i^2+\alpha^4}+\alpha^2\big)` and :math:`\arg\min L=\{\beta:V_r^\top\beta=b\}`,
    :math:`b=V_r^\top\beta_{ls}` (:math:`V_r` an orthonormal basis of the row space of :math:`X`),
    the KKT conditions are

    .. math:: \tfrac12\operatorname{arcsinh}(\beta/\alpha^2)=V_r\nu,\qquad V_r^\top\beta=b,

    i.e. :math:`\beta=\alpha^2\sinh(2V_r\nu)` with :math:`X\beta` the projection of :math:`y` onto the
    range of :math:`X`. The multiplier :math:`\nu\in\mathbb R^r` (:math:`r=\operatorname{rank}X`)
    minimises the smooth, strictly convex dual

    .. math:: D(\nu)=\alpha^2\sum_i\sinh^2\big((V_r\nu)_i\big)-b^\top\nu,\qquad
              \nabla D=V_r^\top\beta-b,\qquad \nabla^2D=V_r^\top\operatorname{diag}(2\alpha^2\cosh(2V_r\nu))V_r,

    which is solved by Newton's method with a backtracking line search (steps capped in
    :math:`\theta=V_r\nu`). :math:`\sinh^2` (not :math:`\cosh-1`) keeps :math:`D` accurate for large :math:`\alpha`.

    Parameters
    ----------
    problem : Problem
        The data.
    alpha : float
        Initialisation scale :math:`\alpha>0`. Reliable from ``1e-12`` to ``1e3`` (checked on random
        problems, rank-deficient ones included). For smaller :math:`\alpha` the dual Hessian has
        condition number about :math:`\alpha^{-2}` on sparse solutions: Newton may need many
        iterations or stall, and then warns.
    max_iter : int, optional
        Maximum number of Newton iterations; default ``100 + 10 |log alpha|`` rounded up
        (capped steps need at least ``log(1/alpha) / 2`` iterations to reach the solution).
    start : ImplicitBiasSolution, optional
        A solution for the same problem at a nearby :math:`\alpha`: Newton starts from its
        multiplier :math:`\nu=V_r^\top\theta` instead of :math:`\nu=0` (the minimiser is the same,
        the dual being strictly convex; :func:`implicit_bias_path` walks its grid this way).

    Returns
    -------
    ImplicitBiasSolution
        With ``beta`` (n_features,), ``dual`` (n_features,), ``n_iter``, ``success``, ``message``.

    Raises
    ------
    ValueError
        If ``problem`` is not a :class:`Problem`, ``alpha`` is not a positive finite number,
        ``max_iter`` not a positive integer or ``start`` not an :class:`ImplicitBiasSolution` with
        ``n_features`` coordinates.

    Warns
    -----
    ConvergenceWarning
        If Newton's method does not reach the tolerance (then ``success`` is False).

    References
    ----------
    Woodworth et al. (2020), Kernel and rich regimes in overparametrized models, COLT.

    Examples
    --------
    >>> import numpy as np, dlnlib
    >>> problem = dlnlib.Problem([[1.0, 2.0]], [2.0])
    >>> np.round(dlnlib.implicit_bias_solution(problem, 1e3).beta, 6)  # ~ minimum l2: (0.4, 0.8)
    array([0.4, 0.8])
    >>> np.round(dlnlib.implicit_bias_solution(problem, 1e-6).beta, 4)  # ~ minimum l1: (0, 1)
    array([0., 1.])
    """
    check_problem(problem)
    alpha = check_alpha(alpha)
    if max_iter is not None:
        max_iter = check_positive_int(max_iter, "max_iter")
    V_r, beta_ls = problem.row_space, problem.min_norm_solution
    d, r = V_r.shape
    if start is not None and not (isinstance(start, ImplicitBiasSolution) and np.shape(start.dual) == (d,)):
        raise ValueError(f"start must be an ImplicitBiasSolution of a problem with {d} features, got {start!r}")
    b = V_r.T @ beta_ls
    scale = np.linalg.norm(b)
    if r == 0 or scale == 0:
        zero = readonly(np.zeros(d))
        return ImplicitBiasSolution(zero, zero, alpha, 0, True, "the projection of y onto range(X) is 0")

    log_alpha = np.log(alpha)
    if max_iter is None:
        max_iter = DEFAULT_MAX_ITER + int(np.ceil(ITER_PER_LOG_ALPHA * abs(log_alpha)))
    max_iter = check_positive_int(max_iter, "max_iter")

    def dual_objective(nu):  # numpydoc ignore=GL08
        return _scaled_sinh_squared(V_r @ nu, log_alpha).sum() - b @ nu

    nu = np.zeros(r) if start is None else V_r.T @ start.dual
    D = dual_objective(nu)
    success, message, n_iter = False, f"max_iter={max_iter} Newton iterations reached", max_iter
    for iteration in range(max_iter + 1):
        theta = V_r @ nu
        beta = _scaled_sinh(2 * theta, 2 * log_alpha)
        grad = V_r.T @ beta - b
        grad_norm = np.linalg.norm(grad)
        # --- Converged: beta satisfies the constraint (it minimises L) to the tolerance.
        if grad_norm <= GRAD_RTOL * scale:
            success, message, n_iter = True, "converged", iteration
            break
        if iteration == max_iter:
            break

        # --- Newton direction on the dual, capped so that theta moves by at most MAX_THETA_STEP.
        hessian = (V_r.T * _scaled_cosh(2 * theta, 2 * log_alpha + np.log(2.0))) @ V_r
        try:
            step = -np.linalg.solve(hessian, grad)
        except np.linalg.LinAlgError:
            step = -np.linalg.lstsq(hessian, grad, rcond=None)[0]
        largest_move = np.max(np.abs(V_r @ step))
        if largest_move > MAX_THETA_STEP:
            step *= MAX_THETA_STEP / largest_move
        slope = grad @ step

        # --- Near the optimum the predicted decrease is below the rounding of D, so Armijo cannot
        # see it; Newton converges quadratically there: take the full step if it shrinks the gradient.
        if -slope <= QUADRATIC_REGION * (_scaled_sinh_squared(theta, log_alpha).sum() + abs(b @ nu)):
            trial_beta = _scaled_sinh(2 * (theta + V_r @ step), 2 * log_alpha)
            if np.linalg.norm(V_r.T @ trial_beta - b) < grad_norm:
                nu = nu + step
                D = dual_objective(nu)
                continue
            if grad_norm <= ACCEPT_RTOL * scale:
                success, message, n_iter = True, "converged to rounding accuracy", iteration
            else:
                message, n_iter = "Newton stalled: the full step no longer reduces the constraint residual", iteration
            break

        # --- Backtracking line search on the dual objective (Armijo).
        t = 1.0
        for _ in range(MAX_HALVINGS):
            D_trial = dual_objective(nu + t * step)
            if np.isfinite(D_trial) and D_trial <= D + ARMIJO * t * slope:
                break
            t /= 2
        else:
            message, n_iter = "the line search failed: no decrease of the dual objective", iteration
            break
        nu = nu + t * step
        D = D_trial

    if not success:
        warnings.warn(
            f"implicit_bias_solution did not converge for alpha={alpha!r}: {message} "
            f"(constraint residual {grad_norm:.2e}, relative {grad_norm / scale:.2e})",
            ConvergenceWarning, stacklevel=2,
        )
    return ImplicitBiasSolution(readonly(beta), readonly(theta), alpha, n_iter, success, message)


def _scaled_sinh_squared(theta, log_alpha):
    r""":math:`\alpha^2\sinh^2\theta`, accurate also when :math:`\theta` is tiny (no :math:`\cosh-1`)."""
    return _scaled_sinh(theta, log_alpha) ** 2


def implicit_bias_path(problem, alphas, **kwargs):
    r"""The limit point :math:`\beta^\alpha_\infty` over a grid of initialisation scales.

    One :func:`implicit_bias_solution` per :math:`\alpha`, from the largest :math:`\alpha` down, each
    started from the solution at the previous one; the curve it traces goes from the
    minimum-:math:`\ell_2` solution (large :math:`\alpha`) to the minimum-:math:`\ell_1` one (small :math:`\alpha`).

    Parameters
    ----------
    problem : Problem
        The data.
    alphas : array_like, shape (m,)
        Positive initialisation scales, in any order.
    **kwargs
        Passed to :func:`implicit_bias_solution` (``max_iter``).

    Returns
    -------
    ndarray, shape (m, n_features)
        Row ``k`` is :math:`\beta^{\alpha_k}_\infty`; read-only.

    Examples
    --------
    >>> import dlnlib
    >>> path = dlnlib.implicit_bias_path(dlnlib.Problem([[1.0, 2.0]], [2.0]), [1e3, 1e-6])
    >>> path.round(4)
    array([[0.4, 0.8],
           [0. , 1. ]])
    """
    check_problem(problem)
    alphas = as_finite_array(alphas, "alphas", ndim=1)
    if alphas.size == 0 or np.any(alphas <= 0):
        raise ValueError("alphas must be a non-empty 1-D array of positive initialisation scales")
    return readonly([solution.beta for solution in walk_down(problem, alphas, **kwargs)])


def walk_down(problem, alphas, **kwargs):
    r""":func:`implicit_bias_solution` at each of ``alphas``, computed from the largest down, each from the last one.

    Between neighbouring scales half a decade apart Newton then needs about 5 iterations instead
    of up to 20 from :math:`\nu=0` (measured on random problems with 15 to 100 samples).

    Parameters
    ----------
    problem : Problem
        The data.
    alphas : sequence of float
        Positive initialisation scales, in any order (already validated).
    **kwargs
        Passed to :func:`implicit_bias_solution` (``max_iter``).

    Returns
    -------
    list of ImplicitBiasSolution
        In the order of ``alphas``.

    Examples
    --------
    >>> import dlnlib
    >>> from dlnlib.implicit_bias import walk_down
    >>> [s.alpha for s in walk_down(dlnlib.Problem([[1.0, 2.0]], [2.0]), [1e-3, 1e3, 1.0])]
    [0.001, 1000.0, 1.0]
    """
    solutions, previous = [None] * len(alphas), None
    for k in np.argsort(-np.asarray(alphas, dtype=float), kind="stable"):
        solutions[k] = previous = implicit_bias_solution(problem, float(alphas[k]), start=previous, **kwargs)
    return solutions
