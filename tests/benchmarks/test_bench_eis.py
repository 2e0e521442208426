"""EIS speed: the study circuit's fit, its model evaluation and a 100-spectrum batch.

Budgets (DESIGN.md): fit of R(QR)(QR)W to 61 points <= 10 ms median; model evaluation <= 20 us;
100 spectra batch fit (warm starts, 2 cores) <= 2 s. The peer, impedance.py (pip ``impedance``,
its version is recorded in ``extra_info``), is timed in the same run on the same spectra, like
for like: the same circuit (``R0-p(CPE1,R1)-p(CPE2,R2)-W1``), the same 61 points, the same
start, |Z|-weighted, in process. Run with ``pytest tests/benchmarks --benchmark-enable``; without
it each benchmark runs once as a test and the slow peer batch is skipped.
"""

from __future__ import annotations

import numpy as np
import pytest

from lbpo_gui.core.eis.batch import fit_batch, process_pool, shutdown_pool
from lbpo_gui.core.eis.cdc import parse_circuit
from lbpo_gui.core.eis.circuit import with_values
from lbpo_gui.core.eis.elements import warburg_aw_from_y0
from lbpo_gui.core.eis.fit import fit_circuit
from lbpo_gui.core.eis.model import compile_circuit
from lbpo_gui.core.eis.start import auto_start
from lbpo_gui.core.eis.workflow import fit_spectrum

from ..core.eis.synth import FREQ, STUDY, TRUE, study_spectrum

#: The notes' "near" start: every parameter 15-40 % off.
NEAR = TRUE * np.array([1.2, 1.3, 0.95, 1.3, 0.7, 0.95, 1.2, 0.8])
N_BATCH = 100


def _impedance_py():
    impedance = pytest.importorskip("impedance")
    from impedance.models.circuits import CustomCircuit

    return impedance.__version__, CustomCircuit


def _to_impedance_py(values):
    """Our values (Y0) as impedance.py's (A_W)."""
    v = list(values)
    v[7] = warburg_aw_from_y0(v[7])
    return v


@pytest.fixture(scope="module")
def spectrum():
    return study_spectrum(0)


def test_bench_model_evaluation(benchmark):
    fn = compile_circuit(parse_circuit(STUDY)).bind(FREQ)
    z = benchmark(fn, TRUE)
    assert z.shape == (61,)


def test_bench_model_evaluation_impedance_py(benchmark):
    version, CustomCircuit = _impedance_py()
    c = CustomCircuit("R0-p(CPE1,R1)-p(CPE2,R2)-W1", initial_guess=_to_impedance_py(TRUE))
    benchmark.extra_info["peer"] = f"impedance.py {version}"
    ours = compile_circuit(parse_circuit(STUDY)).impedance(TRUE, FREQ)
    z = benchmark(c.predict, FREQ, use_initial=True)
    np.testing.assert_allclose(z, ours, rtol=1e-10)


def test_bench_fit_study_circuit_from_near_start(benchmark, spectrum):
    c = with_values(parse_circuit(STUDY), NEAR)
    r = benchmark(fit_circuit, c, FREQ, spectrum, weighting="calc-modulus")
    assert r.value("R3", "R") == pytest.approx(167.2, rel=0.005)


def test_bench_fit_study_circuit_from_automatic_start(benchmark, spectrum):
    start = auto_start(parse_circuit(STUDY), FREQ, spectrum)
    r = benchmark(fit_circuit, start, FREQ, spectrum)
    assert r.value("R3", "R") == pytest.approx(167.2, rel=0.005)


def test_bench_fit_spectrum_auto_four_starts(benchmark, spectrum):
    sf = benchmark(fit_spectrum, "auto", FREQ, spectrum)
    assert sf.fit.starts_tried == 4


def test_bench_fit_impedance_py(benchmark, spectrum):
    version, CustomCircuit = _impedance_py()
    benchmark.extra_info["peer"] = f"impedance.py {version}"

    def fit():
        c = CustomCircuit("R0-p(CPE1,R1)-p(CPE2,R2)-W1", initial_guess=_to_impedance_py(NEAR))
        return c.fit(FREQ, spectrum, weight_by_modulus=True)

    c = benchmark.pedantic(fit, rounds=5, iterations=1)
    assert c.parameters_[6] == pytest.approx(167.2, rel=0.01)


def _batch_spectra():
    out = []
    for k in range(N_BATCH):
        v = TRUE.copy()
        v[6] = 165.3 * (1 + 0.01 * k)
        out.append((FREQ, study_spectrum(k, values=v)))
    return out


@pytest.fixture(scope="module")
def batch():
    spectra = _batch_spectra()
    process_pool(2)  # the application keeps one pool: start it outside the timing
    fit_batch("auto", spectra[:4], workers=2)
    yield spectra
    shutdown_pool()


def test_bench_batch_100_spectra_2_workers(benchmark, batch):
    items = benchmark.pedantic(
        fit_batch, args=("auto", batch), kwargs={"workers": 2}, rounds=3, iterations=1
    )
    assert all(i is not None and i.error is None for i in items)
    assert items[-1].resistances["R_electrode_SE_ohm"] == pytest.approx(165.3 * 1.99, rel=0.03)


def test_bench_batch_100_spectra_impedance_py(benchmark, batch):
    if benchmark.disabled:
        pytest.skip("the peer batch takes ~10 s: run with --benchmark-enable")
    version, CustomCircuit = _impedance_py()
    benchmark.extra_info["peer"] = f"impedance.py {version}, one process, warm starts"

    def run():
        guess = _to_impedance_py(NEAR)
        out = []
        for f, z in batch:
            c = CustomCircuit("R0-p(CPE1,R1)-p(CPE2,R2)-W1", initial_guess=guess)
            c.fit(f, z, weight_by_modulus=True)
            guess = list(c.parameters_)
            out.append(c.parameters_[6])
        return out

    r = benchmark.pedantic(run, rounds=1, iterations=1)
    assert r[-1] == pytest.approx(165.3 * 1.99, rel=0.03)
