# The one entry point. `make status` and `make test` are all the set-up there is:
# each creates .venv with python3 (>= 3.11) and installs the project first.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
BROWSER_STAMP := $(VENV)/.browser-stamp
OFFICE_STAMP := $(VENV)/.office-stamp
# The bundled plan, as of its last board (January 2015), so arrows, overdue and stale show.
BOARD_DATE := 2015-01-30

.PHONY: status test check lint types fmt docs bench clean browser office screenshot dist
DIST ?= dist

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "ragplan needs Python 3.11 or newer; this python3 is " + sys.version.split()[0])'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test,dev]'
	@# An editable install leaves the bytecode to the first run, which never writes it
	@# where PYTHONDONTWRITEBYTECODE is set: every command would then compile ragplan
	@# from source first (50 ms). Compiled here, as a regular install does.
	$(BIN)/python -m compileall -q src
	@touch $(STAMP)

status: $(STAMP)
	RAGPLAN_TODAY=$(BOARD_DATE) $(BIN)/ragplan status plans

# The tracker's tests open it in Debian's Chromium (driven by Playwright): installed
# here when absent (CI runs as root on a clean machine).
$(BROWSER_STAMP): $(STAMP)
	@command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1 || \
		(DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium || \
		(apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium))
	@touch $(BROWSER_STAMP)

browser: $(BROWSER_STAMP)

# The export's test opens it in a real spreadsheet program, LibreOffice (headless).
$(OFFICE_STAMP): $(STAMP)
	@command -v soffice >/dev/null 2>&1 || \
		(DEBIAN_FRONTEND=noninteractive apt-get install -y -q libreoffice-calc-nogui || \
		(apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q \
		libreoffice-calc-nogui))
	@touch $(OFFICE_STAMP)

office: $(OFFICE_STAMP)

test: $(STAMP) $(BROWSER_STAMP) $(OFFICE_STAMP)
	$(BIN)/python -m pytest -n 2

lint: $(STAMP)
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks

types: $(STAMP)
	$(BIN)/mypy

check: lint types test docs-check

fmt: $(STAMP)
	$(BIN)/ruff format src tests benchmarks
	$(BIN)/ruff check --fix src tests benchmarks

docs: $(STAMP)
	$(BIN)/python scripts/cli_docs.py > docs/cli.md

docs-check: $(STAMP)
	$(BIN)/python scripts/cli_docs.py | diff -u docs/cli.md -

# Rewrite the expected outputs (tests/data) from what the code prints now; review the diff.
golden: $(STAMP)
	RAGPLAN_GOLDEN=1 $(BIN)/python -m pytest -n 2 -q tests
	git diff --stat -- tests/data

screenshot: $(STAMP) $(BROWSER_STAMP)
	$(BIN)/python scripts/screenshot.py

# A wheel and an sdist in $(DIST)/, for installing ragplan where it is used (docs/ci.md).
dist: $(STAMP)
	$(BIN)/python -m build --outdir $(DIST) .

bench: $(STAMP)
	$(BIN)/python -m compileall -q src
	$(BIN)/python benchmarks/run.py

clean:
	rm -rf $(VENV) .pytest_cache
