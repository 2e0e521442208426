"""Batch fit of many spectra with warm starts, on a process pool, with progress and cancel.

The spectra are cut into ``workers`` contiguous chunks (neighbouring spectra, e.g. successive
cycles, are alike); inside a chunk each fit starts from the previous fit's values (a warm start)
besides the automatic start. Every chunk runs in a ``concurrent.futures`` process; ``progress``
is called in the calling process as ``progress(done, total)`` after each finished spectrum,
and a ``cancel()`` returning True stops the remaining work (spectra not fitted come back as
None). A failed spectrum gives a :class:`BatchItem` with ``error`` set, never an exception.
"""

from __future__ import annotations

import multiprocessing as mp
from collections.abc import Callable, Sequence
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from dataclasses import dataclass

import numpy as np

from ..errors import LbpoError
from .cdc import to_extended
from .workflow import fit_spectrum, fit_summary, resolve_circuit, study_resistances


@dataclass
class BatchItem:
    """The outcome of one spectrum: the ``lbpo eis`` summary and the study's resistances."""

    index: int
    summary: dict | None
    resistances: dict | None
    values: list[float] | None
    error: str | None = None


def _fit_chunk(
    circuit_text: str,
    spectra: list[tuple[int, np.ndarray, np.ndarray]],
    weighting: str,
    fmin: float | None,
    fmax: float | None,
    queue=None,
) -> list[BatchItem]:
    circuit = resolve_circuit(circuit_text)
    out: list[BatchItem] = []
    warm: list[list[float]] = []
    for index, f, z in spectra:
        try:
            sf = fit_spectrum(
                circuit,
                f,
                z,
                weighting=weighting,
                fmin=fmin,
                fmax=fmax,
                n_starts=2 if warm else 4,
                extra_starts=warm,
            )
            values = sf.fit.values()
            warm = [values]
            out.append(BatchItem(index, fit_summary(sf), study_resistances(sf), values))
        except (LbpoError, ValueError, FloatingPointError, np.linalg.LinAlgError) as exc:
            out.append(BatchItem(index, None, None, None, str(exc)))
        if queue is not None:
            queue.put(index)
    return out


def fit_batch(
    circuit: str,
    spectra: Sequence[tuple[Sequence[float], Sequence[complex]]],
    *,
    weighting: str = "calc-modulus",
    fmin: float | None = None,
    fmax: float | None = None,
    workers: int = 2,
    progress: Callable[[int, int], None] | None = None,
    cancel: Callable[[], bool] | None = None,
) -> list[BatchItem | None]:
    """Fit ``circuit`` (text or ``"auto"``) to every ``(freq_Hz, Z)`` of ``spectra``.

    ``workers`` <= 1 runs in this process (no pool). Returns one item per spectrum in input
    order (None for spectra skipped after ``cancel``)."""
    text = to_extended(resolve_circuit(circuit))
    items = [(i, np.asarray(f, float), np.asarray(z, complex)) for i, (f, z) in enumerate(spectra)]
    total = len(items)
    results: list[BatchItem | None] = [None] * total
    if workers <= 1 or total < 2:
        done = 0
        for item in items:
            if cancel is not None and cancel():
                break
            (res,) = _fit_chunk(text, [item], weighting, fmin, fmax)
            results[res.index] = res
            done += 1
            if progress:
                progress(done, total)
        return results
    n = min(workers, total)
    # small chunks keep cancel responsive; each chunk warm-starts inside itself
    size = max(1, min(25, -(-total // n)))
    chunks = [items[k : k + size] for k in range(0, total, size)]
    ctx = mp.get_context("spawn")
    manager = ctx.Manager()
    queue = manager.Queue()
    done = 0
    try:
        with ProcessPoolExecutor(max_workers=n, mp_context=ctx) as pool:
            pending = {
                pool.submit(_fit_chunk, text, ch, weighting, fmin, fmax, queue) for ch in chunks
            }
            while pending:
                finished, pending = wait(pending, timeout=0.05, return_when=FIRST_COMPLETED)
                while not queue.empty():
                    queue.get()
                    done += 1
                    if progress:
                        progress(done, total)
                for fut in finished:
                    for res in fut.result():
                        results[res.index] = res
                if cancel is not None and cancel():
                    for fut in pending:
                        fut.cancel()
                    for fut in pending:
                        if not fut.cancelled():
                            for res in fut.result():
                                results[res.index] = res
                    break
    finally:
        manager.shutdown()
    return results
