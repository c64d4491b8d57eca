# Repatria's make targets. `make help` lists them.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
DATA ?= data
export REPATRIA_DATABASE_URL ?= sqlite:///$(DATA)/repatria.sqlite3

.DEFAULT_GOAL := help
.PHONY: help install install-test browser run db demo test check lint typecheck contracts unit quick bench clean i18n federation
# The quick loop's tests: no browser, no PostgreSQL server (tests/conftest.py marks them).
QUICK_TESTS := not browser and not postgresql

help: ## List the targets with what each does
	@grep -hE '^[a-z0-9-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-12s %s\n", $$1, $$2}'

$(BIN)/python:
	@echo "make: creating the virtual environment $(VENV)/ with $(PYTHON) (everything below is installed there, not system-wide)"
	$(PYTHON) -m venv $(VENV)
	@echo "make: upgrading pip in $(VENV)/ (older pips cannot install from pyproject.toml alone)"
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	@echo "make: installing Repatria and its dependencies (pyproject.toml) into $(VENV)/, to run it"
	$(BIN)/pip install --quiet -e .
	@touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	@echo "make: installing Repatria with its test tools (pyproject.toml [test]: pytest, ruff, mypy, import-linter, Playwright, the pgserver PostgreSQL wheel) into $(VENV)/, to test it"
	$(BIN)/pip install --quiet -e '.[test]'
	@touch $@ $(VENV)/.installed

install: $(VENV)/.installed ## Create the virtual environment and install Repatria

install-test: $(VENV)/.installed-test ## Install Repatria with the test tools

browser: ## Install Debian's Chromium for the browser tests when it is missing (needs root)
	@[ -x /usr/bin/chromium ] || { \
	  echo "make: installing Debian's chromium with apt-get, for the browser tests (Playwright downloads no browser)"; \
	  apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }

db: install ## Create or migrate the SQLite database in $(DATA)/
	@mkdir -p $(DATA)
	$(BIN)/repatria db upgrade

demo: db ## Load the demo data (once; a second run adds nothing) and sign a checkpoint of it
	$(BIN)/repatria demo load
	$(BIN)/repatria audit checkpoint >/dev/null

run: demo ## Set up, load the demo data and serve on http://localhost:8000 (127.0.0.1 only)
	@# Beside the server, the signing command answers checkpoints asked for on /record.
	$(BIN)/repatria audit checkpoint --watch 10 >/dev/null & signer=$$!; \
	trap 'kill $$signer 2>/dev/null' EXIT INT TERM; \
	$(BIN)/repatria serve --host 127.0.0.1 --port 8000

federation: install ## Two installations as peers: the US on http://127.0.0.1:8000, Mexico on :8001
	$(BIN)/repatria demo federation

lint: install-test ## ruff check and ruff format --check
	$(BIN)/ruff check
	$(BIN)/ruff format --check

typecheck: install-test ## mypy (strict on domain, law and screening)
	$(BIN)/mypy

contracts: install-test ## The import-layer contract (import-linter)
	$(BIN)/lint-imports

# Three workers on two cores: the browser, server and PostgreSQL tests wait on other processes,
# and a third worker fills those waits (the whole suite, measured back to back on an idle
# 2-core machine: 6 min 1 s with two workers, 4 min 40 s with three, 5 min 20 s with four).
# PYTHONDONTWRITEBYTECODE is cleared for the tests: the workers and the servers and commands
# the tests start (some twenty Python processes) each compiled every module again without the
# bytecode cache, about five seconds of a worker's start.
unit: install-test browser ## The whole pytest suite, on SQLite and a real PostgreSQL it starts itself
	PYTHONDONTWRITEBYTECODE= $(BIN)/pytest -n 3 -q

quick: install-test ## The pytest suite without the browser and PostgreSQL tests
	$(BIN)/pytest -n 2 -q -m "$(QUICK_TESTS)"

test: lint typecheck contracts unit ## Everything CI runs: lint, types, layers, the whole suite

check: lint typecheck contracts quick ## The quick loop: lint, types, layers, the tests without browser or PostgreSQL

LOCALE := src/repatria/locale
i18n: install ## Extract the marked text (babel.cfg) and update the catalogs in src/repatria/locale/
	$(BIN)/pybabel extract -F babel.cfg -k N_ --no-wrap --sort-by-file --add-location file -o $(LOCALE)/messages.pot .
	$(BIN)/pybabel update --no-wrap --ignore-obsolete -i $(LOCALE)/messages.pot -d $(LOCALE) -l es

clean: ## Remove the virtual environment, caches and the local database
	rm -rf $(VENV) $(DATA) .pytest_cache .mypy_cache .ruff_cache
