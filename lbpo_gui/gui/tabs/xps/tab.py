"""The XPS tab: the selected sample's spectra (region, state and etch level in the list's
tooltips and the view titles), a template chooser, Fit and Monte Carlo buttons (workers with
progress and Cancel), the Fit view (drag editing, residuals, component table) and the Series view
(a template across an etch series or across samples).

Every edit is one :class:`~lbpo_gui.gui.commands.SetAnalysis` of the dataset's ``xps_fit``
analysis: the edited specification stored as the template dict of its settings (results cleared
until the next fit). A fit stores the results computed by the registered ``xps_fit`` spec.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Slot
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QPushButton,
    QSpinBox,
    QWidget,
)

from ....core.analyses.xps import ANALYSIS_NAME, compute_xps_fit
from ....core.project import Dataset, rules
from ....core.project.model import Analysis, check_json_value, now_iso
from ....core.xps.casa import casa_spec_of
from ....core.xps.model import BACKGROUND_KINDS, FitSpec
from ....core.xps.templates import load_template, template_names
from ... import dialogs
from ...analysis.tab import AnalysisTab, snapshot_dataset, snapshot_sample
from ...analysis.views import AnalysisView
from ...commands import SetAnalysis
from .common import (
    DEFAULT_MC,
    XpsState,
    caption,
    editable_spec,
    region_of,
    same_model,
    settings_for,
    stored_fit,
    user_templates,
)
from .edits import edited_cell, removed_component
from .fit_view import FitView
from .quant_view import QuantView
from .series_view import SeriesView

EDITED = "(edited)"
#: The template entry of the CasaXPS fit stored in an imported VAMAS block.
CASA_ENTRY = "CasaXPS fit (in the file)"
BACKGROUND_TEXT = {
    "none": "None",
    "linear": "Linear",
    "shirley": "Shirley (iterative)",
    "active_shirley": "Active Shirley (fitted)",
    "tougaard": "Tougaard",
}


def fit_analysis(sample, dataset: Dataset, settings: dict[str, Any], ctx: Any) -> Analysis:
    """Compute the ``xps_fit`` analysis as the core rules would, reporting the Monte Carlo
    refits' progress to ``ctx`` and stopping them when it is cancelled."""
    settings = check_json_value(dict(settings), f"{ANALYSIS_NAME}: settings")
    n = int(settings.get("mc") or 0)

    def progress(done: int, total: int) -> None:
        ctx.progress(0.1 + 0.9 * done / max(total, 1), f"Monte Carlo refit {done} of {total}")

    try:
        out = compute_xps_fit(sample, dataset, settings, progress=progress, cancel=ctx.cancelled)
        results, arrays = check_json_value(out.results, "xps_fit: results"), dict(out.arrays)
    except Exception as exc:  # stored as the result, as rules.compute_analysis does
        results, arrays = {"error": rules.error_text(exc)}, {}
    if n:
        ctx.check_cancelled()
    fp = rules.fingerprint(ANALYSIS_NAME, sample, dataset, settings)
    return Analysis(settings, results, arrays, now_iso(), fp)


class XpsTab(AnalysisTab):
    """XPS spectra of the selected sample, their component fits and series."""

    kinds = ("xps",)
    data_title = "XPS spectra"
    settings_title = "Fit"

    # ------------------------------------------------------------------ construction
    def make_views(self) -> list[AnalysisView]:
        self.fit_view = FitView(self)
        self.series_view = SeriesView(self)
        self.quant_view = QuantView(self)
        self.data_view = self.fit_view  # the main view (the name the quick-look tab had)
        return [self.fit_view, self.series_view, self.quant_view]

    def build_settings(self, form: QFormLayout) -> None:
        self.template_combo = QComboBox()
        self.template_combo.setObjectName("xpsTemplate")
        self.template_combo.setToolTip(
            "Apply a template (built in, or saved in this project) to the spectrum and fit it"
        )
        self.template_combo.activated.connect(self._on_template_chosen)
        form.addRow("Template", self.template_combo)
        self.background_combo = QComboBox()
        self.background_combo.setObjectName("xpsBackground")
        for kind in BACKGROUND_KINDS:
            self.background_combo.addItem(BACKGROUND_TEXT.get(kind, kind), kind)
        self.background_combo.activated.connect(self._on_background_chosen)
        form.addRow("Background", self.background_combo)
        self.fit_button = QPushButton("Fit")
        self.fit_button.setObjectName("xpsFitButton")
        self.fit_button.setToolTip("Fit the components and background (covariance errors)")
        self.fit_button.clicked.connect(lambda: self.run_fit(0))
        self.save_button = QPushButton("Save as template\u2026")
        self.save_button.setObjectName("xpsSaveTemplate")
        self.save_button.setToolTip("Keep this model under a name in the project")
        self.save_button.clicked.connect(self.save_template)
        row = QWidget()
        lay = QHBoxLayout(row)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(self.fit_button)
        lay.addWidget(self.save_button)
        form.addRow(row)
        self.mc_spin = QSpinBox()
        self.mc_spin.setObjectName("xpsMcCount")
        self.mc_spin.setRange(10, 5000)
        self.mc_spin.setValue(DEFAULT_MC)
        self.mc_spin.setSuffix(" refits")
        self.mc_button = QPushButton("Monte Carlo errors")
        self.mc_button.setObjectName("xpsMcButton")
        self.mc_button.setToolTip(
            "Refit noise drawn from the fitted envelope (as CasaXPS does): honest spreads for "
            "overlapping components, where covariance errors are 1.4\u20132\u00d7 too small"
        )
        self.mc_button.clicked.connect(lambda: self.run_fit(self.mc_spin.value()))
        mc_row = QWidget()
        lay = QHBoxLayout(mc_row)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(self.mc_spin)
        lay.addWidget(self.mc_button)
        form.addRow(mc_row)

    # ------------------------------------------------------------------ state
    def build_state(self) -> XpsState:
        sample = self.sample()
        datasets = self.tab_datasets(sample)
        dataset = self.choose_dataset(datasets)
        spec = editable_spec(dataset) if dataset is not None else None
        analysis = stored_fit(dataset) if dataset is not None else None
        return XpsState(self.project, sample, datasets, dataset, spec, analysis)

    def refresh(self) -> None:
        super().refresh()
        state = self.state
        for row, d in enumerate(state.datasets if state is not None else []):
            item = self.dataset_list.item(row, 0)
            if item is not None:
                item.setToolTip(f"{caption(d)}\n{item.toolTip()}")

    def fill_panel(self, state: XpsState) -> None:
        has = state.dataset is not None
        for w in (self.template_combo, self.background_combo, self.fit_button, self.mc_button):
            w.setEnabled(has)
        self.save_button.setEnabled(has and bool(state.spec and state.spec.components))
        self._fill_templates(state)
        if state.spec is not None:
            i = self.background_combo.findData(state.spec.background.kind)
            self.background_combo.setCurrentIndex(max(i, 0))
        self._fill_results(state)

    def _fill_templates(self, state: XpsState) -> None:
        combo = self.template_combo
        combo.blockSignals(True)
        try:
            combo.clear()
            if state.dataset is not None and casa_spec_of(state.dataset.metadata) is not None:
                combo.addItem(CASA_ENTRY, ("casa", CASA_ENTRY))
            for name in template_names():
                combo.addItem(name, ("builtin", name))
            for name in user_templates(state.project):
                combo.addItem(f"{name} (project)", ("user", name))
            current = self._template_label(state)
            i = combo.findText(current)
            if i < 0:
                combo.addItem(current, ("edited", current))
                i = combo.count() - 1
            combo.setCurrentIndex(i)
        finally:
            combo.blockSignals(False)

    def _template_label(self, state: XpsState) -> str:
        if state.dataset is None:
            return ""
        analysis = state.analysis
        template = (analysis.settings if analysis else {}).get("template")
        casa = casa_spec_of(state.dataset.metadata, region_of(state.dataset))
        if template is None:
            if casa is not None:
                return CASA_ENTRY
            return state.spec.name if state.spec and state.spec.name else EDITED
        if isinstance(template, str):
            return template
        name = template.get("name", "")
        if casa is not None and name == casa.name:
            return CASA_ENTRY if same_model(casa.to_dict(), template) else f"{name} {EDITED}"
        if name in template_names():
            try:
                same = same_model(load_template(name).to_dict(), template)
            except (KeyError, ValueError):
                same = False
            return name if same else f"{name} {EDITED}"
        if name and name in user_templates(state.project):
            return f"{name} (project)"
        return f"{name} {EDITED}".strip()

    def _fill_results(self, state: XpsState) -> None:
        analysis = state.analysis
        if state.dataset is None:
            self.show_results([])
            self.show_warnings([])
            return
        res = analysis.results if analysis is not None else {}
        if res.get("error"):
            self.show_results([], "The last fit failed.")
            self.show_warnings([str(res["error"])])
            return
        if not state.fitted:
            self.show_results([], "Not fitted: press Fit.")
            self.show_warnings([])
            return
        rows = [
            ("Region", str(res.get("region", ""))),
            ("Background", str(res.get("background", ""))),
            ("Reduced \u03c7\u00b2", f"{res.get('reduced_chi_square', float('nan')):.3f}"),
            ("Points / free", f"{res.get('n_points', 0)} / {res.get('n_free', 0)}"),
        ]
        mc = res.get("mc")
        if mc:
            rows.append(("Monte Carlo", f"{mc.get('n', 0)} refits (seed {mc.get('seed', 0)})"))
        self.show_results(rows)
        self.show_warnings(list(res.get("warnings") or []))

    # ------------------------------------------------------------------ edits
    def current_dataset(self) -> Dataset | None:
        """The dataset shown (None = none)."""
        return self.state.dataset if self.state is not None else None

    def selected_dataset_id(self) -> str:
        """The id of the dataset shown ("" = none)."""
        d = self.current_dataset()
        return d.id if d is not None else ""

    def push_spec(self, spec: FitSpec, text: str, gesture: int | None = None) -> bool:
        """Store ``spec`` as the dataset's fit model (one undo step; results cleared)."""
        dataset = self.current_dataset()
        if dataset is None:
            return False
        doc = self.document
        self.runner.cancel("xps:fit")  # a fit of the model before this edit would undo it
        command = SetAnalysis(
            doc,
            dataset.id,
            ANALYSIS_NAME,
            settings=settings_for(spec, dataset),
            text=text,
            gesture=gesture,
        )
        return self.push(command, "XPS model not changed")

    def remove_component(self, index: int) -> bool:
        spec = self.state.spec if self.state is not None else None
        if spec is None or not 0 <= index < len(spec.components):
            return False
        name = spec.components[index].name
        return self.push_spec(removed_component(spec, index), f"Remove XPS component {name}")

    def edit_cell(self, index: int, key: str, text: str) -> bool:
        spec = self.state.spec if self.state is not None else None
        if spec is None:
            return False
        try:
            new = edited_cell(spec, index, key, text)
        except (ValueError, IndexError) as exc:
            dialogs.warning(self, "Not a valid value", str(exc))
            self.fit_view.invalidate()
            self.request_refresh(deferred=True)
            return False
        return self.push_spec(new, f"Edit XPS component {spec.components[index].name}")

    @Slot(int)
    def _on_template_chosen(self, index: int) -> None:
        kind, name = self.template_combo.itemData(index) or ("", "")
        if kind == "builtin":
            spec = load_template(name)
        elif kind == "user":
            spec = load_template(user_templates(self.project)[name])
        elif kind == "casa" and self.current_dataset() is not None:
            d = self.current_dataset()
            spec = casa_spec_of(d.metadata, region_of(d))
            if spec is None:
                return
        else:
            return
        self.apply_template(spec)

    def apply_template(self, spec: FitSpec) -> None:
        """Store ``spec`` as the model and fit it (one undo step, in a worker)."""
        dataset = self.current_dataset()
        if dataset is not None:
            self.run_fit(0, spec, f"Apply XPS template {spec.name or ''}".strip())

    @Slot(int)
    def _on_background_chosen(self, index: int) -> None:
        spec = self.state.spec if self.state is not None else None
        kind = self.background_combo.itemData(index)
        if spec is None or kind == spec.background.kind:
            return
        new = spec.copy()
        new.background.kind = kind
        self.push_spec(new, f"XPS background {BACKGROUND_TEXT.get(kind, kind)}")

    @Slot()
    def save_template(self) -> bool:
        """Ask for a name and keep the model under it in the project (one undo step)."""
        spec = self.state.spec if self.state is not None else None
        if spec is None:
            return False
        name = dialogs.ask_text(self, "Save XPS template", "Template name:", spec.name or "")
        if not name or not name.strip():
            return False
        name = name.strip()
        if name in template_names():
            dialogs.warning(self, "Name taken", f"{name!r} is a built-in template's name.")
            return False
        new = spec.copy()
        new.name = name
        self.run_fit(0, new, f"Save XPS template {name}")
        return True

    # ------------------------------------------------------------------ fits
    def run_fit(self, mc: int = 0, spec: FitSpec | None = None, text: str = "") -> None:
        """Fit the shown dataset (``mc`` Monte Carlo refits) in a worker; the result is one undo
        step. Cancel drops it."""
        state = self.state
        dataset = self.current_dataset()
        if dataset is None or state is None or state.sample is None:
            return
        spec = spec if spec is not None else state.spec
        if spec is None or not spec.components:
            dialogs.information(
                self, "Nothing to fit", "Add a component first (Add component, then a click)."
            )
            return
        settings = settings_for(spec, dataset, mc)
        sample, snap = snapshot_sample(state.sample), snapshot_dataset(dataset)
        dataset_id = dataset.id
        label = text or (f"XPS Monte Carlo errors ({mc} refits)" if mc else "Fit XPS components")

        def job(ctx):
            ctx.progress(0.02, f"Fitting {snap.label}\u2026")
            return fit_analysis(sample, snap, settings, ctx)

        def deliver(value: object) -> None:
            if isinstance(value, BaseException):
                dialogs.warning(self, "XPS fit failed", rules.error_text(value))
                return
            doc = self.document
            if doc is None:
                return
            a: Analysis = value  # type: ignore[assignment]
            self.push(
                SetAnalysis(
                    doc,
                    dataset_id,
                    ANALYSIS_NAME,
                    settings=a.settings,
                    results=a.results,
                    arrays=a.arrays,
                    inputs=a.inputs,
                    text=f"{label} ({snap.label})",
                ),
                "XPS fit not stored",
            )

        self.runner.submit("xps:fit", (dataset_id, str(settings)), job, deliver, background=True)
