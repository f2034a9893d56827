"""Warnings and errors of :mod:`dlnlib` (bad input is a plain ``ValueError``)."""


class DlnlibWarning(UserWarning):
    """Base class of the warnings :mod:`dlnlib` emits about numerical trouble."""


class PrecisionWarning(DlnlibWarning):
    """Floating point can no longer represent what the computation needs.

    Raised, for example, by :func:`dlnlib.gradient_descent` once rounding in
    :math:`u_i^2 - v_i^2` exceeds the conserved value :math:`2\\alpha^2`.
    """


class ConvergenceWarning(DlnlibWarning):
    """An iterative solver stopped before meeting its tolerance; the result is approximate."""


class GeneralPositionWarning(DlnlibWarning):
    """The data violate general position; a result may not be unique."""


class GeneralPositionError(ValueError):
    """The data violate general position so badly that the answer is not defined."""
