# Two commands do everything from a fresh clone:
#   make book   create .venv, install, build the HTML book into _build/html
#   make test   the whole suite: unit tests, chapters under nbval, the built book and a chapter in
#               JupyterLab, both in headless Chromium
# For readers:
#   make lab    the chapters in JupyterLab (working copies in _build/lab; book/ is left alone)
# For a course:
#   make assignments     student notebooks, instructor versions, autograder archives in _build/assignments
#   make book-students   the students' copy of the book (no solutions), in _build/students/_build/html
# For maintainers:
#   make check   ruff, numpydoc validation of public docstrings, one-way imports of dlnlib's modules
#   make bench   the benchmarks in benchmarks/ (ratios measured within one run)
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# Chapters are executed by every build; nbval re-executes them in tests.
NOTEBOOKS := $(wildcard book/*.ipynb)

.PHONY: install book book-students assignments test test-unit test-notebooks test-browser test-students test-lab browser lab bench check clean

install: $(STAMP)

$(STAMP): requirements.txt pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt
	touch $(STAMP)

# Jupyter Book's caches key on notebook source only, so after a change to dlnlib they
# would serve stale outputs: drop them and rebuild every page (--all).
book: install
	rm -rf _build/.jupyter_cache _build/.doctrees _build/jupyter_execute _build/html
	$(BIN)/jupyter-book build . --all --builder html --warningiserror --keep-going
	touch $(BOOK_STAMP)

# The built book, rebuilt when anything it is made from has changed since.
BOOK_STAMP := _build/html/.built
BOOK_SOURCES := _config.yml _toc.yml $(wildcard book/* book/_ext/*.py book/_static/*) \
	$(shell find dlnlib -name '*.py' 2>/dev/null)
$(BOOK_STAMP): $(STAMP) $(BOOK_SOURCES)
	$(MAKE) book

# The students' copy: the same build without the exercises' solutions, in pages and downloads.
book-students: install
	rm -rf _build/students
	HIDE_SOLUTIONS=1 $(BIN)/jupyter-book build . --all --builder html --warningiserror --keep-going --path-output _build/students

# One otter-grader problem set per chapter, from the master notebooks in assignments/.
assignments: install
	$(BIN)/python assignments/build.py --out _build/assignments

test: test-unit test-notebooks book test-browser test-students test-lab

test-unit: install
	$(BIN)/pytest tests dlnlib --doctest-modules --ignore=tests/browser --ignore=tests/students -q -p no:cacheprovider

test-notebooks: install
	$(BIN)/pytest --nbval-lax --nbval-current-env -p no:cacheprovider $(NOTEBOOKS) -q

# A Chromium for the browser tests (tests/browser/conftest.py finds it): one already on
# the machine (or named by CHROMIUM=...), else the system's package (apt-get as root,
# Debian and Ubuntu), else the build Playwright downloads for itself.
browser: install
	@if [ -n "$$CHROMIUM" ] || command -v chromium || command -v chromium-browser \
	        || command -v google-chrome || command -v google-chrome-stable; then \
	    echo "browser tests: using $${CHROMIUM:-the Chromium above}"; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "browser tests: installing Chromium with apt-get"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; \
	else \
	    echo "browser tests: no Chromium found and apt-get unavailable (or not root);"; \
	    echo "  downloading Playwright's own Chromium (needs network access to its CDN)."; \
	    echo "  To use another browser instead: make test-browser CHROMIUM=/path/to/chromium"; \
	    $(BIN)/playwright install chromium; \
	fi

test-browser: $(BOOK_STAMP) browser
	$(BIN)/pytest tests/browser -q -p no:cacheprovider --ignore=tests/browser/test_lab.py

# Every file a reader can fetch from the students' copy, searched for solutions.
test-students: install book-students
	$(BIN)/pytest tests/students -q -p no:cacheprovider

# The chapters in JupyterLab, with jupyterlab-myst to render their MyST (requirements-lab.txt):
# working copies in $(LAB_DIR) (lab/make_copies.py: glued numbers, exercises, citations and
# links rewritten for jupyterlab-myst), book/ only read. A copy saved in JupyterLab is kept;
# `make lab LAB_FORCE=1` rewrites every copy. JupyterLab options: `make lab LAB_OPTIONS=--port=9999`.
LAB_DIR := _build/lab
LAB_STAMP := $(VENV)/.lab-installed

$(LAB_STAMP): requirements-lab.txt $(STAMP)
	$(BIN)/python -m pip install --quiet -r requirements-lab.txt
	touch $(LAB_STAMP)

lab: $(LAB_STAMP)
	$(BIN)/python lab/start.py $(LAB_DIR) $(if $(LAB_FORCE),--force) $(LAB_OPTIONS)

# A chapter run in JupyterLab in headless Chromium, compared with the built book
# (tests/browser/test_lab.py; LAB_RUN=all runs every chapter, not only the first).
test-lab: $(BOOK_STAMP) browser $(LAB_STAMP)
	$(BIN)/pytest tests/browser/test_lab.py -q -p no:cacheprovider

# Static checks: ruff (rules in pyproject.toml), numpydoc validation of every public docstring
# (Examples included), and the one-way import order of dlnlib's modules.
check: install
	$(BIN)/ruff check .
	$(BIN)/python -m numpydoc lint $(shell find dlnlib -name '*.py' | sort)
	$(BIN)/pytest tests/test_layers.py -q -p no:cacheprovider

bench: install
	@for script in benchmarks/bench_*.py; do echo "== $$script"; $(BIN)/python $$script || exit 1; done

clean:
	rm -rf _build .pytest_cache .hypothesis
