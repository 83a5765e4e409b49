#!/usr/bin/env bash
# The project's one entry point: sets up a virtual environment on first use
# (and again whenever pyproject.toml changes), then runs the job you name.
#   ./run.sh chat            the interview in the terminal, embedded defaults
#   ./run.sh test            lint, format check, mypy strict, the test suite
#   ./run.sh bench           every benchmark, figures printed
#   ./run.sh <command> ...   any should-we-finetune command (decide, serve, doctor, manifest)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"

VENV=.venv
STAMP="$VENV/.installed-$(sha256sum pyproject.toml | cut -c1-16)"

find_python() {
  for candidate in python3.13 python3.12 python3.11 python3; do
    if command -v "$candidate" >/dev/null 2>&1 &&
      "$candidate" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
      echo "$candidate"
      return 0
    fi
  done
  echo "run.sh: Python 3.11 or newer is needed; install it and try again." >&2
  return 1
}

ensure_venv() {
  [ -f "$STAMP" ] && return 0
  local python
  python=$(find_python)
  echo "Setting up $VENV (first run only; about a minute)..." >&2
  [ -x "$VENV/bin/python" ] || "$python" -m venv "$VENV"
  "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check --upgrade pip >&2
  "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check -e '.[dev]' >&2
  rm -f "$VENV"/.installed-*
  touch "$STAMP"
}

ensure_venv
export PATH="$PWD/$VENV/bin:$PATH"

job="${1:-chat}"
[ $# -gt 0 ] && shift
case "$job" in
  test)
    ruff check bot tests bench
    ruff format --check bot tests bench
    mypy
    exec python -m pytest "$@"
    ;;
  bench)
    exec python -m bench "$@"
    ;;
  *)
    exec should-we-finetune "$job" "$@"
    ;;
esac
