"""The project model: samples, their datasets, and per-dataset analysis settings and results.

Every change goes through :class:`Project` methods, which validate first (raising
:class:`~lbpo_gui.core.errors.ProjectError` and changing nothing on bad input), then change the
model, then emit a :class:`~.events.ProjectEvent`. Methods that change something return what is
needed to undo it, so the GUI's undo commands, the command line and the tests share one path.

Units are part of every field name (``*_mg``, ``*_wt_pct``).
"""

from __future__ import annotations

import copy
import hashlib
import json
import math
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np

from ..errors import ProjectError
from ..readers.base import DATASET_KINDS, ImportedData
from .events import EventHub, ProjectEvent

#: Default composite recipe of the study: NCM : Li6PS5Cl : carbon = 70 : 30 : 2 by weight.
DEFAULT_ACTIVE_PARTS = 70.0
DEFAULT_TOTAL_PARTS = 102.0

SAMPLE_FIELDS: dict[str, type | tuple[type, ...]] = {
    "name": str,
    "lbo_wt_pct": (float, type(None)),
    "lpo_wt_pct": (float, type(None)),
    "cathode": str,
    "composite_mass_mg": (float, type(None)),
    "active_parts": float,
    "total_parts": float,
    "active_mass_override_mg": (float, type(None)),
    "notes": str,
}


def new_id() -> str:
    """A new random identifier (32 hex digits), safe as a file-name part."""
    return uuid.uuid4().hex


def now_iso() -> str:
    """The current UTC time as ISO 8601 text."""
    return datetime.now(UTC).isoformat(timespec="seconds")


#: Deepest nesting of lists and objects a stored value may have (deeper JSON is refused on
#: save and on load: it would exhaust the recursion of the JSON writer).
MAX_JSON_DEPTH = 64


def check_json_value(value: Any, where: str) -> Any:
    """Return a deep copy of ``value`` after checking it is plain JSON (no objects, text keys).

    numpy scalars are converted to Python numbers, tuples to lists, NaN and infinities to None.
    Nesting deeper than :data:`MAX_JSON_DEPTH` is refused.
    """

    def clean(v: Any, path: str, depth: int) -> Any:
        if v is None or isinstance(v, bool | str):
            return v
        if isinstance(v, int | np.integer):
            return int(v)
        if isinstance(v, float | np.floating):
            f = float(v)
            return f if math.isfinite(f) else None
        if depth >= MAX_JSON_DEPTH and isinstance(v, list | tuple | dict):
            where = path if len(path) <= 60 else path[:57] + "..."
            raise ProjectError(f"{where}: nested deeper than {MAX_JSON_DEPTH} levels")
        if isinstance(v, list | tuple):
            return [clean(x, f"{path}[{i}]", depth + 1) for i, x in enumerate(v)]
        if isinstance(v, dict):
            out = {}
            for k, x in v.items():
                if not isinstance(k, str):
                    raise ProjectError(f"{path}: key {k!r} is not text")
                out[k] = clean(x, f"{path}.{k}", depth + 1)
            return out
        raise ProjectError(f"{path}: {type(v).__name__} cannot be stored in a project")

    return clean(value, where, 0)


def _check_arrays(
    arrays: dict[str, Any], where: str, *, same_length: bool = False
) -> dict[str, np.ndarray]:
    """Arrays with safe names and plain numeric/text types, at least one-dimensional.

    With ``same_length`` (a dataset's columns) every array must have the same number of rows.
    """
    out: dict[str, np.ndarray] = {}
    for name, a in arrays.items():
        if not isinstance(name, str) or not name or "/" in name or "\\" in name:
            raise ProjectError(f"{where}: array name {name!r} is not allowed")
        arr = np.asarray(a)
        if arr.dtype.kind not in "biufcU" or arr.dtype.hasobject:
            raise ProjectError(f"{where}: array {name!r} has unsupported type {arr.dtype}")
        if arr.ndim == 0:
            raise ProjectError(f"{where}: array {name!r} is a single number, not an array")
        out[name] = arr
    lengths = {len(a) for a in out.values()}
    if same_length and len(lengths) > 1:
        sizes = ", ".join(f"{k}: {len(a)}" for k, a in out.items())
        raise ProjectError(f"{where}: arrays of one dataset differ in length ({sizes})")
    return out


@dataclass
class Provenance:
    """Where a dataset came from: original file name, its sha256, the reader and import time."""

    original_name: str = ""
    sha256: str = ""
    reader: str = ""
    imported_at: str = ""
    source_path: str = ""

    def to_dict(self) -> dict[str, str]:
        """Plain JSON form."""
        return dict(self.__dict__)

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Provenance:
        """Inverse of :meth:`to_dict` (unknown keys are ignored)."""
        return cls(**{k: str(d.get(k, "")) for k in cls.__dataclass_fields__})


@dataclass
class Analysis:
    """Settings and results of one analysis of a dataset (e.g. ``cycling``, ``eis_fit``).

    ``inputs`` fingerprints what the results were computed from (settings, the sample fields and
    metadata the analysis reads; see :mod:`.rules`); "" when unknown (results typed in by a
    script, or written by an older version), which counts as stale.
    """

    settings: dict[str, Any] = field(default_factory=dict)
    results: dict[str, Any] = field(default_factory=dict)
    arrays: dict[str, np.ndarray] = field(default_factory=dict)
    updated_at: str = ""
    inputs: str = ""

    def copy(self) -> Analysis:
        """A deep copy (arrays copied too)."""
        return Analysis(
            copy.deepcopy(self.settings),
            copy.deepcopy(self.results),
            {k: v.copy() for k, v in self.arrays.items()},
            self.updated_at,
            self.inputs,
        )


@dataclass
class Dataset:
    """One table of one technique: arrays in the common schema plus metadata and provenance."""

    kind: str
    label: str
    arrays: dict[str, np.ndarray]
    metadata: dict[str, Any] = field(default_factory=dict)
    provenance: Provenance = field(default_factory=Provenance)
    analyses: dict[str, Analysis] = field(default_factory=dict)
    raw: bytes | None = None
    id: str = field(default_factory=new_id)

    @property
    def n_points(self) -> int:
        """Number of rows (length of the longest array)."""
        return max((len(a) for a in self.arrays.values()), default=0)

    @classmethod
    def from_import(
        cls,
        data: ImportedData,
        path: str | Path | None = None,
        *,
        keep_raw: bool = False,
        max_raw_bytes: int = 64 * 1024 * 1024,
    ) -> Dataset:
        """A dataset from a reader's table; provenance (name, sha256) is taken from ``path``."""
        prov = Provenance(reader=data.reader, imported_at=now_iso())
        raw = None
        if path is not None:
            p = Path(path)
            prov.original_name = p.name
            prov.source_path = str(p)
            digest = hashlib.sha256()
            size = 0
            chunks = []
            with p.open("rb") as fh:
                for chunk in iter(lambda: fh.read(1 << 20), b""):
                    digest.update(chunk)
                    size += len(chunk)
                    if keep_raw and size <= max_raw_bytes:
                        chunks.append(chunk)
            prov.sha256 = digest.hexdigest()
            if keep_raw and size <= max_raw_bytes:
                raw = b"".join(chunks)
        return cls(
            kind=data.kind,
            label=data.label,
            arrays=dict(data.arrays),
            metadata=check_json_value(data.metadata, "metadata"),
            provenance=prov,
            raw=raw,
        )


@dataclass
class Sample:
    """A sample of the study: coating, cathode composite and its datasets.

    ``cathode`` is what the user typed ("" = not said: nothing assumes NCM811).

    The active mass is ``active_mass_override_mg`` when set, else composite mass x active parts /
    total parts (15 mg x 70/102 = 10.29 mg for the study's cells).
    """

    name: str
    lbo_wt_pct: float | None = None
    lpo_wt_pct: float | None = None
    cathode: str = ""
    composite_mass_mg: float | None = None
    active_parts: float = DEFAULT_ACTIVE_PARTS
    total_parts: float = DEFAULT_TOTAL_PARTS
    active_mass_override_mg: float | None = None
    notes: str = ""
    datasets: list[Dataset] = field(default_factory=list)
    id: str = field(default_factory=new_id)

    @property
    def active_mass_mg(self) -> float | None:
        """Active (cathode) mass in mg, or None when no mass is known."""
        if self.active_mass_override_mg is not None:
            return self.active_mass_override_mg
        if self.composite_mass_mg is None:
            return None
        return self.composite_mass_mg * self.active_parts / self.total_parts

    def fields(self) -> dict[str, Any]:
        """The editable metadata fields and their values."""
        return {k: getattr(self, k) for k in SAMPLE_FIELDS}

    def datasets_of(self, kind: str) -> list[Dataset]:
        """This sample's datasets of one kind, in order."""
        return [d for d in self.datasets if d.kind == kind]


def _clean_sample_field(name: str, value: Any) -> Any:
    """Validate and normalise one sample field, raising ProjectError on bad values."""
    if name not in SAMPLE_FIELDS:
        raise ProjectError(f"unknown sample field {name!r}; editable: {', '.join(SAMPLE_FIELDS)}")
    if name == "name":
        if not isinstance(value, str) or not value.strip():
            raise ProjectError("a sample needs a non-empty name")
        if len(value) > 200 or any(ord(c) < 32 for c in value):
            raise ProjectError("a sample name must be one line of at most 200 characters")
        return value.strip()
    if name in ("cathode", "notes"):
        if not isinstance(value, str):
            raise ProjectError(f"{name} must be text")
        return value
    if value is None:
        if name in ("active_parts", "total_parts"):
            raise ProjectError(f"{name} must be a positive number")
        return None
    if isinstance(value, bool):
        raise ProjectError(f"{name} must be a number, not {value!r}")
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise ProjectError(f"{name} must be a number, not {value!r}") from None
    if not math.isfinite(number) or number < 0:
        raise ProjectError(f"{name} must be a finite number >= 0, not {value!r}")
    positive_only = ("active_parts", "total_parts", "active_mass_override_mg", "composite_mass_mg")
    if name in positive_only and number == 0:
        raise ProjectError(f"{name} must be greater than 0")
    if name.endswith("_wt_pct") and number > 100:
        raise ProjectError(f"{name} is a weight percentage and must be <= 100")
    return number


class Project:
    """A study project: samples with datasets and analyses. All edits go through its methods."""

    def __init__(self, name: str = "Untitled project") -> None:
        self.id: str = new_id()
        self.name: str = name
        self.notes: str = ""
        self.created: str = now_iso()
        self.settings: dict[str, Any] = {}
        self._samples: list[Sample] = []
        self.events = EventHub()
        #: Increases with every change (autosave and tests use it).
        self.revision: int = 0

    # ----------------------------------------------------------------- queries
    @property
    def samples(self) -> tuple[Sample, ...]:
        """The samples in display order (read-only view; edit through the methods)."""
        return tuple(self._samples)

    def sample(self, sample_id: str) -> Sample:
        """The sample with ``sample_id``."""
        for s in self._samples:
            if s.id == sample_id:
                return s
        raise ProjectError(f"no sample with id {sample_id}")

    def sample_by_name(self, name: str) -> Sample:
        """The sample called ``name`` (exact match)."""
        for s in self._samples:
            if s.name == name:
                return s
        raise ProjectError(f"no sample named {name!r}")

    def dataset(self, dataset_id: str) -> tuple[Sample, Dataset]:
        """The dataset with ``dataset_id`` and the sample holding it."""
        for s in self._samples:
            for d in s.datasets:
                if d.id == dataset_id:
                    return s, d
        raise ProjectError(f"no dataset with id {dataset_id}")

    def datasets(self, kind: str | None = None) -> list[tuple[Sample, Dataset]]:
        """All (sample, dataset) pairs, optionally of one kind."""
        return [(s, d) for s in self._samples for d in s.datasets if kind is None or d.kind == kind]

    # ----------------------------------------------------------------- helpers
    def _changed(self, event: ProjectEvent) -> None:
        self.revision += 1
        self.events.emit(event)

    def _unique_name(self, name: str, ignore: Sample | None = None) -> None:
        for s in self._samples:
            if s is not ignore and s.name.casefold() == name.casefold():
                raise ProjectError(f"a sample named {s.name!r} already exists")

    # ----------------------------------------------------------------- project
    def set_project_field(self, field_name: str, value: str) -> str:
        """Change the project's ``name`` or ``notes``; returns the old value."""
        if field_name not in ("name", "notes"):
            raise ProjectError(f"unknown project field {field_name!r}")
        if not isinstance(value, str) or (field_name == "name" and not value.strip()):
            raise ProjectError(f"project {field_name} must be non-empty text")
        old = getattr(self, field_name)
        setattr(self, field_name, value.strip() if field_name == "name" else value)
        self._changed(ProjectEvent("project", field=field_name))
        return old

    # ----------------------------------------------------------------- samples
    def add_sample(self, name: str, index: int | None = None, **fields: Any) -> Sample:
        """Create a sample with ``name`` and optional fields (see :data:`SAMPLE_FIELDS`)."""
        values = {"name": _clean_sample_field("name", name)}
        for k, v in fields.items():
            values[k] = _clean_sample_field(k, v)
        self._unique_name(values["name"])
        sample = Sample(**values)
        return self.insert_sample(sample, index)

    def insert_sample(self, sample: Sample, index: int | None = None) -> Sample:
        """Insert an existing :class:`Sample` object (used by undo of a removal)."""
        for k, v in sample.fields().items():
            _clean_sample_field(k, v)
        self._unique_name(sample.name)
        if any(s.id == sample.id for s in self._samples):
            raise ProjectError(f"sample id {sample.id} is already in the project")
        ids = {d.id for _, d in self.datasets()}
        if any(d.id in ids for d in sample.datasets):
            raise ProjectError("a dataset of this sample is already in the project")
        if index is None or not 0 <= index <= len(self._samples):
            index = len(self._samples)
        self._samples.insert(index, sample)
        self._changed(ProjectEvent("sample_added", sample_id=sample.id))
        return sample

    def remove_sample(self, sample_id: str) -> tuple[Sample, int]:
        """Remove a sample; returns it and its former index (for undo)."""
        sample = self.sample(sample_id)
        index = self._samples.index(sample)
        del self._samples[index]
        self._changed(ProjectEvent("sample_removed", sample_id=sample_id))
        return sample, index

    def move_sample(self, sample_id: str, new_index: int) -> int:
        """Move a sample to ``new_index``; returns its old index."""
        sample = self.sample(sample_id)
        old = self._samples.index(sample)
        if not 0 <= new_index < len(self._samples):
            raise ProjectError(f"index {new_index} is outside 0..{len(self._samples) - 1}")
        self._samples.insert(new_index, self._samples.pop(old))
        self._changed(ProjectEvent("samples_reordered", sample_id=sample_id))
        return old

    def rename_sample(self, sample_id: str, name: str) -> str:
        """Rename a sample; returns the old name."""
        return self.update_sample(sample_id, name=name)["name"]

    def update_sample(self, sample_id: str, **fields: Any) -> dict[str, Any]:
        """Set sample fields (all or nothing); returns the old values of the changed fields."""
        sample = self.sample(sample_id)
        clean = {k: _clean_sample_field(k, v) for k, v in fields.items()}
        if "name" in clean:
            self._unique_name(clean["name"], ignore=sample)
        merged = {**sample.fields(), **clean}
        if (
            merged["active_parts"] is not None
            and merged["total_parts"] is not None
            and merged["active_parts"] > merged["total_parts"]
        ):
            raise ProjectError("active parts cannot exceed total parts of the composite")
        old = {k: getattr(sample, k) for k in clean}
        for k, v in clean.items():
            setattr(sample, k, v)
        for k in clean:
            self._changed(ProjectEvent("sample_changed", sample_id=sample_id, field=k))
        return old

    # ----------------------------------------------------------------- datasets
    def add_dataset(self, sample_id: str, dataset: Dataset, index: int | None = None) -> Dataset:
        """Add ``dataset`` to a sample (validates kind, label, arrays and metadata)."""
        sample = self.sample(sample_id)
        if dataset.kind not in DATASET_KINDS:
            raise ProjectError(f"unknown dataset kind {dataset.kind!r}; expected {DATASET_KINDS}")
        if not isinstance(dataset.label, str) or not dataset.label.strip():
            raise ProjectError("a dataset needs a non-empty label")
        if any(d.id == dataset.id for _, d in self.datasets()):
            raise ProjectError(f"dataset id {dataset.id} is already in the project")
        dataset.arrays = _check_arrays(dataset.arrays, dataset.label, same_length=True)
        dataset.metadata = check_json_value(dataset.metadata, f"{dataset.label}: metadata")
        for name, a in dataset.analyses.items():
            a.settings = check_json_value(a.settings, f"{name}: settings")
            a.results = check_json_value(a.results, f"{name}: results")
            a.arrays = _check_arrays(a.arrays, f"{name}")
        if index is None or not 0 <= index <= len(sample.datasets):
            index = len(sample.datasets)
        sample.datasets.insert(index, dataset)
        self._changed(ProjectEvent("dataset_added", sample_id=sample_id, dataset_id=dataset.id))
        return dataset

    def remove_dataset(self, dataset_id: str) -> tuple[str, Dataset, int]:
        """Remove a dataset; returns (sample id, dataset, former index) for undo."""
        sample, dataset = self.dataset(dataset_id)
        index = sample.datasets.index(dataset)
        del sample.datasets[index]
        self._changed(ProjectEvent("dataset_removed", sample_id=sample.id, dataset_id=dataset_id))
        return sample.id, dataset, index

    def move_dataset(
        self, dataset_id: str, to_sample_id: str, index: int | None = None
    ) -> tuple[str, int]:
        """Move a dataset to another sample; returns (old sample id, old index)."""
        target = self.sample(to_sample_id)
        sample, dataset = self.dataset(dataset_id)
        old_index = sample.datasets.index(dataset)
        del sample.datasets[old_index]
        if index is None or not 0 <= index <= len(target.datasets):
            index = len(target.datasets)
        target.datasets.insert(index, dataset)
        self._changed(ProjectEvent("dataset_removed", sample_id=sample.id, dataset_id=dataset_id))
        self._changed(ProjectEvent("dataset_added", sample_id=target.id, dataset_id=dataset_id))
        return sample.id, old_index

    def set_dataset_label(self, dataset_id: str, label: str) -> str:
        """Change a dataset's label; returns the old label."""
        if not isinstance(label, str) or not label.strip():
            raise ProjectError("a dataset needs a non-empty label")
        sample, dataset = self.dataset(dataset_id)
        old = dataset.label
        dataset.label = label.strip()
        self._changed(
            ProjectEvent(
                "dataset_changed", sample_id=sample.id, dataset_id=dataset_id, field="label"
            )
        )
        return old

    def set_dataset_metadata(self, dataset_id: str, key: str, value: Any) -> tuple[bool, Any]:
        """Set one metadata entry (``value=None`` keeps the key with null).

        Returns (whether the key existed, old value) for undo; see :meth:`delete_dataset_metadata`.
        """
        if not isinstance(key, str) or not key:
            raise ProjectError("a metadata key must be non-empty text")
        clean = check_json_value(value, f"metadata.{key}")
        sample, dataset = self.dataset(dataset_id)
        existed = key in dataset.metadata
        old = dataset.metadata.get(key)
        dataset.metadata[key] = clean
        self._changed(
            ProjectEvent("dataset_changed", sample_id=sample.id, dataset_id=dataset_id, field=key)
        )
        return existed, old

    def delete_dataset_metadata(self, dataset_id: str, key: str) -> Any:
        """Remove a metadata entry; returns its old value."""
        sample, dataset = self.dataset(dataset_id)
        if key not in dataset.metadata:
            raise ProjectError(f"{dataset.label} has no metadata {key!r}")
        old = dataset.metadata.pop(key)
        self._changed(
            ProjectEvent("dataset_changed", sample_id=sample.id, dataset_id=dataset_id, field=key)
        )
        return old

    # ----------------------------------------------------------------- analyses
    def set_analysis(
        self,
        dataset_id: str,
        name: str,
        settings: dict[str, Any] | None = None,
        results: dict[str, Any] | None = None,
        arrays: dict[str, Any] | None = None,
        inputs: str = "",
    ) -> Analysis | None:
        """Store the settings/results/arrays of analysis ``name``; returns the previous one.

        ``inputs`` is the fingerprint of what the results were computed from (see
        :func:`.rules.run_analysis`, which is how analyses are normally stored).
        """
        if not isinstance(name, str) or not name.replace("_", "").isalnum():
            raise ProjectError(f"analysis name {name!r} must be letters, digits and '_'")
        if not isinstance(inputs, str) or len(inputs) > 128:
            raise ProjectError("an analysis inputs fingerprint must be text of <= 128 characters")
        sample, dataset = self.dataset(dataset_id)
        new = Analysis(
            check_json_value(settings or {}, f"{name}: settings"),
            check_json_value(results or {}, f"{name}: results"),
            _check_arrays(arrays or {}, name),
            now_iso(),
            inputs,
        )
        old = dataset.analyses.get(name)
        dataset.analyses[name] = new
        self._changed(
            ProjectEvent("analysis_changed", sample_id=sample.id, dataset_id=dataset_id, field=name)
        )
        return old

    def restore_analysis(self, dataset_id: str, name: str, analysis: Analysis | None) -> None:
        """Put back a previous analysis object (or remove it when None); used by undo."""
        sample, dataset = self.dataset(dataset_id)
        if analysis is None:
            dataset.analyses.pop(name, None)
        else:
            dataset.analyses[name] = analysis
        self._changed(
            ProjectEvent("analysis_changed", sample_id=sample.id, dataset_id=dataset_id, field=name)
        )

    # ----------------------------------------------------------------- summary
    def describe(self) -> dict[str, Any]:
        """A short JSON summary: samples with their datasets' kinds and labels."""
        return {
            "name": self.name,
            "samples": [
                {
                    "name": s.name,
                    "active_mass_mg": s.active_mass_mg,
                    "datasets": [
                        {"kind": d.kind, "label": d.label, "n_points": d.n_points}
                        for d in s.datasets
                    ],
                }
                for s in self._samples
            ],
        }

    def replace_with(self, other: Project) -> None:
        """Take over the content of ``other`` (keeps this object and its listeners)."""
        self.id, self.name, self.notes = other.id, other.name, other.notes
        self.created, self.settings = other.created, other.settings
        self._samples = list(other._samples)
        self._changed(ProjectEvent("project"))


def json_dumps(obj: Any) -> str:
    """JSON text as the project file stores it (UTF-8, no NaN)."""
    return json.dumps(obj, ensure_ascii=False, allow_nan=False, indent=1)
