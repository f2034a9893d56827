r"""Least-squares regression problems :math:`L(\beta)=\frac1{2n}\lVert X\beta-y\rVert^2`.

A :class:`Problem` holds validated, read-only data and evaluates the training
loss and its gradient. Every solver in :mod:`dlnlib` takes a ``Problem`` first.
The generators below build the data sets the book uses.
"""

from dataclasses import dataclass, field
from functools import cached_property

import numpy as np

from ._checks import as_finite_array, check_positive, check_positive_int, check_random_state, readonly

__all__ = [
    "RANK_RTOL",
    "Problem",
    "check_problem",
    "orthogonal_design",
    "sparse_regression",
    "three_coordinate_example",
]

#: Singular values of ``X`` below ``RANK_RTOL`` times the largest count as zero when the rank of
#: ``X``, hence its row space and the set :math:`\arg\min L`, is determined.
RANK_RTOL = 1e-10


# PR02: numpydoc lint reads the source, where the dataclass's __init__ (from the fields) is not written.
@dataclass(frozen=True, eq=False)
class Problem:  # numpydoc ignore=PR02
    r"""A least-squares problem with loss :math:`L(\beta)=\frac{1}{2n}\lVert X\beta-y\rVert_2^2`.

    The gradient is :math:`\nabla L(\beta)=\frac1n X^\top(X\beta-y)`. With this
    :math:`\frac1{2n}` scaling, :math:`\lambda_{\max}=\lVert X^\top y\rVert_\infty/n`
    is the first knot of the Lasso path, as in scikit-learn's ``lars_path``.

    Parameters
    ----------
    X : array_like, shape (n_samples, n_features)
        Design matrix; finite, at least one row and one column.
    y : array_like, shape (n_samples,)
        Targets; finite.
    beta_star : array_like, shape (n_features,), optional
        The ground-truth coefficients when the data were generated from them
        (the generators below set it); ``None`` otherwise.

    Raises
    ------
    ValueError
        If the shapes disagree, the data are empty, or contain NaN or inf.

    Examples
    --------
    >>> import numpy as np
    >>> from dlnlib import Problem
    >>> problem = Problem(np.eye(2), [1.0, -2.0])
    >>> float(problem.loss(np.zeros(2)))
    1.25
    """

    X: np.ndarray
    y: np.ndarray
    beta_star: np.ndarray | None = field(default=None, repr=False)

    def __post_init__(self):
        X = as_finite_array(self.X, "X", ndim=2)
        if X.shape[0] == 0 or X.shape[1] == 0:
            raise ValueError(f"X must have at least one row and one column; got shape {X.shape}")
        y = as_finite_array(self.y, "y", ndim=1)
        if y.shape[0] != X.shape[0]:
            raise ValueError(
                f"y must have one entry per row of X: X has {X.shape[0]} rows, y has {y.shape[0]} entries"
            )
        object.__setattr__(self, "X", readonly(X))
        object.__setattr__(self, "y", readonly(y))
        if self.beta_star is not None:
            beta_star = as_finite_array(self.beta_star, "beta_star", ndim=1)
            if beta_star.shape[0] != X.shape[1]:
                raise ValueError(
                    f"beta_star must have one entry per column of X ({X.shape[1]}); got {beta_star.shape[0]}"
                )
            object.__setattr__(self, "beta_star", readonly(beta_star))

    @property
    def n_samples(self):
        """Number of rows :math:`n` of ``X``.

        Returns
        -------
        int
            :math:`n`.

        Examples
        --------
        >>> from dlnlib import Problem
        >>> Problem([[1.0, 2.0]], [3.0]).n_samples
        1
        """
        return self.X.shape[0]

    @property
    def n_features(self):
        """Number of columns :math:`d` of ``X``.

        Returns
        -------
        int
            :math:`d`.

        Examples
        --------
        >>> from dlnlib import Problem
        >>> Problem([[1.0, 2.0]], [3.0]).n_features
        2
        """
        return self.X.shape[1]

    def _check_beta(self, beta):
        beta = np.asarray(beta, dtype=float)
        if beta.ndim == 0 or beta.shape[-1] != self.n_features:
            raise ValueError(
                f"beta must have shape (..., {self.n_features}) for this problem; got shape {beta.shape}"
            )
        return beta

    def residual(self, beta):
        r"""Residual :math:`X\beta-y`.

        Parameters
        ----------
        beta : array_like, shape (..., n_features)
            Coefficients.

        Returns
        -------
        ndarray, shape (..., n_samples)
            :math:`X\beta-y`.

        Examples
        --------
        >>> from dlnlib import Problem
        >>> Problem([[1.0, 2.0]], [3.0]).residual([1.0, 1.0])
        array([0.])
        """
        return self._check_beta(beta) @ self.X.T - self.y

    def loss(self, beta):
        r"""Training loss :math:`L(\beta)=\frac1{2n}\lVert X\beta-y\rVert^2`.

        Parameters
        ----------
        beta : array_like, shape (..., n_features)
            Coefficients.

        Returns
        -------
        ndarray, shape (...)
            The loss.

        Examples
        --------
        >>> from dlnlib import Problem
        >>> Problem([[1.0, 2.0]], [3.0]).loss([[0.0, 0.0], [1.0, 1.0]])
        array([4.5, 0. ])
        """
        r = self.residual(beta)
        return np.einsum("...i,...i->...", r, r) / (2 * self.n_samples)

    def grad(self, beta):
        r"""Gradient :math:`\nabla L(\beta)=\frac1n X^\top(X\beta-y)`.

        Parameters
        ----------
        beta : array_like, shape (..., n_features)
            Coefficients.

        Returns
        -------
        ndarray, shape (..., n_features)
            The gradient.

        Examples
        --------
        >>> from dlnlib import Problem
        >>> Problem([[1.0, 2.0]], [3.0]).grad([0.0, 0.0])
        array([-3., -6.])
        """
        return self.residual(beta) @ self.X / self.n_samples

    @cached_property
    def gram(self):
        r"""The Hessian of the loss, :math:`X^\top X/n`.

        Returns
        -------
        ndarray, shape (n_features, n_features)
            Read-only, computed once.

        Examples
        --------
        >>> from dlnlib import Problem
        >>> Problem([[1.0, 2.0]], [3.0]).gram
        array([[1., 2.],
               [2., 4.]])
        """
        return readonly(self.X.T @ self.X / self.n_samples)

    @cached_property
    def lambda_max(self):
        r""":math:`\lambda_{\max}=\lVert\nabla L(0)\rVert_\infty=\lVert X^\top y\rVert_\infty/n`.

        The smallest Lasso penalty whose solution is zero, and the inverse of the
        first jump time of the saddle-to-saddle dynamics.

        Returns
        -------
        float
            :math:`\lambda_{\max}`.

        Examples
        --------
        >>> import dlnlib
        >>> round(dlnlib.three_coordinate_example().lambda_max, 12)   # the first jump is at t = 4
        0.25
        """
        return float(np.max(np.abs(self.X.T @ self.y)) / self.n_samples)

    @cached_property
    def _svd(self):
        U, singular_values, Vt = np.linalg.svd(self.X, full_matrices=False)
        rank = int(np.sum(singular_values > RANK_RTOL * singular_values[0])) if singular_values[0] > 0 else 0
        return U[:, :rank], singular_values[:rank], Vt[:rank].T

    @cached_property
    def row_space(self):
        r"""Orthonormal basis :math:`V_r` of the row space of :math:`X`, shape ``(n_features, rank)``.

        :math:`\arg\min L=\{\beta: V_r^\top\beta=V_r^\top X^+y\}` for every shape and rank of :math:`X`.
        Singular values below ``RANK_RTOL`` times the largest count as zero.

        Returns
        -------
        ndarray, shape (n_features, rank)
            Orthonormal columns; read-only.

        Examples
        --------
        >>> from dlnlib import Problem
        >>> Problem([[1.0, 1.0], [2.0, 2.0]], [1.0, 2.0]).row_space.shape   # rank 1
        (2, 1)
        """
        return readonly(self._svd[2])

    @cached_property
    def min_norm_solution(self):
        r"""The minimum-norm least-squares solution :math:`X^+y`.

        Returns
        -------
        ndarray, shape (n_features,)
            Read-only.

        Examples
        --------
        >>> from dlnlib import Problem
        >>> Problem([[1.0, 1.0]], [2.0]).min_norm_solution
        array([1., 1.])
        """
        U_r, singular_values, V_r = self._svd
        return readonly(V_r @ ((U_r.T @ self.y) / singular_values))

    @cached_property
    def min_loss(self):
        r"""The minimum of the training loss, :math:`\min_\beta L(\beta)`.

        Returns
        -------
        float
            0 when :math:`Xβ=y` has a solution.

        Examples
        --------
        >>> from dlnlib import Problem
        >>> round(Problem([[1.0], [1.0]], [0.0, 2.0]).min_loss, 12)    # the fit is 1: residuals -1, +1
        0.5
        """
        return float(self.loss(self.min_norm_solution))


def check_problem(problem):
    """Return ``problem`` if it is a :class:`Problem`, else raise a ValueError saying how to build one.

    Parameters
    ----------
    problem : object
        What a solver was given as its problem.

    Returns
    -------
    Problem
        ``problem`` itself.

    Raises
    ------
    ValueError
        If ``problem`` is not a :class:`Problem`.

    Examples
    --------
    >>> import numpy as np
    >>> check_problem(np.eye(2))
    Traceback (most recent call last):
    ...
    ValueError: problem must be a dlnlib.Problem (build one with dlnlib.Problem(X, y)); got ndarray
    """
    if not isinstance(problem, Problem):
        raise ValueError(
            f"problem must be a dlnlib.Problem (build one with dlnlib.Problem(X, y)); got {type(problem).__name__}"
        )
    return problem


def sparse_regression(n_samples, n_features, n_nonzero, *, noise=0.0, random_state=None):
    r"""Sparse Gaussian regression :math:`y = X\beta^\star + \sigma\varepsilon`.

    ``X`` has i.i.d. standard Gaussian entries and ``eps`` is standard Gaussian.
    The first ``n_nonzero`` coordinates of :math:`\beta^\star` are non-zero, with
    random signs and magnitudes uniform in :math:`[1/2, 3/2]`; the rest are zero.

    Parameters
    ----------
    n_samples, n_features : int
        :math:`n \ge 1` and :math:`d \ge 1`; both :math:`n<d` and :math:`n\ge d` are allowed.
    n_nonzero : int
        Number of non-zero coordinates of :math:`\beta^\star`, between 0 and ``n_features``.
    noise : float, default 0
        Standard deviation :math:`\sigma \ge 0` of the label noise.
    random_state : None, int or numpy.random.Generator
        Seed (a non-negative integer) or generator of the random data.

    Returns
    -------
    Problem
        With ``beta_star`` set.

    Examples
    --------
    >>> from dlnlib import sparse_regression
    >>> problem = sparse_regression(20, 50, 3, noise=0.1, random_state=0)
    >>> problem.X.shape, int((problem.beta_star != 0).sum())
    ((20, 50), 3)
    """
    n_samples = check_positive_int(n_samples, "n_samples")
    n_features = check_positive_int(n_features, "n_features")
    n_nonzero = check_positive_int(n_nonzero, "n_nonzero", minimum=0)
    if n_nonzero > n_features:
        raise ValueError(f"n_nonzero must be at most n_features ({n_features}); got {n_nonzero}")
    noise = _check_noise(noise)
    rng = check_random_state(random_state)
    X = rng.standard_normal((n_samples, n_features))
    beta_star = np.zeros(n_features)
    beta_star[:n_nonzero] = rng.choice([-1.0, 1.0], n_nonzero) * rng.uniform(0.5, 1.5, n_nonzero)
    y = X @ beta_star + noise * rng.standard_normal(n_samples)
    return Problem(X, y, beta_star=beta_star)


def orthogonal_design(n_samples, n_features, *, noise=0.0, random_state=None):
    r"""A design with orthogonal columns, :math:`X^\top X/n = I_d` (needs :math:`n\ge d`).

    Then :math:`\nabla L(\beta)=\beta-\hat\beta` with :math:`\hat\beta=X^\top y/n`, and the
    saddle-to-saddle dynamics and the Lasso path have closed forms (hard and soft
    thresholding of :math:`\hat\beta`). :math:`\beta^\star` has all coordinates non-zero with
    distinct magnitudes :math:`1, 2, \dots, d` (up to random signs and order).

    Parameters
    ----------
    n_samples, n_features : int
        :math:`n \ge d \ge 1`.
    noise : float, default 0
        Standard deviation of the Gaussian label noise.
    random_state : None, int or numpy.random.Generator
        Seed (a non-negative integer) or generator of the random data.

    Returns
    -------
    Problem
        With ``beta_star`` set.

    Examples
    --------
    >>> import numpy as np
    >>> from dlnlib import orthogonal_design
    >>> problem = orthogonal_design(10, 3, random_state=0)
    >>> bool(np.allclose(problem.gram, np.eye(3)))
    True
    """
    n_samples = check_positive_int(n_samples, "n_samples")
    n_features = check_positive_int(n_features, "n_features")
    if n_samples < n_features:
        raise ValueError(
            f"n_samples must be at least n_features for an orthogonal design; got {n_samples} < {n_features}"
        )
    noise = _check_noise(noise)
    rng = check_random_state(random_state)
    Q, R = np.linalg.qr(rng.standard_normal((n_samples, n_features)))
    X = np.sqrt(n_samples) * Q * np.sign(np.diag(R))
    beta_star = rng.permutation(np.arange(1.0, n_features + 1)) * rng.choice([-1.0, 1.0], n_features)
    y = X @ beta_star + noise * rng.standard_normal(n_samples)
    return Problem(X, y, beta_star=beta_star)


def three_coordinate_example():
    r"""The worked example of the book: :math:`n=d=3`, where a coordinate leaves and returns.

    .. math::

        X = \begin{pmatrix} 0.1 & 0.2 & -1.5\\ -0.5 & 0 & 1.4\\ 0.3 & 0 & 0.7\end{pmatrix},\qquad
        y = (1.9,\ 0.9,\ 1.2).

    Its exact saddle-to-saddle path: :math:`(0,0,-15/94)` from :math:`t=4`;
    :math:`(0,19/2,0)` from :math:`t=13200/1561` (coordinate 3 leaves);
    :math:`(0,223/14,6/7)` from :math:`t=17660/1561` (coordinate 3 returns with
    the other sign); the least-squares fit :math:`(15/11, 2663/154, 87/77)` from :math:`t=20`.

    Returns
    -------
    Problem
        :math:`n=d=3`, no ``beta_star``.

    Examples
    --------
    >>> import dlnlib
    >>> dlnlib.saddle_to_saddle(dlnlib.three_coordinate_example()).times.round(4)
    array([ 0.    ,  4.    ,  8.4561, 11.3133, 20.    ])
    """
    X = [[0.1, 0.2, -1.5], [-0.5, 0.0, 1.4], [0.3, 0.0, 0.7]]
    return Problem(X, [1.9, 0.9, 1.2])


def _check_noise(noise):
    if noise == 0:
        return 0.0
    return check_positive(noise, "noise")
