"""The circuit editor widget: palette, presets, CDC text field and the schematic, in sync.

The editor holds the current :class:`~lbpo_gui.core.eis.circuit.Circuit` and changes it only
through the core's pure edit operations (:mod:`lbpo_gui.core.eis.drop`,
:mod:`lbpo_gui.core.eis.circuit`). Every finished edit emits :attr:`CircuitEditor.circuitEdited`
``(circuit, description, gesture)`` once; the owner stores it as one undo step (commands with
the same non-None ``gesture`` merge: one typing session in the CDC field is one step). While a
palette element or a placed element is dragged, :attr:`previewRequested` carries the circuit
the drop would give (None when back to the current one) and the landing place is highlighted.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

from PySide6.QtCore import QPoint, QPointF, Qt, QTimer, Signal, Slot
from PySide6.QtGui import QAction, QCursor
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMenu,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from ...core.eis.cdc import parse_circuit, to_cdc
from ...core.eis.circuit import (
    Circuit,
    CircuitError,
    add_parallel,
    add_series,
    remove,
    replace,
    set_param,
)
from ...core.eis.drop import Drop, keep_values, try_drop
from ...core.eis.elements import ELEMENT_KINDS, element_kind
from ..analysis.flow_layout import FlowLayout
from ..commands import new_gesture
from .items import ElementItem, TargetItem, si_text
from .palette import PALETTE, PaletteButton
from .param_dialog import ParamDialog
from .view import CircuitView

#: Presets: (menu text, CDC).
PRESETS = (
    ("Study: R(QR)(QR)W", "R(QR)(QR)W"),
    ("Randles: R(C[RW])", "R(C[RW])"),
    ("One arc: R(RQ)", "R(RQ)"),
    ("Two arcs: R(RQ)(RQ)", "R(RQ)(RQ)"),
)
#: Arc labels as written on the elements (the full text is in the tooltip).
SHORT_LABELS = {"electrode interface": "electrode/SE", "grain boundary": "grain boundary"}
#: A scroll pause longer than this (ms) ends one tuning gesture (one undo step).
TUNE_IDLE_MS = 700
#: Factor per wheel notch for positive parameters; step per notch for exponents (n).
TUNE_FACTOR = 1.05
TUNE_STEP = 0.01
HINT = (
    "Drag an element onto a wire: series \u00b7 onto an element: parallel \u00b7 onto a "
    "bracket: parallel with the block \u00b7 Delete removes \u00b7 double-click edits values "
    "\u00b7 scroll over an element tunes it (Shift: its 2nd parameter)"
)
ERROR_FIELD = "QLineEdit { border: 2px solid #c62828; background: #fff3f3; }"


class CircuitEditor(QWidget):
    """See the module docstring. ``annotations`` (after a fit): ``{element id: {"errors":
    {param: percent}, "label": text}}``."""

    circuitEdited = Signal(object, str, object)
    previewRequested = Signal(object)
    selectionChanged = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._circuit = Circuit()
        self._annotations: dict[str, dict] = {}
        self._carry: tuple[str | None, str | None] | None = None  # (kind, source id)
        self._carry_circuit: Circuit | None = None
        self._typing_gesture: int | None = None
        self.error_position: int | None = None
        self.dialog_factory = ParamDialog  # tests may swap it

        self.view = CircuitView()
        self.view.hover = self._hover_scene
        self.view.release = self._release_scene
        self.view.start_move = self._start_move
        self.view.carrying = lambda: self._carry is not None
        self.view.deleteRequested.connect(self.remove_element)
        self.view.elementDoubleClicked.connect(self.edit_element)
        self.view.contextRequested.connect(self._context_menu)
        self.view.tuneRequested.connect(self.tune)
        self._tune_gesture: int | None = None
        self._tune_timer = QTimer(self)
        self._tune_timer.setSingleShot(True)
        self._tune_timer.setInterval(TUNE_IDLE_MS)
        self._tune_timer.timeout.connect(self._end_tune)
        self.view.elementClicked.connect(self.selectionChanged)
        self.view.setMinimumHeight(90)

        palette = QWidget()
        flow = FlowLayout(palette)
        flow.addWidget(QLabel("<b>Elements</b>"))
        self.palette: dict[str, PaletteButton] = {}
        for kind in PALETTE:
            b = PaletteButton(kind, self.begin_carry, self._carry_global, self._end_palette)
            self.palette[kind] = b
            flow.addWidget(b)
        self.presets = QComboBox()
        self.presets.setObjectName("circuitPresets")
        self.presets.addItem("Presets\u2026")
        for text, cdc in PRESETS:
            self.presets.addItem(text, cdc)
        self.presets.setToolTip("Replace the circuit by a common one")
        self.presets.activated.connect(self._on_preset)
        palette.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)

        self.cdc_field = QLineEdit()
        self.cdc_field.setObjectName("cdcField")
        self.cdc_field.setPlaceholderText("Type a circuit: R(QR)(QR)W, or R0-p(R1,CPE1)-W1")
        self.cdc_field.setToolTip(
            "Boukamp CDC: juxtaposed = series, (...) = parallel, [...] = series inside a "
            "parallel; impedance.py strings work too. A valid circuit redraws at once."
        )
        self.cdc_field.textEdited.connect(self._on_text_edited)
        self.cdc_field.editingFinished.connect(self._on_editing_finished)
        self.cdc_error = QLabel()
        self.cdc_error.setObjectName("cdcError")
        self.cdc_error.setTextFormat(Qt.TextFormat.RichText)
        self.cdc_error.setWordWrap(True)
        self.cdc_error.setVisible(False)
        self.drop_label = QLabel()
        self.drop_label.setObjectName("dropPreview")
        self.drop_label.setWordWrap(True)
        self.drop_label.setToolTip(
            "Drag placed elements to move them the same way; right-click an element to "
            "replace it or wrap it in parallel. Every edit is one undo step (Ctrl+Z)."
        )
        self._show_hint()

        text_row = QHBoxLayout()
        text_row.addWidget(QLabel("CDC"))
        text_row.addWidget(self.cdc_field, 1)
        text_row.addWidget(self.presets)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(palette)
        layout.addLayout(text_row)
        layout.addWidget(self.cdc_error)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.drop_label)
        self._redraw()

    # ================================================================ state
    def circuit(self) -> Circuit:
        return self._circuit

    def cdc_text(self) -> str:
        return self.cdc_field.text()

    def selected_id(self) -> str:
        return self.view.selected_id

    def set_circuit(self, circuit: Circuit, annotations: Mapping[str, dict] | None = None) -> None:
        """Show ``circuit`` (from the project: no signal). The CDC field follows unless the
        user is typing an invalid text."""
        ann = dict(annotations or {})
        if circuit == self._circuit and ann == self._annotations:
            return
        changed = circuit != self._circuit
        self._circuit = circuit
        self._annotations = ann
        self._redraw(force_text=changed)

    def _redraw(self, force_text: bool = False) -> None:
        self.view.show_circuit(self._circuit, self._element_lines)
        text = to_cdc(self._circuit) if len(self._circuit) else ""
        if force_text or not (self.cdc_field.hasFocus() and self.error_position is not None):
            self._set_field(text)

    def _set_field(self, text: str) -> None:
        if self.cdc_field.text() != text:
            try:
                current = parse_circuit(self.cdc_field.text()) if self.cdc_field.text() else None
            except CircuitError:
                current = None
            if current is None or to_cdc(current) != text:
                self.cdc_field.setText(text)
        self._show_error(None)

    def _element_lines(self, element_id: str) -> tuple[list[str], str, str]:
        el = self._circuit.element(element_id)
        kind = element_kind(el.kind)
        units = {s.name: s.unit for s in kind.params}
        ann = self._annotations.get(element_id, {})
        errors = ann.get("errors", {})
        lines, tip = [], [f"{el.id}: {kind.title}"]
        for p in el.params:
            unit = units.get(p.name, "")
            err = errors.get(p.name)
            err_text = f" \u00b1{err:.2g}%" if err is not None and math.isfinite(err) else ""
            show = si_text(p.value, unit) if unit else f"{p.value:.3g}"
            lines.append(f"{p.name} {show}{err_text}" if len(el.params) > 1 else show + err_text)
            bounds = f"[{p.lower:g}, {p.upper:g}]"
            tip.append(
                f"{p.name} = {p.value:.6g} {unit}{err_text}  bounds {bounds}"
                + ("  fixed" if p.fixed else "")
            )
        label = SHORT_LABELS.get(ann.get("label", ""), ann.get("label", ""))
        if label:
            tip.append(f"arc: {ann.get('label')}")
        tip.append("Drag to move, Delete to remove, double-click to edit, right-click for more")
        return lines, label, "\n".join(tip)

    # ================================================================ edits
    def commit(self, circuit: Circuit, text: str, gesture: int | None = None) -> None:
        """Make ``circuit`` current and report it as one edit."""
        if circuit == self._circuit:
            return
        self._circuit = circuit
        self._annotations = {}
        self._redraw()
        self.circuitEdited.emit(circuit, text, gesture)

    @Slot(str)
    def remove_element(self, element_id: str) -> None:
        try:
            self.commit(remove(self._circuit, element_id), f"Remove {element_id}")
        except CircuitError:
            return

    def replace_element(self, element_id: str, kind: str) -> None:
        self.commit(replace(self._circuit, element_id, kind), f"Replace {element_id} by {kind}")

    def wrap_in_parallel(self, element_id: str, kind: str) -> None:
        self.commit(
            add_parallel(self._circuit, element_id, kind), f"{kind} in parallel with {element_id}"
        )

    def add_in_series(self, element_id: str, kind: str) -> None:
        self.commit(add_series(self._circuit, element_id, kind), f"{kind} after {element_id}")

    @Slot(str, float, bool)
    def tune(self, element_id: str, notches: float, second: bool = False) -> None:
        """Scale the element's first parameter (its second with ``second``) by
        :data:`TUNE_FACTOR` per notch (exponents n step by :data:`TUNE_STEP`), within its
        bounds; a burst of notches is one undo step."""
        el = self._circuit.element(element_id)
        params = el.params
        p = params[1] if second and len(params) > 1 else params[0]
        if p.fixed or notches == 0:
            return
        unit = next((s.unit for s in element_kind(el.kind).params if s.name == p.name), "")
        # exponents (no unit) step linearly, magnitudes by a factor
        value = p.value * TUNE_FACTOR**notches if unit else p.value + TUNE_STEP * notches
        value = min(max(value, p.lower), p.upper)
        if value == p.value:
            return
        if self._tune_gesture is None:
            self._tune_gesture = new_gesture()
        self._tune_timer.start()
        new = set_param(self._circuit, element_id, p.name, value=value)
        self.commit(new, f"Tune {element_id}.{p.name}", self._tune_gesture)

    def _end_tune(self) -> None:
        self._tune_gesture = None

    def load_preset(self, cdc: str) -> None:
        self.commit(keep_values(parse_circuit(cdc), self._circuit), f"Circuit {cdc}")

    @Slot(str)
    def edit_element(self, element_id: str) -> None:
        """Open the value / bounds / fixed dialog of an element."""
        dialog = self.dialog_factory(self._circuit.element(element_id), self)
        dialog.set_circuit(self._circuit)
        if dialog.exec() and dialog.result_circuit() is not None:
            self.commit(dialog.result_circuit(), f"Edit {element_id}")

    def element_menu(self, element_id: str) -> QMenu:
        """The right-click menu of an element."""
        menu = QMenu(self)
        edit = menu.addAction("Edit values, bounds, fixed\u2026")
        edit.triggered.connect(lambda: self.edit_element(element_id))
        for title, fn in (
            ("Replace with", self.replace_element),
            ("Wrap in parallel with", self.wrap_in_parallel),
            ("Add in series after", self.add_in_series),
        ):
            sub = menu.addMenu(title)
            for kind in PALETTE:
                act = QAction(f"{kind} \u2013 {ELEMENT_KINDS[kind].title}", sub)
                act.triggered.connect(lambda _=False, k=kind, f=fn: f(element_id, k))
                sub.addAction(act)
        menu.addSeparator()
        rm = menu.addAction(f"Remove {element_id}")
        rm.triggered.connect(lambda: self.remove_element(element_id))
        return menu

    @Slot(str, QPoint)
    def _context_menu(self, element_id: str, where: QPoint) -> None:
        self.element_menu(element_id).exec(where)

    @Slot(int)
    def _on_preset(self, index: int) -> None:
        cdc = self.presets.itemData(index)
        self.presets.setCurrentIndex(0)
        if cdc:
            self.load_preset(cdc)

    # ================================================================ text field
    @Slot(str)
    def _on_text_edited(self, text: str) -> None:
        if not text.strip():
            self._show_error(None)
            return
        try:
            parsed = parse_circuit(text)
        except CircuitError as exc:
            self._show_error(exc)
            return
        self._show_error(None)
        new = keep_values(parsed, self._circuit)
        if to_cdc(new) == to_cdc(self._circuit) and "{" not in text:
            return
        if self._typing_gesture is None:
            self._typing_gesture = new_gesture()
        self._circuit = new
        self._annotations = {}
        self.view.show_circuit(new, self._element_lines)
        self.circuitEdited.emit(new, f"Circuit {to_cdc(new)}", self._typing_gesture)

    @Slot()
    def _on_editing_finished(self) -> None:
        self._typing_gesture = None

    def _show_error(self, exc: CircuitError | None) -> None:
        if exc is None:
            self.error_position = None
            self.cdc_field.setStyleSheet("")
            self.cdc_error.setVisible(False)
            return
        text = self.cdc_field.text()
        pos = exc.position if exc.position is not None else len(text)
        pos = max(0, min(pos, len(text)))
        self.error_position = pos
        self.cdc_field.setStyleSheet(ERROR_FIELD)
        bad = text[pos] if pos < len(text) else "\u2423"
        esc = lambda s: s.replace("&", "&amp;").replace("<", "&lt;")  # noqa: E731
        self.cdc_error.setText(
            f"<span style='color:#b00020'>Not a circuit at character {pos + 1}: "
            f"{esc(exc.reason)}</span> &nbsp; <tt>{esc(text[:pos])}"
            f"<span style='background:#ffcdd2; color:#b00020'><b>{esc(bad)}</b></span>"
            f"{esc(text[pos + 1 :])}</tt> &nbsp; (the drawing is unchanged)"
        )
        self.cdc_error.setVisible(True)

    # ================================================================ gestures
    def _show_hint(self) -> None:
        self.drop_label.setStyleSheet("color: #5a5a5a;")
        self.drop_label.setText(HINT)

    def _show_drop(self, text: str) -> None:
        self.drop_label.setStyleSheet("color: #1565c0; font-weight: bold;")
        self.drop_label.setText(text)

    def begin_carry(self, kind: str) -> None:
        """A palette element is picked up."""
        self._carry = (kind, None)
        self._carry_circuit = None
        self._show_drop(f"Carrying {kind}: drop it on a wire, an element or a bracket")

    def _start_move(self, element_id: str) -> None:
        self._carry = (None, element_id)
        self._carry_circuit = None
        self.view.viewport().setCursor(Qt.CursorShape.ClosedHandCursor)
        self._show_drop(f"Moving {element_id}: drop it on a wire, an element or a bracket")

    def drop_for(self, item: ElementItem | TargetItem | None) -> Drop | None:
        if isinstance(item, ElementItem):
            return Drop("parallel", item.element_id)
        if isinstance(item, TargetItem):
            return item.drop
        return None

    def _result_at(self, scene_pos: QPointF | None) -> tuple[object, Circuit | None]:
        if scene_pos is None or self._carry is None:
            return None, None
        item = self.view.target_at(scene_pos)
        drop = self.drop_for(item)
        if drop is None:
            return None, None
        kind, source = self._carry
        if source is not None and isinstance(item, ElementItem) and item.element_id == source:
            return None, None
        return item, try_drop(self._circuit, drop, kind=kind, source=source)

    def _hover_scene(self, scene_pos: QPointF | None) -> None:
        item, result = self._result_at(scene_pos)
        self.view.set_highlight(item if result is not None else None)
        if result != self._carry_circuit:
            self._carry_circuit = result
            self.previewRequested.emit(result)
        what = self._carry[0] or self._carry[1] if self._carry else ""
        if result is not None:
            self._show_drop(f"Drop {what} here \u2192 {to_cdc(result)}")
        elif self._carry is not None:
            self._show_drop(f"Carrying {what}: no place to land here")

    def _release_scene(self, scene_pos: QPointF | None) -> None:
        item, result = self._result_at(scene_pos)
        carry = self._carry
        self._end_gesture()
        if result is not None and carry is not None:
            kind, source = carry
            text = f"Add {kind}" if kind else f"Move {source}"
            self.commit(result, text)

    def _end_gesture(self) -> None:
        self._carry = None
        self.view.set_highlight(None)
        self.view.viewport().unsetCursor()
        self._show_hint()
        for b in self.palette.values():
            b.setDown(False)
            b._origin = None  # noqa: SLF001 (a release may reach the view instead)
        if self._carry_circuit is not None:
            self._carry_circuit = None
            self.previewRequested.emit(None)

    def _scene_pos(self, global_pos: QPoint) -> QPointF | None:
        local = self.view.viewport().mapFromGlobal(global_pos)
        if not self.view.viewport().rect().contains(local):
            return None
        return self.view.mapToScene(local)

    def _carry_global(self, global_pos: QPoint) -> None:
        if self._carry is not None:
            self._hover_scene(self._scene_pos(global_pos))

    def _end_palette(self, global_pos: QPoint, moved: bool) -> None:
        if self._carry is None:
            return
        kind = self._carry[0]
        if not moved and kind is not None:
            self._end_gesture()
            self.commit(add_series(self._circuit, (), kind), f"Add {kind}")
            return
        self._release_scene(self._scene_pos(global_pos))

    def cursor_scene_pos(self) -> QPointF | None:
        return self._scene_pos(QCursor.pos())
