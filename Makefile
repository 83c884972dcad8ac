# Quick start: `make build` then `make test`. Both bootstrap .venv on first use.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# The extras installed: make test EXTRAS=test,spark adds the spark engine (pyspark; .ci/run does).
EXTRAS ?= test
comma := ,
STAMP := $(VENV)/.installed-$(subst $(comma),-,$(EXTRAS))

.PHONY: build test suites bench clean

# The install uses uv (several times faster than pip, from PyPI): the uv on PATH, or else one pip puts
# into .venv. Where that fails (no uv for this platform, PyPI unreachable) pip installs everything, from
# whatever index pip is set up to use.
$(STAMP): pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	{ UV=$$(command -v uv || { $(BIN)/pip install --quiet uv && echo $(BIN)/uv; }) && \
	  VIRTUAL_ENV=$(VENV) $$UV pip install --quiet -c constraints.txt -e '.[$(EXTRAS)]'; } || \
	$(BIN)/pip install --quiet -c constraints.txt -e '.[$(EXTRAS)]'
	touch $(STAMP)

build: $(STAMP)
	$(BIN)/corpus-tools build --config dataset.toml

# The suite on every core (pytest-xdist), each test module on one worker so the packages a module
# builds once are built once: make test, or make test WORKERS=0 to run it in this process alone.
WORKERS ?= auto
test: $(STAMP)
	$(BIN)/pytest -n $(WORKERS) --dist loadfile

# Regenerate the GX suites in schemas/suites/ after changing a schema or schemas/validation.toml.
suites: $(STAMP)
	$(BIN)/python -m corpus_tools.validate.suites

# The benchmark (see benchmarks/run.py): make bench, or make bench SIZES="100k 1M 10M"; ENGINE=spark also
# runs convert, validate and build on the spark engine (make bench SIZES=10M ENGINE=spark EXTRAS=test,spark).
# BENCH_ARGS: more of run.py's options (--steps, --add; python benchmarks/run.py --help).
SIZES ?= 100k 1M
ENGINE ?= local
BENCH_ARGS ?=
bench: $(STAMP)
	$(BIN)/python benchmarks/run.py $(SIZES) --engine $(ENGINE) $(BENCH_ARGS)

clean:
	rm -rf $(VENV) .pytest_cache
