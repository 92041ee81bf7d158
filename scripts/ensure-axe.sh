# Sourced by scripts/test.sh: installs axe-core (the accessibility rules the browser tests run)
# into node_modules/ in the clone with npm, only when it is missing or another version.
# Exports KIZUNA_AXE, the path of axe.min.js; an existing KIZUNA_AXE file is used as it is.
axe_version="4.14.1"  # tests/browser/test_accessibility.py names it in its messages too
axe_dir="node_modules/axe-core"
installed_axe_version() {
  [ -f "$axe_dir/package.json" ] &&
    sed -n 's/^ *"version": *"\([^"]*\)".*/\1/p' "$axe_dir/package.json" | head -n 1
}
if [ -z "${KIZUNA_AXE:-}" ] || [ ! -f "$KIZUNA_AXE" ]; then
  if [ "$(installed_axe_version || true)" != "$axe_version" ]; then
    if ! command -v npm >/dev/null 2>&1; then
      cat >&2 <<MSG
The accessibility tests need axe-core $axe_version from npm, and npm was not found.
Install Node.js and npm (Debian/Ubuntu: apt-get install npm; macOS: brew install node), then run
this again; or install it yourself with: npm install --no-save axe-core@$axe_version
MSG
      exit 1
    fi
    echo "Installing axe-core $axe_version into node_modules/ for the accessibility tests..."
    npm install --prefix "$PWD" --no-save --no-package-lock --no-audit --no-fund --loglevel=error \
      "axe-core@$axe_version" >/dev/null || {
      echo "npm could not install axe-core@$axe_version." >&2
      exit 1
    }
  fi
  KIZUNA_AXE="$PWD/$axe_dir/axe.min.js"
fi
export KIZUNA_AXE
