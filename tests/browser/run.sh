#!/bin/sh
# Runs the dashboard browser test (dashboard.test.mjs) for CTest. Exits 77,
# which CTest reports as skipped, when Node.js or Chromium is missing;
# scripts/install-deps installs both and this folder's npm packages.
set -eu
cd "$(dirname "$0")"

if ! command -v node >/dev/null 2>&1; then
  echo "skipped: node is not installed; scripts/install-deps installs it"
  exit 77
fi
chromium="${CHROMIUM:-/usr/bin/chromium}"
if [ ! -x "$chromium" ]; then
  echo "skipped: $chromium is not installed; scripts/install-deps installs" \
       "the Debian package chromium"
  exit 77
fi
if [ ! -d node_modules/playwright-core ]; then
  echo "error: tests/browser/node_modules is missing: run scripts/install-deps" \
       "or npm ci in tests/browser" >&2
  exit 1
fi
exec node --test --test-reporter=spec dashboard.test.mjs
