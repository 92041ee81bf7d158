# Sourced by scripts/test.sh: finds Chromium for the browser tests, installing it (and CJK fonts,
# so Japanese renders in screenshots) on Debian or Ubuntu. Exports KIZUNA_CHROMIUM.
find_chromium() {
  for candidate in "${KIZUNA_CHROMIUM:-}" /usr/bin/chromium /usr/bin/chromium-browser; do
    if [ -n "$candidate" ] && [ -x "$candidate" ]; then echo "$candidate"; return 0; fi
  done
  return 1
}
has_cjk_fonts() { fc-list 2>/dev/null | grep -qi "Noto Sans CJK"; }
if { ! find_chromium >/dev/null || ! has_cjk_fonts; } && command -v apt-get >/dev/null 2>&1; then
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  echo "Installing Chromium and CJK fonts for the browser tests (Debian/Ubuntu packages)..."
  { $sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive \
      $sudo apt-get install -y -qq chromium fonts-noto-cjk >/dev/null; } ||
    echo "apt-get could not install chromium fonts-noto-cjk." >&2
fi
if ! KIZUNA_CHROMIUM="$(find_chromium)"; then
  cat >&2 <<'MSG'
The browser tests need Chromium and it was not found.
Install it with your system's package manager (Debian/Ubuntu: apt-get install chromium
fonts-noto-cjk; Fedora: dnf install chromium google-noto-sans-cjk-fonts; macOS: brew install
--cask chromium), then run this again, or set KIZUNA_CHROMIUM=/path/to/chromium.
MSG
  exit 1
fi
export KIZUNA_CHROMIUM
