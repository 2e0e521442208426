"""Fixtures of the GUI tests: isolated user folders, no blocking dialogs, a small project."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import numpy as np
import pytest

pytest.importorskip("pytestqt")

from lbpo_gui.core.project import Dataset, Project, Provenance, save_project  # noqa: E402
from lbpo_gui.gui import dialogs  # noqa: E402


def _cycling(seed: int) -> dict[str, np.ndarray]:
    t = np.linspace(0, 20 * 3600, 4000)
    phase = (t / (5 * 3600)) % 1.0
    v = np.where(phase < 0.5, 3.0 + 1.3 * phase * 2, 4.3 - 1.3 * (phase - 0.5) * 2) + 0.01 * seed
    i = np.where(phase < 0.5, 0.2, -0.2)
    return {"time_s": t, "voltage_V": v, "current_mA": i}


def _impedance(r: float) -> dict[str, np.ndarray]:
    f = np.logspace(6, -1, 61)
    w = 2 * np.pi * f
    z = 15 + r / (1 + 1j * w * r * 1e-5) + 30 / np.sqrt(1j * w)
    return {"frequency_Hz": f, "z_real_ohm": z.real, "z_imag_ohm": z.imag}


def _xps() -> dict[str, np.ndarray]:
    be = np.linspace(170, 155, 301)
    cps = 2000 + 8000 * np.exp(-((be - 161.6) ** 2) / 0.5) + 4000 * np.exp(-((be - 162.8) ** 2) / 0.5)
    return {"binding_energy_eV": be, "counts_per_s": cps}


def _eds(width: float) -> dict[str, np.ndarray]:
    from math import erf

    d = np.linspace(0, 60, 121)
    s = np.array([0.5 * (1 + erf((x - 30) / width)) for x in d])
    return {"distance_nm": d, "Ni": 100 * (1 - s), "Co": 15 * (1 - s), "S": 80 * s, "P": 20 * s}


def make_dataset(kind: str, label: str, arrays: dict[str, np.ndarray], **meta: object) -> Dataset:
    """A dataset as a reader would have produced it."""
    return Dataset(
        kind=kind,
        label=label,
        arrays=arrays,
        metadata=dict(meta),
        provenance=Provenance(
            original_name=f"{label}.txt", reader="synthetic", imported_at="2024-05-01T10:00:00+00:00"
        ),
    )


def build_small_project() -> Project:
    """Two samples, each with a cycling, impedance, XPS and EDS dataset."""
    project = Project("Small study")
    for k, (name, lbo, lpo, r) in enumerate(
        [("Pristine", 0.0, 0.0, 160.0), ("LBPO 0.05-0.15", 0.05, 0.15, 40.0)]
    ):
        s = project.add_sample(name, lbo_wt_pct=lbo, lpo_wt_pct=lpo, composite_mass_mg=15.0)
        project.add_dataset(s.id, make_dataset("cycling", f"{name} rate test", _cycling(k)))
        project.add_dataset(s.id, make_dataset("impedance", f"{name} EIS charged", _impedance(r)))
        project.add_dataset(s.id, make_dataset("xps", f"{name} S 2p", _xps(), region="S 2p"))
        project.add_dataset(
            s.id, make_dataset("eds_profile", f"{name} EDS line", _eds(3 + 5 * k), signal_unit="counts")
        )
    return project


@pytest.fixture(autouse=True)
def _gui_isolation(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Per-test user folders, and dialogs that never block (tests patch the ones they answer)."""
    monkeypatch.setenv("LBPO_RECOVERY_DIR", str(tmp_path / "user" / "recovery"))
    monkeypatch.setenv("LBPO_LOG_DIR", str(tmp_path / "user" / "logs"))
    monkeypatch.setenv("LBPO_SETTINGS_DIR", str(tmp_path / "user" / "settings"))
    dialogs.set_noninteractive(True)
    dialogs.recorded.clear()
    yield
    dialogs.recorded.clear()


@pytest.fixture
def small_project() -> Project:
    """A fresh two-sample project."""
    return build_small_project()


@pytest.fixture
def small_lbpo(tmp_path: Path) -> Path:
    """The small project saved as a .lbpo file."""
    return save_project(build_small_project(), tmp_path / "small.lbpo")


@pytest.fixture
def make_window(qtbot) -> Callable[..., object]:
    """Create a shown, active MainWindow (closed by qtbot at the end of the test)."""
    from lbpo_gui.gui.main_window import MainWindow

    def factory(path: Path | None = None, **kwargs: object) -> MainWindow:
        kwargs.setdefault("autosave_delay_ms", 0)
        window = MainWindow(**kwargs)  # type: ignore[arg-type]
        qtbot.addWidget(window)
        if path is not None:
            assert window.open_project(path)
        window.show()
        qtbot.waitExposed(window)
        window.activateWindow()
        qtbot.waitUntil(lambda: window.isActiveWindow(), timeout=2000)
        return window

    return factory
