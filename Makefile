# The two commands of the README: `make run` and `make test`. Both create the virtual
# environment on first use, so a fresh clone needs nothing else than Python 3.11 and make.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test check browser bench load soak clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/python -m bot start

# tests/test_report_browser.py opens `report --html` in a real browser: Debian's chromium,
# installed quietly when missing (CI runs as root; elsewhere the test says how to get it).
browser:
	@command -v chromium >/dev/null 2>&1 || { \
		DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null 2>&1 && \
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null 2>&1; \
	} || echo "chromium n'a pas pu être installé : le test du navigateur sera sauté"

test: $(STAMP) browser
	$(BIN)/ruff check bot handlers tests
	$(BIN)/ruff format --check bot handlers tests
	$(BIN)/mypy
	$(BIN)/python -m bot check --strict --quiet knowledge
	$(BIN)/python -m pytest

check: $(STAMP)
	$(BIN)/python -m bot check knowledge

bench: $(STAMP)
	$(BIN)/python -m bot bench

load: $(STAMP)
	$(BIN)/python -m tests.load --residents 200 --messages 10

soak: $(STAMP)
	$(BIN)/python -m tests.load --residents 500 --messages 20 --faults 0.05 --reloads 4

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
