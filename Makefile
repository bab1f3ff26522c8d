# The two commands of the quick start are `make demo` and `make test`; both set up first.
.PHONY: setup demo test lint format bench clean
VENV := .venv
PY := $(VENV)/bin/python
EXAMPLE ?= assessments/ordos-design

setup:
	@bash scripts/setup.sh

demo: setup
	$(PY) -m zcp validate $(EXAMPLE)
	$(PY) -m zcp graph $(EXAMPLE) --out out/$(notdir $(EXAMPLE))-graph.svg
	@echo "demo: energy-flow drawing written to out/$(notdir $(EXAMPLE))-graph.svg"

test: setup
	$(VENV)/bin/ruff check zcp tests
	$(VENV)/bin/ruff format --check zcp tests
	$(PY) -m pytest

format: setup
	$(VENV)/bin/ruff format zcp tests
	$(VENV)/bin/ruff check --fix zcp tests

# Full-size benchmarks (minutes; 10,000 meters x 8,760 h). Not part of `make test`.
bench: setup
	$(PY) -m pytest tests/benchmarks -m full --benchmark-enable -s

clean:
	rm -rf out .pytest_cache
