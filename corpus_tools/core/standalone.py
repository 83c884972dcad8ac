"""A Spark standalone cluster on loopback: a master and its workers, started with pyspark's own
``spark-class``, so that the cluster path (a driver whose JVM runs no tasks, executors in processes
of their own, tasks shipped to them) can be tried on one machine before a real cluster. The cluster
test and ``benchmarks/spark_cluster.py`` both start theirs here.

Example::

    with loopback_cluster(Path("/tmp/cluster"), workers=2, cores=1, memory="2g") as cluster:
        build(config, engine="spark", master=cluster.master)

Each process logs to a file of its own in the folder, which is also the workers' work folder (the
executors' stdout, stderr and fetched files). A cluster that does not come up in ``timeout``
seconds, or whose processes end meanwhile, is stopped and raises ``ClusterError`` with the end
of each log. Importing this module needs no pyspark; starting a cluster does (and Java).
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import time
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

LOOPBACK = "127.0.0.1"


class ClusterError(RuntimeError):
    """The cluster did not come up; the message ends with its processes' logs."""


@dataclass(frozen=True)
class LoopbackCluster:
    """A running cluster: the URL a driver connects to, and its processes (the master first; then the
    workers, whose children are the executors)."""

    master: str
    processes: tuple[subprocess.Popen, ...]

    @property
    def workers(self) -> tuple[int, ...]:
        """The workers' process ids (``spark-class`` execs the JVM, so these are the Worker JVMs)."""
        return tuple(process.pid for process in self.processes[1:])


@contextmanager
def loopback_cluster(folder: Path, *, workers: int = 2, cores: int = 1, memory: str = "1g",
                     env: dict[str, str] | None = None, timeout: float = 180) -> Iterator[LoopbackCluster]:
    """A master and ``workers`` workers of ``cores`` cores and ``memory`` each, on 127.0.0.1, for the
    block; stopped (and waited for) when it ends, however it ends. ``env`` is the processes'
    environment (default: this one's), with ``SPARK_LOCAL_IP`` set to loopback."""
    env = {**(os.environ if env is None else env), "SPARK_LOCAL_IP": LOOPBACK}
    port, ui_port = free_port(), free_port()
    master = f"spark://{LOOPBACK}:{port}"
    processes: list[subprocess.Popen] = []
    try:
        _start(processes, folder, "master", env, "org.apache.spark.deploy.master.Master", "--host", LOOPBACK,
               "--port", str(port), "--webui-port", str(ui_port))
        # Workers register with a master that answers: its web UI up (no workers yet) and its port open.
        _wait(lambda: alive_workers(ui_port) == 0 and _listening(port), "the master", processes, folder, timeout)
        for number in range(1, workers + 1):
            _start(processes, folder, f"worker-{number}", env, "org.apache.spark.deploy.worker.Worker", master,
                   "--host", LOOPBACK, "--cores", str(cores), "--memory", memory,
                   "--webui-port", str(free_port()), "--work-dir", str(folder))
        _wait(lambda: alive_workers(ui_port) == workers, f"{workers} workers", processes, folder, timeout)
        yield LoopbackCluster(master, tuple(processes))
    finally:
        _stop(processes)


def free_port() -> int:
    """A TCP port on loopback that nothing listens on now."""
    with socket.socket() as probe:
        probe.bind((LOOPBACK, 0))
        return probe.getsockname()[1]


def alive_workers(ui_port: int) -> int | None:
    """The workers the master's web UI (its ``/json/`` page) lists as alive; None while it does not answer."""
    try:
        with urllib.request.urlopen(f"http://{LOOPBACK}:{ui_port}/json/", timeout=5) as reply:
            return sum(worker["state"] == "ALIVE" for worker in json.load(reply)["workers"])
    except (OSError, ValueError, KeyError):
        return None


def _listening(port: int) -> bool:
    with socket.socket() as probe:
        return probe.connect_ex((LOOPBACK, port)) == 0


def _spark_class() -> str:
    import pyspark

    return str(Path(pyspark.__file__).parent / "bin" / "spark-class")


def _start(processes: list[subprocess.Popen], folder: Path, name: str, env: dict[str, str], *command: str) -> None:
    """Start ``spark-class COMMAND...``, logging to ``folder/NAME.log``, and add it to ``processes``."""
    with (folder / f"{name}.log").open("w") as log:  # the child keeps its own copy of the descriptor
        processes.append(subprocess.Popen([_spark_class(), *command], env=env, stdout=log, stderr=subprocess.STDOUT,
                                          stdin=subprocess.DEVNULL))


def _wait(ready: Callable[[], bool], what: str, processes: list[subprocess.Popen], folder: Path,
          timeout: float) -> None:
    """Poll ``ready`` once a second; a ``ClusterError`` if a process ends first or ``timeout`` passes."""
    deadline = time.monotonic() + timeout
    while not ready():
        ended = [process for process in processes if process.poll() is not None]
        if ended or time.monotonic() > deadline:
            why = f"a process ended (exit {ended[0].returncode})" if ended else f"not in {timeout:.0f} s"
            logs = "\n".join(f"--- {log.name}\n{log.read_text(errors='replace')[-2000:]}"
                             for log in sorted(folder.glob("*.log")))
            raise ClusterError(f"{what} did not come up on loopback: {why}\n{logs}")
        time.sleep(1)


def _stop(processes: list[subprocess.Popen]) -> None:
    """Ask every process to stop, then wait; kill one that has not stopped in 30 seconds."""
    for process in processes:
        process.terminate()
    for process in processes:
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
