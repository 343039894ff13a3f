# Mutuparc: `make demo` runs the product on SQLite, `make test` runs the whole test suite.
# Both install what they need: a virtualenv with the Python packages, Debian packages when root.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# Real components the tests drive (see tests/README.md).
DEB_TEST_PACKAGES := postgresql fusioninventory-agent

.PHONY: demo test venv deb-test lint format bench clean

venv: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[dev]'
	touch $@

deb-test:
	scripts/ensure-debian-packages.sh $(DEB_TEST_PACKAGES)

demo: venv
	$(BIN)/python scripts/demo.py

test: venv deb-test
	scripts/run-tests.sh

lint: venv
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: venv
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

bench: venv
	scripts/ensure-debian-packages.sh postgresql wrk
	$(BIN)/python bench/ingest.py

clean:
	rm -rf $(VENV) var .pytest_cache .ruff_cache
