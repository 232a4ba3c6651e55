#!/usr/bin/env bash
# Set-up for `make setup`: Debian packages that pycairo and manimpango build against,
# then .venv with the project installed editable with its test extra, then the optional
# voice: espeak-ng (Debian) and the `voice` extra (Piper), each skipped with a note if it fails.
set -euo pipefail
cd "$(dirname "$0")/.."

PACKAGES="libcairo2-dev libpango1.0-dev pkg-config"

if ! { command -v pkg-config >/dev/null && pkg-config --exists cairo pangocairo; }; then
    if command -v apt-get >/dev/null && [ "$(id -u)" = 0 ]; then
        echo "Installing system packages: $PACKAGES"
        apt-get update -qq
        APT_UPDATED=1
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $PACKAGES >/dev/null
    else
        echo "Error: missing system packages. Install them first, e.g.:" >&2
        echo "    sudo apt-get install $PACKAGES" >&2
        exit 1
    fi
fi

# espeak-ng: the fallback voice when Piper is missing. Optional: set-up goes on without it.
if ! command -v espeak-ng >/dev/null && command -v apt-get >/dev/null && [ "$(id -u)" = 0 ]; then
    echo "Installing system package: espeak-ng"
    { [ -n "${APT_UPDATED:-}" ] || apt-get update -qq; } >/dev/null 2>&1 || true
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq espeak-ng >/dev/null 2>&1 \
        || echo "Note: espeak-ng could not be installed (apt-get install espeak-ng)"
elif ! command -v espeak-ng >/dev/null; then
    echo "Note: espeak-ng, the fallback voice, is missing (sudo apt-get install espeak-ng)"
fi

PYTHON=${PYTHON:-python3}
if ! "$PYTHON" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
    echo "Error: Python 3.11 or newer is needed as '$PYTHON' (set PYTHON=/path/to/python3.11)." >&2
    exit 1
fi
if [ ! -x .venv/bin/python ]; then
    "$PYTHON" -m venv .venv
fi
.venv/bin/python -m pip install --quiet --upgrade pip
.venv/bin/python -m pip install --quiet -e '.[test]'
# --cluster (Dask distributed), an optional extra: set-up goes on without it.
.venv/bin/python -m pip install --quiet -e '.[cluster]' \
    || echo "Note: Dask could not be installed, so --cluster is unavailable (pip install -e '.[cluster]')"

# The voice: Piper and its English model, an optional extra (Piper is GPL-3.0, so the
# project runs its `piper` command as a separate process). Set-up goes on without it.
if ! voice_log=$(.venv/bin/python -m pip install --quiet -e '.[voice]' 2>&1); then
    reason=$(printf '%s\n' "$voice_log" | grep -E '^ERROR' | tail -n 1 | sed 's/^ERROR: *//' | cut -c 1-120 || true)
    if command -v espeak-ng >/dev/null; then after="videos will use espeak-ng"; else after="videos will be silent"; fi
    echo "Note: the voice could not be installed (${reason:-pip failed}); $after"
fi
