#!/usr/bin/env bash
# Build the site strictly and fail on any warning or error MkDocs logs. (`mkdocs build --strict
# --quiet` exits 0 with warnings: MkDocs counts them only at the log level it shows, so this
# script never passes --quiet, and checks the log as well.) Usage: bash scripts/build-site.sh [SITE_DIR]
set -euo pipefail
export NO_MKDOCS_2_WARNING=1
cd "$(dirname "$0")/.."
site=${1:-${SITE_DIR:-site}}
log=$(mktemp)
trap 'rm -f "$log"' EXIT
status=0
.venv/bin/mkdocs build --strict --site-dir "$site" >"$log" 2>&1 || status=$?
grep -v '^INFO ' "$log" >&2 || true
if [ "$status" -ne 0 ] || grep -qE '^(WARNING|ERROR)' "$log"; then
  echo "scripts/build-site.sh: the site build logged warnings or errors (above); exit $status" >&2
  exit 1
fi
echo "site built in $site/"
