"""Accessible markup for two things the book's pages get from their tools.

- Bibliography: docutils writes the citation list as ``<div role="list">`` holding
  ``<div role="doc-biblioentry">`` entries. A list must hold list items (and
  ``doc-biblioentry`` is a deprecated role), so screen readers announce an empty
  list. Each entry becomes a ``listitem``.
- Players made by matplotlib's ``Animation.to_jshtml``: the frame ``<img>`` has no
  text alternative and the frame slider no label. Both get one, unless the player
  already carries its own (then nothing is changed).

The fixes are applied to each page's HTML body as Sphinx writes it, so they hold
without JavaScript. The browser test's accessibility check (axe-core) covers them.
"""

import re

_BIBLIOENTRY = re.compile(r'role="doc-biblioentry"')
_PLAYER_IMG = re.compile(r'<img id="(_anim_img[0-9a-f]+)"(?![^>]*\balt=)')
_PLAYER_SLIDER = re.compile(r'<input id="(_anim_slider[0-9a-f]+)"(?![^>]*\baria-label=)')

PLAYER_ALT = "Frame of the animated figure; step through the frames with the slider and buttons below it."


def accessible_body(body):
    """The page body with the two fixes above applied."""
    body = _BIBLIOENTRY.sub('role="listitem"', body)
    body = _PLAYER_IMG.sub(rf'<img id="\1" alt="{PLAYER_ALT}"', body)
    return _PLAYER_SLIDER.sub(r'<input id="\1" aria-label="Frame"', body)


def _fix_page(app, pagename, templatename, context, doctree):
    if "body" in context:
        context["body"] = accessible_body(context["body"])


def setup(app):
    app.connect("html-page-context", _fix_page)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
