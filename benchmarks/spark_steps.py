"""The spark engine's steps of the benchmark (``run.py --engine spark``, ``make bench ENGINE=spark``):
``convert``, ``validate`` and ``build`` with ``--engine spark --spark-master local[2]`` on the corpus
the local steps read, each in a fresh process.

A Spark driver is two processes: the Python one that runs corpus-tools, and the JVM it starts (in
local mode the JVM also runs the executors' threads; the executors' Python workers are more
processes). ``wait4`` gives the peak of only the largest of them, so the process tree is sampled
from /proc every quarter second: the Python driver's peak, the JVM's, and the whole tree's. The
driver's peak (``driver_rss_mb``) is the largest resident memory its two processes held together at
one sample; the sum of their separate peaks (``peak_rss_mb``, which steps measured before 2026-12-04
have alone) is an upper bound that the driver never held: the Python peaks as packaging starts and
the JVM in validation.
"""

from __future__ import annotations

import os
import subprocess
import time
from pathlib import Path

MASTER = "local[2]"
SPARK_STEPS = ("convert_spark", "validate_spark", "build_spark")
SAMPLE_SECONDS = 0.25
PAGE = os.sysconf("SC_PAGE_SIZE")
TICKS = os.sysconf("SC_CLK_TCK")


def _children() -> dict[int, list[int]]:
    tree: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                parent = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue  # gone meanwhile
            tree.setdefault(parent, []).append(int(entry.name))
    return tree


def _rss_mb(pid: int) -> float:
    try:
        return int((Path("/proc") / str(pid) / "statm").read_text().split()[1]) * PAGE / 2**20
    except (OSError, IndexError, ValueError):
        return 0.0


def _is_java(pid: int) -> bool:
    try:
        return (Path("/proc") / str(pid) / "comm").read_text().strip() == "java"
    except OSError:
        return False


def _cpu_seconds(pid: int) -> float:
    try:
        fields = (Path("/proc") / str(pid) / "stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / TICKS  # utime, stime
    except (OSError, IndexError, ValueError):
        return 0.0


def _sample(root: int, cpu: dict[int, float]) -> tuple[float, float, float]:
    """(the root's RSS, its JVM descendants', the whole tree's), in MB; each process's CPU seconds so
    far into ``cpu`` (the JVM is not always waited for, so its CPU never reaches our rusage)."""
    tree, stack, pids = _children(), [root], []
    while stack:
        pid = stack.pop()
        pids.append(pid)
        stack += tree.get(pid, [])
    sizes = {pid: _rss_mb(pid) for pid in pids}
    cpu.update({pid: max(cpu.get(pid, 0.0), _cpu_seconds(pid)) for pid in pids})
    return sizes[root], sum(size for pid, size in sizes.items() if _is_java(pid)), sum(sizes.values())


def measure_tree(name: str, command: list[str], log: Path, env: dict[str, str]) -> dict:
    """Run ``command``: its wall and CPU time, exit code, and the peaks of its process tree (MB)."""
    with log.open("w") as out:
        started = time.perf_counter()
        process = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT, env=env)
        peaks, cpu, driver = [0.0, 0.0, 0.0], {}, 0.0
        while process.poll() is None:
            sample = _sample(process.pid, cpu)
            peaks = [max(p, s) for p, s in zip(peaks, sample)]
            driver = max(driver, sample[0] + sample[1])
            time.sleep(SAMPLE_SECONDS)
        seconds = time.perf_counter() - started
    result = {"seconds": round(seconds, 2), "exit_code": process.returncode,
              "cpu_seconds": round(sum(cpu.values()), 1),  # up to the last sample: a quarter second short at most
              "driver_rss_mb": round(driver, 1),  # the driver's Python and JVM at once, at their largest
              "peak_rss_mb": round(peaks[0] + peaks[1], 1),  # their separate peaks, summed: an upper bound
              "python_rss_mb": round(peaks[0], 1), "jvm_rss_mb": round(peaks[1], 1), "tree_rss_mb": round(peaks[2], 1)}
    print(f"  {name:16} {result['seconds']:8.1f} s  {driver:8.0f} MB  exit {result['exit_code']}"
          f"  (peaks: Python {peaks[0]:.0f} MB, JVM {peaks[1]:.0f} MB, all processes {peaks[2]:.0f} MB)", flush=True)
    return result


def spark_steps(cli: str, work: Path, corpus: Path, dataset: Path, env: dict[str, str],
                wanted: tuple[str, ...] = SPARK_STEPS) -> dict[str, dict]:
    """The ``wanted`` ones of convert, validate and build of ``corpus`` on the spark engine (local[2]);
    validate_spark reads convert_spark's tables."""
    engine = ["--engine", "spark", "--spark-master", MASTER]
    tables = work / "tables-spark"
    commands = {
        "convert_spark": [cli, "convert", str(corpus), "--out", str(tables), *engine],
        "validate_spark": [cli, "validate", str(tables), "--report", str(work / "validation-spark.json"), *engine],
        "build_spark": [cli, "build", "--config", str(dataset / "dataset.toml"), "--allow-invalid", *engine],
    }
    return {name: measure_tree(name, command, work / f"{name}.log", env) for name, command in commands.items()
            if name in wanted}
