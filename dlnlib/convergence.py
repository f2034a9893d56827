r"""How far a gradient flow at scale :math:`\alpha` is from its :math:`\alpha\to0` limit.

The saddle-to-saddle theorem says that on the accelerated clock :math:`\tilde t=t/\log(1/\alpha)` the
flow :math:`\tilde\beta^\alpha` converges to the piecewise-constant path :math:`\beta^\circ` of
Algorithm 1 away from the jump times, and its dual :math:`S^\alpha` to the piecewise-linear
:math:`s` uniformly. :func:`convergence_errors` measures the three gaps a chapter reports: the dual
error, the error on each plateau, and how late each jump happens. It works on results only: a
trajectory (fields ``t``, ``beta``, ``dual``, ``loss``, ``alpha``) and a saddle path (``times``,
``saddles``, ``losses``, ``dual_at``); it never runs a solver.
"""

from dataclasses import dataclass

import numpy as np

from ._checks import readonly

#: Number of evenly spaced times, added to the trajectory's own, at which the dual error is taken.
DUAL_GRID_POINTS = 4000


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
        When the flow's loss first falls below :math:`\frac12(L(\beta_{k-1})+L(\beta_k))`, by linear
        interpolation between the flow's time points: the flow's own :math:`k`-th jump.
    jump_time_errors : ndarray, shape (p,)
        ``jump_times - times[1:]``: positive when the flow jumps late.
    """

    alpha: float
    dual_error: float
    scaled_dual_error: float
    plateau_errors: np.ndarray
    jump_times: np.ndarray
    jump_time_errors: np.ndarray


def convergence_errors(flow, path):
    r"""Measure the distance between a flow and the saddle path of the same problem.

    Parameters
    ----------
    flow : result of :func:`dlnlib.gradient_flow` on the accelerated clock
        It must run past the last jump time of ``path``.
    path : result of :func:`dlnlib.saddle_to_saddle`

    Returns
    -------
    ConvergenceErrors

    Raises
    ------
    ValueError
        If the flow is on the raw clock, or stops before the last jump of the path.

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
    if getattr(flow, "clock", "accelerated") != "accelerated":
        raise ValueError("flow must be on the accelerated clock (gradient_flow(..., clock='accelerated'))")
    t_end = float(flow.t[-1])
    times = path.times
    if t_end <= times[-1]:
        raise ValueError(
            f"flow must run past the last jump time {times[-1]:.6g} of path; it stops at {t_end:.6g}: "
            "pass a larger t_max to gradient_flow"
        )
    ell = -np.log(flow.alpha)

    grid = np.union1d(flow.t, np.linspace(0.0, t_end, DUAL_GRID_POINTS))
    dual_error = float(np.max(np.abs(flow.dual_at(grid) - path.dual_at(grid))))

    ends = np.append(times[1:], t_end)
    middles = (times + ends) / 2
    plateau_errors = np.max(np.abs(flow.beta_at(middles) - path.saddles), axis=1)

    # Gradient flow decreases the loss, so each level is crossed once.
    levels = (path.losses[:-1] + path.losses[1:]) / 2
    jump_times = np.array([_first_crossing(flow.t, flow.loss, level) for level in levels])
    return ConvergenceErrors(
        alpha=float(flow.alpha),
        dual_error=dual_error,
        scaled_dual_error=float(dual_error * ell),
        plateau_errors=readonly(plateau_errors),
        jump_times=readonly(jump_times),
        jump_time_errors=readonly(jump_times - times[1:]),
    )


def _first_crossing(t, values, level):
    """First time at which ``values`` (sampled at ``t``) falls to ``level``, linearly interpolated."""
    below = np.flatnonzero(values <= level)
    if below.size == 0:
        return np.nan
    k = below[0]
    if k == 0:
        return float(t[0])
    v0, v1 = values[k - 1], values[k]
    return float(t[k - 1] + (v0 - level) / (v0 - v1) * (t[k] - t[k - 1]))
