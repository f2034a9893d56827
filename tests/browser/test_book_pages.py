"""The built book as a reader sees it, in headless Chromium with no network.

Run after `make book`. Every page listed in the table of contents is served from a
local HTTP server; anything the page asks from another host is refused, so a page
passes only if it works offline. Screenshots go to ``_build/screenshots/``.
"""

import functools
import http.server
import pathlib
import threading

import pytest
import yaml

ROOT = pathlib.Path(__file__).resolve().parents[2]
HTML = ROOT / "_build" / "html"
SCREENSHOTS = ROOT / "_build" / "screenshots"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",  # CI runs as root, where Chromium's sandbox cannot start
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",  # otherwise it phones home, and the closed network refuses
    "--disable-component-update",
    "--disable-sync",
]

# Console messages a reader may see that do not mean a broken page. Each entry is a
# substring of the message and the reason it is harmless.
CONSOLE_ALLOW_LIST = {
    # The server is Python's http.server, which has no favicon route.
    "favicon.ico": "no favicon is shipped; the 404 is cosmetic",
}


def toc_pages():
    """The HTML pages of every file in _toc.yml, in reading order."""
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text())
    files = [toc["root"]]
    for part in toc.get("parts", []):
        files += [chapter["file"] for chapter in part["chapters"]]
    return [f.removesuffix(".md").removesuffix(".ipynb") + ".html" for f in files]


@pytest.fixture(scope="module")
def server():
    if not (HTML / "index.html").exists():
        pytest.fail("the book is not built: run `make book` first")
    handler = functools.partial(QuietHandler, directory=str(HTML))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        yield browser
        browser.close()


@pytest.mark.parametrize("page_path", toc_pages())
def test_page_renders_offline(server, browser, page_path):
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    console_errors, external = [], []
    page.on("console", lambda msg: msg.type == "error" and console_errors.append(msg.text))
    page.on("pageerror", lambda error: console_errors.append(str(error)))

    def refuse_other_hosts(route):
        if route.request.url.startswith(server):
            route.continue_()
        else:
            external.append(route.request.url)
            route.abort()

    page.route("**/*", refuse_other_hosts)
    response = page.goto(f"{server}/{page_path}", wait_until="load")
    assert response is not None and response.ok, f"{page_path} did not load"

    # Math: MathJax replaces every math span with an mjx-container; wait until no
    # span is left untouched, then check that no TeX delimiters remain visible.
    n_math = page.locator(".math").count()
    if n_math:
        page.wait_for_function(
            "() => [...document.querySelectorAll('.math')].every(e => e.querySelector('mjx-container'))",
            timeout=30_000,
        )
    # Prose only: code cells and code spans may legitimately contain TeX (plot titles, docstrings).
    body_text = page.evaluate(
        """() => {
            const root = (document.querySelector('article') || document.body).cloneNode(true);
            root.querySelectorAll('pre, code, .highlight, mjx-container').forEach(e => e.remove());
            return root.innerText;
        }"""
    )
    for raw in ("$$", "\\begin{", "\\frac", "\\(", "\\["):
        assert raw not in body_text, f"raw TeX {raw!r} left on {page_path}"

    # Images: each one fetched and decoded.
    broken = page.evaluate(
        "() => [...document.images].filter(i => !i.complete || i.naturalWidth === 0).map(i => i.src)"
    )
    assert broken == [], f"images that did not load on {page_path}: {broken}"

    unexpected = [m for m in console_errors if not any(ok in m for ok in CONSOLE_ALLOW_LIST)]
    assert unexpected == [], f"console errors on {page_path}: {unexpected}"

    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    name = page_path.replace("/", "_").removesuffix(".html")
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=False)
    page.close()
