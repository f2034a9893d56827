"""dlnlib's modules import one way: each only from the layers below it (TEAM.md, STYLE.md rule 1).

The layer order is problem -> network -> {landscape, flow, saddles, lasso, implicit_bias} ->
convergence -> plotting -> widgets, above the shared helpers (errors, _checks, then _active_set / _cholesky).
Modules in one layer never import each other (two solvers never import each other). A new
module must be placed in LAYERS, or this test fails and says so. Imports inside functions count.
"""

import ast
import pathlib
import re
import subprocess
import sys

import pytest

PACKAGE = pathlib.Path(__file__).resolve().parents[1] / "dlnlib"

#: Layer of each top-level module (or subpackage) of dlnlib, bottom up.
LAYERS = {
    "errors": 0,
    "_checks": 0,
    "_blas": 0,
    "_cholesky": 1,
    "_active_set": 1,
    "problem": 2,
    "network": 3,
    "landscape": 4,
    "flow": 4,
    "saddles": 4,
    "lasso": 4,
    "implicit_bias": 4,
    "convergence": 5,
    "plotting": 6,
    "widgets": 7,
}


def modules():
    """(qualified name, path) of every module of dlnlib except the package's own __init__."""
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        if parts == ("dlnlib", "__init__"):
            continue
        yield ".".join(parts[:-1] if parts[-1] == "__init__" else parts), path


def imported(path, qualname):
    """Qualified names of the dlnlib modules (or names) that the file imports, anywhere in it."""
    is_package = path.name == "__init__.py"
    package = qualname.split(".") if is_package else qualname.split(".")[:-1]
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - (node.level - 1)]
                target = base + (node.module.split(".") if node.module else [])
            elif node.module and node.module.split(".")[0] == "dlnlib":
                target = node.module.split(".")
            else:
                continue
            if len(target) == 1:  # "from dlnlib import x" or "from . import x" at the top: x is the module
                yield from (".".join(target + [alias.name]) for alias in node.names)
            else:
                yield ".".join(target)
        elif isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names if alias.name.split(".")[0] == "dlnlib")


def layer_of(qualname):
    parts = qualname.split(".")
    return LAYERS.get(parts[1]) if len(parts) > 1 else None


@pytest.mark.parametrize("qualname, path", list(modules()), ids=lambda value: str(value).split("/")[-1])
def test_module_imports_only_from_layers_below(qualname, path):
    top = qualname.split(".")[1]
    assert top in LAYERS, f"{qualname} is not placed in tests/test_layers.py LAYERS: give it a layer"
    own = LAYERS[top]
    for target in imported(path, qualname):
        target_top = target.split(".")[1] if "." in target else None
        if target_top == top and top == "widgets":
            continue  # the widgets package's modules may import one another
        assert target != "dlnlib", f"{qualname} imports the dlnlib package itself (a cycle): import the module"
        assert target_top in LAYERS, f"{qualname} imports {target}, which has no layer in LAYERS"
        assert layer_of(target) < own, (
            f"{qualname} (layer {own}) imports {target} (layer {layer_of(target)}): modules import only "
            "from the layers below them"
        )


def test_the_checker_sees_violations(tmp_path):
    # The checker itself: a solver importing another solver, or plotting, is caught.
    bad = tmp_path / "flow.py"
    bad.write_text("from .saddles import saddle_to_saddle\ndef f():\n    from . import plotting\n")
    found = list(imported(bad, "dlnlib.flow"))
    assert found == ["dlnlib.saddles", "dlnlib.plotting"]
    assert all(layer_of(target) >= LAYERS["flow"] for target in found)


@pytest.mark.slow
def test_import_dlnlib_loads_neither_matplotlib_nor_ipywidgets():
    code = "import sys, dlnlib; print(sorted(m for m in ('matplotlib', 'ipywidgets') if m in sys.modules))"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"
    code = "import dlnlib; print(callable(dlnlib.plotting.plot_loss))"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "True"  # dlnlib.plotting still works as an attribute


#: Modules of other branches that do not declare ``__all__`` yet: remove each once it does (the
#: test below then insists that it keeps one).
PENDING_ALL = {"dlnlib.convergence"}


def declared_all(path):
    tree = ast.parse(path.read_text())
    return any(
        isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and t.id == "__all__" for t in node.targets)
        for node in tree.body
    )


def test_modules_declare_all_and_its_names_exist():
    without = {qualname for qualname, path in modules() if not declared_all(path)}
    assert without == PENDING_ALL, f"modules without __all__: {sorted(without)}; PENDING_ALL: {sorted(PENDING_ALL)}"
    for qualname, _ in modules():
        if qualname in PENDING_ALL:
            continue
        module = __import__(qualname, fromlist=["__all__"])
        missing = [name for name in module.__all__ if not hasattr(module, name)]
        assert not missing, f"{qualname}.__all__ names what it does not define: {missing}"


def test_docstrings_keep_their_backslashes():
    # A TeX command in a docstring that is not raw loses its backslash to an escape: ":math:`\beta`"
    # becomes a backspace and "eta", and MathJax shows "Math input error" on the API page (it did, for
    # SaddlePath.n_jumps). Tabs and control characters are never meant in dlnlib's strings.
    eaten = []
    for path in sorted(PACKAGE.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and re.search("[\a\b\t\f\v]", node.value):
                eaten.append(f"{path.relative_to(PACKAGE)}:{node.lineno}")
    assert eaten == []
