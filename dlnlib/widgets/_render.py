r"""Drawing an explorer's figure: the live PNG (with blitting) and the offline player (matplotlib only).

An explorer's figure is a bare :class:`matplotlib.figure.Figure` on an Agg canvas (no pyplot, no
ipympl). Two ways out of it:

- :class:`Blitter` renders it to PNG bytes for the live widget. Artists that change with the main
  control are *animated*: they are drawn over a cached image of everything else, so a move of
  the main control re-renders a few lines and a title, not the axes, ticks and legends (text
  rendering dominates a full draw). When new data forces a full draw, the strings (tick labels,
  legend entries) are pasted from a cache of rasterised strings rather than laid out glyph by
  glyph again (``_TextReusingRenderer``).
- :func:`player_html` renders it once per frame into a self-contained HTML player
  (``matplotlib.animation`` ``to_jshtml``) for the static book, made to work offline, reduced in
  size (frames quantised to a palette) and readable in light and dark page themes.

Nothing here imports ipywidgets.
"""

import base64
import html as html_lib
import io
import re
from contextlib import contextmanager

import matplotlib
import matplotlib.colors
import numpy as np
import PIL.Image
from matplotlib.animation import FuncAnimation
from matplotlib.backends.backend_agg import FigureCanvasAgg, RendererAgg
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from ..plotting import COORDINATE_COLORS

__all__ = ["FIGURE_WIDTH", "KEY_COLORS", "LIVE_DPI", "PLAYER_COLORS", "PLAYER_DPI", "Blitter", "SegmentOf",
           "coordinate_label", "coordinate_legend", "figure_title", "format_number", "new_figure", "padded_limits",
           "panel_grid", "player_card", "player_html", "side_legend", "style_axes"]

#: Resolution of the live widget's PNG.
LIVE_DPI = 80

#: Resolution of the player frames: an explorer's figure (:data:`FIGURE_WIDTH` inches) is then
#: 500 px wide, shown at that size on a desktop page and shrunk to about 320 px (0.64 of it) on a
#: phone 390 px wide, where 11 pt text is still about 10 CSS px (the book's rule, see
#: ``book/matplotlibrc``).
PLAYER_DPI = 100

#: Width of every explorer's figure, in inches; panels are stacked, one above the other, so that
#: the figure stays readable when a phone shrinks it to the screen's width.
FIGURE_WIDTH = 5.0

#: Margins of the panels, in inches: left for the y labels, right for the legends (outside the
#: panels, so that they never hide a line and need no redraw when the lines move).
LEFT_MARGIN, RIGHT_MARGIN = 0.72, 1.34

#: Text sizes in points: tick labels, axis labels, legends, figure title.
TICK_SIZE, LABEL_SIZE, LEGEND_SIZE, TITLE_SIZE = 11, 11, 10.5, 11

#: Player frames are quantised to a palette of this many colours: anti-aliased line plots keep
#: their look and the frames shrink to about a third (measured on the explorers' figures).
PLAYER_COLORS = 96

#: Colours every palette holds exactly, whatever the adaptive part picks: the coordinates'
#: colours (a line or a legend entry that covers few pixels would otherwise be mapped to a
#: neighbour, and a legend would show the wrong colour), black, white and the greys in use.
KEY_COLORS = (*COORDINATE_COLORS, "#000000", "#ffffff", "#595959", "#808080", "#404040", "#999999", "#b3b3b3",
              "#ededed", "#d62728", "#b00020")

#: Strings up to this length are rasterised once per canvas and then pasted (tick labels, legend
#: entries, axis labels; see ``_TextReusingRenderer``), at most this many of them, positioned to
#: this fraction of a pixel.
MAX_REUSED_LENGTH, MAX_REUSED_STRINGS, TEXT_SUBPIXEL = 32, 2000, 4

# The rasterised strings, shared by every explorer's canvas (the same string in the same font,
# colour and resolution is the same pixels in any figure): about 3 KB each.
_STRINGS = {}

#: zlib level of the live PNGs: 1-3 encode several times faster than the default 6, for files
#: about 15% larger (the PNG travels only to the local browser).
PNG_COMPRESSION = 2

# The jshtml player links to a font-awesome stylesheet on a CDN for its button icons; the book
# must work offline, so the link is dropped and the icons are replaced by plain characters.
_CDN_LINK = re.compile(r"<link[^>]*font-awesome[^>]*>", re.IGNORECASE)
_ICONS = {
    "fa fa-minus": "&minus;",
    "fa fa-fast-backward": "&#x25C0;&#x25C0;",  # not U+23EE: many fonts lack it
    "fa fa-step-backward": "&#x25C0;&#x2759;",
    "fa fa-play fa-flip-horizontal": "&#x25C0;",
    "fa fa-pause": "&#x2759;&#x2759;",
    "fa fa-play": "&#x25B6;",
    "fa fa-step-forward": "&#x2759;&#x25B6;",
    "fa fa-fast-forward": "&#x25B6;&#x25B6;",
    "fa fa-plus": "+",
}
_ICON = re.compile(r'<i class="(fa [^"]*)"></i>')
# An embedded frame: base64 with a backslash-newline (a JavaScript line continuation) every 76 characters.
_FRAME = re.compile(r"data:image/png;base64,([A-Za-z0-9+/=\\\n]+)")

# The player sits in a light card with its own colours: the page theme (light or dark) then
# cannot put pink code on light grey, and the buttons wrap on a phone instead of overflowing.
_CARD_STYLE = """<style>
.dlnlib-player {background: #ffffff; color: #1a1a1a; border: 1px solid #c8ced6; border-radius: 6px;
  padding: 8px; margin: 0.5em 0; max-width: 100%; box-sizing: border-box;}
.dlnlib-player .animation {display: block; text-align: center;}
.dlnlib-player .animation img {max-width: 100%; height: auto;}
.dlnlib-player input[type=range].anim-slider {width: min(600px, 95%);}
.dlnlib-player .anim-buttons {display: flex; flex-wrap: wrap; justify-content: center; gap: 4px;}
.dlnlib-player .anim-buttons button {width: 2.6em; height: 2.1em; color: #1a1a1a; background: #eef1f4;
  border: 1px solid #8a939e; border-radius: 4px;}
.dlnlib-player .anim-state label {color: #1a1a1a;}
.dlnlib-player p.dlnlib-note {margin: 0.4em 0 0; font-size: 0.92em; line-height: 1.45; color: #1a1a1a;}
.dlnlib-player code {color: #1a1a1a; background: #eef1f4; padding: 0 0.25em; border-radius: 3px;}
</style>"""


class _TextReusingRenderer(RendererAgg):
    """An Agg renderer that rasterises each short string once and then pastes its pixels.

    A redraw after new data moves every tick label, but the strings (``0.5``, ``10⁻²``, ``β₃``)
    recur; matplotlib lays out and rasterises them glyph by glyph at every draw, which is about
    half the time of a full redraw of an explorer's figure. Here a string of at most
    :data:`MAX_REUSED_LENGTH` characters is rendered alone on a transparent scratch canvas (by
    Agg itself), cropped, kept in ``_STRINGS`` under its font, colour, angle, resolution, hinting and
    position modulo one pixel (to :data:`TEXT_SUBPIXEL` of a pixel), and alpha-composited at its
    place: the same pixels as a direct draw, to within a 1/4-pixel shift of the anti-aliasing.
    Clipped text, TeX and long strings (titles that change at every move) are drawn directly.
    """

    def draw_text(self, gc, x, y, s, prop, angle, ismath=False, mtext=None):
        clipped = gc.get_clip_rectangle() is not None or gc.get_clip_path()[0] is not None
        if clipped or ismath == "TeX" or len(s) > MAX_REUSED_LENGTH:
            return super().draw_text(gc, x, y, s, prop, angle, ismath=ismath, mtext=mtext)
        column, dx = divmod(round(x * TEXT_SUBPIXEL), TEXT_SUBPIXEL)
        row, dy = divmod(round(y * TEXT_SUBPIXEL), TEXT_SUBPIXEL)  # y counts down from the top here
        key = (s, hash(prop), angle, bool(ismath), self.dpi, tuple(gc.get_rgb()), gc.get_alpha(),
               gc.get_forced_alpha(), gc.get_antialiased(), matplotlib.rcParams["text.hinting"],
               matplotlib.rcParams["text.hinting_factor"], dx, dy)
        if key not in _STRINGS:
            if len(_STRINGS) >= MAX_REUSED_STRINGS:
                _STRINGS.clear()
            _STRINGS[key] = self._rasterise(gc, dx / TEXT_SUBPIXEL, dy / TEXT_SUBPIXEL, s, prop, angle, ismath,
                                               mtext)
        pixels, left, top = _STRINGS[key]
        if pixels is not None:
            self._composite(pixels, row + top, column + left)

    def _rasterise(self, gc, dx, dy, s, prop, angle, ismath, mtext):
        """``(pixels, left, top)``: the string's RGBA pixels and their offset from its anchor."""
        width, height, descent = self.get_text_width_height_descent(s, prop, ismath)
        half = int(width + height + descent) + 4  # the anchor at the centre: room for any angle
        scratch = RendererAgg(2 * half, 2 * half, self.dpi)
        RendererAgg.draw_text(scratch, gc, half + dx, half + dy, s, prop, angle, ismath=ismath, mtext=mtext)
        pixels = np.asarray(scratch.buffer_rgba())
        rows, columns = np.nonzero(pixels[..., 3])
        if rows.size == 0:
            return None, 0, 0
        top, left = rows.min(), columns.min()
        return pixels[top:rows.max() + 1, left:columns.max() + 1].copy(), left - half, top - half

    def _composite(self, pixels, top, left):
        """Paint ``pixels`` (straight alpha) over the canvas with its top-left corner at ``(top, left)``."""
        canvas = np.asarray(self.buffer_rgba())
        bottom, right = min(top + pixels.shape[0], canvas.shape[0]), min(left + pixels.shape[1], canvas.shape[1])
        if bottom <= max(top, 0) or right <= max(left, 0):
            return
        source = pixels[max(-top, 0):bottom - top, max(-left, 0):right - left] / np.float32(255)
        target = canvas[max(top, 0):bottom, max(left, 0):right]
        alpha = source[..., 3:]
        blended = source * alpha + target / np.float32(255) * (1 - alpha)
        blended[..., 3:] = alpha + target[..., 3:] / np.float32(255) * (1 - alpha)
        target[...] = np.rint(blended * 255)


class _Canvas(FigureCanvasAgg):
    """An Agg canvas whose ``draw_idle`` does nothing and whose renderer reuses rendered strings.

    The figure is only ever rendered on request (live PNG, player frames). Keeping one Agg
    canvas lets its renderer, and matplotlib's text-layout caches keyed on it, be reused from one
    redraw to the next; without the no-op, ``FuncAnimation`` would render every frame twice.
    The renderer is a :class:`_TextReusingRenderer`.
    """

    def draw_idle(self, *args, **kwargs):
        pass

    def get_renderer(self):
        """As ``FigureCanvasAgg.get_renderer`` (a new renderer when the size or dpi changes), reusing strings."""
        width, height = self.get_width_height(physical=True)
        key = width, height, self.figure.dpi
        if self._lastKey != key:
            self.renderer = _TextReusingRenderer(width, height, self.figure.dpi)
            self._lastKey = key
        return self.renderer


def new_figure(height):
    """A bare Figure, :data:`FIGURE_WIDTH` by ``height`` inches, on its own Agg canvas (no pyplot).

    Examples
    --------
    >>> from dlnlib.widgets._render import FIGURE_WIDTH, new_figure
    >>> figure = new_figure(4.0)
    >>> figure.get_size_inches().tolist() == [FIGURE_WIDTH, 4.0]
    True
    """
    figure = Figure(figsize=(FIGURE_WIDTH, height), dpi=LIVE_DPI)
    _Canvas(figure)
    return figure


def panel_grid(figure, height_ratios, *, bottom, top, hspace=0.2):
    """A one-column grid of panels inside the figure's margins (rows left empty are gaps).

    Examples
    --------
    >>> from dlnlib.widgets._render import new_figure, panel_grid
    >>> figure = new_figure(5.0)
    >>> top, gap, bottom = panel_grid(figure, [1, 0.3, 1], bottom=0.1, top=0.9)
    >>> ax_top, ax_bottom = figure.add_subplot(top), figure.add_subplot(bottom)
    >>> bool(ax_top.get_position().y0 > ax_bottom.get_position().y1)  # stacked, with a gap
    True
    """
    return figure.add_gridspec(len(height_ratios), 1, height_ratios=height_ratios, hspace=hspace,
                               left=LEFT_MARGIN / FIGURE_WIDTH, right=1 - RIGHT_MARGIN / FIGURE_WIDTH,
                               bottom=bottom, top=top)


def style_axes(axes):
    """Tick label size, and y labels at a fixed distance (no re-layout when tick labels change width).

    Examples
    --------
    >>> from dlnlib.widgets._render import TICK_SIZE, new_figure, style_axes
    >>> ax = new_figure(3.0).subplots()
    >>> style_axes([ax])
    >>> ax.yaxis.get_major_ticks()[0].label1.get_fontsize() == TICK_SIZE
    True
    """
    panel_width = FIGURE_WIDTH - LEFT_MARGIN - RIGHT_MARGIN
    for ax in axes:
        ax.tick_params(labelsize=TICK_SIZE)
        ax.yaxis.set_label_coords(-0.56 / panel_width, 0.5)


def side_legend(ax, handles, *, ncol=1, y=1.02):
    """A legend outside the panel, on its right (two columns fit short labels such as ``β₁₂``).

    Examples
    --------
    >>> from matplotlib.lines import Line2D

from ..plotting import COORDINATE_COLORS
    >>> from dlnlib.widgets._render import new_figure, side_legend
    >>> ax = new_figure(3.0).subplots()
    >>> legend = side_legend(ax, [Line2D([], [], color="k", label="flow")])
    >>> [text.get_text() for text in legend.get_texts()]
    ['flow']
    """
    return ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.02, y), fontsize=LEGEND_SIZE,
                     frameon=False, borderaxespad=0.0, handlelength=1.5 if ncol == 1 else 1.0,
                     handletextpad=0.4, ncol=ncol, columnspacing=0.6)


_SUBSCRIPTS = str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉")


def coordinate_label(i, letter="β"):
    """``β₃`` for coordinate ``i = 2``: plain text (mathtext would be parsed at every redraw).

    Examples
    --------
    >>> from dlnlib.widgets._render import coordinate_label
    >>> coordinate_label(2), coordinate_label(22, "s")
    ('β₃', 's₂₃')
    """
    return letter + str(i + 1).translate(_SUBSCRIPTS)


def coordinate_legend(blitter, ax, colors, *, replaces=None, y=1.02, one_column=6):
    """A stamped legend, right of ``ax``, of the coordinates in ``colors`` (index -> colour).

    ``replaces``: the legend it takes the place of; returned as it is if it shows the same
    entries (new data often has the same coordinates in view: no legend to draw again). Two
    columns beyond ``one_column`` entries.

    Examples
    --------
    >>> from dlnlib.widgets._render import Blitter, coordinate_legend, new_figure
    >>> figure = new_figure(3.0)
    >>> legend = coordinate_legend(Blitter(figure), figure.subplots(), {2: "#2ca02c", 22: "#d62728"})
    >>> [text.get_text() for text in legend.get_texts()]
    ['β₃', 'β₂₃']
    """
    entries = list(colors.items())
    if replaces is not None:
        if replaces.dlnlib_entries == entries:
            return replaces
        blitter.unstamp(replaces)
    handles = [Line2D([], [], color=colour, linewidth=2, label=coordinate_label(i)) for i, colour in entries]
    legend = side_legend(ax, handles, ncol=1 + (len(handles) > one_column), y=y)
    legend.dlnlib_entries = entries
    blitter.stamp(legend)
    return legend


def figure_title(figure):
    """The title text that an explorer rewrites at every change (plain text: no mathtext to parse).

    Examples
    --------
    >>> from dlnlib.widgets._render import figure_title, new_figure
    >>> title = figure_title(new_figure(3.0))
    >>> title.set_text("α = 1e-10")
    >>> title.get_text()
    'α = 1e-10'
    """
    return figure.suptitle("", fontsize=TITLE_SIZE, y=0.99, va="top")


class Blitter:
    """Renders a figure to PNG, redrawing only what changed.

    Call :meth:`animate` for the artists that change with the main control and
    :meth:`invalidate` whenever anything else changes (data, limits, labels): the next
    :meth:`png` then redraws everything and caches the image without the animated artists.
    Artists registered with :meth:`stamp` (legends outside the panels) are rendered once and
    then pasted as pixels into every redraw, until they are replaced: text is most of the cost
    of a redraw, and a legend is a dozen texts.

    Examples
    --------
    >>> from dlnlib.widgets._render import Blitter, new_figure
    >>> figure = new_figure(3.0)
    >>> ax = figure.subplots()
    >>> line, = ax.plot([0, 1], [0, 1])
    >>> blitter = Blitter(figure)
    >>> blitter.animate(line)                 # redrawn over a cached image of the rest
    >>> first = blitter.png()
    >>> line.set_ydata([1, 0])
    >>> blitter.png() != first and blitter.png().startswith(bytes([0x89]) + b"PNG")
    True
    """

    def __init__(self, figure):
        self.figure = figure
        self.animated = []
        self._background = None
        self._stamps = {}  # artist -> its pixels (None until first drawn)
        self._stamp_size = None

    def animate(self, *artists):
        for artist in artists:
            artist.set_animated(True)
            self.animated.append(artist)

    def reset(self):
        """Forget the animated artists and the background (the drawing is being rebuilt)."""
        self.animated = []
        self._background = None

    def invalidate(self):
        self._background = None

    def stamp(self, artist):
        """Draw ``artist`` once and paste its pixels afterwards; it must not overlap what changes."""
        self._stamps[artist] = None
        self._background = None

    def unstamp(self, artist):
        """Forget a stamped artist and remove it from the figure."""
        self._stamps.pop(artist, None)
        artist.remove()
        self._background = None

    def png(self):
        """The figure as PNG bytes at :data:`LIVE_DPI`."""
        canvas = self.figure.canvas
        if self.figure.dpi != LIVE_DPI:
            self.figure.set_dpi(LIVE_DPI)
            self._background = None
        renderer = canvas.get_renderer()
        if self._background is None or self._background[0] is not renderer:
            size = (self.figure.dpi, canvas.get_width_height())
            if size != self._stamp_size:  # stamps are pixels: redraw them at another size
                self._stamps = dict.fromkeys(self._stamps)
                self._stamp_size = size
            for artist in self._stamps:
                artist.set_visible(False)
            try:
                canvas.draw()  # everything but the animated artists and the stamps
            finally:
                for artist in self._stamps:
                    artist.set_visible(True)
            renderer = canvas.get_renderer()
            for artist, pixels in self._stamps.items():
                if pixels is None:
                    self.figure.draw_artist(artist)
                    self._stamps[artist] = canvas.copy_from_bbox(artist.get_window_extent(renderer).padded(2))
                else:
                    canvas.restore_region(pixels)
            self._background = (renderer, canvas.copy_from_bbox(self.figure.bbox))
        else:
            canvas.restore_region(self._background[1])
        for artist in self.animated:
            if artist.get_visible():
                self.figure.draw_artist(artist)
        image = PIL.Image.frombuffer("RGBA", canvas.get_width_height(), canvas.buffer_rgba(), "raw", "RGBA", 0, 1)
        buffer = io.BytesIO()
        image.save(buffer, format="png", compress_level=PNG_COMPRESSION)
        return buffer.getvalue()

    @contextmanager
    def everything_drawn(self):
        """Within this block a full draw (``savefig``) includes the animated artists.

        ``Figure.draw`` skips animated artists even when saving (``Axes.draw`` does not).
        """
        for artist in self.animated:
            artist.set_animated(False)
        try:
            yield
        finally:
            for artist in self.animated:
                artist.set_animated(True)
            self._background = None

    def full_png(self, dpi=LIVE_DPI):
        """The whole figure drawn from scratch, as PNG bytes."""
        buffer = io.BytesIO()
        with self.everything_drawn():
            self.figure.savefig(buffer, format="png", dpi=dpi)
        return buffer.getvalue()


def player_html(blitter, draw_frame, n_frames, *, fps, dpi=PLAYER_DPI, alt=""):
    """A self-contained, offline HTML player of ``n_frames`` frames of ``blitter.figure``.

    ``draw_frame(k)`` puts the figure in the state of frame ``k``. Frames are rendered with
    ``FuncAnimation.to_jshtml`` (embedded PNGs), then made offline (no CDN stylesheet, text icons
    on the buttons), quantised to :data:`PLAYER_COLORS` colours, and labelled for screen readers
    (``alt`` on the image, a label on the slider).

    Examples
    --------
    >>> from dlnlib.widgets._render import Blitter, new_figure, player_html
    >>> figure = new_figure(2.0)
    >>> line, = figure.subplots().plot([0, 1], [0, 0])
    >>> html = player_html(Blitter(figure), lambda k: line.set_ydata([0, k]), 3, fps=2, alt="a line")
    >>> html.count("data:image/png"), "font-awesome" in html
    (3, False)
    """

    def draw(k):
        draw_frame(k)
        return []

    with blitter.everything_drawn():
        animation = FuncAnimation(blitter.figure, draw, frames=n_frames, init_func=lambda: draw(0),
                                  repeat=False, cache_frame_data=False)
        try:
            with matplotlib.rc_context({"savefig.dpi": dpi, "animation.frame_format": "png"}):
                html = animation.to_jshtml(fps=fps, embed_frames=True, default_mode="once")
        finally:
            animation.event_source = None
    html = _CDN_LINK.sub("", html)
    html = _ICON.sub(lambda match: _ICONS.get(match.group(1), ""), html)
    html = _FRAME.sub(lambda match: "data:image/png;base64," + _quantised(match.group(1)), html)
    html = re.sub(r'<img id="(_anim_img\w+)">', lambda m: f'<img id="{m.group(1)}" alt="{html_lib.escape(alt)}">', html)
    return html.replace('class="anim-slider"', 'class="anim-slider" aria-label="frame"')


def _quantised(encoded):
    """A base64 PNG re-encoded with a palette: :data:`KEY_COLORS` exactly, the rest adapted to the image."""
    image = PIL.Image.open(io.BytesIO(base64.b64decode(encoded.replace("\\", "").replace("\n", "")))).convert("RGB")
    key = [channel for colour in KEY_COLORS for channel in matplotlib.colors.to_rgb(colour)]
    key = [round(255 * channel) for channel in key]
    adaptive = image.quantize(colors=PLAYER_COLORS - len(KEY_COLORS), method=PIL.Image.Quantize.MEDIANCUT,
                              dither=PIL.Image.Dither.NONE)
    colours = adaptive.getpalette()[: 3 * (PLAYER_COLORS - len(KEY_COLORS))] + key
    palette = PIL.Image.new("P", (1, 1))
    palette.putpalette(colours + colours[:3] * (256 - len(colours) // 3))  # pad with a colour already there
    buffer = io.BytesIO()
    image.quantize(palette=palette, dither=PIL.Image.Dither.NONE).save(buffer, format="png", optimize=True)
    return base64.b64encode(buffer.getvalue()).decode("ascii")


def player_card(player, note):
    """The player and a note below it, in a card with its own light colours (readable in any page theme).

    Examples
    --------
    >>> from dlnlib.widgets._render import player_card
    >>> card = player_card("<div>player</div>", "Run <code>make lab</code>.")
    >>> 'class="dlnlib-player"' in card and 'class="dlnlib-note"' in card
    True
    """
    return f'{_CARD_STYLE}<div class="dlnlib-player">{player}<p class="dlnlib-note">{note}</p></div>'


class SegmentOf:
    """One line of a ``LineCollection``, readable like a ``Line2D`` (``get_xydata``) for ``state``.

    Examples
    --------
    >>> from matplotlib.collections import LineCollection
    >>> from dlnlib.widgets._render import SegmentOf
    >>> lines = LineCollection([[(0, 0), (1, 1)], [(0, 1), (1, 0)]])
    >>> SegmentOf(lines, 1).get_xydata().tolist()
    [[0.0, 1.0], [1.0, 0.0]]
    """

    def __init__(self, collection, index):
        self.collection, self.index = collection, index

    def get_xydata(self):
        return self.collection.get_segments()[self.index]


def padded_limits(values, pad=0.06, floor=1e-12):
    """``(low, high)`` around the finite ``values``, widened by ``pad`` of their span.

    Examples
    --------
    >>> from dlnlib.widgets._render import padded_limits
    >>> [round(x, 2) for x in padded_limits([0.0, 1.0, float("nan")])]
    [-0.06, 1.06]
    """
    values = np.asarray(values, dtype=float)
    values = values[np.isfinite(values)]
    if values.size == 0:
        return -1.0, 1.0
    low, high = float(values.min()), float(values.max())
    span = max(high - low, floor, 1e-3 * max(abs(low), abs(high)))
    return low - pad * span, high + pad * span


def format_number(value):
    """``1e-10`` as ``1e-10`` and ``3.2e-05`` as ``3.2e-5``: short plain text (no mathtext to parse).

    Examples
    --------
    >>> from dlnlib.widgets._render import format_number
    >>> format_number(1e-10), format_number(3.2e-5), format_number(0.5)
    ('1e-10', '3.2e-5', '0.5')
    """
    return f"{value:.2g}".replace("e-0", "e-").replace("e+0", "e+")
