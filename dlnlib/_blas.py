"""How many threads BLAS may use inside a solver loop.

Algorithm 1 with screening (:mod:`dlnlib.saddles`) spends most of its jumps on matrix-vector
products of a few thousand entries. Multi-threaded BLAS makes those slower, not faster: waking
the second thread costs more than the product, and on a busy machine much more (measured on 2
shared cores: a 1000 x 500 product took 0.12 ms with one OpenBLAS thread and 5.9 ms with two).
:func:`one_blas_thread` limits BLAS to one thread for the duration of a block, through
threadpoolctl when it is installed, and does nothing otherwise.
"""

from contextlib import contextmanager

__all__ = ["one_blas_thread"]

_CONTROLLER = {}


@contextmanager
def one_blas_thread():
    """Run the block with BLAS limited to one thread (a no-op without threadpoolctl).

    Yields
    ------
    None

    Examples
    --------
    >>> import numpy as np
    >>> with one_blas_thread():
    ...     product = np.ones((50, 100)) @ np.ones(100)
    >>> float(product[0])
    100.0
    """
    if "controller" not in _CONTROLLER:
        try:
            from threadpoolctl import ThreadpoolController
        except ImportError:
            _CONTROLLER["controller"] = None
        else:
            _CONTROLLER["controller"] = ThreadpoolController()
    controller = _CONTROLLER["controller"]
    if controller is None:
        yield
        return
    with controller.limit(limits=1, user_api="blas"):
        yield
