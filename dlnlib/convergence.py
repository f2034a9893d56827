r"""How far a gradient flow at scale :math:`\alpha` is from its :math:`\alpha\to0` limit.

The saddle-to-saddle theorem says that on the accelerated clock :math:`\tilde t=t/\log(1/\alpha)` the
flow :math:`\tilde\beta^\alpha` converges to the piecewise-constant path :math:`\beta^\circ` of
Algorithm 1 away from the jump times, and its dual :math:`S^\alpha` to the piecewise-linear
:math:`s` uniformly. :func:`convergence_errors` measures the three gaps a chapter reports: the dual
error, the error on each plateau, and how late each jump happens. :func:`jump_path_distances`
measures the shape of each jump: the Hausdorff distance between the flow's path and the jump's
heteroclinic orbit. Both work on results only (a :class:`~dlnlib.FlowPath` on the accelerated clock,
a :class:`~dlnlib.SaddlePath`, :class:`~dlnlib.JumpOrbit` objects); they never run a solver.

Both cut the flow at its own jumps, and look for jump :math:`k` from where the flow passes nearest to
:math:`\beta_{k-1}` before the middle :math:`m_k=\frac12(t_k+t_{k+1})` of the next plateau (the last
plateau ends where the flow ends).
"""

from dataclasses import dataclass

import numpy as np
from scipy.interpolate import CubicSpline
from scipy.spatial import cKDTree

from ._checks import readonly
from .flow import FlowPath
from .saddles import JumpOrbit, SaddlePath, _refine

#: Number of evenly spaced times, added to the trajectory's own, at which the dual error is taken.
DUAL_GRID_POINTS = 4000

#: The flow is sampled at its own time points and this many minus one more between consecutive
#: ones (from its dense output) when jump times and path distances are measured.
SAMPLES_PER_STEP = 8

#: Golden-section steps of the nearest-point search in :func:`jump_path_distances`: the bracket
#: shrinks by ``0.618**GOLDEN_STEPS`` (about 3e-13 for 60), far below the spacing of the samples.
GOLDEN_STEPS = 60


@dataclass(frozen=True, eq=False)
class ConvergenceErrors:
    r"""Gaps between a flow at scale :math:`\alpha` and the saddle path (accelerated clock).

    Attributes
    ----------
    alpha : float
    dual_error : float
        :math:`\sup_{\tilde t}\lVert S^\alpha_{\tilde t}-s_{\tilde t}\rVert_\infty` over the flow's time span.
        The theory predicts it to shrink like :math:`1/\log(1/\alpha)`.
    scaled_dual_error : float
        ``dual_error * log(1/alpha)``: bounded as :math:`\alpha\to0` if that rate holds.
    plateau_errors : ndarray, shape (p+1,)
        :math:`\lVert\tilde\beta^\alpha(m_k)-\beta_k\rVert_\infty` at the middle :math:`m_k` of each plateau
        :math:`(t_k,t_{k+1})`; the last plateau runs to the end of the flow.
    jump_times : ndarray, shape (p,)
        The flow's own :math:`k`-th jump: the first time at which :math:`\tilde\beta^\alpha` comes nearer to
        :math:`\beta_k` than to :math:`\beta_{k-1}` (its projection on the segment :math:`[\beta_{k-1},\beta_k]`
        rises through the midpoint), after it has passed nearest to :math:`\beta_{k-1}` following its
        :math:`(k-1)`-th jump; by linear interpolation between samples. NaN if that does not happen
        before the flow ends.
    jump_time_errors : ndarray, shape (p,)
        ``jump_times - times[1:]``: positive when the flow jumps late.

    Examples
    --------
    >>> import dlnlib
    >>> problem = dlnlib.three_coordinate_example()
    >>> errors = dlnlib.convergence_errors(dlnlib.gradient_flow(problem, 1e-20, 25.0),
    ...                                    dlnlib.saddle_to_saddle(problem))
    >>> errors.jump_times.shape, bool(errors.jump_time_errors[0] < 0)  # the first jump comes early
    ((4,), True)
    """

    alpha: float
    dual_error: float
    scaled_dual_error: float
    plateau_errors: np.ndarray
    jump_times: np.ndarray
    jump_time_errors: np.ndarray


def convergence_errors(flow, path):
    r"""Measure the distance between a flow and the saddle path of the same problem.

    The jump times of the flow are measured on its path, not on its loss: jump :math:`k` happens when
    the projection of :math:`\tilde\beta^\alpha` on the segment from :math:`\beta_{k-1}` to :math:`\beta_k` rises
    through the midpoint, that is, when :math:`\lVert\tilde\beta^\alpha-\beta_k\rVert_2` becomes smaller than
    :math:`\lVert\tilde\beta^\alpha-\beta_{k-1}\rVert_2`. It is searched for from the moment the flow comes
    nearest to :math:`\beta_{k-1}` after its previous jump (before :math:`m_k`), to the end of the flow, so a
    jump early or late by more than half a plateau is still found. Consecutive saddles are distinct (the loss
    strictly decreases), and when no coordinate leaves the drop is
    :math:`\frac12(\beta_k-\beta_{k-1})^\top H(\beta_k-\beta_{k-1})`, :math:`H=X^\top X/n`: the distance
    is of the order of the square root of the drop. So this is defined however small the drop is; a
    loss-based "halfway" is not, once the drop is below what float64 or the flow's plateau errors
    resolve.

    Parameters
    ----------
    flow : FlowPath
        The result of :func:`dlnlib.gradient_flow` on the accelerated clock, successful, and run past
        the last jump time of ``path``.
    path : SaddlePath
        The result of :func:`dlnlib.saddle_to_saddle` on the same problem.

    Returns
    -------
    ConvergenceErrors
        The dual error (and its product with :math:`\log(1/\alpha)`), the plateau errors, the flow's jump
        times and their errors.

    Raises
    ------
    ValueError
        If the arguments are not a flow and a saddle path (for example swapped), if the flow is on
        the raw clock, failed, holds NaN or inf, has another number of features, or stops before the
        last jump of the path.

    Examples
    --------
    >>> import dlnlib
    >>> problem = dlnlib.three_coordinate_example()
    >>> path = dlnlib.saddle_to_saddle(problem)
    >>> flow = dlnlib.gradient_flow(problem, 1e-20, 25.0)
    >>> errors = dlnlib.convergence_errors(flow, path)
    >>> round(errors.scaled_dual_error, 1)  # sup |S - s| * log(1/alpha): the same for every small alpha
    9.9
    """
    t_end = _check_flow_and_path(flow, path)
    times = path.times
    ell = -np.log(flow.alpha)

    grid = np.union1d(flow.t, np.linspace(0.0, t_end, DUAL_GRID_POINTS))
    dual_error = float(np.max(np.abs(flow.dual_at(grid) - path.dual_at(grid))))

    middles = _plateau_middles(times, t_end)
    plateau_errors = np.max(np.abs(flow.beta_at(middles) - path.saddles), axis=1)

    jump_times = _FlowJumps(flow, path, t_end).times
    return ConvergenceErrors(
        alpha=float(flow.alpha),
        dual_error=dual_error,
        scaled_dual_error=float(dual_error * ell),
        plateau_errors=readonly(plateau_errors),
        jump_times=readonly(jump_times),
        jump_time_errors=readonly(jump_times - times[1:]),
    )


def jump_path_distances(flow, path, orbits):
    r"""Hausdorff distance between the flow's path during each jump and the jump's heteroclinic orbit.

    For jump :math:`k` the flow's path runs from where it passes nearest to :math:`\beta_{k-1}` to where it
    passes nearest to :math:`\beta_k`, each taken between the flow's own jumps (as timed by
    :func:`convergence_errors`), so that early or late jumps are compared whole; the orbit's path is its
    closure, from :math:`\beta_{k-1}` to its limit :math:`\beta_k`. The distance

    .. math::

        d_H(A,B)=\max\Big(\sup_{a\in A}\inf_{b\in B}\lVert a-b\rVert_2,\
        \sup_{b\in B}\inf_{a\in A}\lVert a-b\rVert_2\Big)

    is taken between the two curves, each interpolated by a cubic spline through its samples (the
    flow's dense output at ``SAMPLES_PER_STEP`` points per solver step, the orbit's samples), from
    every sample of one to the nearest point of the other (golden-section search on the spline near
    the nearest sample). It measures the *shape* of a jump, whatever its timing, and how near the flow
    comes to the two saddles. NaN for a jump the flow does not make (see ``jump_times``).

    Parameters
    ----------
    flow : FlowPath
        As in :func:`convergence_errors`.
    path : SaddlePath
        The result of :func:`dlnlib.saddle_to_saddle` on the same problem.
    orbits : sequence of JumpOrbit
        ``jump_orbit(problem, path, k)`` for ``k = 1, ..., path.n_jumps``, in order.

    Returns
    -------
    ndarray, shape (p,)
        The distance for each jump; NaN for a jump the flow does not make.

    Raises
    ------
    ValueError
        As :func:`convergence_errors`, and if ``orbits`` are not the path's orbits in order.

    Examples
    --------
    >>> import dlnlib
    >>> problem = dlnlib.three_coordinate_example()
    >>> path = dlnlib.saddle_to_saddle(problem)
    >>> orbits = [dlnlib.jump_orbit(problem, path, k) for k in range(1, 5)]
    >>> far = dlnlib.jump_path_distances(dlnlib.gradient_flow(problem, 1e-5, 25.0), path, orbits)
    >>> near = dlnlib.jump_path_distances(dlnlib.gradient_flow(problem, 1e-20, 25.0), path, orbits)
    >>> bool(all(near < far / 10))
    True
    """
    t_end = _check_flow_and_path(flow, path)
    orbits = list(orbits)
    if len(orbits) != path.n_jumps or any(
        not isinstance(orbit, JumpOrbit) or orbit.jump != k or not np.array_equal(orbit.start, path.saddles[k - 1])
        for k, orbit in enumerate(orbits, start=1)
    ):
        raise ValueError(
            f"orbits must be the {path.n_jumps} results of jump_orbit(problem, path, k) for k = 1, ..., "
            f"{path.n_jumps}, in order, on the same path"
        )
    jumps = _FlowJumps(flow, path, t_end)
    distances = np.full(path.n_jumps, np.nan)
    for k, orbit in enumerate(orbits, start=1):
        first, last = jumps.nearest[k - 1], jumps.nearest[k]
        if np.isnan(jumps.times[k - 1]) or last - first < 2:
            continue
        t, beta = jumps.t[first : last + 1], jumps.beta[first : last + 1]
        # the orbit's closure: beta_{k-1} itself (reached as tau -> -infinity), then its samples
        tau = np.concatenate([[orbit.tau[0] - 1.0], orbit.tau])
        points = np.vstack([orbit.start, orbit.beta])
        flow_curve, orbit_curve = CubicSpline(t, beta), _orbit_curve(tau, points)
        distances[k - 1] = max(
            _directed_distance(beta, orbit_curve, tau), _directed_distance(orbit.beta, flow_curve, t)
        )
    return distances


class _FlowJumps:
    """The flow sampled densely, cut at its own jumps and at its nearest passes by the saddles.

    ``times[k-1]`` is the flow's k-th jump (see :class:`ConvergenceErrors`), NaN if it does not make
    it; ``nearest[k]`` is the sample where the flow is nearest to beta_k, after its k-th jump and
    before its (k+1)-th (before the middle m_{k+1} of the plateau after it).
    """

    def __init__(self, flow, path, t_end):
        middles = _plateau_middles(path.times, t_end)
        self.t, self.beta = _window(flow, 0.0, t_end)
        p = path.n_jumps
        self.times = np.full(p, np.nan)
        self.nearest = np.zeros(p + 1, dtype=int)
        start = 0  # each jump is searched for after the previous one
        for k in range(1, p + 2):
            # nearest to beta_{k-1}, before the middle of the plateau after jump k (so not inside the
            # previous jump, whose path may pass the midpoint of a short segment)
            stop = len(self.t) if k > p else max(np.searchsorted(self.t, middles[k], side="right"), start + 1)
            distance = np.linalg.norm(self.beta[start:stop] - path.saddles[k - 1], axis=1)
            self.nearest[k - 1] = start = start + int(np.argmin(distance))
            if k > p:
                break
            segment = path.saddles[k] - path.saddles[k - 1]
            progress = (self.beta - path.saddles[k - 1]) @ segment / (segment @ segment)  # 0 -> 1
            self.times[k - 1], crossed = _upward_crossing(self.t, progress, 0.5, start)
            if crossed is not None:
                start = crossed


def _check_flow_and_path(flow, path):
    """Validate the two results; return the end time of the flow."""
    if isinstance(flow, SaddlePath) and isinstance(path, FlowPath):
        raise ValueError(
            "the arguments are swapped: flow must be the FlowPath of gradient_flow and path the SaddlePath "
            "of saddle_to_saddle; call convergence_errors(flow, path)"
        )
    if not isinstance(flow, FlowPath):
        raise ValueError(f"flow must be the FlowPath returned by gradient_flow; got {type(flow).__name__}")
    if not isinstance(path, SaddlePath):
        raise ValueError(f"path must be the SaddlePath returned by saddle_to_saddle; got {type(path).__name__}")
    if flow.clock != "accelerated":
        raise ValueError("flow must be on the accelerated clock (gradient_flow(..., clock='accelerated'))")
    if not flow.success:
        raise ValueError(
            f"flow must be a successful run of gradient_flow; its solver failed at t={flow.t_max:.6g} "
            f"({flow.message}): the path and its errors are not defined"
        )
    if not (np.all(np.isfinite(flow.beta)) and np.all(np.isfinite(flow.dual))):
        raise ValueError("flow must be finite; its beta or dual has NaN or inf")
    if flow.beta.shape[1] != path.saddles.shape[1]:
        raise ValueError(
            f"flow and path must be computed on the same problem; flow has {flow.beta.shape[1]} features, "
            f"path has {path.saddles.shape[1]}"
        )
    t_end = float(flow.t[-1])
    if t_end <= path.times[-1]:
        raise ValueError(
            f"flow must run past the last jump time {path.times[-1]:.6g} of path; it stops at {t_end:.6g}: "
            "pass a larger t_max to gradient_flow"
        )
    return t_end


def _plateau_middles(times, t_end):
    """:math:`m_k=\\frac12(t_k+t_{k+1})`, with :math:`t_{p+1}` the end of the flow; shape (p+1,)."""
    return (times + np.append(times[1:], t_end)) / 2


def _window(flow, t_from, t_to):
    """The flow's times in [t_from, t_to] (its own, refined), and beta there."""
    inside = flow.t[(flow.t > t_from) & (flow.t < t_to)]
    t = _refine(np.concatenate([[t_from], inside, [t_to]]), SAMPLES_PER_STEP)
    return t, flow.beta_at(t)


def _upward_crossing(t, values, level, start):
    """First time after ``t[start]`` at which ``values`` rises through ``level``, linearly interpolated.

    The values must first be below ``level`` (at or after ``start``), then reach it. Returns the time
    (NaN if there is no such crossing) and the index of the first sample at or above the level.
    """
    below = start + np.flatnonzero(values[start:] < level)
    if below.size == 0:
        return np.nan, None
    above = below[0] + np.flatnonzero(values[below[0]:] >= level)
    if above.size == 0:
        return np.nan, None
    k = above[0]
    v0, v1 = values[k - 1], values[k]
    return float(t[k - 1] + (level - v0) / (v1 - v0) * (t[k] - t[k - 1])), k


def _orbit_curve(tau, points):
    """The orbit as a function of tau: a cubic spline, straight on its first piece (from beta_{k-1})."""
    spline = CubicSpline(tau[1:], points[1:])

    def curve(s):
        s = np.asarray(s, dtype=float)
        first = s < tau[1]
        weight = np.clip((s - tau[0]) / (tau[1] - tau[0]), 0.0, 1.0)[..., None]
        straight = points[0] + weight * (points[1] - points[0])
        return np.where(first[..., None], straight, spline(np.maximum(s, tau[1])))

    return curve


def _directed_distance(points, curve, knots):
    r""":math:`\max_a\min_s\lVert\mathrm{curve}(s)-a\rVert` over the rows ``a`` of ``points``.

    For each point, the curve's sample nearest to it (a k-d tree query) brackets the parameter of
    the nearest point of the curve (one knot on either side), which a golden-section search then
    locates.
    """
    nearest = cKDTree(curve(knots)).query(points)[1]
    low = knots[np.maximum(nearest - 1, 0)]
    high = knots[np.minimum(nearest + 1, len(knots) - 1)]

    def squared_distance(s):
        gap = curve(s) - points
        return np.einsum("ij,ij->i", gap, gap)

    golden = (np.sqrt(5.0) - 1.0) / 2.0
    left, right = high - golden * (high - low), low + golden * (high - low)
    f_left, f_right = squared_distance(left), squared_distance(right)
    for _ in range(GOLDEN_STEPS):
        keep_left = f_left < f_right  # the minimum is in [low, right]
        high = np.where(keep_left, right, high)
        low = np.where(keep_left, low, left)
        new_left = np.where(keep_left, high - golden * (high - low), right)
        new_right = np.where(keep_left, left, low + golden * (high - low))
        f_new = squared_distance(np.where(keep_left, new_left, new_right))
        f_left, f_right = np.where(keep_left, f_new, f_right), np.where(keep_left, f_left, f_new)
        left, right = new_left, new_right
    return float(np.sqrt(np.max(np.minimum(f_left, f_right))))
