#!/bin/sh
# Checks deploy/systemd/parlay-settler.service with `systemd-analyze
# verify`, which needs no running systemd. The unit's binary and
# environment file paths do not exist on a build machine, so a copy points
# them at the built binary and at the example environment file. Any
# message from systemd-analyze fails the test, because it reports unknown
# keys and invalid values as warnings and still exits 0.
#
# Usage: systemd_unit_test.sh PARLAY_SETTLER SOURCE_DIR
# Exits 77 (skipped) when systemd-analyze is missing.
set -eu

binary=$1
source_dir=$2
if ! command -v systemd-analyze >/dev/null; then
  echo "SKIPPED: systemd-analyze not found; install the Debian package systemd"
  exit 77
fi

dir=$(mktemp -d "${TMPDIR:-/tmp}/parlay-systemd-XXXXXX")
trap 'rm -rf "$dir"' EXIT INT TERM
sed -e "s#^ExecStart=/usr/local/bin/parlay-settler #ExecStart=$binary #" \
  -e "s#^EnvironmentFile=/etc/parlay-settler/parlay-settler.env#EnvironmentFile=$source_dir/deploy/systemd/parlay-settler.env#" \
  "$source_dir/deploy/systemd/parlay-settler.service" \
  >"$dir/parlay-settler.service"
# The substitutions must have happened, or the test would check nothing
# useful.
grep -q "^ExecStart=$binary serve$" "$dir/parlay-settler.service"
grep -q "^EnvironmentFile=$source_dir/" "$dir/parlay-settler.service"

status=0
systemd-analyze verify "$dir/parlay-settler.service" >"$dir/output" 2>&1 ||
  status=$?
if [ "$status" -ne 0 ] || [ -s "$dir/output" ]; then
  echo "FAIL: systemd-analyze verify exited $status:" >&2
  cat "$dir/output" >&2
  exit 1
fi
echo "PASS: systemd-analyze verify reported nothing"
