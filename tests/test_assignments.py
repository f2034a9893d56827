"""The course assignments: otter-grader master notebooks in assignments/, built by otter assign
and graded by otter run (no Docker), as an instructor would.

For every master notebook: ``otter assign`` succeeds; the student notebook carries no solution
and no hidden test; ``otter run`` gives the instructor's solution full marks on every auto-graded
question and the untouched student notebook zero; and each plausible wrong answer that the master
names (a ``# WRONG ANSWER for qN: <code>`` line inside a solution block) passes the public tests of
its question and fails a hidden one.
"""

import concurrent.futures
import dataclasses
import importlib.util
import multiprocessing
import pathlib
import re
import zipfile

import nbformat
import pytest

ROOT = pathlib.Path(__file__).resolve().parents[1]
_spec = importlib.util.spec_from_file_location("assignments_build", ROOT / "assignments" / "build.py")
build = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(build)

MASTERS = build.masters()
WRONG_ANSWER = re.compile(r"#\s*WRONG ANSWER for (\w+):\s*(.+)")

pytestmark = pytest.mark.slow


# Chapters whose problem set is still to be written (the chapter is written on another branch), as "NN_topic"; remove a
# chapter from here when its master notebook lands. Every chapter has its problem set now.
AWAITING_PROBLEM_SET = set()


def test_there_is_one_master_per_chapter():
    chapters = {p.stem for p in (ROOT / "book").glob("0*.ipynb")}
    # chapter NN_topic.ipynb has master chN_topic.ipynb
    expected = {f"ch{int(c[:2])}_{c[3:]}" for c in chapters - AWAITING_PROBLEM_SET}
    awaiting = {f"ch{int(c[:2])}_{c[3:]}" for c in AWAITING_PROBLEM_SET}
    assert len(expected) >= 6 and expected <= {m.stem for m in MASTERS}
    assert not awaiting & {m.stem for m in MASTERS}, "a problem set has landed: take its chapter off AWAITING_PROBLEM_SET"


@dataclasses.dataclass(frozen=True)
class Graded:
    """One master notebook, built by otter assign, and the otter run grades of three notebooks:
    the instructor's solution, the untouched student notebook, and the solution with the master's
    plausible wrong answers put in (``wrong``: {question: code})."""

    master: pathlib.Path
    built: build.Built
    wrong: dict
    instructor: dict
    student: dict
    with_wrong_answers: dict


@pytest.fixture(scope="module", params=MASTERS, ids=lambda path: path.stem)
def assignment(request, tmp_path_factory):
    """One master, built by otter assign (its own solution check is left to the otter run tests),
    and its three notebooks graded at once, in parallel processes (each grading starts a kernel).

    The processes are spawned, not forked: by now this pytest process has threads (BLAS, earlier
    kernels' clients), and a fork copies their locks in whatever state they are; a full test run
    once hung here that way."""
    master = request.param
    out = tmp_path_factory.mktemp(master.stem)
    built = build.build(master, out, run_tests=False)
    wrong, with_wrong_answers = put_in_wrong_answers(built.instructor, out / "wrong")
    notebooks = [built.instructor, built.student, with_wrong_answers]
    spawn = multiprocessing.get_context("spawn")
    with concurrent.futures.ProcessPoolExecutor(max_workers=len(notebooks), mp_context=spawn) as pool:
        grades = list(pool.map(grade, notebooks, [built.autograder] * len(notebooks)))
    return Graded(master, built, wrong, *grades)


def put_in_wrong_answers(instructor, folder):
    """The instructor's notebook answering wrongly: each ``WRONG ANSWER for qN`` line of the master
    rebinds the variables just before the check cell of qN (a notebook named as the assignment is
    graded where it checks a question, so a rebinding at the very end would not count). Returns the
    wrong answers and the path of the new notebook, named as a submission would be."""
    notebook = nbformat.read(instructor, as_version=4)
    wrong = dict(m.groups() for cell in notebook.cells for m in WRONG_ANSWER.finditer(cell.source))
    for name, code in wrong.items():
        check = next(i for i, cell in enumerate(notebook.cells) if cell.source.strip() == f'grader.check("{name}")')
        notebook.cells.insert(check, nbformat.v4.new_code_cell(code))
    folder.mkdir()
    path = folder / instructor.name
    nbformat.write(notebook, path)
    return wrong, path


def grade(notebook, autograder):
    """otter run on one notebook: {question: (score, possible, [(hidden, passed), ...])}."""
    from otter.api import grade_submission

    results = grade_submission(str(notebook), str(autograder), quiet=True)
    return {
        name: (result.score, result.possible, [(r.test_case.hidden, r.passed) for r in result.test_case_results])
        for name, result in results.results.items()
    }


def autograder_tests(autograder):
    """The test cases in the autograder archive: {question: [(hidden, code), ...]}."""
    tests = {}
    with zipfile.ZipFile(autograder) as archive:
        for name in archive.namelist():
            if name.startswith("tests/") and name.endswith(".py"):
                namespace = {}
                exec(archive.read(name).decode(), namespace)
                cases = namespace["test"]["suites"][0]["cases"]
                tests[namespace["test"]["name"]] = [(case["hidden"], case["code"]) for case in cases]
    return tests


def doctest_lines(code):
    return [line[4:] for line in code.splitlines() if line.startswith((">>> ", "... "))]


def split_master(master):
    """The lines of a master notebook that a student must not see, and those a student sees.

    Secret: inside raw SOLUTION blocks, the code between the BEGIN/END SOLUTION comments and
    all Markdown (proofs and rubrics). Visible: everything else but the raw configuration
    cells and the hidden test cells (otter's rule: a first-line comment that says "hidden").
    """
    secret, visible, block = [], [], None
    for cell in nbformat.read(master, as_version=4).cells:
        lines = cell.source.splitlines()
        if cell.cell_type == "raw":
            block = {"# BEGIN SOLUTION": "solution", "# BEGIN TESTS": "tests"}.get(cell.source.strip(), None)
        elif block == "solution" and cell.cell_type == "markdown":
            secret += lines
        elif block == "solution":
            inside = False
            for line in lines:
                if line.strip() in ("# BEGIN SOLUTION", "# END SOLUTION"):
                    inside = line.strip() == "# BEGIN SOLUTION"
                else:
                    (secret if inside else visible).append(line)
        elif block == "tests" and lines and re.match(r"\s*#.*\bhidden\b", lines[0], re.IGNORECASE):
            continue  # hidden tests: compared as otter rewrites them, from the autograder archive
        else:
            visible += lines
    return secret, visible


def notebook_text(path):
    """Everything a reader of the notebook can see: cell sources and the tests in its metadata."""
    notebook = nbformat.read(path, as_version=4)
    tests = notebook.metadata.get("otter", {}).get("tests", {})
    codes = [case["code"] for test in tests.values() for suite in test["suites"] for case in suite["cases"]]
    return "\n".join([cell.source for cell in notebook.cells] + [line for code in codes for line in doctest_lines(code)])


def test_master_structure(assignment):
    master, built = assignment.master, assignment.built
    questions = build.questions(master)
    assert 4 <= len(questions) <= 6
    tests = autograder_tests(built.autograder)
    for question in questions:
        if question.manual:
            continue
        kinds = {hidden for hidden, _ in tests[question.name]}
        assert kinds == {False, True}, f"{question.name} needs public and hidden tests"
    assert any(q.manual for q in questions), "at least one proof graded by hand"
    # every hand-graded question has a rubric whose points add up to the question's
    instructor = nbformat.read(built.instructor, as_version=4)
    rubrics = [int(m) for cell in instructor.cells for m in re.findall(r"\*\*Rubric \((\d+) points\)", cell.source)]
    assert rubrics == [q.points for q in questions if q.manual]
    assert WRONG_ANSWER.search(built.instructor.read_text()), "name at least one plausible wrong answer"


def test_student_notebook_has_no_solution_and_no_hidden_test(assignment):
    master, built = assignment.master, assignment.built
    secret, visible = split_master(master)
    cases = [case for cases in autograder_tests(built.autograder).values() for case in cases]
    hidden = [line for is_hidden, code in cases if is_hidden for line in doctest_lines(code)]  # as otter wrote them
    public = [line for is_hidden, code in cases if not is_hidden for line in doctest_lines(code)]
    visible = "\n".join(visible + public)  # what the student may see; a fragment of it is no secret
    secrets = {line.strip() for line in secret + hidden if len(line.strip()) >= 12} - {""}
    secrets = {line for line in secrets if line not in visible}
    assert len(secrets) >= 20
    instructor = notebook_text(built.instructor) + "\n".join(hidden)
    assert all(line in instructor for line in secrets)  # so the search below can see them
    student = notebook_text(built.student)
    assert [line for line in secrets if line in student] == []
    assert "WRONG ANSWER" not in built.student.read_text() and "Rubric" not in built.student.read_text()
    tests = nbformat.read(built.student, as_version=4).metadata["otter"]["tests"]
    assert not any(case["hidden"] for test in tests.values() for case in test["suites"][0]["cases"])


def test_instructor_solution_gets_full_marks(assignment):
    scores = assignment.instructor
    auto = [q.name for q in build.questions(assignment.master) if not q.manual]
    assert sorted(scores) == sorted(auto)
    for name, (score, possible, _) in scores.items():
        assert possible > 0 and score == possible, name


def test_untouched_student_notebook_gets_zero(assignment):
    scores = assignment.student
    assert scores and all(score == 0 for score, _, _ in scores.values())


def test_plausible_wrong_answers_pass_public_tests_and_fail_hidden_ones(assignment):
    assert assignment.wrong, "name at least one plausible wrong answer"
    for name, (score, possible, cases) in assignment.with_wrong_answers.items():
        if name in assignment.wrong:
            assert all(passed for hidden, passed in cases if not hidden), f"{name}: a public test fails"
            assert not all(passed for hidden, passed in cases if hidden), f"{name}: no hidden test fails"
        else:
            assert score == possible, name


def test_instructor_page_lists_every_assignment_with_its_points():
    page = (ROOT / "book" / "instructors.md").read_text()
    sections = dict(re.findall(r"^### `(\w+)`.*?\n(.*?)(?=^#|\Z)", page, flags=re.M | re.S))
    for master in MASTERS:
        questions = build.questions(master)
        assert master.stem in sections, f"{master.stem} has no section in book/instructors.md"
        listed = re.findall(r"^- (q\d+) \((\d+) points(, by hand)?\)", sections[master.stem], flags=re.M)
        assert listed == [(q.name, f"{q.points:g}", ", by hand" if q.manual else "") for q in questions]
        total = re.search(r"(\d+) points,", sections[master.stem])
        assert total and int(total.group(1)) == sum(q.points for q in questions), master.stem
