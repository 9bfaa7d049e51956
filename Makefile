# Set-up in two commands: `make demo` and `make test` (see README.md).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
DB ?= sqlite:///baocao.db

.PHONY: demo test install install-dev system-deps lint clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

install: $(BIN)/python
	$(BIN)/pip install --quiet -e .

install-dev: $(BIN)/python
	$(BIN)/pip install --quiet -e '.[dev]'

# Debian packages for .doc conversion, OCR and PostgreSQL; prints what to install by hand where
# it cannot install them itself, and never fails the set-up.
system-deps:
	bash scripts/install-system-deps.sh

demo: install system-deps
	$(BIN)/baocao ingest samples --db $(DB)
	$(BIN)/baocao facts documents --db $(DB)
	$(BIN)/baocao facts awards --db $(DB)
	@echo
	@echo "Next: $(BIN)/baocao facts quantities --db $(DB)   (every kind: facts --help)"
	@echo "      $(BIN)/baocao compare --db $(DB) --issuer \"Hồng Phát\"   (a series)"
	@echo "      $(BIN)/baocao web --db $(DB)   (search, correct: http://127.0.0.1:8000)"
	@echo "      README.md: the first ten minutes; Commands: compare, checks, show, the Python API"

# The store tests run on SQLite and on a throwaway PostgreSQL server started here on loopback.
test: install-dev system-deps
	BAOCAO_TEST_PG_URL="$$(bash scripts/start-test-postgres.sh | tail -n 1)" $(BIN)/pytest -q

lint:
	$(BIN)/ruff check schemas extractors flows tests

clean:
	rm -rf $(VENV) baocao.db baocao.db-* logs .pytest_cache
