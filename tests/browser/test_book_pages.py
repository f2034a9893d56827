"""The built book as a reader sees it, in headless Chromium with no network.

Run after `make book` (`make test-browser` builds the book first when it is out of
date). Every page listed in the table of contents is opened at a desktop size
(1400x900) and a phone size (390x844), in light and dark mode, from a local HTTP
server; anything a page asks from another host is refused, so a page passes only
if it works offline. On each, as a reader would: every solution dropdown is opened
by its button, the sidebar buttons are tapped, and the page is checked for raw TeX,
broken images, console errors, sideways scrolling, equation numbers drawn over their
equations and figures shrunk below a readable size. axe-core checks accessibility.
Screenshots go to ``_build/screenshots/``.
"""

import pytest
from axe_playwright_python.base import AXE_SCRIPT

from .conftest import SCREENSHOTS, offline, toc_pages

SIZES = {"desktop": {"width": 1400, "height": 900}, "phone": {"width": 390, "height": 844}}

# Resources a page may fail to load without being broken, each with the reason.
MISSING_ALLOW_LIST = {
    "/favicon.ico": "Chromium asks for it; no favicon is shipped, and the 404 is cosmetic",
}

# TeX that must never be visible as text.
RAW_TEX = ("$$", "$\\", "\\begin{", "\\frac", "\\alpha", "\\(", "\\[")

# Figures are drawn at 100 dpi with text of 11 pt or more (book/matplotlibrc) and shown
# at no less than this fraction of their drawn size (book/_static/wide-content.js):
# 11 pt * 100/72 * 0.65 = 9.9 CSS pixels.
FIGURE_MIN_SCALE = 0.65

# axe-core: a critical violation always fails. A serious one fails unless its rule is
# listed here, with the reason it is not the book's own to fix.
AXE_SERIOUS_NOT_OURS = {}


def open_page(browser, server, page_path, size, mode):
    """A new page at this size and colour mode, loaded, with its math typeset."""
    context = browser.new_context(viewport=SIZES[size], color_scheme=mode)
    # pydata-sphinx-theme keeps the reader's choice of mode in localStorage.
    context.add_init_script(f"localStorage.setItem('mode', '{mode}')")
    page = context.new_page()
    page.console_errors, page.refused = [], []
    allowed = lambda url: any(url.endswith(ok) for ok in MISSING_ALLOW_LIST)  # noqa: E731
    page.on(
        "console",
        lambda msg: msg.type == "error" and not allowed(msg.location.get("url", "")) and page.console_errors.append(msg.text),
    )
    page.on("response", lambda r: r.status >= 400 and not allowed(r.url) and page.console_errors.append(f"{r.status} {r.url}"))
    page.on("pageerror", lambda error: page.console_errors.append(str(error)))
    offline(page, server, page.refused)
    response = page.goto(f"{server}/{page_path}", wait_until="load")
    assert response is not None and response.ok, f"{page_path} did not load"
    # MathJax replaces every math span with an mjx-container, hidden dropdowns included.
    if page.locator(".math").count():
        page.wait_for_function(
            "() => [...document.querySelectorAll('.math')].every(e => e.querySelector('mjx-container'))",
            timeout=30_000,
        )
    assert page.evaluate("document.documentElement.dataset.theme") == mode
    return page


def open_every_solution(page, page_path):
    """Tap each solution's toggle button, as a reader would, and check that it opened."""
    solutions = page.locator("div.solution.dropdown")
    for k in range(solutions.count()):
        solution = solutions.nth(k)
        button = solution.locator(":scope > .admonition-title .toggle-button")
        button.scroll_into_view_if_needed()
        button.click()
        content = solution.locator(":scope > :not(.admonition-title)").first
        assert content.is_visible(), f"solution {k + 1} on {page_path} did not open"
        assert button.get_attribute("aria-expanded") == "true"
    page.wait_for_timeout(100)  # the page's own scripts update scroll boxes after a click
    return solutions.count()


def visible_prose(page):
    """The article's visible text, without code (which may hold TeX) and typeset math."""
    return page.evaluate(
        """() => {
            const root = document.querySelector('article') || document.body;
            const skip = 'pre, code, .highlight, mjx-container, script, style';
            const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
            const parts = [];
            while (walker.nextNode()) {
                const node = walker.currentNode, el = node.parentElement;
                if (el.closest(skip) || !el.checkVisibility()) continue;
                parts.push(node.textContent);
            }
            return parts.join(' ');
        }"""
    )


def check_sidebars(page, page_path, size):
    """The ☰ button opens and closes the chapter list, the contents button the page's contents."""
    primary = page.locator("article .primary-toggle, .bd-header-article .primary-toggle").first
    assert primary.is_visible(), f"no visible sidebar button on {page_path} ({size})"
    # A link to another page of the book: the current page's own link is "#".
    chapter_link = "nav.bd-docs-nav a.reference.internal:not([href='#'])"
    if size == "phone":
        dialog = page.locator("#pst-primary-sidebar-modal")
        assert not page.locator(f"#pst-primary-sidebar {chapter_link}").first.is_visible()
        primary.click()
        assert dialog.evaluate("d => d.open"), f"☰ did not open the chapter list on {page_path}"
        assert dialog.locator(chapter_link).first.is_visible(), "the chapter list is empty"
        page.keyboard.press("Escape")
        assert not dialog.evaluate("d => d.open"), f"the chapter list did not close on {page_path}"

        contents = page.locator(".bd-header-article .secondary-toggle")
        if page.locator("#pst-secondary-sidebar .toc-entry").count():
            contents.click()
            dialog = page.locator("#pst-secondary-sidebar-modal")
            assert dialog.evaluate("d => d.open"), f"the contents button did nothing on {page_path}"
            assert dialog.locator(".toc-entry a").first.is_visible()
            page.keyboard.press("Escape")
            assert not dialog.evaluate("d => d.open")
    else:
        sidebar = page.locator("#pst-primary-sidebar")
        link = sidebar.locator(chapter_link).first
        article_width = lambda: page.locator("article").bounding_box()["width"]  # noqa: E731
        assert link.is_visible()
        before = article_width()
        primary.click()
        page.wait_for_function("() => getComputedStyle(document.getElementById('pst-primary-sidebar')).visibility === 'hidden'")
        assert not link.is_visible(), f"☰ did not collapse the sidebar on {page_path}"
        page.wait_for_timeout(400)  # the theme animates the margin
        assert article_width() >= before, "collapsing the sidebar did not give the text more room"
        primary.click()
        page.wait_for_function("() => getComputedStyle(document.getElementById('pst-primary-sidebar')).visibility === 'visible'")
        assert link.is_visible(), f"☰ did not bring the sidebar back on {page_path}"
        # it fades back in (0.25 s): the contrast check must not catch its links half transparent
        page.wait_for_function("() => getComputedStyle(document.getElementById('pst-primary-sidebar')).opacity === '1'")


def check_layout(page, page_path, size):
    """No sideways page scroll; equation numbers clear of their equations; figures readable."""
    width = SIZES[size]["width"]
    page_width = page.evaluate("document.documentElement.scrollWidth")
    assert page_width <= width, f"{page_path} scrolls sideways at {size} size ({page_width}px > {width}px)"

    equations = page.evaluate(
        """() => [...document.querySelectorAll('div.math')].filter(d => d.checkVisibility()).map(d => {
            const box = d.querySelector('mjx-container'), number = d.querySelector('.eqno');
            const b = box.getBoundingClientRect(), n = number && number.getBoundingClientRect();
            return {id: d.id || d.textContent.slice(0, 40), right: d.getBoundingClientRect().right,
                    wide: box.scrollWidth > box.clientWidth + 1, overflow: getComputedStyle(box).overflowX,
                    box: [b.left, b.right], number: n && [n.left, n.right]};
        })"""
    )
    for eq in equations:
        assert eq["right"] <= width, f"equation {eq['id']} runs off the {size} screen on {page_path}"
        if eq["wide"]:
            assert eq["overflow"] in ("auto", "scroll"), f"wide equation {eq['id']} cannot scroll"
        if eq["number"]:
            assert eq["number"][1] <= width, f"equation number of {eq['id']} is off screen"
            assert eq["number"][0] >= eq["box"][1] - 0.5, f"equation number drawn over {eq['id']}"

    figures = page.evaluate(
        """() => [...document.querySelectorAll('div.cell_output > img')].filter(i => i.checkVisibility()).map(i => ({
            src: i.src.split('/').pop().slice(0, 16), natural: i.naturalWidth, shown: i.getBoundingClientRect().width,
            box: i.parentElement.clientWidth, scrolls: getComputedStyle(i.parentElement).overflowX}))"""
    )
    for fig in figures:
        assert fig["shown"] >= FIGURE_MIN_SCALE * fig["natural"] - 1, (
            f"figure {fig['src']} on {page_path} shown at {fig['shown'] / fig['natural']:.2f} "
            f"of its size at {size} size: its text is below 10 px"
        )
        if fig["shown"] > fig["box"] + 1:
            assert fig["scrolls"] in ("auto", "scroll"), f"figure {fig['src']} is cut off on {page_path}"
    return len(equations), len(figures)


def check_accessibility(page, page_path, mode):
    """axe-core on the page with its solutions open: all rules in light mode, contrast in dark."""
    # MathJax's output is two thirds of a chapter's elements and makes axe several times
    # slower; it is MathJax's own markup (with its own assistive MathML), so each typeset
    # formula is replaced by its text before the check.
    page.evaluate(
        """() => document.querySelectorAll('mjx-container').forEach(m => {
            const text = document.createElement('span');
            text.textContent = m.textContent;
            m.replaceWith(text);
        })"""
    )
    page.evaluate(AXE_SCRIPT)
    # preload: axe would fetch every stylesheet again to read it, and resolves the theme's
    # `@import "../basic.css"` against the page instead of the stylesheet (a 404 that no
    # reader sees). Only the css-orientation-lock rule needs it.
    options = {"resultTypes": ["violations"], "preload": False}
    if mode == "dark":  # the markup is the same in both modes; only the colours change
        options["runOnly"] = ["color-contrast"]
    violations = page.evaluate("options => axe.run(document, options)", options)["violations"]
    failing = [
        f"{v['id']} ({v['impact']}): {v['help']}; e.g. {v['nodes'][0]['html'][:160]}"
        for v in violations
        if v["impact"] == "critical" or (v["impact"] == "serious" and v["id"] not in AXE_SERIOUS_NOT_OURS)
    ]
    assert failing == [], f"accessibility violations on {page_path} ({mode} mode):\n" + "\n".join(failing)


@pytest.mark.parametrize("mode", ["light", "dark"])
@pytest.mark.parametrize("size", ["desktop", "phone"])
@pytest.mark.parametrize("page_path", toc_pages())
def test_page_as_a_reader_sees_it(server, browser, page_path, size, mode):
    page = open_page(browser, server, page_path, size, mode)
    open_every_solution(page, page_path)

    text = visible_prose(page)
    for raw in RAW_TEX:
        assert raw not in text, f"raw TeX {raw!r} visible on {page_path}: ...{text[text.find(raw) - 80:text.find(raw) + 40]}..."

    broken = page.evaluate(
        "() => [...document.images].filter(i => !i.complete || i.naturalWidth === 0).map(i => i.src.slice(0, 80))"
    )
    assert broken == [], f"images that did not load on {page_path}: {broken}"

    check_layout(page, page_path, size)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    name = page_path.replace("/", "_").removesuffix(".html")
    page.screenshot(path=str(SCREENSHOTS / f"{name}-{size}-{mode}.png"))

    if mode == "light":  # the buttons work the same in both modes
        check_sidebars(page, page_path, size)
    if size == "desktop":  # last: it replaces the typeset math
        check_accessibility(page, page_path, mode)

    assert page.console_errors == [], f"console errors on {page_path}: {page.console_errors}"
    assert page.refused == [], f"{page_path} asked other hosts (refused offline): {page.refused[:5]}"
    page.context.close()
