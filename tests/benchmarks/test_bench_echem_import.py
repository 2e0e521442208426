"""Import + summarise a 1,000,000-row EC-Lab .mpt written by the demo generator, ours and peers.

Budgets (DESIGN.md): the 1M-row file imported and summarised in a fresh process <= 0.5 s with
<= 600 MB extra memory; ``lbpo`` on a small file in a fresh process <= 0.25 s.

Every figure is measured like for like in the same run (DESIGN.md, "Performance budgets"):

- *whole process*: a fresh interpreter per run (``python -m lbpo_gui echem FILE --json`` for us,
  ``python -c "...MPTfile(FILE)"`` for galvani, ``python -c "...cellpy.get(FILE)"`` for cellpy),
  its wall time from start to exit, after one discarded warm-up run (bytecode cached in a
  temporary folder, file in the OS cache, as on a user's second run);
- *in-process*: the work alone in an interpreter that has already imported everything (ours via
  pytest-benchmark; the peers' parse time as their own script reports it).

galvani 0.5 ``MPTfile`` (GPL, a peer only) parses the .mpt (it does not summarise). cellpy cannot
read .mpt files (its issue #187), so it is timed on the same rows written as a Neware record CSV;
cellpy 1.x needs pandas 2 and usually lives in its own venv: set ``LBPO_PEER_PYTHON``.

Run with ``pytest tests/benchmarks --benchmark-enable -s``; without ``--benchmark-enable`` each
benchmark runs once as a test (the peers are skipped).
"""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys
import tempfile
import textwrap
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

from lbpo_gui.core.demo.cycling import generate_long_mpt
from lbpo_gui.core.echem.table import summarise_table
from lbpo_gui.core.readers import read
from tests.conftest import REPO_ROOT

N_ROWS = 1_000_000
SMALL_ROWS = 5_000
FIRST_DISCHARGE_MAH_G = 178.7
FIRST_CE_PCT = 76.37


@pytest.fixture(scope="module")
def long_mpt(tmp_path_factory) -> Path:
    return generate_long_mpt(tmp_path_factory.mktemp("bench") / "long.mpt", n_rows=N_ROWS)


@pytest.fixture(scope="module")
def small_mpt(tmp_path_factory) -> Path:
    return generate_long_mpt(tmp_path_factory.mktemp("small") / "small.mpt", n_rows=SMALL_ROWS)


@pytest.fixture(scope="module")
def fresh_env(tmp_path_factory) -> dict[str, str]:
    """The environment of a fresh process: this worktree's package, bytecode cached aside."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["PYTHONPYCACHEPREFIX"] = str(tmp_path_factory.mktemp("pycache"))
    env["PYTHONPATH"] = str(REPO_ROOT)
    return env


@dataclass(frozen=True)
class Run:
    """One fresh-process run: wall seconds, CPU seconds (user + system; the steadier figure on
    a shared machine, None where unknown) and stdout."""

    seconds: float
    cpu_s: float | None
    stdout: str


def run_fresh(cmd: list[str], env: dict[str, str]) -> Run:
    """Run ``cmd`` in a new process, from start to exit."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        t0 = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=out, stderr=err, env=env)
        cpu = None
        if hasattr(os, "wait4"):  # POSIX: the child's own rusage (its ru_maxrss is unreliable:
            _pid, status, usage = os.wait4(proc.pid, 0)  # Linux carries the parent's over)
            proc.returncode = os.waitstatus_to_exitcode(status)
            cpu = usage.ru_utime + usage.ru_stime
        else:
            proc.wait()
        seconds = time.perf_counter() - t0
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read().decode(), err.read().decode(errors="replace")
    assert proc.returncode == 0, stderr[-2000:]
    return Run(seconds, cpu, stdout)


def best_of(rounds: int, cmd: list[str], env: dict[str, str]) -> Run:
    """Fastest of ``rounds`` fresh-process runs after one discarded warm-up run."""
    run_fresh(cmd, env)
    return min((run_fresh(cmd, env) for _ in range(rounds)), key=lambda r: r.seconds)


def _cpu(run: Run) -> str:
    return f", CPU {run.cpu_s:.2f} s" if run.cpu_s is not None else ""


def echem_command(path: Path, *extra: str) -> list[str]:
    return [sys.executable, "-m", "lbpo_gui", "echem", str(path), "--json", *extra]


def check_echem_json(stdout: str, n_cycles: int | None = 120) -> dict:
    result = json.loads(stdout)
    cycles = result["cycles"]
    if n_cycles is not None:
        assert len(cycles) == n_cycles
    first = next(c for c in cycles if c["cycle"] == 1)
    assert first["discharge_mAh_g"] == pytest.approx(FIRST_DISCHARGE_MAH_G, rel=0.005)
    assert first["coulombic_efficiency_pct"] == pytest.approx(FIRST_CE_PCT, abs=0.3)
    return result


def import_and_summarise(path):
    (table,) = read(path, kind="cycling")
    mass = table.metadata["active_mass_mg"]
    return summarise_table(table.arrays, table.metadata, active_mass_mg=mass)


def in_process_best(fn, rounds: int = 3) -> float:
    times = []
    for _ in range(rounds):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times)


def peer_rounds(benchmark, cmd: list[str], env: dict[str, str], rounds: int) -> tuple[Run, dict]:
    """Time a peer's fresh process with pytest-benchmark: (fastest run, its JSON output)."""
    runs: list[Run] = []
    run_fresh(cmd, env)  # warm-up
    benchmark.pedantic(lambda: runs.append(run_fresh(cmd, env)), rounds=rounds, iterations=1)
    best = min(runs, key=lambda r: r.seconds)
    return best, json.loads(best.stdout.strip().splitlines()[-1])


def report(line: str, capsys) -> None:
    with capsys.disabled():
        print("\n" + line)


# ------------------------------------------------------------------------------- ours
def test_bench_import_and_summarise_1M_rows(benchmark, long_mpt):
    """In-process: read + summarise in an interpreter that has imported everything."""
    summary = benchmark.pedantic(import_and_summarise, args=(long_mpt,), rounds=3, iterations=1)
    assert len(summary.cycles) == 120
    assert summary.cycle(1).discharge_mAh_g == pytest.approx(FIRST_DISCHARGE_MAH_G, rel=0.005)
    assert summary.first_cycle_ce_pct == pytest.approx(FIRST_CE_PCT, abs=0.3)


#: ``lbpo`` run in-process, then its peak resident memory (VmHWM, reset by exec) written to a file.
PEAK_WRAPPER = textwrap.dedent(
    """
    import sys
    if sys.argv[2] == "--baseline":  # what every echem run imports anyway
        import numpy, pandas, polars, lbpo_gui.cli, lbpo_gui.core.echem.table  # noqa: F401
        import lbpo_gui.core.readers.builtin  # noqa: F401
        rc = 0
    else:
        from lbpo_gui.cli import main
        rc = main(sys.argv[2:])
    with open("/proc/self/status") as fh:
        peak_kb = int(fh.read().split("VmHWM:")[1].split()[0])
    with open(sys.argv[1], "w") as out:
        out.write(str(peak_kb))
    raise SystemExit(rc)
    """
)


def peak_MB(args: list[str], env: dict[str, str], tmp_path: Path) -> float:
    """Peak resident MB of a fresh ``lbpo`` process run with ``args`` (Linux)."""
    out = tmp_path / "peak_kb.txt"
    run_fresh([sys.executable, "-c", PEAK_WRAPPER, str(out), *args], env)
    return int(out.read_text()) / 1024


def test_bench_whole_command_1M_rows_fresh_process(
    benchmark, long_mpt, fresh_env, capsys, tmp_path
):
    """Whole process: ``python -m lbpo_gui echem long.mpt --json``, start to exit; its memory
    beyond what the imports take (budget 600 MB)."""
    cmd = echem_command(long_mpt)
    run_fresh(cmd, fresh_env)  # warm-up: bytecode cache, OS file cache
    run = benchmark.pedantic(run_fresh, args=(cmd, fresh_env), rounds=3)
    check_echem_json(run.stdout)
    benchmark.extra_info["cpu_s"] = run.cpu_s
    if not Path("/proc/self/status").exists():
        return
    peak = peak_MB(cmd[3:], fresh_env, tmp_path)
    extra = peak - peak_MB(["--baseline"], fresh_env, tmp_path)
    benchmark.extra_info.update(peak_rss_MB=peak, extra_rss_MB=extra)
    report(
        f"1M-row .mpt, whole command (last round): {run.seconds:.2f} s{_cpu(run)}, "
        f"peak {peak:.0f} MB resident, {extra:.0f} MB beyond the imports",
        capsys,
    )
    assert extra <= 600, f"the whole command used {extra:.0f} MB extra"


def test_bench_cli_small_file_fresh_process(benchmark, small_mpt, fresh_env, capsys):
    """``lbpo echem`` on a small (5,000-row, ~1 MB) .mpt in a fresh process."""
    cmd = echem_command(small_mpt)
    run_fresh(cmd, fresh_env)
    run = benchmark.pedantic(run_fresh, args=(cmd, fresh_env), rounds=5)
    check_echem_json(run.stdout)
    benchmark.extra_info["cpu_s"] = run.cpu_s
    report(f"small .mpt, whole command (last round): {run.seconds:.2f} s{_cpu(run)}", capsys)


MEMORY_SCRIPT = textwrap.dedent(
    """
    import json, resource, sys, time
    from lbpo_gui.core.echem.table import summarise_table
    from lbpo_gui.core.readers import read
    import pandas, numpy, polars  # noqa: F401  (baseline includes the libraries)

    def peak_kb():
        # VmHWM is reset by exec; ru_maxrss may carry the parent's peak over on Linux.
        try:
            with open("/proc/self/status") as fh:
                return int(fh.read().split("VmHWM:")[1].split()[0])
        except OSError:
            return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss

    base = peak_kb()
    t0 = time.perf_counter()
    (table,) = read(sys.argv[1], kind="cycling")
    s = summarise_table(table.arrays, table.metadata, active_mass_mg=table.metadata["active_mass_mg"])
    dt = time.perf_counter() - t0
    peak = peak_kb()
    print(json.dumps({"seconds": dt, "extra_MB": (peak - base) / 1024, "cycles": len(s.cycles)}))
    """
)


@pytest.mark.skipif(sys.platform == "win32", reason="resource module is POSIX-only")
def test_import_memory_within_budget(long_mpt, record_property, fresh_env):
    proc = subprocess.run(
        [sys.executable, "-c", MEMORY_SCRIPT, str(long_mpt)],
        capture_output=True,
        text=True,
        env=fresh_env,
    )
    assert proc.returncode == 0, proc.stderr
    result = json.loads(proc.stdout)
    record_property("extra_MB", result["extra_MB"])
    assert result["cycles"] == 120
    assert result["extra_MB"] <= 600, f"import used {result['extra_MB']:.0f} MB extra"


# ------------------------------------------------------------------------------ peers
GALVANI_SCRIPT = textwrap.dedent(
    """
    import json, sys, time
    from galvani.BioLogic import MPTfile
    t0 = time.perf_counter()
    mpt, _comments = MPTfile(sys.argv[1], encoding="latin-1")
    print(json.dumps({"rows": len(mpt), "parse_s": time.perf_counter() - t0}))
    """
)


def test_bench_peer_galvani_mpt(benchmark, long_mpt, fresh_env, capsys):
    """galvani's MPTfile vs ours: whole process against whole process, in-process against
    in-process (galvani only parses; we also summarise)."""
    if importlib.util.find_spec("galvani") is None:
        pytest.skip("galvani is not installed")
    if benchmark.disabled:
        pytest.skip("peer timing runs only with --benchmark-enable (it takes ~40 s)")
    from importlib.metadata import version as dist_version

    peer_cmd = [sys.executable, "-c", GALVANI_SCRIPT, str(long_mpt)]
    peer_run, peer = peer_rounds(benchmark, peer_cmd, fresh_env, rounds=2)
    peer_s = peer_run.seconds
    assert peer["rows"] == pytest.approx(N_ROWS, rel=0.01)
    ours_run = best_of(3, echem_command(long_mpt), fresh_env)
    ours_fresh_s = ours_run.seconds
    check_echem_json(ours_run.stdout)
    ours_in_s = in_process_best(lambda: import_and_summarise(long_mpt))
    version = dist_version("galvani")
    info = {
        "galvani_version": version,
        "galvani_fresh_s": peer_s,
        "galvani_parse_s": peer["parse_s"],
        "ours_fresh_s": ours_fresh_s,
        "ours_in_process_s": ours_in_s,
        "ratio_fresh": peer_s / ours_fresh_s,
        "ratio_in_process": peer["parse_s"] / ours_in_s,
    }
    benchmark.extra_info.update(info)
    report(
        f"1M-row .mpt: galvani {version} fresh {peer_s:.2f} s{_cpu(peer_run)} (parse "
        f"{peer['parse_s']:.2f} s); ours fresh {ours_fresh_s:.2f} s{_cpu(ours_run)}, in-process "
        f"{ours_in_s:.2f} s; "
        f"ratio fresh {info['ratio_fresh']:.1f}x, in-process {info['ratio_in_process']:.1f}x",
        capsys,
    )


CELLPY_SCRIPT = textwrap.dedent(
    """
    import json, sys, time, logging
    logging.disable(logging.CRITICAL)
    import cellpy
    t0 = time.perf_counter()
    c = cellpy.get(sys.argv[1], instrument="neware_txt", model="UIO", mass=float(sys.argv[2]),
                   cycle_mode="cathode")
    dt = time.perf_counter() - t0
    s = c.data.summary
    print(json.dumps({"seconds": dt, "version": cellpy.__version__, "first_discharge_mAh_g":
                      float(s["discharge_capacity_gravimetric"].iloc[0]), "cycles": len(s)}))
    """
)


def _peer_python() -> str | None:
    """A Python with cellpy: ``LBPO_PEER_PYTHON`` (cellpy needs other pandas than ours, so it
    usually lives in its own venv), else this interpreter when cellpy imports here."""
    peer = os.environ.get("LBPO_PEER_PYTHON")
    if peer:
        return peer
    return sys.executable if importlib.util.find_spec("cellpy") else None


@pytest.fixture(scope="module")
def long_neware_csv(long_mpt, tmp_path_factory) -> tuple[Path, float]:
    from .neware_writer import write_neware_record_csv

    (table,) = read(long_mpt, kind="cycling")
    mass = table.metadata["active_mass_mg"]
    a = table.arrays
    path = tmp_path_factory.mktemp("neware") / "long_neware.csv"
    write_neware_record_csv(path, a["time_s"], a["voltage_V"], a["current_mA"], mass)
    return path, mass


def test_bench_peer_cellpy_neware_csv(benchmark, long_neware_csv, fresh_env, capsys):
    """Ours vs cellpy on the same 1M rows written as a Neware record CSV, both ways."""
    peer = _peer_python()
    if peer is None:
        pytest.skip("cellpy is not installed (set LBPO_PEER_PYTHON to a Python that has it)")
    if benchmark.disabled:
        pytest.skip("peer timing runs only with --benchmark-enable")
    csv_path, mass = long_neware_csv
    peer_env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    peer_cmd = [peer, "-c", CELLPY_SCRIPT, str(csv_path), str(mass)]
    peer_run, result = peer_rounds(benchmark, peer_cmd, peer_env, rounds=2)
    peer_s = peer_run.seconds
    assert result["first_discharge_mAh_g"] == pytest.approx(FIRST_DISCHARGE_MAH_G, rel=0.01)

    ours_run = best_of(3, echem_command(csv_path, "--active-mass-mg", str(mass)), fresh_env)
    ours_fresh_s = ours_run.seconds
    check_echem_json(ours_run.stdout)

    def ours():
        (table,) = read(csv_path, kind="cycling")
        return summarise_table(table.arrays, table.metadata, active_mass_mg=mass)

    ours_in_s = in_process_best(ours)
    info = {
        "cellpy_version": result["version"],
        "cellpy_fresh_s": peer_s,
        "cellpy_in_process_s": result["seconds"],
        "ours_fresh_s": ours_fresh_s,
        "ours_in_process_s": ours_in_s,
        "ratio_fresh": peer_s / ours_fresh_s,
        "ratio_in_process": result["seconds"] / ours_in_s,
    }
    benchmark.extra_info.update(info)
    report(
        f"1M-row Neware CSV: cellpy {result['version']} fresh {peer_s:.2f} s{_cpu(peer_run)} "
        f"(get {result['seconds']:.2f} s); ours fresh {ours_fresh_s:.2f} s{_cpu(ours_run)}, "
        "in-process "
        f"{ours_in_s:.2f} s; ratio fresh {info['ratio_fresh']:.1f}x, in-process "
        f"{info['ratio_in_process']:.1f}x",
        capsys,
    )
