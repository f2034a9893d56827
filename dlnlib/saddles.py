r"""Saddle-to-saddle dynamics in the limit :math:`\alpha\to0`: Algorithm 1 of Pesme & Flammarion (2023).

As the initialisation scale :math:`\alpha` of a diagonal linear network tends to zero, gradient
flow on the accelerated clock :math:`\tilde t=t/\log(1/\alpha)` stays at a saddle
:math:`\beta_k` of the loss on :math:`(t_k, t_{k+1})` and jumps to the next saddle at
:math:`t_{k+1}`. The dual variable :math:`s(t)=-\int_0^t\nabla L(\beta^\circ_\tau)\,d\tau` moves
linearly between jumps and never leaves the cube :math:`\lVert s\rVert_\infty\le1`. Algorithm 1
computes the jump times, the saddles and the duals exactly:

start with :math:`t=0`, :math:`\beta=0`, :math:`s=0`; while :math:`\nabla L(\beta)\ne0`, with
:math:`g=\nabla L(\beta)`,

1. :math:`\Delta=\min_{i:\,g_i\ne0}\,(1+s_i\operatorname{sign}g_i)/\lvert g_i\rvert`;
2. :math:`t\leftarrow t+\Delta`, :math:`s\leftarrow s-\Delta g`;
3. :math:`\beta\leftarrow\arg\min L` subject to :math:`\beta_i\ge0` if :math:`s_i=+1`,
   :math:`\beta_i\le0` if :math:`s_i=-1`, :math:`\beta_i=0` if :math:`\lvert s_i\rvert<1`.

Step 3 is a non-negative least-squares problem after a sign flip. It is solved by a
Lawson–Hanson active-set method warm-started from the previous support, with a Cholesky
factor of the support's Gram matrix updated as columns enter (bordering) and leave (Givens
rotations), so that a jump costs one product with :math:`X^\top` plus :math:`O(nk+k^2)` for a
support of size :math:`k`.
"""

import warnings
from dataclasses import dataclass
from functools import cached_property

import numpy as np
from scipy.linalg import qr_delete
from scipy.linalg.lapack import dtrtrs

from ._checks import check_positive, check_positive_int, check_times
from .errors import GeneralPositionError, GeneralPositionWarning
from .problem import check_problem

#: A gradient entry with :math:`\lvert\nabla_iL\rvert\le` ``GRADIENT_RTOL``
#: :math:`\cdot\lVert X_i\rVert\lVert y\rVert/n` is taken to be exactly zero (the bound
#: :math:`\lVert X_i\rVert\lVert y\rVert/n` is the largest :math:`\lvert\nabla_iL\rvert` can be on
#: the path). Its one job: tell round-off from a real gradient, when deciding whether a
#: coordinate moves, leaves the boundary, joins the support, or whether the path has ended.
GRADIENT_RTOL = 1e-9

#: Coordinates whose hitting times agree with the first one's to relative precision ``TIE_RTOL``
#: hit the boundary together (ties): they join :math:`A` at the same jump, set to exactly
#: :math:`\pm1`. On :math:`s` this is a gap of at most ``2 * TIE_RTOL`` to the boundary; the
#: duals are of order one and accurate to ~1e-15 per jump.
TIE_RTOL = 1e-10

#: In the active-set solve, support coordinates whose step to zero is within
#: ``LEAVE_TIE_TOL`` (as a fraction of the step) of the shortest one leave together.
LEAVE_TIE_TOL = 1e-12

#: A column whose squared distance to the span of the support columns is below
#: ``RANK_RTOL`` times its squared norm makes the signed active columns rank deficient.
RANK_RTOL = 1e-12

#: Default ``max_iter`` is this many jumps per feature or sample (whichever is fewer), plus
#: ``_MIN_ITER``: generous, since coordinates may leave and come back.
_ITER_PER_DIMENSION = 20
_MIN_ITER = 100

#: Entries (not bytes) of the initial buffers holding the saddles and the duals.
_BUFFER_ENTRIES = 2_000_000


@dataclass(frozen=True, eq=False)
class SaddlePath:
    r"""The saddle-to-saddle path computed by :func:`saddle_to_saddle`.

    The limit dynamics :math:`\beta^\circ` equals :math:`\beta_k` on :math:`[t_k, t_{k+1})`
    (and :math:`\beta_p` after :math:`t_p`); the dual moves linearly,
    :math:`s(t)=s_k-(t-t_k)\nabla L(\beta_k)`. With :math:`p` jumps and :math:`d` features:

    Attributes
    ----------
    times : ndarray, shape (p+1,)
        Jump times :math:`0=t_0<t_1<\dots<t_p` (accelerated clock, loss scaled by :math:`\frac1{2n}`).
    saddles : ndarray, shape (p+1, d)
        :math:`\beta_0=0,\beta_1,\dots,\beta_p`. Off the support the entries are exactly zero.
    duals : ndarray, shape (p+1, d)
        :math:`s_k=s(t_k)`; entries on the boundary set are exactly :math:`\pm1`.
    losses : ndarray, shape (p+1,)
        :math:`L(\beta_k)`, strictly decreasing.
    entered, left : tuple of p int arrays
        For each jump :math:`k=1..p`, the coordinates (sorted) that joined (left) the support at
        :math:`t_k`. A coordinate that leaves the support at :math:`t_k` leaves :math:`A` right after.
    n_iter : int
        Number of jumps the loop took: ``len(times) - 1``, plus one if the last jump was rejected
        because the loss did not decrease (see ``message``).
    n_solves : int
        Number of least-squares solves done by the active-set method (work counter).
    success : bool
        True if the path reached a minimiser of :math:`L` (:math:`\nabla L(\beta_p)=0`).
    message : str
        Why the loop stopped, and any general-position trouble met on the way.
    """

    times: np.ndarray
    saddles: np.ndarray
    duals: np.ndarray
    losses: np.ndarray
    entered: tuple
    left: tuple
    n_iter: int
    n_solves: int
    success: bool
    message: str

    @cached_property
    def gradients(self):
        r"""The slope of the dual on each plateau, shape (p+1, d).

        :math:`s(t)=s_k-(t-t_k)g_k` on :math:`[t_k,t_{k+1})`, with :math:`g_k=\nabla L(\beta_k)` and the
        entries that are zero in exact arithmetic (support, boundary, round-off) exactly zero.
        Recovered as :math:`(s_k-s_{k+1})/(t_{k+1}-t_k)`, so it carries the rounding of the duals
        divided by the plateau length. The last row is zero: :math:`\nabla L(\beta_p)=0` when
        ``success``, and otherwise the path is not defined after :math:`t_p`.
        """
        slopes = np.zeros_like(self.duals)
        slopes[:-1] = -np.diff(self.duals, axis=0) / np.diff(self.times)[:, None]
        slopes.flags.writeable = False
        return slopes

    @property
    def n_jumps(self):
        """Number of jumps :math:`p` (``len(times) - 1``)."""
        return len(self.times) - 1

    @property
    def support(self):
        r"""Boolean array, shape (p+1, d): :math:`\beta_{k,i}\ne0` (exact, see ``saddles``)."""
        return self.saddles != 0

    @property
    def signs(self):
        r"""Array of -1, 0, +1, shape (p+1, d): :math:`\operatorname{sign}\beta_{k,i}`."""
        return np.sign(self.saddles)

    def _plateau(self, t):
        """Validated times and the index k of the plateau [t_k, t_{k+1}) holding each."""
        t = check_times(t, "t")
        if not self.success and np.any(t > self.times[-1]):
            raise ValueError(
                f"t must be at most {self.times[-1]!r}, the last jump computed: the path stopped early "
                f"({self.message}). Call saddle_to_saddle with a larger max_iter."
            )
        return t, np.searchsorted(self.times, t, side="right") - 1

    def beta_at(self, t):
        r"""The limit dynamics :math:`\beta^\circ(t)=\beta_k` for :math:`t_k\le t<t_{k+1}` (right-continuous).

        Parameters
        ----------
        t : float or array_like, shape (m,)
            Non-negative times; a 1-D array must be strictly increasing.

        Returns
        -------
        ndarray, shape (d,) or (m, d)
        """
        _, k = self._plateau(t)
        return self.saddles[k]

    def dual_at(self, t):
        r"""The dual :math:`s(t)=s_k-(t-t_k)\nabla L(\beta_k)` for :math:`t_k\le t<t_{k+1}`.

        Parameters
        ----------
        t : float or array_like, shape (m,)
            Non-negative times; a 1-D array must be strictly increasing.

        Returns
        -------
        ndarray, shape (d,) or (m, d)
        """
        t, k = self._plateau(t)
        return self.duals[k] - (t - self.times[k])[..., None] * self.gradients[k]

    def time_average(self, t):
        r"""The time average :math:`\bar\beta_t=\frac1t\int_0^t\beta^\circ(\tau)\,d\tau` (exact).

        Since :math:`\nabla L` is affine, :math:`-\nabla L(\bar\beta_t)=s(t)/t`; while no coordinate
        has left the support, :math:`\bar\beta_t` is the Lasso solution at :math:`\lambda=1/t`.
        At :math:`t=0` it is defined as :math:`0=\beta_0`, its limit as :math:`t\to0`.

        Parameters
        ----------
        t : float or array_like, shape (m,)
            Non-negative times; a 1-D array must be strictly increasing.

        Returns
        -------
        ndarray, shape (d,) or (m, d)
        """
        t, k = self._plateau(t)
        # integral of the piecewise-constant path up to each knot t_k
        widths = np.diff(self.times)[:, None]
        knots = np.concatenate([np.zeros_like(self.saddles[:1]), np.cumsum(widths * self.saddles[:-1], axis=0)])
        integral = knots[k] + (t - self.times[k])[..., None] * self.saddles[k]
        with np.errstate(invalid="ignore", divide="ignore"):
            average = integral / np.asarray(t)[..., None]
        return np.where(np.asarray(t)[..., None] > 0, average, 0.0)


def saddle_to_saddle(problem, *, max_iter=None, gradient_rtol=GRADIENT_RTOL):
    r"""Jump times and saddles of diagonal-network gradient flow as :math:`\alpha\to0` (Algorithm 1).

    Start with :math:`t=0`, :math:`\beta=0`, :math:`s=0`. While :math:`\nabla L(\beta)\ne0`, with
    :math:`g=\nabla L(\beta)`: take the step :math:`\Delta=\min_{g_i\ne0}(1+s_i\operatorname{sign}g_i)/|g_i|`
    to the first time a coordinate of :math:`s-\Delta g` reaches :math:`\pm1`; set
    :math:`t\leftarrow t+\Delta`, :math:`s\leftarrow s-\Delta g`; and move to the saddle
    :math:`\beta=\arg\min L` subject to :math:`\operatorname{sign}\beta_i\in\{0,s_i\}` on the boundary
    set :math:`A=\{i:|s_i|=1\}` and :math:`\beta_i=0` off it.

    The boundary set and its signs are kept symbolically: a coordinate that hits is set to
    exactly :math:`\pm1` and stays there, with zero slope, while it is on the support; a boundary
    coordinate off the support whose gradient pushes :math:`s_i` back inside leaves :math:`A`.

    Parameters
    ----------
    problem : Problem
        The least-squares problem :math:`L(\beta)=\frac1{2n}\lVert X\beta-y\rVert^2`; any
        :math:`n`, :math:`d`.
    max_iter : int, optional
        Largest number of jumps; the default is ``20 * min(n, d) + 100``. If reached, the
        result has ``success=False`` and a message.
    gradient_rtol : float, default ``GRADIENT_RTOL``
        Relative size below which a gradient entry counts as zero (see ``GRADIENT_RTOL``).

    Returns
    -------
    SaddlePath
        ``times`` (p+1,), ``saddles`` (p+1, d), ``duals`` (p+1, d), ``losses`` (p+1,),
        ``entered``/``left`` (p index arrays), and ``beta_at``, ``dual_at``, ``time_average``.

    Raises
    ------
    ValueError
        If ``problem`` is not a :class:`Problem` or a knob is out of range.
    GeneralPositionError
        If the signed active columns become linearly dependent, so that a saddle is not unique
        (duplicate or collinear columns of ``X``).

    Warns
    -----
    GeneralPositionWarning
        If a coordinate sits on the boundary with zero gradient off the support (for example one
        of two duplicate columns): the path returned is one of several valid ones.

    References
    ----------
    Pesme & Flammarion, *Saddle-to-Saddle Dynamics in Diagonal Linear Networks*, NeurIPS 2023.

    Examples
    --------
    >>> from dlnlib import saddle_to_saddle, three_coordinate_example
    >>> path = saddle_to_saddle(three_coordinate_example())
    >>> path.times.round(4).tolist()  # 0, 4, 13200/1561, 17660/1561, 20
    [0.0, 4.0, 8.4561, 11.3133, 20.0]
    >>> path.saddles[1].round(4).tolist()  # (0, 0, -15/94)
    [0.0, 0.0, -0.1596]
    >>> [idx.tolist() for idx in path.left]
    [[], [2], [], []]
    """
    check_problem(problem)
    n, d = problem.X.shape
    if max_iter is None:
        max_iter = _ITER_PER_DIMENSION * min(n, d) + _MIN_ITER
    max_iter = check_positive_int(max_iter, "max_iter")
    gradient_rtol = check_positive(gradient_rtol, "gradient_rtol", upper=1.0)

    y = np.array(problem.y)
    XT = np.ascontiguousarray(problem.X.T)  # rows are the columns X_i of X, contiguous
    factor = _SupportFactor(XT, y)
    grad_tol = gradient_rtol * np.sqrt(factor.gram_diagonal / n) * np.linalg.norm(y)  # |X_i| |y| / n
    # room for a typical path (about min(n, d) jumps plus leaves), within ~16 MB per array;
    # the buffers double if the path is longer
    record = _Recorder(d, capacity=min(2 * min(n, d) + 2, max(16, _BUFFER_ENTRIES // d)))

    t = 0.0
    beta = np.zeros(d)
    s = np.zeros(d)
    sigma = np.zeros(d)  # the boundary set A and its signs: sigma_i = s_i = +-1 on A, 0 off A
    residual = -y  # X beta - y
    loss = y @ y / (2 * n)
    record.saddle(t, beta, s, loss)
    boundary = np.empty(0, dtype=int)  # indices of A
    stuck = set()  # boundary coordinates off the support with zero gradient (general position fails)
    n_iter = n_solves = 0
    success = False

    while True:
        # --- gradient at the current saddle, with exact zeros where exact arithmetic has them ---
        # On the support, beta_k solves least squares, so grad_i L = 0 exactly; its ~1e-16
        # round-off must not give a spurious tiny step. With n support columns, X_P is
        # invertible and the residual itself is zero.
        g = XT @ (residual / n)
        if factor.k == n:
            g[:] = 0.0
        g[factor.support] = 0.0
        g[np.abs(g) <= grad_tol] = 0.0

        # --- leave: boundary coordinates that the gradient pushes back inside (-1, 1) ---
        # On A the dual moves only if the gradient points inward, sigma_i g_i > 0; the others
        # (the support, and sigma_i g_i <= 0, which optimality of step 3 allows only as
        # round-off) stay at exactly +-1.
        inward = sigma[boundary] * g[boundary] > 0
        held = boundary[~inward]
        g[held] = 0.0
        sigma[boundary[inward]] = 0.0
        boundary = held

        # --- step length Delta: the first time some s_i - delta g_i reaches +-1 ---
        # room_i = 1 + s_i sign(g_i) > 0 is the distance from s_i to the face it moves towards
        # (2 for a coordinate leaving the boundary; 1 where g_i = 0, which never hits), and
        # coordinate i gets there after room_i / |g_i|.
        speed = np.abs(g)
        room = np.sign(g)
        room *= s
        room += 1.0
        rate = speed / room  # 1 / (time to reach the boundary)
        first = np.argmax(rate)

        # --- exit conditions: a minimiser of L is reached, or the budget is spent ---
        if speed[first] == 0:
            success = True
            message = (
                f"grad L = 0: the last saddle minimises the loss ({n_iter} jumps)"
                if n_iter
                else "grad L(0) = 0 (y is zero or orthogonal to every column of X): beta = 0 already "
                "minimises the loss; no jump"
            )
            break
        if n_iter == max_iter:
            message = (
                f"stopped after max_iter={max_iter} jumps before reaching a minimiser of L; "
                "pass a larger max_iter"
            )
            break
        held_off_support = held[beta[held] == 0]
        if held_off_support.size:
            stuck.update(held_off_support.tolist())
        delta = room[first] / speed[first]

        # --- dual update, and enter: every coordinate reaching the boundary now joins A ---
        # Hitting coordinates are set to exactly -sign(g_i), so A is kept symbolically;
        # ties (hitting times equal up to TIE_RTOL) hit together.
        hit = np.flatnonzero(rate >= (1.0 - TIE_RTOL) * rate[first])
        t += delta
        s -= delta * g
        s[hit] = -np.sign(g[hit])
        sigma[hit] = s[hit]
        boundary = np.concatenate((boundary, hit))
        n_iter += 1

        # --- step 3: sign-constrained least squares on A, warm-started at the last saddle ---
        try:
            beta, residual, solves = _sign_constrained_lsq(
                factor, beta, sigma, boundary, np.concatenate((held_off_support, hit)), g, grad_tol
            )
        except _Degenerate as error:
            raise GeneralPositionError(
                f"at t={t:.6g}, {error} The data violate general position (duplicate or collinear "
                "columns of X), so the saddle is not unique."
            ) from None
        n_solves += solves
        previous_loss, loss = loss, residual @ residual / (2 * n)
        if not loss < previous_loss:
            # Under general position the loss strictly decreases at every jump, so no signed
            # face repeats; without that, the loop could cycle.
            message = (
                f"the loss did not decrease at the jump t={t:.6g} ({previous_loss!r} -> {loss!r}): "
                "general position fails or round-off dominates; the path is stopped there"
            )
            warnings.warn(message, GeneralPositionWarning, stacklevel=2)
            break
        record.saddle(t, beta, s, loss)

    if stuck:
        note = (
            f"coordinates {sorted(stuck)} stayed on the boundary |s_i| = 1 with zero gradient off the "
            "support (duplicate or collinear columns?): general position fails and this path is one "
            "of several valid ones"
        )
        warnings.warn(note, GeneralPositionWarning, stacklevel=2)
        message = f"{message}; {note}"
    return SaddlePath(
        **record.arrays(), n_iter=n_iter, n_solves=n_solves, success=success, message=message
    )


class _Recorder:
    """Rows of the path, written into buffers that double in size when full."""

    def __init__(self, d, capacity):
        self.p = 0  # rows written
        self._times = np.empty(capacity)
        self._losses = np.empty(capacity)
        self._saddles = np.empty((capacity, d))
        self._duals = np.empty((capacity, d))

    def _grow(self):
        for name in ("_times", "_losses", "_saddles", "_duals"):
            old = getattr(self, name)
            new = np.empty((2 * len(old),) + old.shape[1:])
            new[: len(old)] = old
            setattr(self, name, new)

    def saddle(self, t, beta, s, loss):
        if self.p == len(self._times):
            self._grow()
        self._times[self.p] = t
        self._losses[self.p] = loss
        self._saddles[self.p] = beta
        self._duals[self.p] = s
        self.p += 1

    def arrays(self):
        p = self.p
        # supports are exact (off the support the saddles hold exact zeros), so the
        # coordinates that entered or left at each jump follow from consecutive rows
        support = self._saddles[:p] != 0
        entered = support[1:] & ~support[:-1]
        left = support[:-1] & ~support[1:]
        return {
            "times": _readonly_view(self._times[:p]),
            "saddles": _readonly_view(self._saddles[:p]),
            "duals": _readonly_view(self._duals[:p]),
            "losses": _readonly_view(self._losses[:p]),
            "entered": tuple(_readonly_int(np.flatnonzero(row)) for row in entered),
            "left": tuple(_readonly_int(np.flatnonzero(row)) for row in left),
        }


def _readonly_view(rows):
    """``rows`` (a prefix of a buffer) as a read-only array, copied only if much is wasted."""
    if 2 * len(rows) < len(rows.base if rows.base is not None else rows):
        rows = rows.copy()
    rows.flags.writeable = False
    return rows


def _readonly_int(idx):
    idx = np.array(idx, dtype=int)
    idx.setflags(write=False)
    return idx


class _Degenerate(Exception):
    """The signed active columns are (numerically) linearly dependent."""


class _SupportFactor:
    r"""The support's least-squares system, factored and updated one column at a time.

    Holds the Cholesky factor :math:`R` of :math:`G_{PP}=X_P^\top X_P/n=R^\top R` (upper
    triangular, C-ordered so that ``R.T`` goes to LAPACK without a copy) and
    :math:`z=R^{-\top}c_P` with :math:`c=X^\top y/n`, so that least squares on the support is
    one triangular solve, :math:`R\beta_P=z`. Adding column :math:`j` borders :math:`R` and
    :math:`z` in :math:`O(nk+k^2)`; removing one rotates :math:`R` back to triangular form with
    SciPy's ``qr_delete`` (:math:`R` is the R factor of :math:`X_P/\sqrt n`), also :math:`O(k^2)`.
    """

    def __init__(self, XT, y):
        self.XT = XT
        self.n = XT.shape[1]
        self.y = y
        self.c = XT @ y / self.n
        self.gram_diagonal = np.einsum("ij,ij->i", XT, XT) / self.n  # G_jj = |X_j|^2 / n
        self.max_support = min(XT.shape)  # rank(X) bounds the number of independent columns
        capacity = self.max_support + 1
        # The support columns of X are kept as rows of _XPT[:k] in slots, not in factor order,
        # so that a removal moves one row instead of shifting all the later ones.
        self._XPT = np.empty((capacity, self.n))
        self._support = np.empty(capacity, dtype=int)
        self._slot = np.empty(capacity, dtype=int)  # _slot[position in support] = row of _XPT
        self._z = np.empty(capacity)
        self._R = np.empty((0, 0))
        self.k = 0

    @property
    def support(self):
        """Indices of the support columns, in factor order (a view: copy it to keep it)."""
        return self._support[: self.k]

    def add(self, j):
        """Append column ``j``; raise ``_Degenerate`` if it lies in the span of the support columns."""
        k = self.k
        if k == self.max_support:
            raise _Degenerate(f"column {j} would be support column number {k + 1}, more than rank(X) allows.")
        XTj = self.XT[j]
        b = (self._XPT[:k] @ XTj)[self._slot[:k]] / self.n  # G_Pj
        g_jj = self.gram_diagonal[j]
        x = dtrtrs(self._R.T, b, lower=1)[0] if k else b  # R^T x = G_Pj: the new column of R
        pivot = g_jj - x @ x  # squared distance of X_j / sqrt(n) to the span of the support columns
        if pivot <= RANK_RTOL * g_jj:
            raise _Degenerate(
                f"column {j} of X lies (numerically) in the span of the support columns {self.support.tolist()}."
            )
        r_jj = np.sqrt(pivot)
        R = np.zeros((k + 1, k + 1))  # R_new = [[R, x], [0, r_jj]]
        R[:k, :k] = self._R
        R[:k, k] = x
        R[k, k] = r_jj
        self._R = R
        self._z[k] = (self.c[j] - x @ self._z[:k]) / r_jj
        self._XPT[k] = XTj
        self._slot[k] = k
        self._support[k] = j
        self.k = k + 1

    def remove(self, positions):
        """Drop the support columns at ``positions`` (indices into ``support``)."""
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
            # the last row of _XPT moves into the freed slot
            slot = self._slot
            freed = slot[q]
            self._XPT[freed] = self._XPT[k - 1]
            slot[:k][slot[:k] == k - 1] = freed
            slot[q : k - 1] = slot[q + 1 : k]
            self._support[q : k - 1] = self._support[q + 1 : k]
            self.k = k - 1

    def solve(self):
        r"""Unconstrained least squares on the support: :math:`\beta_P=G_{PP}^{-1}c_P`, from :math:`R\beta_P=z`."""
        return dtrtrs(self._R.T, self._z[: self.k], lower=1, trans=1)[0]

    def residual(self, beta_P):
        r""":math:`X_P\beta_P-y`, shape (n,), for ``beta_P`` in factor order."""
        in_slots = np.empty(self.k)
        in_slots[self._slot[: self.k]] = beta_P
        return in_slots @ self._XPT[: self.k] - self.y


def _sign_constrained_lsq(factor, beta, sigma, boundary, candidates, g, grad_tol):
    r"""Step 3: :math:`\arg\min L` over :math:`\sigma_i\beta_i\ge0` on :math:`A`, :math:`\beta=0` off :math:`A`.

    Lawson–Hanson active-set method in the signed variables :math:`z=\sigma\odot\beta\ge0`,
    warm-started from the previous saddle: ``beta`` is feasible and optimal on the support
    held by ``factor``, ``candidates`` are the boundary coordinates off that support, and ``g``
    is the gradient at ``beta`` (zeroed where the dual may not move). Outer
    loop: add the boundary coordinate off the support with the largest :math:`-\sigma_ig_i>0`
    (the loss decreases fastest along :math:`\sigma_ie_i`); inner loop: solve least squares on
    the support and, if some coordinate would change sign, step towards that solution until
    the first ones reach zero and drop them.

    Updates ``beta`` in place to the new saddle; returns it, its residual :math:`X\beta-y` and the
    number of least-squares solves.
    """
    solves = 0
    descent = -sigma[candidates] * g[candidates]
    max_solves = 3 * len(boundary) + 10  # Lawson–Hanson terminates; this only guards against cycling
    while True:
        excess = descent - grad_tol[candidates]  # > 0: downhill beyond round-off
        best = np.argmax(excess)
        if not excess[best] > 0:
            break
        j = candidates[best]
        factor.add(j)
        while True:  # inner loop: restore sigma_P * beta_P > 0
            solves += 1
            if solves > max_solves:
                raise _Degenerate("the active-set solve did not terminate (it cycles).")
            support = factor.support
            target = factor.solve()
            wrong = sigma[support] * target <= 0
            if not wrong.any():
                beta[support] = target
                residual = factor.residual(target)
                break
            current = beta[support]
            if support[-1] == j and wrong[-1]:
                # j points downhill (-sigma_j g_j > 0), so least squares must give it the sign
                # sigma_j; if not, X_j is numerically dependent on the support columns.
                raise _Degenerate(f"column {j} cannot join the support with sign {sigma[j]:+.0f}.")
            ratio = current[wrong] / (current[wrong] - target[wrong])
            step = ratio.min()
            beta[support] = current + step * (target - current)
            leaving = np.flatnonzero(wrong)[ratio <= step + LEAVE_TIE_TOL]
            beta[support[leaving]] = 0.0
            factor.remove(leaving)
        candidates = boundary[beta[boundary] == 0]
        if not candidates.size:
            return beta, residual, solves
        descent = -sigma[candidates] * (factor.XT[candidates] @ residual) / factor.n
    return beta, factor.residual(beta[factor.support]), solves
