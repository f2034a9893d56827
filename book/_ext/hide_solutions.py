"""Build the book without the exercises' solutions (a students' copy).

Off unless the environment variable ``HIDE_SOLUTIONS`` is ``1``: ``make book HIDE_SOLUTIONS=1``.
A solution must not reach a student by any route, so two things happen in that build:

- In the pages, each gated solution is removed whole (``solution-start``, the cells up to
  ``solution-end``, and the markers), and so is each plain ``solution`` directive.
  sphinx-exercise's own ``hide_solutions`` option cannot do this: it drops the start marker
  of a gated solution (which the chapters use so that solution code runs in tests) and then
  fails to render the end marker. This transform runs before sphinx-exercise merges them.
- The page sources a reader can download (the "Download .ipynb" / ".md" buttons serve the
  files in ``_sources/``) are rewritten once the build is done, with the same cells and
  directives removed (:func:`strip_solutions`).
"""

import json
import os
import pathlib
import re

from sphinx.transforms import SphinxTransform
from sphinx_exercise.nodes import solution_end_node, solution_node, solution_start_node

# The opening line of a solution directive, in a backtick or a colon fence.
_SOLUTION_FENCE = re.compile(r"^\s*(?P<fence>`{3,}|:{3,})\{(?P<name>solution(?:-start|-end)?)\}")


class RemoveGatedSolutions(SphinxTransform):
    # sphinx-exercise checks the gated structure at priority 1 and merges it at 10.
    default_priority = 5

    def apply(self):
        if not self.config.book_hide_solutions:
            return
        for start in list(self.document.findall(solution_start_node)):
            parent = start.parent
            first = parent.index(start)
            last = next(i for i in range(first, len(parent.children)) if isinstance(parent[i], solution_end_node))
            del parent.children[first : last + 1]
        for solution in list(self.document.findall(solution_node)):
            solution.parent.remove(solution)


def strip_solutions(cells):
    """Remove the solutions from a page given as a list of cells.

    Each cell is a dict with ``cell_type`` and ``source`` (a string or a list of lines), as in
    nbformat 4; a Markdown page is one ``"markdown"`` cell. A gated solution runs from the
    ``{solution-start}`` directive to the ``{solution-end}`` directive, possibly over several
    cells: the directives, the Markdown between them and the code cells between them are
    removed. A plain ``{solution}`` directive is removed with its body. Cells left empty are
    dropped. Returns copies of the kept cells, in order, with ``source`` a string.
    """
    kept, inside = [], False
    for cell in cells:
        source = "".join(cell["source"])
        if cell["cell_type"] != "markdown":
            if not inside:
                kept.append(dict(cell, source=source))
            continue
        lines, closing = [], None
        for line in source.splitlines(keepends=True):
            if closing is not None:  # within a solution directive's own fence
                if closing.match(line):
                    closing = None
                continue
            opening = _SOLUTION_FENCE.match(line)
            if opening:
                fence = opening["fence"]
                closing = re.compile(rf"^\s*{re.escape(fence[0])}{{{len(fence)},}}\s*$")
                inside = {"solution-start": True, "solution-end": False}.get(opening["name"], inside)
            elif not inside:
                lines.append(line)
        if "".join(lines).strip():
            kept.append(dict(cell, source="".join(lines)))
    return kept


def strip_downloadable_sources(app, exception):
    """Rewrite the page sources copied into the HTML output without their solutions."""
    if exception is not None or not app.config.book_hide_solutions or app.builder.format != "html":
        return
    for path in (pathlib.Path(app.outdir) / "_sources").rglob("*"):
        if not path.is_file():
            continue
        text = path.read_text(encoding="utf-8")
        if path.name.endswith(".ipynb") or path.name.endswith(".ipynb.txt"):
            notebook = json.loads(text)
            notebook["cells"] = strip_solutions(notebook["cells"])
            path.write_text(json.dumps(notebook, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
        else:
            page = strip_solutions([{"cell_type": "markdown", "source": text}])
            path.write_text("".join(cell["source"] for cell in page), encoding="utf-8")


def setup(app):
    app.add_config_value("book_hide_solutions", os.environ.get("HIDE_SOLUTIONS") == "1", "env")
    app.add_transform(RemoveGatedSolutions)
    app.connect("build-finished", strip_downloadable_sources)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
