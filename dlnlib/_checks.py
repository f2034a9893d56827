"""Input validation shared by the public functions of :mod:`dlnlib`.

Every public function validates its arguments once, here, and raises a
``ValueError`` that names the argument and says what is allowed. Private
kernels trust their inputs.
"""

import numbers

import numpy as np


def as_finite_array(value, name, *, ndim=None, dtype=float):
    """Return ``value`` as a float array, refusing NaN, inf and wrong ``ndim``."""
    try:
        array = np.asarray(value, dtype=dtype)
    except (TypeError, ValueError) as error:
        raise ValueError(f"{name} must be an array of real numbers; got {value!r}") from error
    if ndim is not None and array.ndim != ndim:
        raise ValueError(f"{name} must be {ndim}-dimensional; got shape {array.shape}")
    if not np.all(np.isfinite(array)):
        raise ValueError(f"{name} must contain only finite numbers (no NaN or inf)")
    return array


def check_positive(value, name, *, upper=None, upper_name=None):
    """Return ``value`` as a float, requiring ``0 < value`` (and ``value < upper``)."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise ValueError(f"{name} must be a positive real number; got {value!r}")
    value = float(value)
    if not np.isfinite(value) or value <= 0:
        raise ValueError(f"{name} must be a positive finite number; got {value!r}")
    if upper is not None and value >= upper:
        raise ValueError(f"{name} must be smaller than {upper}{upper_name or ''}; got {value!r}")
    return value


def check_positive_int(value, name, *, minimum=1):
    """Return ``value`` as an int, requiring ``value >= minimum``."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise ValueError(f"{name} must be an integer >= {minimum}; got {value!r}")
    if value < minimum:
        raise ValueError(f"{name} must be an integer >= {minimum}; got {value!r}")
    return int(value)


def check_times(t, name="t"):
    """Return ``t`` as a 1-D float array of non-negative, strictly increasing times."""
    t = as_finite_array(t, name)
    if t.ndim > 1:
        raise ValueError(f"{name} must be a scalar or a 1-D array of times; got shape {t.shape}")
    if np.any(t < 0):
        raise ValueError(f"{name} must be non-negative; got minimum {t.min()!r}")
    if t.ndim == 1 and np.any(np.diff(t) <= 0):
        raise ValueError(f"{name} must be strictly increasing")
    return t


def check_choice(value, name, choices):
    """Return ``value`` if it is one of ``choices``, else raise naming the allowed ones."""
    if value not in choices:
        allowed = ", ".join(repr(c) for c in choices)
        raise ValueError(f"{name} must be one of {allowed}; got {value!r}")
    return value


def check_random_state(random_state):
    """Normalise ``None``, an int seed or a Generator to a ``numpy.random.Generator``."""
    if random_state is None or isinstance(random_state, (numbers.Integral, np.random.SeedSequence)):
        return np.random.default_rng(random_state)
    if isinstance(random_state, np.random.Generator):
        return random_state
    raise ValueError(
        f"random_state must be None, an integer seed or a numpy.random.Generator; got {random_state!r}"
    )


def readonly(array):
    """Return a read-only float copy of ``array``."""
    array = np.array(array, dtype=float)
    array.setflags(write=False)
    return array
