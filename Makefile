# Xiaoneng — the two commands are `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
BENCH_VENV := .venv-bench
XN := $(BIN)/xiaoneng
export PYTHONPATH := src
export XIAONENG_VAR_DIR ?= $(CURDIR)/var

.PHONY: demo test serve worker lint fmt assets messages install chromium migrate clean-db bench bench-full

## demo: set everything up (venv, deps, assets, SQLite db, demo county) and serve http://127.0.0.1:8000
demo: install
	XIAONENG_ENV=demo $(XN) demo --serve

## test: the whole suite (SQLite by default; PostgreSQL when DATABASE_URL is set)
test: install chromium
	XIAONENG_ENV=test $(BIN)/pytest $(PYTEST_ARGS)

install: $(VENV)/.installed src/xiaoneng/static/vendor/.installed src/xiaoneng/locale/.compiled

$(VENV)/.installed: requirements/dev.lock pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --require-hashes -r requirements/dev.lock
	$(BIN)/python -m pip install -q --no-deps --no-build-isolation -e .
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

src/xiaoneng/static/vendor/.installed: node_modules/.installed scripts/copy_assets.py
	$(BIN)/python scripts/copy_assets.py
	touch $@

src/xiaoneng/locale/.compiled: $(wildcard src/xiaoneng/locale/*/LC_MESSAGES/*.po) scripts/compile_messages.py $(VENV)/.installed
	$(BIN)/python scripts/compile_messages.py
	mkdir -p $(dir $@) && touch $@

## chromium: Debian's chromium, a CJK font and GNU gettext for the browser and i18n tests
chromium:
	@command -v chromium >/dev/null && command -v msgfmt >/dev/null && command -v xgettext >/dev/null \
		&& command -v pdftoppm >/dev/null && ldconfig -p 2>/dev/null | grep -q libpangoft2 \
		&& fc-list 2>/dev/null | grep -qi "noto.*cjk" || scripts/install_chromium.sh

## serve / worker: run the web server or the task worker on their own
serve: install
	XIAONENG_ENV=$${XIAONENG_ENV:-demo} $(XN) serve
worker: install
	XIAONENG_ENV=$${XIAONENG_ENV:-demo} $(XN) worker

migrate: install
	XIAONENG_ENV=$${XIAONENG_ENV:-demo} $(XN) migrate

## lint: ruff (rules and format) and mypy (core and every services*/selectors* module, pyproject)
lint: install
	$(BIN)/ruff check src tests bench scripts
	$(BIN)/ruff format --check src tests bench scripts
	XIAONENG_ENV=test $(BIN)/mypy

fmt: install
	$(BIN)/ruff format src tests bench scripts
	$(BIN)/ruff check --fix src tests bench scripts

## messages: refresh the .po catalogues from the source (needs GNU gettext), then compile them
messages: install chromium
	cd src/xiaoneng && XIAONENG_ENV=dev PYTHONPATH=$(CURDIR)/src $(abspath $(XN)) makemessages \
		-l zh_Hans -l en --no-obsolete --no-location --no-wrap -i "static/*" -i "*/tests/*"
	$(BIN)/python scripts/compile_messages.py
	touch src/xiaoneng/locale/.compiled

clean-db:
	rm -f $(XIAONENG_VAR_DIR)/xiaoneng.sqlite3* $(XIAONENG_VAR_DIR)/huey.db*

## bench / bench-full: benchmarks and long reliability checks (PostgreSQL at 127.0.0.1; see bench/README.md)
bench: install $(BENCH_VENV)/.installed
	PYTHONPATH=src:. $(BIN)/python -m bench.run --quick

bench-full: install $(BENCH_VENV)/.installed
	PYTHONPATH=src:. $(BIN)/python -m bench.run --full

# schemathesis (bench/api_fuzz.py) in a virtualenv of its own: its pytest plugin and hypothesis
# stay out of the test suite's .venv
$(BENCH_VENV)/.installed: requirements/bench.lock
	test -x $(BENCH_VENV)/bin/python || $(PYTHON) -m venv $(BENCH_VENV)
	$(BENCH_VENV)/bin/python -m pip install -q --require-hashes -r requirements/bench.lock
	touch $@
