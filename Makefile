# rupak — two commands for a fresh machine (see README):
#   make reports   build the environment if needed, validate the data, regenerate the reports
#   make test      build the environment if needed, run the whole test suite
# The environment is .venv, built from requirements.lock (pinned) with uv, and rebuilt
# whenever the lock file changes.

PYTHON ?= python3.11
VENV   := .venv
BIN    := $(VENV)/bin
LOCK   := requirements.lock
STAMP  := $(VENV)/.lock-$(shell sha256sum $(LOCK) 2>/dev/null | cut -c1-16)
UV_VERSION := $(shell sed -n 's/^uv==//p' $(LOCK))

# The offline mirror of the external record: an explicit RUPAK_MIRROR wins; otherwise the
# workplace's shared mirror when it exists; otherwise files are downloaded and cached.
RUPAK_MIRROR ?= $(abspath $(wildcard ../shared/external))
export RUPAK_MIRROR

JOBS ?=
PYTEST_ARGS ?=

.PHONY: env reports refresh test lint lab validate fetch clean-env help

help:
	@sed -n '2,6p' Makefile

$(STAMP): $(LOCK) pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	@test -x $(BIN)/uv || { $(BIN)/python -m pip --version >/dev/null 2>&1 || \
	  $(BIN)/python -m ensurepip --default-pip >/dev/null; \
	  $(BIN)/python -m pip install --quiet --disable-pip-version-check "uv==$(UV_VERSION)"; }
	$(BIN)/uv pip sync --quiet --python $(BIN)/python $(LOCK)
	$(BIN)/uv pip install --quiet --python $(BIN)/python --no-deps -e .
	@rm -f $(VENV)/.lock-*
	@touch $@

# The named kernel the notebooks ask for and the report runner uses ("Python (rupak)").
KERNEL_SPEC := $(VENV)/share/jupyter/kernels/rupak/kernel.json
$(KERNEL_SPEC): $(STAMP)
	$(BIN)/python -m ipykernel install --sys-prefix --name rupak --display-name "Python (rupak)" >/dev/null

env: $(STAMP) $(KERNEL_SPEC)

validate: env
	$(BIN)/rupak validate

fetch: env
	$(BIN)/rupak fetch

# `rupak reports` validates the data (once per data version), verifies the record and builds
# only what changed.
reports: env
	@$(BIN)/rupak fetch >/dev/null
	$(BIN)/rupak reports $(if $(JOBS),--jobs $(JOBS))

# Re-execute the committed notebooks with their default parameters and save their outputs,
# after an intended change (nbval then compares against the new outputs).
refresh: env
	$(BIN)/rupak refresh-notebooks

lint: env
	$(BIN)/ruff check lib tests benchmarks $(wildcard tools)
	$(BIN)/ruff format --check lib tests benchmarks $(wildcard tools)

test: env lint
	$(BIN)/python -m pytest -n $(or $(TEST_JOBS),2) --dist loadfile tests notebooks --nbval \
	  --nbval-current-env --nbval-sanitize-with tests/nbval_sanitize.cfg $(PYTEST_ARGS)

lab: env
	$(BIN)/jupyter lab --notebook-dir=notebooks $(LAB_ARGS)

clean-env:
	rm -rf $(VENV)
