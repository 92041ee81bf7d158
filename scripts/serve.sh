#!/usr/bin/env bash
# Several Kizuna processes behind nginx on this machine, each browser kept on one process.
# Usage: bash scripts/serve.sh [N] [PORT]   N processes (default: one per core), nginx on PORT
# (default 8080; ADDRESS:PORT to listen on one address only); the processes take PORT+1..PORT+N.
# Uses KIZUNA_DATA_DIR, KIZUNA_AUDIENCE, KIZUNA_CACHE_DIR (the results folder all of them share)
# and KIZUNA_COOKIE_SECRET (else one made for this start) like scripts/dashboard.sh.
# Ctrl-C stops everything it started. See docs/deploy.md.
set -euo pipefail
cd "$(dirname "$0")/.."
processes="${1:-$(nproc 2>/dev/null || echo 2)}"
port="${2:-8080}"
if ! [[ "$processes" =~ ^[0-9]+$ ]] || [ "$processes" -lt 1 ] || [ "$processes" -gt 64 ]; then
  echo "Usage: bash scripts/serve.sh [N (1-64)] [PORT or ADDRESS:PORT]" >&2
  exit 2
fi
nginx="${KIZUNA_NGINX:-$(command -v nginx || true)}"
if [ -z "$nginx" ] && [ -x /usr/sbin/nginx ]; then nginx=/usr/sbin/nginx; fi
if [ -z "$nginx" ]; then
  echo "nginx is not installed. On Debian or Ubuntu: sudo apt-get install nginx-light (or nginx);" >&2
  echo "elsewhere install nginx from your system's packages, or set KIZUNA_NGINX=/path/to/nginx." >&2
  exit 1
fi
export KIZUNA_NGINX="$nginx"
source scripts/setup-env.sh requirements.txt
# exec: Ctrl-C and SIGTERM reach the launcher, which stops every process and nginx.
exec .venv/bin/python -m deploy.cluster --processes "$processes" --port "$port"
