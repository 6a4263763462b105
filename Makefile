# The two set-up commands of the README, and what CI runs.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
SHARED ?= ../shared

.PHONY: install install-test demo test lint typecheck ci

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

install: $(BIN)/python
	$(BIN)/pip install -q -e .
	$(BIN)/eventsift gazetteer build --if-missing

install-test: $(BIN)/python
	bash .ci/start-postgres.sh
	$(BIN)/pip install -q -e ".[test]"
	$(BIN)/eventsift gazetteer build --if-missing

# Install, then run the main job on the bundled sample articles.
demo: install
	rm -f demo.db demo.db-wal demo.db-shm
	$(BIN)/eventsift ingest samples/articles --db demo.db --published 2024-03-12
	$(BIN)/eventsift articles --db demo.db
	$(BIN)/eventsift extract samples/articles/river-crossing-wire.txt --published 2024-03-12 -o demo-extract.jsonl
	@echo "Stored in demo.db; extract-format output in demo-extract.jsonl"

# Install, then pass the tests (PostgreSQL binaries come from Debian's packages).
test: install-test
	$(BIN)/pytest -q

lint:
	$(BIN)/ruff check src tests $(wildcard benchmarks)

typecheck:
	$(BIN)/mypy

ci: test lint typecheck
