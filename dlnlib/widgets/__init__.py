r"""Interactive explorers: move the initialisation scale or the data and watch the dynamics change.

Three explorers, each a small object that a chapter opens in one line and that code (and tests)
can drive:

- :class:`DynamicsExplorer`: the gradient flow against Algorithm 1's saddles and jump times, on
  the accelerated clock :math:`\tilde t=t/\log(1/\alpha)` or the raw one, for :math:`\alpha` from
  :math:`10^{-1}` down to :math:`10^{-100}` (several at once), with a gradient-descent overlay;
- :class:`ImplicitBiasExplorer`: the limit :math:`\beta^\alpha_\infty` of the flow moving from the
  minimum-:math:`\ell_2` solution (large :math:`\alpha`) to the minimum-:math:`\ell_1` one (small
  :math:`\alpha`);
- :class:`LassoExplorer`: Algorithm 1's piecewise-constant path, its time average
  :math:`\bar\beta_t=\frac1t\int_0^t\beta^\circ` and the Lasso path at :math:`\lambda=1/t`.

Every explorer has the same interface:

- ``explorer.set(name=value, ...)`` validates the values, recomputes only what depends on the
  controls that moved, and redraws only what changed; ``explorer.control_range(name)`` is the
  range ``set`` accepts, and the live sliders use exactly that range;
- ``explorer.values`` holds the control values, ``explorer.status`` the status line, and
  ``explorer.state`` what is drawn (the results and the data of every line, read back from the
  figure);
- ``explorer.view(...)`` is what a chapter's cell ends with: the live widget in Jupyter, an
  offline player in the HTML book (see :func:`live_mode`);
- ``explorer.widget`` is the live ipywidgets interface (controls, status line, the figure as a
  PNG); ``explorer.to_jshtml(values, control=...)`` and ``explorer.static_view(...)`` build the
  self-contained HTML player over a grid of one control.

The package is split by concern: :mod:`~dlnlib.widgets.base` (controls, caching, the shared
interface), ``_render`` (figure, blitting, the player; matplotlib only), ``_controls`` (the only
module that imports ipywidgets, and only when a live widget is asked for), and one module per
explorer. ``import dlnlib.widgets`` and building a player do not import ipywidgets. Times follow
the library's conventions: loss :math:`L(\beta)=\frac1{2n}\lVert X\beta-y\rVert^2`, accelerated
clock unless said otherwise.
"""

from .base import MODE_VARIABLE, live_mode
from .dynamics import DynamicsExplorer
from .implicit_bias import ImplicitBiasExplorer
from .lasso import LassoExplorer

__all__ = ["MODE_VARIABLE", "DynamicsExplorer", "ImplicitBiasExplorer", "LassoExplorer", "live_mode"]
