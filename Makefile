# rupak — two commands for a fresh machine (see README):
#   make reports   build the environment if needed, validate the data, regenerate the reports
#   make test      build the environment if needed, run the whole test suite
# The environment is .venv, built with uv from a pinned, hashed, universal lock (Linux and
# macOS, Python 3.11 and newer): requirements.lock (runtime: the library, JupyterLab, uv) for
# `make reports`, `make lab` and `make refresh`; requirements-dev.lock (runtime plus the test
# tools) for `make test`. Each is re-synced whenever its lock or pyproject.toml changes.

# The first Python of at least 3.11 on PATH; `make PYTHON=/path/to/python3.12 ...` overrides.
PYTHON_CANDIDATES := python3.13 python3.12 python3.11 python3
PYTHON ?= $(firstword $(foreach p,$(PYTHON_CANDIDATES),$(shell $(p) -c \
  'import sys; print(sys.version_info >= (3, 11))' 2>/dev/null | grep -qx True && echo $(p))))
VENV     := .venv
BIN      := $(VENV)/bin
LOCK     := requirements.lock
DEV_LOCK := requirements-dev.lock
# A stamp per environment, named by a checksum of what it was built from: a changed lock or
# pyproject.toml gives a new name, so the environment is re-synced (uv only changes what differs).
# POSIX cksum, present on Linux and macOS alike.
# RECIPE names how the environment is built: raise it when the sync below changes, so that
# existing environments are re-synced once.
RECIPE        := 2
fingerprint   = $(shell (echo $(RECIPE); cat $(1) pyproject.toml) 2>/dev/null | cksum | tr ' ' '-')
STAMP         := $(VENV)/.runtime-$(call fingerprint,$(LOCK))
DEV_STAMP     := $(VENV)/.dev-$(call fingerprint,$(LOCK) $(DEV_LOCK))
KERNEL        := rupak
KERNEL_TITLE  := Python (rupak)

# The offline mirror of the external record: an explicit RUPAK_MIRROR wins; otherwise the
# workplace's shared mirror when it exists; otherwise files are downloaded and cached.
RUPAK_MIRROR ?= $(abspath $(wildcard ../shared/external))
export RUPAK_MIRROR

JOBS ?=
PYTEST_ARGS ?=

.PHONY: env env-dev reports refresh test lint lab validate fetch lock clean-env help

help:
	@sed -n '2,3p' Makefile

# --- the environment ---------------------------------------------------------------------

# Create .venv with a Python >= 3.11 and put the locked uv in it (pip verifies its hash).
define bootstrap
	@test -x $(BIN)/python || { py="$(PYTHON)"; \
	  if [ -z "$$py" ] || ! "$$py" -c 'import sys; sys.exit(sys.version_info < (3, 11))' \
	      >/dev/null 2>&1; then \
	    echo "rupak needs Python 3.11 or newer, and none was found" \
	      "(tried: $${py:-$(PYTHON_CANDIDATES)})." >&2; \
	    echo "Install one, for example:" >&2; \
	    echo "  Debian/Ubuntu: sudo apt install python3.11 python3.11-venv   (or 3.12, 3.13)" >&2; \
	    echo "  macOS:         brew install python@3.12" >&2; \
	    echo "  any system:    https://www.python.org/downloads/  or  uv python install 3.12" >&2; \
	    echo "then run make again, or name it: make PYTHON=/path/to/python3.12 $(MAKECMDGOALS)" >&2; \
	    exit 1; \
	  fi; \
	  echo "creating $(VENV) with $$("$$py" -c 'import sys; print(sys.executable, sys.version.split()[0])')"; \
	  "$$py" -m venv $(VENV) || { rm -rf $(VENV); \
	    echo "$$py cannot create a virtual environment; install its venv module" \
	      "(Debian/Ubuntu: sudo apt install python3-venv, or python3.X-venv)." >&2; exit 1; }; }
	@test -x $(BIN)/uv || { $(BIN)/python -m pip --version >/dev/null 2>&1 || \
	  $(BIN)/python -m ensurepip --default-pip >/dev/null; \
	  awk '/^uv==/ {on = 1} on {print} on && !/\\$$/ {exit}' $(LOCK) > $(VENV)/uv-bootstrap.txt; \
	  $(BIN)/python -m pip install --quiet --disable-pip-version-check --require-hashes \
	    --no-deps -r $(VENV)/uv-bootstrap.txt; }
endef

# Make the environment exactly the lock $(1), install rupak itself (editable) and the named
# Jupyter kernel "rupak" into the environment (not the user's folders). Packages are installed
# with their bytecode compiled: where PYTHONDONTWRITEBYTECODE is set (as on CI), every process
# would otherwise compile pandas, matplotlib and IPython from source each time it starts.
define sync
	$(BIN)/uv pip sync --quiet --require-hashes --compile-bytecode --python $(BIN)/python $(1)
	$(BIN)/uv pip install --quiet --python $(BIN)/python --no-deps -e .
	@$(BIN)/python -m ipykernel install --sys-prefix --name $(KERNEL) \
	  --display-name "$(KERNEL_TITLE)" >/dev/null
	@rm -f $(VENV)/.runtime-* $(VENV)/.dev-* $(VENV)/.lock-*
endef

$(STAMP):
	$(bootstrap)
	$(call sync,$(LOCK))
	@touch $@

# The dev lock pins the runtime packages at the runtime lock's versions (it is compiled with
# the runtime lock as constraints), so a dev environment also serves `make reports`.
$(DEV_STAMP):
	$(bootstrap)
	$(call sync,$(DEV_LOCK))
	@touch $@ $(STAMP)

env: $(STAMP)

env-dev: $(DEV_STAMP)

# Re-resolve both locks (needs the package index): universal (any OS, Python >= 3.11), with
# hashes. Existing pins are kept unless pyproject.toml asks otherwise; to upgrade everything,
# run `make lock UPGRADE=--upgrade`.
lock: env
	$(BIN)/uv pip compile --quiet --no-python-downloads --universal --generate-hashes --python-version 3.11 \
	  --custom-compile-command "make lock" $(UPGRADE) \
	  pyproject.toml --extra lab -o $(LOCK)
	$(BIN)/uv pip compile --quiet --no-python-downloads --universal --generate-hashes --python-version 3.11 \
	  --custom-compile-command "make lock" $(UPGRADE) \
	  pyproject.toml --extra lab --extra dev -c $(LOCK) -o $(DEV_LOCK)

clean-env:
	rm -rf $(VENV)

# --- the commands -------------------------------------------------------------------------

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

lint: env-dev
	$(BIN)/ruff check lib tests benchmarks $(wildcard tools)
	$(BIN)/ruff format --check lib tests benchmarks $(wildcard tools)

test: env-dev lint
	$(BIN)/python -m pytest -n $(or $(TEST_JOBS),2) --dist loadfile tests notebooks --nbval \
	  --nbval-current-env --nbval-sanitize-with tests/nbval_sanitize.cfg $(PYTEST_ARGS)

# JupyterLab on notebooks/, with the environment's kernelspecs ahead of the user's and the
# "rupak" kernel as the default for new notebooks (the committed ones ask for it by name).
lab: env
	JUPYTER_PREFER_ENV_PATH=1 $(BIN)/jupyter lab --notebook-dir=notebooks \
	  --MappingKernelManager.default_kernel_name=$(KERNEL) $(LAB_ARGS)
