"""Batch fit of many spectra with warm starts, on a process pool, with progress and cancel.

The spectra are cut into ``workers`` contiguous chunks (neighbouring spectra, e.g. successive
cycles, are alike); inside a chunk each fit starts from the previous fit's values (a warm start);
when that fit warns or its chi-square jumps (:data:`REFIT_FACTOR`) it is redone from the
automatic start and its variations. Every chunk runs in a process of a shared ``concurrent.futures`` pool
(:func:`process_pool`, kept between batches); ``progress(done, total)`` is called in the
calling process as chunks finish (after each spectrum when ``workers`` <= 1), and a
``cancel()`` returning True stops the remaining work (spectra not fitted come back as None). A failed spectrum gives a :class:`BatchItem` with ``error`` set, never an exception.
"""

from __future__ import annotations

import multiprocessing as mp
from collections.abc import Callable, Sequence
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from dataclasses import dataclass

import numpy as np

from ..errors import LbpoError
from .cdc import to_extended
from .circuit import with_values
from .workflow import fit_spectrum, fit_summary, resolve_circuit, study_resistances


@dataclass
class BatchItem:
    """The outcome of one spectrum: the ``lbpo eis`` summary and the study's resistances."""

    index: int
    summary: dict | None
    resistances: dict | None
    values: list[float] | None
    error: str | None = None


#: A warm-started fit is redone from the automatic start when its chi-square exceeds the
#: previous spectrum's by this factor (or it warns): the spectra were less alike than assumed.
REFIT_FACTOR = 3.0


def _fit_one(circuit, f, z, weighting, fmin, fmax, warm, previous_chi2):
    if warm is not None:
        sf = fit_spectrum(
            with_values(circuit, warm),
            f,
            z,
            weighting=weighting,
            fmin=fmin,
            fmax=fmax,
            auto=False,
            n_starts=1,
        )
        if not sf.fit.warnings and sf.fit.chi_square <= REFIT_FACTOR * previous_chi2:
            return sf
        return fit_spectrum(
            circuit, f, z, weighting=weighting, fmin=fmin, fmax=fmax, extra_starts=[warm]
        )
    return fit_spectrum(circuit, f, z, weighting=weighting, fmin=fmin, fmax=fmax)


def _fit_chunk(
    circuit_text: str,
    spectra: list[tuple[int, np.ndarray, np.ndarray]],
    weighting: str,
    fmin: float | None,
    fmax: float | None,
    on_done: Callable[[int], object] | None = None,
    should_stop: Callable[[], bool] | None = None,
) -> list[BatchItem]:
    circuit = resolve_circuit(circuit_text)
    out: list[BatchItem] = []
    warm: list[float] | None = None
    chi2 = float("inf")
    for index, f, z in spectra:
        if should_stop is not None and should_stop():
            break
        try:
            sf = _fit_one(circuit, f, z, weighting, fmin, fmax, warm, chi2)
            warm, chi2 = sf.fit.values(), sf.fit.chi_square
            out.append(BatchItem(index, fit_summary(sf), study_resistances(sf), warm))
        except (LbpoError, ValueError, FloatingPointError, np.linalg.LinAlgError) as exc:
            out.append(BatchItem(index, None, None, None, str(exc)))
        if on_done is not None:
            on_done(index)
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
        counter = iter(range(1, total + 1))

        def tick(_index: int) -> None:
            if progress:
                progress(next(counter), total)

        for res in _fit_chunk(text, items, weighting, fmin, fmax, tick, cancel):
            results[res.index] = res
        return results
    n = min(workers, total)
    # chunks of neighbouring spectra: warm starts inside, progress and cancel between chunks
    size = max(1, min(CHUNK_MAX, -(-total // (2 * n))))
    chunks = [items[k : k + size] for k in range(0, total, size)]
    pool = process_pool(n)
    done = 0
    pending = {pool.submit(_fit_chunk, text, ch, weighting, fmin, fmax) for ch in chunks}
    while pending:
        finished, pending = wait(pending, timeout=0.05, return_when=FIRST_COMPLETED)
        for fut in finished:
            for res in fut.result():
                results[res.index] = res
                done += 1
        if finished and progress:
            progress(done, total)
        if pending and cancel is not None and cancel():
            for fut in pending:
                fut.cancel()
            break
    return results


#: Most spectra in one chunk of work.
CHUNK_MAX = 20
_POOL: tuple[int, ProcessPoolExecutor] | None = None


def process_pool(workers: int = 2) -> ProcessPoolExecutor:
    """The shared process pool (``spawn`` processes, safe beside Qt threads), created on first
    use and kept, so only the first batch pays for starting Python in the workers."""
    global _POOL
    if _POOL is not None and _POOL[0] == workers:
        return _POOL[1]
    shutdown_pool()
    pool = ProcessPoolExecutor(max_workers=workers, mp_context=mp.get_context("spawn"))
    _POOL = (workers, pool)
    return pool


def shutdown_pool() -> None:
    """Stop the shared pool's processes (the application calls this on exit)."""
    global _POOL
    if _POOL is not None:
        _POOL[1].shutdown(wait=True, cancel_futures=True)
        _POOL = None
