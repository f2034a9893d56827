"""Build the book without the exercises' solutions (a students' copy).

sphinx-exercise's own ``hide_solutions`` option fails on gated solutions
(``solution-start`` / ``solution-end``, which the chapters use so that solution
code runs in tests): it drops the start marker and then cannot render the end
marker. This transform removes each gated solution whole, markers and the cells
between them, before sphinx-exercise merges them. It is off unless the
environment variable ``HIDE_SOLUTIONS`` is ``1``: ``make book HIDE_SOLUTIONS=1``.
"""

import os

from sphinx.transforms import SphinxTransform
from sphinx_exercise.nodes import solution_end_node, solution_start_node


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


def setup(app):
    app.add_config_value("book_hide_solutions", os.environ.get("HIDE_SOLUTIONS") == "1", "env")
    app.add_transform(RemoveGatedSolutions)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
