"""The Python snippets in README.md and the book's introduction run as written."""

import pathlib
import re

import matplotlib
import pytest

matplotlib.use("Agg")

ROOT = pathlib.Path(__file__).resolve().parents[1]


def python_blocks(path):
    return re.findall(r"```python\n(.*?)```", path.read_text(), flags=re.S)


@pytest.mark.parametrize("document", ["README.md", "book/intro.md"])
def test_python_snippets_run(document):
    blocks = python_blocks(ROOT / document)
    assert blocks, f"{document} has no python snippet"
    namespace = {}
    for block in blocks:
        exec(compile(block, document, "exec"), namespace)
    # Both snippets compute Algorithm 1's path and an exact flow on the same problem.
    path, flow = namespace["path"], namespace["flow"]
    assert path.success and flow.success
    assert flow.t[-1] > path.times[-1]
