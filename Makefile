# The two commands of the quick start are `make demo` and `make test`; both set up first.
.PHONY: setup demo test lint format bench clean
VENV := .venv
PY := $(VENV)/bin/python
EXAMPLE ?= assessments/lingang-operation
NAME = $(notdir $(EXAMPLE))

setup:
	@bash scripts/setup.sh

# The main job on a bundled example: check the park, draw its energy flows, assess it
# against its rule sets and write the certification-ready PDF report, then verify it.
# Checking and drawing need nothing from the assessment, so they run beside it on a second
# core (their output is shown when the assessment ends); the first failing step stops it.
demo: setup
	@mkdir -p out
	@echo "zcp validate + zcp graph $(EXAMPLE), beside the assessment"
	@( $(PY) -m zcp validate $(EXAMPLE) && \
	   $(PY) -m zcp graph $(EXAMPLE) --out out/$(NAME)-graph.svg ) > out/$(NAME)-checks.txt 2>&1 & \
	  checks=$$!; \
	  echo "zcp assess $(EXAMPLE) --out out/$(NAME)-report.pdf"; \
	  $(PY) -m zcp assess $(EXAMPLE) --out out/$(NAME)-report.pdf; assessed=$$?; \
	  wait $$checks; checked=$$?; cat out/$(NAME)-checks.txt; \
	  [ $$checked -eq 0 ] || exit $$checked; exit $$assessed
	$(PY) -m zcp verify out/$(NAME)-report.pdf $(EXAMPLE)
	@echo "demo: out/$(NAME)-report.pdf (result JSON attached), out/$(NAME)-graph.svg"

test: setup
	$(VENV)/bin/ruff check zcp tests
	$(VENV)/bin/ruff format --check zcp tests
	$(PY) -m mypy
	$(PY) -m pytest -n auto --dist worksteal

format: setup
	$(VENV)/bin/ruff format zcp tests
	$(VENV)/bin/ruff check --fix zcp tests

# Full-size benchmarks (minutes; 10,000 meters x 8,760 h). Not part of `make test`.
bench: setup
	$(PY) -m pytest tests/benchmarks -m full --benchmark-enable -s

clean:
	rm -rf out .pytest_cache
