#!/usr/bin/env bash
# Set-up for `make setup`: Debian packages that pycairo and manimpango build against,
# then .venv with the project installed editable with its test extra.
set -euo pipefail
cd "$(dirname "$0")/.."

PACKAGES="libcairo2-dev libpango1.0-dev pkg-config"

if ! { command -v pkg-config >/dev/null && pkg-config --exists cairo pangocairo; }; then
    if command -v apt-get >/dev/null && [ "$(id -u)" = 0 ]; then
        echo "Installing system packages: $PACKAGES"
        apt-get update -qq
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $PACKAGES >/dev/null
    else
        echo "Error: missing system packages. Install them first, e.g.:" >&2
        echo "    sudo apt-get install $PACKAGES" >&2
        exit 1
    fi
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
