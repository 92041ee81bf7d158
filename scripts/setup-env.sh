# Sourced by scripts/dashboard.sh and scripts/test.sh: makes .venv and installs a requirements file.
# Usage: source scripts/setup-env.sh requirements.txt
set -euo pipefail
requirements="$1"
python="${PYTHON:-python3}"
if ! "$python" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
  echo "Kizuna needs Python 3.11 or newer as '$python' (set PYTHON=/path/to/python3.11)." >&2
  exit 1
fi
if [ ! -x .venv/bin/python ]; then
  "$python" -m venv .venv || {
    echo "Could not create .venv. On Debian or Ubuntu: apt-get install python3-venv" >&2
    exit 1
  }
fi
# Reinstall only when a requirements file changed since the last install.
stamp=".venv/.installed-$(cat requirements*.txt | sha256sum | cut -c1-16)-$(basename "$requirements")"
if [ ! -f "$stamp" ]; then
  .venv/bin/python -m pip install --quiet --disable-pip-version-check -r "$requirements"
  touch "$stamp"
fi
