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

Step 3 is a non-negative least-squares problem after a sign flip. It is solved by the
Lawson–Hanson active-set method of :mod:`dlnlib._active_set` (shared with the Lasso homotopy),
warm-started from the previous support, with a Cholesky factor of the support's Gram matrix
updated as columns enter and leave, so that a jump costs one product with :math:`X^\top` plus
:math:`O(nk+k^2)` for a support of size :math:`k`.
"""

import warnings
from dataclasses import dataclass
from functools import cached_property

__all__ = ["SaddlePath", "saddle_to_saddle"]

import numpy as np

from ._active_set import (
    Degenerate,
    SupportFactor,
    correlation_tolerance,
    general_position_error,
    output_scales,
    scaled_data,
    sign_constrained_minimum,
    warn_if_ill_conditioned,
)
from ._blas import one_blas_thread
from ._checks import check_positive, check_positive_int, check_times, readonly_int, readonly_view
from .errors import GeneralPositionWarning
from .problem import check_problem

#: Coordinates whose hitting times agree with the first one's to relative precision ``TIE_RTOL``
#: hit the boundary together (ties): they join :math:`A` at the same jump, set to exactly
#: :math:`\pm1`. On :math:`s` this is a gap of at most ``2 * TIE_RTOL`` to the boundary; the
#: duals are of order one and accurate to ~1e-15 per jump.
TIE_RTOL = 1e-10

#: Default ``max_iter`` is this many jumps per feature or sample (whichever is fewer), plus
#: ``_MIN_ITER``: generous, since coordinates may leave and come back.
_ITER_PER_DIMENSION = 20
_MIN_ITER = 100

#: The working set of :class:`_Screen` holds ``max(_SCREEN_PER_SAMPLE * n, _SCREEN_FRACTION * d)``
#: coordinates (chosen from measurements on Gaussian data: at n = 200, d = 5000 and n = 500,
#: d = 20000 about one jump in six to one in ten then needs a full product); with fewer than
#: twice as many features, Algorithm 1 runs without screening. ``_SCREEN_MARGIN`` keeps the
#: Cauchy-Schwarz test of a jump strict despite the rounding of the norms in it.
_SCREEN_PER_SAMPLE = 2
_SCREEN_FRACTION = 0.05
_SCREEN_MARGIN = 1e-8
#: ... and screens only when :math:`X` has at least this many entries: below, a product with
#: :math:`X^\top` costs less than a millisecond, less than the screening's own bookkeeping.
_SCREEN_MIN_ENTRIES = 1_000_000

#: Rows of the buffers holding the saddles and the duals are first allocated for
#: ``2 min(n, d) + 2`` jumps (typical paths take about ``min(n, d)`` to ``2 min(n, d)``), and
#: double when full. They are zero-filled by the operating system on first touch, so the
#: allocation costs only what is written.
_ROWS_PER_DIMENSION = 2


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

    Examples
    --------
    >>> import dlnlib
    >>> path = dlnlib.saddle_to_saddle(dlnlib.three_coordinate_example())
    >>> path.n_jumps, path.success
    (4, True)
    >>> path.beta_at(10.0).round(4).tolist()  # the saddle (0, 19/2, 0) on [t_2, t_3)
    [0.0, 9.5, 0.0]
    >>> path.dual_at(10.0).round(4).tolist()  # s_2 on the boundary, s_3 crossing from -1 to +1
    [0.0839, 1.0, 0.0807]
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

        Returns
        -------
        ndarray, shape (p+1, d)
            Read-only.

        Examples
        --------
        >>> import dlnlib
        >>> path = dlnlib.saddle_to_saddle(dlnlib.three_coordinate_example())
        >>> path.gradients[1][:2].round(4).tolist()  # at (0, 0, -15/94): s_2 climbs at 1561/14100
        [0.0007, -0.1107]
        >>> float(path.gradients[1][2])  # coordinate 3 is on the support
        0.0
        """
        slopes = np.zeros_like(self.duals)
        slopes[:-1] = -np.diff(self.duals, axis=0) / np.diff(self.times)[:, None]
        slopes += 0.0  # the exact zeros as +0.0, not -0.0
        slopes.flags.writeable = False
        return slopes

    @property
    def n_jumps(self):
        r"""Number of jumps :math:`p` (``len(times) - 1``).

        Returns
        -------
        int
            The number of saddles after :math:`\beta_0=0`.

        Examples
        --------
        >>> import dlnlib
        >>> dlnlib.saddle_to_saddle(dlnlib.three_coordinate_example()).n_jumps
        4
        """
        return len(self.times) - 1

    @property
    def support(self):
        r"""Which coordinates each saddle uses: :math:`\beta_{k,i}\ne0` (exact, see ``saddles``).

        Returns
        -------
        ndarray of bool, shape (p+1, d)
            Row :math:`k` marks the support of :math:`\beta_k`.

        Examples
        --------
        >>> import dlnlib
        >>> dlnlib.saddle_to_saddle(dlnlib.three_coordinate_example()).support[2].tolist()
        [False, True, False]
        """
        return self.saddles != 0

    @property
    def signs(self):
        r"""The signs :math:`\operatorname{sign}\beta_{k,i}` of the saddles.

        Returns
        -------
        ndarray, shape (p+1, d)
            Entries -1., 0. or +1.

        Examples
        --------
        >>> import dlnlib
        >>> signs = dlnlib.saddle_to_saddle(dlnlib.three_coordinate_example()).signs
        >>> signs[1].tolist(), signs[3].tolist()  # coordinate 3 comes back with the other sign
        ([0.0, 0.0, -1.0], [0.0, 1.0, 1.0])
        """
        return np.sign(self.saddles)

    def _plateau(self, t):
        """Validated times and the index k of the plateau [t_k, t_{k+1}) holding each."""
        t = check_times(t, "t", increasing=False)
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
            Non-negative times, in any order.

        Returns
        -------
        ndarray, shape (d,) or (m, d)
            The saddle in force at each time.

        Examples
        --------
        >>> import dlnlib
        >>> path = dlnlib.saddle_to_saddle(dlnlib.three_coordinate_example())
        >>> path.beta_at([5.0, 3.0]).round(4).tolist()  # the first saddle from t_1 = 4, zero before
        [[0.0, 0.0, -0.1596], [0.0, 0.0, 0.0]]
        """
        _, k = self._plateau(t)
        return self.saddles[k]

    def dual_at(self, t):
        r"""The dual :math:`s(t)=s_k-(t-t_k)\nabla L(\beta_k)` for :math:`t_k\le t<t_{k+1}`.

        Parameters
        ----------
        t : float or array_like, shape (m,)
            Non-negative times, in any order.

        Returns
        -------
        ndarray, shape (d,) or (m, d)
            The dual at each time; entries on the boundary set are exactly :math:`\pm1`.

        Examples
        --------
        >>> import dlnlib
        >>> path = dlnlib.saddle_to_saddle(dlnlib.three_coordinate_example())
        >>> path.dual_at(4.0).round(4).tolist()  # s(t_1) = 4 X^T y / n: coordinate 3 at -1, s_2 = 38/75
        [0.1333, 0.5067, -1.0]
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
            Non-negative times, in any order.

        Returns
        -------
        ndarray, shape (d,) or (m, d)
            :math:`\bar\beta_t` at each time.

        Examples
        --------
        >>> import dlnlib
        >>> path = dlnlib.saddle_to_saddle(dlnlib.three_coordinate_example())
        >>> path.time_average(6.0).round(4).tolist()  # (6 - 4) / 6 of the first saddle
        [0.0, 0.0, -0.0532]
        """
        t, k = self._plateau(t)
        # integral of the piecewise-constant path up to each knot t_k
        widths = np.diff(self.times)[:, None]
        knots = np.concatenate([np.zeros_like(self.saddles[:1]), np.cumsum(widths * self.saddles[:-1], axis=0)])
        integral = knots[k] + (t - self.times[k])[..., None] * self.saddles[k]
        with np.errstate(invalid="ignore", divide="ignore"):
            average = integral / np.asarray(t)[..., None]
        return np.where(np.asarray(t)[..., None] > 0, average, 0.0)


def saddle_to_saddle(problem, *, max_iter=None, gradient_rtol=None):
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
    A gradient entry counts as zero when it is below what round-off can produce for this data
    (see ``gradient_rtol``), and the path ends only at a point whose gradient is zero in that sense.

    Parameters
    ----------
    problem : Problem
        The least-squares problem :math:`L(\beta)=\frac1{2n}\lVert X\beta-y\rVert^2`; any
        :math:`n`, :math:`d`, and any magnitude of the data (it is rescaled internally by powers
        of two, which is exact).
    max_iter : int, optional
        Largest number of jumps; the default is ``20 * min(n, d) + 100``. If reached, the
        result has ``success=False`` and a message.
    gradient_rtol : float, optional
        A gradient entry with :math:`|\nabla_iL|\le` ``gradient_rtol`` :math:`\cdot\lVert X_i\rVert\lVert y\rVert/n`
        counts as zero (:math:`\lVert X_i\rVert\lVert y\rVert/n` bounds :math:`|\nabla_iL|` along the
        path). By default the bound is the round-off of a computed gradient,
        ``dlnlib._active_set.ROUNDOFF_FACTOR * eps * sqrt(n)``, about ``1e-13`` for
        :math:`n=100`: only raise it to ignore gradients you know to be noise.

    Returns
    -------
    SaddlePath
        ``times`` (p+1,), ``saddles`` (p+1, d), ``duals`` (p+1, d), ``losses`` (p+1,),
        ``entered``/``left`` (p index arrays), and ``beta_at``, ``dual_at``, ``time_average``.

    Raises
    ------
    ValueError
        If ``problem`` is not a :class:`Problem`, a knob is out of range, or the jump times of
        this data are not representable in float64 (:math:`\max|X|\cdot\max|y|` beyond about
        ``1e300`` or below ``1e-300``).
    GeneralPositionError
        If the signed active columns become linearly dependent or too ill-conditioned for
        double precision, so that a saddle is not unique or cannot be computed (duplicate,
        collinear or nearly collinear columns of ``X``); the message names the columns.

    Warns
    -----
    GeneralPositionWarning
        If a coordinate sits on the boundary with zero gradient off the support (for example one
        of two duplicate columns): the path returned is one of several valid ones.
    PrecisionWarning
        If the losses overflow float64 (:math:`\max|y|` beyond about ``1e154``); times and saddles
        are still exact.

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
    XT, y, x_scale, y_scale = scaled_data(problem)
    if gradient_rtol is None:
        grad_tol = correlation_tolerance(XT, y)
    else:
        gradient_rtol = check_positive(gradient_rtol, "gradient_rtol", upper=1.0)
        grad_tol = gradient_rtol * np.sqrt(np.einsum("ij,ij->i", XT, XT)) * np.linalg.norm(y) / n
    gradient_scale, beta_scale, loss_scale = output_scales(x_scale, y_scale, "jump times", "1 / (max|X| max|y|)")
    time_scale = 1.0 / gradient_scale

    # Most products in the loop are small (the support's columns, the screened working set):
    # with more than one BLAS thread they get slower, not faster (see dlnlib._blas).
    with one_blas_thread():
        record, result = _algorithm_1(XT, y, grad_tol, max_iter, (time_scale, beta_scale, loss_scale), y_scale)
    # bringing the screened-out duals up to date is one large matrix product: BLAS threads help there
    return SaddlePath(**record.arrays(XT), **result)


def _algorithm_1(XT, y, grad_tol, max_iter, scales, y_scale):
    """The loop of :func:`saddle_to_saddle` on the rescaled data: the recorder and the counters."""
    d, n = XT.shape
    time_scale = scales[0]
    factor = SupportFactor(XT, y)
    record = _Recorder(d, n, _ROWS_PER_DIMENSION * min(n, d) + 2, scales)
    screen = _Screen(XT)

    t = 0.0
    beta = np.zeros(d)
    s = np.zeros(d)
    sigma = np.zeros(d)  # the boundary set A and its signs: sigma_i = s_i = +-1 on A, 0 off A
    residual = -y  # X beta - y
    loss = y @ y / (2 * n)
    record.saddle(t, beta, s, loss, factor.support, screen)
    boundary = np.empty(0, dtype=int)  # indices of A
    stuck = set()  # boundary coordinates off the support with zero gradient (general position fails)
    n_iter = n_solves = 0
    success = False

    while True:
        # --- gradient at the current saddle, with exact zeros where exact arithmetic has them ---
        # On the support, beta_k solves least squares, so grad_i L = 0 exactly; its round-off
        # must not give a spurious tiny step. With min(n, d) support columns, they span the
        # column space of X, so the gradient is zero everywhere (for d > n, X_P is invertible
        # and the residual itself is zero). Elsewhere, entries below what round-off can
        # produce (grad_tol) are zero too. Coordinates screened out (see _Screen) get g_i = 0:
        # their duals cannot reach +-1 on this plateau, and catch up at the next checkpoint.
        g = screen.gradient(residual, s)
        if factor.k == factor.max_support:
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
        # (a screened gradient that vanishes is checked against the full one first)
        if speed[first] == 0 and not screen.full:
            screen.due = True
            continue
        sigma[boundary[inward]] = 0.0
        boundary = held
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
        delta = room[first] / speed[first]
        if not screen.safe(delta, residual):  # a screened-out dual might get to +-1 first
            screen.due = True
            continue
        held_off_support = held[beta[held] == 0]
        if held_off_support.size:
            stuck.update(held_off_support.tolist())

        # --- dual update, and enter: every coordinate reaching the boundary now joins A ---
        # Hitting coordinates are set to exactly -sign(g_i), so A is kept symbolically;
        # ties (hitting times equal up to TIE_RTOL) hit together.
        hit = np.flatnonzero(rate >= (1.0 - TIE_RTOL) * rate[first])
        t += delta
        s -= delta * g
        s[hit] = -np.sign(g[hit])
        sigma[hit] = s[hit]
        boundary = np.concatenate((boundary, hit))
        screen.advance(delta, residual, s, boundary)
        n_iter += 1

        # --- step 3: sign-constrained least squares on A, warm-started at the last saddle ---
        # Every coordinate of A is eligible and sign-constrained, sigma_i beta_i >= 0; the
        # candidates to join the support are those of A off it (those just hit, and those held).
        try:
            n_solves += sign_constrained_minimum(
                factor, beta, factor.c, sigma, sigma != 0, boundary, grad_tol, least_squares=True
            )
        except Degenerate as error:
            raise general_position_error(f"at t={t * time_scale:.6g}", error, "the saddle") from None
        residual = factor.times(beta[factor.support]) - y
        previous_loss, loss = loss, residual @ residual / (2 * n)
        if not loss < previous_loss:
            # Under general position the loss strictly decreases at every jump, so no signed
            # face repeats; without that, the loop could cycle.
            message = (
                f"the loss did not decrease at the jump t={t * time_scale:.6g} "
                f"({previous_loss * y_scale**2!r} -> {loss * y_scale**2!r}): general position fails or "
                "round-off dominates; the path is stopped there"
            )
            warnings.warn(message, GeneralPositionWarning, stacklevel=3)
            break
        record.saddle(t, beta, s, loss, factor.support, screen)

    warn_if_ill_conditioned(factor, stacklevel=3)
    if stuck:
        note = (
            f"coordinates {sorted(stuck)} stayed on the boundary |s_i| = 1 with zero gradient off the "
            "support (duplicate or collinear columns?): general position fails and this path is one "
            "of several valid ones"
        )
        warnings.warn(note, GeneralPositionWarning, stacklevel=3)
        message = f"{message}; {note}"
    return record, {"n_iter": n_iter, "n_solves": n_solves, "success": success, "message": message}


class _Screen:
    r"""Which duals Algorithm 1 updates at a jump: the cost of a jump without a full product with :math:`X^\top`.

    The dual is :math:`s=X^\top\nu/n` with :math:`\nu=-\int_0^t(X\beta^\circ-y)` (in exact arithmetic,
    for every coordinate). Between two checkpoints :math:`t_m<t`, coordinate :math:`i` moves by
    :math:`X_i^\top(\nu-\nu_m)/n`, at most :math:`\lVert X_i\rVert\lVert\nu-\nu_m\rVert/n` (Cauchy–Schwarz):
    it cannot reach :math:`\pm1` while :math:`\lVert\nu-\nu_m\rVert` stays below its *slack*
    :math:`n(1-|s_i(t_m)|)/\lVert X_i\rVert`. At a checkpoint every dual is brought up to date and every
    gradient computed (two products with :math:`X^\top`); the working set :math:`W` is then the
    boundary set, the support and the coordinates of smallest slack. Until the next checkpoint
    only :math:`X_W^\top r` is computed; the others keep :math:`g_i=0` and a frozen dual, and a jump
    is taken only if :math:`\nu` provably stays within the smallest slack outside :math:`W`;
    otherwise (or to confirm that the gradient vanishes) the next checkpoint comes at once. The
    path is the same as without screening, up to rounding; the recorded duals of screened-out
    coordinates are brought up to date at the end (:meth:`_Recorder.arrays`).
    """

    def __init__(self, XT):
        self.XT = XT
        d, n = XT.shape
        self.n = n
        self.column_norms = np.sqrt(np.einsum("ij,ij->i", XT, XT))
        self.size = max(_SCREEN_PER_SAMPLE * n, int(_SCREEN_FRACTION * d))
        # small problems: a full product is cheaper than the bookkeeping; few features: W saves little
        self.screening = n * d >= _SCREEN_MIN_ENTRIES and self.size < d // 2
        self.nu = np.zeros(n)  # -integral of the residual
        self.nu_base = np.zeros(n)  # nu at the last checkpoint
        self.working = np.arange(d)  # W
        self.outside = np.zeros(d, dtype=bool)  # not in W: dual frozen since the checkpoint
        self.radius = np.inf  # smallest slack outside W
        self.due = True  # the next gradient is a checkpoint
        self.checkpoint = 0  # number of the current checkpoint (for the recorder)

    def gradient(self, residual, s):
        """The gradient at a saddle: all of it at a checkpoint (bringing every dual up to date), else on W."""
        XT, n = self.XT, self.n
        if not self.screening:
            return XT @ (residual / n)
        if not self.due:
            g = np.zeros(len(s))
            g[self.working] = self._XT_working @ residual / n
            return g
        if self.outside.any():
            s[self.outside] += (XT @ (self.nu - self.nu_base))[self.outside] / n
        self.nu_base = self.nu.copy()
        self.outside[:] = False
        self.checkpoint += 1
        return XT @ (residual / n)

    @property
    def full(self):
        """Whether the last gradient was computed for every coordinate."""
        return self.due or not self.screening

    def safe(self, delta, residual):
        """Whether no screened-out dual can reach +-1 within ``delta`` (always, right after a checkpoint)."""
        if self.full:
            return True
        reach = np.linalg.norm(self.nu - self.nu_base) + delta * np.linalg.norm(residual)
        return reach < (1 - _SCREEN_MARGIN) * self.radius

    def advance(self, delta, residual, s, boundary):
        """Move nu along the plateau; after a checkpoint, choose the working set from the new duals."""
        self.nu -= delta * residual
        if not self.due:
            return
        self.due = False
        if not self.screening:
            return
        self.nu_base = self.nu.copy()  # s is exact for every coordinate after this jump
        with np.errstate(divide="ignore"):
            slack = self.n * (1 - np.abs(s)) / self.column_norms  # inf for a zero column
        slack[boundary] = -1.0  # always in W
        working = np.argpartition(slack, self.size)[: self.size]
        self.outside[:] = True
        self.outside[working] = False
        self.outside[boundary] = False
        self.working = np.flatnonzero(~self.outside)
        self._XT_working = self.XT[self.working]
        self.radius = float(np.min(slack[self.outside], initial=np.inf))


class _Recorder:
    """Rows of the path, mapped back to the original data's scale, in buffers that double when full.

    The saddles are written only on their support, into zero-filled buffers: a row costs
    :math:`O(k)`, not :math:`O(d)`. The duals of coordinates screened out at a jump (see
    :class:`_Screen`) are written frozen at their last checkpoint, with :math:`\nu` and the
    checkpoint's number, and brought up to date in :meth:`arrays`.
    """

    def __init__(self, d, n, capacity, scales):
        self.p = 0  # rows written
        self.time_scale, self.beta_scale, self.loss_scale = scales
        self._times = np.empty(capacity)
        self._losses = np.empty(capacity)
        self._saddles = np.zeros((capacity, d))
        self._duals = np.empty((capacity, d))
        self._nus = np.empty((capacity, n))
        self._stale = []  # (first row, last row + 1, nu at the checkpoint, screened-out mask)

    def _grow(self):
        for name in ("_times", "_losses", "_saddles", "_duals", "_nus"):
            old = getattr(self, name)
            new = np.zeros((2 * len(old),) + old.shape[1:])
            new[: len(old)] = old
            setattr(self, name, new)

    def saddle(self, t, beta, s, loss, support, screen):
        if self.p == len(self._times):
            self._grow()
        self._times[self.p] = t * self.time_scale
        self._losses[self.p] = loss * self.loss_scale
        self._saddles[self.p, support] = beta[support] * self.beta_scale
        self._duals[self.p] = s
        self._nus[self.p] = screen.nu
        if screen.outside.any():
            if self._stale and self._stale[-1][4] == screen.checkpoint:
                self._stale[-1][1] = self.p + 1
            else:
                base = [screen.nu_base.copy(), screen.outside.copy(), screen.checkpoint]
                self._stale.append([self.p, self.p + 1, *base])
        self.p += 1

    def arrays(self, XT):
        p, n = self.p, XT.shape[1]
        # screened-out duals: s_i = s_i(t_m) + X_i^T (nu - nu_m) / n, one matrix product per checkpoint
        for first, stop, nu_base, outside, _ in self._stale:
            moves = (self._nus[first:stop] - nu_base) @ XT.T  # no copy of X: XT.T is a view
            moves[:, ~outside] = 0.0
            moves /= n
            self._duals[first:stop] += moves
        # supports are exact (off the support the saddles hold exact zeros), so the
        # coordinates that entered or left at each jump follow from consecutive rows
        support = self._saddles[:p] != 0
        entered = support[1:] & ~support[:-1]
        left = support[:-1] & ~support[1:]
        return {
            "times": readonly_view(self._times[:p]),
            "saddles": readonly_view(self._saddles[:p]),
            "duals": readonly_view(self._duals[:p]),
            "losses": readonly_view(self._losses[:p]),
            "entered": tuple(readonly_int(np.flatnonzero(row)) for row in entered),
            "left": tuple(readonly_int(np.flatnonzero(row)) for row in left),
        }


# ----------------------------------------------------------------------------------------------
# Inside a jump: the heteroclinic orbits and the arc-length view
# ----------------------------------------------------------------------------------------------
#
# On the accelerated clock a jump of the flow lasts O(1/log(1/alpha)). In the fast time
# tau = 2 log(1/alpha) (t - t_k), the closed form beta = alpha^2 sinh(2 log(1/alpha) S) gives
# d beta / d tau = -sqrt(beta^2 + alpha^4) grad L(beta), whose alpha -> 0 limit is the fast dynamics
# beta' = -|beta| grad L(beta). Jump k of Algorithm 1 is its orbit from the saddle beta_{k-1}, nudged
# along the coordinate that enters, to the saddle beta_k. This section computes those orbits and the
# arc-length reparametrisation of a trajectory, in which jumps take a length of order one.
# Its imports are kept here so that the section stands on its own.

from scipy.integrate import solve_ivp  # noqa: E402
from scipy.optimize import nnls  # noqa: E402

from . import _checks  # noqa: E402

__all__ += ["ArcLengthPath", "JumpOrbit", "arc_length_view", "jump_orbit", "limit_arc_length_view"]

#: The orbit of a jump starts at :math:`\beta_{k-1}+\varepsilon v`, with :math:`v` the unstable
#: direction of the fast dynamics at :math:`\beta_{k-1}` and :math:`\varepsilon` = ``ORBIT_NUDGE``
#: times the jump's scale (see :func:`jump_orbit`). Starting on the unstable direction makes the
#: computed path miss the exact orbit by :math:`O(\varepsilon^2)`; the first :math:`\varepsilon` of it
#: is a straight segment from :math:`\beta_{k-1}`.
ORBIT_NUDGE = 1e-12

#: The orbit is integrated until it is within ``ORBIT_TOL`` times the jump's scale (max norm) of
#: its limit, the sign-constrained minimiser of :math:`L` on its face.
ORBIT_TOL = 1e-10

#: Relative and absolute tolerances of the orbit's ODE solver, on :math:`\log\lvert\beta_i\rvert`
#: (so both bound relative errors in :math:`\beta`).
ORBIT_RTOL = 1e-10
ORBIT_ATOL = 1e-12

#: Budget of fast time, in units of :math:`1/\lvert\nabla_jL(\beta_{k-1})\rvert` (the escape rate):
#: an orbit not within ``ORBIT_TOL`` of its limit by then is returned with ``success=False``.
ORBIT_MAX_TIME = 1e7

#: Samples per solver step in :class:`JumpOrbit` and :func:`arc_length_view` (the solver's steps,
#: and this many minus one points evenly spaced between them, from its dense output).
SAMPLES_PER_STEP = 4


@dataclass(frozen=True, eq=False)
class JumpOrbit:
    r"""The heteroclinic orbit of one jump, computed by :func:`jump_orbit`.

    It solves the fast dynamics :math:`\beta'=-\lvert\beta\rvert\odot\nabla L(\beta)` (fast time
    :math:`\tau`) from :math:`\beta_{k-1}` to :math:`\beta_k`. With :math:`m` samples and :math:`d` features:

    Attributes
    ----------
    jump : int
        The jump :math:`k` (from 1, as in ``SaddlePath.times[k]``).
    tau : ndarray, shape (m,)
        Fast time from the nudged start (:math:`\tau=0`); increasing.
    beta : ndarray, shape (m, d)
        The orbit. Off ``face`` the entries are exactly zero; on it they have the signs ``signs``.
    length : ndarray, shape (m,)
        Euclidean arc length from ``start`` to each sample (along the polyline through the samples).
    start : ndarray, shape (d,)
        :math:`\beta_{k-1}`, where the orbit starts (as :math:`\tau\to-\infty`).
    limit : ndarray, shape (d,)
        The sign-constrained minimiser of :math:`L` on the face, where the orbit ends (as
        :math:`\tau\to\infty`), computed by ``scipy.optimize.nnls`` independently of Algorithm 1.
    face : ndarray of int, shape (q,)
        The coordinates that may be non-zero: the support of :math:`\beta_{k-1}` and the entering ones.
    signs : ndarray, shape (q,)
        Their signs (:math:`\pm1`), which the orbit keeps.
    success : bool
        True if the orbit came within ``ORBIT_TOL`` (times the jump's scale) of ``limit``.
    message : str
    nfev : int
        Right-hand-side evaluations of the ODE solver.

    Examples
    --------
    >>> import dlnlib
    >>> problem = dlnlib.three_coordinate_example()
    >>> orbit = dlnlib.jump_orbit(problem, dlnlib.saddle_to_saddle(problem), 1)
    >>> orbit.face.tolist(), orbit.signs.tolist()  # only beta_3 moves in the first jump, downwards
    ([2], [-1.0])
    """

    jump: int
    tau: np.ndarray
    beta: np.ndarray
    length: np.ndarray
    start: np.ndarray
    limit: np.ndarray
    face: np.ndarray
    signs: np.ndarray
    success: bool
    message: str
    nfev: int


def jump_orbit(problem, path, k, *, nudge=ORBIT_NUDGE, tol=ORBIT_TOL, rtol=ORBIT_RTOL, atol=ORBIT_ATOL):
    r"""The heteroclinic orbit of jump :math:`k`: the fast dynamics from :math:`\beta_{k-1}` to :math:`\beta_k`.

    Inside a jump the clock stops, and :math:`\beta` follows, in the fast time
    :math:`\tau=2\log(1/\alpha)\,(\tilde t-t_k)`, the limit :math:`\alpha\to0` of the network's flow,

    .. math:: \frac{d\beta}{d\tau}=-\lvert\beta\rvert\odot\nabla L(\beta).

    It keeps signs and zeros. Started from the saddle :math:`\beta_{k-1}` nudged along the
    coordinates :math:`J` that enter at :math:`t_k` (with the signs :math:`\sigma_J=s_{k,J}`), it stays
    on the face :math:`\{\sigma_i\beta_i>0,\ i\in F\}`, :math:`F=\operatorname{supp}\beta_{k-1}\cup J`, and
    the relative entropy to the face's sign-constrained minimiser :math:`\beta^\star` decreases, so it
    converges to :math:`\beta^\star`, which is :math:`\beta_k`. The ODE is solved in the variables
    :math:`x_i=\log\lvert\beta_i\rvert`, :math:`x_i'=-\sigma_i\nabla_iL(\beta)`, by LSODA with the analytic
    Jacobian, from :math:`\beta_{k-1}+\varepsilon v`, where :math:`v` is the eigenvector of the linearised
    dynamics at :math:`\beta_{k-1}` with eigenvalue :math:`\mu=\lvert\nabla_JL(\beta_{k-1})\rvert` (exact when one
    coordinate enters; for ties, :math:`\mu` is the largest rate) and :math:`\varepsilon` is ``nudge`` times the
    jump's scale :math:`\max(\lVert\beta_{k-1}\rVert_\infty,\max_{j\in J}\lvert\nabla_jL(\beta_{k-1})\rvert/H_{jj})`,
    :math:`H=X^\top X/n`.

    Parameters
    ----------
    problem : Problem
        The least-squares problem :math:`L(\beta)=\frac1{2n}\lVert X\beta-y\rVert^2`.
    path : SaddlePath
        The result of :func:`saddle_to_saddle` on ``problem``.
    k : int
        The jump, from 1 to ``path.n_jumps``.
    nudge : float, default ``ORBIT_NUDGE``
        Relative size of the start's offset from :math:`\beta_{k-1}`, in ``(0, 1e-3)``.
    tol : float, default ``ORBIT_TOL``
        Stop once within ``tol`` times the jump's scale of the limit (max norm).
    rtol, atol : float
        Tolerances of the ODE solver on :math:`\log\lvert\beta_i\rvert`.

    Returns
    -------
    JumpOrbit
        ``tau`` (m,), ``beta`` (m, d), ``length`` (m,), ``start``, ``limit`` (d,), ``face``, ``signs``.

    Raises
    ------
    ValueError
        If ``problem`` or ``path`` is not of the right type or size, ``k`` is out of range, a
        tolerance is out of range, or no coordinate enters at jump ``k`` (general position fails).

    References
    ----------
    Pesme & Flammarion, *Saddle-to-Saddle Dynamics in Diagonal Linear Networks*, NeurIPS 2023.

    Examples
    --------
    >>> import dlnlib
    >>> problem = dlnlib.three_coordinate_example()
    >>> path = dlnlib.saddle_to_saddle(problem)
    >>> orbit = dlnlib.jump_orbit(problem, path, 2)  # coordinate 2 enters, coordinate 3 leaves
    >>> (orbit.beta[-1].round(6) + 0.0).tolist()      # the second saddle (0, 19/2, 0)
    [0.0, 9.5, 0.0]
    >>> bool(orbit.beta[:, 2].max() < 0)              # beta_3 decays to zero but never reaches it
    True
    """
    check_problem(problem)
    _check_saddle_path(path, problem)
    if isinstance(k, bool) or not isinstance(k, (int, np.integer)) or not 1 <= k <= path.n_jumps:
        raise ValueError(f"k must be an integer jump number from 1 to path.n_jumps = {path.n_jumps}; got {k!r}")
    k = int(k)
    nudge = _checks.check_positive(nudge, "nudge", upper=1e-3)
    tol = _checks.check_positive(tol, "tol", upper=1.0)
    rtol = _checks.check_positive(rtol, "rtol", upper=1.0)
    atol = _checks.check_positive(atol, "atol")

    X, y, n = problem.X, problem.y, problem.n_samples
    start = np.array(path.saddles[k - 1])
    entering = np.array(path.entered[k - 1])
    if entering.size == 0:
        raise ValueError(
            f"no coordinate enters at jump k={k} (only {path.left[k - 1].tolist()} leave): general position "
            "fails, and the jump has no heteroclinic orbit from beta_{k-1}"
        )
    support = np.flatnonzero(start)
    face = np.union1d(support, entering)
    signs = np.sign(np.where(start[face] != 0, start[face], path.saddles[k][face]))
    on_support, entering_in_face = np.isin(face, support), np.isin(face, entering)

    XF = X[:, face]
    H = XF.T @ XF / n
    c = XF.T @ y / n
    g0 = H @ start[face] - c  # the gradient at beta_{k-1}, on the face
    rates = -signs[entering_in_face] * g0[entering_in_face]  # escape rates |grad_j L| > 0
    if not np.all(rates > 0):
        raise ValueError(f"jump k={k}: an entering coordinate does not point downhill; general position fails")
    scale = max(np.abs(start).max(), np.max(rates / np.diag(H)[entering_in_face]))

    # --- the start: beta_{k-1} plus a nudge along the unstable eigenvector of the linearisation ---
    # At beta_{k-1}, delta_J' = mu delta_J on the entering coordinates and
    # delta_P' = -D (H_PP delta_P + H_PJ delta_J) on the support, D = diag|beta_P|.
    mu = rates.max()
    direction = np.zeros(face.size)
    direction[entering_in_face] = signs[entering_in_face]
    if on_support.any():
        D = np.abs(start[face][on_support])
        lhs = mu * np.eye(D.size) + D[:, None] * H[np.ix_(on_support, on_support)]
        rhs = -D * (H[np.ix_(on_support, entering_in_face)] @ signs[entering_in_face])
        direction[on_support] = np.linalg.solve(lhs, rhs)
    beta0 = start[face] + nudge * scale * direction
    if np.any(np.sign(beta0) != signs):  # a support coordinate too small for the eigenvector step
        beta0 = start[face] + nudge * scale * np.where(entering_in_face, signs, 0.0)

    # --- its limit: least squares on the face with the signs imposed, by scipy's NNLS ---
    z, _ = nnls(XF * signs, y)
    limit = np.zeros_like(start)
    limit[face] = signs * z

    # --- the fast dynamics in x = log|beta|: x' = -sigma * grad L(sigma e^x) ---
    def _rhs(_, x):
        return -signs * (H @ (signs * np.exp(x)) - c)

    def _jac(_, x):
        return -(signs[:, None] * H) * (signs * np.exp(x))[None, :]

    def _arrived(_, x):
        return np.max(np.abs(signs * np.exp(x) - limit[face])) - tol * scale

    _arrived.terminal, _arrived.direction = True, -1
    solution = solve_ivp(
        _rhs, (0.0, ORBIT_MAX_TIME / mu), np.log(np.abs(beta0)), method="LSODA", jac=_jac,
        rtol=rtol, atol=atol, events=_arrived, dense_output=True,
    )
    success = solution.status == 1
    message = (
        f"reached the sign-constrained minimiser of the face within {tol:g} x {scale:.3g}"
        if success
        else f"did not come within {tol:g} x {scale:.3g} of the face's minimiser by tau = {solution.t[-1]:.3g} "
        f"({solution.message}): the approach is slower than exponential, as when a coordinate that leaves "
        "has zero gradient at the limit and decays only like 1/tau"
    )
    tau = _refine(solution.t, SAMPLES_PER_STEP)
    beta = np.zeros((tau.size, start.size))
    beta[:, face] = signs * np.exp(solution.sol(tau).T)
    steps = np.linalg.norm(np.diff(np.vstack([start, beta]), axis=0), axis=1)
    return JumpOrbit(
        jump=k,
        tau=_checks.readonly(tau),
        beta=_checks.readonly(beta),
        length=_checks.readonly(np.cumsum(steps)),
        start=_checks.readonly(start),
        limit=_checks.readonly(limit),
        face=_checks.readonly_int(face),
        signs=_checks.readonly(signs),
        success=bool(success),
        message=message,
        nfev=int(solution.nfev),
    )


@dataclass(frozen=True, eq=False)
class ArcLengthPath:
    r"""A trajectory reparametrised by arc length, from :func:`arc_length_view` or :func:`limit_arc_length_view`.

    The arc length of :math:`\tilde t\mapsto(\tilde t,\tilde\beta_{\tilde t})` is
    :math:`r(\tilde t)=\tilde t+\int_0^{\tilde t}\lVert d\tilde\beta/d\tau\rVert_2\,d\tau`; its inverse gives
    :math:`\hat t(r)` and :math:`\hat\beta(r)=\tilde\beta_{\hat t(r)}`, both 1-Lipschitz
    (:math:`\lvert d\hat t/dr\rvert+\lVert d\hat\beta/dr\rVert_2=1`). On a plateau :math:`\hat t` grows at unit
    speed and :math:`\hat\beta` stands still; in a jump of the limit the clock stops and :math:`\hat\beta`
    moves at unit speed. With :math:`m` samples and :math:`d` features:

    Attributes
    ----------
    r : ndarray, shape (m,)
        Arc length, non-decreasing from 0.
    t : ndarray, shape (m,)
        :math:`\hat t(r)`, accelerated time.
    beta : ndarray, shape (m, d)
        :math:`\hat\beta(r)`.

    Examples
    --------
    >>> import dlnlib
    >>> problem = dlnlib.three_coordinate_example()
    >>> view = dlnlib.arc_length_view(dlnlib.gradient_flow(problem, 1e-30, 25.0))
    >>> view.r.shape == view.t.shape and view.beta.shape == (view.r.size, 3)
    True
    """

    r: np.ndarray
    t: np.ndarray
    beta: np.ndarray

    @property
    def total(self):
        """The total arc length ``r[-1]``.

        Returns
        -------
        float
            The arc length at the last sample.

        Examples
        --------
        >>> import numpy as np
        >>> from dlnlib import ArcLengthPath
        >>> ArcLengthPath(r=np.array([0.0, 1.0, 3.0]), t=np.array([0.0, 1.0, 1.0]),
        ...               beta=np.array([[0.0], [0.0], [2.0]])).total
        3.0
        """
        return float(self.r[-1])

    def t_at(self, r):
        r"""The clock :math:`\hat t(r)`, linear between samples.

        Parameters
        ----------
        r : float or array_like, shape (k,)
            Arc lengths in ``[0, total]``.

        Returns
        -------
        ndarray, shape of ``r``
            The accelerated time at each arc length.

        Examples
        --------
        >>> import numpy as np
        >>> from dlnlib import ArcLengthPath
        >>> view = ArcLengthPath(r=np.array([0.0, 1.0, 3.0]), t=np.array([0.0, 1.0, 1.0]),
        ...                      beta=np.array([[0.0], [0.0], [2.0]]))
        >>> view.t_at([0.5, 2.0]).tolist()  # the clock stops while beta moves
        [0.5, 1.0]
        """
        return _interpolate(self._check_r(r), self.r, self.t)

    def beta_at(self, r):
        r"""The trajectory :math:`\hat\beta(r)`, linear between samples.

        Parameters
        ----------
        r : float or array_like, shape (k,)
            Arc lengths in ``[0, total]``.

        Returns
        -------
        ndarray, shape (d,) or (k, d)
            :math:`\hat\beta` at each arc length.

        Examples
        --------
        >>> import numpy as np
        >>> from dlnlib import ArcLengthPath
        >>> view = ArcLengthPath(r=np.array([0.0, 1.0, 3.0]), t=np.array([0.0, 1.0, 1.0]),
        ...                      beta=np.array([[0.0], [0.0], [2.0]]))
        >>> view.beta_at([0.5, 2.0]).tolist()  # beta stands still while the clock runs
        [[0.0], [1.0]]
        """
        return _interpolate(self._check_r(r), self.r, self.beta)

    def _check_r(self, r):
        r = _checks.as_finite_array(r, "r")
        if r.ndim > 1 or np.any(r < 0) or np.any(r > self.r[-1]):
            raise ValueError(f"r must be a scalar or a 1-D array of arc lengths in [0, {self.total!r}]")
        return r


def arc_length_view(trajectory, *, samples_per_step=SAMPLES_PER_STEP):
    r"""Reparametrise a trajectory by the arc length of its graph :math:`(\tilde t,\tilde\beta_{\tilde t})`.

    .. math:: r(\tilde t)=\tilde t+\int_0^{\tilde t}\Big\lVert\frac{d\tilde\beta}{d\tau}\Big\rVert_2\,d\tau,
              \qquad \hat t=r^{-1},\quad \hat\beta=\tilde\beta\circ\hat t .

    The integral is the length of the polyline through the trajectory sampled at its own time
    points and ``samples_per_step - 1`` more between consecutive ones (from ``beta_at`` when the
    trajectory has it), which converges to the arc length as the samples get denser.

    Parameters
    ----------
    trajectory : result of :func:`dlnlib.gradient_flow` or :func:`dlnlib.gradient_descent`
        Anything with ``t`` (m,) and ``beta`` (m, d); its clock is the clock of ``t``.
    samples_per_step : int, default ``SAMPLES_PER_STEP``
        Samples per step of the trajectory's time grid (used when it has dense output).

    Returns
    -------
    ArcLengthPath
        ``r``, ``t`` and ``beta`` at the samples, and ``t_at`` / ``beta_at`` in between.

    Raises
    ------
    ValueError
        If ``trajectory`` has no ``t`` and ``beta``, holds NaN or inf, or ``samples_per_step < 1``.

    Examples
    --------
    >>> import dlnlib
    >>> problem = dlnlib.three_coordinate_example()
    >>> view = dlnlib.arc_length_view(dlnlib.gradient_flow(problem, 1e-30, 25.0))
    >>> bool(view.t_at(view.total / 2) < 20.0 < view.t[-1])  # half the length is used before the last jump
    True
    """
    if not (hasattr(trajectory, "t") and hasattr(trajectory, "beta")):
        raise ValueError(
            f"trajectory must be a result of gradient_flow or gradient_descent (with fields t and beta); "
            f"got {type(trajectory).__name__}"
        )
    samples_per_step = _checks.check_positive_int(samples_per_step, "samples_per_step")
    t = np.asarray(trajectory.t, dtype=float)
    if hasattr(trajectory, "beta_at") and samples_per_step > 1:
        t = _refine(t, samples_per_step)
        beta = trajectory.beta_at(t)
    else:
        beta = np.asarray(trajectory.beta, dtype=float)
    if not np.all(np.isfinite(beta)):
        raise ValueError("trajectory must be finite: its beta has NaN or inf (did the solver fail?)")
    steps = np.linalg.norm(np.diff(beta, axis=0), axis=1)
    r = t + np.concatenate([[0.0], np.cumsum(steps)])
    return ArcLengthPath(r=_checks.readonly(r - r[0]), t=_checks.readonly(t), beta=_checks.readonly(beta))


def limit_arc_length_view(path, orbits, *, t_max):
    r"""The limit :math:`\alpha\to0` in the arc-length view: plateaus of Algorithm 1 joined by the jumps' orbits.

    On plateau :math:`k` the clock runs from :math:`t_k` to :math:`t_{k+1}` (to ``t_max`` on the last one)
    while :math:`\hat\beta=\beta_k`; in jump :math:`k` the clock stands at :math:`t_k` while :math:`\hat\beta`
    runs along the heteroclinic orbit from :math:`\beta_{k-1}` to :math:`\beta_k` at unit speed.

    Parameters
    ----------
    path : SaddlePath
        The result of :func:`saddle_to_saddle`.
    orbits : sequence of JumpOrbit
        The orbits of jumps ``1, ..., path.n_jumps``, in order (from :func:`jump_orbit`).
    t_max : float
        End of the last plateau, at least ``path.times[-1]``.

    Returns
    -------
    ArcLengthPath
        The limit's clock :math:`\hat t(r)` and path :math:`\hat\beta(r)`.

    Raises
    ------
    ValueError
        If ``path`` is not a :class:`SaddlePath`, ``orbits`` are not its orbits in order, or ``t_max`` is
        before the last jump.

    Examples
    --------
    >>> import dlnlib
    >>> problem = dlnlib.three_coordinate_example()
    >>> path = dlnlib.saddle_to_saddle(problem)
    >>> orbits = [dlnlib.jump_orbit(problem, path, k) for k in range(1, path.n_jumps + 1)]
    >>> limit = dlnlib.limit_arc_length_view(path, orbits, t_max=25.0)
    >>> [round(float(orbit.length[-1]), 2) for orbit in orbits]  # each at least the distance between its saddles
    [0.16, 9.5, 6.55, 2.02]
    >>> round(limit.total - 25.0, 2)  # beyond the 25 units of time: the length of the four jumps
    18.23
    """
    _check_saddle_path(path)
    orbits = list(orbits)
    if len(orbits) != path.n_jumps or any(
        not isinstance(orbit, JumpOrbit) or orbit.jump != k for k, orbit in enumerate(orbits, start=1)
    ):
        raise ValueError(
            f"orbits must be the {path.n_jumps} JumpOrbit results of jump_orbit(problem, path, k) for "
            f"k = 1, ..., {path.n_jumps}, in order"
        )
    t_max = _checks.check_positive(t_max, "t_max")
    if not t_max >= path.times[-1]:
        raise ValueError(f"t_max must be at least the last jump time {path.times[-1]!r}; got {t_max!r}")
    ends = np.append(path.times[1:], t_max)
    r_parts, t_parts, beta_parts, r_end = [], [], [], 0.0
    for k, (t_k, end) in enumerate(zip(path.times, ends)):
        # plateau k: the clock runs, beta stands at beta_k
        r_parts.append([r_end, r_end + end - t_k])
        t_parts.append([t_k, end])
        beta_parts.append(path.saddles[[k, k]])
        r_end += end - t_k
        if k < path.n_jumps:
            # jump k + 1: the clock stands, beta runs along the orbit, then onto beta_{k+1} exactly
            orbit = orbits[k]
            points = np.vstack([orbit.beta, path.saddles[k + 1]])
            lengths = np.append(orbit.length, orbit.length[-1] + np.linalg.norm(points[-1] - points[-2]))
            r_parts.append(r_end + lengths)
            t_parts.append(np.full(lengths.size, end))
            beta_parts.append(points)
            r_end += lengths[-1]
    return ArcLengthPath(
        r=_checks.readonly(np.concatenate(r_parts)),
        t=_checks.readonly(np.concatenate(t_parts)),
        beta=_checks.readonly(np.vstack(beta_parts)),
    )


def _check_saddle_path(path, problem=None):
    if not isinstance(path, SaddlePath):
        raise ValueError(f"path must be the SaddlePath returned by saddle_to_saddle; got {type(path).__name__}")
    if problem is not None and path.saddles.shape[1] != problem.n_features:
        raise ValueError(
            f"path must be computed on problem: it has {path.saddles.shape[1]} features, "
            f"problem has {problem.n_features}"
        )


def _refine(t, per_step):
    """``t`` with ``per_step - 1`` evenly spaced points added between consecutive entries."""
    if per_step == 1 or t.size < 2:
        return np.array(t, dtype=float)
    fractions = np.arange(per_step) / per_step
    inner = t[:-1, None] + np.diff(t)[:, None] * fractions[None, :]
    return np.append(inner.ravel(), t[-1])


def _interpolate(x, xp, fp):
    """Piecewise-linear interpolation of the rows (or entries) ``fp`` at ``x``, with ``xp`` non-decreasing."""
    j = np.clip(np.searchsorted(xp, x, side="right") - 1, 0, len(xp) - 2)
    width = xp[j + 1] - xp[j]
    with np.errstate(invalid="ignore", divide="ignore"):
        weight = np.where(width > 0, (x - xp[j]) / width, 0.0)
    if fp.ndim == 2:
        weight = weight[..., None]
    return fp[j] + weight * (fp[j + 1] - fp[j])
