"""The Impedance tab: the selected sample's spectra, the drag-to-edit circuit editor with a
live preview, fits in a worker (values, errors and arc labels written on the elements and in
the parameter table), the one-arc quick fit, batch fits and the Table 2 layout.

The circuit lives in the dataset's ``eis_fit`` analysis settings (``settings["circuit"]``, as
extended CDC with values, bounds and fixed flags); every editor edit is one
:class:`~lbpo_gui.gui.commands.SetAnalysis` undo step. The science is the core's
(:mod:`lbpo_gui.core.eis`, :mod:`lbpo_gui.core.analyses.eis`).
"""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QComboBox, QFormLayout, QLineEdit

from ....core.analyses.eis import ANALYSIS_NAME
from ....core.eis.cdc import to_cdc, to_extended
from ....core.eis.circuit import Circuit, CircuitError, set_param
from ....core.eis.quick import apply_arc, fit_arc, matching_pair
from ....core.eis.weighting import WEIGHTINGS
from ....core.project import rules
from ... import dialogs
from ...analysis.runner import TaskContext
from ...analysis.tab import AnalysisTab, snapshot_dataset, snapshot_sample
from ...analysis.views import AnalysisView
from ...commands import CompositeCommand, SetAnalysis
from .circuit_view import CircuitView
from .common import ImpedanceState, dataset_circuit, fit_error, fit_results, fit_settings, spectrum
from .views import BodeView, DRTView, KKView, NyquistAllView, ParametersView, Table2View

START_MODES = (("From the spectrum (automatic)", True), ("From the circuit's values", False))


class ImpedanceTab(AnalysisTab):
    """Impedance spectra, circuits and fits (see the module docstring)."""

    kinds = ("impedance",)
    data_title = "Impedance spectra"
    settings_title = "Fit"

    # ================================================================ building
    def build_settings(self, form: QFormLayout) -> None:
        self.weighting = QComboBox()
        self.weighting.setObjectName("weightingCombo")
        for w in WEIGHTINGS:
            self.weighting.addItem(w, w)
        self.weighting.setToolTip("Residual weighting of the complex least-squares fit")
        self.weighting.activated.connect(
            lambda _i: self._set_setting("weighting", self.weighting.currentData())
        )
        self.start_mode = QComboBox()
        self.start_mode.setObjectName("startModeCombo")
        for text, auto in START_MODES:
            self.start_mode.addItem(text, auto)
        self.start_mode.setToolTip(
            "Automatic: start values from the spectrum (intercepts, arc widths, apex "
            "frequencies), then a few variations. Values set by hand or by a quick fit switch "
            "this to the circuit's values."
        )
        self.start_mode.activated.connect(
            lambda _i: self._set_setting("auto_start", self.start_mode.currentData())
        )
        self.fmin = QLineEdit()
        self.fmax = QLineEdit()
        for edit, key in ((self.fmin, "fmin_Hz"), (self.fmax, "fmax_Hz")):
            edit.setPlaceholderText("all")
            edit.setObjectName(key)
            edit.editingFinished.connect(lambda e=edit, k=key: self._set_range(k, e.text()))
        form.addRow("Weighting", self.weighting)
        form.addRow("Start", self.start_mode)
        form.addRow("f min (Hz)", self.fmin)
        form.addRow("f max (Hz)", self.fmax)

    def make_views(self) -> list[AnalysisView]:
        folder = self.export_folder
        self.circuit_view = CircuitView(folder)
        self.circuit_view.editor.circuitEdited.connect(self.on_circuit_edited)
        self.circuit_view.fitRequested.connect(self.fit)
        self.circuit_view.quickFitRequested.connect(self.quick_fit)
        self.parameters_view = ParametersView(folder)
        self.parameters_view.paramEdited.connect(self.edit_parameter)
        self.nyquist_view = NyquistAllView(folder)
        self.bode_view = BodeView(folder)
        self.kk_view = KKView(folder, self.runner)
        self.drt_view = DRTView(folder, self.runner)
        self.table_view = Table2View(folder)
        self.table_view.batchRequested.connect(self.batch_fit)
        return [
            self.circuit_view,
            self.parameters_view,
            self.nyquist_view,
            self.bode_view,
            self.kk_view,
            self.drt_view,
            self.table_view,
        ]

    @property
    def editor(self):
        """The circuit editor of the Circuit view."""
        return self.circuit_view.editor

    @property
    def data_view(self) -> AnalysisView:
        """The first per-spectrum view (the quick look's name for it, kept for callers)."""
        return self.circuit_view

    # ================================================================ state
    def build_state(self) -> ImpedanceState:
        sample = self.sample()
        datasets = self.tab_datasets(sample)
        return ImpedanceState(self.project, sample, datasets, self.choose_dataset(datasets))

    def fill_panel(self, state: ImpedanceState) -> None:
        d = state.dataset
        self.settings_box.setEnabled(d is not None)
        if d is None:
            self.show_results([])
            self.show_warnings([])
            return
        s = fit_settings(d)
        self.weighting.setCurrentIndex(max(self.weighting.findData(s.get("weighting")), 0))
        self.start_mode.setCurrentIndex(0 if s.get("auto_start", True) else 1)
        for edit, key in ((self.fmin, "fmin_Hz"), (self.fmax, "fmax_Hz")):
            v = s.get(key)
            edit.setText("" if v is None else f"{v:g}")
        results = fit_results(d)
        if results:
            res = results.get("resistances") or {}
            rows = [("Circuit", str(results.get("circuit", "")))]
            rows += [
                (label, f"{res[key]:.4g} \u03a9")
                for key, label in (
                    ("R_SE_bulk_ohm", "R SE,bulk"),
                    ("R_SE_gb_ohm", "R SE,gb"),
                    ("R_electrode_SE_ohm", "R electrode/SE"),
                    ("R_total_ohm", "R total"),
                )
                if res.get(key) is not None
            ]
            rows.append(
                ("Reduced \u03c7\u00b2", f"{results.get('reduced_chi_square', float('nan')):.3g}")
            )
            for a in results.get("arcs", []):
                cap = a.get("capacitance_F")
                rows.append(
                    (
                        "/".join(a["elements"]),
                        f"{a['assignment']} (C_eff {cap:.3g} F)" if cap else a["assignment"],
                    )
                )
            self.show_results(rows)
            self.show_warnings(list(results.get("warnings", [])))
        else:
            err = fit_error(d)
            self.show_results([], f"Fit failed: {err}" if err else "Not fitted yet: press Fit.")
            self.show_warnings([])

    def current_dataset(self):
        return self.state.dataset if self.state is not None else None

    # ================================================================ edits
    def _push_settings(
        self, settings: dict[str, Any], text: str, gesture: int | None = None
    ) -> bool:
        d = self.current_dataset()
        doc = self.document
        if d is None or doc is None:
            return False
        return self.push(
            SetAnalysis(
                doc,
                d.id,
                ANALYSIS_NAME,
                settings=settings,
                results={},
                arrays={},
                text=text,
                gesture=gesture,
            )
        )

    def on_circuit_edited(self, circuit: Circuit, text: str, gesture: object) -> None:
        """One editor edit -> one undo step (the fit results are dropped with it)."""
        d = self.current_dataset()
        if d is None:
            return
        self.runner.cancel("fit")  # a fit of the circuit before this edit would overwrite it
        s = fit_settings(d)
        old = dataset_circuit(d)
        s["circuit"] = to_extended(circuit)
        if to_cdc(old) == to_cdc(circuit) and old != circuit:
            s["auto_start"] = False  # values set by hand are the start
        self._push_settings(s, text, gesture if isinstance(gesture, int) else None)

    def edit_parameter(self, element_id: str, name: str, field: str, value: object) -> None:
        """One parameter field from the parameter table, as one undo step."""
        d = self.current_dataset()
        if d is None:
            return
        try:
            new = set_param(dataset_circuit(d), element_id, name, **{field: value})
        except CircuitError as exc:
            dialogs.warning(self, "Not changed", str(exc))
            self.parameters_view.invalidate()
            self.request_refresh(deferred=True)
            return
        self.on_circuit_edited(new, f"{element_id}.{name} {field}", None)

    def _set_setting(self, key: str, value: Any) -> None:
        d = self.current_dataset()
        if d is None:
            return
        s = fit_settings(d)
        if s.get(key) == value:
            return
        s[key] = value
        self._push_settings(s, f"Fit setting {key}")

    def _set_range(self, key: str, text: str) -> None:
        text = text.strip().replace(",", ".")
        try:
            value = float(text) if text else None
        except ValueError:
            dialogs.warning(self, "Not a frequency", f"{text!r} is not a number (Hz)")
            return
        self._set_setting(key, value)

    # ================================================================ fits
    def fit(self) -> None:
        """Fit the shown dataset's circuit in a worker; the result is one undo step."""
        d = self.current_dataset()
        project = self.project
        if d is None or project is None:
            return
        sample, dataset = project.dataset(d.id)
        settings = {**fit_settings(dataset), "circuit": to_extended(self.editor.circuit())}
        job = self._fit_job([(snapshot_sample(sample), snapshot_dataset(dataset))], settings)
        self.circuit_view.status.setText("Fitting\u2026")
        self.runner.submit("fit", (d.id, str(settings)), job, self._deliver_fits, background=True)

    def batch_fit(self, everyone: bool) -> None:
        """Fit the selected sample's spectra, or every sample's, with the shown circuit."""
        project = self.project
        if project is None:
            return
        samples = project.samples if everyone else [s for s in [self.sample()] if s is not None]
        pairs = [
            (snapshot_sample(s), snapshot_dataset(d))
            for s in samples
            for d in s.datasets
            if d.kind == "impedance" and spectrum(d) is not None
        ]
        if not pairs:
            return
        circuit = to_extended(self.editor.circuit())
        job = self._fit_job(pairs, {"circuit": circuit}, keep_each=True)
        self.runner.submit(
            "fit", ("batch", everyone, circuit), job, self._deliver_fits, background=True
        )

    @staticmethod
    def _fit_job(pairs, settings: dict[str, Any], keep_each: bool = False):
        def job(ctx: TaskContext):
            out = []
            for i, (sample, dataset) in enumerate(pairs):
                ctx.check_cancelled()
                ctx.progress(
                    i / len(pairs), f"Fitting {dataset.label} ({i + 1}/{len(pairs)})\u2026"
                )
                s = {**fit_settings(dataset), **settings} if keep_each else dict(settings)
                a = rules.compute_analysis(sample, dataset, ANALYSIS_NAME, s)
                if "circuit_extended" in a.results:  # the fitted values become the circuit
                    s = {**a.settings, "circuit": a.results["circuit_extended"]}
                    a.settings = s
                    a.inputs = rules.fingerprint(ANALYSIS_NAME, sample, dataset, s)
                out.append((dataset.id, dataset.label, a))
            ctx.progress(1.0, "Fitted")
            return out

        return job

    def _deliver_fits(self, value: object) -> None:
        if isinstance(value, BaseException):
            dialogs.warning(self, "Fit failed", rules.error_text(value))
            return
        doc = self.document
        if doc is None or not value:
            return
        commands = [
            SetAnalysis(
                doc,
                ds_id,
                ANALYSIS_NAME,
                settings=a.settings,
                results=a.results,
                arrays=a.arrays,
                inputs=a.inputs,
                text=f"Fit {label}",
            )
            for ds_id, label, a in value
        ]
        failed = [label for _, label, a in value if "error" in a.results]
        command = (
            commands[0]
            if len(commands) == 1
            else CompositeCommand(doc, f"Fit {len(commands)} spectra", commands)
        )
        self.push(command, "Fit not stored")
        if failed:
            dialogs.warning(self, "Fit failed", "Not fitted: " + ", ".join(failed))

    def quick_fit(self, zr_lo: float, zr_hi: float) -> str:
        """Fit one R-Q arc to the points with Z' in [zr_lo, zr_hi] and use it as the start
        values of the matching pair (one undo step). Returns what was done (for the status)."""
        d = self.current_dataset()
        if d is None:
            return ""
        f, z = spectrum(d)
        inside = (z.real >= min(zr_lo, zr_hi)) & (z.real <= max(zr_lo, zr_hi))
        if inside.sum() < 5:
            msg = "Quick fit: drag the band over at least 5 points of one arc"
            self.circuit_view.status.setText(msg)
            return msg
        try:
            arc = fit_arc(f, z, float(f[inside].min()), float(f[inside].max()))
            circuit = self.editor.circuit()
            pair = matching_pair(circuit, arc, prefer=self.editor.selected_id() or None)
            new = apply_arc(circuit, arc, pair)
        except (CircuitError, ValueError, RuntimeError) as exc:
            msg = f"Quick fit failed: {exc}"
            self.circuit_view.status.setText(msg)
            return msg
        msg = (
            f"Quick fit {arc.fmin_Hz:.3g}\u2013{arc.fmax_Hz:.3g} Hz: R = {arc.r_ohm:.4g} \u03a9, "
            f"Q = {arc.q:.3g}, n = {arc.n:.3f} \u2192 start values of {pair[0]}/{pair[1]}"
        )
        self.circuit_view.pending_note = msg
        self.circuit_view.status.setText(msg)
        self.editor.commit(new, f"Quick fit {pair[0]}/{pair[1]}")
        return msg

    def selected_dataset_id(self) -> str:
        d = self.current_dataset()
        return d.id if d is not None else ""
