# Two commands do everything from a fresh clone:
#   make book   create .venv, install, build the HTML book into _build/html
#   make test   the whole suite: unit tests, chapters under nbval, the built book in headless Chromium
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# Chapters are executed by every build; nbval re-executes them in tests.
NOTEBOOKS := $(wildcard book/*.ipynb)

.PHONY: install book test test-unit test-notebooks test-browser browser bench clean

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

test: test-unit test-notebooks book test-browser

test-unit: install
	$(BIN)/pytest tests dlnlib --doctest-modules --ignore=tests/browser -q -p no:cacheprovider

test-notebooks: install
	$(BIN)/pytest --nbval-lax --nbval-current-env -p no:cacheprovider $(NOTEBOOKS) -q

# Debian's Chromium, driven by Playwright (its own browser download cannot work offline).
browser:
	@command -v chromium >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; }

test-browser: install browser
	$(BIN)/pytest tests/browser -q -p no:cacheprovider

bench: install
	@for script in benchmarks/bench_*.py; do echo "== $$script"; $(BIN)/python $$script || exit 1; done

clean:
	rm -rf _build .pytest_cache .hypothesis
