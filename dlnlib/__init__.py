"""dlnlib: exact gradient flows and saddle-to-saddle dynamics of diagonal linear networks.

Conventions (used everywhere): data :math:`X\\in\\mathbb R^{n\\times d}`, :math:`y\\in\\mathbb R^n`;
loss :math:`L(\\beta)=\\frac1{2n}\\lVert X\\beta-y\\rVert^2`; network :math:`\\beta=u\\odot v` from
:math:`u_0=\\sqrt2\\alpha\\mathbf 1`, :math:`v_0=0`; accelerated clock :math:`\\tilde t=t/\\log(1/\\alpha)`;
``lam`` is a Lasso penalty, ``alpha`` always the initialisation scale. Arrays are time-first.

``import dlnlib`` loads numpy and scipy only: :mod:`dlnlib.plotting` (matplotlib) is imported on
first use of ``dlnlib.plotting``, and :mod:`dlnlib.widgets` (ipywidgets) only by
``import dlnlib.widgets``.
"""

import importlib

from .convergence import ConvergenceErrors, convergence_errors, jump_path_distances
from .errors import (
    ConvergenceWarning,
    DivergenceWarning,
    DlnlibWarning,
    GeneralPositionError,
    GeneralPositionWarning,
    PrecisionWarning,
)
from .flow import DescentPath, FlowPath, gradient_descent, gradient_flow
from .implicit_bias import ImplicitBiasSolution, implicit_bias_path, implicit_bias_solution, min_l2_solution
from .landscape import CriticalPoints, critical_points, hessian
from .lasso import LassoPath, lasso_path, min_l1_solution
from .network import (
    beta_from_dual,
    beta_from_uv,
    beta_from_w,
    conserved_quantity,
    dbeta_ddual,
    dual_from_beta,
    hyperbolic_entropy,
    initialization,
    mirror_map,
    w_from_uv,
)
from .problem import Problem, orthogonal_design, sparse_regression, three_coordinate_example
from .saddles import (
    ArcLengthPath,
    JumpOrbit,
    SaddlePath,
    arc_length_view,
    jump_orbit,
    limit_arc_length_view,
    saddle_to_saddle,
)

__version__ = "0.1.0"

__all__ = [
    "ArcLengthPath",
    "ConvergenceErrors",
    "ConvergenceWarning",
    "CriticalPoints",
    "DescentPath",
    "DivergenceWarning",
    "DlnlibWarning",
    "FlowPath",
    "GeneralPositionError",
    "GeneralPositionWarning",
    "ImplicitBiasSolution",
    "JumpOrbit",
    "LassoPath",
    "PrecisionWarning",
    "Problem",
    "SaddlePath",
    "arc_length_view",
    "beta_from_dual",
    "beta_from_uv",
    "beta_from_w",
    "conserved_quantity",
    "convergence_errors",
    "critical_points",
    "dbeta_ddual",
    "dual_from_beta",
    "gradient_descent",
    "gradient_flow",
    "hessian",
    "hyperbolic_entropy",
    "implicit_bias_path",
    "implicit_bias_solution",
    "initialization",
    "jump_orbit",
    "jump_path_distances",
    "lasso_path",
    "limit_arc_length_view",
    "min_l1_solution",
    "min_l2_solution",
    "mirror_map",
    "orthogonal_design",
    "plotting",
    "saddle_to_saddle",
    "sparse_regression",
    "three_coordinate_example",
    "w_from_uv",
]


def __getattr__(name):
    """Import :mod:`dlnlib.plotting` (and with it matplotlib) on first use of ``dlnlib.plotting``."""
    if name == "plotting":
        return importlib.import_module(".plotting", __name__)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
