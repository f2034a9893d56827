r"""Interactive explorers: move the initialisation scale or the data and watch the dynamics change.

Three explorers, each a small object that a chapter opens in one line and that code (and tests)
can drive:

- :class:`DynamicsExplorer`: the gradient flow on the accelerated clock
  :math:`\tilde t=t/\log(1/\alpha)` (loss, coordinates, dual :math:`S` in its band :math:`[-1,1]`)
  against Algorithm 1's saddles and jump times, for :math:`\alpha` from :math:`10^{-1}` down to
  :math:`10^{-100}` and for random sparse data;
- :class:`ImplicitBiasExplorer`: the limit :math:`\beta^\alpha_\infty` of the flow moving from the
  minimum-:math:`\ell_2` solution (large :math:`\alpha`) to the minimum-:math:`\ell_1` one (small
  :math:`\alpha`);
- :class:`LassoExplorer`: Algorithm 1's piecewise-constant path, its time average
  :math:`\bar\beta_t=\frac1t\int_0^t\beta^\circ` and the Lasso path at :math:`\lambda=1/t`, on data
  where coordinates leave the support and on data where none does.

Every explorer has the same interface:

- ``explorer.set(name=value, ...)`` validates the values, recomputes only what depends on the
  controls that moved, and redraws by updating the data of the existing lines;
- ``explorer.values`` holds the control values and ``explorer.state`` what is drawn (the results
  and the data of every line, read back from the figure);
- ``explorer.widget`` (also shown when the explorer is the last expression of a Jupyter cell) is
  the live ipywidgets interface: the controls, and the figure rendered to PNG in an
  ``ipywidgets.Image`` (no ipympl needed);
- ``explorer.to_jshtml(values, control=...)`` returns a self-contained HTML player
  (``matplotlib.animation`` ``to_jshtml``) over a precomputed grid of one control, for the static
  book, where no Python runs behind the page; ``explorer.static_view(...)`` wraps it, with a
  note on how to get the live version, for display in a notebook cell.

This is the only module of :mod:`dlnlib` that imports ipywidgets, and ``import dlnlib`` does not
import it: write ``from dlnlib.widgets import DynamicsExplorer``. Times follow the library's
conventions: accelerated clock, loss :math:`L(\beta)=\frac1{2n}\lVert X\beta-y\rVert^2`.
"""

import io
import numbers
import re
import warnings
from collections import OrderedDict

import ipywidgets
import matplotlib
import numpy as np
import PIL.Image
from matplotlib.animation import FuncAnimation
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.collections import LineCollection
from matplotlib.figure import Figure

from . import plotting
from .flow import gradient_flow
from .implicit_bias import implicit_bias_solution, min_l2_solution
from .lasso import lasso_path, min_l1_solution
from .problem import Problem, sparse_regression, three_coordinate_example
from .saddles import saddle_to_saddle

__all__ = ["DynamicsExplorer", "ImplicitBiasExplorer", "LassoExplorer"]

#: Solver tolerances for the explorers' flows. The dual :math:`S` then stays within about
#: ``1e-4`` of a tight reference (measured on ``sparse_regression(50, 100, 5)`` for alpha from
#: 1e-3 to 1e-100): far below a pixel of the dual panel, and 2-4 times faster than the library's
#: defaults, which keeps one alpha move under the 150 ms budget.
FLOW_RTOL = 1e-4
FLOW_ATOL = 1e-6

#: By default the time axis ends this factor past Algorithm 1's last jump time.
TIME_MARGIN = 1.25

#: At most this many coordinates get a line of their own (those largest on the path).
MAX_COORDINATES = 10

#: Number of cached results per explorer (flows at different alpha, problems at different data).
CACHE_SIZE = 32

#: Figure resolution of the live widget and of the static players.
LIVE_DPI = 80
JSHTML_DPI = 72

#: zlib level of the live PNGs: 1-3 encode several times faster than the default 6, for files
#: about 15% larger (the PNG travels only to the local browser).
PNG_COMPRESSION = 2

#: ``ImplicitBiasExplorer`` draws the path of :math:`\beta^\alpha` over this fixed grid of alpha
#: (4 points per decade from 1e3 to 1e-6), computed once per problem.
IMPLICIT_BIAS_ALPHA_GRID = 10.0 ** np.linspace(3, -6, 37)

#: ``LassoExplorer`` samples the time average and the Lasso path at this many evenly spaced times
#: (plus the jump times and the Lasso knots, where the curves have corners).
LASSO_TIME_POINTS = 400

#: The "no coordinate leaves" data of :class:`LassoExplorer`:
#: ``sparse_regression(8, 5, 3, noise=0.5, random_state=1)``. Found with dlnlib: among seeds
#: 0-39 of this generator, 37 give a path on which no coordinate leaves; seed 1 has all five
#: coordinates enter one at a time at t = 1.42, 2.10, 2.15, 9.10, 10.15, and its time average
#: equals the Lasso solution at lambda = 1/t to 2e-15.
NO_LEAVE_DATA = {"n_samples": 8, "n_features": 5, "n_nonzero": 3, "noise": 0.5, "random_state": 1}

# Ranges of the data controls (also the ranges of the sliders).
_N_RANGE = (2, 500)
_NOISE_RANGE = (0.0, 2.0)
_SEED_RANGE = (0, 2**32 - 1)

# The jshtml player links to a font-awesome stylesheet on a CDN for its button icons; the book
# must work offline, so the link is dropped and the icons are replaced by plain characters.
_CDN_LINK = re.compile(r"<link[^>]*font-awesome[^>]*>", re.IGNORECASE)
_ICONS = {
    "fa fa-minus": "&minus;",
    "fa fa-fast-backward": "&#x25C0;&#x25C0;",  # not U+23EE: many fonts lack it
    "fa fa-step-backward": "&#x25C0;&#x2759;",
    "fa fa-play fa-flip-horizontal": "&#x25C0;",
    "fa fa-pause": "&#x2759;&#x2759;",
    "fa fa-play": "&#x25B6;",
    "fa fa-step-forward": "&#x2759;&#x25B6;",
    "fa fa-fast-forward": "&#x25B6;&#x25B6;",
    "fa fa-plus": "+",
}
_ICON = re.compile(r'<i class="(fa [^"]*)"></i>')

_LIVE_NOTE = (
    "This is a precomputed view. For the live explorer, run this notebook in Jupyter "
    "(locally, on Binder or on Colab) and use <code>from dlnlib.widgets import {name}</code>."
)


# --------------------------------------------------------------------------------------------
# Validation of control values: a ValueError that names the control and the allowed range.
# --------------------------------------------------------------------------------------------


def _check_log_range(value, name, low, high):
    if isinstance(value, bool) or not isinstance(value, numbers.Real) or not np.isfinite(value):
        raise ValueError(f"{name} must be a number between {low:g} and {high:g}; got {value!r}")
    value = float(value)
    if not low <= value <= high:
        raise ValueError(f"{name} must be between {low:g} and {high:g}; got {value!r}")
    return value


def _check_int(value, name, low, high):
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise ValueError(f"{name} must be an integer between {low} and {high}; got {value!r}")
    if not low <= value <= high:
        raise ValueError(f"{name} must be an integer between {low} and {high}; got {value!r}")
    return int(value)


def _check_real(value, name, low, high):
    if isinstance(value, bool) or not isinstance(value, numbers.Real) or not np.isfinite(value):
        raise ValueError(f"{name} must be a number between {low:g} and {high:g}; got {value!r}")
    if not low <= value <= high:
        raise ValueError(f"{name} must be between {low:g} and {high:g}; got {value!r}")
    return float(value)


def _check_t_max(value):
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, numbers.Real) or not np.isfinite(value) or value <= 0:
        raise ValueError(f"t_max must be None (automatic) or a positive number; got {value!r}")
    return float(value)


def _check_data_controls(values):
    """Validate the controls of ``sparse_regression`` (shared by two explorers)."""
    values["n_samples"] = _check_int(values["n_samples"], "n_samples", *_N_RANGE)
    values["n_features"] = _check_int(values["n_features"], "n_features", *_N_RANGE)
    values["n_nonzero"] = _check_int(values["n_nonzero"], "n_nonzero", 1, values["n_features"])
    values["noise"] = _check_real(values["noise"], "noise", *_NOISE_RANGE)
    values["random_state"] = _check_int(values["random_state"], "random_state", *_SEED_RANGE)


# --------------------------------------------------------------------------------------------
# Small private plotting helpers.
# --------------------------------------------------------------------------------------------


def _new_lines(ax, draw):
    """Call ``draw()`` and return the Line2D objects it added to ``ax``."""
    before = len(ax.lines)
    draw()
    return list(ax.lines[before:])


def _clear(ax):
    """Remove the data artists of ``ax`` but keep the axes themselves.

    Cheaper than ``ax.cla()``, which throws away the tick objects that the next draw then
    rebuilds (a third of the cost of a data change).
    """
    for artist in [*ax.lines, *ax.collections, *ax.patches, *ax.texts]:
        artist.remove()
    ax.containers.clear()
    if ax.get_legend() is not None:
        ax.get_legend().remove()
    ax.relim()


def _padded_limits(values, pad=0.06, floor=1e-12):
    low, high = float(np.min(values)), float(np.max(values))
    span = max(high - low, floor, 1e-3 * max(abs(low), abs(high)))
    return low - pad * span, high + pad * span


class _Canvas(FigureCanvasAgg):
    """An Agg canvas whose ``draw_idle`` does nothing.

    The figure is only ever rendered by ``savefig`` (live PNG, animation frames). Keeping one Agg
    canvas lets its renderer, and matplotlib's text-layout caches keyed on it, be reused from one
    redraw to the next; without the no-op, ``FuncAnimation`` would render every frame twice.
    """

    def draw_idle(self, *args, **kwargs):
        pass


def _make_figure(figsize):
    # A bare Figure, not pyplot: nothing is shown twice in Jupyter and no global state is touched.
    figure = Figure(figsize=figsize, dpi=LIVE_DPI)
    _Canvas(figure)
    return figure


def _format_alpha(value):
    """``1e-10`` as ``1e-10`` and ``3.2e-05`` as ``3.2e-05``: short, plain text."""
    return f"{value:.2g}".replace("e-0", "e-").replace("e+0", "e+")


def _offline_html(html):
    """Make a jshtml player self-contained: no CDN stylesheet, text icons on its buttons."""
    html = _CDN_LINK.sub("", html)
    return _ICON.sub(lambda match: _ICONS.get(match.group(1), ""), html)


# --------------------------------------------------------------------------------------------
# The shared machinery: controls, caching, the live widget and the static player.
# --------------------------------------------------------------------------------------------


class _Explorer:
    """Base class: subclasses define the controls, ``_validate``, ``_update`` and ``_widgets``."""

    #: Control names, in the order the widget shows them.
    _control_names = ()
    #: Controls fixed when a problem is passed to the constructor.
    _data_controls = ()
    #: The control ``to_jshtml`` scrubs by default.
    _default_control = None

    def __init__(self, problem, values):
        if problem is not None and not isinstance(problem, Problem):
            raise ValueError(f"problem must be None or a dlnlib.Problem; got {type(problem).__name__}")
        self._fixed_problem = problem
        self._values = {}
        self._artists = {}
        self._cache = OrderedDict()
        self._widget = None
        self._controls = {}
        self._image = None
        self._status = None
        self._syncing = False
        self._animated = []  # artists redrawn on every change (the rest is a cached background)
        self._background = None
        self.figure = self._new_figure()
        self._apply(self._validate(values, changed=set(values)))

    # ---- public interface -------------------------------------------------------------------

    @property
    def values(self):
        """The current control values, as a new dict."""
        return dict(self._values)

    @property
    def controls(self):
        """The names of the controls ``set`` accepts (data controls are fixed when a problem is given)."""
        if self._fixed_problem is None:
            return tuple(self._control_names)
        return tuple(name for name in self._control_names if name not in self._data_controls)

    def set(self, **values):
        """Set control values, recompute what depends on them and redraw.

        Parameters
        ----------
        **values
            Control values, by name (see :attr:`controls`); the others keep their values.

        Returns
        -------
        self

        Raises
        ------
        ValueError
            If a name is not a control, a data control is set while the explorer shows a given
            problem, or a value is outside its allowed range (the message names the control).
        """
        self._apply(self._merge(values))
        if self._widget is not None:
            self._sync_controls()
            self._render()
        return self

    @property
    def widget(self):
        """The live ipywidgets interface: controls above the figure (built on first access)."""
        if self._widget is None:
            self._widget = self._build_widget()
        return self._widget

    def _ipython_display_(self):
        from IPython.display import display

        display(self.widget)

    def to_jshtml(self, values=None, control=None, *, fps=2, dpi=JSHTML_DPI):
        """A self-contained HTML player of the figure over a grid of values of one control.

        Each frame is drawn exactly as the live explorer draws it, embedded as a PNG
        (``matplotlib.animation.FuncAnimation.to_jshtml`` with ``embed_frames=True``). The player
        has a slider and play buttons, needs no Python and no network (the CDN stylesheet of the
        default player is removed and its icons replaced by characters).

        Parameters
        ----------
        values : sequence, optional
            The control values, one per frame (keep it to about 10-20 frames: each is a PNG of
            some 30-60 kB). Default: a grid that depends on the explorer and the control.
        control : str, optional
            The control to scrub; default the explorer's main one (``"alpha"`` or ``"t"``).
        fps : float, default 2
            Frames per second when played.
        dpi : float, default ``JSHTML_DPI``

        Returns
        -------
        str
            HTML (a ``<div>`` with the player, its script and its style).

        Raises
        ------
        ValueError
            If ``control`` is not a control or a value is out of its range.
        """
        control = self._default_control if control is None else control
        if control not in self.controls:
            raise ValueError(f"control must be one of {', '.join(map(repr, self.controls))}; got {control!r}")
        values = self._default_frames(control) if values is None else list(values)
        if len(values) == 0:
            raise ValueError("values must hold at least one value of the control")
        frames = [self._merge({control: value}) for value in values]
        original = self.values

        def draw(index):
            self._apply(frames[index])
            self._set_animated(False)  # a saved frame must contain everything (see _png)
            return []

        animation = FuncAnimation(
            self.figure, draw, frames=len(frames), init_func=lambda: draw(0),
            repeat=False, cache_frame_data=False,
        )
        try:
            with matplotlib.rc_context({"savefig.dpi": dpi, "animation.frame_format": "png"}):
                html = animation.to_jshtml(fps=fps, embed_frames=True, default_mode="once")
        finally:
            animation.event_source = None
            self._apply(original)
            self._set_animated(True)
            self._background = None  # the frames were drawn at another dpi
        return _offline_html(html)

    def static_view(self, values=None, control=None, *, note=True, **kwargs):
        """:meth:`to_jshtml` as an ``IPython.display.HTML`` object, with a note on the live version.

        This is what a chapter shows in the static book; ``kwargs`` go to :meth:`to_jshtml`.
        """
        from IPython.display import HTML

        html = self.to_jshtml(values, control, **kwargs)
        if note:
            html += f'<p><em>{_LIVE_NOTE.format(name=type(self).__name__)}</em></p>'
        return HTML(html)

    @property
    def state(self):
        """What is drawn: the results, the control values, and ``lines``, the data of every line.

        ``lines`` maps a name to the ``(m, 2)`` array of ``(x, y)`` points of the line with that
        name, read back from the figure. The other keys are documented by each explorer.
        """
        state = dict(self._state())
        state["values"] = self.values
        state["lines"] = {name: np.asarray(artist.get_xydata(), dtype=float).copy()
                          for name, artist in self._artists.items() if hasattr(artist, "get_xydata")}
        return state

    # ---- machinery ----------------------------------------------------------------------------

    def _merge(self, values):
        unknown = [name for name in values if name not in self._control_names]
        if unknown:
            raise ValueError(
                f"{unknown[0]!r} is not a control of {type(self).__name__}; "
                f"the controls are {', '.join(self.controls)}"
            )
        if self._fixed_problem is not None:
            fixed = [name for name in values if name in self._data_controls]
            if fixed:
                raise ValueError(
                    f"{fixed[0]} cannot be set: this {type(self).__name__} shows the problem it was given; "
                    "create one without a problem to explore random data"
                )
        merged = {**self._values, **values}
        changed = {name for name in values if not _same(values[name], self._values.get(name))}
        return self._validate(merged, changed)

    def _apply(self, values):
        changed = {name for name in values if not _same(values[name], self._values.get(name, _MISSING))}
        self._values = dict(values)
        if changed:
            self._update(changed)

    def _reset_drawing(self):
        """Empty every axes (keeping the axes themselves) before the data-dependent artists are redrawn."""
        for ax in self._axes:
            _clear(ax)
        self._artists = {}
        self._animated = []
        self._invalidate()

    def _with_problem(self, compute):
        """``compute(problem)``, cached per data: the given problem, or random data from the data controls."""
        if self._fixed_problem is not None:
            return self._cached(("problem",), lambda: compute(self._fixed_problem))
        data = {name: self._values[name] for name in self._data_controls}

        def make_and_compute():
            problem = sparse_regression(data["n_samples"], data["n_features"], data["n_nonzero"],
                                        noise=data["noise"], random_state=data["random_state"])
            return compute(problem)

        return self._cached(("problem",) + tuple(data.values()), make_and_compute)

    def _cached(self, key, compute):
        if key in self._cache:
            self._cache.move_to_end(key)
            return self._cache[key]
        value = compute()
        self._cache[key] = value
        if len(self._cache) > CACHE_SIZE:
            self._cache.popitem(last=False)
        return value

    def _default_frames(self, control):
        raise ValueError(f"to_jshtml has no default grid for {control!r}; pass values=")

    def _png(self, dpi=LIVE_DPI):
        """The whole figure drawn from scratch, as PNG bytes."""
        buffer = io.BytesIO()
        # Figure.draw skips animated artists even when saving (Axes.draw does not): draw them all.
        self._set_animated(False)
        try:
            self.figure.savefig(buffer, format="png", dpi=dpi)
        finally:
            self._set_animated(True)
        return buffer.getvalue()

    def _set_animated(self, flag):
        for artist in self._animated:
            artist.set_animated(flag)

    def _animate(self, *artists):
        """Register artists that change with the main control: they are drawn over a cached background."""
        for artist in artists:
            artist.set_animated(True)
            self._animated.append(artist)

    def _invalidate(self):
        """Forget the background (call when anything but the animated artists changes)."""
        self._background = None

    def _live_png(self):
        """The figure as PNG bytes, blitting the animated artists over the cached background.

        Axes, ticks, labels and the lines that depend only on the data are rendered once per
        problem; a move of the main control redraws only the artists registered by
        :meth:`_animate` (text rendering dominates a full redraw).
        """
        canvas = self.figure.canvas
        renderer = canvas.get_renderer()
        if self._background is None or self._background[0] is not renderer:
            canvas.draw()  # everything but the animated artists
            renderer = canvas.get_renderer()
            self._background = (renderer, canvas.copy_from_bbox(self.figure.bbox))
        else:
            canvas.restore_region(self._background[1])
        for artist in self._animated:
            if artist.get_visible():
                self.figure.draw_artist(artist)
        buffer = io.BytesIO()
        image = PIL.Image.frombuffer("RGBA", canvas.get_width_height(), canvas.buffer_rgba(), "raw", "RGBA", 0, 1)
        image.save(buffer, format="png", compress_level=PNG_COMPRESSION)
        return buffer.getvalue()

    def _render(self):
        self._image.value = self._live_png()

    def _build_widget(self):
        self._controls = self._widgets()
        for name, control in self._controls.items():
            control.observe(self._on_change(name), names="value")
            if self._fixed_problem is not None and name in self._data_controls:
                control.disabled = True
        self._status = ipywidgets.HTML(value=self._status_text())
        self._image = ipywidgets.Image(value=self._live_png(), format="png",
                                       layout=ipywidgets.Layout(max_width="100%"))
        boxes = [ipywidgets.HBox(row) for row in self._layout_rows(self._controls)]
        return ipywidgets.VBox([*boxes, self._status, self._image])

    def _layout_rows(self, controls):
        names = list(controls)
        return [[controls[name] for name in names[i:i + 3]] for i in range(0, len(names), 3)]

    def _on_change(self, name):
        def callback(change):
            if self._syncing:
                return
            try:
                self.set(**{name: change["new"]})
            except ValueError as error:
                self._status.value = f'<span style="color:#b00">{error}</span>'
                self._sync_controls()
            else:
                self._status.value = self._status_text()

        return callback

    def _sync_controls(self):
        self._syncing = True
        try:
            for name, control in self._controls.items():
                self._sync_control(name, control)
        finally:
            self._syncing = False

    def _sync_control(self, name, control):
        value = self._values[name]
        if control.value != value:
            control.value = value

    def _status_text(self):
        return ""


_MISSING = object()


def _same(a, b):
    if a is _MISSING or b is _MISSING:
        return False
    try:
        return bool(a == b)
    except (TypeError, ValueError):
        return False


def _log_slider(value, low, high, description, step=0.25):
    return ipywidgets.FloatLogSlider(
        value=value, base=10, min=np.log10(low), max=np.log10(high), step=step,
        description=description, readout_format=".1e", continuous_update=False,
        style={"description_width": "initial"},
    )


def _data_widgets(values):
    style = {"description_width": "initial"}
    return {
        "n_samples": ipywidgets.IntSlider(value=values["n_samples"], min=_N_RANGE[0], max=200,
                                          description="n (samples)", continuous_update=False, style=style),
        "n_features": ipywidgets.IntSlider(value=values["n_features"], min=_N_RANGE[0], max=400,
                                           description="d (features)", continuous_update=False, style=style),
        "n_nonzero": ipywidgets.IntSlider(value=values["n_nonzero"], min=1, max=50,
                                          description="nonzeros of β*", continuous_update=False, style=style),
        "noise": ipywidgets.FloatSlider(value=values["noise"], min=0.0, max=1.0, step=0.05,
                                        description="noise σ", continuous_update=False, style=style),
        "random_state": ipywidgets.BoundedIntText(value=values["random_state"], min=_SEED_RANGE[0],
                                                  max=2**31 - 1, description="seed", style=style),
    }


def _regime(problem):
    n, d = problem.X.shape
    if d > n:
        return f"n = {n} < d = {d}: overparametrised (many interpolators)"
    return f"n = {n} ≥ d = {d}: underparametrised (one least-squares fit)"


# --------------------------------------------------------------------------------------------
# 1. The dynamics: flow against Algorithm 1.
# --------------------------------------------------------------------------------------------


class DynamicsExplorer(_Explorer):
    r"""The gradient flow at initialisation scale :math:`\alpha` against Algorithm 1, on the accelerated clock.

    Three panels, against :math:`\tilde t=t/\log(1/\alpha)`: the training loss, the coordinates
    :math:`\tilde\beta_i`, and the dual :math:`S_i=\theta_i/\log(1/\alpha)` inside its band
    :math:`[-1,1]`. Solid lines are the flow (:func:`dlnlib.gradient_flow`); dashed lines are the
    limit :math:`\alpha\to0` computed by Algorithm 1 (:func:`dlnlib.saddle_to_saddle`): the
    staircase of saddles, its loss, and the piecewise-linear dual :math:`s(t)`; dotted verticals
    are its jump times. As :math:`\alpha` shrinks the flow's plateaus and jumps approach the
    staircase; on the raw clock the first plateau lasts about :math:`\log(1/\alpha)/\lambda_{\max}`,
    which the title reports.

    Controls: ``alpha`` (log slider, ``1e-100`` to ``1e-1``), ``t_max`` (end of the time axis,
    ``None`` for 1.25 times the last jump) and the data controls of
    :func:`dlnlib.sparse_regression`: ``n_samples``, ``n_features`` (over- or underparametrised
    follows from :math:`n` against :math:`d`), ``n_nonzero``, ``noise``, ``random_state`` (the
    seed). When ``problem`` is given, the data controls are disabled and it is used as is.

    Parameters
    ----------
    problem : Problem, optional
        Data to show; by default random sparse data from the data controls.
    alpha : float, default 1e-10
        Initialisation scale, between ``1e-100`` and ``1e-1``.
    n_samples, n_features, n_nonzero : int, default 20, 40, 3
        Shape of the random data (2 to 500 each) and the number of non-zeros of
        :math:`\beta^\star` (1 to ``n_features``).
    noise : float, default 0
        Label noise, 0 to 2. With noise and :math:`d>n` the flow goes on to interpolate the
        noise, with late, small jumps: the default time axis then gets long.
    random_state : int, default 0
        Seed of the data.
    t_max : float, optional
        End of the time axis (accelerated clock); default 1.25 times the last jump time.

    Attributes
    ----------
    state : dict
        ``problem``, ``path`` (the :class:`~dlnlib.SaddlePath`), ``flow`` (the
        :class:`~dlnlib.FlowPath`), ``coordinates`` (indices drawn), ``t_max``, ``alpha``,
        ``log_inverse_alpha``, ``first_jump_time`` (accelerated clock: when the flow's loss
        crosses halfway between :math:`L(0)` and :math:`L(\beta_1)`, or None),
        ``first_jump_time_raw`` (times :math:`\log(1/\alpha)`), and ``lines``: ``"loss"``,
        ``"beta_{i}"``, ``"dual_{i}"`` (the flow), ``"saddle_loss"``, ``"saddle_beta_{i}"``,
        ``"saddle_dual_{i}"`` (Algorithm 1), ``"jump_{k}"`` (:math:`k=1..p`) and ``"first_jump"``.
    figure : matplotlib.figure.Figure

    Examples
    --------
    >>> from dlnlib.widgets import DynamicsExplorer
    >>> explorer = DynamicsExplorer(alpha=1e-5, n_samples=20, n_features=40)
    >>> explorer.set(alpha=1e-30).state["first_jump_time"] > 0   # in Jupyter: `explorer` shows it live
    True
    >>> html = explorer.to_jshtml([1e-2, 1e-5, 1e-10, 1e-30])  # for the static book
    """

    _control_names = ("alpha", "n_samples", "n_features", "n_nonzero", "noise", "random_state", "t_max")
    _data_controls = ("n_samples", "n_features", "n_nonzero", "noise", "random_state")
    _default_control = "alpha"

    #: Range of the ``alpha`` control.
    ALPHA_RANGE = (1e-100, 1e-1)

    def __init__(self, problem=None, *, alpha=1e-10, n_samples=20, n_features=40, n_nonzero=3,
                 noise=0.0, random_state=0, t_max=None):
        values = {"alpha": alpha, "n_samples": n_samples, "n_features": n_features, "n_nonzero": n_nonzero,
                  "noise": noise, "random_state": random_state, "t_max": t_max}
        super().__init__(problem, values)

    def _validate(self, values, changed):
        values["alpha"] = _check_log_range(values["alpha"], "alpha", *self.ALPHA_RANGE)
        _check_data_controls(values)
        values["t_max"] = _check_t_max(values["t_max"])
        return values

    def _new_figure(self):
        figure = _make_figure((12, 3.6))
        self._axes = figure.subplots(1, 3)
        figure.subplots_adjust(left=0.055, right=0.99, bottom=0.15, top=0.86, wspace=0.25)
        return figure

    # ---- computation ----------------------------------------------------------------------------

    def _problem_and_path(self):
        return self._with_problem(lambda problem: (problem, saddle_to_saddle(problem)))

    def _update(self, changed):
        if changed & {*self._data_controls, "t_max"} or not self._artists:
            self._problem, self._path = self._problem_and_path()
            last = self._path.times[-1]
            self._t_max = self._values["t_max"] or (TIME_MARGIN * last if last > 0 else 1.0)
            self._draw_problem()
        alpha = self._values["alpha"]
        self._flow = self._cached(
            ("flow", id(self._problem), alpha, self._t_max),
            lambda: gradient_flow(self._problem, alpha, self._t_max, rtol=FLOW_RTOL, atol=FLOW_ATOL),
        )
        self._draw_flow()

    # ---- drawing ----------------------------------------------------------------------------------

    def _draw_problem(self):
        """Everything that does not depend on alpha: Algorithm 1's overlays, axes, empty flow lines."""
        path, t_max = self._path, self._t_max
        ax_loss, ax_beta, ax_dual = self._axes
        self._reset_drawing()
        coordinates = plotting.pick_coordinates(path.saddles, limit=MAX_COORDINATES)
        self._coordinates = coordinates
        # Algorithm 1, dashed, drawn by dlnlib.plotting's helpers
        dashed = {"linestyle": "--", "linewidth": 1.2, "alpha": 0.8}
        (self._artists["saddle_loss"],) = _new_lines(ax_loss, lambda: plotting.plot_loss(
            path, ax_loss, t_max=t_max, color="0.35", label="Algorithm 1", **dashed))
        for ax in self._axes:
            jumps = _new_lines(ax, lambda: plotting.mark_jumps(path, ax, label=ax is ax_loss))
            if ax is ax_loss:
                for k, line in enumerate(jumps, start=1):
                    self._artists[f"jump_{k}"] = line
        lines = _new_lines(ax_beta, lambda: plotting.plot_coordinates(
            path, ax_beta, coordinates=coordinates, t_max=t_max, label=False, **dashed))
        self._artists.update({f"saddle_beta_{i}": line for i, line in zip(coordinates, lines)})
        ax_dual.axhspan(-1, 1, color="0.93", zorder=0)
        for edge in (-1, 1):
            ax_dual.axhline(edge, color="0.4", linewidth=0.8, zorder=1)
        lines = _new_lines(ax_dual, lambda: plotting.plot_dual(
            path, ax_dual, coordinates=coordinates, t_max=t_max, label=False, band=False, **dashed))
        self._artists.update({f"saddle_dual_{i}": line for i, line in zip(coordinates, lines)})
        # The flow, solid; data filled in by _draw_flow.
        (self._artists["loss"],) = ax_loss.plot([], [], color="k", linewidth=1.6, label="flow")
        (self._artists["first_jump"],) = ax_loss.plot([], [], color="C3", linewidth=1.0,
                                                      label="first jump of the flow")
        for i in coordinates:
            (self._artists[f"beta_{i}"],) = ax_beta.plot([], [], color=f"C{i % 10}", linewidth=1.6,
                                                         label=rf"$\beta_{{{i + 1}}}$")
            (self._artists[f"dual_{i}"],) = ax_dual.plot([], [], color=f"C{i % 10}", linewidth=1.6)
        self._animate(*(self._artists[name] for name in self._artists if not name.startswith(("saddle", "jump"))))
        self._title = self.figure.suptitle("", fontsize=10)
        self._animate(self._title)
        clock = r"accelerated time $\tilde t=t/\log(1/\alpha)$"
        # y-limits: Algorithm 1's range; _draw_flow widens them if a flow leaves it
        self._beta_limits = _padded_limits(np.append(path.saddles[:, coordinates].ravel(), 0.0), pad=0.1)
        ax_beta.set_ylim(*self._beta_limits)
        ax_dual.set_ylim(-1.15, 1.15)
        for ax in self._axes:
            ax.set_xlim(0, t_max)
            ax.set_xlabel(clock)
        ax_loss.set_ylabel(r"loss $L(\beta)$")
        ax_beta.set_ylabel(r"coordinates $\beta_i$")
        ax_dual.set_ylabel(r"dual $S_i$ (flow), $s_i$ (Algorithm 1)")
        l0 = float(path.losses[0])
        ax_loss.set_ylim(-0.03 * max(l0, 1e-12), 1.05 * max(l0, 1e-12))
        ax_loss.legend(loc="upper right", fontsize=8)
        if len(coordinates) <= 6 and coordinates:
            ax_beta.legend(loc="best", fontsize=8)

    def _draw_flow(self):
        flow, path = self._flow, self._path
        ax_loss, ax_beta, ax_dual = self._axes
        self._artists["loss"].set_data(flow.t, flow.loss)
        for i in self._coordinates:
            self._artists[f"beta_{i}"].set_data(flow.t, flow.beta[:, i])
            self._artists[f"dual_{i}"].set_data(flow.t, flow.dual[:, i])
        self._first_jump = _first_crossing(flow.t, flow.loss, path.losses)
        if self._first_jump is None:
            self._artists["first_jump"].set_data([], [])
        else:
            self._artists["first_jump"].set_data([self._first_jump] * 2, ax_loss.get_ylim())
        # Widen the y-limits (never narrow them: that would redraw the background at every move)
        # when the flow leaves them, as it does at large alpha (|S| > 1 by about log|2 beta| / (2 log(1/alpha))).
        coordinates = self._coordinates
        if coordinates:
            low, high = ax_beta.get_ylim()
            beta = flow.beta[:, coordinates]
            if beta.min() < low or beta.max() > high:
                ax_beta.set_ylim(*_padded_limits(np.concatenate([beta.ravel(), [low, high]]), pad=0.05))
                self._invalidate()
            reach = float(np.max(np.abs(flow.dual[:, coordinates])))
            if reach > ax_dual.get_ylim()[1]:
                ax_dual.set_ylim(-1.05 * reach, 1.05 * reach)
                self._invalidate()
        # Plain text, not mathtext: a title that changes with every move would be re-parsed each time.
        ell = np.log(1 / self._values["alpha"])
        title = f"α = {_format_alpha(self._values['alpha'])},  log(1/α) = {ell:.3g}"
        if self._first_jump is not None:
            title += (f";   flow's first jump at t̃ = {self._first_jump:.3g}  (raw t = {ell * self._first_jump:.3g})"
                      f";   Algorithm 1: t₁ = 1/λmax = {path.times[1]:.3g}")
        self._title.set_text(title)

    def _state(self):
        alpha = self._values["alpha"]
        ell = float(np.log(1 / alpha))
        return {
            "problem": self._problem, "path": self._path, "flow": self._flow, "alpha": alpha,
            "log_inverse_alpha": ell, "t_max": self._t_max, "coordinates": list(self._coordinates),
            "first_jump_time": self._first_jump,
            "first_jump_time_raw": None if self._first_jump is None else ell * self._first_jump,
        }

    def _default_frames(self, control):
        if control == "alpha":
            return [1e-1, 1e-2, 1e-3, 1e-5, 1e-7, 1e-10, 1e-15, 1e-20, 1e-30, 1e-50, 1e-75, 1e-100]
        if control == "random_state":
            return list(range(10))
        return super()._default_frames(control)

    # ---- widget -------------------------------------------------------------------------------

    def _widgets(self):
        values = self._values
        controls = {"alpha": _log_slider(values["alpha"], *self.ALPHA_RANGE, "α (init. scale)")}
        controls.update(_data_widgets(values))
        controls["t_max"] = ipywidgets.FloatText(value=self._t_max, description="t̃ max",
                                                 style={"description_width": "initial"})
        return controls

    def _layout_rows(self, controls):
        return [[controls["alpha"], controls["t_max"]],
                [controls[name] for name in ("n_samples", "n_features", "n_nonzero")],
                [controls["noise"], controls["random_state"]]]

    def _sync_control(self, name, control):
        if name == "t_max":
            if control.value != self._t_max:
                control.value = self._t_max
            return
        super()._sync_control(name, control)

    def _status_text(self):
        path = self._path
        left = sum(len(idx) for idx in path.left)
        return (f"{_regime(self._problem)}; Algorithm 1: {path.n_jumps} jumps"
                f"{f', {left} coordinate exits' if left else ''}. Times on the accelerated clock, "
                "loss L = |Xβ − y|²/(2n).")


def _first_crossing(t, loss, saddle_losses):
    """When ``loss`` first falls halfway from L(beta_0) to L(beta_1) (linear interpolation), or None."""
    if len(saddle_losses) < 2:
        return None
    level = 0.5 * (saddle_losses[0] + saddle_losses[1])
    below = np.flatnonzero(loss <= level)
    if below.size == 0:
        return None
    j = below[0]
    if j == 0:
        return float(t[0])
    fraction = (loss[j - 1] - level) / (loss[j - 1] - loss[j])
    return float(t[j - 1] + fraction * (t[j] - t[j - 1]))


# --------------------------------------------------------------------------------------------
# 2. The implicit bias: from minimum l2 to minimum l1.
# --------------------------------------------------------------------------------------------


class ImplicitBiasExplorer(_Explorer):
    r"""The limit point :math:`\beta^\alpha_\infty` of the flow, between the minimum-:math:`\ell_2` and minimum-:math:`\ell_1` solutions.

    :math:`\beta^\alpha_\infty=\arg\min\{\phi_\alpha(\beta):\beta\in\arg\min L\}`
    (:func:`dlnlib.implicit_bias_solution`) tends to the minimum-:math:`\ell_2` solution as
    :math:`\alpha\to\infty` and to the minimum-:math:`\ell_1` solution as :math:`\alpha\to0`.
    Three panels: the coefficients of :math:`\beta^\alpha_\infty` (stems) with the
    minimum-:math:`\ell_2` (crosses) and minimum-:math:`\ell_1` (circles) solutions marked; the path
    of the largest coordinates over :math:`\alpha` (computed once per problem on
    :data:`IMPLICIT_BIAS_ALPHA_GRID`), with the current :math:`\alpha` marked; and the relative
    distances :math:`\lVert\beta^\alpha-\beta_{\ell_1}\rVert/\lVert\beta_{\ell_1}\rVert` and
    :math:`\lVert\beta^\alpha-\beta_{\ell_2}\rVert/\lVert\beta_{\ell_2}\rVert` over :math:`\alpha`.

    Controls: ``alpha`` (log slider, ``1e3`` down to ``1e-6``) and the data controls of
    :class:`DynamicsExplorer` (disabled when ``problem`` is given).

    Parameters
    ----------
    problem : Problem, optional
    alpha : float, default 1.0
        Initialisation scale, between ``1e-6`` and ``1e3``.
    n_samples, n_features, n_nonzero, noise, random_state
        Random data as in :class:`DynamicsExplorer` (default 15, 40, 3, 0, 0).

    Attributes
    ----------
    state : dict
        ``problem``, ``alpha``, ``solution`` (the :class:`~dlnlib.ImplicitBiasSolution`),
        ``beta`` (shape (d,)), ``min_l1``, ``min_l2``, ``distance_l1``, ``distance_l2`` (relative,
        at the current alpha), ``alpha_grid``, ``beta_grid`` (shape (len(alpha_grid), d)),
        ``coordinates`` (drawn in the path panel), and ``lines``: ``"beta"`` (stem heads: coordinate number from 1,
        value), ``"min_l1"``, ``"min_l2"``, ``"path_{i}"``, ``"distance_l1"``,
        ``"distance_l2"`` (over the grid), ``"current_alpha"``.
    figure : matplotlib.figure.Figure

    Examples
    --------
    >>> from dlnlib.widgets import ImplicitBiasExplorer
    >>> explorer = ImplicitBiasExplorer(alpha=1e-3)
    >>> explorer.set(alpha=1e-6).state["distance_l1"] < explorer.set(alpha=1e2).state["distance_l1"]
    True
    >>> html = explorer.to_jshtml()  # alpha from 1e3 to 1e-6, for the static book
    """

    _control_names = ("alpha", "n_samples", "n_features", "n_nonzero", "noise", "random_state")
    _data_controls = ("n_samples", "n_features", "n_nonzero", "noise", "random_state")
    _default_control = "alpha"

    #: Range of the ``alpha`` control.
    ALPHA_RANGE = (1e-6, 1e3)

    def __init__(self, problem=None, *, alpha=1.0, n_samples=15, n_features=40, n_nonzero=3,
                 noise=0.0, random_state=0):
        values = {"alpha": alpha, "n_samples": n_samples, "n_features": n_features, "n_nonzero": n_nonzero,
                  "noise": noise, "random_state": random_state}
        super().__init__(problem, values)

    def _validate(self, values, changed):
        values["alpha"] = _check_log_range(values["alpha"], "alpha", *self.ALPHA_RANGE)
        _check_data_controls(values)
        return values

    def _new_figure(self):
        figure = _make_figure((12, 3.6))
        grid = figure.add_gridspec(1, 3, width_ratios=[1.5, 1, 1])
        self._axes = [figure.add_subplot(grid[0, k]) for k in range(3)]
        for ax in self._axes[1:]:
            ax.set_xscale("log")
            ax.set_xlim(IMPLICIT_BIAS_ALPHA_GRID[0], IMPLICIT_BIAS_ALPHA_GRID[-1])  # alpha decreases ->
        self._axes[2].set_yscale("log")
        figure.subplots_adjust(left=0.055, right=0.975, bottom=0.15, top=0.86, wspace=0.28)
        return figure

    def _problem_data(self):
        def compute(problem):
            min_l1 = np.asarray(min_l1_solution(problem))
            min_l2 = np.asarray(min_l2_solution(problem))
            grid = IMPLICIT_BIAS_ALPHA_GRID
            betas = np.array([self._solve(problem, alpha).beta for alpha in grid])
            return problem, min_l1, min_l2, betas

        return self._with_problem(compute)

    def _solve(self, problem, alpha):
        return self._cached(("solution", id(problem), alpha), lambda: implicit_bias_solution(problem, alpha))

    def _update(self, changed):
        if changed & set(self._data_controls) or not self._artists:
            self._problem, self._min_l1, self._min_l2, self._beta_grid = self._problem_data()
            self._draw_problem()
        self._solution = self._solve(self._problem, self._values["alpha"])
        self._draw_alpha()

    def _distances(self, beta):
        beta = np.atleast_2d(beta)
        scale_l1 = max(np.linalg.norm(self._min_l1), 1e-300)
        scale_l2 = max(np.linalg.norm(self._min_l2), 1e-300)
        return (np.linalg.norm(beta - self._min_l1, axis=1) / scale_l1,
                np.linalg.norm(beta - self._min_l2, axis=1) / scale_l2)

    def _draw_problem(self):
        ax_coef, ax_path, ax_dist = self._axes
        self._reset_drawing()
        d = self._problem.n_features
        index = np.arange(1, d + 1)  # coordinates are numbered from 1, as in the book
        ax_coef.axhline(0, color="0.6", linewidth=0.8)
        self._stems = LineCollection([], colors="C0", linewidths=1.2)
        ax_coef.add_collection(self._stems)
        (self._artists["beta"],) = ax_coef.plot([], [], "o", color="C0", markersize=4,
                                                label=r"$\beta^\alpha_\infty$")
        (self._artists["min_l2"],) = ax_coef.plot(index, self._min_l2, "x", color="0.3", markersize=6,
                                                  label=r"min-$\ell_2$")
        (self._artists["min_l1"],) = ax_coef.plot(index, self._min_l1, "o", markerfacecolor="none",
                                                  markeredgecolor="C3", markersize=8, label=r"min-$\ell_1$")
        everything = np.concatenate([self._beta_grid.ravel(), self._min_l1, self._min_l2])
        ax_coef.set_ylim(*_padded_limits(everything))
        ax_coef.set_xlim(0.2, d + 0.8)
        ax_coef.set_xlabel("coordinate $i$")
        ax_coef.set_ylabel("coefficient")
        ax_coef.legend(loc="upper right", fontsize=8)
        # the path over alpha, for the coordinates largest in either limit
        grid = IMPLICIT_BIAS_ALPHA_GRID
        self._path_coordinates = plotting.pick_coordinates(np.vstack([self._min_l1, self._min_l2, self._beta_grid]), limit=MAX_COORDINATES)
        for i in self._path_coordinates:
            (self._artists[f"path_{i}"],) = ax_path.plot(grid, self._beta_grid[:, i], color=f"C{i % 10}")
        ax_path.set_xlabel(r"$\alpha$ (decreasing $\rightarrow$)")
        ax_path.set_ylabel(r"$\beta^\alpha_{\infty,i}$")
        (self._artists["current_alpha"],) = ax_path.plot([], [], color="k", linewidth=1.0)
        # distances to the two limits over alpha
        far_l1, far_l2 = self._distances(self._beta_grid)
        (self._artists["distance_l1"],) = ax_dist.plot(grid, far_l1, color="C3", label=r"to min-$\ell_1$")
        (self._artists["distance_l2"],) = ax_dist.plot(grid, far_l2, color="0.3", label=r"to min-$\ell_2$")
        self._dist_marks = ax_dist.plot([], [], "o", color="k", markersize=5)[0]
        positive = np.concatenate([far_l1, far_l2])
        positive = positive[positive > 0]
        if positive.size:
            ax_dist.set_ylim(max(positive.min() / 3, 1e-8), positive.max() * 3)
        ax_dist.set_xlabel(r"$\alpha$ (decreasing $\rightarrow$)")
        ax_dist.set_ylabel("relative distance")
        ax_dist.legend(loc="center right", fontsize=8)
        self._title = self.figure.suptitle("", fontsize=10)
        self._animate(self._stems, self._artists["beta"], self._artists["current_alpha"], self._dist_marks,
                      self._title)

    def _draw_alpha(self):
        alpha = self._values["alpha"]
        beta = self._solution.beta
        index = np.arange(1, beta.size + 1)
        self._stems.set_segments([[(i, 0.0), (i, b)] for i, b in zip(index, beta)])
        self._artists["beta"].set_data(index, beta)
        ylim = self._axes[1].get_ylim()
        self._artists["current_alpha"].set_data([alpha, alpha], ylim)
        far_l1, far_l2 = self._distances(beta)
        self._dist_marks.set_data([alpha, alpha], [max(far_l1[0], 1e-300), max(far_l2[0], 1e-300)])
        self._title.set_text(  # plain text: mathtext would be parsed again at every move
            f"α = {_format_alpha(alpha)}:   relative distance to min-ℓ1 {far_l1[0]:.2g},  to min-ℓ2 {far_l2[0]:.2g};"
            f"   ‖β^α‖₁ = {np.abs(beta).sum():.3g}  (min-ℓ1: {np.abs(self._min_l1).sum():.3g})")

    def _state(self):
        far_l1, far_l2 = self._distances(self._solution.beta)
        return {
            "problem": self._problem, "alpha": self._values["alpha"], "solution": self._solution,
            "beta": np.asarray(self._solution.beta), "min_l1": self._min_l1, "min_l2": self._min_l2,
            "distance_l1": float(far_l1[0]), "distance_l2": float(far_l2[0]),
            "alpha_grid": IMPLICIT_BIAS_ALPHA_GRID.copy(), "beta_grid": self._beta_grid.copy(),
            "coordinates": list(self._path_coordinates),
        }

    def _default_frames(self, control):
        if control == "alpha":
            return list(10.0 ** np.linspace(3, -6, 13))
        if control == "random_state":
            return list(range(10))
        return super()._default_frames(control)

    def _widgets(self):
        controls = {"alpha": _log_slider(self._values["alpha"], *self.ALPHA_RANGE, "α (init. scale)", step=0.1)}
        controls.update(_data_widgets(self._values))
        return controls

    def _layout_rows(self, controls):
        return [[controls["alpha"]],
                [controls[name] for name in ("n_samples", "n_features", "n_nonzero")],
                [controls["noise"], controls["random_state"]]]

    def _status_text(self):
        return f"{_regime(self._problem)}. The flow from u₀ = √2 α 1, v₀ = 0 converges to β^α."


# --------------------------------------------------------------------------------------------
# 3. Algorithm 1 against the Lasso path.
# --------------------------------------------------------------------------------------------


class LassoExplorer(_Explorer):
    r"""Algorithm 1's path, its time average and the Lasso path at :math:`\lambda=1/t`, on one time axis.

    Three panels against the accelerated time :math:`t`: the piecewise-constant limit
    :math:`\beta^\circ_t` of :func:`dlnlib.saddle_to_saddle` (dotted verticals: its jump times); its
    time average :math:`\bar\beta_t=\frac1t\int_0^t\beta^\circ` (``path.time_average``); and the
    Lasso solution :math:`\beta(\lambda)` at :math:`\lambda=1/t` (:func:`dlnlib.lasso_path`;
    dotted verticals: its knots :math:`1/\lambda_k`). Since :math:`-\nabla L(\bar\beta_t)=s_t/t`,
    the time average *is* the Lasso solution as long as no coordinate has left the support, and
    the jump times are the inverse Lasso knots; after a coordinate leaves they differ. A fourth
    panel shows the three vectors at the cursor time ``t``, which is marked on the other three.

    Controls: ``data`` (``"coordinates leave"``: :func:`dlnlib.three_coordinate_example`, where
    coordinate 3 leaves at :math:`t=13200/1561` and returns with the other sign; ``"no coordinate
    leaves"``: :data:`NO_LEAVE_DATA`; ``"random"``: :func:`dlnlib.sparse_regression` with the
    sizes given to the constructor and the seed ``random_state``), ``random_state`` and ``t``.
    When ``problem`` is given, ``data`` and ``random_state`` are fixed.

    Parameters
    ----------
    problem : Problem, optional
    data : {"coordinates leave", "no coordinate leaves", "random"}, default "coordinates leave"
    t : float, optional
        The cursor, between 0 and the end of the time axis; default: halfway between the first
        time a coordinate leaves and the next jump, or the middle of the axis if none leaves.
    random_state : int, default 0
        Seed of the random data.
    n_samples, n_features, n_nonzero, noise
        Sizes of the random data (default 6, 10, 3, 0: overparametrised, where coordinates
        often leave).
    t_max : float, optional
        End of the time axis; default 1.25 times the last jump time.

    Attributes
    ----------
    state : dict
        ``problem``, ``path``, ``lasso``, ``t``, ``t_max``, ``coordinates``, ``leave_times``
        (times at which some coordinate leaves), ``vectors`` (``"saddle"``, ``"time_average"``,
        ``"lasso"`` at the cursor, each shape (d,)), ``difference`` (the norm of time average
        minus Lasso at the cursor), and ``lines``: ``"saddle_{i}"``, ``"average_{i}"``,
        ``"lasso_{i}"`` for the drawn coordinates (the last two on the same time grid),
        ``"jump_{k}"``, ``"knot_{k}"`` and ``"cursor_{panel}"``.
    figure : matplotlib.figure.Figure

    Examples
    --------
    >>> from dlnlib.widgets import LassoExplorer
    >>> explorer = LassoExplorer(data="coordinates leave", t=10.0)
    >>> round(explorer.state["difference"], 2) > 0        # coordinate 3 has left: no match
    True
    >>> explorer.set(data="no coordinate leaves").state["difference"] < 1e-10
    True
    >>> html = explorer.to_jshtml()  # the cursor t over the time axis, for the static book
    """

    _control_names = ("data", "random_state", "t")
    _data_controls = ("data", "random_state")
    _default_control = "t"

    #: The data choices.
    DATA = ("coordinates leave", "no coordinate leaves", "random")

    def __init__(self, problem=None, *, data="coordinates leave", t=None, random_state=0,
                 n_samples=6, n_features=10, n_nonzero=3, noise=0.0, t_max=None):
        sizes = {"n_samples": n_samples, "n_features": n_features, "n_nonzero": n_nonzero,
                 "noise": noise, "random_state": 0}
        _check_data_controls(sizes)
        self._sizes = sizes
        self._t_max_request = _check_t_max(t_max)
        super().__init__(problem, {"data": "custom" if problem is not None else data,
                                   "random_state": random_state, "t": t})

    def _validate(self, values, changed):
        if self._fixed_problem is None and values["data"] not in self.DATA:
            raise ValueError(f"data must be one of {', '.join(map(repr, self.DATA))}; got {values['data']!r}")
        values["random_state"] = _check_int(values["random_state"], "random_state", *_SEED_RANGE)
        problem, path, lasso, t_max = self._problem_data(values)
        if values["t"] is None or ("t" not in changed and changed & set(self._data_controls)):
            values["t"] = _default_cursor(path, t_max)
        values["t"] = _check_real(values["t"], "t", 0.0, t_max)
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
                problem = sparse_regression(spec.pop("n_samples"), spec.pop("n_features"),
                                            spec.pop("n_nonzero"), **spec)
            else:
                s = self._sizes
                problem = sparse_regression(s["n_samples"], s["n_features"], s["n_nonzero"],
                                            noise=s["noise"], random_state=seed)
            path = saddle_to_saddle(problem)
            lasso = lasso_path(problem)
            last = path.times[-1]
            t_max = self._t_max_request or (TIME_MARGIN * last if last > 0 else 1.0)
            return problem, path, lasso, t_max

        return self._cached(key, compute)

    def _new_figure(self):
        figure = _make_figure((13, 3.6))
        grid = figure.add_gridspec(1, 4, width_ratios=[1, 1, 1, 0.9])
        first = figure.add_subplot(grid[0, 0])
        self._axes = [first, figure.add_subplot(grid[0, 1], sharey=first),
                      figure.add_subplot(grid[0, 2], sharey=first), figure.add_subplot(grid[0, 3])]
        figure.subplots_adjust(left=0.05, right=0.99, bottom=0.15, top=0.84, wspace=0.3)
        return figure

    def _update(self, changed):
        if changed & set(self._data_controls) or not self._artists:
            self._problem, self._path, self._lasso, self._t_max = self._problem_data(self._values)
            self._draw_problem()
        self._draw_cursor()

    def _lasso_at(self, t):
        """The Lasso solution at lambda = 1/t (zero at t = 0, where lambda is infinite)."""
        t = np.atleast_1d(np.asarray(t, dtype=float))
        out = np.zeros((t.size, self._problem.n_features))
        positive = t > 0
        if np.any(positive):
            out[positive] = np.atleast_2d(self._lasso.coef_at(1.0 / t[positive]))
        return out

    def _draw_problem(self):
        path, lasso, t_max = self._path, self._lasso, self._t_max
        ax_saddle, ax_average, ax_lasso, ax_bars = self._axes
        self._reset_drawing()
        knots = 1.0 / lasso.lambdas[lasso.lambdas > 0]
        corners = np.concatenate([path.times, knots])
        t_grid = np.union1d(np.linspace(0.0, t_max, LASSO_TIME_POINTS), corners[corners <= t_max])
        average = path.time_average(t_grid)
        lasso_coefs = self._lasso_at(t_grid)
        self._coordinates = plotting.pick_coordinates(np.vstack([path.saddles, lasso.coefs]), limit=MAX_COORDINATES)
        lines = _new_lines(ax_saddle, lambda: plotting.plot_coordinates(
            path, ax_saddle, coordinates=self._coordinates, t_max=t_max, linewidth=1.6))
        self._artists.update({f"saddle_{i}": line for i, line in zip(self._coordinates, lines)})
        for i in self._coordinates:
            (self._artists[f"average_{i}"],) = ax_average.plot(t_grid, average[:, i], color=f"C{i % 10}",
                                                               linewidth=1.6)
            (self._artists[f"lasso_{i}"],) = ax_lasso.plot(t_grid, lasso_coefs[:, i], color=f"C{i % 10}",
                                                           linewidth=1.6)
        jumps = _new_lines(ax_saddle, lambda: plotting.mark_jumps(path, ax_saddle, label=False))
        self._artists.update({f"jump_{k}": line for k, line in enumerate(jumps, start=1)})
        plotting.mark_jumps(path, ax_average, label=False)
        for k, knot in enumerate(knots, start=1):
            self._artists[f"knot_{k}"] = ax_lasso.axvline(knot, color="C7", linestyle=":", linewidth=1.0)
        for name, ax in zip(("saddle", "average", "lasso"), self._axes[:3]):
            self._artists[f"cursor_{name}"] = ax.axvline(0.0, color="k", linewidth=1.0)
            ax.set_xlim(0, t_max)
            ax.set_xlabel("accelerated time $t$" if name != "lasso" else r"$t=1/\lambda$")
            ax.axhline(0, color="0.7", linewidth=0.6, zorder=0)
        ax_saddle.set_title(r"Algorithm 1: $\beta^\circ_t$ (jumps dotted)", fontsize=10)
        ax_average.set_title(r"time average $\bar\beta_t=\frac{1}{t}\int_0^t\beta^\circ$", fontsize=10)
        ax_lasso.set_title(r"Lasso $\beta(\lambda=1/t)$ (knots $1/\lambda_k$ dotted)", fontsize=10)
        ax_saddle.set_ylabel(r"coefficients")
        if len(self._coordinates) <= 6:
            ax_saddle.legend(loc="best", fontsize=8)
        everything = np.concatenate([path.saddles[:, self._coordinates].ravel(),
                                     lasso.coefs[:, self._coordinates].ravel(), [0.0]])
        ax_saddle.set_ylim(*_padded_limits(everything))
        # the three vectors at the cursor, as grouped bars
        m = len(self._coordinates)
        positions = np.arange(m)
        width = 0.27
        self._bars = {}
        for offset, (name, color, label) in zip(
                (-width, 0.0, width),
                (("saddle", "0.35", r"$\beta^\circ_t$"), ("time_average", "C0", r"$\bar\beta_t$"),
                 ("lasso", "C3", r"Lasso $\beta(1/t)$"))):
            self._bars[name] = ax_bars.bar(positions + offset, np.zeros(m), width, color=color, label=label)
        ax_bars.set_xticks(positions, [str(i + 1) for i in self._coordinates])
        ax_bars.set_xlabel("coordinate $i$")
        ax_bars.set_ylim(*ax_saddle.get_ylim())
        ax_bars.axhline(0, color="0.5", linewidth=0.6)
        ax_bars.legend(loc="upper right", fontsize=8)
        self._bars_title = ax_bars.set_title("", fontsize=10)
        self._title = self.figure.suptitle("", fontsize=10)
        self._animate(*(self._artists[f"cursor_{name}"] for name in ("saddle", "average", "lasso")),
                      *(bar for bars in self._bars.values() for bar in bars), self._bars_title, self._title)

    def _vectors(self, t):
        return {
            "saddle": np.asarray(self._path.beta_at(t), dtype=float),
            "time_average": np.asarray(self._path.time_average(t), dtype=float),
            "lasso": self._lasso_at(t)[0],
        }

    def _draw_cursor(self):
        t = self._values["t"]
        for name in ("saddle", "average", "lasso"):
            self._artists[f"cursor_{name}"].set_xdata([t, t])
        vectors = self._vectors(t)
        for name, bars in self._bars.items():
            for bar, i in zip(bars, self._coordinates):
                bar.set_height(vectors[name][i])
        self._bars_title.set_text(f"at t = {t:.3g} (λ = {1 / t:.3g})" if t > 0 else "at t = 0")
        difference = float(np.linalg.norm(vectors["time_average"] - vectors["lasso"]))
        leaves = _leave_times(self._path)
        note = (f"coordinates leave at t = {', '.join(f'{x:.3g}' for x in leaves)}" if leaves
                else "no coordinate leaves: the time average is the Lasso path")
        self._title.set_text(f"t = {t:.3g}:   ‖time average − Lasso(λ = 1/t)‖ = {difference:.2g};   {note}")

    def _state(self):
        t = self._values["t"]
        vectors = self._vectors(t)
        return {
            "problem": self._problem, "path": self._path, "lasso": self._lasso, "t": t, "t_max": self._t_max,
            "coordinates": list(self._coordinates), "leave_times": _leave_times(self._path),
            "vectors": vectors,
            "difference": float(np.linalg.norm(vectors["time_average"] - vectors["lasso"])),
        }

    def _default_frames(self, control):
        if control == "t":
            return list(np.linspace(0.0, self._t_max, 17)[1:])
        if control == "data":
            return list(self.DATA[:2])
        if control == "random_state":
            return list(range(10))
        return super()._default_frames(control)

    def _widgets(self):
        style = {"description_width": "initial"}
        return {
            "data": ipywidgets.Dropdown(options=self.DATA if self._fixed_problem is None else ("custom",),
                                        value=self._values["data"], description="data", style=style),
            "random_state": ipywidgets.BoundedIntText(value=self._values["random_state"], min=0,
                                                      max=2**31 - 1, description="seed (random data)",
                                                      style=style),
            "t": ipywidgets.FloatSlider(value=self._values["t"], min=0.0, max=self._t_max,
                                        step=self._t_max / 200, description="time t", readout_format=".3g",
                                        continuous_update=False, style=style),
        }

    def _sync_control(self, name, control):
        if name == "t":
            control.max = max(self._t_max, control.min)
            control.step = self._t_max / 200
        if name == "random_state" and self._fixed_problem is None:
            control.disabled = self._values["data"] != "random"
        super()._sync_control(name, control)

    def _status_text(self):
        return f"{_regime(self._problem)}; Algorithm 1: {self._path.n_jumps} jumps. Accelerated clock."


def _leave_times(path):
    return [float(t) for t, left in zip(path.times[1:], path.left) if len(left)]


def _default_cursor(path, t_max):
    """Halfway between the first exit and the next jump (where the Lasso match fails), else mid-axis."""
    for k, left in enumerate(path.left, start=1):
        if len(left):
            after = path.times[k + 1] if k + 1 < len(path.times) else t_max
            return float(min(0.5 * (path.times[k] + after), t_max))
    return 0.5 * t_max
