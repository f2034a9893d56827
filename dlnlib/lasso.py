r"""The Lasso path and the minimum-:math:`\ell_1` solution.

The Lasso is

.. math:: \beta(\lambda)=\arg\min_\beta\ L(\beta)+\lambda\lVert\beta\rVert_1,
          \qquad L(\beta)=\tfrac1{2n}\lVert X\beta-y\rVert^2 .

Its optimality (KKT) condition says that the correlations :math:`c=-\nabla L(\beta)=\frac1n X^\top(y-X\beta)`
satisfy :math:`c_i=\lambda\,\mathrm{sign}(\beta_i)` on the support and :math:`|c_i|\le\lambda` off it.
As :math:`\lambda` decreases from :math:`\lambda_{\max}=\lVert X^\top y\rVert_\infty/n` (where
:math:`\beta=0`) to :math:`0`, the solution moves linearly between *knots* where a coordinate enters
the active set or crosses zero and leaves it (the homotopy of Osborne, Presnell & Turlach 2000;
LARS with the lasso modification of Efron, Hastie, Johnstone & Tibshirani 2004).
:func:`lasso_path` follows it exactly. As :math:`\lambda\to0` it ends at the minimum-:math:`\ell_1`
point of :math:`\arg\min L`, which :func:`min_l1_solution` computes independently by a linear program.
"""

import warnings
from dataclasses import dataclass

import numpy as np

__all__ = ["LassoPath", "lasso_path", "min_l1_solution"]

from ._active_set import (
    EPS,
    ROUNDOFF_FACTOR,
    Degenerate,
    SupportFactor,
    correlation_tolerance,
    general_position_error,
    output_scales,
    scaled_data,
    sign_constrained_minimum,
    warn_if_ill_conditioned,
)
from ._checks import as_finite_array, check_positive_int, readonly
from .errors import ConvergenceWarning, GeneralPositionWarning
from .problem import check_problem

#: Two events of the homotopy whose penalties agree to relative precision ``TIE_RTOL`` (or within
#: the round-off of their computation, which ``lasso_path`` estimates for each root) happen at the
#: same knot: ties are resolved together, by the direction problem, instead of as zero-length
#: steps; roots that close to the current knot are the events just processed.
TIE_RTOL = 1e-10

#: The correlations and the least-squares point :math:`\hat\beta_A` of a segment follow from the
#: previous knot (one product with :math:`X^\top` per knot, as in LARS); every
#: ``CORRELATION_REFRESH`` knots, and for the end point, they are recomputed from the data
#: instead (least squares on the active columns and its residual), so that rounding cannot
#: accumulate along long paths.
CORRELATION_REFRESH = 20

#: ``lasso_path`` stops after ``MAX_ITER_PER_DIMENSION * (n_samples + n_features)`` knots unless
#: told otherwise; generic paths need about ``min(n, d)`` to ``3 min(n, d)``.
MAX_ITER_PER_DIMENSION = 10

#: Feasibility and optimality tolerance handed to HiGHS for the minimum-l1 linear program.
LP_TOL = 1e-10

#: After the linear program, ``|X beta - X beta_ls|`` above ``LP_FEASIBILITY_RTOL * |X beta_ls|``
#: means the returned point does not minimise the loss, and is an error.
LP_FEASIBILITY_RTOL = 1e-7


@dataclass(frozen=True, eq=False)
class LassoPath:
    r"""The piecewise-linear Lasso path :math:`\lambda\mapsto\beta(\lambda)`.

    Attributes
    ----------
    lambdas : ndarray, shape (n_knots,)
        Knots, decreasing from :math:`\lambda_{\max}=\lVert X^\top y\rVert_\infty/n` to ``0``
        (or to where the path stopped if ``success`` is False). When :math:`y` is orthogonal
        to every column, :math:`\lambda_{\max}=0` and this is ``[0.]``.
    coefs : ndarray, shape (n_knots, n_features)
        The Lasso solutions at the knots; ``coefs[0] = 0``. For :math:`n<d` the last one
        interpolates the data; for :math:`n\ge d` with ``X`` of full rank it is least squares.
    active : tuple of tuple of int
        ``active[k]``: the active set on the segment :math:`(\lambda_{k+1},\lambda_k)`, in order of
        entry; ``len(active) == n_knots - 1``.
    n_iter : int
        Number of homotopy steps taken (knots found after the first).
    success : bool
        True if the path reached :math:`\lambda=0`.
    message : str
        Why the loop stopped.

    Examples
    --------
    >>> import dlnlib
    >>> path = dlnlib.lasso_path(dlnlib.three_coordinate_example())
    >>> path.active[:3]  # coordinate 3 (index 2) enters, 2 joins it, then 3 leaves
    ((2,), (2, 1), (1,))
    >>> path.coef_at(0.2).round(4).tolist()  # beta_3 = (1 - 4 lam)(-15/94) on the first segment
    [0.0, 0.0, -0.0319]
    """

    lambdas: np.ndarray
    coefs: np.ndarray
    active: tuple
    n_iter: int
    success: bool
    message: str

    def coef_at(self, lam):
        r"""The Lasso solution :math:`\beta(\lambda)`, linear between knots.

        Parameters
        ----------
        lam : float or array_like, shape (m,)
            Penalties :math:`\lambda\ge0`; any :math:`\lambda\ge\lambda_{\max}` gives :math:`0`.

        Returns
        -------
        ndarray, shape (n_features,) or (m, n_features)
            The solution at each penalty, interpolated linearly between the knots.

        Raises
        ------
        ValueError
            If some ``lam`` is negative or NaN, or lies below the last knot of a path that
            stopped early (``success`` False).

        Examples
        --------
        >>> import dlnlib
        >>> path = dlnlib.lasso_path(dlnlib.three_coordinate_example())
        >>> path.coef_at([0.3, 0.25, 0.2]).round(4).tolist()  # zero above lambda_max = 1/4
        [[0.0, 0.0, 0.0], [0.0, 0.0, 0.0], [0.0, 0.0, -0.0319]]
        """
        lam = as_finite_array(lam, "lam")
        if lam.ndim > 1:
            raise ValueError(f"lam must be a scalar or a 1-D array; got shape {lam.shape}")
        if np.any(lam < 0):
            raise ValueError(f"lam must be non-negative (it is the Lasso penalty); got minimum {lam.min()!r}")
        lowest = self.lambdas[-1]
        if np.any(lam < lowest):
            raise ValueError(
                f"lam must be at least {lowest!r}: the path stopped there ({self.message}); "
                "pass a larger max_iter to lasso_path"
            )
        # Knots decrease: segment k is [lambdas[k+1], lambdas[k]]; above lambda_max, beta = 0.
        flat = np.minimum(np.atleast_1d(lam), self.lambdas[0])
        if len(self.lambdas) == 1:
            out = np.repeat(self.coefs[:1], len(flat), axis=0)
        else:
            k = np.clip(np.searchsorted(-self.lambdas, -flat, side="right") - 1, 0, len(self.lambdas) - 2)
            upper, lower = self.lambdas[k], self.lambdas[k + 1]
            weight = ((upper - flat) / (upper - lower))[:, None]  # 0 at lambdas[k], 1 at lambdas[k+1]
            out = (1 - weight) * self.coefs[k] + weight * self.coefs[k + 1]
        return out[0] if lam.ndim == 0 else out


def lasso_path(problem, *, max_iter=None):
    r"""The exact Lasso regularisation path, by the homotopy (LARS-lasso) algorithm.

    Follows :math:`\beta(\lambda)=\arg\min_\beta L(\beta)+\lambda\lVert\beta\rVert_1` with
    :math:`L(\beta)=\frac1{2n}\lVert X\beta-y\rVert^2` from :math:`\lambda_{\max}=\lVert X^\top y\rVert_\infty/n`
    down to :math:`0`. With :math:`c=-\nabla L(\beta)`, active set :math:`A` and signs
    :math:`\sigma`, KKT reads :math:`c_A=\lambda\sigma`, :math:`|c_j|\le\lambda` off :math:`A`. On a
    segment with active set :math:`A` this gives

    .. math:: \beta_A(\lambda)=\hat\beta_A-\lambda w,\qquad G_{AA}w=\sigma,\qquad
              c_j(\lambda)=e_j+\lambda a_j,

    where :math:`\hat\beta_A` is least squares on the columns :math:`A`, :math:`G=X^\top X/n`,
    :math:`e=X^\top(y-X_A\hat\beta_A)/n` and :math:`a=X^\top X_Aw/n`. The segment ends at the
    largest :math:`\lambda` below the current knot where an inactive :math:`|c_j|` reaches
    :math:`\lambda` (:math:`j` enters) or an active :math:`\beta_j` reaches zero (:math:`j` leaves),
    or at :math:`\lambda=0`. Once :math:`|A|=\min(n,d)` the active columns span the column space
    of :math:`X`, so :math:`e=0` and no column can enter any more: the path goes to
    :math:`\lambda=0`, where :math:`\beta_A=\hat\beta_A` interpolates the data (:math:`n<d`) or is
    the least-squares solution (:math:`n\ge d`), unless a coordinate leaves first.

    At a knot where several events coincide (ties), the direction of the next segment is the
    solution of :math:`\min\frac12w^\top Gw-\sigma^\top w` with :math:`\sigma_jw_j\ge0` on the
    coordinates that are zero at the knot (Lawson–Hanson, shared with Algorithm 1): a tied
    coordinate enters only if the joint direction keeps its sign.

    With this :math:`\frac1{2n}` scaling the knots equal the ``alphas`` of scikit-learn's
    ``lars_path(X, y, method="lasso")``. Each knot costs one product of :math:`X^\top` with two
    vectors and an update of the Cholesky factor of :math:`G_{AA}` (see
    :mod:`dlnlib._active_set`); the Gram matrix :math:`G` is never formed.

    Parameters
    ----------
    problem : Problem
        Any :math:`n`, :math:`d` and magnitude of the data (rescaled internally by powers of two).
    max_iter : int, optional
        Maximum number of knots after the first; default ``10 * (n_samples + n_features)``.

    Returns
    -------
    LassoPath
        With ``lambdas`` (n_knots,), ``coefs`` (n_knots, n_features), ``coef_at(lam)``.

    Raises
    ------
    ValueError
        If ``problem`` is not a :class:`Problem`, ``max_iter`` is not a positive integer, or the
        penalties of this data are not representable in float64.
    GeneralPositionError
        If an entering column is linearly dependent on the active ones, or too close to their
        span for double precision (the message says which, and how close).

    Warns
    -----
    GeneralPositionWarning
        If an inactive column stays at :math:`|c_j|=\lambda` along a whole segment (for example a
        duplicate of an active column): the Lasso solution is then not unique, and the path keeps
        that column at zero.
    ConvergenceWarning
        If ``max_iter`` is reached before :math:`\lambda=0`.

    References
    ----------
    Osborne, Presnell & Turlach (2000), IMA J. Numer. Anal.; Efron, Hastie, Johnstone &
    Tibshirani (2004), Ann. Statist.; Tibshirani (2013), Electron. J. Statist.

    Examples
    --------
    >>> import dlnlib
    >>> path = dlnlib.lasso_path(dlnlib.three_coordinate_example())
    >>> (1 / path.lambdas[:-1]).round(4).tolist()  # 1/lambda = 4, 13200/1561, 65/7, 85/7, 20
    [4.0, 8.4561, 9.2857, 12.1429, 20.0]
    >>> path.coef_at(0.3)
    array([0., 0., 0.])
    """
    check_problem(problem)
    n, d = problem.n_samples, problem.n_features
    if max_iter is None:
        max_iter = MAX_ITER_PER_DIMENSION * (n + d)
    max_iter = check_positive_int(max_iter, "max_iter")
    XT, y, x_scale, y_scale = scaled_data(problem)
    lam_scale, coef_scale, _ = output_scales(x_scale, y_scale, "penalties", "max|X| max|y|", losses=False)
    tol = correlation_tolerance(XT, y)  # below this, a computed correlation is round-off
    twice_tol = 2 * tol

    factor = SupportFactor(XT, y)
    correlations = factor.c  # c = -grad L at the current knot; here beta = 0
    lam_max = float(np.max(np.abs(correlations)))
    lambdas, actives = [lam_max], []
    if np.all(np.abs(correlations) <= tol):
        return LassoPath(readonly([0.0]), readonly(np.zeros((1, d))), (), 0, True,
                         "y is orthogonal to every column of X: beta(lambda) = 0 for every lambda >= 0")

    lam = lam_max
    knots = []  # (lambda, A, beta_A) at each knot after the first, beta_A in the order of A
    zero_at_knot = (np.empty(0, dtype=int), np.empty(0))  # beta at the current knot, on A
    sigma = np.zeros(d)  # signs of the active coordinates (and of those with |c_j| = lam)
    beta = np.zeros(d)  # the solution at the current knot
    # The first coordinates to enter are those of largest |c_j| = lambda_max (several if tied).
    entering = np.flatnonzero(np.abs(correlations) >= (1 - TIE_RTOL) * lam_max)
    sigma[entering] = np.sign(correlations[entering])
    crossing = np.empty(0, dtype=int)
    stuck = set()
    success, message, n_iter = False, f"max_iter={max_iter} reached before lambda = 0", max_iter

    # Divisions by zero and NaN (the active coordinates in e, w_j = 0) are expected in the roots below.
    with np.errstate(divide="ignore", invalid="ignore"):
        for step in range(1, max_iter + 1):
            # --- at the knot: who is active on the next segment, and the direction w_A ---
            try:
                w_A = _direction(factor, sigma, entering, crossing, zero_at_knot)
            except Degenerate as error:
                raise general_position_error(f"at lambda={lam * lam_scale:.6g}", error, "the Lasso path") from None
            A = factor.support.copy()

            # --- the segment: beta_A(l) = beta_hat - l w_A, c(l) = e + l a, for l below lam ---
            # beta_A(l) = beta_A(lam) + (lam - l) w_A on the segment, so beta_hat = beta_A(lam) + lam w_A;
            # a costs the one product with X^T of the knot; e follows from continuity of c at lam
            # (c(lam) = e + lam a on both sides). Now and then both are recomputed from the data.
            refresh = step % CORRELATION_REFRESH == 0
            if refresh:
                beta_hat, residual = factor.least_squares()
            else:
                beta_hat = beta[A] + lam * w_A
            a = XT @ (factor.times(w_A) / n)
            e = XT @ (residual / -n) if refresh else correlations - lam * a
            # Roots in (0, lam) of e_j + l a_j = +-l (j enters) and of beta_hat_j - l w_j = 0 (j leaves).
            # A correlation at round-off level is zero: its roots are at l = 0, the end of the path.
            # With min(n, d) active columns they span the column space: no column can enter (e = 0).
            e[A] = np.nan  # the active ones have no entering root
            size = np.abs(e)
            idle = np.flatnonzero(size <= tol)  # an inactive one with |a_j| = 1 stays at |c_j| = lam
            if idle.size:
                e[idle] = 0.0
                size[idle] = np.nan  # no entering root
                stuck.update(idle[np.abs(np.abs(a[idle]) - 1) <= TIE_RTOL].tolist())
            # Each root comes with its round-off: tol_j / |+-1 - a_j| for an entering one, and for a
            # leaving one that of beta_hat (ROUNDOFF_FACTOR eps max|beta_hat|) divided by |w_j|.
            # Roots within it of the knot are the events just processed; roots within it of zero
            # cannot be told from the end of the path.
            upper = (1 - TIE_RTOL) * lam
            enter_root, slope, kept = _entering_roots(e, size, a, tol, upper)
            leave_root = beta_hat / w_A  # in factor order, like A
            leave_error = ROUNDOFF_FACTOR * EPS * float(np.max(np.abs(beta_hat), initial=0.0)) / np.abs(w_A)
            leave_root[~((leave_root > leave_error) & (leave_root < upper - leave_error))] = 0.0  # NaN and inf too
            if factor.k == factor.max_support:
                enter_root[:], kept[:] = 0.0, False

            lam_next = max(float(enter_root.max()), float(leave_root.max(initial=0.0)))
            actives.append(A)
            if lam_next == 0.0:
                beta_A = beta_hat if refresh else factor.least_squares()[0]  # the end point, from the data
                knots.append((0.0, A, beta_A))
                success, message, n_iter = True, "reached lambda = 0", step
                break
            beta_A = beta_hat - lam_next * w_A

            # --- events at the next knot (ties: roots that cannot be told from it) ---
            tied = (1 - TIE_RTOL) * lam_next
            entering = np.flatnonzero(kept & (size + twice_tol >= tied * slope))  # root + 2 error >= tied
            leaving = (leave_root > 0) & (leave_root + 2 * leave_error >= tied)
            crossing = A[leaving]
            beta_A[leaving] = 0.0  # exactly: they cross zero at this knot
            beta[A] = beta_A
            zero_at_knot = (A, beta_A)
            correlations = e + lam_next * a
            correlations[A] = lam_next * sigma[A]
            sigma[entering] = np.sign(correlations[entering])
            lam = lam_next
            knots.append((lam, A, beta_A))

    warn_if_ill_conditioned(factor, stacklevel=2)
    if stuck:
        warnings.warn(
            f"columns {sorted(stuck)} stay at |c_j| = lambda along a whole segment without entering: they are "
            "linearly dependent on the active columns (e.g. duplicated), so the Lasso solution is not unique there; "
            "this path keeps them at zero",
            GeneralPositionWarning, stacklevel=2,
        )
    if not success:
        warnings.warn(
            f"lasso_path stopped at lambda = {lam * lam_scale:.3g} after max_iter={max_iter} steps; pass a larger "
            "max_iter (if it keeps failing, the data may violate general position)",
            ConvergenceWarning, stacklevel=2,
        )
    coefs = np.zeros((1 + len(knots), d))
    for row, (lam_k, A_k, beta_k) in enumerate(knots, start=1):
        lambdas.append(lam_k)
        coefs[row, A_k] = beta_k
    actives = tuple(tuple(A_k.tolist()) for A_k in actives)
    coefs *= coef_scale
    coefs.flags.writeable = False
    return LassoPath(readonly(np.array(lambdas) * lam_scale), coefs, actives, n_iter, success, message)


def _entering_roots(e, size, a, tol, upper):
    r"""For each :math:`j`, the root in :math:`(0,\text{upper})` of :math:`e_j+la_j=\pm l`: where :math:`c_j` enters.

    On the segment, :math:`c_j(l)=e_j+la_j` is inside the band :math:`|c_j|\le l` at the knot and
    equals :math:`e_j` at :math:`l=0`. As :math:`l` decreases it leaves the band at most once
    (:math:`c_j-l` and :math:`c_j+l` are linear in :math:`l`, and once outside on one side it
    cannot reach the other without crossing the band), on the side of :math:`e_j`: the root is
    :math:`l_j=|e_j|/s_j` with :math:`s_j=1-\operatorname{sign}(e_j)a_j`. (The other line
    :math:`c=\mp l` is crossed above the knot, where the segment does not reach.) Its round-off
    is :math:`\text{tol}_j/s_j`; a root is kept if :math:`l_j<\text{upper}-\text{tol}_j/s_j`, that
    is :math:`|e_j|+\text{tol}_j<\text{upper}\,s_j`. ``size`` is :math:`|e|`, NaN where there is no
    root: for the active coordinates and where :math:`|e_j|\le\text{tol}_j` (round-off: the root is
    at :math:`l=0`, the end of the path). Returns the roots (0 where none is kept), :math:`s`, and
    where a root is kept.
    """
    slope = 1.0 - np.sign(e) * a
    kept = size + tol < upper * slope  # False where size is NaN
    return np.where(kept, size / slope, 0.0), slope, kept


def _direction(factor, sigma, entering, crossing, knot):
    r"""The active set and direction :math:`w_A` (:math:`G_{AA}w_A=\sigma_A`) of the segment below a knot.

    At the knot, ``entering`` coordinates reached :math:`|c_j|=\lambda` and ``crossing`` ones
    reached :math:`\beta_j=0`; ``knot`` is ``(A, beta_A)``, the solution at the knot. The
    direction is the minimiser of :math:`\frac12w^\top Gw-\sigma^\top w` with
    :math:`\sigma_jw_j\ge0` where :math:`\beta_j=0` at the knot
    (:func:`dlnlib._active_set.sign_constrained_minimum`).
    For a single event its answer is known in exact arithmetic (an entering coordinate joins,
    a crossing one leaves): that is tried first and checked, and the full problem is solved
    when the check fails or several events tie. Updates ``factor`` (to :math:`A`) and
    ``sigma`` (zero off :math:`A`); returns :math:`w_A` in factor order.
    """
    XT, n = factor.XT, factor.n
    if entering.size + crossing.size == 1:
        if entering.size:
            j = int(entering[0])
            factor.add(j)
            w_A = factor.solve(sigma[factor.support])
            if sigma[j] * w_A[-1] > 0:  # it joins with the sign of its correlation
                return w_A
            factor.remove([factor.k - 1])
        else:
            j = int(crossing[0])
            factor.remove(np.flatnonzero(factor.support == j).tolist())
            w_A = factor.solve(sigma[factor.support])
            w = np.zeros(len(sigma))
            w[factor.support] = w_A
            a_j = XT[j] @ factor.times(w_A) / n
            if 1.0 - sigma[j] * a_j <= _direction_tolerance(factor, w)[j]:  # it stays out
                sigma[j] = 0.0
                return w_A
    else:
        factor.remove(np.flatnonzero(np.isin(factor.support, crossing)).tolist())
    w = np.zeros(len(sigma))
    w[factor.support] = factor.solve(sigma[factor.support])
    eligible = np.concatenate((factor.support, entering, crossing))
    zero = np.ones(len(sigma), dtype=bool)
    zero[knot[0]] = knot[1] == 0
    sign_constrained_minimum(factor, w, sigma, sigma, zero, eligible, _direction_tolerance(factor, w))
    sigma[eligible[w[eligible] == 0]] = 0.0  # tied or leaving coordinates that stay out
    return w[factor.support]


def _direction_tolerance(factor, w):
    r"""Round-off of the computed :math:`1-\sigma_ja_j`, :math:`a=X^\top X_Pw/n`.

    It is the descent threshold of the direction problem.
    """
    size = np.linalg.norm(factor.times(w[factor.support])) if factor.k else 0.0  # |X_P w|
    return ROUNDOFF_FACTOR * EPS * factor.column_norms * size / np.sqrt(factor.n)


def min_l1_solution(problem):
    r"""The minimum-:math:`\ell_1` minimiser of the loss, :math:`\arg\min\{\lVert\beta\rVert_1:\beta\in\arg\min L\}`.

    :math:`\arg\min L` is the affine set :math:`\{\beta: V_r^\top\beta=V_r^\top\beta_{\mathrm{ls}}\}`,
    where the columns of :math:`V_r` span the row space of :math:`X` (right singular vectors of the
    :math:`r=\operatorname{rank}X` singular values above ``dlnlib.problem.RANK_RTOL`` times the largest) and
    :math:`\beta_{\mathrm{ls}}=X^+y` is the minimum-norm least-squares solution. This describes
    :math:`\arg\min L` for every shape and rank (for :math:`n<d` of full rank it is :math:`X\beta=y`).
    Writing :math:`\beta=p-q`, :math:`p,q\ge0`, the problem is the linear program
    :math:`\min\mathbf 1^\top(p+q)` s.t. :math:`V_r^\top(p-q)=V_r^\top\beta_{\mathrm{ls}}`, solved by HiGHS.

    It is the end (:math:`\lambda\to0`) of the Lasso path and the last saddle of the
    saddle-to-saddle dynamics. It is unique under general position; otherwise HiGHS returns one
    minimiser (a vertex).

    Parameters
    ----------
    problem : Problem
        Any shape and rank of ``X``.

    Returns
    -------
    ndarray, shape (n_features,)
        Read-only.

    Raises
    ------
    ValueError
        If ``problem`` is not a :class:`Problem`.
    RuntimeError
        If the linear program fails.

    Examples
    --------
    >>> import numpy as np, dlnlib
    >>> problem = dlnlib.Problem([[1.0, 2.0]], [2.0])
    >>> np.round(dlnlib.min_l1_solution(problem), 12)
    array([0., 1.])
    """
    from scipy.optimize import linprog  # imported here: scipy.optimize is slow to import

    check_problem(problem)
    V_r, beta_ls = problem.row_space, problem.min_norm_solution
    d, r = V_r.shape
    target = V_r.T @ beta_ls
    if r == 0 or not np.any(target):
        return readonly(np.zeros(d))
    result = linprog(
        c=np.ones(2 * d),
        A_eq=np.hstack([V_r.T, -V_r.T]),
        b_eq=target,
        bounds=(0, None),
        method="highs",
        options={"primal_feasibility_tolerance": LP_TOL, "dual_feasibility_tolerance": LP_TOL},
    )
    if result.status != 0:
        raise RuntimeError(f"the minimum-l1 linear program failed: {result.message}")
    beta = result.x[:d] - result.x[d:]
    fit_ls = problem.X @ beta_ls
    if np.linalg.norm(problem.X @ beta - fit_ls) > LP_FEASIBILITY_RTOL * max(np.linalg.norm(fit_ls), 1.0):
        raise RuntimeError("the minimum-l1 linear program returned a point that does not minimise the loss")
    return readonly(beta)
