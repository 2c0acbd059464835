# The two set-up commands are `make demo` and `make test`; both create .venv themselves.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp

.PHONY: venv spec gen gen-check lint type pytest test check demo bench clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[dev]'
	touch $@

venv: $(STAMP)

spec: venv
	$(BIN)/openapi-spec-validator openapi/embed.yaml

gen: venv
	$(BIN)/python codegen/generate.py

gen-check: venv
	$(BIN)/python codegen/generate.py --check

lint: venv
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

type: venv
	$(BIN)/mypy --strict twelvelabs_async tests

# The suite but the slow tests runs under coverage, whose report fails below fail_under in
# pyproject.toml. The slow tests (stress loops over paths the rest covers, and subprocess runs
# that coverage does not see) then run without it: tracing made them about twice as slow.
# For a part of the suite: `make pytest PYTEST_ARGS=tests/unit COV_REPORT_ARGS=--fail-under=0`.
# pytest exits 5 when it collected nothing; an empty run must never pass.
pytest: venv
	@$(BIN)/python -m coverage run -m pytest -m "not slow" $(PYTEST_ARGS); rc=$$?; \
	if [ $$rc -eq 5 ]; then echo "pytest collected no tests: failing the run"; exit 1; fi; \
	if [ $$rc -ne 0 ]; then exit $$rc; fi; \
	$(BIN)/python -m coverage report $(COV_REPORT_ARGS) || exit $$?; \
	$(BIN)/python -m pytest -m slow $(PYTEST_ARGS); rc=$$?; \
	if [ $$rc -eq 5 ]; then echo "pytest collected no slow tests: failing the run"; exit 1; fi; \
	exit $$rc

test: spec gen-check lint type pytest

# The edit loop, in well under 30 s: lint, type, and the unit tests but the slow ones (the
# codegen runs, which `make test` covers with gen-check and the full suite). CI runs `make test`.
check: lint type
	$(BIN)/python -m pytest -q -p no:cacheprovider -m "not slow" tests/unit

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache .coverage

# Sample media, a bulk job and a search; against the fake server unless TWELVELABS_API_KEY is set.
demo: venv
	$(BIN)/python -m twelvelabs_async demo --out demo-out

# Side by side with the official SDK and bare aiohttp; writes benchmarks/RESULTS.md.
# BENCH_QUICK=1 for smaller sizes; BENCH_ONLY=retrieve,decode,polling,bulk,upload,import,stores,outputs
# to pick.
bench: venv
	BENCH_QUICK=$(BENCH_QUICK) $(BIN)/python benchmarks/run_all.py $(if $(BENCH_ONLY),--only $(BENCH_ONLY))
