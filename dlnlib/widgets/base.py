r"""What every explorer shares: its controls, caching, the live widget, the offline player.

An explorer is a figure plus a set of named *controls*. Each control is declared once, as a
:class:`Control`, and that declaration is the only place its range lives: ``set`` validates
against it, the live widget's slider takes its bounds from it, and ``control_range`` reports
it. A subclass declares its controls and its figure and implements

- ``_validate(values, changed)``: check values that depend on each other or on the data, and
  compute what the drawing needs (results are cached);
- ``_update(changed)``: redraw what depends on the controls that changed;
- ``_state()``, ``_status_text()`` and ``_default_frames(control)``.

Every update runs with BLAS on one thread (:func:`dlnlib._blas.one_blas_thread`): the
explorers' matrices are small, and there threads cost more than they save (measured on 2
shared cores: a flow at n = 200, d = 400 took 1.8 s with the default threads, 0.12 s with one).
"""

import importlib.util
import numbers
import os
import sys
from collections import OrderedDict

import numpy as np

from .._blas import one_blas_thread
from ..problem import Problem, sparse_regression
from . import _render as render

__all__ = ["JUMP_SHARE", "MODE_VARIABLE", "PLAYER_FPS", "PLAYER_FRAMES", "SEED_RANGE", "TIME_MARGIN", "Control",
           "Explorer", "live_mode", "time_axis_end"]

#: Environment variable that chooses what :meth:`Explorer.view` shows: ``static`` (the offline
#: player; the book build sets it) or ``live`` (the widget). Unset: the widget in a Jupyter
#: kernel that has ipywidgets, the player anywhere else.
MODE_VARIABLE = "DLNLIB_WIDGETS"

#: Number of cached results per explorer (flows at different alpha, problems at different data).
CACHE_SIZE = 32

#: Seeds accepted by the ``random_state`` controls (a 32-bit signed integer, as a widget holds it).
SEED_RANGE = (0, 2**31 - 1)

#: Frames of a default player over a continuous control: enough that scrubbing looks continuous,
#: few enough that a chapter with a player stays about 1-2 MB (each frame is 15-30 kB).
PLAYER_FRAMES = 48

#: Frames per second when a player plays.
PLAYER_FPS = 8

#: A default time axis ends this factor past the last jump that matters.
TIME_MARGIN = 1.25

#: A jump *matters* for the default time axis when it removes at least this share of the loss
#: decrease along the whole path. With noise, the flow goes on to interpolate it with many late,
#: small jumps (on ``sparse_regression(50, 100, 5, noise=0.1)``: 70-80 jumps up to t ~ 1e3-1e4);
#: an axis to the last of them squashes the jumps that fit the signal into a few pixels. With
#: this share the axis ends after the five signal jumps (seeds 0-2), and at noise 1 after the
#: jumps whose fit of the noise removes a visible part of the loss.
JUMP_SHARE = 0.01


def live_mode():
    """Whether explorers show their live widget (``True``) or an offline player (``False``).

    ``True`` in a Jupyter kernel where ipywidgets is installed, ``False`` elsewhere (a script, a
    kernel without ipywidgets). The environment variable :data:`MODE_VARIABLE` overrides this:
    ``static`` forces the player (the HTML book's build sets it, so the same chapter cell shows
    a player in the book and the live explorer in Jupyter), ``live`` forces the widget.

    Returns
    -------
    bool
        Whether :meth:`Explorer.view` shows the live widget.

    Raises
    ------
    ValueError
        If :data:`MODE_VARIABLE` is set to something else than ``static`` or ``live``.

    Examples
    --------
    >>> import os
    >>> from dlnlib.widgets import live_mode
    >>> os.environ["DLNLIB_WIDGETS"] = "static"
    >>> live_mode()
    False
    >>> del os.environ["DLNLIB_WIDGETS"]
    >>> live_mode()  # not in a Jupyter kernel
    False
    """
    setting = os.environ.get(MODE_VARIABLE, "").strip().lower()
    if setting:
        if setting not in ("static", "live"):
            raise ValueError(f"the environment variable {MODE_VARIABLE} must be 'static' or 'live'; got {setting!r}")
        return setting == "live"
    return _in_kernel() and importlib.util.find_spec("ipywidgets") is not None


def _in_kernel():
    """True inside a Jupyter (IPython) kernel; IPython is already imported there."""
    if "IPython" not in sys.modules:
        return False
    shell = sys.modules["IPython"].get_ipython()
    return shell is not None and getattr(shell, "kernel", None) is not None


class Control:
    """One control of an explorer, and the single source of its range.

    Parameters
    ----------
    name : str
        The keyword of ``set``.
    kind : {"log", "real", "int", "seed", "choice", "bool", "alphas", "auto"}
        ``log``: a float on a logarithmic slider; ``real``: a float slider; ``int``: an integer
        slider; ``seed``: an integer box; ``choice``: one of ``options``; ``bool``: a checkbox;
        ``alphas``: a tuple of at most ``limit`` floats, each in the range; ``auto``: ``None``
        (chosen by the explorer) or a float in the range.
    label : str
        What the widget shows next to the control.
    low, high : float, optional
        The range (inclusive). An explorer may narrow it with the data (``_range``).
    options : tuple, optional
        For ``choice``.
    step : float, optional
        Slider step (for ``log``: in decades).
    data : bool, default False
        A control of the random data, fixed when the explorer is given a problem.
    limit : int, optional
        For ``alphas``: at most this many values.

    Examples
    --------
    >>> from dlnlib.widgets.base import Control
    >>> n = Control("n_samples", "int", "n (samples)", low=2, high=200)
    >>> n.check(50, n.low, n.high)
    50
    >>> n.check(450, n.low, n.high)
    Traceback (most recent call last):
    ...
    ValueError: n_samples must be an integer between 2 and 200; got 450
    """

    KINDS = ("log", "real", "int", "seed", "choice", "bool", "alphas", "auto")

    def __init__(self, name, kind, label, *, low=None, high=None, options=(), step=None, data=False, limit=None):
        if kind not in self.KINDS:
            raise ValueError(f"kind must be one of {self.KINDS}; got {kind!r}")
        self.name, self.kind, self.label = name, kind, label
        self.low, self.high, self.options, self.step = low, high, tuple(options), step
        self.data, self.limit = data, limit

    def __repr__(self):
        return f"Control({self.name!r}, {self.kind!r})"

    def check(self, value, low, high):
        """Validate a value of this control against a range.

        Parameters
        ----------
        value : object
            The value given to ``set``.
        low, high : float or None
            The range to check against (the explorer's current one; ignored for a choice or a
            bool).

        Returns
        -------
        object
            The value normalised: a float, an int, a bool, a sorted tuple of floats, or None.

        Raises
        ------
        ValueError
            If the value is not of the control's kind or not in the range; the message names
            the control and what is allowed.

        Examples
        --------
        >>> from dlnlib.widgets.base import Control
        >>> Control("other_alphas", "alphas", "more α", low=1e-100, high=0.1, limit=4).check([1e-5, 1e-2], 1e-100, 0.1)
        (0.01, 1e-05)
        """
        name, kind = self.name, self.kind
        if kind == "choice":
            if value not in self.options:
                raise ValueError(f"{name} must be one of {', '.join(map(repr, self.options))}; got {value!r}")
            return value
        if kind == "bool":
            if not isinstance(value, (bool, np.bool_)):
                raise ValueError(f"{name} must be True or False; got {value!r}")
            return bool(value)
        if kind in ("int", "seed"):
            is_integer = isinstance(value, numbers.Integral) and not isinstance(value, (bool, np.bool_))
            if not is_integer or not low <= value <= high:
                raise ValueError(f"{name} must be an integer between {low} and {high}; got {value!r}")
            return int(value)
        if kind == "alphas":
            try:
                values = tuple(value)
            except TypeError:
                raise ValueError(f"{name} must be a sequence of numbers; got {value!r}") from None
            if len(values) > self.limit:
                raise ValueError(f"{name} holds at most {self.limit} values; got {len(values)}")
            checked = {self._number(v, low, high) for v in values}
            return tuple(sorted(checked, reverse=True))
        if kind == "auto" and value is None:
            return None
        return self._number(value, low, high)

    def _number(self, value, low, high):
        if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Real) or not np.isfinite(value):
            raise ValueError(f"{self.name} must be a number between {low:g} and {high:g}; got {value!r}")
        if not low <= value <= high:
            raise ValueError(f"{self.name} must be between {low:g} and {high:g}; got {value!r}")
        return float(value)


_MISSING = object()


def _same(a, b):
    if a is _MISSING or b is _MISSING:
        return False
    try:
        return bool(a == b)
    except (TypeError, ValueError):
        return False


def _changed(new, old):
    """The names in ``new`` whose value differs from ``old``'s (or that ``old`` lacks)."""
    return {name for name in new if not _same(new[name], old.get(name, _MISSING))}


class Explorer:
    """Base class of the explorers: controls, validation, caching, rendering, live widget, player.

    Parameters
    ----------
    problem : Problem or None
        The data to show, or None for random data from the explorer's data controls.
    values : dict
        A value for every control, by name.

    Raises
    ------
    ValueError
        If ``problem`` is not a :class:`~dlnlib.Problem` or a value is not allowed.

    Examples
    --------
    Every explorer is one; :class:`~dlnlib.widgets.LassoExplorer` here:

    >>> from dlnlib.widgets import LassoExplorer
    >>> explorer = LassoExplorer()
    >>> explorer.controls
    ('data', 'random_state', 't')
    >>> explorer.control_range("t")  # 0 to the end of the time axis
    (0.0, 25.0)
    >>> explorer.set(t=5.0).values["t"]
    5.0
    """

    #: The controls, in the order the widget lists them.
    CONTROLS = ()
    #: Rows of control names, as the widget lays them out.
    ROWS = ()
    #: The control a player scrubs by default.
    MAIN_CONTROL = None
    #: Figure height in inches (the width is :data:`render.FIGURE_WIDTH`: narrow, readable on a phone).
    HEIGHT = 6.6

    def __init__(self, problem, values):
        if problem is not None and not isinstance(problem, Problem):
            raise ValueError(f"problem must be None or a dlnlib.Problem; got {type(problem).__name__}")
        self._fixed_problem = problem
        self._spec = {control.name: control for control in self.CONTROLS}
        self._values = {}
        self._cache = OrderedDict()
        self._live = None
        self._notes = []  # what the last update wants the reader to know (a failed solve...)
        self.figure = render.new_figure(self.HEIGHT)
        self._blitter = render.Blitter(self.figure)
        self._build_figure()
        with one_blas_thread():
            self._apply(self._validate(dict(values), set(values)))

    # ---- public interface -------------------------------------------------------------------

    @property
    def values(self):
        """The current control values.

        Returns
        -------
        dict
            A new dict, control name -> value.

        Examples
        --------
        >>> from dlnlib.widgets import LassoExplorer
        >>> LassoExplorer(t=3.0).values["t"]
        3.0
        """
        return dict(self._values)

    @property
    def controls(self):
        """The names of the controls ``set`` accepts.

        Returns
        -------
        tuple of str
            In the widget's order; without the data controls when a problem was given.

        Examples
        --------
        >>> import dlnlib
        >>> from dlnlib.widgets import ImplicitBiasExplorer
        >>> ImplicitBiasExplorer(dlnlib.three_coordinate_example()).controls
        ('alpha',)
        """
        return tuple(c.name for c in self.CONTROLS if not (c.data and self._fixed_problem is not None))

    def control_range(self, name):
        """The values ``set`` accepts for control ``name`` now: ``(low, high)``, or the options of a choice.

        Ranges can depend on the data (the cursor time of :class:`LassoExplorer`, the axis end of
        :class:`DynamicsExplorer`) and on other controls (``n_nonzero`` at most ``n_features``);
        the live widget's sliders use exactly these bounds.

        Parameters
        ----------
        name : str
            A control's name.

        Returns
        -------
        tuple
            ``(low, high)`` for a number, the options for a choice, ``(False, True)`` for a bool.

        Raises
        ------
        ValueError
            If ``name`` is not a control.

        Examples
        --------
        >>> from dlnlib.widgets import DynamicsExplorer
        >>> DynamicsExplorer(n_samples=10, n_features=12).control_range("n_nonzero")
        (1, 12)
        """
        control = self._control(name)
        if control.kind == "choice":
            return control.options
        if control.kind == "bool":
            return (False, True)
        return self._range(name, self._values)

    def set(self, **values):
        """Set control values, recompute what depends on them and redraw.

        Parameters
        ----------
        **values
            Control values, by name (see :attr:`controls` and :meth:`control_range`); the
            others keep their values.

        Returns
        -------
        Explorer
            The explorer itself, so that calls chain: ``explorer.set(alpha=1e-5).state``.

        Raises
        ------
        ValueError
            If a name is not a control, a data control is set while the explorer shows a given
            problem, or a value is outside its range (the message names the control). Nothing
            changes then.

        Examples
        --------
        >>> from dlnlib.widgets import LassoExplorer
        >>> LassoExplorer().set(t=12.0).values["t"]
        12.0
        """
        with one_blas_thread():
            self._apply(self._merge(values))
        if self._live is not None:
            self._live.refresh()
        return self

    @property
    def status(self):
        """The status line: what the figure shows, and anything that went wrong in the last update.

        Returns
        -------
        str
            The text the live widget shows under its controls.

        Examples
        --------
        >>> from dlnlib.widgets import LassoExplorer
        >>> LassoExplorer().status.split(";")[0]
        'n = 3 ≥ d = 3: underparametrised (one least-squares fit)'
        """
        return " ".join([self._status_text(), *self._notes]).strip()

    @property
    def state(self):
        """What is drawn: the results, the control values, and ``lines``, the data of every line.

        ``lines`` maps a name to the ``(m, 2)`` array of ``(x, y)`` points of the line with that
        name, read back from the figure. The other keys are documented by each explorer.

        Returns
        -------
        dict
            A new dict; its arrays are copies.

        Examples
        --------
        >>> from dlnlib.widgets import LassoExplorer
        >>> LassoExplorer(t=10.0).state["lines"]["cursor_lasso"][:, 0].tolist()
        [10.0, 10.0]
        """
        state = dict(self._state())
        state["values"] = self.values
        state["status"] = self.status
        state["lines"] = {name: np.asarray(artist.get_xydata(), dtype=float).copy()
                          for name, artist in self._artists.items()}
        return state

    @property
    def widget(self):
        """The live ipywidgets interface: controls, a status line and the figure (built on first access).

        Returns
        -------
        ipywidgets.VBox
            The controls (their ranges are :meth:`control_range`), the status line and the image.

        Raises
        ------
        ImportError
            If ipywidgets is not installed (``pip install ipywidgets``).

        Examples
        --------
        >>> from dlnlib.widgets import LassoExplorer
        >>> box = LassoExplorer().widget
        >>> type(box).__name__
        'VBox'
        """
        if self._live is None:
            from ._controls import LiveView  # the only import of ipywidgets

            self._live = LiveView(self)
        return self._live.box

    def view(self, values=None, control=None, **player_options):
        """The live explorer in Jupyter, the offline player elsewhere: what a chapter's cell shows.

        In a Jupyter kernel with ipywidgets (see :func:`live_mode`) this returns the explorer
        itself, which Jupyter displays as the live widget; in the HTML book's build (where
        ``DLNLIB_WIDGETS=static``) and outside Jupyter it returns :meth:`static_view`.

        Parameters
        ----------
        values : sequence, optional
            For :meth:`static_view` (ignored by the live widget).
        control : str, optional
            For :meth:`static_view` (ignored by the live widget).
        **player_options
            For :meth:`to_jshtml` (ignored by the live widget).

        Returns
        -------
        Explorer or IPython.display.HTML
            What Jupyter then shows.

        Examples
        --------
        >>> from dlnlib.widgets import LassoExplorer
        >>> type(LassoExplorer().view([5.0, 10.0])).__name__  # not in Jupyter here: the player
        'HTML'
        """
        if live_mode():
            return self
        return self.static_view(values, control, **player_options)

    def _ipython_display_(self):
        from IPython.display import display

        display(self.widget if live_mode() else self.static_view())

    def to_jshtml(self, values=None, control=None, *, fps=PLAYER_FPS, dpi=render.PLAYER_DPI):
        """A self-contained HTML player of the figure over a grid of values of one control.

        Each frame is drawn exactly as the live explorer draws it and embedded as a PNG
        (``FuncAnimation.to_jshtml`` of ``matplotlib.animation``, frames quantised to a palette). The
        player has a slider and play buttons, and needs no Python and no network.

        Parameters
        ----------
        values : sequence, optional
            The control values, one per frame. Default: :data:`PLAYER_FRAMES` values over the
            control's range for a continuous control, its options or ten seeds otherwise.
        control : str, optional
            The control to scrub; default the explorer's main one.
        fps : float, default :data:`PLAYER_FPS`
            Frames per second when played.
        dpi : float, default 100
            Resolution of the frames (``_render.PLAYER_DPI``).

        Returns
        -------
        str
            HTML (a ``<div>`` with the player, its script and its style).

        Raises
        ------
        ValueError
            If ``control`` is not a control or a value is out of its range.

        Examples
        --------
        >>> from dlnlib.widgets import LassoExplorer
        >>> LassoExplorer().to_jshtml([5.0, 10.0]).count("data:image/png")
        2
        """
        control = self.MAIN_CONTROL if control is None else control
        if control not in self.controls:
            raise ValueError(f"control must be one of {', '.join(map(repr, self.controls))}; got {control!r}")
        values = self._default_frames(control) if values is None else list(values)
        if len(values) == 0:
            raise ValueError("values must hold at least one value of the control")
        original = self.values
        with one_blas_thread():
            frames = [self._merge({control: value}) for value in values]

            def draw_frame(k):
                self._apply(frames[k])

            try:
                html = render.player_html(self._blitter, draw_frame, len(frames), fps=fps, dpi=dpi,
                                          alt=self._alt_text(control))
            finally:
                self._apply(original)
        return html

    def static_view(self, values=None, control=None, *, note=True, **player_options):
        """:meth:`to_jshtml` as an ``IPython.display.HTML`` object, in a card with a note on the live version.

        The card has its own light colours, so the player and its note read the same in a light
        or a dark page theme.

        Parameters
        ----------
        values : sequence, optional
            The control values, one per frame (see :meth:`to_jshtml`).
        control : str, optional
            The control to scrub; default the explorer's main one.
        note : bool, default True
            Add the note on how to get the live explorer.
        **player_options
            Passed to :meth:`to_jshtml` (``fps``, ``dpi``).

        Returns
        -------
        IPython.display.HTML
            The card; Jupyter and the book's build display it.

        Examples
        --------
        >>> from dlnlib.widgets import LassoExplorer
        >>> "live <code>LassoExplorer</code>" in LassoExplorer().static_view([5.0]).data
        True
        """
        from IPython.display import HTML

        player = self.to_jshtml(values, control, **player_options)
        return HTML(render.player_card(player, self._live_note() if note else ""))

    # ---- machinery ----------------------------------------------------------------------------

    def _control(self, name):
        if name not in self._spec:
            raise ValueError(f"{name!r} is not a control of {type(self).__name__}; "
                             f"the controls are {', '.join(self.controls)}")
        return self._spec[name]

    def _range(self, name, values):
        """The current ``(low, high)`` of a numeric control; subclasses narrow it with the data."""
        control = self._spec[name]
        return control.low, control.high

    def _merge(self, values):
        for name in values:
            control = self._control(name)
            if control.data and self._fixed_problem is not None:
                raise ValueError(
                    f"{name} cannot be set: this {type(self).__name__} shows the problem it was given; "
                    "create one without a problem to explore random data"
                )
        merged = {**self._values, **values}
        return self._validate(merged, _changed(values, self._values))

    def _check_controls(self, values, names=None):
        """Check each control (in declaration order, so that ranges may depend on earlier ones)."""
        for control in self.CONTROLS:
            if names is None or control.name in names:
                low, high = (None, None) if control.kind in ("choice", "bool") else self._range(control.name, values)
                values[control.name] = control.check(values[control.name], low, high)
        return values

    def _apply(self, values):
        changed = _changed(values, self._values)
        self._values = dict(values)
        if changed:
            self._notes = []
            self._update(changed)

    def _cached(self, key, compute):
        if key in self._cache:
            self._cache.move_to_end(key)
            return self._cache[key]
        value = compute()
        self._cache[key] = value
        if len(self._cache) > CACHE_SIZE:
            self._cache.popitem(last=False)
        return value

    def _data_key(self, values):
        """What identifies the data in cache keys (never ``id(problem)``: ids are reused once freed)."""
        if self._fixed_problem is not None:
            return ("given",)
        return tuple(values[name] for name in ("n_samples", "n_features", "n_nonzero", "noise", "random_state"))

    def _problem(self, values):
        """The problem to show: the given one, or random data from the data controls (cached)."""
        if self._fixed_problem is not None:
            return self._fixed_problem
        n, d, s, noise, seed = self._data_key(values)
        return self._cached(("problem", n, d, s, noise, seed),
                            lambda: sparse_regression(n, d, s, noise=noise, random_state=seed))

    def _default_frames(self, control):
        spec = self._spec[control]
        if spec.kind == "choice":
            return list(spec.options)
        if spec.kind == "bool":
            return [False, True]
        if spec.kind == "seed":
            return list(range(10))
        low, high = self._range(control, self._values)
        if spec.kind == "log":
            return list(np.geomspace(high, low, PLAYER_FRAMES))
        if spec.kind == "int":
            return sorted({int(round(v)) for v in np.linspace(low, high, PLAYER_FRAMES)})
        if spec.kind == "real":
            return list(np.linspace(low, high, PLAYER_FRAMES))
        raise ValueError(f"to_jshtml has no default frames for {control!r}; pass values=")

    def _png(self):
        """The figure as PNG bytes, as the live widget shows it (animated artists blitted)."""
        return self._blitter.png()

    def _alt_text(self, control):
        label = self._spec[control].label
        return f"{type(self).__name__}: {self._figure_description()}, one frame per value of {label}."

    def _live_note(self):
        name = type(self).__name__
        if _in_kernel() and importlib.util.find_spec("ipywidgets") is None:
            return ("This is a precomputed player, because ipywidgets is not installed here: install it "
                    "(<code>pip install ipywidgets</code>) and run the cell again for the live explorer.")
        labels = ", ".join(c.label for c in self.CONTROLS if c.name in self.controls)
        return ("A precomputed player: drag its slider or press &#x25B6;. Run this chapter in Jupyter and the same "
                f"cell shows the live <code>{name}</code>, with controls for {labels}.")

    # ---- hooks ---------------------------------------------------------------------------------

    def _build_figure(self):
        raise NotImplementedError

    def _validate(self, values, changed):
        return self._check_controls(values)

    def _update(self, changed):
        raise NotImplementedError

    def _state(self):
        return {}

    def _status_text(self):
        return ""

    def _figure_description(self):
        return "the figure"


def _data_controls(*, max_samples, max_features, max_nonzero, max_noise):
    """The controls of :func:`dlnlib.sparse_regression`, with the largest values an explorer allows.

    Examples
    --------
    >>> from dlnlib.widgets.base import _data_controls
    >>> [control.name for control in _data_controls(max_samples=200, max_features=400, max_nonzero=40, max_noise=1.0)]
    ['n_samples', 'n_features', 'n_nonzero', 'noise', 'random_state']
    """
    return (
        Control("n_samples", "int", "n (samples)", low=2, high=max_samples, data=True),
        Control("n_features", "int", "d (features)", low=2, high=max_features, data=True),
        Control("n_nonzero", "int", "non-zeros of β*", low=1, high=max_nonzero, data=True),
        Control("noise", "real", "noise σ", low=0.0, high=max_noise, step=0.05, data=True),
        Control("random_state", "seed", "seed", low=SEED_RANGE[0], high=SEED_RANGE[1], data=True),
    )


def time_axis_end(path):
    """:data:`TIME_MARGIN` times the last jump time that removes at least :data:`JUMP_SHARE` of the loss decrease.

    Parameters
    ----------
    path : SaddlePath
        The result of :func:`dlnlib.saddle_to_saddle`.

    Returns
    -------
    float
        The end of the time axis (accelerated clock); 1.0 for a path without jumps.

    Examples
    --------
    >>> import dlnlib
    >>> from dlnlib.widgets.base import time_axis_end
    >>> path = dlnlib.saddle_to_saddle(dlnlib.three_coordinate_example())
    >>> path.times[-1], time_axis_end(path)  # every jump matters here
    (np.float64(20.0), 25.0)
    """
    losses = np.asarray(path.losses, dtype=float)
    total = losses[0] - losses[-1]
    if len(losses) < 2 or not total > 0:
        return 1.0
    matters = np.flatnonzero(losses[:-1] - losses[1:] >= JUMP_SHARE * total)
    return TIME_MARGIN * float(path.times[matters[-1] + 1])


def _regime(problem):
    """One phrase: over- or underparametrised, with n and d.

    Examples
    --------
    >>> import dlnlib
    >>> from dlnlib.widgets.base import _regime
    >>> _regime(dlnlib.sparse_regression(20, 40, 3, random_state=0))
    'n = 20 < d = 40: overparametrised (many interpolators)'
    """
    n, d = problem.X.shape
    if d > n:
        return f"n = {n} < d = {d}: overparametrised (many interpolators)"
    return f"n = {n} ≥ d = {d}: underparametrised (one least-squares fit)"
