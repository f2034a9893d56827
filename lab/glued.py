"""Glued values for the Markdown of the chapters' JupyterLab copies (``make lab``).

In the HTML book, a code cell calls ``glue(key, value)`` (myst-nb) and the prose pastes the
value with the role ``{glue:text}`key:.3f```. JupyterLab with jupyterlab-myst knows no glue
roles; it evaluates inline expressions, ``{eval}`expression```, in the kernel when a Markdown
cell is run. So ``lab/make_copies.py`` rewrites each glue role of a copy into an expression
of this module (``{eval}`glued.text("key", ".3f")```), and the copy's first code cell puts
:func:`glue` in the place of ``myst_nb.glue``: it glues as before and also keeps the value.

The text is formatted by myst-nb's own function, so a number reads as in the HTML book.
"""

import myst_nb
from IPython.core.formatters import format_display_data
from myst_nb.core.variables import format_plain_text

_book_glue = myst_nb.glue
_plain = {}  # key -> the plain text (text/plain) of the value glued under it
# What the prose shows for a value not computed yet, in place of the number.
NOT_YET = "[not computed yet: Run > Run All Cells]"


def glue(name, variable, display=True):
    """Glue a value as myst-nb's ``glue`` does, and keep its plain text for the Markdown cells.

    Parameters
    ----------
    name : str
        The key the prose names (``{glue:text}`name```).
    variable : object
        The value; what is kept is its plain-text display, as myst-nb stores it.
    display : bool, default: True
        Show the value in the cell's output too, as myst-nb's ``glue`` does.

    Examples
    --------
    >>> glue("example-ratio", 2 / 3, display=False)
    >>> text("example-ratio", ".3f")
    0.667
    """
    _book_glue(name, variable, display=display)
    bundle, _ = format_display_data(variable)
    _plain[name] = bundle["text/plain"]


class _Pasted:
    """Text shown as it is (its plain-text form is the text itself, without quotes)."""

    def __init__(self, text):
        self.text = text

    def __repr__(self):
        return self.text


def text(name, fmt_spec="s"):
    """Paste a glued value as the role ``{glue:text}`name:fmt_spec``` does in the HTML book.

    Parameters
    ----------
    name : str
        The key it was glued under.
    fmt_spec : str, default: "s"
        A Python format specification (``.3f``, ``.1e``, ...); myst-nb's default, ``s``, pastes
        the value's text as it is.

    Returns
    -------
    object
        An object whose plain-text form (what the Markdown cell shows) is the formatted value;
        if nothing has been glued under ``name`` yet in this kernel, :data:`NOT_YET`.

    Notes
    -----
    Some values are glued by a cell below the text that shows them: a reader who runs the
    cells one by one meets that text before its numbers exist, and sees :data:`NOT_YET` until
    running the text's cell again. Run All fills them all in.

    Examples
    --------
    >>> glue("example-count", 7, display=False)
    >>> text("example-count")
    7
    >>> text("example-not-glued")
    [not computed yet: Run > Run All Cells]
    """
    if name not in _plain:
        return _Pasted(NOT_YET)
    return _Pasted(format_plain_text(_plain[name], fmt_spec))
