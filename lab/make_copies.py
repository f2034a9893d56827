"""Working copies of the chapters for JupyterLab with jupyterlab-myst (``make lab``).

    python lab/make_copies.py OUT [--force]

The chapters are written for Jupyter Book (myst-nb, sphinx-proof, sphinx-exercise,
sphinxcontrib-bibtex). jupyterlab-myst 2.7 renders their math, proofs, theorems, algorithms and
the references inside one notebook, but not the rest. This script copies every chapter listed in
``_toc.yml`` into OUT, with ``book/matplotlibrc`` and the kernel helper ``lab/glued.py`` beside
them, and rewrites in the copies what JupyterLab would otherwise show as raw text:

- Glued numbers: ``{glue:text}`key:fmt``` becomes the inline expression
  ``{eval}`glued.text("key", "fmt")```, which jupyterlab-myst evaluates in the kernel when the
  Markdown cell is run (Run All runs it). A hidden code cell added before the first one makes
  ``glue()`` keep each value (``glued.py``).
- Numbering as in the HTML book: front matter gives every number the chapter's prefix
  ("Proposition 4.1", "(4.3)"); proofs and equations without a label are not numbered.
- Exercises (gated or not) become headings, "Exercise 4.1 (title)". A solution becomes a
  collapsed heading "Solution to Exercise 4.1" with its text, code and output below it:
  JupyterLab hides them ("+ 3 cells hidden"), one click shows them. (A solution's code cells
  cannot go inside a MyST dropdown, and JupyterLab shows a cell's output again whenever the
  cell runs, so a collapsed heading is the one way to keep the whole solution folded.)
- Citations: the text the HTML book shows ("Pesme and Flammarion [2023]"), formatted by
  sphinxcontrib-bibtex's author-year style from the book's .bib file, and a list of the works
  cited at the end of the chapter.
- ``{doc}`` links, and references to labels of other chapters: a link to that chapter's copy
  with the text the HTML book shows ("Theorem 4.1", "(4.4)"). References to an exercise point
  at its heading.
- Code cells the book hides or removes (tags ``hide-input``, ``remove-cell``, ...): code folded.

Anything else the script cannot turn into what JupyterLab renders stops it with a
:class:`CopyError` that names the chapter and the construct. ``book/`` is only read. A copy the
reader has saved in JupyterLab is never overwritten (unless ``--force``): the script records what
it wrote in ``OUT/.lab-copies.json`` and rewrites only copies that still hold exactly that.
"""

import argparse
import hashlib
import json
import os
import pathlib
import re
import shutil
import sys
import types
import urllib.parse

import yaml

ROOT = pathlib.Path(__file__).resolve().parents[1]
HERE = pathlib.Path(__file__).resolve().parent
# What the script last wrote into OUT, {copy's name: sha256 of its text}: a copy that no
# longer holds it was saved by the reader, and is kept.
RECORD = ".lab-copies.json"

# Cells whose code the book does not show: their code is folded in the copies.
HIDDEN_CODE_TAGS = {"hide-input", "hide-cell", "remove-input", "remove-cell"}

# A directive's opening line, in a backtick or colon fence: ```{name} argument
OPENER = re.compile(r"^(?P<fence>`{3,}|:{3,})\{(?P<name>[\w:-]+)\}[ \t]*(?P<argument>.*?)[ \t]*$", re.M)
OPTION = re.compile(r"^:(?P<key>[\w-]+):[ \t]*(?P<value>.*?)[ \t]*$")
ROLE = re.compile(r"\{(?P<name>[a-z][\w:+-]*)\}`(?P<body>[^`]+)`")
# Display math: $$ ... $$, optionally followed by its label: $$ (label)
DISPLAY_MATH = re.compile(r"\$\$(?P<tex>.+?)\$\$(?:[ \t]*\((?P<label>[^()\s]+)\))?", re.S)
HEADING = re.compile(r"^(?P<hashes>#{1,6})[ \t]+(?P<text>.+?)[ \t#]*$", re.M)
LABEL_TARGET = re.compile(r"^\((?P<label>[^()\s]+)\)=[ \t]*\n(?:[ \t]*\n)*#{1,6}[ \t]+(?P<title>.+?)[ \t#]*$", re.M)
EXPLICIT_TEXT = re.compile(r"(?P<text>.*?)\s*<(?P<target>[^<>]+)>", re.S)

# sphinx-exercise's directives: each becomes cells of its own in the copies.
EXERCISE_DIRECTIVES = ("exercise", "exercise-start", "exercise-end", "solution", "solution-start", "solution-end")
# Opening lines of those directives: a cell is cut before each one.
EXERCISE_OPENER = re.compile(r"^(?:`{3,}|:{3,})\{(?:" + "|".join(EXERCISE_DIRECTIVES) + r")\}", re.M)
REFERENCE_ROLES = {"eq", "prf:ref", "ref", "numref"}
# The cell added to each copy before its first code cell (folded away).
GLUE_CELL = """\
# Added to this copy by `make lab`: glue() also keeps each value, so that the Markdown
# cells can show it ({eval}`glued.text(...)`, filled in when they run: Run All).
import myst_nb

import glued

myst_nb.glue = glued.glue"""


class CopyError(ValueError):
    """A chapter uses something this script cannot turn into what JupyterLab renders.

    Examples
    --------
    >>> glue_expression("glue:text", "other.ipynb::key")
    Traceback (most recent call last):
    ...
    make_copies.CopyError: {glue:text}`other.ipynb::key`: values glued in another notebook cannot be shown...
    """


# --- The book: chapters, their numbers, titles and labels -----------------------------------


def toc_chapters(root=ROOT):
    """List the notebooks of ``_toc.yml`` in reading order, each with its chapter number.

    Jupyter Book numbers the chapters of each part whose ``numbered`` is true, from 1 in each
    part; files in other parts, the root and nested sections have no number here.

    Parameters
    ----------
    root : pathlib.Path, default: the repository
        The folder of ``_toc.yml``.

    Returns
    -------
    list of (pathlib.Path, int or None)
        Each notebook's path and its chapter number (None when it has none). Pages that are
        not notebooks are left out.

    Examples
    --------
    >>> path, number = toc_chapters()[0]
    >>> path.name, number
    ('01_network.ipynb', 1)
    """
    toc = yaml.safe_load((root / "_toc.yml").read_text())
    entries = [(toc["root"], None)]
    for part in toc.get("parts", [{"chapters": toc.get("chapters", [])}]):
        for number, chapter in enumerate(part.get("chapters", []), start=1):
            entries.append((chapter["file"], number if part.get("numbered") else None))
            entries += [(section["file"], None) for section in _sections(chapter)]
    chapters = []
    for name, number in entries:
        path = root / name
        path = path if path.suffix else path.with_suffix(".ipynb")
        if path.suffix == ".ipynb" and path.exists():
            chapters.append((path, number))
    return chapters


def _sections(entry):
    for section in entry.get("sections", []):
        yield section
        yield from _sections(section)


def _directive_options(text, opener):
    """The ``:key: value`` lines right after a directive's opening line, as a dict."""
    options = {}
    for line in text[opener.end() :].lstrip("\n").split("\n"):
        match = OPTION.match(line)
        if not match:
            break
        options[match["key"]] = match["value"]
    return options


class Chapter:
    """One chapter: its notebook, number, title, and the text the book shows for each label.

    Things are numbered as Sphinx numbers them in the HTML book: labelled equations,
    sphinx-proof's directives (proofs excepted) and exercises, each kind counted on its own,
    "4.1", "4.2", ... in chapter 4.

    Parameters
    ----------
    notebook : dict
        The chapter's notebook, as read from its JSON (the ``cells`` are used).
    path : pathlib.Path
        Where the chapter is; links between copies follow the chapters' places.
    number : int or None
        The chapter's number in the book, None for an unnumbered page.

    Attributes
    ----------
    title : str
        The first heading of its first Markdown cell (the file name if there is none).
    targets : dict of str to str
        Each label and the text a reference to it shows: "Theorem 4.1", "(4.3)", a heading.
    exercises : list of str
        The exercises' titles in order, "Exercise 4.1 (By hand)", "Exercise 4.2", ... (just
        "Exercise" for an unnumbered one).
    exercise_titles : dict of str to str
        Each labelled exercise's title.

    Examples
    --------
    >>> notebook = {"cells": [{"cell_type": "markdown", "source": "# Lasso\\n\\n"
    ...     "```{prf:theorem} Uniqueness\\n:label: thm-unique\\n```\\n\\n$$\\nx=1\\n$$ (eq-one)"}]}
    >>> chapter = Chapter(notebook, pathlib.Path("book/06_lasso.ipynb"), 6)
    >>> chapter.title, chapter.targets
    ('Lasso', {'thm-unique': 'Theorem 6.1', 'eq-one': '(6.1)'})
    """

    def __init__(self, notebook, path, number):
        self.notebook, self.path, self.number = notebook, path, number
        self.title = path.stem
        self.targets = {}
        self.exercises = []
        self.exercise_titles = {}
        counts = {}

        def numbered(kind):
            counts[kind] = counts.get(kind, 0) + 1
            return f"{self.number}.{counts[kind]}" if self.number else str(counts[kind])

        markdown = ["".join(cell["source"]) for cell in notebook["cells"] if cell["cell_type"] == "markdown"]
        for k, text in enumerate(markdown):
            if k == 0 and (heading := HEADING.search(text)):
                self.title = heading["text"]
            for match in LABEL_TARGET.finditer(text):
                self.targets[match["label"]] = match["title"]
            # Numbered things in the order they appear, as Sphinx numbers them.
            things = [(m.start(), m) for m in OPENER.finditer(text)] + [
                (m.start(), m) for m in DISPLAY_MATH.finditer(text) if m["label"]
            ]
            for _, match in sorted(things, key=lambda thing: thing[0]):
                if match.re is DISPLAY_MATH:
                    self.targets[match["label"]] = f"({numbered('equation')})"
                    continue
                name, options = match["name"], _directive_options(text, match)
                label = options.get("label")
                if name == "math" and label:
                    self.targets[label] = f"({numbered('equation')})"
                elif name.startswith("prf:") and name != "prf:proof" and "nonumber" not in options:
                    kind = name.removeprefix("prf:").capitalize()
                    if label:
                        self.targets[label] = f"{kind} {numbered(name)}"
                    else:
                        numbered(name)
                elif name in ("exercise", "exercise-start"):
                    shown = "Exercise" if "nonumber" in options else f"Exercise {numbered('exercise')}"
                    title = f"{shown} ({match['argument']})" if match["argument"] else shown
                    self.exercises.append(title)
                    if label:
                        self.targets[label] = shown
                        self.exercise_titles[label] = title


# --- Rewriting Markdown ----------------------------------------------------------------------


class Citations:
    """Citation text as the HTML book shows it: sphinxcontrib-bibtex's author-year style.

    The book is built with ``bibtex_reference_style: author_year`` and a bibliography in
    the default ``alpha`` style, whose order is also the order of keys within a citation.

    Parameters
    ----------
    bibfiles : list of pathlib.Path
        The book's BibTeX files (``bibtex_bibfiles`` of ``_config.yml``).

    Examples
    --------
    >>> citations = Citations([ROOT / "book" / "references.bib"])
    >>> citations.cite("t", ["pesme2023saddle"])
    'Pesme and Flammarion [2023]'
    """

    def __init__(self, bibfiles):
        import pybtex.database
        import pybtex.plugin
        from sphinxcontrib.bibtex.style.referencing.author_year import AuthorYearReferenceStyle

        self.entries = {}
        for bibfile in bibfiles:
            self.entries.update(pybtex.database.parse_file(bibfile).entries)
        style = pybtex.plugin.find_plugin("pybtex.style.formatting", "alpha")()
        self.formatted = {entry.key: entry for entry in style.format_entries(style.sort(self.entries.values()))}
        self.order = {key: k for k, key in enumerate(self.formatted)}
        self.reference_style = AuthorYearReferenceStyle()

    def cite(self, role, keys):
        """Write the Markdown of ``{cite:p}`keys``` or ``{cite:t}`keys```.

        Parameters
        ----------
        role : {"p", "t"}
            Parenthetical ("[Pesme and Flammarion, 2023]") or textual ("Pesme and Flammarion
            [2023]").
        keys : list of str
            The cited keys.

        Returns
        -------
        str
            The citation's text.

        Raises
        ------
        CopyError
            If a key is in none of the .bib files.

        Examples
        --------
        >>> Citations([ROOT / "book" / "references.bib"]).cite("p", ["pesme2023saddle"])
        '[Pesme and Flammarion, 2023]'
        """
        import pybtex_docutils
        from sphinxcontrib.bibtex.style.referencing import format_references
        from sphinxcontrib.bibtex.style.template import SphinxReferenceInfo

        unknown = [key for key in keys if key not in self.entries]
        if unknown:
            raise CopyError(f"citation keys not in the .bib files: {', '.join(unknown)}")
        # The reference info only serves to make links, which the copies do not have.
        builder = types.SimpleNamespace(name="html", get_relative_uri=lambda *names: "")
        info = SphinxReferenceInfo(builder, "", "", "", None, "", "")
        references = [(self.entries[key], None, info) for key in sorted(keys, key=self.order.get)]
        text = format_references(self.reference_style, role, references)
        return "".join(_markdown(node) for node in text.render(pybtex_docutils.Backend()))

    def references_cell(self, keys):
        """Write a Markdown cell listing the works cited, as the book's bibliography writes them.

        Parameters
        ----------
        keys : iterable of str
            The cited keys, in any order.

        Returns
        -------
        str
            A "References" heading and a list, in the bibliography's order.

        Examples
        --------
        >>> cell = Citations([ROOT / "book" / "references.bib"]).references_cell(["pesme2023saddle"])
        >>> print(cell.split("\\n")[2][:36])
        - Scott Pesme and Nicolas Flammarion
        """
        items = [
            self.formatted[key].text.render_as("markdown").replace("\n", " ")
            for key in sorted(keys, key=self.order.get)
        ]
        return "## References\n\n" + "\n".join(f"- {item}" for item in items)


def _markdown(node):
    """Markdown for a small docutils tree (text, emphasis, references)."""
    import docutils.nodes

    if isinstance(node, docutils.nodes.Text):
        return str(node)
    inner = "".join(_markdown(child) for child in node.children)
    return f"*{inner}*" if isinstance(node, docutils.nodes.emphasis) else inner


def glue_expression(role, body):
    """Rewrite a myst-nb glue role into the inline expression that shows the same text.

    ``{glue:text}`key:fmt``` pastes the glued value's plain text formatted with ``fmt``, a
    Python format specification; ``{glue:text}`key``` pastes it as it is. The expression
    calls :func:`glued.text`, which formats the value as myst-nb does. The key is split from
    the format at its last colon, as myst-nb splits it.

    Parameters
    ----------
    role : str
        The role's name; only ``glue:text`` is used in the book, and only it is rewritten.
    body : str
        What is between the role's backticks: ``key`` or ``key:fmt``.

    Returns
    -------
    str
        The role ``{eval}`...``` of jupyterlab-myst.

    Raises
    ------
    CopyError
        For another glue role, or a value glued in another notebook (``notebook::key``).

    Examples
    --------
    >>> print(glue_expression("glue:text", "ch1-loss-zero:.3f"))
    {eval}`glued.text("ch1-loss-zero", ".3f")`
    >>> print(glue_expression("glue:text", "ch1-n-saddles"))
    {eval}`glued.text("ch1-n-saddles")`
    """
    if role != "glue:text":
        raise CopyError(
            f"{{{role}}}`{body}`: only {{glue:text}} is rewritten for JupyterLab; "
            "use it, or teach lab/make_copies.py and lab/glued.py the role"
        )
    if "::" in body:
        raise CopyError(f"{{{role}}}`{body}`: values glued in another notebook cannot be shown in JupyterLab")
    arguments = body.rsplit(":", 1) if ":" in body else [body]
    return f"{{eval}}`glued.text({', '.join(json.dumps(argument) for argument in arguments)})`"


class Rewriter:
    """Rewrite the Markdown of one chapter's copy (see the module's docstring).

    Parameters
    ----------
    chapter : Chapter
        The chapter whose Markdown is rewritten.
    chapters : list of Chapter
        Every chapter of the book, for references and links between chapters.
    citations : Citations or None
        The book's citations (None: a citation is an error).
    out : pathlib.Path
        The folder of the copies, where links between copies point.

    Attributes
    ----------
    cited : set of str
        The keys cited so far in the chapter.

    Examples
    --------
    >>> notebook = {"cells": [{"cell_type": "markdown", "source": "# Lasso\\n\\n"
    ...     "```{prf:theorem} Uniqueness\\n:label: thm-unique\\n```"}]}
    >>> chapter = Chapter(notebook, pathlib.Path("book/06_lasso.ipynb"), 6)
    >>> rewriter = Rewriter(chapter, [chapter], None, pathlib.Path("_build/lab"))
    >>> print(rewriter.markdown("By {prf:ref}`thm-unique`, {glue:text}`n-jumps` jumps."))
    By {prf:ref}`thm-unique`, {eval}`glued.text("n-jumps")` jumps.
    """

    def __init__(self, chapter, chapters, citations, out):
        self.chapter, self.citations = chapter, citations
        self._by_label = {label: other for other in chapters for label in other.targets}
        self._by_path = {other.path.with_suffix(""): other for other in chapters}
        folder = _book_folder(chapters)
        self._copy_of = lambda other: out / other.path.relative_to(folder)
        self.cited = set()

    def markdown(self, text):
        """Rewrite one Markdown cell: roles, display math, proofs.

        Parameters
        ----------
        text : str
            The cell's Markdown.

        Returns
        -------
        str
            The Markdown for jupyterlab-myst.

        Raises
        ------
        CopyError
            For a role it cannot rewrite into what JupyterLab renders.

        Examples
        --------
        >>> chapter = Chapter({"cells": []}, pathlib.Path("book/04_theorem.ipynb"), 4)
        >>> rewriter = Rewriter(chapter, [chapter], None, pathlib.Path("_build/lab"))
        >>> print(rewriter.markdown("$$\\nx=1\\n$$"))
        $$
        \\begin{equation*}
        x=1
        \\end{equation*}
        $$
        """
        text = ROLE.sub(self._role, text)
        text = DISPLAY_MATH.sub(self._display_math, text)
        return OPENER.sub(self._unnumbered_proof, text)

    def _role(self, match):
        name, body = match["name"], match["body"]
        if name == "glue" or name.startswith("glue:"):
            return glue_expression(name, body)
        if name == "cite" or name.startswith("cite:"):
            if self.citations is None:
                raise CopyError(f"{self.chapter.path.name}: {match.group(0)} but no .bib file")
            keys = [key.strip() for key in body.split(",")]
            self.cited.update(keys)
            return self.citations.cite(name.removeprefix("cite").removeprefix(":") or "p", keys)
        if name == "doc":
            return self._doc(body)
        if name in REFERENCE_ROLES:
            return self._reference(match.group(0), body)
        return match.group(0)

    def _doc(self, body):
        explicit = EXPLICIT_TEXT.fullmatch(body)
        target = explicit["target"] if explicit else body
        base = ROOT if target.startswith("/") else self.chapter.path.parent
        other = self._by_path.get((base / target.lstrip("/")).resolve().with_suffix(""))
        if other is None and not explicit:
            raise CopyError(
                f"{self.chapter.path.name}: {{doc}}`{body}` names a page with no copy in JupyterLab; "
                "give the link its text ({doc}`text <page>`)"
            )
        return self._link(explicit["text"] if explicit else other.title, other)

    def _reference(self, role_text, body):
        explicit = EXPLICIT_TEXT.fullmatch(body)
        label = explicit["target"] if explicit else body
        other = self._by_label.get(label)
        if other is None:
            return role_text  # unknown: left as it is (the book's build would fail on it)
        if explicit and re.search(r"%s|\{number\}", explicit["text"]):
            raise CopyError(f"{self.chapter.path.name}: {role_text}: numbered text is not rewritten; name the target")
        text = explicit["text"] if explicit else other.targets[label]
        if other is not self.chapter:
            return self._link(text, other)
        if label in self.chapter.exercise_titles:
            # An exercise is a heading in the copy; the reference points at it.
            return f"{{ref}}`{text} <{label}>`"
        return role_text

    def _link(self, text, other):
        """A Markdown link to another chapter's copy (plain text for a page that has none)."""
        if other is None:
            return text
        target = os.path.relpath(self._copy_of(other), self._copy_of(self.chapter).parent)
        return f"[{text}]({urllib.parse.quote(pathlib.PurePath(target).as_posix())})"

    @staticmethod
    def _display_math(match):
        if match["label"] or re.search(r"\\begin\{equation\*?\}", match["tex"]):
            return match.group(0)
        # jupyterlab-myst numbers every display equation; the book, only labelled ones.
        # A starred equation environment is how MyST is told not to number one.
        return f"$$\n\\begin{{equation*}}\n{match['tex'].strip()}\n\\end{{equation*}}\n$$"

    @staticmethod
    def _unnumbered_proof(match):
        # jupyterlab-myst numbers proofs ("Proof 4.1"); the book does not.
        if match["name"] != "prf:proof":
            return match.group(0)
        return f"{match.group(0)}\n:nonumber:"


# --- The copy of a chapter -------------------------------------------------------------------


def split_at_exercises(source):
    """Cut a Markdown cell before each of sphinx-exercise's directives.

    A chapter may end a solution's last paragraph with ``{solution-end}`` in the same cell, or
    open an exercise after some text; in the copies every such directive starts a cell of its
    own, so that it can become a heading (or nothing).

    Parameters
    ----------
    source : str
        A Markdown cell's text.

    Returns
    -------
    list of str
        The pieces, stripped, in order (one piece when it has no such directive).

    Examples
    --------
    >>> split_at_exercises("So $x=1$.\\n\\n```{solution-end}\\n```")
    ['So $x=1$.', '```{solution-end}\\n```']
    """
    starts = sorted({0, *(match.start() for match in EXERCISE_OPENER.finditer(source))})
    pieces = [source[start:end].strip() for start, end in zip(starts, [*starts[1:], len(source)])]
    return [piece for piece in pieces if piece] or [source]


def split_directive(source):
    """Split a cell that starts with a directive into its parts.

    Parameters
    ----------
    source : str
        A Markdown cell's text.

    Returns
    -------
    tuple of (str, str, dict, str, str) or None
        The directive's name, its argument, its ``:key: value`` options, its body, and the
        text after it; None if the cell does not start with a directive.

    Raises
    ------
    CopyError
        If the directive is not closed.

    Examples
    --------
    >>> split_directive("```{solution-start} ch4-ex-hand\\n:class: dropdown\\n```\\n\\nAt $t_0$...")
    ('solution-start', 'ch4-ex-hand', {'class': 'dropdown'}, '', 'At $t_0$...')
    """
    stripped = source.lstrip()
    opener = OPENER.match(stripped)
    if not opener:
        return None
    options = _directive_options(stripped, opener)
    lines = stripped[opener.end() :].lstrip("\n").split("\n")[len(options) :]
    fence = opener["fence"]
    for k, line in enumerate(lines):
        if line.strip() and set(line.strip()) == {fence[0]} and len(line.strip()) >= len(fence):
            body, rest = "\n".join(lines[:k]).strip(), "\n".join(lines[k + 1 :]).strip()
            return opener["name"], opener["argument"], options, body, rest
    raise CopyError(f"the directive {{{opener['name']}}} is not closed: {stripped[:60]!r}")


def _heading_levels(source):
    """The levels of the Markdown headings in a cell (outside fenced code)."""
    outside = re.sub(r"^(`{3,}).*?^\1", "", source, flags=re.M | re.S)
    return [len(match["hashes"]) for match in HEADING.finditer(outside)]


def _markdown_cell(source, cell_id, **metadata):
    return {"cell_type": "markdown", "id": cell_id, "metadata": metadata, "source": source}


def _cells_cut_at_exercises(cells):
    """The cells, each Markdown cell cut before each exercise or solution directive in it."""
    for cell in cells:
        pieces = split_at_exercises("".join(cell["source"])) if cell["cell_type"] == "markdown" else [None]
        if len(pieces) == 1:
            yield cell
            continue
        for k, piece in enumerate(pieces):
            yield dict(cell, source=piece, id=f"{cell['id']}-{k}" if k else cell["id"])


def copy_notebook(chapter, rewriter):
    """Make the copy of a chapter's notebook that JupyterLab shows as the book does.

    Parameters
    ----------
    chapter : Chapter
        The chapter (its notebook is not modified).
    rewriter : Rewriter
        The rewriter of its Markdown.

    Returns
    -------
    dict
        The copy's notebook.

    Raises
    ------
    CopyError
        If the chapter uses something JupyterLab would show as raw text, or if text follows a
        solution without a heading (JupyterLab would fold it into the solution).

    Examples
    --------
    >>> cells = [{"cell_type": "markdown", "id": "a", "metadata": {}, "source": text} for text in (
    ...     "# Lasso\\n\\n## Exercises",
    ...     "```{exercise-start}\\n:label: ex-sum\\n```\\n\\nWhat is $1+1$?\\n\\n```{exercise-end}\\n```",
    ...     "```{solution-start} ex-sum\\n```\\n\\n$2$.\\n\\n```{solution-end}\\n```",
    ... )]
    >>> chapter = Chapter({"cells": cells}, pathlib.Path("book/06_lasso.ipynb"), 6)
    >>> copy = copy_notebook(chapter, Rewriter(chapter, [chapter], None, pathlib.Path("_build/lab")))
    >>> ["".join(cell["source"]).split("\\n")[-1] for cell in copy["cells"]]
    ['## Exercises', 'What is $1+1$?', '#### Solution to Exercise 6.1', '$2$.', 'myst_nb.glue = glued.glue']
    >>> copy["cells"][2]["metadata"]
    {'jp-MarkdownHeadingCollapsed': True}
    """
    notebook = json.loads(json.dumps(chapter.notebook))
    cells, exercises = [], iter(chapter.exercises)
    section = 1  # level of the chapter's latest heading: exercises go one level below it
    after_solution = None  # the level of a solution just ended: the next cell must be a heading

    def _close_solution(level, where):
        nonlocal after_solution
        if after_solution is not None and not any(found <= after_solution for found in level):
            raise CopyError(
                f"{chapter.path.name}: {where} follows a solution without a heading, so JupyterLab would "
                "fold it into the solution; start it with a heading, or move the exercise"
            )
        after_solution = None

    for cell in _cells_cut_at_exercises(notebook["cells"]):
        source = "".join(cell["source"])
        if cell["cell_type"] != "markdown":
            _close_solution([], f"the {cell['cell_type']} cell {cell.get('id')}")
            if set(cell["metadata"].get("tags", [])) & HIDDEN_CODE_TAGS:
                cell["metadata"].setdefault("jupyter", {})["source_hidden"] = True
            cells.append(cell)
            continue
        directive = split_directive(source)
        name = directive[0] if directive else None
        if name in ("exercise", "exercise-start"):
            _close_solution([section + 1], "")
            _, _, options, body, rest = directive
            exercise = next(exercises)
            target = f"({options['label']})=\n" if "label" in options else ""
            text = "\n\n".join(part for part in (body, rest) if part)
            cells.append(dict(cell, source=f"{target}{'#' * (section + 1)} {exercise}\n\n{text}".strip()))
        elif name == "exercise-end":
            if directive[4]:
                cells.append(dict(cell, source=directive[4]))
        elif name in ("solution", "solution-start"):
            _, label, _, body, rest = directive
            if label not in chapter.exercise_titles:
                raise CopyError(f"{chapter.path.name}: a solution to {label!r}, which is no exercise here")
            level = section + 2
            heading = f"{'#' * level} Solution to {chapter.exercise_titles[label]}"
            # Collapsed: JupyterLab hides the cells below it, up to the next heading.
            cells.append(dict(cell, source=heading, metadata={**cell["metadata"], "jp-MarkdownHeadingCollapsed": True}))
            text = "\n\n".join(part for part in (body, rest) if part)
            if text:
                cells.append(_markdown_cell(text, f"{cell['id']}-text"))
            if name == "solution":
                after_solution = level
        elif name == "solution-end":
            after_solution = section + 2
            if directive[4]:
                _close_solution(_heading_levels(directive[4]), "text")
                cells.append(dict(cell, source=directive[4]))
        else:
            levels = _heading_levels(source)
            _close_solution(levels, "a Markdown cell")
            if levels:
                section = levels[-1]
            cells.append(cell)

    for cell in cells:
        if cell["cell_type"] == "markdown":
            cell["source"] = rewriter.markdown("".join(cell["source"]))
    first_markdown = next(cell for cell in cells if cell["cell_type"] == "markdown")
    if chapter.number:
        if first_markdown["source"].startswith("---"):
            raise CopyError(f"{chapter.path.name} has front matter of its own; merge it here")
        # jupyterlab-myst reads the first cell's front matter: numbers get the chapter's prefix.
        numbering = f'---\nnumbering:\n  enumerator: "{chapter.number}.%s"\n---\n'
        first_markdown["source"] = numbering + first_markdown["source"]
    first_code = next((k for k, cell in enumerate(cells) if cell["cell_type"] == "code"), len(cells))
    glue_cell = {
        "cell_type": "code",
        "execution_count": None,
        "id": "lab-glue",
        "metadata": {"jupyter": {"source_hidden": True}},
        "outputs": [],
        "source": GLUE_CELL,
    }
    cells.insert(first_code, glue_cell)
    if rewriter.cited:
        cells.append(_markdown_cell(rewriter.citations.references_cell(rewriter.cited), "lab-references"))
    for cell in cells:
        cell["source"] = "".join(cell["source"]).splitlines(keepends=True)
    notebook["cells"] = cells
    return notebook


# --- Writing the copies ----------------------------------------------------------------------


def _book_folder(chapters):
    return pathlib.Path(os.path.commonpath([chapter.path.parent for chapter in chapters]))


def _digest(text):
    return hashlib.sha256(text.encode()).hexdigest()


def make_copies(out, root=ROOT, force=False):
    """Write the copies of every chapter of ``_toc.yml`` into a folder.

    A copy that still holds what this function last wrote there is rewritten; one the reader
    has saved since (in JupyterLab) is kept, unless ``force``.

    Parameters
    ----------
    out : pathlib.Path
        The folder of the copies, made if missing.
    root : pathlib.Path, default: the repository
        The book's folder (``_toc.yml``, ``_config.yml``, the chapters).
    force : bool, default: False
        Rewrite every copy, even one the reader has saved.

    Returns
    -------
    dict of pathlib.Path to str
        Each copy and what happened to it: "written"; "kept" (saved by the reader, its chapter
        unchanged since); "kept, outdated" (saved by the reader, and its chapter, or this
        script, has changed since).

    Raises
    ------
    CopyError
        If a chapter uses something JupyterLab would show as raw text.

    Examples
    --------
    >>> import tempfile
    >>> out = pathlib.Path(tempfile.mkdtemp())
    >>> copies = make_copies(out)
    >>> [(path.name, state) for path, state in copies.items()][0]
    ('01_network.ipynb', 'written')
    >>> sorted(path.name for path in out.iterdir() if not path.suffix == ".ipynb")
    ['.lab-copies.json', 'glued.py', 'matplotlibrc']
    """
    config = yaml.safe_load((root / "_config.yml").read_text())
    bibfiles = [root / name for name in config.get("bibtex_bibfiles", [])]
    chapters = [
        Chapter(json.loads(path.read_text(encoding="utf-8")), path, number) for path, number in toc_chapters(root)
    ]
    if not chapters:
        raise CopyError("no notebook in _toc.yml")
    citations = Citations(bibfiles) if bibfiles else None
    folder = _book_folder(chapters)
    out.mkdir(parents=True, exist_ok=True)
    record_path = out / RECORD
    record = json.loads(record_path.read_text()) if record_path.exists() else {}
    result = {}
    for chapter in chapters:
        copy = out / chapter.path.relative_to(folder)
        copy.parent.mkdir(parents=True, exist_ok=True)
        for helper in (folder / "matplotlibrc", HERE / "glued.py"):
            if helper.exists():
                shutil.copyfile(helper, copy.parent / helper.name)
        name = copy.relative_to(out).as_posix()
        notebook = copy_notebook(chapter, Rewriter(chapter, chapters, citations, out))
        text = json.dumps(notebook, indent=1, ensure_ascii=False) + "\n"
        written = record.get(name)  # what was written there last time
        if copy.exists() and _digest(copy.read_text(encoding="utf-8")) != written and not force:
            result[copy] = "kept" if _digest(text) == written else "kept, outdated"
            continue
        copy.write_text(text, encoding="utf-8")
        record[name] = _digest(text)
        result[copy] = "written"
    record_path.write_text(json.dumps(record, indent=1, sort_keys=True) + "\n")
    return result


def main(argv=None):
    """Write the copies from the command line, and say what happened to each.

    Parameters
    ----------
    argv : list of str, optional
        The folder of the copies, and ``--force`` to rewrite every copy, even one saved in
        JupyterLab (default: the command line's arguments).

    Returns
    -------
    dict of pathlib.Path to str
        What :func:`make_copies` returns.

    Examples
    --------
    >>> import tempfile
    >>> copies = main([tempfile.mkdtemp()])  # doctest: +ELLIPSIS
    /.../01_network.ipynb: written
    ...
    """
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", type=pathlib.Path, help="folder for the copies (made if missing)")
    parser.add_argument("--force", action="store_true", help="rewrite every copy, even one saved in JupyterLab")
    args = parser.parse_args(argv)
    try:
        result = make_copies(args.out.resolve(), force=args.force)
    except CopyError as error:
        sys.exit(f"make_copies: {error}")
    for copy, state in result.items():
        if state == "kept, outdated":
            print(
                f"{copy}: KEPT as saved in JupyterLab, but its chapter has changed since. For the new version, "
                "save your work under another name, then rewrite every copy: `make lab LAB_FORCE=1`.",
                file=sys.stderr,
            )
        else:
            print(f"{copy}: {state}" + (" (saved in JupyterLab)" if state == "kept" else ""))
    return result


if __name__ == "__main__":
    main()
