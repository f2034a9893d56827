"""The chapters in JupyterLab, started as ``make lab`` starts it, in headless Chromium.

Run by ``make test-lab`` (part of ``make test``), which installs the pinned JupyterLab and
jupyterlab-myst (requirements-lab.txt) and builds the HTML book first. ``lab/start.py`` makes
fresh copies of the chapters in a temporary folder and starts JupyterLab on them, as ``make lab``
does, here with settings, workspace and runtime folders of its own (nothing of the user's is
read; the Jupyter-news question is turned off) and no network but the local server. Each
chapter's page in JupyterLab is compared with the HTML book's page of the same chapter.

Every chapter, opened:

- no raw MyST is visible, and no box jupyterlab-myst draws for a directive of its own;
- its numbered blocks (propositions, theorems, ...) have the HTML book's titles, and every
  equation its number;
- every reference within the chapter, and every link to another chapter, reads as in the book;
- every solution is folded, under the book's title for it.

The chapters named in ``LAB_RUN`` (default ``01_network``, the shortest to run; ``LAB_RUN=all``
runs every chapter), run with Run > Run All Cells, as a reader does:

- every code cell runs without error, and every glued number shows in the prose, with the
  text of the HTML book;
- the first folded solution opens with one click, showing its text and code; a link to another
  chapter opens that chapter;
- File > Save writes the copy, and ``book/`` is left as it was.

Screenshots go to ``_build/screenshots/lab/``.
"""

import collections
import functools
import hashlib
import json
import os
import re
import secrets
import socket
import subprocess
import sys
import time
import urllib.request

import pytest
from bs4 import BeautifulSoup

from .conftest import HTML, ROOT, SCREENSHOTS, offline

sys.path.insert(0, str(ROOT / "lab"))
from glued import NOT_YET  # noqa: E402
from make_copies import toc_chapters  # noqa: E402

CHAPTERS = [path.stem for path, _ in toc_chapters()]
RUN = CHAPTERS if os.environ.get("LAB_RUN") == "all" else os.environ.get("LAB_RUN", "01_network").split(",")
RUN_TIMEOUT = 600_000  # ms: a whole chapter, on a busy machine
PANEL = ".jp-NotebookPanel:not(.lm-mod-hidden)"
MARKDOWN = f"{PANEL} .jp-MarkdownCell"
RENDERED = f"{MARKDOWN} .myst"  # jupyterlab-myst's rendering of each Markdown cell
# Text that must never be visible in the rendered Markdown: roles, directives, and what
# jupyterlab-myst writes for directives it does not know or renders its own way.
RAW_MYST = (
    "```", ":::", "{prf:", "{glue", "{cite", "{eval}", "{doc}", "{eq}", "{ref}", "{numref}", "{exercise",
    "{solution", "Unknown Directive", "Start of Exercise", "End of Exercise", "Start of Solution",
)  # fmt: skip
SCREENSHOT_DIR = SCREENSHOTS / "lab"
# An element's text with each formula as its TeX (KaTeX keeps it in an annotation), without
# the pilcrow of a heading's own link: comparable with the HTML book's "\(\alpha\)".
TEXT_WITH_TEX = """(elements) => elements.map(element => {
    const copy = element.cloneNode(true);
    copy.querySelectorAll('.katex').forEach(k => k.replaceWith(k.querySelector('annotation')?.textContent ?? ''));
    copy.querySelectorAll('a').forEach(a => { if (a.textContent.trim() === '\u00b6') a.remove(); });
    return copy.textContent;
})"""


def words(text):
    return " ".join(text.split())


def html_words(element):
    """An HTML element's words, with each formula as its TeX ("\\(\\alpha\\)" becomes "\\alpha")."""
    return words(re.sub(r"\\[()]", "", element.get_text()))


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def book_digest():
    files = [path for path in (ROOT / "book").iterdir() if path.is_file()]
    return {path.name: hashlib.sha256(path.read_bytes()).hexdigest() for path in files}


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    """JupyterLab on fresh copies of the chapters, as `make lab` starts it: (URL, token, copies)."""
    tmp = tmp_path_factory.mktemp("lab")
    copies = tmp / "copies"
    settings = tmp / "settings" / "@jupyterlab" / "apputils-extension"
    settings.mkdir(parents=True)
    # No "get notified about Jupyter news?" pop-up over the notebook.
    (settings / "notification.jupyterlab-settings").write_text('{"fetchNews": "false", "checkForUpdates": false}')
    port, token = free_port(), secrets.token_hex(16)
    env = dict(
        os.environ,
        JUPYTER_CONFIG_DIR=str(tmp / "config"),
        JUPYTER_DATA_DIR=str(tmp / "data"),
        JUPYTER_RUNTIME_DIR=str(tmp / "runtime"),
    )
    command = [
        sys.executable, str(ROOT / "lab" / "start.py"), str(copies), "--no-browser", "--allow-root",
        "--ip=127.0.0.1", f"--port={port}", "--ServerApp.port_retries=0", f"--IdentityProvider.token={token}",
        f"--LabApp.user_settings_dir={tmp / 'settings'}", f"--LabApp.workspaces_dir={tmp / 'workspaces'}",
    ]  # fmt: skip
    log = open(tmp / "jupyterlab.log", "w")  # noqa: SIM115 (closed below)
    server = subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 120
    while True:
        try:
            urllib.request.urlopen(f"{url}/api/status?token={token}", timeout=2)
            break
        except OSError:
            if server.poll() is not None or time.monotonic() > deadline:
                server.kill()
                pytest.fail(f"JupyterLab did not start:\n{(tmp / 'jupyterlab.log').read_text()[-3000:]}")
            time.sleep(0.25)
    yield url, token, copies
    server.terminate()
    server.wait(timeout=30)
    log.close()


@functools.cache
def html_page(chapter):
    page = HTML / "book" / f"{chapter}.html"
    if not page.exists():
        pytest.fail("the book is not built: run `make book` first (`make test-lab` does)")
    return BeautifulSoup(page.read_text(), "html.parser")


def new_lab_page(browser, lab, path):
    """A new browser page on JupyterLab at ``path``, with a workspace of its own, started afresh.

    (JupyterLab reopens what a workspace had open, and the server keeps the workspace of every
    page opened before.) Requests to other hosts are refused and recorded in ``page.refused``,
    uncaught errors in ``page.errors``.
    """
    url, token, _ = lab
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    page = context.new_page()
    page.refused, page.errors = [], []
    page.on("pageerror", lambda error: page.errors.append(str(error)))
    offline(page, url, page.refused)
    page.goto(f"{url}/lab/workspaces/{path}?reset&token={token}")
    return page


def wait_rendered(page, lab, chapter):
    """Wait until every Markdown cell of the chapter is rendered and its references resolved."""
    page.notebook = json.loads((lab[2] / f"{chapter}.ipynb").read_text())
    n_markdown = sum(cell["cell_type"] == "markdown" for cell in page.notebook["cells"])
    page.locator(".jp-NotebookPanel-toolbar").first.wait_for(timeout=120_000)
    page.wait_for_function(
        "([selector, n]) => document.querySelectorAll(selector).length == n",
        arg=[RENDERED, n_markdown],
        timeout=120_000,
    )
    # jupyterlab-myst resolves references across cells as cells finish rendering: wait until
    # the rendered text stops changing.
    previous, deadline = None, time.monotonic() + 60
    while (text := rendered_text(page)) != previous and time.monotonic() < deadline:
        previous = text
        page.wait_for_timeout(500)


def shut_down_kernels(lab):
    url, token, _ = lab
    sessions = json.load(urllib.request.urlopen(f"{url}/api/sessions?token={token}"))
    for session in sessions:
        request = urllib.request.Request(f"{url}/api/sessions/{session['id']}?token={token}", method="DELETE")
        urllib.request.urlopen(request)


def rendered_text(page):
    return page.eval_on_selector_all(RENDERED, "cells => cells.map(c => c.textContent)")


def lab_links(page):
    """(href, text) of every link in the rendered Markdown, in order."""
    links = page.eval_on_selector_all(
        f"{RENDERED} a", "links => links.map(a => [a.className, a.getAttribute('href'), a.textContent])"
    )
    return [(cls, href, words(text)) for cls, href, text in links]


@pytest.fixture(scope="module")
def reader(lab, browser):
    """One JupyterLab page, in which the chapters are opened one after another."""
    page = new_lab_page(browser, lab, "opened")
    page.locator(".jp-DirListing-item").first.wait_for(timeout=120_000)
    yield page
    page.context.close()


@pytest.fixture(scope="module", params=CHAPTERS)
def opened(request, lab, reader):
    """The chapter opened from JupyterLab's file browser (its earlier tabs closed), not run."""
    page, chapter = reader, request.param
    if page.locator(PANEL).count():
        page.click(".lm-MenuBar-itemLabel:text-is('File')")
        page.click(".lm-Menu-itemLabel:text-is('Close All Tabs')")
        # The kernel's start filled in the notebook's metadata, so JupyterLab asks whether to
        # save it: not this copy.
        page.click(".jp-Dialog button:has-text('Discard')")
        page.locator(PANEL).wait_for(state="detached")
    page.locator(".jp-DirListing-item", has_text=f"{chapter}.ipynb").dblclick()
    wait_rendered(page, lab, chapter)
    page.chapter, page.html = chapter, html_page(chapter)
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOT_DIR / f"{chapter}-opened.png"))
    yield page
    shut_down_kernels(lab)


def test_no_raw_myst_is_visible(opened):
    assert opened.refused == [], f"JupyterLab asked other hosts (refused offline): {opened.refused[:5]}"
    assert opened.errors == [], f"uncaught errors in the page: {opened.errors}"
    text = "\n".join(rendered_text(opened))
    for raw in RAW_MYST:
        where = text.find(raw)
        assert where < 0, f"{opened.chapter}: {raw!r} visible: ...{text[max(where - 80, 0) : where + 60]}..."
    assert opened.locator(f"{RENDERED} aside.myst-exercise").count() == 0


def test_numbered_blocks_and_equations_read_as_in_the_book(opened):
    titles = [words(title) for title in opened.eval_on_selector_all(f"{RENDERED} .myst-proof-title", TEXT_WITH_TEX)]
    html_titles = [
        html_words(block.select_one(".admonition-title")) if block.select_one(".admonition-title") else "Proof"
        for block in opened.html.select("div.proof")
    ]
    assert len(titles) == len(html_titles) > 0
    assert titles == html_titles
    # Every labelled equation, numbered as in the book.
    numbers = {
        href.removeprefix("#"): text
        for cls, href, text in lab_links(opened)
        if href.startswith("#") and "hover-link" not in cls and re.fullmatch(r"\(\d+\.\d+\)", text)
    }
    html_numbers = {
        math["id"].removeprefix("equation-"): re.search(r"\(\d+\.\d+\)", math.select_one("span.eqno").get_text())[0]
        for math in opened.html.select("div.math[id^='equation-']")
    }
    assert numbers == html_numbers and len(numbers) > 0


def test_references_and_links_read_as_in_the_book(opened):
    links = lab_links(opened)
    html_links = [
        (a["href"], words(a.get_text()))
        for a in opened.html.select("article a.reference.internal")
        if not a.find_parent(class_="admonition-title")  # an exercise's title links to itself
    ]
    # Within the chapter: the references in the prose, in order.
    references = [(href.removeprefix("#"), text) for cls, href, text in links if "hover-link" in cls]
    html_references = [
        (href.removeprefix("#").removeprefix("equation-"), text) for href, text in html_links if href.startswith("#")
    ]
    assert references == html_references and len(references) > 0
    # To other chapters: links to their copies, which JupyterLab opens (test_a_chapter_run).
    to_chapters = [
        (match[1], text) for _, href, text in links if (match := re.search(r"/files/(\w+)\.ipynb", href or ""))
    ]
    html_to_chapters = [
        (page, text)
        for href, text in html_links
        if (page := href.split(".html")[0]) in CHAPTERS and page != opened.chapter
    ]
    assert collections.Counter(to_chapters) == collections.Counter(html_to_chapters)


def test_every_solution_is_folded_under_the_books_title(opened):
    headings = f"{MARKDOWN}.jp-MarkdownHeadingCollapsed .myst"
    titles = [words(title) for title in opened.eval_on_selector_all(headings, TEXT_WITH_TEX)]
    html_titles = [html_words(s.select_one(".admonition-title")) for s in opened.html.select("div.solution")]
    assert titles == html_titles and len(titles) > 0
    # Nothing of a solution is visible: every cell after a folded heading, up to the next
    # heading, is hidden.
    visible_in_solutions = opened.evaluate(
        """(selector) => [...document.querySelectorAll(selector)].flatMap(heading => {
            const shown = [];
            for (let cell = heading.nextElementSibling; cell; cell = cell.nextElementSibling) {
                if (cell.querySelector('.myst h1, .myst h2, .myst h3, .myst h4')) break;
                if (!cell.classList.contains('lm-mod-hidden')) shown.push(cell.textContent.slice(0, 80));
            }
            return shown;
        })""",
        f"{MARKDOWN}.jp-MarkdownHeadingCollapsed",
    )
    assert visible_in_solutions == []
    assert opened.locator(f"{PANEL} .jp-Notebook-cell.lm-mod-hidden").count() >= len(titles)


# --- A chapter run as a reader runs it -----------------------------------------------------


@pytest.fixture(scope="module", params=RUN)
def ran(request, lab, browser):
    """The chapter opened in JupyterLab, run with Run All, then saved with File > Save."""
    chapter = request.param
    copy = lab[2] / f"{chapter}.ipynb"
    before = book_digest()
    page = new_lab_page(browser, lab, f"ran-{chapter}/tree/{chapter}.ipynb")
    wait_rendered(page, lab, chapter)
    page.wait_for_selector(f"{PANEL} .jp-Notebook-ExecutionIndicator[data-status='idle']", timeout=120_000)
    page.chapter, page.html, page.copy, page.book_before = chapter, html_page(chapter), copy, before
    started = time.monotonic()
    page.click(".lm-MenuBar-itemLabel:text-is('Run')")
    page.click(".lm-Menu-itemLabel:text-is('Run All Cells')")
    # An inline expression shows its code ("glued.text(...)") until the kernel has answered,
    # which it does in order, after every code cell sent before it.
    page.wait_for_function(
        """(selector) => {
            const cells = [...document.querySelectorAll(selector)];
            return cells.length > 0 && !cells.some(c => c.textContent.includes('glued.'));
        }""",
        arg=RENDERED,
        timeout=RUN_TIMEOUT,
    )
    page.wait_for_selector(f"{PANEL} .jp-Notebook-ExecutionIndicator[data-status='idle']", timeout=RUN_TIMEOUT)
    page.run_seconds = time.monotonic() - started
    written = copy.stat().st_mtime_ns
    page.click(".lm-MenuBar-itemLabel:text-is('File')")
    page.click(".lm-Menu-itemLabel:text-is('Save Notebook')")
    deadline = time.monotonic() + 60
    while copy.stat().st_mtime_ns == written:
        if time.monotonic() > deadline:
            page.screenshot(path=str(SCREENSHOT_DIR / f"{chapter}-not-saved.png"))
            pytest.fail(f"File > Save Notebook did not write the copy (screenshot {chapter}-not-saved.png)")
        # Not time.sleep: Playwright serves the page's requests (routed by offline()) only
        # while it is called, and the save is such a request.
        page.wait_for_timeout(200)
    page.wait_for_timeout(500)
    page.saved = json.loads(copy.read_text())
    print(f"\n{chapter}: run in JupyterLab in {page.run_seconds:.0f} s")
    yield page
    page.context.close()


def test_every_code_cell_runs_and_saving_leaves_the_book_alone(ran):
    code = [cell for cell in ran.saved["cells"] if cell["cell_type"] == "code"]
    assert code and all(cell["execution_count"] for cell in code), "Run All did not run every code cell"
    failed = ["".join(c["source"])[:80] for c in code if any(o["output_type"] == "error" for o in c["outputs"])]
    assert failed == [], f"code cells failed in JupyterLab: {failed}"
    assert book_digest() == ran.book_before


def test_glued_numbers_show_in_the_prose_as_in_the_html_book(ran):
    cells = [cell for cell in ran.saved["cells"] if cell["cell_type"] == "markdown"]
    expressions = [e for cell in cells for e in cell["metadata"].get("user_expressions", [])]
    failed = [e for e in expressions if e["result"]["status"] != "ok"]
    assert failed == [], f"inline expressions failed: {failed}"
    # The kernel's answers, kept in the saved copy, against the book's pasted text, in order.
    texts = [e["result"]["data"]["text/plain"] for e in expressions]
    html_texts = [span.get_text() for span in ran.html.select("span.pasted-text")]
    assert len(texts) == sum(cell["source"].count("{eval}`") for cell in map(joined, cells)) > 0
    assert texts == html_texts
    # And each shows in its cell's rendered text.
    rendered = ran.eval_on_selector_all(MARKDOWN, "cells => cells.map(c => c.querySelector('.myst').textContent)")
    assert len(rendered) == len(cells)
    for cell, text in zip(cells, rendered):
        for expression in cell["metadata"].get("user_expressions", []):
            assert expression["result"]["data"]["text/plain"] in text
    assert "glued." not in "".join(rendered) and NOT_YET not in "".join(rendered)
    # A screenshot of the first paragraph with a glued number, and of the first proof.
    first = next(k for k, cell in enumerate(cells) if cell["metadata"].get("user_expressions"))
    ran.locator(MARKDOWN).nth(first).scroll_into_view_if_needed()
    ran.screenshot(path=str(SCREENSHOT_DIR / f"{ran.chapter}-glued.png"))
    ran.locator(f"{RENDERED} aside.myst-proof").first.scroll_into_view_if_needed()
    ran.screenshot(path=str(SCREENSHOT_DIR / f"{ran.chapter}-proof.png"))


def joined(cell):
    return {**cell, "source": "".join(cell["source"])}


def solutions(cells):
    """(index of the folded heading, indices of the cells under it) of each solution in a copy."""
    found = []
    for start, cell in enumerate(cells):
        if cell["metadata"].get("jp-MarkdownHeadingCollapsed"):
            level = len(re.match(r"#+", cell["source"])[0])
            # JupyterLab folds the cells below, up to the next heading of this level or above.
            heading_up_to_level = re.compile(rf"^#{{1,{level}}} ", re.M)
            end = next(
                (k for k in range(start + 1, len(cells)) if heading_up_to_level.search(cells[k]["source"])), len(cells)
            )
            found.append((start, range(start + 1, end)))
    return found


def test_a_folded_solution_opens_with_one_click(ran):
    cells = [joined(cell) for cell in ran.saved["cells"]]
    # The first solution with code in it, else the first.
    found = solutions(cells)
    with_code = [(start, inside) for start, inside in found if any(cells[k]["cell_type"] == "code" for k in inside)]
    start, inside = (with_code or found)[0]
    assert len(inside) > 0
    all_cells = ran.locator(f"{PANEL} .jp-Notebook-cell")
    heading, following = all_cells.nth(start), [all_cells.nth(k) for k in inside]
    heading.scroll_into_view_if_needed()
    assert all(cell.is_hidden() for cell in following)
    ran.screenshot(path=str(SCREENSHOT_DIR / f"{ran.chapter}-solution-folded.png"))
    heading.locator(".jp-showHiddenCellsButton").click()
    following[0].wait_for(state="visible")
    assert all(cell.is_visible() for cell in following)
    # What shows is the solution: each code cell shows its code.
    for k, cell in zip(inside, following):
        if cells[k]["cell_type"] == "code":
            assert cells[k]["source"].split("\n")[0] in cell.inner_text()
    following[0].scroll_into_view_if_needed()
    ran.screenshot(path=str(SCREENSHOT_DIR / f"{ran.chapter}-solution-opened.png"))


def test_a_link_to_another_chapter_opens_it(ran):
    link = ran.locator(f"{RENDERED} a[href*='/files/']").first
    target = re.search(r"/files/(\w+\.ipynb)", link.get_attribute("href"))[1]
    link.scroll_into_view_if_needed()
    link.click()
    tab = ran.locator(".lm-TabBar-tab.lm-mod-current .lm-TabBar-tabLabel", has_text=target)
    tab.wait_for(timeout=60_000)
    ran.wait_for_selector(f"{RENDERED}", timeout=60_000)
    assert ran.locator(f"{PANEL}").count() == 1


def test_jupyterlab_runs_offline_and_cleanly(ran):
    assert ran.refused == [], f"JupyterLab asked other hosts (refused offline): {ran.refused[:5]}"
    assert ran.errors == [], f"uncaught errors in the page: {ran.errors}"
