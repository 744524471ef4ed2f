# Kaplan's everyday commands. Each target builds the virtual environment first if needed,
# from this repository's own files only.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin

.PHONY: demo test check lint typecheck dev sample bench clean

$(BIN)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@

## Set up, then open the bundled sample workspace (a fresh copy in your data folder).
demo: $(BIN)/.installed
	$(BIN)/kaplan demo

## Set up, then run the whole test suite: lint and types, then unit, Pilot, snapshot and
## real-terminal tests.
test: $(BIN)/.installed
	$(BIN)/ruff check kaplan_tui tests scripts bench
	$(BIN)/ruff format --check kaplan_tui tests scripts bench
	$(BIN)/mypy
	$(BIN)/pytest

lint: $(BIN)/.installed
	$(BIN)/ruff check kaplan_tui tests scripts bench
	$(BIN)/ruff format --check kaplan_tui tests scripts bench

typecheck: $(BIN)/.installed
	$(BIN)/mypy

check: test

## Run Kaplan on the sample workspace with Textual's devtools attached.
dev: $(BIN)/.installed
	$(BIN)/textual run --dev -c kaplan sample_workspace

## Regenerate sample_workspace/ through Kaplan's own storage.
sample: $(BIN)/.installed
	$(BIN)/python scripts/build_sample_workspace.py

## Print a figure for every DESIGN §8 budget (bench/budgets.py runs the benchmark scripts).
bench: $(BIN)/.installed
	$(BIN)/python bench/budgets.py

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache snapshot_report.html
