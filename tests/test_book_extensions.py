"""The book's local Sphinx extension that builds a students' copy (book/_ext/hide_solutions.py)."""

import importlib.util
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

```{exercise} Another one
:label: ex-two

Prove that two is two.
```

```{solution} ex-two
ANOTHER-SECRET is in a plain solution.
```
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
    return out


@pytest.mark.parametrize("hide", [False, True])
def test_hide_solutions_removes_solutions_only_when_asked(tmp_path, hide):
    out = build(tmp_path, hide)
    html = (out / "index.html").read_text()
    assert "Prove that one plus one is two." in html and "Prove that two is two." in html
    assert "Text after the solution stays." in html
    assert ("THE-SECRET-ANSWER" in html) is not hide
    assert ("ANOTHER-SECRET" in html) is not hide
    # the page source behind the download button too, and every other file of the build
    (source,) = (out / "_sources").glob("index.*")
    assert "Text after the solution stays." in source.read_text()
    if hide:
        served = [path for path in out.rglob("*") if path.is_file() and ".doctrees" not in path.parts]
        assert [path for path in served if b"SECRET" in path.read_bytes()] == []


def test_strip_solutions_on_notebook_cells():
    spec = importlib.util.spec_from_file_location("hide_solutions", EXT / "hide_solutions.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    strip_solutions = module.strip_solutions
    cells = [
        {"cell_type": "markdown", "source": ["Intro.\n", "```{exercise-start}\n", ":label: e\n", "```\n", "Do it."]},
        {"cell_type": "markdown", "source": "```{exercise-end}\n```"},
        {"cell_type": "markdown", "source": "```{solution-start} e\n:class: dropdown\n```\nSECRET prose"},
        {"cell_type": "code", "source": "secret_code = 1", "outputs": []},
        {"cell_type": "markdown", "source": "SECRET closing words.\n\n```{solution-end}\n```\nAfter."},
        {"cell_type": "code", "source": "public_code = 2", "outputs": []},
        {"cell_type": "markdown", "source": "````{solution} e\n```python\nSECRET = 3\n```\n````\nTail."},
    ]
    kept = strip_solutions(cells)
    assert [c["source"] for c in kept] == [
        "Intro.\n```{exercise-start}\n:label: e\n```\nDo it.", "```{exercise-end}\n```", "After.",
        "public_code = 2", "Tail.",
    ]
    assert kept[3]["outputs"] == []
