#!/usr/bin/env bash
# Installs what the dashboard needs and opens it on the bundled sample data
# (or on the folder named by KIZUNA_DATA_DIR). Extra arguments go to `streamlit run`.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/setup-env.sh requirements.txt

# Once the server answers, open every page once in the background (ui/warm.py), so the
# first person finds it ready; the server then re-warms by itself when the data changes.
port=8501
previous=""
for arg in "$@"; do
    case "$arg" in
        --server.port=*) port="${arg#--server.port=}" ;;
    esac
    if [ "$previous" = "--server.port" ]; then port="$arg"; fi
    previous="$arg"
done
.venv/bin/python -m ui.warm --url "http://127.0.0.1:$port" --wait 120 >/dev/null 2>&1 &
exec .venv/bin/streamlit run dashboard.py "$@"
