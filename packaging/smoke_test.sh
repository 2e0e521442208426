#!/usr/bin/env bash
# Smoke test of a built bundle, as a collaborator without Python would run it.
#
#   packaging/smoke_test.sh [BUNDLE_DIR]     # default: build/bundle/dist/lbpo-workbench
#
# The bundle runs in a clean environment (env -i: no venv, no PYTHONPATH, PATH=/usr/bin:/bin,
# HOME and the program's settings/recovery/log folders in a temporary folder), headless
# (QT_QPA_PLATFORM=offscreen):
#   1. lbpo-workbench --self-test: builds the window, loads the demo, renders every tab, checks
#      that fonts exist and that text does not render as boxes, saves the project (--save);
#   2. lbpo info reads a BioLogic .mpt and .mpr, a VAMAS .vms and a Velox .emd from the public
#      data (LBPO_SHARED_DIR, default ../shared next to the repository); lbpo eis fits the .mpt,
#      lbpo xps fits S 2p with a built-in template (package data);
#   3. lbpo demo writes the demo project; lbpo report builds the study's tables from it;
#   4. the source install (LBPO_SOURCE_PYTHON, default .venv/bin/python of the repository, else
#      /work/main/.venv/bin/python) opens both saved projects.
# Prints the bundle's size. Exit 0 when every step passed.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
bundle=$(cd "${1:-${LBPO_BUNDLE_DIR:-$root/build/bundle/dist/lbpo-workbench}}" && pwd)
shared=${LBPO_SHARED_DIR:-$(dirname "$root")/shared}
data=$shared/data
source_py=${LBPO_SOURCE_PYTHON:-}
if [ -z "$source_py" ]; then
  for candidate in "$root/.venv/bin/python" /work/main/.venv/bin/python; do
    [ -x "$candidate" ] && { source_py=$candidate; break; }
  done
fi
ext=""
[ -e "$bundle/lbpo.exe" ] && ext=".exe"
gui=$bundle/lbpo-workbench$ext
cli=$bundle/lbpo$ext
work=$(mktemp -d "${TMPDIR:-/tmp}/lbpo-smoke.XXXXXX")
trap 'rm -rf "$work"' EXIT
failed=0

step() { printf '\n== %s\n' "$*"; }
fail() { echo "FAILED: $*" >&2; failed=1; }
# Run a bundle executable with nothing of the build host's Python in the environment.
run() {
  env -i HOME="$work/home" PATH=/usr/bin:/bin LANG=C.UTF-8 QT_QPA_PLATFORM=offscreen \
    LBPO_SETTINGS_DIR="$work/settings" LBPO_RECOVERY_DIR="$work/recovery" \
    LBPO_LOG_DIR="$work/logs" "$@"
}
# lbpo info FILE must name the expected reader and kind.
check_info() {
  local file=$1 format=$2 kind=$3 out
  if ! out=$(run "$cli" info --json "$file" 2>"$work/err"); then
    fail "lbpo info $file: $(cat "$work/err")"
    return
  fi
  if [[ $out == *"\"format\": \"$format\""* && $out == *"\"kind\": \"$kind\""* ]]; then
    echo "ok   $(basename "$file"): $format, $kind, $(grep -m1 -o '"n_points": [0-9]*' <<<"$out")"
  else
    fail "lbpo info $file: expected format $format, kind $kind; got ${out:0:200}"
  fi
}

mkdir -p "$work/home"
[ -x "$gui" ] && [ -x "$cli" ] || { echo "smoke_test.sh: no bundle at $bundle (run packaging/build.sh)" >&2; exit 1; }
echo "bundle: $bundle"
run "$cli" --version

step "self-test (offscreen, fonts, demo, every tab, save)"
t0=$(date +%s)
if run "$gui" --self-test --report "$work/selftest.json" --save "$work/gui-saved.lbpo" 2>"$work/st.err"; then
  grep -v "propagateSizeHints" "$work/st.err" || true
  echo "ok   self-test in $(($(date +%s) - t0)) s"
else
  cat "$work/st.err" >&2
  fail "lbpo-workbench --self-test"
fi
grep -q '"qpa_platform": "offscreen"' "$work/selftest.json" 2>/dev/null || fail "self-test report: not the offscreen platform"
[ "$(grep -A1 '"glyphs"' "$work/selftest.json" | grep -c '"ok": true')" = 1 ] || fail "self-test report: glyph check"
grep -E '"(fonts|startup_s|load_s|elapsed_s)"' "$work/selftest.json" | tr -d ' ,' | tr '\n' ' ' || true
echo

step "self-test with every Python installation of this machine hidden"
# Needs root and unshare (util-linux): mount empty folders over the standard library and venvs.
hide=(/usr/lib/python3* /usr/local/lib/python3* /opt/python* "$HOME/.pyenv" "$root/.venv"
  "$(dirname "$(dirname "$bundle")")/venv" /work/main/.venv)
if [ "$(id -u)" = 0 ] && command -v unshare >/dev/null && unshare -m true 2>/dev/null; then
  mounts=""
  for d in "${hide[@]}"; do [ -d "$d" ] && mounts+="mount -t tmpfs none '$d'; "; done
  if unshare -m sh -c "$mounts exec env -i HOME='$work/home' PATH=/usr/bin:/bin LANG=C.UTF-8 \
      QT_QPA_PLATFORM=offscreen LBPO_SETTINGS_DIR='$work/settings' LBPO_RECOVERY_DIR='$work/recovery' \
      LBPO_LOG_DIR='$work/logs' '$gui' --self-test" >"$work/ns.out" 2>&1; then
    echo "ok   $(grep 'self-test OK' "$work/ns.out")"
  else
    cat "$work/ns.out" >&2
    fail "self-test with Python hidden"
  fi
else
  echo "skipped (needs root and unshare -m)"
fi

step "self-test on the X11 (xcb) platform under Xvfb"
if command -v xvfb-run >/dev/null; then
  # shellcheck disable=SC2016  # $DISPLAY and $XAUTHORITY: xvfb-run sets them for sh
  if xvfb-run -a -s "-screen 0 1280x800x24" sh -c 'exec env -i DISPLAY="$DISPLAY" \
      XAUTHORITY="$XAUTHORITY" HOME="$1/home" PATH=/usr/bin:/bin LANG=C.UTF-8 \
      LBPO_SETTINGS_DIR="$1/settings" LBPO_RECOVERY_DIR="$1/recovery" LBPO_LOG_DIR="$1/logs" \
      "$2" --self-test --report "$1/xcb.json"' sh "$work" "$gui" >"$work/xcb.out" 2>&1 &&
      grep -q '"qpa_platform": "xcb"' "$work/xcb.json"; then
    echo "ok   $(grep 'self-test OK' "$work/xcb.out")"
  else
    cat "$work/xcb.out" >&2
    fail "self-test under Xvfb"
  fi
else
  echo "skipped (no xvfb-run: Debian packages xvfb xauth)"
fi

step "readers through the bundled lbpo"
if [ -d "$data" ]; then
  check_info "$data/eis/impedance.py/exampleDataBioLogic.mpt" biologic_peis impedance
  check_info "$data/echem/yadg-eclab/gcpl.issue_149.mpr" biologic_mpr cycling
  check_info "$data/xps/vamas/xps_eis.vms" vamas xps
  (cd "$work" && unzip -q -o "$data/eds/rosettasciio/velox_emd_version11.zip" "Test SI 16x16 ReducedData 215 kx.emd")
  check_info "$work/Test SI 16x16 ReducedData 215 kx.emd" velox-emd eds_map
  # the built-in templates are package data (lbpo_gui/resources/xps_templates/*.json)
  if out=$(run "$cli" xps --json --template s2p-argyrodite "$data/xps/LG4X/Mutlipak_vms.npl" 2>"$work/err"); then
    echo "ok   lbpo xps (template from the package data): $(grep -o '"region": "[^"]*"' <<<"$out")"
  else
    fail "lbpo xps: $(cat "$work/err")"
  fi
  if out=$(run "$cli" eis --json --circuit auto --kk "$data/eis/impedance.py/exampleDataBioLogic.mpt" 2>"$work/err"); then
    echo "ok   lbpo eis: $(grep -o '"circuit": "[^"]*"' <<<"$out")"
  else
    fail "lbpo eis: $(cat "$work/err")"
  fi
else
  fail "no public data at $data (set LBPO_SHARED_DIR)"
fi

step "lbpo demo and lbpo report"
if run "$cli" demo --json "$work/demo.lbpo" >"$work/demo.json" 2>"$work/err"; then
  echo "ok   lbpo demo: $(grep -o '"n_datasets": [0-9]*' "$work/demo.json")"
else
  fail "lbpo demo: $(cat "$work/err")"
fi
if run "$cli" report --json "$work/demo.lbpo" --out "$work/report" >/dev/null 2>"$work/err"; then
  echo "ok   lbpo report: $(ls "$work/report" | tr '\n' ' ')"
else
  fail "lbpo report: $(cat "$work/err")"
fi

step "the source install opens the projects the bundle saved"
if [ -z "$source_py" ]; then
  fail "no source install to open the projects with (set LBPO_SOURCE_PYTHON)"
else
  for project in "$work/gui-saved.lbpo" "$work/demo.lbpo"; do
    (cd "$root" && "$source_py" -c '
import sys
from pathlib import Path
from lbpo_gui.core.project import load_project
p = load_project(sys.argv[1])
assert p.samples and p.datasets(), "empty project"
print(f"ok   {Path(sys.argv[1]).name}: {len(p.samples)} samples, {len(p.datasets())} datasets")
' "$project") || fail "source install cannot open $project"
  done
fi

step "size"
echo "$(du -sh "$bundle" | cut -f1) in $(find "$bundle" -type f | wc -l) files; largest parts:"
# (sed, not head: head closing the pipe early would fail the pipeline under pipefail)
du -s "$bundle"/_internal/* | sort -rn | sed -n 1,6p | while read -r kib path; do
  printf '  %5d MiB  %s\n' $((kib / 1024)) "${path#"$bundle"/}"
done

if [ $failed -ne 0 ]; then
  echo "smoke test FAILED" >&2
  exit 1
fi
echo "smoke test OK"
