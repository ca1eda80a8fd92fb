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

apt_install() {
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    if [ -z "${apt_updated:-}" ]; then apt-get update -qq; apt_updated=1; fi
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
  else
    echo "scripts/test.sh: missing $*: install it with 'sudo apt-get install -y $*' (Debian's packages)" >&2
    exit 2
  fi
}

# Front-end packages the site vendors (Mermaid, tablesort): from the npm registry, never a CDN.
command -v npm >/dev/null || apt_install nodejs npm
if [ -f package-lock.json ]; then
  npm ci --no-audit --no-fund --loglevel=error
fi

# The browser tests drive Debian's Chromium with Playwright; Playwright never downloads a browser.
[ -x /usr/bin/chromium ] || apt_install chromium

.venv/bin/advisor validate
.venv/bin/python -m pytest -q "$@"
.venv/bin/mkdocs build --strict --quiet --site-dir "${SITE_DIR:-site}"
echo "site built in ${SITE_DIR:-site}/"
