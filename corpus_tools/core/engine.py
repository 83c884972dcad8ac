"""The engine a command runs on: ``local`` (this machine's processes, the default) or ``spark``
(Apache Spark: a local[N] session on this machine, or any cluster a master URL names).

The engine is chosen per command (``--engine``, ``--spark-master``) or per dataset (``[engine]`` in
dataset.toml: ``name``, ``master``, ``conf``). pyspark is an optional extra (``corpus-tools[spark]``):
it is imported only when the spark engine is chosen, and its absence is a one-line usage error
that says how to install it.

>>> Engine.choose(None, None, {}).name
'local'
>>> Engine.choose("spark", None, {"master": "spark://head:7077", "conf": {"spark.executor.memory": "8g"}}).master
'spark://head:7077'
>>> _public_master("spark://user:secret@head:7077")
'spark://head:7077'
>>> Engine.choose("dask", None, {})
Traceback (most recent call last):
...
corpus_tools.errors.UsageError: --engine dask: must be local or spark
"""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from ..errors import UsageError
from .memory import MMAP_THRESHOLD, lean_allocators

ENGINES = ("local", "spark")
DEFAULT_MASTER = "local[*]"  # every core of this machine
INSTALL_HINT = "pip install 'corpus-tools[spark]' (pyspark 4.1, which needs Java 17 or 21)"
# What every session gets unless the user's conf says otherwise: UTC, so that timestamps mean the same
# on every executor; Parquet timestamps as the microseconds the schemas declare, not INT96; Arrow
# batches of the size convert's row groups are; no web UI port taken on a shared machine.
BASE_CONF = {
    "spark.sql.session.timeZone": "UTC",
    "spark.sql.parquet.outputTimestampType": "TIMESTAMP_MICROS",
    "spark.sql.execution.arrow.maxRecordsPerBatch": "16384",
    "spark.sql.shuffle.partitions": "8",
    "spark.ui.enabled": "false",
    "spark.ui.showConsoleProgress": "false",
    # Spark's own staged Parquet (never published) in 32 MB row groups, not 128 MB: less held per writer
    "spark.hadoop.parquet.block.size": str(32 << 20),
}
# In local mode the driver's JVM runs the executors too, so its heap is the executors'. A 512 MB heap
# kept the JVM near 1 GB resident at a million posts, but at 10M the sorts and aggregations ran it
# out of memory three times, each time merging their spill files, which takes read buffers on the
# heap beside what the memory manager counts (benchmarks/NOTES.md); that was before validation's
# frames were persisted to disk only. 768 MB: the JVM's peak at 1M 1832 -> 1568 MB. Read-ahead
# would take two more 1 MB heap buffers per spill file: off, the reader's own buffer is off the heap.
# The JVM's own overhead is cut where it costs no time (a 1M-post build, benchmarks/NOTES.md: the JVM's
# peak 2133 -> 1832 MB, CPU 653 -> 617 s): the serial collector, whose bookkeeping is a card table
# where G1's remembered sets and regions took ~80 MB and which grows the heap only as it fills; a
# 64 MB code cache (240 by default); 512 KB thread stacks.
LOCAL_CONF = {"spark.driver.memory": "768m", "spark.unsafe.sorter.spill.read.ahead.enabled": "false",
              "spark.driver.extraJavaOptions": "-XX:+UseSerialGC -XX:ReservedCodeCacheSize=64m -Xss512k"}
# glibc gives each thread that mallocs an arena of its own (up to 8 per core); the JVM's native
# libraries (Parquet's codecs, Arrow) on Spark's many threads left ~300 MB there. Two arenas, for
# the JVM started here and its Python workers, unless the environment says otherwise. And glibc's
# mmap threshold fixed at 1 MB there too, as in the driver's Python (core.memory): Arrow's batches to
# and from the Python workers and Parquet's pages are freed whole, and with the threshold glibc raises
# they stayed in its arenas (a 1M build: the JVM's peak in validation 1612 -> 1557 MB, and 100-150 MB
# less after the near-duplicate search; benchmarks/NOTES.md).
LOCAL_ENVIRONMENT = {"MALLOC_ARENA_MAX": "2", "MALLOC_MMAP_THRESHOLD_": str(MMAP_THRESHOLD)}
# Bytes of input per shuffle partition. A partition's sort (the merge's windows, each table's order)
# spills to disk when its task's share of the heap is full, and merging the spills takes a read buffer
# per spill file on the heap: at 10M posts (25 GB of JSON) eight partitions of a 512 MB heap ran out of
# it reading back their spills (benchmarks/NOTES.md). Partitions of this size keep a task's spills few.
PARTITION_BYTES = 64 << 20


@dataclass(frozen=True)
class Engine:
    """Where a command runs. ``master`` and ``conf`` matter only to the spark engine."""

    name: str = "local"
    master: str | None = None  # None: what spark-submit was given, else DEFAULT_MASTER
    conf: Mapping[str, str] = field(default_factory=dict)

    @classmethod
    def choose(cls, name: str | None, master: str | None, table: Mapping[str, Any]) -> Engine:
        """The engine the command line names (``name``, ``master``), else ``[engine]`` (``table``)."""
        chosen = name or table.get("name") or "local"
        if chosen not in ENGINES:
            raise UsageError(f"--engine {chosen}: must be {' or '.join(ENGINES)}")
        conf = {str(k): str(v) for k, v in dict(table.get("conf") or {}).items()}
        return cls(chosen, master or table.get("master"), conf)

    @property
    def is_spark(self) -> bool:
        return self.name == "spark"


def _public_master(master: str | None) -> str:
    """The master URL without any user:password part."""
    if master is None:
        return "spark-submit's" if _submitted() else DEFAULT_MASTER
    scheme, _, rest = master.partition("://")
    return f"{scheme}://{rest.rpartition('@')[2]}" if rest else master


def _submitted() -> bool:
    """Is this process a driver spark-submit started (its JVM already running, its conf set)?"""
    return "PYSPARK_GATEWAY_PORT" in os.environ


def require_pyspark() -> Any:
    """Import pyspark, or say how to install it."""
    try:
        import pyspark
    except ImportError:
        raise UsageError(f"the spark engine needs pyspark, which is not installed: {INSTALL_HINT}") from None
    return pyspark


MEMORY_HINT = ("give Spark more memory: spark.driver.memory in local mode, spark.executor.memory on a "
               "cluster, in [engine.conf] (docs/spark.md)")


def spark_job_failure(error: BaseException) -> str | None:
    """A Spark job that failed for want of resources (an executor out of memory or lost, the context
    shut down under it) as one line, or None for any other error (a bug, in Spark's plan or ours).
    Spark's own log, above the line, says more."""
    if not type(error).__module__.startswith(("py4j", "pyspark")):
        return None
    try:
        text = str(error)  # a Py4JJavaError asks the JVM for its text: a JVM an OutOfMemoryError killed
    except Exception:  # refuses the connection
        return f"spark engine: Spark's JVM stopped during a job ({type(error).__name__}); {MEMORY_HINT}"
    if "SparkException" not in text and "OutOfMemoryError" not in text:
        return None
    lines = [line.strip(": \t") for line in text.splitlines()]
    cause = next((line for line in lines if line.startswith(("org.apache.spark", "java."))), lines[0] if lines else "")
    memory = "OutOfMemoryError" in text or "SparkContext was shut down" in text
    return f"spark engine: a job failed ({cause}); " + (MEMORY_HINT if memory else "Spark's log above says why")


def shuffle_partitions(engine: Engine, data_bytes: int) -> int:
    """The shuffle partitions for ``data_bytes`` of input: the conf's, if it names them, else one per
    PARTITION_BYTES, and never fewer than BASE_CONF's.

    >>> shuffle_partitions(Engine("spark"), 25 * 10**9)
    373
    >>> shuffle_partitions(Engine("spark"), 10**6)
    8
    >>> shuffle_partitions(Engine("spark", conf={"spark.sql.shuffle.partitions": "16"}), 25 * 10**9)
    16
    """
    key = "spark.sql.shuffle.partitions"
    if key in engine.conf:
        return int(engine.conf[key])
    return max(int(BASE_CONF[key]), -(-data_bytes // PARTITION_BYTES))


def sized_session(engine: Engine, data_bytes: int) -> Any:
    """``spark_session(engine)``, its shuffle partitions set for ``data_bytes`` of input (a runtime
    setting: each command sets it for what it reads)."""
    spark = spark_session(engine)
    spark.conf.set("spark.sql.shuffle.partitions", str(shuffle_partitions(engine, data_bytes)))
    return spark


def spread_nulls(key: Any, *unique: str) -> Any:
    """The join key column ``key`` with its nulls told apart. A shuffle sends every row of one key to
    one task, and the rows that reference nothing (most posts reply to none) share the key null: at
    10M posts that one task's sort of most of the posts, texts and all, ran a 512 MB heap out of
    memory reading back its spills. Each null becomes a key no id can equal (a NUL character and the
    ``unique`` columns), so those rows spread over the tasks and still match nothing."""
    from pyspark.sql import functions as F

    parts = [F.col(name).cast("string") for name in unique]
    return F.coalesce(key.cast("string"), F.concat_ws(":", F.lit("\0"), *parts))


def session_conf(engine: Engine, *, local: bool) -> dict[str, str]:
    """The Spark conf a session of ``engine`` gets: ours, local mode's when ``local``, then the user's,
    which wins.

    >>> session_conf(Engine("spark", "local[2]", {"spark.driver.memory": "2g"}), local=True)["spark.driver.memory"]
    '2g'
    >>> "spark.driver.extraJavaOptions" in session_conf(Engine("spark", "spark://head:7077"), local=False)
    False
    """
    return {**BASE_CONF, **(LOCAL_CONF if local else {}), **engine.conf}


def spark_session(engine: Engine) -> Any:
    """The SparkSession of ``engine`` (one per process: Spark's own rule), created on first use.

    Executors run this interpreter unless the conf or PYSPARK_PYTHON says otherwise, so that on this
    machine (local mode, a standalone cluster on loopback) they have corpus-tools and its libraries.
    On a cluster, every worker needs corpus-tools installed under the same interpreter path
    (docs/spark.md)."""
    require_pyspark()
    from pyspark.sql import SparkSession

    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    os.environ.setdefault("PYSPARK_DRIVER_PYTHON", sys.executable)
    builder = SparkSession.builder.appName("corpus-tools")
    master = engine.master or (None if _submitted() else DEFAULT_MASTER)  # spark-submit's --master holds
    if master:
        builder = builder.master(master)
    local = master is not None and master.startswith("local")
    for key, value in session_conf(engine, local=local).items():
        builder = builder.config(key, value)
    for key, value in (LOCAL_ENVIRONMENT if local else {}).items():
        os.environ.setdefault(key, value)  # read by the JVM's C library as it starts
    lean_allocators()  # the driver's Python: twins and facts beside validation (core.memory)
    try:
        return builder.getOrCreate()
    except Exception as error:  # no Java, an unreachable master: py4j and Spark raise their own kinds
        first = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
        raise UsageError(f"spark engine: no session at {_public_master(engine.master)} ({first})") from None
