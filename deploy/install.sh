#!/usr/bin/env bash
# Install should-we-finetune (no dev extras) into a fresh virtual environment.
# The Dockerfile's build stage runs exactly this script, and tests run it with
# --dry-run, so the image and a bare-metal install follow the same steps.
#   deploy/install.sh [--dry-run] [VENV]      VENV defaults to /opt/venv
#   PYTHON=python3.11 deploy/install.sh ~/swf  to pick the interpreter
set -euo pipefail

dry_run=0
if [ "${1:-}" = "--dry-run" ]; then
  dry_run=1
  shift
fi
venv="${1:-/opt/venv}"
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
python="${PYTHON:-python3}"

run() {
  echo "+ $*"
  if [ "$dry_run" -eq 0 ]; then
    "$@"
  fi
}

run "$python" -m venv "$venv"
run "$venv/bin/python" -m pip install --no-cache-dir --disable-pip-version-check --upgrade pip
# A regular (not editable) install: the image needs no source tree at run time.
run "$venv/bin/python" -m pip install --no-cache-dir --disable-pip-version-check "$repo"
# Fail the build, not the first deploy, if the command or a dependency is missing.
run "$venv/bin/should-we-finetune" --help
