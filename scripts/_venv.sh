# Shared by scripts/demo and scripts/test: find Python 3.11+, create .venv, install the project.
# Sourced, not run. Installs are skipped when pyproject.toml has not changed since the last one.

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="${SHEETS_OKR_VENV:-$ROOT/.venv}"

find_python() {
    local candidate
    for candidate in "${PYTHON:-}" python3.13 python3.12 python3.11 python3 python; do
        [ -n "$candidate" ] || continue
        if command -v "$candidate" >/dev/null 2>&1 &&
            "$candidate" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
            command -v "$candidate"
            return 0
        fi
    done
    echo "sheets-okr needs Python 3.11 or newer; none found on PATH (set PYTHON=/path/to/python3)" >&2
    return 1
}

# ensure_venv [EXTRAS]: a virtual environment with the project installed (editable).
ensure_venv() {
    local extras="${1:-}" python stamp spec
    if [ ! -x "$VENV/bin/python" ]; then
        python="$(find_python)"
        echo "Creating $VENV with $("$python" --version)" >&2
        "$python" -m venv "$VENV"
    fi
    spec="."
    [ -z "$extras" ] || spec=".[$extras]"
    stamp="$VENV/.sheets-okr-installed-$(cat "$ROOT/pyproject.toml" | cksum | cut -d' ' -f1)-${extras:-base}"
    if [ ! -f "$stamp" ]; then
        echo "Installing sheets-okr${extras:+ with $extras extras} into $VENV" >&2
        (cd "$ROOT" && "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check -e "$spec")
        touch "$stamp"
    fi
}
