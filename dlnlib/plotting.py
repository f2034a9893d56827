r"""Figures from result objects: every function takes a result and ``ax=None``, and returns ``ax``.

Two kinds of result are drawn the same way:

- *trajectories* (:func:`dlnlib.gradient_flow`, :func:`dlnlib.gradient_descent`) have fields
  ``t``, ``beta``, ``dual``, ``loss`` and are drawn as curves;
- the *saddle path* (:func:`dlnlib.saddle_to_saddle`) has ``times``, ``saddles``, ``duals``,
  ``losses`` and is drawn as the limit :math:`\beta^\circ`: a staircase for :math:`\beta` and the loss,
  piecewise-linear for the dual :math:`s`.

Coordinate :math:`i` always gets colour ``C{i mod 10}``, so a flow and its saddle path drawn on the
same axes match. Nothing here calls ``plt.show()``.
"""

import matplotlib.pyplot as plt
import numpy as np


def plot_loss(result, ax=None, *, t_max=None, **line_kwargs):
    r"""The training loss :math:`L` against time.

    Parameters
    ----------
    result : trajectory or saddle path
    ax : matplotlib Axes, optional
        Drawn into the current axes if omitted.
    t_max : float, optional
        For a saddle path, where the last step ends (default: 10% past the last jump).
    **line_kwargs
        Passed to ``ax.plot`` (``label``, ``color``, ``linestyle``...).

    Returns
    -------
    matplotlib Axes
    """
    ax = ax or plt.gca()
    if _is_saddle_path(result):
        t, loss = _staircase(result.times, result.losses, _end_time(result, t_max))
    else:
        t, loss = result.t, result.loss
    ax.plot(t, loss, **line_kwargs)
    ax.set_xlabel(_time_label(result))
    ax.set_ylabel(r"training loss $L(\beta)$")
    return ax


def plot_coordinates(result, ax=None, *, coordinates=None, t_max=None, label=True, **line_kwargs):
    r"""The coordinates :math:`\beta_i` against time, one colour per coordinate.

    Parameters
    ----------
    result : trajectory or saddle path
    ax : matplotlib Axes, optional
    coordinates : sequence of int, optional
        Which coordinates to draw (default: all of them when :math:`d\le10`, else those that are
        ever non-zero, at most ten, largest first).
    t_max : float, optional
        For a saddle path, where the last step ends.
    label : bool, default True
        Label the lines :math:`\beta_i` (1-based, as in the book).
    **line_kwargs
        Passed to ``ax.plot``.

    Returns
    -------
    matplotlib Axes
    """
    ax = ax or plt.gca()
    t, beta = _beta_series(result, t_max)
    _plot_columns(ax, t, beta, pick_coordinates(beta, coordinates), label and r"$\beta_{{{}}}$", line_kwargs)
    ax.set_xlabel(_time_label(result))
    ax.set_ylabel(r"coordinates $\beta_i$")
    return ax


def plot_dual(result, ax=None, *, coordinates=None, t_max=None, label=True, band=True, **line_kwargs):
    r"""The dual variable against time, inside its band :math:`[-1, 1]`.

    For a trajectory on the accelerated clock this is :math:`S=\theta/\log(1/\alpha)`; for the saddle
    path it is :math:`s(t)`. A coordinate can be non-zero only where its dual touches :math:`\pm1`.

    Parameters
    ----------
    result : trajectory or saddle path
    ax : matplotlib Axes, optional
    coordinates : sequence of int, optional
        As in :func:`plot_coordinates`.
    t_max : float, optional
        For a saddle path, where the last segment ends.
    label : bool, default True
    band : bool, default True
        Shade the band :math:`|s_i|\le1` and draw its edges.
    **line_kwargs
        Passed to ``ax.plot``.

    Returns
    -------
    matplotlib Axes
    """
    ax = ax or plt.gca()
    if _is_saddle_path(result):
        end = _end_time(result, t_max)
        t = np.union1d(result.times, [end])
        dual = result.dual_at(t)
        beta_for_choice = result.saddles
    else:
        t, dual, beta_for_choice = result.t, result.dual, result.beta
    if band:
        ax.axhspan(-1, 1, color="0.93", zorder=0)
        for edge in (-1, 1):
            ax.axhline(edge, color="0.4", linewidth=0.8, linestyle="--", zorder=1)
    _plot_columns(ax, t, dual, pick_coordinates(beta_for_choice, coordinates), label and r"$s_{{{}}}$", line_kwargs)
    ax.set_xlabel(_time_label(result))
    ax.set_ylabel(r"dual variable $s_i$")
    return ax


def mark_jumps(path, ax=None, *, label=True, **line_kwargs):
    r"""Vertical lines at the jump times :math:`t_1,\dots,t_p` of a saddle path.

    Returns
    -------
    matplotlib Axes
    """
    ax = ax or plt.gca()
    kwargs = {"color": "0.5", "linestyle": ":", "linewidth": 1.0, **line_kwargs}
    for k, t_k in enumerate(path.times[1:]):
        ax.axvline(t_k, label="jump times $t_k$" if (label and k == 0) else None, **kwargs)
    return ax


def plot_path_3d(path, ax=None, *, trajectories=(), coordinates=(0, 1, 2), annotate=True):
    r"""The saddles :math:`\beta_0,\dots,\beta_p` in three coordinates, with trajectories through them.

    Parameters
    ----------
    path : saddle path
    ax : matplotlib 3-D Axes, optional
        A new figure's 3-D axes if omitted.
    trajectories : sequence of trajectory results
        Flows (or descents) drawn as curves through the saddles, labelled by their ``alpha``.
    coordinates : three ints, default (0, 1, 2)
    annotate : bool, default True
        Label each saddle :math:`\beta_k`.

    Returns
    -------
    matplotlib Axes (3-D)
    """
    if ax is None:
        ax = plt.figure().add_subplot(projection="3d")
    i, j, k = coordinates
    for trajectory in trajectories:
        ax.plot(trajectory.beta[:, i], trajectory.beta[:, j], trajectory.beta[:, k],
                label=rf"flow, $\alpha={_format_alpha(trajectory.alpha)}$")
    ax.scatter(path.saddles[:, i], path.saddles[:, j], path.saddles[:, k], color="k", s=30,
               depthshade=False, label="saddles (Algorithm 1)", zorder=5)
    if annotate:
        for number, saddle in enumerate(path.saddles):
            ax.text(saddle[i], saddle[j], saddle[k], rf"  $\beta_{number}$", fontsize=9)
    ax.set_xlabel(rf"$\beta_{i + 1}$")
    ax.set_ylabel(rf"$\beta_{j + 1}$")
    ax.set_zlabel(rf"$\beta_{k + 1}$")
    return ax


def plot_lasso_path(lasso, ax=None, *, coordinates=None, inverse=False, label=True, **line_kwargs):
    r"""The Lasso path :math:`\beta(\lambda)` against :math:`\lambda` (or against :math:`t=1/\lambda`).

    Parameters
    ----------
    lasso : result of :func:`dlnlib.lasso_path`
    ax : matplotlib Axes, optional
    coordinates : sequence of int, optional
        As in :func:`plot_coordinates`.
    inverse : bool, default False
        Plot against :math:`1/\lambda`, the time scale on which it compares with the saddle path
        (the knot at :math:`\lambda=0` is then left out).
    label : bool, default True
    **line_kwargs
        Passed to ``ax.plot``.

    Returns
    -------
    matplotlib Axes
    """
    ax = ax or plt.gca()
    lambdas, coefs = lasso.lambdas, lasso.coefs
    if inverse:
        keep = lambdas > 0
        x = 1 / lambdas[keep]
        coefs = coefs[keep]
        ax.set_xlabel(r"$1/\lambda$")
    else:
        x = lambdas
        ax.set_xlabel(r"Lasso penalty $\lambda$")
    _plot_columns(ax, x, coefs, pick_coordinates(lasso.coefs, coordinates),
                  label and r"$\beta_{{{}}}(\lambda)$", line_kwargs)
    ax.set_ylabel(r"Lasso coefficients")
    return ax


def _plot_columns(ax, x, values, coordinates, label_format, line_kwargs):
    """One line per coordinate i, in colour C{i mod 10}, labelled ``label_format.format(i + 1)`` if given."""
    for i in coordinates:
        kwargs = {"color": f"C{i % 10}", **line_kwargs}
        if label_format:
            kwargs.setdefault("label", label_format.format(i + 1))
        ax.plot(x, values[:, i], **kwargs)


def _is_saddle_path(result):
    return hasattr(result, "saddles") and hasattr(result, "times")


def _end_time(path, t_max):
    if t_max is not None:
        return float(t_max)
    last = path.times[-1]
    return 1.1 * last if last > 0 else 1.0


def _staircase(times, values, end):
    """Points of the right-continuous step function equal to values[k] on [times[k], times[k+1])."""
    t = np.repeat(np.append(times, end), 2)[1:-1]
    v = np.repeat(values, 2, axis=0)
    return t, v


def _beta_series(result, t_max):
    if _is_saddle_path(result):
        return _staircase(result.times, result.saddles, _end_time(result, t_max))
    return result.t, result.beta


def pick_coordinates(beta, coordinates=None, limit=10):
    r"""The coordinates worth a line: all when :math:`d\le` ``limit``, else the ``limit`` largest ever non-zero.

    Parameters
    ----------
    beta : array_like, shape (m, n_features)
        Rows of coefficients (a path, saddles, Lasso knots...).
    coordinates : sequence of int, optional
        An explicit choice, returned as is.
    limit : int, default 10

    Returns
    -------
    list of int
        Sorted indices.
    """
    if coordinates is not None:
        return [int(i) for i in coordinates]
    beta = np.atleast_2d(beta)
    d = beta.shape[1]
    if d <= limit:
        return list(range(d))
    size = np.max(np.abs(beta), axis=0)
    ever = np.flatnonzero(size > 0)
    return sorted(ever[np.argsort(-size[ever], kind="stable")][:limit].tolist())


def _time_label(result):
    clock = getattr(result, "clock", "accelerated")
    if clock == "raw":
        return "time $t$"
    return r"accelerated time $\tilde t = t/\log(1/\alpha)$"


def _format_alpha(alpha):
    exponent = int(np.floor(np.log10(alpha)))
    mantissa = alpha / 10.0**exponent
    if np.isclose(mantissa, 1.0):
        return rf"10^{{{exponent}}}"
    return rf"{mantissa:.2g}\times 10^{{{exponent}}}"
