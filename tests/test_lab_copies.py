"""The chapters' working copies for JupyterLab (``lab/make_copies.py``, ``lab/glued.py``), no browser.

What JupyterLab shows of the copies is tested in ``tests/browser/test_lab.py``; here, the
rewriting on small strings, each glued number's text against Python's own formatting, and every
chapter's copy: made without error, with nothing left in its Markdown that jupyterlab-myst 2.7
would show raw or silently drop.
"""

import doctest
import json
import pathlib
import re
import sys
import zlib

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "lab"))

import glued  # noqa: E402
import make_copies  # noqa: E402
from make_copies import Chapter, CopyError, Rewriter, copy_notebook, glue_expression, split_at_exercises  # noqa: E402

BIB = ROOT / "book" / "references.bib"
# sphinx-proof's directives, all of which jupyterlab-myst 2.7 renders as numbered blocks
# (tests/browser/test_lab.py checks their titles against the HTML book).
PROOF_DIRECTIVES = {
    "prf:" + kind
    for kind in (
        "algorithm assumption axiom conjecture corollary criterion definition example lemma notation "
        "observation proof property proposition remark theorem"
    ).split()
}
# Roles that jupyterlab-myst resolves within one notebook; {eval} is its inline expression.
LAB_ROLES = {"eval", "eq", "prf:ref", "ref"}


def markdown(text):
    return {"cell_type": "markdown", "id": f"m{zlib.crc32(text.encode())}", "metadata": {}, "source": text}


def code(text, *tags):
    metadata = {"tags": list(tags)} if tags else {}
    cell = {"cell_type": "code", "id": f"c{zlib.crc32(text.encode())}", "metadata": metadata, "source": text}
    return {**cell, "outputs": [], "execution_count": None}


def sources(notebook):
    return ["".join(cell["source"]) for cell in notebook["cells"]]


def chapter_of(*cells, name="04_theorem", number=4):
    return Chapter({"cells": list(cells)}, ROOT / "book" / f"{name}.ipynb", number)


def rewrite(text, chapter=None, others=(), citations=None):
    chapter = chapter or chapter_of(markdown("# Title"))
    return Rewriter(chapter, [chapter, *others], citations, ROOT / "_build" / "lab").markdown(text)


@pytest.mark.parametrize("module", [make_copies, glued], ids=lambda module: module.__name__)
def test_docstring_examples(module):
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS)
    assert result.attempted > 0 and result.failed == 0


# --- Glued numbers ----------------------------------------------------------------------------


def glue_forms_in_chapters():
    """Every format of {glue:text} the chapters use ("" for none), and the role's other forms."""
    roles = set()
    for path in sorted((ROOT / "book").glob("*.ipynb")):
        for text in sources(json.loads(path.read_text(encoding="utf-8"))):
            roles.update(re.findall(r"\{(glue[\w:]*)\}`[^`:]+(:[^`]*)?`", text))
    return sorted(roles)


GLUE_FORMS = glue_forms_in_chapters()


def test_the_chapters_use_glue_text_with_formats():
    # The forms below are the ones parametrised over: if the chapters stopped using glue, or
    # used other roles, this says so rather than testing nothing.
    assert {role for role, _ in GLUE_FORMS} == {"glue:text"}
    assert {"", ":.3f", ":.1e"} <= {fmt for _, fmt in GLUE_FORMS}


@pytest.mark.parametrize(("role", "fmt"), GLUE_FORMS, ids=lambda form: form or "no-format")
@pytest.mark.parametrize("value", [0.0123456, 2 / 3, 12345.678, -3.5e-9, 7, 30])
def test_glued_numbers_read_as_python_formats_them(role, fmt, value):
    # The oracle is Python's format specification, which myst-nb's {glue:text}`key:fmt` follows;
    # without a format, the value's str().
    key = f"test-{fmt}-{value}"
    glued.glue(key, value, display=False)
    expression = glue_expression(role, key + fmt)
    assert expression.startswith("{eval}`glued.text(") and expression.endswith(")`")
    shown = repr(eval(expression[len("{eval}`") : -1], {"glued": glued}))
    expected = format(value, fmt[1:]) if fmt else str(value)
    assert shown == expected


def test_glued_text_unquotes_strings_and_keys_may_hold_colons():
    glued.glue("test:with:colons", "saddle", display=False)
    expression = glue_expression("glue:text", "test:with:colons:s")  # split at the last colon
    assert expression == '{eval}`glued.text("test:with:colons", "s")`'
    assert repr(eval(expression[len("{eval}`") : -1], {"glued": glued})) == "saddle"


def test_a_value_not_yet_glued_says_what_to_run():
    # Shown in the prose, in place of the number, until the cell that glues it has run.
    assert repr(glued.text("test-glued-later", ".2f")) == glued.NOT_YET
    assert "Run All" in glued.NOT_YET
    glued.glue("test-glued-later", 0.5, display=False)
    assert repr(glued.text("test-glued-later", ".2f")) == "0.50"


@pytest.mark.parametrize(
    ("role", "body", "message"),
    [
        ("glue:text", "other.ipynb::key", "another notebook"),
        ("glue:md", "key", "only {glue:text}"),
        ("glue", "key", "only {glue:text}"),
    ],
)
def test_glue_roles_that_cannot_be_shown_stop_the_copy(role, body, message):
    with pytest.raises(CopyError, match=re.escape(message)):
        glue_expression(role, body)
    with pytest.raises(CopyError):
        rewrite(f"A value: {{{role}}}`{body}`.")


# --- Markdown -----------------------------------------------------------------------------------

THEOREM = markdown(
    "# The theorem\n\n$$\nx=1\n$$ (eq-first)\n\n```{prf:definition} General position\n:label: def-general\n```\n\n"
    "```{prf:proof}\nObvious.\n```\n\n```{prf:theorem} Main\n:label: thm-main\n```\n\n$$\ny=2\n$$ (eq-second)"
)
EXERCISE = markdown("```{exercise-start} By hand\n:label: ex-hand\n```\n\nCompute.")


def test_labels_are_numbered_as_sphinx_numbers_them():
    chapter = chapter_of(THEOREM, EXERCISE)
    assert chapter.title == "The theorem"
    # Each kind is counted on its own; the proof has no number.
    assert chapter.targets == {
        "eq-first": "(4.1)",
        "def-general": "Definition 4.1",
        "thm-main": "Theorem 4.1",
        "eq-second": "(4.2)",
        "ex-hand": "Exercise 4.1",
    }
    assert chapter.exercises == ["Exercise 4.1 (By hand)"]
    assert chapter.exercise_titles == {"ex-hand": "Exercise 4.1 (By hand)"}


def test_references_within_a_chapter_stay_roles_and_to_exercises_name_them():
    chapter = chapter_of(THEOREM, EXERCISE)
    text = "By {prf:ref}`thm-main` and {eq}`eq-first`, see {numref}`ex-hand` and {ref}`this one <ex-hand>`."
    assert rewrite(text, chapter) == (
        "By {prf:ref}`thm-main` and {eq}`eq-first`, see {ref}`Exercise 4.1 <ex-hand>` and {ref}`this one <ex-hand>`."
    )


def test_references_to_other_chapters_become_links_with_the_books_text():
    here = chapter_of(markdown("# Lasso"), name="06_lasso", number=6)
    theorem = chapter_of(THEOREM, EXERCISE)
    text = "{prf:ref}`thm-main`, {eq}`eq-second`, {numref}`ex-hand`, {doc}`04_theorem`, {doc}`the theorem <04_theorem>`"
    assert rewrite(text, here, [theorem]) == (
        "[Theorem 4.1](04_theorem.ipynb), [(4.2)](04_theorem.ipynb), [Exercise 4.1](04_theorem.ipynb), "
        "[The theorem](04_theorem.ipynb), [the theorem](04_theorem.ipynb)"
    )


def test_a_doc_link_to_a_page_without_a_copy_needs_its_text():
    with pytest.raises(CopyError, match="no copy"):
        rewrite("See {doc}`instructors`.")
    assert rewrite("See {doc}`the instructors' page <instructors>`.") == "See the instructors' page."


def test_citations_read_as_in_the_book():
    citations = make_copies.Citations([BIB])
    rewriter = Rewriter(chapter_of(markdown("# T")), [chapter_of(markdown("# T"))], citations, ROOT / "_build" / "lab")
    assert rewriter.markdown("{cite:t}`pesme2023saddle` show it {cite:p}`pesme2023saddle`.") == (
        "Pesme and Flammarion [2023] show it [Pesme and Flammarion, 2023]."
    )
    assert rewriter.cited == {"pesme2023saddle"}
    with pytest.raises(CopyError, match="not in the .bib"):
        rewriter.markdown("{cite:p}`nobody1900`")


def test_unlabelled_equations_and_proofs_are_not_numbered():
    assert rewrite("$$\nx=1\n$$") == "$$\n\\begin{equation*}\nx=1\n\\end{equation*}\n$$"
    assert rewrite("$$\nx=1\n$$ (eq-x)") == "$$\nx=1\n$$ (eq-x)"
    assert rewrite("```{prf:proof}\nTrivial.\n```") == "```{prf:proof}\n:nonumber:\nTrivial.\n```"
    assert rewrite("```{prf:lemma} L\nTrue.\n```") == "```{prf:lemma} L\nTrue.\n```"


# --- Exercises and solutions ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("source", "pieces"),
    [
        ("Plain text.", ["Plain text."]),
        ("Last words.\n\n```{solution-end}\n```", ["Last words.", "```{solution-end}\n```"]),
        ("Intro.\n\n:::{exercise}\n:label: e\nDo it.\n:::", ["Intro.", ":::{exercise}\n:label: e\nDo it.\n:::"]),
        (
            "```{exercise-end}\n```\n\n```{solution-start} e\n```\n\nText",
            ["```{exercise-end}\n```", "```{solution-start} e\n```\n\nText"],
        ),
    ],
)
def test_cells_are_cut_before_each_exercise_directive(source, pieces):
    assert split_at_exercises(source) == pieces


def copy_of(*cells):
    chapter = chapter_of(markdown("# Chapter\n\n## Exercises"), *cells)
    return copy_notebook(chapter, Rewriter(chapter, [chapter], None, ROOT / "_build" / "lab"))


def test_a_gated_solution_is_a_folded_heading_over_its_text_and_code():
    copy = copy_of(
        EXERCISE,
        markdown("```{exercise-end}\n```"),
        markdown("```{solution-start} ex-hand\n:class: dropdown\n```\n\nFirst $x$."),
        code("x = 1"),
        markdown("So x is one.\n\n```{solution-end}\n```"),  # the end in the cell's last lines
        markdown("## Summary"),
    )
    cells = copy["cells"]
    assert sources(copy)[0].startswith('---\nnumbering:\n  enumerator: "4.%s"\n---\n# Chapter')
    assert sources(copy)[1:] == [
        "(ex-hand)=\n### Exercise 4.1 (By hand)\n\nCompute.",
        "#### Solution to Exercise 4.1 (By hand)",
        "First $x$.",
        make_copies.GLUE_CELL,
        "x = 1",
        "So x is one.",
        "## Summary",
    ]
    assert cells[2]["metadata"] == {"jp-MarkdownHeadingCollapsed": True}
    assert cells[4]["metadata"] == {"jupyter": {"source_hidden": True}}
    assert len({cell["id"] for cell in cells}) == len(cells)  # nbformat: ids are unique


def test_text_after_a_solution_needs_a_heading():
    cells = [EXERCISE, markdown("```{exercise-end}\n```"), markdown("```{solution-start} ex-hand\n```\n\nA.")]
    cells.append(code("a = 1"))
    with pytest.raises(CopyError, match="follows a solution without a heading"):
        copy_of(*cells, markdown("```{solution-end}\n```"), markdown("More prose, which JupyterLab would fold away."))
    with pytest.raises(CopyError, match="no exercise here"):
        copy_of(markdown("```{solution} ex-nowhere\nA.\n```"))


def test_code_the_book_hides_is_folded():
    copy = copy_of(code("import numpy", "hide-input"), code("assert True", "remove-cell"), code("shown = 1"))
    hidden = {"".join(cell["source"]): cell["metadata"].get("jupyter") for cell in copy["cells"]}
    assert hidden["import numpy"] == hidden["assert True"] == {"source_hidden": True}
    assert hidden["shown = 1"] is None


# --- Writing the copies: the reader's saved work is kept ----------------------------------------


def small_book(root, text="Some prose."):
    (root / "book").mkdir(parents=True, exist_ok=True)
    (root / "_toc.yml").write_text(
        "format: jb-book\nroot: book/intro\nparts:\n  - caption: C\n    numbered: true\n"
        "    chapters:\n      - file: book/01_one\n      - file: book/02_two\n"
    )
    (root / "_config.yml").write_text("title: A book\n")
    (root / "book" / "intro.md").write_text("# Intro\n")
    (root / "book" / "matplotlibrc").write_text("font.size: 12\n")
    for name, title in (("01_one", "One"), ("02_two", "Two")):
        cells = [markdown(f"# {title}\n\n{text}"), code("1 + 1")]
        notebook = {"cells": cells, "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
        (root / "book" / f"{name}.ipynb").write_text(json.dumps(notebook))


def test_copies_are_rewritten_unless_the_reader_saved_them(tmp_path):
    root, out = tmp_path / "repo", tmp_path / "lab"
    small_book(root)
    book_files = {path: path.read_bytes() for path in (root / "book").iterdir()}
    first = make_copies.make_copies(out, root)
    assert {path: path.read_bytes() for path in (root / "book").iterdir()} == book_files  # only read
    assert {path.name: state for path, state in first.items()} == {"01_one.ipynb": "written", "02_two.ipynb": "written"}
    assert (out / "glued.py").exists() and (out / "matplotlibrc").read_text() == "font.size: 12\n"
    assert "[Two](02_two.ipynb)" not in (out / "01_one.ipynb").read_text()

    # The reader saves chapter 1 in JupyterLab; then chapter 2 changes in the book.
    saved = (out / "01_one.ipynb").read_text().replace("Some prose.", "Some prose. My notes.")
    (out / "01_one.ipynb").write_text(saved)
    assert set(make_copies.make_copies(out, root).values()) == {"kept", "written"}
    small_book(root, text="New prose.")
    states = {path.name: state for path, state in make_copies.make_copies(out, root).items()}
    assert states == {"01_one.ipynb": "kept, outdated", "02_two.ipynb": "written"}
    assert (out / "01_one.ipynb").read_text() == saved
    assert "New prose." in (out / "02_two.ipynb").read_text()

    forced = make_copies.make_copies(out, root, force=True)
    assert set(forced.values()) == {"written"} and "New prose." in (out / "01_one.ipynb").read_text()


# --- Every chapter ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def chapter_copies(tmp_path_factory):
    out = tmp_path_factory.mktemp("lab")
    book = {path: path.read_bytes() for path in (ROOT / "book").iterdir() if path.is_file()}
    copies = make_copies.make_copies(out)
    assert {path: path.read_bytes() for path in book} == book, "making the copies changed book/"
    return {path.stem: json.loads(path.read_text(encoding="utf-8")) for path in copies}


def test_every_chapter_of_the_table_of_contents_has_a_copy(chapter_copies):
    chapters = [path.stem for path, _ in make_copies.toc_chapters()]
    assert list(chapter_copies) == chapters and len(chapters) >= 6


def test_no_copy_holds_myst_that_jupyterlab_shows_raw_or_drops(chapter_copies):
    for name, copy in chapter_copies.items():
        text = "\n".join(
            "".join(cell["source"]) for cell in copy["cells"] if cell["cell_type"] == "markdown"
        )
        roles = set(re.findall(r"\{([a-z][\w:+-]*)\}`", text))
        directives = set(re.findall(r"^(?:`{3,}|:{3,})\{([\w:-]+)\}", text, flags=re.M))
        # jupyterlab-myst shows an unknown role's text without a word of warning, and the
        # exercise directives as boxes of its own ("Start of Exercise 1"): none may be left.
        assert roles <= LAB_ROLES, f"{name}: roles {roles - LAB_ROLES} left in the copy"
        assert directives <= PROOF_DIRECTIVES, f"{name}: directives {directives - PROOF_DIRECTIVES} left"
        for raw in ("{glue", "{cite", "{doc}", "{numref}", "{exercise", "{solution"):
            assert raw not in text, f"{name}: {raw} left in the copy"
        assert "Solution to Exercise" in text and "{eval}`glued.text(" in text


def test_every_glued_number_of_a_copy_is_glued_by_its_code(chapter_copies):
    for name, copy in chapter_copies.items():
        markdown_text = "".join("".join(c["source"]) for c in copy["cells"] if c["cell_type"] == "markdown")
        code_text = "".join("".join(c["source"]) for c in copy["cells"] if c["cell_type"] == "code")
        keys = re.findall(r'\{eval\}`glued\.text\("([^"]+)"(?:, "[^"]*")?\)`', markdown_text)
        assert len(keys) == markdown_text.count("{eval}`") > 0
        # glue("key", ...) or glue(f"key-{k}", ...): the f-string's fields match anything.
        glued_names = [
            re.compile(re.sub(r"\\\{.*?\\\}", ".+", re.escape(name_)))
            for name_ in re.findall(r'glue\(\s*f?"([^"]+)"', code_text)
        ]
        unglued = [key for key in keys if not any(pattern.fullmatch(key) for pattern in glued_names)]
        assert unglued == [], f"{name}: nothing glues {unglued}"


def test_references_left_as_roles_point_inside_their_copy(chapter_copies):
    for name, copy in chapter_copies.items():
        text = "\n".join("".join(cell["source"]) for cell in copy["cells"] if cell["cell_type"] == "markdown")
        labels = set(re.findall(r"^\(([^()\s]+)\)=", text, flags=re.M))
        labels |= set(re.findall(r"^:label:\s*(\S+)", text, flags=re.M))
        labels |= set(re.findall(r"\$\$[ \t]*\(([^()\s]+)\)", text))
        targets = [
            match["target"] or match["body"]
            for match in re.finditer(r"\{(?:eq|prf:ref|ref)\}`(?P<body>[^`<]+?)\s*(?:<(?P<target>[^<>`]+)>)?`", text)
        ]
        assert targets and set(targets) <= labels, f"{name}: references to {set(targets) - labels}"


def test_each_exercise_is_a_heading_and_each_solution_folded(chapter_copies):
    for name, copy in chapter_copies.items():
        book = json.loads((ROOT / "book" / f"{name}.ipynb").read_text(encoding="utf-8"))
        book_text = "\n".join(sources(book))
        n_exercises = len(re.findall(r"^```\{exercise(?:-start)?\}", book_text, flags=re.M))
        n_solutions = len(re.findall(r"^```\{solution(?:-start)?\}", book_text, flags=re.M))
        folded = [c for c in copy["cells"] if c["metadata"].get("jp-MarkdownHeadingCollapsed")]
        headings = re.findall(r"^#+ Exercise \d+\.\d+", "\n".join(sources(copy)), flags=re.M)
        assert len(headings) == n_exercises > 0
        assert len(folded) == n_solutions > 0
        assert all("".join(c["source"]).lstrip("#").startswith(" Solution to Exercise") for c in folded)
