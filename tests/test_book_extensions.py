"""The book's local Sphinx extension that builds a students' copy (book/_ext/hide_solutions.py)."""

import os
import pathlib
import subprocess
import sys
import textwrap

import pytest

EXT = pathlib.Path(__file__).resolve().parents[1] / "book" / "_ext"

PAGE = """\
# Exercises

```{exercise-start}
:label: ex-one
```
Prove that one plus one is two.
```{exercise-end}
```

```{solution-start} ex-one
:class: dropdown
```
THE-SECRET-ANSWER is in this solution.
```{solution-end}
```

Text after the solution stays.
"""


def build(tmp_path, hide):
    source = tmp_path / ("hidden" if hide else "shown")
    source.mkdir()
    (source / "index.md").write_text(PAGE)
    (source / "conf.py").write_text(textwrap.dedent(f"""
        import sys
        sys.path.insert(0, {str(EXT)!r})
        extensions = ["myst_parser", "sphinx_exercise", "hide_solutions"]
    """))
    env = dict(os.environ, HIDE_SOLUTIONS="1" if hide else "0")
    out = source / "_build"
    subprocess.run([sys.executable, "-m", "sphinx", "-W", "-q", "-b", "html", str(source), str(out)],
                   env=env, check=True, capture_output=True)
    return (out / "index.html").read_text()


@pytest.mark.parametrize("hide", [False, True])
def test_hide_solutions_removes_gated_solutions_only_when_asked(tmp_path, hide):
    html = build(tmp_path, hide)
    assert "Prove that one plus one is two." in html
    assert "Text after the solution stays." in html
    assert ("THE-SECRET-ANSWER" in html) is not hide
