#!/usr/bin/env bash
# Install everything the tests need into .venv (and Chromium from Debian's packages), then run
# the whole test suite and the strict site build. Usage: bash scripts/test.sh [pytest args...]
set -euo pipefail
export NO_MKDOCS_2_WARNING=1
cd "$(dirname "$0")/.."

python=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  "$python" -m venv .venv
fi
.venv/bin/python -m pip install --quiet --disable-pip-version-check -e '.[test,docs]'

# Front-end packages the site vendors (Mermaid, tablesort): from the npm registry, never a CDN.
if [ -f package-lock.json ]; then
  npm ci --no-audit --no-fund --loglevel=error
fi

# The browser tests drive Debian's Chromium with Playwright; Playwright never downloads a browser.
if [ ! -x /usr/bin/chromium ]; then
  if [ "$(id -u)" = 0 ]; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  else
    echo "scripts/test.sh: /usr/bin/chromium is missing: run 'sudo apt-get install -y chromium' (Debian's package)" >&2
    exit 2
  fi
fi

.venv/bin/advisor validate
.venv/bin/python -m pytest -q "$@"
.venv/bin/mkdocs build --strict --quiet --site-dir "${SITE_DIR:-site}"
echo "site built in ${SITE_DIR:-site}/"
