# The two commands of the README: `make run` and `make test`. Both create the virtual
# environment on first use, so a fresh clone needs nothing else than Python 3.11 and make.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test check bench load soak clean print-tools

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/python -m bot start

# The flyer test renders flyers.pdf with poppler (pdftoppm, pdftotext) and reads its QR codes
# with zbar (zbarimg). CI is a fresh Debian machine where this runs as root: install them from
# Debian's packages when missing, quietly (the apt log is shown only if the install fails).
print-tools:
	@command -v pdftoppm >/dev/null && command -v pdftotext >/dev/null \
	  && command -v zbarimg >/dev/null || { \
	  SUDO=$$([ "$$(id -u)" = 0 ] || echo sudo); log=$$(mktemp); \
	  { $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install \
	    -y -qq --no-install-recommends poppler-utils zbar-tools; } >$$log 2>&1 \
	  || { cat $$log; rm -f $$log; exit 1; }; rm -f $$log; }

test: $(STAMP) print-tools
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
