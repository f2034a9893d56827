r"""The dynamics explorer: the gradient flow at scale :math:`\alpha` against Algorithm 1's saddles."""

import warnings

import numpy as np
from matplotlib.collections import LineCollection
from matplotlib.lines import Line2D

from ..convergence import _upward_crossing
from ..errors import DivergenceWarning, PrecisionWarning
from ..flow import gradient_descent, gradient_flow
from ..plotting import coordinate_colors, pick_coordinates, staircase
from ..saddles import saddle_to_saddle
from . import _render as render
from .base import PLAYER_FRAMES, Control, Explorer, _data_controls, _regime, time_axis_end

__all__ = ["FLOW_ATOL", "FLOW_RTOL", "GD_MAX_STEPS", "MAX_COORDINATES", "DynamicsExplorer"]

#: Solver tolerances for the explorers' flows. The dual :math:`S` then stays within about
#: ``1e-4`` of a tight reference (measured on ``sparse_regression(50, 100, 5)`` for alpha from
#: 1e-3 to 1e-100), far below a pixel of the dual panel, and the first jump time the title
#: reports within about 2e-3. (``rtol=1e-3`` is up to 3 times faster on the largest data, but
#: lets the dual drift by 4e-3 on the book's three-coordinate example at alpha = 1e-2.)
FLOW_RTOL = 1e-4
FLOW_ATOL = 1e-6

#: At most this many coordinates get a line of their own (those largest on the path): as many
#: as :data:`dlnlib.plotting.COORDINATE_COLORS` has colours.
MAX_COORDINATES = 10

#: The flow's first jump is located on this many points of its dense output, between the two
#: samples where it happens (see ``_first_jump``).
JUMP_REFINEMENT = 17

#: The gradient-descent overlay runs at most this many steps (then it stops short of the axis
#: end, and the status line says so): a step costs a few microseconds per feature, and a control
#: change must stay interactive.
GD_MAX_STEPS = 2500

#: The overlay records about this many of its steps (enough for a smooth line).
GD_POINTS = 800

#: On a log-scaled loss axis, the axis spans this many decades below :math:`L(0)`.
LOG_LOSS_DECADES = 8

#: Colours of the flows at the other alphas in the loss panel (the main flow is black).
OTHER_ALPHA_COLORS = ("#3b528b", "#21918c", "#5ec962", "#b8a200")

class DynamicsExplorer(Explorer):
    r"""The gradient flow at initialisation scale :math:`\alpha` against Algorithm 1, on a chosen clock.

    Three panels sharing the time axis: the training loss, the coordinates :math:`\tilde\beta_i`,
    and the dual :math:`S_i=\theta_i/\log(1/\alpha)` inside its band :math:`[-1,1]`. Solid lines
    are the flow (:func:`dlnlib.gradient_flow`); dashed lines are the limit :math:`\alpha\to0`
    computed by Algorithm 1 (:func:`dlnlib.saddle_to_saddle`): the staircase of saddles, its loss,
    and the piecewise-linear dual :math:`s(t)`; dotted verticals are its jump times. As
    :math:`\alpha` shrinks the flow's plateaus and jumps approach the staircase; on the raw clock
    the first plateau lasts about :math:`\log(1/\alpha)/\lambda_{\max}`, which the title reports.
    Coordinates are coloured by :func:`dlnlib.plotting.coordinate_colors`.

    Controls (see :meth:`control_range` for their ranges):

    - ``alpha``: the initialisation scale, ``1e-100`` to ``1e-1`` (log slider);
    - ``other_alphas``: up to four more scales drawn at once (thin lines; in the loss panel, one
      colour each);
    - ``clock``: ``"accelerated"`` (:math:`\tilde t=t/\log(1/\alpha)`, where the jumps stay put)
      or ``"raw"`` (:math:`t`, where they move out like :math:`\log(1/\alpha)`);
    - ``log_time``, ``log_loss``: logarithmic time or loss axis;
    - ``gd`` and ``step_size``: overlay plain gradient descent on :math:`(u,v)` with step
      :math:`\eta` (:func:`dlnlib.gradient_descent`, dotted), to see where discrete steps leave
      the flow (and, below :math:`\alpha\approx10^{-8}`, where float64 makes it stall);
    - ``t_max``: end of the time axis on the accelerated clock; ``None`` chooses it from the
      jumps that matter: 1.25 times the last jump that removes at least 1% of the loss decrease
      (with noise, the many late, tiny jumps that interpolate the noise are left out; with
      ``log_time`` the axis shows every jump);
    - the data of :func:`dlnlib.sparse_regression`: ``n_samples``, ``n_features`` (over- or
      underparametrised follows from :math:`n` against :math:`d`), ``n_nonzero``, ``noise``,
      ``random_state``. When ``problem`` is given they are fixed, and it is used as is.

    Parameters
    ----------
    problem : Problem, optional
        Data to show; by default random sparse data from the data controls.
    alpha : float, default 1e-10
        The initialisation scale of the flow drawn solid.
    other_alphas : sequence of float, default ()
        Up to four more scales, drawn thin.
    clock : {"accelerated", "raw"}, default "accelerated"
        The time axis: :math:`\tilde t=t/\log(1/\alpha)` or :math:`t`.
    log_time, log_loss, gd : bool, default False
        A logarithmic time axis; a logarithmic loss axis; the gradient-descent overlay.
    step_size : float, default 0.05
        :math:`\eta` of the gradient-descent overlay, on the raw clock.
    t_max : float, optional
        End of the time axis on the accelerated clock; None chooses it from the jumps that matter.
    n_samples, n_features, n_nonzero : int, default 20, 40, 3
        Shape of the random data and the number of non-zeros of :math:`\beta^\star`.
    noise : float, default 0
        Standard deviation of the label noise of the random data.
    random_state : int, default 0
        Seed of the random data.

    Attributes
    ----------
    state : dict
        ``problem``, ``path`` (the :class:`~dlnlib.SaddlePath`), ``flow`` (the
        :class:`~dlnlib.FlowPath` at ``alpha``), ``flow_failed`` (None, or the solver's message
        when it failed: then no flow line is drawn), ``other_flows`` (alpha -> FlowPath),
        ``descent`` (the :class:`~dlnlib.DescentPath` or None), ``coordinates`` (indices drawn),
        ``colors`` (index -> colour), ``t_max`` (axis end, accelerated clock), ``x_range`` (the
        time axis as drawn, on the chosen clock), ``alpha``, ``log_inverse_alpha``,
        ``first_jump_time`` (accelerated clock: when the flow passes halfway from :math:`\beta_0=0`
        to :math:`\beta_1`, as :func:`dlnlib.convergence_errors` dates jumps; None if not on the
        axis), ``first_jump_time_raw`` (times :math:`\log(1/\alpha)`), ``status``, and ``lines``
        (on the chosen clock): ``"loss"``, ``"beta_{i}"``, ``"dual_{i}"`` (the flow),
        ``"saddle_loss"``, ``"saddle_beta_{i}"``, ``"saddle_dual_{i}"`` (Algorithm 1),
        ``"jump_{k}"`` (:math:`k=1..p`, on the axis), ``"first_jump"``, ``"gd_loss"``,
        ``"gd_beta_{i}"``, ``"gd_dual_{i}"`` (with ``gd``), and ``"other_loss_{j}"``,
        ``"other_beta_{j}_{i}"``, ``"other_dual_{j}_{i}"`` for ``other_alphas[j]``.
    figure : matplotlib.figure.Figure

    Examples
    --------
    >>> from dlnlib.widgets import DynamicsExplorer
    >>> explorer = DynamicsExplorer(alpha=1e-5, n_samples=20, n_features=40)
    >>> explorer.set(alpha=1e-30).state["first_jump_time"] > 0   # in Jupyter: `explorer` shows it live
    True
    >>> explorer.control_range("n_nonzero")                    # at most n_features = 40
    (1, 40)
    >>> html = explorer.to_jshtml([1e-2, 1e-5, 1e-10, 1e-30])  # a player, for the static book
    """

    ALPHA_RANGE = (1e-100, 1e-1)

    CONTROLS = (
        *_data_controls(max_samples=200, max_features=400, max_nonzero=40, max_noise=1.0),
        Control("alpha", "log", "α (initial scale)", low=ALPHA_RANGE[0], high=ALPHA_RANGE[1], step=0.25),
        Control("other_alphas", "alphas", "more α", low=ALPHA_RANGE[0], high=ALPHA_RANGE[1], limit=4),
        Control("clock", "choice", "clock", options=("accelerated", "raw")),
        Control("log_time", "bool", "log time"),
        Control("log_loss", "bool", "log loss"),
        Control("gd", "bool", "gradient descent"),
        Control("step_size", "log", "GD step η", low=1e-3, high=1.0, step=0.1),
        Control("t_max", "auto", "t̃ max"),
    )
    ROWS = (("alpha", "other_alphas"), ("clock", "log_time", "log_loss", "t_max"), ("gd", "step_size"),
            ("n_samples", "n_features", "n_nonzero"), ("noise", "random_state"))
    MAIN_CONTROL = "alpha"
    HEIGHT = 7.0

    def __init__(self, problem=None, *, alpha=1e-10, other_alphas=(), clock="accelerated", log_time=False,
                 log_loss=False, gd=False, step_size=0.05, t_max=None, n_samples=20, n_features=40,
                 n_nonzero=3, noise=0.0, random_state=0):
        self._scene = None
        values = {"alpha": alpha, "other_alphas": other_alphas, "clock": clock, "log_time": log_time,
                  "log_loss": log_loss, "gd": gd, "step_size": step_size, "t_max": t_max,
                  "n_samples": n_samples, "n_features": n_features, "n_nonzero": n_nonzero, "noise": noise,
                  "random_state": random_state}
        super().__init__(problem, values)

    # ---- controls and computation -----------------------------------------------------------------

    def _range(self, name, values):
        if name == "n_nonzero":
            return 1, min(self._spec[name].high, values["n_features"])
        if name == "t_max":
            # Data-relative: far below the first jump the picture is empty, and a flow asked to stop
            # at 1e-200 would make the solver crawl; far past the last jump nothing moves.
            times = self._saddle_path(values).times
            if len(times) < 2:
                return 1e-3, 1e3
            return 1e-2 * float(times[1]), 1e2 * float(times[-1])
        return super()._range(name, values)

    def _saddle_path(self, values):
        return self._cached(("path", self._data_key(values)), lambda: saddle_to_saddle(self._problem(values)))

    def _flow(self, values, alpha, t_end):
        return self._cached(("flow", self._data_key(values), alpha, t_end), lambda: gradient_flow(
            self._problem(values), alpha, t_end, rtol=FLOW_RTOL, atol=FLOW_ATOL))

    def _descent(self, values, alpha, step_size, t_end):
        """Gradient descent up to ``t_end`` (accelerated clock), or its first GD_MAX_STEPS steps."""
        wanted = int(t_end * np.log(1 / alpha) / step_size)  # steps that end on the axis
        n_steps = max(1, min(wanted, GD_MAX_STEPS))

        def run():
            with warnings.catch_warnings():
                # both are reported in the status line instead
                warnings.simplefilter("ignore", (PrecisionWarning, DivergenceWarning))
                return gradient_descent(self._problem(values), alpha, step_size, n_steps, clock="accelerated",
                                        record_every=max(1, n_steps // GD_POINTS))

        return self._cached(("descent", self._data_key(values), alpha, step_size, n_steps), run), wanted > n_steps

    def _axis_end(self, path, values):
        """End of the time axis on the accelerated clock."""
        if values["t_max"] is not None:
            return values["t_max"]
        if values["log_time"] and path.n_jumps:
            return 1.25 * float(path.times[-1])
        return time_axis_end(path)

    def _update(self, changed):
        values = self._values
        problem = self._problem(values)
        path = self._saddle_path(values)
        t_axis = self._axis_end(path, values)
        alphas = (values["alpha"], *values["other_alphas"])
        raw = values["clock"] == "raw"
        scale = {a: float(np.log(1 / a)) if raw else 1.0 for a in alphas}
        x_end = t_axis * max(scale.values())
        flows = {a: self._flow(values, a, x_end / scale[a]) for a in alphas}
        scene = (self._data_key(values), x_end, values["clock"], values["log_time"], values["log_loss"],
                 values["other_alphas"], values["gd"], scale[values["alpha"]])
        self._problem_shown, self._path, self._t_axis, self._flows, self._scale = problem, path, t_axis, flows, scale
        for a in values["other_alphas"]:
            if not _succeeded(flows[a]):
                self._notes.append(f"The flow at α = {render.format_number(a)} failed ({flows[a].message}); "
                                   "it is not drawn.")
        if scene != self._scene:
            self._draw_scene(x_end)
            self._scene = scene
        self._draw_alpha()

    # ---- drawing ----------------------------------------------------------------------------------

    def _build_figure(self):
        figure = self.figure
        self._axes = ax_loss, ax_beta, ax_dual = render.panel_grid(figure, [1, 1, 1], bottom=0.075, top=0.85,
                                                                   hspace=0.12).subplots(sharex=True)
        render.style_axes(self._axes)
        ax_loss.set_ylabel("loss L(β)", fontsize=render.LABEL_SIZE)
        ax_beta.set_ylabel("coordinates βᵢ", fontsize=render.LABEL_SIZE)
        ax_dual.set_ylabel("dual S, s", fontsize=render.LABEL_SIZE)
        ax_dual.axhspan(-1, 1, color="0.93", zorder=0)
        for edge in (-1, 1):
            ax_dual.axhline(edge, color="0.4", linewidth=0.8, zorder=1)
        dashed = {"linestyle": "--", "linewidth": 1.3}
        dotted = {"linestyle": (0, (1, 1.2)), "linewidth": 2.2}
        self._saddle_loss = ax_loss.plot([], [], color="0.35", **dashed)[0]
        self._flow_loss = ax_loss.plot([], [], color="k", linewidth=1.8)[0]
        self._gd_loss = ax_loss.plot([], [], color="k", **dotted)[0]
        self._first_jump = ax_loss.plot([], [], color="#d62728", linewidth=1.2,
                                        transform=ax_loss.get_xaxis_transform())[0]
        self._slots = []
        for _ in range(MAX_COORDINATES):
            slot = {}
            for panel, ax in (("beta", ax_beta), ("dual", ax_dual)):
                slot[f"saddle_{panel}"] = ax.plot([], [], **dashed)[0]
                slot[panel] = ax.plot([], [], linewidth=1.6)[0]
                slot[f"gd_{panel}"] = ax.plot([], [], **dotted)[0]
            self._slots.append(slot)
        self._jumps = [LineCollection([], colors="0.5", linestyles=":", linewidths=1.0,
                                      transform=ax.get_xaxis_transform()) for ax in self._axes]
        self._others = [LineCollection([], linewidths=1.0) for _ in self._axes]
        for ax, jumps, others in zip(self._axes, self._jumps, self._others):
            ax.add_collection(jumps)
            ax.add_collection(others)
        self._message = ax_beta.text(0.5, 0.5, "", transform=ax_beta.transAxes, ha="center", va="center",
                                     fontsize=render.LABEL_SIZE, color="#b00020", wrap=True,
                                     bbox={"facecolor": "white", "edgecolor": "#b00020"})
        self._title = render.figure_title(figure)
        animated = [self._flow_loss, self._gd_loss, self._first_jump, self._message, self._title]
        for slot in self._slots:
            animated += [slot["beta"], slot["dual"], slot["gd_beta"], slot["gd_dual"]]
        self._blitter.animate(*animated)
        self._loss_legend = self._beta_legend = None  # stamped; replaced when their entries change

    def _draw_scene(self, x_end):
        """Everything that does not move with alpha: Algorithm 1, other alphas, axes, legends."""
        values, path, scale = self._values, self._path, self._scale
        ax_loss, ax_beta, ax_dual = self._axes
        self._blitter.invalidate()
        sm = scale[values["alpha"]]  # Algorithm 1 drawn on the main flow's clock
        self._coordinates = coordinates = pick_coordinates(path.saddles, limit=MAX_COORDINATES)
        self._colors = dict(zip(coordinates, coordinate_colors(coordinates)))
        artists = {"loss": self._flow_loss, "saddle_loss": self._saddle_loss, "first_jump": self._first_jump}
        # Algorithm 1: staircases and the piecewise-linear dual, on the main alpha's clock
        self._saddle_loss.set_data(*_scaled(staircase(path.times, path.losses, x_end / sm), sm))
        t_beta, saddles = staircase(path.times, path.saddles, x_end / sm)
        times_on_axis = path.times[1:] * min(scale.values())
        x_start = 0.1 * float(times_on_axis[0]) if len(times_on_axis) else 1e-3 * x_end
        t_dual = np.union1d(path.times, [x_end / sm])
        if values["log_time"]:  # a straight segment is a curve on a log axis: sample it
            t_dual = np.union1d(t_dual, np.geomspace(x_start / sm, x_end / sm, 200))
        duals = path.dual_at(t_dual)
        for k, slot in enumerate(self._slots):
            used = k < len(coordinates)
            for artist in slot.values():
                artist.set_visible(used and (values["gd"] or artist not in (slot["gd_beta"], slot["gd_dual"])))
            if not used:
                continue
            i = coordinates[k]
            for artist in slot.values():
                artist.set_color(self._colors[i])
            slot["saddle_beta"].set_data(t_beta * sm, saddles[:, i])
            slot["saddle_dual"].set_data(t_dual * sm, duals[:, i])
            for name, artist in slot.items():
                if values["gd"] or not name.startswith("gd"):
                    artists[f"{name}_{i}"] = artist
        self._gd_loss.set_visible(values["gd"])
        if values["gd"]:
            artists["gd_loss"] = self._gd_loss
        jump_times = [t * sm for t in path.times[1:] if t * sm <= x_end]
        for jumps in self._jumps:
            jumps.set_segments([[(t, 0.0), (t, 1.0)] for t in jump_times])
        artists.update({f"jump_{k}": render.SegmentOf(self._jumps[0], k - 1)
                        for k in range(1, len(jump_times) + 1)})
        # the flows at the other alphas, thin
        others = [a for a in values["other_alphas"] if _succeeded(self._flows[a])]
        segments = {"loss": [], "beta": [], "dual": []}
        colours = {"loss": [], "beta": [], "dual": []}
        for j, a in enumerate(others):
            flow, x = self._flows[a], self._flows[a].t * scale[a]
            artists[f"other_loss_{j}"] = render.SegmentOf(self._others[0], len(segments["loss"]))
            segments["loss"].append(np.column_stack([x, flow.loss]))
            colours["loss"].append(OTHER_ALPHA_COLORS[j])
            for panel, data in (("beta", flow.beta), ("dual", flow.dual)):
                for i in coordinates:
                    artists[f"other_{panel}_{j}_{i}"] = render.SegmentOf(
                        self._others[1 if panel == "beta" else 2], len(segments[panel]))
                    segments[panel].append(np.column_stack([x, data[:, i]]))
                    colours[panel].append(self._colors[i])
        for collection, panel in zip(self._others, ("loss", "beta", "dual")):
            collection.set_segments(segments[panel])
            collection.set_color(colours[panel] or "k")
            collection.set_alpha(0.9 if panel == "loss" else 0.4)
        self._artists = artists
        # axes: time (linear, or log from a tenth of the first jump), loss, coordinates, dual
        for ax in self._axes:
            ax.set_xscale("log" if values["log_time"] else "linear")
        ax_dual.set_xlim(x_start if values["log_time"] else 0.0, x_end)
        clock = "raw time t" if values["clock"] == "raw" else "accelerated time t̃ = t / log(1/α)"
        ax_dual.set_xlabel(clock, fontsize=render.LABEL_SIZE)
        l0 = max(float(path.losses[0]), 1e-300)
        if values["log_loss"]:
            ax_loss.set_yscale("log")
            ax_loss.set_ylim(l0 * 10.0**-LOG_LOSS_DECADES, 2 * l0)
        else:
            ax_loss.set_yscale("linear")
            ax_loss.set_ylim(-0.03 * l0, 1.05 * l0)
        drawn = [path.saddles[:, coordinates].ravel(), [0.0]]
        drawn += [self._flows[a].beta[:, coordinates].ravel() for a in others]
        ax_beta.set_ylim(*render.padded_limits(np.concatenate(drawn), pad=0.1))
        reach = max([1.0] + [float(np.max(np.abs(self._flows[a].dual[:, coordinates]))) for a in others
                             if coordinates])
        ax_dual.set_ylim(-1.15 * reach, 1.15 * reach)
        self._draw_legends(others)

    def _draw_legends(self, others):
        """The legends, outside the panels; rebuilt only when their entries change (then stamped)."""
        ax_loss, ax_beta, _ = self._axes
        gd = self._values["gd"]
        self._beta_legend = render.coordinate_legend(self._blitter, ax_beta, self._colors,
                                                     replaces=self._beta_legend)
        if self._loss_legend is not None and self._loss_legend.dlnlib_entries == (gd, tuple(others)):
            return
        if self._loss_legend is not None:
            self._blitter.unstamp(self._loss_legend)
        handles = [Line2D([], [], color="k", linewidth=1.8, label="flow"),
                   Line2D([], [], color="0.35", linestyle="--", label="Algorithm 1"),
                   Line2D([], [], color="0.5", linestyle=":", label="its jumps"),
                   Line2D([], [], color="#d62728", label="1st jump")]
        if gd:
            handles.append(Line2D([], [], color="k", linestyle=(0, (1, 1.2)), linewidth=2.2, label="GD"))
        handles += [Line2D([], [], color=OTHER_ALPHA_COLORS[j], label=f"α={render.format_number(a)}")
                    for j, a in enumerate(others)]
        self._loss_legend = render.side_legend(ax_loss, handles)
        self._loss_legend.dlnlib_entries = (gd, tuple(others))
        self._blitter.stamp(self._loss_legend)

    def _draw_alpha(self):
        """What moves with alpha: the flow, the gradient-descent overlay, the first-jump marker, the title."""
        values, path = self._values, self._path
        alpha = values["alpha"]
        flow, s = self._flows[alpha], self._scale[alpha]
        ax_loss, ax_beta, ax_dual = self._axes
        ell = float(np.log(1 / alpha))
        self._flow_failed = None if _succeeded(flow) else flow.message
        if self._flow_failed is None:
            x = flow.t * s
            self._flow_loss.set_data(x, flow.loss)
            for k, i in enumerate(self._coordinates):
                self._slots[k]["beta"].set_data(x, flow.beta[:, i])
                self._slots[k]["dual"].set_data(x, flow.dual[:, i])
            self._message.set_text("")
            self._first_jump_time = _first_jump(flow, path)
        else:
            for artist in [self._flow_loss] + [slot[p] for slot in self._slots for p in ("beta", "dual")]:
                artist.set_data([], [])
            text = (f"The flow solver failed at α = {render.format_number(alpha)}:\n{flow.message}\n"
                    "(no flow drawn; try another α)")
            self._message.set_text(text)
            self._notes.append(text.replace("\n", " "))
            self._first_jump_time = None
        self._message.set_visible(self._flow_failed is not None)
        if self._first_jump_time is None:
            self._first_jump.set_data([], [])
        else:
            self._first_jump.set_data([self._first_jump_time * s] * 2, [0.0, 1.0])
        self._descent_shown = None
        if values["gd"]:
            self._draw_descent(alpha, s)
        self._widen_limits()
        title = f"α = {render.format_number(alpha)},  log(1/α) = {ell:.3g}"
        if values["gd"]:
            title += f";  GD step η = {render.format_number(values['step_size'])}"
        if self._first_jump_time is not None:
            first = self._first_jump_time
            title += (f"\nflow's first jump: t̃ = {first:.3g} (raw t = {ell * first:.3g})"
                      f"\nAlgorithm 1's: t₁ = 1/λmax = {path.times[1]:.3g}")
        self._title.set_text(title)

    def _draw_descent(self, alpha, s):
        values = self._values
        descent, truncated = self._descent(values, alpha, values["step_size"],
                                           self._flows[alpha].t_max)
        self._descent_shown = descent
        x = descent.t * s
        self._gd_loss.set_data(x, descent.loss)
        for k, i in enumerate(self._coordinates):
            self._slots[k]["gd_beta"].set_data(x, descent.beta[:, i])
            self._slots[k]["gd_dual"].set_data(x, descent.dual[:, i])
        if not descent.success:
            self._notes.append(f"Gradient descent diverged: η = {render.format_number(values['step_size'])} "
                               "is too large for this data.")
        elif truncated:
            self._notes.append(f"Gradient descent: first {descent.steps[-1]} steps only (to t̃ = "
                               f"{descent.t[-1]:.3g}); raise η to see further.")
        if descent.precision_lost_at is not None:
            k = descent.precision_lost_at
            self._notes.append(f"From step {k} (t̃ = {k * values['step_size'] / np.log(1 / alpha):.3g}) float64 "
                               "cannot hold u² − v² = 2α² any more: gradient descent may stall at a saddle "
                               "the flow leaves.")

    def _widen_limits(self):
        """Widen the y-limits if what moves with alpha leaves them (never narrow: the background would change)."""
        coordinates = self._coordinates
        series = []
        if self._flow_failed is None:
            series.append(self._flows[self._values["alpha"]])
        if self._descent_shown is not None and self._descent_shown.success:
            series.append(self._descent_shown)
        if not coordinates or not series:
            return
        ax_beta, ax_dual = self._axes[1:]
        beta = np.concatenate([r.beta[:, coordinates].ravel() for r in series])
        low, high = ax_beta.get_ylim()
        if beta.min() < low or beta.max() > high:
            ax_beta.set_ylim(*render.padded_limits(np.concatenate([beta, [low, high]]), pad=0.05))
            self._blitter.invalidate()
        reach = max(float(np.max(np.abs(r.dual[:, coordinates]))) for r in series)
        if reach > ax_dual.get_ylim()[1]:
            ax_dual.set_ylim(-1.05 * reach, 1.05 * reach)
            self._blitter.invalidate()

    # ---- what the reader is told -------------------------------------------------------------------

    def _state(self):
        alpha = self._values["alpha"]
        ell = float(np.log(1 / alpha))
        first = self._first_jump_time
        return {
            "problem": self._problem_shown, "path": self._path, "flow": self._flows[alpha],
            "flow_failed": self._flow_failed,
            "other_flows": {a: self._flows[a] for a in self._values["other_alphas"]},
            "descent": self._descent_shown, "alpha": alpha, "log_inverse_alpha": ell, "t_max": self._t_axis,
            "x_range": tuple(float(x) for x in self._axes[0].get_xlim()),
            "coordinates": list(self._coordinates), "colors": dict(self._colors),
            "first_jump_time": first, "first_jump_time_raw": None if first is None else ell * first,
        }

    def _status_text(self):
        path = self._path
        left = sum(len(idx) for idx in path.left)
        shown = int(np.sum(path.times[1:] <= self._t_axis))
        axis = f"the time axis shows {shown} of them" if shown < path.n_jumps else "all on the time axis"
        if shown < path.n_jumps and self._values["t_max"] is None:
            axis += " (the jumps that each remove at least 1% of the loss decrease; log time shows all)"
        clock = "raw clock t" if self._values["clock"] == "raw" else "accelerated clock t̃ = t/log(1/α)"
        return (f"{_regime(self._problem_shown)}. Algorithm 1: {path.n_jumps} jumps"
                f"{f', {left} coordinate exits' if left else ''}, {axis}. Time on the {clock}; "
                "loss L = |Xβ − y|²/(2n).")

    def _figure_description(self):
        return "loss, coordinates and dual of the gradient flow against time, with Algorithm 1's saddles dashed"

    def _default_frames(self, control):
        if control == "alpha":
            # uniform in log log(1/alpha): the flow's distance to its limit goes like 1/log(1/alpha)
            low, high = self._range("alpha", self._values)
            ells = np.geomspace(np.log(1 / high), np.log(1 / low), PLAYER_FRAMES)
            return [high, *np.exp(-ells[1:-1]), low]  # the ends exactly, not one rounding past them
        return super()._default_frames(control)


def _scaled(points, scale):
    t, v = points
    return t * scale, v


def _succeeded(flow):
    return bool(flow.success) and bool(np.all(np.isfinite(flow.beta))) and bool(np.all(np.isfinite(flow.dual)))


def _first_jump(flow, path):
    r"""The flow's first jump (accelerated clock), dated as :func:`dlnlib.convergence_errors` dates jumps.

    The first time the projection of :math:`\tilde\beta^\alpha` on the segment from
    :math:`\beta_0=0` to :math:`\beta_1` passes its midpoint: found between the flow's samples, then
    located by linear interpolation on ``JUMP_REFINEMENT`` points of its dense output. None if it
    does not happen on the computed range.
    """
    if path.n_jumps == 0:
        return None
    beta_1 = path.saddles[1]
    progress = flow.beta @ beta_1 / (beta_1 @ beta_1)  # 0 at beta_0 = 0, 1 at beta_1
    past = np.flatnonzero(progress >= 0.5)
    if past.size == 0:
        return None
    if past[0] == 0:
        return float(flow.t[0])
    t = np.linspace(flow.t[past[0] - 1], flow.t[past[0]], JUMP_REFINEMENT)
    time = _upward_crossing(t, flow.beta_at(t) @ beta_1 / (beta_1 @ beta_1), 0.5, 0)[0]
    return time if np.isfinite(time) else float(flow.t[past[0]])  # the dense output at a sample: round-off
