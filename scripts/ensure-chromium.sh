#!/bin/sh
# First step of `npm test`: the browser tests (web chat page, load-test report) drive Debian's
# Chromium through playwright-core, never a downloaded browser. CHROMIUM_PATH (default
# /usr/bin/chromium) picks the binary. When the default is missing and we are root on a Debian
# machine, apt installs it (one line says so); otherwise one line says how, and the tests stop.
set -eu

chromium="${CHROMIUM_PATH:-/usr/bin/chromium}"
[ -x "$chromium" ] && exit 0

if [ -n "${CHROMIUM_PATH:-}" ]; then
  echo "ensure-chromium: CHROMIUM_PATH=$chromium is not an executable: point it at a Chromium or Chrome, or unset it to use Debian's /usr/bin/chromium" >&2
  exit 1
fi
if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null 2>&1; then
  echo "ensure-chromium: /usr/bin/chromium is missing: the browser tests need Debian's chromium, install it with \`sudo apt-get install -y --no-install-recommends chromium\` (or set CHROMIUM_PATH), then rerun npm test" >&2
  exit 1
fi

echo "ensure-chromium: /usr/bin/chromium is missing: installing Debian's chromium (apt-get install --no-install-recommends chromium)" >&2
export DEBIAN_FRONTEND=noninteractive
log="$(mktemp)"
if ! { apt-get update -qq && apt-get install -y -qq --no-install-recommends chromium; } >"$log" 2>&1; then
  cat "$log" >&2
  rm -f "$log"
  echo "ensure-chromium: apt-get install chromium failed (output above)" >&2
  exit 1
fi
rm -f "$log"
[ -x "$chromium" ] || {
  echo "ensure-chromium: apt-get installed chromium but $chromium is still missing" >&2
  exit 1
}
