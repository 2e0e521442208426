"""Tests of a built bundle: they run only when ``LBPO_BUNDLE_DIR`` names one, e.g.

    packaging/build.sh
    LBPO_BUNDLE_DIR=build/bundle/dist/lbpo-workbench python -m pytest tests/packaging

The bundle runs in a clean environment (no venv, no PYTHONPATH), headless.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from lbpo_gui.core.project import load_project

from .test_packaging_rules import GPL_IMPORTS, OTHER_BINDINGS

EXE = ".exe" if sys.platform == "win32" else ""


def run(bundle: Path, program: str, *args: str, tmp: Path, timeout: float = 120):
    """Run a bundle executable with a minimal environment; returns the CompletedProcess."""
    env = {
        "HOME": str(tmp),
        "PATH": "/usr/bin:/bin" if os.name != "nt" else os.environ.get("SYSTEMROOT", ""),
        "LANG": "C.UTF-8",
        "QT_QPA_PLATFORM": "offscreen",
        "LBPO_SETTINGS_DIR": str(tmp / "settings"),
        "LBPO_RECOVERY_DIR": str(tmp / "recovery"),
        "LBPO_LOG_DIR": str(tmp / "logs"),
    }
    if os.name == "nt":
        env["SYSTEMROOT"] = os.environ.get("SYSTEMROOT", r"C:\Windows")
    return subprocess.run(
        [str(bundle / f"{program}{EXE}"), *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def test_self_test_passes_headless_with_real_fonts_and_saves(bundle_dir, tmp_path):
    report = tmp_path / "st.json"
    saved = tmp_path / "saved.lbpo"
    p = run(
        bundle_dir,
        "lbpo-workbench",
        "--self-test",
        "--report",
        str(report),
        "--save",
        str(saved),
        tmp=tmp_path,
    )
    assert p.returncode == 0, p.stderr
    data = json.loads(report.read_text(encoding="utf-8"))
    assert data["ok"] and data["qpa_platform"] == "offscreen"
    assert data["fonts"] > 0 and data["glyphs"]["ok"], data["glyphs"]
    assert {t["title"] for t in data["tabs"]} >= {"Summary"}
    project = load_project(saved)  # the source install opens what the bundle saved
    assert len(project.samples) == data["project"]["samples"] > 0


@pytest.mark.parametrize(
    ("relpath", "fmt", "kind", "n_points"),
    [
        ("eis/impedance.py/exampleDataBioLogic.mpt", "biologic_peis", "impedance", 43),
        ("echem/yadg-eclab/gcpl.issue_149.mpr", "biologic_mpr", "cycling", 132),
        ("xps/vamas/xps_eis.vms", "vamas", "xps", 10004),
        ("eds/rosettasciio/velox_emd_version11.zip", "velox-emd", "eds_map", 16),
    ],
)
def test_bundled_cli_reads_instrument_files(
    bundle_dir, shared_data, tmp_path, relpath, fmt, kind, n_points
):
    path = shared_data / relpath
    if not path.is_file():
        pytest.skip(f"{path} is not present")
    if path.suffix == ".zip":
        with zipfile.ZipFile(path) as z:
            name = "Test SI 16x16 ReducedData 215 kx.emd"
            z.extract(name, tmp_path)
        path = tmp_path / name
    p = run(bundle_dir, "lbpo", "info", "--json", str(path), tmp=tmp_path)
    assert p.returncode == 0, p.stderr
    info = json.loads(p.stdout)
    assert (info["format"], info["kind"], info["n_points"]) == (fmt, kind, n_points)


def test_bundled_xps_fit_finds_the_packaged_templates(bundle_dir, shared_data, tmp_path):
    path = shared_data / "xps/LG4X/Mutlipak_vms.npl"
    if not path.is_file():
        pytest.skip(f"{path} is not present")
    p = run(
        bundle_dir, "lbpo", "xps", "--json", "--template", "s2p-argyrodite", str(path), tmp=tmp_path
    )
    assert p.returncode == 0, p.stderr
    fit = json.loads(p.stdout)
    assert fit["region"] == "S 2p"
    assert fit["components"][0]["position_eV"] == pytest.approx(161.3, abs=0.05)


def test_bundled_demo_project_opens_from_source(bundle_dir, tmp_path):
    out = tmp_path / "demo.lbpo"
    p = run(bundle_dir, "lbpo", "demo", "--json", str(out), tmp=tmp_path)
    assert p.returncode == 0, p.stderr
    written = json.loads(p.stdout)
    project = load_project(out)
    assert [s.name for s in project.samples] == written["samples"]
    assert len(project.datasets()) == written["n_datasets"]


def licence_manifest(bundle_dir: Path) -> list[dict]:
    manifest = bundle_dir / "_internal" / "licences" / "distributions.json"
    assert manifest.is_file(), f"{manifest} missing: built without packaging/lbpo-workbench.spec?"
    return json.loads(manifest.read_text(encoding="utf-8"))["distributions"]


def test_bundle_lists_its_distributions_and_none_is_gpl(bundle_dir, bundle_licences):
    dists = licence_manifest(bundle_dir)
    print("\n".join(f"{d['name']:<24} {d['version']:<12} {d['licence']}" for d in dists))
    names = {bundle_licences.normalise(d["name"]) for d in dists}
    assert {"lbpo-workbench", "numpy", "pyside6-essentials", "pyqtgraph"} <= names
    bad = [d for d in dists if bundle_licences.is_forbidden(d["name"], d["licence"])]
    assert not bad, f"GPL or denied distributions in the bundle: {bad}"
    # PyInstaller copies some *.dist-info folders itself: check those as well.
    for meta in (bundle_dir / "_internal").rglob("*.dist-info/METADATA"):
        text = meta.read_text(encoding="utf-8", errors="replace")
        name = next(line[6:] for line in text.splitlines() if line.startswith("Name: "))
        assert not bundle_licences.is_forbidden(name, ""), meta


def test_bundle_holds_no_gpl_or_other_binding_module(bundle_dir):
    bad_names = GPL_IMPORTS | OTHER_BINDINGS
    on_disk = {p.name.split(".")[0] for p in (bundle_dir / "_internal").iterdir()}
    assert not on_disk & bad_names
    # Pure-Python modules live in the PYZ archive inside the executable: list it with the
    # PyInstaller of the build venv (packaging/build.sh keeps it beside dist/).
    build_python = bundle_dir.parents[1] / "venv" / ("Scripts/python.exe" if EXE else "bin/python")
    if not build_python.is_file():
        pytest.skip(f"no build venv at {build_python} to list the PYZ archive with")
    lister = (
        "import sys; from PyInstaller.archive.readers import CArchiveReader as R; "
        "print('\\n'.join(R(sys.argv[1]).open_embedded_archive('PYZ.pyz').toc))"
    )
    p = subprocess.run(
        [str(build_python), "-c", lister, str(bundle_dir / f"lbpo{EXE}")],
        capture_output=True,
        text=True,
        check=True,
    )
    modules = p.stdout.split()
    assert "lbpo_gui.core.readers.biologic_mpr" in modules
    assert "lbpo_gui.core.demo.truth" not in modules  # tests only
    assert not {m.split(".")[0] for m in modules} & bad_names
