r"""The landscape of the network's loss :math:`F(u,v)=L(u\odot v)`: its Hessian and critical points.

:math:`\nabla_uF=v\odot\nabla L(\beta)` and :math:`\nabla_vF=u\odot\nabla L(\beta)`, so :math:`(u,v)` is
critical exactly when, for each :math:`i`, :math:`(u_i,v_i)=0` or :math:`\nabla_iL(\beta)=0`. Seen through
:math:`\beta=u\odot v`, the critical points are the least-squares fits :math:`\beta_S=\arg\min_{V_S}L` on the
coordinate subspaces :math:`V_S=\{\beta:\beta_i=0,\ i\notin S\}`. Those that do not minimise :math:`L` are
strict saddles: the smallest eigenvalue of the Hessian is :math:`-\max_{j\notin S}\lvert\nabla_jL(\beta_S)\rvert`.
The saddle-to-saddle dynamics visits some of them.
"""

import itertools
from dataclasses import dataclass

import numpy as np

from ._checks import as_finite_array, readonly
from .problem import check_problem

__all__ = [
    "MAX_ENUMERATED_FEATURES",
    "CriticalPoints",
    "critical_points",
    "hessian",
]

#: :func:`critical_points` enumerates all :math:`2^d` supports, so it refuses larger :math:`d`.
MAX_ENUMERATED_FEATURES = 16


def hessian(problem, u, v):
    r"""The Hessian of :math:`F(u,v)=L(u\odot v)`, with the variables ordered :math:`(u, v)`.

    .. math::

        \nabla^2F(u,v)=\begin{pmatrix}D_vHD_v & D_vHD_u+D_g\\ D_uHD_v+D_g & D_uHD_u\end{pmatrix},

    with :math:`H=X^\top X/n`, :math:`g=\nabla L(u\odot v)` and :math:`D_a=\operatorname{diag}(a)`.

    Parameters
    ----------
    problem : Problem
        The data.
    u, v : array_like, shape (n_features,)
        The two layers.

    Returns
    -------
    ndarray, shape (2 n_features, 2 n_features)
        The Hessian, symmetric.

    Examples
    --------
    >>> import numpy as np, dlnlib
    >>> problem = dlnlib.Problem([[1.0]], [2.0])       # F(u, v) = (uv - 2)^2 / 2
    >>> np.linalg.eigvalsh(dlnlib.hessian(problem, [0.0], [0.0]))   # the origin: a strict saddle
    array([-2.,  2.])
    """
    check_problem(problem)
    d = problem.n_features
    u = as_finite_array(u, "u", ndim=1)
    v = as_finite_array(v, "v", ndim=1)
    if u.shape != (d,) or v.shape != (d,):
        raise ValueError(f"u and v must have shape ({d},) for this problem; got {u.shape} and {v.shape}")
    H, D_g = problem.gram, np.diag(problem.grad(u * v))
    return np.block([[np.outer(v, v) * H, np.outer(v, u) * H + D_g],
                     [np.outer(u, v) * H + D_g, np.outer(u, u) * H]])


@dataclass(frozen=True, eq=False)
class CriticalPoints:
    r"""The critical points of :math:`F`, one per support :math:`S` (seen through :math:`\beta`).

    Attributes
    ----------
    supports : ndarray of bool, shape (2^d, n_features)
        Row :math:`k` marks the set :math:`S`; the empty set first, then by size.
    points : ndarray, shape (2^d, n_features)
        :math:`\beta_S=\arg\min\{L(\beta):\beta_i=0,\ i\notin S\}` (minimum norm if :math:`X_S` is rank deficient).
    losses : ndarray, shape (2^d,)
        :math:`L(\beta_S)`.
    escape_gradients : ndarray, shape (2^d,)
        :math:`\max_{j\notin S}\lvert\nabla_jL(\beta_S)\rvert` (0 when :math:`S` is everything).
    min_eigenvalues : ndarray, shape (2^d,)
        Smallest eigenvalue of :func:`hessian` at :math:`u=\operatorname{sign}(\beta_S)\sqrt{\lvert\beta_S\rvert}`,
        :math:`v=\sqrt{\lvert\beta_S\rvert}`, a point of :math:`F` above :math:`\beta_S`.

    Examples
    --------
    >>> import dlnlib
    >>> critical = dlnlib.critical_points(dlnlib.Problem([[1.0, 0.0], [0.0, 2.0]], [1.0, 1.0]))
    >>> critical.points          # the fits on the supports {}, {1}, {2}, {1, 2}
    array([[0. , 0. ],
           [1. , 0. ],
           [0. , 0.5],
           [1. , 0.5]])
    """

    supports: np.ndarray
    points: np.ndarray
    losses: np.ndarray
    escape_gradients: np.ndarray
    min_eigenvalues: np.ndarray


def critical_points(problem):
    r"""Every least-squares fit on a subset of the features: the critical points of :math:`F`.

    Parameters
    ----------
    problem : Problem
        The data, with at most ``MAX_ENUMERATED_FEATURES`` features (all :math:`2^d` subsets are enumerated).

    Returns
    -------
    CriticalPoints
        One critical point per support.
        One critical point per support.

    Raises
    ------
    ValueError
        If ``problem`` is not a Problem or has too many features.

    Examples
    --------
    >>> import dlnlib
    >>> critical = dlnlib.critical_points(dlnlib.three_coordinate_example())
    >>> int((critical.min_eigenvalues < -1e-9).sum())    # strict saddles among the 8 points
    7
    """
    check_problem(problem)
    d = problem.n_features
    if d > MAX_ENUMERATED_FEATURES:
        raise ValueError(
            f"problem must have at most {MAX_ENUMERATED_FEATURES} features for critical_points, which "
            f"enumerates all 2^d supports; got d = {d}"
        )
    subsets = [S for size in range(d + 1) for S in itertools.combinations(range(d), size)]
    supports = np.zeros((len(subsets), d), dtype=bool)
    points = np.zeros((len(subsets), d))
    for k, S in enumerate(subsets):
        S = list(S)
        supports[k, S] = True
        if S:
            points[k, S] = np.linalg.lstsq(problem.X[:, S], problem.y, rcond=None)[0]
    grads = problem.grad(points)
    escape = np.where(supports, 0.0, np.abs(grads)).max(axis=1)
    root = np.sqrt(np.abs(points))
    min_eigenvalues = [np.linalg.eigvalsh(hessian(problem, np.sign(b) * r, r))[0] for b, r in zip(points, root)]
    supports.setflags(write=False)
    return CriticalPoints(
        supports=supports,
        points=readonly(points),
        losses=readonly(problem.loss(points)),
        escape_gradients=readonly(escape),
        min_eigenvalues=readonly(min_eigenvalues),
    )
