#!/usr/bin/env bash
# schemathesis against /api/schema/ (bench/api_fuzz.py): no 5xx, responses conform to the schema.
# Installs .venv-bench (requirements/bench.lock) if needed. Usage:
#   bench/schemathesis.sh [max-examples]      (the full plan; default 25 examples per operation)
set -euo pipefail
cd "$(dirname "$0")/.."
make -s install .venv-bench/.installed
PYTHONPATH=src:. exec .venv/bin/python -m bench.api_fuzz --full ${1:+--examples "$1"}
