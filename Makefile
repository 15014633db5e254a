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

.PHONY: help install run test lab report bench site clean

help:
	@echo "make run      execute every notebook top to bottom, in place (sets up .venv first if needed)"
	@echo "make test     unit tests, data checks and strict nbval over every notebook"
	@echo "make install  only create .venv with the pinned packages"
	@echo "make lab      open JupyterLab on the start page"
	@echo "make report CONFIG=path/to/city.yml [OUT=dir]   brief for your own municipality"
	@echo "make bench    print the model benchmarks"
	@echo "make site     build the browsable site from the committed notebooks into _build/html"

$(STAMP): requirements.txt pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is needed; found " + sys.version.split()[0] + ". Set PYTHON=/path/to/python3.11")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.txt
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	@# Build matplotlib's font cache now, so its one-time notice never lands in a notebook's output.
	$(BIN)/python -c "import matplotlib.pyplot"
	@touch $(STAMP)

install: $(STAMP)

run: $(STAMP)
	$(BIN)/python -m helpers run
	$(BIN)/python -m helpers site

site: $(STAMP)
	$(BIN)/python -m helpers site

test: $(STAMP)
	$(BIN)/python -m pytest $(XDIST) $(NBVAL) tests notebooks

lab: $(STAMP)
	$(BIN)/jupyter lab notebooks/00-start-here.ipynb

report: $(STAMP)
	@test -n "$(CONFIG)" || (echo "usage: make report CONFIG=path/to/city.yml [OUT=dir]" >&2; exit 2)
	$(BIN)/python -m helpers report "$(CONFIG)" --out "$(or $(OUT),reports/$(basename $(notdir $(CONFIG))))"

bench: $(STAMP)
	$(BIN)/python -m helpers bench

clean:
	rm -rf $(VENV) _build .pytest_cache
