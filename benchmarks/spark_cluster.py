"""The build on a real cluster: a standalone master and two one-core workers on loopback (pyspark's
own ``spark-class``, as tests/package/test_build_spark.py starts them), and the benchmark's Spark
dataset of SIZE built against it. On a cluster the driver's JVM runs no tasks, so its peak is the
driver's own; the executors' JVMs, children of the workers, are sampled apart.

    .venv/bin/python benchmarks/spark_cluster.py 1M   # after make bench SIZES=1M ENGINE=spark

Prints the figures (benchmarks/NOTES.md has them); writes nothing to RESULTS.md.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

from spark_steps import _rss_mb, measure_tree

WORK = Path(os.environ.get("BENCH_WORK", "/tmp/corpus-tools-bench"))
CLI = Path(sys.executable).with_name("corpus-tools")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _cluster(folder: Path, env: dict[str, str]) -> tuple[str, list[subprocess.Popen]]:
    """A master and two workers (one core and 2 GB each); its URL and processes."""
    import pyspark

    spark_class = str(Path(pyspark.__file__).parent / "bin" / "spark-class")
    port, ui_port = _free_port(), _free_port()
    master = f"spark://127.0.0.1:{port}"
    commands = [[spark_class, "org.apache.spark.deploy.master.Master", "--host", "127.0.0.1", "--port", str(port),
                 "--webui-port", str(ui_port)]]
    commands += [[spark_class, "org.apache.spark.deploy.worker.Worker", master, "--host", "127.0.0.1", "--cores", "1",
                  "--memory", "2g", "--webui-port", str(_free_port()), "--work-dir", str(folder)]] * 2
    processes = []
    for number, command in enumerate(commands):
        log = (folder / f"process-{number}.log").open("w")
        processes.append(subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT))
        if number == 0:  # the workers register with a master that is up
            _wait_for(lambda: _alive_workers(ui_port) == 0, "the master", processes)
    _wait_for(lambda: _alive_workers(ui_port) == 2, "two workers", processes)
    return master, processes


def _alive_workers(ui_port: int) -> int | None:
    """The workers the master's web UI lists as alive; None while the UI does not answer."""
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{ui_port}/json/", timeout=5) as reply:
            return sum(w["state"] == "ALIVE" for w in json.load(reply)["workers"])
    except OSError:
        return None


def _wait_for(ready, what: str, processes: list[subprocess.Popen], timeout: float = 180) -> None:
    deadline = time.monotonic() + timeout
    while not ready():
        if time.monotonic() > deadline:
            for process in processes:
                process.terminate()
            sys.exit(f"{what} did not come up in {timeout:.0f} s")
        time.sleep(1)


def _executor_peak(stop: threading.Event, peak: list[float]) -> None:
    while not stop.is_set():
        pids = subprocess.run(["pgrep", "-f", "CoarseGrainedExecutorBackend"], capture_output=True, text=True).stdout
        peak[0] = max(peak[0], sum(_rss_mb(int(pid)) for pid in pids.split()))
        time.sleep(1)


def main(size: str) -> None:
    work = WORK / size
    env = {**os.environ, "SPARK_LOCAL_IP": "127.0.0.1", "CI": "1",
           "CORPUS_TOOLS_PSEUDONYM_KEY": "corpus-tools-benchmark"}  # the key run.py builds with
    with tempfile.TemporaryDirectory(prefix="spark-cluster-") as folder:
        master, processes = _cluster(Path(folder), env)
        stop, peak = threading.Event(), [0.0]
        threading.Thread(target=_executor_peak, args=(stop, peak), daemon=True).start()
        try:
            measure_tree("build_cluster", [str(CLI), "build", "--config", str(work / "dataset-spark" / "dataset.toml"),
                                           "--allow-invalid", "--engine", "spark", "--spark-master", master],
                         work / "build_cluster.log", env)
        finally:
            stop.set()
            for process in processes:
                process.terminate()
            for process in processes:
                process.wait(timeout=30)
    print(f"  executors' JVMs, their peak together: {peak[0]:.0f} MB")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "1M")
