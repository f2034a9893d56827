"""The live widget of an explorer: ipywidgets controls, a status line and the figure as a PNG.

This is the only module of :mod:`dlnlib` that imports ipywidgets, and only
:attr:`Explorer.widget <dlnlib.widgets.base.Explorer.widget>` imports it. Each control's widget
takes its kind and bounds from the explorer's :class:`~dlnlib.widgets.base.Control` and
:meth:`~dlnlib.widgets.base.Explorer.control_range`, and is re-synchronised after every change,
from the widget or from code (``explorer.set``), together with the status line and the image.
"""

import html

import ipywidgets
import numpy as np

__all__ = ["LiveView"]

_STYLE = {"description_width": "initial"}


class LiveView:
    """The ipywidgets view of one explorer (``box`` is what Jupyter displays).

    Examples
    --------
    >>> from dlnlib.widgets import LassoExplorer
    >>> explorer = LassoExplorer()
    >>> live = explorer.widget            # builds the LiveView (imports ipywidgets)
    >>> explorer.set(t=5.0)._live.controls["t"].value
    5.0
    """

    def __init__(self, explorer):
        self.explorer = explorer
        self._syncing = False
        self.controls = {name: _make_widget(explorer._spec[name]) for name in explorer.controls}
        for name, widget in self.controls.items():
            widget.observe(self._on_change(name), names="value")
        self.status = ipywidgets.HTML()
        self.image = ipywidgets.Image(format="png", layout=ipywidgets.Layout(max_width="100%"))
        rows = [[self.controls[name] for name in row if name in self.controls] for row in explorer.ROWS]
        boxes = [ipywidgets.HBox(row, layout=ipywidgets.Layout(flex_flow="row wrap")) for row in rows if row]
        self.box = ipywidgets.VBox([*boxes, self.status, self.image])
        self.refresh()

    def refresh(self, error=None):
        """Show the explorer's values, ranges, status and figure (or ``error`` in the status line)."""
        self._syncing = True
        try:
            for name, widget in self.controls.items():
                _sync(widget, self.explorer._spec[name], self.explorer.values[name],
                      self.explorer.control_range(name))
        finally:
            self._syncing = False
        if error is not None:
            self.status.value = f'<span style="color:#b00020">{html.escape(error)}</span>'
            return
        self.status.value = html.escape(self.explorer.status)
        self.image.value = self.explorer._png()

    def _on_change(self, name):
        def callback(change):
            if self._syncing:
                return
            try:
                value = _parse(self.explorer._spec[name], change["new"], self.explorer.control_range(name))
                self.explorer.set(**{name: value})
            except ValueError as error:
                self.refresh(error=str(error))

        return callback


def _make_widget(control):
    kind, label = control.kind, control.label
    common = {"description": label, "style": _STYLE}
    if kind == "log":
        return ipywidgets.FloatLogSlider(base=10, step=control.step or 0.1, readout_format=".1e",
                                         continuous_update=False, **common)
    if kind == "real":
        return ipywidgets.FloatSlider(step=control.step or 0.05, readout_format=".3g", continuous_update=False,
                                      **common)
    if kind == "int":
        return ipywidgets.IntSlider(continuous_update=False, **common)
    if kind == "seed":
        return ipywidgets.BoundedIntText(**common, layout=ipywidgets.Layout(width="14em"))
    if kind == "choice":
        return ipywidgets.Dropdown(options=control.options, **common)
    if kind == "bool":
        return ipywidgets.Checkbox(indent=False, **common)
    # "alphas" and "auto": free text, parsed by _parse
    placeholder = "e.g. 1e-2, 1e-20" if kind == "alphas" else "auto, or a number"
    return ipywidgets.Text(placeholder=placeholder, continuous_update=False, **common,
                           layout=ipywidgets.Layout(width="18em"))


def _sync(widget, control, value, bounds):
    """Put the explorer's bounds and value into the widget (bounds first, so the value fits)."""
    kind = control.kind
    if kind in ("log", "real", "int", "seed"):
        low, high = bounds
        if kind == "log":
            low, high = np.log10(low), np.log10(high)
        if low > widget.max:
            widget.max = high
            widget.min = low
        else:
            widget.min = low
            widget.max = high
    shown = _format(control, value)
    if widget.value != shown:
        widget.value = shown


def _format(control, value):
    if control.kind == "alphas":
        return ", ".join(f"{v:.3g}" for v in value)
    if control.kind == "auto":
        return "auto" if value is None else f"{value:.4g}"
    return value


def _parse(control, value, bounds):
    """The widget's value as ``set`` takes it (text boxes are parsed, with a message naming the control)."""
    if control.kind == "log":
        # the browser computes 10**exponent: at the ends of the slider it can round just outside
        low, high = bounds
        return float(np.clip(value, low, high)) if low * (1 - 1e-9) <= value <= high * (1 + 1e-9) else value
    if control.kind not in ("alphas", "auto"):
        return value
    text = value.strip()
    if control.kind == "auto" and text.lower() in ("", "auto", "none"):
        return None
    try:
        numbers = [float(part) for part in text.replace(";", ",").replace(" ", ",").split(",") if part]
    except ValueError:
        raise ValueError(f"{control.name}: cannot read {value!r} as numbers") from None
    if control.kind == "auto":
        if len(numbers) != 1:
            raise ValueError(f"{control.name} must be 'auto' or one number; got {value!r}")
        return numbers[0]
    return tuple(numbers)
