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
from scipy.optimize import linprog

from ._checks import as_finite_array, check_positive_int, readonly
from .errors import ConvergenceWarning, GeneralPositionError, GeneralPositionWarning
from .problem import check_problem

#: A set of active columns whose Gram matrix :math:`X_A^\top X_A/n` has eigenvalues below
#: ``GRAM_RCOND`` times the largest is treated as linearly dependent (general position fails).
GRAM_RCOND = 1e-10

#: Two events of the homotopy whose step lengths differ by less than ``TIE_RTOL * lambda_max``
#: happen at the same knot (ties are processed together instead of as zero-length steps).
TIE_RTOL = 1e-12

#: On a dependent active set, the direction solves :math:`G_{AA}w=\sigma` in the least-squares
#: sense; a relative residual above ``CONSISTENCY_RTOL`` means no Lasso direction exists there.
CONSISTENCY_RTOL = 1e-8

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

        Raises
        ------
        ValueError
            If some ``lam`` is negative or NaN, or lies below the last knot of a path that
            stopped early (``success`` False).
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
        # np.interp wants increasing abscissae: read the knots from lambda = 0 upwards.
        # Beyond the first knot (lambda >= lambda_max) interp holds coefs[0] = 0.
        knots, coefs = self.lambdas[::-1], self.coefs[::-1]
        flat = np.atleast_1d(lam)
        out = np.stack([np.interp(flat, knots, coefs[:, i]) for i in range(coefs.shape[1])], axis=-1)
        return out[0] if lam.ndim == 0 else out


def lasso_path(problem, *, max_iter=None):
    r"""The exact Lasso regularisation path, by the homotopy (LARS-lasso) algorithm.

    Follows :math:`\beta(\lambda)=\arg\min_\beta L(\beta)+\lambda\lVert\beta\rVert_1` with
    :math:`L(\beta)=\frac1{2n}\lVert X\beta-y\rVert^2` from :math:`\lambda_{\max}=\lVert X^\top y\rVert_\infty/n`
    down to :math:`0`. With :math:`c=-\nabla L(\beta)`, active set :math:`A` and signs
    :math:`\sigma=\mathrm{sign}(\beta_A)`, KKT reads :math:`c_A=\lambda\sigma`, :math:`|c_j|\le\lambda` off
    :math:`A`. Decreasing :math:`\lambda` by :math:`\gamma` keeps this true when
    :math:`\beta_A` moves by :math:`\gamma w` with :math:`G_{AA}w=\sigma`, :math:`G=X^\top X/n`. Each step
    goes to the nearest event: an inactive :math:`|c_j|` reaches :math:`\lambda` (it enters), an
    active :math:`\beta_j` reaches zero (it leaves), or :math:`\lambda` reaches :math:`0`.

    With this :math:`\frac1{2n}` scaling the knots equal the ``alphas`` of scikit-learn's
    ``lars_path(X, y, method="lasso")``.

    Parameters
    ----------
    problem : Problem
    max_iter : int, optional
        Maximum number of homotopy steps; default ``10 * (n_samples + n_features)``.

    Returns
    -------
    LassoPath
        With ``lambdas`` (n_knots,), ``coefs`` (n_knots, n_features), ``coef_at(lam)``.

    Raises
    ------
    ValueError
        If ``problem`` is not a :class:`Problem` or ``max_iter`` is not a positive integer.
    GeneralPositionError
        If the active columns become linearly dependent in a way that admits no Lasso direction.

    Warns
    -----
    GeneralPositionWarning
        If several columns are dependent (e.g. duplicated) but a direction exists: the Lasso
        solution is then not unique and the path follows the minimum-norm direction.
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
    >>> round(float(path.lambdas[0]), 12), float(path.lambdas[-1])
    (0.25, 0.0)
    >>> path.coef_at(0.3)
    array([0., 0., 0.])
    """
    check_problem(problem)
    n, d = problem.n_samples, problem.n_features
    if max_iter is None:
        max_iter = MAX_ITER_PER_DIMENSION * (n + d)
    max_iter = check_positive_int(max_iter, "max_iter")

    X, y, G = problem.X, problem.y, problem.gram
    beta = np.zeros(d)
    correlations = X.T @ y / n
    lam_max = float(np.max(np.abs(correlations)))
    lam = lam_max
    lambdas, coefs, actives = [lam], [beta.copy()], []
    if lam_max == 0.0:
        return LassoPath(readonly(lambdas), readonly(coefs), (), 0, True,
                         "y is orthogonal to every column of X: beta(lambda) = 0 for every lambda >= 0")

    # The first coordinates to enter are those of largest |c_j| = lambda_max (several if tied).
    tie = TIE_RTOL * lam_max
    active = [int(j) for j in np.flatnonzero(np.abs(correlations) >= lam_max - tie)]
    signs = {j: np.sign(correlations[j]) for j in active}
    just_dropped = {}  # coordinate -> the sign it had before it left at the last knot
    warned_dependent = False
    success, message, n_iter = False, f"max_iter={max_iter} reached before lambda = 0", max_iter

    for step in range(1, max_iter + 1):
        A = np.array(active)
        sigma = np.array([signs[j] for j in active])
        correlations = X.T @ (y - X @ beta) / n

        # --- Direction on the active set: G_AA w = sigma keeps c_A = lambda sigma as lambda decreases.
        G_AA = G[np.ix_(A, A)]
        w, _, rank, _ = np.linalg.lstsq(G_AA, sigma, rcond=GRAM_RCOND)
        if rank < len(A):
            if np.linalg.norm(G_AA @ w - sigma) > CONSISTENCY_RTOL * np.linalg.norm(sigma):
                raise GeneralPositionError(
                    f"the active columns {sorted(active)} are linearly dependent with signs that admit no "
                    "Lasso direction (general position fails); remove duplicated or collinear columns"
                )
            if not warned_dependent:
                warnings.warn(
                    f"the active columns {sorted(active)} are linearly dependent (e.g. duplicated): the Lasso "
                    "solution is not unique; following the minimum-norm direction",
                    GeneralPositionWarning, stacklevel=2,
                )
                warned_dependent = True
        # Along the step, lambda -> lambda - gamma, beta_A -> beta_A + gamma w, c -> c - gamma a.
        a = G[:, A] @ w

        # --- Step to the next entering coordinate: |c_j - gamma a_j| reaches lambda - gamma.
        inactive = np.ones(d, dtype=bool)
        inactive[A] = False
        gap_plus = np.maximum(lam - correlations, 0.0)   # to c_j = +lambda
        gap_minus = np.maximum(lam + correlations, 0.0)  # to c_j = -lambda
        with np.errstate(divide="ignore", invalid="ignore"):
            gamma_plus = np.where(1 - a > 0, gap_plus / (1 - a), np.inf)
            gamma_minus = np.where(1 + a > 0, gap_minus / (1 + a), np.inf)
        # A coordinate that just left sits at c_j = lambda * old sign and moves strictly inside:
        # its zero-length "entry" on that side is rounding, but it may enter on the other side.
        for j, old_sign in just_dropped.items():
            if old_sign > 0:
                gamma_plus[j] = np.inf
            else:
                gamma_minus[j] = np.inf
        gamma_in = np.where(inactive, np.minimum(gamma_plus, gamma_minus), np.inf)

        # --- Step to the next coordinate crossing zero: beta_j + gamma w_j = 0 (the lasso drop).
        with np.errstate(divide="ignore", invalid="ignore"):
            gamma_cross = np.where(beta[A] * w < 0, -beta[A] / w, np.inf)

        # --- Step to the end of the path: lambda reaches 0.
        gamma = min(lam, gamma_in.min(), gamma_cross.min())

        # --- Update: move to the knot, then apply every event that happens there.
        beta[A] += gamma * w
        if lam - gamma <= tie:
            lam = 0.0
            lambdas.append(lam)
            coefs.append(beta.copy())
            actives.append(tuple(active))
            success, message, n_iter = True, "reached lambda = 0", step
            break
        lam -= gamma
        leaving = [int(j) for j, g in zip(A, gamma_cross) if g <= gamma + tie]
        beta[leaving] = 0.0  # exactly: they crossed zero at this knot
        lambdas.append(lam)
        coefs.append(beta.copy())
        actives.append(tuple(active))

        just_dropped = {j: signs[j] for j in leaving}
        for j in leaving:
            active.remove(j)
            del signs[j]
        entering = [int(j) for j in np.flatnonzero(gamma_in <= gamma + tie)]
        for j in entering:
            active.append(j)
            signs[j] = 1.0 if gamma_plus[j] <= gamma_minus[j] else -1.0
        if not active:
            # Everything left at once (possible only off general position): restart from the
            # largest correlation, as at lambda_max.
            correlations = X.T @ (y - X @ beta) / n
            j = int(np.argmax(np.abs(correlations)))
            active, signs = [j], {j: np.sign(correlations[j])}

    if not success:
        warnings.warn(
            f"lasso_path stopped at lambda = {lam:.3g} after max_iter={max_iter} steps; pass a larger "
            "max_iter (if it keeps failing, the data may violate general position)",
            ConvergenceWarning, stacklevel=2,
        )
    return LassoPath(readonly(lambdas), readonly(np.array(coefs)), tuple(actives), n_iter, success, message)


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
