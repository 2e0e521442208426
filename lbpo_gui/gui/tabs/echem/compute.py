"""Glue between the Electrochemistry tab and the core: settings, cached results, background jobs.

No science here. Every number comes from :mod:`lbpo_gui.core.echem` and
:mod:`lbpo_gui.core.report.cycling`; this module only decides *when* to call them:

- results are cached per (dataset id, settings, active mass) and dropped on project events;
- cheap work runs at once, large work (a dataset of more than :data:`LARGE_DATASET_POINTS` rows,
  dQ/dV of many half cycles, the cross-sample tables of a large project) runs in a
  :class:`~lbpo_gui.gui.workers.Worker` on a snapshot of the inputs, and :attr:`EchemData.updated`
  fires when it is done, so the window never freezes.
"""

from __future__ import annotations

import dataclasses
import json
import sys
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from types import SimpleNamespace
from typing import Any

from PySide6.QtCore import QObject, Signal

from ....core.echem import (
    DqDvResult,
    DqDvSettings,
    ProfileBranch,
    cycle_profiles,
    half_cycle_dqdv,
)
from ....core.echem.summary import CyclingSummary
from ....core.echem.table import CyclingSettings
from ....core.errors import AnalysisError, LbpoError
from ....core.project import Dataset, Project, Sample
from ....core.project.events import ProjectEvent
from ....core.report.cycling import (
    ANALYSIS_NAME,
    SampleCycling,
    long_term_rows,
    rate_table_rows,
    sample_cycling,
    summarise_dataset,
)
from ...analysis.cache import LRUCache
from ...analysis.runner import Runner, TaskContext
from ...analysis.snapshots import snapshot_dataset

#: A cycling dataset with more rows than this is summarised in a worker.
LARGE_DATASET_POINTS = 500_000
#: Profiles covering more rows than this are computed in a worker.
PROFILE_WORKER_POINTS = 1_000_000
#: dQ/dV of more half cycles (or rows) than these is computed in a worker (~3 ms a half cycle).
DQDV_WORKER_HALF_CYCLES = 48
DQDV_WORKER_POINTS = 400_000
#: Cross-sample summaries over more rows than this are computed in a worker.
CROSS_SAMPLE_WORKER_POINTS = 1_000_000

#: Keys of the dQ/dV settings stored in ``settings["dqdv"]`` of the cycling analysis.
DQDV_KEYS = ("voltage_step_V", "window_points", "polyorder")


# ====================================================================== settings
def stored_settings(dataset: Dataset) -> dict[str, Any]:
    """The stored settings dict of the dataset's cycling analysis (a copy; {} when none)."""
    analysis = dataset.analyses.get(ANALYSIS_NAME)
    return json.loads(json.dumps(analysis.settings)) if analysis else {}


def cycling_settings(dataset: Dataset) -> tuple[CyclingSettings, str | None]:
    """The dataset's cycling settings and, when the stored ones are unusable, why (then the
    defaults are returned)."""
    try:
        return CyclingSettings.from_dict(stored_settings(dataset)), None
    except (AnalysisError, TypeError) as exc:
        return CyclingSettings(), f"stored settings refused ({exc}); showing the defaults"


def dqdv_settings(dataset: Dataset) -> DqDvSettings:
    """The dQ/dV settings stored with the cycling analysis (defaults when absent or invalid)."""
    raw = stored_settings(dataset).get("dqdv")
    if not isinstance(raw, Mapping):
        return DqDvSettings()
    try:
        return DqDvSettings(
            voltage_step_V=float(raw.get("voltage_step_V", DqDvSettings.voltage_step_V)),
            window_points=int(raw.get("window_points", DqDvSettings.window_points)),
            polyorder=int(raw.get("polyorder", DqDvSettings.polyorder)),
        ).check()
    except (AnalysisError, TypeError, ValueError):
        return DqDvSettings()


def dqdv_to_dict(settings: DqDvSettings) -> dict[str, Any]:
    """The dQ/dV settings as stored (the inputs plus the derived window in V and method)."""
    return settings.to_dict()


def settings_key(d: Mapping[str, Any]) -> str:
    """A canonical text of a settings dict (for cache keys)."""
    return json.dumps(d, sort_keys=True, default=str)


# ====================================================================== snapshots
def snapshot_sample(sample: Sample, with_datasets: bool = True) -> Sample:
    """A copy of the sample with snapshots of its cycling datasets (or none)."""
    datasets = [snapshot_dataset(d) for d in sample.datasets_of("cycling")] if with_datasets else []
    return dataclasses.replace(sample, datasets=datasets)


def sample_signature(sample: Sample) -> tuple:
    """What the sample's cycling results depend on (mass, datasets, their stored settings)."""
    return (
        sample.id,
        sample.active_mass_mg,
        tuple(
            (d.id, settings_key(stored_settings(d)), d.n_points)
            for d in sample.datasets_of("cycling")
        ),
    )


def cycling_points(sample: Sample) -> int:
    """Rows of all cycling datasets of a sample."""
    return sum(d.n_points for d in sample.datasets_of("cycling"))


# ====================================================================== results
@dataclass(frozen=True)
class SummaryKey:
    """Identifies one summary: the dataset, its cycling settings, the sample's active mass."""

    dataset_id: str
    settings: str
    sample_mass_mg: float | None


@dataclass(frozen=True)
class SummaryResult:
    """A summary (or why there is none) and the source of the active mass used."""

    key: SummaryKey
    summary: CyclingSummary | None
    mass_source: str = ""
    error: str | None = None

    @property
    def no_mass(self) -> bool:
        """Whether the error is the missing active mass."""
        return bool(self.error) and "no active mass" in (self.error or "")


def error_text(exc: BaseException) -> str:
    """A calm one-line message for an exception from the core."""
    if isinstance(exc, LbpoError):
        return str(exc)
    return f"the analysis failed: {type(exc).__name__}: {exc}"


def summary_job(key: SummaryKey, sample: Sample, dataset: Dataset, settings: CyclingSettings):
    """The summary of ``dataset`` (snapshots may be given) as a :class:`SummaryResult`."""
    try:
        summary, source = summarise_dataset(sample, dataset, settings)
    except Exception as exc:  # shown in the tab, never a crash
        return SummaryResult(key, None, "", error_text(exc))
    return SummaryResult(key, summary, source)


@dataclass(frozen=True)
class DqDvCurve:
    """dQ/dV of one half cycle, or why it could not be computed."""

    direction: str
    result: DqDvResult | None
    error: str | None = None


@dataclass(frozen=True)
class ReportTables:
    """The cross-sample tables: Table 1 layout and the long-term table, with notes."""

    rate_columns: list[str]
    rate_rows: list[dict[str, Any]]
    long_columns: list[str]
    long_rows: list[dict[str, Any]]
    error: str | None = None


# ====================================================================== the data layer
class EchemData(QObject):
    """Cached cycling results of one project for the Electrochemistry tab."""

    #: A background computation finished: views re-read what they show.
    updated = Signal()

    def __init__(self, parent: QObject | None = None, runner: Runner | None = None) -> None:
        super().__init__(parent)
        self.runner = runner if runner is not None else Runner(self)
        self.runner.finished.connect(self._on_finished)
        self._summaries: LRUCache = LRUCache(24)
        self._profiles: LRUCache = LRUCache(4000)
        self._dqdv: LRUCache = LRUCache(4000)
        self._samples: dict[str, tuple[tuple, SampleCycling]] = {}
        self._tables: tuple[tuple, ReportTables] | None = None
        #: How many times each kind of result was computed (tests check the cache with it).
        self.computed: dict[str, int] = {"summary": 0, "profiles": 0, "dqdv": 0, "samples": 0}

    def _on_finished(self, channel: str) -> None:
        self.updated.emit()

    # ------------------------------------------------------------ invalidation
    def clear(self) -> None:
        """Forget everything (a different project, or it was replaced)."""
        self.runner.cancel_all()
        self._summaries.clear()
        self._profiles.clear()
        self._dqdv.clear()
        self._samples.clear()
        self._tables = None

    def on_project_event(self, event: ProjectEvent) -> None:
        """Drop what an event may have changed (keys catch mass and settings changes)."""
        if event.what == "project":
            self.clear()
            return
        if (
            event.what in ("dataset_changed", "dataset_removed", "dataset_added")
            and event.dataset_id
        ):
            self._forget_dataset(event.dataset_id)
            if event.sample_id:
                self._samples.pop(event.sample_id, None)
            self._tables = None
        if event.what == "sample_removed" and event.sample_id:
            self._samples.pop(event.sample_id, None)

    def _forget_dataset(self, dataset_id: str) -> None:
        for cache in (self._summaries, self._profiles, self._dqdv):
            cache.forget(lambda k: _dataset_of(k) == dataset_id)

    # ------------------------------------------------------------ one dataset
    def summary_key(
        self, sample: Sample, dataset: Dataset, settings: CyclingSettings
    ) -> SummaryKey:
        """The cache key of a summary."""
        return SummaryKey(dataset.id, settings_key(settings.to_dict()), sample.active_mass_mg)

    def summary(
        self,
        sample: Sample,
        dataset: Dataset,
        settings: CyclingSettings,
        *,
        wait: bool = False,
    ) -> SummaryResult | None:
        """The summary of ``dataset`` with ``settings``; None while a worker computes it
        (``wait`` computes a large one at once, e.g. before storing it)."""
        key = self.summary_key(sample, dataset, settings)
        hit = self._summaries.get_fresh(key)
        if hit is not None:
            return hit
        background = not wait and dataset.n_points > LARGE_DATASET_POINTS
        if background:
            sample, dataset = (
                snapshot_sample(sample, with_datasets=False),
                snapshot_dataset(dataset),
            )
        box: list[SummaryResult] = []

        def store(value: object) -> None:
            if not isinstance(value, SummaryResult):
                value = SummaryResult(key, None, "", error_text(value))  # type: ignore[arg-type]
            self.computed["summary"] += 1
            self._summaries.put(key, value)
            box.append(value)

        def job(ctx: TaskContext) -> SummaryResult:
            ctx.progress(0.05, f"Analysing {dataset.label} ({dataset.n_points:,} rows)\u2026")
            return summary_job(key, sample, dataset, settings)

        self.runner.submit("summary", key, job, store, background=background)
        return box[0] if box else None

    def is_busy(self, channel: str | None = None) -> bool:
        """Whether a background computation (of ``channel``) runs."""
        return self.runner.is_busy(channel)

    def profiles(
        self, result: SummaryResult, dataset: Dataset, cycles: Iterable[int]
    ) -> dict[int, list[ProfileBranch]] | None:
        """V-Q branches of ``cycles`` (both directions); None while a worker computes them."""
        summary = result.summary
        assert summary is not None
        wanted = [c for c in cycles if summary.cycle(c) is not None]
        missing = [c for c in wanted if (result.key, c) not in self._profiles]
        if missing:
            rows = sum(_cycle_rows(summary, c) for c in missing)
            arrays = dataset.arrays
            job_key = (result.key, tuple(missing))

            def job(ctx: TaskContext) -> dict[int, list[ProfileBranch]]:
                ctx.progress(0.05, f"Profiles of {len(missing)} cycles\u2026")
                branches = cycle_profiles(
                    arrays["time_s"],
                    arrays["voltage_V"],
                    arrays["current_mA"],
                    summary.cycles,
                    summary.half_cycles.start,
                    summary.half_cycles.stop,
                    active_mass_mg=summary.active_mass_mg,
                    select=missing,
                    integration=summary.integration,
                )
                out: dict[int, list[ProfileBranch]] = {c: [] for c in missing}
                for b in branches:
                    out[b.cycle].append(b)
                return out

            def store(value: object) -> None:
                if isinstance(value, BaseException):
                    value = {c: [] for c in missing}
                self.computed["profiles"] += 1
                for c, branches in value.items():  # type: ignore[union-attr]
                    self._profiles.put((result.key, c), branches)

            done = self.runner.submit(
                "profiles", job_key, job, store, background=rows > PROFILE_WORKER_POINTS
            )
            if not done:
                return None
        return {c: self._profiles.get_fresh((result.key, c)) or [] for c in wanted}

    def dqdv(
        self,
        result: SummaryResult,
        dataset: Dataset,
        settings: DqDvSettings,
        cycles: Iterable[int],
    ) -> dict[int, list[DqDvCurve]] | None:
        """dQ/dV of both halves of ``cycles``; None while a worker computes them."""
        summary = result.summary
        assert summary is not None
        skey = settings_key(settings.to_dict())
        wanted = [c for c in cycles if summary.cycle(c) is not None]
        missing = [c for c in wanted if (result.key, skey, c) not in self._dqdv]
        if missing:
            halves = [
                (c, k)
                for c in missing
                for k in (summary.cycle(c).charge_half_cycle, summary.cycle(c).discharge_half_cycle)  # type: ignore[union-attr]
                if k is not None
            ]
            rows = sum(_cycle_rows(summary, c) for c in missing)
            arrays = dataset.arrays
            half = summary.half_cycles
            background = (
                len(halves) > DQDV_WORKER_HALF_CYCLES
                or rows > DQDV_WORKER_POINTS
                or "scipy.signal" not in sys.modules  # its first import takes ~1 s
            )

            def job(ctx: TaskContext) -> dict[int, list[DqDvCurve]]:
                out: dict[int, list[DqDvCurve]] = {c: [] for c in missing}
                for i, (c, k) in enumerate(halves):
                    ctx.check_cancelled()
                    ctx.progress(i / max(len(halves), 1), f"dQ/dV of cycle {c}\u2026")
                    sign = int(half.sign[k])
                    direction = "charge" if sign > 0 else "discharge"
                    try:
                        r = half_cycle_dqdv(
                            arrays["time_s"],
                            arrays["voltage_V"],
                            arrays["current_mA"],
                            int(half.start[k]),
                            int(half.stop[k]),
                            sign,
                            active_mass_mg=summary.active_mass_mg,
                            settings=settings,
                            integration=summary.integration,
                        )
                    except Exception as exc:
                        out[c].append(DqDvCurve(direction, None, error_text(exc)))
                    else:
                        out[c].append(DqDvCurve(direction, r))
                return out

            def store(value: object) -> None:
                if isinstance(value, BaseException):
                    value = {c: [DqDvCurve("charge", None, error_text(value))] for c in missing}
                self.computed["dqdv"] += 1
                for c, curves in value.items():  # type: ignore[union-attr]
                    self._dqdv.put((result.key, skey, c), curves)

            done = self.runner.submit(
                "dqdv", (result.key, skey, tuple(missing)), job, store, background=background
            )
            if not done:
                return None
        return {c: self._dqdv.get_fresh((result.key, skey, c)) or [] for c in wanted}

    # ------------------------------------------------------------ all samples
    def all_samples(self, project: Project) -> dict[str, SampleCycling] | None:
        """Each sample's rate and long test (core ``sample_cycling``); None while computing."""
        missing = []
        for s in project.samples:
            hit = self._samples.get(s.id)
            if hit is None or hit[0] != sample_signature(s):
                missing.append(s)
        if missing:
            rows = sum(cycling_points(s) for s in missing)
            background = rows > CROSS_SAMPLE_WORKER_POINTS
            todo = [(sample_signature(s), snapshot_sample(s) if background else s) for s in missing]
            job_key = tuple(sig for sig, _ in todo)

            def job(ctx: TaskContext) -> list[tuple[tuple, SampleCycling]]:
                out = []
                for i, (sig, s) in enumerate(todo):
                    ctx.check_cancelled()
                    ctx.progress(i / len(todo), f"Analysing {s.name}\u2026")
                    out.append((sig, sample_cycling(s)))
                return out

            def store(value: object) -> None:
                if isinstance(value, BaseException):
                    why = (error_text(value),)
                    value = [(sig, SampleCycling(s, None, None, why)) for sig, s in todo]
                self.computed["samples"] += 1
                for sig, found in value:  # type: ignore[union-attr]
                    self._samples[sig[0]] = (sig, found)

            if not self.runner.submit("samples", job_key, job, store, background=background):
                return None
        out = {}
        for s in project.samples:
            hit = self._samples.get(s.id)
            if hit is not None:
                out[s.id] = hit[1]
        return out

    def report_tables(self, project: Project) -> ReportTables | None:
        """The Table 1 and long-term tables of the project; None while a worker computes them."""
        signature = tuple(
            (s.name, s.lbo_wt_pct, s.lpo_wt_pct, sample_signature(s)) for s in project.samples
        )
        if self._tables is not None and self._tables[0] == signature:
            return self._tables[1]
        rows = sum(cycling_points(s) for s in project.samples)
        background = rows > CROSS_SAMPLE_WORKER_POINTS
        source: Any = (
            SimpleNamespace(samples=tuple(snapshot_sample(s) for s in project.samples))
            if background
            else project
        )

        def job(ctx: TaskContext) -> ReportTables:
            ctx.progress(0.1, "Rate table\u2026")
            rate_cols, rate = rate_table_rows(source)
            ctx.progress(0.6, "Long-term table\u2026")
            long_cols, long = long_term_rows(source)
            return ReportTables(list(rate_cols), rate, list(long_cols), long)

        def store(value: object) -> None:
            if not isinstance(value, ReportTables):
                value = ReportTables([], [], [], [], error_text(value))  # type: ignore[arg-type]
            self._tables = (signature, value)

        if not self.runner.submit("tables", signature, job, store, background=background):
            return None
        return self._tables[1] if self._tables is not None else None


def _dataset_of(key: Any) -> str | None:
    if isinstance(key, SummaryKey):
        return key.dataset_id
    if isinstance(key, tuple) and key and isinstance(key[0], SummaryKey):
        return key[0].dataset_id
    return None


def _cycle_rows(summary: CyclingSummary, number: int) -> int:
    c = summary.cycle(number)
    return 0 if c is None else c.stop_row - c.start_row + 1
