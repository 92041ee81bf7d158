#!/usr/bin/env bash
# Installs everything the tests need (Chromium included, on Debian/Ubuntu) and runs
# the linter and every test, browser tests included. Extra arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/setup-env.sh requirements-dev.txt
source scripts/ensure-browser.sh
source scripts/ensure-axe.sh
.venv/bin/ruff check .
.venv/bin/python -m pytest "$@"
