"""Build the book's explorers as offline players.

A chapter's explorer cell ends with ``explorer.view(...)``: in a Jupyter kernel with ipywidgets
that is the live explorer, elsewhere a precomputed player (``dlnlib.widgets.live_mode``). The
book's build also runs the chapters in Jupyter kernels, so it must say that it wants players:
this extension sets ``DLNLIB_WIDGETS=static`` in the environment that the kernels inherit (they
start after Sphinx has loaded its extensions).
"""

import os

from dlnlib.widgets.base import MODE_VARIABLE


def setup(app):
    os.environ[MODE_VARIABLE] = "static"
    return {"parallel_read_safe": True, "parallel_write_safe": True}
