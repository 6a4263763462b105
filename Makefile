# The two set-up commands of the README, and what CI runs.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
SHARED ?= ../shared

.PHONY: install install-test web-vendor demo test lint typecheck ci

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

# Front-end packages of the web UI (web/package-lock.json), copied into src/eventsift/serve/web/vendor/
# by web/vendor.mjs; served by the app itself, nothing comes from a CDN at run time.
web-vendor:
	@command -v node >/dev/null 2>&1 || { echo "make: node (Node.js 18 or later) is needed to install the web UI's packages; install nodejs and npm (apt-get install nodejs npm)" >&2; exit 1; }
	@command -v npm >/dev/null 2>&1 || { echo "make: npm is needed to install the web UI's packages; install npm (apt-get install npm)" >&2; exit 1; }
	npm ci --prefix web --no-audit --no-fund --ignore-scripts
	node web/vendor.mjs

install: $(BIN)/python web-vendor
	$(BIN)/pip install -q -e .
	$(BIN)/eventsift gazetteer build --if-missing

install-test: $(BIN)/python web-vendor
	bash .ci/start-postgres.sh
	bash .ci/install-chromium.sh
	$(BIN)/pip install -q -e ".[test]"
	$(BIN)/eventsift gazetteer build --if-missing

# Install, then run the main job on the bundled sample articles: ingest runs every stage (read,
# code events, merge into stories); then export the events and show how to browse them.
demo: install
	rm -f demo.db demo.db-wal demo.db-shm
	$(BIN)/eventsift ingest samples/articles --db demo.db --published 2024-03-12
	$(BIN)/eventsift articles --db demo.db
	$(BIN)/eventsift export --db demo.db --format csv -o demo-events.csv
	$(BIN)/eventsift export --db demo.db --format geojson -o demo-events.geojson
	$(BIN)/eventsift extract samples/articles/depot-strike-wire.txt --published 2024-03-12 -o demo-extract.jsonl
	@echo "Stored in demo.db; events in demo-events.csv (ACLED columns) and demo-events.geojson;"
	@echo "extract-format output in demo-extract.jsonl. Browse: $(BIN)/eventsift serve --db demo.db"

# Install, then pass the tests (PostgreSQL binaries come from Debian's packages).
test: install-test
	$(BIN)/pytest -q

lint:
	$(BIN)/ruff check src tests $(wildcard benchmarks) $(wildcard scripts)

typecheck:
	$(BIN)/mypy

ci: test lint typecheck
