#!/usr/bin/env bash
# Build the one-folder LBPO Workbench bundle with PyInstaller (Linux).
#
#   packaging/build.sh            # -> build/bundle/dist/lbpo-workbench/
#
# Creates a clean venv under the build folder, installs PyInstaller (pinned in
# packaging/constraints.txt) and the project WITHOUT its test extra (a regular, non-editable
# install: package data exactly as pyproject.toml declares it), runs packaging/lbpo-workbench.spec
# and prints the bundle's size. PyInstaller's "Library not found" warnings fail the build (a
# missing system library would be silently left out of the bundle).
#
# Environment: PYTHON (interpreter for the venv, default python3), LBPO_BUILD_DIR (default
# <repo>/build/bundle), LBPO_REUSE_VENV=1 (keep an existing build venv: faster local rebuilds).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
build=${LBPO_BUILD_DIR:-$root/build/bundle}
PY=${PYTHON:-python3}
venv=$build/venv
t0=$(date +%s)

command -v objdump >/dev/null || { echo "build.sh: objdump is missing (Debian package binutils)" >&2; exit 1; }
mkdir -p "$build"
if [ "${LBPO_REUSE_VENV:-0}" != 1 ] || [ ! -x "$venv/bin/python" ]; then
  rm -rf "$venv"
  "$PY" -m venv "$venv"
  "$venv/bin/python" -m pip install -q --upgrade pip
  "$venv/bin/python" -m pip install -q -c "$here/constraints.txt" pyinstaller pyinstaller-hooks-contrib
  "$venv/bin/python" -m pip install -q -c "$here/constraints.txt" "$root"
else
  "$venv/bin/python" -m pip install -q --no-deps --force-reinstall -c "$here/constraints.txt" "$root"
fi
t1=$(date +%s)

log=$build/pyinstaller.log
rm -rf "$build/dist"
(cd "$build" && "$venv/bin/python" -m PyInstaller --noconfirm --clean \
  --distpath "$build/dist" --workpath "$build/work" "$here/lbpo-workbench.spec") >"$log" 2>&1 || {
  tail -40 "$log" >&2
  echo "build.sh: PyInstaller failed (full log: $log)" >&2
  exit 1
}
t2=$(date +%s)
if grep -q "WARNING: Library not found" "$log"; then
  grep "WARNING: Library not found" "$log" >&2
  echo "build.sh: install the missing system libraries on the build host (see packaging/README.md)" >&2
  exit 1
fi

bundle=$build/dist/lbpo-workbench
echo "bundle:  $bundle"
echo "size:    $(du -sh "$bundle" | cut -f1) ($(find "$bundle" -type f | wc -l) files)"
echo "time:    venv+install $((t1 - t0)) s, PyInstaller $((t2 - t1)) s"
