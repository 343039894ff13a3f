#!/usr/bin/env bash
# Build the virtualenv snmpsim runs from: Debian's python3 (its dbm module is what snmpsim
# indexes recordings with; a python without _gdbm/_dbm falls back to a slow, fragile one).
# Usage: make-snmpsim-venv.sh DIR VERSION
set -euo pipefail
venv=$1
version=$2
python=/usr/bin/python3
if ! "$python" -c "import dbm.gnu, venv, ensurepip" 2>/dev/null; then
    echo "warning: $python lacks dbm.gnu or venv (Debian packages python3-gdbm python3-venv): no snmpsim" >&2
    exit 1
fi
rm -rf "$venv"
"$python" -m venv "$venv"
# snmpsim imports pysmi without declaring it
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check "snmpsim==$version" "pysmi==2.0.0"
touch "$venv/.installed"
echo "snmpsim $version installed in $venv"
