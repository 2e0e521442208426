"""The .lbpo container: round trip, layout, backups, migrations and the golden v1 file."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import numpy as np
import pytest

from lbpo_gui.core.project import (
    CURRENT_SCHEMA,
    MIMETYPE,
    Dataset,
    load_project,
    read_manifest,
    save_project,
)
from lbpo_gui.core.project.migrations import SchemaError, migrate

from .helpers import small_project

GOLDEN_DIR = Path(__file__).resolve().parents[2] / "data" / "projects"


def assert_same_project(a, b):
    assert (a.id, a.name, a.notes) == (b.id, b.name, b.notes)
    assert [s.fields() for s in a.samples] == [s.fields() for s in b.samples]
    for sa, sb in zip(a.samples, b.samples, strict=True):
        assert sa.id == sb.id
        for da, db in zip(sa.datasets, sb.datasets, strict=True):
            assert (da.id, da.kind, da.label, da.metadata) == (
                db.id,
                db.kind,
                db.label,
                db.metadata,
            )
            assert da.provenance == db.provenance
            assert list(da.arrays) == list(db.arrays)
            for k in da.arrays:
                assert da.arrays[k].dtype == db.arrays[k].dtype
                np.testing.assert_array_equal(da.arrays[k], db.arrays[k])
            assert set(da.analyses) == set(db.analyses)
            for name, aa in da.analyses.items():
                ab = db.analyses[name]
                assert (aa.settings, aa.results) == (ab.settings, ab.results)
                for k in aa.arrays:
                    np.testing.assert_array_equal(aa.arrays[k], ab.arrays[k])


def test_round_trip_is_identical(tmp_path):
    p = small_project()
    path = save_project(p, tmp_path / "study.lbpo")
    q = load_project(path)
    assert_same_project(p, q)
    assert q.revision == 0


def test_layout_follows_design(tmp_path):
    path = save_project(small_project(), tmp_path / "study.lbpo")
    with zipfile.ZipFile(path) as zf:
        infos = zf.infolist()
        assert infos[0].filename == "mimetype"
        assert infos[0].compress_type == zipfile.ZIP_STORED
        assert zf.read("mimetype").decode() == MIMETYPE
        names = [i.filename for i in infos]
        assert "manifest.json" in names and "project.json" in names
        assert all(n.startswith("data/") and n.endswith(".npz") for n in names[3:])
        manifest = json.loads(zf.read("manifest.json"))
    assert manifest["schema_version"] == CURRENT_SCHEMA == 1
    assert isinstance(manifest["schema_version"], int)
    assert set(manifest["members"]) == set(names) - {"mimetype", "manifest.json"}
    for entry in manifest["members"].values():
        assert len(entry["sha256"]) == 64 and entry["size"] > 0
    assert read_manifest(path)["format"] == "lbpo-project"


def test_raw_original_is_kept(tmp_path):
    src = tmp_path / "cell 1.csv"
    src.write_bytes(b"time_s,voltage_V,current_mA\n0,3.5,1\n1,3.6,1\n")
    from lbpo_gui.core.readers import ImportedData

    imp = ImportedData(
        "cycling",
        "cell 1",
        {"time_s": [0.0, 1.0], "voltage_V": [3.5, 3.6], "current_mA": [1.0, 1.0]},
        reader="test",
    )
    p = small_project()
    d = p.add_dataset(p.samples[0].id, Dataset.from_import(imp, src, keep_raw=True))
    assert len(d.provenance.sha256) == 64 and d.provenance.original_name == "cell 1.csv"
    path = save_project(p, tmp_path / "with_raw.lbpo")
    with zipfile.ZipFile(path) as zf:
        assert f"raw/{d.id}/cell 1.csv" in zf.namelist()
    q = load_project(path)
    assert q.dataset(d.id)[1].raw == src.read_bytes()


def test_second_save_keeps_backup_of_previous(tmp_path):
    p = small_project()
    path = save_project(p, tmp_path / "study.lbpo")
    p.rename_sample(p.samples[0].id, "Renamed")
    save_project(p, path)
    assert load_project(path).samples[0].name == "Renamed"
    assert load_project(tmp_path / "study.lbpo.bak").samples[0].name == "Pristine"
    assert sorted(x.name for x in tmp_path.iterdir()) == ["study.lbpo", "study.lbpo.bak"]


def test_suffix_added_and_missing_folder_refused(tmp_path):
    from lbpo_gui.core.errors import ProjectFileError

    assert save_project(small_project(), tmp_path / "plain").name == "plain.lbpo"
    with pytest.raises(ProjectFileError, match="does not exist"):
        save_project(small_project(), tmp_path / "nope" / "x.lbpo")


def test_golden_v1_file_loads():
    golden = GOLDEN_DIR / "golden_v1.lbpo"
    p = load_project(golden)
    assert read_manifest(golden)["schema_version"] == 1
    assert [s.name for s in p.samples] == ["Pristine", "LBPO 0.05-0.15"]
    kinds = sorted(d.kind for _, d in p.datasets())
    assert kinds == ["cycling", "eds_profile", "impedance", "xps"]
    _, cyc = p.datasets("cycling")[0]
    assert cyc.analyses["cycling"].results == {"first_cycle_ce_pct": 76.37}
    assert cyc.arrays["time_s"][-1] == pytest.approx(3600.0)
    assert p.samples[0].active_mass_mg == pytest.approx(15 * 70 / 102)


def test_migration_chain(monkeypatch):
    from lbpo_gui.core.project import migrations

    with pytest.raises(SchemaError, match="newer"):
        migrate({}, CURRENT_SCHEMA + 1)
    with pytest.raises(SchemaError, match="invalid"):
        migrate({}, 0)
    # A future v2 that renames a field is applied in order to a v1 document.
    monkeypatch.setattr(migrations, "CURRENT_SCHEMA", 3)
    monkeypatch.setattr(
        migrations,
        "MIGRATIONS",
        {1: lambda d: {**d, "steps": ["1->2"]}, 2: lambda d: {**d, "steps": d["steps"] + ["2->3"]}},
    )
    assert migrations.migrate({"x": 1}, 1) == {"x": 1, "steps": ["1->2", "2->3"]}
