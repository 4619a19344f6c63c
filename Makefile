# ecoplan — two commands on a fresh machine: `make run` and `make test`.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
DB ?= ecoplan.duckdb
STAMP := $(VENV)/.installed

.PHONY: run test install lint typecheck fmt imports check test-all clean

$(STAMP): pyproject.toml
	$(PY) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev,spark]'
	touch $(STAMP)

install: $(STAMP)

# Create the store, load the built-in plans and the demo values, assess, print.
# (Serving the dashboard on 127.0.0.1:8000 lands with the web issue.)
run: $(STAMP)
	$(BIN)/ecoplan init --demo --db $(DB)
	$(BIN)/ecoplan plans list --db $(DB)
	$(BIN)/ecoplan assess cn-13th-eco --region 000000 --year 2018 --db $(DB)
	$(BIN)/ecoplan assess cn-13th-eco --region 000000 --year 2020 --db $(DB)

test: $(STAMP)
	$(BIN)/ruff check src tests
	$(BIN)/mypy
	$(BIN)/lint-imports
	$(BIN)/pytest -q -m "not slow"

test-all: $(STAMP)
	$(BIN)/pytest -q

lint: $(STAMP)
	$(BIN)/ruff check src tests

fmt: $(STAMP)
	$(BIN)/ruff format src tests

typecheck: $(STAMP)
	$(BIN)/mypy

imports: $(STAMP)
	$(BIN)/lint-imports

check: lint typecheck imports test

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache $(DB)
