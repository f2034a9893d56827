"""Warnings and errors of :mod:`dlnlib` (bad input is a plain ``ValueError``)."""

__all__ = [
    "ConvergenceWarning",
    "DivergenceWarning",
    "DlnlibWarning",
    "GeneralPositionError",
    "GeneralPositionWarning",
    "PrecisionWarning",
]


class DlnlibWarning(UserWarning):
    """Base class of the warnings :mod:`dlnlib` emits about numerical trouble.

    Examples
    --------
    >>> import warnings, dlnlib
    >>> with warnings.catch_warnings():
    ...     warnings.simplefilter("error", dlnlib.DlnlibWarning)  # turn all of them into errors
    ...     path = dlnlib.gradient_flow(dlnlib.three_coordinate_example(), 1e-3, 1.0)
    """


class PrecisionWarning(DlnlibWarning):
    """Floating point can no longer represent what the computation needs.

    Emitted, for example, by :func:`dlnlib.gradient_descent` once rounding in
    :math:`u_i^2 - v_i^2` exceeds the conserved value :math:`2\\alpha^2`.

    Examples
    --------
    >>> import dlnlib
    >>> issubclass(dlnlib.PrecisionWarning, dlnlib.DlnlibWarning)
    True
    """


class ConvergenceWarning(DlnlibWarning):
    """An iterative solver stopped before meeting its tolerance; the result is approximate.

    Examples
    --------
    >>> import dlnlib
    >>> issubclass(dlnlib.ConvergenceWarning, dlnlib.DlnlibWarning)
    True
    """


class DivergenceWarning(DlnlibWarning):
    """An iteration blew up (its iterates overflowed): the step size is too large.

    Examples
    --------
    >>> import dlnlib, pytest
    >>> with pytest.warns(dlnlib.DivergenceWarning, match="step_size"):
    ...     path = dlnlib.gradient_descent(dlnlib.three_coordinate_example(), 0.1, 10.0, 300)
    >>> path.success
    False
    """


class GeneralPositionWarning(DlnlibWarning):
    """The data violate general position; a result may not be unique.

    Examples
    --------
    >>> import dlnlib
    >>> issubclass(dlnlib.GeneralPositionWarning, dlnlib.DlnlibWarning)
    True
    """


class GeneralPositionError(ValueError):
    """The data violate general position so badly that the answer is not defined.

    Examples
    --------
    >>> import dlnlib
    >>> issubclass(dlnlib.GeneralPositionError, ValueError)
    True
    """
