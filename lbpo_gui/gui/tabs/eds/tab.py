"""The EDS tab: interlayer thickness from STEM-EDS line profiles and element maps.

Views: the profile with its fitted edges and the shaded, labelled interlayer band; the map with
the line tool (live profile and thickness); the results across samples (the study's table).
The settings box holds the per-element side (cathode / electrolyte / ignore), the method
(T50, T_theta from the fit or read from the profile), theta and the instrumental broadening.

Nothing is computed here: the core's registered analysis (``eds_thickness`` of profiles,
``eds_map_thickness`` of maps, see :mod:`lbpo_gui.core.report.eds`) computes; every change is
one :class:`~lbpo_gui.gui.commands.SetAnalysis` on the undo stack (a line drag: one step, the
commands of the drag merge through their gesture token).
"""

from __future__ import annotations

import math
from typing import Any

from PySide6.QtCore import Qt, Slot
from PySide6.QtWidgets import (
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QGridLayout,
    QLabel,
    QLineEdit,
    QWidget,
)

from ....core.errors import AnalysisError
from ....core.project import Dataset
from ....core.project.events import ProjectEvent
from ....core.report.eds import METHODS, default_settings
from ...analysis.tab import AnalysisTab
from ...commands import SetAnalysis
from ...document import ProjectDocument
from .map_view import MapView
from .profile_view import ProfileView
from .samples_view import SamplesView
from .state import (
    KINDS,
    METHOD_TEXT,
    SIDES,
    AnalysisCache,
    EdsState,
    analysis_name,
    current_analysis,
    elements_of,
    settings_of,
    side_of,
)

SIDE_TEXT = {"cathode": "Cathode", "electrolyte": "Electrolyte", "ignore": "Ignore"}
DASH = "\u2013"
PM = "\u00b1"


def _fmt(v: Any, digits: int = 2) -> str:
    return DASH if v is None or not math.isfinite(float(v)) else f"{float(v):.{digits}f}"


class EdsTab(AnalysisTab):
    """STEM-EDS: interlayer thickness with its definition, uncertainty and warnings."""

    kinds = KINDS
    data_title = "EDS data"
    settings_title = "Interlayer thickness"

    def __init__(self, parent: QWidget | None = None) -> None:
        self.cache = AnalysisCache()
        self.side_combos: dict[str, QComboBox] = {}
        super().__init__(parent)
        self.map_view.lineEdited.connect(self.set_line)
        self.map_view.autoLineRequested.connect(self.auto_line)
        for view in self.views:
            for button in (
                getattr(view, "export_button", None),
                getattr(view, "map_export", None),
                getattr(view, "profile_export", None),
                getattr(view, "table_export", None),
            ):
                if button is not None:
                    button.folder = self.export_folder
        self.state = EdsState()

    # ================================================================ analysis-tab hooks
    def make_views(self) -> list:
        self.profile_view = ProfileView()
        self.map_view = MapView()
        self.samples_view = SamplesView(self.cache)
        return [self.profile_view, self.map_view, self.samples_view]

    def build_settings(self, form: QFormLayout) -> None:
        self.sides_holder = QWidget()
        self.sides_grid = QGridLayout(self.sides_holder)
        self.sides_grid.setContentsMargins(0, 0, 0, 0)
        self.sides_grid.setHorizontalSpacing(6)
        self.sides_grid.setVerticalSpacing(2)
        self.method_combo = QComboBox()
        self.method_combo.setObjectName("edsMethod")
        for key in METHODS:
            self.method_combo.addItem(METHOD_TEXT[key], key)
        self.method_combo.setToolTip(
            "Which definition the band and the label show (every one is in the results):\n"
            "T50 = distance of the 50 % points (erf centres), not changed by the instrument;\n"
            "T\u03b8 = width where both sides are >= \u03b8 of their bulk (contains the blur); "
            "\u03b8 = 0.1 is the study's reading"
        )
        self.method_combo.activated.connect(self._on_method)
        self.theta_spin = QDoubleSpinBox()
        self.theta_spin.setObjectName("edsTheta")
        self.theta_spin.setRange(0.01, 0.49)
        self.theta_spin.setDecimals(2)
        self.theta_spin.setSingleStep(0.05)
        self.theta_spin.setKeyboardTracking(False)
        self.theta_spin.setToolTip("Level of the T\u03b8 reading (0.10 = T10, the study's)")
        self.theta_spin.valueChanged.connect(self._on_theta)
        self.sigma_edit = QLineEdit()
        self.sigma_edit.setObjectName("edsSigmaInstr")
        self.sigma_edit.setAlignment(Qt.AlignmentFlag.AlignRight)
        self.sigma_edit.setPlaceholderText("none")
        self.sigma_edit.setToolTip(
            "Instrumental sigma (probe, beam spread, tilt, pre-filter) removed in quadrature from "
            "the edge widths: sigma_int = sqrt(sigma_meas^2 - sigma_instr^2). T50 does not change. "
            "Blank = no correction. Or fill in probe and lamella below for an estimate."
        )
        self.sigma_edit.editingFinished.connect(self._on_sigma)
        self.probe_edit = QLineEdit()
        self.probe_edit.setObjectName("edsProbe")
        self.probe_edit.setPlaceholderText("nm")
        self.probe_edit.setToolTip("Probe FWHM (nm), for the estimate")
        self.lamella_edit = QLineEdit()
        self.lamella_edit.setObjectName("edsLamella")
        self.lamella_edit.setPlaceholderText("nm")
        self.lamella_edit.setToolTip(
            "Lamella thickness (nm): Goldstein single-scattering beam spread at the beam energy, "
            "NCM811 on the cathode side and Li6PS5Cl on the electrolyte side"
        )
        self.kv_edit = QLineEdit()
        self.kv_edit.setObjectName("edsBeamKv")
        self.kv_edit.setPlaceholderText("200")
        self.kv_edit.setToolTip("Beam energy (keV)")
        for edit in (self.probe_edit, self.lamella_edit, self.kv_edit):
            edit.setAlignment(Qt.AlignmentFlag.AlignRight)
            edit.editingFinished.connect(self._on_estimate)
        estimate = QWidget()
        row = QGridLayout(estimate)
        row.setContentsMargins(0, 0, 0, 0)
        row.setHorizontalSpacing(4)
        row.setVerticalSpacing(0)
        for col, (text, edit) in enumerate(
            (
                ("probe FWHM", self.probe_edit),
                ("lamella t", self.lamella_edit),
                ("kV", self.kv_edit),
            )
        ):
            head = QLabel(text)
            head.setStyleSheet("color: #5a5a5a; font-size: 8pt;")
            head.setToolTip(edit.toolTip())
            row.addWidget(head, 0, col)
            row.addWidget(edit, 1, col)
            edit.setMinimumWidth(40)
        self.settings_error = QLabel()
        self.settings_error.setObjectName("edsSettingsError")
        self.settings_error.setWordWrap(True)
        self.settings_error.setStyleSheet("color: #b00020;")
        self.settings_error.setVisible(False)
        form.addRow(QLabel("Element sides"))
        form.addRow(self.sides_holder)
        form.addRow("Method", self.method_combo)
        form.addRow("\u03b8 level", self.theta_spin)
        form.addRow("\u03c3 instr. (nm)", self.sigma_edit)
        form.addRow("or estimate", estimate)
        form.addRow(self.settings_error)

    # ================================================================ events
    def set_document(self, document: ProjectDocument | None) -> None:
        self.cache.clear()
        super().set_document(document)

    def on_project_changed(self, event: ProjectEvent) -> None:
        self.samples_view.invalidate()
        self.request_refresh(deferred=True)

    # ================================================================ state
    def build_state(self) -> EdsState:
        sample = self.sample()
        datasets = self.tab_datasets(sample)
        dataset = self.choose_dataset(datasets)
        state = EdsState(self.project, sample, datasets, dataset, cache=self.cache)
        if sample is None or dataset is None:
            return state
        state.settings = settings_of(dataset)
        state.analysis, state.stored = current_analysis(self.cache, sample, dataset, state.settings)
        state.profile = self.cache.profile(dataset, state.settings)
        return state

    def current_dataset(self) -> Dataset | None:
        """The dataset whose thickness is shown."""
        return self.state.dataset if self.state is not None else None

    # ================================================================ panel
    def fill_panel(self, state: EdsState) -> None:
        has = state.dataset is not None
        for w in (
            self.method_combo,
            self.theta_spin,
            self.sigma_edit,
            self.probe_edit,
            self.lamella_edit,
            self.kv_edit,
        ):
            w.setEnabled(has)
        self._fill_sides(state)
        s = state.settings
        index = self.method_combo.findData(state.method)
        self.method_combo.setCurrentIndex(max(0, index))
        self.theta_spin.blockSignals(True)
        self.theta_spin.setValue(float(s.get("theta") or 0.1))
        self.theta_spin.blockSignals(False)
        sig = s.get("sigma_instr_nm")
        self.sigma_edit.setText("" if sig is None else f"{float(sig):g}")
        inst = s.get("instrument") or {}
        for edit, key in (
            (self.probe_edit, "probe_fwhm_nm"),
            (self.lamella_edit, "lamella_thickness_nm"),
            (self.kv_edit, "beam_energy_keV"),
        ):
            v = inst.get(key)
            edit.setText("" if v is None else f"{float(v):g}")
        self._fill_results(state)

    def _fill_sides(self, state: EdsState) -> None:
        d = state.dataset
        elements = elements_of(d) if d is not None else []
        if list(self.side_combos) != elements:
            while self.sides_grid.count():
                item = self.sides_grid.takeAt(0)
                w = item.widget()
                if w is not None:
                    w.hide()
                    w.setParent(None)
                    w.deleteLater()
            self.side_combos = {}
            cols = 2
            for i, el in enumerate(elements):
                combo = QComboBox()
                combo.setObjectName(f"edsSide_{el}")
                for key in SIDES:
                    combo.addItem(SIDE_TEXT[key], key)
                combo.setToolTip(f"Which side {el} marks (or ignore it)")
                combo.activated.connect(lambda _i, e=el: self._on_side(e))
                label = QLabel(el)
                label.setMinimumWidth(22)
                r, c = divmod(i, cols)
                self.sides_grid.addWidget(label, r, 2 * c)
                self.sides_grid.addWidget(combo, r, 2 * c + 1)
                self.side_combos[el] = combo
        for el, combo in self.side_combos.items():
            combo.blockSignals(True)
            combo.setCurrentIndex(combo.findData(side_of(state.settings, el)))
            combo.blockSignals(False)

    def _fill_results(self, state: EdsState) -> None:
        if state.dataset is None:
            self.show_results([])
            self.show_warnings([])
            return
        r = state.results
        if state.error:
            self.show_results([], f"Not analysed: {state.error}")
            self.show_warnings([])
            return
        t = r.get("t_theta") or {}
        code = t.get("code", "T\u03b8")
        rows = [
            ("T50", f"{_fmt(r.get('thickness_nm'))} {PM} {_fmt(r.get('thickness_stderr_nm'))} nm"),
            (
                f"{code} fit / read",
                f"{_fmt(t.get('fit_nm'))} {PM} {_fmt(t.get('fit_stderr_nm'))} / "
                f"{_fmt(t.get('read_nm'))} nm",
            ),
        ]
        if t.get("intrinsic_nm") is not None:
            rows.append((f"{code} intrinsic", f"{_fmt(t.get('intrinsic_nm'))} nm"))
        edges = r.get("edges") or {}
        widths = []
        for side in ("cathode", "electrolyte"):
            edge = edges.get(side) or {}
            w = _fmt(edge.get("width_10_90_nm"), 1)
            if edge.get("width_10_90_intrinsic_nm") is not None:
                w += f" ({_fmt(edge['width_10_90_intrinsic_nm'], 1)} int.)"
            widths.append(w)
        rows.append(("10\u201390 % c / e", " / ".join(widths) + " nm"))
        per_element = [
            f"{el} {_fmt(v.get('width_10_90_nm'), 1)}"
            for el, v in (r.get("elements") or {}).items()
        ]
        if per_element:
            rows.append(("Per element", ", ".join(per_element) + " nm"))
        rows.append(("Reduced \u03c7\u00b2", _fmt(r.get("reduced_chi_square"))))
        self.show_results(rows)
        self.show_warnings(list(r.get("warnings") or []))

    # ================================================================ user edits
    def _settings_error(self, text: str) -> None:
        self.settings_error.setText(text)
        self.settings_error.setVisible(bool(text))

    def change_settings(self, text: str, gesture: int | None = None, **changes: Any) -> bool:
        """Store the shown dataset's analysis with ``changes`` as one undo step (commands of one
        ``gesture`` merge)."""
        state = self.state
        dataset, sample, doc = state.dataset, state.sample, self.document
        if dataset is None or sample is None or doc is None:
            return False
        new = {**state.settings, **changes}
        if new == state.settings:
            return False  # nothing changed (e.g. the same item picked again): no undo step
        self._settings_error("")
        analysis = self.cache.analysis(sample, dataset, new)
        command = SetAnalysis(
            doc,
            dataset.id,
            analysis_name(dataset),
            settings=dict(analysis.settings),
            results=dict(analysis.results),
            arrays=dict(analysis.arrays),
            inputs=analysis.inputs,
            text=f"{text} ({dataset.label})",
            gesture=gesture,
        )
        if not self.push(command, "EDS analysis not stored"):
            return False
        # the stored analysis is the one just computed: show it without waiting
        self.request_refresh(deferred=gesture is not None)
        return True

    def _on_side(self, element: str) -> None:
        combo = self.side_combos[element]
        side = combo.currentData()
        s = self.state.settings
        cathode = [e for e in s.get("cathode") or [] if e != element]
        electrolyte = [e for e in s.get("electrolyte") or [] if e != element]
        if side == "cathode":
            cathode.append(element)
        elif side == "electrolyte":
            electrolyte.append(element)
        for name, before, after in (
            ("cathode", s.get("cathode") or [], cathode),
            ("electrolyte", s.get("electrolyte") or [], electrolyte),
        ):
            if before and not after:
                self._settings_error(
                    f"Keep at least one {name} element: the fit needs one edge on each side."
                )
                combo.setCurrentIndex(combo.findData(side_of(s, element)))
                return
        order = elements_of(self.state.dataset)
        cathode.sort(key=order.index)
        electrolyte.sort(key=order.index)
        self.change_settings(
            f"EDS: {element} \u2192 {SIDE_TEXT[side].lower()}",
            cathode=cathode,
            electrolyte=electrolyte,
        )

    @Slot(int)
    def _on_method(self, index: int) -> None:
        key = self.method_combo.itemData(index)
        self.change_settings(f"EDS method: {key}", method=key)

    @Slot(float)
    def _on_theta(self, value: float) -> None:
        value = round(float(value), 4)
        if math.isclose(value, float(self.state.settings.get("theta") or 0.1)):
            return
        self.change_settings(f"EDS \u03b8 = {value:g}", theta=value)

    @staticmethod
    def _number(edit: QLineEdit) -> float | None:
        text = edit.text().strip().replace(",", ".")
        if not text:
            return None
        try:
            v = float(text)
        except ValueError:
            return math.nan
        return v if math.isfinite(v) and v >= 0 else math.nan

    @Slot()
    def _on_sigma(self) -> None:
        v = self._number(self.sigma_edit)
        if v is not None and math.isnan(v):
            self._settings_error(
                f"\u03c3 instr. \u201c{self.sigma_edit.text()}\u201d: enter a width >= 0 nm, or "
                "leave it blank for none."
            )
            return
        if v == self.state.settings.get("sigma_instr_nm"):
            self._settings_error("")
            return
        label = "none" if v is None else f"{v:g} nm"
        self.change_settings(f"EDS \u03c3 instr. {label}", sigma_instr_nm=v)

    @Slot()
    def _on_estimate(self) -> None:
        values = {
            "probe_fwhm_nm": self._number(self.probe_edit),
            "lamella_thickness_nm": self._number(self.lamella_edit),
            "beam_energy_keV": self._number(self.kv_edit),
        }
        bad = [k for k, v in values.items() if v is not None and math.isnan(v)]
        if bad:
            self._settings_error("Probe, lamella and kV must be numbers >= 0 (or blank).")
            return
        if values["beam_energy_keV"] == 0:
            self._settings_error("The beam energy must be > 0 kV.")
            return
        inst = {k: v for k, v in values.items() if v}
        if not inst.get("probe_fwhm_nm") and not inst.get("lamella_thickness_nm"):
            instrument = None
        else:
            instrument = {
                **inst,
                "cathode_material": "NCM811",
                "electrolyte_material": "Li6PS5Cl",
            }
        if instrument == self.state.settings.get("instrument"):
            self._settings_error("")
            return
        changes: dict[str, Any] = {"instrument": instrument}
        if instrument is not None:
            changes["sigma_instr_nm"] = None  # the estimate is used only without a typed sigma
        self.change_settings("EDS broadening estimate", **changes)

    @Slot(object, int)
    def set_line(self, line: dict[str, Any], gesture: int) -> bool:
        """Store a new map line (``gesture``: the drag's token; 0 = a single step)."""
        if self.state.dataset is None or self.state.dataset.kind != "eds_map":
            return False
        return self.change_settings(
            "EDS line" if gesture else f"EDS line width {float(line['width_nm']):.1f} nm",
            gesture=gesture or None,
            line=dict(line),
        )

    @Slot()
    def auto_line(self) -> bool:
        """Put the line across the interface (the core's starting line)."""
        d = self.state.dataset
        if d is None or d.kind != "eds_map":
            return False
        try:
            line = default_settings(d)["line"]
        except (AnalysisError, KeyError, ValueError) as exc:
            self._settings_error(f"No line: {exc}")
            return False
        return self.change_settings("EDS line across the interface", line=line)
