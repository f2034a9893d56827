"""Input validation and read-only arrays, shared by the public functions of :mod:`dlnlib`.

Every public function validates its arguments once, with these helpers, and raises a
``ValueError`` that names the argument and says what is allowed. Private kernels trust
their inputs. Results hold read-only arrays made by :func:`readonly`, :func:`readonly_int`
or :func:`readonly_view`.
"""

import numbers

import numpy as np

__all__ = [
    "CLOCKS",
    "as_finite_array",
    "check_alpha",
    "check_choice",
    "check_positive",
    "check_positive_int",
    "check_random_state",
    "check_times",
    "readonly",
    "readonly_int",
    "readonly_view",
]

#: The two clocks of the flow: raw time :math:`t`, and accelerated time :math:`t/\log(1/\alpha)`.
CLOCKS = ("accelerated", "raw")


def as_finite_array(value, name, *, ndim=None):
    """Return ``value`` as a float array, refusing complex numbers, NaN, inf and a wrong ``ndim``.

    Examples
    --------
    >>> as_finite_array([1, 2], "y")
    array([1., 2.])
    >>> as_finite_array([1j], "X")
    Traceback (most recent call last):
    ...
    ValueError: X must be real; got complex values (pass X.real to drop the imaginary part)
    """
    try:
        array = np.asarray(value)
        complex_values = np.iscomplexobj(array) or (
            array.dtype == object and any(isinstance(x, complex) for x in array.flat)
        )
        if not complex_values:
            array = np.asarray(array, dtype=float)
    except (TypeError, ValueError) as error:
        raise ValueError(f"{name} must be an array of real numbers; got {value!r}") from error
    if complex_values:
        raise ValueError(f"{name} must be real; got complex values (pass {name}.real to drop the imaginary part)")
    if ndim is not None and array.ndim != ndim:
        raise ValueError(f"{name} must be {ndim}-dimensional; got shape {array.shape}")
    if not np.all(np.isfinite(array)):
        raise ValueError(f"{name} must contain only finite numbers (no NaN or inf)")
    return array


def check_positive(value, name, *, upper=None, upper_name=None):
    """Return ``value`` as a float, requiring ``0 < value`` (and ``value < upper``).

    Examples
    --------
    >>> check_positive(2, "t_max")
    2.0
    """
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise ValueError(f"{name} must be a positive real number; got {value!r}")
    value = float(value)
    if not np.isfinite(value) or value <= 0:
        raise ValueError(f"{name} must be a positive finite number; got {value!r}")
    if upper is not None and value >= upper:
        raise ValueError(f"{name} must be smaller than {upper}{upper_name or ''}; got {value!r}")
    return value


def check_alpha(alpha, clock="raw"):
    """Return the initialisation scale ``alpha`` as a float: positive, and below 1 on the accelerated clock.

    ``clock`` is checked too. The accelerated clock divides time by :math:`\\log(1/\\alpha)`, which
    is positive only for :math:`\\alpha<1`.

    Examples
    --------
    >>> check_alpha(1e-300, "accelerated")
    1e-300
    >>> check_alpha(2.0, "accelerated")
    Traceback (most recent call last):
    ...
    ValueError: alpha must be smaller than 1.0 on the accelerated clock (use clock='raw'); got 2.0
    """
    check_choice(clock, "clock", CLOCKS)
    if clock == "accelerated":
        return check_positive(alpha, "alpha", upper=1.0, upper_name=" on the accelerated clock (use clock='raw')")
    return check_positive(alpha, "alpha")


def check_positive_int(value, name, *, minimum=1):
    """Return ``value`` as an int, requiring ``value >= minimum``.

    Examples
    --------
    >>> check_positive_int(3, "n_steps")
    3
    """
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise ValueError(f"{name} must be an integer >= {minimum}; got {value!r}")
    if value < minimum:
        raise ValueError(f"{name} must be an integer >= {minimum}; got {value!r}")
    return int(value)


def check_times(t, name="t", *, increasing=True):
    """Return ``t`` (a scalar or a 1-D array) as non-negative finite float times.

    With ``increasing=True`` (for inputs that must be ordered, like ``t_eval``) a 1-D array
    must also be strictly increasing; queries of a result pass ``increasing=False`` and may
    come in any order.

    Examples
    --------
    >>> check_times([2.0, 0.5], increasing=False)
    array([2. , 0.5])
    >>> check_times([2.0, 0.5], "t_eval")
    Traceback (most recent call last):
    ...
    ValueError: t_eval must be strictly increasing
    """
    t = as_finite_array(t, name)
    if t.ndim > 1:
        raise ValueError(f"{name} must be a scalar or a 1-D array of times; got shape {t.shape}")
    if np.any(t < 0):
        raise ValueError(f"{name} must be non-negative; got minimum {float(t.min())!r}")
    if increasing and t.ndim == 1 and np.any(np.diff(t) <= 0):
        raise ValueError(f"{name} must be strictly increasing")
    return t


def check_choice(value, name, choices):
    """Return ``value`` if it is one of ``choices``, else raise naming the allowed ones.

    Examples
    --------
    >>> check_choice("raw", "clock", CLOCKS)
    'raw'
    """
    if not isinstance(value, str) or value not in choices:
        allowed = ", ".join(repr(c) for c in choices)
        raise ValueError(f"{name} must be one of {allowed}; got {value!r}")
    return value


def check_random_state(random_state):
    """Normalise ``None``, a non-negative int seed, a SeedSequence or a Generator to a ``numpy.random.Generator``.

    Examples
    --------
    >>> int(check_random_state(0).integers(10)) == int(check_random_state(0).integers(10))
    True
    >>> check_random_state(-1)
    Traceback (most recent call last):
    ...
    ValueError: random_state must be None, a non-negative integer seed or a numpy.random.Generator; got -1
    """
    message = (
        f"random_state must be None, a non-negative integer seed or a numpy.random.Generator; got {random_state!r}"
    )
    if isinstance(random_state, np.random.Generator):
        return random_state
    if random_state is None or isinstance(random_state, np.random.SeedSequence):
        return np.random.default_rng(random_state)
    if isinstance(random_state, numbers.Integral) and not isinstance(random_state, bool):
        if random_state < 0:
            raise ValueError(message)
        return np.random.default_rng(int(random_state))
    raise ValueError(message)


def readonly(array):
    """Return a read-only float copy of ``array``.

    Examples
    --------
    >>> readonly([1, 2]).flags.writeable
    False
    """
    array = np.array(array, dtype=float)
    array.setflags(write=False)
    return array


def readonly_int(array):
    """Return a read-only int64 copy of ``array`` (indices, step numbers).

    Examples
    --------
    >>> readonly_int([0, 3]).dtype
    dtype('int64')
    """
    array = np.array(array, dtype=np.int64)
    array.setflags(write=False)
    return array


def readonly_view(rows):
    """Return ``rows`` read-only without copying, unless it is a view wasting most of its buffer.

    For results cut from a preallocated buffer (``buffer[:p]``): the view is kept when it uses
    at least half of the buffer, and copied otherwise so that the rest can be freed. The
    caller gives up writing to ``rows``.

    Examples
    --------
    >>> import numpy as np
    >>> buffer = np.zeros((10, 2))
    >>> view = readonly_view(buffer[:8])
    >>> view.base is buffer, view.flags.writeable
    (True, False)
    >>> readonly_view(buffer[:2]).base is buffer
    False
    """
    if rows.base is not None and 2 * len(rows) < len(rows.base):
        rows = rows.copy()
    rows.flags.writeable = False
    return rows
