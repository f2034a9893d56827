r"""Figures from result objects: every function takes a result and ``ax=None``, and returns ``ax``.

Two kinds of result are drawn the same way:

- *trajectories* (:func:`dlnlib.gradient_flow`, :func:`dlnlib.gradient_descent`) have fields
  ``t``, ``beta``, ``dual``, ``loss`` and are drawn as curves;
- the *saddle path* (:func:`dlnlib.saddle_to_saddle`) has ``times``, ``saddles``, ``duals``,
  ``losses`` and is drawn as the limit :math:`\beta^\circ`: a staircase for :math:`\beta` and the loss,
  piecewise-linear for the dual :math:`s`.

Coordinates are coloured by one rule, :func:`coordinate_colors`, used by every helper here and by
the explorers of :mod:`dlnlib.widgets`: coordinate :math:`i` gets colour ``i mod 10`` of
:data:`COORDINATE_COLORS` unless a smaller coordinate drawn with it already holds that colour, so
a flow and its saddle path drawn on the same axes match, and the coordinates of one figure never
share a colour. Nothing here calls ``plt.show()``, and pyplot is imported only when a helper is
called without ``ax``.
"""

import numpy as np

__all__ = [
    "COORDINATE_COLORS",
    "coordinate_colors",
    "mark_jumps",
    "pick_coordinates",
    "plot_coordinates",
    "plot_dual",
    "plot_lasso_path",
    "plot_loss",
    "plot_path_3d",
    "staircase",
]

#: The colours of the coordinates, in the order :func:`coordinate_colors` hands them out:
#: matplotlib's ``tab10`` with its grey replaced by black, because grey is kept for reference
#: lines (jump times, the limit's loss) and a grey coordinate would read as one of them.
COORDINATE_COLORS = (
    "#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd",
    "#8c564b", "#e377c2", "#000000", "#bcbd22", "#17becf",
)


def coordinate_colors(coordinates):
    r"""The colour of each coordinate in a figure: one rule for the whole book.

    Coordinate :math:`i` (0-based) has the home colour ``COORDINATE_COLORS[i % 10]``. The
    coordinates drawn together are served in increasing order: each takes its home colour if no
    smaller one took it, else the next free colour of :data:`COORDINATE_COLORS`. So up to ten
    coordinates always get distinct colours, coordinates 0 to 9 always get their home colour, and
    a coordinate gets the same colour in every figure that draws the same set (a flow and its
    saddle path, every panel and frame of an explorer). Beyond ten, colours repeat.

    Parameters
    ----------
    coordinates : sequence of int
        Coordinate indices (0-based), in any order; repeats get the same colour.

    Returns
    -------
    list of str
        Hex colours, one per entry of ``coordinates``, in the same order.

    Raises
    ------
    ValueError
        If an index is not a non-negative integer.

    Examples
    --------
    >>> from dlnlib.plotting import coordinate_colors
    >>> coordinate_colors([0, 1, 2])
    ['#1f77b4', '#ff7f0e', '#2ca02c']
    >>> coordinate_colors([2, 22])  # 22's home colour is 2's: it takes the next free one
    ['#2ca02c', '#d62728']
    >>> coordinate_colors([22])     # alone, 22 gets its home colour
    ['#2ca02c']
    """
    indices = []
    for i in coordinates:
        if isinstance(i, bool) or not isinstance(i, (int, np.integer)) or i < 0:
            raise ValueError(f"coordinates must be non-negative integers; got {i!r}")
        indices.append(int(i))
    size = len(COORDINATE_COLORS)
    taken, colour_of = set(), {}
    for i in sorted(set(indices)):
        home = i % size
        free = [k for k in range(home, home + size) if k % size not in taken]
        slot = free[0] % size if free else home
        taken.add(slot)
        colour_of[i] = COORDINATE_COLORS[slot]
    return [colour_of[i] for i in indices]


def _axes(ax):
    """``ax``, or pyplot's current axes (pyplot is imported only then)."""
    if ax is not None:
        return ax
    import matplotlib.pyplot as plt

    return plt.gca()


def plot_loss(result, ax=None, *, t_max=None, **line_kwargs):
    r"""The training loss :math:`L` against time.

    Parameters
    ----------
    result : trajectory or saddle path
        A :func:`dlnlib.gradient_flow` or :func:`dlnlib.gradient_descent` result, or a
        :func:`dlnlib.saddle_to_saddle` path.
    ax : matplotlib Axes, optional
        Drawn into the current axes if omitted.
    t_max : float, optional
        For a saddle path, where the last step ends (default: 10% past the last jump).
    **line_kwargs
        Passed to ``ax.plot`` (``label``, ``color``, ``linestyle``...).

    Returns
    -------
    matplotlib Axes
        The axes drawn into.

    Examples
    --------
    >>> import dlnlib
    >>> from matplotlib.figure import Figure
    >>> problem = dlnlib.three_coordinate_example()
    >>> path = dlnlib.saddle_to_saddle(problem)
    >>> ax = plot_loss(path, Figure().subplots(), t_max=25.0)
    >>> bool(ax.get_lines()[0].get_ydata()[0] == problem.loss([0.0, 0.0, 0.0]))  # starts at L(0)
    True
    """
    ax = _axes(ax)
    if _is_saddle_path(result):
        t, loss = staircase(result.times, result.losses, _end_time(result, t_max))
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
        A :func:`dlnlib.gradient_flow` or :func:`dlnlib.gradient_descent` result, or a
        :func:`dlnlib.saddle_to_saddle` path.
    ax : matplotlib Axes, optional
        Drawn into the current axes if omitted.
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
        The axes drawn into.

    Examples
    --------
    >>> import dlnlib
    >>> from matplotlib.figure import Figure
    >>> problem = dlnlib.three_coordinate_example()
    >>> path = dlnlib.saddle_to_saddle(problem)
    >>> flow = dlnlib.gradient_flow(problem, 1e-10, 25.0)
    >>> ax = plot_coordinates(flow, Figure().subplots())
    >>> plot_coordinates(path, ax, t_max=25.0, label=False, linestyle="--") is ax
    True
    >>> [line.get_label() for line in ax.get_lines()[:3]]
    ['$\\beta_{1}$', '$\\beta_{2}$', '$\\beta_{3}$']
    """
    ax = _axes(ax)
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
        A :func:`dlnlib.gradient_flow` or :func:`dlnlib.gradient_descent` result, or a
        :func:`dlnlib.saddle_to_saddle` path.
    ax : matplotlib Axes, optional
        Drawn into the current axes if omitted.
    coordinates : sequence of int, optional
        As in :func:`plot_coordinates`.
    t_max : float, optional
        For a saddle path, where the last segment ends.
    label : bool, default True
        Label the lines (1-based, as in the book).
    band : bool, default True
        Shade the band :math:`|s_i|\le1` and draw its edges.
    **line_kwargs
        Passed to ``ax.plot``.

    Returns
    -------
    matplotlib Axes
        The axes drawn into.

    Examples
    --------
    >>> import dlnlib
    >>> from matplotlib.figure import Figure
    >>> problem = dlnlib.three_coordinate_example()
    >>> path = dlnlib.saddle_to_saddle(problem)
    >>> ax = plot_dual(path, Figure().subplots(), t_max=25.0)
    >>> bool(max(abs(line.get_ydata()).max() for line in ax.get_lines()[2:]) <= 1)  # inside the band
    True
    """
    ax = _axes(ax)
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

    Parameters
    ----------
    path : saddle path
        A :func:`dlnlib.saddle_to_saddle` path.
    ax : matplotlib Axes, optional
        Drawn into the current axes if omitted.
    label : bool, default True
        Label the first line "jump times".
    **line_kwargs
        Passed to ``ax.axvline`` (default: grey, dotted).

    Returns
    -------
    matplotlib Axes
        The axes drawn into.

    Examples
    --------
    >>> import dlnlib
    >>> from matplotlib.figure import Figure
    >>> problem = dlnlib.three_coordinate_example()
    >>> path = dlnlib.saddle_to_saddle(problem)
    >>> ax = mark_jumps(path, Figure().subplots())
    >>> [round(line.get_xdata()[0], 3) for line in ax.get_lines()] == list(path.times[1:].round(3))
    True
    """
    ax = _axes(ax)
    kwargs = {"color": "0.5", "linestyle": ":", "linewidth": 1.0, **line_kwargs}
    for k, t_k in enumerate(path.times[1:]):
        ax.axvline(t_k, label="jump times $t_k$" if (label and k == 0) else None, **kwargs)
    return ax


def plot_path_3d(path, ax=None, *, trajectories=(), coordinates=(0, 1, 2), annotate=True):
    r"""The saddles :math:`\beta_0,\dots,\beta_p` in three coordinates, with trajectories through them.

    Parameters
    ----------
    path : saddle path
        A :func:`dlnlib.saddle_to_saddle` path.
    ax : matplotlib 3-D Axes, optional
        A new figure's 3-D axes if omitted.
    trajectories : sequence of trajectory results
        Flows (or descents) drawn as curves through the saddles, labelled by their ``alpha``.
    coordinates : three ints, default (0, 1, 2)
        The coordinates on the three axes (0-based).
    annotate : bool, default True
        Label each saddle :math:`\beta_k`.

    Returns
    -------
    matplotlib Axes (3-D)
        The axes drawn into.

    Examples
    --------
    >>> import dlnlib
    >>> from matplotlib.figure import Figure
    >>> problem = dlnlib.three_coordinate_example()
    >>> path = dlnlib.saddle_to_saddle(problem)
    >>> ax = plot_path_3d(path, Figure().add_subplot(projection="3d"), annotate=False)
    >>> ax.name
    '3d'
    """
    if ax is None:
        import matplotlib.pyplot as plt

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
    lasso : LassoPath
        The result of :func:`dlnlib.lasso_path`.
    ax : matplotlib Axes, optional
        Drawn into the current axes if omitted.
    coordinates : sequence of int, optional
        As in :func:`plot_coordinates`.
    inverse : bool, default False
        Plot against :math:`1/\lambda`, the time scale on which it compares with the saddle path
        (the knot at :math:`\lambda=0` is then left out).
    label : bool, default True
        Label the lines (1-based, as in the book).
    **line_kwargs
        Passed to ``ax.plot``.

    Returns
    -------
    matplotlib Axes
        The axes drawn into.

    Examples
    --------
    >>> import dlnlib
    >>> from matplotlib.figure import Figure
    >>> lasso = dlnlib.lasso_path(dlnlib.three_coordinate_example())
    >>> ax = plot_lasso_path(lasso, Figure().subplots(), inverse=True)
    >>> round(float(ax.get_lines()[0].get_xdata()[0]), 12)  # the first knot: 1 / lambda_max
    4.0
    """
    ax = _axes(ax)
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
    """One line per coordinate i, coloured by :func:`coordinate_colors`, labelled ``label_format.format(i + 1)``."""
    for i, colour in zip(coordinates, coordinate_colors(coordinates)):
        kwargs = {"color": colour, **line_kwargs}
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


def staircase(times, values, end):
    r"""The corners of a right-continuous step function, ready for ``ax.plot``.

    The function equals ``values[k]`` on :math:`[t_k, t_{k+1})` (with :math:`t_{p+1}` = ``end``):
    the limit :math:`\beta^\circ_t` of the saddle path and its loss are drawn this way.

    Parameters
    ----------
    times : array_like, shape (p + 1,)
        Increasing times :math:`t_0<\dots<t_p`.
    values : array_like, shape (p + 1,) or (p + 1, d)
        The value on each step.
    end : float
        Where the last step ends.

    Returns
    -------
    t : ndarray, shape (2p + 2,)
        Each inner time twice: the corners.
    v : ndarray, shape (2p + 2,) or (2p + 2, d)
        Each value twice.

    Examples
    --------
    >>> from dlnlib.plotting import staircase
    >>> t, v = staircase([0.0, 1.0], [5.0, 3.0], end=2.0)
    >>> t.tolist(), v.tolist()
    ([0.0, 1.0, 1.0, 2.0], [5.0, 5.0, 3.0, 3.0])
    """
    t = np.repeat(np.append(np.asarray(times, dtype=float), end), 2)[1:-1]
    v = np.repeat(np.asarray(values, dtype=float), 2, axis=0)
    return t, v


def _beta_series(result, t_max):
    if _is_saddle_path(result):
        return staircase(result.times, result.saddles, _end_time(result, t_max))
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
        At most this many coordinates.

    Returns
    -------
    list of int
        Sorted indices.

    Examples
    --------
    >>> from dlnlib.plotting import pick_coordinates
    >>> pick_coordinates([[0.0, 3.0, 0.0, -5.0, 1.0]], limit=2)  # the two largest, sorted
    [1, 3]
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
