# Two entry points for a newcomer: `make demo` and `make test`.
# Each creates .venv with python3 -m venv, installs the project and its
# system packages (apt-get, when run as root and something is missing), then runs.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
DEMO_DIR ?= demo-project

.PHONY: demo lab test bench sysdeps venv clean

$(BIN)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@

venv: $(BIN)/.installed

sysdeps:
	bash scripts/install-system-deps.sh
	bash scripts/install-hub.sh

demo: sysdeps venv
	$(BIN)/fieldeval demo $(DEMO_DIR)

# the demo project's notebooks in JupyterLab (Chinese; Ctrl-C stops it)
lab: venv
	test -f $(DEMO_DIR)/evaluation.toml || $(MAKE) demo
	$(BIN)/fieldeval lab --project $(DEMO_DIR)

# The store tests also run on a private PostgreSQL server (scripts/start-postgres.sh
# installs and starts it as root); without it they run on SQLite only, and in CI
# (CI=true) a missing server fails the run instead of skipping. Two pytest-xdist workers
# (tests/conftest.py groups the tests: one browser or server at a time).
test: sysdeps venv
	@pg="$$(bash scripts/start-postgres.sh)" || echo "make test: PostgreSQL not started; store tests use SQLite only" >&2; \
	eval "$$pg"; $(BIN)/python -m pytest -q -n 2 --durations=25

bench: venv
	$(BIN)/python -m pip install --quiet -e '.[bench]'
	for f in bench/bench_*.py; do echo "== $$f"; $(BIN)/python $$f || exit 1; done

clean:
	rm -rf $(VENV) $(DEMO_DIR) .pytest_cache .test-cache
