#!/usr/bin/env bash
# Installs what the dashboard needs and opens it on the bundled sample data
# (or on the folder named by KIZUNA_DATA_DIR). Extra arguments go to `streamlit run`.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/setup-env.sh requirements.txt
exec .venv/bin/streamlit run dashboard.py "$@"
