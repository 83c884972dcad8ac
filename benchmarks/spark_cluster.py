"""The build on a real cluster: a standalone master and two one-core workers on loopback (pyspark's
own ``spark-class``, started by ``corpus_tools.core.standalone`` as the cluster test's are), and the
benchmark's Spark dataset of SIZE built against it. On a cluster the driver's JVM runs no tasks, so its peak is the
driver's own; the executors' JVMs, children of the workers, are sampled apart.

    .venv/bin/python benchmarks/spark_cluster.py 1M   # after make bench SIZES=1M ENGINE=spark

Prints the figures (benchmarks/NOTES.md has them); writes nothing to RESULTS.md.
"""

from __future__ import annotations

import os
import sys
import tempfile
import threading
import time
from pathlib import Path

from spark_steps import _children, _rss_mb, measure_tree

from corpus_tools.core.standalone import ClusterError, loopback_cluster

WORK = Path(os.environ.get("BENCH_WORK", "/tmp/corpus-tools-bench"))
CLI = Path(sys.executable).with_name("corpus-tools")


def _executor_peak(workers: tuple[int, ...], stop: threading.Event, peak: list[float]) -> None:
    """The peak RSS (MB) of the executors' JVMs together: the processes under this cluster's workers."""
    while not stop.is_set():
        tree, executors = _children(), []
        stack = [child for worker in workers for child in tree.get(worker, [])]
        while stack:
            executors.append(stack.pop())
            stack += tree.get(executors[-1], [])
        peak[0] = max(peak[0], sum(map(_rss_mb, executors)))
        time.sleep(1)


def main(size: str) -> None:
    work = WORK / size
    env = {**os.environ, "CI": "1", "SPARK_LOCAL_IP": "127.0.0.1",
           "CORPUS_TOOLS_PSEUDONYM_KEY": "corpus-tools-benchmark"}  # the key run.py builds with
    with tempfile.TemporaryDirectory(prefix="spark-cluster-") as folder:
        try:
            with loopback_cluster(Path(folder), workers=2, cores=1, memory="2g", env=env) as cluster:
                stop, peak = threading.Event(), [0.0]
                threading.Thread(target=_executor_peak, args=(cluster.workers, stop, peak), daemon=True).start()
                try:
                    measure_tree("build_cluster", [str(CLI), "build", "--config",
                                                   str(work / "dataset-spark" / "dataset.toml"), "--allow-invalid",
                                                   "--engine", "spark", "--spark-master", cluster.master],
                                 work / "build_cluster.log", env)
                finally:
                    stop.set()
        except ClusterError as error:
            sys.exit(str(error))
    print(f"  executors' JVMs, their peak together: {peak[0]:.0f} MB")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "1M")
