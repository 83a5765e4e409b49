#!/bin/sh
# The container's entrypoint.
#   entrypoint.sh                 should-we-finetune serve (HTTP on $PORT, default 3000)
#   entrypoint.sh COMMAND ...     should-we-finetune COMMAND ... (serve --socket, doctor, ...)
#   entrypoint.sh --check         the image is complete and the settings parse; no network
#   entrypoint.sh --healthcheck   GET http://127.0.0.1:$PORT/healthz answers 200 (HEALTHCHECK)
set -eu

case "${1:-}" in
  --check)
    should-we-finetune --help >/dev/null
    exec python - <<'PY'
import importlib
import sys

from bot.errors import ConfigurationError
from bot.settings import Settings

# The modules `serve` and `doctor` need; an ImportError here means a broken image.
for module in ("bot.entrypoints.cli", "bot.adapters.logs", "bot.entrypoints.doctor.checklist", "bot.adapters.metrics"):
    importlib.import_module(module)
try:
    Settings.from_env()
except ConfigurationError as exc:
    print(f"entrypoint: {exc}", file=sys.stderr)
    sys.exit(2)
print("entrypoint: ok")
PY
    ;;
  --healthcheck)
    # python:3.11-slim ships no curl; the standard library is enough.
    exec python - <<'PY'
import os
import sys
import urllib.request

url = f"http://127.0.0.1:{os.environ.get('PORT') or '3000'}/healthz"
try:
    with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 - fixed local URL
        sys.exit(0 if response.status == 200 else 1)
except OSError as exc:
    print(f"healthcheck: {url}: {exc}", file=sys.stderr)
    sys.exit(1)
PY
    ;;
  "")
    exec should-we-finetune serve
    ;;
  *)
    exec should-we-finetune "$@"
    ;;
esac
