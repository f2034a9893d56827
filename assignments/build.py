"""Build the course assignments from their otter-grader master notebooks.

Every ``assignments/*.ipynb`` is a master notebook (one problem set per chapter). For each,
``otter assign`` writes three things, which this script gathers under one output folder
(``make assignments`` uses ``_build/assignments``):

- ``student/<name>.ipynb``: what students get: the questions, no solution, public tests only;
- ``instructor/<name>.ipynb``: the same notebook with the solutions, the proofs' rubrics and
  every test, hidden ones included;
- ``autograder/<name>-autograder.zip``: what ``otter run`` grades a submission with.

By default ``otter assign`` also runs the tests on the instructor's notebook and fails unless
every auto-graded question gets full marks.

Run ``python assignments/build.py --help`` for the options.
"""

import argparse
import dataclasses
import pathlib
import shutil
import subprocess
import sys
import tempfile

import nbformat
import yaml

HERE = pathlib.Path(__file__).resolve().parent
ROOT = HERE.parent


def masters():
    """The master notebooks, in chapter order."""
    return sorted(HERE.glob("*.ipynb"))


@dataclasses.dataclass(frozen=True)
class Question:
    name: str
    points: float
    manual: bool


@dataclasses.dataclass(frozen=True)
class Built:
    student: pathlib.Path
    instructor: pathlib.Path
    autograder: pathlib.Path


def questions(master):
    """The questions of a master notebook, in order, with their total points."""
    found = []
    for cell in nbformat.read(master, as_version=4).cells:
        lines = cell.source.splitlines()
        if cell.cell_type == "raw" and lines and lines[0].strip() == "# BEGIN QUESTION":
            config = yaml.safe_load("\n".join(lines[1:]))
            points = config.get("points", 0)
            total = sum(points) if isinstance(points, list) else points
            found.append(Question(config["name"], total, bool(config.get("manual", False))))
    return found


def build(master, out, *, run_tests=True):
    """Run ``otter assign`` on one master notebook and gather its outputs under ``out``."""
    master, out = pathlib.Path(master), pathlib.Path(out)
    name = master.stem
    with tempfile.TemporaryDirectory() as tmp:
        command = [sys.executable, "-m", "otter", "assign", str(master), tmp]
        if not run_tests:
            command.append("--no-run-tests")
        result = subprocess.run(command, capture_output=True, text=True)
        if result.returncode != 0:
            raise RuntimeError(f"otter assign failed on {master}:\n{result.stdout}\n{result.stderr}")
        (zip_file,) = pathlib.Path(tmp, "autograder").glob("*.zip")
        built = Built(
            student=out / "student" / f"{name}.ipynb",
            instructor=out / "instructor" / f"{name}.ipynb",
            autograder=out / "autograder" / f"{name}-autograder.zip",
        )
        for source, target in [
            (pathlib.Path(tmp, "student", f"{name}.ipynb"), built.student),
            (pathlib.Path(tmp, "autograder", f"{name}.ipynb"), built.instructor),
            (zip_file, built.autograder),
        ]:
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, target)
    return built


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("masters", nargs="*", type=pathlib.Path, help="master notebooks (default: all)")
    parser.add_argument("--out", type=pathlib.Path, default=ROOT / "_build" / "assignments")
    parser.add_argument("--no-run-tests", action="store_true", help="skip otter assign's check of the solutions")
    args = parser.parse_args(argv)
    if args.out.exists():
        shutil.rmtree(args.out)
    for master in args.masters or masters():
        build(master, args.out, run_tests=not args.no_run_tests)
        listing = ", ".join(f"{q.name} {q.points:g}{' (by hand)' if q.manual else ''}" for q in questions(master))
        print(f"{master.stem}: {listing}")
    print(f"student notebooks, instructor versions and autograder archives in {args.out}")


if __name__ == "__main__":
    main()
