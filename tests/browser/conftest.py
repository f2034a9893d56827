"""Headless Chromium for the browser tests, and a local server for the built book.

Chromium is looked up in this order: the ``CHROMIUM`` environment variable, a system
Chromium or Chrome on the PATH (Debian's ``chromium``, other distributions'
``chromium-browser``, ``google-chrome``), then the browser Playwright downloads
itself (``playwright install chromium``, which `make browser` runs where no system
browser can be installed). Nothing the pages ask from another host is served: every
request that does not go to the local server is refused and recorded.
"""

import functools
import http.server
import os
import pathlib
import shutil
import threading

import pytest
import yaml

ROOT = pathlib.Path(__file__).resolve().parents[2]
HTML = ROOT / "_build" / "html"
SCREENSHOTS = ROOT / "_build" / "screenshots"
SYSTEM_BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
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


def chromium_executable():
    """The Chromium to drive: a path, or None for the one Playwright installed itself."""
    if os.environ.get("CHROMIUM"):
        return os.environ["CHROMIUM"]
    for name in SYSTEM_BROWSERS:
        if path := shutil.which(name):
            return path
    return None


def toc_pages():
    """The HTML pages of every file in _toc.yml, in reading order (nested sections included)."""
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text())
    files = [toc["root"]]

    def walk(entries):
        for entry in entries:
            if "file" in entry:
                files.append(entry["file"])
            walk(entry.get("sections", []))

    for part in toc.get("parts", []):
        walk(part.get("chapters", []))
    walk(toc.get("chapters", []))
    return [f.removesuffix(".md").removesuffix(".ipynb") + ".html" for f in files]


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def serve(directory):
    """Serve a folder on a free local port; returns (base URL, server)."""
    handler = functools.partial(QuietHandler, directory=str(directory))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    return f"http://127.0.0.1:{httpd.server_address[1]}", httpd


@pytest.fixture(scope="session")
def server():
    if not (HTML / "index.html").exists():
        pytest.fail("the book is not built: run `make book` first (`make test-browser` does)")
    url, httpd = serve(HTML)
    yield url
    httpd.shutdown()


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import Error, sync_playwright

    executable = chromium_executable()
    with sync_playwright() as playwright:
        try:
            browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_FLAGS)
        except Error as error:
            pytest.fail(
                f"cannot start Chromium ({executable or 'the one Playwright installs'}): {error}\n"
                "Install one with `make browser`, or point the CHROMIUM environment variable at it."
            )
        yield browser
        browser.close()


def offline(page, server, refused):
    """Let the page reach the local server only; record every other URL it asks for."""

    def route(request_route):
        if request_route.request.url.startswith(server):
            request_route.continue_()
        else:
            refused.append(request_route.request.url)
            request_route.abort()

    page.route("**/*", route)
