r"""The Lasso explorer: Algorithm 1's path, its time average, and the Lasso path at :math:`\lambda=1/t`."""

import numpy as np
from matplotlib.collections import LineCollection
from matplotlib.lines import Line2D

from ..lasso import lasso_path
from ..plotting import coordinate_colors, pick_coordinates, staircase
from ..problem import sparse_regression, three_coordinate_example
from ..saddles import saddle_to_saddle
from . import _render as render
from .base import PLAYER_FRAMES, TIME_MARGIN, Control, Explorer, _data_controls, _regime
from .dynamics import MAX_COORDINATES

__all__ = ["LASSO_TIME_POINTS", "NO_LEAVE_DATA", "LassoExplorer"]

#: The time average and the Lasso path are sampled at this many evenly spaced times (plus the
#: jump times and the Lasso knots, where the curves have corners).
LASSO_TIME_POINTS = 400

#: The "no coordinate leaves" data of :class:`LassoExplorer`:
#: ``sparse_regression(8, 5, 3, noise=0.5, random_state=1)``. Found with dlnlib: among seeds
#: 0-39 of this generator, 37 give a path on which no coordinate leaves; seed 1 has all five
#: coordinates enter one at a time at t = 1.42, 2.10, 2.15, 9.10, 10.15, and its time average
#: equals the Lasso solution at lambda = 1/t to 2e-15.
NO_LEAVE_DATA = {"n_samples": 8, "n_features": 5, "n_nonzero": 3, "noise": 0.5, "random_state": 1}

#: Width of one bar in the panel at the cursor (three bars per coordinate, one unit apart).
_BAR_WIDTH = 0.27

#: Sizes accepted for the random data (given to the constructor).
_SIZES = {c.name: c for c in _data_controls(max_samples=200, max_features=400, max_nonzero=40, max_noise=1.0)}



class LassoExplorer(Explorer):
    r"""Algorithm 1's path, its time average and the Lasso path at :math:`\lambda=1/t`, on one time axis.

    Three panels against the accelerated time :math:`t`: the piecewise-constant limit
    :math:`\beta^\circ_t` of :func:`dlnlib.saddle_to_saddle` (dotted verticals: its jump times); its
    time average :math:`\bar\beta_t=\frac1t\int_0^t\beta^\circ` (``path.time_average``); and the
    Lasso solution :math:`\beta(\lambda)` at :math:`\lambda=1/t` (:func:`dlnlib.lasso_path`;
    dotted verticals: its knots :math:`1/\lambda_k`). Since :math:`-\nabla L(\bar\beta_t)=s_t/t`,
    the time average *is* the Lasso solution as long as no coordinate has left the support, and
    the jump times are the inverse Lasso knots. After a coordinate leaves at a jump :math:`t_k`
    before the last one, they differ at least until the next jump (its :math:`s_i` moves inside
    :math:`(-1,1)` while its time average is not zero). A coordinate that leaves at the last jump
    changes nothing: there :math:`\nabla L=0`, so :math:`s` stops on the boundary and the two
    still agree. A fourth panel shows the three vectors at the cursor time ``t``, which is marked
    on the other three.

    Controls: ``data`` (``"coordinates leave"``: :func:`dlnlib.three_coordinate_example`, where
    coordinate 3 leaves at :math:`t=13200/1561` and returns with the other sign; ``"no coordinate
    leaves"``: :data:`NO_LEAVE_DATA`; ``"random"``: :func:`dlnlib.sparse_regression` with the
    sizes given to the constructor and the seed ``random_state``), ``random_state`` and ``t``
    (from 0 to the end of the time axis). When ``problem`` is given, ``data`` and
    ``random_state`` are fixed.

    Parameters
    ----------
    problem : Problem, optional
        Data to show; then ``data`` and ``random_state`` are fixed.
    data : {"coordinates leave", "no coordinate leaves", "random"}, default "coordinates leave"
    t : float, optional
        The cursor, between 0 and the end of the time axis; default: halfway between the first
        jump before the last one where a coordinate leaves and the next jump (where the time
        average and the Lasso differ), or the middle of the axis if there is none (they agree).
    random_state : int, default 0
        Seed of the random data.
    n_samples, n_features, n_nonzero : int, default 6, 10, 3
        Sizes of the random data (overparametrised, where coordinates often leave; at most 200,
        400 and 40).
    noise : float, default 0
        Label noise of the random data (at most 1).
    t_max : float, optional
        End of the time axis; default 1.25 times the last jump time.

    Attributes
    ----------
    state : dict
        ``problem``, ``path``, ``lasso``, ``t``, ``t_max``, ``coordinates``, ``colors``,
        ``leave_times`` (times at which some coordinate leaves), ``departures`` (those before the
        last jump: after each, the time average and the Lasso differ), ``vectors`` (``"saddle"``,
        ``"time_average"``, ``"lasso"`` at the cursor, each shape (d,)), ``difference`` (the norm
        of time average minus Lasso at the cursor), ``status``, and ``lines``: ``"saddle_{i}"``,
        ``"average_{i}"``, ``"lasso_{i}"`` for the drawn coordinates (the last two on the same
        time grid), ``"jump_{k}"``, ``"knot_{k}"`` and ``"cursor_{panel}"``.
    figure : matplotlib.figure.Figure

    Examples
    --------
    >>> from dlnlib.widgets import LassoExplorer
    >>> explorer = LassoExplorer(data="coordinates leave", t=10.0)
    >>> round(explorer.state["difference"], 2) > 0        # coordinate 3 has left: no match
    True
    >>> explorer.set(data="no coordinate leaves").state["difference"] < 1e-10
    True
    >>> html = explorer.to_jshtml([2.0, 5.0, 10.0])  # the cursor t, for the static book
    """

    DATA = ("coordinates leave", "no coordinate leaves", "random")

    CONTROLS = (
        Control("data", "choice", "data", options=DATA, data=True),
        Control("random_state", "seed", "seed (random data)", low=0, high=2**31 - 1, data=True),
        Control("t", "real", "time t"),
    )
    ROWS = (("data", "random_state"), ("t",))
    MAIN_CONTROL = "t"
    HEIGHT = 8.6

    def __init__(self, problem=None, *, data="coordinates leave", t=None, random_state=0, n_samples=6,
                 n_features=10, n_nonzero=3, noise=0.0, t_max=None):
        sizes = {"n_samples": n_samples, "n_features": n_features, "noise": noise}
        for name, value in sizes.items():
            spec = _SIZES[name]
            sizes[name] = spec.check(value, spec.low, spec.high)
        sizes["n_nonzero"] = _SIZES["n_nonzero"].check(n_nonzero, 1, min(_SIZES["n_nonzero"].high, n_features))
        self._sizes = sizes
        if t_max is not None:
            t_max = Control("t_max", "auto", "t max").check(t_max, 1e-300, float("inf"))
        self._t_max_request = t_max
        super().__init__(problem, {"data": "custom" if problem is not None else data,
                                   "random_state": random_state, "t": t})

    # ---- controls and computation -----------------------------------------------------------------

    def _range(self, name, values):
        if name == "t":
            return 0.0, self._problem_data(values)[3]
        return super()._range(name, values)

    def _validate(self, values, changed):
        if self._fixed_problem is None:
            self._check_controls(values, names=("data",))
        self._check_controls(values, names=("random_state",))
        if values["t"] is None or ("t" not in changed and changed & {"data", "random_state"}):
            values["t"] = _default_cursor(*self._problem_data(values)[1::2])
        self._check_controls(values, names=("t",))
        return values

    def _problem_data(self, values):
        data = values["data"]
        seed = values["random_state"] if data == "random" else None
        key = ("problem", data, seed)

        def compute():
            if self._fixed_problem is not None:
                problem = self._fixed_problem
            elif data == "coordinates leave":
                problem = three_coordinate_example()
            elif data == "no coordinate leaves":
                spec = dict(NO_LEAVE_DATA)
                problem = sparse_regression(spec.pop("n_samples"), spec.pop("n_features"), spec.pop("n_nonzero"),
                                            **spec)
            else:
                s = self._sizes
                problem = sparse_regression(s["n_samples"], s["n_features"], s["n_nonzero"], noise=s["noise"],
                                            random_state=seed)
            path = saddle_to_saddle(problem)
            # the whole path: here the late jumps, where coordinates leave, are the point
            last = float(path.times[-1])
            t_max = self._t_max_request or (TIME_MARGIN * last if last > 0 else 1.0)
            return problem, path, lasso_path(problem), t_max

        return self._cached(key, compute)

    def _update(self, changed):
        data = self._problem_data(self._values)
        if data[0] is not getattr(self, "_problem_shown", None):
            self._problem_shown, self._path, self._lasso, self._t_max = data
            self._draw_problem()
        self._draw_cursor()

    def _lasso_at(self, t):
        """The Lasso solution at lambda = 1/t (zero at t = 0, where lambda is infinite)."""
        t = np.atleast_1d(np.asarray(t, dtype=float))
        out = np.zeros((t.size, self._problem_shown.n_features))
        positive = t > 0
        if np.any(positive):
            out[positive] = np.atleast_2d(self._lasso.coef_at(1.0 / t[positive]))
        return out

    def _vectors(self, t):
        return {
            "saddle": np.asarray(self._path.beta_at(t), dtype=float),
            "time_average": np.asarray(self._path.time_average(t), dtype=float),
            "lasso": self._lasso_at(t)[0],
        }

    # ---- drawing ----------------------------------------------------------------------------------

    def _build_figure(self):
        figure = self.figure
        # three time panels sharing their axes, a gap (row 3) for the time axis' label, then the bars
        grid = render.panel_grid(figure, [1, 1, 1, 0.3, 1.15], bottom=0.06, top=0.9, hspace=0.32)
        first = figure.add_subplot(grid[0])
        self._axes = [first, figure.add_subplot(grid[1], sharex=first, sharey=first),
                      figure.add_subplot(grid[2], sharex=first, sharey=first), figure.add_subplot(grid[4])]
        ax_saddle, ax_average, ax_lasso, ax_bars = self._axes
        render.style_axes(self._axes)
        for ax in self._axes:
            ax.axhline(0, color="0.7", linewidth=0.6, zorder=0)
        for ax in self._axes[:2]:
            ax.tick_params(labelbottom=False)
        for ax, title, label in ((ax_saddle, "Algorithm 1 (jumps dotted)", "β°ₜ"),
                                 (ax_average, "its time average", "(1/t)∫β°"),
                                 (ax_lasso, "the Lasso at λ = 1/t (knots dotted)", "β(λ)")):
            ax.set_title(title, loc="left", fontsize=render.LABEL_SIZE, pad=3, y=1.0)  # y: no search for ticks above
            ax.set_ylabel(label, fontsize=render.LABEL_SIZE)
        ax_lasso.set_xlabel("accelerated time t  (= 1/λ)", fontsize=render.LABEL_SIZE)
        ax_bars.set_xlabel("coordinate i", fontsize=render.LABEL_SIZE)
        ax_bars.set_ylabel("at the cursor", fontsize=render.LABEL_SIZE)
        ax_bars.axhline(0, color="0.5", linewidth=0.6)
        self._slots = [{name: ax.plot([], [], linewidth=1.6)[0]
                        for name, ax in (("saddle", ax_saddle), ("average", ax_average), ("lasso", ax_lasso))}
                       for _ in range(MAX_COORDINATES)]
        self._marks = {name: LineCollection([], colors="0.5", linestyles=":", linewidths=1.0,
                                            transform=ax.get_xaxis_transform())
                       for name, ax in (("jump", ax_saddle), ("jump_average", ax_average), ("knot", ax_lasso))}
        for name, ax in (("jump", ax_saddle), ("jump_average", ax_average), ("knot", ax_lasso)):
            ax.add_collection(self._marks[name])
        self._cursors = {name: ax.plot([], [], color="k", linewidth=1.0, transform=ax.get_xaxis_transform())[0]
                         for name, ax in (("saddle", ax_saddle), ("average", ax_average), ("lasso", ax_lasso))}
        # the three vectors at the cursor, as grouped bars: one slot per drawable coordinate, made
        # once (a data change only hides the unused ones: building bars costs more than drawing them)
        self._bars = {name: ax_bars.bar(np.arange(MAX_COORDINATES) + offset, np.zeros(MAX_COORDINATES), _BAR_WIDTH,
                                        color=color)
                      for offset, name, color in ((-_BAR_WIDTH, "saddle", "0.35"), (0.0, "time_average", "#1f77b4"),
                                                  (_BAR_WIDTH, "lasso", "#d62728"))}
        self._bars_title = ax_bars.set_title("", fontsize=render.LABEL_SIZE, y=1.0)
        self._title = render.figure_title(figure)
        self._blitter.animate(*self._cursors.values(), self._bars_title, self._title,
                              *(bar for bars in self._bars.values() for bar in bars))
        self._blitter.stamp(render.side_legend(ax_bars, [Line2D([], [], color=c, linewidth=6, label=label)
                                                         for c, label in (("0.35", "β°ₜ"), ("#1f77b4", "average"),
                                                                          ("#d62728", "Lasso"))]))
        self._legend = None

    def _draw_problem(self):
        path, lasso, t_max = self._path, self._lasso, self._t_max
        ax_saddle, ax_average, ax_lasso, ax_bars = self._axes
        self._blitter.invalidate()
        knots = 1.0 / lasso.lambdas[lasso.lambdas > 0]
        corners = np.concatenate([path.times, knots])
        t_grid = np.union1d(np.linspace(0.0, t_max, LASSO_TIME_POINTS), corners[corners <= t_max])
        average = path.time_average(t_grid)
        lasso_coefs = self._lasso_at(t_grid)
        t_steps, saddles = staircase(path.times, path.saddles, t_max)
        self._coordinates = pick_coordinates(np.vstack([path.saddles, lasso.coefs]), limit=MAX_COORDINATES)
        self._colors = dict(zip(self._coordinates, coordinate_colors(self._coordinates)))
        artists = {f"cursor_{name}": line for name, line in self._cursors.items()}
        for k, slot in enumerate(self._slots):
            used = k < len(self._coordinates)
            for line in slot.values():
                line.set_visible(used)
            if not used:
                continue
            i = self._coordinates[k]
            slot["saddle"].set_data(t_steps, saddles[:, i])
            slot["average"].set_data(t_grid, average[:, i])
            slot["lasso"].set_data(t_grid, lasso_coefs[:, i])
            for name, line in slot.items():
                line.set_color(self._colors[i])
                artists[f"{name}_{i}"] = line
        jumps = [t for t in path.times[1:] if t <= t_max]
        for name, times in (("jump", jumps), ("jump_average", jumps), ("knot", [t for t in knots if t <= t_max])):
            self._marks[name].set_segments([[(t, 0.0), (t, 1.0)] for t in times])
        artists.update({f"jump_{k}": render.SegmentOf(self._marks["jump"], k - 1) for k in range(1, len(jumps) + 1)})
        n_knots = sum(1 for t in knots if t <= t_max)
        artists.update({f"knot_{k}": render.SegmentOf(self._marks["knot"], k - 1) for k in range(1, n_knots + 1)})
        self._artists = artists
        ax_saddle.set_xlim(0, t_max)
        everything = np.concatenate([path.saddles[:, self._coordinates].ravel(),
                                     lasso.coefs[:, self._coordinates].ravel(), [0.0]])
        ax_saddle.set_ylim(*render.padded_limits(everything))
        self._legend = render.coordinate_legend(self._blitter, ax_saddle, self._colors, replaces=self._legend,
                                                y=1.05)
        # the bars: one group per drawn coordinate
        m = len(self._coordinates)
        for bars in self._bars.values():
            for k, bar in enumerate(bars):
                bar.set_visible(k < m)
        ax_bars.set_xticks(np.arange(m), [str(i + 1) for i in self._coordinates])
        for label, i in zip(ax_bars.get_xticklabels(), self._coordinates):
            label.set_color(self._colors[i])
        ax_bars.set_xlim(-0.6, m - 0.4)
        ax_bars.set_ylim(*ax_saddle.get_ylim())

    def _draw_cursor(self):
        t = self._values["t"]
        for line in self._cursors.values():
            line.set_data([t, t], [0.0, 1.0])
        vectors = self._vectors(t)
        for name, bars in self._bars.items():
            for bar, i in zip(bars, self._coordinates):
                bar.set_height(vectors[name][i])
        self._bars_title.set_text(f"at t = {t:.3g} (λ = {1 / t:.3g})" if t > 0 else "at t = 0")
        difference = float(np.linalg.norm(vectors["time_average"] - vectors["lasso"]))
        note = _leave_note(self._path)
        self._title.set_text(f"t = {t:.3g}:  ‖time average − Lasso(λ = 1/t)‖ = {difference:.2g}\n{note}")

    # ---- what the reader is told -------------------------------------------------------------------

    def _state(self):
        t = self._values["t"]
        vectors = self._vectors(t)
        return {
            "problem": self._problem_shown, "path": self._path, "lasso": self._lasso, "t": t, "t_max": self._t_max,
            "coordinates": list(self._coordinates), "colors": dict(self._colors),
            "leave_times": _leave_times(self._path), "departures": _departures(self._path), "vectors": vectors,
            "difference": float(np.linalg.norm(vectors["time_average"] - vectors["lasso"])),
        }

    def _status_text(self):
        return (f"{_regime(self._problem_shown)}; Algorithm 1: {self._path.n_jumps} jumps, the time axis ends at "
                f"t = {self._t_max:.3g}. Accelerated clock.")

    def _figure_description(self):
        return "Algorithm 1's saddles, their time average and the Lasso path against time, and the three at the cursor"

    def _default_frames(self, control):
        if control == "t":
            return list(np.linspace(0.0, self._t_max, PLAYER_FRAMES + 1)[1:])
        return super()._default_frames(control)


def _leave_times(path):
    """The jump times at which some coordinate leaves the support."""
    return [float(t) for t, left in zip(path.times[1:], path.left) if len(left)]


def _departures(path):
    r"""The leave times before the last jump: after each, the time average is not the Lasso path.

    At the last jump :math:`\nabla L(\beta_p)=0`, so :math:`s` stays where it is and the time
    average still satisfies the Lasso's optimality conditions: a coordinate leaving there breaks
    nothing.
    """
    return [t for t in _leave_times(path) if t < path.times[-1]]


def _leave_note(path):
    """The second title line: where the time average and the Lasso path part, if anywhere."""
    departures = _departures(path)
    if departures:
        return f"coordinates leave at t = {', '.join(f'{t:.3g}' for t in departures)}: average and Lasso part"
    if _leave_times(path):
        return "coordinates leave at the last jump only: average = Lasso"
    return "no coordinate leaves: the time average is the Lasso path"


def _default_cursor(path, t_max):
    """Halfway between the first departure and the next jump (a mismatch), else the middle of the axis."""
    departures = _departures(path)
    if not departures:
        return 0.5 * t_max
    k = int(np.searchsorted(path.times, departures[0]))
    return float(min(0.5 * (path.times[k] + path.times[k + 1]), t_max))
