r"""Least squares on a changing set of columns: the machinery both homotopies share.

Algorithm 1 (:mod:`dlnlib.saddles`) and the Lasso homotopy (:mod:`dlnlib.lasso`) walk through
a sequence of column sets :math:`P` of :math:`X`, one or a few columns entering or leaving at a
time, and at each step solve a small system with the matrix
:math:`G_{PP}=X_P^\top X_P/n`. :class:`SupportFactor` keeps its Cholesky factor
:math:`G_{PP}=R^\top R` (the R factor of :math:`X_P/\sqrt n`) and updates it as columns enter
(bordering, :math:`O(nk+k^2)` for :math:`k=|P|`) and leave (Givens rotations, :math:`O(k^2)`).

Solves use the *corrected semi-normal equations*: a solve with :math:`R^\top R`, then one step
of iterative refinement whose residual is computed from :math:`X` itself. Their accuracy is
governed by :math:`\operatorname{cond}(X_P)`, as for a QR factorisation, and not by
:math:`\operatorname{cond}(X_P)^2=\operatorname{cond}(G_{PP})`, as for the normal equations
(Björck 1987), as long as :math:`\operatorname{cond}(X_P)` stays well below
:math:`1/\sqrt{\varepsilon}\approx7\cdot10^7`, which :data:`COLLINEAR_RTOL` enforces.

:func:`sign_constrained_minimum` is the Lawson–Hanson active-set method for

.. math:: \min_w\ \tfrac12 w^\top Gw-b^\top w\quad\text{subject to}\quad \sigma_iw_i\ge0
          \ \text{on the constrained coordinates},

warm-started from the current set. Algorithm 1's step 3 is this problem with
:math:`b=X^\top y/n` (sign-constrained least squares); the direction of the Lasso path at a
knot where several events coincide is this problem with :math:`b=\sigma`.

Both solvers first rescale the data by powers of two (:func:`scaled_data`), which is exact, so
that nothing they compute overflows or underflows whatever the magnitude of :math:`X` and
:math:`y`.

References
----------
Björck, *Stability analysis of the method of seminormal equations for linear least squares
problems*, Linear Algebra Appl. 88/89 (1987). Lawson & Hanson, *Solving Least Squares
Problems* (1974), chapter 23.
"""

import warnings

import numpy as np
from scipy.linalg import qr_delete
from scipy.linalg.lapack import dtrcon, dtrtrs

from .errors import GeneralPositionError, PrecisionWarning

__all__ = [
    "Degenerate",
    "SupportFactor",
    "correlation_tolerance",
    "general_position_error",
    "output_scales",
    "scaled_data",
    "sign_constrained_minimum",
    "warn_if_ill_conditioned",
]

EPS = np.finfo(float).eps

#: A column whose distance to the span of the support columns is at most ``COLLINEAR_RTOL``
#: times its norm (the sine of its angle to that span) cannot join the support: the corrected
#: semi-normal equations are accurate while cond(X_P) is well below 1/sqrt(eps) ~ 7e7, and a
#: column this close to the span makes cond(X_P) at least 1 / COLLINEAR_RTOL.
COLLINEAR_RTOL = 1e-7

#: Beyond this condition number of the active columns, :math:`\operatorname{cond}(X_P)^2\varepsilon`
#: is no longer small, so the corrected semi-normal equations lose their accuracy: the solvers
#: then warn (:class:`~dlnlib.errors.PrecisionWarning`) that their results are approximate.
ILL_CONDITIONED = 1e7

#: When adding a column, its coefficients on the support columns are refined once if its distance
#: to their span is below ``REFINE_BELOW`` times its norm: the first solve errs by about
#: cond(X_P) * eps in that distance, harmless unless the column is that close to the span.
REFINE_BELOW = 1e-4

#: Round-off bound of a computed correlation :math:`X_j^\top r/n`, in units of
#: :math:`\varepsilon\,\lVert X_j\rVert\,\lVert y\rVert/n`. A dot product of length :math:`n`
#: errs by at most :math:`n\varepsilon\lVert X_j\rVert\lVert r\rVert` and typically by
#: :math:`\sqrt n` times less; the residual :math:`r` of the refined least-squares solve errs by
#: a few :math:`\varepsilon\lVert y\rVert`. See :func:`correlation_tolerance`.
ROUNDOFF_FACTOR = 64.0

#: In the active-set method, coordinates whose step to zero is within ``LEAVE_TIE_TOL`` (as a
#: fraction of the step) of the shortest one leave together.
LEAVE_TIE_TOL = 1e-12


def warn_if_ill_conditioned(factor, stacklevel):
    """Warn if the active columns met were too ill-conditioned for the solves to be accurate."""
    if factor.peak_condition > ILL_CONDITIONED:
        warnings.warn(
            f"the active columns of X became ill-conditioned (condition number at least {factor.peak_condition:.1e}, "
            f"beyond {ILL_CONDITIONED:.0e}): least squares on them is accurate only to about cond^2 * 1e-16 "
            "relative, so the path is approximate; rescale or decorrelate the columns of X",
            PrecisionWarning, stacklevel=stacklevel + 1,
        )


class Degenerate(Exception):
    """The columns asked for are (numerically) linearly dependent, or the solve cycles."""


def general_position_error(where, error, what):
    """The :class:`~dlnlib.errors.GeneralPositionError` a solver raises for a :class:`Degenerate` ``error``."""
    return GeneralPositionError(
        f"{where}, {error} The data violate general position (duplicate, collinear or nearly collinear "
        f"columns of X), so {what} is not unique or cannot be computed in double precision."
    )


def scaled_data(problem):
    r"""``X.T`` and ``y`` divided by powers of two that bring their largest entries near one.

    Scaling by a power of two is exact in floating point, so the solvers compute on the scaled
    data :math:`\tilde X=X/c_X`, :math:`\tilde y=y/c_y` exactly what they would compute on the
    original, but without overflow or underflow. With :math:`\beta=(c_y/c_X)\tilde\beta`:
    :math:`L=c_y^2\tilde L`, :math:`\nabla L=c_Xc_y\nabla\tilde L`, so jump times are divided and
    Lasso penalties multiplied by :math:`c_Xc_y`.

    Returns
    -------
    XT : ndarray, shape (d, n)
        :math:`\tilde X^\top`, C-contiguous (row :math:`j` is column :math:`j` of :math:`\tilde X`).
    y : ndarray, shape (n,)
    x_scale, y_scale : float
        :math:`c_X`, :math:`c_y` (powers of two; 1 for an all-zero array).
    """
    x_scale = _power_of_two(np.max(np.abs(problem.X)))
    y_scale = _power_of_two(np.max(np.abs(problem.y)))
    XT = np.array(problem.X.T, order="C")  # one copy, then scaled in place
    if x_scale != 1.0:
        XT /= x_scale
    return XT, np.array(problem.y) / y_scale, x_scale, y_scale


def _power_of_two(value):
    if value == 0:
        return 1.0
    _, exponent = np.frexp(value)  # value = m 2^e with 1/2 <= m < 1
    return float(np.ldexp(1.0, int(exponent) - 1))


def output_scales(x_scale, y_scale, name, order, *, losses=True):
    r"""Factors from the scaled problem back to the data's.

    Gradients scale by :math:`c_Xc_y`, coefficients by :math:`c_y/c_X`, losses by :math:`c_y^2`.

    Raises ValueError if gradient-sized quantities (``name``, of order ``order``: jump times or
    penalties) or the coefficients of data this large or this small are not representable in
    float64 with room to spare (on the scaled problem both are of order one); warns
    (:class:`~dlnlib.errors.PrecisionWarning`) if only the losses overflow or underflow and
    ``losses`` are reported.
    """
    finfo = np.finfo(float)
    low, high = finfo.tiny * 2.0**60, finfo.max / 2.0**60  # room for values far from order one
    with np.errstate(over="ignore", under="ignore"):
        gradient_scale = x_scale * y_scale
        beta_scale = y_scale / x_scale
        loss_scale = y_scale * y_scale
    for what, scale, size in ((name, gradient_scale, order), ("coefficients", beta_scale, "max|y| / max|X|")):
        if not low <= scale <= high:
            raise ValueError(
                f"X and y have magnitudes max|X| ~ {x_scale:.0e} and max|y| ~ {y_scale:.0e}: the {what}, of order "
                f"{size}, are not representable in float64; rescale X or y (a constant factor on X or y rescales "
                "every result by a known factor)"
            )
    if losses and not low <= loss_scale <= high:
        warnings.warn(
            f"max|y| ~ {y_scale:.0e}: the losses, of order max|y|^2, {'overflow' if loss_scale > 1 else 'underflow'} "
            "float64; the other results are exact",
            PrecisionWarning, stacklevel=3,
        )
    return gradient_scale, beta_scale, loss_scale


def correlation_tolerance(XT, y):
    r"""Per column, the size below which a computed :math:`X_j^\top r/n` is round-off, shape (d,).

    :data:`ROUNDOFF_FACTOR` :math:`\cdot\,\varepsilon\sqrt n\,\lVert X_j\rVert\lVert y\rVert/n`, where
    :math:`\lVert X_j\rVert\lVert y\rVert/n` bounds :math:`|X_j^\top r|/n` for every residual of a
    least-squares fit (:math:`\lVert r\rVert\le\lVert y\rVert`). A correlation below it is treated
    as exactly zero: the homotopies then take no step on it.
    """
    n = XT.shape[1]
    column_norms = np.sqrt(np.einsum("ij,ij->i", XT, XT))
    return ROUNDOFF_FACTOR * EPS * np.sqrt(n) * column_norms * np.linalg.norm(y) / n


class SupportFactor:
    r"""The Cholesky factor of :math:`X_P^\top X_P/n` for an ordered set of columns :math:`P`.

    Holds :math:`R` with :math:`X_P^\top X_P/n=R^\top R` (upper triangular, C-ordered so that
    ``R.T`` goes to LAPACK without a copy) and :math:`z=R^{-\top}X_P^\top y/n`, so that least
    squares on :math:`P` starts from one triangular solve, :math:`R\beta_P=z`. Adding column
    :math:`j` borders :math:`R` and :math:`z`; removing one rotates :math:`R` back to triangular
    form with SciPy's ``qr_delete``. Vectors indexed by :math:`P` are in factor order, the order
    of :attr:`support`.

    Parameters
    ----------
    XT : ndarray, shape (d, n)
        :math:`X^\top`, C-contiguous (rows are the columns :math:`X_j`).
    y : ndarray, shape (n,)
    """

    def __init__(self, XT, y):
        self.XT = XT
        self.n = XT.shape[1]
        self.y = y
        self.c = XT @ y / self.n  # X^T y / n
        self.column_norms = np.sqrt(np.einsum("ij,ij->i", XT, XT))
        self.max_support = min(XT.shape)  # rank(X) bounds the number of independent columns
        capacity = self.max_support + 1
        # The support columns, in factor order, as the rows of _XPT[:k] (contiguous products)
        self._XPT = np.empty((capacity, self.n))
        self._support = np.empty(capacity, dtype=int)
        self._z = np.empty(capacity)
        self._R = np.empty((0, 0))
        self.k = 0
        self._condition = 1.0  # of the current R, or None until asked for (see peak_condition)
        self._peak_removed = 1.0  # the largest condition of R just before a column was removed

    @property
    def peak_condition(self):
        r"""The largest condition number of :math:`R` met so far.

        LAPACK's 1-norm estimate, within a factor :math:`k` of :math:`\operatorname{cond}_2(X_P)`;
        the solvers compare it with :data:`ILL_CONDITIONED`. Adding a column never lowers
        :math:`\operatorname{cond}_2(X_P)` (the singular values interlace), so the largest value
        is met just before a removal or now: it is estimated there only, in :math:`O(k^2)`, and
        not at every addition.
        """
        if self._condition is None:
            rcond = dtrcon(self._R.T, "1", "L", "N")[0] if self.k else 1.0  # LAPACK's estimate of 1 / cond_1(R)
            self._condition = 1.0 / rcond if rcond > 0 else np.inf
        return max(self._peak_removed, self._condition)

    @property
    def support(self):
        """Indices of the columns in :math:`P`, in factor order (a view: copy it to keep it)."""
        return self._support[: self.k]

    # --- products with X_P --------------------------------------------------------------

    def times(self, w_P):
        r""":math:`X_Pw_P`, shape (n,), for ``w_P`` in factor order."""
        return w_P @ self._XPT[: self.k]

    def correlate(self, r):
        r""":math:`X_P^\top r/n` in factor order, shape (k,)."""
        return self._XPT[: self.k] @ r / self.n

    # --- solves ---------------------------------------------------------------------------

    def solve(self, b_P):
        r""":math:`G_{PP}^{-1}b_P` by two triangular solves (no refinement)."""
        if self.k == 0:
            return np.zeros(0)
        x = dtrtrs(self._R.T, b_P, lower=1)[0]
        return dtrtrs(self._R.T, x, lower=1, trans=1)[0]

    def least_squares(self):
        r"""Least squares on :math:`P`: the minimiser of :math:`\lVert X_P\beta_P-y\rVert`, and its residual.

        From :math:`R\beta_P=z`, then one refinement step with the residual computed from
        :math:`X_P` (the corrected semi-normal equations).
        """
        if self.k == 0:
            return np.zeros(0), -self.y
        beta = dtrtrs(self._R.T, self._z[: self.k], lower=1, trans=1)[0]
        residual = self.times(beta) - self.y
        correction = self.solve(-self.correlate(residual))
        beta += correction
        residual += self.times(correction)
        return beta, residual

    # --- updates ---------------------------------------------------------------------------

    def add(self, j):
        r"""Append column ``j``; raise :class:`Degenerate` if it is (nearly) in the span of :math:`X_P`.

        The new column of :math:`R` is :math:`x=Rc=R^{-\top}X_P^\top X_j/n` with :math:`c` the
        least-squares coefficients of :math:`X_j` on :math:`X_P` (refined once when :math:`X_j` is
        close to their span, see :data:`REFINE_BELOW`), and the new pivot is the distance
        :math:`\lVert X_j-X_Pc\rVert/\sqrt n` of :math:`X_j/\sqrt n` to the span, computed from
        :math:`X` and not as :math:`G_{jj}-\lVert x\rVert^2`, which cancels.
        """
        k = self.k
        XTj = self.XT[j]
        norm_j = self.column_norms[j]
        if k == self.max_support:
            raise Degenerate(
                f"column {j} would be active column number {k + 1}, more than rank(X) <= {k} allows."
            )
        if k:
            x = dtrtrs(self._R.T, self.correlate(XTj), lower=1)[0]  # R^-T X_P^T X_j / n
            c = dtrtrs(self._R.T, x, lower=1, trans=1)[0]  # R^-1 x = G_PP^-1 X_P^T X_j / n
            off_span = XTj - self.times(c)
            distance = np.sqrt(off_span @ off_span)  # |X_j - X_P c|: the sine of the angle times |X_j|
            if distance < REFINE_BELOW * norm_j:
                c += self.solve(self.correlate(off_span))
                off_span = XTj - self.times(c)
                distance = np.sqrt(off_span @ off_span)
                x = self._R @ c
        else:
            distance, x = norm_j, np.zeros(0)
        if not distance > COLLINEAR_RTOL * norm_j:
            angle = distance / norm_j if norm_j else 0.0
            raise Degenerate(
                f"column {j} of X makes an angle of {angle:.1e} rad with the span of the active columns "
                f"{sorted(self.support.tolist())}: together they are linearly dependent or too ill-conditioned "
                f"(condition number at least {1 / max(angle, 1e-300):.1e}) for double precision."
            )
        r_jj = distance / np.sqrt(self.n)
        R = np.zeros((k + 1, k + 1))  # R_new = [[R, x], [0, r_jj]]
        R[:k, :k] = self._R
        R[:k, k] = x
        R[k, k] = r_jj
        self._R = R
        self._condition = None
        self._z[k] = (self.c[j] - x @ self._z[:k]) / r_jj
        self._XPT[k] = XTj
        self._support[k] = j
        self.k = k + 1

    def remove(self, positions):
        """Drop the columns at ``positions`` (indices into :attr:`support`)."""
        if len(positions):
            self._peak_removed = self.peak_condition
            self._condition = None
        for q in sorted(positions, reverse=True):
            k = self.k
            z = self._z
            if q < k - 1:
                # Without column q, R is upper Hessenberg below row q: rotations of rows q..
                # make it triangular again and leave the rows above q, and z above q, as they are.
                Q, tail = qr_delete(np.eye(k - q), self._R[q:, q:], 0, 1, "col", check_finite=False)
                R = np.delete(self._R[:-1], q, axis=1)
                R[q:, q:] = tail[:-1]
                z[q : k - 1] = (z[q:k] @ Q)[:-1]
            else:
                R = self._R[:-1, :-1]
            self._R = np.ascontiguousarray(R)
            self._XPT[q : k - 1] = self._XPT[q + 1 : k]
            self._support[q : k - 1] = self._support[q + 1 : k]
            self.k = k - 1


def sign_constrained_minimum(factor, w, b, sigma, constrained, eligible, tol, *, least_squares=False):
    r"""Lawson–Hanson: :math:`\min\frac12w^\top Gw-b^\top w` over :math:`w` supported on ``eligible``.

    ``eligible`` (indices) contains the current support :math:`P`. Subject to
    :math:`\sigma_iw_i\ge0` for the ``constrained`` coordinates (the others are free),
    with :math:`G=X^\top X/n`. On entry, ``w`` (shape (d,), zero off :math:`P`) minimises the
    objective on the current support :math:`P` held by ``factor`` and is feasible. The outer loop
    adds the eligible coordinate off the support along which the objective decreases fastest per unit of
    :math:`\sigma_jw_j`, that is the largest descent :math:`\sigma_j(b_j-(Gw)_j)` above ``tol[j]``;
    the inner loop solves on the support and, if a constrained coordinate would change sign (or
    comes within round-off of zero: ``ROUNDOFF_FACTOR * eps * cond * max|w|``), steps towards that
    solution until the first ones reach zero and drops them.

    With ``least_squares=True``, :math:`b=X^\top y/n` and the solves and descents are computed
    from the residual :math:`X_Pw_P-y` (refined, accurate to the conditioning of :math:`X_P`);
    otherwise from :math:`b` directly (for :math:`b=\sigma` no residual of the data is involved,
    and refinement would not improve the backward-stable Cholesky solve).

    Updates ``w`` and ``factor`` in place; returns the number of solves. Raises
    :class:`Degenerate` if a column cannot join or the iteration cycles.
    """
    XT, n = factor.XT, factor.n
    solves = 0
    max_solves = 3 * len(eligible) + 10  # Lawson-Hanson terminates; this only guards against cycling
    off_support = np.ones(len(w), dtype=bool)
    off_support[factor.support] = False
    candidates = eligible[off_support[eligible]]

    def descent_of(candidates):
        w_P = w[factor.support]
        if least_squares:
            residual = factor.times(w_P) - factor.y
            return -sigma[candidates] * (XT[candidates] @ residual) / n
        return sigma[candidates] * (b[candidates] - XT[candidates] @ factor.times(w_P) / n)

    def unconstrained_minimum():
        if least_squares:
            return factor.least_squares()[0]
        return factor.solve(b[factor.support])

    descent = descent_of(candidates)
    while candidates.size:
        excess = descent - tol[candidates]  # > 0: downhill beyond round-off
        best = np.argmax(excess)
        if not excess[best] > 0:
            break
        j = candidates[best]
        factor.add(j)
        while True:  # inner loop: restore sigma_i w_i > 0 on the constrained support
            solves += 1
            if solves > max_solves:
                raise Degenerate("the active-set solve did not terminate (it cycles).")
            support = factor.support
            target = unconstrained_minimum()
            # a constrained coefficient within round-off of zero is zero (for instance the extra
            # coordinates of a support when y lies in the span of fewer of its columns)
            zero = ROUNDOFF_FACTOR * EPS * factor.peak_condition * np.max(np.abs(target))
            wrong = constrained[support] & (sigma[support] * target <= zero)
            if not wrong.any():
                w[support] = target
                break
            if support[-1] == j and wrong[-1]:
                # j points downhill, so the minimum on the support must give it the sign sigma_j;
                # if not, X_j is numerically dependent on the support columns.
                raise Degenerate(f"column {j} cannot join the support with sign {sigma[j]:+.0f}.")
            current = w[support]
            ratio = current[wrong] / (current[wrong] - target[wrong])
            step = ratio.min()
            w[support] = current + step * (target - current)
            leaving = np.flatnonzero(wrong)[ratio <= step + LEAVE_TIE_TOL]
            w[support[leaving]] = 0.0
            factor.remove(leaving)
        off_support[:] = True
        off_support[factor.support] = False
        candidates = eligible[off_support[eligible]]
        if candidates.size:
            descent = descent_of(candidates)
    return solves
