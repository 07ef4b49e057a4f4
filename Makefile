# One entry point. On a fresh machine:
#   make run    installs everything into .venv, then runs the workbook on the bundled sample data
#   make test   installs everything into .venv, then runs every test (sync check, nbdev_test, pytest)
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
KERNEL := cloudmask_nb
RUN    ?= runs/sample
STAMP  := $(VENV)/.installed

.PHONY: run test install sync-check nbtest pytest clean-notebooks export docs

install: $(STAMP)
$(STAMP): settings.ini setup.py
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	$(PY) -m ipykernel install --sys-prefix --name $(KERNEL) --display-name "Python (cloudmask_nb)" >/dev/null
	touch $@

run: $(STAMP)
	$(VENV)/bin/cloudmask run --run-dir $(RUN)

test: $(STAMP) sync-check nbtest pytest

sync-check: $(STAMP)
	$(PY) -m pytest -q -p no:cacheprovider tests/test_workbook.py

nbtest: $(STAMP)
	cd notebooks && ../$(VENV)/bin/nbdev_test --path . --n_workers 2

pytest: $(STAMP)
	$(PY) -m pytest -q -rs -p no:cacheprovider -n 2 --durations=12 tests --ignore=tests/test_workbook.py --ignore=tests/test_browser.py
	$(PY) -m pytest -q -rs -p no:cacheprovider tests/test_browser.py  # on its own, so that its redraw timings print and see no other test

export: $(STAMP)
	$(VENV)/bin/nbdev_export && $(VENV)/bin/nbdev_clean

# The documentation site (offline, pure Python: mkdocs + mkdocs-jupyter): every notebook executed (the stages by a fresh
# quick run, never an earlier run's pages; the lessons by docs/build.py), the README as home page, API pages from the
# package. Open _site/index.html in a browser.
docs: $(STAMP)
	$(VENV)/bin/cloudmask run --run-dir runs/docs --force
	$(PY) docs/build.py runs/docs
	cd docs && NO_MKDOCS_2_WARNING=1 ../$(VENV)/bin/mkdocs build --strict --quiet
	@echo "site: $(CURDIR)/_site/index.html"
