"""The students' copy of the book (``make book-students``, i.e. HIDE_SOLUTIONS=1) leaks no solution.

Every file a reader can fetch from that build's HTML folder is searched: pages, search index,
scripts, images, and the page sources behind the download buttons (``_sources/``). A solution is
known from the chapters themselves: the cells between ``{solution-start}`` and ``{solution-end}``
(found here independently of the extension that removes them), and the images their code drew
(found in the build's executed notebooks, which live outside the HTML folder).
"""

import base64
import hashlib
import html.parser
import json
import pathlib
import re

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
STUDENTS = ROOT / "_build" / "students" / "_build"
HTML = STUDENTS / "html"
FULL_HTML = ROOT / "_build" / "html"  # the ordinary build, with solutions (`make book`)
CHAPTERS = sorted((ROOT / "book").glob("*.ipynb"))
TEXT_SUFFIXES = {".html", ".js", ".txt", ".ipynb", ".md", ".json", ".css", ".svg", ".xml", ".inv", ""}


def gated_cells(notebook):
    """(inside_solution, cell) for every cell; the solution markers themselves count as inside."""
    inside = False
    for cell in notebook["cells"]:
        source = "".join(cell["source"])
        starts, ends = "{solution-start}" in source, "{solution-end}" in source
        if starts:
            inside = True
        yield inside or ends, cell
        if ends:
            inside = False


def plain_runs(markdown):
    """Stretches of a Markdown text with no markup (math, roles, code, emphasis), whitespace folded."""
    text = re.sub(r"\$\$.*?\$\$|\$[^$]*\$|\{[^}]*\}`[^`]*`|`[^`]*`|```.*?```", "\n", markdown, flags=re.S)
    runs = re.split(r"[\n*_#:|()\[\]]+", text)
    return [" ".join(run.split()) for run in runs]


def solution_fragments(path):
    """Distinctive pieces of a chapter's solutions: code lines and plain-text runs of at least
    25 characters that appear nowhere outside the chapter's solutions."""
    notebook = json.loads(path.read_text())
    secret, public = set(), []
    for inside, cell in gated_cells(notebook):
        source = "".join(cell["source"])
        if not inside:
            public.append(" ".join(source.split()))
            continue
        if cell["cell_type"] == "code":
            secret |= {" ".join(line.split()) for line in source.splitlines()}
        else:
            secret |= set(plain_runs(re.sub(r"```\{solution-(start|end)\}.*?```", "", source, flags=re.S)))
    public = "\n".join(public)
    return {fragment for fragment in secret if len(fragment) >= 25 and fragment not in public}


def solution_images(path):
    """SHA-256 of every image that a solution cell drew, from the build's executed notebook."""
    executed = STUDENTS / "jupyter_execute" / "book" / path.name
    notebook = json.loads(executed.read_text())
    digests = set()
    for inside, cell in gated_cells(notebook):
        for output in cell.get("outputs", []) if inside else []:
            for mime, data in output.get("data", {}).items():
                if mime.startswith("image/") and mime != "image/svg+xml":
                    digests.add(hashlib.sha256(base64.b64decode("".join(data))).hexdigest())
    return digests


class _Text(html.parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.parts = []

    def handle_data(self, data):
        self.parts.append(data)


def readable_text(path):
    """What a reader sees in a file: the text of a page, the contents of anything else."""
    text = path.read_text(encoding="utf-8", errors="replace")
    if path.suffix == ".html":
        parser = _Text()
        parser.feed(text)
        text = "".join(parser.parts)
    if path.suffix == ".ipynb":  # a notebook's cells are JSON strings: read them as their reader would
        text = " ".join("".join(cell["source"]) for cell in json.loads(text)["cells"])
    return " ".join(text.split())


@pytest.fixture(scope="module")
def fetchable():
    """Every file in the students' HTML folder: {path: text or None (binary)}, and the digests."""
    if not (HTML / "index.html").exists():
        pytest.fail("the students' copy is not built: run `make book-students` first")
    files = [path for path in HTML.rglob("*") if path.is_file()]
    texts = {path: readable_text(path) for path in files if path.suffix in TEXT_SUFFIXES}
    digests = {hashlib.sha256(path.read_bytes()).hexdigest() for path in files}
    return texts, digests


@pytest.mark.parametrize("chapter", CHAPTERS, ids=lambda path: path.stem)
def test_no_solution_text_in_any_fetchable_file(fetchable, chapter):
    texts, _ = fetchable
    fragments = solution_fragments(chapter)
    if "solution-start" not in chapter.read_text():
        return  # a chapter without exercises has nothing to hide
    assert len(fragments) >= 5
    leaks = {str(path.relative_to(HTML)): [f for f in fragments if f in text] for path, text in texts.items()}
    assert {path: found for path, found in leaks.items() if found} == {}


@pytest.mark.parametrize("chapter", CHAPTERS, ids=lambda path: path.stem)
def test_no_solution_image_in_any_fetchable_file(fetchable, chapter):
    _, digests = fetchable
    assert solution_images(chapter).isdisjoint(digests)


@pytest.mark.parametrize("chapter", CHAPTERS, ids=lambda path: path.stem)
def test_downloadable_notebook_keeps_the_exercises(chapter):
    source = json.loads(chapter.read_text())
    download = json.loads((HTML / "_sources" / "book" / chapter.name).read_text())
    count = lambda nb, marker: sum("".join(c["source"]).count(marker) for c in nb["cells"])
    assert count(download, "{exercise-start}") == count(source, "{exercise-start}")
    assert count(download, "{solution-start}") == count(download, "{solution-end}") == 0
    assert len(download["cells"]) > 0.6 * len(source["cells"])


def test_the_search_would_find_solutions_where_they_are():
    """The same search on the ordinary build (`make book`) finds the solutions: it is not blind."""
    if not (FULL_HTML / "index.html").exists():
        pytest.fail("the ordinary book is not built: run `make book` first")
    for chapter in CHAPTERS:
        if "solution-start" not in chapter.read_text():
            continue
        fragments = solution_fragments(chapter)
        page = readable_text(FULL_HTML / "book" / f"{chapter.stem}.html")
        download = readable_text(FULL_HTML / "_sources" / "book" / chapter.name)
        assert all(fragment in download for fragment in fragments), chapter.stem
        assert sum(fragment in page for fragment in fragments) >= 0.5 * len(fragments), chapter.stem
