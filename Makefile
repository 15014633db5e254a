# Two commands set up and run everything: `make run` and `make test` (see README.md).
# Each creates the virtual environment in .venv from the pinned requirements.txt when it is missing.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
# Fixed hash seed so set and dict ordering cannot change outputs between runs.
export PYTHONHASHSEED := 0
# Notebook checks: strict nbval (every output compared), sanitize file, one worker per core,
# each notebook kept on one worker.
NBVAL  := --nbval --nbval-current-env --nbval-sanitize-with tests/nbval_sanitize.cfg
XDIST  := -n auto --dist loadscope

.PHONY: help install lock browser run test lab report bench site clean

help:
	@echo "make run      execute every notebook top to bottom, in place (sets up .venv first if needed)"
	@echo "make test     unit tests, data checks, strict nbval over every notebook, the site in Chromium (found or installed first)"
	@echo "make install  only create .venv with the pinned packages"
	@echo "make browser  find the Chromium the site tests drive, or install one (run by make test)"
	@echo "make lock     regenerate requirements.txt from requirements.in and pyproject.toml (uv)"
	@echo "make lab      open JupyterLab on the start page"
	@echo "make report CONFIG=path/to/city.yml [OUT=dir]   brief for your own municipality (brief.html, brief.pdf)"
	@echo "make bench    print the model benchmarks"
	@echo "make site     build the browsable site from the committed notebooks into _build/html"
	@echo "make student-copies   zip the exercise notebooks, outputs cleared and no answer keys, into _build/student-copies.zip"

$(STAMP): requirements.txt pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is needed; found " + sys.version.split()[0] + ". Set PYTHON=/path/to/python3.11")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.txt
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	@# Build matplotlib's font cache now, so its one-time notice never lands in a notebook's output.
	$(BIN)/python -c "import matplotlib.pyplot"
	@touch $(STAMP)

install: $(STAMP)

# The lock: requirements.txt is generated from requirements.in (the project with its test, site and lab
# extras) by uv, resolving for the venv's Python. Versions already in requirements.txt are kept unless a
# change in the declared dependencies needs another; `make lock` then `make install` to apply it.
# LOCK_ARGS passes more options to uv, e.g. LOCK_ARGS="--upgrade-package numpy".
UV_VERSION := 0.13.9
lock:
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	@$(BIN)/uv --version 2>/dev/null | grep -qx 'uv $(UV_VERSION)' || \
		$(BIN)/python -m pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)
	$(BIN)/uv pip compile requirements.in --output-file requirements.txt --python $(BIN)/python \
		--no-emit-package policing-immigration-notebooks --custom-compile-command "make lock" --quiet $(LOCK_ARGS)

# The site tests drive a real Chromium: use the one found ($CHROMIUM, Debian's, on PATH, playwright's),
# or install Debian's package (as root or with password-less sudo) or else playwright's own; when neither
# works, stop here and say what is missing and how to get it.
browser: $(STAMP)
	@$(BIN)/python -m helpers.browser --install

run: $(STAMP)
	$(BIN)/python -m helpers run
	$(BIN)/python -m helpers site

site: $(STAMP)
	$(BIN)/python -m helpers site

test: $(STAMP) browser
	$(BIN)/python -m pytest $(XDIST) $(NBVAL) tests notebooks

lab: $(STAMP)
	$(BIN)/jupyter lab notebooks/00-start-here.ipynb

report: $(STAMP)
	@test -n "$(CONFIG)" || (echo "usage: make report CONFIG=path/to/city.yml [OUT=dir]" >&2; exit 2)
	$(BIN)/python -m helpers report "$(CONFIG)" --out "$(or $(OUT),reports/$(basename $(notdir $(CONFIG))))"

bench: $(STAMP)
	$(BIN)/python -m helpers bench

student-copies: $(STAMP)
	$(BIN)/python -m helpers student-copies

clean:
	rm -rf $(VENV) _build .pytest_cache
