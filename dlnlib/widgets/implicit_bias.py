r"""The implicit-bias explorer: the limit :math:`\beta^\alpha_\infty` of the flow as :math:`\alpha` moves."""

import warnings

import numpy as np
from matplotlib.collections import LineCollection
from matplotlib.lines import Line2D

from ..errors import ConvergenceWarning
from ..implicit_bias import implicit_bias_solution, min_l2_solution, walk_down
from ..lasso import min_l1_solution
from ..plotting import coordinate_colors, pick_coordinates
from . import _render as render
from .base import PLAYER_FRAMES, Control, Explorer, _data_controls, _regime
from .dynamics import MAX_COORDINATES

__all__ = ["IMPLICIT_BIAS_ALPHA_GRID", "ImplicitBiasExplorer"]

#: The path of :math:`\beta^\alpha` over alpha is drawn on this fixed grid (2 points per decade
#: from 1e3 to 1e-6: the path is smooth in log alpha), computed once per problem.
IMPLICIT_BIAS_ALPHA_GRID = 10.0 ** np.linspace(3, -6, 19)

_OTHER = "0.6"  # stems of the coordinates without a line in the path panel


class ImplicitBiasExplorer(Explorer):
    r"""The flow's limit :math:`\beta^\alpha_\infty`, between the min-:math:`\ell_2` and min-:math:`\ell_1` solutions.

    :math:`\beta^\alpha_\infty=\arg\min\{\phi_\alpha(\beta):\beta\in\arg\min L\}`
    (:func:`dlnlib.implicit_bias_solution`) tends to the minimum-:math:`\ell_2` solution as
    :math:`\alpha\to\infty` and to the minimum-:math:`\ell_1` solution as :math:`\alpha\to0`.
    Three panels: the coefficients of :math:`\beta^\alpha_\infty` (stems) with the
    minimum-:math:`\ell_2` (crosses) and minimum-:math:`\ell_1` (circles) solutions marked; the path
    of the largest coordinates over :math:`\alpha` (on :data:`IMPLICIT_BIAS_ALPHA_GRID`), with the
    current :math:`\alpha` marked; and the relative distances
    :math:`\lVert\beta^\alpha-\beta_{\ell_1}\rVert/\lVert\beta_{\ell_1}\rVert` and
    :math:`\lVert\beta^\alpha-\beta_{\ell_2}\rVert/\lVert\beta_{\ell_2}\rVert` over :math:`\alpha`.
    The coordinates of the path panel keep their colour (:func:`dlnlib.plotting.coordinate_colors`)
    in the stems; the other stems are grey.

    Controls: ``alpha`` (log slider, ``1e3`` down to ``1e-6``) and the data controls of
    :func:`dlnlib.sparse_regression` (fixed when ``problem`` is given); see :meth:`control_range`.

    Parameters
    ----------
    problem : Problem, optional
        Data to show; by default random sparse data from the data controls.
    alpha : float, default 1.0
        Initialisation scale, between ``1e-6`` and ``1e3``.
    n_samples, n_features, n_nonzero : int, default 15, 40, 3
        Shape of the random data and the number of non-zeros of :math:`\beta^\star`.
    noise : float, default 0
        Standard deviation of the label noise of the random data.
    random_state : int, default 0
        Seed of the random data.

    Attributes
    ----------
    state : dict
        ``problem``, ``alpha``, ``solution`` (the :class:`~dlnlib.ImplicitBiasSolution`),
        ``beta`` (shape (d,)), ``min_l1``, ``min_l2``, ``distance_l1``, ``distance_l2`` (relative,
        at the current alpha), ``alpha_grid``, ``beta_grid`` (shape (len(alpha_grid), d)),
        ``coordinates`` (drawn in the path panel), ``colors``, ``status``, and ``lines``:
        ``"beta"`` (stem heads: coordinate number from 1, value), ``"min_l1"``, ``"min_l2"``,
        ``"path_{i}"``, ``"distance_l1"``, ``"distance_l2"`` (over the grid), ``"current_alpha"``.
    figure : matplotlib.figure.Figure

    Examples
    --------
    >>> from dlnlib.widgets import ImplicitBiasExplorer
    >>> explorer = ImplicitBiasExplorer(alpha=1e-3)
    >>> explorer.set(alpha=1e-6).state["distance_l1"] < explorer.set(alpha=1e2).state["distance_l1"]
    True
    >>> html = explorer.to_jshtml([1e2, 1.0, 1e-2, 1e-4])  # a player, for the static book
    """

    ALPHA_RANGE = (1e-6, 1e3)

    CONTROLS = (
        *_data_controls(max_samples=100, max_features=200, max_nonzero=20, max_noise=1.0),
        Control("alpha", "log", "α (initial scale)", low=ALPHA_RANGE[0], high=ALPHA_RANGE[1], step=0.1),
    )
    ROWS = (("alpha",), ("n_samples", "n_features", "n_nonzero"), ("noise", "random_state"))
    MAIN_CONTROL = "alpha"
    HEIGHT = 7.0

    def __init__(self, problem=None, *, alpha=1.0, n_samples=15, n_features=40, n_nonzero=3, noise=0.0,
                 random_state=0):
        values = {"alpha": alpha, "n_samples": n_samples, "n_features": n_features, "n_nonzero": n_nonzero,
                  "noise": noise, "random_state": random_state}
        super().__init__(problem, values)

    def _range(self, name, values):
        if name == "n_nonzero":
            return 1, min(self._spec[name].high, values["n_features"])
        return super()._range(name, values)

    # ---- computation ----------------------------------------------------------------------------

    def _solve(self, problem, alpha):
        def compute():
            grid = self._problem_data(problem)[2]
            nearest = np.argmin(np.abs(np.log(IMPLICIT_BIAS_ALPHA_GRID / alpha)))
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always", ConvergenceWarning)
                solution = implicit_bias_solution(problem, alpha, start=grid[nearest])
            return solution, [str(w.message) for w in caught if issubclass(w.category, ConvergenceWarning)]

        return self._cached(("solution", self._data_key(self._values), alpha), compute)

    def _problem_data(self, problem):
        """The minimum-l1 and -l2 solutions and the solutions on the alpha grid (warm-started down the grid)."""
        def compute():
            min_l1 = np.asarray(min_l1_solution(problem))
            min_l2 = np.asarray(min_l2_solution(problem))
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", ConvergenceWarning)  # the current alpha's solve reports
                grid = walk_down(problem, IMPLICIT_BIAS_ALPHA_GRID)
            return min_l1, min_l2, grid

        return self._cached(("limits", self._data_key(self._values)), compute)

    def _update(self, changed):
        problem = self._problem(self._values)
        if problem is not getattr(self, "_problem_shown", None):
            self._problem_shown = problem
            self._min_l1, self._min_l2, grid = self._problem_data(problem)
            self._beta_grid = np.array([solution.beta for solution in grid])
            self._draw_problem()
        self._solution, messages = self._solve(problem, self._values["alpha"])
        self._notes += messages
        self._draw_alpha()

    def _distances(self, beta):
        beta = np.atleast_2d(beta)
        scale_l1 = max(np.linalg.norm(self._min_l1), 1e-300)
        scale_l2 = max(np.linalg.norm(self._min_l2), 1e-300)
        return (np.linalg.norm(beta - self._min_l1, axis=1) / scale_l1,
                np.linalg.norm(beta - self._min_l2, axis=1) / scale_l2)

    # ---- drawing ----------------------------------------------------------------------------------

    def _build_figure(self):
        figure = self.figure
        # the coefficients, a gap (row 1) for their axis label, then two panels sharing the alpha axis
        grid = render.panel_grid(figure, [1.15, 0.3, 1, 1], bottom=0.075, top=0.88, hspace=0.15)
        ax_coef = figure.add_subplot(grid[0])
        ax_path = figure.add_subplot(grid[2])
        ax_dist = figure.add_subplot(grid[3], sharex=ax_path)
        self._axes = [ax_coef, ax_path, ax_dist]
        render.style_axes(self._axes)
        ax_path.set_xscale("log")
        ax_path.set_xlim(IMPLICIT_BIAS_ALPHA_GRID[0], IMPLICIT_BIAS_ALPHA_GRID[-1])  # alpha decreases ->
        ax_path.tick_params(labelbottom=False)
        ax_dist.set_yscale("log")
        ax_coef.axhline(0, color="0.6", linewidth=0.8)
        ax_coef.set_xlabel("coordinate i", fontsize=render.LABEL_SIZE)
        ax_coef.set_ylabel("coefficient", fontsize=render.LABEL_SIZE)
        ax_path.set_ylabel(r"coordinates of $\beta^\alpha$", fontsize=render.LABEL_SIZE)
        ax_dist.set_xlabel("α (decreasing →)", fontsize=render.LABEL_SIZE)
        ax_dist.set_ylabel("rel. distance", fontsize=render.LABEL_SIZE)
        self._stems = LineCollection([], linewidths=1.3)
        ax_coef.add_collection(self._stems)
        self._heads = ax_coef.scatter([], [], s=14, zorder=3)
        self._heads_line = ax_coef.plot([], [], linestyle="none")[0]  # the stem heads, for state
        self._l2_marks = ax_coef.plot([], [], "x", color="0.25", markersize=6)[0]
        self._l1_marks = ax_coef.plot([], [], "o", markerfacecolor="none", markeredgecolor="#d62728",
                                      markersize=8)[0]
        self._paths = [ax_path.plot([], [], linewidth=1.6)[0] for _ in range(MAX_COORDINATES)]
        self._cursor = ax_path.plot([], [], color="k", linewidth=1.0, transform=ax_path.get_xaxis_transform())[0]
        self._distance_l1 = ax_dist.plot(IMPLICIT_BIAS_ALPHA_GRID, np.ones_like(IMPLICIT_BIAS_ALPHA_GRID),
                                         color="#d62728")[0]
        self._distance_l2 = ax_dist.plot(IMPLICIT_BIAS_ALPHA_GRID, np.ones_like(IMPLICIT_BIAS_ALPHA_GRID),
                                         color="0.25")[0]
        self._marks = ax_dist.plot([], [], "o", color="k", markersize=5)[0]
        self._title = render.figure_title(figure)
        self._blitter.animate(self._stems, self._heads, self._cursor, self._marks, self._title)
        self._blitter.stamp(render.side_legend(ax_coef, [
            Line2D([], [], marker="o", color="C0", markersize=4, label=r"$\beta^\alpha$"),
            Line2D([], [], marker="x", linestyle="none", color="0.25", label="min-ℓ2"),
            Line2D([], [], marker="o", linestyle="none", markerfacecolor="none", markeredgecolor="#d62728",
                   label="min-ℓ1")]))
        self._blitter.stamp(render.side_legend(ax_dist, [Line2D([], [], color="#d62728", label="to min-ℓ1"),
                                                         Line2D([], [], color="0.25", label="to min-ℓ2")]))
        self._path_legend = None

    def _draw_problem(self):
        ax_coef, ax_path, ax_dist = self._axes
        self._blitter.invalidate()
        d = self._problem_shown.n_features
        index = np.arange(1, d + 1)  # coordinates are numbered from 1, as in the book
        self._l2_marks.set_data(index, self._min_l2)
        support = np.abs(self._min_l1) > 0  # circles on the support only: zeros would hide the stems
        self._l1_marks.set_data(index[support], self._min_l1[support])
        everything = np.concatenate([self._beta_grid.ravel(), self._min_l1, self._min_l2])
        ax_coef.set_ylim(*render.padded_limits(everything))
        ax_coef.set_xlim(0.2, d + 0.8)
        grid = IMPLICIT_BIAS_ALPHA_GRID
        self._coordinates = pick_coordinates(np.vstack([self._min_l1, self._min_l2, self._beta_grid]),
                                             limit=MAX_COORDINATES)
        self._colors = dict(zip(self._coordinates, coordinate_colors(self._coordinates)))
        self._stem_colors = [self._colors.get(i, _OTHER) for i in range(d)]
        self._artists = {"beta": self._heads_line, "min_l1": self._l1_marks, "min_l2": self._l2_marks,
                         "current_alpha": self._cursor, "distance_l1": self._distance_l1,
                         "distance_l2": self._distance_l2}
        for k, line in enumerate(self._paths):
            used = k < len(self._coordinates)
            line.set_visible(used)
            if used:
                i = self._coordinates[k]
                line.set_data(grid, self._beta_grid[:, i])
                line.set_color(self._colors[i])
                self._artists[f"path_{i}"] = line
        ax_path.set_ylim(*render.padded_limits(self._beta_grid[:, self._coordinates].ravel()
                                               if self._coordinates else [0.0]))
        self._path_legend = render.coordinate_legend(self._blitter, ax_path, self._colors,
                                                     replaces=self._path_legend, y=1.05, one_column=5)
        far_l1, far_l2 = self._distances(self._beta_grid)
        self._distance_l1.set_ydata(np.maximum(far_l1, 1e-300))
        self._distance_l2.set_ydata(np.maximum(far_l2, 1e-300))
        positive = np.concatenate([far_l1, far_l2])
        positive = positive[positive > 0]
        if positive.size:
            ax_dist.set_ylim(max(positive.min() / 3, 1e-8), positive.max() * 3)

    def _draw_alpha(self):
        alpha = self._values["alpha"]
        beta = np.asarray(self._solution.beta)
        index = np.arange(1, beta.size + 1)
        self._stems.set_segments([[(i, 0.0), (i, b)] for i, b in zip(index, beta)])
        self._stems.set_color(self._stem_colors)
        self._heads.set_offsets(np.column_stack([index, beta]))
        self._heads.set_color(self._stem_colors)
        self._heads_line.set_data(index, beta)
        self._cursor.set_data([alpha, alpha], [0.0, 1.0])
        far_l1, far_l2 = self._distances(beta)
        self._marks.set_data([alpha, alpha], [max(far_l1[0], 1e-300), max(far_l2[0], 1e-300)])
        self._title.set_text(
            f"α = {render.format_number(alpha)}:  distance to min-ℓ1 {far_l1[0]:.2g}, to min-ℓ2 {far_l2[0]:.2g}"
            f"\n‖βᵅ‖₁ = {np.abs(beta).sum():.3g}  (min-ℓ1: {np.abs(self._min_l1).sum():.3g})")

    # ---- what the reader is told -------------------------------------------------------------------

    def _state(self):
        far_l1, far_l2 = self._distances(self._solution.beta)
        return {
            "problem": self._problem_shown, "alpha": self._values["alpha"], "solution": self._solution,
            "beta": np.asarray(self._solution.beta), "min_l1": self._min_l1, "min_l2": self._min_l2,
            "distance_l1": float(far_l1[0]), "distance_l2": float(far_l2[0]),
            "alpha_grid": IMPLICIT_BIAS_ALPHA_GRID.copy(), "beta_grid": self._beta_grid.copy(),
            "coordinates": list(self._coordinates), "colors": dict(self._colors),
        }

    def _status_text(self):
        return (f"{_regime(self._problem_shown)}. The flow from u₀ = √2 α 1, v₀ = 0 converges to βᵅ, "
                "the minimiser of the hyperbolic entropy at scale α over the least-squares solutions.")

    def _figure_description(self):
        return ("the limit of the flow (stems) between the minimum-l2 and minimum-l1 solutions, its path over alpha "
                "and its distances to both")

    def _default_frames(self, control):
        if control == "alpha":
            return list(np.geomspace(self.ALPHA_RANGE[1], self.ALPHA_RANGE[0], PLAYER_FRAMES))
        return super()._default_frames(control)
