#!/usr/bin/env bash
# Install everything the tests need into .venv (and Chromium from Debian's packages), then run
# ruff and mypy --strict on advisor/, `advisor validate`, the strict site build (any warning
# fails it) and the whole test suite. Usage: bash scripts/test.sh [pytest args...]
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

# Zensical (the successor of Material for MkDocs) in an environment of its own, as it pins its own
# Markdown stack; where the registry serves no installable version its test is skipped.
if [ ! -x .venv-zensical/bin/zensical ]; then
  "$python" -m venv .venv-zensical
  if ! .venv-zensical/bin/python -m pip install --quiet --disable-pip-version-check zensical networkx jsonschema fastjsonschema pyyaml; then
    echo "scripts/test.sh: zensical is not installable here; tests/test_zensical.py will be skipped" >&2
  fi
fi
if [ -x .venv-zensical/bin/zensical ]; then
  .venv-zensical/bin/python -m pip install --quiet --disable-pip-version-check --no-deps -e .
fi

# The browser tests drive Debian's Chromium with Playwright; Playwright never downloads a browser.
[ -x /usr/bin/chromium ] || apt_install chromium

.venv/bin/ruff check advisor/
.venv/bin/mypy --strict advisor/
.venv/bin/advisor validate
# The strict site build fails on any warning (see scripts/build-site.sh); before pytest, so that a
# broken page fails fast.
bash scripts/build-site.sh "${SITE_DIR:-site}"
.venv/bin/python -m pytest -q "$@"
